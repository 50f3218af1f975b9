//! Helpers for the transaction-interface tests (spec §5): one raw request to a node, a request
//! that follows the FE's 307s like the connector does (method, headers and body kept), and a
//! small `Txn` wrapper for the begin/load/prepare/commit/rollback sequence.

#![allow(dead_code)]

use std::net::SocketAddr;

use crate::common::{basic, head, RawClient, RawResponse};
use starrocks_emulator::Emulator;

/// Sends one request (no redirect following). `body` = `None` sends `Content-Length: 0`; with a
/// body the request carries `Expect: 100-continue` and the body is sent after `100 Continue`.
/// Returns the final response (or the early final one when no 100 came).
pub fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> RawResponse {
    try_request(addr, method, target, headers, body).expect("a response")
}

/// Like `request`; `None` when the server closed the connection without answering.
pub fn try_request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Option<RawResponse> {
    let len = body.map_or(0, <[u8]>::len).to_string();
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    all.push(("Content-Length", &len));
    if body.is_some() {
        all.push(("Expect", "100-continue"));
    }
    let mut client = RawClient::connect(addr);
    client.send(&head(method, target, &all));
    let first = client.try_read_response()?;
    if first.status != 100 {
        return Some(first);
    }
    if let Some(body) = body {
        let _ = client.try_send(body);
    }
    client.try_read_response()
}

/// Sends to the FE and follows up to 3 redirects; returns every response (last = final).
pub fn via_fe(
    emu: &Emulator,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Vec<RawResponse> {
    let mut addr = emu.fe_http_addr();
    let mut target = target.to_string();
    let mut hops = Vec::new();
    for _ in 0..4 {
        let response = request(addr, method, &target, headers, body);
        let location = response.header("Location").map(str::to_string);
        let status = response.status;
        hops.push(response);
        if status != 307 {
            break;
        }
        let location = location.expect("307 has a Location");
        let rest = location.strip_prefix("http://").expect("http Location");
        let slash = rest.find('/').expect("path");
        addr = rest[..slash].parse().expect("socket address");
        target = rest[slash..].to_string();
    }
    hops
}

/// One transaction of the classic interface, driven through the FE.
pub struct Txn<'a> {
    pub emu: &'a Emulator,
    pub db: String,
    pub table: String,
    pub label: String,
    pub auth: String,
    /// Extra headers sent on every op.
    pub extra: Vec<(String, String)>,
}

impl<'a> Txn<'a> {
    pub fn new(emu: &'a Emulator, table: &str, label: &str) -> Txn<'a> {
        Txn {
            emu,
            db: "db".to_string(),
            table: table.to_string(),
            label: label.to_string(),
            auth: basic("root", ""),
            extra: Vec::new(),
        }
    }

    pub fn with(mut self, name: &str, value: &str) -> Txn<'a> {
        self.extra.push((name.to_string(), value.to_string()));
        self
    }

    /// Headers of every op plus `more`.
    fn headers<'h>(&'h self, more: &[(&'h str, &'h str)]) -> Vec<(&'h str, &'h str)> {
        let mut h: Vec<(&str, &str)> = vec![
            ("Authorization", self.auth.as_str()),
            ("label", self.label.as_str()),
            ("db", self.db.as_str()),
            ("table", self.table.as_str()),
        ];
        h.extend(self.extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        h.extend_from_slice(more);
        h
    }

    /// An op through the FE; returns all hops.
    pub fn op_hops(
        &self,
        op: &str,
        more: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Vec<RawResponse> {
        let method = if op == "load" { "PUT" } else { "POST" };
        via_fe(
            self.emu,
            method,
            &format!("/api/transaction/{op}"),
            &self.headers(more),
            body,
        )
    }

    /// An op through the FE; the final answer as JSON.
    pub fn op(&self, op: &str, more: &[(&str, &str)], body: Option<&[u8]>) -> serde_json::Value {
        let hops = self.op_hops(op, more, body);
        let last = hops.last().expect("a response");
        assert_eq!(last.status, 200, "{op}: {}", last.text());
        last.json()
    }

    pub fn begin(&self) -> serde_json::Value {
        self.op("begin", &[], None)
    }

    pub fn load(&self, body: &[u8]) -> serde_json::Value {
        self.op("load", &[], Some(body))
    }

    pub fn prepare(&self) -> serde_json::Value {
        self.op("prepare", &[], None)
    }

    pub fn commit(&self) -> serde_json::Value {
        self.op("commit", &[], None)
    }

    pub fn rollback(&self) -> serde_json::Value {
        self.op("rollback", &[], None)
    }

    /// `get_load_state` of this label.
    pub fn state(&self) -> String {
        let r = crate::common::get(
            self.emu.fe_http_addr(),
            &format!("/api/{}/get_load_state?label={}", self.db, self.label),
            Some(&self.auth),
        );
        r.json()["state"].as_str().unwrap_or("").to_string()
    }
}

/// A control-API call (body sent at once, no `Expect`).
pub fn control(emu: &Emulator, method: &str, target: &str, body: &str) -> RawResponse {
    let len = body.len().to_string();
    let mut client = RawClient::connect(emu.control_addr());
    client.send(&head(
        method,
        target,
        &[("Content-Length", len.as_str()), ("Connection", "close")],
    ));
    client.send(body.as_bytes());
    client.read_response()
}
