//! A list of tasks through the proxy (ListProjects): the body checked against OMS's filters (an
//! invalid one never reaches OMS), identical bodies sharing one call, per task only what the list
//! shows (not one byte of connection info), and with access rules only the tasks the viewer may
//! open, counted as if there were no others.

mod common;
use common::*;

use oms_progress_proxy::access::{Access, Pattern};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

const LIST: &str = "ListProjects";

#[tokio::test]
async fn an_invalid_list_body_is_refused_and_never_reaches_oms() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let page = |extra: Value| {
        let mut body = json!({"pageNumber": 1, "pageSize": 150});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    for bad in [
        json!({"pageNumber": 1}),
        json!({"pageNumber": 1, "pageSize": 151}),
        json!({"pageNumber": 0, "pageSize": 10}),
        page(json!({"ownerId": "admin"})),
        page(json!({"type": "PURGE"})),
        page(json!({"type": ["SYNC"]})),
        page(json!({"status": "RUNNING"})),
        page(json!({"status": ["RUNNING", "RUNNING"]})),
        page(json!({"status": ["RUNNING", "DROPPED"]})),
        page(json!({"status": []})),
        page(json!({"labelIds": ["l1", "l2", "l3", "l4", "l5", "l6"]})),
        page(json!({"labelIds": ["l1\r\nX: 1"]})),
        page(json!({"searchKey": "x".repeat(65)})),
        page(json!({"searchKey": "orders\u{0}"})),
        page(json!({"searchKey": ""})),
        page(json!({"sortField": "sinkConnectInfo"})),
        page(json!({"order": "random"})),
        page(json!({"id": "np_1"})),
    ] {
        let response = post(&proxy, LIST, bad.clone()).await;
        assert_eq!(response.status(), 400, "{bad}");
        assert_eq!(envelope(response).await["code"], "PARAM_ERROR", "{bad}");
    }
    assert_eq!(sim.calls().await, (0, 0), "none reached OMS");
    // Filters left out or null filter nothing; those given reach OMS as they were.
    let response = post(&proxy, LIST, json!({"pageNumber": 1, "pageSize": 20, "searchKey": "订单 orders", "type": "MIGRATION", "status": ["RUNNING", "FAILED"], "labelIds": null, "sortField": "name", "order": "desc"})).await;
    assert_eq!(response.status(), 200);
    let asked = sim.bodies_of(LIST, "").await;
    assert_eq!(asked, vec![json!({"pageNumber": 1, "pageSize": 20, "searchKey": "订单 orders", "type": "MIGRATION", "status": ["RUNNING", "FAILED"], "sortField": "name", "order": "desc"})]);
}

#[tokio::test]
async fn a_listed_task_passes_on_not_one_byte_of_connection_info_mapping_or_configuration() {
    let sim = Sim::start().await;
    // The task of ODC's on-prem ListProjects answer (as the DescribeProject fixture has it), its
    // steps as the list shows them.
    let described: Value = serde_json::from_str(include_str!("fixtures/describe-project.json")).unwrap();
    let mut task = described["data"].clone();
    task["steps"] = json!([
        {"order": 1, "name": "TRANSFER_PRECHECK", "description": "预检查", "status": "FINISHED", "extraInfo": {"errorDetails": null, "errorCode": null, "errorMsg": null, "errorParam": null, "failedTime": null},
         "startTime": "2024-09-13T09:08:38", "finishTime": "2024-09-13T09:08:38", "progress": 100, "stepInfo": null},
        {"order": 3, "name": "INCR_TRANSFER", "description": "增量同步", "status": "MONITORING", "extraInfo": {"errorDetails": null, "errorCode": null, "errorMsg": null, "errorParam": null, "failedTime": null},
         "startTime": "2024-09-13T09:09:17", "finishTime": null, "progress": 100, "stepInfo": {"incrTimestampCheckpoint": 1726642901, "checkpointSampleTimestamp": 1726642905, "enableIncrStatistics": null}},
    ]);
    let answer = json!({"success": true, "errorDetail": null, "code": null, "message": null, "advice": null, "requestId": "req-list", "pageNumber": 1, "pageSize": 10, "totalCount": 1, "cost": "13 ms", "data": [task]});
    sim.script_action(LIST, "", json!([{ "json": answer }])).await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let response = post(&proxy, LIST, json!({"pageNumber": 1, "pageSize": 10})).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();

    // What the list shows comes through.
    assert_eq!(body["totalCount"], 1);
    let listed = &body["data"][0];
    assert_eq!((&listed["id"], &listed["name"], &listed["status"]), (&task["id"], &task["name"], &task["status"]));
    assert_eq!(listed["steps"][1]["stepInfo"]["incrTimestampCheckpoint"], 1726642901);
    assert_eq!(listed["alarmStats"]["alarming"], task["alarmStats"]["alarming"]);

    // Not a key nor a value of what it must never see.
    let mut secret = secrets_of(&task, &["sourceConnectInfo", "sinkConnectInfo", "transferMapping", "extraInfo", "workerGradeId", "owner", "destConnId", "labels"]);
    // (A step has an `extraInfo` of its own, its error, which the list shows.)
    secret.retain(|s| s != "extraInfo");
    assert_none_leaks(&secret, 50, &text);
    assert!(!text.contains("description"), "a step's server-side words stay behind: {text}");
}

