//! `Loose`: one JSON value as the widget can use it, whatever type the server chose, and
//! [`JsonValue`], the parsed JSON it is read from.
//!
//! Real OMS servers send numbers as strings, strings as numbers and objects where the
//! documentation promises scalars. Every field is first read as a `Loose`, which accepts any
//! JSON value, so one odd field never makes the whole answer unreadable.

/// A parsed JSON value, as the decoder walks it. The browser build implements it for the
/// `JsValue`s of `JSON.parse` (no JSON parser or serde code in the wasm); the tests for
/// `serde_json::Value`. The decoder never goes deeper than four levels, so hostile nesting
/// costs nothing.
pub trait JsonValue: Sized {
    /// The value as a scalar; objects and arrays are [`Loose::Nested`].
    fn loose(&self) -> Loose;
    /// The members of an object named by `names` (a field list of [`super::fields`]), in that
    /// order: a member matches as [`oms_progress_api::is_field`] says, so `requestId`,
    /// `RequestId` and `request_id` are one field; of duplicates the last wins; a
    /// missing one is absent (`loose()` of it is [`Loose::Absent`]). `None` for anything but an
    /// object.
    fn fields(&self, names: &str) -> Option<Vec<Self>>;
    /// The items of an array; `None` for anything else.
    fn items(&self) -> Option<Vec<Self>>;
}

/// A JSON value reduced to the scalar shapes the widget understands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Loose {
    /// `null`, or the key was missing.
    #[default]
    Absent,
    /// `true` / `false`.
    Bool(bool),
    /// A number with no fractional part that fits in `i64`.
    Int(i64),
    /// Any other finite number.
    Float(f64),
    /// A string, as sent.
    Text(String),
    /// An object or array where a scalar was expected (its content is skipped).
    Nested,
}

impl Loose {
    /// The value as display text: strings as sent, integers in decimal; nothing otherwise.
    pub fn text(&self) -> Option<String> {
        match self {
            Loose::Text(s) => Some(s.clone()),
            Loose::Int(i) => Some(decimal(*i)),
            Loose::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(decimal(*f as i64)),
            _ => None,
        }
    }

    /// Like [`Loose::text`], but blank strings count as missing.
    pub fn non_blank_text(&self) -> Option<String> {
        self.text().filter(|s| !s.trim().is_empty())
    }

    /// A flag: `true`/`false`, `1`/`0`, or those words as strings (any case).
    pub fn flag(&self) -> Option<bool> {
        match self {
            Loose::Bool(b) => Some(*b),
            Loose::Int(1) => Some(true),
            Loose::Int(0) => Some(false),
            Loose::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "y" | "on" => Some(true),
                "false" | "0" | "no" | "n" | "off" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A number: JSON numbers, and strings holding a plain decimal (`"42"`, `" 33.5 "`, `"80%"`).
    pub fn number(&self) -> Option<f64> {
        match self {
            Loose::Int(i) => Some(*i as f64),
            Loose::Float(f) => Some(*f),
            Loose::Text(s) => parse_decimal(s.trim().trim_end_matches('%').trim_end()),
            _ => None,
        }
    }
}

impl Loose {
    /// A count: a whole number ≥ 0 (as a number or a string); nothing for anything else.
    pub fn count(&self) -> Option<u64> {
        self.number().filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n < 9.0e15).map(|n| n as u64)
    }
}

/// An integer in decimal, written without `core::fmt` (whose machinery the wasm would carry
/// for this one use).
pub fn decimal(value: i64) -> String {
    let mut digits = [0u8; 20];
    let (mut rest, mut at) = (value.unsigned_abs(), digits.len());
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut text = String::with_capacity(21);
    if value < 0 {
        text.push('-');
    }
    digits[at..].iter().for_each(|d| text.push(char::from(*d)));
    text
}

/// Parses `[+-]digits[.digits]` (or `.digits`) into a finite `f64`.
///
/// Hand-written because `str::parse::<f64>` brings several kilobytes of tables into the wasm,
/// and percentages and timestamps need nothing more than this.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits.len() > 40 {
        return None;
    }
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut value = 0.0_f64;
    for b in whole.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 1.0_f64;
    for b in fraction.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        scale /= 10.0;
        value += f64::from(b - b'0') * scale;
    }
    Some(if negative { -value } else { value })
}

