//! Spec §8.5 (strict mode) and the emulator's type rules: every supported column type, accepted
//! input forms, range/length checks, and the canonical text rows are read back as (what the MySQL
//! text protocol shows: BOOLEAN 1/0, DECIMAL with `scale` digits, DATETIME with microseconds only
//! when non-zero, shortest round-trip floats).

mod common;

use common::*;
use starrocks_emulator::{Emulator, KeyModel, TableSpec};

fn all_types(emu: &Emulator) {
    emu.create_table(
        TableSpec::new("db", "types", KeyModel::Duplicate)
            .column("b", "BOOLEAN", true)
            .column("ti", "TINYINT", true)
            .column("si", "SMALLINT", true)
            .column("i", "INT", true)
            .column("bi", "BIGINT", true)
            .column("li", "LARGEINT", true)
            .column("f", "FLOAT", true)
            .column("d", "DOUBLE", true)
            .column("dec", "DECIMAL(10,2)", true)
            .column("c", "CHAR(4)", true)
            .column("v", "VARCHAR(5)", true)
            .column("s", "STRING", true)
            .column("dt", "DATE", true)
            .column("ts", "DATETIME", true)
            .column("j", "JSON", true),
    )
    .expect("table");
}

fn csv(fields: &[&str]) -> String {
    fields.join("\t") + "\n"
}

#[test]
fn canonical_rendering_of_every_type() {
    let emu = emulator();
    all_types(&emu);
    let body = [
        csv(&[
            "true",
            "-128",
            "32767",
            "-2147483648",
            "9223372036854775807",
            "-170141183460469231731687303715884105728",
            "0.1",
            "0.30000000000000004",
            "12.5",
            "ab",
            "héé",
            "any text",
            "2020-01-02",
            "2020-01-02 03:04:05",
            r#"{"b":1,"a":[true,null]}"#,
        ]),
        csv(&[
            "0",
            "127",
            "-32768",
            "2147483647",
            "-9223372036854775808",
            "42",
            "1e20",
            "-2.5",
            "-0.005",
            "abcd",
            "",
            "",
            "2020-2-3",
            "2020-01-02T03:04:05.123",
            "\"s\"",
        ]),
        csv(&[
            "FALSE",
            "0",
            "0",
            "0",
            "0",
            "0",
            "3.4028235e38",
            "1e-7",
            "99999999.99",
            "x",
            "x",
            "x",
            "20200102",
            "2020-01-02 03:04:05.000000",
            "1.50",
        ]),
        csv(&["\\N"; 15]),
    ]
    .concat();
    let result = stream_load(be(&emu), "db", "types", &[], body.as_bytes()).json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "types"),
        vec![
            r(&[
                "1",
                "-128",
                "32767",
                "-2147483648",
                "9223372036854775807",
                "-170141183460469231731687303715884105728",
                "0.1",
                "0.30000000000000004",
                "12.50",
                "ab",
                "héé",
                "any text",
                "2020-01-02",
                "2020-01-02 03:04:05",
                r#"{"a": [true, null], "b": 1}"#,
            ]),
            r(&[
                "0",
                "127",
                "-32768",
                "2147483647",
                "-9223372036854775808",
                "42",
                "1e+20",
                "-2.5",
                "-0.01",
                "abcd",
                "",
                "",
                "2020-02-03",
                "2020-01-02 03:04:05.123000",
                "\"s\"",
            ]),
            r(&[
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "3.4028235e+38",
                "1e-07",
                "99999999.99",
                "x",
                "x",
                "x",
                "2020-01-02",
                "2020-01-02 03:04:05",
                "1.5",
            ]),
            r(&["NULL"; 15]),
        ]
    );
}

/// One bad value per column, loaded in non-strict mode: each becomes NULL, rows are kept.
const BAD_VALUES: [&str; 15] = [
    "yes",
    "128",
    "32768",
    "2147483648",
    "9223372036854775808",
    "170141183460469231731687303715884105728",
    "1e39",
    "abc",
    "100000000",
    "abcde",
    "ééé",
    "",
    "2021-02-29",
    "2020-01-02 25:00:00",
    "{bad json",
];

