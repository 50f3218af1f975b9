//! Transactions and their state machine (spec §4.3): PREPARE → PREPARED → COMMITTED → VISIBLE,
//! PREPARE → COMMITTED (one-phase commit) and PREPARE/PREPARED → ABORTED. COMMITTED and VISIBLE
//! never go to ABORTED; ABORTED is never committed. Every transition is a method that refuses
//! what the spec forbids. The registry that indexes transactions by label lives in `labels.rs`;
//! the timers (`sweeper`), the COMMITTED → VISIBLE step with its row writes (`publish`) and the
//! schema-change jobs that wait for transactions (`schema_change`) live in the submodules.

pub mod publish;
pub mod schema_change;
pub mod sweeper;

use std::time::{Duration, Instant};

pub type TxnId = i64;

/// Default `prepared_timeout` (FE `prepared_transaction_default_timeout_second`).
pub const DEFAULT_PREPARED_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Transaction state as `get_load_state` names it (UNKNOWN = no record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnState {
    Prepare,
    Prepared,
    Committed,
    Visible,
    Aborted,
}

impl TxnState {
    pub fn name(&self) -> &'static str {
        match self {
            TxnState::Prepare => "PREPARE",
            TxnState::Prepared => "PREPARED",
            TxnState::Committed => "COMMITTED",
            TxnState::Visible => "VISIBLE",
            TxnState::Aborted => "ABORTED",
        }
    }
}

/// How the transaction was started; decides who may time it out and how ops are routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnKind {
    /// A plain Stream Load (§2): its own request deadline ends it, not the cleaner.
    StreamLoad,
    /// `/api/transaction/*` for one table (§5.1).
    Transaction,
    /// `transaction_type: multi` (§5.10).
    MultiTable,
}

/// One transaction.
#[derive(Debug, Clone)]
pub struct Txn {
    pub id: TxnId,
    pub database: String,
    pub label: String,
    /// The table (classic); for multi-table transactions the tables loaded so far, comma-joined.
    pub table: String,
    pub kind: TxnKind,
    pub state: TxnState,
    pub reason: Option<String>,
    pub begun: Instant,
    pub finished: Option<Instant>,
    /// PREPARE-phase budget from begin (`timeout` header).
    pub timeout: Duration,
    /// When it became PREPARED and how long it may stay so.
    pub prepared_at: Option<Instant>,
    pub prepared_timeout: Duration,
    /// Index of the coordinator BE (transaction interface), for routing after a cache miss.
    pub coordinator: Option<usize>,
}

/// A transition the state machine does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalTransition {
    pub from: TxnState,
    pub to: TxnState,
}

impl Txn {
    pub fn new(id: TxnId, database: &str, label: &str, table: &str, kind: TxnKind) -> Txn {
        Txn {
            id,
            database: database.to_string(),
            label: label.to_string(),
            table: table.to_string(),
            kind,
            state: TxnState::Prepare,
            reason: None,
            begun: Instant::now(),
            finished: None,
            timeout: Duration::from_secs(600),
            prepared_at: None,
            prepared_timeout: DEFAULT_PREPARED_TIMEOUT,
            coordinator: None,
        }
    }

    fn refuse(&self, to: TxnState) -> IllegalTransition {
        IllegalTransition {
            from: self.state,
            to,
        }
    }

    /// PREPARE → PREPARED (transaction interface `prepare`).
    pub fn prepare(&mut self, now: Instant, timeout: Duration) -> Result<(), IllegalTransition> {
        if self.state != TxnState::Prepare {
            return Err(self.refuse(TxnState::Prepared));
        }
        self.state = TxnState::Prepared;
        self.prepared_at = Some(now);
        self.prepared_timeout = timeout;
        Ok(())
    }

    /// PREPARE/PREPARED → COMMITTED (rows written, not yet visible).
    pub fn commit(&mut self) -> Result<(), IllegalTransition> {
        match self.state {
            TxnState::Prepare | TxnState::Prepared => {
                self.state = TxnState::Committed;
                Ok(())
            }
            _ => Err(self.refuse(TxnState::Committed)),
        }
    }

    /// PREPARE/PREPARED/COMMITTED → VISIBLE (publish; commit and publish at once from PREPARE*).
    pub fn make_visible(&mut self, now: Instant) -> Result<(), IllegalTransition> {
        match self.state {
            TxnState::Prepare | TxnState::Prepared | TxnState::Committed => {
                self.state = TxnState::Visible;
                self.finished = Some(now);
                Ok(())
            }
            _ => Err(self.refuse(TxnState::Visible)),
        }
    }

    /// PREPARE/PREPARED → ABORTED with a reason.
    pub fn abort(&mut self, reason: &str, now: Instant) -> Result<(), IllegalTransition> {
        match self.state {
            TxnState::Prepare | TxnState::Prepared => {
                self.state = TxnState::Aborted;
                self.reason = Some(reason.to_string());
                self.finished = Some(now);
                Ok(())
            }
            _ => Err(self.refuse(TxnState::Aborted)),
        }
    }

    /// When the cleaner must abort this transaction, if ever (PREPARE of the transaction
    /// interface: begin + `timeout`; PREPARED: prepared + `prepared_timeout`).
    pub fn deadline(&self) -> Option<Instant> {
        match (self.state, self.kind) {
            (TxnState::Prepare, TxnKind::Transaction | TxnKind::MultiTable) => {
                Some(self.begun + self.timeout)
            }
            (TxnState::Prepared, _) => self.prepared_at.map(|at| at + self.prepared_timeout),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txn(state: TxnState) -> Txn {
        let mut t = Txn::new(1, "d", "l", "t", TxnKind::Transaction);
        t.state = state;
        t
    }

    #[test]
    fn committed_transactions_cannot_abort() {
        let now = Instant::now();
        assert!(txn(TxnState::Visible).abort("x", now).is_err());
        assert!(txn(TxnState::Committed).abort("x", now).is_err());
        assert!(txn(TxnState::Aborted).make_visible(now).is_err());
        assert!(txn(TxnState::Aborted).commit().is_err());
        let mut t = txn(TxnState::Prepare);
        assert!(t.abort("too many filtered rows", now).is_ok());
        assert_eq!(t.reason.as_deref(), Some("too many filtered rows"));
    }

    #[test]
    fn two_phase_path() {
        let now = Instant::now();
        let mut t = txn(TxnState::Prepare);
        assert!(t.deadline().is_some());
        t.prepare(now, Duration::from_secs(5)).expect("prepare");
        assert_eq!(t.deadline(), Some(now + Duration::from_secs(5)));
        assert!(t.prepare(now, Duration::from_secs(5)).is_err());
        t.commit().expect("commit");
        assert_eq!(t.deadline(), None);
        t.make_visible(now).expect("publish");
        assert_eq!(t.state, TxnState::Visible);
    }

    #[test]
    fn plain_loads_have_no_cleaner_deadline() {
        let t = Txn::new(1, "d", "l", "t", TxnKind::StreamLoad);
        assert_eq!(t.deadline(), None);
    }
}
