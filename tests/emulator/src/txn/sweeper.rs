//! The timers of spec §5.9, run by one background task: transaction timeout (PREPARE older than
//! `timeout`, reason `timeout by txn manager`), prepared timeout (PREPARED longer than
//! `prepared_timeout`), the BE idle timeout (`idle_transaction_timeout`, reason `transaction is
//! aborted by idle timeout N seconds.`), due publishes and the end of running schema-change jobs
//! (`alter_job_ms`). Unlike StarRocks' 30-second cleaner the emulator acts at the deadline itself
//! [emulator choice], so tests wait for events, not for a sweep period. An aborted transaction
//! loses its BE contexts (later ops: `TXN_NOT_EXISTS`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::state::Shared;
use crate::txn::TxnId;

/// Abort reason of the transaction timeout (spec §5.9, F14).
pub const REASON_TXN_TIMEOUT: &str = "timeout by txn manager";
/// Longest sleep between sweeps when nothing is due.
const MAX_SLEEP: Duration = Duration::from_secs(1);

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Applies every timer that is due at `now`; returns the next deadline.
pub fn sweep(shared: &Shared, now: Instant) -> Option<Instant> {
    let mut changed = false;
    let mut timed_out: Vec<TxnId> = Vec::new();
    let mut next = None;
    {
        let mut state = shared.state();
        changed |= state.publish_due(now);
        for id in state.txns.active_ids() {
            let Some(deadline) = state.txns.get(id).and_then(|t| t.deadline()) else {
                continue;
            };
            if deadline <= now {
                if state.abort_txn(id, REASON_TXN_TIMEOUT, now).is_ok() {
                    timed_out.push(id);
                    changed = true;
                }
            } else {
                next = earliest(next, Some(deadline));
            }
        }
        state.advance_schema_changes(now);
        next = earliest(next, state.pending.next_publish());
        next = earliest(next, state.schema_changes.next_due());
    }
    for id in timed_out {
        for backend in &shared.backends {
            backend.contexts().remove_txn(id);
        }
    }
    let mut idle = Vec::new();
    for backend in &shared.backends {
        let mut contexts = backend.contexts();
        idle.extend(contexts.take_idle_expired(now));
        next = earliest(next, contexts.next_idle_deadline());
    }
    if !idle.is_empty() {
        let mut state = shared.state();
        for ctx in idle {
            let secs = ctx.idle_timeout.map_or(0, |d| d.as_secs());
            let reason = format!("transaction is aborted by idle timeout {secs} seconds.");
            let _ = state.abort_txn(ctx.txn_id, &reason, now);
        }
        changed = true;
    }
    if changed {
        shared.notify_changed();
    }
    next
}

/// Runs the timers until `stop` turns true.
pub async fn run(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        let now = Instant::now();
        let next = sweep(&shared, now);
        let wake = next.map_or(now + MAX_SLEEP, |n| n.min(now + MAX_SLEEP));
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            _ = tokio::time::sleep_until(wake.into()) => {}
            _ = shared.sweeper_wake.notified() => {}
        }
    }
}
