//! Canonical text of stored values, as StarRocks' MySQL text protocol shows them: integers in
//! decimal, BOOLEAN as `1`/`0`, FLOAT/DOUBLE shortest round-trip, DECIMAL with exactly `scale`
//! digits, DATE `YYYY-MM-DD`, DATETIME `YYYY-MM-DD HH:MM:SS[.ffffff]`, strings verbatim, VARBINARY
//! `0x` and upper-case hex, ARRAY/MAP/STRUCT as stored (their canonical text, see `nested`).

use super::binary::render_binary;
use super::datetime::{render_date, render_datetime};
use super::decimal::render_decimal;
use super::float_fmt::{format_f32, format_f64};
use super::ColumnType;

/// Text of a value of the `Int` storage kind.
pub fn render_int(ty: &ColumnType, v: i64) -> String {
    let mut out = String::new();
    match ty {
        ColumnType::Date => render_date(v, &mut out),
        ColumnType::DateTime => render_datetime(v, &mut out),
        _ => out.push_str(&v.to_string()),
    }
    out
}

/// Text of a value of the `Wide` storage kind.
pub fn render_wide(ty: &ColumnType, v: i128) -> String {
    let mut out = String::new();
    match ty {
        ColumnType::Decimal { scale, .. } => render_decimal(v, *scale, &mut out),
        _ => out.push_str(&v.to_string()),
    }
    out
}

/// Text of a value of the `Float` storage kind.
pub fn render_float(ty: &ColumnType, v: f64) -> String {
    match ty {
        // Stored FLOAT values are exact f32 values widened to f64.
        ColumnType::Float => format_f32(v as f32),
        _ => format_f64(v),
    }
}

/// Text of a value of the `Bytes` storage kind (loads store valid UTF-8 in all but VARBINARY).
pub fn render_bytes(ty: &ColumnType, v: &[u8]) -> String {
    match ty {
        ColumnType::VarBinary(_) => render_binary(v),
        _ => String::from_utf8_lossy(v).into_owned(),
    }
}
