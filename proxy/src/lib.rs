//! The reference proxy for `<oms-progress-card>`.
//!
//! A browser must never hold OMS credentials, and a page full of cards must not flood OMS. The
//! proxy accepts exactly the read-only operations the card needs, `POST
//! /api/v2?Action=DescribeProjectProgress` and `...?Action=DescribeProjectSteps` with
//! `{"id": ...}`, checks that the viewer may see that task (`access`), adds HTTP Basic
//! credentials, and forwards them; concurrent requests for one task and action share one
//! upstream call whose answer is reused for a short TTL. Everything else is refused with an
//! OMS-style envelope and never reaches OMS.

pub mod access;
pub mod coalesce;
pub mod config;
pub mod refusal;
pub mod upstream;

use crate::access::{Access, ViewerCredentials};
use crate::coalesce::{Coalescer, Source};
use crate::refusal::Refusal;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use oms_progress_card::oms::{API_PATH, Action, is_valid_id};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

/// The operations the proxy forwards: read-only, and only what the card asks.
pub const FORWARDED: [Action; 2] = [Action::Progress, Action::Steps];

/// What the proxy needs to run, independent of how it was configured.
pub struct Settings {
    /// The OMS answers come from.
    pub upstream: upstream::Oms,
    /// How long an answer is reused.
    pub cache_ttl: Duration,
    /// Who may see which task.
    pub access: Access,
    /// Upstream calls per second per client (answers already held are never limited); `None`
    /// for no limit.
    pub rate_limit: Option<NonZeroU32>,
    /// The largest request body accepted.
    pub max_body: usize,
    /// How long a client may take to send its body.
    pub body_timeout: Duration,
    /// Origins of admin pages allowed to call the proxy cross-origin.
    pub allow_origins: Vec<HeaderValue>,
    /// A directory served at `/` (the demo page and `pkg/`).
    pub static_dir: Option<PathBuf>,
    /// How many proxies in front of this one append to `X-Forwarded-For` and are trusted (0:
    /// the client is the peer address).
    pub trusted_hops: usize,
}

/// What every request handler shares.
pub struct AppState {
    coalescer: Coalescer,
    access: Access,
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    max_body: usize,
    body_timeout: Duration,
    trusted_hops: usize,
}

/// How the API answered, for the request log.
#[derive(Clone, Copy)]
struct Served(Source);

/// Which access rule refused which task, for the request log.
#[derive(Clone)]
struct Refused {
    rule: &'static str,
    id: String,
}

/// The proxy's router. Serve it with `into_make_service_with_connect_info::<SocketAddr>()`.
pub fn app(settings: Settings) -> Router {
    let limiter = settings.rate_limit.map(|rate| {
        let burst = rate.saturating_mul(NonZeroU32::new(2).expect("2 is not zero"));
        RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
    });
    let state = Arc::new(AppState {
        coalescer: Coalescer::new(settings.upstream, settings.cache_ttl),
        access: settings.access,
        limiter,
        max_body: settings.max_body,
        body_timeout: settings.body_timeout,
        trusted_hops: settings.trusted_hops,
    });
    if state.limiter.is_some() {
        // Forget clients that have gone quiet, so a stream of new addresses cannot grow memory.
        let state = Arc::downgrade(&state);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(state) = state.upgrade() else { break };
                if let Some(limiter) = &state.limiter {
                    limiter.retain_recent();
                }
            }
        });
    }

    let mut router = Router::new().route(API_PATH, any(forward)).route("/healthz", get(healthz)).with_state(state.clone());
    router = match settings.static_dir {
        Some(dir) => router.fallback_service(static_files(dir)),
        None => router.fallback(refuse_not_found),
    };
    if !settings.allow_origins.is_empty() {
        // Exactly the listed origins, so they (and only they) may also send cookies and tokens.
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(settings.allow_origins))
                .allow_methods([Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
                .allow_credentials(true)
                .max_age(Duration::from_secs(600)),
        );
    }
    router.layer(middleware::from_fn_with_state(state, log_request))
}

