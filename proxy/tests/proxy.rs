//! The proxy over real loopback HTTP, in front of the simulated OMS (sim/server.mjs), which
//! checks the proxy's Basic credentials, plays scripted faults and counts the calls reaching it.

mod common;
use common::*;

use serde_json::{Value, json};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn forwards_with_basic_auth_and_passes_the_answer_unchanged() {
    let sim = Sim::start().await;
    let mut answer = ok_answer(json!({"projectId": "np_4w8s2k", "status": "RUNNING", "fullTransferProgress": 42}));
    answer["headers"] = json!({"Set-Cookie": "JSESSIONID=abc; Path=/"});
    sim.script("np_4w8s2k", json!([answer])).await;
    sim.script("np_missing", json!([{"json": {"success": false, "code": "GHANA-PROJECT000001", "message": "The project does not exist."}}])).await;
    sim.script("np_500", json!([{"status": 500, "headers": {"Content-Type": "text/html"}, "body": "<html>Internal Server Error</html>"}])).await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let response = describe(&proxy, "np_4w8s2k").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers().get("set-cookie").is_none(), "upstream cookies never reach the browser");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["projectId"], "np_4w8s2k");
    assert_eq!(body["data"]["fullTransferProgress"], 42);
    assert_eq!(sim.calls().await, (1, 0), "one call, with the right credentials");
    assert_eq!(sim.requests("np_4w8s2k").await, 1, "as DescribeProjectProgress");

    // OMS's own errors come back as they are; an error page that is not JSON does not
    // (tests/hardening.rs has the rest).
    let missing = describe(&proxy, "np_missing").await;
    assert_eq!(missing.status(), 200);
    assert_eq!(missing.json::<Value>().await.unwrap()["code"], "GHANA-PROJECT000001");
    let failed = describe(&proxy, "np_500").await;
    assert_eq!(failed.status(), 502);
    assert_eq!(envelope(failed).await["code"], "PROXY_UPSTREAM_BROKEN");
}

