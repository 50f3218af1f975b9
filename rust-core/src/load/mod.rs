//! Everything that talks HTTP to StarRocks: the HTTP/1.1 client (TLS for `https://`), the shared
//! calls (FE failover, label state, error log), answer parsing, retry classification and the load
//! protocols.

pub mod client;
pub mod compression;
pub mod http;
pub mod response;
pub mod retry;
pub mod state;
pub mod stream_load;
pub mod tls;
pub mod transaction;
