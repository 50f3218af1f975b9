//! Count-only ingest (`EmulatorConfig::count_only`, `--count-only`; emulator mode, not in the
//! spec): the body's records are counted and answered as loaded rows, nothing is converted or
//! stored. CSV counts records between row delimiters (the configured one, empty records and
//! `skip_header` skipped, enclosures honoured); JSON counts the objects of the outer array or of
//! the stream, with malformed JSON still failing the load exactly as in the other modes.

mod common;
mod txn_client;

use common::*;
use starrocks_emulator::{Emulator, EmulatorConfig};
use txn_client::Txn;

fn count_only() -> Emulator {
    emulator_with(EmulatorConfig {
        count_only: true,
        ..EmulatorConfig::default()
    })
}

fn load(emu: &Emulator, headers: &[(&str, &str)], body: &[u8]) -> serde_json::Value {
    stream_load(be(emu), "db", "dup", headers, body).json()
}

fn error_log(emu: &Emulator, result: &serde_json::Value) -> String {
    let url = result["ErrorURL"].as_str().expect("ErrorURL");
    get(be(emu), &error_url_target(url), None).text()
}

/// Status and the three row counters.
fn summary(result: &serde_json::Value) -> (String, u64, u64, u64) {
    (
        result["Status"].as_str().unwrap_or("").to_string(),
        result["NumberTotalRows"].as_u64().expect("total"),
        result["NumberLoadedRows"].as_u64().expect("loaded"),
        result["NumberFilteredRows"].as_u64().expect("filtered"),
    )
}

fn success(rows: u64) -> (String, u64, u64, u64) {
    ("Success".to_string(), rows, rows, 0)
}

#[test]
fn csv_records_are_counted_unconverted_and_not_stored() {
    let emu = count_only();
    // Row 2 has a non-number id, row 3 a wrong field count, row 4 invalid UTF-8: all would be
    // filtered when converted; here every non-empty record is a loaded row. The last record
    // has no trailing delimiter; empty records are not rows.
    let body = b"1\ta\t1.5\nx\tb\t2\n\n3\n4\t\xff\t4\n\n5\te\t5";
    let result = load(&emu, &[("label", "c1")], body);
    assert_eq!(summary(&result), success(5), "{result}");
    assert_eq!(result["NumberUnselectedRows"], 0);
    assert_eq!(result["LoadBytes"], body.len());
    assert!(result.get("ErrorURL").is_none(), "{result}");
    assert!(rows(&emu, "dup").is_empty());
    assert_eq!(emu.label_state("db", "c1").expect("label").state, "VISIBLE");
    let stats = emu.stats();
    assert_eq!((stats.rows_loaded, stats.rows_filtered), (5, 0));
}

#[test]
fn csv_honours_a_custom_row_delimiter_and_skip_header() {
    let emu = count_only();
    // Newlines are data here: only `<EOL>` ends a record.
    let body = b"id|name<EOL>1|a\nb<EOL><EOL>2|c<EOL>3|d\n";
    let headers = [
        ("column_separator", "|"),
        ("row_delimiter", "<EOL>"),
        ("skip_header", "1"),
    ];
    assert_eq!(summary(&load(&emu, &headers, body)), success(3));
    // A single-byte delimiter given in hex.
    let body = b"1,a\n2,b\x023,c\x02\x024,d";
    let result = load(
        &emu,
        &[("column_separator", ","), ("row_delimiter", "\\x02")],
        body,
    );
    assert_eq!(summary(&result), success(3), "{result}");
}

#[test]
fn enclosed_csv_keeps_delimiters_inside_enclosures() {
    let emu = count_only();
    let body = b"1,\"a\nstill a\",1\n2,\"b,\"\"q\"\"\",2\n";
    let headers = [
        ("column_separator", ","),
        ("enclose", "\""),
        ("escape", "\\"),
    ];
    assert_eq!(summary(&load(&emu, &headers, body)), success(2));
}

