//! The Stream Load transaction interface (protocol §5): begin, load, prepare, commit, rollback, and
//! the FE's `_cancel` as a last resort.
//!
//! Answers come in two vocabularies (BE: TStatusCode names such as `TXN_NOT_EXISTS`; FE: `OK` /
//! `FAILED`) and both are accepted. Where an answer is ambiguous, the label's state decides
//! (`get_load_state`): a prepare answered `TXN_NOT_EXISTS` may have succeeded before, a commit that
//! failed may have committed. Only requests that are safe to repeat are retried: `TXN_IN_PROCESSING`
//! (nothing was ingested), prepare and commit (idempotent by label). A failed `load` is not
//! retried: StarRocks may have taken part of its body, so the transaction must be rolled back.

use std::time::Duration;

use super::client::{answer_of, encode_segment, transport_error, ServerClient};
use super::http::Request;
use super::response::{LoadStats, ServerAnswer};
use super::state::TxnState;
use super::stream_load::LoadTarget;
use crate::error::{ErrorKind, Result, SinkError};

/// How often `TXN_IN_PROCESSING` is retried before giving up.
const IN_PROCESSING_ATTEMPTS: u32 = 50;
const IN_PROCESSING_PAUSE: Duration = Duration::from_millis(200);
/// How long a label is polled while it is still moving (e.g. PREPARE after a lost prepare).
const STATE_POLL_BUDGET: Duration = Duration::from_secs(60);

/// One transaction: a label on one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txn {
    pub target: LoadTarget,
    pub label: String,
}

impl std::fmt::Display for Txn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "transaction {} on {}", self.label, self.target)
    }
}

/// What `begin` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    Begun,
    /// The label is taken (`ExistingJobStatus` as StarRocks reported it, possibly empty).
    LabelExists(String),
}

/// How a commit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    Committed,
    /// An earlier commit (possibly of an earlier attempt of the job) already committed it.
    AlreadyCommitted,
}

fn op_request(
    client: &ServerClient,
    op: &str,
    txn: &Txn,
    extra: &[(String, String)],
) -> Request<'static> {
    let mut headers = vec![
        client.authorization(),
        ("label".to_string(), txn.label.clone()),
        ("db".to_string(), txn.target.database.clone()),
        ("table".to_string(), txn.target.table.clone()),
    ];
    headers.extend(extra.iter().cloned());
    Request {
        method: "POST",
        path_and_query: format!("/api/transaction/{op}"),
        headers,
        body: b"",
        expect_continue: false,
    }
}

fn status_of(answer: &ServerAnswer) -> String {
    answer.status().unwrap_or_default()
}

fn is_ok(status: &str) -> bool {
    status.eq_ignore_ascii_case("OK") || status == "Success"
}

fn failed(what: &str, answer: &ServerAnswer) -> SinkError {
    let status = status_of(answer);
    let message = answer.message();
    let kind = if message.to_ascii_lowercase().contains("access denied") {
        ErrorKind::Auth
    } else {
        ErrorKind::LoadFailed
    };
    SinkError::new(kind, format!("{what} failed: {status}: {message}"))
}

/// `POST /api/transaction/begin` (§5.4). `headers`: `timeout` and other begin headers.
pub async fn begin(
    client: &ServerClient,
    txn: &Txn,
    headers: &[(String, String)],
) -> Result<Begin> {
    let what = format!("begin of {txn}");
    let req = op_request(client, "begin", txn, headers);
    let resp = client
        .send_to_fe(&req, client.control_timeouts())
        .await
        .map_err(|e| transport_error(&what, e))?;
    let answer = answer_of(&resp, &what)?;
    let status = status_of(&answer);
    match status.as_str() {
        s if is_ok(s) => Ok(Begin::Begun),
        "LABEL_ALREADY_EXISTS" | "Label Already Exists" => Ok(Begin::LabelExists(
            answer.existing_job_status().unwrap_or_default(),
        )),
        "" => Err(SinkError::new(
            ErrorKind::LoadFailed,
            format!(
                "{what}: the answer has no Status ({}); the server may be older than StarRocks \
                 2.4, which introduced the transaction interface",
                answer.message()
            ),
        )),
        _ => Err(failed(&what, &answer)),
    }
}

