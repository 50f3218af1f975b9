//! The connection settings to one StarRocks cluster and the calls every load path shares: send to
//! an FE with failover, read a label's state, fetch an error log.
//!
//! FE failover: requests start at the FE that answered last; an FE that refuses the connection is
//! skipped for the next one in `load-url` order (each at most once per request), so a rolling FE
//! restart costs no retry. Errors after the request reached an FE are not failed over here: the
//! caller decides whether to retry (with the same label).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;

use super::http::{self, Endpoint, HttpError, Request, Response, Timeouts};
use super::response::{excerpt, ServerAnswer};
use super::state::TxnState;
use super::tls::Tls;
use crate::error::{ErrorKind, Result, SinkError};
use crate::options::SinkOptions;

/// Longest error-log text kept in a message (as the public connector).
pub const ERROR_LOG_MAX_CHARS: usize = 3000;

pub struct ServerClient {
    fes: Vec<Endpoint>,
    next_fe: AtomicUsize,
    /// Serves `https` endpoints; the trust store is read on first use.
    tls: Tls,
    /// `Basic ...`; never logged.
    authorization: String,
    pub connect_timeout: Duration,
    pub wait_for_continue: Duration,
    pub socket_timeout: Option<Duration>,
    /// Budget of one data request (the load `timeout` header plus a margin).
    pub load_deadline: Duration,
    /// Budget of a commit: the server may wait for the publish up to the publish timeout.
    commit_deadline: Duration,
    /// Cut row data out of fetched error logs (`sink.sanitize-error-log`).
    sanitize_error_log: bool,
}

impl std::fmt::Debug for ServerClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerClient")
            .field("fes", &self.fes)
            .finish_non_exhaustive()
    }
}

/// Budget of a control call (label state, error log).
const CONTROL_DEADLINE: Duration = Duration::from_secs(60);

impl ServerClient {
    pub fn new(opts: &SinkOptions) -> ServerClient {
        let credentials = format!("{}:{}", opts.username, opts.password.expose());
        ServerClient {
            fes: opts
                .load_urls
                .iter()
                .map(|u| Endpoint {
                    host: u.host.clone(),
                    port: u.port,
                    tls: u.tls,
                })
                .collect(),
            next_fe: AtomicUsize::new(0),
            tls: Tls::new(opts.trust_store.clone()),
            authorization: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
            connect_timeout: opts.connect_timeout,
            wait_for_continue: opts.wait_for_continue_timeout,
            socket_timeout: opts.socket_timeout,
            load_deadline: opts.load_timeout + opts.load_timeout / 10 + Duration::from_secs(5),
            commit_deadline: CONTROL_DEADLINE
                .max(opts.publish_timeout.unwrap_or_default() + Duration::from_secs(30)),
            sanitize_error_log: opts.sanitize_error_log,
        }
    }

    pub fn authorization(&self) -> (String, String) {
        ("Authorization".to_string(), self.authorization.clone())
    }

    pub fn data_timeouts(&self) -> Timeouts {
        Timeouts {
            connect: self.connect_timeout,
            wait_for_continue: self.wait_for_continue,
            socket: self.socket_timeout,
            total: self.load_deadline,
        }
    }

    pub fn control_timeouts(&self) -> Timeouts {
        Timeouts {
            connect: self.connect_timeout,
            wait_for_continue: self.wait_for_continue,
            socket: self.socket_timeout,
            total: CONTROL_DEADLINE,
        }
    }

    /// Timeouts of a commit, which may wait for the publish.
    pub fn commit_timeouts(&self) -> Timeouts {
        Timeouts {
            total: self.commit_deadline,
            ..self.control_timeouts()
        }
    }

    /// Sends to an FE, trying the next FE when one cannot be connected to.
    pub async fn send_to_fe(
        &self,
        req: &Request<'_>,
        timeouts: Timeouts,
    ) -> std::result::Result<Response, HttpError> {
        let start = self.next_fe.load(Ordering::Relaxed);
        let mut last = None;
        for i in 0..self.fes.len() {
            let idx = (start + i) % self.fes.len();
            match http::send(&self.tls, &self.fes[idx], req, timeouts).await {
                Err(e @ HttpError::Connect { .. }) => {
                    tracing::warn!(
                        "FE {} is not reachable, trying the next load-url: {e}",
                        e.target()
                    );
                    last = Some(e);
                }
                other => {
                    self.next_fe.store(idx, Ordering::Relaxed);
                    return other;
                }
            }
        }
        Err(last.unwrap_or_else(|| HttpError::Connect {
            target: "load-url".into(),
            detail: "no FE address configured".into(),
        }))
    }

