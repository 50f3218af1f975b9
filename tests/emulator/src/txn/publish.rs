//! Commit and publish (spec §4.3, §8.9): the rows of a PREPARED or COMMITTED transaction are held
//! here, invisible; publishing applies them to the tables and makes the transaction VISIBLE in
//! one step under the state lock, so readers see all of a transaction's rows or none. A commit
//! may ask for a publish delay (COMMITTED until then). Transactions touching the same table are
//! published in commit order (versions of a table are published in order).
//!
//! Rows are staged against the schema object a load was planned with. At commit, rows staged
//! against an earlier schema of the table are converted to the current one (`storage::lineage`);
//! a table dropped or truncated since the load was planned refuses the commit (the transaction
//! is aborted with `table "db.t" was dropped|truncated while the load was open`). Held rows
//! follow schema changes when they are applied (`schema_change`), so a publish finds them in the
//! current schema, unless the table was dropped or truncated after the commit: then they are
//! lost, as in StarRocks (its `DROP TABLE` without FORCE refuses while a transaction on the table
//! is COMMITTED). A transaction that ends (VISIBLE or ABORTED) moves the schema-change jobs on.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use crate::state::State;
use crate::storage::lineage::Refusal;
use crate::storage::schema::TableSchema;
use crate::storage::table::StagedRows;
use crate::txn::{TxnId, TxnState};

/// Rows a transaction writes into one table.
#[derive(Debug)]
pub struct TableWrite {
    pub table: String,
    /// The schema the rows were converted for (see the module docs for a table changed since).
    pub schema: Arc<TableSchema>,
    pub rows: StagedRows,
}

/// Held writes and the publish queue.
#[derive(Debug, Default)]
pub struct PendingWrites {
    pub(super) writes: HashMap<TxnId, Vec<TableWrite>>,
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
        self.advance_schema_changes(now);
        Ok(())
    }

    /// Commits a PREPARE or PREPARED transaction: `writes` (for PREPARE) or the held writes (for
    /// PREPARED) become visible at `publish_at`, converted to the tables' current schemas.
    /// Refuses (and aborts) when a written table was dropped or truncated since, or a staged
    /// value does not fit a changed column; `Err` is the message.
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
        let mut writes = match writes {
            Some(w) => w,
            None => self.pending.writes.remove(&id).unwrap_or_default(),
        };
        for write in &mut writes {
            let carried = match self.catalog.table(&db, &write.table) {
                None => Err(Refusal::Dropped),
                Some(t) => t
                    .carry_staged(&write.schema, &write.rows)
                    .map(|rows| rows.map(|r| (r, t.schema().clone()))),
            };
            match carried {
                Ok(None) => {}
                Ok(Some((rows, schema))) => {
                    write.rows = rows;
                    write.schema = schema;
                }
                Err(refusal) => {
                    let reason = refusal.message(&db, &write.table);
                    let _ = self.abort_txn(id, &reason, now);
                    return Err(reason);
                }
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
                    // Rows of a table dropped or truncated after the commit are lost.
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
        if published {
            self.advance_schema_changes(now);
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
        self.advance_schema_changes(now);
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
