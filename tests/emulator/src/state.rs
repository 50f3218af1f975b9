//! State shared by every node and the library API: the catalog and the transaction registry behind
//! one lock (a commit must change label state and visible rows together), the error-log files, the
//! request log and counters. Parsing happens outside the lock; only begin/commit/abort take it.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use serde::Serialize;

use crate::config::EmulatorConfig;
use crate::labels::{LabelInfo, TxnRegistry};
use crate::storage::schema::TableSpec;
use crate::storage::Catalog;

/// Error-log files kept before the oldest is dropped.
const MAX_ERROR_LOGS: usize = 1000;
/// Request-log entries kept before the oldest is dropped.
const MAX_REQUEST_LOG: usize = 10_000;

/// Catalog and transactions, changed together.
#[derive(Debug)]
pub struct State {
    pub catalog: Catalog,
    pub txns: TxnRegistry,
}

/// One handled request, as `GET /control/requests` shows it. Never holds credentials.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    pub seq: u64,
    pub node: String,
    pub method: String,
    pub path: String,
    pub label: Option<String>,
    pub status: u16,
    /// Family-A `Status` of a stream load (`Success`, `Fail`, ...), when there is one.
    pub result: Option<String>,
    /// Body bytes received.
    pub bytes: u64,
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
    pub stats: Stats,
    /// Addresses handed out in redirects and error URLs (set once at start).
    pub be_addrs: Vec<SocketAddr>,
    next_be: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock must not take the whole emulator down with it.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub fn new(config: EmulatorConfig, be_addrs: Vec<SocketAddr>) -> Shared {
        let txns = TxnRegistry::new(config.label_keep_max_second);
        Shared {
            config,
            state: Mutex::new(State {
                catalog: Catalog::default(),
                txns,
            }),
            changed: Condvar::new(),
            error_logs: Mutex::new(ErrorLogs::default()),
            requests: Mutex::new(RequestLog::default()),
            stats: Stats::default(),
            be_addrs,
            next_be: AtomicUsize::new(0),
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Signals waiters that a transaction changed state.
    pub fn notify_changed(&self) {
        self.changed.notify_all();
    }

    /// Next BE in round-robin order, `None` when there is no BE.
    pub fn pick_be(&self) -> Option<SocketAddr> {
        if self.be_addrs.is_empty() {
            return None;
        }
        let i = self.next_be.fetch_add(1, Ordering::Relaxed) % self.be_addrs.len();
        Some(self.be_addrs[i])
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

    pub fn create_database(&self, db: &str) {
        self.state().catalog.create_database(db);
    }

    pub fn create_table(&self, spec: &TableSpec) -> Result<(), String> {
        self.state().catalog.create_table(spec)
    }

    /// Column names and visible rows (canonical text) of a table.
    pub fn rows(&self, db: &str, table: &str) -> Result<TableRows, String> {
        let state = self.state();
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
        self.state()
            .txns
            .label_info(db, label, std::time::Instant::now())
    }

    pub fn labels(&self, db: &str) -> Vec<LabelInfo> {
        self.state().txns.list(db, std::time::Instant::now())
    }

    /// Drops all databases, tables, labels, error logs, the request log and the counters.
    pub fn reset(&self) {
        {
            let mut state = self.state();
            state.catalog.clear();
            state.txns.clear();
        }
        *lock(&self.error_logs) = ErrorLogs::default();
        *lock(&self.requests) = RequestLog::default();
        self.stats.reset();
        self.notify_changed();
    }
}
