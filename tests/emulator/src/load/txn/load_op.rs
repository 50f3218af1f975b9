//! BE `load` (spec §5.5): finds the context (missing → `TXN_NOT_EXISTS`, busy →
//! `TXN_IN_PROCESSING`), checks that the transaction is alive, that db/table match and that the
//! data headers equal the first load's ("load request not equal last."), plans on the first
//! load (against the table's schema at that moment, if a schema change finished since `begin`),
//! invites the body with `100 Continue` and appends it to the transaction's pipeline under
//! the transaction deadline. Row errors surface at prepare/commit. A failed body aborts the
//! transaction; a client that goes away gets no answer.

use std::sync::atomic::Ordering;
use std::time::Instant;

use super::context::{LoadState, Take, TxnContext};
use super::context_key;
use super::reply::{TxnReply, ABORTED, INTERNAL_ERROR, INVALID_ARGUMENT, OK};
use crate::data::sink::Ingest;
use crate::http::conn::Conn;
use crate::http::request::RequestHead;
use crate::http::Next;
use crate::load::be_node::{ms, BeNode, LoadOutcome};
use crate::load::fault_plan::Modifiers;
use crate::load::params::{early, fingerprint, plan_from_headers, HeaderFlavor};
use crate::load::pipeline::{BodyError, Pipeline};
use crate::load::stream_load::REASON_CANCELLED;
use crate::txn::sweeper::REASON_TXN_TIMEOUT;
use crate::txn::TxnState;

/// The message for a load on a transaction the timeout cleaner aborted.
pub const LOAD_TIMEOUT: &str = "The load is timeout, and will be aborted";

/// What one load did.
struct Step {
    /// `None`: no answer (the client is gone or the connection is reset).
    reply: Option<TxnReply>,
    /// Keep the context (else it is removed).
    keep: bool,
    /// The body was read completely (the connection may be reused).
    body_read: bool,
    reset: bool,
    bytes: u64,
}

impl Step {
    fn answer(reply: TxnReply, keep: bool) -> Step {
        Step {
            reply: Some(reply),
            keep,
            body_read: false,
            reset: false,
            bytes: 0,
        }
    }
}

impl BeNode {
    /// Handles `PUT /api/transaction/load`.
    pub async fn txn_load(
        &self,
        conn: &mut Conn,
        head: &RequestHead,
        label: &str,
        modifiers: &Modifiers,
    ) -> LoadOutcome {
        if label.is_empty() {
            let reply = TxnReply::error(INVALID_ARGUMENT, "empty label");
            return self
                .txn_answer(conn, head, label, &reply, modifiers, true, 0)
                .await;
        }
        let limit = self.shared.settings().be_concurrency_limit;
        let Some(_slot) = self.backend().start_load(limit) else {
            let reply = TxnReply::error(
                "RESOURCE_BUSY",
                &format!(
                    "Stream Load exceed http cuncurrent limit {limit}, please try again later"
                ),
            );
            return self
                .txn_answer(conn, head, label, &reply, modifiers, true, 0)
                .await;
        };
        let key = context_key(head, label);
        let taken = self.backend().contexts().take(&key);
        let mut ctx = match taken {
            Take::Missing => {
                let reply = TxnReply::not_exists(label);
                return self
                    .txn_answer(conn, head, label, &reply, modifiers, true, 0)
                    .await;
            }
            Take::Busy => {
                let reply = TxnReply::in_processing(label, "Transaction is in processing");
                return self
                    .txn_answer(conn, head, label, &reply, modifiers, true, 0)
                    .await;
            }
            Take::Taken(ctx) => ctx,
        };
        let step = self.load_into(conn, head, &mut ctx, modifiers).await;
        let txn_id = ctx.txn_id;
        if step.keep {
            self.backend().contexts().put_back(&key, ctx);
        } else {
            self.backend().contexts().remove_if(&key, txn_id);
        }
        self.shared
            .stats
            .bytes_received
            .fetch_add(step.bytes, Ordering::Relaxed);
        if step.reset {
            self.record(head, label, 0, None, step.bytes);
            return LoadOutcome { next: Next::Reset };
        }
        let Some(reply) = step.reply else {
            self.record(head, label, 0, None, step.bytes);
            return LoadOutcome { next: Next::Drop };
        };
        let close = !step.body_read || !head.wants_keep_alive();
        self.txn_answer(conn, head, label, &reply, modifiers, close, step.bytes)
            .await
    }

