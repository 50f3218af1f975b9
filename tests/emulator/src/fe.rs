//! The FE HTTP port (spec §1, §2.1, §4, §6): Stream Load redirect (Expect check, Basic auth, 307
//! to a BE in round-robin, answered on the head alone with `Connection: close`), `get_load_state`,
//! `_cancel`, `/api/health`, `/api/bootstrap`; unknown paths get an HTML 404.
//!
//! Routing is a match on path segments (`route`), so the transaction endpoints of §5 slot in as
//! one more arm; until then `/api/transaction/*` answers like a server without the interface.

use std::sync::Arc;
use std::time::Instant;

use crate::auth::{access_denied_message, parse_basic, verify};
use crate::http::conn::{Conn, HeadRead};
use crate::http::request::{percent_decode, BodyFraming, RequestHead};
use crate::http::response::Response;
use crate::http::Next;
use crate::json_out::JsonObject;
use crate::state::{RequestRecord, Shared};
use crate::txn::TxnState;

/// The FE routes.
#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    StreamLoad {
        db: &'a str,
        table: &'a str,
    },
    LoadState {
        db: &'a str,
    },
    /// `/api/{db}/{table}/_cancel?label=L` (newer) or `/api/{db}/{label}/_cancel` (older).
    Cancel {
        db: &'a str,
        second: &'a str,
    },
    Transaction {
        op: &'a str,
    },
    Health,
    Bootstrap,
    NotFound,
}

fn route<'a>(method: &str, segments: &[&'a str]) -> Route<'a> {
    match (method, segments) {
        ("PUT", ["api", "transaction", op]) | ("POST", ["api", "transaction", op]) => {
            Route::Transaction { op }
        }
        ("PUT", ["api", db, table, "_stream_load"]) => Route::StreamLoad { db, table },
        ("GET", ["api", db, "get_load_state"]) => Route::LoadState { db },
        ("POST", ["api", db, second, "_cancel"]) => Route::Cancel { db, second },
        ("GET", ["api", "health"]) => Route::Health,
        ("GET", ["api", "bootstrap"]) => Route::Bootstrap,
        _ => Route::NotFound,
    }
}

/// Family D (`RestBaseResult`) failure.
fn rest_failed(message: &str) -> String {
    JsonObject::new()
        .str("status", "FAILED")
        .str("code", "1")
        .str("msg", message)
        .str("message", message)
        .compact()
}

/// Family D success, with extra members first.
fn rest_ok(extra: JsonObject) -> String {
    extra
        .str("status", "OK")
        .str("code", "0")
        .str("msg", "Success")
        .str("message", "OK")
        .compact()
}

/// Family C (`TransactionResult`) failure with a Java exception class prefix.
fn txn_result_failed(message: &str) -> String {
    JsonObject::new()
        .str("Status", "FAILED")
        .str("Message", message)
        .pretty()
}

fn unauthorized(message: &str) -> Response {
    Response::json(401, rest_failed(message)).header("WWW-Authenticate", "Basic realm=\"\"")
}

fn not_found() -> Response {
    Response::html(
        404,
        "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><p>The requested URL was not found on this server.</p></body></html>",
    )
}

/// Checks Basic auth the FE way: 401 on a missing header or wrong credentials.
fn authenticate(shared: &Shared, head: &RequestHead, peer_ip: &str) -> Result<(), Response> {
    let Some(credentials) = parse_basic(head.header("authorization")) else {
        return Err(unauthorized("Need auth information."));
    };
    if !verify(&shared.config.users, &credentials) {
        return Err(unauthorized(&access_denied_message(
            &credentials.user,
            peer_ip,
        )));
    }
    Ok(())
}

fn stream_load_redirect(shared: &Shared, head: &RequestHead, peer_ip: &str) -> Response {
    // HTTP/1.0 requests are exempt from the Expect check (spec §1.4).
    if head.minor_version >= 1 && !head.expects_continue() {
        return Response::json(
            200,
            txn_result_failed(
                "class com.starrocks.common.DdlException: There is no 100-continue header",
            ),
        );
    }
    if let Err(response) = authenticate(shared, head, peer_ip) {
        return response;
    }
    let Some(be) = shared.pick_be() else {
        return Response::json(
            200,
            txn_result_failed("class com.starrocks.common.DdlException: No backend alive."),
        );
    };
    let location = match &head.query {
        Some(q) => format!("http://{be}{}?{q}", head.path),
        None => format!("http://{be}{}", head.path),
    };
    Response::new(307).header("Location", &location)
}

fn load_state(shared: &Shared, head: &RequestHead, peer_ip: &str, db_raw: &str) -> Response {
    if let Err(response) = authenticate(shared, head, peer_ip) {
        return response;
    }
    let db = percent_decode(db_raw, false).unwrap_or_default();
    if db.is_empty() {
        return Response::json(200, rest_failed("No database selected."));
    }
    let Some(label) = head.query_param("label").filter(|l| !l.is_empty()) else {
        return Response::json(200, rest_failed("No label selected."));
    };
    let mut state = shared.state();
    if !state.catalog.has_database(&db) {
        return Response::json(
            200,
            rest_failed(&format!("unknown database, database={db}")),
        );
    }
    let body = match state.txns.label_info(&db, &label, Instant::now()) {
        Some(info) => rest_ok(
            JsonObject::new()
                .str("state", &info.state)
                .opt_str("reason", info.reason.as_deref()),
        ),
        None => rest_ok(JsonObject::new().str("state", "UNKNOWN")),
    };
    Response::json(200, body)
}

