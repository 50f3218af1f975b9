//! The BE's plain Stream Load (spec §2.3), in order: header phase (label, Basic auth parsing,
//! format/timeout checks, begin transaction with the FE's checks, plan), then `100 Continue` only
//! if the client asked for it, then the body streamed into the parser under the load deadline,
//! then the filter-ratio gate and an atomic commit that makes the rows visible together with the
//! VISIBLE label state. Any failure after begin rolls the transaction back (label ABORTED, no rows).
//! A client that goes away mid-body gets no response; its transaction is aborted (F17).

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::params::{check_timeout_range, early, plan_from_headers};
use super::plan::{DataFormat, LoadPlan};
use super::result::{LoadResult, Timings, STATUS_LABEL_EXISTS, STATUS_SUCCESS};
use crate::auth::{access_denied_message, parse_basic, verify};
use crate::data::csv::CsvReader;
use crate::data::json::load_json;
use crate::data::sink::{Counters, RowSink};
use crate::http::conn::Conn;
use crate::http::request::{percent_decode, BodyFraming, RequestHead};
use crate::http::response::Response;
use crate::http::Next;
use crate::labels::LabelError;
use crate::state::{RequestRecord, Shared};
use crate::storage::schema::TableSchema;
use crate::txn::{TxnId, TxnState};

/// Abort reason when the client disconnects mid-body.
pub const REASON_CANCELLED: &str = "Cancelled";
/// Abort reason when the load deadline passes (spec F14).
pub const REASON_TIMEOUT: &str = "timeout by txn manager";
/// The literal message of the filter-ratio gate (spec §2.3 step 11).
pub const TOO_MANY_FILTERED_ROWS: &str = "too many filtered rows";

