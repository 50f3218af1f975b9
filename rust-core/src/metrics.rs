//! Metrics of one writer, read by Java as one `long[]` ([`Metrics::snapshot`]) and registered in
//! Flink's metric group by the shim (`SinkMetrics`). This module is the only definition of that
//! array:
//!
//! 1. one value per name of [`METRIC_NAMES`], in that order. Names starting with `current` are
//!    gauges (a value at this moment); all others are counters that only grow during the life of
//!    the writer;
//! 2. then, per name of [`HISTOGRAM_NAMES`] in that order: the number of samples recorded so far,
//!    the number `k` of samples that follow, and the `k` most recent samples, oldest first.
//!
//! Histograms: every histogram keeps its last [`HISTOGRAM_SAMPLES`] samples in a ring here, so
//! memory is bounded whatever the load rate, and samples are taken per load, per prepare or per
//! hand-off of a frame buffer, never per row. Java reads a snapshot on its hand-off timer (every
//! 100 ms) and after every flush; the sample count tells it how many of the listed samples are new
//! since its previous read, and it feeds exactly those into its Flink histograms (whose window is
//! `sink.metric.histogram-window-size`). Reading drains nothing, so a read is idempotent. Samples
//! are lost only when more than [`HISTOGRAM_SAMPLES`] of one histogram arrive between two reads
//! (over 1,000 loads a second); reporting just the last value per load instead would lose all but
//! one sample whenever two loads finish between two reads, which is common with several tables.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;

use crate::load::response::LoadStats;

/// Counters and gauges, in [`Metrics::snapshot`] order.
pub const METRIC_NAMES: &[&str] = &[
    "totalInvokeRows",
    "totalInvokeRowsTimeNs",
    "totalFlushBytes",
    "totalFlushSentBytes",
    "totalFlushRows",
    "totalFlushTimeNs",
    "totalFlushTimeNsWithoutRetries",
    "totalFlushSucceededTimes",
    "totalFlushFailedTimes",
    "totalFlushFailedRows",
    "totalFlushRetry",
    "totalFilteredRows",
    "currentBufferBytes",
];

/// Histograms, in [`Metrics::snapshot`] order; indexed by [`Histogram`].
pub const HISTOGRAM_NAMES: &[&str] = &[
    "flushTimeNs",
    "flushTimeNsWithRetry",
    "flushRetry",
    "offerTimeNs",
    "loadTimeMs",
    "streamLoadPutTimeMs",
    "readDataTimeMs",
    "writeDataTimeMs",
    "commitAndPublishTimeMs",
];

/// Samples kept per histogram.
pub const HISTOGRAM_SAMPLES: usize = 128;

const HISTOGRAM_COUNT: usize = HISTOGRAM_NAMES.len();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Histogram {
    /// Time of the successful attempt of a load request.
    FlushTimeNs,
    /// Time of a load request from its first attempt to its success (retries and pauses included).
    FlushTimeNsWithRetry,
    /// Retried attempts of a load request that succeeded (0 for a transaction load).
    FlushRetry,
    /// Time of one hand-off of row frames (encoding and back-pressure waits).
    OfferTimeNs,
    LoadTimeMs,
    /// `StreamLoadPlanTimeMs` (older servers: `StreamLoadPutTimeMs`); upstream's name.
    StreamLoadPutTimeMs,
    ReadDataTimeMs,
    WriteDataTimeMs,
    CommitAndPublishTimeMs,
}

/// A load request that succeeded (a plain Stream Load with its retries, or one load into a
/// transaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SucceededLoad {
    pub rows: u64,
    /// Row data bytes, before compression.
    pub data_bytes: u64,
    /// Request body bytes as sent (compressed when compression is on).
    pub sent_bytes: u64,
    /// Time of the attempt that succeeded.
    pub attempt_time: Duration,
    /// Time from the first attempt to the success, retries and their pauses included.
    pub total_time: Duration,
    /// Attempts that failed and were tried again before the success.
    pub retries: u32,
}

#[derive(Debug, Default)]
pub struct Metrics {
    invoke_rows: AtomicU64,
    invoke_time_ns: AtomicU64,
    flush_bytes: AtomicU64,
    flush_sent_bytes: AtomicU64,
    flush_rows: AtomicU64,
    flush_time_ns: AtomicU64,
    flush_time_ns_without_retries: AtomicU64,
    flush_succeeded: AtomicU64,
    flush_failed: AtomicU64,
    flush_failed_rows: AtomicU64,
    flush_retries: AtomicU64,
    filtered_rows: AtomicU64,
    histograms: Histograms,
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

impl Metrics {
    /// One hand-off of row frames: `rows` appended, `elapsed` spent encoding them and waiting for
    /// buffer space.
    pub fn record_write(&self, rows: u64, elapsed: Duration) {
        let ns = nanos(elapsed);
        add(&self.invoke_rows, rows);
        add(&self.invoke_time_ns, ns);
        self.histograms.record(Histogram::OfferTimeNs, ns as i64);
    }

