//! Encoder tests, including the shared row-frame vectors used by the Java tests too.

use super::frame::{Frame, FrameReader, RowKind, Value};
use super::*;
use crate::options::Format;

fn csv_format() -> Format {
    Format::Csv {
        column_separator: b"\t".to_vec(),
        row_delimiter: b"\n".to_vec(),
    }
}

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn shared_row_frame_vectors_encode_to_the_expected_csv_and_json() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/row-frames.json"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc["frame_version"], frame::FRAME_VERSION);
    let vectors = doc["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 6);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let columns: Vec<String> = v["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[0].as_str().unwrap().to_string())
            .collect();
        let modes: Vec<ColumnMode> = v["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| match c.get(2).and_then(|m| m.as_str()) {
                None => ColumnMode::Value,
                Some("json") => ColumnMode::JsonText,
                Some("hex") => ColumnMode::HexBinary,
                Some(other) => panic!("{name}: unknown mode {other}"),
            })
            .collect();
        let bytes = hex_decode(v["frame_hex"].as_str().unwrap());
        let frames: Vec<_> = FrameReader::new(&bytes).collect();
        assert_eq!(frames.len(), 1, "{name}");
        let Frame::Row { fields, table, .. } = frames[0].clone().unwrap() else {
            panic!("{name}: not a row frame")
        };
        assert_eq!(table, 0);

        for (format, key) in [(csv_format(), "csv"), (Format::Json, "json")] {
            let enc = RowEncoder::new(
                &format,
                "db.t".into(),
                columns.clone(),
                modes.clone(),
                false,
            );
            let mut chunk = enc.new_chunk();
            let result = enc.append_row(&mut chunk, RowKind::Insert, &fields, 1);
            if let Some(error) = v.get(format!("{key}_error")) {
                let e = result.unwrap_err();
                let error = error.as_str().unwrap();
                assert!(e.message().contains(error), "{name} {key}: {e}");
                assert!(
                    e.message().contains("row #1 for table db.t"),
                    "{name} {key}: {e}"
                );
                continue;
            }
            result.unwrap_or_else(|e| panic!("{name} {key}: {e}"));
            enc.finish_chunk(&mut chunk);
            let body = String::from_utf8(chunk.data.clone()).unwrap();
            if key == "csv" {
                assert_eq!(body, v["csv"].as_str().unwrap(), "{name}");
            } else {
                let expected = format!("[{}]", v["json"].as_str().unwrap());
                assert_eq!(body, expected, "{name}");
                // And it is valid JSON.
                serde_json::from_slice::<serde_json::Value>(&chunk.data).unwrap();
            }
            let header = enc.columns_header(false);
            match v.get(format!("{key}_columns")) {
                Some(expected) => assert_eq!(header.as_deref(), expected.as_str(), "{name}"),
                None if key == "json" => assert_eq!(header, None, "{name}"),
                None => {}
            }
        }
    }
}

