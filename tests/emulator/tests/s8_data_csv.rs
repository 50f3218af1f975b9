//! Spec §8.1 (CSV), §8.3 (`columns`), §8.4 (`__op` on PRIMARY KEY tables): delimiters incl.
//! multi-byte and hex forms, `\N`, empty lines, field-count mismatch, invalid UTF-8, column
//! mapping, upsert/delete in file order, `skip_header`, `trim_space`.

mod common;

use common::*;
use starrocks_emulator::{KeyModel, TableSpec};

fn load_ok(
    emu: &starrocks_emulator::Emulator,
    table: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> serde_json::Value {
    let result = stream_load(be(emu), "db", table, extra, body).json();
    assert_eq!(result["Status"], "Success", "{result}");
    result
}

#[test]
fn s8_1_default_delimiters_null_and_empty_lines() {
    let emu = emulator();
    let result = load_ok(&emu, "dup", &[], b"1\ta\t1.5\n\n2\t\\N\t\\N\n3\t\t0\n");
    assert_eq!(
        result["NumberTotalRows"], 3,
        "the empty line is skipped, not counted"
    );
    assert_eq!(
        rows(&emu, "dup"),
        vec![
            r(&["1", "a", "1.50"]),
            r(&["2", "NULL", "NULL"]),
            r(&["3", "", "0.00"])
        ]
    );
}

#[test]
fn s8_1_multi_byte_and_hex_delimiters() {
    let emu = emulator();
    load_ok(
        &emu,
        "dup",
        &[("column_separator", "||"), ("row_delimiter", "<EOL>")],
        b"1||a||1<EOL>2||b||2<EOL>",
    );
    load_ok(
        &emu,
        "dup",
        &[("column_separator", "\\x01"), ("row_delimiter", "0x0203")],
        b"3\x01c\x013\x02\x034\x01d\x014",
    );
    assert_eq!(
        rows(&emu, "dup"),
        vec![
            r(&["1", "a", "1.00"]),
            r(&["2", "b", "2.00"]),
            r(&["3", "c", "3.00"]),
            r(&["4", "d", "4.00"])
        ]
    );
}

#[test]
fn s8_1_comma_separator_and_crlf_is_not_special() {
    let emu = emulator();
    // A trailing \r stays in the last field.
    load_ok(
        &emu,
        "dup",
        &[("column_separator", ","), ("columns", "id,price,name")],
        b"1,1,a\r\n",
    );
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "a\r", "1.00"])]);
    load_ok(
        &emu,
        "dup",
        &[("column_separator", ","), ("row_delimiter", "\\x0d0a")],
        b"2,b,2\r\n",
    );
    assert_eq!(rows(&emu, "dup")[1], r(&["2", "b", "2.00"]));
}

#[test]
fn s8_1_invalid_delimiter_header_fails() {
    let emu = emulator();
    let result = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("column_separator", "\\x0")],
        b"1\n",
    )
    .json();
    assert_eq!(result["Status"], "Fail");
    assert!(
        result["TxnId"].as_i64().expect("TxnId") > 0,
        "plan failure after begin"
    );
}

#[test]
fn s8_1_field_count_mismatch_and_invalid_utf8_are_filtered() {
    let emu = emulator();
    let body = b"1\ta\t1\n2\tb\n3\tc\t3\textra\n4\t\xff\xfe\t4\n5\te\t5\n";
    let result = stream_load(be(&emu), "db", "dup", &[("max_filter_ratio", "1")], body).json();
    assert_eq!(result["Status"], "Success");
    assert_eq!(result["NumberTotalRows"], 5);
    assert_eq!(result["NumberFilteredRows"], 3);
    assert_eq!(result["NumberLoadedRows"], 2);
    let log = get(
        be(&emu),
        &error_url_target(result["ErrorURL"].as_str().expect("url")),
        None,
    )
    .text();
    assert!(
        log.contains("Value count does not match column count. Expect 3, but got 2."),
        "{log}"
    );
    assert!(
        log.contains("Value count does not match column count. Expect 3, but got 4."),
        "{log}"
    );
    assert!(log.contains("Invalid UTF-8 row"), "{log}");
    assert_eq!(
        rows(&emu, "dup"),
        vec![r(&["1", "a", "1.00"]), r(&["5", "e", "5.00"])]
    );
}