    /// `GET /api/{db}/get_load_state?label=...` (protocol §4).
    pub async fn load_state(&self, database: &str, label: &str) -> Result<TxnState> {
        let req = Request {
            method: "GET",
            path_and_query: format!(
                "/api/{}/get_load_state?label={}",
                encode_segment(database),
                encode_segment(label)
            ),
            headers: vec![self.authorization()],
            body: b"",
            expect_continue: false,
        };
        let what = format!("the state of label {label} in database {database}");
        let resp = self
            .send_to_fe(&req, self.control_timeouts())
            .await
            .map_err(|e| transport_error(&what, e))?;
        let answer = answer_of(&resp, &what)?;
        let state = answer.state().ok_or_else(|| {
            SinkError::new(
                ErrorKind::LoadFailed,
                format!(
                    "reading {what}: the answer has no 'state' ({}: {})",
                    answer.status().unwrap_or_default(),
                    answer.message()
                ),
            )
        })?;
        TxnState::parse(&state).ok_or_else(|| {
            SinkError::new(
                ErrorKind::LoadFailed,
                format!("reading {what}: unknown state '{state}'"),
            )
        })
    }

    /// Fetches an `ErrorURL` (no credentials, as the protocol says; over TLS when it is `https`),
    /// truncated for messages.
    pub async fn error_log(&self, url: &str) -> String {
        let (ep, path) = match http::parse_location(url) {
            Ok(parts) => parts,
            Err(e) => return format!("(error log not fetched: {e})"),
        };
        let req = Request {
            method: "GET",
            path_and_query: path,
            headers: vec![],
            body: b"",
            expect_continue: false,
        };
        match http::send(&self.tls, &ep, &req, self.control_timeouts()).await {
            Ok(resp) if resp.status == 200 && self.sanitize_error_log => {
                let text = sanitize_error_log(&String::from_utf8_lossy(&resp.body));
                excerpt(text.as_bytes(), ERROR_LOG_MAX_CHARS)
            }
            Ok(resp) if resp.status == 200 => excerpt(&resp.body, ERROR_LOG_MAX_CHARS),
            Ok(resp) => format!("(error log not fetched: HTTP {})", resp.status),
            Err(e) => format!("(error log not fetched: {e})"),
        }
    }
}

/// An error log without row data: each line keeps its reason, the row after `Row:` and quoted
/// values after `Value ` are replaced (`sink.sanitize-error-log`).
pub fn sanitize_error_log(log: &str) -> String {
    let mut out = String::with_capacity(log.len().min(ERROR_LOG_MAX_CHARS * 2));
    for (i, line) in log.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (reason, row) = match line.find("Row:") {
            Some(at) => (&line[..at], Some(())),
            None => (line, None),
        };
        let mut rest = reason;
        while let Some(at) = rest.find("Value '") {
            out.push_str(&rest[..at]);
            out.push_str("column value");
            let after = &rest[at + "Value '".len()..];
            rest = match after.find('\'') {
                Some(end) => &after[end + 1..],
                None => "",
            };
        }
        out.push_str(rest);
        if row.is_some() {
            out.push_str("Row: (sanitized)");
        }
    }
    out
}

/// Parses a 200 JSON answer; 401 and other statuses become errors that say what was asked.
pub fn answer_of(resp: &Response, what: &str) -> Result<ServerAnswer> {
    match resp.status {
        200 => ServerAnswer::parse(&resp.body).map_err(|e| {
            SinkError::new(
                ErrorKind::LoadFailed,
                format!("{what}: {} answered {e}", resp.endpoint.authority()),
            )
        }),
        401 | 403 => Err(SinkError::new(
            ErrorKind::Auth,
            format!(
                "{what}: {} refused the credentials (HTTP {}): {}; check 'username' and \
                 'password' and the INSERT privilege",
                resp.endpoint.authority(),
                resp.status,
                excerpt(&resp.body, 300)
            ),
        )),
        307 | 308 => Err(SinkError::new(
            ErrorKind::LoadFailed,
            format!(
                "{what}: {} still redirects after {} hops",
                resp.endpoint.authority(),
                http::MAX_REDIRECTS
            ),
        )),
        status => Err(SinkError::new(
            ErrorKind::LoadFailed,
            format!(
                "{what}: {} answered HTTP {status}: {}",
                resp.endpoint.authority(),
                excerpt(&resp.body, 300)
            ),
        )),
    }
}

/// A transport failure while doing `what`. A failed TLS handshake is a configuration problem
/// (certificate, trust store, `https` towards a plain port): `Config`, which nothing retries.
pub fn transport_error(what: &str, e: HttpError) -> SinkError {
    let kind = match e {
        HttpError::Timeout { .. } => ErrorKind::Timeout,
        HttpError::Tls { .. } => ErrorKind::Config,
        _ => ErrorKind::Connection,
    };
    SinkError::new(kind, format!("{what}: {e}"))
}

/// Percent-encodes one URL path segment or query value.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized_error_logs_keep_reasons_and_drop_row_data() {
        let log = "Error: Value count does not match column count. Expect 2, but got 3. \
                   Column delimiter: 9,Row delimiter: 10.. Row: 1\tsecret\tmore\n\
                   Error: Value 'secret-42' is out of range for column 'id'. Row: secret-42\tx\n\
                   Error: Value 'unterminated";
        let clean = sanitize_error_log(log);
        assert!(!clean.contains("secret"), "{clean}");
        assert_eq!(
            clean,
            "Error: Value count does not match column count. Expect 2, but got 3. \
             Column delimiter: 9,Row delimiter: 10.. Row: (sanitized)\n\
             Error: column value is out of range for column 'id'. Row: (sanitized)\n\
             Error: column value"
        );
    }
}
