//! The orchestration a Flink writer drives: `write` frames, `flush` at checkpoints and end of
//! input, `close`. Synchronous and bounded towards Java; tokio lives behind it.
//!
//! - `write` encodes rows into per-table buffers and seals a table's chunk when it reaches
//!   `sink.buffer-flush.max-rows` or `sink.chunk-limit`; when all buffers together reach
//!   `sink.buffer-flush.max-bytes` the largest is sealed. A background ticker seals buffers whose
//!   oldest row is older than `sink.buffer-flush.interval-ms`.
//! - Sealed chunks go to one loader task per table, which loads them in order (so later loads of a
//!   table never overtake earlier ones).
//! - Memory held (buffered plus in flight) is bounded: `write` blocks while it is at or above
//!   twice `max-bytes` (Flink back-pressure), at most `sink.buffer-flush.enqueue-timeout-ms`.
//! - The first background failure is reported by the next `write`/`flush`; after it the writer
//!   loads nothing more and must be closed (a restarted Flink task creates a new writer, so no
//!   failure state survives a restart).
//! - Every wait is bounded: `flush` fails if no load finishes within the worst-case time of one
//!   load with its retries.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use tokio::sync::mpsc;

use crate::buffer::memory::{MemoryBudget, WaitError};
use crate::buffer::{SealedChunk, TableBuffer};
use crate::encode::frame::{Frame, FrameReader, FRAME_VERSION};
use crate::encode::RowEncoder;
use crate::error::{ErrorKind, Result, SinkError};
use crate::load::client::ServerClient;
use crate::load::stream_load::{stream_load, LoadRequest, LoadTarget, RetryPolicy};
use crate::metrics::Metrics;
use crate::options::SinkOptions;
use crate::txn::label::LabelGenerator;

/// Identifies a registered table in row frames.
pub type TableId = u32;

pub struct SinkWriter {
    shared: Arc<Shared>,
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
    handle: tokio::runtime::Handle,
}

struct Shared {
    opts: SinkOptions,
    client: ServerClient,
    labels: LabelGenerator,
    buffers: Mutex<Buffers>,
    memory: MemoryBudget,
    inflight: Inflight,
    failure: Mutex<Option<SinkError>>,
    metrics: Metrics,
    closed: AtomicBool,
}

#[derive(Default)]
struct Buffers {
    tables: Vec<TableSlot>,
    /// Bytes in unsealed chunks of all tables.
    buffered: u64,
    rows_seen: u64,
}

struct TableSlot {
    buffer: TableBuffer,
    queue: mpsc::UnboundedSender<SealedChunk>,
}

/// Chunks handed to loaders and not finished yet, and when a load last finished.
#[derive(Default)]
struct Inflight {
    state: Mutex<(usize, Option<Instant>)>,
    changed: Condvar,
}

impl Inflight {
    fn started(&self) {
        self.state.lock().0 += 1;
    }

    fn finished(&self) {
        let mut s = self.state.lock();
        s.0 = s.0.saturating_sub(1);
        s.1 = Some(Instant::now());
        drop(s);
        self.changed.notify_all();
    }
}

