//! Spec §8.3 (`columns` with `name = expr`: literals, NULL, column copies, `__op` constants),
//! §8.6 (`where` and `NumberUnselectedRows`), §8.7 (partial update) and §8.8 (merge_condition).

mod common;

use common::*;
use starrocks_emulator::{KeyModel, TableSpec};

fn load(
    emu: &starrocks_emulator::Emulator,
    table: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> serde_json::Value {
    stream_load(be(emu), "db", table, headers, body).json()
}

fn load_ok(
    emu: &starrocks_emulator::Emulator,
    table: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> serde_json::Value {
    let result = load(emu, table, headers, body);
    assert_eq!(result["Status"], "Success", "{result}");
    result
}

#[test]
fn s8_3_column_expressions_copy_and_constants() {
    let emu = emulator();
    load_ok(
        &emu,
        "dup",
        &[("columns", "tmp, id = tmp, name = 'const', price = NULL")],
        b"1\n2\n",
    );
    assert_eq!(
        rows(&emu, "dup"),
        vec![r(&["1", "const", "NULL"]), r(&["2", "const", "NULL"])]
    );
    let refused = load(&emu, "dup", &[("columns", "id, name = upper(id)")], b"1\n");
    assert_eq!(refused["Status"], "Fail");
    assert!(refused["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("not supported by the emulator"));
    let unknown = load(&emu, "dup", &[("columns", "id, nope = 1")], b"1\n");
    assert_eq!(
        unknown["Message"],
        "Mapping column is not in table. column: nope"
    );
}

#[test]
fn s8_4_op_constants_in_columns() {
    let emu = emulator();
    load_ok(&emu, "pk", &[], b"1\ta\t1\n2\tb\t2\n3\tc\t3\n");
    load_ok(
        &emu,
        "pk",
        &[("columns", "id, name, score, __op = 'delete'")],
        b"1\tx\t0\n3\tx\t0\n",
    );
    assert_eq!(rows(&emu, "pk"), vec![r(&["2", "b", "2"])]);
    let bad = load(
        &emu,
        "pk",
        &[("columns", "id, name, score, __op = 'merge'")],
        b"1\ta\t1\n",
    );
    assert_eq!(bad["Message"], "load op type string not supported: merge");
}

#[test]
fn s8_6_where_drops_rows_as_unselected() {
    let emu = emulator();
    let result = load_ok(
        &emu,
        "dup",
        &[
            ("where", "id > 1 and (name = 'b' or name is null)"),
            ("max_filter_ratio", "0.5"),
        ],
        b"1\tb\t1\n2\tb\t2\n3\tc\t3\n4\t\\N\t4\nx\ty\t5\n",
    );
    assert_eq!(result["NumberTotalRows"], 5);
    assert_eq!(result["NumberLoadedRows"], 2);
    assert_eq!(result["NumberUnselectedRows"], 2);
    assert_eq!(result["NumberFilteredRows"], 1);
    assert_eq!(
        rows(&emu, "dup"),
        vec![r(&["2", "b", "2.00"]), r(&["4", "NULL", "4.00"])]
    );
}

#[test]
fn s8_6_unselected_rows_do_not_count_toward_the_filter_ratio() {
    let emu = emulator();
    let result = load_ok(
        &emu,
        "dup",
        &[("where", "id in (1)"), ("max_filter_ratio", "0.5")],
        b"1\ta\t1\n2\tb\t2\n3\tc\t3\nbad\n",
    );
    assert_eq!(result["NumberUnselectedRows"], 2);
    assert_eq!(result["NumberFilteredRows"], 1);
    let bad_where = load(&emu, "dup", &[("where", "price > 'cheap'")], b"1\ta\t1\n");
    assert_eq!(bad_where["Status"], "Fail");
}

#[test]
fn s8_7_partial_update_keeps_unspecified_columns() {
    let emu = emulator();
    load_ok(&emu, "pk", &[], b"1\ta\t10\n2\tb\t20\n");
    load_ok(
        &emu,
        "pk",
        &[("partial_update", "true"), ("columns", "id, score")],
        b"1\t11\n3\t30\n",
    );
    assert_eq!(
        rows(&emu, "pk"),
        vec![
            r(&["1", "a", "11"]),
            r(&["2", "b", "20"]),
            r(&["3", "NULL", "30"])
        ]
    );
    // Column mode gives the same logical result.
    load_ok(
        &emu,
        "pk",
        &[
            ("partial_update", "true"),
            ("partial_update_mode", "column"),
            ("columns", "id, name"),
        ],
        b"2\tbb\n",
    );
    assert_eq!(rows(&emu, "pk")[1], r(&["2", "bb", "20"]));
    let dup = load(&emu, "dup", &[("partial_update", "true")], b"1\n");
    assert_eq!(
        dup["Message"],
        "Only primary key table support partial update"
    );
    let bad_flag = load(&emu, "pk", &[("partial_update", "yes")], b"1\n");
    assert_eq!(
        bad_flag["Message"],
        "Invalid partial update flag format. Must be bool type"
    );
}

#[test]
fn s8_8_merge_condition_keeps_newer_rows() {
    let emu = emulator();
    emu.create_table(
        TableSpec::new("db", "ver", KeyModel::Primary)
            .column("id", "BIGINT", false)
            .column("v", "VARCHAR(8)", true)
            .column("ts", "INT", true)
            .keys(&["id"]),
    )
    .expect("table");
    load_ok(&emu, "ver", &[], b"1\told\t5\n2\told\t5\n");
    load_ok(
        &emu,
        "ver",
        &[("merge_condition", "ts")],
        b"1\tstale\t4\n2\tnew\t6\n3\tins\t1\n1\tsame\t5\n",
    );
    assert_eq!(
        rows(&emu, "ver"),
        vec![
            r(&["1", "same", "5"]),
            r(&["2", "new", "6"]),
            r(&["3", "ins", "1"])
        ]
    );
    let on_dup = load(&emu, "dup", &[("merge_condition", "price")], b"1\ta\t1\n");
    assert_eq!(
        on_dup["Message"],
        "Conditional update only support primary key table dup"
    );
    let on_key = load(&emu, "ver", &[("merge_condition", "id")], b"1\ta\t1\n");
    assert_eq!(
        on_key["Message"],
        "Merge condition column id should not be primary key!"
    );
}