#[tokio::test]
async fn identical_list_bodies_share_one_call() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let body = json!({"pageNumber": 2, "pageSize": 150, "status": ["RUNNING"]});
    let answers = futures_util::future::join_all((0..40).map(|_| post(&proxy, LIST, body.clone()))).await;
    let mut seen = BTreeSet::new();
    for response in answers {
        assert_eq!(response.status(), 200);
        seen.insert(response.text().await.unwrap());
    }
    assert_eq!(seen.len(), 1, "one answer for all");
    assert_eq!(sim.requests_of(LIST, "").await, 1, "one call for forty viewers");
}

/// The ids and totals of every page a viewer of `proxy` gets, `size` at a time, for `filters`.
async fn every_page(proxy: &Proxy, size: u64, filters: Value) -> (Vec<String>, Vec<u64>) {
    let (mut ids, mut totals) = (Vec::new(), Vec::new());
    for number in 1.. {
        let mut body = json!({"pageNumber": number, "pageSize": size});
        body.as_object_mut().unwrap().extend(filters.as_object().unwrap().clone());
        let response = post(proxy, LIST, body).await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        assert_eq!((page["pageNumber"].as_u64(), page["pageSize"].as_u64()), (Some(number), Some(size)));
        totals.push(page["totalCount"].as_u64().unwrap());
        let tasks = page["data"].as_array().unwrap();
        ids.extend(tasks.iter().map(|t| t["id"].as_str().unwrap().to_owned()));
        if tasks.len() < size as usize {
            break;
        }
    }
    (ids, totals)
}

#[tokio::test]
async fn with_access_rules_a_list_holds_only_what_the_viewer_may_open_and_counts_only_that() {
    let sim = Sim::start().await;
    let access = Access { allow: vec![Pattern::new("np_all_0*"), Pattern::new("np_5k2m9q_oracle_billing")], ..Access::default() };
    let mut with_rules = settings(sim.upstream(Duration::from_secs(10)));
    with_rules.access = access;
    let proxy = start_proxy(with_rules).await;
    // The simulated OMS holds 1 237 tasks: 100 of np_all_000 … np_all_099 and one more may be seen.
    let (ids, totals) = every_page(&proxy, 30, json!({})).await;
    assert_eq!(ids.len(), 101, "{ids:?}");
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 101, "no task twice");
    assert!(ids.iter().all(|id| id.starts_with("np_all_0") || id == "np_5k2m9q_oracle_billing"), "{ids:?}");
    assert_eq!(totals, vec![101; 4], "every page counts what the viewer may see, never what was left out");
    // OMS's filters apply first: a search within what may be seen.
    let (found, totals) = every_page(&proxy, 150, json!({"searchKey": "np_all_01"})).await;
    assert_eq!((found.len(), totals), (10, vec![10]));
    // A page past the end is empty, still counted.
    let response = post(&proxy, LIST, json!({"pageNumber": 9, "pageSize": 30})).await;
    let page: Value = response.json().await.unwrap();
    assert_eq!((page["data"].as_array().unwrap().len(), page["totalCount"].as_u64()), (0, Some(101)));
}

#[tokio::test]
async fn with_access_rules_an_oms_that_holds_a_page_to_fewer_is_read_past_its_first_page() {
    // An OMS that holds a page to 100 tasks, whatever was asked: the 100 tasks the viewer may see
    // (np_all_100 … np_all_199) stand past its first page.
    let sim = Sim::start_with(&["--page-size-cap=100"]).await;
    let mut with_rules = settings(sim.upstream(Duration::from_secs(10)));
    with_rules.access = Access { allow: vec![Pattern::new("np_all_1*")], ..Access::default() };
    let proxy = start_proxy(with_rules).await;
    let (ids, totals) = every_page(&proxy, 150, json!({})).await;
    assert_eq!((ids.len(), totals), (100, vec![100]), "{ids:?}");
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 100, "no task twice");
    assert!(ids.iter().all(|id| id.starts_with("np_all_1")), "{ids:?}");
}

#[tokio::test]
async fn without_access_rules_a_list_is_omss_own() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(10)))).await;
    let response = post(&proxy, LIST, json!({"pageNumber": 1, "pageSize": 150})).await;
    let page: Value = response.json().await.unwrap();
    assert_eq!((page["data"].as_array().unwrap().len(), page["totalCount"].as_u64()), (150, Some(1237)));
    assert!(page["data"].as_array().unwrap().iter().all(|t| t.get("sinkConnectInfo").is_none() && t["steps"].is_array()), "projected");
}
