//! The load plan (spec §2.3 step 7, "streamLoadPut"): which source field or JSON key feeds which
//! table column, from the `columns` header (§8.3) or the table schema; `__op` for PRIMARY KEY
//! tables (§8.4); CSV delimiters (§8.1, hex forms); and refusal of features the emulator does not
//! emulate yet, with a clear message instead of silently ignoring them.

use std::sync::Arc;

use crate::storage::schema::{KeyModel, TableSchema};

/// Where one source field (CSV position or JSON key) goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A table column (index into the schema).
    Column(usize),
    /// The virtual `__op` column (PRIMARY KEY tables).
    Op,
    /// A temporary source name that is not a table column: read and ignored.
    Skip,
}

/// CSV layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFormat {
    pub column_separator: Vec<u8>,
    pub row_delimiter: Vec<u8>,
    pub skip_header: u64,
    pub trim_space: bool,
}

/// Data format of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataFormat {
    Csv(CsvFormat),
    Json { strip_outer_array: bool },
}

/// Everything the parsers and the row sink need.
#[derive(Debug, Clone)]
pub struct LoadPlan {
    pub schema: Arc<TableSchema>,
    pub format: DataFormat,
    /// Source names in order (CSV: positional; JSON: looked up by key).
    pub sources: Vec<(String, Target)>,
    /// Table columns no source feeds: filled with NULL.
    pub null_filled: Vec<usize>,
    pub has_ops: bool,
    pub strict_mode: bool,
    pub max_filter_ratio: f64,
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

/// Splits the `columns` header into source names. Back-quoted names may contain commas; a
/// doubled back quote inside is a literal back quote. Expressions (`a = expr`) are refused.
pub fn parse_columns_header(value: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = value.chars().peekable();
    let mut finish = |current: &mut String, was_quoted: &mut bool| -> Result<(), String> {
        let name = if *was_quoted {
            std::mem::take(current)
        } else {
            let trimmed = current.trim().to_string();
            current.clear();
            trimmed
        };
        *was_quoted = false;
        if name.is_empty() {
            return Err(format!(
                "Invalid columns header '{value}': empty column name"
            ));
        }
        names.push(name);
        Ok(())
    };
    while let Some(c) = chars.next() {
        if quoted {
            if c == '`' {
                if chars.peek() == Some(&'`') {
                    chars.next();
                    current.push('`');
                } else {
                    quoted = false;
                }
            } else {
                current.push(c);
            }
            continue;
        }
        match c {
            '`' => {
                if !current.trim().is_empty() {
                    return Err(format!("Invalid columns header '{value}'"));
                }
                current.clear();
                quoted = true;
                was_quoted = true;
            }
            ',' => finish(&mut current, &mut was_quoted)?,
            '=' => {
                return Err(format!(
                    "column mapping expressions (a = expr) in the columns header are not supported by the emulator: '{value}'"
                ))
            }
            c if was_quoted && !c.is_whitespace() => {
                return Err(format!("Invalid columns header '{value}'"));
            }
            c => {
                if !was_quoted {
                    current.push(c);
                }
            }
        }
    }
    if quoted {
        return Err(format!(
            "Invalid columns header '{value}': unterminated back quote"
        ));
    }
    finish(&mut current, &mut was_quoted)?;
    Ok(names)
}

/// Source names mapped to targets.
#[derive(Debug, Clone)]
pub struct SourceMapping {
    pub sources: Vec<(String, Target)>,
    /// Table columns no source feeds (filled with NULL).
    pub null_filled: Vec<usize>,
    pub has_ops: bool,
}

/// Maps source names to targets and finds the columns left to NULL.
pub fn map_sources(schema: &TableSchema, names: &[String]) -> Result<SourceMapping, String> {
    let mut covered = vec![false; schema.columns.len()];
    let mut sources = Vec::with_capacity(names.len());
    let mut has_ops = false;
    for (i, name) in names.iter().enumerate() {
        if names[..i].iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return Err(format!("Duplicate column: {name}"));
        }
        let target = if name.eq_ignore_ascii_case("__op") && schema.model == KeyModel::Primary {
            has_ops = true;
            Target::Op
        } else if let Some(idx) = schema.find_column(name) {
            covered[idx] = true;
            Target::Column(idx)
        } else {
            Target::Skip
        };
        sources.push((name.clone(), target));
    }
    let mut null_filled = Vec::new();
    for (idx, col) in schema.columns.iter().enumerate() {
        if covered[idx] {
            continue;
        }
        if !col.nullable {
            return Err(format!("Column has no default value. column: {}", col.name));
        }
        null_filled.push(idx);
    }
    Ok(SourceMapping {
        sources,
        null_filled,
        has_ops,
    })
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

    #[test]
    fn columns_header() {
        assert_eq!(
            parse_columns_header("a, `b`,`c,d` , __op"),
            Ok(vec!["a".into(), "b".into(), "c,d".into(), "__op".into()])
        );
        assert_eq!(parse_columns_header("`a``b`"), Ok(vec!["a`b".into()]));
        assert!(parse_columns_header("a,,b").is_err());
        assert!(parse_columns_header("a, b = a + 1").is_err());
        assert!(parse_columns_header("`a").is_err());
    }
}
