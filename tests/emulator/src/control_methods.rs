//! The fault-injection and transaction-control operations behind both the control API
//! (`control.rs`) and the library (`Emulator::add_fault`, `abort_label`, `restart_be`, ...):
//! fault rules, runtime settings, forcing a label's state (abort, publish), losing BE contexts,
//! restarting a BE and taking its port down. Not part of StarRocks.

use std::time::Instant;

use crate::faults::{FaultRule, FaultRuleStatus};
use crate::settings::Settings;
use crate::state::Shared;
use crate::txn::TxnState;
use crate::Emulator;

/// Abort reason used when a test forces an abort without giving one.
pub const FORCED_ABORT_REASON: &str = "aborted by the emulator control API";

impl Shared {
    /// Forces a PREPARE/PREPARED transaction of a label to ABORTED; its BE contexts are dropped.
    pub fn force_abort(&self, db: &str, label: &str, reason: &str) -> Result<i64, String> {
        let now = Instant::now();
        let id = {
            let mut state = self.state();
            let Some((id, st)) = state
                .txns
                .label_txn(db, label, now)
                .map(|t| (t.id, t.state))
            else {
                return Err(format!("no transaction with label {label} in {db}"));
            };
            state
                .abort_txn(id, reason, now)
                .map_err(|_| format!("transaction {id} is {} and cannot be aborted", st.name()))?;
            id
        };
        for backend in &self.backends {
            backend.contexts().remove_txn(id);
        }
        self.notify_changed();
        Ok(id)
    }

    /// Publishes a COMMITTED transaction of a label now (COMMITTED → VISIBLE).
    pub fn force_publish(&self, db: &str, label: &str) -> Result<i64, String> {
        let now = Instant::now();
        let result = {
            let mut state = self.state();
            match state
                .txns
                .label_txn(db, label, now)
                .map(|t| (t.id, t.state))
            {
                None => Err(format!("no transaction with label {label} in {db}")),
                Some((id, TxnState::Committed)) => {
                    state.publish_now(id, now);
                    Ok(id)
                }
                Some((id, st)) => Err(format!(
                    "transaction {id} is {}, only COMMITTED can be published",
                    st.name()
                )),
            }
        };
        self.notify_changed();
        result
    }

    /// Drops the BE contexts of a label (all tables, all BEs); returns how many.
    pub fn lose_contexts(&self, label: &str) -> usize {
        self.backends
            .iter()
            .map(|b| b.contexts().remove_label(label))
            .sum()
    }

    /// BE restart: every transaction context of the BE is lost (spec F20).
    pub fn restart_be(&self, index: usize) -> Result<usize, String> {
        let backend = self
            .backends
            .get(index)
            .ok_or_else(|| format!("no BE {index}"))?;
        Ok(backend.contexts().clear())
    }

    /// Takes a BE's port down (connections refused, contexts lost) or brings it back.
    pub fn set_be_down(&self, index: usize, down: bool) -> Result<(), String> {
        let backend = self
            .backends
            .get(index)
            .ok_or_else(|| format!("no BE {index}"))?;
        backend.set_down(down);
        Ok(())
    }
}

impl Emulator {
    /// Adds a fault rule (spec §7); returns its id.
    pub fn add_fault(&self, rule: FaultRule) -> Result<u64, String> {
        self.shared.faults().add(rule)
    }

    /// Removes one fault rule; `false` if unknown.
    pub fn remove_fault(&self, id: u64) -> bool {
        self.shared.faults().remove(id)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.shared.faults().clear();
    }

    /// The fault rules with their match and fire counts.
    pub fn faults(&self) -> Vec<FaultRuleStatus> {
        self.shared.faults().list()
    }

    pub fn settings(&self) -> Settings {
        self.shared.settings()
    }

    pub fn set_settings(&self, settings: Settings) {
        self.shared.set_settings(settings);
    }

    /// Forces the label's running transaction to ABORTED (`reason` shows in `get_load_state`).
    pub fn abort_label(&self, db: &str, label: &str, reason: &str) -> Result<i64, String> {
        self.shared.force_abort(db, label, reason)
    }

    /// Makes the label's COMMITTED transaction VISIBLE now.
    pub fn publish_label(&self, db: &str, label: &str) -> Result<i64, String> {
        self.shared.force_publish(db, label)
    }

    /// Drops the BE transaction contexts of a label (later BE ops answer `TXN_NOT_EXISTS`).
    pub fn lose_txn_context(&self, label: &str) -> usize {
        self.shared.lose_contexts(label)
    }

    /// Restarts BE `index`: all its transaction contexts are lost.
    pub fn restart_be(&self, index: usize) -> Result<usize, String> {
        self.shared.restart_be(index)
    }

    /// Takes BE `index` down (its port refuses connections, its contexts are lost) or up;
    /// returns once the port is closed / accepting again (bounded wait).
    pub fn set_be_down(&self, index: usize, down: bool) -> Result<(), String> {
        self.shared.set_be_down(index, down)?;
        crate::backends::wait_port_blocking(self.be_addrs[index], down);
        Ok(())
    }
}