    pub fn record_load(&self, load: &SucceededLoad) {
        add(&self.flush_succeeded, 1);
        add(&self.flush_rows, load.rows);
        add(&self.flush_bytes, load.data_bytes);
        add(&self.flush_sent_bytes, load.sent_bytes);
        add(&self.flush_time_ns, nanos(load.total_time));
        add(
            &self.flush_time_ns_without_retries,
            nanos(load.attempt_time),
        );
        self.histograms
            .record(Histogram::FlushTimeNs, nanos(load.attempt_time) as i64);
        self.histograms.record(
            Histogram::FlushTimeNsWithRetry,
            nanos(load.total_time) as i64,
        );
        self.histograms
            .record(Histogram::FlushRetry, i64::from(load.retries));
    }

    /// A failed load attempt that is tried again.
    pub fn record_retry(&self) {
        add(&self.flush_retries, 1);
    }

    /// A load, prepare or commit that failed for good; `rows`: the rows of a failed load.
    pub fn record_failure(&self, rows: u64) {
        add(&self.flush_failed, 1);
        add(&self.flush_failed_rows, rows);
    }

    /// What the server reported about a load (a Stream Load answer, or a prepare answer for a
    /// whole transaction): filtered rows and the timings it has.
    pub fn record_answer(&self, stats: &LoadStats) {
        add(
            &self.filtered_rows,
            stats.filtered_rows.unwrap_or(0).max(0) as u64,
        );
        let timings = [
            (Histogram::LoadTimeMs, stats.load_time_ms),
            (Histogram::StreamLoadPutTimeMs, stats.plan_time_ms),
            (Histogram::ReadDataTimeMs, stats.read_data_time_ms),
            (Histogram::WriteDataTimeMs, stats.write_data_time_ms),
            (
                Histogram::CommitAndPublishTimeMs,
                stats.commit_and_publish_time_ms,
            ),
        ];
        for (histogram, value) in timings {
            if let Some(v) = value {
                self.histograms.record(histogram, v.max(0));
            }
        }
    }

    /// The array Java reads (layout in the module documentation); `buffered_bytes` comes from
    /// the memory budget.
    pub fn snapshot(&self, buffered_bytes: u64) -> Vec<i64> {
        let v = |a: &AtomicU64| a.load(Ordering::Relaxed) as i64;
        let mut out = vec![
            v(&self.invoke_rows),
            v(&self.invoke_time_ns),
            v(&self.flush_bytes),
            v(&self.flush_sent_bytes),
            v(&self.flush_rows),
            v(&self.flush_time_ns),
            v(&self.flush_time_ns_without_retries),
            v(&self.flush_succeeded),
            v(&self.flush_failed),
            v(&self.flush_failed_rows),
            v(&self.flush_retries),
            v(&self.filtered_rows),
            buffered_bytes as i64,
        ];
        for h in &self.histograms.0 {
            h.lock().append_to(&mut out);
        }
        out
    }
}

#[derive(Debug)]
struct Histograms([Mutex<Samples>; HISTOGRAM_COUNT]);

impl Default for Histograms {
    fn default() -> Self {
        Histograms(std::array::from_fn(|_| Mutex::new(Samples::default())))
    }
}

impl Histograms {
    fn record(&self, histogram: Histogram, value: i64) {
        self.0[histogram as usize].lock().record(value);
    }
}

/// The last [`HISTOGRAM_SAMPLES`] samples of a histogram and how many were recorded in all.
#[derive(Debug)]
struct Samples {
    recorded: u64,
    ring: [i64; HISTOGRAM_SAMPLES],
}

impl Default for Samples {
    fn default() -> Self {
        Samples {
            recorded: 0,
            ring: [0; HISTOGRAM_SAMPLES],
        }
    }
}

impl Samples {
    fn record(&mut self, value: i64) {
        self.ring[(self.recorded % HISTOGRAM_SAMPLES as u64) as usize] = value;
        self.recorded += 1;
    }

