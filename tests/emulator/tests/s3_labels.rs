//! Spec §3 (labels): format, per-database scope, reuse after ABORTED, `Label Already Exists`
//! with `ExistingJobStatus` RUNNING / FINISHED, a UUID when no label is sent, retention.

mod common;

use common::*;
use starrocks_emulator::{EmulatorConfig, KeyModel, TableSpec};

#[test]
fn s3_1_label_format() {
    let emu = emulator();
    let ok = "a".repeat(128);
    assert_eq!(
        stream_load(be(&emu), "db", "dup", &[("label", &ok)], b"1\ta\t1\n").json()["Status"],
        "Success"
    );
    for bad in [
        "a".repeat(129),
        "dot.ted".to_string(),
        "sp ace".to_string(),
        "é".to_string(),
    ] {
        let body = stream_load(be(&emu), "db", "dup", &[("label", &bad)], b"1\ta\t1\n").json();
        assert_eq!(body["Status"], "Fail");
        assert_eq!(body["TxnId"], -1);
        assert_eq!(
            body["Message"],
            format!("Label format error. regex: ^[-\\w]{{1,128}}$, label: {bad}")
        );
    }
    let with_dash = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "flink-a_B-9")],
        b"2\tb\t2\n",
    );
    assert_eq!(with_dash.json()["Status"], "Success");
}

#[test]
fn s3_2_finished_label_is_label_already_exists_finished() {
    let emu = emulator();
    let first = stream_load(be(&emu), "db", "dup", &[("label", "same")], b"1\ta\t1\n").json();
    assert_eq!(first["Status"], "Success");
    let again = stream_load(be(&emu), "db", "dup", &[("label", "same")], b"1\ta\t1\n").json();
    assert_eq!(again["Status"], "Label Already Exists");
    assert_eq!(again["ExistingJobStatus"], "FINISHED");
    assert_eq!(again["Message"], "Label [same] has already been used.");
    assert_eq!(again["TxnId"], -1);
    assert_eq!(again["NumberTotalRows"], 0);
    // Same label on another table of the same database also conflicts.
    let other_table = stream_load(be(&emu), "db", "pk", &[("label", "same")], b"1\ta\t1\n").json();
    assert_eq!(other_table["Status"], "Label Already Exists");
    assert_eq!(rows(&emu, "dup").len(), 1);
}

#[test]
fn s3_2_label_in_flight_is_label_already_exists_running() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut first = RawClient::connect(be(&emu));
    first.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, "6", &[("label", "busy")]),
    ));
    assert_eq!(first.read_response().status, 100);
    let second = stream_load(be(&emu), "db", "dup", &[("label", "busy")], b"2\tb\t2\n").json();
    assert_eq!(second["Status"], "Label Already Exists");
    assert_eq!(second["ExistingJobStatus"], "RUNNING");
    // The first load still completes.
    first.send(b"1\ta\t1\n");
    assert_eq!(first.read_response().json()["Status"], "Success");
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "a", "1.00"])]);
}

#[test]
fn s3_2_aborted_label_is_reusable() {
    let emu = emulator();
    let failed = stream_load(be(&emu), "db", "dup", &[("label", "retry")], b"oops\n").json();
    assert_eq!(failed["Message"], "too many filtered rows");
    let first_txn = failed["TxnId"].as_i64().expect("TxnId");
    let retried = stream_load(be(&emu), "db", "dup", &[("label", "retry")], b"1\ta\t1\n").json();
    assert_eq!(retried["Status"], "Success");
    let second_txn = retried["TxnId"].as_i64().expect("TxnId");
    assert!(second_txn > first_txn);
    let info = emu.label_state("db", "retry").expect("label");
    assert_eq!(info.state, "VISIBLE");
    assert_eq!(info.txn_id, second_txn);
}

#[test]
fn s3_1_labels_are_per_database() {
    let emu = emulator();
    emu.create_database("db2");
    emu.create_table(
        TableSpec::new("db2", "dup", KeyModel::Duplicate)
            .column("id", "BIGINT", false)
            .column("name", "VARCHAR(16)", true)
            .column("price", "DECIMAL(10,2)", true),
    )
    .expect("table");
    let a = stream_load(be(&emu), "db", "dup", &[("label", "shared")], b"1\ta\t1\n").json();
    let b = stream_load(be(&emu), "db2", "dup", &[("label", "shared")], b"1\ta\t1\n").json();
    assert_eq!(a["Status"], "Success");
    assert_eq!(b["Status"], "Success");
}

#[test]
fn s3_1_missing_label_gets_a_uuid() {
    let emu = emulator();
    let body = stream_load(be(&emu), "db", "dup", &[], b"1\ta\t1\n").json();
    assert_eq!(body["Status"], "Success");
    let label = body["Label"].as_str().expect("Label").to_string();
    assert_eq!(label.len(), 36);
    assert_eq!(label.matches('-').count(), 4);
    assert_eq!(
        emu.label_state("db", &label).expect("label").state,
        "VISIBLE"
    );
}

#[test]
fn s3_3_expired_labels_become_unknown_and_reusable() {
    let emu = emulator_with(EmulatorConfig {
        label_keep_max_second: 0,
        ..EmulatorConfig::default()
    });
    let first = stream_load(be(&emu), "db", "dup", &[("label", "short")], b"1\ta\t1\n").json();
    assert_eq!(first["Status"], "Success");
    // Retention 0 s: the label expires as soon as any time has passed since it finished.
    let deadline = std::time::Instant::now() + WAIT;
    while emu.label_state("db", "short").is_some() {
        assert!(std::time::Instant::now() < deadline, "label never expired");
        std::thread::yield_now();
    }
    let again = stream_load(be(&emu), "db", "dup", &[("label", "short")], b"2\tb\t2\n").json();
    assert_eq!(again["Status"], "Success");
    assert_eq!(rows(&emu, "dup").len(), 2);
}

#[test]
fn s3_3_default_retention_keeps_labels() {
    let emu = emulator();
    stream_load(be(&emu), "db", "dup", &[("label", "kept")], b"1\ta\t1\n");
    assert_eq!(
        emu.label_state("db", "kept").expect("label").state,
        "VISIBLE"
    );
    assert_eq!(emu.labels("db").len(), 1);
}
