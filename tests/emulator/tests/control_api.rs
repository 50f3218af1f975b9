//! The emulator's own control API (not StarRocks): set-up and inspection over HTTP, as documented
//! in tests/emulator/README.md.

mod common;

use common::*;
use starrocks_emulator::{Emulator, EmulatorConfig};

fn call(emu: &Emulator, method: &str, target: &str, body: &str) -> RawResponse {
    let len = body.len().to_string();
    let mut client = RawClient::connect(emu.control_addr());
    let mut request = head(
        method,
        target,
        &[("Content-Length", &len), ("Connection", "close")],
    );
    request.extend_from_slice(body.as_bytes());
    client.send(&request);
    client.read_response()
}

#[test]
fn control_api_round_trip() {
    let emu = Emulator::start(EmulatorConfig::default()).expect("start");
    assert_eq!(
        call(&emu, "POST", "/control/databases/shop", "").status,
        200
    );
    assert_eq!(
        call(&emu, "POST", "/control/databases/shop", "").status,
        200,
        "idempotent"
    );
    let spec = r#"{"database":"shop","table":"orders","model":"PRIMARY","keys":["id"],
        "columns":[{"name":"id","type":"BIGINT","nullable":false},
                   {"name":"price","type":"DECIMAL(10,2)","nullable":true},
                   {"name":"note","type":"VARCHAR(10)"}]}"#;
    let created = call(&emu, "POST", "/control/tables", spec);
    assert_eq!(created.status, 200, "{}", created.text());
    assert_eq!(call(&emu, "POST", "/control/tables", spec).status, 409);
    let bad = call(
        &emu,
        "POST",
        "/control/tables",
        r#"{"database":"shop","table":"x","columns":[{"name":"a","type":"HLL"}]}"#,
    );
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]
        .as_str()
        .unwrap_or_default()
        .contains("unsupported column type"));

    let load = stream_load(
        be(&emu),
        "shop",
        "orders",
        &[("label", "o1")],
        b"2\t12.5\t\\N\n1\t3\tx\n",
    );
    assert_eq!(load.json()["Status"], "Success");

    let table = call(&emu, "GET", "/control/tables/shop/orders/rows", "").json();
    assert_eq!(table["columns"], serde_json::json!(["id", "price", "note"]));
    assert_eq!(
        table["rows"],
        serde_json::json!([["1", "3.00", "x"], ["2", "12.50", null]])
    );
    assert_eq!(
        call(&emu, "GET", "/control/tables/shop/nope/rows", "").status,
        404
    );

    let labels = call(&emu, "GET", "/control/labels/shop", "").json();
    assert_eq!(labels[0]["label"], "o1");
    assert_eq!(labels[0]["state"], "VISIBLE");
    assert_eq!(labels[0]["table"], "orders");
    assert!(labels[0]["txn_id"].as_i64().expect("txn_id") > 0);
    assert!(labels[0]["reason"].is_null());
    let one = call(&emu, "GET", "/control/labels/shop/o1", "").json();
    assert_eq!(one["state"], "VISIBLE");

    let requests = call(&emu, "GET", "/control/requests", "");
    let text = requests.text();
    assert!(
        !text.to_ascii_lowercase().contains("authorization"),
        "{text}"
    );
    assert!(!text.contains("Basic "), "{text}");
    let requests = requests.json();
    assert_eq!(requests[0]["method"], "PUT");
    assert_eq!(requests[0]["node"], "be0");
    assert_eq!(requests[0]["path"], "/api/shop/orders/_stream_load");
    assert_eq!(requests[0]["label"], "o1");
    assert_eq!(requests[0]["status"], 200);
    assert_eq!(requests[0]["bytes"], 16);

    let stats = call(&emu, "GET", "/control/stats", "").json();
    assert_eq!(stats["loads"], 1);
    assert_eq!(stats["rows_loaded"], 2);
    assert_eq!(stats["bytes_received"], 16);

    assert_eq!(call(&emu, "GET", "/control/faults", "").status, 200);
    assert_eq!(call(&emu, "GET", "/control/nothing", "").status, 404);

    assert_eq!(call(&emu, "POST", "/control/reset", "").status, 200);
    assert_eq!(
        call(&emu, "GET", "/control/tables/shop/orders/rows", "").status,
        404
    );
    assert_eq!(
        call(&emu, "GET", "/control/labels/shop", "").json(),
        serde_json::json!([])
    );
    assert_eq!(call(&emu, "GET", "/control/stats", "").json()["loads"], 0);
}

#[test]
fn the_request_log_has_headers_and_queries_but_no_credentials() {
    let password = "pw-LOG-42";
    let emu = emulator_with(EmulatorConfig {
        users: vec![("loader".to_string(), password.to_string())],
        ..EmulatorConfig::default()
    });
    let auth = basic("loader", password);
    let body = b"1\ta\t2.50\n";
    let len = body.len().to_string();
    let headers = load_headers(
        &auth,
        &len,
        &[("label", "h1"), ("columns", "id,name,price")],
    );
    let mut client = RawClient::connect(emu.fe_http_addr());
    client.send(&head("PUT", "/api/db/dup/_stream_load", &headers));
    assert_eq!(client.read_response().status, 307);
    let mut client = RawClient::connect(be(&emu));
    client.send(&head("PUT", "/api/db/dup/_stream_load", &headers));
    assert_eq!(client.read_response().status, 100);
    client.send(body);
    assert_eq!(client.read_response().json()["Status"], "Success");
    let state = get(
        emu.fe_http_addr(),
        "/api/db/get_load_state?label=h1",
        Some(&basic("loader", "wrong")),
    );
    assert_eq!(state.status, 401);

    let requests = call(&emu, "GET", "/control/requests", "");
    let text = requests.text();
    let encoded = auth.trim_start_matches("Basic ");
    for secret in [password, encoded, "Basic "] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let log = requests.json();
    let names = |i: usize| -> Vec<String> {
        log[i]["headers"]
            .as_array()
            .expect("headers")
            .iter()
            .map(|h| h[0].as_str().expect("name").to_ascii_lowercase())
            .collect()
    };
    for (i, node) in [(0, "fe"), (1, "be0")] {
        assert_eq!(log[i]["node"], node);
        assert_eq!(log[i]["user"], "loader");
        assert!(log[i]["query"].is_null());
        assert_eq!(
            names(i),
            ["host", "expect", "content-length", "label", "columns"],
            "{text}"
        );
        assert_eq!(
            log[i]["headers"][4],
            serde_json::json!(["columns", "id,name,price"])
        );
    }
    assert_eq!(log[2]["path"], "/api/db/get_load_state");
    assert_eq!(log[2]["query"], "label=h1");
    assert_eq!(log[2]["status"], 401);
    assert_eq!(log[2]["user"], "loader");
    assert_eq!(names(2), ["host", "connection"]);
}

#[test]
fn shutdown_frees_the_ports() {
    let emu = Emulator::start(EmulatorConfig::default()).expect("start");
    let fe = emu.fe_http_addr();
    let be = emu.be_http_addrs()[0];
    let control = emu.control_addr();
    // An idle keep-alive connection must not keep the emulator alive.
    let mut idle = RawClient::connect(fe);
    idle.send(&head("GET", "/api/health", &[]));
    assert_eq!(idle.read_response().status, 200);
    emu.shutdown();
    for addr in [fe, be, control] {
        std::net::TcpListener::bind(addr).expect("port is free again after shutdown");
    }
    assert!(idle.is_closed_by_server());
}
