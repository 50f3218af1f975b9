//! JSON bodies (spec §8.2), parsed once the body is complete. `strip_outer_array: true`: the body
//! is one array whose elements are rows. `false`: a stream of objects (NDJSON or concatenated);
//! a top-level array is a data-quality error counted as one filtered row. Malformed JSON is one
//! filtered row and ends the parse (there is no way to resynchronise).

use crate::data::json_value::{JsonReader, JsonValue};
use crate::data::sink::RowSink;

fn value_kind(value: &JsonValue<'_>) -> &'static str {
    match value {
        JsonValue::Null => "null",
        JsonValue::Bool(_) => "a boolean",
        JsonValue::Number(_) => "a number",
        JsonValue::String(_) => "a string",
        JsonValue::Array(_) => "an array",
        JsonValue::Object(_) => "an object",
    }
}

/// Parses a complete JSON body into the sink.
pub fn load_json(body: &[u8], strip_outer_array: bool, sink: &mut RowSink) {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let raw = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
            sink.reject_json(
                &format!(
                    "Failed to parse json: invalid UTF-8 at byte {}",
                    e.valid_up_to()
                ),
                &raw,
            );
            return;
        }
    };
    let mut reader = JsonReader::new(text);
    if strip_outer_array {
        load_array(&mut reader, sink);
    } else {
        load_stream(&mut reader, sink);
    }
}

fn tail(reader: &JsonReader<'_>, start: usize) -> String {
    let end = (start + 200).min(reader.position().max(start + 1));
    reader.slice(start, end).to_string()
}

fn load_array(reader: &mut JsonReader<'_>, sink: &mut RowSink) {
    if reader.at_end() {
        return;
    }
    let start = reader.position();
    if reader.peek() != Some(b'[') {
        match reader.read_value() {
            Ok(JsonValue::Object(_)) => sink.reject_json(
                "JSON data is an object, strip_outer_array must be set false",
                reader.slice(start, reader.position()),
            ),
            Ok(other) => sink.reject_json(
                &format!(
                    "JSON data is {}, expected an array of objects",
                    value_kind(&other)
                ),
                reader.slice(start, reader.position()),
            ),
            Err(e) => sink.reject_json(
                &format!("Failed to parse json as array: {e}"),
                &tail(reader, start),
            ),
        }
        return;
    }
    reader.eat(b'[');
    if !reader.eat(b']') {
        loop {
            let item_start = reader.position();
            match reader.read_value() {
                Ok(JsonValue::Object(members)) => {
                    sink.json_object(&members, reader.slice(item_start, reader.position()))
                }
                Ok(other) => sink.reject_json(
                    &format!(
                        "JSON array element is {}, expected an object",
                        value_kind(&other)
                    ),
                    reader.slice(item_start, reader.position()),
                ),
                Err(e) => {
                    sink.reject_json(
                        &format!("Failed to parse json as array: {e}"),
                        &tail(reader, item_start),
                    );
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
            sink.reject_json(
                &format!("Failed to parse json as array: expected ',' or ']' at offset {at}"),
                &tail(reader, at),
            );
            return;
        }
    }
    if !reader.at_end() {
        let at = reader.position();
        sink.reject_json(
            &format!(
                "Failed to parse json as array: unexpected content after the array at offset {at}"
            ),
            &tail(reader, at),
        );
    }
}

fn load_stream(reader: &mut JsonReader<'_>, sink: &mut RowSink) {
    while !reader.at_end() {
        let start = reader.position();
        match reader.read_value() {
            Ok(JsonValue::Object(members)) => {
                sink.json_object(&members, reader.slice(start, reader.position()))
            }
            Ok(JsonValue::Array(_)) => sink.reject_json(
                "JSON data is an array, strip_outer_array must be set true",
                reader.slice(start, reader.position()),
            ),
            Ok(other) => sink.reject_json(
                &format!(
                    "Failed to determine json type: JSON data is {}, expected an object",
                    value_kind(&other)
                ),
                reader.slice(start, reader.position()),
            ),
            Err(e) => {
                sink.reject_json(&format!("Failed to parse json: {e}"), &tail(reader, start));
                return;
            }
        }
    }
}
