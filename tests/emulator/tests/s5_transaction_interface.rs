//! Spec §5 (Transaction Stream Load): routing of §5.3 (FE 307 to the BE chosen at begin; commit
//! and rollback answered by the FE when PREPARED or final), family B (BE) vs family C (FE)
//! answers, §5.4 begin and its probe, §5.5 load rules, §5.6 prepare, §5.7 commit, §5.8 rollback,
//! §6.6 cancel, §5.12 BE restart.

mod common;
mod txn_client;

use common::*;
use starrocks_emulator::{EmulatorConfig, Settings};
use txn_client::*;

const EXC: &str = "class com.starrocks.common.StarRocksException: ";

#[test]
fn s5_3_begin_is_redirected_to_a_be_and_answered_in_family_b() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-begin");
    let hops = t.op_hops("begin", &[("timeout", "600")], None);
    assert_eq!(hops.len(), 2);
    assert_eq!(hops[0].status, 307);
    let be = be(&emu);
    assert_eq!(
        hops[0].header("Location"),
        Some(format!("http://{be}/api/transaction/begin").as_str())
    );
    let body = hops[1].json();
    assert_eq!(body["Status"], "OK");
    assert_eq!(body["Message"], "");
    assert_eq!(body["Label"], "t-begin");
    assert!(body["TxnId"].as_i64().unwrap_or(0) > 0);
    assert!(body.get("BeginTxnTimeMs").is_some());
    assert_eq!(t.state(), "PREPARE");
}

#[test]
fn s5_5_loads_are_concatenated_and_invisible_until_commit() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-2pc");
    let txn_id = t.begin()["TxnId"].clone();
    let first = t.load(b"1\ta\t1.5\n2\tb\t2\n");
    assert_eq!(first["Status"], "OK", "{first}");
    assert_eq!(first["TxnId"], txn_id);
    assert_eq!(first["LoadBytes"], 14);
    assert!(first.get("ReceivedDataTimeMs").is_some());
    // A record split across two loads is one record: bodies are concatenated.
    assert_eq!(t.load(b"3\tc")["Status"], "OK");
    assert_eq!(t.load(b"\t3\n")["Status"], "OK");
    assert!(rows(&emu, "dup").is_empty());
    let prepared = t.prepare();
    assert_eq!(prepared["Status"], "OK", "{prepared}");
    assert_eq!(prepared["NumberTotalRows"], 3);
    assert_eq!(prepared["NumberLoadedRows"], 3);
    assert_eq!(prepared["NumberFilteredRows"], 0);
    assert_eq!(t.state(), "PREPARED");
    assert!(rows(&emu, "dup").is_empty(), "PREPARED data is invisible");
    // PREPARED: the FE commits itself (one hop, family C).
    let hops = t.op_hops("commit", &[], None);
    assert_eq!(hops.len(), 1);
    let committed = hops[0].json();
    assert_eq!(committed["Status"], "OK");
    assert_eq!(committed["Message"], "");
    assert_eq!(committed["TxnId"], txn_id);
    assert_eq!(committed["Label"], "t-2pc");
    assert_eq!(t.state(), "VISIBLE");
    assert_eq!(
        rows(&emu, "dup"),
        vec![
            r(&["1", "a", "1.50"]),
            r(&["2", "b", "2.00"]),
            r(&["3", "c", "3.00"])
        ]
    );
}

#[test]
fn s5_7_commit_in_prepare_is_a_one_phase_commit_on_the_be() {
    let emu = emulator();
    let t = Txn::new(&emu, "pk", "t-1pc");
    t.begin();
    t.load(b"1\ta\t10\n");
    let hops = t.op_hops("commit", &[], None);
    assert_eq!(hops[0].status, 307);
    let body = hops[1].json();
    assert_eq!(body["Status"], "OK");
    assert_eq!(body["NumberLoadedRows"], 1);
    assert!(body.get("CommitAndPublishTimeMs").is_some());
    assert_eq!(t.state(), "VISIBLE");
    assert_eq!(rows(&emu, "pk"), vec![r(&["1", "a", "10"])]);
}

#[test]
fn s5_7_commit_and_rollback_replays_are_answered_by_the_fe() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-replay");
    t.begin();
    t.load(b"1\ta\t1\n");
    t.prepare();
    let id = t.commit()["TxnId"].as_i64().expect("TxnId");
    let again = t.commit();
    assert_eq!(again["Status"], "OK");
    assert_eq!(
        again["Message"],
        format!("Transaction {id} has already committed, label is t-replay")
    );
    let rollback = t.rollback();
    assert_eq!(rollback["Status"], "FAILED");
    assert_eq!(
        rollback["Message"],
        format!("{EXC}Can not abort VISIBLE transaction {id}, label is t-replay")
    );
    let unknown = Txn::new(&emu, "dup", "never-begun").commit();
    assert_eq!(unknown["Status"], "FAILED");
    assert_eq!(
        unknown["Message"],
        format!("{EXC}No transaction found with db[db] and label[never-begun]")
    );
    assert_eq!(rows(&emu, "dup").len(), 1);
}