#[test]
fn csv_records_are_counted_across_transaction_loads() {
    let emu = count_only();
    let t = Txn::new(&emu, "dup", "t-csv");
    t.begin();
    t.load(b"1\ta\t1\n2\tb");
    t.load(b"\t2\nnot\ta\tnumber\n");
    let result = t.commit();
    assert_eq!(result["NumberLoadedRows"], 3, "{result}");
    assert_eq!(t.state(), "VISIBLE");
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn json_outer_array_elements_are_counted() {
    let emu = count_only();
    let json = [("format", "json"), ("strip_outer_array", "true")];
    // Values that would not convert (a string id, an over-long name) still count; brackets,
    // braces and escaped quotes inside strings are not structure; nested values are one row.
    let body = br#" [ {"id":1,"name":"a]}\"[{","price":1.5},
        {"id":"x","name":"a name far longer than sixteen bytes"},
        {"id":3,"nested":{"a":[1,{"b":[]}],"s":"\\"}}, {} ] "#;
    let result = load(&emu, &json, body);
    assert_eq!(summary(&result), success(4), "{result}");
    assert!(rows(&emu, "dup").is_empty());
    // An empty array is an empty load.
    assert_eq!(summary(&load(&emu, &json, b"[]")), success(0));
}

#[test]
fn json_stream_objects_are_counted_without_strip_outer_array() {
    let emu = count_only();
    let body = b"{\"id\":1}\n{\"id\":\"two\",\"name\":\"{\\\"}\"}{\"id\":3}\n\r\n\t{\"id\":[4]}\n";
    let result = load(&emu, &[("format", "json")], body);
    assert_eq!(summary(&result), success(4), "{result}");
}

