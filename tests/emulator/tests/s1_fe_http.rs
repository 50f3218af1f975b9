//! Spec §1.2 (FE authentication), §1.3 (redirects), §1.4 (FE Expect check), §1.1/§6.3 (routing,
//! health, 404). Raw HTTP exchanges against the FE port.

mod common;

use common::*;
use starrocks_emulator::{Emulator, EmulatorConfig};

fn fe_stream_load_head(extra: &[(&str, &str)]) -> Vec<u8> {
    head("PUT", "/api/db/dup/_stream_load?x=1&y=a%20b", extra)
}

#[test]
fn s1_3_redirect_is_answered_on_the_head_without_reading_the_body() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(emu.fe_http_addr());
    // Announce a large body and send none of it: the 307 must still arrive.
    client.send(&fe_stream_load_head(&[
        ("Authorization", &auth),
        ("Expect", "100-continue"),
        ("Content-Length", "100000000"),
        ("label", "l1"),
    ]));
    let response = client.read_response();
    assert_eq!(response.status, 307);
    let be = be(&emu);
    assert_eq!(
        response.header("Location"),
        Some(format!("http://{be}/api/db/dup/_stream_load?x=1&y=a%20b").as_str())
    );
    assert_eq!(response.header("Content-Length"), Some("0"));
    assert_eq!(response.header("Connection"), Some("close"));
    assert!(response.body.is_empty());
    assert!(client.is_closed_by_server(), "FE must close after the 307");
    // The FE never began a transaction for the label.
    assert!(emu.label_state("db", "l1").is_none());
}

#[test]
fn s1_3_redirect_round_robins_over_bes() {
    let emu = emulator_with(EmulatorConfig {
        be_count: 3,
        ..EmulatorConfig::default()
    });
    let auth = basic("root", "");
    let mut seen = Vec::new();
    for _ in 0..6 {
        let mut client = RawClient::connect(emu.fe_http_addr());
        client.send(&head(
            "PUT",
            "/api/db/dup/_stream_load",
            &[
                ("Authorization", &auth),
                ("Expect", "100-continue"),
                ("Content-Length", "3"),
            ],
        ));
        let response = client.read_response();
        assert_eq!(response.status, 307);
        seen.push(response.header("Location").expect("Location").to_string());
    }
    let bes: Vec<String> = emu
        .be_http_addrs()
        .iter()
        .map(|a| format!("http://{a}/api/db/dup/_stream_load"))
        .collect();
    assert_eq!(seen[..3], bes[..]);
    assert_eq!(seen[3..], bes[..]);
}

#[test]
fn s1_3_no_backend_alive() {
    let emu = Emulator::start(EmulatorConfig {
        be_count: 0,
        ..EmulatorConfig::default()
    })
    .expect("start");
    let auth = basic("root", "");
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(&fe_stream_load_head(&[
        ("Authorization", &auth),
        ("Expect", "100-continue"),
        ("Content-Length", "3"),
    ]));
    let response = client.read_response();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["Status"], "FAILED");
    assert_eq!(
        body["Message"],
        "class com.starrocks.common.DdlException: No backend alive."
    );
}

#[test]
fn s1_4_fe_requires_expect_100_continue_on_http_1_1() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(&fe_stream_load_head(&[
        ("Authorization", &auth),
        ("Content-Length", "3"),
    ]));
    let response = client.read_response();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["Status"], "FAILED");
    assert_eq!(
        body["Message"],
        "class com.starrocks.common.DdlException: There is no 100-continue header"
    );
    assert!(client.is_closed_by_server());
}

