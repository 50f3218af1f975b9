//! Text forms of typed values shared by the CSV and JSON encoders: numbers, decimals, dates and
//! timestamps, written straight into the output buffer without temporary strings.
//!
//! Dates and timestamps use StarRocks' canonical forms (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.f]`),
//! which StarRocks parses for DATE and DATETIME columns in every load format.

use super::frame::Value;

/// Why a value has no text form (the caller adds row and column).
pub type TextError = String;

/// The text of a scalar value as both body formats carry it (unquoted): BOOLEAN as 1/0, strings
/// as they are, BINARY as hex.
pub fn write_scalar(out: &mut Vec<u8>, v: &Value<'_>) -> Result<(), TextError> {
    match *v {
        Value::Boolean(b) => out.push(if b { b'1' } else { b'0' }),
        Value::TinyInt(x) => write_int(out, x),
        Value::SmallInt(x) => write_int(out, x),
        Value::Int(x) => write_int(out, x),
        Value::BigInt(x) => write_int(out, x),
        Value::Float(x) => write_f32(out, x)?,
        Value::Double(x) => write_f64(out, x)?,
        Value::Decimal64(u, s) => {
            let mut digits = itoa::Buffer::new();
            write_decimal_digits(out, u < 0, digits.format(u.unsigned_abs()), s)
        }
        Value::DecimalBig(b, s) => write_decimal(out, decimal_bytes_to_i128(b)?, s),
        Value::String(s) => out.extend_from_slice(s),
        Value::Date(d) => write_date(out, d)?,
        Value::Timestamp {
            precision,
            epoch_millis,
            nano_of_milli,
        } => write_timestamp(out, precision, epoch_millis, nano_of_milli)?,
        Value::Time {
            precision,
            millis_of_day,
        } => write_time(out, precision, millis_of_day),
        Value::Binary(b) => write_hex(out, b),
        Value::Null | Value::Array(_) | Value::Map(_) | Value::Row(_) => {
            return Err(format!("internal: {v:?} is not a scalar"));
        }
    }
    Ok(())
}

/// `s` as UTF-8, or why not.
pub fn utf8(s: &[u8]) -> Result<&str, TextError> {
    std::str::from_utf8(s).map_err(|e| {
        format!(
            "the value is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        )
    })
}

pub fn write_int(out: &mut Vec<u8>, v: impl itoa::Integer) {
    let mut b = itoa::Buffer::new();
    out.extend_from_slice(b.format(v).as_bytes());
}

pub fn write_f64(out: &mut Vec<u8>, v: f64) -> Result<(), TextError> {
    if !v.is_finite() {
        return Err(format!(
            "{v} cannot be loaded into StarRocks (only finite FLOAT/DOUBLE values)"
        ));
    }
    let mut b = ryu::Buffer::new();
    out.extend_from_slice(b.format_finite(v).as_bytes());
    Ok(())
}

pub fn write_f32(out: &mut Vec<u8>, v: f32) -> Result<(), TextError> {
    if !v.is_finite() {
        return Err(format!(
            "{v} cannot be loaded into StarRocks (only finite FLOAT/DOUBLE values)"
        ));
    }
    let mut b = ryu::Buffer::new();
    out.extend_from_slice(b.format_finite(v).as_bytes());
    Ok(())
}

/// Writes `unscaled * 10^-scale` in plain notation (no exponent).
pub fn write_decimal(out: &mut Vec<u8>, unscaled: i128, scale: u8) {
    let mut digits = itoa::Buffer::new();
    write_decimal_digits(
        out,
        unscaled < 0,
        digits.format(unscaled.unsigned_abs()),
        scale,
    )
}

/// [`write_decimal`] from the digits of the unscaled value's magnitude (formatted as u64 where the
/// value fits: much cheaper than u128).
fn write_decimal_digits(out: &mut Vec<u8>, negative: bool, text: &str, scale: u8) {
    if negative {
        out.push(b'-');
    }
    let scale = scale as usize;
    if scale == 0 {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    if text.len() <= scale {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + (scale - text.len()), b'0');
        out.extend_from_slice(text.as_bytes());
    } else {
        let (int, frac) = text.as_bytes().split_at(text.len() - scale);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    }
}

/// Big-endian two's complement bytes (Java `BigInteger.toByteArray`) to i128.
pub fn decimal_bytes_to_i128(bytes: &[u8]) -> Result<i128, TextError> {
    let (sign_ext, body) = if bytes.len() > 16 {
        let (head, body) = bytes.split_at(bytes.len() - 16);
        let negative = body[0] & 0x80 != 0;
        let expected = if negative { 0xFF } else { 0x00 };
        if head.iter().any(|b| *b != expected) {
            return Err("DECIMAL value does not fit in 38 digits".to_string());
        }
        (negative, body)
    } else {
        (bytes.first().is_some_and(|b| b & 0x80 != 0), bytes)
    };
    let mut buf = if sign_ext { [0xFFu8; 16] } else { [0u8; 16] };
    buf[16 - body.len()..].copy_from_slice(body);
    Ok(i128::from_be_bytes(buf))
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn push2(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&two_digits(v));
}

/// The two decimal digits of `v` (below 100).
fn two_digits(v: u32) -> [u8; 2] {
    [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8]
}

/// `YYYY-MM-DD` of a day count, or why StarRocks cannot take it.
fn ymd(days: i64) -> Result<[u8; 10], TextError> {
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return Err(format!(
            "year {y} is outside the range StarRocks accepts (0000-9999)"
        ));
    }
    let y = y as u32;
    let [y1, y2] = two_digits(y / 100);
    let [y3, y4] = two_digits(y % 100);
    let [m1, m2] = two_digits(m);
    let [d1, d2] = two_digits(d);
    Ok([y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2])
}

