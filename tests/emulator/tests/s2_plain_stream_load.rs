//! Spec §2 (plain Stream Load on the BE): the family-A body with every key of §2.4, BE-side auth
//! rules (§1.2), unknown database/table, header validation (§2.2: format, timeout), counters and
//! `max_filter_ratio` (§8.6), the error log (§2.6), atomicity.

mod common;

use common::*;
use starrocks_emulator::EmulatorConfig;

const ALWAYS_KEYS: &[&str] = &[
    "TxnId",
    "Label",
    "Status",
    "Message",
    "NumberTotalRows",
    "NumberLoadedRows",
    "NumberFilteredRows",
    "NumberUnselectedRows",
    "LoadBytes",
    "LoadTimeMs",
    "BeginTxnTimeMs",
    "StreamLoadPlanTimeMs",
    "ReadDataTimeMs",
    "WriteDataTimeMs",
    "CommitAndPublishTimeMs",
];

fn assert_family_a(body: &serde_json::Value) {
    for key in ALWAYS_KEYS {
        assert!(body.get(key).is_some(), "missing {key} in {body}");
    }
}

#[test]
fn s2_4_success_body_has_every_key() {
    let emu = emulator();
    let response = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "s1")],
        b"1\ta\t1\n2\tb\t2\n",
    );
    assert_eq!(
        response.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    let body = response.json();
    assert_family_a(&body);
    assert_eq!(body["Status"], "Success");
    assert_eq!(body["Message"], "OK");
    assert_eq!(body["Label"], "s1");
    assert!(body["TxnId"].as_i64().expect("TxnId") > 0);
    assert_eq!(body["NumberTotalRows"], 2);
    assert_eq!(body["NumberLoadedRows"], 2);
    assert_eq!(body["NumberFilteredRows"], 0);
    assert_eq!(body["NumberUnselectedRows"], 0);
    assert_eq!(body["LoadBytes"], 12);
    assert!(body.get("ErrorURL").is_none());
    assert!(body.get("ExistingJobStatus").is_none());
    let info = emu.label_state("db", "s1").expect("label");
    assert_eq!(info.state, "VISIBLE");
    assert_eq!(info.table, "dup");
    assert_eq!(info.txn_id, body["TxnId"].as_i64().expect("TxnId"));
}

#[test]
fn s2_4_header_failure_has_every_key_and_txn_id_minus_one() {
    let emu = emulator();
    let body = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "f1"), ("format", "parquet")],
        b"x",
    )
    .json();
    assert_family_a(&body);
    assert_eq!(body["Status"], "Fail");
    assert_eq!(body["TxnId"], -1);
    assert_eq!(body["Message"], "unknown data format, format=parquet");
    assert!(
        emu.label_state("db", "f1").is_none(),
        "no transaction was begun"
    );
}

#[test]
fn s1_2_be_missing_auth_is_200_fail() {
    let emu = emulator();
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &[
            ("Expect", "100-continue"),
            ("Content-Length", "4"),
            ("label", "a1"),
        ],
    ));
    let response = client.read_response();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["Status"], "Fail");
    assert_eq!(body["Message"], "no valid Basic authorization");
}

#[test]
fn s1_2_be_wrong_password_is_200_fail_access_denied() {
    let emu = emulator_with(EmulatorConfig {
        users: vec![("root".to_string(), "pw".to_string())],
        ..EmulatorConfig::default()
    });
    let auth = basic("root", "nope");
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, "4", &[("label", "a2")]),
    ));
    let response = client.read_response();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["Status"], "Fail");
    assert_eq!(body["TxnId"], -1);
    let message = body["Message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Access denied"), "{message}");
    assert!(!message.contains("nope"));
}

#[test]
fn s2_unknown_database_and_table() {
    let emu = emulator();
    let db = stream_load(be(&emu), "nodb", "dup", &[("label", "u1")], b"1\n").json();
    assert_eq!(db["Status"], "Fail");
    assert_eq!(db["Message"], "unknown database, database=nodb");
    let table = stream_load(be(&emu), "db", "notable", &[("label", "u2")], b"1\n").json();
    assert_eq!(table["Status"], "Fail");
    assert_eq!(table["Message"], "unknown table \"db.notable\"");
}

#[test]
fn s2_2_timeout_header_validation() {
    let emu = emulator();
    let bad = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "t1"), ("timeout", "abc")],
        b"1\n",
    )
    .json();
    assert_eq!(bad["Message"], "Invalid timeout format");
    assert_eq!(bad["TxnId"], -1);
    for value in ["0", "259201"] {
        let out = stream_load(
            be(&emu),
            "db",
            "dup",
            &[("label", "t2"), ("timeout", value)],
            b"1\n",
        )
        .json();
        assert_eq!(out["Status"], "Fail");
        assert_eq!(
            out["Message"],
            "Invalid timeout. Timeout should between 1 and 259200 seconds"
        );
    }
    let ok = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "t3"), ("timeout", "259200")],
        b"1\tx\t1\n",
    )
    .json();
    assert_eq!(ok["Status"], "Success");
}

