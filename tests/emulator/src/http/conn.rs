//! One client connection: a read buffer over the TCP stream, request-head reading, a body reader
//! (Content-Length or chunked) that hands out chunks without copying, and response writing.
//!
//! A body is read only when a handler asks for it. A connection whose body was not (fully) read
//! must not be reused; handlers return `Next::Close` then, and `finish` shuts the write side down
//! and drains what the client still sends for a bounded time, so the client can read the response
//! instead of getting a reset.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::request::{BodyFraming, HeadError, RequestHead, MAX_HEAD_BYTES};
use super::response::Response;
use super::tls::Stream;

const BUFFER_BYTES: usize = 256 * 1024;
const MAX_CHUNK_LINE: usize = 4096;
/// Lingering close: stop draining after this long or this many bytes.
const LINGER_TIME: Duration = Duration::from_secs(2);
const LINGER_BYTES: u64 = 64 * 1024 * 1024;

/// Result of waiting for a request head.
#[derive(Debug)]
pub enum HeadRead {
    Head(RequestHead),
    /// The peer closed the connection (cleanly, between requests).
    Closed,
    /// The head was malformed or too large.
    Bad(HeadError),
}

/// A buffered client connection.
pub struct Conn {
    stream: Stream,
    peer: SocketAddr,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Conn {
    pub fn new(stream: Stream, peer: SocketAddr) -> Conn {
        // Small responses should leave at once.
        let _ = stream.tcp().set_nodelay(true);
        Conn {
            stream,
            peer,
            buf: vec![0; BUFFER_BYTES],
            start: 0,
            end: 0,
        }
    }

    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// Reads more bytes into the buffer; returns how many (0 = EOF).
    async fn fill(&mut self) -> io::Result<usize> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.end == self.buf.len() && self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "buffer full"));
        }
        let n = self.stream.read(&mut self.buf[self.end..]).await?;
        self.end += n;
        Ok(n)
    }

    /// Waits for the next request head.
    pub async fn read_head(&mut self) -> HeadRead {
        // Bytes after `start` already searched for the end of the head (relative, because
        // `fill` may move the buffered bytes).
        let mut checked: usize = 0;
        loop {
            let window = &self.buf[self.start..self.end];
            // Skip empty lines between requests (allowed by RFC 9112).
            let leading = window
                .iter()
                .take_while(|&&c| c == b'\r' || c == b'\n')
                .count();
            if leading > 0 {
                self.start += leading;
                checked = 0;
                continue;
            }
            let from = self.start + checked.saturating_sub(3);
            if let Some(pos) = memchr::memmem::find(&self.buf[from..self.end], b"\r\n\r\n") {
                let head_end = from + pos;
                let parsed = RequestHead::parse(&self.buf[self.start..head_end]);
                self.start = head_end + 4;
                return match parsed {
                    Ok(head) => HeadRead::Head(head),
                    Err(e) => HeadRead::Bad(e),
                };
            }
            checked = self.end - self.start;
            if self.end - self.start >= MAX_HEAD_BYTES {
                return HeadRead::Bad(HeadError("request head too large".into()));
            }
            match self.fill().await {
                Ok(0) => {
                    return if self.start == self.end {
                        HeadRead::Closed
                    } else {
                        HeadRead::Bad(HeadError(
                            "connection closed inside the request head".into(),
                        ))
                    }
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                    return HeadRead::Bad(HeadError("request head too large".into()))
                }
                Err(_) => return HeadRead::Closed,
            }
        }
    }

    pub async fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await?;
        self.stream.flush().await
    }

    /// Writes a response; `close` sets `Connection: close`.
    pub async fn respond(
        &mut self,
        response: &Response,
        close: bool,
        head_only: bool,
    ) -> io::Result<()> {
        let bytes = response.to_bytes(close, head_only);
        self.write_all(&bytes).await
    }

    /// Sends the interim `100 Continue` response.
    pub async fn send_continue(&mut self) -> io::Result<()> {
        self.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await
    }

    /// A reader for the body of the request whose head was just read.
    pub fn body(&mut self, framing: BodyFraming) -> Body<'_> {
        let state = match framing {
            BodyFraming::Length(0) => BodyState::Done,
            BodyFraming::Length(n) => BodyState::Length(n),
            BodyFraming::Chunked => BodyState::ChunkSize,
        };
        Body { conn: self, state }
    }

    /// Reads a whole body into memory, failing when it exceeds `limit` bytes.
    pub async fn read_body_to_vec(
        &mut self,
        framing: BodyFraming,
        limit: usize,
    ) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut body = self.body(framing);
        while let Some(chunk) = body.next_chunk().await? {
            if out.len() + chunk.len() > limit {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "body too large"));
            }
            out.extend_from_slice(chunk);
        }
        Ok(out)
    }

    /// Drops the connection with a TCP reset (RST) instead of a FIN: what a client sees when a
    /// server process dies or aborts a connection mid-request (fault injection, spec F16).
    pub fn reset(self) {
        let _ = socket2::SockRef::from(self.stream.tcp()).set_linger(Some(Duration::ZERO));
        drop(self);
    }

    /// Answers a malformed request head (`HeadRead::Bad`) with `400 Bad Request` and closes.
    pub async fn reject_bad_head(mut self, e: HeadError) {
        let _ = self
            .respond(
                &Response::text(400, format!("Bad Request: {e}")),
                true,
                false,
            )
            .await;
        self.finish().await;
    }

    /// Closes politely: shut down the write side (after TLS' close_notify), drain input for a bounded time so the peer can
    /// read the response before the socket goes away.
    pub async fn finish(mut self) {
        let _ = self.stream.shutdown().await;
        let drain = async {
            let mut drained: u64 = 0;
            let mut scratch = vec![0u8; 64 * 1024];
            while drained < LINGER_BYTES {
                match self.stream.read(&mut scratch).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => drained += n as u64,
                }
            }
        };
        let _ = tokio::time::timeout(LINGER_TIME, drain).await;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyState {
    /// Bytes of a Content-Length body still to come.
    Length(u64),
    /// Expecting a chunk-size line.
    ChunkSize,
    /// Bytes of the current chunk still to come.
    ChunkData(u64),
    /// Expecting the CRLF after chunk data.
    ChunkEnd,
    /// Reading trailer lines up to the empty line.
    Trailers,
    Done,
}

