//! The FE HTTP port (spec §1, §2.1, §4, §5, §6): Stream Load redirect (Expect check, Basic auth,
//! 307 to a BE in round-robin, answered on the head alone with `Connection: close`), the
//! transaction interface (`transaction`, `multi`), `get_load_state`, `_cancel`, `/api/health`,
//! `/api/bootstrap`; unknown paths get an HTML 404. Fault rules are consulted once per request
//! (not for health, bootstrap and unknown paths). The FE never reads a request body. This is the
//! leader FE; [`follower`] FEs redirect to it.

pub mod answer;
pub mod follower;
pub mod multi;
pub mod transaction;

use std::sync::Arc;
use std::time::Instant;

use crate::auth::{access_denied_message, parse_basic, verify};
use crate::faults::{FailFamily, FaultPoint, NodeKind, Operation};
use crate::http::conn::{Conn, HeadRead};
use crate::http::request::{percent_decode, BodyFraming, RequestHead};
use crate::http::response::Response;
use crate::json_out::JsonObject;
use crate::load::fault_plan::{FaultPlan, Modifiers};
use crate::state::{RequestRecord, Shared};
use crate::txn::TxnState;
use answer::{rest_failed, rest_ok, FeAnswer};

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

/// Family C failure with the exception class already in `message` (stream-load FE errors).
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

