//! How StarRocks describes a column type to MySQL clients: the `information_schema.COLUMNS`
//! fields (`DATA_TYPE`, `COLUMN_TYPE`, `COLUMN_SIZE`, `DECIMAL_DIGITS`, `NUMERIC_*`,
//! `CHARACTER_*`) and the type text of `SHOW CREATE TABLE` / `DESC`. Values follow StarRocks'
//! FE `Type.getColumnSize/getPrecision/getDecimalDigits` and BE `schema_columns_scanner`:
//! BOOLEAN is `tinyint` with a NULL `COLUMN_SIZE` (how clients tell it from TINYINT), LARGEINT
//! is `bigint unsigned`, STRING is `varchar(65533)`.

use crate::types::{field_name_sql, ColumnType, MAX_VARBINARY_LEN, STRING_LEN};

/// `DATA_TYPE`: the lower-case base name (`array`, `map`, `struct`, `varbinary` for those).
pub fn data_type(ty: &ColumnType) -> &'static str {
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
        ColumnType::VarBinary(_) => "varbinary",
        ColumnType::Array(_) => "array",
        ColumnType::Map(..) => "map",
        ColumnType::Struct(_) => "struct",
    }
}

/// `COLUMN_TYPE`: nested types spell their element types the same way (`array<int(11)>`,
/// `map<varchar(10),int(11)>`, `struct<a int(11), b varchar(10)>`).
pub fn column_type(ty: &ColumnType) -> String {
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
        ColumnType::VarBinary(n) => format!("varbinary({n})"),
        nested if nested.is_nested() => nested_type(nested, column_type),
        other => data_type(other).to_string(),
    }
}

/// The type as `SHOW CREATE TABLE` and `DESC` print it (StarRocks' `toSql`); VARBINARY of the
/// default length is plain `varbinary`, as in StarRocks' `DESC` example.
pub fn sql_type(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Boolean => "boolean".to_string(),
        ColumnType::LargeInt => "largeint(40)".to_string(),
        ColumnType::Decimal { precision, scale } => format!("decimal({precision}, {scale})"),
        ColumnType::Float => "float".to_string(),
        ColumnType::Double => "double".to_string(),
        ColumnType::Date => "date".to_string(),
        ColumnType::DateTime => "datetime".to_string(),
        ColumnType::Json => "json".to_string(),
        ColumnType::VarBinary(MAX_VARBINARY_LEN) => "varbinary".to_string(),
        nested if nested.is_nested() => nested_type(nested, sql_type),
        other => column_type(other),
    }
}

/// `array<..>`, `map<..,..>`, `struct<name .., ..>` with children spelled by `spell`.
fn nested_type(ty: &ColumnType, spell: fn(&ColumnType) -> String) -> String {
    match ty {
        ColumnType::Array(element) => format!("array<{}>", spell(element)),
        ColumnType::Map(key, value) => format!("map<{},{}>", spell(key), spell(value)),
        ColumnType::Struct(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|f| format!("{} {}", field_name_sql(&f.name), spell(&f.ty)))
                .collect();
            format!("struct<{}>", fields.join(", "))
        }
        other => spell(other),
    }
}

/// `NUMERIC_PRECISION` (`Type.getPrecision`).
pub fn precision(ty: &ColumnType) -> Option<u32> {
    match ty {
        ColumnType::TinyInt => Some(3),
        ColumnType::SmallInt => Some(5),
        ColumnType::Int => Some(10),
        ColumnType::BigInt => Some(19),
        ColumnType::LargeInt => Some(39),
        ColumnType::Float => Some(7),
        ColumnType::Double => Some(15),
        ColumnType::Decimal { precision, .. } => Some(u32::from(*precision)),
        _ => None,
    }
}

/// `COLUMN_SIZE` (`Type.getColumnSize`): the precision of numbers, the length of strings and
/// binaries; NULL for nested types.
pub fn column_size(ty: &ColumnType) -> Option<u32> {
    match ty {
        ColumnType::Char(n) | ColumnType::Varchar(n) | ColumnType::VarBinary(n) => Some(*n),
        ColumnType::String => Some(STRING_LEN),
        other => precision(other),
    }
}

