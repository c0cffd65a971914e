//! Dates, relative times, durations and numbers, formatted by the browser's `Intl` (intl.js), all
//! in one narrow style, their inner spaces non-breaking:
//! the browser knows every language's forms, and its formatters are smaller in JavaScript than
//! the bindings to build them from Rust.

use crate::model::labels::Locale;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/view/intl.js")]
extern "C" {
    #[wasm_bindgen(js_name = dateTime)]
    fn js_date_time(locale: &str, ms: f64) -> String;
    #[wasm_bindgen(js_name = ago)]
    fn js_ago(locale: &str, value: f64, unit: &str) -> String;
    #[wasm_bindgen(js_name = duration)]
    fn js_duration(locale: &str, seconds: f64) -> String;
    #[wasm_bindgen(js_name = percent)]
    fn js_percent(locale: &str, value: f64) -> String;
    #[wasm_bindgen(js_name = count)]
    fn js_count(locale: &str, value: f64) -> String;
    #[wasm_bindgen(js_name = warm)]
    fn js_warm(locale: &str);
}

/// Has a formatter made while the page is idle (waiting for the first answer): the page's first
/// one pays for ICU's start, milliseconds that would otherwise delay the first paint.
pub fn warm(locale: Locale) {
    js_warm(locale.tag());
}

/// A count with the language's grouping: "1,234,567".
pub fn count(locale: Locale, value: f64) -> String {
    js_count(locale.tag(), value)
}

/// A unix time in the viewer's time zone: the time alone when it is today, else date and time.
pub fn local_date_time(locale: Locale, unix_ms: f64) -> String {
    js_date_time(locale.tag(), unix_ms)
}

/// How long ago `seconds` is, in the one unit the card shows: (whole units, unit name). The words
/// change only when this does, so callers format only then.
pub fn ago_parts(seconds: f64) -> (i64, &'static str) {
    let seconds = seconds.max(0.0).floor() as i64;
    match seconds {
        0..60 => (seconds, "second"),
        60..3600 => (seconds / 60, "minute"),
        3600..86_400 => (seconds / 3600, "hour"),
        _ => (seconds / 86_400, "day"),
    }
}

/// "12s ago", "5m ago", "3h ago", "2d ago" (or the Chinese forms), from
/// [`ago_parts`].
pub fn ago(locale: Locale, value: i64, unit: &str) -> String {
    js_ago(locale.tag(), value as f64, unit)
}

/// A span of time in its two largest units (the second left out when zero): "2m 5s", "3h 10m",
/// "20m", "1,228d 4h"; one line, whatever the language.
pub fn duration(locale: Locale, seconds: u64) -> String {
    js_duration(locale.tag(), seconds as f64)
}

/// A percentage as sent (not clamped): "87.5%", "100%", "140%".
pub fn percent(locale: Locale, value: f64) -> String {
    js_percent(locale.tag(), value)
}

/// A number as JavaScript writes it, for attributes (`aria-valuenow`, `stroke-dashoffset`).
pub fn plain_number(value: f64) -> String {
    js_sys::Number::from(value).to_string_with_radix(10).map(String::from).unwrap_or_default()
}
