//! OMS's own series of a step's metric (`DescribeProjectStepMetric`) beside what this page saw:
//! one series of the lag with no duplicates (OMS's points win where both exist), and the write
//! rate OMS measured lately, robust to its dips. Pure, tested natively; the card's feed and
//! story use them once they ask OMS for the series (issue 21).

use std::collections::VecDeque;

/// The last `page` samples (local ms, value) after OMS's `points` (unix s, value), as one series
/// in ms, oldest first: OMS's points for the time they cover, then the page's samples newer than
/// OMS's newest point (a page sample inside OMS's span is OMS's to say). At most `cap` points,
/// the newest.
pub fn merged(points: &[(f64, f64)], page: &VecDeque<(f64, f64)>, cap: usize) -> VecDeque<(f64, f64)> {
    let mut series: VecDeque<(f64, f64)> = points.iter().map(|&(at, value)| (at * 1000.0, value)).collect();
    let newest = series.back().map_or(f64::NEG_INFINITY, |(at, _)| *at);
    series.extend(page.iter().copied().filter(|(at, _)| *at > newest));
    while series.len() > cap {
        series.pop_front();
    }
    series
}

/// The write rate OMS measured over the last `window_s` seconds before `now_s`: the median of
/// its points there (a dip or a spike of a few points moves it little), `None` without at least
/// three points in the window or when the median is not above 0.
pub fn recent_rate(points: &[(f64, f64)], now_s: f64, window_s: f64) -> Option<f64> {
    let mut recent: Vec<f64> = points.iter().filter(|(at, _)| *at > now_s - window_s && *at <= now_s).map(|(_, value)| *value).collect();
    if recent.len() < 3 {
        return None;
    }
    recent.sort_by(f64::total_cmp);
    let middle = recent.len() / 2;
    let median = if recent.len() % 2 == 0 { (recent[middle - 1] + recent[middle]) / 2.0 } else { recent[middle] };
    (median > 0.0).then_some(median)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn omss_points_win_where_both_exist_and_the_page_adds_what_is_newer() {
        let oms = [(1000.0, 5.0), (1060.0, 7.0), (1120.0, 9.0)];
        let page: VecDeque<(f64, f64)> = [(1_050_000.0, 99.0), (1_120_000.0, 98.0), (1_125_000.0, 10.0), (1_130_000.0, 11.0)].into();
        let series = merged(&oms, &page, 10);
        assert_eq!(series, VecDeque::from([(1_000_000.0, 5.0), (1_060_000.0, 7.0), (1_120_000.0, 9.0), (1_125_000.0, 10.0), (1_130_000.0, 11.0)]));
        assert_eq!(merged(&oms, &page, 2), VecDeque::from([(1_125_000.0, 10.0), (1_130_000.0, 11.0)]), "the newest kept");
        assert_eq!(merged(&[], &page, 10), page, "without OMS's series: the page's own");
    }

    #[test]
    fn the_recent_rate_is_robust_to_a_dip() {
        let points: Vec<(f64, f64)> = (0..10).map(|i| (f64::from(i) * 60.0, if i == 7 { 500.0 } else { 10_000.0 + f64::from(i) })).collect();
        let rate = recent_rate(&points, 540.0, 600.0).unwrap();
        assert!((10_000.0..10_010.0).contains(&rate), "{rate}: the dip at 7 moves it little");
        assert_eq!(recent_rate(&points, 540.0, 100.0), None, "two points say too little");
        assert_eq!(recent_rate(&[(1.0, 0.0), (2.0, 0.0), (3.0, 0.0)], 3.0, 60.0), None, "not writing: no rate");
    }
}