fn write_ymd(out: &mut Vec<u8>, days: i64) -> Result<(), TextError> {
    out.extend_from_slice(&ymd(days)?);
    Ok(())
}

/// `YYYY-MM-DD`.
pub fn write_date(out: &mut Vec<u8>, days: i32) -> Result<(), TextError> {
    write_ymd(out, days as i64)
}

/// `YYYY-MM-DD HH:MM:SS` plus `min(precision, 6)` fraction digits (StarRocks keeps microseconds).
pub fn write_timestamp(
    out: &mut Vec<u8>,
    precision: u8,
    epoch_millis: i64,
    nano_of_milli: i32,
) -> Result<(), TextError> {
    let secs = epoch_millis.div_euclid(1000);
    let nanos = epoch_millis.rem_euclid(1000) as u32 * 1_000_000 + nano_of_milli as u32;
    // Composed on the stack and appended once.
    let mut text = [0u8; 26];
    text[..10].copy_from_slice(&ymd(secs.div_euclid(86_400))?);
    let sod = secs.rem_euclid(86_400) as u32;
    text[10] = b' ';
    text[11..13].copy_from_slice(&two_digits(sod / 3600));
    text[13] = b':';
    text[14..16].copy_from_slice(&two_digits(sod / 60 % 60));
    text[16] = b':';
    text[17..19].copy_from_slice(&two_digits(sod % 60));
    let digits = precision.min(6) as usize;
    let mut len = 19;
    if digits > 0 {
        text[19] = b'.';
        let mut frac = nanos / 1_000; // microseconds
        for slot in text[20..26].iter_mut().rev() {
            *slot = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        len = 20 + digits;
    }
    out.extend_from_slice(&text[..len]);
    Ok(())
}

/// `HH:MM:SS` plus `min(precision, 3)` fraction digits (Flink keeps milliseconds of a TIME).
pub fn write_time(out: &mut Vec<u8>, precision: u8, millis_of_day: i32) {
    let millis = millis_of_day as u32;
    let sod = millis / 1000;
    push2(out, sod / 3600);
    out.push(b':');
    push2(out, sod / 60 % 60);
    out.push(b':');
    push2(out, sod % 60);
    let digits = precision.min(3) as usize;
    if digits > 0 {
        let frac = millis % 1000;
        let tmp = [
            b'0' + (frac / 100) as u8,
            b'0' + (frac / 10 % 10) as u8,
            b'0' + (frac % 10) as u8,
        ];
        out.push(b'.');
        out.extend_from_slice(&tmp[..digits]);
    }
}

/// Lower-case hexadecimal digits of `bytes` (how BINARY values travel as text).
pub fn write_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 0xF) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn decimals_are_plain() {
        assert_eq!(s(|o| write_decimal(o, 12345, 2)), "123.45");
        assert_eq!(s(|o| write_decimal(o, -5, 3)), "-0.005");
        assert_eq!(s(|o| write_decimal(o, 0, 2)), "0.00");
        assert_eq!(s(|o| write_decimal(o, 42, 0)), "42");
        assert_eq!(
            s(|o| write_decimal(
                o,
                "99999999999999999999999999999999999999"
                    .parse::<i128>()
                    .unwrap(),
                10
            )),
            "9999999999999999999999999999.9999999999"
        );
    }

    #[test]
    fn java_big_integer_bytes_decode() {
        assert_eq!(decimal_bytes_to_i128(&[0x01, 0x00]).unwrap(), 256);
        assert_eq!(decimal_bytes_to_i128(&[0xFF]).unwrap(), -1);
        assert_eq!(decimal_bytes_to_i128(&[0x80]).unwrap(), -128);
        let mut b = vec![0x00];
        b.extend_from_slice(&[0xFF; 16]);
        assert_eq!(
            decimal_bytes_to_i128(&b[..]).unwrap_err(),
            "DECIMAL value does not fit in 38 digits"
        );
    }

    #[test]
    fn dates_follow_the_proleptic_calendar() {
        assert_eq!(s(|o| write_date(o, 0).unwrap()), "1970-01-01");
        assert_eq!(s(|o| write_date(o, -1).unwrap()), "1969-12-31");
        assert_eq!(s(|o| write_date(o, 11_016).unwrap()), "2000-02-29");
        assert_eq!(s(|o| write_date(o, -719_528).unwrap()), "0000-01-01");
        assert_eq!(s(|o| write_date(o, 2_932_896).unwrap()), "9999-12-31");
        assert!(write_date(&mut Vec::new(), 2_932_897).is_err());
    }

    #[test]
    fn timestamps_keep_up_to_microseconds() {
        assert_eq!(
            s(|o| write_timestamp(o, 0, 1_577_934_245_000, 0).unwrap()),
            "2020-01-02 03:04:05"
        );
        assert_eq!(
            s(|o| write_timestamp(o, 6, 1_577_934_245_123, 456_789).unwrap()),
            "2020-01-02 03:04:05.123456"
        );
        assert_eq!(
            s(|o| write_timestamp(o, 3, -1, 0).unwrap()),
            "1969-12-31 23:59:59.999"
        );
    }

    #[test]
    fn times_keep_up_to_milliseconds() {
        assert_eq!(s(|o| write_time(o, 0, 0)), "00:00:00");
        assert_eq!(s(|o| write_time(o, 0, 86_399_999)), "23:59:59");
        assert_eq!(s(|o| write_time(o, 3, 45_296_007)), "12:34:56.007");
        assert_eq!(s(|o| write_time(o, 1, 45_296_907)), "12:34:56.9");
        assert_eq!(s(|o| write_time(o, 9, 1)), "00:00:00.001");
    }

    #[test]
    fn binary_is_lower_case_hex() {
        assert_eq!(s(|o| write_hex(o, &[0x00, 0xAB, 0x10, 0xff])), "00ab10ff");
        assert_eq!(s(|o| write_hex(o, &[])), "");
    }

    #[test]
    fn non_finite_floats_are_refused() {
        assert!(write_f64(&mut Vec::new(), f64::NAN).is_err());
        assert_eq!(s(|o| write_f64(o, 0.1).unwrap()), "0.1");
        assert_eq!(s(|o| write_f32(o, 1.5).unwrap()), "1.5");
    }
}
