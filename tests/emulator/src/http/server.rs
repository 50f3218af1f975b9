//! Accept loop: binds nothing itself (listeners are bound synchronously by `Emulator::start` so
//! that port errors surface there), spawns one task per connection and stops accepting, and
//! cancels every connection task, when the shutdown signal fires.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::watch;

use super::conn::Conn;

/// Serves connections from `listener` with `handle` until `shutdown` becomes true.
pub async fn serve<F, Fut>(listener: TcpListener, mut shutdown: watch::Receiver<bool>, handle: F)
where
    F: Fn(Conn) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
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
                let conn = Conn::new(stream, peer);
                let task = handle(conn);
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
