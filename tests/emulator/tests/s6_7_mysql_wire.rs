//! Spec §6.7, the wire side: the MySQL-protocol port through a raw client — greeting, login
//! (native password, auth switch, refusals), command phase (ping, init db, query, quit),
//! prepared statements with the binary protocol, and robustness: every malformed packet gets an
//! ERR packet and the connection stays usable; nothing hangs.

mod s6_7_mysql_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use s6_7_mysql_support::{r, MyClient, Param, Reply, WAIT};
use starrocks_emulator::{Emulator, EmulatorConfig};

fn emulator() -> Emulator {
    let config = EmulatorConfig {
        users: vec![
            ("root".to_string(), String::new()),
            ("alice".to_string(), "secret".to_string()),
        ],
        ..EmulatorConfig::default()
    };
    let emu = Emulator::start(config).expect("start");
    emu.sql("CREATE DATABASE db").expect("create db");
    emu.sql(
        "CREATE TABLE db.t (id BIGINT NOT NULL, name VARCHAR(16), ok BOOLEAN, \
         price DECIMAL(10,2), ts DATETIME) PRIMARY KEY (id) DISTRIBUTED BY HASH(id)",
    )
    .expect("create table");
    emu
}

#[test]
fn greeting_offers_native_password_and_the_mysql_server_version() {
    let emu = emulator();
    let (_, greeting) = MyClient::open(emu.mysql_addr());
    assert_eq!(greeting.protocol, 10);
    assert_eq!(greeting.server_version, "5.1.0");
    assert_eq!(greeting.plugin, "mysql_native_password");
    assert_eq!(greeting.scramble.len(), 20);
    assert_eq!(greeting.charset, 33);
    assert_ne!(greeting.capabilities & 0x200, 0, "protocol 4.1");
    assert_eq!(greeting.capabilities & 0x800, 0, "no TLS offered");
}

#[test]
fn login_with_another_plugin_is_switched_to_native_password() {
    let emu = emulator();
    let (mut client, _) = MyClient::open(emu.mysql_addr());
    let (reply, switched) = client.login("root", b"", None, "caching_sha2_password");
    assert_eq!(switched.as_deref(), Some("mysql_native_password"));
    assert!(reply.is_ok(), "{reply:?}");
    assert_eq!(client.query("select 1").text(), vec![r(&["1"])]);
}

#[test]
fn wrong_passwords_and_unknown_users_are_refused_with_1045() {
    let emu = emulator();
    for (user, auth) in [("alice", &[7u8; 20][..]), ("alice", b""), ("mallory", b"")] {
        let (mut client, _) = MyClient::open(emu.mysql_addr());
        let (reply, _) = client.login(user, auth, None, "mysql_native_password");
        let Reply::Err {
            code,
            sqlstate,
            message,
        } = reply
        else {
            panic!("{user} was let in");
        };
        assert_eq!((code, sqlstate.as_str()), (1045, "28000"));
        assert!(message.starts_with(&format!("Access denied for user '{user}'@'127.0.0.1'")));
        assert!(client.is_closed());
    }
}

#[test]
fn login_into_a_database_sets_it_and_an_unknown_one_is_refused_with_1049() {
    let emu = emulator();
    let (mut client, _) = MyClient::open(emu.mysql_addr());
    let (reply, _) = client.login("root", b"", Some("db"), "mysql_native_password");
    assert!(reply.is_ok());
    assert_eq!(client.query("select database()").text(), vec![r(&["db"])]);
    assert_eq!(
        client.query("select count(*) from t").text(),
        vec![r(&["0"])]
    );

    let (mut client, _) = MyClient::open(emu.mysql_addr());
    let (reply, _) = client.login("root", b"", Some("nope"), "mysql_native_password");
    assert_eq!(reply.error_code(), 1049);
}

