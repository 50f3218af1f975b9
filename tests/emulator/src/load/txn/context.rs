//! The BE's in-memory transaction contexts (spec §5.5): one per label (classic) or per
//! (label, table) (multi-table), holding the load pipeline between `begin` and prepare/commit.
//! A context is taken out while a request works on it, so a second request sees it busy
//! (`TXN_IN_PROCESSING`); it is put back afterwards unless something removed it meanwhile
//! (rollback, BE restart, a lost-context fault), in which case it is dropped.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::load::pipeline::Pipeline;
use crate::load::plan::LoadPlan;
use crate::storage::schema::TableSchema;
use crate::txn::TxnId;

/// Which context: the label, plus the table for multi-table transactions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContextKey {
    pub label: String,
    pub table: Option<String>,
}

impl ContextKey {
    pub fn classic(label: &str) -> ContextKey {
        ContextKey {
            label: label.to_string(),
            table: None,
        }
    }

    pub fn multi(label: &str, table: &str) -> ContextKey {
        ContextKey {
            label: label.to_string(),
            table: Some(table.to_string()),
        }
    }
}

/// The data path of a context, created by its first load.
pub struct LoadState {
    pub plan: LoadPlan,
    pub pipeline: Pipeline,
    /// Data headers of the first load (spec §5.5 "load request not equal last.").
    pub fingerprint: Vec<(&'static str, String)>,
}

/// One transaction's context on a BE.
pub struct TxnContext {
    pub txn_id: TxnId,
    pub db: String,
    pub table: String,
    pub label: String,
    pub schema: Arc<TableSchema>,
    pub begun: Instant,
    pub timeout: Duration,
    pub idle_timeout: Option<Duration>,
    pub last_active: Instant,
    pub load: Option<LoadState>,
    pub loads: u32,
    pub bytes: u64,
    pub plan_ms: i64,
    pub received_ms: i64,
    /// Set when a load failed; the transaction is aborted.
    pub failed: Option<String>,
}

impl TxnContext {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        txn_id: TxnId,
        db: &str,
        table: &str,
        label: &str,
        schema: Arc<TableSchema>,
        timeout: Duration,
        idle_timeout: Option<Duration>,
        now: Instant,
    ) -> TxnContext {
        TxnContext {
            txn_id,
            db: db.to_string(),
            table: table.to_string(),
            label: label.to_string(),
            schema,
            begun: now,
            timeout,
            idle_timeout,
            last_active: now,
            load: None,
            loads: 0,
            bytes: 0,
            plan_ms: 0,
            received_ms: 0,
            failed: None,
        }
    }

    /// When the idle cleaner aborts it (spec §5.9), if it has an idle timeout.
    pub fn idle_deadline(&self) -> Option<Instant> {
        self.idle_timeout.map(|t| self.last_active + t)
    }
}

enum Slot {
    Idle(Box<TxnContext>),
    Busy(TxnId),
}

/// Result of trying to take a context.
pub enum Take {
    Missing,
    Busy,
    Taken(Box<TxnContext>),
}

/// The contexts of one BE.
#[derive(Default)]
pub struct ContextTable {
    slots: HashMap<ContextKey, Slot>,
}

impl ContextTable {
    pub fn contains(&self, key: &ContextKey) -> bool {
        self.slots.contains_key(key)
    }

    /// Adds a context; `false` if the key is taken.
    pub fn insert(&mut self, key: ContextKey, ctx: TxnContext) -> bool {
        if self.slots.contains_key(&key) {
            return false;
        }
        self.slots.insert(key, Slot::Idle(Box::new(ctx)));
        true
    }

    /// Takes a context for exclusive use (the slot stays, marked busy).
    pub fn take(&mut self, key: &ContextKey) -> Take {
        match self.slots.get_mut(key) {
            None => Take::Missing,
            Some(Slot::Busy(_)) => Take::Busy,
            Some(slot) => {
                let txn_id = match slot {
                    Slot::Idle(ctx) => ctx.txn_id,
                    Slot::Busy(id) => *id,
                };
                match std::mem::replace(slot, Slot::Busy(txn_id)) {
                    Slot::Idle(ctx) => Take::Taken(ctx),
                    Slot::Busy(_) => Take::Busy,
                }
            }
        }
    }

    /// Returns a taken context; dropped if its slot was removed meanwhile.
    pub fn put_back(&mut self, key: &ContextKey, ctx: Box<TxnContext>) {
        if let Some(slot @ Slot::Busy(_)) = self.slots.get_mut(key) {
            if matches!(slot, Slot::Busy(id) if *id == ctx.txn_id) {
                *slot = Slot::Idle(ctx);
            }
        }
    }

    /// Removes a context (idle or busy).
    pub fn remove(&mut self, key: &ContextKey) {
        self.slots.remove(key);
    }

    /// Removes a context if it (still) belongs to `txn_id`.
    pub fn remove_if(&mut self, key: &ContextKey, txn_id: TxnId) {
        let mine = match self.slots.get(key) {
            Some(Slot::Idle(ctx)) => ctx.txn_id == txn_id,
            Some(Slot::Busy(id)) => *id == txn_id,
            None => false,
        };
        if mine {
            self.slots.remove(key);
        }
    }

    /// Removes every context of a transaction; returns how many.
    pub fn remove_txn(&mut self, txn_id: TxnId) -> usize {
        let before = self.slots.len();
        self.slots.retain(|_, slot| match slot {
            Slot::Idle(ctx) => ctx.txn_id != txn_id,
            Slot::Busy(id) => *id != txn_id,
        });
        before - self.slots.len()
    }

    /// Removes the contexts of a label (all tables); returns how many.
    pub fn remove_label(&mut self, label: &str) -> usize {
        let before = self.slots.len();
        self.slots.retain(|k, _| k.label != label);
        before - self.slots.len()
    }

    /// Drops everything (BE restart).
    pub fn clear(&mut self) -> usize {
        let n = self.slots.len();
        self.slots.clear();
        n
    }

    /// Idle contexts whose idle deadline passed, removed from the table.
    pub fn take_idle_expired(&mut self, now: Instant) -> Vec<TxnContext> {
        let expired: Vec<ContextKey> = self
            .slots
            .iter()
            .filter_map(|(k, slot)| match slot {
                Slot::Idle(ctx) if ctx.idle_deadline().is_some_and(|d| d <= now) => Some(k.clone()),
                _ => None,
            })
            .collect();
        expired
            .into_iter()
            .filter_map(|k| match self.slots.remove(&k) {
                Some(Slot::Idle(ctx)) => Some(*ctx),
                _ => None,
            })
            .collect()
    }

    /// The earliest idle deadline.
    pub fn next_idle_deadline(&self) -> Option<Instant> {
        self.slots
            .values()
            .filter_map(|slot| match slot {
                Slot::Idle(ctx) => ctx.idle_deadline(),
                Slot::Busy(_) => None,
            })
            .min()
    }

    /// (label, table, txn id, busy) of every context, for the control API.
    pub fn describe(&self) -> Vec<(String, Option<String>, TxnId, bool)> {
        let mut out: Vec<_> = self
            .slots
            .iter()
            .map(|(k, slot)| match slot {
                Slot::Idle(ctx) => (k.label.clone(), k.table.clone(), ctx.txn_id, false),
                Slot::Busy(id) => (k.label.clone(), k.table.clone(), *id, true),
            })
            .collect();
        out.sort();
        out
    }
}
