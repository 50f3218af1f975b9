//! A small HTTP/1.1 client made for StarRocks' load protocol, used for every call the engine makes.
//!
//! Why not a general client: a data load must send `Expect: 100-continue` and must not stream its
//! body to an FE that is about to answer `307`; general clients (reqwest/hyper) either do not wait
//! for `100 Continue` or follow redirects in a way that drops `Authorization` when the host changes
//! (FE to BE always does). Here:
//! - one TCP connection per request (`Connection: close`), so no 100-continue exchange can leak into
//!   a later request on a kept-alive connection;
//! - with a body and `expect_continue`, the head goes first; the body follows on `100 Continue`, or
//!   after the wait-for-continue timeout (RFC 9110), and is never sent when a final answer comes
//!   first;
//! - `307`/`308` are followed by the caller-visible [`send`] with method, headers (including
//!   credentials) and body unchanged, at most [`MAX_REDIRECTS`] hops (follower FE -> leader FE -> BE);
//! - every wait is bounded: connect timeout, wait-for-continue timeout, optional per-read socket
//!   timeout, and an overall deadline per request.
//!
//! `https://` endpoints (load-urls, redirect Locations, error-log URLs) run TLS over the same
//! connection (see [`super::tls`]): the certificate is checked against the trust store and the host.
//!
//! Errors name the target `host:port` and what was being waited for; they never contain headers.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};

use super::response::excerpt;
use super::tls::Tls;
use stream::Stream;

/// Hops followed for one request: follower FE -> leader FE -> BE, with one to spare.
pub const MAX_REDIRECTS: usize = 3;
const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_RESPONSE_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    /// `https`: TLS with certificate and host-name checks.
    pub tls: bool,
}

impl Endpoint {
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// One request. Header values may hold credentials: they are never logged or put in errors.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub method: &'static str,
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
    pub expect_continue: bool,
}

/// Timeouts of one request.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub wait_for_continue: Duration,
    /// Longest silence while reading; `None` = only the deadline applies.
    pub socket: Option<Duration>,
    /// Overall budget of one hop, from connect to the last response byte.
    pub total: Duration,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Where the final answer came from.
    pub endpoint: Endpoint,
    /// False when the server answered before the body was sent (so it never saw it).
    pub body_sent: bool,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Transport failures. `Connect` means the request never reached the server; `Tls` that the TLS
/// handshake failed (a refused certificate, a server that does not speak TLS, no trust store):
/// a retry does not help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    Connect { target: String, detail: String },
    Tls { target: String, detail: String },
    Timeout { target: String, waiting_for: String },
    Io { target: String, detail: String },
    Protocol { target: String, detail: String },
}

impl HttpError {
    pub fn target(&self) -> &str {
        match self {
            HttpError::Connect { target, .. }
            | HttpError::Tls { target, .. }
            | HttpError::Timeout { target, .. }
            | HttpError::Io { target, .. }
            | HttpError::Protocol { target, .. } => target,
        }
    }
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Connect { target, detail } => {
                write!(f, "cannot connect to {target}: {detail}")
            }
            HttpError::Tls { target, detail } => {
                write!(f, "TLS handshake with {target} failed: {detail}")
            }
            HttpError::Timeout {
                target,
                waiting_for,
            } => write!(f, "timed out waiting for {waiting_for} from {target}"),
            HttpError::Io { target, detail } => {
                write!(f, "connection to {target} failed: {detail}")
            }
            HttpError::Protocol { target, detail } => {
                write!(f, "unexpected HTTP answer from {target}: {detail}")
            }
        }
    }
}

