//! UTC timestamps for `<time datetime>` attributes, computed without the browser so they are
//! exact for every value the decoder accepts (years 1970–9999).

/// `YYYY-MM-DDTHH:MM:SSZ` for unix seconds; negative values clamp to the epoch.
pub fn iso_utc(unix_seconds: i64) -> String {
    let secs = unix_seconds.max(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(20);
    push_padded(&mut out, year, 4);
    out.push('-');
    push_padded(&mut out, month, 2);
    out.push('-');
    push_padded(&mut out, day, 2);
    out.push('T');
    push_padded(&mut out, rem / 3600, 2);
    out.push(':');
    push_padded(&mut out, rem / 60 % 60, 2);
    out.push(':');
    push_padded(&mut out, rem % 60, 2);
    out.push('Z');
    out
}

/// Unix seconds of `YYYY-MM-DDTHH:MM:SS` in UTC (OMS writes its times so, without an offset);
/// a space for the `T`, fractions of a second and a trailing `Z` are accepted. `None` for
/// anything else, or an impossible date.
pub fn parse_utc(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches(['Z', 'z']);
    let bytes = text.as_bytes();
    if bytes.len() < 19 || !matches!(bytes[10], b'T' | b't' | b' ') || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    if bytes.len() > 19 && (bytes[19] != b'.' || !bytes[20..].iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let field = |from: usize, to: usize| -> Option<i64> {
        let digits = &bytes[from..to];
        digits.iter().all(u8::is_ascii_digit).then(|| digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (year, month, day) = (field(0, 4)?, field(5, 7)?, field(8, 10)?);
    let (hour, minute, second) = (field(11, 13)?, field(14, 16)?, field(17, 19)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn push_padded(out: &mut String, value: i64, width: usize) {
    let digits = crate::oms::decimal(value);
    out.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
    out.push_str(&digits);
}

#[cfg(test)]
mod tests {
    use super::iso_utc;

    #[test]
    fn oms_times_parse_as_utc() {
        use super::parse_utc;
        assert_eq!(parse_utc("2023-05-31T04:08:42"), Some(1_685_506_122));
        assert_eq!(parse_utc("2023-05-31 04:08:42"), Some(1_685_506_122));
        assert_eq!(parse_utc("2023-05-31T04:08:42.123Z"), Some(1_685_506_122));
        assert_eq!(parse_utc(" 2000-02-29T00:00:00 "), Some(951_782_400), "leap day");
        for bad in ["", "2023-05-31", "2023-02-30T00:00:00", "2023-13-01T00:00:00", "2023-05-31T24:00:00", "yesterday", "2023-05-31T04:08:42+08:00", "２０２３-05-31T04:08:42"] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
        for seconds in [0, 1_685_506_122, 951_782_400, 4_107_542_400] {
            assert_eq!(parse_utc(&iso_utc(seconds)), Some(seconds), "round trip");
        }
    }

    #[test]
    fn known_instants() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_689_248_064), "2023-07-13T11:34:24Z");
        assert_eq!(iso_utc(951_782_400), "2000-02-29T00:00:00Z", "leap day");
        assert_eq!(iso_utc(4_107_542_400), "2100-03-01T00:00:00Z", "2100 is not a leap year");
        assert_eq!(iso_utc(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(iso_utc(-5), "1970-01-01T00:00:00Z");
    }
}
