//! Spec §6.7, the SQL side: what the connector, its catalog and Flink CDC send over JDBC, run
//! through `Emulator::sql`, the MySQL port and `POST /control/sql`: version detection,
//! `information_schema` in StarRocks' shape, DDL with schema evolution of loaded rows, and the
//! simple `SELECT`s tests use to check data.

mod common;
mod s6_7_mysql_support;

use common::{head, stream_load, RawClient};
use s6_7_mysql_support::{r, MyClient};
use starrocks_emulator::{Emulator, EmulatorConfig, ResultSet};

fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("start")
}

fn sql(emu: &Emulator, statement: &str) -> ResultSet {
    emu.sql(statement)
        .unwrap_or_else(|e| panic!("{statement}: {e}"))
}

/// Rows with NULL as "NULL".
fn text(result: &ResultSet) -> Vec<Vec<String>> {
    result
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| v.clone().unwrap_or_else(|| "NULL".into()))
                .collect()
        })
        .collect()
}

fn query(emu: &Emulator, statement: &str) -> Vec<Vec<String>> {
    text(&sql(emu, statement))
}

fn error(emu: &Emulator, statement: &str) -> String {
    match emu.sql(statement) {
        Ok(r) => panic!("{statement} succeeded: {r:?}"),
        Err(e) => e,
    }
}

/// Visible rows of a table, NULL as "NULL".
fn rows_of(emu: &Emulator, db: &str, table: &str) -> Vec<Vec<String>> {
    emu.rows(db, table)
        .expect("rows")
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|v| v.unwrap_or_else(|| "NULL".to_string()))
                .collect()
        })
        .collect()
}

fn load_csv(emu: &Emulator, db: &str, table: &str, extra: &[(&str, &str)], body: &str) {
    let response = stream_load(emu.be_http_addrs()[0], db, table, extra, body.as_bytes());
    assert_eq!(response.json()["Status"], "Success", "{}", response.text());
}

#[test]
fn current_version_answers_the_configured_starrocks_version() {
    let emu = emulator();
    assert_eq!(
        query(&emu, "select current_version() as ver;"),
        vec![r(&["3.3.5-emulator"])]
    );
    assert_eq!(
        sql(&emu, "select current_version() as ver").columns,
        vec!["ver"]
    );
    assert_eq!(
        query(&emu, "SELECT @@version_comment LIMIT 1"),
        vec![r(&["StarRocks version 3.3.5-emulator"])]
    );
    assert_eq!(query(&emu, "select version()"), vec![r(&["5.1.0"])]);
    let old = Emulator::start(EmulatorConfig {
        starrocks_version: "1.19.0-abc".into(),
        ..EmulatorConfig::default()
    })
    .expect("start");
    assert_eq!(
        query(&old, "SELECT current_version()"),
        vec![r(&["1.19.0-abc"])]
    );
}

#[test]
fn information_schema_columns_marks_keys_as_starrocks_does() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(
        &emu,
        "CREATE TABLE d.pk (id BIGINT NOT NULL, k2 VARCHAR(8) NOT NULL, v INT) PRIMARY KEY (id, k2)",
    );
    sql(
        &emu,
        "CREATE TABLE d.uk (id INT NOT NULL, v STRING) UNIQUE KEY (id)",
    );
    sql(
        &emu,
        "CREATE TABLE d.dup (id INT, v DOUBLE) DUPLICATE KEY (id)",
    );
    let keys = |table: &str| {
        query(
            &emu,
            &format!(
                "select COLUMN_NAME, COLUMN_KEY from information_schema.COLUMNS \
                 where TABLE_SCHEMA = 'd' and TABLE_NAME = '{table}' order by ORDINAL_POSITION"
            ),
        )
    };
    // Only PRIMARY KEY tables answer PRI (what the connector uses to enable upserts/deletes).
    assert_eq!(
        keys("pk"),
        vec![r(&["id", "PRI"]), r(&["k2", "PRI"]), r(&["v", ""])]
    );
    assert_eq!(keys("uk"), vec![r(&["id", "UNI"]), r(&["v", ""])]);
    assert_eq!(keys("dup"), vec![r(&["id", "DUP"]), r(&["v", ""])]);
}

