//! TLS on the FE and BE HTTP ports (`EmulatorConfig::tls`, `--tls-cert`/`--tls-key`) with the
//! test certificates of `tests/emulator/tls`: the FE redirects to `https://` BEs, a Stream Load
//! runs over TLS with `100 Continue`, error URLs say `https://`, a plain-HTTP client gets no HTTP
//! answer, and unreadable identity files fail the start naming the file.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;

use common::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use starrocks_emulator::{Emulator, EmulatorConfig, TlsFiles};

fn tls_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tls")
        .join(name)
}

fn tls_config() -> EmulatorConfig {
    EmulatorConfig {
        tls: Some(TlsFiles {
            cert: tls_file("server.pem"),
            key: tls_file("server.key"),
        }),
        ..EmulatorConfig::default()
    }
}

/// A blocking TLS client trusting the test CA, for `127.0.0.1`.
struct TlsClient {
    stream: StreamOwned<ClientConnection, TcpStream>,
    buf: Vec<u8>,
}

impl TlsClient {
    #[allow(deprecated)] // ring: see src/http/tls.rs
    fn connect(addr: SocketAddr) -> TlsClient {
        let mut roots = RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(tls_file("ca.pem")).expect("ca.pem") {
            roots.add(cert.expect("a certificate")).expect("a CA");
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = ServerName::try_from("127.0.0.1").expect("a server name");
        let conn = ClientConnection::new(Arc::new(config), name).expect("a TLS client");
        let tcp = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        tcp.set_read_timeout(Some(WAIT)).expect("read timeout");
        tcp.set_write_timeout(Some(WAIT)).expect("write timeout");
        TlsClient {
            stream: StreamOwned::new(conn, tcp),
            buf: Vec::new(),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send");
        self.stream.flush().expect("flush");
    }

    /// Reads one response (head and Content-Length body); an interim 100 is its own response.
    fn read_response(&mut self) -> RawResponse {
        let end = loop {
            if let Some(pos) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos;
            }
            let mut chunk = [0u8; 16384];
            let n = self.stream.read(&mut chunk).expect("read (timeout?)");
            assert!(n > 0, "connection closed before a response");
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&self.buf[..end]).into_owned();
        self.buf.drain(..end + 4);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad head {head:?}"));
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        let mut response = RawResponse {
            status,
            headers,
            body: Vec::new(),
        };
        let length: usize = response
            .header("Content-Length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while self.buf.len() < length {
            let mut chunk = [0u8; 16384];
            let n = self.stream.read(&mut chunk).expect("read body");
            assert!(n > 0, "connection closed inside the body");
            self.buf.extend_from_slice(&chunk[..n]);
        }
        response.body = self.buf.drain(..length).collect();
        response
    }
}

/// A Stream Load over TLS: head, `100 Continue`, body, final answer.
fn tls_stream_load(addr: SocketAddr, table: &str, label: &str, body: &[u8]) -> RawResponse {
    let auth = basic("root", "");
    let len = body.len().to_string();
    let headers = load_headers(&auth, &len, &[("label", label)]);
    let mut client = TlsClient::connect(addr);
    client.send(&head(
        "PUT",
        &format!("/api/db/{table}/_stream_load"),
        &headers,
    ));
    let first = client.read_response();
    assert_eq!(first.status, 100, "{}", first.text());
    client.send(body);
    client.read_response()
}

#[test]
fn the_fe_redirects_to_https_bes_over_tls() {
    let emu = emulator_with(tls_config());
    assert_eq!(emu.scheme(), "https");
    let auth = basic("root", "");
    let mut client = TlsClient::connect(emu.fe_http_addr());
    client.send(&head(
        "PUT",
        "/api/db/dup/_stream_load?a=1",
        &[
            ("Authorization", &auth),
            ("Expect", "100-continue"),
            ("Content-Length", "10"),
            ("label", "tls1"),
        ],
    ));
    let response = client.read_response();
    assert_eq!(response.status, 307);
    assert_eq!(
        response.header("Location"),
        Some(format!("https://{}/api/db/dup/_stream_load?a=1", be(&emu)).as_str())
    );
}

#[test]
fn followers_redirect_to_the_leader_with_https() {
    let emu = emulator_with(EmulatorConfig {
        follower_fes: 1,
        ..tls_config()
    });
    let auth = basic("root", "");
    let mut client = TlsClient::connect(emu.follower_fe_addrs()[0]);
    client.send(&head(
        "GET",
        "/api/db/get_load_state?label=x",
        &[("Authorization", &auth), ("Connection", "close")],
    ));
    let response = client.read_response();
    assert_eq!(response.status, 307);
    assert_eq!(
        response.header("Location"),
        Some(
            format!(
                "https://{}/api/db/get_load_state?label=x",
                emu.fe_http_addr()
            )
            .as_str()
        )
    );
}

#[test]
fn a_stream_load_runs_over_tls_and_error_urls_say_https() {
    let emu = emulator_with(tls_config());
    let ok = tls_stream_load(be(&emu), "dup", "tls-ok", b"1\ta\t1.50\n2\tb\t2.00\n");
    assert_eq!(ok.json()["Status"], "Success", "{}", ok.text());
    assert_eq!(rows(&emu, "dup").len(), 2);

    let bad = tls_stream_load(be(&emu), "dup", "tls-bad", b"x\ta\t1.00\n");
    assert_eq!(bad.json()["Status"], "Fail", "{}", bad.text());
    let url = bad.json()["ErrorURL"]
        .as_str()
        .expect("ErrorURL")
        .to_string();
    let prefix = format!("https://{}/api/_load_error_log?file=", be(&emu));
    assert!(url.starts_with(&prefix), "{url}");
    let mut client = TlsClient::connect(be(&emu));
    client.send(&head(
        "GET",
        &url[url.find("/api/").unwrap()..],
        &[("Connection", "close")],
    ));
    let log = client.read_response();
    assert_eq!(log.status, 200);
    assert!(log.text().contains("Error"), "{}", log.text());
}

#[test]
fn a_plain_http_client_gets_no_http_answer_from_a_tls_port() {
    let emu = emulator_with(tls_config());
    let mut client = RawClient::connect(emu.fe_http_addr());
    let _ = client.try_send(&head("GET", "/api/health", &[("Connection", "close")]));
    assert!(
        client.try_read_response().is_none(),
        "a TLS port answered plain HTTP"
    );
}

#[test]
fn the_control_port_stays_plain_http() {
    let emu = emulator_with(tls_config());
    let response = get(emu.control_addr(), "/control/health", None);
    assert_eq!(response.status, 200, "{}", response.text());
}

#[test]
fn unreadable_identity_files_fail_the_start_naming_the_file() {
    let missing = tls_file("missing.pem");
    let e = Emulator::start(EmulatorConfig {
        tls: Some(TlsFiles {
            cert: missing.clone(),
            key: tls_file("server.key"),
        }),
        ..EmulatorConfig::default()
    })
    .err()
    .expect("a start error");
    assert!(
        e.to_string().contains(&missing.display().to_string()),
        "{e}"
    );
    // A key that does not belong to the certificate.
    let e = Emulator::start(EmulatorConfig {
        tls: Some(TlsFiles {
            cert: tls_file("server.pem"),
            key: tls_file("wrong-host.key"),
        }),
        ..EmulatorConfig::default()
    })
    .err()
    .expect("a start error");
    assert!(e.to_string().contains("server.pem"), "{e}");
}
