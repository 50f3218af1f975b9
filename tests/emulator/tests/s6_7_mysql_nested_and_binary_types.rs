//! Spec §6.7 with ARRAY/MAP/STRUCT and VARBINARY columns: `CREATE TABLE` over the MySQL port and
//! the control API, StarRocks' refusal of such key and distribution columns,
//! `information_schema.COLUMNS`, `DESC`, `SHOW CREATE TABLE` (re-readable), `ALTER TABLE ADD
//! COLUMN` with existing rows, and `SELECT` rendering over the text and binary protocols, the
//! control API and `Emulator::rows`.

mod common;
mod s6_7_mysql_support;

use common::{get, stream_load};
use s6_7_mysql_support::{r, MyClient};
use starrocks_emulator::{Emulator, EmulatorConfig, KeyModel, TableSpec};

const CREATE: &str = "CREATE TABLE d.t (\
    id INT NOT NULL, \
    a array<int(11)>, \
    m MAP < VARCHAR(10), INT >, \
    st STRUCT<a INT, b VARCHAR(10)>, \
    x ARRAY<STRUCT<k DATE, v ARRAY<VARCHAR(10)>>>, \
    b VARBINARY, \
    b16 BINARY(16)\
    ) PRIMARY KEY (id) DISTRIBUTED BY HASH(id)";

fn emulator_with_table() -> Emulator {
    let emu = Emulator::start(EmulatorConfig::default()).expect("start");
    emu.sql("CREATE DATABASE d").expect("database");
    emu.sql(CREATE).expect("table");
    emu
}

fn query(emu: &Emulator, statement: &str) -> Vec<Vec<String>> {
    emu.sql(statement)
        .unwrap_or_else(|e| panic!("{statement}: {e}"))
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|v| v.unwrap_or_else(|| "NULL".into()))
                .collect()
        })
        .collect()
}

const ROW_1: &str = "1\t[1,null,3]\t{\"k\":1,\"j\":null}\t{\"a\":7,\"b\":\"x\\\"y\"}\t[{\"k\":\"2024-01-02\",\"v\":[\"p\",null]}]\t4142\t00ff\n";
const ROW_2: &str = "2\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n";

fn load_rows(emu: &Emulator) {
    let body = [ROW_1, ROW_2].concat();
    let result = stream_load(emu.be_http_addrs()[0], "d", "t", &[], body.as_bytes()).json();
    assert_eq!(result["Status"], "Success", "{result}");
}

fn expected_row_1() -> Vec<String> {
    r(&[
        "1",
        "[1,null,3]",
        r#"{"k":1,"j":null}"#,
        r#"{"a":7,"b":"x\"y"}"#,
        r#"[{"k":"2024-01-02","v":["p",null]}]"#,
        "0x4142",
        "0x00FF",
    ])
}

#[test]
fn information_schema_columns_describes_nested_and_binary_types() {
    let emu = emulator_with_table();
    let rows = query(
        &emu,
        "select COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COLUMN_SIZE, CHARACTER_MAXIMUM_LENGTH, \
         CHARACTER_OCTET_LENGTH, COLUMN_KEY from information_schema.COLUMNS \
         where TABLE_SCHEMA = 'd' and TABLE_NAME = 't'",
    );
    assert_eq!(
        rows,
        vec![
            r(&["id", "int", "int(11)", "10", "NULL", "NULL", "PRI"]),
            r(&["a", "array", "array<int(11)>", "NULL", "NULL", "NULL", ""]),
            r(&[
                "m",
                "map",
                "map<varchar(10),int(11)>",
                "NULL",
                "NULL",
                "NULL",
                ""
            ]),
            r(&[
                "st",
                "struct",
                "struct<a int(11), b varchar(10)>",
                "NULL",
                "NULL",
                "NULL",
                ""
            ]),
            r(&[
                "x",
                "array",
                "array<struct<k date, v array<varchar(10)>>>",
                "NULL",
                "NULL",
                "NULL",
                ""
            ]),
            r(&[
                "b",
                "varbinary",
                "varbinary(1048576)",
                "1048576",
                "1048576",
                "1048576",
                ""
            ]),
            r(&["b16", "varbinary", "varbinary(16)", "16", "16", "16", ""]),
        ]
    );
}

#[test]
fn desc_and_show_create_table_round_trip() {
    let emu = emulator_with_table();
    let desc: Vec<Vec<String>> = query(&emu, "DESC d.t")
        .into_iter()
        .map(|row| row[..2].to_vec())
        .collect();
    assert_eq!(
        desc,
        vec![
            r(&["id", "int(11)"]),
            r(&["a", "array<int(11)>"]),
            r(&["m", "map<varchar(10),int(11)>"]),
            r(&["st", "struct<a int(11), b varchar(10)>"]),
            r(&["x", "array<struct<k date, v array<varchar(10)>>>"]),
            r(&["b", "varbinary"]),
            r(&["b16", "varbinary(16)"]),
        ]
    );
    let ddl = query(&emu, "SHOW CREATE TABLE d.t")[0][1].clone();
    assert!(
        ddl.contains("  `st` struct<a int(11), b varchar(10)> NULL COMMENT \"\",\n"),
        "{ddl}"
    );
    emu.sql("DROP TABLE d.t").expect("drop");
    emu.sql("USE d").expect("use");
    let mut client = MyClient::connect(emu.mysql_addr());
    client.ok("USE d");
    client.ok(&ddl);
    assert_eq!(query(&emu, "SHOW CREATE TABLE d.t")[0][1], ddl);
}

