//! The OMS the proxy forwards to.

use crate::refusal::Refusal;
use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use futures_util::future::BoxFuture;
use oms_progress_api::{API_PATH, Action, MAX_ANSWER_BYTES};
use serde_json::Value;
use std::sync::OnceLock;
use std::time::Duration;

/// One answer for the browser: OMS's status and what the card reads of its JSON body, or the
/// proxy's refusal. Always sent as `application/json`: a body that is not JSON never reaches a
/// browser, nor any field the card does not read.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The HTTP status to send.
    pub status: StatusCode,
    /// The JSON body to send.
    pub body: Bytes,
    /// Set when the proxy answered for OMS (timeout, unreachable, broken, refused).
    pub refusal: Option<Refusal>,
    /// The body parsed, the first time it is read as JSON.
    parsed: OnceLock<Value>,
}

impl Answer {
    /// OMS's answer: `status` and a body already projected to what the card reads.
    pub fn json(status: StatusCode, body: Bytes) -> Self {
        Answer { status, body, refusal: None, parsed: OnceLock::new() }
    }

    /// The body as JSON (`null` if it is none), parsed once however often it is read: a cached
    /// page of a list is read by every filtered viewer's request while it is fresh.
    pub fn parsed(&self) -> &Value {
        self.parsed.get_or_init(|| serde_json::from_slice(&self.body).unwrap_or_default())
    }
}

impl From<Refusal> for Answer {
    fn from(refusal: Refusal) -> Self {
        Answer { status: refusal.status(), body: Bytes::from(refusal.body()), refusal: Some(refusal), parsed: OnceLock::new() }
    }
}

/// Where answers come from: OMS over HTTP, or a stand-in in tests and benchmarks.
pub trait Upstream: Send + Sync + 'static {
    /// Asks `action` with `body` (written by the proxy from a checked one).
    fn call(&self, action: Action, body: String) -> BoxFuture<'static, Answer>;
}

/// OMS credentials for HTTP Basic authentication.
#[derive(Clone)]
pub struct Credentials {
    /// The OMS user.
    pub username: String,
    /// The password; may contain `:`.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never printed, not even in debug output.
        f.debug_struct("Credentials").field("username", &self.username).field("password", &"<redacted>").finish()
    }
}

/// The OMS behind an origin.
#[derive(Clone)]
pub struct Oms {
    client: reqwest::Client,
    origin: String,
    credentials: Credentials,
    timeout: Duration,
}

/// `url` if it is an http:// or https:// URL with a host and no user or password; else what
/// `--flag` got wrong. The URL is never repeated in the message: it may hold a password.
pub(crate) fn http_url(flag: &str, url: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("--{flag} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(format!("--{flag} must be an http:// or https:// URL with a host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("--{flag} must not hold a user or password (the proxy logs it); give OMS's account in OMS_USERNAME / OMS_PASSWORD or --credentials-file"));
    }
    Ok(parsed)
}

/// The OMS origin `url`: scheme, host and port only (the proxy appends the API path itself).
pub fn oms_origin(url: &str) -> Result<String, String> {
    let parsed = http_url("upstream", url)?;
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!("--upstream {} must be OMS's origin alone (scheme, host, port), without a path, query or fragment", parsed.origin().ascii_serialization()));
    }
    Ok(parsed.origin().ascii_serialization())
}

