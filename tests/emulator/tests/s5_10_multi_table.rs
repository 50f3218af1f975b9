//! Spec §5.10 (multi-table transactions, `transaction_type: multi`): FE-only begin/commit/
//! rollback in family C, per-table loads redirected to a BE, atomic commit across tables, no
//! prepare, label rules of §3.2 for multi-statement tasks.

mod common;
mod txn_client;

use common::*;
use txn_client::*;

const EXC: &str = "class com.starrocks.common.StarRocksException: ";

fn multi<'a>(emu: &'a starrocks_emulator::Emulator, table: &str, label: &str) -> Txn<'a> {
    Txn::new(emu, table, label).with("transaction_type", "multi")
}

#[test]
fn s5_10_loads_into_two_tables_commit_atomically() {
    let emu = emulator();
    let begin_hops = multi(&emu, "", "m-ok").op_hops("begin", &[], None);
    assert_eq!(begin_hops.len(), 1, "begin is answered by the FE");
    let begun = begin_hops[0].json();
    assert_eq!(begun["Status"], "OK");
    let id = begun["TxnId"].as_i64().expect("TxnId");
    let dup = multi(&emu, "dup", "m-ok");
    let pk = multi(&emu, "pk", "m-ok");
    let hops = dup.op_hops("load", &[], Some(b"1\ta\t1\n"));
    assert_eq!(hops[0].status, 307);
    assert_eq!(hops[1].json()["Status"], "OK");
    assert_eq!(dup.load(b"2\tb\t2\n")["Status"], "OK");
    assert_eq!(pk.load(b"7\tx\t70\n")["Status"], "OK");
    assert!(rows(&emu, "dup").is_empty() && rows(&emu, "pk").is_empty());
    assert_eq!(
        emu.label_state("db", "m-ok").map(|i| i.table),
        Some("dup,pk".to_string())
    );
    let prepare = dup.prepare();
    assert_eq!(prepare["Status"], "FAILED");
    let commit_hops = dup.op_hops("commit", &[], None);
    assert_eq!(commit_hops.len(), 1, "commit is answered by the FE");
    let commit = commit_hops[0].json();
    assert_eq!(commit["Status"], "OK", "{commit}");
    assert_eq!(commit["TxnId"], id);
    assert_eq!(rows(&emu, "dup").len(), 2);
    assert_eq!(rows(&emu, "pk"), vec![r(&["7", "x", "70"])]);
    let again = dup.commit();
    assert_eq!(
        again["Message"],
        format!("Transaction {id} has already committed, label is m-ok")
    );
    let rollback = dup.rollback();
    assert_eq!(rollback["Status"], "FAILED");
    assert_eq!(
        rollback["Message"],
        format!("{EXC}Can not abort VISIBLE transaction {id}, label is m-ok")
    );
}

#[test]
fn s5_10_begin_twice_and_rollback() {
    let emu = emulator();
    let t = multi(&emu, "", "m-rb");
    let id = t.begin()["TxnId"].as_i64().expect("TxnId");
    let again = t.begin();
    assert_eq!(again["Status"], "LABEL_ALREADY_EXISTS");
    assert_eq!(
        again["Message"],
        format!("Transaction already started with label [m-rb], txnId: {id}")
    );
    assert_eq!(again["TxnId"], id);
    let dup = multi(&emu, "dup", "m-rb");
    dup.load(b"1\ta\t1\n");
    let rollback = dup.rollback();
    assert_eq!(rollback["Status"], "OK");
    assert_eq!(rollback["Message"], "stream load m-rb abort");
    let late = dup.load(b"2\tb\t2\n");
    assert_eq!(late["Status"], "FAILED");
    assert!(late["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("stream load task m-rb has already been cancelled"));
    assert!(rows(&emu, "dup").is_empty());
    assert_eq!(
        dup.commit()["Message"],
        format!("{EXC}Can not commit CANCELLED transaction {id}, label is m-rb")
    );
}

#[test]
fn s5_10_a_bad_table_fails_the_whole_commit() {
    let emu = emulator();
    multi(&emu, "", "m-bad").begin();
    multi(&emu, "dup", "m-bad").load(b"1\ta\t1\n");
    multi(&emu, "pk", "m-bad").load(b"not-a-number\tx\t1\n");
    let commit = multi(&emu, "dup", "m-bad").commit();
    assert_eq!(commit["Status"], "FAILED");
    assert_eq!(commit["Message"], format!("{EXC}too many filtered rows"));
    assert_eq!(
        emu.label_state("db", "m-bad").map(|i| i.state),
        Some("ABORTED".to_string())
    );
    assert!(rows(&emu, "dup").is_empty(), "all-or-nothing");
    assert!(rows(&emu, "pk").is_empty());
}

#[test]
fn s5_10_label_of_a_finished_task() {
    let emu = emulator();
    let t = multi(&emu, "", "m-done");
    t.begin();
    multi(&emu, "dup", "m-done").load(b"1\ta\t1\n");
    t.commit();
    let again = t.begin();
    assert_eq!(again["Status"], "LABEL_ALREADY_EXISTS");
    assert_eq!(again["ExistingJobStatus"], "FINISHED");
}
