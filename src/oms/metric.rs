//! `data` of `DescribeProjectStepMetric`: a step's metric over a window, as OMS sampled it.
//! Timestamps are documented in seconds while the SDK's comment says milliseconds: both are
//! read, by size (no unix time in seconds reaches 10¹¹ before the year 5138).

use super::fields::{METRIC, METRIC_POINT, STEP_METRIC};
use super::loose::JsonValue;

/// The most points one series keeps (a day at one a minute): an answer cannot grow memory.
pub const MAX_METRIC_POINTS: usize = 1440;

/// A timestamp at or above this is in milliseconds.
const MILLISECONDS_FROM: f64 = 1e11;

/// A metric's points, oldest first, one per time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricSeries {
    /// `metricType`, as OMS named it.
    pub metric: Option<String>,
    /// (unix seconds, value), oldest first; no two at one time, no value below 0 or not finite.
    pub points: Vec<(f64, f64)>,
}

impl MetricSeries {
    /// Reads a `data` object: the first of its `metrics` (the card asks one at a time); `None`
    /// for anything else. Points without a time or a value are left out; the newest
    /// [`MAX_METRIC_POINTS`] are kept.
    pub fn from_json<V: JsonValue>(data: &V) -> Option<Self> {
        let [metrics] = <[V; 1]>::try_from(data.fields(STEP_METRIC)?).ok()?;
        let Some(first) = metrics.items().unwrap_or_default().into_iter().next() else {
            return Some(MetricSeries::default());
        };
        let [metric, _aggregator, points] = <[V; 3]>::try_from(first.fields(METRIC)?).ok()?;
        let mut read: Vec<(f64, f64)> = Vec::new();
        for point in points.items().unwrap_or_default() {
            let Some([at, value]) = point.fields(METRIC_POINT).and_then(|f| <[V; 2]>::try_from(f).ok()) else { continue };
            let (Some(at), Some(value)) = (at.loose().number(), value.loose().number()) else { continue };
            if !(at.is_finite() && at > 0.0 && value.is_finite() && value >= 0.0) {
                continue;
            }
            read.push((if at >= MILLISECONDS_FROM { at / 1000.0 } else { at }, value));
        }
        read.sort_by(|a, b| a.0.total_cmp(&b.0));
        // One point per time: the last given wins.
        let mut points: Vec<(f64, f64)> = Vec::with_capacity(read.len());
        for (at, value) in read {
            match points.last_mut() {
                Some(last) if last.0 == at => last.1 = value,
                _ => points.push((at, value)),
            }
        }
        if points.len() > MAX_METRIC_POINTS {
            points.drain(..points.len() - MAX_METRIC_POINTS);
        }
        Some(MetricSeries { metric: metric.loose().non_blank_text(), points })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn seconds_and_milliseconds_read_alike() {
        let in_seconds = json!({"metrics": [{"metricType": "DELAY", "aggregator": "AVG", "dataPoints": [
            {"timestamp": 1_796_590_323, "value": 7}, {"timestamp": 1_796_590_263, "value": 3}
        ]}]});
        let in_milliseconds = json!({"metrics": [{"metricType": "DELAY", "dataPoints": [
            {"timestamp": 1_796_590_263_000u64, "value": "3"}, {"timestamp": "1796590323000", "value": 7.0}
        ]}]});
        let expected = MetricSeries { metric: Some("DELAY".into()), points: vec![(1_796_590_263.0, 3.0), (1_796_590_323.0, 7.0)] };
        assert_eq!(MetricSeries::from_json(&in_seconds), Some(expected.clone()));
        assert_eq!(MetricSeries::from_json(&in_milliseconds), Some(expected));
    }

    #[test]
    fn hostile_points_are_left_out_and_the_series_is_bounded() {
        let data = json!({"metrics": [{"metricType": null, "dataPoints": [
            {"timestamp": 100, "value": -1}, {"timestamp": null, "value": 3}, {"timestamp": 200, "value": "NaN"},
            "not a point", {"timestamp": 300, "value": 1}, {"timestamp": 300, "value": 2}, {"value": 5}
        ]}]});
        assert_eq!(MetricSeries::from_json(&data).unwrap().points, vec![(300.0, 2.0)], "one point per time, the last given");
        let many: Vec<_> = (0..5000).map(|i| json!({"timestamp": 1_700_000_000 + i * 60, "value": i})).collect();
        let long = MetricSeries::from_json(&json!({"metrics": [{"dataPoints": many}]})).unwrap();
        assert_eq!(long.points.len(), MAX_METRIC_POINTS);
        assert_eq!(long.points.last().unwrap().1, 4999.0, "the newest kept");
        assert_eq!(MetricSeries::from_json(&json!({"metrics": []})), Some(MetricSeries::default()));
        assert_eq!(MetricSeries::from_json(&json!({"metrics": null})), Some(MetricSeries::default()));
        assert_eq!(MetricSeries::from_json(&json!("text")), None);
    }
}