#[test]
fn json_chunks_are_arrays_of_rows() {
    let enc = RowEncoder::new(
        &Format::Json,
        "db.t".into(),
        vec!["a".into()],
        Vec::new(),
        false,
    );
    let mut chunk = enc.new_chunk();
    for i in 0..3 {
        enc.append_row(&mut chunk, RowKind::Insert, &[Value::Int(i)], i as u64)
            .unwrap();
    }
    enc.finish_chunk(&mut chunk);
    assert_eq!(chunk.data, br#"[{"a":0},{"a":1},{"a":2}]"#);
    assert_eq!(chunk.rows, 3);
}

#[test]
fn json_escapes_control_characters() {
    let enc = RowEncoder::new(
        &Format::Json,
        "db.t".into(),
        vec!["a\"b".into()],
        Vec::new(),
        false,
    );
    let mut chunk = enc.new_chunk();
    enc.append_row(
        &mut chunk,
        RowKind::Insert,
        &[Value::String(b"x\n\x01\ty")],
        1,
    )
    .unwrap();
    enc.finish_chunk(&mut chunk);
    assert_eq!(chunk.data, br#"[{"a\"b":"x\n\u0001\ty"}]"#);
}

/// Strings are escaped eight bytes at a time where nothing needs escaping: every byte that may need
/// it, at every offset within a word and in runs, is written exactly as serde_json writes it.
#[test]
fn json_string_escaping_matches_serde_json_at_every_offset() {
    let mut cases: Vec<String> = Vec::new();
    for b in 0u8..0x80 {
        for offset in 0..17 {
            let mut s = "abcdefghijklmnopq"[..offset].to_string();
            s.push(b as char);
            s.push_str("rstuvwxyz0123456");
            cases.push(s);
        }
    }
    cases.push("\"\\\u{1}\u{1f}\u{7f}ü€𝄞\"\"\"\"\"\"\"\"\"".to_string());
    cases.push("no escapes at all, but longer than a word: ü€𝄞".to_string());
    cases.push(String::new());
    for s in cases {
        let mut out = Vec::new();
        super::json::write_string(&mut out, &s);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(&s).unwrap(),
            "{s:?}"
        );
    }
}

#[test]
fn csv_refuses_values_that_would_change_and_keeps_the_chunk_intact() {
    let enc = RowEncoder::new(
        &csv_format(),
        "db.t".into(),
        vec!["id".into(), "name".into()],
        Vec::new(),
        false,
    );
    let mut chunk = enc.new_chunk();
    enc.append_row(
        &mut chunk,
        RowKind::Insert,
        &[Value::Int(1), Value::String(b"ok")],
        1,
    )
    .unwrap();
    let before = chunk.data.clone();
    for bad in [&b"a\tb"[..], b"line\nbreak", b"\\N"] {
        let e = enc
            .append_row(
                &mut chunk,
                RowKind::Insert,
                &[Value::Int(2), Value::String(bad)],
                2,
            )
            .unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::InvalidData);
        assert!(e.message().contains("row #2"), "{e}");
        assert!(e.message().contains("column 'name'"), "{e}");
        assert_eq!(chunk.data, before);
        assert_eq!(chunk.rows, 1);
    }
}

#[test]
fn multi_byte_separators_are_honoured() {
    let fmt = Format::Csv {
        column_separator: vec![0x01, 0x02],
        row_delimiter: vec![0x03],
    };
    let enc = RowEncoder::new(
        &fmt,
        "db.t".into(),
        vec!["a".into(), "b".into()],
        Vec::new(),
        false,
    );
    let mut chunk = enc.new_chunk();
    enc.append_row(
        &mut chunk,
        RowKind::Insert,
        &[Value::Int(1), Value::String(b"x\x01y")],
        1,
    )
    .unwrap();
    assert_eq!(chunk.data, b"1\x01\x02x\x01y\x03");
    assert!(enc
        .append_row(
            &mut chunk,
            RowKind::Insert,
            &[Value::Int(1), Value::String(b"x\x01\x02y")],
            2
        )
        .is_err());
}

#[test]
fn field_count_mismatch_is_an_error() {
    let enc = RowEncoder::new(
        &csv_format(),
        "db.t".into(),
        vec!["a".into()],
        Vec::new(),
        false,
    );
    let mut chunk = enc.new_chunk();
    let e = enc
        .append_row(&mut chunk, RowKind::Insert, &[], 7)
        .unwrap_err();
    assert!(
        e.message().contains("0 fields but the sink has 1 columns"),
        "{e}"
    );
}