/// The proxy's HTTP client: redirects are answers to pass on or judge, never followed (a
/// redirect to a login page must not be followed with credentials, nor count as a decision).
/// Answers compressed with gzip, brotli or deflate are decoded as they are read.
pub(crate) fn http_client(connect_timeout: Duration) -> Result<reqwest::Client, String> {
    // reqwest is built without a default TLS provider; ring builds quickly and portably.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

impl Oms {
    /// A client for the OMS at `origin` (e.g. `http://oms.internal:8089`), as [`oms_origin`] checks it.
    pub fn new(origin: &str, credentials: Credentials, timeout: Duration) -> Result<Self, String> {
        let origin = oms_origin(origin)?;
        Ok(Oms { client: http_client(timeout)?, origin, credentials, timeout })
    }

    /// The origin, as the log may show it.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Asks OMS `action` with `body` (written by the proxy from a checked one): what the card
    /// reads of the answer.
    pub async fn describe(&self, action: Action, body: &str) -> Answer {
        let exchange = async {
            let body = match action {
                // OMS wants the schema lists beside a verification request: the proxy knows them
                // from the task's mapping, which the card never sees.
                Action::Verification => self.with_schemas(body).await,
                _ => body.to_owned(),
            };
            let (status, json) = match self.fetch(action, &body).await {
                Ok(answer) => answer,
                Err(refusal) => return refusal.into(),
            };
            match crate::actions::project(json, *action.answer()) {
                Some(kept @ Value::Object(_)) => Answer::json(status, kept.to_string().into()),
                _ => Refusal::UpstreamBroken.into(),
            }
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(answer) => answer,
            Err(_) => Refusal::UpstreamTimeout.into(),
        }
    }

    /// `body` with the task's schema lists, from its `DescribeProject` answer; as it was when
    /// OMS does not say.
    async fn with_schemas(&self, body: &str) -> String {
        let id = serde_json::from_str::<Value>(body).ok().and_then(|b| b.get("projectId").and_then(|i| i.as_str()).map(str::to_owned));
        let Some(id) = id else { return body.to_owned() };
        match self.fetch(Action::Project, &serde_json::json!({ "id": id }).to_string()).await {
            Ok((status, project)) if status.is_success() => crate::actions::with_schemas(body, crate::actions::schemas_of(&project)),
            _ => body.to_owned(),
        }
    }

    /// OMS's whole answer to `action` with `body`, as JSON: for the proxy's eyes only.
    async fn fetch(&self, action: Action, body: &str) -> Result<(StatusCode, serde_json::Value), Refusal> {
        let url = format!("{}{API_PATH}?Action={}", self.origin, action.as_str());
        let request = self
            .client
            .post(url)
            .basic_auth(&self.credentials.username, Some(&self.credentials.password))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body.to_owned());
        let mut response = match request.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Err(Refusal::UpstreamTimeout),
            Err(_) => return Err(Refusal::UpstreamUnreachable),
        };
        // OMS refusing the proxy's own account is the proxy's configuration, not the viewer's
        // session: never a 401/403 that would tell the viewer to sign in again.
        if matches!(response.status().as_u16(), 401 | 403) {
            return Err(Refusal::UpstreamAuth);
        }
        let status = StatusCode::from_u16(response.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        // What reqwest could not decode keeps its Content-Encoding: never passed on mislabelled.
        let encoded = response.headers().get(reqwest::header::CONTENT_ENCODING).is_some_and(|e| !e.as_bytes().eq_ignore_ascii_case(b"identity"));
        if encoded || response.content_length().is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
            return Err(Refusal::UpstreamBroken);
        }
        let mut body = BytesMut::new();
        loop {
            // Decoded bytes count: a small compressed answer cannot unpack into a large one.
            match response.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() <= MAX_ANSWER_BYTES => body.extend_from_slice(&chunk),
                Ok(Some(_)) | Err(_) => return Err(Refusal::UpstreamBroken),
                Ok(None) => break,
            }
        }
        // An HTML error page or a login form is not an answer: it would be served from the
        // proxy's origin.
        serde_json::from_slice::<serde_json::Value>(&body).map(|json| (status, json)).map_err(|_| Refusal::UpstreamBroken)
    }
}

impl Upstream for Oms {
    fn call(&self, action: Action, body: String) -> BoxFuture<'static, Answer> {
        let oms = self.clone();
        Box::pin(async move { oms.describe(action, &body).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upstream_is_an_origin_without_secrets() {
        assert_eq!(oms_origin("http://oms.internal:8089").as_deref(), Ok("http://oms.internal:8089"));
        assert_eq!(oms_origin("https://oms.internal/").as_deref(), Ok("https://oms.internal"));
        for bad in ["http://oms:8089/api", "http://oms:8089/?x=1", "http://oms:8089/#f", "ftp://oms", "oms:8089", "http://ops:hunter2@oms:8089", "http://ops@oms"] {
            let error = oms_origin(bad).unwrap_err();
            assert!(error.starts_with("--upstream") && !error.contains("hunter2"), "{bad}: {error}");
        }
    }
}
