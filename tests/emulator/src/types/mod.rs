//! Column types of the emulated StarRocks tables: parsing a type name such as `DECIMAL(10,2)`,
//! the limits StarRocks puts on each type, and (in the submodules) conversion of loaded values and
//! canonical rendering as the MySQL text protocol would show them.
//!
//! This module never touches storage or the network; it is pure value logic.

pub mod convert;
pub mod datetime;
pub mod decimal;
pub mod float_fmt;
pub mod render;

use std::fmt;

/// Longest VARCHAR StarRocks accepts (bytes).
pub const MAX_VARCHAR_LEN: u32 = 1_048_576;
/// Longest CHAR StarRocks accepts (bytes).
pub const MAX_CHAR_LEN: u32 = 255;
/// `STRING` is an alias of `VARCHAR(65533)` in StarRocks.
pub const STRING_LEN: u32 = 65_533;

/// A column type. Strings are measured in bytes, as StarRocks does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Boolean,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    LargeInt,
    Float,
    Double,
    /// DECIMAL(p,s), 1 <= p <= 38, 0 <= s <= p.
    Decimal {
        precision: u8,
        scale: u8,
    },
    Char(u32),
    Varchar(u32),
    /// `STRING` (VARCHAR(65533)); kept apart only for the type name.
    String,
    Date,
    DateTime,
    Json,
}

/// How values of a type are stored in a column (see `storage::column`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// BOOLEAN, TINYINT..BIGINT, DATE (days), DATETIME (microseconds).
    Int,
    /// LARGEINT and DECIMAL (unscaled).
    Wide,
    /// FLOAT (widened exactly) and DOUBLE.
    Float,
    /// CHAR, VARCHAR, STRING, JSON (canonical text).
    Bytes,
}

impl ColumnType {
    /// Parses a StarRocks type name (case-insensitive), e.g. `BIGINT`, `DECIMAL(10, 2)`,
    /// `DECIMAL64(18,4)`, `VARCHAR(32)`, `DATETIME`.
    pub fn parse(text: &str) -> Result<ColumnType, String> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let (name, args) = match compact.find('(') {
            Some(open) => {
                if !compact.ends_with(')') {
                    return Err(format!("invalid column type '{text}'"));
                }
                let inner = &compact[open + 1..compact.len() - 1];
                let mut args = Vec::new();
                for part in inner.split(',') {
                    let n: u32 = part
                        .parse()
                        .map_err(|_| format!("invalid column type '{text}'"))?;
                    args.push(n);
                }
                (&compact[..open], args)
            }
            None => (compact.as_str(), Vec::new()),
        };
        let no_args = |t: ColumnType| {
            if args.is_empty() {
                Ok(t)
            } else {
                Err(format!("type {name} takes no arguments: '{text}'"))
            }
        };
        match name {
            "BOOLEAN" | "BOOL" => no_args(ColumnType::Boolean),
            "TINYINT" => no_args(ColumnType::TinyInt),
            "SMALLINT" => no_args(ColumnType::SmallInt),
            "INT" | "INTEGER" => no_args(ColumnType::Int),
            "BIGINT" => no_args(ColumnType::BigInt),
            "LARGEINT" => no_args(ColumnType::LargeInt),
            "FLOAT" => no_args(ColumnType::Float),
            "DOUBLE" => no_args(ColumnType::Double),
            "STRING" => no_args(ColumnType::String),
            "DATE" => no_args(ColumnType::Date),
            "DATETIME" => no_args(ColumnType::DateTime),
            "JSON" => no_args(ColumnType::Json),
            "CHAR" => {
                let n = single_len(&args, 1, text)?;
                if n == 0 || n > MAX_CHAR_LEN {
                    return Err(format!(
                        "CHAR length must be in [1, {MAX_CHAR_LEN}]: '{text}'"
                    ));
                }
                Ok(ColumnType::Char(n))
            }
            "VARCHAR" => {
                let n = single_len(&args, STRING_LEN, text)?;
                if n == 0 || n > MAX_VARCHAR_LEN {
                    return Err(format!(
                        "VARCHAR length must be in [1, {MAX_VARCHAR_LEN}]: '{text}'"
                    ));
                }
                Ok(ColumnType::Varchar(n))
            }
            "DECIMAL" | "DECIMALV3" | "NUMERIC" => decimal(&args, 38, text),
            "DECIMAL32" => decimal(&args, 9, text),
            "DECIMAL64" => decimal(&args, 18, text),
            "DECIMAL128" => decimal(&args, 38, text),
            _ => Err(format!("unsupported column type '{text}'")),
        }
    }

    pub fn storage(&self) -> StorageKind {
        match self {
            ColumnType::Boolean
            | ColumnType::TinyInt
            | ColumnType::SmallInt
            | ColumnType::Int
            | ColumnType::BigInt
            | ColumnType::Date
            | ColumnType::DateTime => StorageKind::Int,
            ColumnType::LargeInt | ColumnType::Decimal { .. } => StorageKind::Wide,
            ColumnType::Float | ColumnType::Double => StorageKind::Float,
            ColumnType::Char(_)
            | ColumnType::Varchar(_)
            | ColumnType::String
            | ColumnType::Json => StorageKind::Bytes,
        }
    }

    /// Whether StarRocks allows this type in a key column.
    pub fn can_be_key(&self) -> bool {
        !matches!(
            self,
            ColumnType::Float | ColumnType::Double | ColumnType::Json
        )
    }

    /// Maximum length in bytes for string types.
    pub fn max_len(&self) -> Option<usize> {
        match self {
            ColumnType::Char(n) | ColumnType::Varchar(n) => Some(*n as usize),
            ColumnType::String => Some(STRING_LEN as usize),
            _ => None,
        }
    }
}