#[test]
fn information_schema_columns_describes_every_type() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(
        &emu,
        "CREATE TABLE d.t (id BIGINT NOT NULL COMMENT 'key', b BOOLEAN, ti TINYINT, si SMALLINT, i INT, \
         li LARGEINT, f FLOAT, d DOUBLE, dec DECIMAL(12, 3) DEFAULT '1.5', c CHAR(4), vc VARCHAR(100), \
         s STRING, dt DATE, ts DATETIME DEFAULT CURRENT_TIMESTAMP, j JSON) \
         PRIMARY KEY (id) COMMENT 'types' DISTRIBUTED BY HASH(id) BUCKETS 4",
    );
    let rows = query(
        &emu,
        "select COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, COLUMN_SIZE, DECIMAL_DIGITS, \
         IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT from information_schema.COLUMNS \
         where TABLE_SCHEMA = 'd' and TABLE_NAME = 't'",
    );
    let expected = [
        [
            "id",
            "1",
            "bigint",
            "bigint(20)",
            "19",
            "0",
            "NO",
            "NULL",
            "key",
        ],
        [
            "b",
            "2",
            "tinyint",
            "tinyint(1)",
            "NULL",
            "0",
            "YES",
            "NULL",
            "",
        ],
        [
            "ti",
            "3",
            "tinyint",
            "tinyint(4)",
            "3",
            "0",
            "YES",
            "NULL",
            "",
        ],
        [
            "si",
            "4",
            "smallint",
            "smallint(6)",
            "5",
            "0",
            "YES",
            "NULL",
            "",
        ],
        ["i", "5", "int", "int(11)", "10", "0", "YES", "NULL", ""],
        [
            "li",
            "6",
            "bigint unsigned",
            "bigint(20) unsigned",
            "39",
            "NULL",
            "YES",
            "NULL",
            "",
        ],
        ["f", "7", "float", "float", "7", "7", "YES", "NULL", ""],
        ["d", "8", "double", "double", "15", "15", "YES", "NULL", ""],
        [
            "dec",
            "9",
            "decimal",
            "decimal(12,3)",
            "12",
            "3",
            "YES",
            "1.5",
            "",
        ],
        ["c", "10", "char", "char(4)", "4", "NULL", "YES", "NULL", ""],
        [
            "vc",
            "11",
            "varchar",
            "varchar(100)",
            "100",
            "NULL",
            "YES",
            "NULL",
            "",
        ],
        [
            "s",
            "12",
            "varchar",
            "varchar(65533)",
            "65533",
            "NULL",
            "YES",
            "NULL",
            "",
        ],
        [
            "dt", "13", "date", "date", "NULL", "NULL", "YES", "NULL", "",
        ],
        [
            "ts",
            "14",
            "datetime",
            "datetime",
            "NULL",
            "NULL",
            "YES",
            "CURRENT_TIMESTAMP",
            "",
        ],
        ["j", "15", "json", "json", "NULL", "NULL", "YES", "NULL", ""],
    ];
    let expected: Vec<Vec<String>> = expected.iter().map(|row| r(row)).collect();
    assert_eq!(rows, expected);
    assert_eq!(
        query(&emu, "select TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COMMENT from information_schema.TABLES where TABLE_SCHEMA = 'd'"),
        vec![r(&["t", "BASE TABLE", "StarRocks", "types"])]
    );
}

