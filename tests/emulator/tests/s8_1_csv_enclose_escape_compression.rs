//! Spec §8.1 and §2.2: CSV `enclose`/`escape` (delimiters literal inside enclosed fields,
//! doubled enclose byte, escape byte), `trim_space` outside enclosed fields, and compressed CSV
//! bodies named by `format` (gzip, bzip2, lz4 frame, deflate, zstd), including `format: lz4`
//! with `compression: lz4_frame` (decompressed once) and both compression headers at once.

mod common;

use std::io::Write;

use common::*;

fn ok(
    emu: &starrocks_emulator::Emulator,
    headers: &[(&str, &str)],
    body: &[u8],
) -> serde_json::Value {
    let result = stream_load(be(emu), "db", "dup", headers, body).json();
    assert_eq!(result["Status"], "Success", "{result}");
    result
}

#[test]
fn s8_1_enclosed_fields_keep_delimiters() {
    let emu = emulator();
    ok(
        &emu,
        &[("column_separator", ","), ("enclose", "\"")],
        b"1,\"a,b\",1\n2,\"line\nbreak\",2\n3,\"say \"\"hi\"\"\",3\n4,\\N,4\n",
    );
    assert_eq!(
        rows(&emu, "dup"),
        vec![
            r(&["1", "a,b", "1.00"]),
            r(&["2", "line\nbreak", "2.00"]),
            r(&["3", "say \"hi\"", "3.00"]),
            r(&["4", "NULL", "4.00"]),
        ]
    );
}

#[test]
fn s8_1_escape_makes_the_next_byte_literal() {
    let emu = emulator();
    ok(
        &emu,
        &[
            ("column_separator", ","),
            ("enclose", "'"),
            ("escape", "\\"),
            ("trim_space", "true"),
        ],
        b"1, a\\,b ,1\n2 , 'it\\'s ' ,2\n",
    );
    assert_eq!(
        rows(&emu, "dup"),
        vec![r(&["1", "a,b", "1.00"]), r(&["2", "it's ", "2.00"])]
    );
}

#[test]
fn s8_1_enclosed_records_span_body_chunks() {
    let emu = emulator();
    let mut body = Vec::new();
    for i in 0..5000 {
        body.extend_from_slice(format!("{i},\"name,{i}\",{i}\n").as_bytes());
    }
    let result = ok(&emu, &[("column_separator", ","), ("enclose", "\"")], &body);
    assert_eq!(result["NumberLoadedRows"], 5000);
    assert_eq!(
        rows(&emu, "dup")[4321],
        r(&["4321", "name,4321", "4321.00"])
    );
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn lz4(data: &[u8]) -> Vec<u8> {
    let mut e = lz4_flex::frame::FrameEncoder::new(Vec::new());
    e.write_all(data).expect("lz4");
    e.finish().expect("lz4")
}

#[test]
fn s8_1_compressed_csv_by_format() {
    let emu = emulator();
    let csv = b"1\ta\t1\n2\tb\t2\n";
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    bz.write_all(csv).expect("bzip2");
    let mut zl = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zl.write_all(csv).expect("deflate");
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("gzip", gzip(csv)),
        ("bzip2", bz.finish().expect("bzip2")),
        ("lz4", lz4(csv)),
        ("deflate", zl.finish().expect("deflate")),
        ("zstd", zstd::stream::encode_all(&csv[..], 3).expect("zstd")),
    ];
    for (format, body) in &bodies {
        let result = ok(&emu, &[("format", format)], body);
        assert_eq!(result["NumberLoadedRows"], 2, "{format}");
        assert_eq!(
            result["LoadBytes"],
            body.len(),
            "LoadBytes counts compressed bytes"
        );
    }
    assert_eq!(rows(&emu, "dup").len(), 10);
    let broken = stream_load(be(&emu), "db", "dup", &[("format", "gzip")], csv).json();
    assert_eq!(broken["Status"], "Fail");
    assert!(broken["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("decompress"));
}

#[test]
fn s2_2_lz4_format_with_lz4_frame_compression_decompresses_once() {
    let emu = emulator();
    let result = ok(
        &emu,
        &[("format", "lz4"), ("compression", "lz4_frame")],
        &lz4(b"1\ta\t1\n"),
    );
    assert_eq!(result["NumberLoadedRows"], 1);
    let both = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("compression", "gzip"), ("Content-Encoding", "gzip")],
        &gzip(b"1\ta\t1\n"),
    )
    .json();
    assert_eq!(both["Status"], "Fail");
    assert_eq!(
        both["Message"],
        "Only one of http header content-encoding and compression can be set"
    );
}
