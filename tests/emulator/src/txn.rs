//! Transactions and their state machine (spec §4.3): PREPARE → PREPARED → COMMITTED → VISIBLE,
//! and PREPARE/PREPARED → ABORTED. COMMITTED and VISIBLE never go to ABORTED; ABORTED is never
//! committed. The registry that indexes transactions by label lives in `labels.rs`.

use std::time::{Duration, Instant};

pub type TxnId = i64;

/// Transaction state as `get_load_state` names it (UNKNOWN = no record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnState {
    Prepare,
    /// Reached through the transaction interface's `prepare` (phase 2).
    #[allow(dead_code)]
    Prepared,
    /// Reached when publish lags behind commit (phase 2 fault injection).
    #[allow(dead_code)]
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

/// One transaction.
#[derive(Debug, Clone)]
pub struct Txn {
    pub id: TxnId,
    pub database: String,
    pub label: String,
    pub table: String,
    pub state: TxnState,
    pub reason: Option<String>,
    /// Begin time and timeout: the transaction-timeout cleaner (phase 2) reads them.
    #[allow(dead_code)]
    pub begun: Instant,
    pub finished: Option<Instant>,
    #[allow(dead_code)]
    pub timeout: Duration,
}

/// A transition the state machine does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalTransition {
    pub from: TxnState,
    pub to: TxnState,
}

impl Txn {
    /// PREPARE/PREPARED/COMMITTED → VISIBLE (commit and publish at once).
    pub fn make_visible(&mut self, now: Instant) -> Result<(), IllegalTransition> {
        match self.state {
            TxnState::Prepare | TxnState::Prepared | TxnState::Committed => {
                self.state = TxnState::Visible;
                self.finished = Some(now);
                Ok(())
            }
            from => Err(IllegalTransition {
                from,
                to: TxnState::Visible,
            }),
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
            from => Err(IllegalTransition {
                from,
                to: TxnState::Aborted,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txn(state: TxnState) -> Txn {
        Txn {
            id: 1,
            database: "d".into(),
            label: "l".into(),
            table: "t".into(),
            state,
            reason: None,
            begun: Instant::now(),
            finished: None,
            timeout: Duration::from_secs(600),
        }
    }

    #[test]
    fn committed_transactions_cannot_abort() {
        let now = Instant::now();
        assert!(txn(TxnState::Visible).abort("x", now).is_err());
        assert!(txn(TxnState::Committed).abort("x", now).is_err());
        assert!(txn(TxnState::Aborted).make_visible(now).is_err());
        let mut t = txn(TxnState::Prepare);
        assert!(t.abort("too many filtered rows", now).is_ok());
        assert_eq!(t.reason.as_deref(), Some("too many filtered rows"));
    }
}
