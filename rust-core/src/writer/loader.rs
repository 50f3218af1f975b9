//! One loader task per table: works through the table's sealed chunks and barriers in order and
//! owns the table's open transaction (a state machine: none, or open with a label; a prepare or
//! commit closes it).

use std::sync::mpsc;
use std::sync::{Arc, Weak};
use std::time::Instant;

use parking_lot::Mutex;
use tokio::sync::mpsc as tokio_mpsc;

use super::{LoadMode, Shared};
use crate::buffer::SealedChunk;
use crate::error::{ErrorKind, Result, SinkError};
use crate::load::compression::Compression;
use crate::load::stream_load::{stream_load, LoadRequest, LoadTarget, RetryPolicy};
use crate::load::transaction::{self, Begin, Txn};
use crate::metrics::SucceededLoad;
use crate::txn::label::LabelSpace;

/// Labels skipped at most when a new exactly-once transaction finds its label taken.
const MAX_LABEL_SKIPS: u32 = 10_000;

/// A prepared exactly-once transaction, to be committed once its checkpoint completes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committable {
    pub database: String,
    pub table: String,
    pub label: String,
}

/// What a barrier asks a loader to do once everything queued before it is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// Nothing more.
    Wait,
    /// Prepare and commit the open transaction (at-least-once).
    Commit,
    /// Prepare the open transaction and hand it over as a committable (exactly-once).
    Prepare,
    /// Roll back the open transaction (closing).
    Rollback,
}

impl Finish {
    pub fn name(self) -> &'static str {
        match self {
            Finish::Wait => "flush",
            Finish::Commit => "flush and commit",
            Finish::Prepare => "prepare",
            Finish::Rollback => "rollback",
        }
    }
}

pub enum Command {
    Chunk(SealedChunk),
    Barrier {
        finish: Finish,
        /// Where the answer goes; `None` when nobody waits (interval commits).
        reply: Option<mpsc::Sender<Result<Option<Committable>>>>,
    },
}

pub struct TableLoader {
    shared: Weak<Shared>,
    target: LoadTarget,
    headers: Vec<(String, String)>,
    compression: Option<Compression>,
    label_space: Option<Arc<Mutex<LabelSpace>>>,
    open: Option<Txn>,
}

impl TableLoader {
    pub fn new(
        shared: Weak<Shared>,
        target: LoadTarget,
        headers: Vec<(String, String)>,
        compression: Option<Compression>,
        label_space: Option<Arc<Mutex<LabelSpace>>>,
    ) -> Self {
        TableLoader {
            shared,
            target,
            headers,
            compression,
            label_space,
            open: None,
        }
    }

    pub async fn run(mut self, mut queue: tokio_mpsc::UnboundedReceiver<Command>) {
        while let Some(command) = queue.recv().await {
            let Some(shared) = self.shared.upgrade() else {
                return;
            };
            match command {
                Command::Chunk(chunk) => {
                    let bytes = chunk.data.len() as u64;
                    if shared.check_failure().is_ok() {
                        if let Err(e) = self.load(&shared, &chunk).await {
                            shared.metrics.record_failure(chunk.rows);
                            shared.fail(e);
                            self.rollback_quietly(&shared).await;
                        }
                    }
                    shared.memory.release(bytes);
                    shared.recycler.put(chunk.data);
                    shared.progress.tick();
                }
                Command::Barrier { finish, reply } => {
                    let result = self.finish(&shared, finish).await;
                    if let Err(e) = &result {
                        if finish != Finish::Rollback {
                            shared.fail(e.clone());
                            self.rollback_quietly(&shared).await;
                        }
                    }
                    shared.progress.tick();
                    if let Some(reply) = reply {
                        let _ = reply.send(result);
                    }
                }
            }
        }
        // The writer is closing: its open transaction must not linger.
        if let Some(shared) = self.shared.upgrade() {
            self.rollback_quietly(&shared).await;
        }
    }

    async fn load(&mut self, shared: &Shared, chunk: &SealedChunk) -> Result<()> {
        if shared.opts.blackhole {
            // `sink.blackhole`: the rows were encoded; dropping them here opens no transaction.
            return Ok(());
        }
        let bytes = chunk.data.len() as u64;
        let compressed;
        let body: &[u8] = match self.compression {
            None => &chunk.data,
            Some(codec) => {
                // CPU-bound: let the runtime move its other tasks off this worker meanwhile.
                compressed = tokio::task::block_in_place(|| codec.compress(&chunk.data))?;
                tracing::debug!(
                    "{} compressed {bytes} bytes for {} to {}",
                    codec.header_value(),
                    self.target,
                    compressed.len()
                );
                &compressed
            }
        };
        let (attempt_time, total_time, retries) = match shared.mode {
            LoadMode::Plain => {
                let label = shared.uuid_labels.next_label();
                let req = LoadRequest {
                    target: &self.target,
                    label: &label,
                    headers: &self.headers,
                    body,
                };
                let policy = RetryPolicy {
                    max_retries: shared.opts.max_retries,
                    interval: shared.opts.retry_interval,
                };
                let started = Instant::now();
                let outcome = stream_load(&shared.client, &req, policy, &shared.metrics).await?;
                tracing::debug!(
                    "loaded {} rows ({bytes} bytes) into {} with label {label}",
                    chunk.rows,
                    self.target
                );
                shared.metrics.record_answer(&outcome.stats);
                (
                    outcome.attempt_time,
                    started.elapsed(),
                    outcome.attempts.saturating_sub(1),
                )
            }
            LoadMode::TransactionAutoCommit | LoadMode::ExactlyOnce => {
                let txn = self.ensure_open(shared).await?;
                let started = Instant::now();
                transaction::load(&shared.client, &txn, &self.headers, body).await?;
                // Not retried: the attempt is the whole load. The server's figures come with the
                // prepare, for the whole transaction.
                let took = started.elapsed();
                (took, took, 0)
            }
        };
        shared.metrics.record_load(&SucceededLoad {
            rows: chunk.rows,
            data_bytes: bytes,
            sent_bytes: body.len() as u64,
            attempt_time,
            total_time,
            retries,
        });
        Ok(())
    }