/// `--static DIR`: the files, compressed (brotli or gzip, as the browser accepts), with caching
/// that fits each: a content-hashed name never changes (a year, immutable); anything else is
/// revalidated on every use (`no-cache`, answered 304 while unchanged).
fn static_files(dir: PathBuf) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir).append_index_html_on_directories(true).not_found_service(any(refuse_not_found)))
        .layer(middleware::from_fn(cache_policy))
        .layer(CompressionLayer::new())
}

async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let policy = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Whether a file name carries a content hash as bundlers write it (`index-IVLz2LXk.js`,
/// `main-SSJFLBXD.js`): a last `-` part of 8 or more letters and digits before the extension.
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_alphanumeric()))
}

async fn refuse_not_found(method: Method) -> Refusal {
    if method == Method::GET || method == Method::HEAD { Refusal::NotFound } else { Refusal::MethodNotAllowed }
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "service": "oms-progress-proxy", "version": env!("CARGO_PKG_VERSION") }))
}

/// The address a request counts against: the peer, or with `trusted_hops` proxies in front the
/// right-most `X-Forwarded-For` entry they did not write themselves (entries further left were
/// written by the client and prove nothing).
fn client_of(trusted_hops: usize, peer: Option<SocketAddr>, headers: &HeaderMap) -> IpAddr {
    let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| p.ip());
    if trusted_hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // The nearest trusted proxy appended the address it saw; each one further out did too.
    entries.len().checked_sub(trusted_hops).and_then(|i| entries[i].parse().ok()).unwrap_or(peer)
}

/// The client address of a request, worked out once by the outermost layer (`log_request`).
#[derive(Clone, Copy)]
struct Client(IpAddr);

/// A request the proxy forwards: `POST /api/v2?Action=<one of FORWARDED>` with a JSON body
/// `{"id": "<task id>"}`. It exists only when every check passed; the rejection is the refusal,
/// and a refused request never reaches OMS. Who may see the task is checked next, by `Access`.
#[derive(Debug)]
pub struct ForwardedRequest {
    /// The operation.
    pub action: Action,
    /// The task id, a plain token.
    pub id: String,
    /// What the viewer presented (for the access rules only; never logged).
    pub viewer: ViewerCredentials,
    /// The client address the rate limit counts.
    pub client: IpAddr,
}

impl FromRequest<Arc<AppState>> for ForwardedRequest {
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &Arc<AppState>) -> Result<Self, Refusal> {
        let (parts, body) = request.into_parts();
        if parts.method != Method::POST {
            return Err(Refusal::MethodNotAllowed);
        }
        let action = forwarded_action(parts.uri.query().unwrap_or_default()).ok_or(Refusal::UnsupportedAction)?;
        if !is_json(&parts.headers) {
            return Err(Refusal::UnsupportedMediaType);
        }
        let bytes = read_body(body, state.max_body, state.body_timeout).await?;
        let id = match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(serde_json::Value::Object(mut object)) => match object.remove("id") {
                Some(serde_json::Value::String(id)) => id,
                _ => return Err(Refusal::BadBody),
            },
            _ => return Err(Refusal::BadBody),
        };
        if !is_valid_id(&id) {
            return Err(Refusal::InvalidId);
        }
        // Only the access rules read the viewer's credentials: none are copied without one.
        let viewer = if state.access.is_open() { ViewerCredentials::default() } else { ViewerCredentials::from_headers(&parts.headers) };
        let client = parts.extensions.get::<Client>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0);
        Ok(ForwardedRequest { action, id, viewer, client })
    }
}

/// The operation of a query that is exactly one `Action` parameter naming a forwarded
/// operation: anything more could be read differently by OMS.
fn forwarded_action(query: &str) -> Option<Action> {
    let mut pairs = form_urlencoded::parse(query.as_bytes());
    let (name, value) = pairs.next()?;
    let action = Action::from_name(&value).filter(|a| name == "Action" && FORWARDED.contains(a))?;
    pairs.next().is_none().then_some(action)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json"))
}