    async fn load_into(
        &self,
        conn: &mut Conn,
        head: &RequestHead,
        ctx: &mut TxnContext,
        modifiers: &Modifiers,
    ) -> Step {
        let fe_state = self
            .shared
            .state()
            .txns
            .get(ctx.txn_id)
            .map(|t| (t.state, t.reason.clone()));
        match fe_state {
            Some((TxnState::Prepare, _)) => {}
            Some((TxnState::Aborted, Some(reason))) if reason == REASON_TXN_TIMEOUT => {
                return Step::answer(TxnReply::error(ABORTED, LOAD_TIMEOUT), false)
            }
            _ => {
                return Step::answer(
                    TxnReply::error(ABORTED, "current transaction is aborted"),
                    false,
                )
            }
        }
        if ctx.failed.is_some() {
            return Step::answer(
                TxnReply::error(ABORTED, "current transaction is aborted"),
                true,
            );
        }
        let db = head.non_empty_header("db").unwrap_or("");
        if db != ctx.db {
            let m = format!(
                "Request database {db} not equal transaction database {}",
                ctx.db
            );
            return Step::answer(TxnReply::error(INVALID_ARGUMENT, &m), true);
        }
        let table = head.non_empty_header("table").unwrap_or("");
        if table != ctx.table {
            let m = format!(
                "Request table {table} not equal transaction table {}",
                ctx.table
            );
            return Step::answer(TxnReply::error(INVALID_ARGUMENT, &m), true);
        }
        let print = fingerprint(head);
        if ctx.load.as_ref().is_some_and(|l| l.fingerprint != print) {
            return Step::answer(
                TxnReply::error(INTERNAL_ERROR, "load request not equal last."),
                true,
            );
        }
        let framing = match head.framing() {
            Ok(f) => f,
            Err(e) => return Step::answer(TxnReply::error(INVALID_ARGUMENT, &e.0), true),
        };
        let max_body_mb = self.shared.settings().streaming_load_max_mb;
        let early_params = match early(head, framing, max_body_mb) {
            Ok(e) => e,
            Err(m) => return Step::answer(TxnReply::error(INVALID_ARGUMENT, &m), true),
        };
        let first = ctx.load.is_none();
        if first {
            let started = Instant::now();
            // Staged against the schema current now (see `txn::schema_change`).
            if let Some(table) = self.shared.state().catalog.table(&ctx.db, &ctx.table) {
                if table.accepts(&ctx.schema) {
                    ctx.schema = table.schema().clone();
                }
            }
            let plan = match plan_from_headers(
                head,
                &early_params,
                ctx.schema.clone(),
                HeaderFlavor::TransactionLoad,
            ) {
                Ok(p) => p,
                Err(m) => {
                    self.abort(ctx.txn_id, &m);
                    return Step::answer(TxnReply::error(INTERNAL_ERROR, &m), false);
                }
            };
            let pipeline = Pipeline::new(&plan, Ingest::of(&self.shared.config));
            ctx.load = Some(LoadState {
                plan,
                pipeline,
                fingerprint: print,
            });
            ctx.plan_ms = ms(started.elapsed());
        }
        if let Some(delay) = modifiers.delay_continue {
            tokio::time::sleep(delay).await;
        }
        if head.expects_continue() && conn.send_continue().await.is_err() {
            self.abort(ctx.txn_id, REASON_CANCELLED);
            return Step {
                reply: None,
                keep: false,
                body_read: false,
                reset: false,
                bytes: 0,
            };
        }
        let read_started = Instant::now();
        let deadline = ctx.begun + ctx.timeout;
        let mut bytes = 0u64;
        let Some(load) = ctx.load.as_mut() else {
            return Step::answer(TxnReply::error(INTERNAL_ERROR, "no load plan"), false);
        };
        let read = tokio::time::timeout_at(
            deadline.into(),
            load.pipeline
                .read_body(conn, framing, modifiers.reset_after, &mut bytes),
        )
        .await;
        let gone = |reset: bool| Step {
            reply: None,
            keep: false,
            body_read: false,
            reset,
            bytes,
        };
        match read {
            Ok(Ok(())) => {}
            Ok(Err(BodyError::ClientGone)) => {
                self.abort(ctx.txn_id, REASON_CANCELLED);
                return gone(false);
            }
            Ok(Err(BodyError::Reset)) => {
                self.abort(ctx.txn_id, REASON_CANCELLED);
                return gone(true);
            }
            Ok(Err(BodyError::Invalid(m))) => {
                self.abort(ctx.txn_id, &m);
                let mut step = Step::answer(TxnReply::error(INTERNAL_ERROR, &m), false);
                step.bytes = bytes;
                return step;
            }
            Err(_elapsed) => {
                self.abort(ctx.txn_id, REASON_TXN_TIMEOUT);
                let mut step = Step::answer(TxnReply::error(ABORTED, LOAD_TIMEOUT), false);
                step.bytes = bytes;
                return step;
            }
        }
        let received_ms = ms(read_started.elapsed());
        ctx.loads += 1;
        ctx.bytes += bytes;
        ctx.received_ms += received_ms;
        ctx.last_active = Instant::now();
        if let Some(failure) = &modifiers.fail_late {
            self.abort(ctx.txn_id, &failure.message);
            let status = failure.status.as_deref().unwrap_or(INTERNAL_ERROR);
            let mut step = Step::answer(TxnReply::error(status, &failure.message), false);
            step.body_read = true;
            step.bytes = bytes;
            return step;
        }
        // A new idle deadline: wake the sweeper.
        self.shared.sweeper_wake.notify_one();
        let reply = TxnReply::ok(OK, "", &ctx.label, Some(ctx.txn_id))
            .int("LoadBytes", bytes as i64)
            .int("StreamLoadPlanTimeMs", if first { ctx.plan_ms } else { 0 })
            .int("ReceivedDataTimeMs", received_ms);
        Step {
            reply: Some(reply),
            keep: true,
            body_read: true,
            reset: false,
            bytes,
        }
    }
}