/// `PUT /api/transaction/load` (§5.5): one body into the open transaction.
pub async fn load(
    client: &ServerClient,
    txn: &Txn,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<()> {
    let what = format!("load into {txn}");
    let mut all = vec![
        client.authorization(),
        ("label".to_string(), txn.label.clone()),
        ("db".to_string(), txn.target.database.clone()),
        ("table".to_string(), txn.target.table.clone()),
    ];
    all.extend(headers.iter().cloned());
    let req = Request {
        method: "PUT",
        path_and_query: "/api/transaction/load".to_string(),
        headers: all,
        body,
        expect_continue: true,
    };
    for _ in 0..IN_PROCESSING_ATTEMPTS {
        let resp = client
            .send_to_fe(&req, client.data_timeouts())
            .await
            .map_err(|e| transport_error(&what, e))?;
        let answer = answer_of(&resp, &what)?;
        let status = status_of(&answer);
        match status.as_str() {
            s if is_ok(s) || s == "Publish Timeout" => return Ok(()),
            "TXN_IN_PROCESSING" => tokio::time::sleep(IN_PROCESSING_PAUSE).await,
            _ => {
                let mut e = failed(&what, &answer);
                if let Some(url) = answer.error_url() {
                    let log = client.error_log(&url).await;
                    e = SinkError::new(
                        e.kind(),
                        format!("{}; error log {url}: {log}", e.message()),
                    );
                }
                return Err(e);
            }
        }
    }
    Err(SinkError::new(
        ErrorKind::Timeout,
        format!("{what}: still TXN_IN_PROCESSING after {IN_PROCESSING_ATTEMPTS} attempts"),
    ))
}

/// Polls the label while it is in one of `moving` states; returns the first other state.
async fn settle(client: &ServerClient, txn: &Txn, moving: &[TxnState]) -> Result<TxnState> {
    let deadline = tokio::time::Instant::now() + STATE_POLL_BUDGET;
    let mut step = 0u64;
    loop {
        let state = client.load_state(&txn.target.database, &txn.label).await?;
        if !moving.contains(&state) || tokio::time::Instant::now() >= deadline {
            return Ok(state);
        }
        step = (step + 1).min(5);
        tokio::time::sleep(Duration::from_millis(200 * step)).await;
    }
}

/// How often a prepare is sent again when its answer was lost while the label stayed PREPARE.
const PREPARE_ATTEMPTS: u32 = 3;

/// `POST /api/transaction/prepare` (§5.6). `headers`: e.g. `prepared_timeout`. Returns the
/// figures of the transaction from the answer (empty when the answer was lost and the label's
/// state showed it prepared).
pub async fn prepare(
    client: &ServerClient,
    txn: &Txn,
    headers: &[(String, String)],
) -> Result<LoadStats> {
    let what = format!("prepare of {txn}");
    let req = op_request(client, "prepare", txn, headers);
    let mut lost_answers = 0;
    let mut in_processing = 0;
    loop {
        let resp = match client.send_to_fe(&req, client.control_timeouts()).await {
            Ok(r) => r,
            Err(e) => {
                // The prepare may or may not have happened: the label's state tells.
                let cause = transport_error(&what, e);
                match settle(client, txn, &[]).await {
                    Ok(TxnState::Prepared) => return Ok(LoadStats::default()),
                    Ok(TxnState::Prepare) if lost_answers + 1 < PREPARE_ATTEMPTS => {
                        lost_answers += 1;
                        tracing::warn!(
                            "{}; the transaction is still PREPARE, preparing again",
                            cause
                        );
                        continue;
                    }
                    Ok(state) => {
                        return Err(SinkError::new(
                            cause.kind(),
                            format!("{} (the transaction is {})", cause.message(), state.name()),
                        ))
                    }
                    Err(_) => return Err(cause),
                }
            }
        };
        let answer = answer_of(&resp, &what)?;
        let status = status_of(&answer);
        match status.as_str() {
            s if is_ok(s) => return Ok(answer.load_stats()),
            "TXN_IN_PROCESSING" if in_processing < IN_PROCESSING_ATTEMPTS => {
                in_processing += 1;
                tokio::time::sleep(IN_PROCESSING_PAUSE).await
            }
            "TXN_NOT_EXISTS" => {
                // Typically an earlier prepare succeeded and dropped the BE's context.
                return match settle(client, txn, &[TxnState::Prepare]).await? {
                    TxnState::Prepared => Ok(LoadStats::default()),
                    state => Err(SinkError::new(
                        ErrorKind::LoadFailed,
                        format!(
                            "{what} failed: TXN_NOT_EXISTS: {} (the transaction is {}; it may \
                             have timed out: check 'sink.properties.timeout' against the \
                             checkpoint interval)",
                            answer.message(),
                            state.name()
                        ),
                    )),
                };
            }
            _ => {
                let mut e = failed(&what, &answer);
                if let Some(url) = answer.error_url() {
                    let log = client.error_log(&url).await;
                    e = SinkError::new(
                        e.kind(),
                        format!("{}; error log {url}: {log}", e.message()),
                    );
                }
                return Err(e);
            }
        }
    }
}

/// `POST /api/transaction/commit` (§5.7). Whatever the answer, a label that is COMMITTED or
/// VISIBLE afterwards is a success; ABORTED is an error that names the likely cause.
/// `headers`: the commit `timeout` (publish timeout) when the user set one.
pub async fn commit(
    client: &ServerClient,
    txn: &Txn,
    headers: &[(String, String)],
) -> Result<Commit> {
    let what = format!("commit of {txn}");
    let req = op_request(client, "commit", txn, headers);
    let cause = match client.send_to_fe(&req, client.commit_timeouts()).await {
        Ok(resp) => match answer_of(&resp, &what) {
            Ok(answer) if is_ok(&status_of(&answer)) => {
                let already = answer
                    .message()
                    .to_ascii_lowercase()
                    .contains("already committed");
                return Ok(if already {
                    Commit::AlreadyCommitted
                } else {
                    Commit::Committed
                });
            }
            Ok(answer) => failed(&what, &answer),
            Err(e) => e,
        },
        Err(e) => transport_error(&what, e),
    };
    let state = settle(client, txn, &[]).await.map_err(|e| {
        SinkError::new(
            cause.kind(),
            format!(
                "{}; reading the label's state also failed: {}",
                cause.message(),
                e.message()
            ),
        )
    })?;
    decide_commit(&what, &cause, state)
}

/// What a commit that did not answer OK means, given the label's state afterwards: the commit
/// decision table.
///
/// | state | outcome |
/// |---|---|
/// | COMMITTED, VISIBLE | success: committed (by this or an earlier attempt) |
/// | ABORTED | error naming the likely cause (prepared or transaction timeout) |
/// | UNKNOWN | error: never existed, expired or timed out |
/// | PREPARE, PREPARED | error of the cause's kind (retryable by the committer) |
pub fn decide_commit(what: &str, cause: &SinkError, state: TxnState) -> Result<Commit> {
    match state {
        s if s.is_committed() => Ok(Commit::AlreadyCommitted),
        TxnState::Aborted => Err(SinkError::new(
            ErrorKind::LoadFailed,
            format!(
                "{what}: the transaction was ABORTED by StarRocks, so the data of this checkpoint \
                 cannot be committed. Likely cause: the job was down (or the checkpoint took) \
                 longer than the prepared timeout ('sink.properties.prepared_timeout', server \
                 default prepared_transaction_default_timeout_second) or the transaction timeout \
                 ('sink.properties.timeout'). ({})",
                cause.message()
            ),
        )),
        TxnState::Unknown => Err(SinkError::new(
            ErrorKind::LoadFailed,
            format!(
                "{what}: StarRocks does not know the label (UNKNOWN): it never existed, or it \
                 expired (label_keep_max_second) or timed out before the commit. ({})",
                cause.message()
            ),
        )),
        other => Err(SinkError::new(
            cause.kind(),
            format!(
                "{} (the transaction is still {})",
                cause.message(),
                other.name()
            ),
        )),
    }
}

/// `POST /api/transaction/rollback` (§5.8), falling back to `_cancel` (§6.6) when the rollback
/// fails while the label is still PREPARE/PREPARED. Succeeds when the label ends ABORTED or
/// UNKNOWN; a committed label is an error.
pub async fn rollback(client: &ServerClient, txn: &Txn) -> Result<()> {
    let what = format!("rollback of {txn}");
    let req = op_request(client, "rollback", txn, &[]);
    let first = match client.send_to_fe(&req, client.control_timeouts()).await {
        Ok(resp) => match answer_of(&resp, &what) {
            Ok(answer) if is_ok(&status_of(&answer)) => return Ok(()),
            Ok(answer) => failed(&what, &answer),
            Err(e) => e,
        },
        Err(e) => transport_error(&what, e),
    };
    match client.load_state(&txn.target.database, &txn.label).await? {
        TxnState::Aborted | TxnState::Unknown => return Ok(()),
        s if s.is_committed() => {
            return Err(SinkError::new(
                ErrorKind::LoadFailed,
                format!(
                    "{what}: the transaction is already {} ({})",
                    s.name(),
                    first.message()
                ),
            ))
        }
        _ => {}
    }
    cancel(client, txn).await.map_err(|e| {
        SinkError::new(
            e.kind(),
            format!(
                "{}; the _cancel fallback failed too: {}",
                first.message(),
                e.message()
            ),
        )
    })?;
    match client.load_state(&txn.target.database, &txn.label).await? {
        TxnState::Aborted | TxnState::Unknown => Ok(()),
        s => Err(SinkError::new(
            ErrorKind::LoadFailed,
            format!(
                "{what} and _cancel did not abort it: the transaction is {} ({})",
                s.name(),
                first.message()
            ),
        )),
    }
}

/// `POST /api/{db}/{table}/_cancel?label=...` (§6.6).
pub async fn cancel(client: &ServerClient, txn: &Txn) -> Result<()> {
    let what = format!("_cancel of {txn}");
    let req = Request {
        method: "POST",
        path_and_query: format!(
            "/api/{}/{}/_cancel?label={}",
            encode_segment(&txn.target.database),
            encode_segment(&txn.target.table),
            encode_segment(&txn.label)
        ),
        headers: vec![client.authorization()],
        body: b"",
        expect_continue: false,
    };
    let resp = client
        .send_to_fe(&req, client.control_timeouts())
        .await
        .map_err(|e| transport_error(&what, e))?;
    let answer = answer_of(&resp, &what)?;
    if is_ok(&status_of(&answer)) {
        Ok(())
    } else {
        Err(failed(&what, &answer))
    }
}

/// The transaction-support probe of the public connector (§5.4): `POST /api/transaction/begin`
/// with credentials only. A server without the interface answers
/// `{"status":"FAILED","msg":"Not implemented"}`; any other JSON means it has it. `None` when the
/// server could not be asked (the caller decides).
pub async fn supports_transactions(client: &ServerClient) -> Option<bool> {
    let req = Request {
        method: "POST",
        path_and_query: "/api/transaction/begin".to_string(),
        headers: vec![client.authorization()],
        body: b"",
        expect_continue: false,
    };
    let resp = client
        .send_to_fe(&req, client.control_timeouts())
        .await
        .ok()?;
    let answer = ServerAnswer::parse(&resp.body).ok()?;
    let not_implemented = answer
        .text("msg")
        .is_some_and(|m| m.eq_ignore_ascii_case("Not implemented"))
        && answer
            .status()
            .is_some_and(|s| s.eq_ignore_ascii_case("FAILED"));
    Some(!not_implemented)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause(kind: ErrorKind) -> SinkError {
        SinkError::new(
            kind,
            "commit of transaction L on db.t failed: FAILED: publish timeout",
        )
    }

    #[test]
    fn the_commit_decision_table() {
        let what = "commit of transaction L on db.t";
        for state in [TxnState::Committed, TxnState::Visible] {
            assert_eq!(
                decide_commit(what, &cause(ErrorKind::LoadFailed), state),
                Ok(Commit::AlreadyCommitted)
            );
        }
        let aborted =
            decide_commit(what, &cause(ErrorKind::LoadFailed), TxnState::Aborted).unwrap_err();
        assert_eq!(aborted.kind(), ErrorKind::LoadFailed);
        assert!(aborted.message().contains("ABORTED"));
        assert!(aborted.message().contains("prepared timeout"));
        let unknown =
            decide_commit(what, &cause(ErrorKind::LoadFailed), TxnState::Unknown).unwrap_err();
        assert!(unknown.message().contains("UNKNOWN"));
        for state in [TxnState::Prepare, TxnState::Prepared] {
            let e = decide_commit(what, &cause(ErrorKind::Connection), state).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Connection);
            assert!(e.message().contains("still"), "{e}");
        }
    }
}
