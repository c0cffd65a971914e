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
pub mod actions;
pub mod client;
pub mod coalesce;
pub mod config;
pub mod files;
pub mod fleet;
pub mod refusal;
pub mod server;
pub mod upstream;

pub use server::{Connections, serve};

use crate::access::{Access, ViewerCredentials};
use crate::client::{Budget, RateLimit, client_of};
use crate::coalesce::{Coalescer, Source};
use crate::refusal::Refusal;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use crate::actions::FORWARDED;
use oms_progress_api::{API_PATH, Action};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

/// What the proxy needs to run, independent of how it was configured.
pub struct Settings {
    /// The OMS answers come from.
    pub upstream: upstream::Oms,
    /// How long an answer is reused.
    pub cache_ttl: Duration,
    /// Who may see which task.
    pub access: Access,
    /// Calls per second per client that would reach OMS or the auth endpoint (answers already
    /// held are never limited); `None` for no limit.
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
    limit: Option<RateLimit>,
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

/// The proxy's router; serve it with [`serve`]. Fails when `--static`'s folder cannot be read.
pub fn app(settings: Settings) -> Result<Router, String> {
    let state = Arc::new(AppState {
        coalescer: Coalescer::new(settings.upstream, settings.cache_ttl),
        access: settings.access,
        limit: settings.rate_limit.map(RateLimit::new),
        max_body: settings.max_body,
        body_timeout: settings.body_timeout,
        trusted_hops: settings.trusted_hops,
    });
    if state.limit.is_some() {
        // Forget clients that have gone quiet, so a stream of new addresses cannot grow memory.
        let state = Arc::downgrade(&state);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(state) = state.upgrade() else { break };
                if let Some(limit) = &state.limit {
                    limit.forget_quiet_clients();
                }
            }
        });
    }

    let health = get(healthz).fallback(|| async { Refusal::method_not_allowed("GET, HEAD") });
    let mut router = Router::new().route(API_PATH, any(forward)).route("/healthz", health).with_state(state.clone());
    router = match &settings.static_dir {
        Some(dir) => router.fallback_service(files::static_files(dir).map_err(|e| format!("--static {}: {e}", dir.display()))?),
        None => router.fallback(|| async { Refusal::NotFound }),
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
    // No browser may guess another type for anything this origin serves.
    let nosniff = SetResponseHeaderLayer::overriding(HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff"));
    Ok(router.layer(middleware::from_fn_with_state(state, log_request)).layer(nosniff))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "service": "oms-progress-proxy", "version": env!("CARGO_PKG_VERSION") }))
}

/// The client address of a request, worked out once by the outermost layer (`log_request`).
#[derive(Clone, Copy)]
struct Client(IpAddr);

/// A request the proxy forwards: `POST /api/v2?Action=<one of FORWARDED>` with a JSON body
/// of that action's schema (`actions`). It exists only when every check passed; the rejection
/// is the refusal, and a refused request never reaches OMS. Who may see the task is checked
/// next, by `Access`.
#[derive(Debug)]
pub struct ForwardedRequest {
    /// The operation.
    pub action: Action,
    /// The body OMS will get, written by the proxy, and the task it names.
    pub body: actions::Body,
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
        let body = actions::rebuild(action, &bytes)?;
        // Only the access rules read the viewer's credentials: none are copied without one.
        let viewer = if state.access.is_open() { ViewerCredentials::default() } else { ViewerCredentials::from_headers(&parts.headers) };
        let client = parts.extensions.get::<Client>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0);
        Ok(ForwardedRequest { action, body, viewer, client })
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
    let budget = Budget::new(state.limit.as_ref(), request.client);
    if let Some(project) = &request.body.project
        && let Err(denied) = state.access.check(&request.viewer, project, budget).await
    {
        let mut response = denied.refusal.into_response();
        response.extensions_mut().insert(Refused { rule: denied.rule, id: project.clone() });
        return response;
    }
    let got = match &request.body.project {
        // A list, for a viewer the access rules apply to: only what it may open.
        None if !state.access.is_open() => fleet::visible_page(&state.coalescer, &state.access, &request.viewer, &request.body.json, budget).await,
        _ => state.coalescer.get(request.action, &request.body.json, budget).await,
    };
    let (answer, source) = match got {
        Ok(got) => got,
        Err(refusal) => return refusal.into_response(),
    };
    let mut response = (answer.status, answer.body.clone()).into_response();
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
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
    let uri = request.uri().clone(); // shares the request's bytes: no copy
    let path = uri.path();
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

#[cfg(test)]
mod tests {
    use super::*;

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