impl Loose {
    /// A JSON number: integral values that fit exactly become [`Loose::Int`]; NaN and
    /// infinities (which JSON cannot carry) are absent.
    pub fn from_number(v: f64) -> Self {
        if !v.is_finite() {
            Loose::Absent
        } else if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Loose::Int(v as i64)
        } else {
            Loose::Float(v)
        }
    }
}

/// Normalises an object key for matching: ASCII lower case without `_` or `-`, so
/// Appends `text` to `out` as a JSON string: quoted, with `"`, `\\` and control characters
/// escaped (request bodies are written by hand: a JSON library would weigh more in wasm).
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(char::from_digit(c as u32 >> 4, 16).unwrap_or('0'));
                out.push(char::from_digit(c as u32 & 0xf, 16).unwrap_or('0'));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_round_trip() {
        for text in ["np_4w8s2k", "a\"b\\c", "line\nbreak\u{1}", "中文 ✓", ""] {
            let mut out = String::new();
            push_json_string(&mut out, text);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text, "{out}");
        }
    }

    fn loose(json: &str) -> Loose {
        serde_json::from_str::<serde_json::Value>(json).unwrap().loose()
    }

    #[test]
    fn accepts_every_json_shape() {
        assert_eq!(loose("null"), Loose::Absent);
        assert_eq!(loose("true"), Loose::Bool(true));
        assert_eq!(loose("-3"), Loose::Int(-3));
        assert_eq!(loose("18446744073709551615"), Loose::Float(18446744073709551615.0));
        assert_eq!(Loose::from_number(f64::NAN), Loose::Absent);
        assert_eq!(loose("2.5"), Loose::Float(2.5));
        assert_eq!(loose("100.0"), Loose::Int(100));
        assert_eq!(loose("\"x\""), Loose::Text("x".into()));
        assert_eq!(loose("[1,[2],{\"a\":3}]"), Loose::Nested);
        assert_eq!(loose("{\"a\":{\"b\":[]}}"), Loose::Nested);
    }

    #[test]
    fn decimals() {
        for n in [0, 7, -7, 10, 1_689_248_064, i64::MAX, i64::MIN, -100] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn numbers_from_strings() {
        assert_eq!(Loose::Text(" 42 ".into()).number(), Some(42.0));
        assert_eq!(Loose::Text("33.5".into()).number(), Some(33.5));
        assert_eq!(Loose::Text("80%".into()).number(), Some(80.0));
        assert_eq!(Loose::Text("-7".into()).number(), Some(-7.0));
        assert_eq!(Loose::Text(".5".into()).number(), Some(0.5));
        for bad in ["", "abc", "1e5", "1.2.3", ".", "-", "12a", "NaN", "Infinity"] {
            assert_eq!(Loose::Text(bad.into()).number(), None, "{bad:?}");
        }
        assert_eq!(Loose::Bool(true).number(), None);
        assert_eq!(Loose::Nested.number(), None);
    }

    #[test]
    fn flags_from_many_shapes() {
        assert_eq!(Loose::Bool(false).flag(), Some(false));
        assert_eq!(Loose::Int(1).flag(), Some(true));
        assert_eq!(Loose::Text("TRUE".into()).flag(), Some(true));
        assert_eq!(Loose::Text("false".into()).flag(), Some(false));
        assert_eq!(Loose::Text("maybe".into()).flag(), None);
        assert_eq!(Loose::Int(2).flag(), None);
        assert_eq!(Loose::Absent.flag(), None);
    }

    #[test]
    fn text_of_scalars() {
        assert_eq!(Loose::Int(56).text().as_deref(), Some("56"));
        assert_eq!(Loose::Text("27 ms".into()).text().as_deref(), Some("27 ms"));
        assert_eq!(Loose::Float(0.5).text(), None);
        assert_eq!(Loose::Nested.text(), None);
        assert_eq!(Loose::Text("  ".into()).non_blank_text(), None);
    }
}
