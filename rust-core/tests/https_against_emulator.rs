//! `https://` load-urls against the emulator serving TLS with the test certificates of
//! `tests/emulator/tls`: plain Stream Load and transactions through the FE's `https` 307 to a TLS
//! BE, error logs over https, and certificates that must be refused (unknown CA, wrong host) with
//! the endpoint and the reason in the message, and an `https` load-url at a plain port, whose
//! error names the TLS handshake. The trust store is handed in
//! (`TrustStore::Pem`), never taken from process-wide variables.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{id_name_table, options, writer, Frames, F};
use starrocks_emulator::{Emulator, EmulatorConfig, TlsFiles};
use starrocks_flink::error::{ErrorKind, SinkError};
use starrocks_flink::load::tls::TrustStore;
use starrocks_flink::options::SinkOptions;
use starrocks_flink::writer::TableOptions;

fn tls_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/emulator/tls/{name}"))
}

/// An emulator whose FE and BE ports serve TLS as `leaf` (`server` or `wrong-host`).
fn tls_emulator(leaf: &str) -> Emulator {
    Emulator::start(EmulatorConfig {
        tls: Some(TlsFiles {
            cert: tls_file(&format!("{leaf}.pem")),
            key: tls_file(&format!("{leaf}.key")),
        }),
        ..EmulatorConfig::default()
    })
    .expect("emulator starts")
}

fn https_url(emu: &Emulator) -> String {
    format!("https://{}", emu.fe_http_addr())
}

/// Options for `db.{table}` at `load_url`, trusting the CA in `ca` (a file of tests/emulator/tls).
fn tls_options(load_url: &str, table: &str, ca: &str, extra: &[(&str, &str)]) -> SinkOptions {
    let mut opts = options(load_url, table, extra);
    opts.trust_store = TrustStore::Pem(tls_file(ca));
    opts
}

/// Writes two rows and flushes.
fn load_two_rows(opts: SinkOptions, table: &str) -> Result<(), SinkError> {
    let w = writer(opts);
    let t = w
        .register_table(
            "db",
            table,
            Some(vec!["id".into(), "name".into()]),
            TableOptions::default(),
        )
        .unwrap();
    let mut f = Frames::default();
    f.row(t, &[F::Int(1), F::Str("one")]);
    f.row(t, &[F::Int(2), F::Null]);
    let result = w.write(&f.bytes).and_then(|_| w.flush());
    w.close();
    result
}

fn sorted_rows(emu: &Emulator, table: &str) -> Vec<Vec<Option<String>>> {
    let mut rows = emu.rows("db", table).unwrap();
    rows.sort();
    rows
}

fn two_rows() -> Vec<Vec<Option<String>>> {
    vec![
        vec![Some("1".into()), Some("one".into())],
        vec![Some("2".into()), None],
    ]
}

#[test]
fn stream_load_and_transactions_go_through_the_https_redirect() {
    let emu = tls_emulator("server");
    assert_eq!(emu.scheme(), "https");
    for (table, transactions) in [("tls_plain", "false"), ("tls_txn", "true")] {
        id_name_table(&emu, table);
        let opts = tls_options(
            &https_url(&emu),
            table,
            "ca.pem",
            &[(
                "sink.at-least-once.use-transaction-stream-load",
                transactions,
            )],
        );
        load_two_rows(opts, table).unwrap_or_else(|e| panic!("{table}: {e}"));
        assert_eq!(sorted_rows(&emu, table), two_rows(), "{table}");
    }
    // Every load and transaction call reached the BE, so every FE 307 (to https://) was followed.
    let be_paths: Vec<String> = emu
        .requests()
        .into_iter()
        .filter(|r| r.node.starts_with("be"))
        .map(|r| r.path)
        .collect();
    for path in [
        "/api/db/tls_plain/_stream_load",
        "/api/transaction/begin",
        "/api/transaction/load",
        "/api/transaction/prepare",
    ] {
        assert!(
            be_paths.iter().any(|p| p == path),
            "{path} not on a BE: {be_paths:?}"
        );
    }
}

