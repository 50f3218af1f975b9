//! The BE HTTP port (spec §1.1): `PUT /api/{db}/{table}/_stream_load` (see `load::stream_load`),
//! `POST|PUT /api/transaction/{op}` (see `load::txn`), `GET|HEAD /api/_load_error_log?file=`
//! (no auth), `GET /api/health`; unknown paths 404. `run` serves the port and can take it down
//! and up again (spec F2: connections refused while down).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::http::conn::{Conn, HeadRead};
use crate::http::request::{BodyFraming, RequestHead};
use crate::http::response::Response;
use crate::http::tls::TlsAcceptor;
use crate::http::Next;
use crate::load::be_node::{BeNode, LoadOutcome};

#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    StreamLoad { db: &'a str, table: &'a str },
    Transaction { op: &'a str },
    ErrorLog,
    Health,
    NotFound,
}

fn route<'a>(method: &str, segments: &[&'a str]) -> Route<'a> {
    match (method, segments) {
        ("PUT", ["api", db, table, "_stream_load"]) => Route::StreamLoad { db, table },
        ("PUT" | "POST", ["api", "transaction", op]) => Route::Transaction { op },
        ("GET" | "HEAD", ["api", "_load_error_log"]) => Route::ErrorLog,
        ("GET", ["api", "health"]) => Route::Health,
        _ => Route::NotFound,
    }
}

fn error_log(node: &BeNode, head: &RequestHead) -> Response {
    let file = head.query_param("file").unwrap_or_default();
    match node.shared.error_log(&file) {
        Some(content) => Response::text(200, content),
        None => Response::text(404, "Not Found"),
    }
}

/// Serves one BE connection.
pub async fn serve_connection(node: Arc<BeNode>, mut conn: Conn) {
    loop {
        let head = match conn.read_head().await {
            HeadRead::Head(h) => h,
            HeadRead::Closed => return,
            HeadRead::Bad(e) => return conn.reject_bad_head(e).await,
        };
        let segments = head.path_segments();
        let outcome = match route(&head.method, &segments) {
            Route::StreamLoad { db, table } => node.stream_load(&mut conn, &head, db, table).await,
            Route::Transaction { op } => node.transaction(&mut conn, &head, op).await,
            other => {
                let response = match other {
                    Route::ErrorLog => error_log(&node, &head),
                    Route::Health => {
                        Response::json(200, "{\"status\": \"OK\",\"msg\": \"To Be Added\"}")
                    }
                    _ => Response::text(404, "Not Found"),
                };
                let has_body = !matches!(head.framing(), Ok(BodyFraming::Length(0)));
                let close = has_body || !head.wants_keep_alive();
                node.record(&head, "", response.status, None, 0);
                let written = conn
                    .respond(&response, close, head.method == "HEAD")
                    .await
                    .is_ok();
                LoadOutcome {
                    next: match (written, close) {
                        (false, _) => Next::Drop,
                        (true, true) => Next::Close,
                        (true, false) => Next::KeepAlive,
                    },
                }
            }
        };
        match outcome.next {
            Next::KeepAlive => continue,
            Next::Close => {
                conn.finish().await;
                return;
            }
            Next::Drop => return,
            Next::Reset => {
                conn.reset();
                return;
            }
        }
    }
}

/// Binds the BE's address again after it was down (retrying while the port is busy).
async fn rebind(addr: SocketAddr, stop: &mut watch::Receiver<bool>) -> Option<TcpListener> {
    loop {
        if let Ok(listener) = std::net::TcpListener::bind(addr) {
            if listener.set_nonblocking(true).is_ok() {
                if let Ok(listener) = TcpListener::from_std(listener) {
                    return Some(listener);
                }
            }
        }
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return None,
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
}

/// Serves BE `index` on `listener` until `stop`; while the BE is down (control API or fault),
/// its port is closed and every open connection is dropped.
pub async fn run(
    shared: Arc<crate::state::Shared>,
    index: usize,
    advertised: SocketAddr,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    mut stop: watch::Receiver<bool>,
) {
    let Ok(bound) = listener.local_addr() else {
        return;
    };
    let node = Arc::new(BeNode {
        shared: shared.clone(),
        index,
        name: format!("be{index}"),
        advertised,
    });
    let Some(backend) = shared.backends.get(index) else {
        return;
    };
    let mut down = backend.subscribe_down();
    let mut listener = Some(listener);
    loop {
        let current = match listener.take() {
            Some(l) => l,
            None => match rebind(bound, &mut stop).await {
                Some(l) => l,
                None => return,
            },
        };
        let (local_stop, local_rx) = watch::channel(false);
        let handler_node = node.clone();
        let mut server = Box::pin(crate::http::server::serve(
            current,
            tls.clone(),
            local_rx,
            move |conn| serve_connection(handler_node.clone(), conn),
        ));
        tokio::select! {
            _ = stop.wait_for(|s| *s) => {
                let _ = local_stop.send(true);
                return;
            }
            _ = down.wait_for(|d| *d) => {
                let _ = local_stop.send(true);
            }
            _ = &mut server => return,
        }
        // Down: dropping the server future closes the listener; wait to come back up.
        drop(server);
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            _ = down.wait_for(|d| !*d) => {}
        }
    }
}
