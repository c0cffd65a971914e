//! The one decoder of whole answers. The browser runs it on every answer (parsing with
//! `JSON.parse`); the native tests and the property tests run the very same code (parsing with
//! serde_json). Any bytes become a decoded value or a classified [`Failure`], never a panic.

use super::api::MAX_ANSWER_BYTES;
use super::envelope::Envelope;
use super::failure::{DecodeIssue, Failure, is_success};
use super::loose::{JsonValue, Loose};

/// A successful answer: what the card uses, and `data` as parsed (the `detail` of the card's
/// events and its `data` property).
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<T, V> {
    /// The decoded value.
    pub value: T,
    /// The envelope's `data`, as parsed.
    pub data: V,
    /// A list's `totalCount`, when the answer gives one.
    pub total: Option<u64>,
    /// A list's `pageSize`, when the answer gives one.
    pub page_size: Option<u64>,
}

/// Decodes an answer that came with HTTP `status`.
///
/// `parse` is the JSON parser; `read` turns `data` into the value the card uses, `None` when it
/// has the wrong shape. A `data` string holding JSON (the API page types `data` as a string) is
/// parsed too.
pub fn decode<T, V: JsonValue>(
    status: u16,
    text: &str,
    parse: impl Fn(&str) -> Option<V>,
    read: impl Fn(&V) -> Option<T>,
) -> Result<Decoded<T, V>, Failure> {
    if text.len() > MAX_ANSWER_BYTES {
        return Err(Failure::undecodable(status, DecodeIssue::TooLarge));
    }
    let root = parse(text).ok_or_else(|| DecodeIssue::of_unparsable(text));
    decode_parsed(status, root, parse, read)
}

/// Decodes an answer already parsed: `root`, or what its body was when it was no JSON. The
/// browser parses where the body arrives, so a page of a thousand tasks is never copied into
/// the wasm's memory (which never shrinks).
pub fn decode_parsed<T, V: JsonValue>(
    status: u16,
    root: Result<V, DecodeIssue>,
    parse: impl Fn(&str) -> Option<V>,
    read: impl Fn(&V) -> Option<T>,
) -> Result<Decoded<T, V>, Failure> {
    let root = root.map_err(|issue| Failure::undecodable(status, issue))?;
    let Some(envelope) = Envelope::from_json(&root) else {
        return Err(Failure::undecodable(status, DecodeIssue::NotAnObject));
    };
    let report = envelope.report();
    if !is_success(status) {
        return Err(Failure::Http { status, report });
    }
    let data = envelope.data.and_then(|data| match data.loose() {
        Loose::Text(embedded) => parse(&embedded),
        _ => Some(data),
    });
    let (total, page_size) = (envelope.total_count, envelope.page_size);
    let decoded = data.and_then(|data| read(&data).map(|value| Decoded { value, data, total, page_size }));
    // `success` missing, but data and no error: a lenient server; take the data.
    let without_verdict = envelope.success == Loose::Absent && report.code.is_none() && report.message.is_none();
    match (envelope.success.flag(), decoded) {
        (Some(true), Some(decoded)) => Ok(decoded),
        (None, Some(decoded)) if without_verdict => Ok(decoded),
        (Some(true), None) => Err(Failure::Decode { issue: DecodeIssue::NoData, report }),
        _ => Err(Failure::Api { report }),
    }
}
