//! Conversion of one loaded value (a CSV field or a JSON value) to the stored form of a column
//! type, with the checks StarRocks applies: integer range, DECIMAL precision, string length in
//! bytes, valid dates. A failed conversion is a `ConvError`; the caller decides (strict mode,
//! nullability) whether that means NULL or a filtered row. ARRAY/MAP/STRUCT values are converted
//! element by element with these same rules (`types::nested`).

use std::fmt;

use super::binary::{decode_hex, render_binary};
use super::datetime::{parse_date, parse_datetime};
use super::decimal::parse_decimal;
use super::{nested, ColumnType};
use crate::data::json_value::{parse_single, render_canonical, render_compact, JsonValue};

/// One input value, before conversion.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A CSV field, or any raw text.
    Text(&'a [u8]),
    /// A JSON string value (for JSON columns it stays a JSON string).
    JsonString(&'a str),
    /// A JSON number token, exactly as written.
    JsonNumber(&'a str),
    JsonBool(bool),
    /// A JSON object or array.
    JsonNested(&'a JsonValue<'a>),
    /// Bytes that are already binary (the result of `hex_decode_binary`): stored as they are in
    /// VARBINARY columns, read as text elsewhere.
    Binary(&'a [u8]),
}

impl<'a> Input<'a> {
    /// The value as text: raw text, a JSON string or number token, binary bytes; `None` for JSON
    /// booleans, arrays and objects.
    pub fn as_text(&self) -> Option<&'a [u8]> {
        match *self {
            Input::Text(b) | Input::Binary(b) => Some(b),
            Input::JsonString(s) | Input::JsonNumber(s) => Some(s.as_bytes()),
            Input::JsonBool(_) | Input::JsonNested(_) => None,
        }
    }

    /// Short text of the value for error messages (bounded).
    pub fn describe(&self) -> String {
        let text = match self {
            Input::Text(b) => String::from_utf8_lossy(b).into_owned(),
            Input::JsonString(s) | Input::JsonNumber(s) => (*s).to_string(),
            Input::JsonBool(b) => b.to_string(),
            Input::JsonNested(v) => {
                let mut out = String::new();
                render_compact(v, &mut out);
                out
            }
            Input::Binary(b) => render_binary(b),
        };
        if text.len() > 100 {
            let mut cut = 100;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            format!("{}...", &text[..cut])
        } else {
            text
        }
    }
}

/// Why a value could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvError {
    /// Not a valid literal of the type.
    Invalid,
    /// A number outside the type's range or precision.
    OutOfRange,
    /// A string longer than the column allows (bytes).
    TooLong { len: usize, max: usize },
    /// An ARRAY/MAP/STRUCT value that is malformed or has an element that does not convert; the
    /// text says where (`element 2 'x': invalid value`).
    Nested(String),
}

/// What a failed conversion of an element inside an ARRAY/MAP/STRUCT value does: fail the whole
/// value (strict mode, defaults, schema changes) or become a NULL element (non-strict loads, as
/// StarRocks' CSV and JSON readers do: `invalid_field_as_null` / `invalid_as_null` for elements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementErrors {
    Fail,
    Null,
}

impl fmt::Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvError::Invalid => f.write_str("invalid value"),
            ConvError::OutOfRange => f.write_str("value is out of range"),
            ConvError::TooLong { len, max } => {
                write!(f, "string length {len} exceeds the column length {max}")
            }
            ConvError::Nested(text) => f.write_str(text),
        }
    }
}

/// Integer text: optional surrounding ASCII whitespace, optional sign, decimal digits.
pub fn parse_i128(input: &[u8]) -> Result<i128, ConvError> {
    let s = input.trim_ascii();
    let (negative, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(ConvError::Invalid);
    }
    // Accumulate towards the sign so that i128::MIN parses.
    let mut value: i128 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return Err(ConvError::Invalid);
        }
        let digit = i128::from(c - b'0');
        value = value
            .checked_mul(10)
            .and_then(|v| {
                if negative {
                    v.checked_sub(digit)
                } else {
                    v.checked_add(digit)
                }
            })
            .ok_or(ConvError::OutOfRange)?;
    }
    Ok(value)
}

