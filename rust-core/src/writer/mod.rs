//! The orchestration a Flink writer drives: `write` frames, `flush` at checkpoints and end of
//! input, `prepare_commit` (exactly-once), `close`. Synchronous and bounded towards Java; tokio
//! lives behind it.
//!
//! - `write` encodes rows into per-table buffers and seals a table's chunk when it reaches
//!   `sink.buffer-flush.max-rows` or `sink.chunk-limit`; when all buffers together reach
//!   `sink.buffer-flush.max-bytes` the largest is sealed. A background ticker handles
//!   `sink.buffer-flush.interval-ms` (see [`flusher`]).
//! - Sealed chunks and barriers go to one loader task per table ([`loader`]), which works through
//!   them in order, so later loads of a table never overtake earlier ones.
//! - Three load modes ([`LoadMode`]): plain Stream Load per chunk; one transaction per table
//!   committed at the interval and at checkpoints (at-least-once); one transaction per table per
//!   checkpoint, prepared at the checkpoint and committed by the committer (exactly-once).
//! - Memory held (buffered plus in flight) is bounded: `write` blocks while it is at or above
//!   twice `max-bytes` (Flink back-pressure), at most `sink.buffer-flush.enqueue-timeout-ms`.
//! - The blocking calls (`write`, `flush`, `prepare_commit`) also give up when the caller's
//!   `interrupted` check says so (Java: the thread was interrupted, as Flink does when it cancels
//!   a task), so a cancelled job never waits for a StarRocks that does not answer.
//! - The first background failure is reported by the next call; after it the writer loads nothing
//!   more and must be closed. A restarted Flink task creates a new writer: no failure state
//!   survives a restart.
//! - Every wait is bounded: a flush fails when no load finished within the worst-case time of
//!   one load with its retries.

mod flusher;
mod loader;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::sync::mpsc as tokio_mpsc;

use crate::buffer::memory::{MemoryBudget, WaitError};
use crate::buffer::recycle::Recycler;
use crate::buffer::TableBuffer;
use crate::encode::frame::{Frame, FrameReader, FRAME_VERSION};
use crate::encode::{ColumnMode, RowEncoder};
use crate::error::{ErrorKind, Result, SinkError};
use crate::load::client::ServerClient;
use crate::load::stream_load::LoadTarget;
use crate::load::transaction::supports_transactions;
use crate::metrics::Metrics;
use crate::options::{Semantic, SinkOptions, SinkVersion, DEFAULT_LABEL_PREFIX};
use crate::txn::label::{LabelGenerator, LabelSpace};
use crate::txn::lingering;

pub use loader::Committable;
use loader::{Command, Finish, TableLoader};

/// How long closing waits for open transactions to be rolled back.
const ROLLBACK_WAIT: Duration = Duration::from_secs(10);

/// Identifies a registered table in row frames.
pub type TableId = u32;

/// How chunks reach StarRocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadMode {
    /// Each chunk is its own Stream Load with a `{prefix}-{uuid}` label.
    Plain,
    /// The chunks of a table go into one transaction, committed at the flush interval and at
    /// every checkpoint (at-least-once, `sink.at-least-once.use-transaction-stream-load`).
    TransactionAutoCommit,
    /// The chunks of a table between two checkpoints go into one transaction, prepared at the
    /// checkpoint and committed once the checkpoint completes.
    ExactlyOnce,
}

/// How one table is loaded, beyond the sink's options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// Stream Load properties of this table that replace the sink's (`format`, `columns`,
    /// `partial_update`, ...); names in any case.
    pub headers: Vec<(String, String)>,
    /// A PRIMARY KEY table: typed rows carry `__op` (0 upsert, 1 delete) from their row kind.
    pub upsert_delete: bool,
    /// Positions of the key fields of a PRIMARY KEY table: an UPDATE_BEFORE is then held back
    /// and dropped when the UPDATE_AFTER of the same key follows (else loaded as a delete).
    /// Empty: every UPDATE_BEFORE is loaded as a delete.
    pub key_fields: Vec<usize>,
    /// How each typed column is loaded (empty: all by their value types).
    pub column_modes: Vec<ColumnMode>,
}

