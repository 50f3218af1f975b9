//! The FE side of `/api/transaction/{op}` (spec §5.3, §5.4, §5.7, §5.8): validation in the FE's
//! order (auth, op, `db` → `No database selected.`, `label` → `Empty label.`, database exists),
//! the begin probe, then routing. `begin` picks a BE round-robin and caches label → BE; `load`
//! and `prepare` are redirected to it (cache miss: the transaction's coordinator); `commit` and
//! `rollback` are answered by the FE when the transaction is PREPARED or final and redirected to
//! the BE while it is in PREPARE. Multi-table transactions (`transaction_type: multi`) are in
//! `multi`. A switch answers like a server older than 2.4 (`Not implemented`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::answer::{redirect, txn_failed, txn_ok, FeAnswer};
use super::multi;
use crate::http::request::RequestHead;
use crate::http::response::Response;
use crate::json_out::JsonObject;
use crate::load::fault_plan::PublishFault;
use crate::load::txn::finish::publish_wait;
use crate::state::Shared;
use crate::txn::publish::wait_visible;
use crate::txn::{TxnKind, TxnState};

/// Abort reason of an FE rollback of a PREPARED transaction.
pub const REASON_USER_ABORTED: &str = "User Aborted";

/// A transaction as the FE looks it up by label.
#[derive(Debug, Clone)]
pub struct Found {
    pub id: i64,
    pub state: TxnState,
    pub kind: TxnKind,
    pub reason: Option<String>,
    pub table: String,
    pub coordinator: Option<usize>,
    pub begun: Instant,
    pub timeout: Duration,
}

/// The label's transaction (the live one, else the latest).
pub fn find(shared: &Shared, db: &str, label: &str) -> Option<Found> {
    let now = Instant::now();
    let mut state = shared.state();
    state.publish_due(now);
    state.txns.label_txn(db, label, now).map(|t| Found {
        id: t.id,
        state: t.state,
        kind: t.kind,
        reason: t.reason.clone(),
        table: t.table.clone(),
        coordinator: t.coordinator,
        begun: t.begun,
        timeout: t.timeout,
    })
}

/// `{"status":"FAILED","msg":"Not implemented"}`: a server without the interface (§5.4).
pub fn not_implemented() -> FeAnswer {
    FeAnswer::new(Response::json(
        200,
        JsonObject::new()
            .str("status", "FAILED")
            .str("msg", "Not implemented")
            .compact(),
    ))
}

pub fn not_found_message(db: &str, label: &str) -> String {
    format!("No transaction found with db[{db}] and label[{label}]")
}

/// Handles an FE transaction op after authentication.
pub async fn handle(
    shared: &Arc<Shared>,
    head: &RequestHead,
    op: &str,
    publish: Option<PublishFault>,
) -> FeAnswer {
    if !matches!(op, "begin" | "load" | "prepare" | "commit" | "rollback") {
        return txn_failed(&format!("Unsupported operation: {op}"));
    }
    let db = head.non_empty_header("db").unwrap_or("");
    if db.is_empty() {
        return txn_failed("No database selected.");
    }
    let label = head.non_empty_header("label").unwrap_or("");
    if label.is_empty() {
        return txn_failed("Empty label.");
    }
    if head.non_empty_header("channel_id").is_some()
        || head.non_empty_header("channel_num").is_some()
    {
        return txn_failed(
            "parallel channel mode (channel_id/channel_num) is not supported by the emulator",
        );
    }
    if !shared.state().catalog.has_database(db) {
        return txn_failed(&format!("Database[{db}] does not exist."));
    }
    let is_multi = head
        .header("transaction_type")
        .is_some_and(|t| t.eq_ignore_ascii_case("multi"));
    if is_multi {
        return multi::handle(shared, head, op, db, label, publish).await;
    }
    match op {
        "begin" => {
            let Some(be) = shared.pick_be_index() else {
                return txn_failed("No backend alive.");
            };
            shared
                .state()
                .routes
                .insert((db.to_string(), label.to_string()), be);
            redirect(shared, be, head)
        }
        "load" | "prepare" => route_to_be(shared, head, op, db, label),
        "commit" => commit(shared, head, db, label, publish).await,
        _ => rollback(shared, head, db, label),
    }
}

