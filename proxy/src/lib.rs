//! The reference proxy for `<oms-progress-card>`.
//!
//! A browser must never hold OMS credentials, and a page full of cards must not flood OMS. The
//! proxy accepts exactly one operation, `POST /api/v2?Action=DescribeProjectProgress` with
//! `{"id": ...}`, adds HTTP Basic credentials, and forwards it; concurrent requests for one id
//! share one upstream call whose answer is reused for a short TTL. Everything else is refused
//! with an OMS-style envelope and never reaches OMS.

pub mod coalesce;
pub mod config;
pub mod refusal;
pub mod simulate;
pub mod upstream;

use crate::coalesce::{Coalescer, Source};
use crate::refusal::{Refusal, is_valid_id};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

/// What the proxy needs to run, independent of how it was configured.
pub struct Settings {
    /// Where answers come from.
    pub upstream: upstream::Upstream,
    /// How long an answer is reused.
    pub cache_ttl: Duration,
    /// Requests per second per client; `None` for no limit.
    pub rate_limit: Option<NonZeroU32>,
    /// The largest request body accepted.
    pub max_body: usize,
    /// How long a client may take to send its body.
    pub body_timeout: Duration,
    /// Origins of admin pages allowed to call the proxy cross-origin.
    pub allow_origins: Vec<HeaderValue>,
    /// A directory served at `/` (the demo page and `pkg/`).
    pub static_dir: Option<PathBuf>,
    /// Take the client address from `X-Forwarded-For` (behind a trusted load balancer).
    pub trust_forwarded_for: bool,
}

struct AppState {
    coalescer: Coalescer,
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    max_body: usize,
    body_timeout: Duration,
    trust_forwarded_for: bool,
    simulated: bool,
}

/// How the API answered, for the request log.
#[derive(Clone, Copy)]
struct Served(Source);

/// The proxy's router. Serve it with `into_make_service_with_connect_info::<SocketAddr>()`.
pub fn app(settings: Settings) -> Router {
    let limiter = settings.rate_limit.map(|rate| {
        let burst = rate.saturating_mul(NonZeroU32::new(2).expect("2 is not zero"));
        RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
    });
    let state = Arc::new(AppState {
        simulated: matches!(settings.upstream, upstream::Upstream::Simulated(_)),
        coalescer: Coalescer::new(settings.upstream, settings.cache_ttl),
        limiter,
        max_body: settings.max_body,
        body_timeout: settings.body_timeout,
        trust_forwarded_for: settings.trust_forwarded_for,
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

    let mut router = Router::new()
        .route("/api/v2", any(describe_progress))
        .route("/healthz", get(healthz))
        .with_state(state.clone());
    router = match settings.static_dir {
        Some(dir) => router.fallback_service(
            ServeDir::new(dir).append_index_html_on_directories(true).not_found_service(any(refuse_not_found)),
        ),
        None => router.fallback(refuse_not_found),
    };
    if !settings.allow_origins.is_empty() {
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(settings.allow_origins))
                .allow_methods([Method::POST])
                .allow_headers([header::CONTENT_TYPE])
                .max_age(Duration::from_secs(600)),
        );
    }
    router.layer(middleware::from_fn_with_state(state, log_request))
}

async fn refuse_not_found(method: Method) -> Refusal {
    if method == Method::GET || method == Method::HEAD { Refusal::NotFound } else { Refusal::MethodNotAllowed }
}

async fn healthz(State(state): State<Arc<AppState>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "status": "ok",
        "service": "oms-progress-proxy",
        "version": env!("CARGO_PKG_VERSION"),
        "upstream": if state.simulated { "simulated" } else { "oms" },
    }))
}

/// The client a request counts against.
fn client_of(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let forwarded = || {
        let value = headers.get("x-forwarded-for")?.to_str().ok()?;
        value.split(',').next()?.trim().parse().ok()
    };
    if state.trust_forwarded_for { forwarded().unwrap_or(peer.ip()) } else { peer.ip() }
}

/// `POST /api/v2?Action=DescribeProjectProgress` with `{"id": ...}`.
async fn describe_progress(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Some(limiter) = &state.limiter {
        if limiter.check_key(&client_of(&state, peer, &headers)).is_err() {
            return Refusal::RateLimited.into_response();
        }
    }
    if method != Method::POST {
        return Refusal::MethodNotAllowed.into_response();
    }
    // Exactly one parameter, `Action=DescribeProjectProgress`: a second Action or anything
    // else in the query could be read differently by OMS.
    let query = query.unwrap_or_default();
    let query: Vec<_> = form_urlencoded::parse(query.as_bytes()).collect();
    if !matches!(query.as_slice(), [(name, value)] if name == "Action" && value == "DescribeProjectProgress") {
        return Refusal::UnsupportedAction.into_response();
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Refusal::UnsupportedMediaType.into_response();
    }
    let bytes = match read_body(body, state.max_body, state.body_timeout).await {
        Ok(bytes) => bytes,
        Err(refusal) => return refusal.into_response(),
    };
    let id = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(object)) => match object.get("id") {
            Some(serde_json::Value::String(id)) => id.clone(),
            _ => return Refusal::BadBody.into_response(),
        },
        _ => return Refusal::BadBody.into_response(),
    };
    if !is_valid_id(&id) {
        return Refusal::InvalidId.into_response();
    }

    let (answer, source) = state.coalescer.get(&id).await;
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

/// Reads at most `limit` bytes of body within `timeout`.
async fn read_body(body: Body, limit: usize, timeout: Duration) -> Result<Bytes, Refusal> {
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(Refusal::BodyTimeout),
        Ok(Err(_)) => Err(Refusal::BodyTooLarge),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// One structured log line per request: never headers, bodies or credentials.
async fn log_request(State(state): State<Arc<AppState>>, ConnectInfo(peer): ConnectInfo<SocketAddr>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let client = client_of(&state, peer, request.headers());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let served = response.extensions().get::<Served>().map(|s| s.0.as_str());
    let refusal = response.extensions().get::<Refusal>().map(|r| r.code());
    let micros = started.elapsed().as_micros() as u64;
    if response.status() >= StatusCode::INTERNAL_SERVER_ERROR {
        tracing::warn!(%method, %path, status, micros, %client, served, refusal, "request");
    } else {
        tracing::info!(%method, %path, status, micros, %client, served, refusal, "request");
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