#[tokio::test]
async fn refusals_never_reach_oms() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let c = client();
    let url = |path: &str| format!("{}{path}", proxy.url);
    let json_post = |path: &str, body: &str| {
        c.post(url(path)).header("Content-Type", "application/json").body(body.to_owned()).send()
    };
    let cases: Vec<(&str, reqwest::Response, u16)> = vec![
        ("GET", c.get(url("/api/v2?Action=DescribeProjectProgress")).send().await.unwrap(), 405),
        ("other action", json_post("/api/v2?Action=StopProject", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("delete", json_post("/api/v2?Action=DeleteProject", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("second Action", json_post("/api/v2?Action=DescribeProjectProgress&Action=ReleaseProject", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("extra parameter", json_post("/api/v2?Action=DescribeProjectProgress&x=1", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("no action", json_post("/api/v2", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("other path", json_post("/api/v1?Action=DescribeProjectProgress", r#"{"id":"np_1"}"#).await.unwrap(), 404),
        ("get elsewhere", c.get(url("/etc/passwd")).send().await.unwrap(), 404),
        ("form body", c.post(url("/api/v2?Action=DescribeProjectProgress")).header("Content-Type", "application/x-www-form-urlencoded").body("id=np_1").send().await.unwrap(), 415),
        ("not json", json_post("/api/v2?Action=DescribeProjectProgress", "{id: np_1").await.unwrap(), 400),
        ("array", json_post("/api/v2?Action=DescribeProjectProgress", r#"["np_1"]"#).await.unwrap(), 400),
        ("numeric id", json_post("/api/v2?Action=DescribeProjectProgress", r#"{"id":42}"#).await.unwrap(), 400),
        ("empty id", json_post("/api/v2?Action=DescribeProjectProgress", r#"{"id":""}"#).await.unwrap(), 400),
        ("traversal id", json_post("/api/v2?Action=DescribeProjectProgress", r#"{"id":"../np_1"}"#).await.unwrap(), 400),
        ("header injection id", json_post("/api/v2?Action=DescribeProjectProgress", r#"{"id":"np_1\r\nX-Evil: 1"}"#).await.unwrap(), 400),
        ("encoded second action", json_post("/api/v2?Action=DescribeProjectProgress%26Action%3DDeleteProject", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("lower-case action", json_post("/api/v2?action=DescribeProjectProgress", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("encoded path", json_post("/api%2Fv2?Action=DescribeProjectProgress", r#"{"id":"np_1"}"#).await.unwrap(), 404),
        ("id in the query", json_post("/api/v2?Action=DescribeProjectProgress&id=np_2", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("long id", json_post("/api/v2?Action=DescribeProjectProgress", &json!({"id": "n".repeat(65)}).to_string()).await.unwrap(), 400),
        ("big body", json_post("/api/v2?Action=DescribeProjectProgress", &json!({"id": "np_1", "pad": "x".repeat(20_000)}).to_string()).await.unwrap(), 413),
        ("GET steps", c.get(url("/api/v2?Action=DescribeProjectSteps")).send().await.unwrap(), 405),
        ("steps and another action", json_post("/api/v2?Action=DescribeProjectSteps&Action=StopProject", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("lower-case steps", json_post("/api/v2?Action=describeprojectsteps", r#"{"id":"np_1"}"#).await.unwrap(), 400),
        ("steps, bad id", json_post("/api/v2?Action=DescribeProjectSteps", r#"{"id":"np_1\r\nX-Evil: 1"}"#).await.unwrap(), 400),
        ("steps, form body", c.post(url("/api/v2?Action=DescribeProjectSteps")).header("Content-Type", "text/plain").body("id=np_1").send().await.unwrap(), 415),
        ("a read action the card does not ask", json_post("/api/v2?Action=ListDataSource", r#"{"pageNumber":1,"pageSize":10}"#).await.unwrap(), 400),
        ("a verification body with the schema lists", json_post("/api/v2?Action=ListProjectFullVerifyResult", r#"{"projectId":"np_1","pageNumber":1,"pageSize":10,"sourceSchemas":["x"],"destSchemas":["y"]}"#).await.unwrap(), 400),
        ("a verification page too large", json_post("/api/v2?Action=ListProjectFullVerifyResult", r#"{"projectId":"np_1","pageNumber":1,"pageSize":1000}"#).await.unwrap(), 400),
        ("a project body with the verification's fields", json_post("/api/v2?Action=DescribeProject", r#"{"id":"np_1","pageSize":10}"#).await.unwrap(), 400),
    ];
    for (what, response, status) in cases {
        assert_eq!(response.status().as_u16(), status, "{what}");
        envelope(response).await;
    }
    assert_eq!(sim.calls().await, (0, 0), "nothing reached OMS");
}

#[tokio::test]
async fn two_hundred_concurrent_viewers_make_one_upstream_call() {
    let sim = Sim::start().await;
    sim.script("np_slow", json!([{"delayMs": 300, "json": {"success": true, "data": {"projectId": "np_slow", "status": "RUNNING"}}}])).await;
    let proxy = Arc::new(start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await);
    let viewers: Vec<_> = (0..200)
        .map(|_| {
            let proxy = proxy.clone();
            tokio::spawn(async move { describe(&proxy, "np_slow").await.json::<Value>().await.unwrap() })
        })
        .collect();
    for viewer in viewers {
        assert_eq!(viewer.await.unwrap()["data"]["status"], "RUNNING");
    }
    assert_eq!(sim.calls().await, (1, 0));
}

#[tokio::test]
async fn steps_are_forwarded_and_shared_per_action_and_task() {
    let sim = Sim::start().await;
    let proxy = Arc::new(start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await);
    // 50 viewers of one task, each asking for progress and steps at once.
    let viewers: Vec<_> = (0..50)
        .flat_map(|_| ["DescribeProjectProgress", "DescribeProjectSteps"])
        .map(|action| {
            let proxy = proxy.clone();
            tokio::spawn(async move { (action, call(&proxy, action, "np_4w8s2k").await.json::<Value>().await.unwrap()) })
        })
        .collect();
    for viewer in viewers {
        let (action, body) = viewer.await.unwrap();
        assert_eq!(body["success"], true, "{action}: {body}");
        match action {
            "DescribeProjectSteps" => assert!(body["data"].as_array().is_some_and(|steps| !steps.is_empty()), "{body}"),
            _ => assert_eq!(body["data"]["projectId"], "np_4w8s2k"),
        }
    }
    assert_eq!(sim.requests_of("DescribeProjectProgress", "np_4w8s2k").await, 1);
    assert_eq!(sim.requests_of("DescribeProjectSteps", "np_4w8s2k").await, 1);
    assert_eq!(sim.calls().await, (2, 0), "one call per action, with the right credentials");
}

#[tokio::test]
async fn answers_are_reused_for_the_ttl_then_refetched() {
    let sim = Sim::start().await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.cache_ttl = Duration::from_millis(400);
    let proxy = start_proxy(s).await;
    describe(&proxy, "np_ttl").await;
    describe(&proxy, "np_ttl").await;
    describe(&proxy, "np_other").await;
    assert_eq!(sim.calls().await.0, 2, "one call per id within the TTL");
    tokio::time::sleep(Duration::from_millis(500)).await;
    describe(&proxy, "np_ttl").await;
    assert_eq!(sim.calls().await.0, 3, "refetched after the TTL");
}

#[tokio::test]
async fn upstream_down_is_502() {
    // A port that was just free: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let proxy = start_proxy(settings(oms(&format!("http://{closed}"), PASSWORD, Duration::from_secs(5)))).await;
    let response = describe(&proxy, "np_1").await;
    assert_eq!(response.status(), 502);
    assert_eq!(envelope(response).await["code"], "PROXY_UPSTREAM_UNREACHABLE");
}

/// What the browser gets when OMS misbehaves as `fault` (a step of sim/server.mjs) says, with
/// this upstream timeout.
async fn answer_to_fault(fault: Value, timeout: Duration) -> (u16, Value) {
    let sim = Sim::start().await;
    sim.script("np_fault", json!([fault])).await;
    let proxy = start_proxy(settings(sim.upstream(timeout))).await;
    let response = describe(&proxy, "np_fault").await;
    (response.status().as_u16(), envelope(response).await)
}

#[tokio::test]
async fn upstream_hanging_is_504_within_the_timeout() {
    let started = std::time::Instant::now();
    let (status, body) = answer_to_fault(json!({"hang": true}), Duration::from_millis(500)).await;
    assert_eq!((status, body["code"].as_str()), (504, Some("PROXY_UPSTREAM_TIMEOUT")));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_oversized_upstream_answer_is_502() {
    let (status, body) = answer_to_fault(json!({"sizeBytes": 2 << 20}), Duration::from_secs(5)).await;
    assert_eq!((status, body["code"].as_str()), (502, Some("PROXY_UPSTREAM_BROKEN")));
}

#[tokio::test]
async fn an_endless_upstream_answer_is_504() {
    let (status, body) = answer_to_fault(json!({"endless": true}), Duration::from_millis(600)).await;
    assert_eq!((status, body["code"].as_str()), (504, Some("PROXY_UPSTREAM_TIMEOUT")));
}

#[tokio::test]
async fn a_body_sent_too_slowly_is_408_and_never_reaches_oms() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sim = Sim::start().await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.body_timeout = Duration::from_millis(500);
    let proxy = start_proxy(s).await;
    let mut socket = tokio::net::TcpStream::connect(proxy.url.trim_start_matches("http://")).await.unwrap();
    let head = "POST /api/v2?Action=DescribeProjectProgress HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"id\"";
    socket.write_all(head.as_bytes()).await.unwrap();
    // The rest of the body never comes.
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut answer)).await.expect("answered in time").unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("PROXY_BODY_TIMEOUT"), "{answer}");
    assert_eq!(sim.calls().await, (0, 0));
}

#[tokio::test]
async fn a_flooding_client_is_limited_and_oms_sees_no_more() {
    let sim = Sim::start().await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.rate_limit = NonZeroU32::new(5);
    s.cache_ttl = Duration::ZERO;
    let proxy = start_proxy(s).await;
    let started = std::time::Instant::now();
    let mut limited = 0;
    for i in 0..40 {
        let response = describe(&proxy, &format!("np_flood_{i}")).await;
        if response.status() == 429 {
            assert_eq!(response.headers()["retry-after"], "1");
            envelope(response).await;
            limited += 1;
        }
    }
    // What the limit allows: a burst of 10 (twice the rate), plus 5 a second while it ran.
    let allowed = 10 + (5.0 * started.elapsed().as_secs_f64()).ceil() as usize + 1;
    let calls = sim.calls().await.0 as usize;
    assert!(limited > 0, "nothing was limited");
    assert!(40 - limited <= allowed && calls <= allowed, "{calls} calls reached OMS, {limited} limited, {allowed} allowed");
}

/// 200 viewers of one task behind one address (a NAT, the portal's reverse proxy): the limit
/// counts what would reach OMS, so every viewer is served and OMS sees one call.
#[tokio::test]
async fn viewers_of_a_held_answer_are_never_rate_limited() {
    let sim = Sim::start().await;
    sim.script("np_shared", json!([{"delayMs": 200, "json": {"success": true, "data": {"projectId": "np_shared", "status": "RUNNING"}}}])).await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.rate_limit = NonZeroU32::new(5);
    let proxy = Arc::new(start_proxy(s).await);
    let viewers: Vec<_> = (0..200)
        .map(|_| {
            let proxy = proxy.clone();
            tokio::spawn(async move { describe(&proxy, "np_shared").await.status().as_u16() })
        })
        .collect();
    let mut served = 0;
    for viewer in viewers {
        served += u32::from(viewer.await.unwrap() == 200);
    }
    assert_eq!(served, 200, "every viewer served");
    assert_eq!(sim.calls().await, (1, 0));
}

#[tokio::test]
async fn health_cors_and_static_files() {
    let dir = std::env::temp_dir().join(format!("oms-proxy-static-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    let wasm: Vec<u8> = b"\0asm\x01\0\0\0".iter().copied().chain((0..4096u32).map(|i| (i % 7) as u8)).collect();
    std::fs::write(dir.join("pkg/card_bg.wasm"), &wasm).unwrap();
    std::fs::write(dir.join("pkg/index-IVLz2LXk.js"), "export const x = 1;\n".repeat(100)).unwrap();
    let sim = Sim::start().await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.static_dir = Some(dir.clone());
    s.allow_origins = vec!["https://admin.example.com".parse().unwrap()];
    let proxy = start_proxy(s).await;
    let c = client();

    let health: Value = c.get(format!("{}/healthz", proxy.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!((health["status"].as_str(), health["service"].as_str()), (Some("ok"), Some("oms-progress-proxy")));

    let index = c.get(format!("{}/", proxy.url)).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert!(index.text().await.unwrap().contains("<title>demo</title>"));
    let wasm = c.get(format!("{}/pkg/card_bg.wasm", proxy.url)).send().await.unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["cache-control"], "no-cache", "a file without a hash in its name is revalidated");
    // Compressed as the browser accepts; a content-hashed name is cached for good.
    let compressed = c.get(format!("{}/pkg/card_bg.wasm", proxy.url)).header("Accept-Encoding", "br, gzip").send().await.unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br");
    assert!(compressed.bytes().await.unwrap().len() < wasm.content_length().unwrap_or(4104) as usize / 4);
    let gzip = c.get(format!("{}/pkg/card_bg.wasm", proxy.url)).header("Accept-Encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let hashed = c.get(format!("{}/pkg/index-IVLz2LXk.js", proxy.url)).send().await.unwrap();
    assert_eq!(hashed.headers()["cache-control"], "public, max-age=31536000, immutable");
    let missing = c.get(format!("{}/nope.js", proxy.url)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    envelope(missing).await;

    let preflight = |origin: &'static str| {
        c.request(reqwest::Method::OPTIONS, format!("{}/api/v2?Action=DescribeProjectProgress", proxy.url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type")
            .send()
    };
    let allowed = preflight("https://admin.example.com").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://admin.example.com");
    // Exactly the listed origins may send cookies and an Authorization header.
    assert_eq!(allowed.headers()["access-control-allow-credentials"], "true");
    assert!(allowed.headers()["access-control-allow-headers"].to_str().unwrap().contains("authorization"));
    let other = preflight("https://evil.example.com").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());

    let simulated: Value = describe(&proxy, "np_9q4t6b_archive").await.json().await.unwrap();
    assert_eq!(simulated["data"]["status"], "FINISHED");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The real binary: credentials from a file never show up in answers or logs, and SIGTERM
/// drains and stops it.
#[tokio::test]
async fn the_binary_never_leaks_credentials_and_stops_on_sigterm() {
    let sim = Sim::start().await;
    let dir = std::env::temp_dir().join(format!("oms-proxy-creds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let credentials = dir.join("credentials");
    std::fs::write(&credentials, format!("{USER}:{PASSWORD}\n")).unwrap();
    let secret = dir.join("jwt-secret");
    std::fs::write(&secret, "a secret for the portal's tokens, 32 bytes or more\n").unwrap();
    let token = |exp_in: i64, projects: &str| {
        let exp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 + exp_in;
        let claims = json!({"sub": "ana", "exp": exp, "oms_projects": [projects]});
        let key = jsonwebtoken::EncodingKey::from_secret(b"a secret for the portal's tokens, 32 bytes or more");
        jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).unwrap()
    };
    let (valid, expired) = (token(300, "np_4w8s*"), token(-300, "*"));
    let credentials = credentials.to_str().unwrap();
    let secret = secret.to_str().unwrap();
    let args = ["--upstream", &sim.url, "--credentials-file", credentials, "--jwt-hs256-secret-file", secret, "--jwt-cookie", "portal_jwt", "--allow-project", "np_4w8s*,np_9q4t*"];
    // The OMS account comes from the file: the environment's is removed.
    let proxy = Binary::start_with(&args, None, &[("RUST_LOG", "trace"), ("OMS_USERNAME", ""), ("OMS_PASSWORD", "")]).await;
    let ask = |id: &'static str, name: &'static str, value: String| {
        client()
            .post(format!("{}/api/v2?Action=DescribeProjectProgress", proxy.url()))
            .header("Content-Type", "application/json")
            .header(name, value)
            .body(json!({ "id": id }).to_string())
            .send()
    };
    let response = ask("np_4w8s2k", "Authorization", format!("Bearer {valid}")).await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = format!("{:?}", response.headers());
    let body = response.text().await.unwrap();
    assert_eq!(sim.calls().await, (1, 0), "one call, with the credentials from the file");
    assert_eq!(ask("np_9q4t6b_archive", "Cookie", format!("portal_jwt={valid}")).await.unwrap().status(), 403);
    assert_eq!(ask("np_4w8s2k", "Authorization", format!("Bearer {expired}")).await.unwrap().status(), 401);
    assert_eq!(sim.calls().await, (1, 0), "refused viewers never reached OMS");

    // SIGTERM by process id: the proxy drains and exits cleanly.
    let (status, logs) = proxy.stop().await;
    assert!(status.success(), "exit {status:?}");
    assert!(logs.contains("path=/api/v2") && logs.contains("status=200"), "one line per request:\n{logs}");
    // A refusal says which rule refused which task.
    assert!(logs.contains("rule=\"jwt: oms_projects\"") && logs.contains("project=\"np_9q4t6b_archive\""), "{logs}");
    assert!(logs.contains("rule=\"jwt: expired\"") && logs.contains("PROXY_UNAUTHENTICATED"), "{logs}");
    let signature = |t: &str| t.rsplit('.').next().unwrap().to_owned();
    for secret in [PASSWORD, &BASIC[6..], "Authorization", "authorization", "portal_jwt", &valid, &signature(&valid), &signature(&expired), "32 bytes or more"] {
        for (what, text) in [("headers", &headers), ("body", &body), ("logs", &logs)] {
            assert!(!text.contains(secret), "{what} contain {secret:?}:\n{text}");
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}
