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
    fn known_instants() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_689_248_064), "2023-07-13T11:34:24Z");
        assert_eq!(iso_utc(951_782_400), "2000-02-29T00:00:00Z", "leap day");
        assert_eq!(iso_utc(4_107_542_400), "2100-03-01T00:00:00Z", "2100 is not a leap year");
        assert_eq!(iso_utc(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(iso_utc(-5), "1970-01-01T00:00:00Z");
    }
}
