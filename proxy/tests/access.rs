//! Who may see which task, over real loopback HTTP in front of the simulated OMS: every abuse
//! case is refused with the right envelope and none reaches OMS; allowed viewers are served.

mod common;
use common::*;

use axum::http::HeaderMap;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oms_progress_proxy::access::{Access, ForwardAuth, JwtKeys, JwtRules, Pattern};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &[u8] = b"an HS256 secret of well over thirty-two bytes";
const ALLOWED: &str = "np_4g7h2k_orders";
const OTHER: &str = "np_7c1m5v_billing";

fn key(file: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/keys/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Claims valid for five minutes that allow `np_4g7h*`.
fn claims() -> Value {
    json!({ "sub": "ana", "exp": now() + 300, "oms_projects": ["np_4g7h*"] })
}

fn hs256(claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(SECRET)).unwrap()
}

fn rs256(kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_pem(&key("rsa-private.pem")).unwrap()).unwrap()
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

async fn ask(proxy: &Proxy, id: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client()
        .post(format!("{}/api/v2?Action=DescribeProjectProgress", proxy.url))
        .header("Content-Type", "application/json")
        .body(json!({ "id": id }).to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

async fn ask_with_token(proxy: &Proxy, id: &str, token: &str) -> reqwest::Response {
    ask(proxy, id, &[("Authorization", &format!("Bearer {token}"))]).await
}

/// Asserts a refusal: the status, the code, an OMS-style envelope.
async fn refused(response: reqwest::Response, status: u16, what: &str) {
    assert_eq!(response.status().as_u16(), status, "{what}");
    let code = envelope(response).await["code"].clone();
    let expected = match status {
        401 => "PROXY_UNAUTHENTICATED",
        403 => "PROXY_FORBIDDEN_PROJECT",
        _ => "PROXY_AUTH_UNAVAILABLE",
    };
    assert_eq!(code, expected, "{what}");
}

async fn proxy_with(sim: &Sim, access: Access) -> Proxy {
    let mut s = settings(sim.upstream(Duration::from_secs(5)));
    s.access = access;
    start_proxy(s).await
}

fn jwt(keys: JwtKeys, cookie: Option<&str>, issuer: Option<&str>, audience: Option<&str>) -> Access {
    Access { jwt: Some(JwtRules::new(keys, cookie.map(str::to_owned), issuer, audience).unwrap()), ..Access::default() }
}

#[tokio::test]
async fn every_forged_or_wrong_token_is_refused_and_never_reaches_oms() {
    let sim = Sim::start().await;
    let proxy = proxy_with(&sim, jwt(JwtKeys::PublicKeyPem(key("rsa-public.pem")), None, Some("https://idp.example"), Some("oms-cards"))).await;
    let good = || {
        let mut c = claims();
        c["iss"] = json!("https://idp.example");
        c["aud"] = json!("oms-cards");
        c
    };
    let with = |field: &str, value: Value| {
        let mut c = good();
        c[field] = value;
        c
    };
    let valid = rs256(None, &good());
    let (header, _, signature) = {
        let parts: Vec<&str> = valid.split('.').collect();
        (parts[0].to_owned(), parts[1].to_owned(), parts[2].to_owned())
    };
    let without_exp = {
        let mut c = good();
        c.as_object_mut().unwrap().remove("exp");
        c
    };
    let cases: Vec<(&str, Option<String>, u16)> = vec![
        ("no token", None, 401),
        ("not a JWT", Some("not-a-token".into()), 401),
        ("expired", Some(rs256(None, &with("exp", json!(now() - 120)))), 401),
        ("not yet valid", Some(rs256(None, &with("nbf", json!(now() + 120)))), 401),
        ("no exp", Some(rs256(None, &without_exp)), 401),
        ("wrong issuer", Some(rs256(None, &with("iss", json!("https://evil.example")))), 401),
        ("wrong audience", Some(rs256(None, &with("aud", json!("another-app")))), 401),
        ("alg none", Some(format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), b64(&good()))), 401),
        ("alg none, signature kept", Some(format!("{}.{}.{signature}", b64(&json!({"alg": "none"})), b64(&good()))), 401),
        (
            "HS256 signed with the RSA public key",
            Some(jsonwebtoken::encode(&Header::new(Algorithm::HS256), &good(), &EncodingKey::from_secret(&key("rsa-public.pem"))).unwrap()),
            401,
        ),
        ("tampered payload", Some(format!("{header}.{}.{signature}", b64(&with("oms_projects", json!(["*"]))))), 401),
        ("signed by another key", Some(jsonwebtoken::encode(&Header::new(Algorithm::ES256), &good(), &EncodingKey::from_ec_pem(&key("ec-private.pem")).unwrap()).unwrap()), 401),
        ("valid, but not this task", Some(rs256(None, &with("oms_projects", json!(["np_7x*"])))), 403),
        ("valid, claim missing", Some(rs256(None, &{
            let mut c = good();
            c.as_object_mut().unwrap().remove("oms_projects");
            c
        })), 403),
        ("valid, claim of the wrong type", Some(rs256(None, &with("oms_projects", json!({"np_4g7h2k_orders": true})))), 403),
    ];
    let abuse = cases.len();
    for (what, token, status) in cases {
        let response = match &token {
            Some(token) => ask_with_token(&proxy, ALLOWED, token).await,
            None => ask(&proxy, ALLOWED, &[]).await,
        };
        if status == 401 {
            assert!(response.headers().contains_key("www-authenticate"), "{what}");
        }
        refused(response, status, what).await;
    }
    assert_eq!(sim.calls().await, (0, 0), "none of the {abuse} abuse cases reached OMS");

    // The valid token reads the task it allows, and only that one; within the 30 s leeway an
    // expired token still passes.
    let ok = ask_with_token(&proxy, ALLOWED, &valid).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<Value>().await.unwrap()["success"], true);
    refused(ask_with_token(&proxy, OTHER, &valid).await, 403, "another task").await;
    let just_expired = rs256(None, &with("exp", json!(now() - 10)));
    assert_eq!(ask_with_token(&proxy, ALLOWED, &just_expired).await.status(), 200, "within the leeway");
    assert_eq!(sim.calls().await, (1, 0), "only the allowed viewer's request reached OMS");
}

