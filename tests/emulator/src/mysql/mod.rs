//! The MySQL-protocol port (StarRocks FE `query_port`, spec §6.7): what the connector's JDBC
//! calls (`current_version()`, `information_schema.COLUMNS`), what its catalog and Flink CDC
//! send (DDL, `SHOW ALTER TABLE COLUMN`), and what drivers and the `mariadb` client send on
//! connect. The SQL itself is `crate::sql`; this module only speaks the wire protocol.
//!
//! Hand-written rather than built on a MySQL-server crate (such as `opensrv-mysql`): the subset
//! is small (handshake with auth switch, text results, prepared statements, OK/ERR/EOF), the rest
//! of the emulator is a hand-written tokio server too, and owning the framing makes the
//! guarantees the tests rely on explicit — a malformed packet gets an ERR packet, never a panic
//! or a hang; every read during login and every write is bounded in time; no new dependency
//! enters the shared workspace lock file.
//!
//! Files: `packet` (framing), `codec` (protocol data types), `sha1` (password scramble),
//! `handshake` (connection phase), `session` (command phase), `prepared` + `binary` (server-side
//! prepared statements), `response` (OK/ERR/EOF and text result sets), `wire_type` (column
//! type announcements).

mod binary;
mod codec;
mod handshake;
mod packet;
mod prepared;
mod response;
mod session;
mod sha1;
mod wire_type;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::state::Shared;
use handshake::{login, LoginError};
use packet::PacketIo;
use response::err_packet;

/// Connection ids, as `CONNECTION_ID()` and the greeting report them.
static NEXT_CONNECTION_ID: AtomicU32 = AtomicU32::new(1);

/// Serves one client connection from greeting to close.
async fn serve_connection(shared: Arc<Shared>, stream: TcpStream) {
    let peer_ip = stream
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|_| "unknown".to_string());
    let _ = stream.set_nodelay(true);
    let id = NEXT_CONNECTION_ID.fetch_add(1, Ordering::Relaxed);
    let mut io = PacketIo::new(stream);
    match login(&mut io, &shared, id, &peer_ip).await {
        Ok(login) => {
            session::Connection::new(&shared, io, login, &peer_ip, id)
                .run()
                .await
        }
        Err(LoginError::Malformed(e)) => {
            io.write(&err_packet(&crate::sql::SqlError::malformed_packet(e.0)));
            io.close().await;
        }
        Err(LoginError::Refused) | Err(LoginError::Io) => io.close().await,
    }
}

/// Accepts connections until `shutdown` becomes true; connection tasks stop with it.
pub async fn serve(
    listener: TcpListener,
    mut shutdown: watch::Receiver<bool>,
    shared: Arc<Shared>,
) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        tokio::select! {
            _ = shutdown.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Transient accept errors (e.g. too many open files): keep serving.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                let shared = shared.clone();
                let mut stop = shutdown.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = stop.wait_for(|s| *s) => {}
                        _ = serve_connection(shared, stream) => {}
                    }
                });
            }
        }
    }
}
