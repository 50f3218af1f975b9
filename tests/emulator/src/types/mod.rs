//! Column types of the emulated StarRocks tables: parsing a type name such as `DECIMAL(10,2)` or
//! `ARRAY<STRUCT<a INT, b VARCHAR(10)>>` (`parse`), the limits StarRocks puts on each type, and
//! (in the submodules) conversion of loaded values and canonical rendering as the MySQL text
//! protocol would show them: scalars (`convert`, `render`), VARBINARY (`binary`), ARRAY/MAP/STRUCT
//! (`nested`).
//!
//! This module never touches storage or the network; it is pure value logic.

pub mod binary;
pub mod convert;
pub mod datetime;
pub mod decimal;
pub mod float_fmt;
pub mod nested;
mod parse;
pub mod render;

use std::fmt;

/// Longest VARCHAR StarRocks accepts (bytes).
pub const MAX_VARCHAR_LEN: u32 = 1_048_576;
/// Longest CHAR StarRocks accepts (bytes).
pub const MAX_CHAR_LEN: u32 = 255;
/// `STRING` is an alias of `VARCHAR(65533)` in StarRocks.
pub const STRING_LEN: u32 = 65_533;
/// Longest VARBINARY StarRocks accepts (bytes), also its length when none is given.
pub const MAX_VARBINARY_LEN: u32 = 1_048_576;
/// Deepest ARRAY/MAP/STRUCT nesting StarRocks accepts ("up to 14 levels", ARRAY and MAP docs).
pub const MAX_NESTING: usize = 14;

/// A column type. Strings and binaries are measured in bytes, as StarRocks does.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// VARBINARY(n) (BINARY(n) is an alias), 1 <= n <= 1048576.
    VarBinary(u32),
    /// ARRAY<T>; elements are always nullable.
    Array(Box<ColumnType>),
    /// MAP<K,V>; K is a primitive type, keys and values are nullable.
    Map(Box<ColumnType>, Box<ColumnType>),
    /// STRUCT<name T, ...>; field names are unique ignoring case, fields are nullable.
    Struct(Vec<StructField>),
}

/// One field of a STRUCT type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructField {
    pub name: String,
    pub ty: ColumnType,
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
    /// CHAR, VARCHAR, STRING, JSON and ARRAY/MAP/STRUCT (canonical text), VARBINARY (the bytes).
    Bytes,
}

impl ColumnType {
    /// Parses a StarRocks type name (case-insensitive, spaces optional), e.g. `BIGINT`,
    /// `DECIMAL(10, 2)`, `VARCHAR(32)`, `VARBINARY`, `MAP<VARCHAR(10),ARRAY<INT>>`,
    /// `STRUCT<a INT, b DATETIME>`.
    pub fn parse(text: &str) -> Result<ColumnType, String> {
        parse::parse_type(text)
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
            | ColumnType::Json
            | ColumnType::VarBinary(_)
            | ColumnType::Array(_)
            | ColumnType::Map(..)
            | ColumnType::Struct(_) => StorageKind::Bytes,
        }
    }

    /// ARRAY, MAP or STRUCT.
    pub fn is_nested(&self) -> bool {
        matches!(
            self,
            ColumnType::Array(_) | ColumnType::Map(..) | ColumnType::Struct(_)
        )
    }

    /// Whether StarRocks allows this type in a key column.
    pub fn can_be_key(&self) -> bool {
        !matches!(
            self,
            ColumnType::Float | ColumnType::Double | ColumnType::Json | ColumnType::VarBinary(_)
        ) && !self.is_nested()
    }

    /// Whether StarRocks allows this type in `DISTRIBUTED BY HASH(..)` (JSON, VARBINARY and the
    /// nested types cannot be bucketing columns).
    pub fn can_distribute(&self) -> bool {
        !matches!(self, ColumnType::Json | ColumnType::VarBinary(_)) && !self.is_nested()
    }

    /// Maximum length in bytes for string and binary types.
    pub fn max_len(&self) -> Option<usize> {
        match self {
            ColumnType::Char(n) | ColumnType::Varchar(n) | ColumnType::VarBinary(n) => {
                Some(*n as usize)
            }
            ColumnType::String => Some(STRING_LEN as usize),
            _ => None,
        }
    }

    /// The type's name without arguments or element types, e.g. `DECIMAL`, `ARRAY`.
    pub fn base_name(&self) -> &'static str {
        match self {
            ColumnType::Boolean => "BOOLEAN",
            ColumnType::TinyInt => "TINYINT",
            ColumnType::SmallInt => "SMALLINT",
            ColumnType::Int => "INT",
            ColumnType::BigInt => "BIGINT",
            ColumnType::LargeInt => "LARGEINT",
            ColumnType::Float => "FLOAT",
            ColumnType::Double => "DOUBLE",
            ColumnType::Decimal { .. } => "DECIMAL",
            ColumnType::Char(_) => "CHAR",
            ColumnType::Varchar(_) => "VARCHAR",
            ColumnType::String => "STRING",
            ColumnType::Date => "DATE",
            ColumnType::DateTime => "DATETIME",
            ColumnType::Json => "JSON",
            ColumnType::VarBinary(_) => "VARBINARY",
            ColumnType::Array(_) => "ARRAY",
            ColumnType::Map(..) => "MAP",
            ColumnType::Struct(_) => "STRUCT",
        }
    }
}

/// A STRUCT field name as written in a type: plain when it is a simple identifier, else
/// back-quoted.
pub fn field_name_sql(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// The type in the emulator's own spelling (upper case, re-parseable by `parse`), used in
/// messages: `DECIMAL(10,2)`, `VARBINARY(1048576)`, `MAP<VARCHAR(10),INT>`,
/// `STRUCT<a INT, b DATE>`.
impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Decimal { precision, scale } => write!(f, "DECIMAL({precision},{scale})"),
            ColumnType::Char(n) => write!(f, "CHAR({n})"),
            ColumnType::Varchar(n) => write!(f, "VARCHAR({n})"),
            ColumnType::VarBinary(n) => write!(f, "VARBINARY({n})"),
            ColumnType::Array(element) => write!(f, "ARRAY<{element}>"),
            ColumnType::Map(key, value) => write!(f, "MAP<{key},{value}>"),
            ColumnType::Struct(fields) => {
                f.write_str("STRUCT<")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} {}", field_name_sql(&field.name), field.ty)?;
                }
                f.write_str(">")
            }
            other => f.write_str(other.base_name()),
        }
    }
}