/// The statements clients send are kept, in order, for tests that report what a client did
/// (`GET /control/statements`); pings and other commands are not statements.
#[test]
fn statements_are_recorded_in_order() {
    let emu = emulator();
    let mut client = MyClient::connect(emu.mysql_addr());
    assert!(client.raw_command(0x0E, b"").is_ok(), "COM_PING");
    client.query("select current_version()");
    client.query("select `COLUMN_NAME` from information_schema.COLUMNS where TABLE_NAME = 't'");
    let texts: Vec<String> = emu.statements().into_iter().map(|s| s.text).collect();
    assert_eq!(
        texts,
        vec![
            "select current_version()".to_string(),
            "select `COLUMN_NAME` from information_schema.COLUMNS where TABLE_NAME = 't'"
                .to_string()
        ]
    );
}

#[test]
fn ping_init_db_and_quit() {
    let emu = emulator();
    let mut client = MyClient::connect(emu.mysql_addr());
    assert!(client.raw_command(0x0E, b"").is_ok(), "COM_PING");
    assert_eq!(client.raw_command(0x02, b"nope").error_code(), 1049);
    assert!(client.raw_command(0x02, b"db").is_ok(), "COM_INIT_DB");
    assert_eq!(client.query("select database()").text(), vec![r(&["db"])]);
    client.command(0x01, b"");
    assert!(client.is_closed(), "COM_QUIT closes the connection");
}

#[test]
fn statement_errors_carry_mysql_codes_and_keep_the_connection_usable() {
    let emu = emulator();
    let mut client = MyClient::connect(emu.mysql_addr());
    let cases: [(&str, u16, &str); 7] = [
        ("selec 1", 1235, "42000"),
        ("select 1 from", 1064, "42000"),
        ("select * from db.nope", 1146, "42S02"),
        ("select * from nope.t", 1049, "42000"),
        ("select * from t", 1046, "3D000"),
        ("select nope from db.t", 1054, "42S22"),
        ("insert into db.t values (1)", 1235, "42000"),
    ];
    for (sql, code, state) in cases {
        match client.query(sql) {
            Reply::Err {
                code: c,
                sqlstate,
                message,
            } => {
                assert_eq!((c, sqlstate.as_str()), (code, state), "{sql}: {message}");
                if code == 1235 {
                    assert_eq!(message, format!("not supported by the emulator: {sql}"));
                }
            }
            other => panic!("{sql}: {other:?}"),
        }
    }
    assert_eq!(client.query("select 1").text(), vec![r(&["1"])]);
}

#[test]
fn malformed_commands_get_error_packets_not_hangs() {
    let emu = emulator();
    let mut client = MyClient::connect(emu.mysql_addr());
    // Empty command packet.
    client.seq_reset_and_send(&[]);
    assert_eq!(client.read_error(), 1835);
    // Unknown command.
    assert_eq!(client.raw_command(0x7F, b"x").error_code(), 1047);
    // Statement text that is not UTF-8.
    assert_eq!(client.query_bytes(&[0xFF, 0xFE]).error_code(), 1064);
    // Execute of an unknown statement, and a truncated execute.
    assert_eq!(
        client.raw_command(0x17, &99u32.to_le_bytes()).error_code(),
        1243
    );
    assert_eq!(client.raw_command(0x17, &[1]).error_code(), 1835);
    let (id, _) = client.prepare("select ?").expect("prepare");
    let mut truncated = MyClient::execute_payload(id, &[Param::Int(5)]);
    truncated.truncate(truncated.len() - 3);
    assert_eq!(client.raw_command(0x17, &truncated).error_code(), 1835);
    // Reset of an unknown statement; close and long data have no answer.
    assert_eq!(
        client.raw_command(0x1A, &77u32.to_le_bytes()).error_code(),
        1243
    );
    client.command(0x19, &[1]);
    client.command(0x18, &[1, 2]);
    assert_eq!(client.query("select 2").text(), vec![r(&["2"])]);
}

