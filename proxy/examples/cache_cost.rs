//! What an insert into the proxy's answer cache costs when it already holds 100 ids, and when it
//! holds 100 000: the real `Coalescer`, in front of an OMS that answers at once, so only the
//! cache is measured. Prints JSON (`make bench` reads it through bench/proxy.sh).
//!
//!     cargo run --release -p oms-progress-proxy --example cache_cost

use axum::http::StatusCode;
use futures_util::future::BoxFuture;
use oms_progress_api::Action;
use oms_progress_proxy::client::Budget;
use oms_progress_proxy::coalesce::Coalescer;
use oms_progress_proxy::upstream::{Answer, Upstream};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

/// An OMS that answers every id at once with a progress-sized body.
struct Instant200;

impl Upstream for Instant200 {
    fn call(&self, _: Action, body: String) -> BoxFuture<'static, Answer> {
        let body = format!(r#"{{"success":true,"data":{{"body":{body},"status":"RUNNING","pad":"{}"}}}}"#, "x".repeat(600));
        Box::pin(async move { Answer::json(StatusCode::OK, body.into()) })
    }
}

/// Nanoseconds per insert of `measured` new ids into a cache already holding `held`.
async fn insert_cost(held: usize, measured: usize) -> f64 {
    let coalescer = Coalescer::new(Instant200, Duration::from_secs(3600));
    let budget = Budget::new(None, IpAddr::V4(Ipv4Addr::LOCALHOST));
    for i in 0..held {
        coalescer.get(Action::Progress, &format!(r#"{{"id":"np_held_{i}"}}"#), budget).await.unwrap();
    }
    let started = Instant::now();
    for i in 0..measured {
        coalescer.get(Action::Progress, &format!(r#"{{"id":"np_new_{i}"}}"#), budget).await.unwrap();
    }
    started.elapsed().as_nanos() as f64 / measured as f64
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    const MEASURED: usize = 20_000;
    // On a worker thread, as the proxy's requests run (from the main thread, each upstream
    // task's hand-over alone would cost ~30 µs).
    let (small, large) = tokio::spawn(async {
        // Best of three runs each, alternating, so a noisy neighbour hurts neither side alone.
        let (mut small, mut large) = (f64::MAX, f64::MAX);
        for _ in 0..3 {
            small = small.min(insert_cost(100, MEASURED).await);
            large = large.min(insert_cost(100_000, MEASURED).await);
        }
        (small, large)
    })
    .await
    .unwrap();
    println!(
        r#"{{"held_100_ns_per_insert": {small:.0}, "held_100000_ns_per_insert": {large:.0}, "ratio": {:.2}, "measured_inserts": {MEASURED}}}"#,
        large / small
    );
}
