//! Which failed answers are worth retrying (upstream-features §2.13, protocol §7).
//!
//! `Fail` / `INTERNAL_ERROR` answers are retryable unless the message shows a problem that a retry
//! cannot fix (bad data, bad credentials, schema, quota). Other statuses are not retryable, except
//! `TXN_IN_PROCESSING` and FE answers that name a passing condition (`No backend alive` during a BE
//! restart, a shutting-down node, too many versions, a lock timeout).

use crate::error::ErrorKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Retryable,
    Fatal,
}

/// Messages (lower-case) that a retry cannot fix.
const NOT_RETRYABLE: &[&str] = &[
    "too many filtered rows",
    "primary key size exceed the limit",
    "only primary key table support partial update",
    "access denied",
    "no valid basic authorization",
    "current running txns on db",
];

/// Messages (lower-case) of passing conditions, retryable whatever the status.
const TRANSIENT: &[&str] = &[
    "no backend alive",
    "shutting down",
    "too many versions",
    "lock timeout",
    "please try again",
];

/// Classifies a failed answer by its `Status` and `Message`; also picks the error kind.
pub fn classify_failure(status: &str, message: &str) -> (Verdict, ErrorKind) {
    let lower = message.to_ascii_lowercase();
    let kind = if lower.contains("access denied") || lower.contains("no valid basic authorization")
    {
        ErrorKind::Auth
    } else {
        ErrorKind::LoadFailed
    };
    let verdict = match status {
        "Fail" | "INTERNAL_ERROR" => {
            if NOT_RETRYABLE.iter().any(|m| lower.contains(m)) {
                Verdict::Fatal
            } else {
                Verdict::Retryable
            }
        }
        "TXN_IN_PROCESSING" => Verdict::Retryable,
        _ if TRANSIENT.iter().any(|m| lower.contains(m)) => Verdict::Retryable,
        _ => Verdict::Fatal,
    };
    (verdict, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_auth_failures_are_final() {
        assert_eq!(
            classify_failure("Fail", "too many filtered rows").0,
            Verdict::Fatal
        );
        assert_eq!(
            classify_failure("Fail", "Access denied for root@127.0.0.1"),
            (Verdict::Fatal, ErrorKind::Auth)
        );
        assert_eq!(
            classify_failure(
                "Fail",
                "current running txns on db 10 is 1000, larger than limit 1000"
            )
            .0,
            Verdict::Fatal
        );
    }

    #[test]
    fn transient_failures_are_retried() {
        assert_eq!(
            classify_failure(
                "Fail",
                "Failed to load data into tablet 1, because of too many versions"
            )
            .0,
            Verdict::Retryable
        );
        assert_eq!(
            classify_failure(
                "FAILED",
                "class com.starrocks.common.DdlException: No backend alive."
            )
            .0,
            Verdict::Retryable
        );
        assert_eq!(
            classify_failure("TXN_IN_PROCESSING", "").0,
            Verdict::Retryable
        );
        assert_eq!(
            classify_failure("FAILED", "Not implemented").0,
            Verdict::Fatal
        );
    }
}
