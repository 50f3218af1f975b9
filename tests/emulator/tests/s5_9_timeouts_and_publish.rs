//! Spec §5.9 (timeouts and background aborts) and the publish step of §4.3/§5.7/§2.4:
//! transaction timeout, idle timeout, prepared timeout, COMMITTED before VISIBLE with a publish
//! delay, `publish timeout: <ms>` from the FE commit and `Publish Timeout` from a plain load.
//! Waits are event-driven (`wait_for_label`) and bounded.

mod common;
mod txn_client;

use common::*;
use starrocks_emulator::Settings;
use txn_client::*;

const EXC: &str = "class com.starrocks.common.StarRocksException: ";

#[test]
fn s5_9_transaction_timeout_aborts_and_drops_the_context() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-timeout");
    assert_eq!(t.op("begin", &[("timeout", "1")], None)["Status"], "OK");
    t.load(b"1\ta\t1\n");
    let info = emu
        .wait_for_label("db", "t-timeout", &["ABORTED"], WAIT)
        .expect("aborted by the timeout");
    assert_eq!(info.reason.as_deref(), Some("timeout by txn manager"));
    assert_eq!(t.load(b"2\tb\t2\n")["Status"], "TXN_NOT_EXISTS");
    let id = info.txn_id;
    assert_eq!(
        t.commit()["Message"],
        format!("{EXC}Can not commit ABORTED transaction {id}, label is t-timeout")
    );
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s5_9_idle_timeout_aborts_a_transaction_without_data() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-idle");
    t.op("begin", &[("idle_transaction_timeout", "1")], None);
    t.load(b"1\ta\t1\n");
    let info = emu
        .wait_for_label("db", "t-idle", &["ABORTED"], WAIT)
        .expect("aborted by the idle timeout");
    assert_eq!(
        info.reason.as_deref(),
        Some("transaction is aborted by idle timeout 1 seconds.")
    );
    assert_eq!(t.prepare()["Status"], "TXN_NOT_EXISTS");
}

#[test]
fn s5_9_prepared_timeout_aborts_a_prepared_transaction() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-prepared");
    t.begin();
    t.load(b"1\ta\t1\n");
    let bad = t.op("prepare", &[("prepared_timeout", "soon")], None);
    assert_eq!(bad["Status"], "INVALID_ARGUMENT");
    assert_eq!(bad["Message"], "Invalid prepared_timeout: soon");
    assert_eq!(
        t.op("prepare", &[("prepared_timeout", "1")], None)["Status"],
        "OK"
    );
    assert_eq!(t.state(), "PREPARED");
    emu.wait_for_label("db", "t-prepared", &["ABORTED"], WAIT)
        .expect("aborted by the prepared timeout");
    assert_eq!(t.commit()["Status"], "FAILED");
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s5_7_publish_delay_then_publish_timeout_from_the_fe() {
    let emu = emulator();
    emu.set_settings(Settings {
        publish_delay_ms: 1500,
        ..Settings::default()
    });
    let t = Txn::new(&emu, "dup", "t-publish");
    t.begin();
    t.load(b"1\ta\t1\n");
    t.prepare();
    let commit = t.op("commit", &[("timeout", "1")], None);
    assert_eq!(commit["Status"], "FAILED");
    assert_eq!(commit["Message"], format!("{EXC}publish timeout: 1000"));
    assert_eq!(t.state(), "COMMITTED");
    assert!(rows(&emu, "dup").is_empty(), "COMMITTED is not visible yet");
    // A replayed commit is idempotent while COMMITTED.
    assert_eq!(t.commit()["Status"], "OK");
    emu.wait_for_label("db", "t-publish", &["VISIBLE"], WAIT)
        .expect("published after the delay");
    assert_eq!(rows(&emu, "dup").len(), 1);
}

#[test]
fn s5_7_commit_waits_for_a_short_publish_delay() {
    let emu = emulator();
    emu.set_settings(Settings {
        publish_delay_ms: 200,
        ..Settings::default()
    });
    let t = Txn::new(&emu, "dup", "t-wait");
    t.begin();
    t.load(b"1\ta\t1\n");
    t.prepare();
    assert_eq!(t.commit()["Status"], "OK");
    assert_eq!(t.state(), "VISIBLE");
    assert_eq!(rows(&emu, "dup").len(), 1);
}

#[test]
fn s2_4_plain_load_answers_publish_timeout_and_becomes_visible_later() {
    let emu = emulator();
    emu.set_settings(Settings {
        publish_delay_ms: 1500,
        ..Settings::default()
    });
    let result = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "p-late"), ("timeout", "1")],
        b"1\ta\t1\n",
    )
    .json();
    assert_eq!(result["Status"], "Publish Timeout");
    assert_eq!(result["NumberLoadedRows"], 1);
    assert_eq!(
        emu.label_state("db", "p-late").map(|i| i.state),
        Some("COMMITTED".into())
    );
    // Same label again: the data is committed, the label is FINISHED.
    let again = stream_load(be(&emu), "db", "dup", &[("label", "p-late")], b"1\ta\t1\n").json();
    assert_eq!(again["ExistingJobStatus"], "FINISHED");
    emu.wait_for_label("db", "p-late", &["VISIBLE"], WAIT)
        .expect("visible after the delay");
    assert_eq!(rows(&emu, "dup").len(), 1);
}

#[test]
fn s4_3_forced_abort_and_publish_through_the_control_api() {
    let emu = emulator();
    emu.set_settings(Settings {
        publish_delay_ms: 60_000,
        ..Settings::default()
    });
    let t = Txn::new(&emu, "dup", "t-force");
    t.begin();
    t.load(b"1\ta\t1\n");
    t.prepare();
    let commit = t.op("commit", &[("timeout", "1")], None);
    assert_eq!(commit["Status"], "FAILED");
    let publish = control(&emu, "POST", "/control/labels/db/t-force/publish", "");
    assert_eq!(publish.status, 200);
    assert_eq!(t.state(), "VISIBLE");
    assert!(
        emu.abort_label("db", "t-force", "x").is_err(),
        "VISIBLE cannot abort"
    );

    let u = Txn::new(&emu, "dup", "t-force2");
    u.begin();
    let abort = control(
        &emu,
        "POST",
        "/control/labels/db/t-force2/abort",
        r#"{"reason":"forced by test"}"#,
    );
    assert_eq!(abort.status, 200, "{}", abort.text());
    let info = emu.label_state("db", "t-force2").expect("label");
    assert_eq!(info.state, "ABORTED");
    assert_eq!(info.reason.as_deref(), Some("forced by test"));
    assert_eq!(u.load(b"1\ta\t1\n")["Status"], "TXN_NOT_EXISTS");
}
