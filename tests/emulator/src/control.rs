//! The control port: a small JSON API for tests and demos to set the emulator up (databases,
//! tables) and to look inside (rows, labels, request log, counters), plus reset. It is not part of
//! StarRocks; see README.md for the endpoint list. Fault injection (`/control/faults`) is the
//! phase-2 extension point. Never logs or returns credentials.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::http::conn::{Conn, HeadRead};
use crate::http::request::{percent_decode, RequestHead};
use crate::http::response::Response;
use crate::labels::LabelInfo;
use crate::state::Shared;
use crate::storage::schema::TableSpec;

/// Largest control request body.
const MAX_BODY: usize = 16 * 1024 * 1024;

fn reply(status: u16, body: Value) -> Response {
    Response::json(status, body.to_string())
}

fn error(status: u16, message: &str) -> Response {
    reply(status, json!({ "error": message }))
}

fn label_json(info: &LabelInfo) -> Value {
    json!({
        "label": info.label,
        "state": info.state,
        "txn_id": info.txn_id,
        "table": info.table,
        "reason": info.reason,
    })
}

fn decode(segment: &str) -> Option<String> {
    percent_decode(segment, false)
}

/// Answers one control request (the body, if any, already read).
fn handle(shared: &Shared, head: &RequestHead, body: &[u8]) -> Response {
    let segments = head.path_segments();
    match (head.method.as_str(), segments.as_slice()) {
        ("GET", ["control", "health"]) => reply(200, json!({ "status": "OK" })),
        ("GET", ["control", "databases"]) => {
            let names = shared.state().catalog.database_names();
            reply(200, json!({ "databases": names }))
        }
        ("POST", ["control", "databases", db]) => match decode(db) {
            Some(db) if !db.is_empty() => {
                shared.create_database(&db);
                reply(200, json!({ "database": db }))
            }
            _ => error(400, "invalid database name"),
        },
        ("POST", ["control", "tables"]) => {
            let text = String::from_utf8_lossy(body);
            match TableSpec::from_json(&text) {
                Err(e) => error(400, &e),
                Ok(spec) => match shared.create_table(&spec) {
                    Ok(()) => reply(
                        200,
                        json!({ "database": spec.database, "table": spec.table }),
                    ),
                    Err(e) if e.contains("already exists") => error(409, &e),
                    Err(e) => error(400, &e),
                },
            }
        }
        ("GET", ["control", "tables", db, table, "rows"]) => {
            let (Some(db), Some(table)) = (decode(db), decode(table)) else {
                return error(400, "invalid name");
            };
            match shared.rows(&db, &table) {
                Ok(t) => reply(200, json!({ "columns": t.columns, "rows": t.rows })),
                Err(e) => error(404, &e),
            }
        }
        ("GET", ["control", "labels", db]) => {
            let Some(db) = decode(db) else {
                return error(400, "invalid name");
            };
            let labels: Vec<Value> = shared.labels(&db).iter().map(label_json).collect();
            reply(200, Value::Array(labels))
        }
        ("GET", ["control", "labels", db, label]) => {
            let (Some(db), Some(label)) = (decode(db), decode(label)) else {
                return error(400, "invalid name");
            };
            match shared.label_info(&db, &label) {
                Some(info) => reply(200, label_json(&info)),
                None => reply(404, json!({ "label": label, "state": "UNKNOWN" })),
            }
        }
        ("GET", ["control", "requests"]) => {
            let records = shared.requests();
            reply(200, serde_json::to_value(records).unwrap_or(Value::Null))
        }
        ("GET", ["control", "stats"]) => reply(
            200,
            serde_json::to_value(shared.stats.snapshot()).unwrap_or(Value::Null),
        ),
        ("POST", ["control", "reset"]) => {
            shared.reset();
            reply(200, json!({ "reset": true }))
        }
        (_, ["control", "faults", ..]) => {
            error(501, "fault injection is not implemented yet (phase 2)")
        }
        _ => error(404, "unknown control endpoint"),
    }
}

/// Serves one control connection.
pub async fn serve_connection(shared: Arc<Shared>, mut conn: Conn) {
    loop {
        let head = match conn.read_head().await {
            HeadRead::Head(h) => h,
            HeadRead::Closed => return,
            HeadRead::Bad(e) => {
                let _ = conn.respond(&error(400, &e.0), true, false).await;
                conn.finish().await;
                return;
            }
        };
        let framing = match head.framing() {
            Ok(f) => f,
            Err(e) => {
                let _ = conn.respond(&error(400, &e.0), true, false).await;
                conn.finish().await;
                return;
            }
        };
        let (response, close) = match conn.read_body_to_vec(framing, MAX_BODY).await {
            Ok(body) => (handle(&shared, &head, &body), !head.wants_keep_alive()),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                (error(413, &e.to_string()), true)
            }
            Err(_) => return,
        };
        let written = conn.respond(&response, close, false).await.is_ok();
        // Control calls are not recorded in the request log: reading the log must not change it.
        if !written {
            return;
        }
        if close {
            conn.finish().await;
            return;
        }
    }
}
