//! The OpenAPI envelope around every OMS answer.

use super::failure::ServerReport;
use super::loose::{JsonValue, Loose};

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
    /// `totalCount` of a list's answer: how many items all its pages hold.
    pub total_count: Option<u64>,
    /// `pageSize` of a list's answer: how many items its pages hold.
    pub page_size: Option<u64>,
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
        // A list's envelope is the envelope and its paging: one reader for both.
        let [success, code, message, advice, request_id, cost, error_detail, data, total_count, _, page_size] =
            <[V; 11]>::try_from(root.fields(super::fields::LIST_ENVELOPE)?).ok()?;
        let text = |v: &V| v.loose().non_blank_text();
        Some(Envelope {
            success: success.loose(),
            code: text(&code),
            message: text(&message),
            advice: text(&advice),
            request_id: text(&request_id),
            cost: text(&cost),
            error_detail: ErrorDetail::from_json(&error_detail),
            data: (data.loose() != Loose::Absent).then_some(data),
            total_count: total_count.loose().count(),
            page_size: page_size.loose().count(),
        })
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
        let Some(fields) = value.fields(super::fields::ERROR_DETAIL) else {
            let message = match value.loose() {
                Loose::Text(text) if !text.trim().is_empty() => Some(text),
                _ => None,
            };
            return ErrorDetail { message, ..ErrorDetail::default() };
        };
        let mut text = fields.iter().map(|v| v.loose().non_blank_text());
        let mut next = || text.next().flatten();
        ErrorDetail { code: next(), level: next(), message: next(), reason: next(), proposal: next() }
    }
}
