//! The type grammar StarRocks accepts in `CREATE TABLE` and the emulator accepts in table specs:
//! a scalar name with optional `(n[, m])` (integer display widths such as `INT(11)` are accepted
//! and ignored), or `ARRAY<T>`, `MAP<K,V>`, `STRUCT<name T, ...>` nested up to 14 levels. Names are
//! case-insensitive, spaces around `<`, `>`, `,`, `(` and `)` optional; STRUCT field names are
//! plain identifiers or back-quoted.
//!
//! StarRocks' restrictions: MAP keys are primitive types (not JSON/ARRAY/MAP/STRUCT), STRUCT field
//! names are unique. The emulator refuses VARBINARY inside nested types (not supported by the
//! emulator; StarRocks 3.x accepts it).

use super::{
    ColumnType, StructField, MAX_CHAR_LEN, MAX_NESTING, MAX_VARBINARY_LEN, MAX_VARCHAR_LEN,
    STRING_LEN,
};

/// Integer types whose MySQL-style display width StarRocks accepts and ignores.
const DISPLAY_WIDTH_TYPES: [&str; 6] = [
    "TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT", "LARGEINT",
];

pub(super) fn parse_type(text: &str) -> Result<ColumnType, String> {
    let mut parser = TypeParser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let ty = parser.ty(0)?;
    parser.skip_ws();
    if parser.pos != parser.bytes.len() {
        return Err(parser.invalid());
    }
    Ok(ty)
}

struct TypeParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl TypeParser<'_> {
    fn invalid(&self) -> String {
        format!("invalid column type '{}'", self.text)
    }

    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.invalid())
        }
    }

    /// A run of identifier characters (after whitespace).
    fn word(&mut self) -> &str {
        self.skip_ws();
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$')
        {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    fn number(&mut self) -> Result<u32, String> {
        let word = self.word();
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.invalid());
        }
        word.parse().map_err(|_| self.invalid())
    }

    fn ty(&mut self, depth: usize) -> Result<ColumnType, String> {
        let name = self.word().to_ascii_uppercase();
        if matches!(name.as_str(), "ARRAY" | "MAP" | "STRUCT") {
            if depth >= MAX_NESTING {
                return Err(format!(
                    "type nesting is deeper than {MAX_NESTING} levels: '{}'",
                    self.text
                ));
            }
            self.expect(b'<')?;
            let ty = match name.as_str() {
                "ARRAY" => ColumnType::Array(Box::new(self.element(depth)?)),
                "MAP" => {
                    let key = self.element(depth)?;
                    if matches!(key, ColumnType::Json) || key.is_nested() {
                        return Err(format!(
                            "MAP key type must be a primitive type, not {key}: '{}'",
                            self.text
                        ));
                    }
                    self.expect(b',')?;
                    let value = self.element(depth)?;
                    ColumnType::Map(Box::new(key), Box::new(value))
                }
                _ => ColumnType::Struct(self.fields(depth)?),
            };
            self.expect(b'>')?;
            return Ok(ty);
        }
        if name.is_empty() {
            return Err(self.invalid());
        }
        let mut args = Vec::new();
        if self.eat(b'(') {
            args.push(self.number()?);
            while self.eat(b',') {
                args.push(self.number()?);
            }
            self.expect(b')')?;
        }
        scalar(&name, &args, self.text)
    }

    /// The type of an element, key, value or field of a nested type at `depth`.
    fn element(&mut self, depth: usize) -> Result<ColumnType, String> {
        let ty = self.ty(depth + 1)?;
        if matches!(ty, ColumnType::VarBinary(_)) {
            return Err(format!(
                "VARBINARY inside ARRAY, MAP or STRUCT is not supported by the emulator: '{}'",
                self.text
            ));
        }
        Ok(ty)
    }

    fn fields(&mut self, depth: usize) -> Result<Vec<StructField>, String> {
        let mut fields: Vec<StructField> = Vec::new();
        loop {
            let name = self.field_name()?;
            if fields.iter().any(|f| f.name.eq_ignore_ascii_case(&name)) {
                return Err(format!(
                    "Duplicate field name '{name}' in STRUCT: '{}'",
                    self.text
                ));
            }
            let ty = self.element(depth)?;
            fields.push(StructField { name, ty });
            if !self.eat(b',') {
                return Ok(fields);
            }
        }
    }

    fn field_name(&mut self) -> Result<String, String> {
        if !self.eat(b'`') {
            let word = self.word().to_string();
            return if word.is_empty() {
                Err(self.invalid())
            } else {
                Ok(word)
            };
        }
        let mut name = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(quote) = rest.find('`') else {
                return Err(self.invalid());
            };
            name.push_str(&rest[..quote]);
            self.pos += quote + 1;
            if self.bytes.get(self.pos) == Some(&b'`') {
                name.push('`');
                self.pos += 1;
            } else if name.is_empty() {
                return Err(self.invalid());
            } else {
                return Ok(name);
            }
        }
    }
}

