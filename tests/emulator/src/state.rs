//! State shared by every node and the library API: the catalog and the transaction registry behind
//! one lock (a commit must change label state and visible rows together), with the writes of
//! PREPARED/COMMITTED transactions, the publish queue, the unfinished schema-change jobs (which
//! wait for transactions) and the FE's label→BE routes; the BEs'
//! transaction contexts (`backends`), runtime settings, fault rules, the error-log files, the
//! request log and counters. Parsing happens outside the lock; only begin/prepare/commit/publish/
//! abort take it. Lock order: a BE's context table is never held while taking the state lock.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::{watch, Notify};

use crate::backends::Backend;
use crate::config::EmulatorConfig;
use crate::faults::{FaultAction, FaultPoint, FaultRegistry};
use crate::http::request::RequestHead;
use crate::labels::{LabelInfo, TxnRegistry};
use crate::settings::Settings;
use crate::storage::schema::TableSpec;
use crate::storage::Catalog;
use crate::txn::publish::PendingWrites;
use crate::txn::schema_change::SchemaChanges;
use crate::txn::TxnId;

/// Error-log files kept before the oldest is dropped.
const MAX_ERROR_LOGS: usize = 1000;
/// Request-log entries kept before the oldest is dropped.
const MAX_REQUEST_LOG: usize = 10_000;

/// Catalog and transactions, changed together.
#[derive(Debug)]
pub struct State {
    pub catalog: Catalog,
    pub txns: TxnRegistry,
    /// Rows of PREPARED and COMMITTED transactions, and the publish queue (`txn::publish`).
    pub pending: PendingWrites,
    /// Schema-change jobs not finished yet (`txn::schema_change`).
    pub schema_changes: SchemaChanges,
    /// FE cache label → BE index chosen at `begin` (spec §1.3), per database.
    pub routes: HashMap<(String, String), usize>,
    /// Multi-table sub-tasks: (database, label, table) → BE index.
    pub multi_routes: HashMap<(String, String, String), usize>,
    /// Discard and count-only modes: committed rows are not stored.
    pub discard: bool,
}

/// One handled request, as `GET /control/requests` shows it. Never holds credentials: the
/// `Authorization` header is left out of `headers`, only its user name is kept.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    pub seq: u64,
    pub node: String,
    pub method: String,
    pub path: String,
    /// Query part of the target without `?`, not decoded.
    pub query: Option<String>,
    pub label: Option<String>,
    pub status: u16,
    /// Family-A `Status` of a stream load (`Success`, `Fail`, ...), when there is one.
    pub result: Option<String>,
    /// Body bytes received.
    pub bytes: u64,
    /// User name of the Basic credentials; `None` without an `Authorization` header or when it
    /// cannot be parsed.
    pub user: Option<String>,
    /// Request headers (name, value) in arrival order, without `Authorization`.
    pub headers: Vec<(String, String)>,
}

impl RequestRecord {
    /// The record of `head` handled by `node` (`seq` is set when it is logged).
    pub fn of(
        node: &str,
        head: &RequestHead,
        label: Option<String>,
        status: u16,
        result: Option<&str>,
        bytes: u64,
    ) -> RequestRecord {
        let authorization = head.header("authorization");
        RequestRecord {
            seq: 0,
            node: node.to_string(),
            method: head.method.clone(),
            path: head.path.clone(),
            query: head.query.clone(),
            label,
            status,
            result: result.map(str::to_string),
            bytes,
            user: crate::auth::parse_basic(authorization).map(|c| c.user),
            headers: head
                .headers
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("authorization"))
                .cloned()
                .collect(),
        }
    }
}

/// Totals since start or the last reset.
#[derive(Debug, Default)]
pub struct Stats {
    pub loads: AtomicU64,
    pub loads_succeeded: AtomicU64,
    pub loads_failed: AtomicU64,
    pub rows_loaded: AtomicU64,
    pub rows_filtered: AtomicU64,
    pub bytes_received: AtomicU64,
}

/// A copy of `Stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    pub loads: u64,
    pub loads_succeeded: u64,
    pub loads_failed: u64,
    pub rows_loaded: u64,
    pub rows_filtered: u64,
    pub bytes_received: u64,
}

