//! ARRAY, MAP and STRUCT values: loading (from a JSON body's arrays/objects, or from text in a CSV
//! field or a JSON string) and the canonical text they are stored as and read back as.
//!
//! # Canonical text (what `rows()`, the control API and `SELECT` show)
//!
//! As StarRocks' MySQL protocol writes nested values (BE `MysqlRowBuffer`, ARRAY/MAP/STRUCT docs),
//! without spaces:
//! * ARRAY: `[1,2,3]`, `["a","b"]`, `[]`; a NULL element is `null`: `[1,null]`.
//! * MAP: `{1:"a",2:"b"}`, `{"k":1}`: keys and values written as elements; a key that appears
//!   twice keeps its last value, at its last position.
//! * STRUCT: `{"a":1,"b":"x"}`: every field in type order, names quoted, a missing field `null`.
//! * Elements: integers, LARGEINT, DECIMAL (with `scale` digits), FLOAT/DOUBLE as their top-level
//!   text, unquoted; BOOLEAN `1`/`0`; CHAR/VARCHAR/STRING, DATE and DATETIME double-quoted with
//!   `"` and `\` escaped by a backslash (`"a\"b"`, `"2024-01-02 03:04:05"`); JSON as its canonical
//!   text, unquoted [inf]; nested elements recursively.
//!
//! # Loading
//! * JSON body: an array/object is converted element by element; a string is parsed as text.
//!   MAP keys of a JSON object are strings converted to the key type. STRUCT fields are matched by
//!   name (exact, then ignoring case), missing fields are NULL, extra keys ignored.
//! * Text (`text::parse`): `[1,2]`, `["a"]`, `{"k":1}`, `{1:"a"}` (unquoted keys), `null`
//!   elements; the canonical text itself parses back to the same value.
//! * A value that is not of the right shape (an object for an ARRAY, malformed text) fails as a
//!   whole: NULL in non-strict mode, a filtered row in strict mode, like a bad scalar.
//! * An element, key or field value that does not convert becomes `null` in non-strict mode
//!   (StarRocks' CSV and JSON readers read elements with `invalid_as_null`) and filters the row in
//!   strict mode [inf], with the element named in the error log.

mod node;
mod text;
mod write;

use crate::types::convert::{ConvError, ElementErrors, Input};
use crate::types::ColumnType;
use node::Node;
use write::{not_a, write_quoted, write_value};

/// Converts a loaded value to the canonical text of the nested type `ty`, appended to `out`
/// (nothing is appended on error).
pub fn to_nested(
    ty: &ColumnType,
    input: &Input<'_>,
    errors: ElementErrors,
    out: &mut Vec<u8>,
) -> Result<(), ConvError> {
    let mut canonical = String::new();
    match *input {
        Input::JsonNested(value) => {
            write_value(ty, &Node::from_json(value), errors, &mut canonical)?
        }
        Input::Text(bytes) | Input::Binary(bytes) => {
            let text = std::str::from_utf8(bytes).map_err(|_| ConvError::Invalid)?;
            write_text(ty, text, errors, &mut canonical)?;
        }
        Input::JsonString(text) => write_text(ty, text, errors, &mut canonical)?,
        Input::JsonNumber(_) | Input::JsonBool(_) => return Err(not_a(ty)),
    }
    out.extend_from_slice(canonical.as_bytes());
    Ok(())
}

fn write_text(
    ty: &ColumnType,
    text: &str,
    errors: ElementErrors,
    out: &mut String,
) -> Result<(), ConvError> {
    let node = text::parse(text)
        .map_err(|e| ConvError::Nested(format!("malformed {} text: {e}", ty.base_name())))?;
    write_value(ty, &node, errors, out)
}