fn stream_load_redirect(shared: &Shared, head: &RequestHead, peer_ip: &str) -> FeAnswer {
    // HTTP/1.0 requests are exempt from the Expect check (spec §1.4).
    if head.minor_version >= 1 && !head.expects_continue() {
        return FeAnswer::new(Response::json(
            200,
            txn_result_failed(
                "class com.starrocks.common.DdlException: There is no 100-continue header",
            ),
        ));
    }
    if let Err(response) = authenticate(shared, head, peer_ip) {
        return FeAnswer::new(response);
    }
    let Some(be) = shared.pick_be_index() else {
        return FeAnswer::new(Response::json(
            200,
            txn_result_failed("class com.starrocks.common.DdlException: No backend alive."),
        ));
    };
    answer::redirect(shared, be, head)
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
    let now = Instant::now();
    let mut state = shared.state();
    if state.publish_due(now) {
        shared.notify_changed();
    }
    if !state.catalog.has_database(&db) {
        return Response::json(
            200,
            rest_failed(&format!("unknown database, database={db}")),
        );
    }
    let body = match state.txns.label_info(&db, &label, now) {
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
                Some((id, st)) => state.abort_txn(id, "user cancel", now).map_err(|_| {
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

/// The fault-rule operation of a route (`None`: not subject to faults).
fn fault_op(route: &Route<'_>) -> Option<Operation> {
    match route {
        Route::StreamLoad { .. } => Some(Operation::StreamLoad),
        Route::LoadState { .. } => Some(Operation::GetLoadState),
        Route::Cancel { .. } => Some(Operation::Cancel),
        Route::Transaction { op } => Some(Operation::from_txn_op(op).unwrap_or(Operation::Any)),
        Route::Health | Route::Bootstrap | Route::NotFound => None,
    }
}

/// What the connection loop does with an answer.
enum Outcome {
    Answer(Box<(FeAnswer, Modifiers)>),
    Drop,
    Reset,
}

/// Answers one request; every FE answer is computed from the head alone.
async fn respond_to(shared: &Arc<Shared>, head: &RequestHead, peer_ip: &str) -> Outcome {
    let segments = head.path_segments();
    let route = route(&head.method, &segments);
    let plan = match fault_op(&route) {
        Some(op) => {
            let table = match &route {
                Route::StreamLoad { table, .. } => Some(*table),
                _ => head.non_empty_header("table"),
            };
            let label = head
                .non_empty_header("label")
                .map(str::to_string)
                .or_else(|| head.query_param("label"));
            FaultPlan::from_action(shared.check_fault(&FaultPoint {
                node: NodeKind::Fe,
                op,
                table,
                label: label.as_deref(),
            }))
        }
        None => FaultPlan::Proceed(Modifiers::default()),
    };
    let natural = match route {
        Route::LoadState { .. } | Route::Cancel { .. } => FailFamily::D,
        _ => FailFamily::C,
    };
    let mut modifiers = match plan {
        FaultPlan::Proceed(m) => m,
        FaultPlan::HttpError { status, body } => {
            let mut a = FeAnswer::new(Response::text(status, body));
            a.close = true;
            return Outcome::Answer(Box::new((a, Modifiers::default())));
        }
        FaultPlan::FailNow(failure) => {
            let label = head.non_empty_header("label").unwrap_or("");
            let body = crate::faults::render::failure_body(
                &failure,
                failure.family.unwrap_or(natural),
                label,
                -1,
            );
            return Outcome::Answer(Box::new((
                FeAnswer::new(Response::json(200, body)),
                Modifiers::default(),
            )));
        }
        FaultPlan::DropBefore => return Outcome::Drop,
        FaultPlan::BeDown { for_ms } => Modifiers {
            be_down: Some(for_ms),
            ..Modifiers::default()
        },
        FaultPlan::LoseContext => {
            if let Some(label) = head.non_empty_header("label") {
                for backend in &shared.backends {
                    backend.contexts().remove_label(label);
                }
            }
            Modifiers::default()
        }
    };
    if modifiers.reset_after.is_some() {
        return Outcome::Reset;
    }
    if let Some(failure) = modifiers.fail_late.take() {
        let label = head.non_empty_header("label").unwrap_or("");
        let body = crate::faults::render::failure_body(
            &failure,
            failure.family.unwrap_or(natural),
            label,
            -1,
        );
        return Outcome::Answer(Box::new((
            FeAnswer::new(Response::json(200, body)),
            modifiers,
        )));
    }
    let answer = match route {
        Route::StreamLoad { .. } => {
            let mut a = stream_load_redirect(shared, head, peer_ip);
            a.close = true;
            a
        }
        Route::LoadState { db } => FeAnswer::new(load_state(shared, head, peer_ip, db)),
        Route::Cancel { db, second } => FeAnswer::new(cancel(shared, head, peer_ip, db, second)),
        Route::Transaction { op } => {
            if !shared.settings().transaction_interface {
                transaction::not_implemented()
            } else if let Err(response) = authenticate(shared, head, peer_ip) {
                FeAnswer::new(response)
            } else {
                transaction::handle(shared, head, op, modifiers.publish).await
            }
        }
        Route::Health => FeAnswer::new(health(shared)),
        Route::Bootstrap => FeAnswer::new(bootstrap()),
        Route::NotFound => FeAnswer::new(not_found()),
    };
    Outcome::Answer(Box::new((answer, modifiers)))
}

/// Serves one FE connection.
pub async fn serve_connection(shared: Arc<Shared>, mut conn: Conn) {
    loop {
        let head = match conn.read_head().await {
            HeadRead::Head(h) => h,
            HeadRead::Closed => return,
            HeadRead::Bad(e) => return conn.reject_bad_head(e).await,
        };
        let peer_ip = conn.peer().ip().to_string();
        let label = head
            .non_empty_header("label")
            .map(str::to_string)
            .or_else(|| head.query_param("label"));
        let record = |status: u16| RequestRecord::of("fe", &head, label.clone(), status, None, 0);
        let (answer, modifiers) = match respond_to(&shared, &head, &peer_ip).await {
            Outcome::Answer(boxed) => *boxed,
            Outcome::Drop => {
                shared.record_request(record(0));
                return;
            }
            Outcome::Reset => {
                shared.record_request(record(0));
                conn.reset();
                return;
            }
        };
        if let (Some(for_ms), Some(be)) = (modifiers.be_down, answer.redirect_be) {
            crate::backends::take_down(&shared, be, for_ms);
            crate::backends::await_port(shared.be_addrs[be], true).await;
        }
        if let Some(delay) = modifiers.delay_response.or(modifiers.delay_continue) {
            tokio::time::sleep(delay).await;
        }
        if modifiers.drop_after {
            shared.record_request(record(0));
            return;
        }
        // The FE never reads request bodies: a request that has one ends the connection.
        let has_body = !matches!(head.framing(), Ok(BodyFraming::Length(0)));
        let close = answer.close || has_body || !head.wants_keep_alive();
        shared.record_request(record(answer.response.status));
        let written = conn
            .respond(&answer.response, close, head.method == "HEAD")
            .await
            .is_ok();
        match (written, close) {
            (false, _) => return,
            (true, true) => {
                conn.finish().await;
                return;
            }
            (true, false) => continue,
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
