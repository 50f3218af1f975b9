//! The engine's top-level error and the small, stable set of error kinds that the JNI layer maps to
//! `StarRocksException.Kind` on the Java side.
//!
//! Each layer has its own error type (options, frames, encoding, HTTP, load responses); they all
//! convert into [`SinkError`], which carries one [`ErrorKind`] and a message that names the input at
//! fault (option key, row, table, label, URL without credentials). Messages never contain passwords.

use std::fmt;

/// Stable error kinds. The names are part of the Java API (`StarRocksException.Kind`): never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// An option is missing or malformed.
    Config,
    /// The option or feature is valid in the public connector but not built in this one yet.
    Unsupported,
    /// A StarRocks node could not be reached, or the connection broke.
    Connection,
    /// The server rejected the credentials or the privilege.
    Auth,
    /// The server answered and refused the load (e.g. `Fail`, too many filtered rows).
    LoadFailed,
    /// A bounded wait ran out.
    Timeout,
    /// A row could not be decoded or encoded.
    InvalidData,
    /// The native object was used after `close()`.
    Closed,
    /// The calling thread was interrupted (its Flink task is being cancelled) while it waited.
    Interrupted,
    /// A bug in the engine (including a Rust panic).
    Internal,
}

impl ErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Config => "CONFIG",
            ErrorKind::Unsupported => "UNSUPPORTED",
            ErrorKind::Connection => "CONNECTION",
            ErrorKind::Auth => "AUTH",
            ErrorKind::LoadFailed => "LOAD_FAILED",
            ErrorKind::Timeout => "TIMEOUT",
            ErrorKind::InvalidData => "INVALID_DATA",
            ErrorKind::Closed => "CLOSED",
            ErrorKind::Interrupted => "INTERRUPTED",
            ErrorKind::Internal => "INTERNAL",
        }
    }
}

/// The error every public engine call returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkError {
    kind: ErrorKind,
    message: String,
}

impl SinkError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        SinkError {
            kind,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error with some context put in front of the message.
    pub fn context(self, prefix: impl fmt::Display) -> Self {
        SinkError {
            kind: self.kind,
            message: format!("{prefix}: {}", self.message),
        }
    }
}

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SinkError {}

pub type Result<T> = std::result::Result<T, SinkError>;
