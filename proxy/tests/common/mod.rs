//! What the proxy tests share: the simulated OMS (sim/server.mjs) in fixture mode, which checks
//! the proxy's Basic credentials, plays scripted faults and counts the calls reaching it; a proxy
//! on loopback; a client.
#![allow(dead_code)] // each test file uses its own part

use axum::http::header;
use oms_progress_proxy::access::Access;
use oms_progress_proxy::upstream::{Credentials, Oms};
use oms_progress_proxy::{Connections, Settings, app, serve};
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
        Self::start_with(&[]).await
    }

    /// [`Sim::start`] with more of sim/server.mjs's flags.
    pub async fn start_with(args: &[&str]) -> Sim {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../sim/server.mjs");
        let mut child = tokio::process::Command::new("node")
            .args([script, "--fixture", "--max-seconds=600"])
            .args(args)
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
        self.script_action("DescribeProjectProgress", id, steps).await;
    }

    /// Replaces the answers to `action` for `id` with `steps`.
    pub async fn script_action(&self, action: &str, id: &str, steps: Value) {
        let response = client().post(format!("{}/__script/{id}?action={action}", self.url)).body(steps.to_string()).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }

    /// The bodies of the `action` requests for `id` that reached it.
    pub async fn bodies_of(&self, action: &str, id: &str) -> Vec<Value> {
        let url = format!("{}/__count/{id}?action={action}", self.url);
        let seen: Value = client().get(url).send().await.unwrap().json().await.unwrap();
        seen["bodies"].as_array().unwrap().iter().map(|b| serde_json::from_str(b.as_str().unwrap()).unwrap()).collect()
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
    let router = app(settings).unwrap();
    tokio::spawn(async move {
        serve(listener, router, Connections::default(), async move {
            let _ = stopped.await;
        })
        .await
        .unwrap()
    });
    Proxy { url, _stop: stop }
}

/// A client that shows the wire: it decodes no compressed body (reqwest would, with the
/// features the proxy enables, and hide what the proxy sent).
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(10)).no_gzip().no_brotli().no_deflate().build().unwrap()
}

/// A running proxy: in this process (`Proxy`) or its binary (`Binary`).
pub trait Running {
    fn url(&self) -> &str;
}

impl Running for Proxy {
    fn url(&self) -> &str {
        &self.url
    }
}

impl Running for Binary {
    fn url(&self) -> &str {
        &self.url
    }
}

impl<T: Running> Running for std::sync::Arc<T> {
    fn url(&self) -> &str {
        T::url(self)
    }
}

pub async fn describe(proxy: &impl Running, id: &str) -> reqwest::Response {
    call(proxy, "DescribeProjectProgress", id).await
}

pub async fn call(proxy: &impl Running, action: &str, id: &str) -> reqwest::Response {
    post(proxy, action, json!({ "id": id })).await
}