#[test]
fn s1_4_http_1_0_is_exempt_from_the_expect_check() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(
        format!("PUT /api/db/dup/_stream_load HTTP/1.0\r\nAuthorization: {auth}\r\nContent-Length: 3\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(client.read_response().status, 307);
}

#[test]
fn s1_2_fe_missing_auth_is_401_with_basic_challenge() {
    let emu = emulator();
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(&fe_stream_load_head(&[
        ("Expect", "100-continue"),
        ("Content-Length", "3"),
    ]));
    let response = client.read_response();
    assert_eq!(response.status, 401);
    assert_eq!(
        response.header("WWW-Authenticate"),
        Some("Basic realm=\"\"")
    );
    let body = response.json();
    assert_eq!(body["status"], "FAILED");
    assert_eq!(body["code"], "1");
    assert_eq!(body["msg"], "Need auth information.");
}

#[test]
fn s1_2_fe_wrong_password_is_401_access_denied() {
    let emu = emulator_with(EmulatorConfig {
        users: vec![("alice".to_string(), "secret".to_string())],
        ..EmulatorConfig::default()
    });
    let auth = basic("alice", "wrong");
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(&fe_stream_load_head(&[
        ("Authorization", &auth),
        ("Expect", "100-continue"),
        ("Content-Length", "3"),
    ]));
    let response = client.read_response();
    assert_eq!(response.status, 401);
    assert_eq!(
        response.header("WWW-Authenticate"),
        Some("Basic realm=\"\"")
    );
    let msg = response.json()["msg"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(msg.starts_with("Access denied for alice@"), "{msg}");
    assert!(!msg.contains("wrong"), "password must not be echoed");
    // And the right password redirects.
    let auth = basic("alice", "secret");
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(&fe_stream_load_head(&[
        ("Authorization", &auth),
        ("Expect", "100-continue"),
        ("Content-Length", "3"),
    ]));
    assert_eq!(client.read_response().status, 307);
}

#[test]
fn s1_1_unknown_fe_paths_are_404_and_health_needs_no_auth() {
    let emu = emulator();
    assert_eq!(
        get(emu.fe_http_addr(), "/api/nothing/here", None).status,
        404
    );
    // _stream_load is PUT only.
    assert_eq!(
        get(emu.fe_http_addr(), "/api/db/dup/_stream_load", None).status,
        404
    );
    let health = get(emu.fe_http_addr(), "/api/health", None);
    assert_eq!(health.status, 200);
    let body = health.json();
    assert_eq!(body["status"], "OK");
    assert_eq!(body["total_backend_num"], 1);
    assert_eq!(body["online_backend_num"], 1);
    let bootstrap = get(emu.fe_http_addr(), "/api/bootstrap", None).json();
    assert_eq!(bootstrap["status"], "OK");
    let be_health = get(be(&emu), "/api/health", None).json();
    assert_eq!(be_health["status"], "OK");
    assert_eq!(get(be(&emu), "/api/nothing", None).status, 404);
}

#[test]
fn s1_1_fe_keeps_alive_between_bodiless_requests() {
    let emu = emulator();
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(&head("GET", "/api/health", &[]));
    assert_eq!(client.read_response().status, 200);
    client.send(&head("GET", "/api/health", &[]));
    assert_eq!(client.read_response().status, 200);
}

#[test]
fn s1_3_full_path_fe_redirect_then_be_load() {
    let emu = emulator();
    let auth = basic("root", "");
    let body = b"1\ta\t1.5\n";
    let len = body.len().to_string();
    let headers = load_headers(&auth, &len, &[("label", "via-fe")]);
    let mut fe = RawClient::connect(emu.fe_http_addr());
    fe.send(&head("PUT", "/api/db/dup/_stream_load", &headers));
    let redirect = fe.read_response();
    assert_eq!(redirect.status, 307);
    let location = redirect.header("Location").expect("Location").to_string();
    let target = error_url_target(&location);
    let mut be_client = RawClient::connect(be(&emu));
    be_client.send(&head("PUT", &target, &headers));
    assert_eq!(be_client.read_response().status, 100);
    be_client.send(body);
    let result = be_client.read_response().json();
    assert_eq!(result["Status"], "Success");
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "a", "1.50"])]);
}
