//! What a fired fault rule makes the node do. The JSON form is an object with a `type` field,
//! e.g. `{"type":"delay","ms":500,"before":"continue"}` (see README.md for every action).

use serde::{Deserialize, Serialize};

/// Where a delay is inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DelayPoint {
    /// Before the final answer (on the FE: before the 307 or the FE's own answer).
    #[default]
    Response,
    /// Before `100 Continue` (BE loads; on other requests same as `response`).
    Continue,
}

/// Which response family a `fail` action answers in (spec §1.6); default: the family the node
/// uses for that operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailFamily {
    /// Family A: plain Stream Load result (`Status: Fail`).
    A,
    /// Family B: BE transaction op (`Status: <TStatusCode name>`).
    B,
    /// Family C: FE transaction result (`Status: FAILED`).
    C,
    /// Family D: FE REST result (`status: FAILED`).
    D,
}

/// When a `fail` action answers on a BE load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FailPoint {
    /// After the body was read, as a write/commit error: the transaction is aborted (default).
    #[default]
    Commit,
    /// At the header phase, before any transaction begins (`TxnId` -1), body not read.
    Head,
}

/// A fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultAction {
    /// Answer with this HTTP status and body instead of handling the request.
    HttpError {
        status: u16,
        #[serde(default)]
        body: String,
    },
    /// A StarRocks-level failure. `preset` fills `message`/`status`/`at` from the spec's
    /// catalogue (`too_many_versions`, `mem_limit`, `no_backend_alive`, `concurrency_limit`,
    /// `too_many_txns`, `shutting_down`, `commit_rpc_failure`, `cancelled`).
    Fail {
        #[serde(default)]
        message: Option<String>,
        /// Status string (e.g. `Fail`, `INTERNAL_ERROR`, `MEM_LIMIT_EXCEEDED`, `FAILED`).
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        family: Option<FailFamily>,
        #[serde(default)]
        at: Option<FailPoint>,
        #[serde(default)]
        preset: Option<String>,
    },
    /// Wait before answering (or before `100 Continue`).
    Delay {
        ms: u64,
        #[serde(default)]
        before: DelayPoint,
    },
    /// Close the connection without answering, before the request changes anything.
    DropBefore,
    /// Handle the request fully (commit included), then close without answering (F18).
    DropAfter,
    /// Reset the connection (RST) once this many body bytes arrived; the load is aborted (F16).
    ResetMidBody { after_bytes: u64 },
    /// The BE forgets the transaction's context before handling the request (F20).
    LoseContext,
    /// The commit answers as a publish timeout at once; the transaction stays COMMITTED for
    /// `visible_after_ms` (default 1000) and then becomes VISIBLE (F13).
    PublishTimeout {
        #[serde(default = "default_visible_after")]
        visible_after_ms: u64,
    },
    /// The committed transaction stays COMMITTED this long before it becomes VISIBLE.
    PublishDelay { ms: u64 },
    /// Take a BE's port down (connections refused, F2): on the FE, the BE the answer redirects
    /// to; on a BE, that BE (the connection is dropped). `for_ms` brings it back up after that
    /// long; without it it stays down until `POST /control/backends/{i}/up`.
    BeDown {
        #[serde(default)]
        for_ms: Option<u64>,
    },
}

fn default_visible_after() -> u64 {
    1000
}

/// A resolved `fail` action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub status: Option<String>,
    pub family: Option<FailFamily>,
    pub at: FailPoint,
}

