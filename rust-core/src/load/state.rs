//! Transaction (label) states as `get_load_state` reports them (protocol §4.3).

/// The six states of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnState {
    Unknown,
    Prepare,
    Prepared,
    Committed,
    Visible,
    Aborted,
}

impl TxnState {
    pub fn parse(s: &str) -> Option<TxnState> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "UNKNOWN" => TxnState::Unknown,
            "PREPARE" => TxnState::Prepare,
            "PREPARED" => TxnState::Prepared,
            "COMMITTED" => TxnState::Committed,
            "VISIBLE" => TxnState::Visible,
            "ABORTED" => TxnState::Aborted,
            _ => return None,
        })
    }

    /// Committed data that is or will become visible.
    pub fn is_committed(self) -> bool {
        matches!(self, TxnState::Committed | TxnState::Visible)
    }

    pub fn name(self) -> &'static str {
        match self {
            TxnState::Unknown => "UNKNOWN",
            TxnState::Prepare => "PREPARE",
            TxnState::Prepared => "PREPARED",
            TxnState::Committed => "COMMITTED",
            TxnState::Visible => "VISIBLE",
            TxnState::Aborted => "ABORTED",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_parse_case_insensitively() {
        assert_eq!(TxnState::parse("visible"), Some(TxnState::Visible));
        assert_eq!(TxnState::parse("PREPARED"), Some(TxnState::Prepared));
        assert_eq!(TxnState::parse("bogus"), None);
        assert!(TxnState::Committed.is_committed());
        assert!(!TxnState::Prepared.is_committed());
    }
}
