//! Spec §8.1/§8.2 with ARRAY, MAP and STRUCT columns: CSV fields and JSON values (arrays, objects
//! and JSON strings holding the text) converted element by element with the scalar rules, NULLs
//! (`\N`, JSON null, `null` elements), nesting, MAP duplicate keys, STRUCT fields by name, and
//! bad values in non-strict mode (bad element → `null`, bad value → NULL) and strict mode
//! (filtered row naming the element). Values read back in StarRocks' MySQL text form.

mod common;

use common::*;
use starrocks_emulator::{Emulator, KeyModel, TableSpec};

fn nested_table(emu: &Emulator) {
    emu.create_table(
        TableSpec::new("db", "n", KeyModel::Duplicate)
            .column("id", "INT", false)
            .column("a", "ARRAY<INT>", true)
            .column("s", "ARRAY<VARCHAR(3)>", true)
            .column("m", "MAP<INT,VARCHAR(5)>", true)
            .column("st", "STRUCT<a INT, b DATE>", true)
            .column(
                "x",
                "ARRAY<STRUCT<k VARCHAR(4), v ARRAY<DECIMAL(5,2)>>>",
                true,
            )
            .keys(&["id"]),
    )
    .expect("table");
}

fn load(emu: &Emulator, extra: &[(&str, &str)], body: &str) -> serde_json::Value {
    stream_load(be(emu), "db", "n", extra, body.as_bytes()).json()
}

fn error_log(emu: &Emulator, result: &serde_json::Value) -> String {
    let url = result["ErrorURL"].as_str().expect("ErrorURL");
    get(be(emu), &error_url_target(url), None).text()
}

#[test]
fn s8_1_csv_fields_are_nested_text() {
    let emu = emulator();
    nested_table(&emu);
    let body = [
        "1\t[1, 2,3]\t[\"a\",\"b\\\"c\",null]\t{1:\"x\",\"2\":\"y\"}\t{\"a\":1,\"b\":\"2024-01-02\"}\t[{\"k\":\"p\",\"v\":[1.5,null]}]\n",
        "2\t[]\t[]\t{}\t{\"b\":\"2024-2-3\",\"c\":0}\t[]\n",
        "3\t\\N\t\\N\t\\N\t\\N\t\\N\n",
        "4\t[null]\t[null]\t{1:null}\t{}\t[null,{}]\n",
    ]
    .concat();
    let result = load(&emu, &[], &body);
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "n"),
        vec![
            r(&[
                "1",
                "[1,2,3]",
                r#"["a","b\"c",null]"#,
                r#"{1:"x",2:"y"}"#,
                r#"{"a":1,"b":"2024-01-02"}"#,
                r#"[{"k":"p","v":[1.50,null]}]"#,
            ]),
            r(&[
                "2",
                "[]",
                "[]",
                "{}",
                r#"{"a":null,"b":"2024-02-03"}"#,
                "[]"
            ]),
            r(&["3", "NULL", "NULL", "NULL", "NULL", "NULL"]),
            r(&[
                "4",
                "[null]",
                "[null]",
                "{1:null}",
                r#"{"a":null,"b":null}"#,
                r#"[null,{"k":null,"v":null}]"#,
            ]),
        ]
    );
}

#[test]
fn s8_2_json_arrays_objects_and_strings() {
    let emu = emulator();
    nested_table(&emu);
    let body = r#"[
        {"id":1,"a":[1,"2",true,null],"s":["x",7],"m":{"1":"a","3":null},
         "st":{"A":5,"b":"20240105","extra":1},"x":[{"k":"q","v":["2.345"]}]},
        {"id":2,"a":"[4, 5]","s":"[\"t\"]","m":"{7:\"z\"}","st":"{\"a\":6}","x":"[]"},
        {"id":3,"a":null,"m":{}}
    ]"#;
    let result = load(
        &emu,
        &[("format", "json"), ("strip_outer_array", "true")],
        body,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "n"),
        vec![
            r(&[
                "1",
                "[1,2,1,null]",
                r#"["x","7"]"#,
                r#"{1:"a",3:null}"#,
                r#"{"a":5,"b":"2024-01-05"}"#,
                r#"[{"k":"q","v":[2.35]}]"#,
            ]),
            r(&[
                "2",
                "[4,5]",
                r#"["t"]"#,
                r#"{7:"z"}"#,
                r#"{"a":6,"b":null}"#,
                "[]"
            ]),
            r(&["3", "NULL", "NULL", "{}", "NULL", "NULL"]),
        ]
    );
}

