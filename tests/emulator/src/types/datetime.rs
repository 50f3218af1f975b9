//! DATE and DATETIME: parsing the input forms StarRocks accepts and rendering the canonical text.
//!
//! DATE is stored as days since 1970-01-01 (proleptic Gregorian), DATETIME as microseconds since
//! 1970-01-01 00:00:00. Both cover years 0000..=9999 like StarRocks.

const MICROS_PER_SECOND: i64 = 1_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a valid civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date (year, month, day) of a day number.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

fn valid_date(year: i64, month: u32, day: u32) -> bool {
    (0..=9999).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
}

/// Reads 1..=max digits; returns (value, digits consumed).
fn digits(s: &[u8], max: usize) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    let mut n = 0;
    while n < s.len() && n < max && s[n].is_ascii_digit() {
        value = value * 10 + u32::from(s[n] - b'0');
        n += 1;
    }
    if n == 0 {
        None
    } else {
        Some((value, n))
    }
}

/// Parses the date part; returns (year, month, day, bytes consumed).
fn parse_date_part(s: &[u8]) -> Option<(i64, u32, u32, usize)> {
    // Compact form YYYYMMDD (optionally followed by a time part).
    if s.len() >= 8
        && s[..8].iter().all(u8::is_ascii_digit)
        && (s.len() == 8 || !s[8].is_ascii_digit() || s.len() == 14)
    {
        let num = |a: usize, b: usize| {
            s[a..b]
                .iter()
                .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
        };
        return Some((i64::from(num(0, 4)), num(4, 6), num(6, 8), 8));
    }
    let (year, n1) = digits(s, 4)?;
    if n1 != 4 || s.get(n1) != Some(&b'-') {
        return None;
    }
    let rest = &s[n1 + 1..];
    let (month, n2) = digits(rest, 2)?;
    if rest.get(n2) != Some(&b'-') {
        return None;
    }
    let rest2 = &rest[n2 + 1..];
    let (day, n3) = digits(rest2, 2)?;
    Some((i64::from(year), month, day, n1 + 1 + n2 + 1 + n3))
}

/// Parses `HH:MM:SS[.ffffff]` (or compact `HHMMSS` after a compact date); returns micros of day.
fn parse_time_part(s: &[u8]) -> Option<i64> {
    if s.len() == 6 && s.iter().all(u8::is_ascii_digit) {
        let num = |a: usize| u32::from(s[a] - b'0') * 10 + u32::from(s[a + 1] - b'0');
        return time_micros(num(0), num(2), num(4), 0);
    }
    let (h, n1) = digits(s, 2)?;
    if s.get(n1) != Some(&b':') {
        return None;
    }
    let rest = &s[n1 + 1..];
    let (m, n2) = digits(rest, 2)?;
    let rest = &rest[n2..];
    let (sec, rest) = if rest.first() == Some(&b':') {
        let (sec, n3) = digits(&rest[1..], 2)?;
        (sec, &rest[1 + n3..])
    } else {
        (0, rest)
    };
    let mut micros = 0u32;
    if let Some((&b'.', frac)) = rest.split_first() {
        if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // StarRocks keeps microseconds; further digits are truncated.
        for i in 0..6 {
            micros = micros * 10 + frac.get(i).map_or(0, |c| u32::from(c - b'0'));
        }
    } else if !rest.is_empty() {
        return None;
    }
    time_micros(h, m, sec, micros)
}

fn time_micros(h: u32, m: u32, s: u32, micros: u32) -> Option<i64> {
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some(
        (i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s)) * MICROS_PER_SECOND
            + i64::from(micros),
    )
}

fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

/// Parses a DATE. Accepts `YYYY-MM-DD` (1- or 2-digit month/day), `YYYYMMDD`, and a datetime
/// whose time part is dropped.
pub fn parse_date(input: &[u8]) -> Option<i64> {
    let s = trim(input);
    let (y, m, d, n) = parse_date_part(s)?;
    if !valid_date(y, m, d) {
        return None;
    }
    let rest = &s[n..];
    if !rest.is_empty() {
        let sep = rest[0];
        if sep != b' ' && sep != b'T' {
            return None;
        }
        parse_time_part(trim(&rest[1..]))?;
    }
    Some(days_from_civil(y, m, d))
}