/// The canonical text of a nested type's empty value (`[]`, `{}`, a STRUCT whose fields are all
/// NULL): what a NOT NULL column without default gets where StarRocks fills the type's default
/// [inf]. Empty for other types.
pub fn empty_value(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Array(_) => "[]".to_string(),
        ColumnType::Map(..) => "{}".to_string(),
        ColumnType::Struct(fields) => {
            let mut out = String::from("{");
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_quoted(&field.name, &mut out);
                out.push_str(":null");
            }
            out.push('}');
            out
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::json_value::parse_single;

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).expect("type")
    }

    fn load(ty_text: &str, input: &Input<'_>, errors: ElementErrors) -> Result<String, ConvError> {
        let mut out = Vec::new();
        to_nested(&ty(ty_text), input, errors, &mut out)?;
        Ok(String::from_utf8(out).expect("utf-8"))
    }

    fn text(ty_text: &str, value: &str) -> Result<String, ConvError> {
        load(ty_text, &Input::Text(value.as_bytes()), ElementErrors::Fail)
    }

    fn json(ty_text: &str, value: &str) -> Result<String, ConvError> {
        let parsed = parse_single(value).expect("json");
        load(ty_text, &Input::JsonNested(&parsed), ElementErrors::Fail)
    }

    #[test]
    fn canonical_text_of_each_nested_type() {
        let cases = [
            ("ARRAY<INT>", "[1, 2 ,3]", "[1,2,3]"),
            ("ARRAY<INT>", "[]", "[]"),
            (
                "ARRAY<VARCHAR(5)>",
                r#"["a", "b\"c", null]"#,
                r#"["a","b\"c",null]"#,
            ),
            ("ARRAY<BOOLEAN>", "[true, 0]", "[1,0]"),
            (
                "ARRAY<DATE>",
                "[2024-1-2, \"20240103\"]",
                r#"["2024-01-02","2024-01-03"]"#,
            ),
            (
                "ARRAY<DATETIME>",
                r#"["2024-01-02T03:04:05.5"]"#,
                r#"["2024-01-02 03:04:05.500000"]"#,
            ),
            ("ARRAY<DECIMAL(5,2)>", "[1.5, -0.004]", "[1.50,0.00]"),
            ("ARRAY<DOUBLE>", "[0.1, 1e20]", "[0.1,1e+20]"),
            (
                "ARRAY<LARGEINT>",
                "[-170141183460469231731687303715884105728]",
                "[-170141183460469231731687303715884105728]",
            ),
            (
                "ARRAY<JSON>",
                r#"[{"b":1,"a":[true]}, "s", 2]"#,
                r#"[{"a": [true], "b": 1},"s",2]"#,
            ),
            (
                "ARRAY<ARRAY<INT>>",
                "[[1],[],null,[2,null]]",
                "[[1],[],null,[2,null]]",
            ),
            (
                "MAP<INT,VARCHAR(3)>",
                r#"{1:"a", "2":"b", 1:"c"}"#,
                r#"{2:"b",1:"c"}"#,
            ),
            (
                "MAP<VARCHAR(3),INT>",
                r#"{"k":1, "z":null}"#,
                r#"{"k":1,"z":null}"#,
            ),
            (
                "MAP<DATE,ARRAY<INT>>",
                r#"{"2024-01-02":[1]}"#,
                r#"{"2024-01-02":[1]}"#,
            ),
            (
                "STRUCT<a INT, b VARCHAR(3)>",
                r#"{"b":"x","a":1,"c":9}"#,
                r#"{"a":1,"b":"x"}"#,
            ),
            (
                "STRUCT<a INT, b VARCHAR(3)>",
                r#"{"A":2}"#,
                r#"{"a":2,"b":null}"#,
            ),
            (
                "ARRAY<STRUCT<a INT, b ARRAY<VARCHAR(10)>>>",
                r#"[{"a":1,"b":["x",null]}]"#,
                r#"[{"a":1,"b":["x",null]}]"#,
            ),
        ];
        for (t, input, expected) in cases {
            let canonical = text(t, input).unwrap_or_else(|e| panic!("{t} {input}: {e}"));
            assert_eq!(canonical, expected, "{t} {input}");
            assert_eq!(
                text(t, &canonical).as_deref(),
                Ok(expected),
                "round trip {t}"
            );
        }
    }

    #[test]
    fn json_values_convert_like_top_level_json() {
        assert_eq!(
            json("ARRAY<INT>", "[1, true, null]").as_deref(),
            Ok("[1,1,null]")
        );
        assert_eq!(
            json("ARRAY<VARCHAR(9)>", r#"[1.50, {"a":1}]"#).as_deref(),
            Ok(r#"["1.50","{\"a\":1}"]"#)
        );
        assert_eq!(json("MAP<INT,INT>", r#"{"1": 2}"#).as_deref(), Ok("{1:2}"));
        assert_eq!(
            json("ARRAY<ARRAY<INT>>", r#"["[1,2]"]"#).as_deref(),
            Ok("[[1,2]]")
        );
        let string = load(
            "ARRAY<INT>",
            &Input::JsonString("[3, 4]"),
            ElementErrors::Fail,
        );
        assert_eq!(string.as_deref(), Ok("[3,4]"));
    }

    #[test]
    fn failed_elements_fail_or_become_null() {
        let e = text("ARRAY<INT>", "[1, x]").unwrap_err();
        assert_eq!(e.to_string(), "element 2 'x': invalid value");
        let lenient = load(
            "ARRAY<INT>",
            &Input::Text(b"[1, x, 99999999999]"),
            ElementErrors::Null,
        );
        assert_eq!(lenient.as_deref(), Ok("[1,null,null]"));
        let e = text("STRUCT<a ARRAY<VARCHAR(2)>>", r#"{"a":["abc"]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field 'a': element 1 'abc': string length 3 exceeds the column length 2"
        );
        let e = text("MAP<INT,INT>", "{x:1}").unwrap_err();
        assert_eq!(e.to_string(), "map key 'x': invalid value");
    }

    #[test]
    fn a_value_of_the_wrong_shape_fails_as_a_whole() {
        for (t, input) in [
            ("ARRAY<INT>", "{}"),
            ("ARRAY<INT>", "1"),
            ("ARRAY<INT>", "null"),
            ("ARRAY<INT>", "[1"),
            ("MAP<INT,INT>", "[1]"),
            ("STRUCT<a INT>", "[1]"),
        ] {
            let lenient = load(t, &Input::Text(input.as_bytes()), ElementErrors::Null);
            assert!(lenient.is_err(), "{t} {input}");
        }
        assert_eq!(
            text("ARRAY<INT>", "[1").unwrap_err().to_string(),
            "malformed ARRAY text: expected ',' or ']' at offset 2"
        );
        let number = load("ARRAY<INT>", &Input::JsonNumber("1"), ElementErrors::Null);
        assert_eq!(number.unwrap_err().to_string(), "not an ARRAY value");
    }

    #[test]
    fn empty_values() {
        assert_eq!(empty_value(&ty("ARRAY<INT>")), "[]");
        assert_eq!(empty_value(&ty("MAP<INT,INT>")), "{}");
        assert_eq!(
            empty_value(&ty("STRUCT<a INT, b DATE>")),
            r#"{"a":null,"b":null}"#
        );
    }
}
