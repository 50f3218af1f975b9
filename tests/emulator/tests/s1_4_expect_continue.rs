//! Spec §1.4 and §2.3 on the BE: `100 Continue` only after header validation succeeded; a
//! header-phase failure is the final 200 family-A answer, sent without `100 Continue` and without
//! reading the body, then the connection closes; a request without `Expect` has its body read
//! directly.

mod common;

use common::*;

#[test]
fn s1_4_continue_is_sent_after_header_validation_then_body_is_read() {
    let emu = emulator();
    let auth = basic("root", "");
    let body = b"1\ta\t2.5\n2\tb\t\\N\n";
    let len = body.len().to_string();
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, &len, &[("label", "c1")]),
    ));
    let interim = client.read_response();
    assert_eq!(interim.status, 100);
    // The transaction is open (PREPARE) while the body is awaited.
    assert_eq!(emu.label_state("db", "c1").expect("label").state, "PREPARE");
    client.send(body);
    let result = client.read_response();
    assert_eq!(result.status, 200);
    assert_eq!(result.json()["Status"], "Success");
    assert_eq!(
        rows(&emu, "dup"),
        vec![r(&["1", "a", "2.50"]), r(&["2", "b", "NULL"])]
    );
}

fn assert_header_phase_failure(
    extra: &[(&str, &str)],
    with_auth: bool,
    path: &str,
) -> serde_json::Value {
    let emu = emulator();
    let auth = basic("root", "");
    let mut headers: Vec<(&str, &str)> =
        vec![("Expect", "100-continue"), ("Content-Length", "1000000")];
    if with_auth {
        headers.push(("Authorization", &auth));
    }
    headers.extend_from_slice(extra);
    let mut client = RawClient::connect(be(&emu));
    client.send(&head("PUT", path, &headers));
    // The first response is the final one: no 100 Continue, body never requested.
    let response = client.read_response();
    assert_eq!(response.status, 200, "{}", response.text());
    let body = response.json();
    assert_ne!(body["Status"], "Success");
    assert!(
        client.is_closed_by_server(),
        "the BE closes after a header-phase failure"
    );
    assert!(emu.rows("db", "dup").expect("rows").is_empty());
    body
}

#[test]
fn s1_4_header_failure_bad_label_gets_no_continue() {
    let body =
        assert_header_phase_failure(&[("label", "bad label!")], true, "/api/db/dup/_stream_load");
    assert_eq!(body["Status"], "Fail");
    assert_eq!(body["TxnId"], -1);
    assert_eq!(
        body["Message"],
        "Label format error. regex: ^[-\\w]{1,128}$, label: bad label!"
    );
}

#[test]
fn s1_4_header_failure_missing_auth_gets_no_continue() {
    let body = assert_header_phase_failure(&[("label", "x")], false, "/api/db/dup/_stream_load");
    assert_eq!(body["Status"], "Fail");
    assert_eq!(body["Message"], "no valid Basic authorization");
}

#[test]
fn s1_4_header_failure_unknown_table_gets_no_continue() {
    let body = assert_header_phase_failure(&[("label", "x")], true, "/api/db/nope/_stream_load");
    assert_eq!(body["Status"], "Fail");
    assert_eq!(body["Message"], "unknown table \"db.nope\"");
}

#[test]
fn s1_4_plan_failure_after_begin_rolls_back_and_gets_no_continue() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, "1000", &[("label", "p1"), ("strict_mode", "maybe")]),
    ));
    let response = client.read_response();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["Status"], "Fail");
    assert_eq!(
        body["Message"],
        "Invalid strict mode format. Must be bool type"
    );
    // A transaction had begun: its id is reported and it is rolled back.
    let txn_id = body["TxnId"].as_i64().expect("TxnId");
    assert!(txn_id > 0);
    let state = emu.label_state("db", "p1").expect("label");
    assert_eq!(state.state, "ABORTED");
    assert_eq!(state.txn_id, txn_id);
    assert_eq!(
        state.reason.as_deref(),
        Some("Invalid strict mode format. Must be bool type")
    );
    assert!(client.is_closed_by_server());
}

#[test]
fn s1_4_request_without_expect_has_its_body_read_directly() {
    let emu = emulator();
    let auth = basic("root", "");
    let body = b"7\tz\t0.01\n";
    let len = body.len().to_string();
    let mut request = head(
        "PUT",
        "/api/db/dup/_stream_load",
        &[
            ("Authorization", &auth),
            ("Content-Length", &len),
            ("label", "noexpect"),
        ],
    );
    request.extend_from_slice(body);
    let mut client = RawClient::connect(be(&emu));
    client.send(&request);
    let response = client.read_response();
    assert_eq!(response.status, 200, "no interim 100 without Expect");
    assert_eq!(response.json()["Status"], "Success");
    assert_eq!(rows(&emu, "dup"), vec![r(&["7", "z", "0.01"])]);
}

#[test]
fn s1_4_keep_alive_after_a_successful_load() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(be(&emu));
    for (i, label) in ["k1", "k2"].iter().enumerate() {
        let body = format!("{i}\tx\t1\n");
        let len = body.len().to_string();
        client.send(&head(
            "PUT",
            "/api/db/dup/_stream_load",
            &load_headers(&auth, &len, &[("label", label)]),
        ));
        assert_eq!(client.read_response().status, 100);
        client.send(body.as_bytes());
        assert_eq!(client.read_response().json()["Status"], "Success");
    }
    assert_eq!(rows(&emu, "dup").len(), 2);
}
