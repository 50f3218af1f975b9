//! How StarRocks describes a column type to MySQL clients: the `information_schema.COLUMNS`
//! fields (`DATA_TYPE`, `COLUMN_TYPE`, `COLUMN_SIZE`, `DECIMAL_DIGITS`, `NUMERIC_*`,
//! `CHARACTER_*`) and the type text of `SHOW CREATE TABLE` / `DESC`. Values follow StarRocks'
//! FE `Type.getColumnSize/getPrecision/getDecimalDigits` and BE `schema_columns_scanner`:
//! BOOLEAN is `tinyint` with a NULL `COLUMN_SIZE` (how clients tell it from TINYINT), LARGEINT
//! is `bigint unsigned`, STRING is `varchar(65533)`.

use crate::types::{ColumnType, STRING_LEN};

/// `DATA_TYPE`.
pub fn data_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Boolean | ColumnType::TinyInt => "tinyint",
        ColumnType::SmallInt => "smallint",
        ColumnType::Int => "int",
        ColumnType::BigInt => "bigint",
        ColumnType::LargeInt => "bigint unsigned",
        ColumnType::Float => "float",
        ColumnType::Double => "double",
        ColumnType::Decimal { .. } => "decimal",
        ColumnType::Char(_) => "char",
        ColumnType::Varchar(_) | ColumnType::String => "varchar",
        ColumnType::Date => "date",
        ColumnType::DateTime => "datetime",
        ColumnType::Json => "json",
    }
}

/// `COLUMN_TYPE`.
pub fn column_type(ty: ColumnType) -> String {
    match ty {
        ColumnType::Boolean => "tinyint(1)".to_string(),
        ColumnType::TinyInt => "tinyint(4)".to_string(),
        ColumnType::SmallInt => "smallint(6)".to_string(),
        ColumnType::Int => "int(11)".to_string(),
        ColumnType::BigInt => "bigint(20)".to_string(),
        ColumnType::LargeInt => "bigint(20) unsigned".to_string(),
        ColumnType::Decimal { precision, scale } => format!("decimal({precision},{scale})"),
        ColumnType::Char(n) => format!("char({n})"),
        ColumnType::Varchar(n) => format!("varchar({n})"),
        ColumnType::String => format!("varchar({STRING_LEN})"),
        other => data_type(other).to_string(),
    }
}

/// The type as `SHOW CREATE TABLE` and `DESC` print it (StarRocks' `toSql`).
pub fn sql_type(ty: ColumnType) -> String {
    match ty {
        ColumnType::Boolean => "boolean".to_string(),
        ColumnType::LargeInt => "largeint(40)".to_string(),
        ColumnType::Decimal { precision, scale } => format!("decimal({precision}, {scale})"),
        ColumnType::Float => "float".to_string(),
        ColumnType::Double => "double".to_string(),
        ColumnType::Date => "date".to_string(),
        ColumnType::DateTime => "datetime".to_string(),
        ColumnType::Json => "json".to_string(),
        other => column_type(other),
    }
}

/// `NUMERIC_PRECISION` (`Type.getPrecision`).
pub fn precision(ty: ColumnType) -> Option<u32> {
    match ty {
        ColumnType::TinyInt => Some(3),
        ColumnType::SmallInt => Some(5),
        ColumnType::Int => Some(10),
        ColumnType::BigInt => Some(19),
        ColumnType::LargeInt => Some(39),
        ColumnType::Float => Some(7),
        ColumnType::Double => Some(15),
        ColumnType::Decimal { precision, .. } => Some(u32::from(precision)),
        _ => None,
    }
}

/// `COLUMN_SIZE` (`Type.getColumnSize`): the precision of numbers, the length of strings.
pub fn column_size(ty: ColumnType) -> Option<u32> {
    match ty {
        ColumnType::Char(n) | ColumnType::Varchar(n) => Some(n),
        ColumnType::String => Some(STRING_LEN),
        other => precision(other),
    }
}

/// `DECIMAL_DIGITS` and `NUMERIC_SCALE` (`Type.getDecimalDigits`).
pub fn decimal_digits(ty: ColumnType) -> Option<u32> {
    match ty {
        ColumnType::Boolean
        | ColumnType::TinyInt
        | ColumnType::SmallInt
        | ColumnType::Int
        | ColumnType::BigInt => Some(0),
        ColumnType::Float => Some(7),
        ColumnType::Double => Some(15),
        ColumnType::Decimal { scale, .. } => Some(u32::from(scale)),
        _ => None,
    }
}

/// `CHARACTER_MAXIMUM_LENGTH` (string types only).
pub fn char_length(ty: ColumnType) -> Option<u32> {
    match ty {
        ColumnType::Char(n) | ColumnType::Varchar(n) => Some(n),
        ColumnType::String => Some(STRING_LEN),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_types_like_starrocks() {
        assert_eq!(data_type(ColumnType::Boolean), "tinyint");
        assert_eq!(column_size(ColumnType::Boolean), None);
        assert_eq!(column_size(ColumnType::TinyInt), Some(3));
        assert_eq!(column_type(ColumnType::String), "varchar(65533)");
        let dec = ColumnType::Decimal {
            precision: 10,
            scale: 2,
        };
        assert_eq!(
            (column_size(dec), decimal_digits(dec), column_type(dec)),
            (Some(10), Some(2), "decimal(10,2)".to_string())
        );
        assert_eq!(data_type(ColumnType::LargeInt), "bigint unsigned");
        assert_eq!(decimal_digits(ColumnType::DateTime), None);
    }
}