/// Fast path for up to BIGINT.
fn parse_i64(input: &[u8]) -> Result<i64, ConvError> {
    let s = input;
    // Common case: only digits, at most 18 of them.
    if !s.is_empty() && s.len() <= 18 && s.iter().all(u8::is_ascii_digit) {
        let mut v: i64 = 0;
        for &c in s {
            v = v * 10 + i64::from(c - b'0');
        }
        return Ok(v);
    }
    let wide = parse_i128(s)?;
    i64::try_from(wide).map_err(|_| ConvError::OutOfRange)
}

fn int_range(ty: &ColumnType) -> (i64, i64) {
    match ty {
        ColumnType::TinyInt => (i64::from(i8::MIN), i64::from(i8::MAX)),
        ColumnType::SmallInt => (i64::from(i16::MIN), i64::from(i16::MAX)),
        ColumnType::Int => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    }
}

/// Converts to the `Int` storage kind: BOOLEAN (0/1), TINYINT..BIGINT, DATE (days), DATETIME (µs).
pub fn to_int(ty: &ColumnType, input: &Input<'_>) -> Result<i64, ConvError> {
    match ty {
        ColumnType::Boolean => match *input {
            Input::JsonBool(b) => Ok(i64::from(b)),
            Input::JsonNested(_) => Err(ConvError::Invalid),
            _ => {
                let text = input.as_text().ok_or(ConvError::Invalid)?.trim_ascii();
                if text.eq_ignore_ascii_case(b"true") || text == b"1" {
                    Ok(1)
                } else if text.eq_ignore_ascii_case(b"false") || text == b"0" {
                    Ok(0)
                } else {
                    Err(ConvError::Invalid)
                }
            }
        },
        ColumnType::TinyInt | ColumnType::SmallInt | ColumnType::Int | ColumnType::BigInt => {
            let v = match *input {
                Input::JsonBool(b) => i64::from(b),
                Input::JsonNested(_) => return Err(ConvError::Invalid),
                _ => parse_i64(input.as_text().ok_or(ConvError::Invalid)?)?,
            };
            let (lo, hi) = int_range(ty);
            if v < lo || v > hi {
                return Err(ConvError::OutOfRange);
            }
            Ok(v)
        }
        ColumnType::Date => {
            parse_date(input.as_text().ok_or(ConvError::Invalid)?).ok_or(ConvError::Invalid)
        }
        ColumnType::DateTime => {
            parse_datetime(input.as_text().ok_or(ConvError::Invalid)?).ok_or(ConvError::Invalid)
        }
        _ => Err(ConvError::Invalid),
    }
}

/// Converts to the `Wide` storage kind: LARGEINT, DECIMAL (unscaled at the column scale).
pub fn to_wide(ty: &ColumnType, input: &Input<'_>) -> Result<i128, ConvError> {
    let text = match *input {
        Input::JsonBool(b) => return Ok(i128::from(b) * scale_factor(ty)),
        Input::JsonNested(_) => return Err(ConvError::Invalid),
        _ => input.as_text().ok_or(ConvError::Invalid)?,
    };
    match ty {
        ColumnType::LargeInt => parse_i128(text),
        ColumnType::Decimal { precision, scale } => {
            match parse_decimal(text, *precision, *scale) {
                Some(v) => Ok(v),
                None => {
                    // Distinguish a malformed literal from an overflow for the error message.
                    if parse_decimal(text, 38, 0).is_some() || looks_numeric(text) {
                        Err(ConvError::OutOfRange)
                    } else {
                        Err(ConvError::Invalid)
                    }
                }
            }
        }
        _ => Err(ConvError::Invalid),
    }
}

fn looks_numeric(text: &[u8]) -> bool {
    let t = text.trim_ascii();
    !t.is_empty()
        && t.iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
        && t.iter().any(u8::is_ascii_digit)
}

