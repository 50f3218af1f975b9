//! The BE HTTP port (spec §1.1): `PUT /api/{db}/{table}/_stream_load` (see `load::stream_load`),
//! `GET|HEAD /api/_load_error_log?file=` (no auth), `GET /api/health`; unknown paths 404.
//! The BE side of the transaction interface (§5) will be one more route here.

use std::sync::Arc;

use crate::http::conn::{Conn, HeadRead};
use crate::http::request::{BodyFraming, RequestHead};
use crate::http::response::Response;
use crate::http::Next;
use crate::load::stream_load::{BeNode, LoadOutcome};

#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    StreamLoad { db: &'a str, table: &'a str },
    ErrorLog,
    Health,
    NotFound,
}

fn route<'a>(method: &str, segments: &[&'a str]) -> Route<'a> {
    match (method, segments) {
        ("PUT", ["api", db, table, "_stream_load"]) => Route::StreamLoad { db, table },
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
            HeadRead::Bad(e) => {
                let _ = conn
                    .respond(
                        &Response::text(400, format!("Bad Request: {e}")),
                        true,
                        false,
                    )
                    .await;
                conn.finish().await;
                return;
            }
        };
        let segments = head.path_segments();
        let outcome = match route(&head.method, &segments) {
            Route::StreamLoad { db, table } => node.stream_load(&mut conn, &head, db, table).await,
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
        }
    }
}