impl Stats {
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            loads: self.loads.load(Ordering::Relaxed),
            loads_succeeded: self.loads_succeeded.load(Ordering::Relaxed),
            loads_failed: self.loads_failed.load(Ordering::Relaxed),
            rows_loaded: self.rows_loaded.load(Ordering::Relaxed),
            rows_filtered: self.rows_filtered.load(Ordering::Relaxed),
            bytes_received: self.bytes_received.load(Ordering::Relaxed),
        }
    }

    fn reset(&self) {
        for counter in [
            &self.loads,
            &self.loads_succeeded,
            &self.loads_failed,
            &self.rows_loaded,
            &self.rows_filtered,
            &self.bytes_received,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
    }
}

#[derive(Debug, Default)]
struct ErrorLogs {
    files: HashMap<String, String>,
    order: VecDeque<String>,
}

#[derive(Debug, Default)]
struct RequestLog {
    next_seq: u64,
    entries: VecDeque<RequestRecord>,
}

/// One statement a client sent to the MySQL port (`COM_QUERY` / `COM_STMT_PREPARE` text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRecord {
    pub seq: u64,
    /// The MySQL connection id.
    pub connection: u32,
    pub text: String,
}

#[derive(Debug, Default)]
struct StatementLog {
    next_seq: u64,
    entries: VecDeque<StatementRecord>,
}

/// A table's column names and visible rows as canonical text (`None` = NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// Everything the nodes share.
#[derive(Debug)]
pub struct Shared {
    pub config: EmulatorConfig,
    state: Mutex<State>,
    /// Notified after every transaction state change (for `Emulator::wait_for_label`).
    pub changed: Condvar,
    error_logs: Mutex<ErrorLogs>,
    requests: Mutex<RequestLog>,
    statements: Mutex<StatementLog>,
    pub stats: Stats,
    /// Addresses handed out in redirects and error URLs (set once at start).
    pub be_addrs: Vec<SocketAddr>,
    next_be: AtomicUsize,
    /// Per-BE state: transaction contexts, down flag, running loads.
    pub backends: Vec<Backend>,
    settings: Mutex<Settings>,
    faults: Mutex<FaultRegistry>,
    /// Bumped on every transaction change, for async waiters (publish waits).
    events: watch::Sender<u64>,
    /// Wakes the sweeper when a new deadline appears.
    pub sweeper_wake: Notify,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock must not take the whole emulator down with it.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub fn new(config: EmulatorConfig, be_addrs: Vec<SocketAddr>) -> Shared {
        let txns = TxnRegistry::new(config.label_keep_max_second);
        let backends = be_addrs.iter().map(|_| Backend::default()).collect();
        Shared {
            state: Mutex::new(State {
                catalog: Catalog::default(),
                txns,
                pending: PendingWrites::default(),
                schema_changes: SchemaChanges::default(),
                routes: HashMap::new(),
                multi_routes: HashMap::new(),
                discard: config.discard || config.count_only,
            }),
            config,
            changed: Condvar::new(),
            error_logs: Mutex::new(ErrorLogs::default()),
            requests: Mutex::new(RequestLog::default()),
            statements: Mutex::new(StatementLog::default()),
            stats: Stats::default(),
            be_addrs,
            next_be: AtomicUsize::new(0),
            backends,
            settings: Mutex::new(Settings::default()),
            faults: Mutex::new(FaultRegistry::default()),
            events: watch::channel(0).0,
            sweeper_wake: Notify::new(),
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The scheme of URLs handed out (redirects, error logs): `https` on TLS ports.
    pub fn scheme(&self) -> &'static str {
        if self.config.tls.is_some() {
            "https"
        } else {
            "http"
        }
    }

    /// Signals waiters that a transaction changed state.
    pub fn notify_changed(&self) {
        self.changed.notify_all();
        self.events.send_modify(|n| *n = n.wrapping_add(1));
        self.sweeper_wake.notify_one();
    }

    /// A receiver that sees every `notify_changed`.
    pub fn subscribe_events(&self) -> watch::Receiver<u64> {
        self.events.subscribe()
    }

    /// Next BE index in round-robin order, `None` when there is no BE. The FE does not know
    /// whether a BE is down (spec F2): it may hand out a dead one.
    pub fn pick_be_index(&self) -> Option<usize> {
        if self.be_addrs.is_empty() {
            return None;
        }
        Some(self.next_be.fetch_add(1, Ordering::Relaxed) % self.be_addrs.len())
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub fn set_settings(&self, settings: Settings) {
        *lock(&self.settings) = settings;
    }

    pub fn faults(&self) -> MutexGuard<'_, FaultRegistry> {
        lock(&self.faults)
    }

    /// The fault action for a request, if a rule fires.
    pub fn check_fault(&self, point: &FaultPoint<'_>) -> Option<FaultAction> {
        self.faults().check(point)
    }

    /// Aborts a transaction (dropping its pending writes); `Err` names the state that forbids it.
    pub fn abort_txn(&self, id: TxnId, reason: &str) -> Result<(), crate::txn::TxnState> {
        let result = self.state().abort_txn(id, reason, Instant::now());
        self.notify_changed();
        result
    }

    pub fn store_error_log(&self, name: &str, content: String) {
        let mut logs = lock(&self.error_logs);
        if logs.order.len() >= MAX_ERROR_LOGS {
            if let Some(oldest) = logs.order.pop_front() {
                logs.files.remove(&oldest);
            }
        }
        logs.order.push_back(name.to_string());
        logs.files.insert(name.to_string(), content);
    }

    pub fn error_log(&self, name: &str) -> Option<String> {
        lock(&self.error_logs).files.get(name).cloned()
    }

    pub fn record_request(&self, mut record: RequestRecord) {
        if self.config.log_requests {
            eprintln!(
                "[starrocks-emulator] {} {} {} label={} -> {} {} ({} bytes)",
                record.node,
                record.method,
                record.path,
                record.label.as_deref().unwrap_or("-"),
                record.status,
                record.result.as_deref().unwrap_or(""),
                record.bytes
            );
        }
        let mut log = lock(&self.requests);
        record.seq = log.next_seq;
        log.next_seq += 1;
        if log.entries.len() >= MAX_REQUEST_LOG {
            log.entries.pop_front();
        }
        log.entries.push_back(record);
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).entries.iter().cloned().collect()
    }