#[test]
fn s8_3_columns_header_maps_positionally_and_fills_null() {
    let emu = emulator();
    // Reordered, back-quoted, a temporary column that is not in the table, `price` left out.
    load_ok(
        &emu,
        "dup",
        &[("columns", "`name`, tmp, id")],
        b"alpha\tignored\t10\n",
    );
    assert_eq!(rows(&emu, "dup"), vec![r(&["10", "alpha", "NULL"])]);
}

#[test]
fn s8_3_columns_header_errors() {
    let emu = emulator();
    let missing_not_null = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("columns", "name,price")],
        b"a\t1\n",
    )
    .json();
    assert_eq!(missing_not_null["Status"], "Fail");
    assert_eq!(
        missing_not_null["Message"],
        "Column has no default value. column: id"
    );
    let expression = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("columns", "id, name, p, price = p * 2")],
        b"1\n",
    )
    .json();
    assert_eq!(expression["Status"], "Fail");
    assert!(expression["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("not supported by the emulator"));
    let duplicate = stream_load(be(&emu), "db", "dup", &[("columns", "id,id,name")], b"1\n").json();
    assert_eq!(duplicate["Message"], "Duplicate column: id");
}

#[test]
fn s8_4_op_upsert_and_delete_in_file_order() {
    let emu = emulator();
    load_ok(
        &emu,
        "pk",
        &[("columns", "id,name,score,__op")],
        b"3\tc\t30\t0\n1\ta\t10\t0\n2\tb\t20\t0\n1\ta2\t11\t0\n2\t\\N\t\\N\t1\n4\td\t40\t1\n",
    );
    // Key order; 1 upserted twice (last wins), 2 deleted, 4 deleted before it existed.
    assert_eq!(
        rows(&emu, "pk"),
        vec![r(&["1", "a2", "11"]), r(&["3", "c", "30"])]
    );
    // Delete then re-insert in one load ends inserted.
    load_ok(
        &emu,
        "pk",
        &[("columns", "id,name,score,__op")],
        b"3\tx\t1\t1\n3\ty\t2\t0\n",
    );
    assert_eq!(rows(&emu, "pk")[1], r(&["3", "y", "2"]));
    // Without __op every row is an upsert.
    load_ok(&emu, "pk", &[], b"1\tz\t99\n");
    assert_eq!(rows(&emu, "pk")[0], r(&["1", "z", "99"]));
}

#[test]
fn s8_4_invalid_op_value_is_filtered() {
    let emu = emulator();
    let result = stream_load(
        be(&emu),
        "db",
        "pk",
        &[("columns", "id,name,score,__op"), ("max_filter_ratio", "1")],
        b"1\ta\t1\t7\n2\tb\t2\t0\n",
    )
    .json();
    assert_eq!(result["NumberFilteredRows"], 1);
    assert_eq!(rows(&emu, "pk"), vec![r(&["2", "b", "2"])]);
}

#[test]
fn s8_4_unique_key_tables_replace_rows() {
    let emu = emulator();
    emu.create_table(
        TableSpec::new("db", "uk", KeyModel::Unique)
            .column("k1", "INT", false)
            .column("k2", "VARCHAR(8)", false)
            .column("v", "DOUBLE", true)
            .keys(&["k1", "k2"]),
    )
    .expect("table");
    load_ok(
        &emu,
        "uk",
        &[],
        b"2\tb\t1.5\n1\tz\t2\n1\ta\t3\n2\tb\t4.25\n",
    );
    assert_eq!(
        rows(&emu, "uk"),
        vec![
            r(&["1", "a", "3"]),
            r(&["1", "z", "2"]),
            r(&["2", "b", "4.25"])
        ]
    );
}

#[test]
fn s8_1_skip_header_and_trim_space() {
    let emu = emulator();
    load_ok(
        &emu,
        "dup",
        &[
            ("skip_header", "2"),
            ("trim_space", "true"),
            ("column_separator", ","),
        ],
        b"id,name,price\n-,-,-\n 1 , a b ,  2.5\n",
    );
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "a b", "2.50"])]);
}

#[test]
fn s8_1_last_record_without_delimiter_counts() {
    let emu = emulator();
    let result = load_ok(&emu, "dup", &[], b"1\ta\t1\n2\tb\t2");
    assert_eq!(result["NumberLoadedRows"], 2);
}
