//! When to poll next: the interval, backoff after failures, slow terminal polling. Pure
//! arithmetic; the registry owns the actual timers.

use crate::model::settings::INTERVAL;

/// Refreshes are never closer together than this.
const MIN_INTERVAL_MS: u32 = INTERVAL.min_ms;
/// Once a task is FINISHED, RELEASED or DELETED, it is polled only this often.
pub const TERMINAL_INTERVAL_MS: u32 = 60_000;
/// Backoff after failures never waits longer than this.
pub const BACKOFF_CAP_MS: u32 = 60_000;

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
