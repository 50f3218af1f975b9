//! The FE's transaction registry: transactions by id and the per-database label index, with the
//! label rules of spec §3 — format `^[-\w]{1,128}$` (ASCII), uniqueness per database, reuse after
//! ABORTED, `Label Already Exists` with `RUNNING`/`FINISHED`, and retention of final transactions
//! for `label_keep_max_second` (expired records are removed lazily on each access).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::txn::{IllegalTransition, Txn, TxnId, TxnKind, TxnState};

/// Why a begin was refused at the label check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelError {
    /// `Label format error. regex: ^[-\w]{1,128}$, label: X`
    Format(String),
    /// The label belongs to a transaction that is not aborted.
    AlreadyExists {
        message: String,
        existing_job_status: &'static str,
        existing: TxnId,
    },
}

/// Checks StarRocks' label format: 1..=128 ASCII letters, digits, `_` or `-`.
pub fn check_label_format(label: &str) -> Result<(), String> {
    let ok = !label.is_empty()
        && label.len() <= 128
        && label
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "Label format error. regex: ^[-\\w]{{1,128}}$, label: {label}"
        ))
    }
}

/// Snapshot of a label's state, as tests and the control API see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelInfo {
    pub label: String,
    /// `PREPARE`, `PREPARED`, `COMMITTED`, `VISIBLE` or `ABORTED`.
    pub state: String,
    pub txn_id: TxnId,
    pub table: String,
    pub reason: Option<String>,
}

impl LabelInfo {
    fn of(txn: &Txn) -> LabelInfo {
        LabelInfo {
            label: txn.label.clone(),
            state: txn.state.name().to_string(),
            txn_id: txn.id,
            table: txn.table.clone(),
            reason: txn.reason.clone(),
        }
    }
}

/// All transactions and the label index.
#[derive(Debug)]
pub struct TxnRegistry {
    next_id: TxnId,
    txns: HashMap<TxnId, Txn>,
    /// database → label → transaction ids (oldest first).
    labels: HashMap<String, HashMap<String, Vec<TxnId>>>,
    /// Final transactions in the order they finished (= the order they expire).
    finished: VecDeque<(Instant, TxnId)>,
    /// Transactions not final yet (the cleaner and publisher look only at these).
    active: BTreeSet<TxnId>,
    keep: Duration,
}

fn missing(to: TxnState) -> IllegalTransition {
    // A transaction that is gone (expired) is treated like an aborted one.
    IllegalTransition {
        from: TxnState::Aborted,
        to,
    }
}

impl TxnRegistry {
    pub fn new(label_keep_max_second: u64) -> TxnRegistry {
        TxnRegistry {
            next_id: 1,
            txns: HashMap::new(),
            labels: HashMap::new(),
            finished: VecDeque::new(),
            active: BTreeSet::new(),
            keep: Duration::from_secs(label_keep_max_second),
        }
    }

    /// Removes final transactions older than the retention.
    pub fn purge_expired(&mut self, now: Instant) {
        while let Some(&(finished, id)) = self.finished.front() {
            if now.saturating_duration_since(finished) <= self.keep {
                break;
            }
            self.finished.pop_front();
            if let Some(txn) = self.txns.remove(&id) {
                if let Some(db_labels) = self.labels.get_mut(&txn.database) {
                    if let Some(ids) = db_labels.get_mut(&txn.label) {
                        ids.retain(|i| *i != id);
                        if ids.is_empty() {
                            db_labels.remove(&txn.label);
                        }
                    }
                }
            }
        }
    }

    fn finish(&mut self, id: TxnId, now: Instant) {
        self.active.remove(&id);
        self.finished.push_back((now, id));
    }

    /// Commits and publishes a transaction (→ VISIBLE).
    pub fn make_visible(&mut self, id: TxnId, now: Instant) -> Result<(), IllegalTransition> {
        let txn = self
            .txns
            .get_mut(&id)
            .ok_or_else(|| missing(TxnState::Visible))?;
        txn.make_visible(now)?;
        self.finish(id, now);
        Ok(())
    }

