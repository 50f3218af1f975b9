//! Counters of one writer, read by Java as one array. The order of [`METRIC_NAMES`] is the order of
//! [`Metrics::snapshot`]; Java reads the names once and maps them to Flink metrics.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::load::stream_load::LoadOutcome;

pub const METRIC_NAMES: &[&str] = &[
    "rowsWritten",
    "bytesWritten",
    "loadsSucceeded",
    "loadsFailed",
    "loadRetries",
    "rowsLoaded",
    "bytesLoaded",
    "rowsFiltered",
    "lastLoadTimeMs",
    "bufferedBytes",
];

#[derive(Debug, Default)]
pub struct Metrics {
    pub rows_written: AtomicU64,
    pub bytes_written: AtomicU64,
    pub loads_succeeded: AtomicU64,
    pub loads_failed: AtomicU64,
    pub load_retries: AtomicU64,
    pub rows_loaded: AtomicU64,
    pub bytes_loaded: AtomicU64,
    pub rows_filtered: AtomicU64,
    pub last_load_time_ms: AtomicU64,
}

impl Metrics {
    pub fn record_success(&self, outcome: &LoadOutcome, body_bytes: u64, rows: u64) {
        self.loads_succeeded.fetch_add(1, Ordering::Relaxed);
        self.load_retries.fetch_add(
            u64::from(outcome.attempts.saturating_sub(1)),
            Ordering::Relaxed,
        );
        // A replayed label reports no counters; the rows we sent are what landed.
        let loaded = if outcome.already_loaded {
            rows
        } else {
            outcome.loaded_rows.max(0) as u64
        };
        self.rows_loaded.fetch_add(loaded, Ordering::Relaxed);
        self.bytes_loaded.fetch_add(body_bytes, Ordering::Relaxed);
        self.rows_filtered
            .fetch_add(outcome.filtered_rows.max(0) as u64, Ordering::Relaxed);
        self.last_load_time_ms
            .store(outcome.load_time_ms.max(0) as u64, Ordering::Relaxed);
    }

    /// A load into an open transaction: the rows sent count as loaded (StarRocks reports them
    /// only when the transaction is prepared).
    pub fn record_transaction_load(&self, body_bytes: u64, rows: u64) {
        self.loads_succeeded.fetch_add(1, Ordering::Relaxed);
        self.rows_loaded.fetch_add(rows, Ordering::Relaxed);
        self.bytes_loaded.fetch_add(body_bytes, Ordering::Relaxed);
    }

    /// Values in [`METRIC_NAMES`] order; `buffered_bytes` comes from the memory budget.
    pub fn snapshot(&self, buffered_bytes: u64) -> Vec<i64> {
        let v = |a: &AtomicU64| a.load(Ordering::Relaxed) as i64;
        vec![
            v(&self.rows_written),
            v(&self.bytes_written),
            v(&self.loads_succeeded),
            v(&self.loads_failed),
            v(&self.load_retries),
            v(&self.rows_loaded),
            v(&self.bytes_loaded),
            v(&self.rows_filtered),
            v(&self.last_load_time_ms),
            buffered_bytes as i64,
        ]
    }
}
