//! The OMS the proxy forwards to.

use crate::refusal::Refusal;
use axum::http::{HeaderValue, StatusCode};
use bytes::{Bytes, BytesMut};
use oms_progress_card::oms::{API_PATH, Action, MAX_ANSWER_BYTES};
use std::time::Duration;

/// One answer for the browser: OMS's status and body, unchanged, or the proxy's refusal.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The HTTP status to send.
    pub status: StatusCode,
    /// OMS's `Content-Type`, when it sent one.
    pub content_type: Option<HeaderValue>,
    /// The body to send.
    pub body: Bytes,
    /// Set when the proxy answered for OMS (timeout, unreachable, broken).
    pub refusal: Option<Refusal>,
}

impl From<Refusal> for Answer {
    fn from(refusal: Refusal) -> Self {
        Answer {
            status: refusal.status(),
            content_type: Some(HeaderValue::from_static("application/json")),
            body: Bytes::from(refusal.body()),
            refusal: Some(refusal),
        }
    }
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

/// The OMS behind `origin`.
pub struct Oms {
    client: reqwest::Client,
    origin: String,
    credentials: Credentials,
    timeout: Duration,
}

/// `url` if it is an http:// or https:// URL with a host; else what `--flag` got wrong.
pub(crate) fn http_url(flag: &str, url: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("--{flag} {url:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(format!("--{flag} must be an http:// or https:// URL, not {url:?}"));
    }
    Ok(parsed)
}

/// The proxy's HTTP client: redirects are answers to pass on or judge, never followed (a
/// redirect to a login page must not be followed with credentials, nor count as a decision).
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
    /// A client for the OMS at `origin` (e.g. `http://oms.internal:8089`).
    pub fn new(origin: &str, credentials: Credentials, timeout: Duration) -> Result<Self, String> {
        let origin = origin.trim_end_matches('/');
        http_url("upstream", origin)?;
        Ok(Oms { client: http_client(timeout)?, origin: origin.to_owned(), credentials, timeout })
    }

    /// Asks OMS `action` for task `id` (already validated as a plain token).
    pub async fn describe(&self, action: Action, id: &str) -> Answer {
        match tokio::time::timeout(self.timeout, self.exchange(action, id)).await {
            Ok(answer) => answer,
            Err(_) => Refusal::UpstreamTimeout.into(),
        }
    }

    async fn exchange(&self, action: Action, id: &str) -> Answer {
        let url = format!("{}{API_PATH}?Action={}", self.origin, action.as_str());
        // The proxy writes the body itself: the client's never reaches OMS.
        let request = self
            .client
            .post(url)
            .basic_auth(&self.credentials.username, Some(&self.credentials.password))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(serde_json::json!({ "id": id }).to_string());
        let mut response = match request.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Refusal::UpstreamTimeout.into(),
            Err(_) => return Refusal::UpstreamUnreachable.into(),
        };
        let status = StatusCode::from_u16(response.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        let content_type = response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok());
        if response.content_length().is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
            return Refusal::UpstreamBroken.into();
        }
        let mut body = BytesMut::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() <= MAX_ANSWER_BYTES => body.extend_from_slice(&chunk),
                Ok(Some(_)) | Err(_) => return Refusal::UpstreamBroken.into(),
                Ok(None) => break,
            }
        }
        Answer { status, content_type, body: body.freeze(), refusal: None }
    }
}
