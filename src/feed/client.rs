//! One request to the proxy, decoded and classified. The browser fetches (`fetch.js`); the
//! answer is decoded by [`crate::oms::decode_parsed`], walking what `JSON.parse` made of it.

use super::actions::{ActionSpec, Answered};
use crate::model::RequestCredentials;
use crate::oms::{DecodeIssue, Decoded, Failure, JsonValue, Loose, MAX_ANSWER_BYTES, decode_parsed};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortController;

#[wasm_bindgen(module = "/src/feed/fetch.js")]
extern "C" {
    #[wasm_bindgen(js_name = request)]
    fn js_request(url: &str, body: &str, credentials: &str, timeout_ms: u32, max_bytes: u32, done: &JsValue) -> AbortController;
    /// The page-wide settings of `configure()`; its `changes` fire when they change.
    #[wasm_bindgen(js_name = pageConfig)]
    fn page_config() -> JsValue;
    /// `url` made absolute against the page's base URL.
    pub fn absolute(url: &str) -> Option<String>;
    #[wasm_bindgen(js_name = fields)]
    fn js_fields(value: &JsValue, names: &str) -> Option<js_sys::Array>;
}

/// Where `configure()` announces a change of the host's headers or credentials.
pub fn configure_changes() -> Option<web_sys::EventTarget> {
    js_sys::Reflect::get(&page_config(), &"changes".into()).ok()?.dyn_into().ok()
}

/// How a request ended.
pub enum Outcome {
    /// An answer that decoded.
    Answer(Decoded<Answered, JsValue>),
    /// A failure to report.
    Failed(Failure),
    /// Aborted on purpose (the card went away, or a newer request replaced it): not reported.
    Cancelled,
}

/// Sends `body` to `endpoint` for the action of `spec`, and calls `done` with the outcome, decoded
/// by the action's reader; the returned controller aborts it.
pub fn send(
    spec: &'static ActionSpec,
    endpoint: &str,
    body: &str,
    credentials: Option<RequestCredentials>,
    timeout_ms: u32,
    done: impl FnOnce(Outcome) + 'static,
) -> AbortController {
    let read = spec.read;
    // `json`: the parsed body; `unparsed`: the head of a body that is no JSON.
    let callback = Closure::once_into_js(move |status: u16, json: JsValue, error: String, unparsed: Option<String>| {
        done(match error.as_str() {
            "" => {
                let root = unparsed.map_or(Ok(json), |head| Err(DecodeIssue::of_unparsable(&head)));
                match decode_parsed(status, root, |t| js_sys::JSON::parse(t).ok(), read) {
                    Ok(decoded) => Outcome::Answer(decoded),
                    Err(failure) => Outcome::Failed(failure),
                }
            }
            "large" => Outcome::Failed(Failure::undecodable(status, DecodeIssue::TooLarge)),
            "timeout" => Outcome::Failed(Failure::Timeout),
            "headers" => Outcome::Failed(Failure::NoCredentials),
            "abort" => Outcome::Cancelled,
            _ => Outcome::Failed(Failure::Network),
        })
    });
    js_request(endpoint, body, credentials.map_or("", RequestCredentials::as_str), timeout_ms, MAX_ANSWER_BYTES as u32, &callback)
}

/// The browser's parsed JSON, as the decoder walks it.
impl JsonValue for JsValue {
    fn loose(&self) -> Loose {
        // Each question crosses into JS: the commonest kinds of OMS's values are asked first.
        if let Some(n) = self.as_f64() {
            Loose::from_number(n)
        } else if let Some(s) = self.as_string() {
            Loose::Text(s)
        } else if let Some(b) = self.as_bool() {
            Loose::Bool(b)
        } else if self.is_object() {
            Loose::Nested
        } else {
            Loose::Absent
        }
    }

    fn fields(&self, names: &str) -> Option<Vec<Self>> {
        js_fields(self, names).map(|found| found.iter().collect())
    }

    fn items(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(self).then(|| self.unchecked_ref::<js_sys::Array>().iter().collect())
    }
}