#[test]
fn a_garbage_handshake_answer_gets_an_error_and_the_connection_closes() {
    let emu = emulator();
    // Too short to be a handshake response.
    let (mut client, _) = MyClient::open(emu.mysql_addr());
    client.send_packet(&[
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
        26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,
    ]);
    let answer = client.read_packet().expect("an answer");
    assert_eq!(answer[0], 0xFF);
    assert!(client.is_closed());
    // A client that asks for TLS.
    let (mut client, _) = MyClient::open(emu.mysql_addr());
    let mut ssl_request = (0x200u32 | 0x800 | 0x8000).to_le_bytes().to_vec();
    ssl_request.extend_from_slice(&[0u8; 28]);
    client.send_packet(&ssl_request);
    assert_eq!(client.read_packet().expect("an answer")[0], 0xFF);
    assert!(client.is_closed());
    // A client that connects and closes at once does not disturb the server.
    drop(MyClient::open(emu.mysql_addr()));
    assert_eq!(
        MyClient::connect(emu.mysql_addr()).query("select 3").text(),
        vec![r(&["3"])]
    );
}

#[test]
fn prepared_statements_bind_parameters_and_answer_in_binary() {
    let emu = emulator();
    let mut client = MyClient::connect(emu.mysql_addr());
    let (id, params) = client
        .prepare(
            "select COLUMN_NAME, ORDINAL_POSITION, COLUMN_KEY, DATA_TYPE, COLUMN_SIZE, DECIMAL_DIGITS \
             from information_schema.COLUMNS where TABLE_SCHEMA=? and TABLE_NAME=?",
        )
        .expect("prepare");
    assert_eq!(params, 2);
    let reply = client.execute(id, &[Param::Text("db".into()), Param::Text("t".into())]);
    assert_eq!(
        reply.text(),
        vec![
            r(&["id", "1", "PRI", "bigint", "19", "0"]),
            r(&["name", "2", "", "varchar", "16", "NULL"]),
            r(&["ok", "3", "", "tinyint", "NULL", "0"]),
            r(&["price", "4", "", "decimal", "10", "2"]),
            r(&["ts", "5", "", "datetime", "NULL", "NULL"]),
        ]
    );
    // ORDINAL_POSITION travels as a binary LONGLONG.
    assert_eq!(reply.column_defs()[1].field_type, 8);
    // The statement can be executed again with other values, NULL included.
    let reply = client.execute(id, &[Param::Text("db".into()), Param::Null]);
    assert!(reply.rows().is_empty());
    // Typed values in binary form.
    let (id, _) = client
        .prepare("select ? as n, 'x' as s, current_version() as v")
        .expect("prepare");
    let reply = client.execute(id, &[Param::Int(-42)]);
    assert_eq!(reply.text(), vec![r(&["-42", "x", "3.3.5-emulator"])]);
    // DDL through a prepared statement answers OK.
    let (id, params) = client
        .prepare("CREATE DATABASE IF NOT EXISTS p")
        .expect("prepare");
    assert_eq!(params, 0);
    assert!(client.execute(id, &[]).is_ok());
    // Preparing unparsable text fails at once.
    assert_eq!(
        client.prepare("select 'x").expect_err("bad").error_code(),
        1064
    );
}

#[test]
fn result_sets_announce_starrocks_column_types() {
    let emu = emulator();
    let mut client = MyClient::connect(emu.mysql_addr());
    let reply = client.query("select id, name, ok, price, ts from db.t");
    let types: Vec<(u8, u32, u8)> = reply
        .column_defs()
        .iter()
        .map(|c| (c.field_type, c.length, c.decimals))
        .collect();
    // BIGINT, VARCHAR(16) (utf8: 3 bytes a char), BOOLEAN as TINY(1), DECIMAL(10,2), DATETIME.
    assert_eq!(
        types,
        vec![
            (8, 20, 0),
            (253, 48, 0),
            (1, 1, 0),
            (246, 14, 2),
            (12, 19, 0)
        ]
    );
    assert_eq!(reply.column_defs()[1].charset, 33);
    assert_eq!(reply.column_defs()[0].charset, 63);
}

