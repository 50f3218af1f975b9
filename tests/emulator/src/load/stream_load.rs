//! The BE's plain Stream Load (spec §2.3), in order: header phase (concurrency limit, label, Basic
//! auth parsing, format/compression/body size (`streaming_load_max_mb`)/timeout checks, begin
//! transaction with the FE's checks, plan),
//! then `100 Continue` only if the client asked for it, then the body streamed into the parser
//! under the load deadline, then the filter-ratio gate and an atomic commit; the rows become
//! visible together with the VISIBLE label state at publish (at once, or after a publish delay,
//! in which case the answer waits until the load deadline and may be `Publish Timeout`). Any
//! failure after begin rolls the transaction back (label ABORTED, no rows). A client that goes
//! away mid-body (a body that ends before its `Content-Length`) gets no response; its transaction
//! is aborted (F17). A short body on a connection left open fails at the load deadline; bytes
//! beyond `Content-Length` are never read as body. Fault rules are consulted
//! once per request (`fault_plan`).

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::be_node::{ms, BeNode, LoadOutcome};
use super::begin::{begin_txn, too_many_filtered, BeginError};
use super::fault_plan::{FaultPlan, Modifiers, PublishFault};
use super::params::{early, plan_from_headers, HeaderFlavor};
use super::pipeline::{BodyError, Pipeline};
use super::plan::LoadPlan;
use super::result::{
    LoadResult, Timings, PUBLISH_TIMEOUT_MESSAGE, STATUS_LABEL_EXISTS, STATUS_PUBLISH_TIMEOUT,
    STATUS_SUCCESS,
};
use crate::auth::parse_basic;
use crate::data::sink::Ingest;
use crate::faults::{FailFamily, Operation};
use crate::http::conn::Conn;
use crate::http::request::{percent_decode, RequestHead};
use crate::http::response::Response;
use crate::http::Next;
use crate::txn::publish::{wait_visible, TableWrite};
use crate::txn::{TxnId, TxnKind};

/// Abort reason when the client disconnects mid-body.
pub const REASON_CANCELLED: &str = "Cancelled";
/// Abort reason when the load deadline passes (spec F14).
pub const REASON_TIMEOUT: &str = "timeout by txn manager";
/// The literal message of the filter-ratio gate (spec §2.3 step 11).
pub const TOO_MANY_FILTERED_ROWS: &str = "too many filtered rows";

impl BeNode {
    /// Records the request in the log, then writes the result (so a client that has the
    /// response always finds the request logged).
    async fn reply(
        &self,
        conn: &mut Conn,
        head: &RequestHead,
        result: &LoadResult,
        close: bool,
    ) -> bool {
        self.record(
            head,
            &result.label,
            200,
            Some(&result.status),
            result.load_bytes,
        );
        let response = Response::json(200, result.to_json());
        conn.respond(&response, close, false).await.is_ok()
    }
    fn count_result(&self, result: &LoadResult) {
        let stats = &self.shared.stats;
        let ok = result.status == STATUS_SUCCESS || result.status == STATUS_PUBLISH_TIMEOUT;
        if ok {
            stats.loads_succeeded.fetch_add(1, Ordering::Relaxed);
            stats
                .rows_loaded
                .fetch_add(result.counters.loaded, Ordering::Relaxed);
        } else {
            stats.loads_failed.fetch_add(1, Ordering::Relaxed);
        }
        stats
            .rows_filtered
            .fetch_add(result.counters.filtered, Ordering::Relaxed);
    }