/// What Flink tells a writer about where it runs and what it restores.
#[derive(Debug, Clone)]
pub struct WriterContext {
    pub subtask: u32,
    pub parallelism: u32,
    pub restored_checkpoint_id: Option<u64>,
    /// Exactly-once label spaces from restored writer state (any subtask, any prefix).
    pub restored_label_spaces: Vec<LabelSpace>,
    /// Prefix of exactly-once labels when `sink.label-prefix` is not set; unique per job.
    pub fallback_label_prefix: String,
}

impl Default for WriterContext {
    fn default() -> Self {
        WriterContext {
            subtask: 0,
            parallelism: 1,
            restored_checkpoint_id: None,
            restored_label_spaces: Vec::new(),
            fallback_label_prefix: DEFAULT_LABEL_PREFIX.to_string(),
        }
    }
}

pub struct SinkWriter {
    shared: Arc<Shared>,
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
    handle: tokio::runtime::Handle,
}

struct Shared {
    opts: SinkOptions,
    client: ServerClient,
    mode: LoadMode,
    uuid_labels: LabelGenerator,
    exactly_once: Option<ExactlyOnceLabels>,
    buffers: Mutex<Buffers>,
    memory: MemoryBudget,
    recycler: Recycler,
    progress: Progress,
    failure: Mutex<Option<SinkError>>,
    metrics: Metrics,
    closed: AtomicBool,
}

/// Where exactly-once labels of new tables start.
struct ExactlyOnceLabels {
    prefix: String,
    subtask: u32,
    /// Next ids known for (database, table) of this prefix and subtask (restored or probed).
    next_ids: HashMap<(String, String), u64>,
    /// Start of a label space nothing is known about: restored checkpoint id + 1.
    seed: u64,
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
    queue: tokio_mpsc::UnboundedSender<Command>,
    /// Arrival of the oldest row not committed yet (transaction at-least-once).
    uncommitted_since: Option<Instant>,
    label_space: Option<Arc<Mutex<LabelSpace>>>,
}

/// When a loader last finished something (flush detects stalls with it).
#[derive(Default)]
struct Progress {
    last: Mutex<Option<Instant>>,
}

impl Progress {
    fn tick(&self) {
        *self.last.lock() = Some(Instant::now());
    }

    fn last(&self) -> Option<Instant> {
        *self.last.lock()
    }
}

impl SinkWriter {
    /// Creates a writer. `frame_version` is the row-frame layout the caller writes. In
    /// exactly-once mode this also aborts the transactions a crashed attempt left behind.
    pub fn new(opts: SinkOptions, frame_version: i32, ctx: WriterContext) -> Result<SinkWriter> {
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
        let client = ServerClient::new(&opts);
        let mode = runtime.block_on(resolve_mode(&opts, &client))?;
        let exactly_once = if mode == LoadMode::ExactlyOnce && opts.exactly_once_label_gen {
            Some(runtime.block_on(prepare_exactly_once(&opts, &client, &ctx))?)
        } else {
            if mode == LoadMode::ExactlyOnce {
                tracing::warn!(
                    "'sink.exactly-once.enable-label-gen' is false: exactly-once transactions get \
                     random labels, so transactions left by a crashed attempt cannot be found and \
                     stay PREPARED until StarRocks' prepared timeout"
                );
            }
            None
        };
        let uuid_prefix = opts
            .label_prefix
            .clone()
            .unwrap_or_else(|| DEFAULT_LABEL_PREFIX.to_string());
        // A body grows to about max-bytes (a chunk is sealed there), its capacity to at most twice.
        let recycler = Recycler::new(
            opts.max_bytes
                .saturating_mul(2)
                .try_into()
                .unwrap_or(usize::MAX),
        );
        let shared = Arc::new(Shared {
            client,
            mode,
            uuid_labels: LabelGenerator::new(uuid_prefix),
            exactly_once,
            opts,
            buffers: Mutex::new(Buffers::default()),
            memory: MemoryBudget::default(),
            recycler,
            progress: Progress::default(),
            failure: Mutex::new(None),
            metrics: Metrics::default(),
            closed: AtomicBool::new(false),
        });
        handle.spawn(flusher::run(Arc::downgrade(&shared)));
        Ok(SinkWriter {
            shared,
            runtime: Mutex::new(Some(runtime)),
            handle,
        })
    }

    pub fn options(&self) -> &SinkOptions {
        &self.shared.opts
    }

