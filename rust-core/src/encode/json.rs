//! JSON rows: one object per row, keys are the sink's column names, in a `[...]` array per chunk
//! (sent with `strip_outer_array: true`). Strings are escaped per RFC 8259 and must be valid UTF-8.
//! ARRAY values become JSON arrays, MAP and ROW values JSON objects; the text of a JSON column is
//! embedded as JSON after it was checked.

use super::frame::Value;
use super::ColumnMode;
use super::{json_text, text};

#[derive(Debug, Clone)]
pub(super) struct JsonEncoder {
    /// `"name":` for each column, escaped once (the load column name: see [`ColumnMode`]).
    keys: Vec<Vec<u8>>,
    modes: Vec<ColumnMode>,
    /// `sink.wrap-json-as-array`: a record given as text is a JSON array of rows, whose elements
    /// join the chunk's array.
    array_records: bool,
}

impl JsonEncoder {
    /// `load_columns`: the name each column has in the load (see [`ColumnMode::load_name`]).
    pub(super) fn new(load_columns: &[String], modes: &[ColumnMode]) -> Self {
        let keys = load_columns
            .iter()
            .map(|c| {
                let mut k = Vec::with_capacity(c.len() + 3);
                write_string(&mut k, c);
                k.push(b':');
                k
            })
            .collect();
        JsonEncoder {
            keys,
            modes: modes.to_vec(),
            array_records: false,
        }
    }

    pub(super) fn with_array_records(mut self) -> Self {
        self.array_records = true;
        self
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
            value(out, v, self.modes[i]).map_err(|e| (i, e))?;
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
        if self.array_records {
            return append_array_record(out, trimmed);
        }
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

/// Adds the elements of a record that is a JSON array (`[{..},{..}]`) to the chunk's array; an
/// empty array adds nothing. The chunk's array has no element yet exactly when it ends in its own
/// `[` (no JSON value ends with `[`).
fn append_array_record(out: &mut Vec<u8>, record: &[u8]) -> Result<(), String> {
    let Some(elements) = record.strip_prefix(b"[").and_then(|r| r.strip_suffix(b"]")) else {
        return Err(format!(
            "with 'sink.wrap-json-as-array' each record must be one JSON array of rows, got {}",
            match record.first() {
                None => "an empty record".to_string(),
                Some(c) => format!("a record that starts with '{}'", c.escape_ascii()),
            }
        ));
    };
    let elements = elements.trim_ascii();
    if elements.is_empty() {
        return Ok(());
    }
    if out.last() != Some(&b'[') {
        out.push(b',');
    }
    out.extend_from_slice(elements);
    Ok(())
}

/// Writes a top-level field: BOOLEAN as 1/0 (as the public connector does), a string of a JSON
/// column embedded as JSON.
fn value(out: &mut Vec<u8>, v: &Value<'_>, mode: ColumnMode) -> Result<(), String> {
    match *v {
        Value::Boolean(b) => out.push(if b { b'1' } else { b'0' }),
        Value::String(s) if mode == ColumnMode::JsonText => {
            out.extend_from_slice(json_text::checked(s)?);
        }
        _ => nested_value(out, v)?,
    }
    Ok(())
}

/// Writes any value as JSON; inside ARRAY, MAP and ROW values BOOLEAN is `true`/`false`.
pub(super) fn nested_value(out: &mut Vec<u8>, v: &Value<'_>) -> Result<(), String> {
    match *v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Boolean(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.elements().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                nested_value(out, &item)?;
            }
            out.push(b']');
        }
        Value::Map(entries) => {
            out.push(b'{');
            for (i, (key, item)) in entries.entries().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                map_key(out, &key)?;
                out.push(b':');
                nested_value(out, &item)?;
            }
            out.push(b'}');
        }
        Value::Row(fields) => {
            out.push(b'{');
            for (i, (name, item)) in fields.fields().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(out, name);
                out.push(b':');
                nested_value(out, &item)?;
            }
            out.push(b'}');
        }
        Value::String(s) => write_string(out, text::utf8(s)?),
        Value::Date(_) | Value::Timestamp { .. } | Value::Time { .. } | Value::Binary(_) => {
            out.push(b'"');
            text::write_scalar(out, v)?;
            out.push(b'"');
        }
        _ => text::write_scalar(out, v)?,
    }
    Ok(())
}

/// A MAP key: JSON object keys are strings, so every key is written as the string of its text.
fn map_key(out: &mut Vec<u8>, key: &Value<'_>) -> Result<(), String> {
    match *key {
        Value::Null => Err("a MAP key is NULL; JSON objects cannot hold it".to_string()),
        Value::Array(_) | Value::Map(_) | Value::Row(_) => {
            Err("a MAP key is an ARRAY, MAP or ROW; only scalar keys can be loaded".to_string())
        }
        Value::String(s) => {
            write_string(out, text::utf8(s)?);
            Ok(())
        }
        _ => {
            out.push(b'"');
            text::write_scalar(out, key)?;
            out.push(b'"');
            Ok(())
        }
    }
}

/// Writes `s` as a JSON string literal.
pub(super) fn write_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none of them needs escaping.
        if let Some(word) = bytes.get(i..i + 8) {
            if !needs_escape(u64::from_le_bytes(word.try_into().expect("eight bytes"))) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
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
                i += 1;
                start = i;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Whether any of the eight bytes of `word` is a control character, `"` or `\\` (exact: the
/// zero-byte test below has no false positives for any byte).
#[inline(always)]
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    // A byte below 0x20: (b - 0x20) borrows into its high bit, for bytes below 0x80.
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    below_space || has_zero(word ^ (ONES * b'"' as u64)) || has_zero(word ^ (ONES * b'\\' as u64))
}