#[test]
fn s8_5_non_strict_mode_turns_conversion_failures_into_null() {
    let emu = emulator();
    all_types(&emu);
    let mut body = String::new();
    for (i, bad) in BAD_VALUES.iter().enumerate() {
        let mut fields = vec!["\\N"; 15];
        fields[i] = bad;
        body.push_str(&csv(&fields));
    }
    let result = stream_load(be(&emu), "db", "types", &[], body.as_bytes()).json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberLoadedRows"], 15);
    let stored = rows(&emu, "types");
    for (i, row) in stored.iter().enumerate() {
        // Column 11 (STRING) accepts the empty string; every other bad value became NULL.
        let expected = if i == 11 { "" } else { "NULL" };
        assert_eq!(row[i], expected, "column {i} value {:?}", BAD_VALUES[i]);
    }
}

#[test]
fn s8_5_strict_mode_filters_rows_with_conversion_failures() {
    let emu = emulator();
    all_types(&emu);
    let mut body = String::new();
    for (i, bad) in BAD_VALUES.iter().enumerate() {
        if i == 11 {
            continue;
        }
        let mut fields = vec!["\\N"; 15];
        fields[i] = bad;
        body.push_str(&csv(&fields));
    }
    // \N stays NULL in strict mode.
    body.push_str(&csv(&["\\N"; 15]));
    let result = stream_load(
        be(&emu),
        "db",
        "types",
        &[("strict_mode", "true"), ("max_filter_ratio", "1")],
        body.as_bytes(),
    )
    .json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberTotalRows"], 15);
    assert_eq!(result["NumberFilteredRows"], 14);
    assert_eq!(result["NumberLoadedRows"], 1);
    assert_eq!(rows(&emu, "types"), vec![r(&["NULL"; 15])]);
    let log = get(
        be(&emu),
        &error_url_target(result["ErrorURL"].as_str().expect("url")),
        None,
    )
    .text();
    assert!(log.contains("strict mode"), "{log}");
}

#[test]
fn s8_5_failed_conversion_into_not_null_column_filters_the_row() {
    let emu = emulator();
    let result = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("max_filter_ratio", "1")],
        b"notanumber\ta\t1\n\\N\tb\t2\n3\tc\t3\n",
    )
    .json();
    assert_eq!(result["NumberFilteredRows"], 2);
    let log = get(
        be(&emu),
        &error_url_target(result["ErrorURL"].as_str().expect("url")),
        None,
    )
    .text();
    assert!(
        log.contains("NULL value in non-nullable column 'id'"),
        "{log}"
    );
    assert_eq!(rows(&emu, "dup"), vec![r(&["3", "c", "3.00"])]);
}

#[test]
fn varchar_length_is_counted_in_bytes() {
    let emu = emulator();
    // name is VARCHAR(16): 8 two-byte characters fit, 9 do not.
    let body = format!("1\t{}\t1\n2\t{}\t2\n", "é".repeat(8), "é".repeat(9));
    let result = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("strict_mode", "true"), ("max_filter_ratio", "1")],
        body.as_bytes(),
    )
    .json();
    assert_eq!(result["NumberFilteredRows"], 1);
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", &"é".repeat(8), "1.00"])]);
}

#[test]
fn json_input_forms_for_typed_columns() {
    let emu = emulator();
    all_types(&emu);
    let body = r#"{"b":true,"ti":1,"si":"2","i":3,"bi":4,"li":5,"f":1.5,"d":-0.25,"dec":0.125,"c":"c","v":"v","s":12.50,"dt":"2024-02-29","ts":"2024-02-29T23:59:59.999999","j":[1]}"#;
    let result = stream_load(
        be(&emu),
        "db",
        "types",
        &[("format", "json")],
        body.as_bytes(),
    )
    .json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "types"),
        vec![r(&[
            "1",
            "1",
            "2",
            "3",
            "4",
            "5",
            "1.5",
            "-0.25",
            "0.13",
            "c",
            "v",
            "12.50",
            "2024-02-29",
            "2024-02-29 23:59:59.999999",
            "[1]",
        ])]
    );
}