    /// The open transaction, begun now if there is none.
    async fn ensure_open(&mut self, shared: &Shared) -> Result<Txn> {
        if let Some(txn) = &self.open {
            return Ok(txn.clone());
        }
        let begin_headers = shared.opts.begin_headers();
        let txn = match &self.label_space {
            None => {
                let txn = Txn {
                    target: self.target.clone(),
                    label: shared.uuid_labels.next_label(),
                };
                match transaction::begin(&shared.client, &txn, &begin_headers).await {
                    Ok(Begin::Begun) => txn,
                    Ok(Begin::LabelExists(status)) => {
                        return Err(SinkError::new(
                            ErrorKind::LoadFailed,
                            format!("begin of {txn}: the label is already used ({status})"),
                        ))
                    }
                    // StarRocks may have begun it and the answer got lost: nobody else knows
                    // this label, so the failure's rollback must cover it (exactly-once labels
                    // are found by the lingering-transaction scan instead).
                    Err(e) => return self.kept_open_on_error(txn, Err(e)),
                }
            }
            Some(space) => {
                self.begin_exactly_once(shared, space, &begin_headers)
                    .await?
            }
        };
        tracing::debug!("began {txn}");
        self.open = Some(txn.clone());
        Ok(txn)
    }

    /// Begins the next exactly-once transaction. A label that is taken (by an earlier run, or a
    /// transaction of an old attempt that the committer will still commit) is never touched:
    /// the next id is tried instead.
    async fn begin_exactly_once(
        &self,
        shared: &Shared,
        space: &Arc<Mutex<LabelSpace>>,
        headers: &[(String, String)],
    ) -> Result<Txn> {
        for _ in 0..MAX_LABEL_SKIPS {
            let (label, id) = {
                let s = space.lock();
                (s.label(s.next_id), s.next_id)
            };
            let txn = Txn {
                target: self.target.clone(),
                label,
            };
            let result = transaction::begin(&shared.client, &txn, headers).await?;
            space.lock().next_id = id + 1;
            match result {
                Begin::Begun => return Ok(txn),
                Begin::LabelExists(status) => tracing::info!(
                    "label {} is already used ({status}); trying the next id",
                    txn.label
                ),
            }
        }
        Err(SinkError::new(
            ErrorKind::LoadFailed,
            format!(
                "found {MAX_LABEL_SKIPS} used labels in a row for {}; set a new 'sink.label-prefix'",
                self.target
            ),
        ))
    }

    async fn finish(&mut self, shared: &Shared, finish: Finish) -> Result<Option<Committable>> {
        if finish != Finish::Rollback {
            shared.check_failure()?;
        }
        let Some(txn) = self.open.take() else {
            return Ok(None);
        };
        match finish {
            Finish::Wait => {
                self.open = Some(txn);
                Ok(None)
            }
            Finish::Commit => {
                let prepared =
                    transaction::prepare(&shared.client, &txn, &shared.opts.prepare_headers(true))
                        .await;
                let stats = self.kept_open_on_error(txn.clone(), counted(shared, prepared))?;
                shared.metrics.record_answer(&stats);
                let committed =
                    transaction::commit(&shared.client, &txn, &shared.opts.commit_headers()).await;
                self.kept_open_on_error(txn.clone(), counted(shared, committed))?;
                tracing::debug!("committed {txn}");
                Ok(None)
            }
            Finish::Prepare => {
                let prepared =
                    transaction::prepare(&shared.client, &txn, &shared.opts.prepare_headers(false))
                        .await;
                let stats = self.kept_open_on_error(txn.clone(), counted(shared, prepared))?;
                shared.metrics.record_answer(&stats);
                tracing::debug!("prepared {txn}");
                Ok(Some(Committable {
                    database: txn.target.database,
                    table: txn.target.table,
                    label: txn.label,
                }))
            }
            Finish::Rollback => {
                transaction::rollback(&shared.client, &txn).await?;
                tracing::debug!("rolled back {txn}");
                Ok(None)
            }
        }
    }

    /// A failed begin, prepare or commit leaves `txn` the open transaction (again), so that the
    /// failure's rollback ends it instead of StarRocks' timeout, much later. Rolling it back is
    /// safe: no checkpoint completed with it (the failure fails the checkpoint or the job, and its
    /// rows are replayed), and a commit that did go through refuses the rollback.
    fn kept_open_on_error<T>(&mut self, txn: Txn, result: Result<T>) -> Result<T> {
        if result.is_err() {
            self.open = Some(txn);
        }
        result
    }

    async fn rollback_quietly(&mut self, shared: &Shared) {
        if let Some(txn) = self.open.take() {
            if let Err(e) = transaction::rollback(&shared.client, &txn).await {
                tracing::warn!("could not roll back {txn}: {e}");
            }
        }
    }
}

/// Counts a prepare or commit that failed as a failed flush.
fn counted<T>(shared: &Shared, result: Result<T>) -> Result<T> {
    if result.is_err() {
        shared.metrics.record_failure(0);
    }
    result
}