fn single_len(args: &[u32], default: u32, text: &str) -> Result<u32, String> {
    match args {
        [] => Ok(default),
        [n] => Ok(*n),
        _ => Err(format!("invalid column type '{text}'")),
    }
}

fn decimal(args: &[u32], max_precision: u32, text: &str) -> Result<ColumnType, String> {
    let (p, s) = match args {
        [] => (10.min(max_precision), 0),
        [p] => (*p, 0),
        [p, s] => (*p, *s),
        _ => return Err(format!("invalid column type '{text}'")),
    };
    if p == 0 || p > max_precision {
        return Err(format!(
            "DECIMAL precision must be in [1, {max_precision}]: '{text}'"
        ));
    }
    if s > p {
        return Err(format!("DECIMAL scale must not exceed precision: '{text}'"));
    }
    Ok(ColumnType::Decimal {
        precision: p as u8,
        scale: s as u8,
    })
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Boolean => f.write_str("BOOLEAN"),
            ColumnType::TinyInt => f.write_str("TINYINT"),
            ColumnType::SmallInt => f.write_str("SMALLINT"),
            ColumnType::Int => f.write_str("INT"),
            ColumnType::BigInt => f.write_str("BIGINT"),
            ColumnType::LargeInt => f.write_str("LARGEINT"),
            ColumnType::Float => f.write_str("FLOAT"),
            ColumnType::Double => f.write_str("DOUBLE"),
            ColumnType::Decimal { precision, scale } => write!(f, "DECIMAL({precision},{scale})"),
            ColumnType::Char(n) => write!(f, "CHAR({n})"),
            ColumnType::Varchar(n) => write!(f, "VARCHAR({n})"),
            ColumnType::String => f.write_str("STRING"),
            ColumnType::Date => f.write_str("DATE"),
            ColumnType::DateTime => f.write_str("DATETIME"),
            ColumnType::Json => f.write_str("JSON"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_type_names() {
        assert_eq!(ColumnType::parse("bigint"), Ok(ColumnType::BigInt));
        assert_eq!(
            ColumnType::parse("DECIMAL(10, 2)"),
            Ok(ColumnType::Decimal {
                precision: 10,
                scale: 2
            })
        );
        assert_eq!(
            ColumnType::parse("decimal64(18,4)"),
            Ok(ColumnType::Decimal {
                precision: 18,
                scale: 4
            })
        );
        assert!(ColumnType::parse("DECIMAL32(10,2)").is_err());
        assert!(ColumnType::parse("DECIMAL(39,2)").is_err());
        assert_eq!(
            ColumnType::parse("VARCHAR(32)"),
            Ok(ColumnType::Varchar(32))
        );
        assert!(ColumnType::parse("CHAR(256)").is_err());
        assert!(ColumnType::parse("MAP<INT,INT>").is_err());
    }
}
