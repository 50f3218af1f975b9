//! JSON bodies (spec §8.2), parsed once the body is complete. `strip_outer_array: true`: the body
//! is one array whose elements are rows. `false`: a stream of objects (NDJSON or concatenated);
//! a top-level array is a data-quality error counted as one filtered row. Malformed JSON is one
//! filtered row and ends the parse (there is no way to resynchronise).
//!
//! `json_root` selects the sub-document of each row (after outer-array stripping, as the spec
//! says); when the body is not an array but `strip_outer_array` is true, the root is applied to
//! the document first and must select the array of rows (StarRocks' documented
//! `{"RECORDS":[...]}` example). `jsonpaths` extracts the row's values positionally.
//!
//! Count-only ingest without `json_root` does not come here: `json_count` streams the body with
//! the same checks and the same messages (the functions below).

use crate::data::json_value::{JsonError, JsonKind, JsonReader, JsonValue};
use crate::data::sink::RowSink;
use crate::load::plan::JsonFormat;

fn value_kind(value: &JsonValue<'_>) -> &'static str {
    kind_text(value.kind())
}

fn kind_text(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Null => "null",
        JsonKind::Bool => "a boolean",
        JsonKind::Number => "a number",
        JsonKind::String => "a string",
        JsonKind::Array => "an array",
        JsonKind::Object => "an object",
    }
}

// The data-quality errors of JSON bodies, shared with count-only ingest (`json_count`).
pub const ARRAY_NEEDS_STRIP: &str = "JSON data is an array, strip_outer_array must be set true";
pub const OBJECT_NEEDS_NO_STRIP: &str =
    "JSON data is an object, strip_outer_array must be set false";

pub fn not_an_array(kind: JsonKind) -> String {
    format!(
        "JSON data is {}, expected an array of objects",
        kind_text(kind)
    )
}

pub fn element_not_an_object(kind: JsonKind) -> String {
    format!(
        "JSON array element is {}, expected an object",
        kind_text(kind)
    )
}

pub fn document_not_an_object(kind: JsonKind) -> String {
    format!(
        "Failed to determine json type: JSON data is {}, expected an object",
        kind_text(kind)
    )
}

pub fn array_parse_error(e: &JsonError) -> String {
    format!("Failed to parse json as array: {e}")
}

pub fn array_separator_error(at: usize) -> String {
    format!("Failed to parse json as array: expected ',' or ']' at offset {at}")
}

pub fn after_array_error(at: usize) -> String {
    format!("Failed to parse json as array: unexpected content after the array at offset {at}")
}

pub fn parse_error(e: &JsonError) -> String {
    format!("Failed to parse json: {e}")
}

pub fn utf8_error(at: usize) -> String {
    format!("Failed to parse json: invalid UTF-8 at byte {at}")
}

/// Hands one row value to the sink: `json_root` (when `apply_root`), then jsonpaths or keys.
fn emit(value: &JsonValue<'_>, raw: &str, opts: &JsonFormat, apply_root: bool, sink: &mut RowSink) {
    let value = match (&opts.json_root, apply_root) {
        (Some(root), true) => match root.find(value) {
            Some(v) => v,
            None => {
                sink.reject_json(&format!("JSON Root not found: {}", root.text), raw);
                return;
            }
        },
        _ => value,
    };
    if let Some(paths) = &opts.jsonpaths {
        sink.json_paths(value, paths, raw);
        return;
    }
    match value {
        JsonValue::Object(members) => sink.json_object(members, raw),
        JsonValue::Array(_) if !opts.strip_outer_array => sink.reject_json(ARRAY_NEEDS_STRIP, raw),
        other => sink.reject_json(
            &format!("JSON data is {}, expected an object", value_kind(other)),
            raw,
        ),
    }
}

/// Parses a complete JSON body into the sink.
pub fn load_json(body: &[u8], opts: &JsonFormat, sink: &mut RowSink) {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let raw = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
            sink.reject_json(&utf8_error(e.valid_up_to()), &raw);
            return;
        }
    };
    let mut reader = JsonReader::new(text);
    if opts.strip_outer_array {
        load_array(&mut reader, opts, sink);
    } else {
        load_stream(&mut reader, opts, sink);
    }
}

