//! Spec §7 (faults): every fault action the emulator can inject, through the library API and the
//! control API (`/control/faults`, `/control/backends`, `/control/settings`), with the wire
//! behaviour of the spec's table (F2, F3, F4, F6, F7, F8, F9, F11, F13, F16, F18, F20, F22).

mod common;
mod txn_client;

use std::time::{Duration, Instant};

use common::*;
use starrocks_emulator::{DelayPoint, FaultAction, FaultRule, NodeMatch, Operation, Settings};
use txn_client::*;

const BODY: &[u8] = b"1\ta\t1\n";

/// A plain Stream Load through the FE, following the 307 (`None`: connection closed/reset).
fn load_via_fe(emu: &starrocks_emulator::Emulator, label: &str) -> Option<RawResponse> {
    let auth = basic("root", "");
    let headers = [("Authorization", auth.as_str()), ("label", label)];
    let first = try_request(
        emu.fe_http_addr(),
        "PUT",
        "/api/db/dup/_stream_load",
        &headers,
        Some(BODY),
    )?;
    if first.status != 307 {
        return Some(first);
    }
    let location = first.header("Location")?.to_string();
    let rest = location.strip_prefix("http://")?;
    let slash = rest.find('/')?;
    let addr: std::net::SocketAddr = rest[..slash].parse().ok()?;
    if std::net::TcpStream::connect_timeout(&addr, WAIT).is_err() {
        return None;
    }
    try_request(addr, "PUT", &rest[slash..], &headers, Some(BODY))
}

fn state(emu: &starrocks_emulator::Emulator, label: &str) -> String {
    emu.label_state("db", label)
        .map_or("UNKNOWN".to_string(), |i| i.state)
}

#[test]
fn f6_http_error_status_with_body() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::HttpError {
            status: 503,
            body: "proxy says no".into(),
        })
        .node(NodeMatch::Fe)
        .op(Operation::StreamLoad)
        .times(1),
    )
    .expect("rule");
    let first = load_via_fe(&emu, "h1").expect("a response");
    assert_eq!(first.status, 503);
    assert_eq!(first.text(), "proxy says no");
    assert_eq!(
        load_via_fe(&emu, "h1").expect("ok").json()["Status"],
        "Success"
    );
}

#[test]
fn f9_failure_after_the_body_aborts_and_the_label_is_reusable() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::preset("too_many_versions"))
            .node(NodeMatch::Be)
            .op(Operation::StreamLoad)
            .label("^v-")
            .nth(1),
    )
    .expect("rule");
    let failed = stream_load(be(&emu), "db", "dup", &[("label", "v-1")], BODY).json();
    assert_eq!(failed["Status"], "Fail");
    assert!(failed["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("too many versions"));
    assert!(failed["TxnId"].as_i64().unwrap_or(-1) > 0);
    assert_eq!(state(&emu, "v-1"), "ABORTED");
    let retry = stream_load(be(&emu), "db", "dup", &[("label", "v-1")], BODY).json();
    assert_eq!(retry["Status"], "Success");
    assert_eq!(rows(&emu, "dup").len(), 1);
}

#[test]
fn f7_f3_header_phase_failures_in_families_a_and_c() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::preset("concurrency_limit"))
            .node(NodeMatch::Be)
            .times(1),
    )
    .expect("rule");
    let busy = stream_load(be(&emu), "db", "dup", &[("label", "c-1")], BODY).json();
    assert_eq!(busy["Status"], "Fail");
    assert_eq!(busy["TxnId"], -1);
    assert!(busy["Message"]
        .as_str()
        .unwrap_or_default()
        .starts_with("Stream Load exceed http cuncurrent limit"));
    assert_eq!(state(&emu, "c-1"), "UNKNOWN");
    emu.clear_faults();
    emu.add_fault(
        FaultRule::new(FaultAction::preset("no_backend_alive"))
            .node(NodeMatch::Fe)
            .op(Operation::StreamLoad),
    )
    .expect("rule");
    let none = load_via_fe(&emu, "c-2").expect("answer").json();
    assert_eq!(none["Status"], "FAILED");
    assert_eq!(
        none["Message"],
        "class com.starrocks.common.DdlException: No backend alive."
    );
}

#[test]
fn f11_failure_of_a_transaction_commit_in_family_b() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::preset("mem_limit"))
            .node(NodeMatch::Be)
            .op(Operation::Prepare),
    )
    .expect("rule");
    let t = Txn::new(&emu, "dup", "m-1");
    t.begin();
    t.load(BODY);
    let prepared = t.prepare();
    assert_eq!(prepared["Status"], "MEM_LIMIT_EXCEEDED");
    assert_eq!(t.state(), "ABORTED");
}

