//! What a page of a filtered list costs the proxy: a viewer the access rules apply to asks a
//! page of `ListProjects`; the proxy reads OMS's pages for the same filters (here ten cached
//! pages of 150 tasks, each task shaped as the proxy passes it on) and keeps the tasks the viewer
//! may open. The real `Coalescer` and `fleet::visible_page`, in front of an OMS that answers at
//! once, so only the proxy's own work is measured. Prints JSON (`make bench` reads it through
//! bench/proxy.sh).
//!
//!     cargo run --release -p oms-progress-proxy --example filtered_list

use axum::http::StatusCode;
use futures_util::future::BoxFuture;
use oms_progress_api::Action;
use oms_progress_proxy::access::{Access, Pattern, ViewerCredentials};
use oms_progress_proxy::client::Budget;
use oms_progress_proxy::coalesce::Coalescer;
use oms_progress_proxy::fleet::visible_page;
use oms_progress_proxy::upstream::{Answer, Upstream};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

/// OMS's fleet of 1 500 tasks, 150 a page, each with seven steps as ListProjects gives them.
struct Fleet;

impl Upstream for Fleet {
    fn call(&self, _: Action, body: String) -> BoxFuture<'static, Answer> {
        let page: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let number = page["pageNumber"].as_u64().unwrap_or(1);
        let step = |order: u32, name: &str| {
            format!(
                r#"{{"order":{order},"name":"{name}","status":"FINISHED","progress":100,"startTime":"2026-12-01T00:00:00","finishTime":"2026-12-01T01:00:00","stepInfo":{{"processedRecords":3000000,"capacity":3000000,"srcRps":21000,"dstRps":20000,"dstRpsRef":25000,"srcRt":9,"dstRt":2}},"extraInfo":{{}}}}"#
            )
        };
        let steps: Vec<String> = ["TRANSFER_PRECHECK", "STRUCT_TRANSFER", "FULL_TRANSFER", "FULL_VERIFIER", "INCR_LOG_PULL", "INCR_TRANSFER", "APP_SWITCH"]
            .iter()
            .enumerate()
            .map(|(i, name)| step(i as u32 + 1, name))
            .collect();
        let tasks: Vec<String> = (0..150)
            .map(|i| {
                // Two tasks in three may be opened by the viewer (np_all_…), the third not.
                let n = (number - 1) * 150 + i;
                let id = if n % 3 == 2 { format!("np_other_{n:04}") } else { format!("np_all_{n:04}") };
                format!(
                    r#"{{"id":"{id}","name":"orders {n}","type":"MIGRATION","status":"RUNNING","importance":"LOW","gmtStart":"2026-12-01T00:00:00","gmtFinish":null,"isMerging":false,"isModifying":false,"sourceEndpointType":"MYSQL","sinkEndpointType":"OB_MYSQL","enableStructTransfer":true,"enableFullTransfer":true,"enableFullVerify":true,"enableIncrTransfer":true,"enableReverseIncrTransfer":false,"steps":[{}],"alarmStats":{{"alarming":false,"alarmContent":null,"recentlyTriggerCount":0}}}}"#,
                    steps.join(",")
                )
            })
            .collect();
        let answer = format!(r#"{{"success":true,"data":[{}],"totalCount":1500,"pageNumber":{number},"pageSize":150}}"#, tasks.join(","));
        Box::pin(async move { Answer::json(StatusCode::OK, answer.into()) })
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    const MEASURED: u32 = 200;
    let seconds = tokio::spawn(async {
        let coalescer = Coalescer::new(Fleet, Duration::from_secs(3600));
        let access = Access { allow: vec![Pattern::new("np_all_*")], ..Access::default() };
        let viewer = ViewerCredentials::default();
        let budget = Budget::new(None, IpAddr::V4(Ipv4Addr::LOCALHOST));
        let page = |n: u32| format!(r#"{{"pageNumber":{n},"pageSize":150}}"#);
        // OMS's pages fetched once; then every viewer's page is the proxy's own work.
        visible_page(&coalescer, &access, &viewer, &page(1), budget).await.unwrap();
        let started = Instant::now();
        for i in 0..MEASURED {
            let (answer, _) = visible_page(&coalescer, &access, &viewer, &page(i % 7 + 1), budget).await.unwrap();
            assert!(answer.status.is_success());
        }
        started.elapsed().as_secs_f64()
    })
    .await
    .unwrap();
    println!(r#"{{"pages_per_second": {:.0}, "ms_per_page": {:.2}, "oms_pages_read_per_page": 10, "measured_pages": {MEASURED}}}"#, f64::from(MEASURED) / seconds, seconds * 1000.0 / f64::from(MEASURED));
}