#[test]
fn s5_8_rollback_in_prepare_goes_to_the_be_and_in_prepared_to_the_fe() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-rb1");
    t.begin();
    t.load(b"1\ta\t1\n");
    let hops = t.op_hops("rollback", &[], None);
    assert_eq!(hops[0].status, 307);
    let body = hops[1].json();
    assert_eq!(body["Status"], "OK");
    assert_eq!(body["Label"], "t-rb1");
    let info = emu.label_state("db", "t-rb1").expect("label");
    assert_eq!(info.state, "ABORTED");
    assert_eq!(
        info.reason.as_deref(),
        Some("transaction is aborted by user.")
    );

    let t = Txn::new(&emu, "dup", "t-rb2");
    t.begin();
    t.load(b"2\tb\t2\n");
    t.prepare();
    let hops = t.op_hops("rollback", &[], None);
    assert_eq!(hops.len(), 1, "PREPARED: answered by the FE");
    let id = hops[0].json()["TxnId"].as_i64().expect("TxnId");
    assert_eq!(hops[0].json()["Status"], "OK");
    assert_eq!(
        emu.label_state("db", "t-rb2").and_then(|i| i.reason),
        Some("User Aborted".to_string())
    );
    let again = t.rollback();
    assert_eq!(again["Status"], "OK");
    assert_eq!(
        again["Message"],
        format!("Transaction {id} has already aborted, label is t-rb2")
    );
    let commit = t.commit();
    assert_eq!(commit["Status"], "FAILED");
    assert_eq!(
        commit["Message"],
        format!("{EXC}Can not commit ABORTED transaction {id}, label is t-rb2")
    );
    assert!(
        rows(&emu, "dup").is_empty(),
        "aborted transactions leave no rows"
    );
    // The label of an aborted transaction is reusable.
    assert_eq!(t.begin()["Status"], "OK");
}

#[test]
fn s5_6_prepare_without_data_fails_and_rolls_back() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-empty");
    t.begin();
    let body = t.prepare();
    assert_eq!(body["Status"], "INTERNAL_ERROR");
    assert!(body["Message"]
        .as_str()
        .unwrap_or_default()
        .ends_with("hasn't send any data yet"));
    assert_eq!(t.state(), "ABORTED");
}

#[test]
fn s5_6_a_second_prepare_finds_no_context() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-prep2");
    t.begin();
    t.load(b"1\ta\t1\n");
    assert_eq!(t.prepare()["Status"], "OK");
    let again = t.prepare();
    assert_eq!(again["Status"], "TXN_NOT_EXISTS");
    assert_eq!(
        again["Message"],
        "Transaction with label t-prep2 not exists"
    );
    assert!(again.get("Label").is_none(), "errors carry no Label");
    assert_eq!(t.state(), "PREPARED");
}

#[test]
fn s5_6_filter_ratio_is_checked_at_prepare() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-ratio");
    t.begin();
    assert_eq!(t.load(b"1\ta\t1\nbad\n")["Status"], "OK");
    let body = t.prepare();
    assert_eq!(body["Status"], "INTERNAL_ERROR");
    assert_eq!(body["Message"], "too many filtered rows");
    assert!(body["ErrorURL"].as_str().is_some());
    let info = emu.label_state("db", "t-ratio").expect("label");
    assert_eq!(info.state, "ABORTED");
    assert!(rows(&emu, "dup").is_empty());

    let tolerant = Txn::new(&emu, "dup", "t-ratio2").with("max_filter_ratio", "0.5");
    tolerant.begin();
    tolerant.load(b"1\ta\t1\nbad\n");
    let body = tolerant.commit();
    assert_eq!(body["Status"], "OK");
    assert_eq!(body["NumberFilteredRows"], 1);
    assert!(body["ErrorURL"].as_str().is_some());
    assert_eq!(rows(&emu, "dup").len(), 1);
}

#[test]
fn s5_5_load_headers_must_equal_the_first_load() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-hdr");
    t.begin();
    t.load(b"1\ta\t1\n");
    let other = t.op("load", &[("column_separator", ",")], Some(b"2,b,2\n"));
    assert_eq!(other["Status"], "INTERNAL_ERROR");
    assert_eq!(other["Message"], "load request not equal last.");
    assert_eq!(t.load(b"3\tc\t3\n")["Status"], "OK");
    assert_eq!(t.commit()["Status"], "OK");
    assert_eq!(rows(&emu, "dup").len(), 2);
}