    /// Aborts a transaction with a reason (→ ABORTED).
    pub fn abort(
        &mut self,
        id: TxnId,
        reason: &str,
        now: Instant,
    ) -> Result<(), IllegalTransition> {
        let txn = self
            .txns
            .get_mut(&id)
            .ok_or_else(|| missing(TxnState::Aborted))?;
        txn.abort(reason, now)?;
        self.finish(id, now);
        Ok(())
    }

    /// PREPARE → PREPARED, allowed to stay so for `prepared_timeout`.
    pub fn prepare(
        &mut self,
        id: TxnId,
        now: Instant,
        prepared_timeout: Duration,
    ) -> Result<(), IllegalTransition> {
        let txn = self
            .txns
            .get_mut(&id)
            .ok_or_else(|| missing(TxnState::Prepared))?;
        txn.prepare(now, prepared_timeout)
    }

    /// PREPARE/PREPARED → COMMITTED (publish follows, see `txn::publish`).
    pub fn commit(&mut self, id: TxnId) -> Result<(), IllegalTransition> {
        let txn = self
            .txns
            .get_mut(&id)
            .ok_or_else(|| missing(TxnState::Committed))?;
        txn.commit()
    }

    /// Remembers the coordinator BE of a transaction-interface transaction.
    pub fn set_coordinator(&mut self, id: TxnId, be: usize) {
        if let Some(txn) = self.txns.get_mut(&id) {
            txn.coordinator = Some(be);
        }
    }

    /// Adds a table to a multi-table transaction's table list.
    pub fn add_table(&mut self, id: TxnId, table: &str) {
        if let Some(txn) = self.txns.get_mut(&id) {
            if !txn.table.split(',').any(|t| t == table) {
                if !txn.table.is_empty() {
                    txn.table.push(',');
                }
                txn.table.push_str(table);
            }
        }
    }

    /// Ids of the transactions that are not final, oldest first.
    pub fn active_ids(&self) -> Vec<TxnId> {
        self.active.iter().copied().collect()
    }

    /// Running (PREPARE or PREPARED) transactions of a database.
    pub fn running_count(&self, database: &str) -> usize {
        self.active
            .iter()
            .filter_map(|id| self.txns.get(id))
            .filter(|t| {
                t.database == database && matches!(t.state, TxnState::Prepare | TxnState::Prepared)
            })
            .count()
    }

    /// Transactions not final yet (PREPARE, PREPARED, COMMITTED) that write into `db.table`
    /// (multi-table ones: that loaded into it so far), oldest first.
    pub fn open_on(&self, db: &str, table: &str) -> Vec<TxnId> {
        self.open_in(db, Some(table)).map(|t| t.id).collect()
    }

    /// Whether a COMMITTED (not yet published) transaction writes into `db` (into `db.table`
    /// with a table): StarRocks then refuses to drop it without `FORCE`.
    pub fn has_committed(&self, db: &str, table: Option<&str>) -> bool {
        self.open_in(db, table)
            .any(|t| t.state == TxnState::Committed)
    }

