//! Dates, relative times, durations and numbers, formatted by the browser's `Intl`.
//! One set of formatters per locale, built on first use.

use crate::i18n::Locale;
use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DurationFormat` (Chrome 129, Safari 16.4, Firefox 136); js-sys only has it
    /// behind its unstable flag.
    #[wasm_bindgen(js_namespace = Intl, js_name = DurationFormat)]
    type DurationFormat;

    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = DurationFormat, catch)]
    fn new(locales: &Array, options: &Object) -> Result<DurationFormat, JsValue>;

    #[wasm_bindgen(method, js_class = DurationFormat, catch)]
    fn format(this: &DurationFormat, duration: &Object) -> Result<js_sys::JsString, JsValue>;
}

struct Formatters {
    date_time: Function,
    relative: Intl::RelativeTimeFormat,
    percent: Function,
    duration: Option<DurationFormat>,
    /// Fallback for a browser without `Intl.DurationFormat`: one unit, e.g. "5 min".
    units: [Function; 4],
}

thread_local! {
    static FORMATTERS: RefCell<Vec<(Locale, Rc<Formatters>)>> = const { RefCell::new(Vec::new()) };
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    object
}

fn formatters(locale: Locale) -> Rc<Formatters> {
    if let Some(found) = FORMATTERS.with_borrow(|all| all.iter().find(|(l, _)| *l == locale).map(|(_, f)| f.clone())) {
        return found;
    }
    let tags = Array::of1(&locale.tag().into());
    let unit = |unit: &str| {
        Intl::NumberFormat::new(&tags, &options(&[("style", "unit"), ("unit", unit), ("unitDisplay", "narrow")])).format()
    };
    let built = Rc::new(Formatters {
        date_time: Intl::DateTimeFormat::new(&tags, &options(&[("dateStyle", "medium"), ("timeStyle", "medium")])).format(),
        relative: Intl::RelativeTimeFormat::new(&tags, &options(&[("numeric", "always"), ("style", "short")])),
        percent: {
            let o = options(&[("style", "percent")]);
            let _ = Reflect::set(&o, &"maximumFractionDigits".into(), &1.into());
            Intl::NumberFormat::new(&tags, &o).format()
        },
        duration: DurationFormat::new(&tags, &options(&[("style", "narrow")])).ok(),
        units: [unit("day"), unit("hour"), unit("minute"), unit("second")],
    });
    FORMATTERS.with_borrow_mut(|all| all.push((locale, built.clone())));
    built
}

fn call(format: &Function, value: &JsValue) -> String {
    format.call1(&JsValue::NULL, value).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// A unix time as a date and time in the viewer's time zone.
pub fn local_date_time(locale: Locale, unix_ms: f64) -> String {
    call(&formatters(locale).date_time, &Date::new(&unix_ms.into()))
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

/// "12 sec. ago", "5 min. ago", "3 hr. ago", "2 days ago" (or the Chinese forms), from
/// [`ago_parts`].
pub fn ago(locale: Locale, value: i64, unit: &str) -> String {
    formatters(locale).relative.format(-(value as f64), unit).into()
}

/// A span of time in its two largest units: "2m 5s", "3h 10m", "1,228d 4h".
pub fn duration(locale: Locale, seconds: u64) -> String {
    let parts = [seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60];
    let names = ["days", "hours", "minutes", "seconds"];
    let first = parts.iter().position(|v| *v > 0).unwrap_or(3);
    let f = formatters(locale);
    if let Some(duration_format) = &f.duration {
        let object = Object::new();
        for i in first..(first + 2).min(4) {
            let _ = Reflect::set(&object, &names[i].into(), &(parts[i] as f64).into());
        }
        if let Ok(text) = duration_format.format(&object) {
            return text.into();
        }
    }
    call(&f.units[first], &(parts[first] as f64).into())
}

/// A percentage as sent (not clamped): "87.5%", "100%", "140%".
pub fn percent(locale: Locale, value: f64) -> String {
    call(&formatters(locale).percent, &(value / 100.0).into())
}

/// A number as JavaScript writes it, for attributes (`aria-valuenow`, `stroke-dashoffset`).
pub fn plain_number(value: f64) -> String {
    js_sys::Number::from(value).to_string_with_radix(10).map(String::from).unwrap_or_default()
}
