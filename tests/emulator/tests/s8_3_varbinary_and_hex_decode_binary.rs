//! VARBINARY columns (spec §8.1/§8.2, StarRocks' BINARY/VARBINARY docs) and the
//! `hex_decode_binary` derivation of the `columns` header (§8.3): CSV fields are hex, JSON strings
//! are their UTF-8 bytes, lengths are checked in bytes, values read back as `0x` + upper-case hex;
//! `hex_decode_binary(src)` decodes a temporary source column (what the connector sends for Flink
//! BYTES: `columns: id,__sr_hex_b,b=hex_decode_binary(__sr_hex_b)`), NULL stays NULL and text that
//! is not hex gives an empty binary.

mod common;

use common::*;
use starrocks_emulator::{Emulator, KeyModel, TableSpec};

const HEX_COLUMNS: &str = "`id`,`__sr_hex_b`,`b`=hex_decode_binary(`__sr_hex_b`)";

fn binary_table(emu: &Emulator) {
    emu.create_table(
        TableSpec::new("db", "bin", KeyModel::Primary)
            .column("id", "INT", false)
            .column("b", "VARBINARY(4)", true)
            .keys(&["id"]),
    )
    .expect("table");
}

fn load(emu: &Emulator, extra: &[(&str, &str)], body: &str) -> serde_json::Value {
    stream_load(be(emu), "db", "bin", extra, body.as_bytes()).json()
}

#[test]
fn s8_1_csv_fields_are_hex_and_read_back_as_0x_hex() {
    let emu = emulator();
    binary_table(&emu);
    let result = load(&emu, &[], "1\tabCD01\n2\t\n3\t\\N\n4\t00000000\n");
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "bin"),
        vec![
            r(&["1", "0xABCD01"]),
            r(&["2", "0x"]),
            r(&["3", "NULL"]),
            r(&["4", "0x00000000"]),
        ]
    );
}

#[test]
fn s8_5_bad_hex_and_long_values_are_null_or_filtered() {
    let emu = emulator();
    binary_table(&emu);
    let body = "1\tabc\n2\tzz\n3\t0102030405\n";
    let lenient = load(&emu, &[], body);
    assert_eq!(lenient["Status"], "Success", "{lenient}");
    assert_eq!(
        rows(&emu, "bin"),
        vec![r(&["1", "NULL"]), r(&["2", "NULL"]), r(&["3", "NULL"])]
    );
    let strict = load(
        &emu,
        &[("strict_mode", "true"), ("max_filter_ratio", "1")],
        body,
    );
    assert_eq!(strict["NumberFilteredRows"], 3, "{strict}");
    let url = strict["ErrorURL"].as_str().expect("ErrorURL");
    let log = get(be(&emu), &error_url_target(url), None).text();
    assert!(
        log.contains("Value '0102030405' cannot be converted to VARBINARY(4) for column 'b' (string length 5 exceeds the column length 4) in strict mode"),
        "{log}"
    );
}

#[test]
fn s8_2_json_strings_are_their_utf8_bytes() {
    let emu = emulator();
    binary_table(&emu);
    let result = load(
        &emu,
        &[("format", "json")],
        r#"{"id":1,"b":"AB"}{"id":2,"b":"é"}{"id":3,"b":null}{"id":4,"b":"12345"}"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "bin"),
        vec![
            r(&["1", "0x4142"]),
            r(&["2", "0xC3A9"]),
            r(&["3", "NULL"]),
            r(&["4", "NULL"]),
        ]
    );
}

#[test]
fn s8_3_hex_decode_binary_in_csv_columns() {
    let emu = emulator();
    binary_table(&emu);
    let result = load(
        &emu,
        &[("columns", HEX_COLUMNS)],
        "1\t00ff7F\n2\t\\N\n3\tabc\n4\txy\n5\t\n",
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "bin"),
        vec![
            r(&["1", "0x00FF7F"]),
            r(&["2", "NULL"]),
            r(&["3", "0x"]),
            r(&["4", "0x"]),
            r(&["5", "0x"]),
        ]
    );
}

#[test]
fn s8_3_hex_decode_binary_in_json_columns() {
    let emu = emulator();
    binary_table(&emu);
    let result = load(
        &emu,
        &[
            ("format", "json"),
            ("strip_outer_array", "true"),
            ("columns", HEX_COLUMNS),
        ],
        r#"[{"id":1,"__sr_hex_b":"c3a9"},{"id":2,"__sr_hex_b":null},{"id":3},{"id":4,"__sr_hex_b":"0102030405"}]"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "bin"),
        vec![
            r(&["1", "0xC3A9"]),
            r(&["2", "NULL"]),
            r(&["3", "NULL"]),
            r(&["4", "NULL"]),
        ]
    );
}

#[test]
fn s8_3_other_functions_are_still_refused() {
    let emu = emulator();
    binary_table(&emu);
    let result = load(&emu, &[("columns", "id, h, b = unhex(h)")], "1\t41\n");
    assert_eq!(result["Status"], "Fail");
    let message = result["Message"].as_str().unwrap_or_default();
    assert!(
        message.contains("not supported by the emulator"),
        "{message}"
    );
}

#[test]
fn varbinary_values_survive_a_schema_change() {
    let emu = emulator();
    binary_table(&emu);
    let result = load(&emu, &[], "1\tdeadbeef\n");
    assert_eq!(result["Status"], "Success", "{result}");
    emu.sql("ALTER TABLE db.bin ADD COLUMN c INT DEFAULT '5'")
        .expect("add column");
    emu.sql("ALTER TABLE db.bin MODIFY COLUMN b VARBINARY(8)")
        .expect("longer binary");
    assert_eq!(rows(&emu, "bin"), vec![r(&["1", "0xDEADBEEF", "5"])]);
    for refused in [
        "ALTER TABLE db.bin MODIFY COLUMN b VARBINARY(2)",
        "ALTER TABLE db.bin MODIFY COLUMN b VARCHAR(20)",
    ] {
        assert!(emu.sql(refused).is_err(), "{refused}");
    }
}