/// Streaming reader of one request body.
pub struct Body<'a> {
    conn: &'a mut Conn,
    state: BodyState,
}

fn unexpected_eof() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "client closed the connection inside the body",
    )
}

fn bad_chunk(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("malformed chunked body: {what}"),
    )
}

impl Body<'_> {
    /// Ensures at least one unread byte is buffered; EOF is an error (the body is incomplete).
    async fn need_bytes(&mut self) -> io::Result<()> {
        if self.conn.start < self.conn.end {
            return Ok(());
        }
        if self.conn.fill().await? == 0 {
            return Err(unexpected_eof());
        }
        Ok(())
    }

    /// Reads one CRLF-terminated line (without the CRLF).
    async fn read_line(&mut self) -> io::Result<String> {
        loop {
            let window = &self.conn.buf[self.conn.start..self.conn.end];
            if let Some(pos) = memchr::memchr(b'\n', window) {
                let line = &window[..pos];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let text = String::from_utf8_lossy(line).into_owned();
                self.conn.start += pos + 1;
                return Ok(text);
            }
            if window.len() > MAX_CHUNK_LINE {
                return Err(bad_chunk("line too long"));
            }
            if self.conn.fill().await? == 0 {
                return Err(unexpected_eof());
            }
        }
    }

    /// The next piece of body data, `None` at the end of the body. An error means the body is
    /// incomplete or malformed (client went away, bad chunk framing).
    pub async fn next_chunk(&mut self) -> io::Result<Option<&[u8]>> {
        loop {
            match self.state {
                BodyState::Done => return Ok(None),
                BodyState::Length(remaining) | BodyState::ChunkData(remaining) => {
                    self.need_bytes().await?;
                    let available = (self.conn.end - self.conn.start) as u64;
                    let n = available.min(remaining) as usize;
                    let from = self.conn.start;
                    self.conn.start += n;
                    let left = remaining - n as u64;
                    self.state = match self.state {
                        BodyState::Length(_) if left == 0 => BodyState::Done,
                        BodyState::Length(_) => BodyState::Length(left),
                        _ if left == 0 => BodyState::ChunkEnd,
                        _ => BodyState::ChunkData(left),
                    };
                    return Ok(Some(&self.conn.buf[from..from + n]));
                }
                BodyState::ChunkSize => {
                    let line = self.read_line().await?;
                    let size_text = line.split(';').next().unwrap_or("").trim();
                    let size = u64::from_str_radix(size_text, 16)
                        .map_err(|_| bad_chunk("invalid chunk size"))?;
                    self.state = if size == 0 {
                        BodyState::Trailers
                    } else {
                        BodyState::ChunkData(size)
                    };
                }
                BodyState::ChunkEnd => {
                    let line = self.read_line().await?;
                    if !line.is_empty() {
                        return Err(bad_chunk("missing CRLF after chunk data"));
                    }
                    self.state = BodyState::ChunkSize;
                }
                BodyState::Trailers => {
                    let line = self.read_line().await?;
                    if line.is_empty() {
                        self.state = BodyState::Done;
                    }
                }
            }
        }
    }
}
