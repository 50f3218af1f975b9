//! JSON rows: one object per row, keys are the sink's column names, in a `[...]` array per chunk
//! (sent with `strip_outer_array: true`). Strings are escaped per RFC 8259 and must be valid UTF-8.

use super::frame::Value;
use super::text;

#[derive(Debug, Clone)]
pub(super) struct JsonEncoder {
    /// `"name":` for each column, escaped once.
    keys: Vec<Vec<u8>>,
}

impl JsonEncoder {
    pub(super) fn new(columns: &[String]) -> Self {
        let keys = columns
            .iter()
            .map(|c| {
                let mut k = Vec::with_capacity(c.len() + 3);
                write_string(&mut k, c);
                k.push(b':');
                k
            })
            .collect();
        JsonEncoder { keys }
    }

    pub(super) fn append_row(
        &self,
        out: &mut Vec<u8>,
        first: bool,
        fields: &[Value<'_>],
        op: Option<u8>,
    ) -> Result<(), (usize, String)> {
        if !first {
            out.push(b',');
        }
        out.push(b'{');
        for (i, (v, key)) in fields.iter().zip(&self.keys).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            value(out, v).map_err(|e| (i, e))?;
        }
        if let Some(op) = op {
            if !fields.is_empty() {
                out.push(b',');
            }
            out.extend_from_slice(b"\"__op\":");
            out.push(b'0' + op);
        }
        out.push(b'}');
        Ok(())
    }

    pub(super) fn append_raw(
        &self,
        out: &mut Vec<u8>,
        first: bool,
        bytes: &[u8],
    ) -> Result<(), String> {
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() {
            return Err("the record is empty; each record must be one JSON value".to_string());
        }
        if !first {
            out.push(b',');
        }
        out.extend_from_slice(trimmed);
        Ok(())
    }
}

fn value(out: &mut Vec<u8>, v: &Value<'_>) -> Result<(), String> {
    match *v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Boolean(b) => out.push(if b { b'1' } else { b'0' }),
        Value::TinyInt(x) => text::write_int(out, x),
        Value::SmallInt(x) => text::write_int(out, x),
        Value::Int(x) => text::write_int(out, x),
        Value::BigInt(x) => text::write_int(out, x),
        Value::Float(x) => text::write_f32(out, x)?,
        Value::Double(x) => text::write_f64(out, x)?,
        Value::Decimal64(u, s) => text::write_decimal(out, u as i128, s),
        Value::DecimalBig(b, s) => text::write_decimal(out, text::decimal_bytes_to_i128(b)?, s),
        Value::String(s) => {
            let s = std::str::from_utf8(s).map_err(|e| {
                format!(
                    "the value is not valid UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                )
            })?;
            write_string(out, s);
        }
        Value::Date(d) => {
            out.push(b'"');
            text::write_date(out, d)?;
            out.push(b'"');
        }
        Value::Timestamp {
            precision,
            epoch_millis,
            nano_of_milli,
        } => {
            out.push(b'"');
            text::write_timestamp(out, precision, epoch_millis, nano_of_milli)?;
            out.push(b'"');
        }
    }
    Ok(())
}

/// Writes `s` as a JSON string literal.
pub(super) fn write_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            0x00..=0x1F => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xF) as usize]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}