    pub fn mode(&self) -> LoadMode {
        self.shared.mode
    }

    /// Registers a target table. `columns`: the column names of typed rows in field order, or
    /// `None` for a table that takes raw records (user-serialized CSV/JSON).
    pub fn register_table(
        &self,
        database: &str,
        table: &str,
        columns: Option<Vec<String>>,
        table_options: TableOptions,
    ) -> Result<TableId> {
        self.check_open()?;
        let target = LoadTarget {
            database: database.to_string(),
            table: table.to_string(),
        };
        let label_space = match &self.shared.exactly_once {
            Some(eo) => {
                let space = LabelSpace {
                    prefix: eo.prefix.clone(),
                    database: database.to_string(),
                    table: table.to_string(),
                    subtask: eo.subtask,
                    next_id: eo
                        .next_ids
                        .get(&(database.to_string(), table.to_string()))
                        .copied()
                        .unwrap_or(eo.seed),
                };
                space.validate()?;
                Some(Arc::new(Mutex::new(space)))
            }
            None => None,
        };
        let opts = &self.shared.opts;
        let properties = opts.table_properties(&target.to_string(), &table_options.headers)?;
        let typed = columns.is_some();
        let mut encoder = RowEncoder::new(
            &properties.format,
            target.to_string(),
            columns.unwrap_or_default(),
            table_options.column_modes,
            typed && table_options.upsert_delete,
        );
        if !typed && opts.wrap_json_as_array {
            encoder = encoder.with_json_array_records();
        }
        if properties.user_columns {
            if let Some(binary) = encoder.hex_binary_columns() {
                return Err(SinkError::new(
                    ErrorKind::Config,
                    format!(
                        "table {target}: VARBINARY columns ({binary}) are loaded through the \
                         connector's own 'columns' header; remove the 'columns' property"
                    ),
                ));
            }
        }
        let mut headers = properties.headers.clone();
        if typed && !properties.user_columns {
            let partial_update = headers.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("partial_update") && v.trim().eq_ignore_ascii_case("true")
            });
            if let Some(columns) = encoder.columns_header(partial_update) {
                headers.push(("columns".to_string(), columns));
            }
        }
        let key_fields = if table_options.upsert_delete {
            table_options.key_fields
        } else {
            Vec::new()
        };
        let buffer = TableBuffer::new(target.clone(), encoder, headers.clone(), typed, key_fields)
            .with_max_row_bytes(opts.chunk_limit);
        let (tx, rx) = tokio_mpsc::unbounded_channel();
        let mut buffers = self.shared.buffers.lock();
        let id = buffers.tables.len() as TableId;
        self.shared.memory.add(buffer.len());
        buffers.buffered += buffer.len();
        buffers.tables.push(TableSlot {
            buffer,
            queue: tx,
            uncommitted_since: None,
            label_space: label_space.clone(),
        });
        drop(buffers);
        let loader = TableLoader::new(
            Arc::downgrade(&self.shared),
            target,
            headers,
            properties.compression,
            label_space,
        );
        self.handle.spawn(loader.run(rx));
        Ok(id)
    }

    /// Encodes the frames of one buffer; blocks while memory is over its bound.
    pub fn write(&self, frames: &[u8]) -> Result<()> {
        self.write_interruptibly(frames, &mut || false)
    }

    /// [`SinkWriter::write`] that stops waiting for memory once `interrupted` returns true
    /// (asked about every 100 ms while it waits); the rows are kept.
    pub fn write_interruptibly(
        &self,
        frames: &[u8],
        interrupted: &mut dyn FnMut() -> bool,
    ) -> Result<()> {
        let started = Instant::now();
        let mut rows = 0;
        let result = self.append_and_wait(frames, &mut rows, interrupted);
        self.shared.metrics.record_write(rows, started.elapsed());
        result
    }

    /// [`SinkWriter::write`]; `rows`: the rows appended (also when an error follows them).
    fn append_and_wait(
        &self,
        frames: &[u8],
        rows: &mut u64,
        interrupted: &mut dyn FnMut() -> bool,
    ) -> Result<()> {
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
            *rows = appended.rows;
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
        match self.shared.memory.wait_below(limit, opts.enqueue_timeout, || {
            self.check_open()?;
            self.shared.check_failure()?;
            check_interrupted(interrupted, "buffer space (loads to finish)")
        }) {
            Ok(()) => Ok(()),
            Err(WaitError::Interrupted(e)) => Err(e),
            Err(WaitError::TimedOut { held }) => Err(SinkError::new(
                ErrorKind::Timeout,
                format!(
                    "waited {} ms ('sink.buffer-flush.enqueue-timeout-ms') for buffer space: {held} \
                     bytes are held by buffered rows and loads in flight; StarRocks is not \
                     keeping up or a load hangs",
                    opts.enqueue_timeout.as_millis()
                ),
            )),
        }
    }

    /// Loads everything written so far and waits until StarRocks has it (checkpoint, end of
    /// input). At-least-once with transactions also commits; exactly-once leaves the data in the
    /// open transactions for [`SinkWriter::prepare_commit`].
    pub fn flush(&self) -> Result<()> {
        self.flush_interruptibly(&mut || false)
    }

    /// [`SinkWriter::flush`] that stops waiting once `interrupted` returns true (asked about every
    /// 100 ms while it waits); the loads go on.
    pub fn flush_interruptibly(&self, interrupted: &mut dyn FnMut() -> bool) -> Result<()> {
        let finish = match self.shared.mode {
            LoadMode::TransactionAutoCommit => Finish::Commit,
            LoadMode::Plain | LoadMode::ExactlyOnce => Finish::Wait,
        };
        self.barrier(finish, true, None, interrupted).map(|_| ())
    }

    /// Exactly-once: prepares every open transaction and returns them as committables (empty in
    /// the other modes). Call after [`SinkWriter::flush`].
    pub fn prepare_commit(&self) -> Result<Vec<Committable>> {
        self.prepare_commit_interruptibly(&mut || false)
    }

    /// [`SinkWriter::prepare_commit`] that stops waiting once `interrupted` returns true (asked
    /// about every 100 ms while it waits).
    pub fn prepare_commit_interruptibly(
        &self,
        interrupted: &mut dyn FnMut() -> bool,
    ) -> Result<Vec<Committable>> {
        if self.shared.mode != LoadMode::ExactlyOnce {
            return Ok(Vec::new());
        }
        match self.barrier(Finish::Prepare, false, None, interrupted) {
            Ok(c) => Ok(c),
            Err(e) => {
                // Open transactions of this round would linger: abort what can be aborted.
                let _ = self.barrier(Finish::Rollback, false, Some(ROLLBACK_WAIT), &mut || false);
                Err(e)
            }
        }
    }

    /// Exactly-once label spaces (current prefix and subtask) with their next ids, for Flink
    /// state. Call after [`SinkWriter::prepare_commit`].
    pub fn label_spaces(&self) -> Vec<LabelSpace> {
        self.shared
            .buffers
            .lock()
            .tables
            .iter()
            .filter_map(|t| t.label_space.as_ref().map(|s| s.lock().clone()))
            .collect()
    }

    /// Seals every table (if `seal`), sends `finish` to every loader and waits for all answers:
    /// until a loader stalls, `interrupted` returns true, or at most `limit`.
    fn barrier(
        &self,
        finish: Finish,
        seal: bool,
        limit: Option<Duration>,
        interrupted: &mut dyn FnMut() -> bool,
    ) -> Result<Vec<Committable>> {
        self.check_open()?;
        if finish != Finish::Rollback {
            self.shared.check_failure()?;
        }
        let replies = {
            let mut buffers = self.shared.buffers.lock();
            let mut replies = Vec::with_capacity(buffers.tables.len());
            for i in 0..buffers.tables.len() {
                if seal {
                    self.shared.seal(&mut buffers, i);
                }
                let (tx, rx) = mpsc::channel();
                let slot = &mut buffers.tables[i];
                if finish == Finish::Commit {
                    slot.uncommitted_since = None;
                }
                if slot
                    .queue
                    .send(Command::Barrier {
                        finish,
                        reply: Some(tx),
                    })
                    .is_err()
                {
                    return Err(SinkError::new(
                        ErrorKind::Closed,
                        "the StarRocks writer is closed",
                    ));
                }
                replies.push(rx);
            }
            replies
        };
        let stall_limit = self.shared.worst_case_step_time();
        let started = Instant::now();
        let mut committables = Vec::new();
        for rx in replies {
            let waiting_since = Instant::now();
            loop {
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(Ok(c)) => {
                        committables.extend(c);
                        break;
                    }
                    Ok(Err(e)) => return Err(e),
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        self.check_open()?;
                        self.shared.check_failure()?;
                        return Err(SinkError::new(
                            ErrorKind::Internal,
                            "a table loader stopped without answering",
                        ));
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if finish != Finish::Rollback {
                            self.check_open()?;
                        }
                        check_interrupted(interrupted, &format!("the {}", finish.name()))?;
                        if let Some(limit) = limit.filter(|l| started.elapsed() >= *l) {
                            return Err(SinkError::new(
                                ErrorKind::Timeout,
                                format!(
                                    "{} got no answer within {} ms",
                                    finish.name(),
                                    limit.as_millis()
                                ),
                            ));
                        }
                        let last = self
                            .shared
                            .progress
                            .last()
                            .map_or(waiting_since, |p| p.max(waiting_since));
                        if last.elapsed() >= stall_limit {
                            return Err(SinkError::new(
                                ErrorKind::Timeout,
                                format!(
                                    "{} waited {} ms without any load finishing; a load hangs \
                                     (check StarRocks and 'sink.properties.timeout')",
                                    finish.name(),
                                    stall_limit.as_millis()
                                ),
                            ));
                        }
                    }
                }
            }
        }
        Ok(committables)
    }

    /// The metrics array Java reads (layout in [`crate::metrics`]).
    pub fn metrics(&self) -> Vec<i64> {
        self.shared.metrics.snapshot(self.shared.memory.held())
    }

    /// Rolls back open (unprepared) transactions, then stops the I/O threads. Rows not flushed
    /// are dropped (Flink replays them after a restore). Idempotent.
    pub fn close(&self) {
        if self.shared.closed.load(Ordering::SeqCst) {
            return;
        }
        if self.shared.mode != LoadMode::Plain {
            if let Err(e) =
                self.barrier(Finish::Rollback, false, Some(ROLLBACK_WAIT), &mut || false)
            {
                tracing::warn!("rolling back open transactions on close: {e}");
            }
        }
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

/// An `Interrupted` error when `interrupted` says so; `waiting_for` names what was awaited.
fn check_interrupted(interrupted: &mut dyn FnMut() -> bool, waiting_for: &str) -> Result<()> {
    if interrupted() {
        return Err(SinkError::new(
            ErrorKind::Interrupted,
            format!(
                "interrupted while waiting for {waiting_for} (the Flink task is being cancelled)"
            ),
        ));
    }
    Ok(())
}

/// Picks the load mode from the options and, when transactions are wanted, the server's answer
/// to the transaction-support probe (as the public connector does).
async fn resolve_mode(opts: &SinkOptions, client: &ServerClient) -> Result<LoadMode> {
    let wants_txn = match opts.semantic {
        Semantic::ExactlyOnce => true,
        Semantic::AtLeastOnce => {
            opts.at_least_once_use_transaction && opts.version != SinkVersion::V1
        }
    };
    if !wants_txn {
        return Ok(LoadMode::Plain);
    }
    let supported = match supports_transactions(client).await {
        Some(s) => s,
        None => {
            tracing::warn!(
                "could not ask StarRocks whether it supports transaction Stream Load; assuming it \
                 does"
            );
            true
        }
    };
    match (opts.semantic, supported) {
        (Semantic::ExactlyOnce, true) => Ok(LoadMode::ExactlyOnce),
        (Semantic::ExactlyOnce, false) => Err(SinkError::new(
            ErrorKind::Unsupported,
            format!(
                "'sink.semantic' = 'exactly-once' needs the Stream Load transaction interface \
                 (StarRocks 2.4 or later), and the server at 'load-url' answered that it has \
                 none; use at-least-once ({})",
                opts.load_urls
                    .iter()
                    .map(|u| u.authority())
                    .collect::<Vec<_>>()
                    .join(";")
            ),
        )),
        (Semantic::AtLeastOnce, true) => Ok(LoadMode::TransactionAutoCommit),
        (Semantic::AtLeastOnce, false) => {
            tracing::info!(
                "StarRocks has no transaction Stream Load: at-least-once uses plain Stream Load"
            );
            Ok(LoadMode::Plain)
        }
    }
}

/// Chooses the exactly-once label prefix, aborts lingering transactions and decides where each
/// label space continues.
async fn prepare_exactly_once(
    opts: &SinkOptions,
    client: &ServerClient,
    ctx: &WriterContext,
) -> Result<ExactlyOnceLabels> {
    let prefix = match &opts.label_prefix {
        Some(p) => p.clone(),
        None => {
            tracing::warn!(
                "'sink.label-prefix' is not set: exactly-once labels use the job-specific prefix \
                 '{}'. Set a prefix unique to this job so that a restart without state can find \
                 and abort the transactions of earlier runs.",
                ctx.fallback_label_prefix
            );
            ctx.fallback_label_prefix.clone()
        }
    };
    let seed = ctx.restored_checkpoint_id.unwrap_or(0) + 1;
    let mut next_ids: HashMap<(String, String), u64> = HashMap::new();
    for s in &ctx.restored_label_spaces {
        if s.prefix == prefix && s.subtask == ctx.subtask {
            let e = next_ids
                .entry((s.database.clone(), s.table.clone()))
                .or_insert(s.next_id);
            *e = (*e).max(s.next_id);
        }
    }
    if opts.abort_lingering_transactions {
        let mut spaces: Vec<LabelSpace> = ctx.restored_label_spaces.clone();
        // A fresh start, or a new prefix: also look at this subtask's own label space (when the
        // sink names its table; with '*' the records name their tables as they come).
        let named_table = opts.database != "*" && opts.table != "*";
        if named_table && !ctx.restored_label_spaces.iter().any(|s| s.prefix == prefix) {
            spaces.push(LabelSpace {
                prefix: prefix.clone(),
                database: opts.database.clone(),
                table: opts.table.clone(),
                subtask: ctx.subtask,
                next_id: seed,
            });
        }
        let report = lingering::clean(client, &spaces, opts.check_num_lingering).await?;
        if !report.aborted.is_empty() {
            tracing::info!(
                "aborted {} lingering transactions: {:?}",
                report.aborted.len(),
                report.aborted
            );
        }
        for ((p, db, table, subtask), first_unused) in report.first_unused {
            if p == prefix && subtask == ctx.subtask {
                let e = next_ids.entry((db, table)).or_insert(first_unused);
                *e = (*e).max(first_unused);
            }
        }
    }
    Ok(ExactlyOnceLabels {
        prefix,
        subtask: ctx.subtask,
        next_ids,
        seed,
    })
}

/// What one `write` appended.
#[derive(Default)]
struct Appended {
    rows: u64,
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
            Frame::Row { kind, fields, .. } => {
                slot.buffer.append_row(kind, &fields, row_number, now)?
            }
            Frame::Raw { bytes, .. } => slot.buffer.append_raw(bytes, row_number, now)?,
        };
        slot.uncommitted_since.get_or_insert(now);
        let full = slot.buffer.rows() >= opts.max_rows || slot.buffer.len() >= opts.chunk_limit;
        appended.rows += 1;
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
    }

    /// Seals table `idx`'s chunk and hands it to its loader.
    fn seal(&self, buffers: &mut Buffers, idx: usize) {
        let slot = &mut buffers.tables[idx];
        let before = slot.buffer.len();
        let Some(chunk) = slot.buffer.seal_reusing(&self.recycler) else {
            return;
        };
        let after = slot.buffer.len();
        // The sealed body may have grown (JSON `]`); the new chunk may start non-empty (`[`).
        let sealed = chunk.data.len() as u64;
        self.memory.add((sealed + after).saturating_sub(before));
        buffers.buffered = buffers.buffered.saturating_sub(before) + after;
        if let Err(returned) = slot.queue.send(Command::Chunk(chunk)) {
            // The loader is gone (closing): nothing will be loaded.
            if let Command::Chunk(c) = returned.0 {
                self.memory.release(c.data.len() as u64);
            }
        }
    }

    /// The longest time one step of a loader (a load, or a prepare and commit, with retries)
    /// may take.
    fn worst_case_step_time(&self) -> Duration {
        let attempts = self.opts.max_retries + 1;
        self.client.load_deadline * attempts
            + self.opts.retry_interval * self.opts.max_retries
            + Duration::from_secs(120)
    }
}