/// What the connection does after a stream load request.
#[derive(Debug, Clone, Copy)]
pub struct LoadOutcome {
    pub next: Next,
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The BE node handling the request.
pub struct BeNode {
    pub shared: Arc<Shared>,
    /// Node name in the request log (`be0`, `be1`, ...).
    pub name: String,
    /// Address handed out in `ErrorURL`.
    pub advertised: SocketAddr,
}

impl BeNode {
    fn abort(&self, txn_id: TxnId, reason: &str) {
        let now = Instant::now();
        let _ = self.shared.state().txns.abort(txn_id, reason, now);
        self.shared.notify_changed();
    }

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
            Some(result.status),
            result.load_bytes,
        );
        let response = Response::json(200, result.to_json());
        conn.respond(&response, close, false).await.is_ok()
    }

    pub fn record(
        &self,
        head: &RequestHead,
        label: &str,
        status: u16,
        result: Option<&str>,
        bytes: u64,
    ) {
        self.shared.record_request(RequestRecord {
            seq: 0,
            node: self.name.clone(),
            method: head.method.clone(),
            path: head.path.clone(),
            label: Some(label.to_string()).filter(|l| !l.is_empty()),
            status,
            result: result.map(str::to_string),
            bytes,
        });
    }

    fn count_result(&self, result: &LoadResult) {
        let stats = &self.shared.stats;
        if result.status == STATUS_SUCCESS {
            stats.loads_succeeded.fetch_add(1, Ordering::Relaxed);
        } else {
            stats.loads_failed.fetch_add(1, Ordering::Relaxed);
        }
        stats.rows_loaded.fetch_add(
            if result.status == STATUS_SUCCESS {
                result.counters.loaded
            } else {
                0
            },
            Ordering::Relaxed,
        );
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

    /// Begins the transaction with the FE's checks (spec §2.3 step 6).
    fn begin(
        &self,
        peer_ip: &str,
        user: &crate::auth::Credentials,
        db: &str,
        table: &str,
        label: &str,
        timeout_secs: u64,
    ) -> Result<(TxnId, Arc<TableSchema>), Box<LoadResult>> {
        let now = Instant::now();
        let mut state = self.shared.state();
        if !verify(&self.shared.config.users, user) {
            return Err(Box::new(LoadResult::fail(
                -1,
                label,
                access_denied_message(&user.user, peer_ip),
            )));
        }
        if !state.catalog.has_database(db) {
            return Err(Box::new(LoadResult::fail(
                -1,
                label,
                format!("unknown database, database={db}"),
            )));
        }
        let Some(schema) = state.catalog.table(db, table).map(|t| t.schema().clone()) else {
            return Err(Box::new(LoadResult::fail(
                -1,
                label,
                format!("unknown table \"{db}.{table}\""),
            )));
        };
        check_timeout_range(timeout_secs).map_err(|m| Box::new(LoadResult::fail(-1, label, m)))?;
        match state
            .txns
            .begin(db, label, table, Duration::from_secs(timeout_secs), now)
        {
            Ok(id) => Ok((id, schema)),
            Err(LabelError::Format(m)) => Err(Box::new(LoadResult::fail(-1, label, m))),
            Err(LabelError::AlreadyExists {
                message,
                existing_job_status,
            }) => {
                let mut result = LoadResult::fail(-1, label, message);
                result.status = STATUS_LABEL_EXISTS;
                result.existing_job_status = Some(existing_job_status);
                Err(Box::new(result))
            }
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

        // Header phase: nothing here reads the body.
        let (Some(db), Some(table)) = (
            percent_decode(db_raw, false),
            percent_decode(table_raw, false),
        ) else {
            let result = LoadResult::fail(-1, &label, "invalid database or table name in the URL");
            return self.header_failure(conn, head, result).await;
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
        let early = match early(head, framing) {
            Ok(e) => e,
            Err(m) => {
                return self
                    .header_failure(conn, head, LoadResult::fail(-1, &label, m))
                    .await
            }
        };
        let begin_started = Instant::now();
        let peer_ip = conn.peer().ip().to_string();
        let (txn_id, schema) = match self.begin(
            &peer_ip,
            &credentials,
            &db,
            &table,
            &label,
            early.timeout_secs,
        ) {
            Ok(v) => v,
            Err(result) => return self.header_failure(conn, head, *result).await,
        };
        self.shared.notify_changed();
        let begin_ms = ms(begin_started.elapsed());
        let deadline =
            tokio::time::Instant::from_std(begin_started) + Duration::from_secs(early.timeout_secs);

        let plan_started = Instant::now();
        let plan = match plan_from_headers(head, &early, schema) {
            Ok(p) => p,
            Err(m) => {
                self.abort(txn_id, &m);
                return self
                    .header_failure(conn, head, LoadResult::fail(txn_id, &label, m))
                    .await;
            }
        };
        let plan_ms = ms(plan_started.elapsed());

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
        let mut sink = RowSink::new(&plan, self.shared.config.discard);
        let mut bytes: u64 = 0;
        let read = tokio::time::timeout_at(
            deadline,
            read_body(conn, framing, &plan, &mut sink, &mut bytes),
        )
        .await;
        self.shared
            .stats
            .bytes_received
            .fetch_add(bytes, Ordering::Relaxed);
        let read_ms = ms(read_started.elapsed());
        let timings = Timings {
            load_ms: 0,
            begin_txn_ms: begin_ms,
            plan_ms,
            read_data_ms: read_ms,
            write_data_ms: 0,
            commit_and_publish_ms: 0,
        };
        let body_error = match read {
            Ok(Ok(())) => None,
            Ok(Err(e)) if e.kind() == io::ErrorKind::InvalidData => Some(e.to_string()),
            Ok(Err(_)) => {
                // The client went away: roll back, no response (nobody is listening).
                self.abort(txn_id, REASON_CANCELLED);
                self.shared
                    .stats
                    .loads_failed
                    .fetch_add(1, Ordering::Relaxed);
                self.record(head, &label, 0, None, bytes);
                return LoadOutcome { next: Next::Drop };
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

        let result = self.complete(txn_id, &label, &plan, sink, bytes, timings, started);
        self.count_result(&result);
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

    /// Completion phase: error log, filter-ratio gate, commit (spec §2.3 steps 10-13).
    #[allow(clippy::too_many_arguments)]
    fn complete(
        &self,
        txn_id: TxnId,
        label: &str,
        plan: &LoadPlan,
        sink: RowSink,
        bytes: u64,
        mut timings: Timings,
        started: Instant,
    ) -> LoadResult {
        let write_started = Instant::now();
        let counters: Counters = sink.counters();
        let error_url = if counters.filtered > 0 {
            let (a, b) = uuid::Uuid::new_v4().as_u64_pair();
            let name = format!("error_log_{a:016x}_{b:016x}");
            let mut content = sink.error_lines().join("\n");
            content.push('\n');
            self.shared.store_error_log(&name, content);
            Some(format!(
                "http://{}/api/_load_error_log?file={name}",
                self.advertised
            ))
        } else {
            None
        };
        let mut result = LoadResult::fail(txn_id, label, "");
        result.counters = counters;
        result.load_bytes = bytes;
        result.error_url = error_url;
        let considered = counters.total - counters.unselected;
        let too_many = counters.filtered > 0
            && considered > 0
            && (counters.filtered as f64 / considered as f64) > plan.max_filter_ratio;
        if too_many {
            self.abort(txn_id, TOO_MANY_FILTERED_ROWS);
            result.message = TOO_MANY_FILTERED_ROWS.to_string();
            timings.load_ms = ms(started.elapsed());
            result.timings = timings;
            return result;
        }
        let staged = sink.into_staged();
        timings.write_data_ms = ms(write_started.elapsed());
        let commit_started = Instant::now();
        let commit = {
            let now = Instant::now();
            let mut state = self.shared.state();
            let txn_state = state.txns.get(txn_id).map(|t| {
                (
                    t.state,
                    t.reason.clone(),
                    t.database.clone(),
                    t.table.clone(),
                )
            });
            match txn_state {
                Some((TxnState::Prepare, _, db, table)) => {
                    let same_table = state
                        .catalog
                        .table(&db, &table)
                        .is_some_and(|t| Arc::ptr_eq(t.schema(), &plan.schema));
                    if !same_table {
                        let reason = format!("unknown table \"{db}.{table}\"");
                        let _ = state.txns.abort(txn_id, &reason, now);
                        Err(reason)
                    } else {
                        if !self.shared.config.discard {
                            if let Some(t) = state.catalog.table_mut(&db, &table) {
                                t.apply(staged);
                            }
                        }
                        state.txns.make_visible(txn_id, now).map_err(|e| {
                            format!(
                                "transaction {txn_id} cannot be committed from state {}",
                                e.from.name()
                            )
                        })
                    }
                }
                Some((other, reason, _, _)) => Err(match reason {
                    Some(r) => format!("transaction {txn_id} is {}: {r}", other.name()),
                    None => format!("transaction {txn_id} is {}", other.name()),
                }),
                None => Err(format!("transaction {txn_id} not found")),
            }
        };
        self.shared.notify_changed();
        timings.commit_and_publish_ms = ms(commit_started.elapsed());
        timings.load_ms = ms(started.elapsed());
        result.timings = timings;
        match commit {
            Ok(()) => {
                result.status = STATUS_SUCCESS;
                result.message = "OK".to_string();
            }
            Err(m) => result.message = m,
        }
        result
    }
}

/// Streams the body into the parser. I/O errors mean the body is incomplete or malformed.
async fn read_body(
    conn: &mut Conn,
    framing: BodyFraming,
    plan: &LoadPlan,
    sink: &mut RowSink,
    bytes: &mut u64,
) -> io::Result<()> {
    let mut body = conn.body(framing);
    match &plan.format {
        DataFormat::Csv(format) => {
            let mut reader = CsvReader::new(format);
            while let Some(chunk) = body.next_chunk().await? {
                *bytes += chunk.len() as u64;
                reader.feed(chunk, sink);
            }
            reader.finish(sink);
        }
        DataFormat::Json { strip_outer_array } => {
            let mut buffer = Vec::new();
            while let Some(chunk) = body.next_chunk().await? {
                *bytes += chunk.len() as u64;
                buffer.extend_from_slice(chunk);
            }
            load_json(&buffer, *strip_outer_array, sink);
        }
    }
    Ok(())
}