    /// Header-phase failure: final 200 at once, body never read, connection closed.
    async fn header_failure(
        &self,
        conn: &mut Conn,
        head: &RequestHead,
        result: LoadResult,
    ) -> LoadOutcome {
        self.count_result(&result);
        let written = self.reply(conn, head, &result, true).await;
        LoadOutcome {
            next: if written { Next::Close } else { Next::Drop },
        }
    }
    /// Handles `PUT /api/{db}/{table}/_stream_load` on this BE.
    pub async fn stream_load(
        &self,
        conn: &mut Conn,
        head: &RequestHead,
        db_raw: &str,
        table_raw: &str,
    ) -> LoadOutcome {
        let started = Instant::now();
        self.shared.stats.loads.fetch_add(1, Ordering::Relaxed);
        let label = head
            .non_empty_header("label")
            .map(str::to_string)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let (Some(db), Some(table)) = (
            percent_decode(db_raw, false),
            percent_decode(table_raw, false),
        ) else {
            let result = LoadResult::fail(-1, &label, "invalid database or table name in the URL");
            return self.header_failure(conn, head, result).await;
        };

        let modifiers = match self.fault(Operation::StreamLoad, Some(&table), Some(&label)) {
            FaultPlan::Proceed(m) => m,
            FaultPlan::HttpError { status, body } => {
                let response = Response::text(status, body);
                return self.answer_now(conn, head, &label, response).await;
            }
            FaultPlan::FailNow(failure) => {
                let family = failure.family.unwrap_or(FailFamily::A);
                if family == FailFamily::A {
                    let mut result = LoadResult::fail(-1, &label, failure.message.clone());
                    if let Some(status) = failure.status {
                        result.status = status;
                    }
                    return self.header_failure(conn, head, result).await;
                }
                let body = crate::faults::render::failure_body(&failure, family, &label, -1);
                return self
                    .answer_now(conn, head, &label, Response::json(200, body))
                    .await;
            }
            FaultPlan::DropBefore | FaultPlan::LoseContext => {
                self.record(head, &label, 0, None, 0);
                return LoadOutcome { next: Next::Drop };
            }
            FaultPlan::BeDown { for_ms } => {
                crate::backends::take_down(&self.shared, self.index, for_ms);
                self.record(head, &label, 0, None, 0);
                return LoadOutcome { next: Next::Drop };
            }
        };

        // Header phase: nothing here reads the body.
        let limit = self.shared.settings().be_concurrency_limit;
        let Some(_slot) = self.backend().start_load(limit) else {
            let message =
                format!("Stream Load exceed http cuncurrent limit {limit}, please try again later");
            return self
                .header_failure(conn, head, LoadResult::fail(-1, &label, message))
                .await;
        };
        let Some(credentials) = parse_basic(head.header("authorization")) else {
            let result = LoadResult::fail(-1, &label, "no valid Basic authorization");
            return self.header_failure(conn, head, result).await;
        };
        let framing = match head.framing() {
            Ok(f) => f,
            Err(e) => {
                return self
                    .header_failure(conn, head, LoadResult::fail(-1, &label, e.0))
                    .await
            }
        };
        let max_body_mb = self.shared.settings().streaming_load_max_mb;
        let early = match early(head, framing, max_body_mb) {
            Ok(e) => e,
            Err(m) => {
                return self
                    .header_failure(conn, head, LoadResult::fail(-1, &label, m))
                    .await
            }
        };
        let begin_started = Instant::now();
        let peer_ip = conn.peer().ip().to_string();
        let begun = {
            let mut state = self.shared.state();
            begin_txn(
                &self.shared,
                &mut state,
                &peer_ip,
                &credentials,
                &db,
                &table,
                &label,
                TxnKind::StreamLoad,
                early.timeout_secs,
            )
        };
        let (txn_id, schema) = match begun {
            Ok(v) => v,
            Err(BeginError::Other(m)) => {
                return self
                    .header_failure(conn, head, LoadResult::fail(-1, &label, m))
                    .await
            }
            Err(BeginError::LabelExists(message, existing)) => {
                let mut result = LoadResult::fail(-1, &label, message);
                result.status = STATUS_LABEL_EXISTS.to_string();
                result.existing_job_status = Some(existing);
                return self.header_failure(conn, head, result).await;
            }
        };
        self.shared.notify_changed();
        let begin_ms = ms(begin_started.elapsed());
        let deadline = begin_started + Duration::from_secs(early.timeout_secs);

        let plan_started = Instant::now();
        let plan = match plan_from_headers(head, &early, schema, HeaderFlavor::StreamLoad) {
            Ok(p) => p,
            Err(m) => {
                self.abort(txn_id, &m);
                return self
                    .header_failure(conn, head, LoadResult::fail(txn_id, &label, m))
                    .await;
            }
        };
        let plan_ms = ms(plan_started.elapsed());

        if let Some(delay) = modifiers.delay_continue {
            tokio::time::sleep(delay).await;
        }
        // Header validation passed: now, and only now, invite the body.
        if head.expects_continue() && conn.send_continue().await.is_err() {
            self.abort(txn_id, REASON_CANCELLED);
            self.shared
                .stats
                .loads_failed
                .fetch_add(1, Ordering::Relaxed);
            self.record(head, &label, 0, None, 0);
            return LoadOutcome { next: Next::Drop };
        }

        let read_started = Instant::now();
        let mut pipeline = Pipeline::new(&plan, Ingest::of(&self.shared.config));
        let mut bytes: u64 = 0;
        let read = tokio::time::timeout_at(
            deadline.into(),
            pipeline.read_body(conn, framing, modifiers.reset_after, &mut bytes),
        )
        .await;
        self.shared
            .stats
            .bytes_received
            .fetch_add(bytes, Ordering::Relaxed);
        let timings = Timings {
            load_ms: 0,
            begin_txn_ms: begin_ms,
            plan_ms,
            read_data_ms: ms(read_started.elapsed()),
            write_data_ms: 0,
            commit_and_publish_ms: 0,
        };
        let body_error = match read {
            Ok(Ok(())) => None,
            Ok(Err(BodyError::Invalid(m))) => Some(m),
            Ok(Err(gone @ (BodyError::ClientGone | BodyError::Reset))) => {
                // The client went away (or the fault resets it): roll back, no response.
                self.abort(txn_id, REASON_CANCELLED);
                self.shared
                    .stats
                    .loads_failed
                    .fetch_add(1, Ordering::Relaxed);
                self.record(head, &label, 0, None, bytes);
                let next = match gone {
                    BodyError::Reset => Next::Reset,
                    _ => Next::Drop,
                };
                return LoadOutcome { next };
            }
            Err(_elapsed) => Some(REASON_TIMEOUT.to_string()),
        };
        if let Some(message) = body_error {
            self.abort(txn_id, &message);
            let mut result = LoadResult::fail(txn_id, &label, message);
            result.load_bytes = bytes;
            result.timings = timings;
            result.timings.load_ms = ms(started.elapsed());
            self.count_result(&result);
            let written = self.reply(conn, head, &result, true).await;
            return LoadOutcome {
                next: if written { Next::Close } else { Next::Drop },
            };
        }
        pipeline.finish();

        let result = self
            .complete(
                txn_id, &label, &plan, pipeline, bytes, timings, started, deadline, &modifiers,
            )
            .await;
        self.count_result(&result);
        if let Some(delay) = modifiers.delay_response {
            tokio::time::sleep(delay).await;
        }
        if modifiers.drop_after {
            self.record(head, &label, 0, Some(&result.status), bytes);
            return LoadOutcome { next: Next::Drop };
        }
        let keep_alive = head.wants_keep_alive();
        let written = self.reply(conn, head, &result, !keep_alive).await;
        LoadOutcome {
            next: match (written, keep_alive) {
                (false, _) => Next::Drop,
                (true, true) => Next::KeepAlive,
                (true, false) => Next::Close,
            },
        }
    }

