//! Spec §8.2 (JSON): `strip_outer_array` true (one array) and false (NDJSON / concatenated
//! objects; a top-level array is a data-quality error), keys matched to column names, missing
//! keys NULL, extra keys ignored, `columns` by name, `__op` picked up for PRIMARY KEY tables,
//! exact decimals from number tokens, nested values into JSON and string columns.

mod common;

use common::*;
use starrocks_emulator::{KeyModel, TableSpec};

fn json_load(
    emu: &starrocks_emulator::Emulator,
    table: &str,
    extra: &[(&str, &str)],
    body: &str,
) -> serde_json::Value {
    let mut headers = vec![("format", "json")];
    headers.extend_from_slice(extra);
    stream_load(be(emu), "db", table, &headers, body.as_bytes()).json()
}

#[test]
fn s8_2_strip_outer_array_true() {
    let emu = emulator();
    let result = json_load(
        &emu,
        "dup",
        &[("strip_outer_array", "true")],
        r#"[{"id":1,"name":"a","price":12.5},{"id":2,"price":"3"},{"ID":3,"Name":"c","extra":[1,2]}]"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberLoadedRows"], 3);
    assert_eq!(
        rows(&emu, "dup"),
        vec![
            r(&["1", "a", "12.50"]),
            r(&["2", "NULL", "3.00"]),
            r(&["3", "c", "NULL"])
        ]
    );
}

#[test]
fn s8_2_ndjson_and_concatenated_objects() {
    let emu = emulator();
    let result = json_load(
        &emu,
        "dup",
        &[],
        "{\"id\":1}\n{\"id\":2,\"name\":\"b\"}{\"id\":3}\n\n",
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberTotalRows"], 3);
    assert_eq!(rows(&emu, "dup").len(), 3);
}

#[test]
fn s8_2_top_level_array_without_strip_outer_array_is_filtered() {
    let emu = emulator();
    let result = json_load(&emu, "dup", &[], r#"[{"id":1},{"id":2}]"#);
    assert_eq!(result["Status"], "Fail");
    assert_eq!(result["Message"], "too many filtered rows");
    assert_eq!(result["NumberTotalRows"], 1);
    assert_eq!(result["NumberFilteredRows"], 1);
    let log = get(
        be(&emu),
        &error_url_target(result["ErrorURL"].as_str().expect("url")),
        None,
    )
    .text();
    assert!(
        log.contains("JSON data is an array, strip_outer_array must be set true"),
        "{log}"
    );
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s8_2_malformed_json_is_a_filtered_row() {
    let emu = emulator();
    let result = json_load(
        &emu,
        "dup",
        &[("strip_outer_array", "true")],
        r#"[{"id":1},{"id":"#,
    );
    assert_eq!(result["Status"], "Fail");
    assert_eq!(result["NumberLoadedRows"], 1);
    assert_eq!(result["NumberFilteredRows"], 1);
    assert!(rows(&emu, "dup").is_empty());
    let object_with_strip = json_load(&emu, "dup", &[("strip_outer_array", "true")], r#"{"id":1}"#);
    assert_eq!(object_with_strip["NumberFilteredRows"], 1);
}

#[test]
fn s8_2_not_null_column_missing_key_filters_the_row() {
    let emu = emulator();
    let result = json_load(
        &emu,
        "dup",
        &[("max_filter_ratio", "1")],
        r#"{"name":"x"} {"id":5}"#,
    );
    assert_eq!(result["NumberFilteredRows"], 1);
    assert_eq!(rows(&emu, "dup"), vec![r(&["5", "NULL", "NULL"])]);
}

#[test]
fn s8_3_columns_header_selects_keys_by_name() {
    let emu = emulator();
    let result = json_load(
        &emu,
        "dup",
        &[("columns", "id, name")],
        r#"{"price":9,"name":"n","id":7}"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(rows(&emu, "dup"), vec![r(&["7", "n", "NULL"])]);
}

#[test]
fn s8_4_json_op_is_picked_up_for_primary_key_tables() {
    let emu = emulator();
    let result = json_load(
        &emu,
        "pk",
        &[("strip_outer_array", "true")],
        r#"[{"id":1,"name":"a","score":1,"__op":0},{"id":2,"name":"b","score":2},{"id":1,"__op":1},{"id":3,"name":"c","__op":"0"}]"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "pk"),
        vec![r(&["2", "b", "2"]), r(&["3", "c", "NULL"])]
    );
}

#[test]
fn s8_2_decimals_from_number_tokens_are_exact() {
    let emu = emulator();
    emu.create_table(
        TableSpec::new("db", "dec", KeyModel::Duplicate)
            .column("d38", "DECIMAL(38,10)", true)
            .column("d9", "DECIMAL32(9,3)", true)
            .column("big", "LARGEINT", true),
    )
    .expect("table");
    let result = json_load(
        &emu,
        "dec",
        &[],
        r#"{"d38":1234567890123456789012345678.0123456789,"d9":0.1,"big":-170141183460469231731687303715884105728}
           {"d38":1e-10,"d9":"123456.789","big":"170141183460469231731687303715884105727"}"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "dec"),
        vec![
            r(&[
                "1234567890123456789012345678.0123456789",
                "0.100",
                "-170141183460469231731687303715884105728"
            ]),
            r(&[
                "0.0000000001",
                "123456.789",
                "170141183460469231731687303715884105727"
            ])
        ]
    );
}

#[test]
fn s8_2_nested_values_into_json_and_string_columns() {
    let emu = emulator();
    emu.create_table(
        TableSpec::new("db", "docs", KeyModel::Duplicate)
            .column("id", "INT", false)
            .column("j", "JSON", true)
            .column("s", "STRING", true),
    )
    .expect("table");
    let result = json_load(
        &emu,
        "docs",
        &[],
        r#"{"id":1,"j":{"b":[1,2.50,true],"a":null},"s":{"x":1}} {"id":2,"j":"text","s":[1,"two"]} {"id":3,"j":7,"s":false}"#,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "docs"),
        vec![
            r(&["1", r#"{"a": null, "b": [1, 2.5, true]}"#, r#"{"x":1}"#]),
            r(&["2", r#""text""#, r#"[1,"two"]"#]),
            r(&["3", "7", "false"])
        ]
    );
}