#[test]
fn session_variables_answer_driver_queries_and_remember_set() {
    let emu = emulator();
    let mut client = MyClient::connect(emu.mysql_addr());
    // What Connector/J 8 sends on connect.
    let reply = client.query(
        "/* mysql-connector-j-8.4.0 (Revision: x) */SELECT  @@session.auto_increment_increment AS auto_increment_increment, \
         @@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, \
         @@character_set_results AS character_set_results, @@character_set_server AS character_set_server, \
         @@collation_server AS collation_server, @@collation_connection AS collation_connection, \
         @@init_connect AS init_connect, @@interactive_timeout AS interactive_timeout, @@license AS license, \
         @@lower_case_table_names AS lower_case_table_names, @@max_allowed_packet AS max_allowed_packet, \
         @@net_write_timeout AS net_write_timeout, @@performance_schema AS performance_schema, \
         @@query_cache_size AS query_cache_size, @@query_cache_type AS query_cache_type, @@sql_mode AS sql_mode, \
         @@system_time_zone AS system_time_zone, @@time_zone AS time_zone, @@tx_isolation AS transaction_isolation, \
         @@wait_timeout AS wait_timeout",
    );
    assert_eq!(reply.columns()[0], "auto_increment_increment");
    assert_eq!(reply.rows()[0][0].as_deref(), Some("1"));
    assert_eq!(reply.rows()[0].len(), 21);
    client.ok("SET NAMES utf8mb4");
    client.ok("SET character_set_results = NULL");
    client.ok("SET autocommit=0");
    client.ok("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    assert_eq!(
        client
            .query("select @@autocommit, @@character_set_client, @@session.character_set_results")
            .text(),
        vec![r(&["0", "utf8mb4", "NULL"])]
    );
    assert_eq!(
        client.query("SHOW VARIABLES LIKE 'lower_case%'").text(),
        vec![r(&["lower_case_table_names", "0"])]
    );
    assert!(client.query("SHOW WARNINGS").rows().is_empty());
    assert_eq!(client.query("select @@no_such_variable").error_code(), 1193);
    // A new connection starts from the defaults.
    let mut other = MyClient::connect(emu.mysql_addr());
    assert_eq!(other.query("select @@autocommit").text(), vec![r(&["1"])]);
}

#[test]
fn shutdown_closes_open_connections() {
    let emu = emulator();
    let mut client = MyClient::connect(emu.mysql_addr());
    assert!(client.raw_command(0x0E, b"").is_ok());
    emu.shutdown();
    assert!(client.is_closed(), "the server side is gone after shutdown");
}

/// Kills the child (by its pid) when the test ends, however it ends.
struct ChildGuard(Option<std::process::Child>);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn the_binary_announces_the_mysql_address_in_its_start_line() {
    let child = Command::new(env!("CARGO_BIN_EXE_starrocks-emulator"))
        .args(["--stop-on-stdin-eof", "--starrocks-version", "3.4.1-test"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn emulator binary");
    let mut guard = ChildGuard(Some(child));
    let child = guard.0.as_mut().expect("child");
    let stdout = child.stdout.take().expect("stdout");
    let stdin = child.stdin.take().expect("stdin");
    // The line arrives on its own; a reader thread bounds the wait.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(WAIT).expect("start line");
    let json: serde_json::Value = serde_json::from_str(&line).expect("JSON start line");
    let addr: std::net::SocketAddr = json["mysql"]
        .as_str()
        .expect("mysql key")
        .parse()
        .expect("address");
    let mut client = MyClient::connect(addr);
    assert_eq!(
        client.query("select current_version()").text(),
        vec![r(&["3.4.1-test"])]
    );
    // Closing stdin stops it; a waiter thread reports the exit, bounded by WAIT.
    drop(stdin);
    let mut child = guard.0.take().expect("child");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait().ok().and_then(|s| s.code()));
    });
    let code = rx.recv_timeout(WAIT);
    if code.is_err() {
        let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
    }
    assert_eq!(code, Ok(Some(0)), "exit after stdin EOF");
}