#[test]
fn select_renders_values_like_starrocks_mysql_protocol() {
    let emu = emulator_with_table();
    load_rows(&emu);
    let expected = vec![
        expected_row_1(),
        r(&["2", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"]),
    ];
    assert_eq!(query(&emu, "SELECT * FROM d.t ORDER BY id"), expected);
    let mut client = MyClient::connect(emu.mysql_addr());
    let text = client.query("SELECT * FROM d.t ORDER BY id");
    assert_eq!(text.text(), expected);
    // ARRAY/MAP/STRUCT as STRING text, VARBINARY as its hex text, utf8.
    let defs = text.column_defs();
    assert_eq!((defs[1].field_type, defs[1].charset), (254, 33));
    assert_eq!((defs[6].field_type, defs[6].length), (253, 102));
    let (statement, _) = client
        .prepare("SELECT a, b FROM d.t WHERE id = 1")
        .expect("prepare");
    assert_eq!(
        client.execute(statement, &[]).text(),
        vec![r(&["[1,null,3]", "0x4142"])]
    );
    let filtered = query(&emu, "SELECT id FROM d.t WHERE a = '[1, NULL, 3]'");
    assert_eq!(filtered, vec![r(&["1"])]);
}

#[test]
fn control_api_and_library_read_the_same_text() {
    let emu = emulator_with_table();
    load_rows(&emu);
    let rows = emu.rows("d", "t").expect("rows");
    let first: Vec<String> = rows[0].iter().map(|v| v.clone().expect("value")).collect();
    assert_eq!(first, expected_row_1());
    let response = get(emu.control_addr(), "/control/tables/d/t/rows", None).json();
    assert_eq!(
        response["rows"][0][4],
        r#"[{"k":"2024-01-02","v":["p",null]}]"#
    );
    assert_eq!(response["rows"][0][5], "0x4142");
    assert_eq!(response["rows"][1][1], serde_json::Value::Null);
}

#[test]
fn nested_and_binary_columns_cannot_be_keys_or_distribution_columns() {
    let emu = emulator_with_table();
    let cases = [
        (
            "CREATE TABLE d.k1 (a ARRAY<INT> NOT NULL, v INT) PRIMARY KEY (a)",
            "Invalid data type of key column 'a': 'ARRAY<INT>'",
        ),
        (
            "CREATE TABLE d.k2 (id INT, m MAP<INT,INT>) DUPLICATE KEY (id, m)",
            "Invalid data type of key column 'm': 'MAP<INT,INT>'",
        ),
        (
            "CREATE TABLE d.k3 (s STRUCT<a INT>, v INT) UNIQUE KEY (s)",
            "Invalid data type of key column 's': 'STRUCT<a INT>'",
        ),
        (
            "CREATE TABLE d.k4 (b VARBINARY(8), v INT) DUPLICATE KEY (b)",
            "Invalid data type of key column 'b': 'VARBINARY(8)'",
        ),
        (
            "CREATE TABLE d.k5 (id INT, a ARRAY<INT>) DUPLICATE KEY (id) DISTRIBUTED BY HASH(a)",
            "ARRAY column can not be distribution column",
        ),
        (
            "CREATE TABLE d.k6 (id INT, b VARBINARY) DUPLICATE KEY (id) DISTRIBUTED BY HASH(b)",
            "VARBINARY column can not be distribution column",
        ),
        (
            "CREATE TABLE d.k7 (id INT, m MAP<JSON,INT>)",
            "MAP key type must be a primitive type, not JSON",
        ),
        (
            "CREATE TABLE d.k8 (id INT, a ARRAY<VARBINARY>)",
            "VARBINARY inside ARRAY, MAP or STRUCT is not supported by the emulator",
        ),
        (
            "ALTER TABLE d.t MODIFY COLUMN a ARRAY<BIGINT>",
            "Can not change ARRAY<INT> to ARRAY<BIGINT> (column 'a')",
        ),
    ];
    for (statement, expected) in cases {
        let e = emu.sql(statement).expect_err(statement);
        assert!(e.contains(expected), "{statement}: {e}");
    }
    let spec = TableSpec::new("d", "k9", KeyModel::Primary)
        .column("s", "STRUCT<a INT>", false)
        .keys(&["s"]);
    let e = emu.create_table(spec).expect_err("struct key");
    assert_eq!(e, "Invalid data type of key column 's': 'STRUCT<a INT>'");
}

#[test]
fn alter_table_add_column_of_nested_types_keeps_rows() {
    let emu = emulator_with_table();
    load_rows(&emu);
    emu.sql(
        "ALTER TABLE d.t ADD COLUMN tags ARRAY<VARCHAR(8)> DEFAULT '[\"new\"]', \
         ADD COLUMN kv MAP<INT,DOUBLE> AFTER id",
    )
    .expect("alter");
    let rows = query(&emu, "SELECT id, kv, a, st, b, tags FROM d.t ORDER BY id");
    assert_eq!(
        rows,
        vec![
            r(&[
                "1",
                "NULL",
                "[1,null,3]",
                r#"{"a":7,"b":"x\"y"}"#,
                "0x4142",
                r#"["new"]"#
            ]),
            r(&["2", "NULL", "NULL", "NULL", "NULL", r#"["new"]"#]),
        ]
    );
    let types = query(
        &emu,
        "select COLUMN_TYPE from information_schema.COLUMNS where TABLE_NAME = 't' and COLUMN_NAME = 'kv'",
    );
    assert_eq!(types, vec![r(&["map<int(11),double>"])]);
}
