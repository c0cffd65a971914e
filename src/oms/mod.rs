//! OMS wire types and decoding: pure Rust, no browser needed.
//!
//! An answer is read in two steps. First the JSON becomes an [`Envelope`] in which every field
//! is lenient ([`Loose`]), so a field of an unexpected type costs only that field. Then
//! [`decode`] classifies it into the value the card uses or a [`Failure`] of the `network` /
//! `timeout` / `http` / `decode` / `api` kind. docs/oms-api.md says how real servers deviate
//! from the documented types.

mod api;
mod codes;
mod decode;
mod envelope;
mod failure;
mod listed;
mod loose;
mod metric;
mod progress;
mod project;
mod steps;
pub mod time;

pub use api::{API_PATH, Action, FORBIDDEN_PROJECT_CODE, MAX_ANSWER_BYTES, MAX_ID_LEN, UNAUTHENTICATED_CODE, fields, is_valid_id, proxy_base};
pub use codes::{AlarmLevel, Code, KnownCode, ProjectStatus, Step, Tone};
pub use decode::{Decoded, decode, decode_parsed};
pub use envelope::{Envelope, ErrorDetail};
pub use failure::{DecodeIssue, Failure, FailureKind, ServerReport, is_success};
pub use listed::{ListFilters, ListedTask, UnknownFilter, pages_for, paging, read_listed};
pub use loose::{JsonValue, Loose, decimal, push_json_string};
pub use metric::{MAX_METRIC_POINTS, MetricSeries};
pub use progress::{Checkpoint, IncrementalStage, Progress, Stage};
pub use project::{Alarm, ProjectInfo, TableDifference, Verification};
pub use steps::{MAX_STEPS, Sparse, StepError, StepInfo, StepStatus, TaskStep, read_steps};

/// Reads the `data` of a `DescribeProjectProgress` answer: an object.
pub fn read_progress<V: JsonValue>(data: &V) -> Option<Progress> {
    Progress::from_json(data)
}

/// Reads the `data` of a `DescribeProject` answer: an object.
pub fn read_project<V: JsonValue>(data: &V) -> Option<ProjectInfo> {
    ProjectInfo::from_json(data)
}

/// Reads the `data` of a `ListProjectFullVerifyResult` answer: an object.
pub fn read_verification<V: JsonValue>(data: &V) -> Option<Verification> {
    Verification::from_json(data)
}

/// Reads the `data` of a `DescribeProjectStepMetric` answer: an object.
pub fn read_metric<V: JsonValue>(data: &V) -> Option<MetricSeries> {
    MetricSeries::from_json(data)
}

/// serde_json's values, for the native tests and tools: the same decoder, another JSON source.
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

    fn fields(&self, names: &str) -> Option<Vec<Self>> {
        let serde_json::Value::Object(map) = self else { return None };
        let names: Vec<&str> = names.split(',').map(str::trim).collect();
        let mut fields = vec![serde_json::Value::Null; names.len()];
        for (key, value) in map {
            if let Some(at) = names.iter().position(|n| oms_progress_api::is_field(key, n)) {
                fields[at] = value.clone();
            }
        }
        Some(fields)
    }

    fn items(&self) -> Option<Vec<Self>> {
        match self {
            serde_json::Value::Array(items) => Some(items.clone()),
            _ => None,
        }
    }
}

/// The shipped decoder on a whole steps answer, parsed by serde_json.
#[cfg(test)]
pub(crate) fn decode_steps(status: u16, body: &str) -> Result<Vec<TaskStep>, Failure> {
    decode(status, body, |text| serde_json::from_str::<serde_json::Value>(text).ok(), read_steps).map(|d| d.value)
}

/// The shipped decoder on a whole progress answer, parsed by serde_json.
#[cfg(test)]
pub(crate) fn decode_progress(status: u16, body: &str) -> Result<Progress, Failure> {
    decode(status, body, |text| serde_json::from_str::<serde_json::Value>(text).ok(), read_progress).map(|d| d.value)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) mod fuzz;
