//! Spec §6.7, schema changes as StarRocks runs them: an `ALTER TABLE` ADD/DROP/MODIFY COLUMN is a
//! job that waits for the loads on its table that began before it (`WAITING_TXN`), runs
//! (`RUNNING`, as long as the `alter_job_ms` setting says) and is then applied (`FINISHED`),
//! keeping the rows of the loads it waited for; one job per table at a time. `DROP TABLE` and
//! `TRUNCATE TABLE` do not wait: a load staged before fails at commit naming the table. Loads go
//! through the transaction interface (PREPARED = begun, not committed); every wait is bounded.

mod common;
mod txn_client;

use std::time::{Duration, Instant};

use common::*;
use starrocks_emulator::{Emulator, Settings};
use txn_client::*;

const NOT_NORMAL: &str =
    "Unexpected exception: Table[dup]'s state is not NORMAL. Do not allow doing ALTER ops";

fn sql(emu: &Emulator, statement: &str) {
    emu.sql(statement)
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

fn error(emu: &Emulator, statement: &str) -> String {
    match emu.sql(statement) {
        Ok(r) => panic!("{statement} succeeded: {r:?}"),
        Err(e) => e,
    }
}

/// State, FinishTime and Msg of the latest job of `db.dup` in `SHOW ALTER TABLE COLUMN`.
fn job(emu: &Emulator) -> (String, Option<String>, String) {
    let result = emu
        .sql("SHOW ALTER TABLE COLUMN FROM db WHERE TableName = 'dup' ORDER BY JobId DESC LIMIT 1")
        .expect("show alter");
    let at = |name: &str| {
        result
            .columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let row = result.rows.first().expect("a job");
    (
        row[at("State")].clone().expect("State"),
        row[at("FinishTime")].clone(),
        row[at("Msg")].clone().unwrap_or_default(),
    )
}

/// A transaction on `db.dup` with one row loaded, left PREPARED.
fn prepared<'a>(emu: &'a Emulator, label: &str, body: &[u8]) -> Txn<'a> {
    let t = Txn::new(emu, "dup", label);
    assert_eq!(t.begin()["Status"], "OK");
    assert_eq!(t.load(body)["Status"], "OK");
    assert_eq!(t.prepare()["Status"], "OK");
    assert_eq!(t.state(), "PREPARED");
    t
}

#[test]
fn s6_7_alter_waits_for_a_prepared_load_and_keeps_its_rows() {
    let emu = emulator();
    let t = prepared(&emu, "before-alter", b"1\ta\t1.5\n");
    sql(&emu, "ALTER TABLE db.dup ADD COLUMN extra INT NULL");
    let (state, finish_time, _) = job(&emu);
    assert_eq!(state, "WAITING_TXN");
    assert_eq!(finish_time, None);
    assert_eq!(
        emu.columns("db", "dup").expect("dup"),
        vec!["id", "name", "price"]
    );
    assert_eq!(t.commit()["Status"], "OK");
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "a", "1.50", "NULL"])]);
    assert_eq!(
        emu.columns("db", "dup").expect("dup"),
        vec!["id", "name", "price", "extra"]
    );
    let (state, finish_time, _) = job(&emu);
    assert_eq!(state, "FINISHED");
    assert!(finish_time.is_some());
}

#[test]
fn s6_7_alter_waits_for_a_prepared_load_that_is_rolled_back() {
    let emu = emulator();
    let t = prepared(&emu, "rolled-back", b"1\ta\t1.5\n");
    sql(&emu, "ALTER TABLE db.dup DROP COLUMN price");
    assert_eq!(job(&emu).0, "WAITING_TXN");
    assert_eq!(t.rollback()["Status"], "OK");
    assert_eq!(t.state(), "ABORTED");
    assert_eq!(job(&emu).0, "FINISHED");
    assert_eq!(emu.columns("db", "dup").expect("dup"), vec!["id", "name"]);
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s6_7_one_schema_change_per_table_at_a_time() {
    let emu = emulator();
    let t = prepared(&emu, "holds-the-job", b"1\ta\t1\n");
    sql(&emu, "ALTER TABLE db.dup ADD COLUMN extra INT");
    for statement in [
        "ALTER TABLE db.dup ADD COLUMN other INT",
        "ALTER TABLE db.dup RENAME COLUMN name TO title",
    ] {
        let e = error(&emu, statement);
        assert!(e.contains(NOT_NORMAL), "{statement}: {e}");
    }
    let e = error(&emu, "TRUNCATE TABLE db.dup");
    assert!(
        e.contains("Table' state is not NORMAL: SCHEMA_CHANGE"),
        "{e}"
    );
    // Other tables are not affected.
    sql(&emu, "ALTER TABLE db.pk ADD COLUMN other INT");
    assert_eq!(t.commit()["Status"], "OK");
    assert_eq!(job(&emu).0, "FINISHED");
    sql(&emu, "ALTER TABLE db.dup ADD COLUMN other INT");
    assert_eq!(
        emu.columns("db", "dup").expect("dup"),
        vec!["id", "name", "price", "extra", "other"]
    );
}

#[test]
fn s6_7_loads_begun_after_the_alter_do_not_delay_it_and_keep_their_rows() {
    let emu = emulator();
    let first = prepared(&emu, "first", b"1\ta\t1\n");
    sql(
        &emu,
        "ALTER TABLE db.dup ADD COLUMN extra INT DEFAULT \"7\"",
    );
    // Staged against the old schema while the job waits, committed after it finished.
    let second = prepared(&emu, "second", b"2\tb\t2\n");
    // Begun while the job waits, first load after it finished: the new schema.
    let third = Txn::new(&emu, "dup", "third");
    third.begin();
    assert_eq!(first.commit()["Status"], "OK");
    assert_eq!(
        job(&emu).0,
        "FINISHED",
        "the later loads are not waited for"
    );
    assert_eq!(third.load(b"3\tc\t3\t30\n")["Status"], "OK");
    assert_eq!(third.prepare()["Status"], "OK");
    assert_eq!(second.commit()["Status"], "OK");
    assert_eq!(third.commit()["Status"], "OK");
    assert_eq!(
        rows(&emu, "dup"),
        vec![
            r(&["1", "a", "1.00", "7"]),
            r(&["2", "b", "2.00", "7"]),
            r(&["3", "c", "3.00", "30"]),
        ]
    );
}

#[test]
fn s6_7_a_job_whose_rows_no_longer_fit_is_cancelled() {
    let emu = emulator();
    let t = prepared(&emu, "not-a-number", b"1\tabc\t1\n");
    sql(&emu, "ALTER TABLE db.dup MODIFY COLUMN name INT");
    assert_eq!(job(&emu).0, "WAITING_TXN");
    assert_eq!(t.commit()["Status"], "OK");
    let (state, finish_time, msg) = job(&emu);
    assert_eq!(state, "CANCELLED");
    assert!(finish_time.is_some());
    assert!(
        msg.contains("Can not convert value 'abc' of column 'name'"),
        "{msg}"
    );
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "abc", "1.00"])]);
    sql(&emu, "ALTER TABLE db.dup ADD COLUMN extra INT");
}