#[test]
fn databases_and_tables_are_listed_like_starrocks() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE IF NOT EXISTS b");
    sql(&emu, "CREATE DATABASE a");
    sql(&emu, "CREATE DATABASE IF NOT EXISTS a");
    assert!(error(&emu, "CREATE DATABASE a").starts_with("ERROR 1007 (HY000)"));
    sql(&emu, "CREATE TABLE a.t2 (id INT)");
    sql(&emu, "CREATE TABLE a.t1 (id INT)");
    assert_eq!(
        query(
            &emu,
            "SELECT `SCHEMA_NAME` FROM `INFORMATION_SCHEMA`.`SCHEMATA`;"
        ),
        vec![r(&["information_schema"]), r(&["a"]), r(&["b"])]
    );
    assert_eq!(
        query(
            &emu,
            "SELECT `SCHEMA_NAME` FROM `INFORMATION_SCHEMA`.`SCHEMATA` WHERE SCHEMA_NAME = 'a';"
        ),
        vec![r(&["a"])]
    );
    assert_eq!(query(&emu, "SHOW DATABASES LIKE 'a%'"), vec![r(&["a"])]);
    assert_eq!(
        query(&emu, "SHOW TABLES FROM a"),
        vec![r(&["t1"]), r(&["t2"])]
    );
    assert_eq!(sql(&emu, "SHOW TABLES FROM a").columns, vec!["Tables_in_a"]);
    assert_eq!(
        query(&emu, "SELECT TABLE_NAME FROM information_schema.`TABLES` WHERE TABLE_SCHEMA='a' and TABLE_NAME='t2'"),
        vec![r(&["t2"])]
    );
    sql(&emu, "DROP DATABASE b");
    assert!(error(&emu, "DROP DATABASE b").starts_with("ERROR 1008"));
    sql(&emu, "DROP DATABASE IF EXISTS b");
    assert!(
        error(&emu, "SHOW TABLES FROM b").starts_with("ERROR 1049 (42000): Unknown database 'b'")
    );
}

#[test]
fn the_catalog_create_table_statement_creates_a_primary_key_table() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE IF NOT EXISTS d;");
    let create = "CREATE TABLE IF NOT EXISTS `d`.`orders` (\n\
                  `id` BIGINT NOT NULL COMMENT \"order id\",\n\
                  `name` VARCHAR(64) NULL,\n\
                  `price` DECIMAL(10, 2) NULL DEFAULT \"0\",\n\
                  `ts` DATETIME NULL\n\
                  ) PRIMARY KEY (`id`)\n\
                  DISTRIBUTED BY HASH (`id`) BUCKETS 3\n\
                  PROPERTIES (\n\"replication_num\" = \"1\"\n);";
    sql(&emu, create);
    sql(&emu, create); // IF NOT EXISTS
    let shown = sql(&emu, "SHOW CREATE TABLE d.orders");
    assert_eq!(shown.columns, vec!["Table", "Create Table"]);
    let ddl = shown.rows[0][1].clone().expect("ddl");
    assert_eq!(
        ddl,
        "CREATE TABLE `orders` (\n  `id` bigint(20) NOT NULL COMMENT \"order id\",\n  \
         `name` varchar(64) NULL COMMENT \"\",\n  `price` decimal(10, 2) NULL DEFAULT \"0\" COMMENT \"\",\n  \
         `ts` datetime NULL COMMENT \"\"\n) ENGINE=OLAP \nPRIMARY KEY(`id`)\n\
         DISTRIBUTED BY HASH(`id`) BUCKETS 3 \nPROPERTIES (\n\"replication_num\" = \"1\"\n);"
    );
    // The output re-creates the same table.
    sql(&emu, "DROP TABLE `d`.`orders`;");
    sql(&emu, "USE d");
    let mut client = MyClient::connect(emu.mysql_addr());
    client.ok("USE d");
    client.ok(&ddl);
    assert_eq!(
        client.query("SHOW CREATE TABLE orders").rows()[0][1].as_deref(),
        Some(ddl.as_str())
    );
    assert_eq!(
        emu.columns("d", "orders").expect("table"),
        vec!["id", "name", "price", "ts"]
    );
}

