//! What OMS knows beyond one poll, through the proxy: DescribeProject projected to the fields the
//! card shows (never connection info, mappings, configuration), and ListProjectFullVerifyResult
//! completed with the task's schema lists, which the viewer may not write.

mod common;
use common::*;

use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn describe_project_passes_on_not_one_byte_of_connection_info_mapping_or_configuration() {
    let sim = Sim::start().await;
    let answer: Value = serde_json::from_str(include_str!("fixtures/describe-project.json")).unwrap();
    sim.script_action("DescribeProject", "np_odc_shaped", json!([{ "json": answer }])).await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let response = call(&proxy, "DescribeProject", "np_odc_shaped").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();

    // What the card shows comes through.
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["data"]["name"], "orders to OceanBase");
    assert_eq!(body["data"]["enableFullVerify"], true);
    assert_eq!(body["data"]["type"], "MIGRATION", "a data sync (SYNC) has no switch-over: the card reads the type");
    assert_eq!(body["data"]["alarmStats"], json!({"alarming": true, "recentlyTriggerCount": 4, "alarmContent": "Incremental sync delay exceeds 300 s."}));

    // Not a key nor a value of what it must never see.
    let data = &answer["data"];
    let mut secret = secrets_of(data, &["sourceConnectInfo", "sinkConnectInfo", "transferMapping", "steps", "extraInfo", "workerGradeId", "owner", "destConnId"]);
    leaves(&json!({"target": data["alarmStats"]["target"], "rule": data["alarmStats"]["ruleToRecentlyTriggerCount"]}), &mut secret);
    secret.retain(|s| !["target", "rule"].contains(&s.as_str()));
    assert_none_leaks(&secret, 60, &text);
    assert!(!text.contains("LEAK"), "{text}");
}

#[tokio::test]
async fn a_verification_request_is_completed_with_the_tasks_schemas() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    // A simulated task with two schemas, one mapped to another name; its verification found
    // rows that differ in three of its four tables.
    let id = "np_8v2k5t_orders_verify";
    let response = post(&proxy, "ListProjectFullVerifyResult", json!({"projectId": id, "pageNumber": 1, "pageSize": 150})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["differentNumber"], 12045, "{body}");
    let tables = body["data"]["fullVerifyTableStatistics"].as_array().unwrap();
    assert_eq!(tables.len(), 4);
    assert!(tables.iter().all(|t| t.get("destSchemaName").is_none() && t.get("resultDesc").is_none()), "only what the card reads: {body}");
    let asked = sim.bodies_of("ListProjectFullVerifyResult", id).await;
    assert_eq!(asked, vec![json!({"projectId": id, "pageNumber": 1, "pageSize": 150, "sourceSchemas": ["orders", "billing"], "destSchemas": ["orders", "billing_ob"]})]);
    assert_eq!(sim.requests_of("DescribeProject", id).await, 1, "the mapping, asked by the proxy");
}

#[tokio::test]
async fn a_viewer_cannot_write_the_schema_lists_or_page_past_omss_limits() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let id = "np_8v2k5t_orders_verify";
    let bodies = [
        json!({"projectId": id, "pageNumber": 1, "pageSize": 150, "sourceSchemas": ["mysql"], "destSchemas": ["mysql"]}),
        json!({"projectId": id, "pageNumber": 1, "pageSize": 151}),
        json!({"projectId": id, "pageNumber": 0, "pageSize": 10}),
        json!({"projectId": id, "pageNumber": 1.5, "pageSize": 10}),
        json!({"projectId": id, "pageNumber": "1", "pageSize": 10}),
        json!({"projectId": "", "pageNumber": 1, "pageSize": 10}),
    ];
    for body in bodies {
        let response = post(&proxy, "ListProjectFullVerifyResult", body.clone()).await;
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(envelope(response).await["code"], "PARAM_ERROR", "{body}");
    }
    assert_eq!(sim.calls().await, (0, 0), "none reached OMS");
}