#[tokio::test]
async fn jwks_keys_are_chosen_by_kid_and_unknown_kids_refused() {
    let sim = Sim::start().await;
    let proxy = proxy_with(&sim, jwt(JwtKeys::Jwks(key("jwks.json")), None, None, None)).await;
    assert_eq!(ask_with_token(&proxy, ALLOWED, &rs256(Some("portal-2026"), &claims())).await.status(), 200);
    refused(ask_with_token(&proxy, ALLOWED, &rs256(Some("portal-2019"), &claims())).await, 401, "unknown kid").await;
    refused(ask_with_token(&proxy, ALLOWED, &rs256(None, &claims())).await, 401, "no kid with a key set").await;
    refused(ask_with_token(&proxy, ALLOWED, &rs256(Some("enc-key"), &claims())).await, 401, "an encryption key").await;
    refused(ask_with_token(&proxy, ALLOWED, &rs256(Some("portal-ec"), &claims())).await, 401, "RS256 under the EC key's kid").await;
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("portal-ec".into());
    let es256 = jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_ec_pem(&key("ec-private.pem")).unwrap()).unwrap();
    assert_eq!(ask_with_token(&proxy, ALLOWED, &es256).await.status(), 200, "the EC key by its kid");
    assert_eq!(sim.calls().await, (1, 0), "two allowed requests within the cache TTL: one call");
}

#[tokio::test]
async fn ec_and_ed25519_public_keys_verify_their_own_algorithms() {
    let sim = Sim::start().await;
    for (public, private, alg) in [("ec-public.pem", "ec-private.pem", Algorithm::ES256), ("ed-public.pem", "ed-private.pem", Algorithm::EdDSA)] {
        let proxy = proxy_with(&sim, jwt(JwtKeys::PublicKeyPem(key(public)), None, None, None)).await;
        let signing = if alg == Algorithm::ES256 { EncodingKey::from_ec_pem(&key(private)) } else { EncodingKey::from_ed_pem(&key(private)) };
        let token = jsonwebtoken::encode(&Header::new(alg), &claims(), &signing.unwrap()).unwrap();
        assert_eq!(ask_with_token(&proxy, ALLOWED, &token).await.status(), 200, "{alg:?}");
        refused(ask_with_token(&proxy, ALLOWED, &rs256(None, &claims())).await, 401, "RS256 against an EC or Ed key").await;
    }
    assert_eq!(sim.calls().await, (2, 0), "one allowed call per proxy; the refused ones never reached OMS");
}

#[tokio::test]
async fn a_token_in_the_named_cookie_is_accepted() {
    let sim = Sim::start().await;
    let proxy = proxy_with(&sim, jwt(JwtKeys::Hs256Secret(SECRET.to_vec()), Some("portal_jwt"), None, None)).await;
    let token = hs256(&claims());
    let cookie = format!("theme=dark; portal_jwt={token}; other=1");
    assert_eq!(ask(&proxy, ALLOWED, &[("Cookie", &cookie)]).await.status(), 200);
    refused(ask(&proxy, ALLOWED, &[("Cookie", &format!("session={token}"))]).await, 401, "another cookie").await;
    refused(ask(&proxy, OTHER, &[("Cookie", &cookie)]).await, 403, "cookie, other task").await;
    assert_eq!(sim.calls().await, (1, 0), "only the allowed request reached OMS");
}