/// `DECIMAL_DIGITS` and `NUMERIC_SCALE` (`Type.getDecimalDigits`).
pub fn decimal_digits(ty: &ColumnType) -> Option<u32> {
    match ty {
        ColumnType::Boolean
        | ColumnType::TinyInt
        | ColumnType::SmallInt
        | ColumnType::Int
        | ColumnType::BigInt => Some(0),
        ColumnType::Float => Some(7),
        ColumnType::Double => Some(15),
        ColumnType::Decimal { scale, .. } => Some(u32::from(*scale)),
        _ => None,
    }
}

/// `CHARACTER_MAXIMUM_LENGTH` (string and binary types only).
pub fn char_length(ty: &ColumnType) -> Option<u32> {
    match ty {
        ColumnType::Char(n) | ColumnType::Varchar(n) | ColumnType::VarBinary(n) => Some(*n),
        ColumnType::String => Some(STRING_LEN),
        _ => None,
    }
}

/// `CHARACTER_OCTET_LENGTH`: three bytes per character of utf8 strings, one per byte of binaries.
pub fn octet_length(ty: &ColumnType) -> Option<u32> {
    match ty {
        ColumnType::VarBinary(n) => Some(*n),
        other => char_length(other).map(|n| n.saturating_mul(3)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_types_like_starrocks() {
        assert_eq!(data_type(&ColumnType::Boolean), "tinyint");
        assert_eq!(column_size(&ColumnType::Boolean), None);
        assert_eq!(column_size(&ColumnType::TinyInt), Some(3));
        assert_eq!(column_type(&ColumnType::String), "varchar(65533)");
        let dec = ColumnType::Decimal {
            precision: 10,
            scale: 2,
        };
        assert_eq!(
            (column_size(&dec), decimal_digits(&dec), column_type(&dec)),
            (Some(10), Some(2), "decimal(10,2)".to_string())
        );
        assert_eq!(data_type(&ColumnType::LargeInt), "bigint unsigned");
        assert_eq!(decimal_digits(&ColumnType::DateTime), None);
    }

    #[test]
    fn describes_nested_and_binary_types() {
        let ty = |t: &str| ColumnType::parse(t).expect("type");
        let cases = [
            ("ARRAY<INT>", "array", "array<int(11)>", "array<int(11)>"),
            (
                "MAP<VARCHAR(10),INT>",
                "map",
                "map<varchar(10),int(11)>",
                "map<varchar(10),int(11)>",
            ),
            (
                "STRUCT<a INT, b VARCHAR(10)>",
                "struct",
                "struct<a int(11), b varchar(10)>",
                "struct<a int(11), b varchar(10)>",
            ),
            (
                "ARRAY<STRUCT<`x y` DECIMAL(5,2), b LARGEINT>>",
                "array",
                "array<struct<`x y` decimal(5,2), b bigint(20) unsigned>>",
                "array<struct<`x y` decimal(5, 2), b largeint(40)>>",
            ),
            ("VARBINARY", "varbinary", "varbinary(1048576)", "varbinary"),
            ("BINARY(16)", "varbinary", "varbinary(16)", "varbinary(16)"),
        ];
        for (text, data, column, sql) in cases {
            let t = ty(text);
            assert_eq!(
                (data_type(&t), column_type(&t), sql_type(&t)),
                (data, column.to_string(), sql.to_string()),
                "{text}"
            );
            assert_eq!(ty(&sql_type(&t)), t, "SHOW CREATE TABLE re-reads {text}");
        }
        let binary = ty("VARBINARY(16)");
        assert_eq!(
            (
                column_size(&binary),
                char_length(&binary),
                octet_length(&binary)
            ),
            (Some(16), Some(16), Some(16))
        );
        assert_eq!(column_size(&ty("ARRAY<INT>")), None);
        assert_eq!(octet_length(&ColumnType::Varchar(10)), Some(30));
    }
}
