//! One `DescribeProjectProgress` request through the proxy, decoded and classified.

use crate::model::RequestCredentials;
use crate::oms::{DecodeIssue, Failure, JsonValue, Loose, MAX_ANSWER_BYTES, Progress, decode, read_progress};
use gloo_net::http::Request;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

/// A successful answer: the decoded progress and the parsed `data` object for event listeners.
pub struct Answer {
    /// The decoded progress.
    pub progress: Arc<Progress>,
    /// `data` as the browser parsed it: the `detail` of the `oms-progress` event.
    pub data: JsValue,
}

/// How a request ended without an answer to show.
pub enum RequestError {
    /// A failure to report.
    Failed(Failure),
    /// Aborted on purpose (the card went away, or a newer request replaced it): not reported.
    Cancelled,
}

impl From<Failure> for RequestError {
    fn from(failure: Failure) -> Self {
        RequestError::Failed(failure)
    }
}

/// Sends one request to `endpoint` and classifies the answer. `signal` aborts it: either the
/// feed's own controller (reported as [`RequestError::Cancelled`]) or the timeout (a failure).
pub async fn describe_progress(endpoint: &str, project_id: &str, credentials: RequestCredentials, signal: &AbortSignal) -> Result<Answer, RequestError> {
    let body = request_body(project_id);
    let response = Request::post(endpoint)
        .header("Content-Type", "application/json")
        .credentials(match credentials {
            RequestCredentials::SameOrigin => web_sys::RequestCredentials::SameOrigin,
            RequestCredentials::Include => web_sys::RequestCredentials::Include,
            RequestCredentials::Omit => web_sys::RequestCredentials::Omit,
        })
        .abort_signal(Some(signal))
        .body(body)
        .map_err(|_| Failure::Network)?
        .send()
        .await
        .map_err(request_error)?;
    let status = response.status();

    let declared_length = response.headers().get("content-length").and_then(|v| v.trim().parse::<usize>().ok());
    if declared_length.is_some_and(|len| len > MAX_ANSWER_BYTES) {
        return Err(Failure::undecodable(status, DecodeIssue::TooLarge).into());
    }
    // `text()` + `JSON.parse` rather than `json()`: the text tells an HTML login page, an
    // empty body and a cut one apart. The browser parses; the wasm walks the parsed value
    // (`JsonValue`), with no JSON parser or serde code of its own.
    let text = response.text().await.map_err(request_error)?;
    let decoded = decode(status, &text, |text| js_sys::JSON::parse(text).ok(), read_progress)?;
    Ok(Answer { progress: Arc::new(decoded.value), data: decoded.data })
}

/// The browser's parsed JSON, as the decoder walks it.
impl JsonValue for JsValue {
    fn loose(&self) -> Loose {
        if self.is_null() || self.is_undefined() {
            Loose::Absent
        } else if let Some(b) = self.as_bool() {
            Loose::Bool(b)
        } else if let Some(n) = self.as_f64() {
            Loose::from_number(n)
        } else if let Some(s) = self.as_string() {
            Loose::Text(s)
        } else {
            Loose::Nested
        }
    }

    fn members(&self) -> Option<Vec<(String, Self)>> {
        if !self.is_object() || js_sys::Array::is_array(self) {
            return None;
        }
        let entries = js_sys::Object::entries(self.unchecked_ref());
        Some(entries.iter().map(|pair| {
            let pair: js_sys::Array = pair.unchecked_into();
            (pair.get(0).as_string().unwrap_or_default(), pair.get(1))
        }).collect())
    }

    fn items(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(self).then(|| self.unchecked_ref::<js_sys::Array>().iter().collect())
    }
}

/// `{"id":"<project-id>"}`, escaped by the browser's `JSON.stringify`.
fn request_body(project_id: &str) -> String {
    let body = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&body, &"id".into(), &project_id.into());
    js_sys::JSON::stringify(&body).map(String::from).unwrap_or_default()
}

/// Classifies a rejected `fetch()` or body read by the error's name.
fn request_error(error: gloo_net::Error) -> RequestError {
    match error {
        gloo_net::Error::JsError(e) if e.name == "TimeoutError" => Failure::Timeout.into(),
        gloo_net::Error::JsError(e) if e.name == "AbortError" => RequestError::Cancelled,
        _ => Failure::Network.into(),
    }
}