#[test]
fn s5_5_database_and_table_must_match_the_transaction() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-match");
    t.begin();
    let wrong = Txn::new(&emu, "pk", "t-match").load(b"1\ta\t1\n");
    assert_eq!(wrong["Status"], "INVALID_ARGUMENT");
    assert_eq!(
        wrong["Message"],
        "Request table pk not equal transaction table dup"
    );
}

#[test]
fn s5_5_a_concurrent_load_is_txn_in_processing() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-busy");
    t.begin();
    let auth = basic("root", "");
    let mut first = RawClient::connect(be(&emu));
    first.send(&head(
        "PUT",
        "/api/transaction/load",
        &[
            ("Authorization", auth.as_str()),
            ("label", "t-busy"),
            ("db", "db"),
            ("table", "dup"),
            ("Expect", "100-continue"),
            ("Content-Length", "6"),
        ],
    ));
    assert_eq!(first.read_response().status, 100);
    let second = t.load(b"2\tb\t2\n");
    assert_eq!(second["Status"], "TXN_IN_PROCESSING");
    assert_eq!(second["Label"], "t-busy");
    assert_eq!(second["Message"], "Transaction is in processing");
    first.send(b"1\ta\t1\n");
    assert_eq!(first.read_response().json()["Status"], "OK");
    assert_eq!(t.commit()["NumberLoadedRows"], 1);
}

#[test]
fn s5_5_load_on_the_be_must_be_put_and_needs_a_context() {
    let emu = emulator();
    let auth = basic("root", "");
    let headers = [
        ("Authorization", auth.as_str()),
        ("label", "t-none"),
        ("db", "db"),
        ("table", "dup"),
    ];
    let post = request(be(&emu), "POST", "/api/transaction/load", &headers, None);
    assert_eq!(post.json()["Status"], "INVALID_ARGUMENT");
    assert_eq!(
        post.json()["Message"],
        "unsupport transaction operation load"
    );
    let put = request(
        be(&emu),
        "PUT",
        "/api/transaction/load",
        &headers,
        Some(b"1\ta\t1\n"),
    );
    assert_eq!(put.json()["Status"], "TXN_NOT_EXISTS");
}

#[test]
fn s3_2_label_context_on_the_be_and_label_in_use_on_the_fe() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-twice");
    t.begin();
    let again = t.begin();
    assert_eq!(again["Status"], "LABEL_ALREADY_EXISTS");
    assert_eq!(again["ExistingJobStatus"], "");
    assert_eq!(again["Message"], "");

    let two = emulator_with(EmulatorConfig {
        be_count: 2,
        ..EmulatorConfig::default()
    });
    let t = Txn::new(&two, "dup", "t-two");
    t.begin();
    // The second begin lands on the other BE, which asks the FE.
    let again = t.begin();
    assert_eq!(again["Status"], "LABEL_ALREADY_EXISTS");
    assert_eq!(again["ExistingJobStatus"], "RUNNING");
    assert_eq!(again["Message"], "Label [t-two] has already been used.");
}

#[test]
fn s5_3_ops_follow_the_be_chosen_at_begin() {
    let emu = emulator_with(EmulatorConfig {
        be_count: 3,
        ..EmulatorConfig::default()
    });
    let t = Txn::new(&emu, "dup", "t-route");
    let location = t.op_hops("begin", &[], None)[0]
        .header("Location")
        .map(str::to_string);
    for _ in 0..3 {
        let hops = t.op_hops("load", &[], Some(b"1\ta\t1\n"));
        assert_eq!(
            hops[0]
                .header("Location")
                .map(|l| l.replace("/load", "/begin")),
            location
        );
        assert_eq!(hops[1].json()["Status"], "OK");
    }
    assert_eq!(t.commit()["NumberLoadedRows"], 3);
}

#[test]
fn s5_4_begin_probe_and_validation() {
    let emu = emulator();
    let auth = basic("root", "");
    let probe = request(
        emu.fe_http_addr(),
        "POST",
        "/api/transaction/begin",
        &[("Authorization", auth.as_str())],
        None,
    )
    .json();
    assert_eq!(probe["Status"], "FAILED");
    assert_eq!(probe["Message"], format!("{EXC}No database selected."));
    let no_label = request(
        emu.fe_http_addr(),
        "POST",
        "/api/transaction/begin",
        &[("Authorization", auth.as_str()), ("db", "db")],
        None,
    )
    .json();
    assert_eq!(no_label["Message"], format!("{EXC}Empty label."));
    let no_auth = request(
        emu.fe_http_addr(),
        "POST",
        "/api/transaction/begin",
        &[("db", "db"), ("label", "x")],
        None,
    );
    assert_eq!(no_auth.status, 401);

    emu.set_settings(Settings {
        transaction_interface: false,
        ..Settings::default()
    });
    let old = request(
        emu.fe_http_addr(),
        "POST",
        "/api/transaction/begin",
        &[("Authorization", auth.as_str())],
        None,
    )
    .json();
    assert_eq!(
        old,
        serde_json::json!({"status":"FAILED","msg":"Not implemented"})
    );
}