#[test]
fn json_with_root_or_jsonpaths_counts_the_selected_rows() {
    let emu = count_only();
    let rooted = [
        ("format", "json"),
        ("strip_outer_array", "true"),
        ("json_root", "$.RECORDS"),
    ];
    let body = br#"{"RECORDS":[{"id":"x"},{"id":2},{"id":3}]}"#;
    assert_eq!(summary(&load(&emu, &rooted, body)), success(3));
    let paths = [
        ("format", "json"),
        ("strip_outer_array", "true"),
        ("jsonpaths", r#"["$[0]","$[1]"]"#),
        ("columns", "id,name"),
    ];
    assert_eq!(
        summary(&load(&emu, &paths, br#"[[1,"a"],[2,"b"]]"#)),
        success(2)
    );
}

#[test]
fn json_split_anywhere_by_chunked_encoding_is_counted_the_same() {
    let emu = count_only();
    let body: &[u8] = br#"[{"id":12,"name":"a\"]},{","v":[true,null,-1.5e3]},{"id":"\u00e9"}]"#;
    let auth = basic("root", "");
    for size in [1, 2, 3, 5, 8, 13] {
        let mut wire = Vec::new();
        for piece in body.chunks(size) {
            wire.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            wire.extend_from_slice(piece);
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b"0\r\n\r\n");
        let mut client = RawClient::connect(be(&emu));
        client.send(&head(
            "PUT",
            "/api/db/dup/_stream_load",
            &[
                ("Authorization", &auth),
                ("Expect", "100-continue"),
                ("Transfer-Encoding", "chunked"),
                ("format", "json"),
                ("strip_outer_array", "true"),
            ],
        ));
        assert_eq!(client.read_response().status, 100);
        client.send(&wire);
        let result = client.read_response().json();
        assert_eq!(summary(&result), success(2), "{size}: {result}");
    }
}

#[test]
fn compressed_json_bodies_are_counted() {
    use std::io::Write;
    let emu = count_only();
    let json = br#"[{"id":1},{"id":"two"},{"id":3}]"#;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(json).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let headers = [
        ("format", "json"),
        ("strip_outer_array", "true"),
        ("compression", "gzip"),
    ];
    assert_eq!(summary(&load(&emu, &headers, &gz)), success(3));
}

#[test]
fn json_loads_of_a_transaction_are_documents_each() {
    let emu = count_only();
    let t = Txn::new(&emu, "dup", "t-json")
        .with("format", "json")
        .with("strip_outer_array", "true");
    t.begin();
    t.load(br#"[{"id":1},{"id":2}]"#);
    t.load(br#"[{"id":"three"}]"#);
    assert_eq!(t.commit()["NumberLoadedRows"], 3);
}

#[test]
fn malformed_json_fails_the_load() {
    let emu = count_only();
    let json = [("format", "json"), ("strip_outer_array", "true")];
    // Rows before the error count; the error is one filtered row, so the load fails.
    let result = load(&emu, &json, br#"[{"id":1},{"id":2},{"id":3"#);
    assert_eq!(summary(&result), ("Fail".to_string(), 3, 2, 1), "{result}");
    assert_eq!(result["Message"], "too many filtered rows");
    let log = error_log(&emu, &result);
    assert!(log.contains("Failed to parse json as array"), "{log}");
    // Structure, strings and tokens are all checked (rows before the error still count).
    for body in [
        &br#"[{"id":1}}]"#[..],
        br#"[{"id":1}] ]"#,
        br#"[{"id":1},]"#,
        br#"[{"id" 1}]"#,
        br#"[{"id":1,"name":"unterminated}]"#,
        br#"[{"id":1,"name":"bad \q escape"}]"#,
        br#"[{"id":01}]"#,
        br#"[{"id":nul}]"#,
        b"[{\"id\":1,\"name\":\"\xff\"}]",
    ] {
        let result = load(&emu, &json, body);
        assert_eq!(
            result["Status"],
            "Fail",
            "{}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(result["NumberFilteredRows"], 1, "{result}");
    }
    let result = load(&emu, &[("format", "json")], b"{\"id\":1}\n{\"id\":");
    assert_eq!(summary(&result), ("Fail".to_string(), 2, 1, 1));
    assert!(error_log(&emu, &result).contains("Failed to parse json: unexpected end of JSON"));
    // A top-level array without strip_outer_array is one filtered row, as in StarRocks.
    let result = load(&emu, &[("format", "json")], br#"[{"id":1},{"id":2}]"#);
    assert_eq!(summary(&result), ("Fail".to_string(), 1, 0, 1));
    assert!(rows(&emu, "dup").is_empty());
    assert_eq!(emu.stats().rows_loaded, 0);
}

#[test]
fn max_filter_ratio_still_applies() {
    let emu = count_only();
    let headers = [
        ("format", "json"),
        ("strip_outer_array", "true"),
        ("max_filter_ratio", "0.5"),
    ];
    let result = load(&emu, &headers, br#"[{"id":1},7,{"id":3},{"id":"#);
    assert_eq!(
        summary(&result),
        ("Success".to_string(), 4, 2, 2),
        "{result}"
    );
    let log = error_log(&emu, &result);
    assert!(
        log.contains("JSON array element is a number, expected an object"),
        "{log}"
    );
}

#[test]
fn where_is_not_evaluated() {
    let emu = count_only();
    let result = load(&emu, &[("where", "id > 1")], b"1\ta\t1\n2\tb\t2\n");
    assert_eq!(summary(&result), success(2), "{result}");
    assert_eq!(result["NumberUnselectedRows"], 0);
}

/// On bodies whose values all convert, count-only answers exactly like discard mode: status,
/// message, counters and error log (the JSON checks are the same code path, skimming).
#[test]
fn answers_match_discard_mode_when_values_convert() {
    let counting = count_only();
    let discarding = emulator_with(EmulatorConfig {
        discard: true,
        ..EmulatorConfig::default()
    });
    let array = [("format", "json"), ("strip_outer_array", "true")];
    let stream = [("format", "json")];
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [u8]);
    let cases: &[Case] = &[
        (&[], b"1\ta\t1\n2\tb\t2\n\n3\tc\t3"),
        (&[("row_delimiter", "\\x0d0a")], b"1\ta\t1\r\n2\tb\t2\r\n"),
        (&array, br#"[{"id":1,"name":"a"},{"ID":2,"price":3.5}]"#),
        (&array, br#"[{"id":1},"text",null,[1],{"id":2}]"#),
        (&array, br#"{"id":1}"#),
        (&array, br#"12"#),
        (&array, br#"[{"id":1}] [{"id":2}]"#),
        (&array, br#"[{"id":1} {"id":2}]"#),
        (&array, br#"[{"id":1,"name":"\ud800x"}]"#),
        (&array, br#"[{"id":1,"name":"a"#),
        (&array, b"[{\"id\":1,\"name\":\"tab\there\"}]"),
        (&array, b""),
        (&stream, b"{\"id\":1}\n{\"id\":2}"),
        (&stream, br#"{"id":1} 5 "s" {"id":2} [{"id":3}]"#),
        (&stream, br#"{"id":1} {"id":2,}"#),
        (&stream, b"{\"id\":1}\n\xfe"),
    ];
    for (headers, body) in cases {
        let mut with_ratio = headers.to_vec();
        with_ratio.push(("max_filter_ratio", "1"));
        for headers in [headers.to_vec(), with_ratio] {
            let a = load(&counting, &headers, body);
            let b = load(&discarding, &headers, body);
            let what = format!("{headers:?} {}", String::from_utf8_lossy(body));
            assert_eq!(summary(&a), summary(&b), "{what}: {a} vs {b}");
            assert_eq!(a["Message"], b["Message"], "{what}");
            if b.get("ErrorURL").is_some() {
                assert_eq!(
                    error_log(&counting, &a),
                    error_log(&discarding, &b),
                    "{what}"
                );
            }
        }
    }
}