/// Redirects to the label's BE: the cached one, else the transaction's coordinator.
fn route_to_be(shared: &Shared, head: &RequestHead, op: &str, db: &str, label: &str) -> FeAnswer {
    let cached = shared
        .state()
        .routes
        .get(&(db.to_string(), label.to_string()))
        .copied();
    let be = cached.or_else(|| find(shared, db, label).and_then(|f| f.coordinator));
    match be {
        Some(be) => redirect(shared, be, head),
        None => txn_failed(&format!(
            "transaction with op {op} label {label} has no node"
        )),
    }
}

fn entries(id: i64, label: &str) -> JsonObject {
    JsonObject::new().int("TxnId", id).str("Label", label)
}

async fn commit(
    shared: &Arc<Shared>,
    head: &RequestHead,
    db: &str,
    label: &str,
    publish: Option<PublishFault>,
) -> FeAnswer {
    let Some(found) = find(shared, db, label) else {
        return txn_failed(&not_found_message(db, label));
    };
    let id = found.id;
    match found.state {
        TxnState::Prepare => route_to_be(shared, head, "commit", db, label),
        TxnState::Committed | TxnState::Visible => txn_ok(
            &format!("Transaction {id} has already committed, label is {label}"),
            entries(id, label),
        ),
        TxnState::Aborted => txn_failed(&format!(
            "Can not commit ABORTED transaction {id}, label is {label}"
        )),
        TxnState::Prepared => commit_and_wait(shared, head, id, label, None, publish).await,
    }
}

/// Commits on the FE (held writes, or `writes` of a multi-table transaction) and waits for
/// publish up to the commit `timeout` (default: the `publish_wait_ms` setting).
pub async fn commit_and_wait(
    shared: &Arc<Shared>,
    head: &RequestHead,
    id: i64,
    label: &str,
    writes: Option<Vec<crate::txn::publish::TableWrite>>,
    publish: Option<PublishFault>,
) -> FeAnswer {
    let settings = shared.settings();
    let now = Instant::now();
    let delay = match publish {
        Some(PublishFault::Timeout(d)) | Some(PublishFault::Delay(d)) => d,
        None => Duration::from_millis(settings.publish_delay_ms),
    };
    let committed = shared.state().commit_txn(id, writes, now + delay, now);
    shared.notify_changed();
    if let Err(m) = committed {
        return txn_failed(&m);
    }
    let budget = publish_wait(head, settings.publish_wait_ms);
    let visible = match publish {
        Some(PublishFault::Timeout(_)) => false,
        _ => wait_visible(shared, id, now + budget).await,
    };
    if visible {
        txn_ok("", entries(id, label))
    } else {
        txn_failed(&format!("publish timeout: {}", budget.as_millis()))
    }
}

fn rollback(shared: &Arc<Shared>, head: &RequestHead, db: &str, label: &str) -> FeAnswer {
    let Some(found) = find(shared, db, label) else {
        return txn_failed(&not_found_message(db, label));
    };
    let id = found.id;
    match found.state {
        TxnState::Prepare => route_to_be(shared, head, "rollback", db, label),
        TxnState::Prepared => match shared.abort_txn(id, REASON_USER_ABORTED) {
            Ok(()) => txn_ok("", entries(id, label)),
            Err(state) => txn_failed(&format!(
                "Can not abort {} transaction {id}, label is {label}",
                state.name()
            )),
        },
        TxnState::Aborted => txn_ok(
            &format!("Transaction {id} has already aborted, label is {label}"),
            entries(id, label),
        ),
        state @ (TxnState::Committed | TxnState::Visible) => txn_failed(&format!(
            "Can not abort {} transaction {id}, label is {label}",
            state.name()
        )),
    }
}