/// The error-log text of a parse error at `start`: up to 200 bytes from there.
pub fn tail(reader: &JsonReader<'_>, start: usize) -> String {
    let end = (start + 200).min(reader.position().max(start + 1));
    reader.slice(start, end).to_string()
}

fn load_array(reader: &mut JsonReader<'_>, opts: &JsonFormat, sink: &mut RowSink) {
    if reader.at_end() {
        return;
    }
    let start = reader.position();
    if reader.peek() != Some(b'[') {
        match reader.read_value() {
            Ok(doc) if opts.json_root.is_some() => {
                let raw = reader.slice(start, reader.position());
                load_rooted_array(&doc, raw, opts, sink);
            }
            Ok(JsonValue::Object(_)) => sink.reject_json(
                OBJECT_NEEDS_NO_STRIP,
                reader.slice(start, reader.position()),
            ),
            Ok(other) => sink.reject_json(
                &not_an_array(other.kind()),
                reader.slice(start, reader.position()),
            ),
            Err(e) => sink.reject_json(&array_parse_error(&e), &tail(reader, start)),
        }
        return;
    }
    reader.eat(b'[');
    if !reader.eat(b']') {
        loop {
            let item_start = reader.position();
            match reader.read_value() {
                Ok(value @ JsonValue::Object(_)) => emit(
                    &value,
                    reader.slice(item_start, reader.position()),
                    opts,
                    true,
                    sink,
                ),
                Ok(value) if opts.json_root.is_some() || opts.jsonpaths.is_some() => emit(
                    &value,
                    reader.slice(item_start, reader.position()),
                    opts,
                    true,
                    sink,
                ),
                Ok(other) => sink.reject_json(
                    &element_not_an_object(other.kind()),
                    reader.slice(item_start, reader.position()),
                ),
                Err(e) => {
                    sink.reject_json(&array_parse_error(&e), &tail(reader, item_start));
                    return;
                }
            }
            if reader.eat(b',') {
                continue;
            }
            if reader.eat(b']') {
                break;
            }
            let at = reader.position();
            sink.reject_json(&array_separator_error(at), &tail(reader, at));
            return;
        }
    }
    if !reader.at_end() {
        let at = reader.position();
        sink.reject_json(&after_array_error(at), &tail(reader, at));
    }
}

/// `strip_outer_array` with `json_root` on a non-array body: the root must select the rows.
fn load_rooted_array(doc: &JsonValue<'_>, raw: &str, opts: &JsonFormat, sink: &mut RowSink) {
    let Some(root) = &opts.json_root else {
        return;
    };
    match root.find(doc) {
        Some(JsonValue::Array(items)) => {
            for item in items {
                let mut text = String::new();
                crate::data::json_value::render_compact(item, &mut text);
                emit(item, &text, opts, false, sink);
            }
        }
        Some(other) => emit(other, raw, opts, false, sink),
        None => sink.reject_json(&format!("JSON Root not found: {}", root.text), raw),
    }
}

fn load_stream(reader: &mut JsonReader<'_>, opts: &JsonFormat, sink: &mut RowSink) {
    while !reader.at_end() {
        let start = reader.position();
        match reader.read_value() {
            Ok(value) if opts.json_root.is_some() => {
                let raw = reader.slice(start, reader.position());
                emit(&value, raw, opts, true, sink)
            }
            Ok(value @ JsonValue::Object(_)) => emit(
                &value,
                reader.slice(start, reader.position()),
                opts,
                false,
                sink,
            ),
            Ok(JsonValue::Array(_)) => {
                sink.reject_json(ARRAY_NEEDS_STRIP, reader.slice(start, reader.position()))
            }
            Ok(other) => sink.reject_json(
                &document_not_an_object(other.kind()),
                reader.slice(start, reader.position()),
            ),
            Err(e) => {
                sink.reject_json(&parse_error(&e), &tail(reader, start));
                return;
            }
        }
    }
}
