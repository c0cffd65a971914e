//! Incremental sync latency: how far the checkpoint trails the clock, and how bad that is.

pub use super::constants::{CAUGHT_UP_SECONDS, FAR_BEHIND_SECONDS};

/// How incremental sync is keeping up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LatencyLevel {
    /// Within the sampling noise of OMS.
    CaughtUp,
    /// Behind, but less than [`FAR_BEHIND_SECONDS`].
    Lagging,
    /// [`FAR_BEHIND_SECONDS`] or more behind.
    FarBehind,
}

impl LatencyLevel {
    /// The token used in `data-level` attributes and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CaughtUp => "caught-up",
            Self::Lagging => "lagging",
            Self::FarBehind => "far-behind",
        }
    }
}

/// now − checkpoint, in whole seconds, never negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SyncLatency {
    /// Whole seconds the checkpoint trails the clock (0 when the clocks are skewed).
    pub seconds: u64,
}

impl SyncLatency {
    /// The latency of a checkpoint (unix seconds) at `now_ms` (unix milliseconds).
    pub fn at(now_ms: f64, checkpoint_unix: i64) -> Self {
        let behind = (now_ms / 1000.0).floor() - checkpoint_unix as f64;
        // Clock skew between OMS and the viewer can put the checkpoint in the future.
        SyncLatency { seconds: if behind > 0.0 { behind as u64 } else { 0 } }
    }

    /// The level for this latency.
    pub fn level(self) -> LatencyLevel {
        if self.seconds <= CAUGHT_UP_SECONDS {
            LatencyLevel::CaughtUp
        } else if self.seconds < FAR_BEHIND_SECONDS {
            LatencyLevel::Lagging
        } else {
            LatencyLevel::FarBehind
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_now_minus_checkpoint() {
        assert_eq!(SyncLatency::at(1_700_000_012_900.0, 1_700_000_000).seconds, 12);
    }

    #[test]
    fn clock_skew_never_gives_negative_latency() {
        assert_eq!(SyncLatency::at(1_700_000_000_000.0, 1_700_000_050).seconds, 0);
    }

    #[test]
    fn levels_at_their_boundaries() {
        let level = |s| SyncLatency { seconds: s }.level();
        assert_eq!(level(0), LatencyLevel::CaughtUp);
        assert_eq!(level(25), LatencyLevel::CaughtUp);
        assert_eq!(level(26), LatencyLevel::Lagging);
        assert_eq!(level(299), LatencyLevel::Lagging);
        assert_eq!(level(300), LatencyLevel::FarBehind);
        assert_eq!(level(86_400 * 900), LatencyLevel::FarBehind);
    }
}
