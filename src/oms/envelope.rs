//! The OpenAPI envelope around every OMS answer, and its classification into progress or a
//! [`Failure`].

use super::failure::{DecodeIssue, Failure, FailureKind, is_success};
use super::loose::{Loose, normalise_key};
use super::progress::Progress;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

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

/// Visitor methods that answer `$value` for JSON shapes a field does not use: numbers,
/// booleans and arrays (skipped), and null unless `scalars only` is given.
macro_rules! other_shapes_are {
    ($value:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        other_shapes_are!($value; scalars only);
    };
    ($value:expr; scalars only) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($value)
        }
    };
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OMS answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut envelope = Envelope::default();
        while let Some(key) = map.next_key::<String>()? {
            match normalise_key(&key).as_str() {
                "success" => envelope.success = map.next_value()?,
                "code" => envelope.code = map.next_value::<Loose>()?.non_blank_text(),
                "message" => envelope.message = map.next_value::<Loose>()?.non_blank_text(),
                "advice" => envelope.advice = map.next_value::<Loose>()?.non_blank_text(),
                "requestid" => envelope.request_id = map.next_value::<Loose>()?.non_blank_text(),
                "cost" => envelope.cost = map.next_value::<Loose>()?.non_blank_text(),
                "errordetail" => envelope.error_detail = map.next_value()?,
                "data" => envelope.data = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(envelope)
    }
}

impl<'de> Deserialize<'de> for ErrorDetail {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ErrorDetailVisitor)
    }
}

struct ErrorDetailVisitor;

impl<'de> Visitor<'de> for ErrorDetailVisitor {
    type Value = ErrorDetail;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an errorDetail object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorDetail, A::Error> {
        let mut detail = ErrorDetail::default();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<Loose>()?.non_blank_text();
            match normalise_key(&key).as_str() {
                "code" => detail.code = value,
                "level" => detail.level = value,
                "message" => detail.message = value,
                "reason" => detail.reason = value,
                "proposal" => detail.proposal = value,
                _ => {}
            }
        }
        Ok(detail)
    }

    // Null, numbers, booleans and arrays carry no usable detail; a string is its message.
    other_shapes_are!(ErrorDetail::default());

    fn visit_str<E: de::Error>(self, message: &str) -> Result<ErrorDetail, E> {
        let message = Some(message.to_owned()).filter(|m| !m.trim().is_empty());
        Ok(ErrorDetail { message, ..ErrorDetail::default() })
    }
}

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = Data;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the data object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Data, A::Error> {
        Progress::deserialize(MapAccessDeserializer::new(map)).map(Data::Progress)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Data, E> {
        Ok(Data::Text(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Data, E> {
        Ok(Data::Text(v))
    }
    // Null is missing data; numbers, booleans and arrays are not data at all.
    fn visit_unit<E: de::Error>(self) -> Result<Data, E> {
        Ok(Data::Missing)
    }
    fn visit_none<E: de::Error>(self) -> Result<Data, E> {
        Ok(Data::Missing)
    }
    other_shapes_are!(Data::Unexpected; scalars only);
}
