//! OMS's own series of a step's metric (`DescribeProjectStepMetric`) beside what this page saw:
//! what the page holds of OMS's series (bounded to the window asked), one series of the lag with
//! no duplicates (OMS's points win where both exist), and the write rate OMS measured lately,
//! robust to its dips. Pure, tested natively.

use crate::model::constants::HISTORY_SECONDS;
use crate::oms::MAX_METRIC_POINTS;
use std::collections::VecDeque;

/// What the page holds of OMS's series of one step's metric: the points of the answers so far
/// (each a window ending later), within the window before the newest answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OmsSeries {
    /// The step's raw name (a series of another step starts anew).
    pub step: String,
    /// (unix s, value), oldest first, one per time.
    pub points: Vec<(f64, f64)>,
}

impl OmsSeries {
    /// Takes an answer for `step`: its points replace those held from the time its first
    /// point covers (OMS's newer word wins), older ones stay while within [`HISTORY_SECONDS`]
    /// of `now_s`; at most [`MAX_METRIC_POINTS`].
    pub fn take(held: &mut Option<Self>, step: &str, points: &[(f64, f64)], now_s: f64) {
        let series = match held {
            Some(series) if series.step == step => series,
            _ => held.insert(OmsSeries { step: step.to_owned(), points: Vec::new() }),
        };
        let from = points.first().map_or(f64::INFINITY, |(at, _)| *at);
        series.points.retain(|(at, _)| *at < from && *at > now_s - HISTORY_SECONDS as f64);
        series.points.extend_from_slice(points);
        if series.points.len() > MAX_METRIC_POINTS {
            series.points.drain(..series.points.len() - MAX_METRIC_POINTS);
        }
    }
}

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

/// The write rate OMS measured over the last `window_s` seconds before `now_s` and how uncertain
/// it is (relative): the median of its points there (a dip or a spike of a few points moves it
/// little), uncertain by their median absolute deviation over √n. `None` without at least three
/// points in the window or when the median is not above 0.
pub fn recent_rate(points: &[(f64, f64)], now_s: f64, window_s: f64) -> Option<(f64, f64)> {
    let recent: Vec<f64> = points.iter().filter(|(at, _)| *at > now_s - window_s && *at <= now_s).map(|(_, value)| *value).collect();
    if recent.len() < 3 {
        return None;
    }
    let rate = median(recent.clone());
    let deviation = median(recent.iter().map(|v| (v - rate).abs()).collect());
    // 1.4826: the deviation's ratio to a standard deviation, for normal noise.
    (rate > 0.0).then(|| (rate, 1.4826 * deviation / rate / (recent.len() as f64).sqrt()))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 0 { (values[middle - 1] + values[middle]) / 2.0 } else { values[middle] }
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
        let (rate, noise) = recent_rate(&points, 540.0, 600.0).unwrap();
        assert!((10_000.0..10_010.0).contains(&rate), "{rate}: the dip at 7 moves it little");
        assert!(noise < 0.001, "{noise}: nine points agree");
        assert_eq!(recent_rate(&points, 540.0, 100.0), None, "two points say too little");
        assert_eq!(recent_rate(&[(1.0, 0.0), (2.0, 0.0), (3.0, 0.0)], 3.0, 60.0), None, "not writing: no rate");
        let uneven = recent_rate(&[(1.0, 50.0), (2.0, 100.0), (3.0, 150.0)], 3.0, 60.0).unwrap();
        assert!((uneven.1 - 1.4826 * 50.0 / 100.0 / 3f64.sqrt()).abs() < 1e-9, "{uneven:?}");
    }

    #[test]
    fn the_page_holds_omss_newer_word_within_the_window() {
        let mut held = None;
        OmsSeries::take(&mut held, "INCR_TRANSFER", &[(0.0, 1.0), (300.0, 2.0), (600.0, 3.0)], 600.0);
        // The next answer, a minute later, covers from 300 s: its points win there.
        OmsSeries::take(&mut held, "INCR_TRANSFER", &[(300.0, 20.0), (600.0, 30.0), (900.0, 4.0)], 900.0);
        assert_eq!(held.as_ref().unwrap().points, vec![(0.0, 1.0), (300.0, 20.0), (600.0, 30.0), (900.0, 4.0)]);
        // An hour on, what is older than the window goes.
        OmsSeries::take(&mut held, "INCR_TRANSFER", &[(3900.0, 5.0)], 3900.0);
        assert_eq!(held.as_ref().unwrap().points, vec![(600.0, 30.0), (900.0, 4.0), (3900.0, 5.0)]);
        // Another step: its own series.
        OmsSeries::take(&mut held, "REVERSE_INCR_TRANSFER", &[(4000.0, 1.0)], 4000.0);
        assert_eq!(held, Some(OmsSeries { step: "REVERSE_INCR_TRANSFER".into(), points: vec![(4000.0, 1.0)] }));
        // An answer without points keeps what is held.
        OmsSeries::take(&mut held, "REVERSE_INCR_TRANSFER", &[], 4060.0);
        assert_eq!(held.unwrap().points.len(), 1);
    }
}
