//! The OpenAPI envelope around every OMS answer.

use super::failure::ServerReport;
use super::loose::{JsonValue, Loose, normalise_key};

/// An OMS OpenAPI answer: `success`, the error fields and `data`, each read leniently.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Envelope<V> {
    /// `success`; missing in some error answers.
    pub success: Loose,
    /// `code` at the top level.
    pub code: Option<String>,
    /// `message` at the top level.
    pub message: Option<String>,
    /// `advice` at the top level.
    pub advice: Option<String>,
    /// `requestId`.
    pub request_id: Option<String>,
    /// `cost`: "27 ms", "1" or 56 on real servers; kept as text.
    pub cost: Option<String>,
    /// `errorDetail`, when it is an object (or a bare message).
    pub error_detail: ErrorDetail,
    /// `data` as parsed, unless null or missing.
    pub data: Option<V>,
}

/// `errorDetail` of an envelope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorDetail {
    /// `errorDetail.code`.
    pub code: Option<String>,
    /// `errorDetail.level`: FATAL, ERROR, WARNING, CRITICAL.
    pub level: Option<String>,
    /// `errorDetail.message`.
    pub message: Option<String>,
    /// `errorDetail.reason`.
    pub reason: Option<String>,
    /// `errorDetail.proposal`.
    pub proposal: Option<String>,
}

impl<V: JsonValue> Envelope<V> {
    /// Reads an answer; `None` when the JSON is not an object.
    pub fn from_json(root: &V) -> Option<Self> {
        let mut envelope = Envelope { success: Loose::Absent, code: None, message: None, advice: None, request_id: None, cost: None, error_detail: ErrorDetail::default(), data: None };
        for (key, value) in root.members()? {
            let text = || value.loose().non_blank_text();
            match normalise_key(&key).as_str() {
                "success" => envelope.success = value.loose(),
                "code" => envelope.code = text(),
                "message" => envelope.message = text(),
                "advice" => envelope.advice = text(),
                "requestid" => envelope.request_id = text(),
                "cost" => envelope.cost = text(),
                "errordetail" => envelope.error_detail = ErrorDetail::from_json(&value),
                "data" => envelope.data = (value.loose() != Loose::Absent).then_some(value),
                _ => {}
            }
        }
        Some(envelope)
    }
}

impl<V> Envelope<V> {
    /// What the envelope says about a failure: the top level first, `errorDetail` otherwise.
    pub fn report(&self) -> ServerReport {
        let detail = &self.error_detail;
        ServerReport {
            code: self.code.clone().or_else(|| detail.code.clone()),
            message: self.message.clone().or_else(|| detail.message.clone()).or_else(|| detail.reason.clone()),
            advice: self.advice.clone().or_else(|| detail.proposal.clone()),
            request_id: self.request_id.clone(),
        }
    }
}

impl ErrorDetail {
    /// Reads `errorDetail`: an object's fields, a string as its message, nothing from other shapes.
    fn from_json<V: JsonValue>(value: &V) -> Self {
        let Some(members) = value.members() else {
            let message = match value.loose() {
                Loose::Text(text) if !text.trim().is_empty() => Some(text),
                _ => None,
            };
            return ErrorDetail { message, ..ErrorDetail::default() };
        };
        let mut detail = ErrorDetail::default();
        for (key, value) in members {
            let text = value.loose().non_blank_text();
            match normalise_key(&key).as_str() {
                "code" => detail.code = text,
                "level" => detail.level = text,
                "message" => detail.message = text,
                "reason" => detail.reason = text,
                "proposal" => detail.proposal = text,
                _ => {}
            }
        }
        detail
    }
}
