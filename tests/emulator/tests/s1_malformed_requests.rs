//! Malformed requests get an HTTP error or a StarRocks-shaped failure, never a panic or a hang,
//! and the emulator keeps serving afterwards.

mod common;

use common::*;

fn assert_still_serving(emu: &starrocks_emulator::Emulator) {
    assert_eq!(get(emu.fe_http_addr(), "/api/health", None).status, 200);
    assert_eq!(get(be(emu), "/api/health", None).status, 200);
    assert_eq!(get(emu.control_addr(), "/control/health", None).status, 200);
}

#[test]
fn garbage_request_lines_get_400_on_every_port() {
    let emu = emulator();
    for addr in [emu.fe_http_addr(), be(&emu), emu.control_addr()] {
        for garbage in [
            &b"\x00\x01\x02 nonsense\r\n\r\n"[..],
            b"GET /x HTTP/9.9\r\n\r\n",
            b"GET\r\n\r\n",
            b"PUT /api/db/dup/_stream_load HTTP/1.1\r\nno colon here\r\n\r\n",
        ] {
            let mut client = RawClient::connect(addr);
            client.send(garbage);
            let response = client.read_response();
            assert_eq!(response.status, 400, "{addr} {garbage:?}");
        }
    }
    assert_still_serving(&emu);
}

#[test]
fn oversized_head_gets_400() {
    let emu = emulator();
    let mut client = RawClient::connect(be(&emu));
    let mut request = b"PUT /api/db/dup/_stream_load HTTP/1.1\r\n".to_vec();
    for i in 0..2000 {
        request.extend_from_slice(format!("x-filler-{i}: {}\r\n", "y".repeat(40)).as_bytes());
    }
    // The server may answer and close before the whole head is written.
    let _ = client.try_send(&request);
    let response = client.read_response();
    assert_eq!(response.status, 400);
    assert_still_serving(&emu);
}

#[test]
fn truncated_head_then_disconnect_is_harmless() {
    let emu = emulator();
    let mut client = RawClient::connect(be(&emu));
    client.send(b"PUT /api/db/dup/_stream_lo");
    client.abort();
    assert_still_serving(&emu);
}

#[test]
fn invalid_content_length_on_the_be_is_a_header_phase_failure() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &[
            ("Authorization", &auth),
            ("Expect", "100-continue"),
            ("Content-Length", "ten"),
        ],
    ));
    let response = client.read_response();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["Status"], "Fail");
    assert_eq!(body["TxnId"], -1);
    assert_still_serving(&emu);
}

#[test]
fn unparsable_authorization_values_are_treated_as_missing() {
    let emu = emulator();
    for value in ["Basic", "Basic !!!", "Bearer abc", "Basic Og=="] {
        let mut client = RawClient::connect(be(&emu));
        client.send(&head(
            "PUT",
            "/api/db/dup/_stream_load",
            &[
                ("Authorization", value),
                ("Expect", "100-continue"),
                ("Content-Length", "1"),
            ],
        ));
        let body = client.read_response().json();
        assert_eq!(body["Message"], "no valid Basic authorization", "{value}");
        let mut fe = RawClient::connect(emu.fe_http_addr());
        fe.send(&head(
            "PUT",
            "/api/db/dup/_stream_load",
            &[
                ("Authorization", value),
                ("Expect", "100-continue"),
                ("Content-Length", "1"),
            ],
        ));
        assert_eq!(fe.read_response().status, 401, "{value}");
    }
}

#[test]
fn binary_body_and_deeply_nested_json_do_not_crash() {
    let emu = emulator();
    let binary: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let result = stream_load(be(&emu), "db", "dup", &[("label", "bin")], &binary).json();
    assert_eq!(result["Status"], "Fail");
    let deep = "[".repeat(100_000);
    let result = stream_load(
        be(&emu),
        "db",
        "dup",
        &[("label", "deep"), ("format", "json")],
        deep.as_bytes(),
    )
    .json();
    assert_eq!(result["Status"], "Fail");
    assert_eq!(result["NumberFilteredRows"], 1);
    assert_still_serving(&emu);
}