#[test]
fn raw_records_are_framed_per_format() {
    let csv = RowEncoder::new(&csv_format(), "db.t".into(), vec![], Vec::new(), false);
    let mut chunk = csv.new_chunk();
    csv.append_raw(&mut chunk, b"1\ta", 1).unwrap();
    csv.append_raw(&mut chunk, b"2\tb", 2).unwrap();
    assert_eq!(chunk.data, b"1\ta\n2\tb\n");
    assert!(csv.append_raw(&mut chunk, b"3\n4", 3).is_err());

    let json = RowEncoder::new(&Format::Json, "db.t".into(), vec![], Vec::new(), false);
    let mut chunk = json.new_chunk();
    json.append_raw(&mut chunk, br#" {"a":1} "#, 1).unwrap();
    json.append_raw(&mut chunk, br#"{"a":2}"#, 2).unwrap();
    json.finish_chunk(&mut chunk);
    assert_eq!(chunk.data, br#"[{"a":1},{"a":2}]"#);
}

#[test]
fn json_array_records_join_the_chunk_array() {
    let json = RowEncoder::new(&Format::Json, "db.t".into(), vec![], Vec::new(), false)
        .with_json_array_records();
    let mut chunk = json.new_chunk();
    json.append_raw(&mut chunk, b" [] ", 1).unwrap();
    json.append_raw(&mut chunk, br#"[{"a":1}, {"a":2}]"#, 2)
        .unwrap();
    json.append_raw(&mut chunk, b"[ ]", 3).unwrap();
    json.append_raw(&mut chunk, br#" [{"a":3}]"#, 4).unwrap();
    json.finish_chunk(&mut chunk);
    assert_eq!(chunk.data, br#"[{"a":1}, {"a":2},{"a":3}]"#);
    let parsed: serde_json::Value = serde_json::from_slice(&chunk.data).unwrap();
    assert_eq!(parsed.as_array().unwrap().len(), 3);

    let before = chunk.data.clone();
    let e = json.append_raw(&mut chunk, br#"{"a":4}"#, 5).unwrap_err();
    assert!(e.message().contains("record #5"), "{e}");
    assert!(e.message().contains("one JSON array of rows"), "{e}");
    assert!(e.message().contains("starts with '{'"), "{e}");
    assert_eq!(
        chunk.data, before,
        "a refused record leaves the chunk as it was"
    );

    // Typed rows stay objects, whatever the option.
    let typed = RowEncoder::new(
        &Format::Json,
        "db.t".into(),
        vec!["a".into()],
        Vec::new(),
        false,
    )
    .with_json_array_records();
    let mut chunk = typed.new_chunk();
    typed
        .append_row(&mut chunk, RowKind::Insert, &[Value::Int(7)], 1)
        .unwrap();
    typed.finish_chunk(&mut chunk);
    assert_eq!(chunk.data, br#"[{"a":7}]"#);
}

#[test]
fn csv_columns_header_is_back_quoted() {
    let enc = RowEncoder::new(
        &csv_format(),
        "db.t".into(),
        vec!["id".into(), "we`ird".into()],
        Vec::new(),
        false,
    );
    assert_eq!(enc.columns_header(false).unwrap(), "`id`,`we``ird`");
    let enc = RowEncoder::new(
        &Format::Json,
        "db.t".into(),
        vec!["id".into()],
        Vec::new(),
        false,
    );
    assert_eq!(enc.columns_header(false), None);
    // A partial update updates exactly the columns the header names.
    assert_eq!(enc.columns_header(true).as_deref(), Some("`id`"));
}

#[test]
fn primary_key_rows_carry_op_from_their_kind() {
    let csv = RowEncoder::new(
        &csv_format(),
        "db.t".into(),
        vec!["id".into()],
        Vec::new(),
        true,
    );
    assert_eq!(csv.columns_header(false).unwrap(), "`id`,`__op`");
    let mut chunk = csv.new_chunk();
    for (i, kind) in [
        RowKind::Insert,
        RowKind::UpdateAfter,
        RowKind::Delete,
        RowKind::UpdateBefore,
    ]
    .into_iter()
    .enumerate()
    {
        csv.append_row(&mut chunk, kind, &[Value::Int(i as i32)], 1)
            .unwrap();
    }
    assert_eq!(chunk.data, b"0\t0\n1\t0\n2\t1\n3\t1\n");

    let json = RowEncoder::new(
        &Format::Json,
        "db.t".into(),
        vec!["id".into()],
        Vec::new(),
        true,
    );
    let mut chunk = json.new_chunk();
    json.append_row(&mut chunk, RowKind::Delete, &[Value::Int(7)], 1)
        .unwrap();
    json.finish_chunk(&mut chunk);
    assert_eq!(chunk.data, br#"[{"id":7,"__op":1}]"#);
}

fn csv_encoder(separator: &[u8], delimiter: &[u8], columns: &[&str], upsert: bool) -> RowEncoder {
    RowEncoder::new(
        &Format::Csv {
            column_separator: separator.to_vec(),
            row_delimiter: delimiter.to_vec(),
        },
        "db.t".into(),
        columns.iter().map(|c| c.to_string()).collect(),
        Vec::new(),
        upsert,
    )
}

/// Appends one row that must be refused for `column`, leaving the chunk empty.
fn refused(enc: &RowEncoder, kind: RowKind, fields: &[Value<'_>], column: &str) -> String {
    let mut chunk = enc.new_chunk();
    let e = enc.append_row(&mut chunk, kind, fields, 1).unwrap_err();
    assert!(e.message().contains(&format!("column '{column}': ")), "{e}");
    assert!(chunk.data.is_empty());
    assert_eq!(chunk.rows, 0);
    e.message().to_string()
}

/// Found by the CSV fuzzer: StarRocks ends a field at the first separator, so "a|" followed by
/// the separator "||" reads as "a" and "|b".
#[test]
fn csv_refuses_a_value_that_ends_with_the_start_of_the_separator() {
    let enc = csv_encoder(b"||", b"\n", &["a", "b"], false);
    let e = refused(
        &enc,
        RowKind::Insert,
        &[Value::String(b"a|"), Value::String(b"b")],
        "a",
    );
    assert!(e.contains("start of the CSV column separator '||'"), "{e}");
    // Last in the row it is followed by the delimiter, and fine.
    let mut chunk = enc.new_chunk();
    enc.append_row(
        &mut chunk,
        RowKind::Insert,
        &[Value::String(b"|a"), Value::String(b"b|")],
        1,
    )
    .unwrap();
    assert_eq!(chunk.data, b"|a||b|\n");
}

/// Found by the CSV fuzzer: a row delimiter can form across a value and the separators next to
/// it, even from an empty value.
#[test]
fn csv_refuses_a_row_delimiter_across_values_and_separators() {
    let enc = csv_encoder(b"|", b"||", &["a", "b", "c"], false);
    refused(
        &enc,
        RowKind::Insert,
        &[Value::Int(1), Value::String(b""), Value::Int(2)],
        "b",
    );
    let enc = csv_encoder(b"|", b"|\n", &["a", "b"], false);
    let e = refused(
        &enc,
        RowKind::Insert,
        &[Value::String(b"a"), Value::String(b"\nb")],
        "b",
    );
    assert!(e.contains("row delimiter '|\\n'"), "{e}");
    let enc = csv_encoder(b"\t", b"\n\n", &["a"], false);
    refused(&enc, RowKind::Insert, &[Value::String(b"x\n")], "a");
}

/// Found by the CSV fuzzer: the text of numbers, dates and `__op` was never checked, so a
/// separator or delimiter that such text can hold split rows.
#[test]
fn csv_checks_the_text_of_numbers_dates_and_op_too() {
    let enc = csv_encoder(b"-", b"\n", &["a", "b"], false);
    let e = refused(&enc, RowKind::Insert, &[Value::Int(1), Value::Int(-5)], "b");
    assert!(e.contains("column separator '-'"), "{e}");
    let enc = csv_encoder(b" ", b"\n", &["t"], false);
    refused(
        &enc,
        RowKind::Insert,
        &[Value::Timestamp {
            precision: 0,
            epoch_millis: 0,
            nano_of_milli: 0,
        }],
        "t",
    );
    let enc = csv_encoder(b"\t", b"1", &["id"], true);
    refused(&enc, RowKind::Delete, &[Value::Int(7)], OP_COLUMN);
    let enc = csv_encoder(b"\\", b"\n", &["a", "b"], false);
    refused(&enc, RowKind::Insert, &[Value::Int(7), Value::Null], "b");
}

/// Found by the CSV fuzzer: a raw record ending with the start of the delimiter "\n\n" ended its
/// row early.
#[test]
fn csv_refuses_a_raw_record_that_overlaps_the_delimiter() {
    let enc = csv_encoder(b"\t", b"\n\n", &[], false);
    let mut chunk = enc.new_chunk();
    assert!(enc.append_raw(&mut chunk, b"x\n", 1).is_err());
    assert!(chunk.data.is_empty());
    enc.append_raw(&mut chunk, b"\nx", 2).unwrap();
    assert_eq!(chunk.data, b"\nx\n\n");
}
