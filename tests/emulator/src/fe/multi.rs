//! Multi-table transactions (spec §5.10, `transaction_type: multi`): `begin` on the FE creates
//! the task; each table's first `load` creates a sub-task on a BE (a context keyed by label and
//! table) and every load of that table is redirected there; `commit` (FE) ends every table's
//! stream, checks filter ratios and commits all tables atomically; `rollback` (FE) aborts all;
//! `prepare` is not supported. Answers are family C.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::answer::{redirect, txn_failed, txn_ok, FeAnswer};
use super::transaction::{commit_and_wait, find, not_found_message, REASON_USER_ABORTED};
use crate::http::request::RequestHead;
use crate::http::response::Response;
use crate::json_out::JsonObject;
use crate::labels::LabelError;
use crate::load::begin::too_many_filtered;
use crate::load::fault_plan::PublishFault;
use crate::load::params::{check_timeout_range, DEFAULT_TIMEOUT_SECS};
use crate::load::stream_load::TOO_MANY_FILTERED_ROWS;
use crate::load::txn::context::{ContextKey, Take, TxnContext};
use crate::state::Shared;
use crate::txn::publish::TableWrite;
use crate::txn::{TxnKind, TxnState};

pub async fn handle(
    shared: &Arc<Shared>,
    head: &RequestHead,
    op: &str,
    db: &str,
    label: &str,
    publish: Option<PublishFault>,
) -> FeAnswer {
    match op {
        "begin" => begin(shared, head, db, label),
        "load" => load(shared, head, db, label),
        "prepare" => txn_failed("Multi-statement transaction does not support prepare"),
        "commit" => commit(shared, head, db, label, publish).await,
        _ => rollback(shared, db, label),
    }
}

fn entries(id: i64, label: &str) -> JsonObject {
    JsonObject::new().str("Label", label).int("TxnId", id)
}

fn begin(shared: &Shared, head: &RequestHead, db: &str, label: &str) -> FeAnswer {
    let timeout = match head.non_empty_header("timeout") {
        None => DEFAULT_TIMEOUT_SECS,
        Some(v) => match v.parse::<u64>() {
            Ok(n) => n,
            Err(_) => return txn_failed("Invalid timeout format"),
        },
    };
    if let Err(m) = check_timeout_range(timeout) {
        return txn_failed(&m);
    }
    let now = Instant::now();
    let begun = shared.state().txns.begin(
        db,
        label,
        "",
        TxnKind::MultiTable,
        Duration::from_secs(timeout),
        now,
    );
    shared.notify_changed();
    match begun {
        Ok(id) => txn_ok("", entries(id, label)),
        Err(LabelError::Format(m)) => txn_failed(&m),
        Err(LabelError::AlreadyExists {
            message,
            existing_job_status,
            existing,
        }) => {
            let found = shared.state().txns.get(existing).map(|t| (t.kind, t.state));
            let body = match found {
                Some((TxnKind::MultiTable, TxnState::Prepare)) => JsonObject::new()
                    .str("Status", "LABEL_ALREADY_EXISTS")
                    .str(
                        "Message",
                        &format!(
                            "Transaction already started with label [{label}], txnId: {existing}"
                        ),
                    )
                    .int("TxnId", existing),
                Some((TxnKind::MultiTable, state)) => JsonObject::new()
                    .str("Status", "LABEL_ALREADY_EXISTS")
                    .str(
                        "ExistingJobStatus",
                        if state == TxnState::Visible {
                            "FINISHED"
                        } else {
                            "COMMITED"
                        },
                    )
                    .str("Message", &message),
                _ => JsonObject::new()
                    .str("Status", "LABEL_ALREADY_EXISTS")
                    .str("ExistingJobStatus", existing_job_status)
                    .str("Message", &message),
            };
            FeAnswer::new(Response::json(200, body.pretty()))
        }
    }
}

fn load(shared: &Arc<Shared>, head: &RequestHead, db: &str, label: &str) -> FeAnswer {
    let Some(table) = head.non_empty_header("table") else {
        return txn_failed("No table selected.");
    };
    let found = match find(shared, db, label) {
        Some(f) if f.kind == TxnKind::MultiTable => f,
        _ => return txn_failed(&not_found_message(db, label)),
    };
    match found.state {
        TxnState::Prepare => {}
        TxnState::Aborted => {
            return txn_failed(&format!(
                "stream load task {label} has already been cancelled: {}",
                found.reason.unwrap_or_default()
            ))
        }
        _ => {
            return txn_failed(&format!(
                "stream load task {label} has already been committed"
            ))
        }
    }
    let route_key = (db.to_string(), label.to_string(), table.to_string());
    let (be, created) = {
        let mut state = shared.state();
        let Some(schema) = state.catalog.table(db, table).map(|t| t.schema().clone()) else {
            return txn_failed(&format!("unknown table \"{db}.{table}\""));
        };
        match state.multi_routes.get(&route_key).copied() {
            Some(be) => (be, None),
            None => {
                let Some(be) = shared.pick_be_index() else {
                    return txn_failed("No backend alive.");
                };
                state.multi_routes.insert(route_key, be);
                state.txns.add_table(found.id, table);
                (be, Some(schema))
            }
        }
    };
    if let Some(schema) = created {
        let ctx = TxnContext::new(
            found.id,
            db,
            table,
            label,
            schema,
            found.timeout,
            None,
            found.begun,
        );
        shared.backends[be]
            .contexts()
            .insert(ContextKey::multi(label, table), ctx);
        shared.notify_changed();
    }
    redirect(shared, be, head)
}

