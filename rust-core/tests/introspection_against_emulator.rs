//! Table introspection over the emulator's MySQL-protocol port.

mod common;

use std::collections::BTreeMap;

use common::emulator;
use starrocks_emulator::{Emulator, EmulatorConfig, KeyModel, TableSpec};
use starrocks_flink::error::ErrorKind;
use starrocks_flink::introspect::{describe_table, execute, QueryResult};
use starrocks_flink::options::SinkOptions;

fn options(emu: &Emulator, user: &str, password: &str) -> SinkOptions {
    let m: BTreeMap<String, String> = [
        ("jdbc-url", format!("jdbc:mysql://{}", emu.mysql_addr())),
        ("load-url", emu.fe_http_addr().to_string()),
        ("database-name", "db".to_string()),
        ("table-name", "t".to_string()),
        ("username", user.to_string()),
        ("password", password.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    SinkOptions::from_map(&m).unwrap()
}

fn describe(
    opts: &SinkOptions,
    table: &str,
) -> starrocks_flink::error::Result<starrocks_flink::introspect::TableDescription> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(describe_table(opts, "db", table))
}

#[test]
fn primary_key_tables_show_their_key_and_duplicate_tables_none() {
    let emu = Emulator::start(EmulatorConfig {
        users: vec![("loader".into(), "pw1".into())],
        ..Default::default()
    })
    .unwrap();
    emu.create_database("db");
    emu.create_table(
        TableSpec::new("db", "pk", KeyModel::Primary)
            .column("id", "BIGINT", false)
            .column("name", "VARCHAR(32)", true)
            .column("price", "DECIMAL(10,2)", true)
            .keys(&["id"]),
    )
    .unwrap();
    emu.create_table(
        TableSpec::new("db", "dup", KeyModel::Duplicate)
            .column("k", "INT", false)
            .column("v", "STRING", true)
            .keys(&["k"]),
    )
    .unwrap();
    let opts = options(&emu, "loader", "pw1");
    let pk = describe(&opts, "pk").unwrap();
    assert!(
        pk.version.as_deref().is_some_and(|v| v.starts_with('3')),
        "{pk:?}"
    );
    assert_eq!(
        pk.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        vec!["id", "name", "price"]
    );
    assert_eq!(pk.primary_key(), vec!["id"]);
    assert_eq!(pk.columns[2].data_type, "decimal");
    let dup = describe(&opts, "dup").unwrap();
    assert!(dup.primary_key().is_empty());

    let e = describe(&opts, "missing").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.message().contains("db.missing does not exist"), "{e}");

    let e = describe(&options(&emu, "loader", "wrong-pw"), "pk").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert!(!e.message().contains("wrong-pw"), "{e}");
}

#[test]
fn an_unreachable_query_port_is_a_connection_error_naming_the_url() {
    let emu = emulator();
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut m: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in [
        ("jdbc-url", format!("jdbc:mysql://127.0.0.1:{dead}")),
        ("load-url", emu.fe_http_addr().to_string()),
        ("database-name", "db".into()),
        ("table-name", "t".into()),
        ("username", "root".into()),
        ("password", "".into()),
    ] {
        m.insert(k.to_string(), v);
    }
    let opts = SinkOptions::from_map(&m).unwrap();
    let e = describe(&opts, "t").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(e.message().contains(&format!("127.0.0.1:{dead}")), "{e}");
}

fn run(opts: &SinkOptions, sql: &str) -> starrocks_flink::error::Result<QueryResult> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(execute(opts, sql))
}

#[test]
fn statements_run_and_return_their_rows_or_the_servers_error() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let opts = options(&emu, "root", "");
    assert_eq!(
        run(&opts, "CREATE DATABASE IF NOT EXISTS cdc").unwrap(),
        QueryResult::default()
    );
    let ddl = "CREATE TABLE cdc.t (id BIGINT NOT NULL, name VARCHAR(30) NULL) \
               PRIMARY KEY (id) DISTRIBUTED BY HASH(id)";
    assert_eq!(run(&opts, ddl).unwrap(), QueryResult::default());
    assert_eq!(
        run(&opts, "ALTER TABLE cdc.t ADD COLUMN score INT NULL").unwrap(),
        QueryResult::default()
    );
    let result = run(
        &opts,
        "select COLUMN_NAME, COLUMN_KEY from information_schema.COLUMNS \
         where TABLE_SCHEMA = 'cdc' and TABLE_NAME = 't' order by ORDINAL_POSITION",
    )
    .unwrap();
    let some = |s: &str| Some(s.to_string());
    assert_eq!(result.columns, vec!["COLUMN_NAME", "COLUMN_KEY"]);
    assert_eq!(
        result.rows,
        vec![
            vec![some("id"), some("PRI")],
            vec![some("name"), some("")],
            vec![some("score"), some("")],
        ]
    );

    let e = run(&opts, "ALTER TABLE cdc.t ADD COLUMN score INT NULL").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LoadFailed, "{e}");
    assert!(
        e.message()
            .contains("running `ALTER TABLE cdc.t ADD COLUMN score INT NULL`"),
        "{e}"
    );
    assert!(
        e.message()
            .contains("Duplicate column name 'score' (MySQL error "),
        "{e}"
    );
}
