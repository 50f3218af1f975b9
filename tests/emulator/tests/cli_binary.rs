//! The `starrocks-emulator` binary: `--help`, the single JSON line on stdout, pre-created
//! databases/tables, exit on stdin EOF (`--stop-on-stdin-eof`) and on SIGTERM, exit code 0.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_starrocks-emulator");

/// Waits for the child to exit within the test wait (event-driven), killing it otherwise.
fn wait_exit(mut child: Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    match rx.recv_timeout(WAIT) {
        Ok(status) => status.expect("wait"),
        Err(_) => {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            panic!("emulator did not exit in time");
        }
    }
}

fn first_line(child: &mut Child) -> serde_json::Value {
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(WAIT).expect("JSON line on stdout");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"))
}

#[test]
fn help_prints_usage() {
    let output = Command::new(BIN).arg("--help").output().expect("run");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--fe-http-port",
        "--be-count",
        "--stop-on-stdin-eof",
        "--user",
        "--table",
    ] {
        assert!(text.contains(flag), "{flag} missing from usage");
    }
    let bad = Command::new(BIN).arg("--bogus").output().expect("run");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn prints_one_json_line_and_exits_on_stdin_eof() {
    let table = r#"{"database":"d","table":"t","columns":[{"name":"id","type":"INT"}]}"#;
    let mut child = Command::new(BIN)
        .args([
            "--be-count",
            "2",
            "--stop-on-stdin-eof",
            "--database",
            "extra",
            "--table",
            table,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let line = first_line(&mut child);
    let fe: std::net::SocketAddr = line["fe_http"]
        .as_str()
        .expect("fe_http")
        .parse()
        .expect("addr");
    let bes = line["be_http"].as_array().expect("be_http");
    assert_eq!(bes.len(), 2);
    let be: std::net::SocketAddr = bes[1].as_str().expect("be").parse().expect("addr");
    let control: std::net::SocketAddr = line["control"]
        .as_str()
        .expect("control")
        .parse()
        .expect("addr");
    assert_eq!(get(fe, "/api/health", None).json()["total_backend_num"], 2);
    let load = stream_load(be, "d", "t", &[("label", "x")], b"5\n").json();
    assert_eq!(load["Status"], "Success");
    let rows = get(control, "/control/tables/d/t/rows", None).json();
    assert_eq!(rows["rows"], serde_json::json!([["5"]]));
    let dbs = get(control, "/control/databases", None).json();
    assert_eq!(dbs["databases"], serde_json::json!(["d", "extra"]));
    drop(child.stdin.take());
    assert!(wait_exit(child).success());
}

#[test]
fn exits_zero_on_sigterm() {
    let mut child = Command::new(BIN)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let line = first_line(&mut child);
    assert!(line["fe_http"].is_string());
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = wait_exit(child);
    assert_eq!(status.code(), Some(0));
}