#[test]
fn f4_delays_before_continue_and_before_the_fe_answer() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::Delay {
            ms: 300,
            before: DelayPoint::Continue,
        })
        .node(NodeMatch::Be),
    )
    .expect("rule");
    let started = Instant::now();
    let result = stream_load(be(&emu), "db", "dup", &[("label", "d-1")], BODY).json();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(result["Status"], "Success");
    emu.clear_faults();
    emu.add_fault(
        FaultRule::new(FaultAction::Delay {
            ms: 300,
            before: DelayPoint::Response,
        })
        .node(NodeMatch::Fe),
    )
    .expect("rule");
    let started = Instant::now();
    let redirect = request(
        emu.fe_http_addr(),
        "PUT",
        "/api/db/dup/_stream_load",
        &[("Authorization", &basic("root", ""))],
        Some(BODY),
    );
    assert_eq!(redirect.status, 307);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn f1_drop_before_applying_leaves_no_trace() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::DropBefore)
            .node(NodeMatch::Be)
            .times(1),
    )
    .expect("rule");
    let auth = basic("root", "");
    let dropped = try_request(
        be(&emu),
        "PUT",
        "/api/db/dup/_stream_load",
        &[("Authorization", auth.as_str()), ("label", "x-1")],
        Some(BODY),
    );
    assert!(dropped.is_none());
    assert_eq!(state(&emu, "x-1"), "UNKNOWN");
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn f18_drop_after_applying_loses_only_the_answer() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::DropAfter)
            .node(NodeMatch::Be)
            .op(Operation::StreamLoad)
            .times(1),
    )
    .expect("rule");
    let auth = basic("root", "");
    let lost = try_request(
        be(&emu),
        "PUT",
        "/api/db/dup/_stream_load",
        &[("Authorization", auth.as_str()), ("label", "a-1")],
        Some(BODY),
    );
    assert!(lost.is_none());
    assert_eq!(state(&emu, "a-1"), "VISIBLE");
    let retry = stream_load(be(&emu), "db", "dup", &[("label", "a-1")], BODY).json();
    assert_eq!(retry["Status"], "Label Already Exists");
    assert_eq!(retry["ExistingJobStatus"], "FINISHED");
    assert_eq!(rows(&emu, "dup").len(), 1);

    // The same on the FE's commit of a PREPARED transaction.
    emu.add_fault(
        FaultRule::new(FaultAction::DropAfter)
            .node(NodeMatch::Fe)
            .op(Operation::Commit)
            .times(1),
    )
    .expect("rule");
    let t = Txn::new(&emu, "dup", "a-2");
    t.begin();
    t.load(BODY);
    t.prepare();
    let headers = [
        ("Authorization", auth.as_str()),
        ("label", "a-2"),
        ("db", "db"),
    ];
    let lost = try_request(
        emu.fe_http_addr(),
        "POST",
        "/api/transaction/commit",
        &headers,
        None,
    );
    assert!(lost.is_none());
    assert_eq!(t.state(), "VISIBLE");
    assert!(t.commit()["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("has already committed"));
}

#[test]
fn f16_reset_mid_body_aborts_the_load() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::ResetMidBody { after_bytes: 1000 })
            .node(NodeMatch::Be)
            .op(Operation::StreamLoad),
    )
    .expect("rule");
    let body = b"1\ta\t1\n".repeat(10_000);
    let auth = basic("root", "");
    let len = body.len().to_string();
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, &len, &[("label", "r-1")]),
    ));
    assert_eq!(client.read_response().status, 100);
    let _ = client.try_send(&body);
    assert!(client.try_read_response().is_none());
    let info = emu
        .wait_for_label("db", "r-1", &["ABORTED"], WAIT)
        .expect("aborted");
    assert_eq!(info.reason.as_deref(), Some("Cancelled"));
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn f20_lose_context_on_the_be() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::LoseContext)
            .node(NodeMatch::Be)
            .op(Operation::Prepare)
            .label("^lc-"),
    )
    .expect("rule");
    let t = Txn::new(&emu, "dup", "lc-1");
    t.begin();
    t.load(BODY);
    let prepared = t.prepare();
    assert_eq!(prepared["Status"], "TXN_NOT_EXISTS");
    assert_eq!(t.state(), "PREPARE");
    // The library and control API forms.
    let u = Txn::new(&emu, "dup", "other-1");
    u.begin();
    assert_eq!(emu.lose_txn_context("other-1"), 1);
    assert_eq!(u.load(BODY)["Status"], "TXN_NOT_EXISTS");
    let w = Txn::new(&emu, "dup", "other-2");
    w.begin();
    let restarted = control(&emu, "POST", "/control/backends/0/restart", "");
    assert_eq!(restarted.json()["contexts_lost"], 1);
    assert_eq!(w.load(BODY)["Status"], "TXN_NOT_EXISTS");
}

