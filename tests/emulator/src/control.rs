//! The control port: a small JSON API for tests and demos to set the emulator up (databases,
//! tables), to look inside (rows, labels, BE contexts, request log, counters), to inject faults
//! (`/control/faults`, spec §7), to change runtime settings, to force transaction states and to
//! restart or take down BEs, plus reset. It is not part of StarRocks; see README.md for the
//! endpoint list. Never logs or returns credentials.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::control_methods::FORCED_ABORT_REASON;
use crate::faults::FaultRule;
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

fn ok_or_404<T: serde::Serialize>(result: Result<T, String>, key: &str) -> Response {
    match result {
        Ok(v) => reply(200, json!({ key: v })),
        Err(e) => error(404, &e),
    }
}

fn backends_json(shared: &Shared) -> Value {
    let list: Vec<Value> = shared
        .backends
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let contexts: Vec<Value> = b
                .contexts()
                .describe()
                .into_iter()
                .map(|(label, table, txn_id, busy)| {
                    json!({ "label": label, "table": table, "txn_id": txn_id, "busy": busy })
                })
                .collect();
            json!({
                "index": i,
                "addr": shared.be_addrs[i].to_string(),
                "down": b.is_down(),
                "contexts": contexts,
            })
        })
        .collect();
    Value::Array(list)
}

/// Fault, settings and transaction-control endpoints; `None` when the path is not one of them.
async fn handle_phase2(shared: &Shared, head: &RequestHead, body: &[u8]) -> Option<Response> {
    let segments = head.path_segments();
    let body_json = || -> Result<Value, Response> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(json!({}));
        }
        serde_json::from_slice(body).map_err(|e| error(400, &format!("invalid JSON: {e}")))
    };
    Some(match (head.method.as_str(), segments.as_slice()) {
        ("POST", ["control", "faults"]) => {
            let rule: FaultRule = match serde_json::from_slice(body) {
                Ok(r) => r,
                Err(e) => return Some(error(400, &format!("invalid fault rule: {e}"))),
            };
            match shared.faults().add(rule) {
                Ok(id) => reply(200, json!({ "id": id })),
                Err(e) => error(400, &e),
            }
        }
        ("GET", ["control", "faults"]) => reply(
            200,
            serde_json::to_value(shared.faults().list()).unwrap_or(Value::Null),
        ),
        ("DELETE", ["control", "faults"]) => {
            shared.faults().clear();
            reply(200, json!({ "cleared": true }))
        }
        ("DELETE", ["control", "faults", id]) => match id.parse::<u64>() {
            Ok(id) if shared.faults().remove(id) => reply(200, json!({ "removed": id })),
            _ => error(404, "unknown fault rule"),
        },
        ("GET", ["control", "settings"]) => reply(
            200,
            serde_json::to_value(shared.settings()).unwrap_or(Value::Null),
        ),
        ("PUT" | "POST", ["control", "settings"]) => {
            let changes = match body_json() {
                Ok(v) => v,
                Err(r) => return Some(r),
            };
            match shared.settings().merged(&changes) {
                Ok(settings) => {
                    shared.set_settings(settings.clone());
                    reply(200, serde_json::to_value(settings).unwrap_or(Value::Null))
                }
                Err(e) => error(400, &e),
            }
        }
        ("POST", ["control", "labels", db, label, action]) => {
            let (Some(db), Some(label)) = (decode(db), decode(label)) else {
                return Some(error(400, "invalid name"));
            };
            match *action {
                "abort" => {
                    let reason = match body_json() {
                        Ok(v) => v
                            .get("reason")
                            .and_then(Value::as_str)
                            .unwrap_or(FORCED_ABORT_REASON)
                            .to_string(),
                        Err(r) => return Some(r),
                    };
                    match shared.force_abort(&db, &label, &reason) {
                        Ok(id) => reply(200, json!({ "txn_id": id, "state": "ABORTED" })),
                        Err(e) => error(409, &e),
                    }
                }
                "publish" => match shared.force_publish(&db, &label) {
                    Ok(id) => reply(200, json!({ "txn_id": id, "state": "VISIBLE" })),
                    Err(e) => error(409, &e),
                },
                "lose_context" => reply(200, json!({ "lost": shared.lose_contexts(&label) })),
                _ => error(404, "unknown label action"),
            }
        }
        ("GET", ["control", "backends"]) => reply(200, backends_json(shared)),
        ("POST", ["control", "backends", index, action]) => {
            let Ok(i) = index.parse::<usize>() else {
                return Some(error(400, "invalid BE index"));
            };
            match *action {
                "restart" => ok_or_404(shared.restart_be(i), "contexts_lost"),
                "down" | "up" => {
                    let down = *action == "down";
                    match shared.set_be_down(i, down) {
                        Ok(()) => {
                            crate::backends::await_port(shared.be_addrs[i], down).await;
                            reply(200, json!({ "index": i, "down": down }))
                        }
                        Err(e) => error(404, &e),
                    }
                }
                _ => error(404, "unknown backend action"),
            }
        }
        _ => return None,
    })
}

/// Answers one control request (the body, if any, already read).
async fn handle(shared: &Shared, head: &RequestHead, body: &[u8]) -> Response {
    if let Some(response) = handle_phase2(shared, head, body).await {
        return response;
    }
    let segments = head.path_segments();
    match (head.method.as_str(), segments.as_slice()) {
        ("GET", ["control", "health"]) => reply(200, json!({ "status": "OK" })),
        ("POST", ["control", "sql"]) => {
            let (status, answer) = crate::sql::control_api::answer(shared, body);
            reply(status, answer)
        }
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
        ("GET", ["control", "statements"]) => {
            let records = shared.statements();
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
            Ok(body) => (
                handle(&shared, &head, &body).await,
                !head.wants_keep_alive(),
            ),
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