impl SinkWriter {
    /// Creates a writer. `frame_version` is the row-frame layout the caller writes.
    pub fn new(opts: SinkOptions, frame_version: i32) -> Result<SinkWriter> {
        if frame_version != FRAME_VERSION {
            return Err(SinkError::new(
                ErrorKind::Internal,
                format!(
                    "the Java classes write row frames of version {frame_version} but the native \
                     library reads version {FRAME_VERSION}; the jar and the native library do \
                     not belong together"
                ),
            ));
        }
        for w in &opts.warnings {
            tracing::warn!("{w}");
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(opts.io_threads)
            .thread_name("starrocks-io")
            .enable_all()
            .build()
            .map_err(|e| {
                SinkError::new(
                    ErrorKind::Internal,
                    format!("cannot start I/O threads: {e}"),
                )
            })?;
        let handle = runtime.handle().clone();
        let shared = Arc::new(Shared {
            client: ServerClient::new(&opts),
            labels: LabelGenerator::new(opts.label_prefix.clone()),
            opts,
            buffers: Mutex::new(Buffers::default()),
            memory: MemoryBudget::default(),
            inflight: Inflight::default(),
            failure: Mutex::new(None),
            metrics: Metrics::default(),
            closed: AtomicBool::new(false),
        });
        handle.spawn(run_interval_flusher(Arc::downgrade(&shared)));
        Ok(SinkWriter {
            shared,
            runtime: Mutex::new(Some(runtime)),
            handle,
        })
    }

    pub fn options(&self) -> &SinkOptions {
        &self.shared.opts
    }

    /// Registers a target table. `columns`: the column names of typed rows in field order, or
    /// `None` for a table that takes raw records (user-serialized CSV/JSON).
    pub fn register_table(
        &self,
        database: &str,
        table: &str,
        columns: Option<Vec<String>>,
    ) -> Result<TableId> {
        self.check_open()?;
        let target = LoadTarget {
            database: database.to_string(),
            table: table.to_string(),
        };
        let opts = &self.shared.opts;
        let typed = columns.is_some();
        let encoder = RowEncoder::new(
            &opts.format,
            target.to_string(),
            columns.unwrap_or_default(),
        );
        let mut headers = opts.headers.clone();
        if typed && !opts.user_columns {
            if let Some(columns) = encoder.columns_header() {
                headers.push(("columns".to_string(), columns));
            }
        }
        let buffer = TableBuffer::new(target.clone(), encoder, headers.clone(), typed);
        let (tx, rx) = mpsc::unbounded_channel();
        let mut buffers = self.shared.buffers.lock();
        let id = buffers.tables.len() as TableId;
        self.shared.memory.add(buffer.len());
        buffers.buffered += buffer.len();
        buffers.tables.push(TableSlot { buffer, queue: tx });
        drop(buffers);
        self.handle.spawn(run_table_loader(
            Arc::downgrade(&self.shared),
            target,
            headers,
            rx,
        ));
        Ok(id)
    }

    /// Encodes the frames of one buffer; blocks while memory is over its bound.
    pub fn write(&self, frames: &[u8]) -> Result<()> {
        self.check_open()?;
        self.shared.check_failure()?;
        let opts = &self.shared.opts;
        {
            let mut buffers = self.shared.buffers.lock();
            let now = Instant::now();
            let mut appended = Appended::default();
            let result = encode_frames(&mut buffers, frames, now, &mut appended, &self.shared);
            buffers.buffered += appended.unaccounted;
            self.shared.memory.add(appended.unaccounted);
            let metrics = &self.shared.metrics;
            metrics
                .rows_written
                .fetch_add(appended.rows, Ordering::Relaxed);
            metrics
                .bytes_written
                .fetch_add(appended.bytes, Ordering::Relaxed);
            // Whatever was appended before an error still obeys the size bound.
            while buffers.buffered >= opts.max_bytes {
                let Some(largest) = (0..buffers.tables.len())
                    .filter(|i| !buffers.tables[*i].buffer.is_empty())
                    .max_by_key(|i| buffers.tables[*i].buffer.len())
                else {
                    break;
                };
                self.shared.seal(&mut buffers, largest);
            }
            result?;
        }
        let limit = opts.max_bytes.saturating_mul(2);
        match self
            .shared
            .memory
            .wait_below(limit, opts.enqueue_timeout, || {
                self.check_open()?;
                self.shared.check_failure()
            })
        {
            Ok(()) => Ok(()),
            Err(WaitError::Interrupted(e)) => Err(e),
            Err(WaitError::TimedOut { held }) => Err(SinkError::new(
                ErrorKind::Timeout,
                format!(
                    "waited {} ms ('sink.buffer-flush.enqueue-timeout-ms') for buffer space: {held} \
                     bytes are held by buffered rows and {} loads in flight; StarRocks is not \
                     keeping up or a load hangs",
                    opts.enqueue_timeout.as_millis(),
                    self.shared.inflight.state.lock().0
                ),
            )),
        }
    }

    /// Loads everything written so far and waits until StarRocks has it (checkpoint, end of
    /// input).
    pub fn flush(&self) -> Result<()> {
        self.check_open()?;
        self.shared.check_failure()?;
        {
            let mut buffers = self.shared.buffers.lock();
            for i in 0..buffers.tables.len() {
                self.shared.seal(&mut buffers, i);
            }
        }
        let stall_limit = self.shared.worst_case_load_time();
        let inflight = &self.shared.inflight;
        let mut state = inflight.state.lock();
        let mut last_progress = Instant::now();
        loop {
            if state.0 == 0 {
                break;
            }
            if let Some(t) = state.1 {
                last_progress = last_progress.max(t);
            }
            drop(state);
            self.check_open()?;
            self.shared.check_failure()?;
            state = inflight.state.lock();
            if state.0 == 0 {
                break;
            }
            if last_progress.elapsed() >= stall_limit {
                return Err(SinkError::new(
                    ErrorKind::Timeout,
                    format!(
                        "flush waited {} ms without any of {} pending loads finishing; a load \
                         hangs (check StarRocks and 'sink.properties.timeout')",
                        stall_limit.as_millis(),
                        state.0
                    ),
                ));
            }
            inflight
                .changed
                .wait_for(&mut state, Duration::from_millis(100));
        }
        drop(state);
        self.shared.check_failure()
    }

    /// Counters, in [`crate::metrics::METRIC_NAMES`] order.
    pub fn metrics(&self) -> Vec<i64> {
        self.shared.metrics.snapshot(self.shared.memory.held())
    }

    /// Stops the I/O threads. Rows not flushed are dropped (Flink replays them after a restore).
    /// Idempotent.
    pub fn close(&self) {
        if self.shared.closed.swap(true, Ordering::SeqCst) {
            return;
        }
        let dropped = {
            let mut buffers = self.shared.buffers.lock();
            let rows: u64 = buffers.tables.iter().map(|t| t.buffer.rows()).sum();
            buffers.tables.clear();
            rows
        };
        if dropped > 0 {
            tracing::info!("closing the StarRocks writer with {dropped} unflushed rows");
        }
        self.shared.memory.wake();
        if let Some(rt) = self.runtime.lock().take() {
            rt.shutdown_timeout(Duration::from_secs(10));
        }
    }

    fn check_open(&self) -> Result<()> {
        if self.shared.closed.load(Ordering::SeqCst) {
            return Err(SinkError::new(
                ErrorKind::Closed,
                "the StarRocks writer is closed",
            ));
        }
        Ok(())
    }
}

impl Drop for SinkWriter {
    fn drop(&mut self) {
        self.close();
    }
}

/// What one `write` appended.
#[derive(Default)]
struct Appended {
    rows: u64,
    bytes: u64,
    /// Bytes appended but not yet added to the buffer and memory accounting.
    unaccounted: u64,
}

/// Appends the frames to their tables' buffers, sealing a table's chunk when it is full. Stops at
/// the first bad frame; what was appended before it stays (and is accounted by the caller).
fn encode_frames(
    buffers: &mut Buffers,
    frames: &[u8],
    now: Instant,
    appended: &mut Appended,
    shared: &Shared,
) -> Result<()> {
    let opts = &shared.opts;
    for frame in FrameReader::new(frames) {
        let frame = frame?;
        let (table, typed) = match &frame {
            Frame::Row { table, .. } => (*table, true),
            Frame::Raw { table, .. } => (*table, false),
        };
        let idx = table as usize;
        let row_number = buffers.rows_seen + 1;
        let slot = buffers.tables.get_mut(idx).ok_or_else(|| {
            SinkError::new(
                ErrorKind::InvalidData,
                format!("row #{row_number} names table id {table}, which is not registered"),
            )
        })?;
        if slot.buffer.typed != typed {
            return Err(SinkError::new(
                ErrorKind::InvalidData,
                format!(
                    "row #{row_number} for table {} is a {} but the table was registered for {}",
                    slot.buffer.target,
                    if typed { "typed row" } else { "raw record" },
                    if slot.buffer.typed {
                        "typed rows"
                    } else {
                        "raw records"
                    }
                ),
            ));
        }
        let grew = match frame {
            Frame::Row { fields, .. } => slot.buffer.append_row(&fields, row_number, now)?,
            Frame::Raw { bytes, .. } => slot.buffer.append_raw(bytes, row_number, now)?,
        };
        let full = slot.buffer.rows() >= opts.max_rows || slot.buffer.len() >= opts.chunk_limit;
        appended.rows += 1;
        appended.bytes += grew;
        appended.unaccounted += grew;
        buffers.rows_seen += 1;
        if full {
            buffers.buffered += appended.unaccounted;
            shared.memory.add(appended.unaccounted);
            appended.unaccounted = 0;
            shared.seal(buffers, idx);
        }
    }
    Ok(())
}

impl Shared {
    fn check_failure(&self) -> Result<()> {
        match &*self.failure.lock() {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn fail(&self, e: SinkError) {
        let mut f = self.failure.lock();
        if f.is_none() {
            tracing::error!("{e}");
            *f = Some(e);
        }
        drop(f);
        self.memory.wake();
        self.inflight.changed.notify_all();
    }

    /// Seals table `idx`'s chunk and hands it to its loader.
    fn seal(&self, buffers: &mut Buffers, idx: usize) {
        let slot = &mut buffers.tables[idx];
        let before = slot.buffer.len();
        let Some(chunk) = slot.buffer.seal() else {
            return;
        };
        let after = slot.buffer.len();
        // The sealed body may have grown (JSON `]`); the new chunk may start non-empty (`[`).
        let sealed = chunk.data.len() as u64;
        self.memory.add((sealed + after).saturating_sub(before));
        buffers.buffered = buffers.buffered.saturating_sub(before) + after;
        self.inflight.started();
        if let Err(returned) = slot.queue.send(chunk) {
            // The loader is gone (closing): nothing will be loaded.
            self.memory.release(returned.0.data.len() as u64);
            self.inflight.finished();
        }
    }

    /// The longest time one load may take with all its retries.
    fn worst_case_load_time(&self) -> Duration {
        let attempts = self.opts.max_retries + 1;
        self.client.load_deadline * attempts
            + self.opts.retry_interval * self.opts.max_retries
            + Duration::from_secs(30)
    }
}

async fn run_table_loader(
    shared: std::sync::Weak<Shared>,
    target: LoadTarget,
    headers: Vec<(String, String)>,
    mut queue: mpsc::UnboundedReceiver<SealedChunk>,
) {
    while let Some(chunk) = queue.recv().await {
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let bytes = chunk.data.len() as u64;
        if shared.check_failure().is_ok() {
            let label = shared.labels.next_label();
            let req = LoadRequest {
                target: &target,
                label: &label,
                headers: &headers,
                body: &chunk.data,
            };
            let policy = RetryPolicy {
                max_retries: shared.opts.max_retries,
                interval: shared.opts.retry_interval,
            };
            match stream_load(&shared.client, &req, policy).await {
                Ok(outcome) => {
                    tracing::debug!(
                        "loaded {} rows ({bytes} bytes) into {target} with label {label}",
                        chunk.rows
                    );
                    shared.metrics.record_success(&outcome, bytes, chunk.rows);
                }
                Err(e) => {
                    shared.metrics.loads_failed.fetch_add(1, Ordering::Relaxed);
                    shared.fail(e);
                }
            }
        }
        shared.memory.release(bytes);
        shared.inflight.finished();
    }
}

async fn run_interval_flusher(shared: std::sync::Weak<Shared>) {
    let period = match shared.upgrade() {
        Some(s) => s.opts.scan_frequency,
        None => return,
    };
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        if shared.closed.load(Ordering::SeqCst) {
            return;
        }
        let interval = shared.opts.flush_interval;
        let mut buffers = shared.buffers.lock();
        let due: Vec<usize> = buffers
            .tables
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.buffer
                    .first_row_at()
                    .is_some_and(|at| at.elapsed() >= interval)
            })
            .map(|(i, _)| i)
            .collect();
        for i in due {
            shared.seal(&mut buffers, i);
        }
    }
}

/// Builds the option map from key/value pairs (used by the JNI layer and tests).
pub fn options_from_pairs<I, K, V>(pairs: I) -> Result<SinkOptions>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    let map: BTreeMap<String, String> = pairs
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    SinkOptions::from_map(&map)
}