fn scale_factor(ty: &ColumnType) -> i128 {
    match ty {
        ColumnType::Decimal { scale, .. } => 10i128.pow(u32::from(*scale)),
        _ => 1,
    }
}

/// Converts to the `Float` storage kind. FLOAT values are rounded to `f32` and widened exactly.
pub fn to_float(ty: &ColumnType, input: &Input<'_>) -> Result<f64, ConvError> {
    let text = match *input {
        Input::JsonBool(b) => return Ok(if b { 1.0 } else { 0.0 }),
        Input::JsonNested(_) => return Err(ConvError::Invalid),
        _ => input.as_text().ok_or(ConvError::Invalid)?,
    };
    let t = std::str::from_utf8(text.trim_ascii()).map_err(|_| ConvError::Invalid)?;
    // Rust also accepts "inf"/"nan" spellings; StarRocks' numeric literals do not.
    if t.is_empty()
        || t.bytes()
            .any(|c| c.is_ascii_alphabetic() && c != b'e' && c != b'E')
    {
        return Err(ConvError::Invalid);
    }
    match ty {
        ColumnType::Float => {
            let v: f32 = t.parse().map_err(|_| ConvError::Invalid)?;
            if v.is_finite() {
                Ok(f64::from(v))
            } else {
                Err(ConvError::OutOfRange)
            }
        }
        _ => {
            let v: f64 = t.parse().map_err(|_| ConvError::Invalid)?;
            if v.is_finite() {
                Ok(v)
            } else {
                Err(ConvError::OutOfRange)
            }
        }
    }
}

/// Converts to the `Bytes` storage kind, appending to `out` (nothing is appended on error).
/// `elements` says what a failed element of an ARRAY/MAP/STRUCT value does.
pub fn to_bytes(
    ty: &ColumnType,
    input: &Input<'_>,
    elements: ElementErrors,
    out: &mut Vec<u8>,
) -> Result<(), ConvError> {
    match ty {
        ColumnType::Json => to_json(input, out),
        ColumnType::Array(_) | ColumnType::Map(..) | ColumnType::Struct(_) => {
            nested::to_nested(ty, input, elements, out)
        }
        _ => to_string_bytes(ty, input, out),
    }
}

