//! When to poll next: the interval attribute, backoff after failures, slow terminal polling.
//! Pure arithmetic; the feed module owns the actual timers.

/// Default seconds between refreshes.
pub const DEFAULT_INTERVAL_MS: u32 = 5_000;
/// Refreshes are never closer together than this.
pub const MIN_INTERVAL_MS: u32 = 1_000;
/// Once a task is FINISHED, RELEASED or DELETED, it is polled only this often.
pub const TERMINAL_INTERVAL_MS: u32 = 60_000;
/// Backoff after failures never waits longer than this.
pub const BACKOFF_CAP_MS: u32 = 60_000;
/// A request with no complete answer after this long is aborted as a timeout.
pub const REQUEST_TIMEOUT_MS: u32 = 10_000;

/// The longest request timeout the `timeout` attribute can ask for.
pub const MAX_TIMEOUT_MS: u32 = 120_000;

/// Reads the `interval` attribute (seconds): default 5 s when absent or unreadable, never
/// below 1 s, at most one day.
pub fn interval_from_attribute(value: Option<&str>) -> u32 {
    seconds_attribute(value, DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, 86_400_000)
}

/// Reads the `timeout` attribute (seconds): default 10 s, between 1 s and 2 minutes.
pub fn timeout_from_attribute(value: Option<&str>) -> u32 {
    seconds_attribute(value, REQUEST_TIMEOUT_MS, 1_000, MAX_TIMEOUT_MS)
}

/// An attribute in seconds, as milliseconds: `default` when absent, negative or unreadable,
/// clamped to `min..=max`.
fn seconds_attribute(value: Option<&str>, default: u32, min: u32, max: u32) -> u32 {
    let seconds = value.and_then(|v| crate::oms::Loose::Text(v.to_owned()).number());
    match seconds {
        Some(s) if s >= 0.0 => (s * 1000.0).min(f64::from(max)) as u32,
        _ => default,
    }
    .max(min)
}

/// How often a subscriber wants its task refreshed, and how long one request may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cadence {
    /// Milliseconds between refreshes.
    pub interval_ms: u32,
    /// Milliseconds before a request is aborted as a timeout.
    pub timeout_ms: u32,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence { interval_ms: DEFAULT_INTERVAL_MS, timeout_ms: REQUEST_TIMEOUT_MS }
    }
}

/// The delay before the next refresh.
///
/// `consecutive_failures` is 0 after a success. After failures the wait doubles from the
/// interval up to [`BACKOFF_CAP_MS`]; `jitter` (uniform in 0..1) spreads it over its upper
/// half, so many cards that failed together do not retry in lockstep.
pub fn next_delay_ms(interval_ms: u32, consecutive_failures: u32, terminal: bool, jitter: f64) -> u32 {
    let base = if terminal { interval_ms.max(TERMINAL_INTERVAL_MS) } else { interval_ms.max(MIN_INTERVAL_MS) };
    if consecutive_failures == 0 {
        return base;
    }
    let doubled = u64::from(base) << consecutive_failures.min(16);
    let ceiling = doubled.min(u64::from(BACKOFF_CAP_MS.max(base))) as f64;
    let spread = 0.5 + 0.5 * jitter.clamp(0.0, 1.0);
    ((ceiling * spread) as u32).max(MIN_INTERVAL_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_attribute() {
        assert_eq!(interval_from_attribute(None), 5_000);
        assert_eq!(interval_from_attribute(Some("10")), 10_000);
        assert_eq!(interval_from_attribute(Some(" 2.5 ")), 2_500);
        assert_eq!(interval_from_attribute(Some("0.2")), 1_000, "never below 1 s");
        assert_eq!(interval_from_attribute(Some("0")), 1_000);
        assert_eq!(interval_from_attribute(Some("-4")), 5_000);
        assert_eq!(interval_from_attribute(Some("soon")), 5_000);
        assert_eq!(interval_from_attribute(Some("")), 5_000);
        assert_eq!(interval_from_attribute(Some("1e9")), 5_000);
        assert_eq!(interval_from_attribute(Some("99999999")), 86_400_000);
    }

    #[test]
    fn timeout_attribute() {
        assert_eq!(timeout_from_attribute(None), 10_000);
        assert_eq!(timeout_from_attribute(Some("2")), 2_000);
        assert_eq!(timeout_from_attribute(Some("0.1")), 1_000);
        assert_eq!(timeout_from_attribute(Some("600")), 120_000);
        assert_eq!(timeout_from_attribute(Some("x")), 10_000);
    }

    #[test]
    fn success_polls_at_the_interval() {
        assert_eq!(next_delay_ms(5_000, 0, false, 0.3), 5_000);
    }

    #[test]
    fn terminal_tasks_poll_once_a_minute() {
        assert_eq!(next_delay_ms(5_000, 0, true, 0.0), 60_000);
        assert_eq!(next_delay_ms(120_000, 0, true, 0.0), 120_000, "a slower interval stays");
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let max = |n| next_delay_ms(5_000, n, false, 1.0);
        let min = |n| next_delay_ms(5_000, n, false, 0.0);
        assert_eq!((min(1), max(1)), (5_000, 10_000));
        assert_eq!((min(2), max(2)), (10_000, 20_000));
        assert_eq!((min(3), max(3)), (20_000, 40_000));
        assert_eq!((min(4), max(4)), (30_000, 60_000));
        assert_eq!((min(40), max(40)), (30_000, 60_000), "capped at 60 s");
        let mid = next_delay_ms(5_000, 2, false, 0.5);
        assert!(mid > 10_000 && mid < 20_000);
    }

    #[test]
    fn backoff_never_below_the_minimum() {
        assert_eq!(next_delay_ms(1_000, 1, false, 0.0), 1_000);
        assert_eq!(next_delay_ms(0, 0, false, 0.0), 1_000);
    }
}