#[test]
fn s5_4_begin_failures() {
    let emu = emulator();
    let unknown = Txn::new(&emu, "nope", "t-unknown").begin();
    assert_eq!(unknown["Status"], "INTERNAL_ERROR");
    assert_eq!(unknown["Message"], "unknown table \"db.nope\"");
    let bad_label = Txn::new(&emu, "dup", "bad.label").begin();
    assert!(bad_label["Message"]
        .as_str()
        .unwrap_or_default()
        .starts_with("Label format error"));
    let auth = basic("root", "");
    let multi_on_be = request(
        be(&emu),
        "POST",
        "/api/transaction/begin",
        &[
            ("Authorization", auth.as_str()),
            ("label", "m"),
            ("db", "db"),
            ("transaction_type", "multi"),
        ],
        None,
    )
    .json();
    assert_eq!(multi_on_be["Status"], "INVALID_ARGUMENT");
    assert_eq!(
        multi_on_be["Message"],
        "Multi-statement transaction requests can only be sent to FE nodes, not BE nodes"
    );
    let no_db = Txn::new(&emu, "dup", "t-nodb");
    let mut no_db = no_db;
    no_db.db = "missing".to_string();
    assert_eq!(
        no_db.begin()["Message"],
        format!("{EXC}Database[missing] does not exist.")
    );
}

#[test]
fn s5_json_loads_are_complete_documents_each() {
    let emu = emulator();
    let t = Txn::new(&emu, "pk", "t-json")
        .with("format", "json")
        .with("strip_outer_array", "true");
    t.begin();
    t.load(br#"[{"id":1,"name":"a","score":1},{"id":2,"name":"b","score":2}]"#);
    t.load(br#"[{"id":1,"__op":1},{"id":3,"name":"c","score":3}]"#);
    assert_eq!(t.commit()["NumberLoadedRows"], 4);
    assert_eq!(
        rows(&emu, "pk"),
        vec![r(&["2", "b", "2"]), r(&["3", "c", "3"])]
    );
}

#[test]
fn s6_6_cancel_aborts_prepare_and_prepared_in_both_path_forms() {
    let emu = emulator();
    let auth = basic("root", "");
    let t = Txn::new(&emu, "dup", "t-cancel1");
    t.begin();
    t.load(b"1\ta\t1\n");
    let newer = request(
        emu.fe_http_addr(),
        "POST",
        "/api/db/dup/_cancel?label=t-cancel1",
        &[("Authorization", auth.as_str())],
        None,
    )
    .json();
    assert_eq!(newer["status"], "OK");
    assert_eq!(t.state(), "ABORTED");
    let load = t.load(b"2\tb\t2\n");
    assert_eq!(load["Status"], "ABORTED");
    assert_eq!(load["Message"], "current transaction is aborted");

    let t = Txn::new(&emu, "dup", "t-cancel2");
    t.begin();
    t.load(b"1\ta\t1\n");
    t.prepare();
    let older = request(
        emu.fe_http_addr(),
        "POST",
        "/api/db/t-cancel2/_cancel",
        &[("Authorization", auth.as_str())],
        None,
    )
    .json();
    assert_eq!(older["status"], "OK");
    let info = emu.label_state("db", "t-cancel2").expect("label");
    assert_eq!(info.state, "ABORTED");
    assert_eq!(info.reason.as_deref(), Some("user cancel"));
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s5_12_be_restart_loses_contexts_and_the_fe_keeps_prepare() {
    let emu = emulator();
    let t = Txn::new(&emu, "dup", "t-restart");
    t.begin();
    t.load(b"1\ta\t1\n");
    assert_eq!(emu.restart_be(0), Ok(1));
    assert_eq!(t.load(b"2\tb\t2\n")["Status"], "TXN_NOT_EXISTS");
    assert_eq!(t.prepare()["Status"], "TXN_NOT_EXISTS");
    let commit = t.op_hops("commit", &[], None);
    assert_eq!(commit[0].status, 307, "PREPARE: commit goes to the BE");
    assert_eq!(commit[1].json()["Status"], "TXN_NOT_EXISTS");
    let rollback = t.rollback();
    assert_eq!(rollback["Status"], "TXN_NOT_EXISTS");
    assert_eq!(t.state(), "PREPARE");
}