/// Sends `req` to `first`, following 307/308 redirects (to `http` or `https` Locations); `tls`
/// serves the `https` hops.
pub async fn send(
    tls: &Tls,
    first: &Endpoint,
    req: &Request<'_>,
    t: Timeouts,
) -> Result<Response, HttpError> {
    let mut endpoint = first.clone();
    let mut path = req.path_and_query.clone();
    for _ in 0..=MAX_REDIRECTS {
        let resp = send_once(tls, &endpoint, &path, req, t).await?;
        if resp.status != 307 && resp.status != 308 {
            return Ok(resp);
        }
        let location = resp.header("location").ok_or_else(|| HttpError::Protocol {
            target: endpoint.authority(),
            detail: format!("{} without a Location header", resp.status),
        })?;
        let (next, next_path) = parse_location(location).map_err(|detail| HttpError::Protocol {
            target: endpoint.authority(),
            detail: format!("redirect: {detail}"),
        })?;
        tracing::debug!(
            from = %endpoint.authority(),
            to = %next.authority(),
            "following redirect"
        );
        endpoint = next;
        path = next_path;
    }
    Err(HttpError::Protocol {
        target: first.authority(),
        detail: format!("more than {MAX_REDIRECTS} redirects"),
    })
}

/// Splits an absolute `http[s]://host:port/path?query` URL (a redirect Location, an error-log URL).
pub fn parse_location(location: &str) -> Result<(Endpoint, String), String> {
    let scheme_end = location.find("://").unwrap_or(0);
    let tls = match location[..scheme_end].to_ascii_lowercase().as_str() {
        "http" => false,
        "https" => true,
        _ => {
            return Err(format!(
                "unsupported URL '{location}' (expected http:// or https://)"
            ))
        }
    };
    let rest = &location[scheme_end + 3..];
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, p) = v6
            .split_once("]:")
            .ok_or_else(|| format!("URL '{location}' has no port"))?;
        (h, p)
    } else {
        authority
            .rsplit_once(':')
            .ok_or_else(|| format!("URL '{location}' has no port"))?
    };
    let port = port
        .parse::<u16>()
        .map_err(|_| format!("URL '{location}' has a bad port"))?;
    Ok((
        Endpoint {
            host: host.to_string(),
            port,
            tls,
        },
        path.to_string(),
    ))
}

struct Conn {
    stream: Stream,
    buf: Vec<u8>,
    target: String,
    deadline: Instant,
    socket: Option<Duration>,
}

struct Head {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Conn {
    fn read_deadline(&self) -> Instant {
        match self.socket {
            Some(s) => self.deadline.min(Instant::now() + s),
            None => self.deadline,
        }
    }

    async fn fill(&mut self, waiting_for: &str, until: Instant) -> Result<usize, HttpError> {
        let mut tmp = [0u8; 16 * 1024];
        let n = timeout_at(until, self.stream.read(&mut tmp))
            .await
            .map_err(|_| HttpError::Timeout {
                target: self.target.clone(),
                waiting_for: waiting_for.to_string(),
            })?
            .map_err(|e| HttpError::Io {
                target: self.target.clone(),
                detail: e.to_string(),
            })?;
        self.buf.extend_from_slice(&tmp[..n]);
        Ok(n)
    }

