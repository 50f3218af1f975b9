//! The active fault rules and their counters. `check` is called by a node for each request it
//! handles (one call per request and node) and returns the action of the first rule, in the
//! order they were added, that matches and fires; rules after it do not see that request.

use regex::Regex;
use serde::Serialize;

use super::action::FaultAction;
use super::rule::{FaultRule, NodeMatch, Operation};

/// The node asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Fe,
    Be(usize),
}

/// A request as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct FaultPoint<'a> {
    pub node: NodeKind,
    pub op: Operation,
    pub table: Option<&'a str>,
    pub label: Option<&'a str>,
}

struct ActiveRule {
    id: u64,
    rule: FaultRule,
    regex: Option<Regex>,
    seen: u64,
    fired: u64,
}

/// A rule with its counters, as `GET /control/faults` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct FaultRuleStatus {
    pub id: u64,
    pub rule: FaultRule,
    /// Requests that matched.
    pub seen: u64,
    /// Times it fired.
    pub fired: u64,
}

/// All rules.
pub struct FaultRegistry {
    rules: Vec<ActiveRule>,
    next_id: u64,
    rng: u64,
}

impl Default for FaultRegistry {
    fn default() -> FaultRegistry {
        let seed = uuid::Uuid::new_v4().as_u64_pair().0 | 1;
        FaultRegistry {
            rules: Vec::new(),
            next_id: 1,
            rng: seed,
        }
    }
}

impl std::fmt::Debug for FaultRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultRegistry")
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl ActiveRule {
    fn matches(&self, point: &FaultPoint<'_>) -> bool {
        let node_ok = match (&self.rule.node, point.node) {
            (NodeMatch::Any, _) => true,
            (NodeMatch::Fe, NodeKind::Fe) => true,
            (NodeMatch::Be, NodeKind::Be(_)) => true,
            (NodeMatch::BeIndex(i), NodeKind::Be(j)) => *i == j,
            _ => false,
        };
        let op_ok = self.rule.op == Operation::Any || self.rule.op == point.op;
        let table_ok = match &self.rule.table {
            None => true,
            Some(t) => point.table == Some(t.as_str()),
        };
        let label_ok = match &self.regex {
            None => true,
            Some(re) => point.label.is_some_and(|l| re.is_match(l)),
        };
        node_ok && op_ok && table_ok && label_ok
    }
}

impl FaultRegistry {
    /// Adds a rule; returns its id.
    pub fn add(&mut self, rule: FaultRule) -> Result<u64, String> {
        rule.validate()?;
        let regex = match &rule.label {
            Some(text) => Some(Regex::new(text).map_err(|e| format!("invalid label regex: {e}"))?),
            None => None,
        };
        let id = self.next_id;
        self.next_id += 1;
        self.rules.push(ActiveRule {
            id,
            rule,
            regex,
            seen: 0,
            fired: 0,
        });
        Ok(id)
    }

    /// Removes one rule; `false` if there is none with this id.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        self.rules.len() != before
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    pub fn list(&self) -> Vec<FaultRuleStatus> {
        self.rules
            .iter()
            .map(|r| FaultRuleStatus {
                id: r.id,
                rule: r.rule.clone(),
                seen: r.seen,
                fired: r.fired,
            })
            .collect()
    }

    /// A uniform number in [0, 1) (xorshift; fault probabilities need no better).
    fn next_unit(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The action for this request, if a rule fires.
    pub fn check(&mut self, point: &FaultPoint<'_>) -> Option<FaultAction> {
        if self.rules.is_empty() {
            return None;
        }
        for i in 0..self.rules.len() {
            if !self.rules[i].matches(point) {
                continue;
            }
            self.rules[i].seen += 1;
            let (seen, fired) = (self.rules[i].seen, self.rules[i].fired);
            let rule = &self.rules[i].rule;
            if rule.times.is_some_and(|t| fired >= t) {
                continue;
            }
            if rule.nth.is_some_and(|n| seen != n) || rule.every.is_some_and(|n| seen % n != 0) {
                continue;
            }
            if let Some(p) = rule.probability {
                if self.next_unit() >= p {
                    continue;
                }
            }
            self.rules[i].fired += 1;
            return Some(self.rules[i].rule.action.clone());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(op: Operation, label: &str) -> FaultPoint<'_> {
        FaultPoint {
            node: NodeKind::Be(0),
            op,
            table: Some("t"),
            label: Some(label),
        }
    }

    #[test]
    fn counts_and_limits() {
        let mut reg = FaultRegistry::default();
        reg.add(
            FaultRule::new(FaultAction::DropBefore)
                .op(Operation::Commit)
                .label("^a-")
                .every(2)
                .times(2),
        )
        .expect("valid");
        let fires: Vec<bool> = (0..8)
            .map(|_| reg.check(&point(Operation::Commit, "a-1")).is_some())
            .collect();
        assert_eq!(
            fires,
            vec![false, true, false, true, false, false, false, false]
        );
        assert!(reg.check(&point(Operation::Load, "a-1")).is_none());
        assert!(reg.check(&point(Operation::Commit, "b-1")).is_none());
        assert_eq!(reg.list()[0].seen, 8);
        assert_eq!(reg.list()[0].fired, 2);
    }

    #[test]
    fn nth_node_and_probability() {
        let mut reg = FaultRegistry::default();
        reg.add(
            FaultRule::new(FaultAction::LoseContext)
                .node(NodeMatch::Fe)
                .nth(2),
        )
        .expect("valid");
        assert!(reg.check(&point(Operation::Load, "x")).is_none());
        let fe = FaultPoint {
            node: NodeKind::Fe,
            op: Operation::Load,
            table: None,
            label: None,
        };
        assert!(reg.check(&fe).is_none());
        assert!(reg.check(&fe).is_some());
        assert!(reg.check(&fe).is_none());
        reg.clear();
        reg.add(FaultRule::new(FaultAction::DropAfter).probability(0.0))
            .expect("valid");
        assert!((0..50).all(|_| reg.check(&fe).is_none()));
        assert!(reg
            .add(FaultRule::new(FaultAction::DropAfter).label("("))
            .is_err());
    }
}
