//! Spec §1.5: a body that does not match its `Content-Length` (shorter: the BE waits, then the
//! load fails or the connection ends early; longer: the extra bytes are no part of the body) and
//! the BE's `streaming_load_max_mb` limit, checked on the `Content-Length` header before any
//! `100 Continue` (plain Stream Load and `/api/transaction/load`).

mod common;
mod txn_client;

use common::*;
use txn_client::*;

const MIB: u64 = 1024 * 1024;

fn load_head(label: &str, len: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let auth = basic("root", "");
    let mut headers = load_headers(&auth, len, &[("label", label)]);
    headers.extend_from_slice(extra);
    head("PUT", "/api/db/dup/_stream_load", &headers)
}

/// Sets `streaming_load_max_mb` through the control API.
fn set_max_mb(emu: &starrocks_emulator::Emulator, mb: u64) {
    let body = format!(r#"{{"streaming_load_max_mb": {mb}}}"#);
    let put = control(emu, "PUT", "/control/settings", &body);
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(put.json()["streaming_load_max_mb"], mb);
}

#[test]
fn s1_5_short_body_then_client_stops_sending_fails_at_the_deadline() {
    let emu = emulator();
    let mut client = RawClient::connect(be(&emu));
    client.send(&load_head("short1", "14", &[("timeout", "1")]));
    assert_eq!(client.read_response().status, 100);
    // 6 of the 14 announced bytes; the connection stays open.
    client.send(b"1\ta\t1\n");
    let result = client.read_response().json();
    assert_eq!(result["Status"], "Fail", "{result}");
    assert_eq!(result["Message"], "timeout by txn manager");
    let info = emu.label_state("db", "short1").expect("label");
    assert_eq!(info.state, "ABORTED");
    assert!(rows(&emu, "dup").is_empty(), "a short body loads nothing");
}

#[test]
fn s1_5_short_body_then_connection_end_fails_without_rows() {
    let emu = emulator();
    let mut client = RawClient::connect(be(&emu));
    client.send(&load_head("short2", "14", &[]));
    assert_eq!(client.read_response().status, 100);
    client.send(b"1\ta\t1\n");
    client.shutdown_write();
    // The body ended early: no success, whatever is answered (the real BE drops the connection).
    if let Some(response) = client.try_read_response() {
        assert_ne!(response.json()["Status"], "Success");
    }
    let info = emu
        .wait_for_label("db", "short2", &["ABORTED", "VISIBLE"], WAIT)
        .expect("label reaches a final state");
    assert_eq!(info.state, "ABORTED");
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s1_5_bytes_beyond_content_length_are_not_loaded() {
    let emu = emulator();
    let mut client = RawClient::connect(be(&emu));
    client.send(&load_head("long1", "6", &[("Connection", "close")]));
    assert_eq!(client.read_response().status, 100);
    client.send(b"1\ta\t1\n2\tb\t2\n3\tc\t3\n");
    let result = client.read_response().json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberLoadedRows"], 1);
    assert_eq!(result["LoadBytes"], 6);
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "a", "1.00"])]);
}

#[test]
fn s1_5_streaming_load_max_mb_defaults_to_10240_and_is_a_setting() {
    let emu = emulator();
    let got = control(&emu, "GET", "/control/settings", "");
    assert_eq!(
        got.json()["streaming_load_max_mb"],
        10_240,
        "{}",
        got.text()
    );
    set_max_mb(&emu, 3);
    let library = serde_json::to_value(emu.settings()).expect("settings");
    assert_eq!(library["streaming_load_max_mb"], 3);
}

#[test]
fn s1_5_body_over_the_default_limit_fails_before_100_continue() {
    let emu = emulator();
    let declared = (10_240 * MIB + 1).to_string();
    let mut client = RawClient::connect(be(&emu));
    client.send(&load_head("huge", &declared, &[]));
    let response = client.read_response();
    assert_eq!(
        response.status, 200,
        "no 100 Continue for an oversized body"
    );
    let result = response.json();
    assert_eq!(result["Status"], "Fail");
    assert_eq!(result["TxnId"], -1);
    let message = result["Message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(&format!(
            "body size {declared} exceed limit: {}",
            10_240 * MIB
        )),
        "{message}"
    );
    assert!(client.is_closed_by_server());
    assert!(
        emu.label_state("db", "huge").is_none(),
        "no transaction begun"
    );
}

#[test]
fn s1_5_streaming_load_max_mb_setting_bounds_the_content_length() {
    let emu = emulator();
    set_max_mb(&emu, 1);
    let over = (MIB + 1).to_string();
    let mut client = RawClient::connect(be(&emu));
    client.send(&load_head("over", &over, &[]));
    let result = client.read_response().json();
    assert_eq!(result["Status"], "Fail");
    assert_eq!(result["TxnId"], -1);
    assert!(result["Message"]
        .as_str()
        .unwrap_or_default()
        .starts_with(&format!("body size {over} exceed limit: {MIB}")));
    assert!(emu.label_state("db", "over").is_none());

    // Exactly at the limit: the body is invited.
    let at = MIB.to_string();
    let mut client = RawClient::connect(be(&emu));
    client.send(&load_head("at", &at, &[]));
    assert_eq!(client.read_response().status, 100);
    client.abort();

    // Through the FE: the 307 comes first, the BE refuses the redirected request.
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(&load_head("viafe", &over, &[]));
    assert_eq!(client.read_response().status, 307);
}

#[test]
fn s1_5_transaction_load_over_streaming_load_max_mb_gets_no_100_continue() {
    let emu = emulator();
    set_max_mb(&emu, 1);
    let txn = Txn::new(&emu, "dup", "tbig");
    assert_eq!(txn.begin()["Status"], "OK");
    let auth = basic("root", "");
    let over = (MIB + 1).to_string();
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/transaction/load",
        &[
            ("Authorization", &auth),
            ("label", "tbig"),
            ("db", "db"),
            ("table", "dup"),
            ("Expect", "100-continue"),
            ("Content-Length", &over),
        ],
    ));
    let response = client.read_response();
    assert_eq!(
        response.status, 200,
        "no 100 Continue for an oversized body"
    );
    let result = response.json();
    assert_ne!(result["Status"], "OK");
    assert!(
        result["Message"]
            .as_str()
            .unwrap_or_default()
            .starts_with(&format!("body size {over} exceed limit: {MIB}")),
        "{result}"
    );
    assert!(rows(&emu, "dup").is_empty());
}
