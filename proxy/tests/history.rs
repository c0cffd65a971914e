//! A step's metric through the proxy (DescribeProjectStepMetric): the body checked against OMS's
//! lists and limits (an invalid one never reaches OMS), the window written on the proxy's minute
//! so that viewers whose clocks differ share one call, and only the points leave.

mod common;
use common::*;

use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn metric(id: &str, step: &str, metric: &str, end: i64, window: i64, points: i64) -> Value {
    json!({"projectId": id, "stepName": step, "metricType": metric, "aggregator": "AVG", "beginTimestamp": end - window, "endTimestamp": end, "maxPointNum": points})
}

#[tokio::test]
async fn a_hundred_viewers_with_clocks_30_s_apart_cost_oms_one_call() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let id = "np_5k2m9q_oracle_billing";
    // Not across a minute's turn: the proxy's minute is the one all of them share.
    while now() % 60 > 50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let t = now();
    let answers = futures_util::future::join_all((0..100).map(|i| {
        let body = metric(id, "INCR_TRANSFER", "DELAY", t - 15 + (i % 31), 3600, 60);
        let proxy = &proxy;
        async move { post(proxy, "DescribeProjectStepMetric", body).await }
    }))
    .await;
    let mut points = None;
    for response in answers {
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        let got = body["data"]["metrics"][0]["dataPoints"].as_array().unwrap().len();
        assert_eq!(*points.get_or_insert(got), got);
    }
    assert_eq!(points, Some(60));
    assert_eq!(sim.requests_of("DescribeProjectStepMetric", id).await, 1, "one call for a hundred viewers");
    // A viewer a little later in the same minute: still that call.
    let again = post(&proxy, "DescribeProjectStepMetric", metric(id, "INCR_TRANSFER", "DELAY", now(), 3600, 60)).await;
    assert_eq!(again.status(), 200);
    assert_eq!(sim.requests_of("DescribeProjectStepMetric", id).await, 1);
    let asked = &sim.bodies_of("DescribeProjectStepMetric", id).await[0];
    let end = asked["endTimestamp"].as_i64().unwrap();
    assert_eq!((end % 60, end - asked["beginTimestamp"].as_i64().unwrap()), (0, 3600), "on the minute: {asked}");
}

#[tokio::test]
async fn an_invalid_metric_body_is_refused_and_never_reaches_oms() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let (id, t) = ("np_5k2m9q_oracle_billing", now());
    let mut bodies = vec![
        metric(id, "INCR_TRANSFER", "SOURCE_READ_TIME", t, 3600, 60),
        metric(id, "STRUCT_TRANSFER", "RPS", t, 3600, 60),
        metric(id, "INCR_TRANSFER", "DELAY", t, 1800, 60),
        metric(id, "INCR_TRANSFER", "DELAY", t, 90_000, 60),
        metric(id, "INCR_TRANSFER", "DELAY", t + 3600, 3600, 60),
        metric(id, "INCR_TRANSFER", "DELAY", t, 3600, 100_000),
        metric(id, "INCR_TRANSFER", "DELAY", t, 3600, 0),
        metric("np_1\r\nX: 1", "INCR_TRANSFER", "DELAY", t, 3600, 60),
    ];
    let mut sum = metric(id, "INCR_TRANSFER", "DELAY", t, 3600, 60);
    sum["aggregator"] = json!("SUM");
    let mut extra = metric(id, "INCR_TRANSFER", "DELAY", t, 3600, 60);
    extra["sourceSchemas"] = json!(["x"]);
    let mut text = metric(id, "INCR_TRANSFER", "DELAY", t, 3600, 60);
    text["endTimestamp"] = json!(t.to_string());
    bodies.extend([sum, extra, text]);
    for body in bodies {
        let response = post(&proxy, "DescribeProjectStepMetric", body.clone()).await;
        assert_eq!(response.status(), 400, "{body}");
        let code = envelope(response).await["code"].clone();
        assert_eq!(code, "PARAM_ERROR", "{body}");
    }
    assert_eq!(sim.calls().await, (0, 0), "none reached OMS");
}

#[tokio::test]
async fn only_the_points_leave_and_both_timestamp_units_come_through() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    for (id, step, name, unit) in [("np_6t3f7h_ledger_bulk", "FULL_TRANSFER", "RPS", 1), ("np_1r7d3w_lag_rising", "INCR_TRANSFER", "DELAY", 1000)] {
        let response = post(&proxy, "DescribeProjectStepMetric", metric(id, step, name, now(), 3600, 12)).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        let series = &body["data"]["metrics"][0];
        assert_eq!(series["metricType"], name);
        let points = series["dataPoints"].as_array().unwrap();
        // At most the points asked (none where the lag task was not syncing).
        assert!((3..=12).contains(&points.len()), "{id}: {}", points.len());
        let last = points[points.len() - 1]["timestamp"].as_i64().unwrap();
        assert!((last / unit - now()).abs() < 120, "{id}: {last} in {unit}");
        assert!(points.iter().all(|p| p.as_object().unwrap().keys().all(|k| k == "timestamp" || k == "value")), "{series}");
    }
}
