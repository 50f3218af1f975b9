//! Helpers for the conformance tests: a raw HTTP/1.1 client over `std::net::TcpStream` (so tests
//! control every byte and see interim `100 Continue` responses), and emulator fixtures.
//! Every read has a timeout, so no test can hang.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use base64::Engine;
use starrocks_emulator::{Emulator, EmulatorConfig, KeyModel, TableSpec};

/// Upper bound of any single wait in the tests.
pub const WAIT: Duration = Duration::from_secs(10);

/// A parsed response.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("response is not JSON ({e}): {}", self.text()))
    }
}

/// A raw client connection.
pub struct RawClient {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl RawClient {
    pub fn connect(addr: SocketAddr) -> RawClient {
        let stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        stream.set_read_timeout(Some(WAIT)).expect("read timeout");
        stream.set_write_timeout(Some(WAIT)).expect("write timeout");
        RawClient {
            stream,
            buf: Vec::new(),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send");
        self.stream.flush().expect("flush");
    }

    /// Sends, ignoring errors (the server may have closed already).
    pub fn try_send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    fn fill(&mut self) -> usize {
        let mut chunk = [0u8; 65536];
        match self.stream.read(&mut chunk) {
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                n
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => 0,
            Err(e) => panic!("read failed (timeout?): {e}"),
        }
    }

    /// Reads one response (an interim 100 is returned as its own response). Panics on timeout.
    pub fn read_response(&mut self) -> RawResponse {
        self.try_read_response()
            .expect("connection closed before a response")
    }

    /// Like `read_response`, `None` if the server closed the connection first.
    pub fn try_read_response(&mut self) -> Option<RawResponse> {
        let head_end = loop {
            if let Some(pos) = find(&self.buf, b"\r\n\r\n") {
                break pos;
            }
            if self.fill() == 0 {
                return None;
            }
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
        self.buf.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or("");
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        while self.buf.len() < length {
            if self.fill() == 0 {
                panic!("connection closed inside a response body");
            }
        }
        let body: Vec<u8> = self.buf.drain(..length).collect();
        Some(RawResponse {
            status,
            headers,
            body,
        })
    }

    /// True when the server closed the connection (reads EOF within the wait).
    pub fn is_closed_by_server(&mut self) -> bool {
        if !self.buf.is_empty() {
            return false;
        }
        self.fill() == 0
    }

    /// Ends the request side (FIN) but keeps reading: a client whose body ended early.
    pub fn shutdown_write(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// Closes both directions (simulates a client going away).
    pub fn abort(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// A request head with the given extra headers (name, value).
pub fn head(method: &str, target: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("{method} {target} HTTP/1.1\r\nHost: test\r\n");
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// Standard load headers: auth as root, Expect, Content-Length, plus extras.
pub fn load_headers<'a>(
    auth: &'a str,
    len: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut h = vec![
        ("Authorization", auth),
        ("Expect", "100-continue"),
        ("Content-Length", len),
    ];
    h.extend_from_slice(extra);
    h
}

/// Runs a complete Stream Load against `addr` (a BE): Expect/100-continue handshake, body with
/// Content-Length. Returns the final response. Fails the test if no 100 arrives when the final
/// response is not an early failure.
pub fn stream_load(
    addr: SocketAddr,
    db: &str,
    table: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let auth = basic("root", "");
    let len = body.len().to_string();
    let headers = load_headers(&auth, &len, extra);
    let mut client = RawClient::connect(addr);
    client.send(&head(
        "PUT",
        &format!("/api/{db}/{table}/_stream_load"),
        &headers,
    ));
    let first = client.read_response();
    if first.status != 100 {
        return first;
    }
    client.send(body);
    client.read_response()
}

/// Emulator with database `db` and the standard test tables:
/// `dup` DUPLICATE (id BIGINT NOT NULL, name VARCHAR(16), price DECIMAL(10,2));
/// `pk` PRIMARY KEY (id) (id BIGINT NOT NULL, name VARCHAR(16), score INT).
pub fn emulator_with(config: EmulatorConfig) -> Emulator {
    let emu = Emulator::start(config).expect("start emulator");
    emu.create_database("db");
    emu.create_table(
        TableSpec::new("db", "dup", KeyModel::Duplicate)
            .column("id", "BIGINT", false)
            .column("name", "VARCHAR(16)", true)
            .column("price", "DECIMAL(10,2)", true)
            .keys(&["id"]),
    )
    .expect("create dup");
    emu.create_table(
        TableSpec::new("db", "pk", KeyModel::Primary)
            .column("id", "BIGINT", false)
            .column("name", "VARCHAR(16)", true)
            .column("score", "INT", true)
            .keys(&["id"]),
    )
    .expect("create pk");
    emu
}

pub fn emulator() -> Emulator {
    emulator_with(EmulatorConfig::default())
}

pub fn be(emu: &Emulator) -> SocketAddr {
    emu.be_http_addrs()[0]
}

/// Rows as `Vec<Vec<&str>>` with NULL shown as `"NULL"`, for compact assertions.
pub fn rows(emu: &Emulator, table: &str) -> Vec<Vec<String>> {
    emu.rows("db", table)
        .expect("rows")
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|v| v.unwrap_or_else(|| "NULL".to_string()))
                .collect()
        })
        .collect()
}

pub fn r(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

/// GET a path on an address with optional auth; returns the response.
pub fn get(addr: SocketAddr, target: &str, auth: Option<&str>) -> RawResponse {
    let mut headers = vec![("Connection", "close")];
    if let Some(a) = auth {
        headers.push(("Authorization", a));
    }
    let mut client = RawClient::connect(addr);
    client.send(&head("GET", target, &headers));
    client.read_response()
}

/// Path and query of an ErrorURL.
pub fn error_url_target(url: &str) -> String {
    let rest = url.strip_prefix("http://").expect("http URL");
    let slash = rest.find('/').expect("path");
    rest[slash..].to_string()
}