#[tokio::test]
async fn the_static_allow_list_refuses_other_ids_for_every_action() {
    let sim = Sim::start().await;
    let access = Access { allow: vec![Pattern::new("np_4g7h*"), Pattern::new("np_9q4t6b_archive")], ..Access::default() };
    let proxy = proxy_with(&sim, access).await;
    assert_eq!(ask(&proxy, ALLOWED, &[]).await.status(), 200);
    assert_eq!(call(&proxy, "DescribeProjectSteps", ALLOWED).await.status(), 200);
    refused(ask(&proxy, OTHER, &[]).await, 403, "progress of another id").await;
    refused(call(&proxy, "DescribeProjectSteps", OTHER).await, 403, "steps of another id").await;
    assert_eq!(sim.calls().await.0, 2);
}

/// A portal's forward-auth endpoint on loopback: its decision comes from the path it is given,
/// and it counts the questions and checks what it is asked.
struct Portal {
    url: String,
    asked: Arc<AtomicU64>,
}

async fn portal() -> Portal {
    let asked = Arc::new(AtomicU64::new(0));
    let counter = asked.clone();
    let app = axum::Router::new()
        .route(
            "/allow",
            get(move |headers: HeaderMap| async move {
                counter.fetch_add(1, Ordering::SeqCst);
                // Only the viewer with the portal's session may see only np_4g7h2k_orders.
                let session = headers.get("cookie").and_then(|c| c.to_str().ok()).is_some_and(|c| c.contains("portal_session=s1"));
                let id = headers.get("x-oms-project-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                match (session, id == ALLOWED) {
                    (false, _) => axum::http::StatusCode::UNAUTHORIZED,
                    (true, false) => axum::http::StatusCode::FORBIDDEN,
                    (true, true) => axum::http::StatusCode::NO_CONTENT,
                }
            }),
        )
        .route("/broken", get(|| async { axum::http::StatusCode::INTERNAL_SERVER_ERROR }))
        .route("/login", get(|| async { axum::response::Redirect::temporary("/sign-in") }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                axum::http::StatusCode::NO_CONTENT
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Portal { url, asked }
}

fn forward(url: String, ttl: Duration) -> Access {
    Access { forward: Some(ForwardAuth::new(&url, Duration::from_millis(300), ttl).unwrap()), ..Access::default() }
}

#[tokio::test]
async fn forward_auth_allows_refuses_and_fails_closed() {
    let sim = Sim::start().await;
    let portal = portal().await;
    let proxy = proxy_with(&sim, forward(format!("{}/allow", portal.url), Duration::from_secs(5))).await;
    let session = [("Cookie", "portal_session=s1")];
    assert_eq!(ask(&proxy, ALLOWED, &session).await.status(), 200);
    refused(ask(&proxy, OTHER, &session).await, 403, "the portal says 403").await;
    refused(ask(&proxy, ALLOWED, &[("Cookie", "portal_session=stolen")]).await, 401, "the portal says 401").await;
    refused(ask(&proxy, ALLOWED, &[]).await, 401, "no session").await;
    let asked = portal.asked.load(Ordering::SeqCst);
    // Decisions are reused for the same credentials and id: no new question.
    assert_eq!(ask(&proxy, ALLOWED, &session).await.status(), 200);
    refused(ask(&proxy, OTHER, &session).await, 403, "remembered 403").await;
    assert_eq!(portal.asked.load(Ordering::SeqCst), asked, "decisions were cached");
    assert_eq!(sim.calls().await.0, 1, "refused viewers never reached OMS");

    for (path, what) in [("/broken", "the portal answers 500"), ("/slow", "the portal does not answer in time"), ("/login", "the portal redirects")] {
        let proxy = proxy_with(&sim, forward(format!("{}{path}", portal.url), Duration::from_secs(5))).await;
        let started = std::time::Instant::now();
        refused(ask(&proxy, ALLOWED, &session).await, 503, what).await;
        assert!(started.elapsed() < Duration::from_secs(3), "{what}: refused within the auth timeout");
    }
    let proxy = proxy_with(&sim, forward("http://127.0.0.1:9/unreachable".into(), Duration::from_secs(5))).await;
    refused(ask(&proxy, ALLOWED, &session).await, 503, "the portal is down").await;
    assert_eq!(sim.calls().await.0, 1, "failing closed never reached OMS");
}

#[tokio::test]
async fn a_refused_viewer_never_gets_the_answer_of_an_allowed_one() {
    let sim = Sim::start().await;
    // A slow answer, so allowed and refused viewers are in flight together.
    sim.script(ALLOWED, json!([{"delayMs": 300, "json": {"success": true, "data": {"projectId": ALLOWED, "status": "RUNNING"}}}])).await;
    let proxy = Arc::new(proxy_with(&sim, jwt(JwtKeys::Hs256Secret(SECRET.to_vec()), None, None, None)).await);
    let allowed = hs256(&claims());
    let mut other = claims();
    other["oms_projects"] = json!(["np_7c1m*"]);
    let refused_token = hs256(&other);
    let viewers: Vec<_> = (0..100)
        .map(|i| {
            let proxy = proxy.clone();
            let token = if i % 2 == 0 { allowed.clone() } else { refused_token.clone() };
            tokio::spawn(async move {
                let response = ask_with_token(&proxy, ALLOWED, &token).await;
                (i % 2 == 0, response.status().as_u16(), response.text().await.unwrap())
            })
        })
        .collect();
    for viewer in viewers {
        let (may, status, body) = viewer.await.unwrap();
        if may {
            assert_eq!(status, 200);
            assert!(body.contains("RUNNING"));
        } else {
            assert_eq!(status, 403);
            assert!(!body.contains("RUNNING") && !body.contains("\"data\":{"), "the refused viewer saw: {body}");
        }
    }
    assert_eq!(sim.calls().await, (1, 0), "50 allowed viewers, one upstream call");
}

/// The ids of the first page (150) of the list a viewer presenting `headers` gets, and its
/// `totalCount`; or the refusal's status.
async fn listed(proxy: &Proxy, headers: &[(&str, &str)]) -> Result<(Vec<String>, u64), u16> {
    let mut request = client()
        .post(format!("{}/api/v2?Action=ListProjects", proxy.url))
        .header("Content-Type", "application/json")
        .body(json!({"pageNumber": 1, "pageSize": 150}).to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    if response.status() != 200 {
        return Err(response.status().as_u16());
    }
    let page: Value = response.json().await.unwrap();
    let ids = page["data"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    Ok((ids, page["totalCount"].as_u64().unwrap()))
}

#[tokio::test]
async fn a_list_holds_what_the_viewers_token_allows_and_oms_is_asked_once_for_both() {
    let sim = Sim::start().await;
    let proxy = proxy_with(&sim, jwt(JwtKeys::Hs256Secret(SECRET.to_vec()), None, None, None)).await;
    let token = |patterns: Value| hs256(&json!({ "sub": "ana", "exp": now() + 300, "oms_projects": patterns }));
    let (ten, ana) = (token(json!(["np_all_00*"])), token(json!(["np_5k2m9q_oracle_billing", "np_all_01*"])));
    let (ids, total) = listed(&proxy, &[("Authorization", &format!("Bearer {ten}"))]).await.unwrap();
    assert_eq!((ids.len(), total), (10, 10));
    assert!(ids.iter().all(|id| id.starts_with("np_all_00")), "{ids:?}");
    let (ids, total) = listed(&proxy, &[("Authorization", &format!("Bearer {ana}"))]).await.unwrap();
    assert_eq!((ids.len(), total), (11, 11));
    assert_eq!(listed(&proxy, &[]).await, Err(401), "no token: the whole list is refused");
    assert_eq!(listed(&proxy, &[("Authorization", "Bearer not.a.token")]).await, Err(401));
    // OMS's pages for the same filters served both viewers (1 237 tasks: nine pages of 150).
    assert_eq!(sim.requests_of("ListProjects", "").await, 9);
}

#[tokio::test]
async fn a_list_with_forward_auth_asks_the_portal_once_per_task_then_from_its_cache() {
    let sim = Sim::start().await;
    let asked = Arc::new(AtomicU64::new(0));
    let counter = asked.clone();
    let portal = axum::Router::new().route(
        "/allow",
        get(move |headers: HeaderMap| async move {
            counter.fetch_add(1, Ordering::SeqCst);
            let id = headers.get("x-oms-project-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
            if id.starts_with("np_all_00") { axum::http::StatusCode::NO_CONTENT } else { axum::http::StatusCode::FORBIDDEN }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/allow", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, portal).await.unwrap() });
    let access = Access { forward: Some(ForwardAuth::new(&url, Duration::from_secs(5), Duration::from_secs(60)).unwrap()), ..Access::default() };
    let proxy = proxy_with(&sim, access).await;
    let cookie = [("Cookie", "session=ana")];
    let (ids, total) = listed(&proxy, &cookie).await.unwrap();
    assert_eq!((ids.len(), total), (10, 10), "{ids:?}");
    let first = asked.load(Ordering::SeqCst);
    assert_eq!(first, 1237, "once per task OMS listed");
    assert_eq!(listed(&proxy, &cookie).await.unwrap().1, 10);
    assert_eq!(asked.load(Ordering::SeqCst), first, "then from the cache");
}
