//! The background ticker of `sink.buffer-flush.interval-ms` (checked every
//! `sink.scan-frequency.ms`):
//! - plain Stream Load and exactly-once: a table whose oldest buffered row is older than the
//!   interval is sealed (exactly-once: the chunk goes into the open transaction, nothing is
//!   committed between checkpoints);
//! - transaction at-least-once: a table whose oldest uncommitted row is older than the interval is
//!   sealed and its transaction committed.

use std::sync::atomic::Ordering;
use std::sync::Weak;

use super::loader::{Command, Finish};
use super::{LoadMode, Shared};

pub async fn run(shared: Weak<Shared>) {
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
        for i in 0..buffers.tables.len() {
            let slot = &buffers.tables[i];
            match shared.mode {
                LoadMode::Plain | LoadMode::ExactlyOnce => {
                    if slot
                        .buffer
                        .first_row_at()
                        .is_some_and(|at| at.elapsed() >= interval)
                    {
                        shared.seal(&mut buffers, i);
                    }
                }
                LoadMode::TransactionAutoCommit => {
                    if slot
                        .uncommitted_since
                        .is_some_and(|at| at.elapsed() >= interval)
                    {
                        shared.seal(&mut buffers, i);
                        let slot = &mut buffers.tables[i];
                        slot.uncommitted_since = None;
                        let _ = slot.queue.send(Command::Barrier {
                            finish: Finish::Commit,
                            reply: None,
                        });
                    }
                }
            }
        }
    }
}
