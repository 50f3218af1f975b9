//! Converting a nested value (`Node`) to a column type and writing its canonical text (the rules
//! are in the module doc of `types::nested`). Each element converts with the scalar rules of
//! `types::convert`; `ElementErrors` decides whether a failed element fails the value or becomes
//! `null`.

use super::node::Node;
use super::text;
use crate::data::json_value::render_canonical;
use crate::types::convert::{to_bytes, to_float, to_int, to_wide, ConvError, ElementErrors, Input};
use crate::types::render::{render_float, render_int, render_wide};
use crate::types::{ColumnType, StorageKind, StructField};

/// Writes `node` as a value of the nested type `ty`.
pub fn write_value(
    ty: &ColumnType,
    node: &Node<'_>,
    errors: ElementErrors,
    out: &mut String,
) -> Result<(), ConvError> {
    match (ty, node) {
        (ColumnType::Array(element), Node::List(items)) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_element(element, item, errors, out)
                    .map_err(|e| context(&format!("element {}", i + 1), item, e))?;
            }
            out.push(']');
        }
        (ColumnType::Map(key_type, value_type), Node::Entries(entries)) => {
            // Duplicate keys: the last one wins, in its position (StarRocks' CSV map reader).
            let mut pairs: Vec<(String, String)> = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                let mut k = String::new();
                write_element(key_type, key, errors, &mut k)
                    .map_err(|e| context("map key", key, e))?;
                let mut v = String::new();
                write_element(value_type, value, errors, &mut v)
                    .map_err(|e| context(&format!("value of map key {k}"), value, e))?;
                pairs.retain(|(existing, _)| *existing != k);
                pairs.push((k, v));
            }
            out.push('{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(k);
                out.push(':');
                out.push_str(v);
            }
            out.push('}');
        }
        (ColumnType::Struct(fields), Node::Entries(entries)) => {
            out.push('{');
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_quoted(&field.name, out);
                out.push(':');
                match find_field(entries, field) {
                    Some(value) => write_element(&field.ty, value, errors, out)
                        .map_err(|e| context(&format!("field '{}'", field.name), value, e))?,
                    None => out.push_str("null"),
                }
            }
            out.push('}');
        }
        _ => return Err(not_a(ty)),
    }
    Ok(())
}

/// The error of a value that is not an ARRAY/MAP/STRUCT at all.
pub fn not_a(ty: &ColumnType) -> ConvError {
    let name = ty.base_name();
    let article = if name.starts_with('A') { "an" } else { "a" };
    ConvError::Nested(format!("not {article} {name} value"))
}

/// A STRUCT field's value among object entries: the key equal to the name, else equal ignoring
/// case [inf: like the top-level JSON key match]; missing = NULL, extra keys ignored.
fn find_field<'n, 'a>(
    entries: &'n [(Node<'a>, Node<'a>)],
    field: &StructField,
) -> Option<&'n Node<'a>> {
    let named = |exact: bool| {
        entries.iter().find_map(|(k, v)| {
            let key = k.leaf_text()?;
            let hit = if exact {
                key == field.name
            } else {
                key.eq_ignore_ascii_case(&field.name)
            };
            hit.then_some(v)
        })
    };
    named(true).or_else(|| named(false))
}

fn context(what: &str, node: &Node<'_>, error: ConvError) -> ConvError {
    match node.leaf_text() {
        Some(text) => ConvError::Nested(format!("{what} '{text}': {error}")),
        None => ConvError::Nested(format!("{what}: {error}")),
    }
}

/// Writes one element (or key, or field value); a failure writes nothing, or `null` when
/// element errors become NULL.
fn write_element(
    ty: &ColumnType,
    node: &Node<'_>,
    errors: ElementErrors,
    out: &mut String,
) -> Result<(), ConvError> {
    if *node == Node::Null {
        out.push_str("null");
        return Ok(());
    }
    let start = out.len();
    let result = convert_element(ty, node, errors, out);
    if result.is_err() {
        out.truncate(start);
        if errors == ElementErrors::Null {
            out.push_str("null");
            return Ok(());
        }
    }
    result
}

fn convert_element(
    ty: &ColumnType,
    node: &Node<'_>,
    errors: ElementErrors,
    out: &mut String,
) -> Result<(), ConvError> {
    if ty.is_nested() {
        // A string element of a nested type is that type's text (`["[1,2]"]`).
        return match node {
            Node::Str(s) => {
                let parsed = text::parse(s).map_err(|e| {
                    ConvError::Nested(format!("malformed {} text: {e}", ty.base_name()))
                })?;
                write_value(ty, &parsed, errors, out)
            }
            other => write_value(ty, other, errors, out),
        };
    }
    if *ty == ColumnType::Json {
        let value = node.to_json().ok_or(ConvError::Invalid)?;
        render_canonical(&value, out);
        return Ok(());
    }
    match node.as_input() {
        Some(input) => write_scalar(ty, &input, out),
        // A list or object into a scalar: what a JSON array/object would do at the top level
        // (strings take its compact text, other types fail).
        None => {
            let value = node.to_json().ok_or(ConvError::Invalid)?;
            write_scalar(ty, &Input::JsonNested(&value), out)
        }
    }
}

/// A scalar element: numbers and BOOLEAN (`1`/`0`) bare, strings and DATE/DATETIME quoted.
fn write_scalar(ty: &ColumnType, input: &Input<'_>, out: &mut String) -> Result<(), ConvError> {
    match ty.storage() {
        StorageKind::Int => {
            let text = render_int(ty, to_int(ty, input)?);
            if matches!(ty, ColumnType::Date | ColumnType::DateTime) {
                write_quoted(&text, out);
            } else {
                out.push_str(&text);
            }
        }
        StorageKind::Wide => out.push_str(&render_wide(ty, to_wide(ty, input)?)),
        StorageKind::Float => out.push_str(&render_float(ty, to_float(ty, input)?)),
        StorageKind::Bytes => {
            let mut bytes = Vec::new();
            to_bytes(ty, input, ElementErrors::Fail, &mut bytes)?;
            write_quoted(&String::from_utf8_lossy(&bytes), out);
        }
    }
    Ok(())
}

/// A double-quoted string with `"` and `\` escaped by a backslash, as StarRocks' MySQL row
/// buffer writes strings inside nested values.
pub fn write_quoted(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}
