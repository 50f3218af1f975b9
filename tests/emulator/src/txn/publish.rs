//! Commit and publish (spec §4.3, §8.9): the rows of a PREPARED or COMMITTED transaction are held
//! here, invisible; publishing applies them to the tables and makes the transaction VISIBLE in
//! one step under the state lock, so readers see all of a transaction's rows or none. A commit
//! may ask for a publish delay (COMMITTED until then). Transactions touching the same table are
//! published in commit order (versions of a table are published in order).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use crate::state::State;
use crate::storage::schema::TableSchema;
use crate::storage::table::StagedRows;
use crate::txn::{TxnId, TxnState};

/// Rows a transaction writes into one table.
#[derive(Debug)]
pub struct TableWrite {
    pub table: String,
    /// The schema the rows were converted for; a table whose schema changed meanwhile refuses
    /// the commit.
    pub schema: Arc<TableSchema>,
    pub rows: StagedRows,
}

/// Held writes and the publish queue.
#[derive(Debug, Default)]
pub struct PendingWrites {
    writes: HashMap<TxnId, Vec<TableWrite>>,
    /// Committed transactions waiting for publish, in commit order, with their publish time.
    queue: Vec<(TxnId, Instant)>,
}

impl PendingWrites {
    /// The earliest time a queued transaction becomes publishable.
    pub fn next_publish(&self) -> Option<Instant> {
        self.queue.iter().map(|(_, at)| *at).min()
    }
}

impl State {
    /// Keeps the writes of a transaction that goes to PREPARED (durable but invisible).
    pub fn hold_writes(&mut self, id: TxnId, writes: Vec<TableWrite>) {
        self.pending.writes.insert(id, writes);
    }

    /// Aborts a transaction and drops its held writes.
    pub fn abort_txn(&mut self, id: TxnId, reason: &str, now: Instant) -> Result<(), TxnState> {
        self.txns.abort(id, reason, now).map_err(|e| e.from)?;
        self.pending.writes.remove(&id);
        Ok(())
    }

    /// Commits a PREPARE or PREPARED transaction: `writes` (for PREPARE) or the held writes (for
    /// PREPARED) become visible at `publish_at`. Refuses (and aborts) when a written table is
    /// gone or changed; `Err` is the message.
    pub fn commit_txn(
        &mut self,
        id: TxnId,
        writes: Option<Vec<TableWrite>>,
        publish_at: Instant,
        now: Instant,
    ) -> Result<(), String> {
        let Some(txn) = self.txns.get(id) else {
            return Err(format!("transaction {id} not found"));
        };
        let db = txn.database.clone();
        match txn.state {
            TxnState::Prepare | TxnState::Prepared => {}
            other => {
                return Err(match &txn.reason {
                    Some(r) => format!("transaction {id} is {}: {r}", other.name()),
                    None => format!("transaction {id} is {}", other.name()),
                })
            }
        }
        let writes = match writes {
            Some(w) => w,
            None => self.pending.writes.remove(&id).unwrap_or_default(),
        };
        for write in &writes {
            let same = self
                .catalog
                .table(&db, &write.table)
                .is_some_and(|t| Arc::ptr_eq(t.schema(), &write.schema));
            if !same {
                let reason = format!("unknown table \"{db}.{}\"", write.table);
                let _ = self.abort_txn(id, &reason, now);
                return Err(reason);
            }
        }
        self.txns.commit(id).map_err(|e| {
            format!(
                "transaction {id} cannot be committed from state {}",
                e.from.name()
            )
        })?;
        self.pending.writes.insert(id, writes);
        self.pending.queue.push((id, publish_at));
        self.publish_due(now);
        Ok(())
    }

    fn publish(&mut self, id: TxnId, now: Instant) {
        let writes = self.pending.writes.remove(&id).unwrap_or_default();
        let db = self
            .txns
            .get(id)
            .map(|t| t.database.clone())
            .unwrap_or_default();
        if !self.discard {
            for write in writes {
                if let Some(table) = self.catalog.table_mut(&db, &write.table) {
                    // A table changed after the commit keeps its new shape; the rows are dropped.
                    if Arc::ptr_eq(table.schema(), &write.schema) {
                        table.apply(write.rows);
                    }
                }
            }
        }
        let _ = self.txns.make_visible(id, now);
    }

    fn tables_of(&self, id: TxnId) -> Vec<(String, String)> {
        let db = self
            .txns
            .get(id)
            .map(|t| t.database.clone())
            .unwrap_or_default();
        self.pending
            .writes
            .get(&id)
            .map(|w| w.iter().map(|w| (db.clone(), w.table.clone())).collect())
            .unwrap_or_default()
    }

    /// Publishes every committed transaction whose time has come (in commit order per table).
    /// Returns whether anything was published.
    pub fn publish_due(&mut self, now: Instant) -> bool {
        if self.pending.queue.is_empty() {
            return false;
        }
        let mut blocked: HashSet<(String, String)> = HashSet::new();
        let mut published = false;
        let mut i = 0;
        while i < self.pending.queue.len() {
            let (id, at) = self.pending.queue[i];
            let tables = self.tables_of(id);
            if at <= now && !tables.iter().any(|t| blocked.contains(t)) {
                self.pending.queue.remove(i);
                self.publish(id, now);
                published = true;
            } else {
                blocked.extend(tables);
                i += 1;
            }
        }
        published
    }

    /// Publishes a COMMITTED transaction now, whatever its delay (control API).
    pub fn publish_now(&mut self, id: TxnId, now: Instant) -> bool {
        let Some(pos) = self.pending.queue.iter().position(|(q, _)| *q == id) else {
            return false;
        };
        self.pending.queue.remove(pos);
        self.publish(id, now);
        true
    }
}

/// Waits until transaction `id` is VISIBLE (`true`) or `until` passes / it cannot become
/// visible (`false`). Publishes due transactions itself, so it does not depend on the sweeper.
pub async fn wait_visible(shared: &crate::state::Shared, id: TxnId, until: Instant) -> bool {
    let mut events = shared.subscribe_events();
    loop {
        let now = Instant::now();
        let (state, next_publish) = {
            let mut st = shared.state();
            if st.publish_due(now) {
                drop(st);
                shared.notify_changed();
                st = shared.state();
            }
            (st.txns.get(id).map(|t| t.state), st.pending.next_publish())
        };
        match state {
            Some(TxnState::Visible) => return true,
            Some(TxnState::Committed) => {}
            _ => return false,
        }
        if now >= until {
            return false;
        }
        let wake = next_publish.map_or(until, |p| p.min(until));
        tokio::select! {
            _ = events.changed() => {}
            _ = tokio::time::sleep_until(wake.into()) => {}
        }
    }
}