/// The spec's catalogue of failure messages (§7), by preset name.
fn preset(name: &str) -> Option<(&'static str, Option<&'static str>, FailPoint)> {
    Some(match name {
        "too_many_versions" => (
            "Failed to load data into tablet 10001, because of too many versions, current/limit: 1001/1000. You can reduce the loading job concurrency, or increase loading data batch size. If you are loading data with Routine Load, you can increase FE configs routine_load_task_consume_second and max_routine_load_batch_size,",
            None,
            FailPoint::Commit,
        ),
        "mem_limit" => (
            "Memory of process exceed limit. Used: 10737418240, Limit: 10737418240. Mem usage has exceed the limit of BE",
            Some("MEM_LIMIT_EXCEEDED"),
            FailPoint::Commit,
        ),
        "no_backend_alive" => (
            "class com.starrocks.common.DdlException: No backend alive.",
            Some("FAILED"),
            FailPoint::Head,
        ),
        "concurrency_limit" => (
            "Stream Load exceed http cuncurrent limit 1, please try again later",
            None,
            FailPoint::Head,
        ),
        "too_many_txns" => (
            "current running txns on db 10001 is 1000, larger than limit 1000",
            None,
            FailPoint::Head,
        ),
        "shutting_down" => (
            "Service is shutting down, please retry later!",
            None,
            FailPoint::Head,
        ),
        "commit_rpc_failure" => (
            "Commit transaction fail cause RPC failed, Transaction status unknown, you can retry with same label.",
            None,
            FailPoint::Commit,
        ),
        "cancelled" => ("cancelled", None, FailPoint::Commit),
        _ => return None,
    })
}

impl FaultAction {
    /// Checks the action's fields (preset names, status codes).
    pub fn validate(&self) -> Result<(), String> {
        match self {
            FaultAction::Fail {
                message, preset: p, ..
            } => match (message, p) {
                (_, Some(name)) if preset(name).is_none() => {
                    Err(format!("unknown fail preset '{name}'"))
                }
                (None, None) => Err("a fail action needs a message or a preset".to_string()),
                _ => Ok(()),
            },
            FaultAction::HttpError { status, .. } if !(100..=599).contains(status) => {
                Err(format!("invalid HTTP status {status}"))
            }
            _ => Ok(()),
        }
    }

    /// The failure a `fail` action describes (`None` for other actions).
    pub fn failure(&self) -> Option<Failure> {
        let FaultAction::Fail {
            message,
            status,
            family,
            at,
            preset: p,
        } = self
        else {
            return None;
        };
        let base = p.as_deref().and_then(preset);
        Some(Failure {
            message: message
                .clone()
                .or_else(|| base.map(|b| b.0.to_string()))
                .unwrap_or_default(),
            status: status
                .clone()
                .or_else(|| base.and_then(|b| b.1.map(str::to_string))),
            family: *family,
            at: at.or(base.map(|b| b.2)).unwrap_or_default(),
        })
    }

    /// `{"type":"fail","preset":name}`.
    pub fn preset(name: &str) -> FaultAction {
        FaultAction::Fail {
            message: None,
            status: None,
            family: None,
            at: None,
            preset: Some(name.to_string()),
        }
    }

    /// A failure with a message (family and status: the node's natural ones).
    pub fn fail(message: &str) -> FaultAction {
        FaultAction::Fail {
            message: Some(message.to_string()),
            status: None,
            family: None,
            at: None,
            preset: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_forms() {
        let a: FaultAction =
            serde_json::from_str(r#"{"type":"delay","ms":5,"before":"continue"}"#).expect("delay");
        assert_eq!(
            a,
            FaultAction::Delay {
                ms: 5,
                before: DelayPoint::Continue
            }
        );
        let p: FaultAction =
            serde_json::from_str(r#"{"type":"fail","preset":"mem_limit"}"#).expect("preset");
        let f = p.failure().expect("failure");
        assert_eq!(f.status.as_deref(), Some("MEM_LIMIT_EXCEEDED"));
        assert!(f.message.contains("Memory of process exceed limit"));
        assert!(FaultAction::preset("nope").validate().is_err());
        let t: FaultAction =
            serde_json::from_str(r#"{"type":"publish_timeout"}"#).expect("publish timeout");
        assert_eq!(
            t,
            FaultAction::PublishTimeout {
                visible_after_ms: 1000
            }
        );
        assert!(serde_json::from_str::<FaultAction>(r#"{"type":"explode"}"#).is_err());
    }
}