#[test]
fn create_table_refuses_what_starrocks_refuses() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(&emu, "CREATE TABLE d.t (id INT NOT NULL) PRIMARY KEY (id)");
    let cases = [
        (
            "CREATE TABLE d.t (id INT NOT NULL) PRIMARY KEY (id)",
            "ERROR 1050 (42S01)",
        ),
        ("CREATE TABLE nope.t (id INT)", "ERROR 1049 (42000)"),
        ("CREATE TABLE t (id INT)", "ERROR 1046 (3D000)"),
        (
            "CREATE TABLE d.u (id INT) PRIMARY KEY (id)",
            "ERROR 1105 (HY000): primary key column 'id' must be NOT NULL",
        ),
        (
            "CREATE TABLE d.u (v INT, id INT NOT NULL) PRIMARY KEY (id)",
            "ERROR 1105 (HY000): key columns must be the leading columns",
        ),
        (
            "CREATE TABLE d.u (id INT, v INT SUM) AGGREGATE KEY (id)",
            "ERROR 1105 (HY000): AGGREGATE KEY tables are not supported",
        ),
        (
            "CREATE TABLE d.u (id INT, v FANCY)",
            "ERROR 1105 (HY000): unsupported column type 'FANCY'",
        ),
        (
            "CREATE TABLE d.u (a ARRAY<INT>, id INT) DUPLICATE KEY (a)",
            "ERROR 1105 (HY000): Invalid data type of key column 'a': 'ARRAY<INT>'",
        ),
        (
            "CREATE TABLE d.u (id INT, v INT DEFAULT 'x')",
            "ERROR 1105 (HY000): Invalid default value for 'v'",
        ),
        (
            "CREATE TABLE d.u (id INT NOT NULL, v INT) PRIMARY KEY (id) DISTRIBUTED BY HASH(v)",
            "ERROR 1105 (HY000): Distribution column[v] is not key column",
        ),
        (
            "CREATE TABLE d.u (id INT NOT NULL) PRIMARY KEY (id) DISTRIBUTED BY RANDOM",
            "ERROR 1105 (HY000): RANDOM distribution",
        ),
        (
            "CREATE TABLE d.u (id INT) PARTITION BY RANGE(id) ()",
            "ERROR 1235 (42000): not supported by the emulator",
        ),
    ];
    for (statement, expected) in cases {
        let e = error(&emu, statement);
        assert!(e.starts_with(expected), "{statement}: {e}");
    }
    assert_eq!(query(&emu, "SHOW TABLES FROM d"), vec![r(&["t"])]);
}

#[test]
fn a_table_without_key_clause_gets_a_duplicate_key_on_its_leading_columns() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(
        &emu,
        "CREATE TABLE d.t (a INT, b BIGINT, c VARCHAR(10), d INT)",
    );
    assert_eq!(
        query(
            &emu,
            "select COLUMN_NAME, COLUMN_KEY from information_schema.COLUMNS where TABLE_NAME = 't'"
        ),
        vec![
            r(&["a", "DUP"]),
            r(&["b", "DUP"]),
            r(&["c", "DUP"]),
            r(&["d", ""])
        ]
    );
    let ddl = query(&emu, "SHOW CREATE TABLE d.t")[0][1].clone();
    assert!(
        ddl.contains("DUPLICATE KEY(`a`, `b`, `c`)\nDISTRIBUTED BY RANDOM;"),
        "{ddl}"
    );
}

