//! Spec §1.5: bodies with `Content-Length` and with `Transfer-Encoding: chunked` (incl. chunk
//! extensions, trailers, chunks that split records), malformed chunking, and a client that goes
//! away mid-body (F17: the transaction is aborted, no rows).

mod common;

use common::*;

fn chunked(pieces: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in pieces {
        out.extend_from_slice(format!("{:x}\r\n", p.len()).as_bytes());
        out.extend_from_slice(p);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn chunked_load(emu: &starrocks_emulator::Emulator, label: &str, wire_body: &[u8]) -> RawResponse {
    let auth = basic("root", "");
    let mut client = RawClient::connect(be(emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &[
            ("Authorization", &auth),
            ("Expect", "100-continue"),
            ("Transfer-Encoding", "chunked"),
            ("label", label),
        ],
    ));
    assert_eq!(client.read_response().status, 100);
    client.send(wire_body);
    client.read_response()
}

#[test]
fn s1_5_chunked_body_with_records_split_across_chunks() {
    let emu = emulator();
    let wire = chunked(&[b"1\tal", b"ice\t1.5\n2\tb", b"ob\t2\n", b"3\tcarol\t3.25"]);
    let result = chunked_load(&emu, "ch1", &wire).json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(result["NumberLoadedRows"], 3);
    assert_eq!(result["LoadBytes"], 32);
    assert_eq!(
        rows(&emu, "dup"),
        vec![
            r(&["1", "alice", "1.50"]),
            r(&["2", "bob", "2.00"]),
            r(&["3", "carol", "3.25"])
        ]
    );
}

#[test]
fn s1_5_chunk_extensions_and_trailers_are_accepted() {
    let emu = emulator();
    let wire = b"5;name=value\r\n1\tx\t\r\n2\r\n1\n\r\n0\r\nX-Trailer: yes\r\n\r\n";
    let result = chunked_load(&emu, "ch2", wire).json();
    assert_eq!(result["Status"], "Success", "{result}");
    assert_eq!(rows(&emu, "dup"), vec![r(&["1", "x", "1.00"])]);
}

#[test]
fn s1_5_malformed_chunking_fails_the_load_and_rolls_back() {
    let emu = emulator();
    let result = chunked_load(&emu, "ch3", b"zz\r\n1\tx\t1\n\r\n0\r\n\r\n").json();
    assert_eq!(result["Status"], "Fail");
    assert!(result["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("chunk"));
    assert_eq!(
        emu.label_state("db", "ch3").expect("label").state,
        "ABORTED"
    );
    assert!(rows(&emu, "dup").is_empty());
}

#[test]
fn s1_5_content_length_body_large_enough_to_span_many_reads() {
    let emu = emulator();
    let mut body = Vec::new();
    for i in 0..50_000 {
        body.extend_from_slice(format!("{i}\tname{i}\t{i}.5\n").as_bytes());
    }
    let response = stream_load(be(&emu), "db", "dup", &[("label", "big")], &body);
    let result = response.json();
    assert_eq!(result["Status"], "Success");
    assert_eq!(result["NumberTotalRows"], 50_000);
    assert_eq!(result["LoadBytes"], body.len());
    let all = rows(&emu, "dup");
    assert_eq!(all.len(), 50_000);
    assert_eq!(all[49_999], r(&["49999", "name49999", "49999.50"]));
}

#[test]
fn f17_client_disconnect_mid_body_aborts_and_leaves_no_rows() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &load_headers(&auth, "1000", &[("label", "gone")]),
    ));
    assert_eq!(client.read_response().status, 100);
    client.send(b"1\ta\t1\n2\tb\t2\n");
    client.abort();
    let info = emu
        .wait_for_label("db", "gone", &["ABORTED", "VISIBLE"], WAIT)
        .expect("label reaches a final state");
    assert_eq!(info.state, "ABORTED");
    assert!(rows(&emu, "dup").is_empty());
    // The label is reusable after the abort.
    let retry = stream_load(be(&emu), "db", "dup", &[("label", "gone")], b"1\ta\t1\n");
    assert_eq!(retry.json()["Status"], "Success");
}

#[test]
fn f17_client_disconnect_mid_chunked_body_aborts() {
    let emu = emulator();
    let auth = basic("root", "");
    let mut client = RawClient::connect(be(&emu));
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load",
        &[
            ("Authorization", &auth),
            ("Expect", "100-continue"),
            ("Transfer-Encoding", "chunked"),
            ("label", "gone2"),
        ],
    ));
    assert_eq!(client.read_response().status, 100);
    client.send(b"6\r\n1\ta\t1\n\r\n");
    client.abort();
    let info = emu
        .wait_for_label("db", "gone2", &["ABORTED", "VISIBLE"], WAIT)
        .expect("final state");
    assert_eq!(info.state, "ABORTED");
    assert!(rows(&emu, "dup").is_empty());
}
