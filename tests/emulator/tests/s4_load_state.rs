//! Spec §4 (`GET /api/{db}/get_load_state?label=` on the FE): family D envelope, the states a
//! plain load goes through (UNKNOWN, PREPARE, VISIBLE, ABORTED with `reason`), errors, auth.
//! Also §6.6 `_cancel` aborting a load in flight.

mod common;

use common::*;

fn load_state(emu: &starrocks_emulator::Emulator, db: &str, label: &str) -> serde_json::Value {
    let auth = basic("root", "");
    let response = get(
        emu.fe_http_addr(),
        &format!("/api/{db}/get_load_state?label={label}"),
        Some(&auth),
    );
    assert_eq!(response.status, 200);
    response.json()
}

#[test]
fn s4_2_states_of_a_plain_load() {
    let emu = emulator();
    let unknown = load_state(&emu, "db", "l1");
    assert_eq!(unknown["state"], "UNKNOWN");
    assert_eq!(unknown["status"], "OK");
    assert_eq!(unknown["code"], "0");
    assert_eq!(unknown["msg"], "Success");
    assert_eq!(unknown["message"], "OK");
    assert!(unknown.get("reason").is_none());

    let auth = basic("root", "");
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, "6", &[("label", "l1")]),
    ));
    assert_eq!(client.read_response().status, 100);
    assert_eq!(load_state(&emu, "db", "l1")["state"], "PREPARE");
    client.send(b"1\ta\t1\n");
    assert_eq!(client.read_response().json()["Status"], "Success");
    assert_eq!(load_state(&emu, "db", "l1")["state"], "VISIBLE");

    stream_load(be(&emu), "db", "dup", &[("label", "l2")], b"broken\n");
    let aborted = load_state(&emu, "db", "l2");
    assert_eq!(aborted["state"], "ABORTED");
    assert_eq!(aborted["reason"], "too many filtered rows");
}

#[test]
fn s4_2_errors_are_family_d_failed() {
    let emu = emulator();
    let auth = basic("root", "");
    let no_label = get(emu.fe_http_addr(), "/api/db/get_load_state", Some(&auth)).json();
    assert_eq!(no_label["status"], "FAILED");
    assert_eq!(no_label["code"], "1");
    assert_eq!(no_label["msg"], "No label selected.");
    assert!(no_label.get("state").is_none());
    let unknown_db = load_state(&emu, "nodb", "x");
    assert_eq!(unknown_db["status"], "FAILED");
    assert_eq!(unknown_db["msg"], "unknown database, database=nodb");
    let unauth = get(emu.fe_http_addr(), "/api/db/get_load_state?label=x", None);
    assert_eq!(unauth.status, 401);
}

#[test]
fn s6_6_cancel_aborts_a_load_in_flight() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, "6", &[("label", "cx")]),
    ));
    assert_eq!(client.read_response().status, 100);
    let mut fe = RawClient::connect(emu.fe_http_addr());
    fe.send(&head(
        "POST",
        "/api/db/dup/_cancel?label=cx",
        &[("Authorization", &auth), ("Content-Length", "0")],
    ));
    let cancel = fe.read_response().json();
    assert_eq!(cancel["status"], "OK");
    let info = emu.label_state("db", "cx").expect("label");
    assert_eq!(info.state, "ABORTED");
    assert_eq!(info.reason.as_deref(), Some("user cancel"));
    // The body arrives after the cancel: the load fails, nothing becomes visible.
    client.send(b"1\ta\t1\n");
    let result = client.read_response().json();
    assert_eq!(result["Status"], "Fail");
    assert!(rows(&emu, "dup").is_empty());
    // Cancelling a finished load fails.
    stream_load(be(&emu), "db", "dup", &[("label", "done")], b"1\ta\t1\n");
    let mut fe = RawClient::connect(emu.fe_http_addr());
    fe.send(&head(
        "POST",
        "/api/db/done/_cancel",
        &[("Authorization", &auth)],
    ));
    let refused = fe.read_response().json();
    assert_eq!(refused["status"], "FAILED");
}
