//! Spec §8.2: `jsonpaths` (values taken positionally, named by `columns`), `json_root` (on each
//! row after outer-array stripping, or selecting the array of rows), and JSON body compression
//! with `compression` / `Content-Encoding` (gzip, bzip2, lz4_frame, zstd).

mod common;

use std::io::Write;

use common::*;

fn load(
    emu: &starrocks_emulator::Emulator,
    table: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> serde_json::Value {
    let mut all = vec![("format", "json")];
    all.extend_from_slice(headers);
    stream_load(be(emu), "db", table, &all, body).json()
}

#[test]
fn s8_2_jsonpaths_extract_values_positionally() {
    let emu = emulator();
    let result = load(
        &emu,
        "dup",
        &[
            ("jsonpaths", r#"["$.k", "$.info.name", "$.info.prices[1]"]"#),
            ("columns", "id, name, price"),
            ("strip_outer_array", "true"),
        ],
        br#"[{"k":1,"info":{"name":"a","prices":[9,1.25]}},{"k":2,"info":{}}]"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "dup"),
        vec![r(&["1", "a", "1.25"]), r(&["2", "NULL", "NULL"])]
    );
    let bad = load(&emu, "dup", &[("jsonpaths", "$.k")], b"{}");
    assert_eq!(bad["Status"], "Fail");
    assert!(bad["Message"]
        .as_str()
        .unwrap_or_default()
        .starts_with("Invalid jsonpaths"));
}

#[test]
fn s8_2_json_root_selects_the_rows() {
    let emu = emulator();
    let result = load(
        &emu,
        "dup",
        &[("json_root", "$.RECORDS"), ("strip_outer_array", "true")],
        br#"{"RECORDS":[{"id":1,"name":"a"},{"id":2,"name":"b"}]}"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberLoadedRows"], 2);
    let per_row = load(
        &emu,
        "dup",
        &[("json_root", "$.data")],
        b"{\"data\":{\"id\":3,\"name\":\"c\"}}\n{\"data\":{\"id\":4}}",
    );
    assert_eq!(per_row["Status"], "Success", "{per_row}");
    let stripped = load(
        &emu,
        "dup",
        &[("json_root", "$.row"), ("strip_outer_array", "true")],
        br#"[{"row":{"id":5}},{"row":{"id":6}}]"#,
    );
    assert_eq!(stripped["NumberLoadedRows"], 2);
    assert_eq!(rows(&emu, "dup").len(), 6);
    let missing = load(&emu, "dup", &[("json_root", "$.none")], br#"{"id":1}"#);
    assert_eq!(missing["Status"], "Fail");
    assert_eq!(missing["NumberFilteredRows"], 1);
}

#[test]
fn s8_2_compressed_json_bodies() {
    let emu = emulator();
    let json = br#"[{"id":1,"name":"a"}]"#;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(json).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
    lz.write_all(json).expect("lz4");
    let lz = lz.finish().expect("lz4");
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    bz.write_all(json).expect("bzip2");
    let bz = bz.finish().expect("bzip2");
    let zs = zstd::stream::encode_all(&json[..], 3).expect("zstd");
    let cases: Vec<(&str, &str, &Vec<u8>)> = vec![
        ("compression", "gzip", &gz),
        ("Content-Encoding", "gzip", &gz),
        ("compression", "LZ4_FRAME", &lz),
        ("compression", "bzip2", &bz),
        ("compression", "zstd", &zs),
    ];
    for (header, codec, body) in cases {
        let result = load(
            &emu,
            "dup",
            &[("strip_outer_array", "true"), (header, codec)],
            body,
        );
        assert_eq!(result["Status"], "Success", "{header}: {codec}: {result}");
    }
    assert_eq!(rows(&emu, "dup").len(), 5);
    let unknown = load(&emu, "dup", &[("compression", "snappy")], json);
    assert_eq!(unknown["Status"], "Fail");
    assert_eq!(unknown["TxnId"], -1, "checked in the header phase");
}
