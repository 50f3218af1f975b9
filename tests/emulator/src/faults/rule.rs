//! A fault rule: which requests it matches (node, operation, table, label regex) and when it
//! fires among them (n-th occurrence, every n-th, probability, at most `times`), plus its action.

use serde::{Deserialize, Serialize};

use super::action::FaultAction;

/// Which node a rule watches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NodeMatch {
    Fe,
    /// Any BE.
    Be,
    /// One BE by index (`{"be_index": 0}` in JSON).
    BeIndex(usize),
    #[default]
    Any,
}

/// The request kinds a rule can match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    StreamLoad,
    Begin,
    Load,
    Prepare,
    Commit,
    Rollback,
    GetLoadState,
    Cancel,
    #[default]
    Any,
}

impl Operation {
    /// The `/api/transaction/{op}` name, if it is one.
    pub fn from_txn_op(op: &str) -> Option<Operation> {
        Some(match op {
            "begin" => Operation::Begin,
            "load" => Operation::Load,
            "prepare" => Operation::Prepare,
            "commit" => Operation::Commit,
            "rollback" => Operation::Rollback,
            _ => return None,
        })
    }
}

/// A rule as given by the caller (also the JSON body of `POST /control/faults`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    #[serde(default)]
    pub node: NodeMatch,
    #[serde(default)]
    pub op: Operation,
    /// Table name (exact); requests without a table never match a rule that names one.
    #[serde(default)]
    pub table: Option<String>,
    /// Regular expression the label must match (anywhere; anchor it with `^...$`).
    #[serde(default)]
    pub label: Option<String>,
    /// Fire only on the n-th matching request (1-based).
    #[serde(default)]
    pub nth: Option<u64>,
    /// Fire on every n-th matching request.
    #[serde(default)]
    pub every: Option<u64>,
    /// Fire with this probability (0..=1).
    #[serde(default)]
    pub probability: Option<f64>,
    /// Fire at most this many times.
    #[serde(default)]
    pub times: Option<u64>,
    pub action: FaultAction,
}

impl FaultRule {
    /// A rule that fires on every request of any node until removed; narrow it with the
    /// builder methods.
    pub fn new(action: FaultAction) -> FaultRule {
        FaultRule {
            node: NodeMatch::Any,
            op: Operation::Any,
            table: None,
            label: None,
            nth: None,
            every: None,
            probability: None,
            times: None,
            action,
        }
    }

    pub fn node(mut self, node: NodeMatch) -> FaultRule {
        self.node = node;
        self
    }

    pub fn op(mut self, op: Operation) -> FaultRule {
        self.op = op;
        self
    }

    pub fn table(mut self, table: &str) -> FaultRule {
        self.table = Some(table.to_string());
        self
    }

    pub fn label(mut self, regex: &str) -> FaultRule {
        self.label = Some(regex.to_string());
        self
    }

    pub fn nth(mut self, n: u64) -> FaultRule {
        self.nth = Some(n);
        self
    }

    pub fn every(mut self, n: u64) -> FaultRule {
        self.every = Some(n);
        self
    }

    pub fn probability(mut self, p: f64) -> FaultRule {
        self.probability = Some(p);
        self
    }

    pub fn times(mut self, n: u64) -> FaultRule {
        self.times = Some(n);
        self
    }

    /// Checks the fields (the label regex is compiled by the registry).
    pub fn validate(&self) -> Result<(), String> {
        if self.nth == Some(0) || self.every == Some(0) {
            return Err("nth and every start at 1".to_string());
        }
        if let Some(p) = self.probability {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("probability {p} is not within 0..=1"));
            }
        }
        self.action.validate()
    }
}
