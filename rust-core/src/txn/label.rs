//! Label generation.
//!
//! - Outside exactly-once every load or transaction gets `{prefix}-{uuid}`, as the public
//!   connector does.
//! - Exactly-once labels are deterministic, `{prefix}-{table}-{subtask}-{id}` (the public
//!   connector's format, so that a restored job finds the transactions of a crashed attempt). One
//!   [`LabelSpace`] per (prefix, table, subtask); `next_id` is what the next transaction uses and
//!   is what goes into Flink state. A fresh label space starts at `restored checkpoint id + 1`.
//!
//! Prefixes were validated against StarRocks' label rules (`^[-\w]{1,128}$`).

use crate::error::{ErrorKind, Result, SinkError};
use crate::options::MAX_LABEL_LEN;

/// Generates `{prefix}-{uuid}` labels.
#[derive(Debug, Clone)]
pub struct LabelGenerator {
    prefix: String,
}

impl LabelGenerator {
    pub fn new(prefix: impl Into<String>) -> Self {
        LabelGenerator {
            prefix: prefix.into(),
        }
    }

    pub fn next_label(&self) -> String {
        format!("{}-{}", self.prefix, uuid::Uuid::new_v4())
    }
}

/// The exactly-once label space of one (prefix, database, table, subtask) and its next id: also
/// the unit of writer state in Flink checkpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSpace {
    pub prefix: String,
    pub database: String,
    pub table: String,
    pub subtask: u32,
    pub next_id: u64,
}

impl LabelSpace {
    /// The label of transaction `id` in this space.
    pub fn label(&self, id: u64) -> String {
        format!("{}-{}-{}-{}", self.prefix, self.table, self.subtask, id)
    }

    /// Checks that labels of this space are valid StarRocks labels (room left for the id).
    pub fn validate(&self) -> Result<()> {
        let longest = self.label(u64::MAX);
        let bad = self
            .table
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'));
        if let Some(c) = bad {
            return Err(SinkError::new(
                ErrorKind::Config,
                format!(
                    "table name '{}' contains '{c}', which StarRocks labels do not allow; \
                     exactly-once labels are {{prefix}}-{{table}}-{{subtask}}-{{id}}",
                    self.table
                ),
            ));
        }
        if longest.len() > MAX_LABEL_LEN {
            return Err(SinkError::new(
                ErrorKind::Config,
                format!(
                    "exactly-once labels for table '{}' with prefix '{}' can reach {} characters; \
                     StarRocks allows {MAX_LABEL_LEN}: use a shorter 'sink.label-prefix'",
                    self.table,
                    self.prefix,
                    longest.len()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_prefixed_unique_and_valid() {
        let g = LabelGenerator::new("job_1");
        let a = g.next_label();
        let b = g.next_label();
        assert_ne!(a, b);
        assert!(a.starts_with("job_1-"));
        assert_eq!(a.len(), "job_1-".len() + 36);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn exactly_once_labels_follow_the_public_format() {
        let s = LabelSpace {
            prefix: "app".into(),
            database: "db".into(),
            table: "orders".into(),
            subtask: 3,
            next_id: 7,
        };
        assert_eq!(s.label(7), "app-orders-3-7");
        s.validate().unwrap();
    }

    #[test]
    fn invalid_table_names_and_long_prefixes_are_refused() {
        let mut s = LabelSpace {
            prefix: "p".into(),
            database: "db".into(),
            table: "weird.name".into(),
            subtask: 0,
            next_id: 1,
        };
        assert!(s.validate().unwrap_err().message().contains("'.'"));
        s.table = "t".into();
        s.prefix = "x".repeat(110);
        assert!(s.validate().unwrap_err().message().contains("shorter"));
    }
}