    /// Completion phase: error log, filter-ratio gate, commit, publish wait (spec §2.3 steps
    /// 10-13).
    #[allow(clippy::too_many_arguments)]
    async fn complete(
        &self,
        txn_id: TxnId,
        label: &str,
        plan: &LoadPlan,
        pipeline: Pipeline,
        bytes: u64,
        mut timings: Timings,
        started: Instant,
        deadline: Instant,
        modifiers: &Modifiers,
    ) -> LoadResult {
        let write_started = Instant::now();
        let counters = pipeline.counters();
        let mut result = LoadResult::fail(txn_id, label, "");
        result.counters = counters;
        result.load_bytes = bytes;
        if counters.filtered > 0 {
            result.error_url = Some(self.error_url(pipeline.error_lines()));
        }
        let finish = |mut result: LoadResult, mut timings: Timings| {
            timings.load_ms = ms(started.elapsed());
            result.timings = timings;
            result
        };
        if too_many_filtered(&counters, plan.max_filter_ratio) {
            self.abort(txn_id, TOO_MANY_FILTERED_ROWS);
            result.message = TOO_MANY_FILTERED_ROWS.to_string();
            return finish(result, timings);
        }
        if let Some(failure) = &modifiers.fail_late {
            self.abort(txn_id, &failure.message);
            result.message = failure.message.clone();
            if let Some(status) = &failure.status {
                result.status = status.clone();
            }
            return finish(result, timings);
        }
        let table = plan.schema.name.clone();
        let write = TableWrite {
            table,
            schema: plan.schema.clone(),
            rows: pipeline.into_staged(),
        };
        timings.write_data_ms = ms(write_started.elapsed());
        let commit_started = Instant::now();
        let now = Instant::now();
        let delay = match modifiers.publish {
            Some(PublishFault::Timeout(d)) | Some(PublishFault::Delay(d)) => d,
            None => Duration::from_millis(self.shared.settings().publish_delay_ms),
        };
        let commit = self
            .shared
            .state()
            .commit_txn(txn_id, Some(vec![write]), now + delay, now);
        self.shared.notify_changed();
        if let Err(m) = commit {
            result.message = m;
            timings.commit_and_publish_ms = ms(commit_started.elapsed());
            return finish(result, timings);
        }
        let visible = match modifiers.publish {
            Some(PublishFault::Timeout(_)) => false,
            _ => wait_visible(&self.shared, txn_id, deadline).await,
        };
        timings.commit_and_publish_ms = ms(commit_started.elapsed());
        if visible {
            result.status = STATUS_SUCCESS.to_string();
            result.message = "OK".to_string();
        } else {
            result.status = STATUS_PUBLISH_TIMEOUT.to_string();
            result.message = PUBLISH_TIMEOUT_MESSAGE.to_string();
        }
        finish(result, timings)
    }
}
