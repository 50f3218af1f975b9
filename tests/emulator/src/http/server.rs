//! Accept loop: binds nothing itself (listeners are bound synchronously by `Emulator::start` so
//! that port errors surface there), spawns one task per connection (which runs the TLS handshake
//! first on a TLS port) and stops accepting, and cancels every connection task, when the
//! shutdown signal fires.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use super::conn::Conn;
use super::tls::{Stream, TlsAcceptor};

/// A client that has not finished its TLS handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves connections from `listener` with `handle` until `shutdown` becomes true; with `tls`,
/// over TLS (a failed handshake drops the connection, as a TLS server does).
pub async fn serve<F, Fut>(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
    handle: F,
) where
    F: Fn(Conn) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let handle = Arc::new(handle);
    loop {
        if *shutdown.borrow() {
            return;
        }
        tokio::select! {
            _ = shutdown.changed() => return,
            accepted = listener.accept() => {
                let (stream, peer): (_, SocketAddr) = match accepted {
                    Ok(pair) => pair,
                    // Transient accept errors (e.g. too many open files): keep serving.
                    Err(_) => {
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let tls = tls.clone();
                let handle = handle.clone();
                let task = async move {
                    let stream = match tls {
                        None => Stream::Plain(stream),
                        Some(acceptor) => {
                            let accepted =
                                tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await;
                            match accepted {
                                Ok(Ok(s)) => Stream::Tls(Box::new(s)),
                                _ => return,
                            }
                        }
                    };
                    handle(Conn::new(stream, peer)).await;
                };
                let mut stop = shutdown.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = stop.wait_for(|s| *s) => {}
                        _ = task => {}
                    }
                });
            }
        }
    }
}