/// Asks `action` with `body`.
pub async fn post(proxy: &impl Running, action: &str, body: Value) -> reqwest::Response {
    client()
        .post(format!("{}/api/v2?Action={action}", proxy.url()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
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


/// The proxy's own binary on 127.0.0.1 (a port it picks), with the test OMS account in its
/// environment and `args` after `--listen`; with `nofile`, under that many file descriptors.
/// Stopped by process id (SIGTERM in `stop`, else killed when dropped).
pub struct Binary {
    pub url: String,
    pub addr: std::net::SocketAddr,
    child: tokio::process::Child,
    output: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Binary {
    pub async fn start(args: &[&str], nofile: Option<u32>) -> Binary {
        Self::start_with(args, nofile, &[]).await
    }

    /// As `start`, with `env` added to (or, with an empty value, removed from) its environment.
    pub async fn start_with(args: &[&str], nofile: Option<u32>, env: &[(&str, &str)]) -> Binary {
        use tokio::io::AsyncReadExt;
        let mut command = binary_command(args, nofile);
        for (name, value) in env {
            if value.is_empty() {
                command.env_remove(name);
            } else {
                command.env(name, value);
            }
        }
        let mut child = command.spawn().unwrap();
        let output = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        for pipe in [Box::new(child.stdout.take().unwrap()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>, Box::new(child.stderr.take().unwrap())] {
            let output = output.clone();
            tokio::spawn(async move {
                let mut pipe = pipe;
                let mut chunk = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut chunk).await {
                    output.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
                }
            });
        }
        let started = std::time::Instant::now();
        let addr = loop {
            let text = output.lock().unwrap().clone();
            if let Some(rest) = text.split("listening address=").nth(1) {
                break rest.split_whitespace().next().unwrap().parse::<std::net::SocketAddr>().unwrap();
            }
            assert!(started.elapsed() < Duration::from_secs(10), "the proxy did not start:\n{text}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        Binary { url: format!("http://{addr}"), addr, child, output }
    }

    /// Everything it printed so far.
    pub fn logs(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// SIGTERM by process id; its exit status and everything it printed.
    pub async fn stop(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().unwrap().to_string();
        assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let status = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await.expect("stopped in time").unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await; // the last lines through the pipes
        (status, self.logs())
    }
}

fn binary_command(args: &[&str], nofile: Option<u32>) -> tokio::process::Command {
    let binary = env!("CARGO_BIN_EXE_oms-progress-proxy");
    let mut command = match nofile {
        // `exec` keeps the process id: the proxy itself is the child.
        Some(n) => {
            let mut c = tokio::process::Command::new("bash");
            c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\""), binary]);
            c
        }
        None => tokio::process::Command::new(binary),
    };
    command.args(["--listen", "127.0.0.1:0"]).args(args).env("OMS_USERNAME", USER).env("OMS_PASSWORD", PASSWORD).env("RUST_LOG", "info");
    command.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).kill_on_drop(true);
    command
}

/// Runs the binary with flags it should refuse at start: its exit status (`None` if it was still
/// running after five seconds) and everything it printed.
pub async fn run_to_exit(args: &[&str]) -> (Option<std::process::ExitStatus>, String) {
    let child = binary_command(args, None).spawn().unwrap();
    match tokio::time::timeout(Duration::from_secs(5), child.wait_with_output()).await {
        Ok(output) => {
            let output = output.unwrap();
            (Some(output.status), String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr))
        }
        Err(_) => (None, String::new()),
    }
}

/// A portal's forward-auth endpoint on loopback that allows everyone and counts the questions.
pub async fn counting_portal() -> (String, std::sync::Arc<std::sync::atomic::AtomicU64>) {
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = asked.clone();
    let app = axum::Router::new().route(
        "/allow",
        axum::routing::get(move || async move {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            axum::http::StatusCode::NO_CONTENT
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/allow", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, asked)
}

/// A folder of files for `--static`, removed when dropped.
pub struct Folder(pub std::path::PathBuf);

impl Folder {
    pub fn new(name: &str) -> Folder {
        let dir = std::env::temp_dir().join(format!("oms-proxy-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Folder(dir)
    }

    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Self {
        let file = self.0.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, contents).unwrap();
        self
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every value in `value` (strings, numbers from 100) and its keys but the short, generic ones
/// (`id`, `name`, `status`, which the card's own fields are called too).
pub fn leaves(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(s) if s.len() >= 3 => found.push(s.clone()),
        Value::Number(n) if n.as_f64().is_some_and(|n| n.abs() >= 100.0) => found.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| leaves(v, found)),
        Value::Object(members) => {
            for (key, member) in members {
                if key.len() > 6 {
                    found.push(key.clone());
                }
                leaves(member, found);
            }
        }
        _ => {}
    }
}

/// Of an OMS task object: the members named in `never` and those whose name ends in `Config`
/// (what a browser must never see), with every value and longer key under them.
pub fn secrets_of(task: &Value, never: &[&str]) -> Vec<String> {
    let mut secret = Vec::new();
    for (key, member) in task.as_object().unwrap() {
        if never.contains(&key.as_str()) || key.ends_with("Config") {
            secret.push(key.clone());
            leaves(member, &mut secret);
        }
    }
    secret
}

/// Asserts that `text` holds none of `secret`, and that there were at least `at_least` to find.
pub fn assert_none_leaks(secret: &[String], at_least: usize, text: &str) {
    assert!(secret.len() > at_least, "the fixture holds what must not leak: {}", secret.len());
    let leaked: Vec<&String> = secret.iter().filter(|s| text.contains(s.as_str())).collect();
    assert!(leaked.is_empty(), "leaked {leaked:?} in {text}");
}
