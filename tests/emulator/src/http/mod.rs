//! A small HTTP/1.1 server on tokio, written for the emulator instead of using hyper.
//!
//! Why hand-written: the StarRocks load protocol lives in details that general-purpose servers
//! hide or decide for you. The emulator must (a) answer a final response on the request head alone
//! and never read the body (FE 307, BE header-phase failures), (b) send `100 Continue` only when the
//! handler says so, after header validation, (c) see a client that disconnects mid-body as an error
//! on the body stream (to roll the transaction back), and (d) stream large bodies to the parser in
//! chunks. Each of these is a few lines here.
//!
//! Submodules: `request` (head parsing, header/query access), `conn` (buffered connection, body
//! reader for Content-Length and chunked, response writing), `response` (response building),
//! `server` (accept loop with shutdown), `tls` (TLS on the FE and BE ports).

pub mod conn;
pub mod request;
pub mod response;
pub mod server;
pub mod tls;

/// What the connection should do after a request was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Read the next request on the same connection.
    KeepAlive,
    /// Close (after a lingering drain, so the peer can read the response).
    Close,
    /// Drop the connection at once (the peer is gone or the response was deliberately withheld).
    Drop,
    /// Drop the connection with a TCP reset (fault injection).
    Reset,
}