#[test]
fn a_mixed_load_url_list_fails_over_from_plain_to_https() {
    let emu = tls_emulator("server");
    id_name_table(&emu, "tls_mixed");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let load_url = format!("http://{closed};{}", https_url(&emu));
    load_two_rows(
        tls_options(&load_url, "tls_mixed", "ca.pem", &[]),
        "tls_mixed",
    )
    .unwrap();
    assert_eq!(sorted_rows(&emu, "tls_mixed"), two_rows());
}

#[test]
fn error_logs_are_fetched_over_https() {
    let emu = tls_emulator("server");
    id_name_table(&emu, "tls_filtered");
    let opts = tls_options(
        &https_url(&emu),
        "tls_filtered",
        "ca.pem",
        &[("sink.max-retries", "0")],
    );
    let w = writer(opts);
    let t = w
        .register_table("db", "tls_filtered", None, TableOptions::default())
        .unwrap();
    let mut f = Frames::default();
    f.raw(t, "not-a-number\tx");
    w.write(&f.bytes).unwrap();
    let e = w.flush().unwrap_err();
    w.close();
    assert_eq!(e.kind(), ErrorKind::LoadFailed, "{e}");
    assert!(e.message().contains("error log https://"), "{e}");
    assert!(
        e.message().contains("Error: ") && !e.message().contains("not fetched"),
        "the error log is quoted: {e}"
    );
}

/// A refused certificate fails the first attempt, is a configuration error and is not retried.
fn assert_refused(emu: &Emulator, table: &str, ca: &str, reason: &str) {
    id_name_table(emu, table);
    let opts = tls_options(
        &https_url(emu),
        table,
        ca,
        &[
            ("sink.max-retries", "3"),
            ("sink.retry.interval-ms", "2000"),
        ],
    );
    let started = Instant::now();
    let e = load_two_rows(opts, table).unwrap_err();
    let message = e.message();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    let expected = format!("TLS handshake with {} failed", emu.fe_http_addr());
    assert!(message.contains(&expected), "{e}");
    assert!(message.contains(reason), "{e}");
    assert!(!message.contains("gave up after"), "retried: {e}");
    assert!(started.elapsed() < Duration::from_secs(2), "retried: {e}");
    assert!(emu.rows("db", table).unwrap().is_empty());
    // The handshake failed, so no HTTP request was ever read.
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
}

#[test]
fn a_certificate_from_an_untrusted_ca_is_refused_naming_the_host_and_reason() {
    let emu = tls_emulator("server");
    assert_refused(&emu, "tls_untrusted", "other-ca.pem", "UnknownIssuer");
}

#[test]
fn a_certificate_for_another_host_is_refused_naming_the_host_and_reason() {
    let emu = tls_emulator("wrong-host");
    assert_refused(&emu, "tls_wrong_host", "ca.pem", "not valid for name");
}

#[test]
fn http_load_urls_still_work_next_to_the_tls_code() {
    let emu = common::emulator();
    assert_eq!(emu.scheme(), "http");
    id_name_table(&emu, "plain_http");
    let load_url = format!("http://{}", emu.fe_http_addr());
    load_two_rows(
        tls_options(&load_url, "plain_http", "ca.pem", &[]),
        "plain_http",
    )
    .unwrap();
    assert_eq!(sorted_rows(&emu, "plain_http"), two_rows());
}

#[test]
fn an_https_load_url_at_a_plain_port_names_the_tls_handshake() {
    let emu = common::emulator();
    id_name_table(&emu, "plain_port");
    let opts = tls_options(
        &https_url(&emu),
        "plain_port",
        "ca.pem",
        &[
            ("sink.max-retries", "0"),
            ("sink.connect.timeout-ms", "1000"),
        ],
    );
    let e = load_two_rows(opts, "plain_port").unwrap_err();
    let expected = format!(
        "the TLS handshake (connect timeout 1000 ms) from {}",
        emu.fe_http_addr()
    );
    assert!(e.message().contains(&expected), "{e}");
    assert!(emu.rows("db", "plain_port").unwrap().is_empty());
}
