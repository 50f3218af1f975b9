//! Spec §1.3 with a leader and follower FEs (`follower_fes`): a follower authenticates a load or
//! transaction request and redirects it to the leader, path and query unchanged, on the head
//! alone; the leader redirects it to a BE, so a load takes two hops.

mod common;

use common::*;
use starrocks_emulator::{Emulator, EmulatorConfig};

fn with_followers() -> Emulator {
    emulator_with(EmulatorConfig {
        follower_fes: 2,
        ..EmulatorConfig::default()
    })
}

#[test]
fn s1_3_a_follower_redirects_a_stream_load_to_the_leader_which_redirects_to_a_be() {
    let emu = with_followers();
    assert_eq!(emu.follower_fe_addrs().len(), 2);
    let auth = basic("root", "");
    let target = "/api/db/dup/_stream_load?x=1";
    let mut client = RawClient::connect(emu.follower_fe_addrs()[1]);
    client.send(&head(
        "PUT",
        target,
        &load_headers(&auth, "100000000", &[("label", "via-follower")]),
    ));
    let first = client.read_response();
    assert_eq!(first.status, 307);
    let leader = emu.fe_http_addr();
    assert_eq!(
        first.header("Location"),
        Some(format!("http://{leader}{target}").as_str())
    );
    assert!(
        client.is_closed_by_server(),
        "the follower must close after the 307"
    );

    let mut client = RawClient::connect(leader);
    client.send(&head(
        "PUT",
        target,
        &load_headers(&auth, "100000000", &[("label", "via-follower")]),
    ));
    let second = client.read_response();
    assert_eq!(second.status, 307);
    let be = be(&emu);
    assert_eq!(
        second.header("Location"),
        Some(format!("http://{be}{target}").as_str())
    );

    let done = stream_load(
        be,
        "db",
        "dup",
        &[("label", "via-follower"), ("column_separator", ",")],
        b"1,a,1.50\n",
    );
    assert_eq!(done.json()["Status"], "Success", "{}", done.text());
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "a", "1.50"])]);
}

#[test]
fn s1_3_a_follower_redirects_transaction_calls_and_refuses_bad_credentials() {
    let emu = with_followers();
    let follower = emu.follower_fe_addrs()[0];
    let leader = emu.fe_http_addr();
    let auth = basic("root", "");
    for op in ["begin", "load", "prepare", "commit", "rollback"] {
        let mut client = RawClient::connect(follower);
        client.send(&head(
            "POST",
            &format!("/api/transaction/{op}"),
            &[
                ("Authorization", &auth),
                ("db", "db"),
                ("table", "dup"),
                ("label", "t1"),
                ("Content-Length", "0"),
            ],
        ));
        let response = client.read_response();
        assert_eq!(response.status, 307, "{op}");
        assert_eq!(
            response.header("Location"),
            Some(format!("http://{leader}/api/transaction/{op}").as_str()),
            "{op}"
        );
    }
    let wrong = basic("root", "nope");
    let mut client = RawClient::connect(follower);
    client.send(&head(
        "POST",
        "/api/transaction/begin",
        &[("Authorization", &wrong), ("Content-Length", "0")],
    ));
    assert_eq!(client.read_response().status, 401);
}

#[test]
fn s1_3_a_follower_answers_health_itself() {
    let emu = with_followers();
    let mut client = RawClient::connect(emu.follower_fe_addrs()[0]);
    client.send(&head("GET", "/api/health", &[]));
    let response = client.read_response();
    assert_eq!(response.status, 200);
    assert_eq!(response.json()["status"], "OK");
}
