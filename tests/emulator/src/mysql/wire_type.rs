//! How a StarRocks column type is announced in a result set's column definition: MySQL field
//! type, display length, decimals and character set, as StarRocks' FE does it
//! (`PrimitiveType.toMysqlType`, `Type.getMysqlResultSetField*`): BOOLEAN is `TINY` of length 1
//! (drivers read it as a boolean), LARGEINT, CHAR and JSON are `STRING`, VARCHAR is
//! `VAR_STRING`, DECIMAL is `NEWDECIMAL`. ARRAY/MAP/STRUCT are `STRING` text [inf]; VARBINARY is
//! `VAR_STRING` utf8 because the emulator sends its `0x..` hex text [emulator choice: StarRocks
//! sends the bytes as a binary string].

use crate::types::{ColumnType, STRING_LEN};

pub const TYPE_DECIMAL: u8 = 0;
pub const TYPE_TINY: u8 = 1;
pub const TYPE_SHORT: u8 = 2;
pub const TYPE_LONG: u8 = 3;
pub const TYPE_FLOAT: u8 = 4;
pub const TYPE_DOUBLE: u8 = 5;
pub const TYPE_NULL: u8 = 6;
pub const TYPE_TIMESTAMP: u8 = 7;
pub const TYPE_LONGLONG: u8 = 8;
pub const TYPE_INT24: u8 = 9;
pub const TYPE_DATE: u8 = 10;
pub const TYPE_TIME: u8 = 11;
pub const TYPE_DATETIME: u8 = 12;
pub const TYPE_YEAR: u8 = 13;
pub const TYPE_NEWDECIMAL: u8 = 246;
pub const TYPE_VAR_STRING: u8 = 253;
pub const TYPE_STRING: u8 = 254;

/// `utf8_general_ci`.
pub const CHARSET_UTF8: u16 = 33;
/// `binary`.
pub const CHARSET_BINARY: u16 = 63;

/// A column definition's type fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireType {
    pub field_type: u8,
    pub length: u32,
    pub decimals: u8,
    pub charset: u16,
}

impl WireType {
    /// Text that is announced as a plain string (used when a value cannot be sent in the
    /// binary form of its type).
    pub const TEXT: WireType = WireType {
        field_type: TYPE_VAR_STRING,
        length: 3 * 1024,
        decimals: 0,
        charset: CHARSET_UTF8,
    };
}

fn numeric(field_type: u8, length: u32, decimals: u8) -> WireType {
    WireType {
        field_type,
        length,
        decimals,
        charset: CHARSET_BINARY,
    }
}

fn text(field_type: u8, chars: u32) -> WireType {
    WireType {
        field_type,
        length: chars.saturating_mul(3),
        decimals: 0,
        charset: CHARSET_UTF8,
    }
}

pub fn wire_type(ty: &ColumnType) -> WireType {
    match ty {
        ColumnType::Boolean => numeric(TYPE_TINY, 1, 0),
        ColumnType::TinyInt => numeric(TYPE_TINY, 4, 0),
        ColumnType::SmallInt => numeric(TYPE_SHORT, 6, 0),
        ColumnType::Int => numeric(TYPE_LONG, 11, 0),
        ColumnType::BigInt => numeric(TYPE_LONGLONG, 20, 0),
        ColumnType::LargeInt => WireType {
            field_type: TYPE_STRING,
            length: 40,
            decimals: 0,
            charset: CHARSET_UTF8,
        },
        ColumnType::Float => numeric(TYPE_FLOAT, 12, 31),
        ColumnType::Double => numeric(TYPE_DOUBLE, 22, 31),
        ColumnType::Decimal { precision, scale } => {
            let length = u32::from(*precision) + u32::from(*scale > 0) + 3;
            numeric(TYPE_NEWDECIMAL, length, *scale)
        }
        ColumnType::Date => numeric(TYPE_DATE, 10, 0),
        ColumnType::DateTime => numeric(TYPE_DATETIME, 19, 0),
        ColumnType::Char(n) => text(TYPE_STRING, *n),
        ColumnType::Varchar(n) => text(TYPE_VAR_STRING, *n),
        // `0x` and two hex digits per byte.
        ColumnType::VarBinary(n) => text(TYPE_VAR_STRING, n.saturating_mul(2).saturating_add(2)),
        ColumnType::Array(_) | ColumnType::Map(..) | ColumnType::Struct(_) => {
            text(TYPE_STRING, STRING_LEN)
        }
        ColumnType::String => text(TYPE_VAR_STRING, STRING_LEN),
        ColumnType::Json => WireType {
            field_type: TYPE_STRING,
            length: 60,
            decimals: 0,
            charset: CHARSET_UTF8,
        },
    }
}