    fn open_in<'a>(&'a self, db: &'a str, table: Option<&'a str>) -> impl Iterator<Item = &'a Txn> {
        self.active.iter().filter_map(move |id| {
            self.txns.get(id).filter(|t| {
                t.database == db
                    && table.is_none_or(|table| t.table.split(',').any(|name| name == table))
            })
        })
    }

    /// Whether a transaction is not final yet.
    pub fn is_open(&self, id: TxnId) -> bool {
        self.active.contains(&id)
    }

    /// The id the next transaction gets.
    pub fn next_id(&self) -> TxnId {
        self.next_id
    }

    /// Checks the label (format, then use) and starts a transaction in PREPARE.
    pub fn begin(
        &mut self,
        database: &str,
        label: &str,
        table: &str,
        kind: TxnKind,
        timeout: Duration,
        now: Instant,
    ) -> Result<TxnId, LabelError> {
        check_label_format(label).map_err(LabelError::Format)?;
        self.purge_expired(now);
        if let Some(ids) = self.labels.get(database).and_then(|m| m.get(label)) {
            for id in ids {
                let Some(existing) = self.txns.get(id) else {
                    continue;
                };
                let status = match existing.state {
                    TxnState::Aborted => continue,
                    TxnState::Prepare | TxnState::Prepared => "RUNNING",
                    TxnState::Committed | TxnState::Visible => "FINISHED",
                };
                return Err(LabelError::AlreadyExists {
                    message: format!("Label [{label}] has already been used."),
                    existing_job_status: status,
                    existing: *id,
                });
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        let mut txn = Txn::new(id, database, label, table, kind);
        txn.begun = now;
        txn.timeout = timeout;
        self.txns.insert(id, txn);
        self.active.insert(id);
        self.labels
            .entry(database.to_string())
            .or_default()
            .entry(label.to_string())
            .or_default()
            .push(id);
        Ok(id)
    }

    pub fn get(&self, id: TxnId) -> Option<&Txn> {
        self.txns.get(&id)
    }

    /// The transaction a label query reports: the non-aborted one if any, else the latest.
    pub fn label_txn(&mut self, database: &str, label: &str, now: Instant) -> Option<&Txn> {
        self.purge_expired(now);
        let ids = self.labels.get(database)?.get(label)?;
        let live = ids
            .iter()
            .filter_map(|id| self.txns.get(id))
            .find(|t| t.state != TxnState::Aborted);
        live.or_else(|| ids.iter().rev().find_map(|id| self.txns.get(id)))
    }

    pub fn label_info(&mut self, database: &str, label: &str, now: Instant) -> Option<LabelInfo> {
        self.label_txn(database, label, now).map(LabelInfo::of)
    }

    /// Every retained transaction of a database, oldest first.
    pub fn list(&mut self, database: &str, now: Instant) -> Vec<LabelInfo> {
        self.purge_expired(now);
        let mut txns: Vec<&Txn> = self
            .txns
            .values()
            .filter(|t| t.database == database)
            .collect();
        txns.sort_by_key(|t| t.id);
        txns.into_iter().map(LabelInfo::of).collect()
    }

    pub fn clear(&mut self) {
        self.txns.clear();
        self.labels.clear();
        self.finished.clear();
        self.active.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(600);
    const K: TxnKind = TxnKind::StreamLoad;

    #[test]
    fn label_format() {
        assert!(check_label_format("flink-abc_123").is_ok());
        assert!(check_label_format(&"a".repeat(128)).is_ok());
        assert!(check_label_format(&"a".repeat(129)).is_err());
        assert!(check_label_format("").is_err());
        assert!(check_label_format("a.b").is_err());
        assert!(check_label_format("é").is_err());
    }

    #[test]
    fn reuse_rules() {
        let now = Instant::now();
        let mut reg = TxnRegistry::new(3600);
        let first = reg.begin("d", "l", "t", K, T, now).expect("first begin");
        assert!(matches!(
            reg.begin("d", "l", "t", K, T, now),
            Err(LabelError::AlreadyExists {
                existing_job_status: "RUNNING",
                ..
            })
        ));
        assert!(reg.begin("other", "l", "t", K, T, now).is_ok());
        reg.abort(first, "x", now).expect("abort");
        let second = reg
            .begin("d", "l", "t", K, T, now)
            .expect("reuse after abort");
        reg.make_visible(second, now).expect("visible");
        assert!(matches!(
            reg.begin("d", "l", "t", K, T, now),
            Err(LabelError::AlreadyExists {
                existing_job_status: "FINISHED",
                ..
            })
        ));
        assert_eq!(
            reg.label_info("d", "l", now).map(|i| i.txn_id),
            Some(second)
        );
    }

    #[test]
    fn retention_expires_final_labels() {
        let now = Instant::now();
        let mut reg = TxnRegistry::new(0);
        let id = reg.begin("d", "l", "t", K, T, now).expect("begin");
        reg.make_visible(id, now).expect("visible");
        let later = now + Duration::from_millis(1);
        assert!(reg.label_info("d", "l", later).is_none());
        assert!(reg.begin("d", "l", "t", K, T, later).is_ok());
    }
}
