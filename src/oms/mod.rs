//! OMS wire types and decoding: pure Rust, no browser needed.
//!
//! An answer of `DescribeProjectProgress` is read in two steps. First the JSON becomes an
//! [`Envelope`] in which every field is lenient ([`Loose`]), so a field of an unexpected type
//! costs only that field. Then [`Envelope::into_outcome`] classifies it into [`Progress`] or a
//! [`Failure`] with the `network` / `timeout` / `http` / `decode` / `api` kind of CONTRACT.md.
//! See `../shared/oms/NOTES.md` for how real servers deviate from the documented types.

mod codes;
mod envelope;
mod failure;
mod loose;
mod progress;

pub use codes::{AlarmLevel, Code, KnownCode, ProjectStatus, Step, Tone};
pub use envelope::{Data, Envelope, ErrorDetail};
pub use failure::{DecodeIssue, Failure, FailureKind, is_success};
pub use loose::{JsonValue, Loose};
pub use progress::{Checkpoint, IncrementalStage, Progress, Stage};

/// The largest answer body the widget reads: real progress answers are under 2 KB.
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// The path and query of the progress operation, appended to the proxy URL.
pub const PROGRESS_PATH: &str = "/api/v2?Action=DescribeProjectProgress";

/// `{proxy-url}/api/v2?Action=DescribeProjectProgress`; trailing `/`s of the proxy URL are
/// tolerated. `None` for a blank proxy URL.
pub fn progress_endpoint(proxy_url: &str) -> Option<String> {
    let base = proxy_url.trim().trim_end_matches('/');
    if base.is_empty() && !proxy_url.trim().starts_with('/') {
        return None;
    }
    Some([base, PROGRESS_PATH].concat())
}

/// Whether an envelope key names `data`, matched the way the decoder matches every key.
pub fn is_data_key(key: &str) -> bool {
    loose::normalise_key(key) == "data"
}

/// Decodes a whole HTTP answer with serde_json: the native twin of the browser's decoding
/// (which parses with `JSON.parse`), used by the tests and the property tests.
#[cfg(test)]
pub fn decode_answer(status: u16, body: &str) -> Result<Progress, Failure> {
    if body.len() > MAX_ANSWER_BYTES {
        return Err(Failure::undecodable(status, DecodeIssue::TooLarge));
    }
    let Ok(root) = serde_json::from_str::<serde_json::Value>(body) else {
        return Err(Failure::undecodable(status, DecodeIssue::of_unparsable(body)));
    };
    let Some(envelope) = Envelope::from_json(&root) else {
        return Err(Failure::undecodable(status, DecodeIssue::NotAnObject));
    };
    envelope.into_outcome(status, |text| {
        let parsed = serde_json::from_str::<serde_json::Value>(text).ok()?;
        parsed.members().map(Progress::from_members)
    })
}

#[cfg(test)]
impl JsonValue for serde_json::Value {
    fn loose(&self) -> Loose {
        match self {
            serde_json::Value::Null => Loose::Absent,
            serde_json::Value::Bool(b) => Loose::Bool(*b),
            serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Loose::Int(i),
                (None, Some(u), _) => Loose::Float(u as f64),
                (_, _, Some(f)) => Loose::from_number(f),
                _ => Loose::Absent,
            },
            serde_json::Value::String(s) => Loose::Text(s.clone()),
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => Loose::Nested,
        }
    }

    fn members(&self) -> Option<Vec<(String, Self)>> {
        match self {
            serde_json::Value::Object(map) => Some(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fuzz;