#[test]
fn s6_7_alter_job_ms_keeps_a_job_running() {
    let emu = emulator();
    let set = control(&emu, "PUT", "/control/settings", r#"{"alter_job_ms": 600}"#);
    assert_eq!(set.status, 200, "{}", set.text());
    assert_eq!(set.json()["alter_job_ms"], 600);
    let started = Instant::now();
    sql(&emu, "ALTER TABLE db.dup ADD COLUMN extra INT");
    assert_eq!(job(&emu).0, "RUNNING");
    assert_eq!(
        emu.columns("db", "dup").expect("dup"),
        vec!["id", "name", "price"]
    );
    let (state, finish_time, _) = loop {
        let now = job(&emu);
        if now.0 != "RUNNING" || started.elapsed() > WAIT {
            break now;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(state, "FINISHED");
    assert!(finish_time.is_some());
    assert!(started.elapsed() >= Duration::from_millis(600));
    assert_eq!(
        emu.columns("db", "dup").expect("dup"),
        vec!["id", "name", "price", "extra"]
    );
    // After the waiting, a job still runs for the setting.
    let t = prepared(&emu, "then-run", b"1\ta\t1\t2\n");
    sql(&emu, "ALTER TABLE db.dup DROP COLUMN extra");
    assert_eq!(job(&emu).0, "WAITING_TXN");
    assert_eq!(t.commit()["Status"], "OK");
    assert_eq!(job(&emu).0, "RUNNING");
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "a", "1.00", "2"])]);
}

#[test]
fn s6_7_drop_and_truncate_do_not_wait_and_the_open_load_fails_naming_the_table() {
    let emu = emulator();
    let t = prepared(&emu, "into-truncated", b"1\ta\t1\n");
    sql(&emu, "TRUNCATE TABLE db.dup");
    let commit = t.commit();
    assert_eq!(commit["Status"], "FAILED");
    let message = commit["Message"].as_str().expect("Message");
    assert!(
        message.ends_with("table \"db.dup\" was truncated while the load was open"),
        "{message}"
    );
    assert_eq!(t.state(), "ABORTED");

    let t = Txn::new(&emu, "pk", "into-dropped");
    t.begin();
    t.load(b"1\ta\t1\n");
    t.prepare();
    sql(&emu, "DROP TABLE db.pk");
    let commit = t.commit();
    assert_eq!(commit["Status"], "FAILED");
    let message = commit["Message"].as_str().expect("Message");
    assert!(
        message.ends_with("table \"db.pk\" was dropped while the load was open"),
        "{message}"
    );
    assert_eq!(t.state(), "ABORTED");
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s6_7_drop_table_is_refused_while_a_committed_load_waits_for_publish() {
    let emu = emulator();
    emu.set_settings(Settings {
        publish_delay_ms: 60_000,
        ..Settings::default()
    });
    let t = prepared(&emu, "committed", b"1\ta\t1\n");
    assert_eq!(
        t.op("commit", &[("timeout", "1")], None)["Status"],
        "FAILED"
    );
    assert_eq!(t.state(), "COMMITTED");
    let e = error(&emu, "DROP TABLE db.dup");
    assert!(
        e.contains("There are still some transactions in the COMMITTED state waiting to be completed. The table [dup] cannot be dropped."),
        "{e}"
    );
    let e = error(&emu, "DROP DATABASE db");
    assert!(e.contains("The database [db] cannot be dropped."), "{e}");
    sql(&emu, "DROP TABLE db.dup FORCE");
    assert!(emu.columns("db", "dup").is_err());
}