/// Parses a DATETIME. Accepts `YYYY-MM-DD HH:MM:SS[.ffffff]`, ISO `YYYY-MM-DDTHH:MM:SS[.ffffff]`,
/// `YYYY-MM-DD HH:MM`, a bare date (midnight) and `YYYYMMDDHHMMSS`.
pub fn parse_datetime(input: &[u8]) -> Option<i64> {
    let s = trim(input);
    let (y, m, d, n) = parse_date_part(s)?;
    if !valid_date(y, m, d) {
        return None;
    }
    let rest = &s[n..];
    let time = if rest.is_empty() {
        0
    } else if n == 8 && rest.len() == 6 {
        parse_time_part(rest)?
    } else {
        let sep = rest[0];
        if sep != b' ' && sep != b'T' {
            return None;
        }
        parse_time_part(trim(&rest[1..]))?
    };
    Some(days_from_civil(y, m, d) * SECONDS_PER_DAY * MICROS_PER_SECOND + time)
}

/// `YYYY-MM-DD`.
pub fn render_date(days: i64, out: &mut String) {
    let (y, m, d) = civil_from_days(days);
    out.push_str(&format!("{y:04}-{m:02}-{d:02}"));
}

/// `YYYY-MM-DD HH:MM:SS`, plus `.ffffff` only when the microseconds are not zero.
pub fn render_datetime(micros: i64, out: &mut String) {
    let day_micros = SECONDS_PER_DAY * MICROS_PER_SECOND;
    let days = micros.div_euclid(day_micros);
    let in_day = micros.rem_euclid(day_micros);
    render_date(days, out);
    let secs = in_day / MICROS_PER_SECOND;
    let frac = in_day % MICROS_PER_SECOND;
    out.push_str(&format!(
        " {:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    ));
    if frac != 0 {
        out.push_str(&format!(".{frac:06}"));
    }
}

/// The current UTC time as DATETIME text (for `CURRENT_TIMESTAMP` defaults) [emulator choice:
/// UTC, whole seconds].
pub fn now_text() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut out = String::new();
    render_datetime(i64::try_from(secs).unwrap_or(0) * 1_000_000, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<String> {
        parse_date(s.as_bytes()).map(|d| {
            let mut out = String::new();
            render_date(d, &mut out);
            out
        })
    }

    fn datetime(s: &str) -> Option<String> {
        parse_datetime(s.as_bytes()).map(|d| {
            let mut out = String::new();
            render_datetime(d, &mut out);
            out
        })
    }

    #[test]
    fn dates() {
        assert_eq!(date("2020-01-02").as_deref(), Some("2020-01-02"));
        assert_eq!(date("2020-1-2").as_deref(), Some("2020-01-02"));
        assert_eq!(date("20200102").as_deref(), Some("2020-01-02"));
        assert_eq!(date("2020-02-29").as_deref(), Some("2020-02-29"));
        assert_eq!(date("2021-02-29"), None);
        assert_eq!(date("0000-01-01").as_deref(), Some("0000-01-01"));
        assert_eq!(date("9999-12-31").as_deref(), Some("9999-12-31"));
        assert_eq!(date("2020-01-02 10:11:12").as_deref(), Some("2020-01-02"));
        assert_eq!(date("2020-13-01"), None);
        assert_eq!(date(""), None);
        assert_eq!(date("abc"), None);
    }

    #[test]
    fn datetimes() {
        assert_eq!(
            datetime("2020-01-02 03:04:05").as_deref(),
            Some("2020-01-02 03:04:05")
        );
        assert_eq!(
            datetime("2020-01-02T03:04:05").as_deref(),
            Some("2020-01-02 03:04:05")
        );
        assert_eq!(
            datetime("2020-01-02 03:04:05.123").as_deref(),
            Some("2020-01-02 03:04:05.123000")
        );
        assert_eq!(
            datetime("2020-01-02 03:04:05.1234567").as_deref(),
            Some("2020-01-02 03:04:05.123456")
        );
        assert_eq!(
            datetime("2020-01-02 03:04:05.000000").as_deref(),
            Some("2020-01-02 03:04:05")
        );
        assert_eq!(
            datetime("2020-01-02").as_deref(),
            Some("2020-01-02 00:00:00")
        );
        assert_eq!(
            datetime("20200102030405").as_deref(),
            Some("2020-01-02 03:04:05")
        );
        assert_eq!(
            datetime("1960-06-30 23:59:59.5").as_deref(),
            Some("1960-06-30 23:59:59.500000")
        );
        assert_eq!(datetime("2020-01-02 24:00:00"), None);
        assert_eq!(datetime("2020-01-02 03:04:05Z"), None);
    }
}