#[test]
fn map_keys_that_repeat_keep_the_last_value() {
    let emu = emulator();
    nested_table(&emu);
    let result = load(
        &emu,
        &[],
        "1\t\\N\t\\N\t{1:\"a\",2:\"b\",01:\"c\"}\t\\N\t\\N\n",
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(rows(&emu, "n")[0][3], r#"{2:"b",1:"c"}"#);
}

#[test]
fn s8_5_non_strict_bad_elements_become_null_and_bad_values_null() {
    let emu = emulator();
    nested_table(&emu);
    let body = [
        // Bad elements: a non-number, an INT overflow, a too long string, a bad date, a bad key.
        "1\t[1,x,3000000000]\t[\"abcd\",\"ok\"]\t{x:\"a\",2:\"toolong\"}\t{\"a\":\"y\",\"b\":\"2024-13-01\"}\t[{\"k\":\"kkkkk\"}]\n",
        // Bad values as a whole: wrong shape or malformed text.
        "2\t{1:2}\t[\"a\"\t[1]\t[1]\t[{]\n",
    ]
    .concat();
    let result = load(&emu, &[], &body);
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "n"),
        vec![
            r(&[
                "1",
                "[1,null,null]",
                r#"[null,"ok"]"#,
                r#"{null:"a",2:null}"#,
                r#"{"a":null,"b":null}"#,
                r#"[{"k":null,"v":null}]"#,
            ]),
            r(&["2", "NULL", "NULL", "NULL", "NULL", "NULL"]),
        ]
    );
}

#[test]
fn s8_5_strict_mode_filters_rows_with_bad_elements() {
    let emu = emulator();
    nested_table(&emu);
    let body = "1\t[1,2]\t\\N\t\\N\t\\N\t\\N\n2\t[1,x]\t\\N\t\\N\t\\N\t\\N\n3\t\\N\t\\N\t\\N\t{\"a\":1,\"b\":\"nope\"}\t\\N\n4\t[1\t\\N\t\\N\t\\N\t\\N\n";
    let result = load(
        &emu,
        &[("strict_mode", "true"), ("max_filter_ratio", "1")],
        body,
    );
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberFilteredRows"], 3);
    assert_eq!(
        rows(&emu, "n"),
        vec![r(&["1", "[1,2]", "NULL", "NULL", "NULL", "NULL"])]
    );
    let log = error_log(&emu, &result);
    assert!(
        log.contains("Value '[1,x]' cannot be converted to ARRAY<INT> for column 'a' (element 2 'x': invalid value) in strict mode"),
        "{log}"
    );
    assert!(
        log.contains("for column 'st' (field 'b' 'nope': invalid value) in strict mode"),
        "{log}"
    );
    assert!(
        log.contains("(malformed ARRAY text: expected ',' or ']' at offset 2) in strict mode"),
        "{log}"
    );
}

#[test]
fn s8_5_a_bad_value_in_a_not_null_nested_column_filters_the_row() {
    let emu = emulator();
    emu.create_table(
        TableSpec::new("db", "nn", KeyModel::Primary)
            .column("id", "INT", false)
            .column("a", "ARRAY<INT>", false)
            .keys(&["id"]),
    )
    .expect("table");
    let result = stream_load(
        be(&emu),
        "db",
        "nn",
        &[("max_filter_ratio", "1")],
        b"1\t[1,x]\n2\tnot an array\n3\t\\N\n",
    )
    .json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberFilteredRows"], 2);
    assert_eq!(rows(&emu, "nn"), vec![r(&["1", "[1,null]"])]);
    let log = error_log(&emu, &result);
    assert!(
        log.contains("NULL value in non-nullable column 'a': value 'not an array' cannot be converted to ARRAY<INT> (not an ARRAY value)"),
        "{log}"
    );
}

#[test]
fn s8_7_partial_update_fills_new_rows_with_empty_nested_values() {
    let emu = emulator();
    emu.create_table(
        TableSpec::new("db", "pu", KeyModel::Primary)
            .column("id", "INT", false)
            .column("a", "ARRAY<INT>", false)
            .column("st", "STRUCT<p INT, q VARCHAR(2)>", false)
            .column("v", "INT", true)
            .keys(&["id"]),
    )
    .expect("table");
    let result = stream_load(
        be(&emu),
        "db",
        "pu",
        &[("partial_update", "true"), ("columns", "id,v")],
        b"1\t7\n",
    )
    .json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(
        rows(&emu, "pu"),
        vec![r(&["1", "[]", r#"{"p":null,"q":null}"#, "7"])]
    );
}