fn cancel(
    shared: &Shared,
    head: &RequestHead,
    peer_ip: &str,
    db_raw: &str,
    second: &str,
) -> Response {
    if let Err(response) = authenticate(shared, head, peer_ip) {
        return response;
    }
    let db = percent_decode(db_raw, false).unwrap_or_default();
    let label = head
        .query_param("label")
        .filter(|l| !l.is_empty())
        .or_else(|| percent_decode(second, false))
        .unwrap_or_default();
    if label.is_empty() {
        return Response::json(200, rest_failed("No label selected."));
    }
    let now = Instant::now();
    let outcome = {
        let mut state = shared.state();
        if !state.catalog.has_database(&db) {
            Err(format!("unknown database, database={db}"))
        } else {
            match state
                .txns
                .label_txn(&db, &label, now)
                .map(|t| (t.id, t.state))
            {
                None => Err(format!(
                    "No transaction found with db[{db}] and label[{label}]"
                )),
                Some((_, TxnState::Aborted)) => Ok(()),
                Some((id, st)) => state.txns.abort(id, "user cancel", now).map_err(|_| {
                    format!(
                        "Can not abort {} transaction {id}, label is {label}",
                        st.name()
                    )
                }),
            }
        }
    };
    shared.notify_changed();
    match outcome {
        Ok(()) => Response::json(200, rest_ok(JsonObject::new())),
        Err(m) => Response::json(200, rest_failed(&m)),
    }
}

fn health(shared: &Shared) -> Response {
    let n = shared.be_addrs.len() as i64;
    Response::json(
        200,
        JsonObject::new()
            .str("status", "OK")
            .int("total_backend_num", n)
            .int("online_backend_num", n)
            .compact(),
    )
}

fn bootstrap() -> Response {
    Response::json(
        200,
        JsonObject::new()
            .str("status", "OK")
            .str("code", "0")
            .str("msg", "Success")
            .str("message", "OK")
            .int("replayedJournalId", 0)
            .int("queryPort", 0)
            .int("rpcPort", 0)
            .int("feStartTime", 0)
            .compact(),
    )
}

/// Answers one request; every FE answer is computed from the head alone.
fn respond_to(shared: &Shared, head: &RequestHead, peer_ip: &str) -> (Response, bool) {
    let segments = head.path_segments();
    match route(&head.method, &segments) {
        Route::StreamLoad { .. } => (stream_load_redirect(shared, head, peer_ip), true),
        Route::LoadState { db } => (load_state(shared, head, peer_ip, db), false),
        Route::Cancel { db, second } => (cancel(shared, head, peer_ip, db, second), false),
        // Phase 1: answer like a server without the transaction interface (spec §5.4 probe).
        Route::Transaction { op: _ } => (
            Response::json(
                200,
                JsonObject::new()
                    .str("status", "FAILED")
                    .str("msg", "Not implemented")
                    .compact(),
            ),
            false,
        ),
        Route::Health => (health(shared), false),
        Route::Bootstrap => (bootstrap(), false),
        Route::NotFound => (not_found(), false),
    }
}

/// Serves one FE connection.
pub async fn serve_connection(shared: Arc<Shared>, mut conn: Conn) {
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
        let peer_ip = conn.peer().ip().to_string();
        let (response, force_close) = respond_to(&shared, &head, &peer_ip);
        // The FE never reads request bodies: a request that has one ends the connection.
        let has_body = !matches!(head.framing(), Ok(BodyFraming::Length(0)));
        let close = force_close || has_body || !head.wants_keep_alive();
        shared.record_request(RequestRecord {
            seq: 0,
            node: "fe".to_string(),
            method: head.method.clone(),
            path: head.path.clone(),
            label: head
                .non_empty_header("label")
                .map(str::to_string)
                .or_else(|| head.query_param("label")),
            status: response.status,
            result: None,
            bytes: 0,
        });
        let written = conn
            .respond(&response, close, head.method == "HEAD")
            .await
            .is_ok();
        let next = match (written, close) {
            (false, _) => Next::Drop,
            (true, true) => Next::Close,
            (true, false) => Next::KeepAlive,
        };
        match next {
            Next::KeepAlive => continue,
            Next::Close => {
                conn.finish().await;
                return;
            }
            Next::Drop => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            route("PUT", &["api", "db", "t", "_stream_load"]),
            Route::StreamLoad {
                db: "db",
                table: "t"
            }
        );
        assert_eq!(
            route("POST", &["api", "transaction", "begin"]),
            Route::Transaction { op: "begin" }
        );
        assert_eq!(
            route("GET", &["api", "db", "t", "_stream_load"]),
            Route::NotFound
        );
        assert_eq!(route("GET", &["api", "health"]), Route::Health);
    }
}