#[test]
fn alter_table_evolves_loaded_rows() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(
        &emu,
        "CREATE TABLE d.t (id BIGINT NOT NULL, name VARCHAR(8), score INT) PRIMARY KEY (id)",
    );
    load_csv(
        &emu,
        "d",
        "t",
        &[("column_separator", ",")],
        "2,b,20\n1,a,10\n3,\\N,30\n",
    );
    // What the catalog sends to add columns, then polls.
    sql(
        &emu,
        "ALTER TABLE `d`.`t` ADD COLUMN `city` VARCHAR(16) NULL DEFAULT \"nowhere\" COMMENT \"c\", \
         ADD COLUMN `level` INT NOT NULL DEFAULT \"7\" PROPERTIES (\"timeout\" = \"600\");",
    );
    let job = sql(
        &emu,
        "SHOW ALTER TABLE COLUMN FROM `d` WHERE TableName = 't' ORDER BY JobId DESC LIMIT 1;",
    );
    assert_eq!(job.columns[0], "JobId");
    let state = job
        .columns
        .iter()
        .position(|c| c == "State")
        .expect("State");
    assert_eq!(job.rows[0][state].as_deref(), Some("FINISHED"));
    assert_eq!(
        rows_of(&emu, "d", "t"),
        vec![
            r(&["1", "a", "10", "nowhere", "7"]),
            r(&["2", "b", "20", "nowhere", "7"]),
            r(&["3", "NULL", "30", "nowhere", "7"]),
        ]
    );
    // Drop, rename (what Flink CDC sends, names unquoted), widen a type.
    sql(
        &emu,
        "ALTER TABLE `d`.`t` DROP COLUMN `city` PROPERTIES (\"timeout\" = \"600\");",
    );
    sql(&emu, "ALTER TABLE `d`.`t` RENAME COLUMN score TO points;");
    sql(
        &emu,
        "ALTER TABLE `d`.`t` MODIFY COLUMN `points` BIGINT NULL COMMENT \"p\"",
    );
    sql(
        &emu,
        "ALTER TABLE `d`.`t` MODIFY COLUMN `name` VARCHAR(32) NULL",
    );
    assert_eq!(
        emu.columns("d", "t").expect("t"),
        vec!["id", "name", "points", "level"]
    );
    assert_eq!(
        query(
            &emu,
            "select COLUMN_TYPE from information_schema.COLUMNS where TABLE_NAME = 't'"
        ),
        vec![
            r(&["bigint(20)"]),
            r(&["varchar(32)"]),
            r(&["bigint(20)"]),
            r(&["int(11)"])
        ]
    );
    assert_eq!(
        query(&emu, "SHOW ALTER TABLE COLUMN FROM d WHERE TableName = 't'").len(),
        4,
        "add, drop and two modifies are jobs; the rename is not"
    );
    // Loads after the change use the new schema.
    load_csv(&emu, "d", "t", &[("column_separator", ",")], "4,d,40,1\n");
    assert_eq!(
        query(&emu, "select * from d.t where id >= 3 order by id"),
        vec![r(&["3", "NULL", "30", "7"]), r(&["4", "d", "40", "1"])]
    );
}

#[test]
fn alter_table_refuses_changes_starrocks_refuses_and_leaves_the_table_alone() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(
        &emu,
        "CREATE TABLE d.t (id INT NOT NULL, name VARCHAR(8), n INT, s VARCHAR(8)) PRIMARY KEY (id)",
    );
    load_csv(
        &emu,
        "d",
        "t",
        &[("column_separator", ",")],
        "1,abcdefgh,5,x\n2,\\N,6,12\n",
    );
    let before = rows_of(&emu, "d", "t");
    let cases = [
        (
            "ALTER TABLE d.t DROP COLUMN id",
            "Can not drop key column 'id'",
        ),
        (
            "ALTER TABLE d.t DROP COLUMN nope",
            "Column 'nope' does not exist",
        ),
        (
            "ALTER TABLE d.t ADD COLUMN name INT",
            "Duplicate column name 'name'",
        ),
        (
            "ALTER TABLE d.t ADD COLUMN z INT NOT NULL",
            "Invalid column definition: NOT NULL column 'z'",
        ),
        (
            "ALTER TABLE d.t ADD COLUMN z INT FIRST",
            "Invalid column order",
        ),
        (
            "ALTER TABLE d.t MODIFY COLUMN name VARCHAR(4)",
            "Cannot shorten string length",
        ),
        (
            "ALTER TABLE d.t MODIFY COLUMN name VARCHAR(8) NOT NULL",
            "from nullable to non-nullable",
        ),
        (
            "ALTER TABLE d.t MODIFY COLUMN s INT",
            "Can not convert value 'x' of column 's' to INT",
        ),
        (
            "ALTER TABLE d.t RENAME COLUMN n TO name",
            "Duplicate column name 'name'",
        ),
        // All clauses or none: the first one would work.
        (
            "ALTER TABLE d.t ADD COLUMN ok INT, DROP COLUMN nope",
            "Column 'nope' does not exist",
        ),
    ];
    for (statement, expected) in cases {
        let e = error(&emu, statement);
        assert!(e.contains(expected), "{statement}: {e}");
    }
    assert!(error(&emu, "ALTER TABLE d.nope ADD COLUMN x INT").starts_with("ERROR 1146"));
    assert!(error(
        &emu,
        "ALTER TABLE d.t ADD PARTITION p1 VALUES LESS THAN (1)"
    )
    .starts_with("ERROR 1235"));
    assert_eq!(rows_of(&emu, "d", "t"), before);
    assert_eq!(
        emu.columns("d", "t").expect("t"),
        vec!["id", "name", "n", "s"]
    );
    assert!(query(&emu, "SHOW ALTER TABLE COLUMN FROM d").is_empty());
    // A table comment change (Flink CDC, StarRocks 3.1+).
    sql(
        &emu,
        "ALTER TABLE `d`.`t` COMMENT = \"new \\\"comment\\\"\";",
    );
    assert_eq!(
        query(
            &emu,
            "select TABLE_COMMENT from information_schema.TABLES where TABLE_NAME = 't'"
        ),
        vec![r(&["new \"comment\""])]
    );
}