fn scalar(name: &str, args: &[u32], text: &str) -> Result<ColumnType, String> {
    let no_args = |t: ColumnType| {
        if args.is_empty() || (DISPLAY_WIDTH_TYPES.contains(&name) && args.len() == 1) {
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
            let n = single_len(args, 1, text)?;
            if n == 0 || n > MAX_CHAR_LEN {
                return Err(format!(
                    "CHAR length must be in [1, {MAX_CHAR_LEN}]: '{text}'"
                ));
            }
            Ok(ColumnType::Char(n))
        }
        "VARCHAR" => {
            let n = single_len(args, STRING_LEN, text)?;
            if n == 0 || n > MAX_VARCHAR_LEN {
                return Err(format!(
                    "VARCHAR length must be in [1, {MAX_VARCHAR_LEN}]: '{text}'"
                ));
            }
            Ok(ColumnType::Varchar(n))
        }
        "VARBINARY" | "BINARY" => {
            let n = single_len(args, MAX_VARBINARY_LEN, text)?;
            if n == 0 || n > MAX_VARBINARY_LEN {
                return Err(format!(
                    "VARBINARY length must be in [1, {MAX_VARBINARY_LEN}]: '{text}'"
                ));
            }
            Ok(ColumnType::VarBinary(n))
        }
        "DECIMAL" | "DECIMALV3" | "NUMERIC" => decimal(args, 38, text),
        "DECIMAL32" => decimal(args, 9, text),
        "DECIMAL64" => decimal(args, 18, text),
        "DECIMAL128" => decimal(args, 38, text),
        _ => Err(format!("unsupported column type '{text}'")),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ColumnType {
        parse_type(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn array(t: ColumnType) -> ColumnType {
        ColumnType::Array(Box::new(t))
    }

    #[test]
    fn parses_scalar_type_names() {
        assert_eq!(parse("bigint"), ColumnType::BigInt);
        assert_eq!(
            parse("DECIMAL (10, 2)"),
            ColumnType::Decimal {
                precision: 10,
                scale: 2
            }
        );
        assert_eq!(
            parse("decimal64(18,4)"),
            ColumnType::Decimal {
                precision: 18,
                scale: 4
            }
        );
        assert!(parse_type("DECIMAL32(10,2)").is_err());
        assert!(parse_type("DECIMAL(39,2)").is_err());
        assert_eq!(parse("VARCHAR( 32 )"), ColumnType::Varchar(32));
        assert_eq!(parse("int(11)"), ColumnType::Int);
        assert!(parse_type("CHAR(256)").is_err());
        assert!(parse_type("VARCHAR(10,2)").is_err());
        assert!(parse_type("DATE(3)").is_err());
        assert!(parse_type("VARCHAR(").is_err());
        assert_eq!(
            parse_type("FANCY").unwrap_err(),
            "unsupported column type 'FANCY'"
        );
    }

    #[test]
    fn binary_types_default_to_the_maximum_length() {
        assert_eq!(parse("VARBINARY"), ColumnType::VarBinary(1_048_576));
        assert_eq!(parse("binary"), ColumnType::VarBinary(1_048_576));
        assert_eq!(parse("Binary(16)"), ColumnType::VarBinary(16));
        assert_eq!(
            parse("varbinary(1048576)"),
            ColumnType::VarBinary(1_048_576)
        );
        assert!(parse_type("VARBINARY(0)").is_err());
        assert!(parse_type("VARBINARY(1048577)").is_err());
    }

    #[test]
    fn nested_types_nest_and_ignore_case_and_spaces() {
        assert_eq!(parse("array<int>"), array(ColumnType::Int));
        assert_eq!(parse("ARRAY < INT(11) >"), array(ColumnType::Int));
        assert_eq!(
            parse("Map<VARCHAR(10),array<date>>"),
            ColumnType::Map(
                Box::new(ColumnType::Varchar(10)),
                Box::new(array(ColumnType::Date))
            )
        );
        assert_eq!(
            parse("ARRAY<STRUCT<a INT, b ARRAY<VARCHAR(10)>>>"),
            array(ColumnType::Struct(vec![
                StructField {
                    name: "a".into(),
                    ty: ColumnType::Int
                },
                StructField {
                    name: "b".into(),
                    ty: array(ColumnType::Varchar(10))
                },
            ]))
        );
        assert_eq!(
            parse("struct<`my field` decimal(10, 2),`x``y`json>"),
            ColumnType::Struct(vec![
                StructField {
                    name: "my field".into(),
                    ty: ColumnType::Decimal {
                        precision: 10,
                        scale: 2
                    }
                },
                StructField {
                    name: "x`y".into(),
                    ty: ColumnType::Json
                },
            ])
        );
    }

    #[test]
    fn refuses_what_starrocks_refuses() {
        for bad in [
            "ARRAY<>",
            "ARRAY<INT",
            "ARRAY INT",
            "ARRAY<INT>>",
            "MAP<INT>",
            "MAP<INT,INT,INT>",
            "MAP<JSON,INT>",
            "MAP<ARRAY<INT>,INT>",
            "STRUCT<>",
            "STRUCT<INT>",
            "STRUCT<a INT, A INT>",
            "STRUCT<`` INT>",
            "ARRAY<VARBINARY>",
            "MAP<INT,BINARY(3)>",
            "ARRAY<FANCY>",
        ] {
            assert!(parse_type(bad).is_err(), "{bad}");
        }
        let deepest = format!("{}INT{}", "ARRAY<".repeat(14), ">".repeat(14));
        assert!(parse_type(&deepest).is_ok());
        let too_deep = format!("{}INT{}", "ARRAY<".repeat(15), ">".repeat(15));
        assert!(parse_type(&too_deep).unwrap_err().contains("14 levels"));
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "BOOLEAN",
            "DECIMAL(10,2)",
            "VARBINARY(7)",
            "ARRAY<ARRAY<VARCHAR(10)>>",
            "MAP<DATE,STRUCT<a INT, `b c` DATETIME>>",
            "STRUCT<x LARGEINT, y ARRAY<JSON>, z MAP<VARCHAR(3),DOUBLE>>",
        ] {
            let ty = parse(text);
            assert_eq!(ty.to_string(), text);
            assert_eq!(parse(&ty.to_string()), ty);
        }
    }
}