    /// Reads one response head (status line + headers).
    async fn read_head(&mut self, until: Option<Instant>) -> Result<Head, HttpError> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head: Vec<u8> = self.buf.drain(..end + 4).collect();
                return parse_head(&head).map_err(|detail| HttpError::Protocol {
                    target: self.target.clone(),
                    detail,
                });
            }
            if self.buf.len() > MAX_HEAD_BYTES {
                return Err(HttpError::Protocol {
                    target: self.target.clone(),
                    detail: "response head too large".into(),
                });
            }
            let until = until.unwrap_or_else(|| self.read_deadline());
            if self.fill("the response", until).await? == 0 {
                return Err(HttpError::Io {
                    target: self.target.clone(),
                    detail: "connection closed before a response".into(),
                });
            }
        }
    }

    async fn read_body(&mut self, head: &Head) -> Result<Vec<u8>, HttpError> {
        let chunked = header(&head.headers, "transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        if chunked {
            return self.read_chunked().await;
        }
        if let Some(len) = header(&head.headers, "content-length") {
            let len: usize = len.trim().parse().map_err(|_| HttpError::Protocol {
                target: self.target.clone(),
                detail: format!("bad Content-Length '{len}'"),
            })?;
            if len > MAX_RESPONSE_BODY_BYTES {
                return Err(self.too_large());
            }
            while self.buf.len() < len {
                if self.fill("the response body", self.read_deadline()).await? == 0 {
                    return Err(HttpError::Io {
                        target: self.target.clone(),
                        detail: "connection closed inside the response body".into(),
                    });
                }
            }
            let body = self.buf.drain(..len).collect();
            return Ok(body);
        }
        // No length: the body ends when the server closes the connection.
        while self.fill("the response body", self.read_deadline()).await? > 0 {
            if self.buf.len() > MAX_RESPONSE_BODY_BYTES {
                return Err(self.too_large());
            }
        }
        Ok(std::mem::take(&mut self.buf))
    }

    fn too_large(&self) -> HttpError {
        HttpError::Protocol {
            target: self.target.clone(),
            detail: format!("response body larger than {MAX_RESPONSE_BODY_BYTES} bytes"),
        }
    }

    /// One line of a chunked body (a chunk size or a trailer), at most [`MAX_HEAD_BYTES`] long.
    async fn read_line(&mut self) -> Result<Vec<u8>, HttpError> {
        loop {
            if let Some(i) = find(&self.buf, b"\r\n") {
                let line = self.buf.drain(..i + 2).take(i).collect();
                return Ok(line);
            }
            if self.buf.len() > MAX_HEAD_BYTES {
                return Err(self.protocol(format!(
                    "a line of the chunked body is longer than {MAX_HEAD_BYTES} bytes"
                )));
            }
            if self.fill("the response body", self.read_deadline()).await? == 0 {
                return Err(HttpError::Io {
                    target: self.target.clone(),
                    detail: "connection closed inside a chunked body".into(),
                });
            }
        }
    }

    async fn read_chunked(&mut self) -> Result<Vec<u8>, HttpError> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line().await?;
            let text = String::from_utf8_lossy(&line);
            let size_text = text.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16).map_err(|_| {
                self.protocol(format!(
                    "bad chunk size '{}'",
                    excerpt(size_text.as_bytes(), 40)
                ))
            })?;
            if size == 0 {
                // Trailers until the empty line.
                while !self.read_line().await?.is_empty() {}
                return Ok(body);
            }
            // `body` never holds more than the limit: no overflow, however large `size` is.
            if size > MAX_RESPONSE_BODY_BYTES - body.len() {
                return Err(self.too_large());
            }
            while self.buf.len() < size + 2 {
                if self.fill("the response body", self.read_deadline()).await? == 0 {
                    return Err(HttpError::Io {
                        target: self.target.clone(),
                        detail: "connection closed inside a chunk".into(),
                    });
                }
            }
            body.extend(self.buf.drain(..size));
            if !self.buf.starts_with(b"\r\n") {
                return Err(
                    self.protocol(format!("a chunk of {size} bytes does not end with CRLF"))
                );
            }
            self.buf.drain(..2);
        }
    }

    fn protocol(&self, detail: String) -> HttpError {
        HttpError::Protocol {
            target: self.target.clone(),
            detail,
        }
    }

    /// Writes and flushes (TLS buffers records until a flush).
    async fn write(&mut self, bytes: &[u8], what: &str) -> Result<(), HttpError> {
        let stream = &mut self.stream;
        let written = async move {
            stream.write_all(bytes).await?;
            stream.flush().await
        };
        timeout_at(self.deadline, written)
            .await
            .map_err(|_| HttpError::Timeout {
                target: self.target.clone(),
                waiting_for: format!("the server to accept {what}"),
            })?
            .map_err(|e| HttpError::Io {
                target: self.target.clone(),
                detail: format!("while sending {what}: {e}"),
            })
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn parse_head(head: &[u8]) -> Result<Head, String> {
    let text = std::str::from_utf8(head).map_err(|_| "response head is not UTF-8".to_string())?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") {
        return Err(format!("bad status line '{status_line}'"));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("bad status line '{status_line}'"))?;
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line '{line}'"))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(Head { status, headers })
}