#[test]
fn truncate_and_drop_table() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(
        &emu,
        "CREATE TABLE d.t (id INT NOT NULL, v INT) DUPLICATE KEY (id)",
    );
    load_csv(&emu, "d", "t", &[("column_separator", ",")], "1,1\n2,2\n");
    assert_eq!(query(&emu, "select count(*) from d.t"), vec![r(&["2"])]);
    sql(&emu, "TRUNCATE TABLE `d`.`t`;");
    assert_eq!(query(&emu, "select count(*) from d.t"), vec![r(&["0"])]);
    load_csv(&emu, "d", "t", &[("column_separator", ",")], "3,3\n");
    assert_eq!(query(&emu, "select * from d.t"), vec![r(&["3", "3"])]);
    sql(&emu, "DROP TABLE `d`.`t`;");
    assert!(error(&emu, "DROP TABLE d.t").starts_with("ERROR 1051 (42S02): Unknown table 'd.t'"));
    sql(&emu, "DROP TABLE IF EXISTS d.t");
    assert!(error(&emu, "TRUNCATE TABLE d.t").starts_with("ERROR 1146"));
    assert!(error(&emu, "select * from d.t")
        .starts_with("ERROR 1146 (42S02): Table 'd.t' doesn't exist"));
}

#[test]
fn select_filters_orders_and_counts_by_column_type() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(
        &emu,
        "CREATE TABLE d.t (id INT NOT NULL, name VARCHAR(8), price DECIMAL(6,2), day DATE) DUPLICATE KEY (id)",
    );
    load_csv(
        &emu,
        "d",
        "t",
        &[("column_separator", ",")],
        "10,ten,1.5,2024-01-10\n2,two,20,2024-01-02\n1,\\N,\\N,\\N\n2,deux,3.25,2024-02-01\n",
    );
    // Numbers order as numbers, not as text.
    assert_eq!(
        query(&emu, "select id from d.t order by id"),
        vec![r(&["1"]), r(&["2"]), r(&["2"]), r(&["10"])]
    );
    assert_eq!(
        query(
            &emu,
            "select id, name as n from d.t where id = 2 and price > 5"
        ),
        vec![r(&["2", "two"])]
    );
    assert_eq!(
        sql(&emu, "select id, name as n from d.t where id = 2").columns,
        vec!["id", "n"]
    );
    assert_eq!(
        query(&emu, "select name from d.t where price = 1.50"),
        vec![r(&["ten"])]
    );
    assert_eq!(
        query(
            &emu,
            "select id from d.t where day >= '2024-01-05' order by day desc"
        ),
        vec![r(&["2"]), r(&["10"])]
    );
    assert_eq!(
        query(&emu, "select count(*) from d.t where name is null"),
        vec![r(&["1"])]
    );
    assert_eq!(
        query(&emu, "select count(*) as c from d.t where id in (1, 10)"),
        vec![r(&["2"])]
    );
    assert_eq!(
        query(&emu, "select name from d.t where name like 'd%'"),
        vec![r(&["deux"])]
    );
    assert_eq!(
        query(
            &emu,
            "select n.name, n.id from d.t n order by 2 desc, 1 limit 1, 2"
        ),
        vec![r(&["deux", "2"]), r(&["two", "2"])]
    );
    assert_eq!(
        query(&emu, "select * from d.t where id = 1"),
        vec![r(&["1", "NULL", "NULL", "NULL"])]
    );
    // A literal that is not a value of the column's type matches nothing.
    assert!(query(&emu, "select * from d.t where id = 'x'").is_empty());
    // `c = a OR c = b` is `c IN (a, b)`; other ORs are refused.
    assert_eq!(
        query(
            &emu,
            "select name from d.t where (id = 1 or id = 10) and name is not null"
        ),
        vec![r(&["ten"])]
    );
    for statement in [
        "select id from d.t where id = 1 or name = 'two'",
        "select id from d.t where name = 'two' and id = 1 or id = 2",
        "select id from d.t where id = 1 or id = 2 and name = 'two'",
        "select id from d.t where id > 1 or id = 2",
    ] {
        assert!(
            error(&emu, statement).contains("not supported by the emulator"),
            "{statement}"
        );
    }
    assert!(error(&emu, "select id, count(*) from d.t").contains("not supported by the emulator"));
}

