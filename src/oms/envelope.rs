//! The OpenAPI envelope around every OMS answer, and its classification into progress or a
//! [`Failure`].

use super::failure::{DecodeIssue, Failure, FailureKind, is_success};
use super::loose::{JsonValue, Loose, normalise_key};
use super::progress::Progress;

/// An OMS OpenAPI answer: `success`, error fields and `data`, each read leniently.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Envelope {
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
    /// `errorDetail`, when it is an object.
    pub error_detail: ErrorDetail,
    /// `data`.
    pub data: Data,
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

/// `data` of an envelope, in whatever shape it came.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Data {
    /// Null or missing.
    #[default]
    Missing,
    /// An object: the progress.
    Progress(Progress),
    /// A string, which some servers use to carry JSON (the API page types `data` as string).
    Text(String),
    /// Any other JSON type.
    Unexpected,
}

impl Envelope {
    /// Classifies a decoded answer that came with HTTP `status`.
    ///
    /// `parse_embedded` turns a `data` string holding JSON into progress; it is passed in
    /// because the wasm build parses with the browser's `JSON.parse`.
    pub fn into_outcome(
        mut self,
        status: u16,
        parse_embedded: impl FnOnce(&str) -> Option<Progress>,
    ) -> Result<Progress, Failure> {
        let succeeded = self.success.flag();
        let has_error_fields = self.code.is_some() || self.message.is_some() || self.error_detail.code.is_some();
        if !is_success(status) {
            return Err(self.failure(FailureKind::Http, Some(status)));
        }
        // `success` missing but a data object and no error: a lenient server, take the data.
        let data_without_verdict = self.success == Loose::Absent && !has_error_fields && matches!(self.data, Data::Progress(_));
        if succeeded == Some(false) || (succeeded != Some(true) && !data_without_verdict) {
            return Err(self.failure(FailureKind::Api, Some(status)));
        }
        let progress = match std::mem::take(&mut self.data) {
            Data::Progress(p) => Some(p),
            Data::Text(text) => parse_embedded(&text),
            Data::Missing | Data::Unexpected => None,
        };
        progress.ok_or_else(|| Failure { decode_issue: Some(DecodeIssue::NoData), ..self.failure(FailureKind::Decode, Some(status)) })
    }

    /// A failure carrying this envelope's code, message, advice and request id, each taken
    /// from the top level first and from `errorDetail` otherwise.
    fn failure(&self, kind: FailureKind, status: Option<u16>) -> Failure {
        let detail = &self.error_detail;
        Failure {
            kind,
            http_status: status,
            decode_issue: None,
            code: self.code.clone().or_else(|| detail.code.clone()),
            message: self.message.clone().or_else(|| detail.message.clone()).or_else(|| detail.reason.clone()),
            advice: self.advice.clone().or_else(|| detail.proposal.clone()),
            request_id: self.request_id.clone(),
        }
    }
}

impl Envelope {
    /// Reads an answer; `None` when the JSON is not an object.
    pub fn from_json<V: JsonValue>(root: &V) -> Option<Self> {
        let mut envelope = Envelope::default();
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
                "data" => envelope.data = Data::from_json(value),
                _ => {}
            }
        }
        Some(envelope)
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

impl Data {
    /// Reads `data`: an object is progress, a string may carry JSON, null is missing.
    fn from_json<V: JsonValue>(value: V) -> Self {
        match value.members() {
            Some(members) => Data::Progress(Progress::from_members(members)),
            None => match value.loose() {
                Loose::Absent => Data::Missing,
                Loose::Text(text) => Data::Text(text),
                _ => Data::Unexpected,
            },
        }
    }
}