/// Reads at most `limit` bytes of body within `timeout`.
async fn read_body(body: Body, limit: usize, timeout: Duration) -> Result<Bytes, Refusal> {
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(Refusal::BodyTimeout),
        Ok(Err(_)) => Err(Refusal::BodyTooLarge),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// Forwards a checked request of an allowed viewer, sharing the upstream call and its answer
/// with every viewer of the same task. Access is decided first, so an answer fetched for one
/// viewer never reaches another who may not see it; the rate limit counts only what would reach
/// OMS, so any number of viewers of an answer the proxy holds are served.
async fn forward(State(state): State<Arc<AppState>>, request: ForwardedRequest) -> Response {
    if let Err(denied) = state.access.check(&request.viewer, &request.id).await {
        let mut response = denied.refusal.into_response();
        response.extensions_mut().insert(Refused { rule: denied.rule, id: request.id });
        return response;
    }
    if let Some(limiter) = &state.limiter
        && !state.coalescer.holds(request.action, &request.id)
        && limiter.check_key(&request.client).is_err()
    {
        return Refusal::RateLimited.into_response();
    }
    let (answer, source) = state.coalescer.get(request.action, &request.id).await;
    let mut response = (answer.status, answer.body.clone()).into_response();
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, answer.content_type.clone().unwrap_or(HeaderValue::from_static("application/json")));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.extensions_mut().insert(Served(source));
    if let Some(refusal) = answer.refusal {
        response.extensions_mut().insert(refusal);
    }
    response
}

/// One structured log line per request: never headers, bodies or credentials.
async fn log_request(State(state): State<Arc<AppState>>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let client = client_of(state.trusted_hops, peer, request.headers());
    request.extensions_mut().insert(Client(client));
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let served = response.extensions().get::<Served>().map(|s| s.0.as_str());
    let refusal = response.extensions().get::<Refusal>().map(|r| r.code());
    let refused = response.extensions().get::<Refused>();
    let (rule, project) = (refused.map(|r| r.rule), refused.map(|r| r.id.as_str()));
    let micros = started.elapsed().as_micros() as u64;
    if response.status() >= StatusCode::INTERNAL_SERVER_ERROR {
        tracing::warn!(%method, %path, status, micros, %client, served, refusal, rule, project, "request");
    } else {
        tracing::info!(%method, %path, status, micros, %client, served, refusal, rule, project, "request");
    }
    response
}

/// Serves the proxy on `listener` until `shutdown` resolves, then drains requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashed_names_are_told_apart() {
        for hashed in ["/assets/index-IVLz2LXk.js", "/main-SSJFLBXD.js", "/assets/oms_progress_card_bg-C7PMWMQV.wasm"] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for plain in ["/", "/index.html", "/pkg/oms_progress_card.js", "/pkg/oms_progress_card_bg.wasm", "/demo/demo.js", "/x-y.js"] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn the_client_is_the_right_most_address_no_trusted_hop_wrote() {
        let peer: Option<SocketAddr> = Some("10.0.0.9:4000".parse().unwrap());
        let mut headers = HeaderMap::new();
        // The client wrote 6.6.6.6 itself; the first proxy appended 203.0.113.7, the second 10.0.0.5.
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7"));
        headers.append("x-forwarded-for", HeaderValue::from_static("10.0.0.5"));
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(client_of(0, peer, &headers), ip("10.0.0.9"));
        assert_eq!(client_of(1, peer, &headers), ip("10.0.0.5"));
        assert_eq!(client_of(2, peer, &headers), ip("203.0.113.7"));
        assert_eq!(client_of(4, peer, &headers), ip("10.0.0.9"), "fewer entries than hops: the peer");
        headers.insert("x-forwarded-for", HeaderValue::from_static("not-an-ip"));
        assert_eq!(client_of(1, peer, &headers), ip("10.0.0.9"));
    }

    #[test]
    fn only_one_forwarded_action_in_the_query() {
        assert_eq!(forwarded_action("Action=DescribeProjectProgress"), Some(Action::Progress));
        assert_eq!(forwarded_action("Action=DescribeProjectSteps"), Some(Action::Steps));
        for refused in [
            "", "Action=StopProject", "action=DescribeProjectProgress", "Action=DescribeProjectProgress&x=1",
            "Action=DescribeProjectProgress&Action=ReleaseProject", "Action=DescribeProjectProgress%26Action%3DDeleteProject",
            "x=1&Action=DescribeProjectProgress",
        ] {
            assert_eq!(forwarded_action(refused), None, "{refused}");
        }
    }
}