#[test]
fn the_control_api_runs_sql() {
    let emu = emulator();
    let post = |statement: &str| {
        let mut client = RawClient::connect(emu.control_addr());
        let len = statement.len().to_string();
        client.send(&head(
            "POST",
            "/control/sql",
            &[("Content-Length", &len), ("Connection", "close")],
        ));
        client.send(statement.as_bytes());
        client.read_response()
    };
    let created = post("CREATE DATABASE c");
    assert_eq!(created.status, 200);
    assert_eq!(
        created.json(),
        serde_json::json!({"columns": [], "rows": []})
    );
    let answer = post("select current_version() as ver, null as n");
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json(),
        serde_json::json!({"columns": ["ver", "n"], "rows": [["3.3.5-emulator", null]]})
    );
    let failed = post("select * from c.nope");
    assert_eq!(failed.status, 400);
    assert_eq!(failed.json()["code"], 1146);
    assert_eq!(failed.json()["sqlstate"], "42S02");
    assert_eq!(failed.json()["error"], "Table 'c.nope' doesn't exist");
}

#[test]
fn describe_and_show_columns() {
    let emu = emulator();
    sql(&emu, "CREATE DATABASE d");
    sql(&emu, "CREATE TABLE d.t (id INT NOT NULL, v VARCHAR(5) DEFAULT 'x' COMMENT 'vee') PRIMARY KEY (id)");
    assert_eq!(
        query(&emu, "DESC d.t"),
        vec![
            r(&["id", "int(11)", "NO", "true", "NULL", ""]),
            r(&["v", "varchar(5)", "YES", "false", "x", ""]),
        ]
    );
    let full = sql(&emu, "SHOW FULL COLUMNS FROM `t` FROM `d` LIKE 'v%'");
    assert_eq!(
        full.columns,
        vec![
            "Field",
            "Type",
            "Collation",
            "Null",
            "Key",
            "Default",
            "Extra",
            "Privileges",
            "Comment"
        ]
    );
    assert_eq!(
        text(&full),
        vec![r(&[
            "v",
            "varchar(5)",
            "utf8_general_ci",
            "YES",
            "false",
            "x",
            "",
            "select,insert,update,references",
            "vee"
        ])]
    );
}
