//! One request to the proxy, decoded and classified. The browser fetches (`fetch.js`); the
//! answer is decoded by [`crate::oms::decode`], walking what `JSON.parse` made of it.

use crate::model::RequestCredentials;
use crate::oms::{Action, DecodeIssue, Decoded, Failure, JsonValue, Loose, MAX_ANSWER_BYTES, Progress, decode, read_progress};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortController;

#[wasm_bindgen(module = "/src/feed/fetch.js")]
extern "C" {
    #[wasm_bindgen(js_name = request)]
    fn js_request(url: &str, body: &str, credentials: &str, timeout_ms: u32, max_bytes: u32, done: &JsValue) -> AbortController;
}

/// How a request ended.
pub enum Outcome {
    /// An answer that decoded.
    Answer(Decoded<Progress, JsValue>),
    /// A failure to report.
    Failed(Failure),
    /// Aborted on purpose (the card went away, or a newer request replaced it): not reported.
    Cancelled,
}

/// Sends `action` for `project_id` to `endpoint` and calls `done` with the outcome; the returned
/// controller aborts it.
pub fn send(
    action: Action,
    endpoint: &str,
    project_id: &str,
    credentials: RequestCredentials,
    timeout_ms: u32,
    done: impl FnOnce(Outcome) + 'static,
) -> AbortController {
    debug_assert_eq!(action, Action::Progress);
    let callback = Closure::once_into_js(move |status: u16, text: Option<String>, error: String| {
        done(match (error.as_str(), text) {
            ("", Some(text)) => match decode(status, &text, |t| js_sys::JSON::parse(t).ok(), read_progress) {
                Ok(decoded) => Outcome::Answer(decoded),
                Err(failure) => Outcome::Failed(failure),
            },
            ("large", _) => Outcome::Failed(Failure::undecodable(status, DecodeIssue::TooLarge)),
            ("timeout", _) => Outcome::Failed(Failure::Timeout),
            ("abort", _) => Outcome::Cancelled,
            _ => Outcome::Failed(Failure::Network),
        })
    });
    js_request(endpoint, &request_body(project_id), credentials.as_str(), timeout_ms, MAX_ANSWER_BYTES as u32, &callback)
}

/// The browser's parsed JSON, as the decoder walks it.
impl JsonValue for JsValue {
    fn loose(&self) -> Loose {
        if let Some(b) = self.as_bool() {
            Loose::Bool(b)
        } else if let Some(n) = self.as_f64() {
            Loose::from_number(n)
        } else if let Some(s) = self.as_string() {
            Loose::Text(s)
        } else if self.is_object() {
            Loose::Nested
        } else {
            Loose::Absent
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