/// JSON columns keep the canonical text of the value; text input must be a JSON document.
fn to_json(input: &Input<'_>, out: &mut Vec<u8>) -> Result<(), ConvError> {
    let mut text = String::new();
    match *input {
        Input::Text(b) | Input::Binary(b) => {
            let s = std::str::from_utf8(b).map_err(|_| ConvError::Invalid)?;
            let value = parse_single(s).map_err(|_| ConvError::Invalid)?;
            render_canonical(&value, &mut text);
        }
        Input::JsonString(s) => {
            render_canonical(&JsonValue::String(s.into()), &mut text);
        }
        Input::JsonNumber(n) => render_canonical(&JsonValue::Number(n), &mut text),
        Input::JsonBool(b) => render_canonical(&JsonValue::Bool(b), &mut text),
        Input::JsonNested(v) => render_canonical(v, &mut text),
    }
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

/// CHAR, VARCHAR, STRING and VARBINARY: the bytes, length-checked. Text loaded into VARBINARY is
/// hex (see `types::binary`); binary input into a string column must be valid UTF-8.
fn to_string_bytes(ty: &ColumnType, input: &Input<'_>, out: &mut Vec<u8>) -> Result<(), ConvError> {
    let max = ty.max_len().unwrap_or(usize::MAX);
    let binary = matches!(ty, ColumnType::VarBinary(_));
    let start = out.len();
    match *input {
        Input::Text(b) if binary => {
            if !decode_hex(b, out) {
                return Err(ConvError::Invalid);
            }
        }
        Input::Binary(b) if !binary && std::str::from_utf8(b).is_err() => {
            return Err(ConvError::Invalid)
        }
        Input::Text(b) | Input::Binary(b) => out.extend_from_slice(b),
        Input::JsonString(s) | Input::JsonNumber(s) => out.extend_from_slice(s.as_bytes()),
        Input::JsonBool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Input::JsonNested(v) => {
            let mut text = String::new();
            render_compact(v, &mut text);
            out.extend_from_slice(text.as_bytes());
        }
    }
    let len = out.len() - start;
    if len > max {
        out.truncate(start);
        return Err(ConvError::TooLong { len, max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(ty: ColumnType, s: &str) -> Result<i64, ConvError> {
        to_int(&ty, &Input::Text(s.as_bytes()))
    }

    #[test]
    fn integer_ranges() {
        assert_eq!(int(ColumnType::TinyInt, "127"), Ok(127));
        assert_eq!(int(ColumnType::TinyInt, "-128"), Ok(-128));
        assert_eq!(int(ColumnType::TinyInt, "128"), Err(ConvError::OutOfRange));
        assert_eq!(int(ColumnType::Int, " 42 "), Ok(42));
        assert_eq!(int(ColumnType::Int, "+7"), Ok(7));
        assert_eq!(int(ColumnType::Int, "4.5"), Err(ConvError::Invalid));
        assert_eq!(int(ColumnType::Int, ""), Err(ConvError::Invalid));
        assert_eq!(int(ColumnType::BigInt, "9223372036854775807"), Ok(i64::MAX));
        assert_eq!(
            int(ColumnType::BigInt, "9223372036854775808"),
            Err(ConvError::OutOfRange)
        );
        assert_eq!(int(ColumnType::Boolean, "TRUE"), Ok(1));
        assert_eq!(int(ColumnType::Boolean, "0"), Ok(0));
        assert_eq!(int(ColumnType::Boolean, "yes"), Err(ConvError::Invalid));
    }

    #[test]
    fn strings_are_measured_in_bytes() {
        let mut out = Vec::new();
        let fail = ElementErrors::Fail;
        let v3 = ColumnType::Varchar(3);
        assert!(to_bytes(&v3, &Input::Text("abc".as_bytes()), fail, &mut out).is_ok());
        assert_eq!(
            to_bytes(&v3, &Input::Text("ééé".as_bytes()), fail, &mut out),
            Err(ConvError::TooLong { len: 6, max: 3 })
        );
        assert_eq!(out, b"abc");
        assert_eq!(
            to_bytes(&v3, &Input::Binary(&[0xff]), fail, &mut out),
            Err(ConvError::Invalid)
        );
    }

    #[test]
    fn varbinary_takes_hex_text_and_json_strings_as_bytes() {
        let fail = ElementErrors::Fail;
        let b2 = ColumnType::VarBinary(2);
        let mut out = Vec::new();
        to_bytes(&b2, &Input::Text(b"abCD"), fail, &mut out).expect("hex");
        to_bytes(&b2, &Input::JsonString("hi"), fail, &mut out).expect("utf-8");
        to_bytes(&b2, &Input::Binary(&[0, 0xff]), fail, &mut out).expect("bytes");
        assert_eq!(out, [0xab, 0xcd, b'h', b'i', 0, 0xff]);
        for bad in [&b"abc"[..], b"xy"] {
            assert_eq!(
                to_bytes(&b2, &Input::Text(bad), fail, &mut out),
                Err(ConvError::Invalid)
            );
        }
        assert_eq!(
            to_bytes(&b2, &Input::Text(b"010203"), fail, &mut out),
            Err(ConvError::TooLong { len: 3, max: 2 })
        );
        assert_eq!(out.len(), 6);
    }

    #[test]
    fn floats() {
        assert_eq!(
            to_float(&ColumnType::Double, &Input::Text(b"1.5e3")),
            Ok(1500.0)
        );
        assert_eq!(
            to_float(&ColumnType::Double, &Input::Text(b"inf")),
            Err(ConvError::Invalid)
        );
        assert_eq!(
            to_float(&ColumnType::Float, &Input::Text(b"1e40")),
            Err(ConvError::OutOfRange)
        );
    }
}