/// Opens the connection: TCP, then the TLS handshake for `https`, both within the connect timeout.
async fn connect(
    tls: &Tls,
    endpoint: &Endpoint,
    target: &str,
    until: Instant,
    t: Timeouts,
) -> Result<Stream, HttpError> {
    let tcp = timeout_at(
        until,
        TcpStream::connect((endpoint.host.as_str(), endpoint.port)),
    )
    .await
    .map_err(|_| HttpError::Connect {
        target: target.to_string(),
        detail: format!("no connection within {} ms", t.connect.as_millis()),
    })?
    .map_err(|e| HttpError::Connect {
        target: target.to_string(),
        detail: e.to_string(),
    })?;
    let _ = tcp.set_nodelay(true);
    if !endpoint.tls {
        return Ok(Stream::Plain(tcp));
    }
    let stream = timeout_at(until, tls.handshake(&endpoint.host, tcp))
        .await
        .map_err(|_| HttpError::Timeout {
            target: target.to_string(),
            waiting_for: format!(
                "the TLS handshake (connect timeout {} ms)",
                t.connect.as_millis()
            ),
        })?
        .map_err(|detail| HttpError::Tls {
            target: target.to_string(),
            detail,
        })?;
    Ok(Stream::Tls(Box::new(stream)))
}

async fn send_once(
    tls: &Tls,
    endpoint: &Endpoint,
    path: &str,
    req: &Request<'_>,
    t: Timeouts,
) -> Result<Response, HttpError> {
    let target = endpoint.authority();
    let deadline = Instant::now() + t.total;
    let until = deadline.min(Instant::now() + t.connect);
    let stream = connect(tls, endpoint, &target, until, t).await?;
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
        target,
        deadline,
        socket: t.socket,
    };

    let has_body = !req.body.is_empty() || req.method != "GET";
    let expect = req.expect_continue && !req.body.is_empty();
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        req.method,
        path,
        endpoint.authority()
    );
    for (k, v) in &req.headers {
        head.push_str(k);
        head.push_str(": ");
        head.push_str(v);
        head.push_str("\r\n");
    }
    if has_body {
        head.push_str(&format!("Content-Length: {}\r\n", req.body.len()));
    }
    if expect {
        head.push_str("Expect: 100-continue\r\n");
    }
    head.push_str("\r\n");

    let mut body_sent = false;
    let final_head = if expect {
        conn.write(head.as_bytes(), "the request head").await?;
        let wait_until = deadline.min(Instant::now() + t.wait_for_continue);
        // Interim answers other than 100 (102 Processing, 103 Early Hints) answer nothing.
        let first = loop {
            match conn.read_head(Some(wait_until)).await {
                Ok(h) if h.status != 100 && (100..200).contains(&h.status) => continue,
                other => break other,
            }
        };
        match first {
            Ok(h) if h.status == 100 => {
                conn.write(req.body, "the request body").await?;
                body_sent = true;
                read_final_head(&mut conn).await?
            }
            Ok(h) => h,
            Err(HttpError::Timeout { .. }) => {
                // RFC 9110: a client that waited long enough may send the body anyway.
                conn.write(req.body, "the request body").await?;
                body_sent = true;
                read_final_head(&mut conn).await?
            }
            Err(e) => return Err(e),
        }
    } else {
        let mut all = head.into_bytes();
        all.extend_from_slice(req.body);
        conn.write(&all, "the request").await?;
        body_sent = true;
        read_final_head(&mut conn).await?
    };
    let body = conn.read_body(&final_head).await?;
    Ok(Response {
        status: final_head.status,
        headers: final_head.headers,
        body,
        endpoint: endpoint.clone(),
        body_sent,
    })
}

/// Reads heads until a final (non-1xx) one.
async fn read_final_head(conn: &mut Conn) -> Result<Head, HttpError> {
    loop {
        let h = conn.read_head(None).await?;
        if !(100..200).contains(&h.status) {
            return Ok(h);
        }
    }
}

mod stream;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
