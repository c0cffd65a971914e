//! What the proxy tests share: the simulated OMS (sim/server.mjs) in fixture mode, which checks
//! the proxy's Basic credentials, plays scripted faults and counts the calls reaching it; a proxy
//! on loopback; a client.
#![allow(dead_code)] // each test file uses its own part

use axum::http::header;
use oms_progress_proxy::access::Access;
use oms_progress_proxy::upstream::{Credentials, Oms};
use oms_progress_proxy::{Settings, app, serve};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::AsyncBufReadExt;
use tokio::sync::oneshot;

pub const USER: &str = "oms_ops";
pub const PASSWORD: &str = "s3cr:et:pw";
/// base64("oms_ops:s3cr:et:pw")
pub const BASIC: &str = "Basic b21zX29wczpzM2NyOmV0OnB3";

/// The simulated OMS in fixture mode, requiring USER and PASSWORD; killed (by process id) when
/// dropped, and gone by itself if this test process dies (its stdin closes).
pub struct Sim {
    pub url: String,
    _child: tokio::process::Child,
}

impl Sim {
    pub async fn start() -> Sim {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../sim/server.mjs");
        let mut child = tokio::process::Command::new("node")
            .args([script, "--fixture", "--max-seconds=600"])
            .env("OMS_USERNAME", USER)
            .env("OMS_PASSWORD", PASSWORD)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs sim/server.mjs (make setup installs Node)");
        let mut line = String::new();
        tokio::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).await.unwrap();
        let port = serde_json::from_str::<Value>(&line).unwrap()["port"].as_u64().unwrap();
        Sim { url: format!("http://127.0.0.1:{port}"), _child: child }
    }

    /// Replaces the answers for `id` with `steps` (see sim/server.mjs).
    pub async fn script(&self, id: &str, steps: Value) {
        let response = client().post(format!("{}/__script/{id}", self.url)).body(steps.to_string()).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }

    /// Every API call that reached the simulated OMS, and those it refused for bad credentials.
    pub async fn calls(&self) -> (u64, u64) {
        let stats: Value = client().get(format!("{}/__stats", self.url)).send().await.unwrap().json().await.unwrap();
        (stats["calls"].as_u64().unwrap(), stats["unauthorized"].as_u64().unwrap())
    }

    /// The progress requests for `id` that reached it.
    pub async fn requests(&self, id: &str) -> u64 {
        self.requests_of("DescribeProjectProgress", id).await
    }

    /// The `action` requests for `id` that reached it.
    pub async fn requests_of(&self, action: &str, id: &str) -> u64 {
        let url = format!("{}/__count/{id}?action={action}", self.url);
        let seen: Value = client().get(url).send().await.unwrap().json().await.unwrap();
        seen["count"].as_u64().unwrap()
    }

    pub fn upstream(&self, timeout: Duration) -> Oms {
        oms(&self.url, PASSWORD, timeout)
    }
}

pub fn oms(url: &str, password: &str, timeout: Duration) -> Oms {
    Oms::new(url, Credentials { username: USER.into(), password: password.into() }, timeout).unwrap()
}

pub fn ok_answer(data: Value) -> Value {
    json!({"json": {"success": true, "requestId": "oms-1", "cost": "5 ms", "data": data}})
}

pub struct Proxy {
    pub url: String,
    pub _stop: oneshot::Sender<()>,
}

pub fn settings(upstream: Oms) -> Settings {
    Settings {
        upstream,
        cache_ttl: Duration::from_secs(2),
        rate_limit: None,
        max_body: 16 * 1024,
        body_timeout: Duration::from_secs(2),
        allow_origins: Vec::new(),
        static_dir: None,
        trusted_hops: 0,
        access: Access::default(),
    }
}

pub async fn start_proxy(settings: Settings) -> Proxy {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let router = app(settings);
    tokio::spawn(async move {
        serve(listener, router, async move {
            let _ = stopped.await;
        })
        .await
        .unwrap()
    });
    Proxy { url, _stop: stop }
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

pub async fn describe(proxy: &Proxy, id: &str) -> reqwest::Response {
    call(proxy, "DescribeProjectProgress", id).await
}

pub async fn call(proxy: &Proxy, action: &str, id: &str) -> reqwest::Response {
    client()
        .post(format!("{}/api/v2?Action={action}", proxy.url))
        .header("Content-Type", "application/json")
        .body(json!({ "id": id }).to_string())
        .send()
        .await
        .unwrap()
}

pub async fn envelope(response: reqwest::Response) -> Value {
    assert_eq!(response.headers()[header::CONTENT_TYPE.as_str()], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["success"], false, "{body}");
    assert!(body["code"].is_string() && body["message"].is_string(), "{body}");
    body
}