    /// Appends the sample count, the number of kept samples and those samples, oldest first.
    fn append_to(&self, out: &mut Vec<i64>) {
        let kept = self.recorded.min(HISTOGRAM_SAMPLES as u64);
        out.push(self.recorded as i64);
        out.push(kept as i64);
        for seq in self.recorded - kept..self.recorded {
            out.push(self.ring[(seq % HISTOGRAM_SAMPLES as u64) as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot read the way Java reads it.
    struct Decoded {
        scalars: Vec<(&'static str, i64)>,
        histograms: Vec<(&'static str, i64, Vec<i64>)>,
    }

    fn decode(values: &[i64]) -> Decoded {
        let scalars: Vec<_> = METRIC_NAMES
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect();
        let mut at = METRIC_NAMES.len();
        let mut histograms = Vec::new();
        for &name in HISTOGRAM_NAMES {
            let (recorded, kept) = (values[at], values[at + 1] as usize);
            histograms.push((name, recorded, values[at + 2..at + 2 + kept].to_vec()));
            at += 2 + kept;
        }
        assert_eq!(at, values.len(), "trailing values");
        Decoded {
            scalars,
            histograms,
        }
    }

    impl Decoded {
        fn scalar(&self, name: &str) -> i64 {
            self.scalars.iter().find(|(n, _)| *n == name).unwrap().1
        }

        fn histogram(&self, name: &str) -> (i64, Vec<i64>) {
            let (_, recorded, samples) = self.histograms.iter().find(|h| h.0 == name).unwrap();
            (*recorded, samples.clone())
        }
    }

    fn load(rows: u64, attempt_ms: u64, total_ms: u64) -> SucceededLoad {
        SucceededLoad {
            rows,
            data_bytes: rows * 10,
            sent_bytes: rows * 4,
            attempt_time: Duration::from_millis(attempt_ms),
            total_time: Duration::from_millis(total_ms),
            retries: u32::from(total_ms > attempt_ms),
        }
    }

    #[test]
    fn the_layout_has_one_histogram_per_variant() {
        assert_eq!(HISTOGRAM_NAMES.len(), HISTOGRAM_COUNT);
        assert_eq!(
            HISTOGRAM_NAMES[Histogram::CommitAndPublishTimeMs as usize],
            "commitAndPublishTimeMs"
        );
        assert_eq!(
            HISTOGRAM_NAMES[Histogram::FlushTimeNs as usize],
            "flushTimeNs"
        );
        let empty = Metrics::default().snapshot(0);
        assert_eq!(empty.len(), METRIC_NAMES.len() + 2 * HISTOGRAM_COUNT);
        assert!(empty.iter().all(|v| *v == 0));
    }

    #[test]
    fn loads_retries_and_failures_are_counted_by_name() {
        let m = Metrics::default();
        m.record_write(7, Duration::from_micros(3));
        m.record_write(5, Duration::from_micros(2));
        m.record_retry();
        m.record_load(&load(10, 4, 30));
        m.record_load(&load(2, 1, 1));
        m.record_failure(6);
        m.record_failure(0);
        let d = decode(&m.snapshot(4096));
        assert_eq!(d.scalar("totalInvokeRows"), 12);
        assert_eq!(d.scalar("totalInvokeRowsTimeNs"), 5_000);
        assert_eq!(d.scalar("totalFlushRows"), 12);
        assert_eq!(d.scalar("totalFlushBytes"), 120);
        assert_eq!(d.scalar("totalFlushSentBytes"), 48);
        assert_eq!(d.scalar("totalFlushTimeNs"), 31_000_000);
        assert_eq!(d.scalar("totalFlushTimeNsWithoutRetries"), 5_000_000);
        assert_eq!(d.scalar("totalFlushSucceededTimes"), 2);
        assert_eq!(d.scalar("totalFlushRetry"), 1);
        assert_eq!(d.scalar("totalFlushFailedTimes"), 2);
        assert_eq!(d.scalar("totalFlushFailedRows"), 6);
        assert_eq!(d.scalar("currentBufferBytes"), 4096);
        assert_eq!(d.histogram("flushTimeNs"), (2, vec![4_000_000, 1_000_000]));
        assert_eq!(
            d.histogram("flushTimeNsWithRetry"),
            (2, vec![30_000_000, 1_000_000])
        );
        assert_eq!(d.histogram("flushRetry"), (2, vec![1, 0]));
        assert_eq!(d.histogram("offerTimeNs"), (2, vec![3_000, 2_000]));
    }

    #[test]
    fn server_timings_are_sampled_only_when_the_answer_has_them() {
        let m = Metrics::default();
        m.record_answer(&LoadStats {
            filtered_rows: Some(3),
            load_time_ms: Some(40),
            plan_time_ms: Some(2),
            read_data_time_ms: Some(5),
            write_data_time_ms: Some(20),
            commit_and_publish_time_ms: Some(9),
        });
        m.record_answer(&LoadStats {
            filtered_rows: None,
            load_time_ms: Some(-1),
            ..LoadStats::default()
        });
        let d = decode(&m.snapshot(0));
        assert_eq!(d.scalar("totalFilteredRows"), 3);
        assert_eq!(d.histogram("loadTimeMs"), (2, vec![40, 0]));
        assert_eq!(d.histogram("streamLoadPutTimeMs"), (1, vec![2]));
        assert_eq!(d.histogram("readDataTimeMs"), (1, vec![5]));
        assert_eq!(d.histogram("writeDataTimeMs"), (1, vec![20]));
        assert_eq!(d.histogram("commitAndPublishTimeMs"), (1, vec![9]));
        assert_eq!(d.histogram("flushTimeNs"), (0, vec![]));
    }

    #[test]
    fn a_histogram_keeps_only_its_most_recent_samples() {
        let m = Metrics::default();
        let total = HISTOGRAM_SAMPLES as i64 * 2 + 5;
        for v in 0..total {
            m.record_answer(&LoadStats {
                load_time_ms: Some(v),
                ..LoadStats::default()
            });
        }
        let (recorded, samples) = decode(&m.snapshot(0)).histogram("loadTimeMs");
        assert_eq!(recorded, total);
        let expected: Vec<i64> = (total - HISTOGRAM_SAMPLES as i64..total).collect();
        assert_eq!(samples, expected);
        // Reading drains nothing.
        assert_eq!(decode(&m.snapshot(0)).histogram("loadTimeMs").1, expected);
    }
}
