//! BE `prepare` and one-phase `commit` (spec §5.6, §5.7): end the transaction's stream, check the
//! filter ratio, then move the rows to the FE side — PREPARED (held, invisible, for
//! `prepared_timeout`) or committed (visible at publish) — and drop the context. Errors:
//! `TXN_NOT_EXISTS` (no context: never begun here, timed out, BE restarted, or already
//! prepared), `TXN_IN_PROCESSING`, `ABORTED`, "hasn't send any data yet", "too many filtered
//! rows" (+`ErrorURL`), db mismatch; a failure rolls the transaction back. A commit whose
//! publish does not finish within the wait answers `PUBLISH_TIMEOUT` (the data stays COMMITTED).

use std::time::{Duration, Instant};

use super::context::{ContextKey, Take, TxnContext};
use super::reply::{TxnReply, ABORTED, INTERNAL_ERROR, INVALID_ARGUMENT, OK, PUBLISH_TIMEOUT};
use super::MULTI_ON_BE;
use crate::http::request::RequestHead;
use crate::load::be_node::{ms, BeNode};
use crate::load::begin::too_many_filtered;
use crate::load::fault_plan::{Modifiers, PublishFault};
use crate::load::result::PUBLISH_TIMEOUT_MESSAGE;
use crate::load::stream_load::TOO_MANY_FILTERED_ROWS;
use crate::txn::publish::{wait_visible, TableWrite};
use crate::txn::{TxnState, DEFAULT_PREPARED_TIMEOUT};

/// How long a commit waits for publish: its `timeout` header, else the setting.
pub fn publish_wait(head: &RequestHead, default_ms: u64) -> Duration {
    head.non_empty_header("timeout")
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(Duration::from_millis(default_ms), Duration::from_secs)
}

impl BeNode {
    /// Handles `prepare` (`prepare` = true) and one-phase `commit`.
    pub async fn txn_finish(
        &self,
        head: &RequestHead,
        label: &str,
        prepare: bool,
        modifiers: &Modifiers,
    ) -> TxnReply {
        if head.header("transaction_type").is_some() {
            return TxnReply::error(INVALID_ARGUMENT, MULTI_ON_BE);
        }
        if label.is_empty() {
            return TxnReply::error(INVALID_ARGUMENT, "empty label");
        }
        let key = ContextKey::classic(label);
        let taken = self.backend().contexts().take(&key);
        let ctx = match taken {
            Take::Missing => return TxnReply::not_exists(label),
            Take::Busy => {
                return TxnReply::in_processing(
                    label,
                    "Transaction in processing, please retry later",
                )
            }
            Take::Taken(ctx) => ctx,
        };
        let db = head.non_empty_header("db").unwrap_or("");
        if db != ctx.db {
            let m = format!("request db {db} transaction db {} not match", ctx.db);
            self.backend().contexts().put_back(&key, ctx);
            return TxnReply::error(INVALID_ARGUMENT, &m);
        }
        let prepared_timeout = if prepare {
            match head.non_empty_header("prepared_timeout") {
                None => DEFAULT_PREPARED_TIMEOUT,
                Some(v) => match v.parse::<u64>() {
                    Ok(n) if n > 0 => Duration::from_secs(n),
                    _ => {
                        self.backend().contexts().put_back(&key, ctx);
                        return TxnReply::error(
                            INVALID_ARGUMENT,
                            &format!("Invalid prepared_timeout: {v}"),
                        );
                    }
                },
            }
        } else {
            DEFAULT_PREPARED_TIMEOUT
        };
        let txn_id = ctx.txn_id;
        let reply = self
            .finish_context(head, *ctx, prepare, prepared_timeout, modifiers)
            .await;
        self.backend().contexts().remove_if(&key, txn_id);
        self.shared.notify_changed();
        reply
    }

    async fn finish_context(
        &self,
        head: &RequestHead,
        ctx: TxnContext,
        prepare: bool,
        prepared_timeout: Duration,
        modifiers: &Modifiers,
    ) -> TxnReply {
        let started = Instant::now();
        let alive = self
            .shared
            .state()
            .txns
            .get(ctx.txn_id)
            .is_some_and(|t| t.state == TxnState::Prepare);
        if !alive || ctx.failed.is_some() {
            return TxnReply::error(ABORTED, "transaction is aborted");
        }
        let Some(mut load) = ctx.load else {
            let m = format!(
                "transaction txn_id={}, label={}, db={} hasn't send any data yet",
                ctx.txn_id, ctx.label, ctx.db
            );
            self.abort(ctx.txn_id, &m);
            return TxnReply::error(INTERNAL_ERROR, &m);
        };
        let write_started = Instant::now();
        load.pipeline.finish();
        let counters = load.pipeline.counters();
        let error_url =
            (counters.filtered > 0).then(|| self.error_url(load.pipeline.error_lines()));
        if too_many_filtered(&counters, load.plan.max_filter_ratio) {
            self.abort(ctx.txn_id, TOO_MANY_FILTERED_ROWS);
            return TxnReply::error(INTERNAL_ERROR, TOO_MANY_FILTERED_ROWS)
                .opt_str("ErrorURL", error_url.as_deref());
        }
        if let Some(failure) = &modifiers.fail_late {
            self.abort(ctx.txn_id, &failure.message);
            let status = failure.status.as_deref().unwrap_or(INTERNAL_ERROR);
            return TxnReply::error(status, &failure.message);
        }
        let write = TableWrite {
            table: ctx.table.clone(),
            schema: load.plan.schema.clone(),
            rows: load.pipeline.into_staged(),
        };
        let write_ms = ms(write_started.elapsed());
        let commit_started = Instant::now();
        let now = Instant::now();
        let mut status = OK;
        let mut message = "";
        if prepare {
            let mut state = self.shared.state();
            if state
                .txns
                .prepare(ctx.txn_id, now, prepared_timeout)
                .is_err()
            {
                return TxnReply::error(ABORTED, "transaction is aborted");
            }
            state.hold_writes(ctx.txn_id, vec![write]);
        } else {
            let settings = self.shared.settings();
            let delay = match modifiers.publish {
                Some(PublishFault::Timeout(d)) | Some(PublishFault::Delay(d)) => d,
                None => Duration::from_millis(settings.publish_delay_ms),
            };
            let commit =
                self.shared
                    .state()
                    .commit_txn(ctx.txn_id, Some(vec![write]), now + delay, now);
            self.shared.notify_changed();
            if let Err(m) = commit {
                return TxnReply::error(INTERNAL_ERROR, &m);
            }
            let until = now + publish_wait(head, settings.publish_wait_ms);
            let visible = match modifiers.publish {
                Some(PublishFault::Timeout(_)) => false,
                _ => wait_visible(&self.shared, ctx.txn_id, until).await,
            };
            if !visible {
                status = PUBLISH_TIMEOUT;
                message = PUBLISH_TIMEOUT_MESSAGE;
            }
        }
        let stats = &self.shared.stats;
        stats
            .rows_loaded
            .fetch_add(counters.loaded, std::sync::atomic::Ordering::Relaxed);
        stats
            .rows_filtered
            .fetch_add(counters.filtered, std::sync::atomic::Ordering::Relaxed);
        let timings = [
            ms(ctx.begun.elapsed().max(started.elapsed())),
            ctx.plan_ms,
            ctx.received_ms,
            write_ms,
            ms(commit_started.elapsed()),
        ];
        TxnReply::ok(status, message, &ctx.label, Some(ctx.txn_id))
            .figures(&counters, ctx.bytes, timings)
            .opt_str("ErrorURL", error_url.as_deref())
    }
}