#[test]
fn f13_publish_timeout_and_publish_delay() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::PublishTimeout {
            visible_after_ms: 300,
        })
        .node(NodeMatch::Fe)
        .op(Operation::Commit),
    )
    .expect("rule");
    let t = Txn::new(&emu, "dup", "p-1");
    t.begin();
    t.load(BODY);
    t.prepare();
    let commit = t.commit();
    assert_eq!(commit["Status"], "FAILED");
    assert_eq!(
        commit["Message"],
        "class com.starrocks.common.StarRocksException: publish timeout: 20000"
    );
    assert_eq!(t.state(), "COMMITTED");
    emu.wait_for_label("db", "p-1", &["VISIBLE"], WAIT)
        .expect("visible later");
    emu.clear_faults();

    emu.add_fault(
        FaultRule::new(FaultAction::PublishTimeout {
            visible_after_ms: 300,
        })
        .node(NodeMatch::Be)
        .op(Operation::StreamLoad),
    )
    .expect("rule");
    let plain = stream_load(be(&emu), "db", "dup", &[("label", "p-2")], BODY).json();
    assert_eq!(plain["Status"], "Publish Timeout");
    emu.wait_for_label("db", "p-2", &["VISIBLE"], WAIT)
        .expect("visible later");
    emu.clear_faults();

    emu.add_fault(
        FaultRule::new(FaultAction::PublishDelay { ms: 300 })
            .node(NodeMatch::Be)
            .op(Operation::Commit),
    )
    .expect("rule");
    let u = Txn::new(&emu, "dup", "p-3");
    u.begin();
    u.load(BODY);
    let started = Instant::now();
    assert_eq!(u.commit()["Status"], "OK");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(rows(&emu, "dup").len(), 3);
}

#[test]
fn f2_be_down_after_the_redirect() {
    let emu = emulator();
    emu.add_fault(
        FaultRule::new(FaultAction::BeDown { for_ms: None })
            .node(NodeMatch::Fe)
            .op(Operation::StreamLoad)
            .times(1),
    )
    .expect("rule");
    assert!(load_via_fe(&emu, "b-1").is_none(), "the BE refuses");
    assert_eq!(state(&emu, "b-1"), "UNKNOWN");
    let up = control(&emu, "POST", "/control/backends/0/up", "");
    assert_eq!(up.status, 200);
    assert_eq!(
        load_via_fe(&emu, "b-1").expect("up").json()["Status"],
        "Success"
    );
    emu.set_be_down(0, true).expect("down");
    assert!(std::net::TcpStream::connect_timeout(&be(&emu), WAIT).is_err());
    let backends = control(&emu, "GET", "/control/backends", "").json();
    assert_eq!(backends[0]["down"], true);
    emu.set_be_down(0, false).expect("up");
    assert_eq!(
        stream_load(be(&emu), "db", "dup", &[("label", "b-2")], BODY).json()["Status"],
        "Success"
    );
}

#[test]
fn f7_f8_limits_from_settings() {
    let emu = emulator();
    control(
        &emu,
        "PUT",
        "/control/settings",
        r#"{"be_concurrency_limit":1,"max_running_txn_num_per_db":1}"#,
    );
    let auth = basic("root", "");
    let mut first = RawClient::connect(be(&emu));
    first.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, "6", &[("label", "l-1")]),
    ));
    assert_eq!(first.read_response().status, 100);
    let second = stream_load(be(&emu), "db", "dup", &[("label", "l-2")], BODY).json();
    assert_eq!(
        second["Message"],
        "Stream Load exceed http cuncurrent limit 1, please try again later"
    );
    first.send(BODY);
    assert_eq!(first.read_response().json()["Status"], "Success");
    let t = Txn::new(&emu, "dup", "l-3");
    t.begin();
    let quota = Txn::new(&emu, "dup", "l-4").begin();
    assert_eq!(quota["Status"], "INTERNAL_ERROR");
    assert!(quota["Message"]
        .as_str()
        .unwrap_or_default()
        .starts_with("current running txns on db"));
    emu.set_settings(Settings::default());
    assert_eq!(Txn::new(&emu, "dup", "l-4").begin()["Status"], "OK");
}

#[test]
fn s7_control_api_rules_with_counters() {
    let emu = emulator();
    let added = control(
        &emu,
        "POST",
        "/control/faults",
        r#"{"node":"be","op":"stream_load","table":"dup","every":2,"times":1,
            "action":{"type":"fail","message":"injected","status":"Fail"}}"#,
    );
    assert_eq!(added.status, 200, "{}", added.text());
    let id = added.json()["id"].as_u64().expect("id");
    let results: Vec<String> = (0..4)
        .map(|i| {
            stream_load(be(&emu), "db", "dup", &[("label", &format!("k-{i}"))], BODY).json()
                ["Message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(results, vec!["OK", "injected", "OK", "OK"]);
    let listed = control(&emu, "GET", "/control/faults", "").json();
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["seen"], 4);
    assert_eq!(listed[0]["fired"], 1);
    let bad = control(
        &emu,
        "POST",
        "/control/faults",
        r#"{"action":{"type":"nope"}}"#,
    );
    assert_eq!(bad.status, 400);
    assert_eq!(
        control(&emu, "DELETE", &format!("/control/faults/{id}"), "").status,
        200
    );
    assert_eq!(control(&emu, "DELETE", "/control/faults", "").status, 200);
    assert_eq!(
        control(&emu, "GET", "/control/faults", "").json(),
        serde_json::json!([])
    );
}