    /// Records a statement of the MySQL port (the last `MAX_REQUEST_LOG` are kept).
    pub fn record_statement(&self, connection: u32, text: &str) {
        let mut log = lock(&self.statements);
        let seq = log.next_seq;
        log.next_seq += 1;
        if log.entries.len() >= MAX_REQUEST_LOG {
            log.entries.pop_front();
        }
        log.entries.push_back(StatementRecord {
            seq,
            connection,
            text: text.to_string(),
        });
    }

    pub fn statements(&self) -> Vec<StatementRecord> {
        lock(&self.statements).entries.iter().cloned().collect()
    }

    pub fn create_database(&self, db: &str) {
        self.state().catalog.create_database(db);
    }

    pub fn create_table(&self, spec: &TableSpec) -> Result<(), String> {
        self.state().catalog.create_table(spec)
    }

    /// Column names and visible rows (canonical text) of a table.
    pub fn rows(&self, db: &str, table: &str) -> Result<TableRows, String> {
        let mut state = self.state();
        if state.publish_due(Instant::now()) {
            self.notify_changed();
        }
        if !state.catalog.has_database(db) {
            return Err(format!("Unknown database '{db}'"));
        }
        let t = state
            .catalog
            .table(db, table)
            .ok_or_else(|| format!("Unknown table '{db}.{table}'"))?;
        Ok(TableRows {
            columns: t.schema().column_names(),
            rows: t.rows(),
        })
    }

    pub fn label_info(&self, db: &str, label: &str) -> Option<LabelInfo> {
        let now = Instant::now();
        let mut state = self.state();
        state.publish_due(now);
        state.txns.label_info(db, label, now)
    }

    pub fn labels(&self, db: &str) -> Vec<LabelInfo> {
        let now = Instant::now();
        let mut state = self.state();
        state.publish_due(now);
        state.txns.list(db, now)
    }

    /// Drops all databases, tables, labels, error logs, the request log and the counters.
    pub fn reset(&self) {
        {
            let mut state = self.state();
            state.catalog.clear();
            state.txns.clear();
            state.pending = PendingWrites::default();
            state.schema_changes = SchemaChanges::default();
            state.routes.clear();
            state.multi_routes.clear();
        }
        for backend in &self.backends {
            backend.contexts().clear();
        }
        self.faults().clear();
        self.set_settings(Settings::default());
        *lock(&self.error_logs) = ErrorLogs::default();
        *lock(&self.requests) = RequestLog::default();
        self.stats.reset();
        self.notify_changed();
    }
}