/// Ends every table's stream and collects the writes; `Err` is the FE answer.
fn collect_writes(
    shared: &Shared,
    db: &str,
    label: &str,
    id: i64,
    tables: &str,
) -> Result<Vec<TableWrite>, FeAnswer> {
    let mut taken = Vec::new();
    let mut failure = None;
    for table in tables.split(',').filter(|t| !t.is_empty()) {
        let route = shared
            .state()
            .multi_routes
            .get(&(db.to_string(), label.to_string(), table.to_string()))
            .copied();
        let key = ContextKey::multi(label, table);
        let outcome = match route {
            Some(be) => shared.backends[be].contexts().take(&key),
            None => Take::Missing,
        };
        match outcome {
            Take::Taken(ctx) => taken.push((route.unwrap_or(0), key, ctx)),
            Take::Busy => {
                failure = Some(format!(
                    "Transaction {id} has loads in processing on table {table}, label is {label}"
                ));
                break;
            }
            Take::Missing => {
                failure = Some(format!(
                    "the load context of table {table} of transaction {id} is lost on its BE"
                ));
                break;
            }
        }
    }
    if let Some(message) = failure {
        for (be, key, ctx) in taken {
            shared.backends[be].contexts().put_back(&key, ctx);
        }
        if message.contains("is lost") {
            let _ = shared.abort_txn(id, &message);
        }
        return Err(txn_failed(&message));
    }
    let mut writes = Vec::new();
    let mut error = None;
    for (be, key, ctx) in taken {
        shared.backends[be].contexts().remove_if(&key, id);
        let ctx = *ctx;
        if error.is_some() {
            continue;
        }
        let Some(mut load) = ctx.load else {
            continue;
        };
        load.pipeline.finish();
        let counters = load.pipeline.counters();
        if too_many_filtered(&counters, load.plan.max_filter_ratio) {
            error = Some(TOO_MANY_FILTERED_ROWS.to_string());
            continue;
        }
        writes.push(TableWrite {
            table: ctx.table.clone(),
            schema: load.plan.schema.clone(),
            rows: load.pipeline.into_staged(),
        });
    }
    if let Some(message) = error {
        let _ = shared.abort_txn(id, &message);
        return Err(txn_failed(&message));
    }
    Ok(writes)
}

async fn commit(
    shared: &Arc<Shared>,
    head: &RequestHead,
    db: &str,
    label: &str,
    publish: Option<PublishFault>,
) -> FeAnswer {
    let found = match find(shared, db, label) {
        Some(f) if f.kind == TxnKind::MultiTable => f,
        _ => return txn_failed(&not_found_message(db, label)),
    };
    let id = found.id;
    match found.state {
        TxnState::Committed | TxnState::Visible => {
            return txn_ok(
                &format!("Transaction {id} has already committed, label is {label}"),
                entries(id, label),
            )
        }
        TxnState::Aborted => {
            return txn_failed(&format!(
                "Can not commit CANCELLED transaction {id}, label is {label}"
            ))
        }
        _ => {}
    }
    let writes = match collect_writes(shared, db, label, id, &found.table) {
        Ok(w) => w,
        Err(answer) => return answer,
    };
    commit_and_wait(shared, head, id, label, Some(writes), publish).await
}

fn rollback(shared: &Shared, db: &str, label: &str) -> FeAnswer {
    let found = match find(shared, db, label) {
        Some(f) if f.kind == TxnKind::MultiTable => f,
        _ => return txn_failed(&not_found_message(db, label)),
    };
    let id = found.id;
    match found.state {
        TxnState::Prepare | TxnState::Prepared => {
            let _ = shared.abort_txn(id, REASON_USER_ABORTED);
            for backend in &shared.backends {
                backend.contexts().remove_txn(id);
            }
            txn_ok(&format!("stream load {label} abort"), entries(id, label))
        }
        TxnState::Aborted => txn_ok(
            &format!("Transaction {id} has already aborted, label is {label}"),
            entries(id, label),
        ),
        state => txn_failed(&format!(
            "Can not abort {} transaction {id}, label is {label}",
            state.name()
        )),
    }
}