#[test]
fn s2_2_load_timeout_aborts_a_stalled_body() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, "100", &[("label", "slow"), ("timeout", "1")]),
    ));
    assert_eq!(client.read_response().status, 100);
    client.send(b"1\ta\t1\n");
    // The rest never comes; after the 1 s deadline the BE answers Fail and aborts.
    let result = client.read_response().json();
    assert_eq!(result["Status"], "Fail");
    assert_eq!(result["Message"], "timeout by txn manager");
    let info = emu.label_state("db", "slow").expect("label");
    assert_eq!(info.state, "ABORTED");
    assert_eq!(info.reason.as_deref(), Some("timeout by txn manager"));
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s8_6_filtered_rows_fail_the_load_at_ratio_zero_with_error_url() {
    let emu = emulator();
    let body = b"1\ta\t1\nbad\tb\t2\n3\tc\n";
    let result = stream_load(be(&emu), "db", "dup", &[("label", "r0")], body).json();
    assert_family_a(&result);
    assert_eq!(result["Status"], "Fail");
    assert_eq!(result["Message"], "too many filtered rows");
    assert_eq!(result["NumberTotalRows"], 3);
    assert_eq!(result["NumberFilteredRows"], 2);
    assert_eq!(result["NumberLoadedRows"], 1);
    assert!(result["TxnId"].as_i64().expect("TxnId") > 0);
    let url = result["ErrorURL"].as_str().expect("ErrorURL").to_string();
    let be_addr = be(&emu);
    assert!(url.starts_with(&format!(
        "http://{be_addr}/api/_load_error_log?file=error_log_"
    )));
    let file = url.rsplit('=').next().expect("file");
    let parts: Vec<&str> = file.split('_').collect();
    assert_eq!(parts.len(), 4);
    assert!(parts[2].len() == 16 && parts[3].len() == 16);
    // Atomic: nothing visible, label ABORTED with the reason.
    assert!(rows(&emu, "dup").is_empty());
    let info = emu.label_state("db", "r0").expect("label");
    assert_eq!(info.state, "ABORTED");
    assert_eq!(info.reason.as_deref(), Some("too many filtered rows"));
    // The error log is served without auth.
    let log = get(be_addr, &error_url_target(&url), None);
    assert_eq!(log.status, 200);
    let text = log.text();
    assert!(
        text.contains("Value count does not match column count. Expect 3, but got 2."),
        "{text}"
    );
    assert!(text.contains("bad"), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[test]
fn s8_6_max_filter_ratio_tolerates_filtered_rows() {
    let emu = emulator();
    let body = b"1\ta\t1\nbad\tb\t2\n3\tc\t3\n4\td\t4\n";
    let result = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "r1"), ("max_filter_ratio", "0.25")],
        body,
    )
    .json();
    assert_eq!(result["Status"], "Success");
    assert_eq!(result["NumberTotalRows"], 4);
    assert_eq!(result["NumberLoadedRows"], 3);
    assert_eq!(result["NumberFilteredRows"], 1);
    assert!(
        result["ErrorURL"].is_string(),
        "ErrorURL present on success with filtered rows"
    );
    assert_eq!(rows(&emu, "dup").len(), 3);
    // Just above the ratio fails.
    let over = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "r2"), ("max_filter_ratio", "0.24")],
        body,
    )
    .json();
    assert_eq!(over["Message"], "too many filtered rows");
    assert_eq!(rows(&emu, "dup").len(), 3);
}

#[test]
fn s2_3_empty_body_succeeds_with_zero_rows() {
    let emu = emulator();
    let result = stream_load(be(&emu), "db", "dup", &[("label", "e0")], b"").json();
    assert_eq!(result["Status"], "Success");
    assert_eq!(result["NumberTotalRows"], 0);
}

#[test]
fn s2_1_percent_encoded_db_and_table_names() {
    let emu = emulator();
    let result = stream_load(be(&emu), "d%62", "d%75p", &[("label", "pe")], b"1\ta\t1\n").json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(rows(&emu, "dup").len(), 1);
}

#[test]
fn s2_unsupported_features_fail_clearly() {
    let emu = emulator();
    let result = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "w1"), ("partitions", "p1")],
        b"1\ta\t1\n",
    )
    .json();
    assert_eq!(result["Status"], "Fail");
    assert!(result["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("not supported by the emulator"));
    let partial = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "w2"), ("partial_update", "true")],
        b"1\n",
    )
    .json();
    assert_eq!(
        partial["Message"],
        "Only primary key table support partial update"
    );
}

#[test]
fn s2_stats_count_loads_rows_and_bytes() {
    let emu = emulator();
    stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "st1")],
        b"1\ta\t1\n2\tb\t2\n",
    );
    stream_load(be(&emu), "db", "dup", &[("label", "st2")], b"x\n");
    let stats = emu.stats();
    assert_eq!(stats.loads, 2);
    assert_eq!(stats.loads_succeeded, 1);
    assert_eq!(stats.loads_failed, 1);
    assert_eq!(stats.rows_loaded, 2);
    assert_eq!(stats.rows_filtered, 1);
    assert_eq!(stats.bytes_received, 14);
    let requests = emu.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].node, "be0");
    assert_eq!(requests[0].label.as_deref(), Some("st1"));
    assert_eq!(requests[0].result.as_deref(), Some("Success"));
    assert_eq!(requests[1].result.as_deref(), Some("Fail"));
}

#[test]
fn s2_discard_mode_counts_without_storing() {
    let emu = emulator_with(EmulatorConfig {
        discard: true,
        ..EmulatorConfig::default()
    });
    let result = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "d1")],
        b"1\ta\t1\n2\tb\t2\n",
    )
    .json();
    assert_eq!(result["Status"], "Success");
    assert_eq!(result["NumberLoadedRows"], 2);
    assert!(rows(&emu, "dup").is_empty());
    assert_eq!(emu.label_state("db", "d1").expect("label").state, "VISIBLE");
    assert_eq!(emu.stats().rows_loaded, 2);
}
