//! The load plan (spec §2.3 step 7, "streamLoadPut"): the data format with its options (CSV
//! delimiters in their hex forms §8.1, `enclose`/`escape`; JSON `strip_outer_array`,
//! `json_root`, `jsonpaths` §8.2), the body codec, which source feeds which table column and
//! which columns get NULL or their default (`columns`, §8.3/§8.4), the `where` filter, strict
//! mode, the filter ratio and how rows are applied (partial update, merge condition).

use std::sync::Arc;

use super::columns::{Derivation, Target};
use super::where_clause::Predicate;
use crate::data::compression::Codec;
use crate::data::json_path::JsonPath;
use crate::storage::schema::TableSchema;
use crate::storage::upsert::ApplyMode;

/// CSV layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFormat {
    pub column_separator: Vec<u8>,
    pub row_delimiter: Vec<u8>,
    pub skip_header: u64,
    pub trim_space: bool,
    pub enclose: Option<u8>,
    pub escape: Option<u8>,
}

/// JSON options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonFormat {
    pub strip_outer_array: bool,
    pub json_root: Option<JsonPath>,
    pub jsonpaths: Option<Vec<JsonPath>>,
}

/// Data format of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataFormat {
    Csv(CsvFormat),
    Json(JsonFormat),
}

/// Everything the parsers and the row sink need.
#[derive(Debug, Clone)]
pub struct LoadPlan {
    pub schema: Arc<TableSchema>,
    pub format: DataFormat,
    /// Whole-body compression, if any.
    pub compression: Option<Codec>,
    /// Source names in order (CSV: positional; JSON: by key, or by jsonpath position).
    pub sources: Vec<(String, Target)>,
    /// `target = expr` items of the `columns` header.
    pub derived: Vec<Derivation>,
    /// Table columns no source feeds and that get NULL.
    pub null_filled: Vec<usize>,
    /// Table columns no source feeds and that get their default (text).
    pub default_filled: Vec<(usize, String)>,
    pub has_ops: bool,
    pub strict_mode: bool,
    pub max_filter_ratio: f64,
    pub where_clause: Option<Predicate>,
    pub mode: ApplyMode,
}

/// Decodes a delimiter header (spec §8.1): `\xHH..` / `0xHH..` (even number of hex digits) is
/// hex, anything else is taken literally. 1..=50 bytes.
pub fn parse_delimiter(value: &str, what: &str) -> Result<Vec<u8>, String> {
    let lower = value.to_ascii_lowercase();
    let bytes = if let Some(hex) = lower
        .strip_prefix("\\x")
        .or_else(|| lower.strip_prefix("0x"))
    {
        if hex.is_empty() || hex.len() % 2 != 0 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("Invalid {what}: hex string '{value}' must have an even, non-zero number of hex digits"));
        }
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| format!("Invalid {what}: '{value}'"))?
    } else {
        value.as_bytes().to_vec()
    };
    if bytes.is_empty() {
        return Err(format!("Invalid {what}: the delimiter must not be empty"));
    }
    if bytes.len() > 50 {
        return Err(format!(
            "Invalid {what}: the delimiter must not be longer than 50 bytes"
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter("\\x01", "x"), Ok(vec![1]));
        assert_eq!(parse_delimiter("0x0102", "x"), Ok(vec![1, 2]));
        assert_eq!(parse_delimiter("\\X0A", "x"), Ok(vec![b'\n']));
        assert_eq!(parse_delimiter("||", "x"), Ok(b"||".to_vec()));
        assert!(parse_delimiter("\\x1", "x").is_err());
        assert!(parse_delimiter("0xzz", "x").is_err());
        assert!(parse_delimiter(&"a".repeat(51), "x").is_err());
    }
}
