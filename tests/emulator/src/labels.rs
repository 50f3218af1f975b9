//! The FE's transaction registry: transactions by id and the per-database label index, with the
//! label rules of spec §3 — format `^[-\w]{1,128}$` (ASCII), uniqueness per database, reuse after
//! ABORTED, `Label Already Exists` with `RUNNING`/`FINISHED`, and retention of final transactions
//! for `label_keep_max_second` (expired records are removed lazily on each access).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::txn::{IllegalTransition, Txn, TxnId, TxnState};

/// Why a begin was refused at the label check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelError {
    /// `Label format error. regex: ^[-\w]{1,128}$, label: X`
    Format(String),
    /// The label belongs to a transaction that is not aborted.
    AlreadyExists {
        message: String,
        existing_job_status: &'static str,
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
    keep: Duration,
}

impl TxnRegistry {
    pub fn new(label_keep_max_second: u64) -> TxnRegistry {
        TxnRegistry {
            next_id: 1,
            txns: HashMap::new(),
            labels: HashMap::new(),
            finished: VecDeque::new(),
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

    /// Commits and publishes a transaction (→ VISIBLE).
    pub fn make_visible(&mut self, id: TxnId, now: Instant) -> Result<(), IllegalTransition> {
        let txn = self.txns.get_mut(&id).ok_or(IllegalTransition {
            from: TxnState::Aborted,
            to: TxnState::Visible,
        })?;
        txn.make_visible(now)?;
        self.finished.push_back((now, id));
        Ok(())
    }

    /// Aborts a transaction with a reason (→ ABORTED).
    pub fn abort(
        &mut self,
        id: TxnId,
        reason: &str,
        now: Instant,
    ) -> Result<(), IllegalTransition> {
        let txn = self.txns.get_mut(&id).ok_or(IllegalTransition {
            from: TxnState::Aborted,
            to: TxnState::Aborted,
        })?;
        txn.abort(reason, now)?;
        self.finished.push_back((now, id));
        Ok(())
    }

    /// Checks the label (format, then use) and starts a transaction in PREPARE.
    pub fn begin(
        &mut self,
        database: &str,
        label: &str,
        table: &str,
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
                });
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        self.txns.insert(
            id,
            Txn {
                id,
                database: database.to_string(),
                label: label.to_string(),
                table: table.to_string(),
                state: TxnState::Prepare,
                reason: None,
                begun: now,
                finished: None,
                timeout,
            },
        );
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(600);

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
        let first = reg.begin("d", "l", "t", T, now).expect("first begin");
        assert!(matches!(
            reg.begin("d", "l", "t", T, now),
            Err(LabelError::AlreadyExists {
                existing_job_status: "RUNNING",
                ..
            })
        ));
        assert!(reg.begin("other", "l", "t", T, now).is_ok());
        reg.abort(first, "x", now).expect("abort");
        let second = reg.begin("d", "l", "t", T, now).expect("reuse after abort");
        reg.make_visible(second, now).expect("visible");
        assert!(matches!(
            reg.begin("d", "l", "t", T, now),
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
        let id = reg.begin("d", "l", "t", T, now).expect("begin");
        reg.make_visible(id, now).expect("visible");
        let later = now + Duration::from_millis(1);
        assert!(reg.label_info("d", "l", later).is_none());
        assert!(reg.begin("d", "l", "t", T, later).is_ok());
    }
}
