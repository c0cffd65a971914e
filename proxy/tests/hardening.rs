//! The proxy on an open network: each probe of the attack run that found a defect, on loopback.
//! Connection-level probes drive the real binary (under a descriptor limit where that matters);
//! the others drive the router as `start_proxy` serves it, in front of the simulated OMS.

mod common;
use common::*;

use jsonwebtoken::{EncodingKey, Header};
use oms_progress_proxy::access::{Access, ForwardAuth, JwtKeys, JwtRules};
use reqwest::header::HeaderValue;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// The head of a request that never ends.
const HALF_REQUEST: &[u8] = b"POST /api/v2?Action=DescribeProjectProgress HTTP/1.1\r\nHost: oms\r\nContent-Type: application/json\r\n";

async fn connect_from(local: &str, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{local}:0").parse().unwrap())?;
    socket.connect(to).await
}

/// How long until the server closed the connection read by `read`, if it did within `limit`.
async fn closed_within(mut read: impl AsyncReadExt + Unpin, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit.saturating_sub(started.elapsed()), read.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {} // an answer (408, say) before closing
        }
    }
}

/// Writes `bytes` one at a time, every `every`, until the connection breaks.
fn dribble(mut write: impl AsyncWriteExt + Unpin + Send + 'static, bytes: &'static [u8], every: Duration) {
    tokio::spawn(async move {
        for byte in bytes.iter().cycle() {
            if write.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// Sends a whole keep-alive request and reads its answer, leaving the connection open.
async fn one_keep_alive_request(stream: &mut TcpStream) {
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: oms\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    while !answer.ends_with(b"}") {
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(n > 0, "closed before answering");
        answer.extend_from_slice(&buffer[..n]);
    }
}

#[tokio::test]
async fn silent_dribbling_and_idle_connections_are_closed_within_seconds() {
    let sim = Sim::start().await;
    let proxy = Binary::start(&["--upstream", &sim.url], None).await;
    let silent = TcpStream::connect(proxy.addr).await.unwrap();
    let mut half = TcpStream::connect(proxy.addr).await.unwrap();
    half.write_all(HALF_REQUEST).await.unwrap();
    let (dribbling, writer) = TcpStream::connect(proxy.addr).await.unwrap().into_split();
    dribble(writer, b"GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Duration::from_secs(2));
    let mut idle = TcpStream::connect(proxy.addr).await.unwrap();
    one_keep_alive_request(&mut idle).await;

    // The defaults hold: nothing to configure for a proxy to close them.
    let limit = Duration::from_secs(20);
    let (silent, half, dribbling, idle) =
        tokio::join!(closed_within(silent, limit), closed_within(half, limit), closed_within(dribbling, limit), closed_within(idle, limit));
    eprintln!("closed after: silent {silent:?}, half a request {half:?}, dribbling {dribbling:?}, idle keep-alive {idle:?}");
    for (what, closed) in [("silent", silent), ("half a request", half), ("dribbling a byte every 2 s", dribbling), ("idle keep-alive", idle)] {
        assert!(closed.is_some(), "a {what} connection was still open after {limit:?}");
    }
}

/// 1 100 hostile connections from one address (half requests, dribbled headers, silence) against
/// a proxy holding 1 024 descriptors: another client is still answered.
#[tokio::test]
async fn one_client_cannot_lock_out_others() {
    let sim = Sim::start().await;
    let proxy = Binary::start(&["--upstream", &sim.url], Some(1024)).await;
    let (mut hostile, mut dribbling) = (Vec::new(), Vec::new());
    for i in 0..1100 {
        let Ok(mut stream) = connect_from("127.0.0.2", proxy.addr).await else { continue };
        match i % 3 {
            0 => hostile.push(stream),
            1 => {
                let _ = stream.write_all(HALF_REQUEST).await;
                hostile.push(stream);
            }
            _ => {
                let (read, write) = stream.into_split();
                dribble(write, b"GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Duration::from_secs(2));
                dribbling.push(read);
            }
        }
    }
    let started = Instant::now();
    let health = client().get(format!("{}/healthz", proxy.url)).send().await;
    let answered = started.elapsed();
    assert!(health.as_ref().is_ok_and(|r| r.status() == 200), "a fresh client was not answered: {health:?}\n{}", proxy.logs());
    let progress = describe(&proxy, "np_4w8s2k").await;
    assert_eq!(progress.status(), 200);
    eprintln!("with {} hostile connections open, a fresh client was answered in {answered:?}", hostile.len() + dribbling.len());
    drop((hostile, dribbling));
}

const SECRET: &[u8] = b"an HS256 secret of well over thirty-two bytes";

fn token(projects: &str) -> String {
    let exp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 300;
    jsonwebtoken::encode(&Header::default(), &json!({"sub": "ana", "exp": exp, "oms_projects": [projects]}), &EncodingKey::from_secret(SECRET)).unwrap()
}

#[tokio::test]
async fn another_cookie_with_non_ascii_bytes_does_not_hide_the_token() {
    let sim = Sim::start().await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    let rules = JwtRules::new(JwtKeys::Hs256Secret(SECRET.to_vec()), Some("portal_jwt".into()), None, None).unwrap();
    s.access = Access { jwt: Some(rules), ..Access::default() };
    let proxy = start_proxy(s).await;
    let ask = |cookie: Vec<u8>| {
        client()
            .post(format!("{}/api/v2?Action=DescribeProjectProgress", proxy.url))
            .header("Content-Type", "application/json")
            .header("Cookie", HeaderValue::from_bytes(&cookie).unwrap())
            .body(r#"{"id":"np_4w8s2k"}"#)
            .send()
    };
    let valid = token("np_*");
    for cookie in [format!("name=José; portal_jwt={valid}").into_bytes(), [b"lang=\xff\xfe; portal_jwt=".as_slice(), valid.as_bytes()].concat()] {
        let response = ask(cookie.clone()).await.unwrap();
        assert_eq!(response.status(), 200, "{}", String::from_utf8_lossy(&cookie));
    }
    // A token that is itself not ASCII is no token.
    let response = ask("portal_jwt=José".as_bytes().to_vec()).await.unwrap();
    assert_eq!(response.status(), 401);
}

/// A proxy serving `folder` at `/`.
async fn serving(folder: &Folder) -> (Sim, Proxy) {
    let sim = Sim::start().await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.static_dir = Some(folder.0.clone());
    let proxy = start_proxy(s).await;
    (sim, proxy)
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(10)).no_gzip().no_brotli().no_deflate().build().unwrap()
}

#[tokio::test]
async fn static_files_serve_no_dotfile_and_follow_no_link_out() {
    let site = Folder::new("dotfiles");
    site.write("index.html", "<title>demo</title>").write(".env", "OMS_PASSWORD=leaked").write(".git/config", "[remote] leaked");
    site.write("sub/.hidden", "leaked").write("sub/page.html", "<p>page</p>").write(".well-known/security.txt", "leaked");
    let outside = Folder::new("outside");
    outside.write("secret.txt", "leaked");
    std::os::unix::fs::symlink(outside.0.join("secret.txt"), site.0.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&outside.0, site.0.join("linked")).unwrap();
    std::os::unix::fs::symlink("index.html", site.0.join("home.html")).unwrap();
    let (_sim, proxy) = serving(&site).await;
    for path in [
        "/.env", "/.git/config", "/.git/", "/sub/.hidden", "/%2eenv", "/%2Eenv", "/.well-known/security.txt", "/sub/%2e%2e/.env",
        "/leak.txt", "/linked/secret.txt", "/linked/",
    ] {
        let response = no_redirects().get(format!("{}{path}", proxy.url)).send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert!(!body.contains("leaked"), "{path} served {body}");
        assert_eq!(status, 404, "{path}");
    }
    for (path, text) in [("/", "<title>demo</title>"), ("/sub/page.html", "page"), ("/home.html", "<title>demo</title>")] {
        let response = client().get(format!("{}{path}", proxy.url)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.text().await.unwrap().contains(text), "{path}");
    }
}

#[tokio::test]
async fn large_static_files_are_not_compressed_on_the_fly() {
    let site = Folder::new("large");
    let big = "compressible text ".repeat(500_000); // 9 MB
    site.write("big.txt", &big).write("small.js", "export const x = 1;\n".repeat(200));
    let (_sim, proxy) = serving(&site).await;
    for encoding in ["gzip", "br", "gzip, br"] {
        let response = client().get(format!("{}/big.txt", proxy.url)).header("Accept-Encoding", encoding).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers().get("content-encoding").is_none(), "{encoding}: {:?}", response.headers());
        assert_eq!(response.bytes().await.unwrap().len(), big.len());
    }
    let small = client().get(format!("{}/small.js", proxy.url)).header("Accept-Encoding", "gzip").send().await.unwrap();
    assert_eq!(small.headers()["content-encoding"], "gzip", "small files still are");
}

#[tokio::test]
async fn redirects_stay_on_this_origin() {
    let site = Folder::new("redirects");
    site.write("sub/index.html", "<p>sub</p>").write("evil.com/index.html", "<p>x</p>");
    let (_sim, proxy) = serving(&site).await;
    for path in ["//sub", "//evil.com", "/\\evil.com", "//evil.com/", "/%2F%2Fevil.com", "/sub//"] {
        let response = no_redirects().get(format!("{}{path}", proxy.url)).send().await.unwrap();
        let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
        assert!(
            location.as_deref().is_none_or(|l| l.starts_with('/') && !l.starts_with("//") && !l.starts_with("/\\")),
            "{path} redirects to {location:?}"
        );
    }
    let directory = no_redirects().get(format!("{}/sub", proxy.url)).send().await.unwrap();
    assert!(directory.status().is_redirection());
    assert_eq!(directory.headers()["location"], "/sub/");
}

#[tokio::test]
async fn forward_auth_is_asked_no_more_often_than_the_rate_limit_allows_oms_calls() {
    let sim = Sim::start().await;
    let (url, asked) = counting_portal().await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.rate_limit = NonZeroU32::new(5);
    s.access = Access { forward: Some(ForwardAuth::new(&url, Duration::from_secs(2), Duration::from_secs(5)).unwrap()), ..Access::default() };
    let proxy = start_proxy(s).await;
    let started = Instant::now();
    let mut limited = 0;
    for i in 0..300 {
        let response = client()
            .post(format!("{}/api/v2?Action=DescribeProjectProgress", proxy.url))
            .header("Content-Type", "application/json")
            .header("Cookie", format!("portal_session=random{i}"))
            .body(r#"{"id":"np_4w8s2k"}"#)
            .send()
            .await
            .unwrap();
        limited += u32::from(response.status() == 429);
    }
    // What the limit allows a client: a burst of 10 (twice the rate), plus 5 a second.
    let allowed = 10 + (5.0 * started.elapsed().as_secs_f64()).ceil() as u64 + 1;
    let asked = asked.load(Ordering::SeqCst);
    eprintln!("300 requests with 300 cookies: {asked} questions to the portal, {limited} limited, {allowed} allowed");
    assert!(asked <= allowed, "{asked} questions to the portal; the limit allows {allowed}");
}

/// Asks for `id` as the client `forwarded` (an `X-Forwarded-For` entry the trusted hop wrote).
async fn ask_as(proxy: &Proxy, forwarded: &str, id: &str) -> u16 {
    client()
        .post(format!("{}/api/v2?Action=DescribeProjectProgress", proxy.url))
        .header("Content-Type", "application/json")
        .header("X-Forwarded-For", format!("6.6.6.6, {forwarded}"))
        .body(json!({ "id": id }).to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_rate_limit_counts_each_client_once() {
    let sim = Sim::start().await;
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.rate_limit = NonZeroU32::new(5);
    s.trusted_hops = 1;
    let proxy = start_proxy(s).await;
    let allowed_since = |started: Instant| 10 + (5.0 * started.elapsed().as_secs_f64()).ceil() as usize + 1;

    // 40 addresses of one IPv6 /64 are one client.
    let started = Instant::now();
    let mut served = 0;
    for i in 0..40 {
        served += usize::from(ask_as(&proxy, &format!("2001:db8:1:2::{:x}", i + 1), &format!("np_v6_{i}")).await == 200);
    }
    assert!(served <= allowed_since(started), "{served} of 40 requests from one /64 served");

    // The same IPv4 address, plain and IPv4-mapped, is one client.
    let started = Instant::now();
    let mut served = 0;
    for i in 0..40 {
        let address = if i % 2 == 0 { "192.0.2.9" } else { "::ffff:192.0.2.9" };
        served += usize::from(ask_as(&proxy, address, &format!("np_mapped_{i}")).await == 200);
    }
    assert!(served <= allowed_since(started), "{served} of 40 requests from 192.0.2.9 served");

    // Entries with a port name their client: one flooding client does not starve another.
    let mut limited = 0;
    for i in 0..30 {
        limited += usize::from(ask_as(&proxy, "203.0.113.5:5678", &format!("np_port_{i}")).await == 429);
    }
    assert!(limited > 0, "the flooding client was limited");
    assert_eq!(ask_as(&proxy, "[2001:db8:9::1]:443", "np_port_other").await, 200, "another client with a port is its own");
    assert_eq!(ask_as(&proxy, "198.51.100.7:80", "np_port_third").await, 200);
}

#[tokio::test]
async fn oms_refusing_the_proxys_own_account_is_a_bad_gateway_not_a_sign_in() {
    let sim = Sim::start().await;
    let proxy = start_proxy(settings(oms(&sim.url, "not the password", Duration::from_secs(5)))).await;
    let response = describe(&proxy, "np_4w8s2k").await;
    assert_eq!(response.status(), 502);
    assert_eq!(envelope(response).await["code"], "PROXY_UPSTREAM_AUTH");
    sim.script("np_403", json!([{"status": 403, "json": {"success": false, "code": "FORBIDDEN", "message": "no"}}])).await;
    let proxy = start_proxy(settings(sim.upstream(Duration::from_secs(5)))).await;
    let response = describe(&proxy, "np_403").await;
    assert_eq!(response.status(), 502);
    assert_eq!(envelope(response).await["code"], "PROXY_UPSTREAM_AUTH");
}

#[tokio::test]
async fn every_api_answer_is_json_with_nosniff() {
    let sim = Sim::start().await;
    let ok = json!({"success": true, "data": {"projectId": "np_gzip", "status": "RUNNING"}});
    sim.script("np_html", json!([{"headers": {"Content-Type": "text/html"}, "body": "<html><script>alert(document.cookie)</script></html>"}])).await;
    sim.script("np_html500", json!([{"status": 500, "headers": {"Content-Type": "text/html"}, "body": "<html>Internal Server Error</html>"}])).await;
    sim.script("np_text", json!([{"headers": {"Content-Type": "application/json"}, "body": "<html>not json</html>"}])).await;
    sim.script("np_gzip", json!([{"json": ok, "gzip": true}])).await;
    sim.script("np_encoded", json!([{"headers": {"Content-Encoding": "x-unknown"}, "body": "{\"success\":true}"}])).await;
    let site = Folder::new("nosniff");
    site.write("index.html", "<title>demo</title>");
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.static_dir = Some(site.0.clone());
    let proxy = start_proxy(s).await;
    for id in ["np_html", "np_html500", "np_text", "np_encoded"] {
        let response = describe(&proxy, id).await;
        assert_eq!(response.status(), 502, "{id}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{id}");
        assert_eq!(envelope(response).await["code"], "PROXY_UPSTREAM_BROKEN", "{id}");
    }
    let gzip = describe(&proxy, "np_gzip").await;
    assert_eq!(gzip.status(), 200);
    assert!(gzip.headers().get("content-encoding").is_none());
    assert_eq!(gzip.json::<Value>().await.unwrap()["data"]["projectId"], "np_gzip", "decoded, not passed on mislabelled");
    for (method, path) in [("POST", "/api/v2?Action=DescribeProjectProgress"), ("GET", "/healthz"), ("GET", "/"), ("GET", "/nope"), ("PUT", "/api/v2")] {
        let request = client().request(method.parse().unwrap(), format!("{}{path}", proxy.url)).header("Content-Type", "application/json");
        let response = request.body(r#"{"id":"np_4w8s2k"}"#).send().await.unwrap();
        assert_eq!(response.headers().get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{method} {path}");
    }
}

#[tokio::test]
async fn bad_flag_values_stop_the_proxy_at_start_with_a_message() {
    let sim = Sim::start().await;
    let upstream = sim.url.as_str();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--upstream", upstream, "--cache-ttl", "1e20"], "--cache-ttl"),
        (vec!["--upstream", upstream, "--upstream-timeout", "1e300"], "--upstream-timeout"),
        (vec!["--upstream", upstream, "--auth-url", "http://127.0.0.1:9/auth", "--auth-timeout", "1e20"], "--auth-timeout"),
        (vec!["--upstream", upstream, "--auth-url", "http://127.0.0.1:9/auth", "--auth-cache-ttl", "1e20"], "--auth-cache-ttl"),
        (vec!["--upstream", "http://127.0.0.1:9/oms/api"], "--upstream"),
        (vec!["--upstream", "http://127.0.0.1:9/?Action=DeleteProject"], "--upstream"),
        (vec!["--upstream", "http://127.0.0.1:9/#fragment"], "--upstream"),
        (vec!["--upstream", "http://ops:hunter2@127.0.0.1:9"], "--upstream"),
    ];
    for (args, flag) in cases {
        let (status, output) = run_to_exit(&args).await;
        let what = args.join(" ");
        assert!(status.is_some_and(|s| !s.success()), "{what}: still running or succeeded:\n{output}");
        assert!(output.contains(flag), "{what}: the message names {flag}:\n{output}");
        assert!(!output.contains("panicked") && !output.contains("hunter2"), "{what}:\n{output}");
    }
}

#[tokio::test]
async fn conditional_ranges_encodings_and_methods_answer_as_http_says() {
    let site = Folder::new("protocol");
    let text = "0123456789".repeat(1000);
    site.write("file.txt", &text);
    let (_sim, proxy) = serving(&site).await;
    let url = format!("{}/file.txt", proxy.url);
    // A range whose validator does not match is ignored: the whole file.
    for validator in ["\"not-the-etag\"", "Wed, 21 Oct 2015 07:28:00 GMT"] {
        let response = client().get(&url).header("Range", "bytes=0-9").header("If-Range", validator).header("Accept-Encoding", "identity").send().await.unwrap();
        assert_eq!(response.status(), 200, "If-Range {validator}");
        assert_eq!(response.bytes().await.unwrap().len(), text.len());
    }
    let plain_range = client().get(&url).header("Range", "bytes=0-9").header("Accept-Encoding", "identity").send().await.unwrap();
    assert_eq!(plain_range.status(), 206, "a plain range is still served");
    // Identity refused with nothing else offered: served as is rather than a 406.
    let response = client().get(&url).header("Accept-Encoding", "identity;q=0").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().len(), text.len());
    // Methods and paths the proxy does not serve get envelopes.
    let health = client().post(format!("{}/healthz", proxy.url)).send().await.unwrap();
    assert_eq!(health.status(), 405);
    assert!(health.headers()["allow"].to_str().unwrap().contains("GET"));
    envelope(health).await;
    for path in ["/api/v2/", "/api/v1?Action=DescribeProjectProgress", "/nope"] {
        let response = client().post(format!("{}{path}", proxy.url)).header("Content-Type", "application/json").body("{}").send().await.unwrap();
        assert_eq!(response.status(), 404, "POST {path}");
        envelope(response).await;
    }
}
