//! Plain Stream Load (`PUT /api/{db}/{table}/_stream_load`, protocol §2) with bounded retries that
//! REUSE the label, so an ambiguous failure (the server applied the load but the answer was lost)
//! ends as `Label Already Exists` + `FINISHED` on the retry and counts as success, never as a
//! duplicate. After the last attempt the FIRST error is reported.

use std::time::{Duration, Instant};

use super::client::{answer_of, encode_segment, transport_error, ServerClient};
use super::http::{HttpError, Request};
use super::response::{LoadStats, ServerAnswer};
use super::retry::{classify_failure, Verdict};
use super::state::TxnState;
use crate::error::{ErrorKind, Result, SinkError};
use crate::metrics::Metrics;

/// The table a load goes to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoadTarget {
    pub database: String,
    pub table: String,
}

impl std::fmt::Display for LoadTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.database, self.table)
    }
}

/// One load: a complete request body and its label.
pub struct LoadRequest<'a> {
    pub target: &'a LoadTarget,
    pub label: &'a str,
    /// Stream Load headers other than `Authorization` and `label`.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// What StarRocks reported for a successful load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOutcome {
    pub label: String,
    /// Empty when an earlier attempt loaded the label (its figures are not known).
    pub stats: LoadStats,
    pub attempts: u32,
    /// Time of the attempt that succeeded.
    pub attempt_time: Duration,
    /// The label had been loaded by an earlier attempt whose answer was lost.
    pub already_loaded: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub interval: Duration,
}

enum Attempt {
    Done(LoadOutcome),
    Failed(Verdict, SinkError),
}

/// Loads `req`, retrying retryable failures with the same label; each retry is counted in
/// `metrics` as it starts.
pub async fn stream_load(
    client: &ServerClient,
    req: &LoadRequest<'_>,
    policy: RetryPolicy,
    metrics: &Metrics,
) -> Result<LoadOutcome> {
    let mut first_error: Option<SinkError> = None;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let started = Instant::now();
        match attempt(client, req).await {
            Attempt::Done(mut outcome) => {
                outcome.attempts = attempts;
                outcome.attempt_time = started.elapsed();
                if let Some(e) = first_error {
                    tracing::info!(
                        "Stream Load of {} (label {}) succeeded on attempt {attempts} after: {e}",
                        req.target,
                        req.label
                    );
                }
                return Ok(outcome);
            }
            Attempt::Failed(verdict, e) => {
                let retry = verdict == Verdict::Retryable && attempts <= policy.max_retries;
                if retry {
                    tracing::warn!(
                        "Stream Load of {} (label {}) attempt {attempts} failed, retrying in {} ms \
                         with the same label: {e}",
                        req.target,
                        req.label,
                        policy.interval.as_millis()
                    );
                }
                let first = first_error.get_or_insert_with(|| e.clone()).clone();
                if !retry {
                    return Err(give_up(first, &e, attempts));
                }
                tokio::time::sleep(policy.interval).await;
                metrics.record_retry();
            }
        }
    }
}

fn give_up(first: SinkError, last: &SinkError, attempts: u32) -> SinkError {
    if attempts <= 1 {
        return first;
    }
    let mut message = format!("{} (gave up after {attempts} attempts", first.message());
    if last.message() != first.message() {
        message.push_str(&format!("; last error: {}", last.message()));
    }
    message.push(')');
    SinkError::new(first.kind(), message)
}

async fn attempt(client: &ServerClient, req: &LoadRequest<'_>) -> Attempt {
    let what = format!("Stream Load of {} (label {})", req.target, req.label);
    let mut headers = Vec::with_capacity(req.headers.len() + 2);
    headers.push(client.authorization());
    headers.push(("label".to_string(), req.label.to_string()));
    headers.extend(req.headers.iter().cloned());
    let http_req = Request {
        method: "PUT",
        path_and_query: format!(
            "/api/{}/{}/_stream_load",
            encode_segment(&req.target.database),
            encode_segment(&req.target.table)
        ),
        headers,
        body: req.body,
        expect_continue: true,
    };
    let resp = match client.send_to_fe(&http_req, client.data_timeouts()).await {
        Ok(r) => r,
        Err(e @ HttpError::Tls { .. }) => {
            return Attempt::Failed(Verdict::Fatal, transport_error(&what, e))
        }
        Err(e) => return Attempt::Failed(Verdict::Retryable, transport_error(&what, e)),
    };
    let answer = match answer_of(&resp, &what) {
        Ok(a) => a,
        Err(e) => {
            let verdict = if e.kind() == ErrorKind::Auth {
                Verdict::Fatal
            } else {
                Verdict::Retryable
            };
            return Attempt::Failed(verdict, e);
        }
    };
    let status = answer.status().unwrap_or_default();
    match status.as_str() {
        "Success" | "OK" | "Publish Timeout" => Attempt::Done(outcome(req.label, &answer, false)),
        "Label Already Exists" => label_exists(client, req, &answer, &what).await,
        _ => {
            let message = answer.message();
            let (verdict, kind) = classify_failure(&status, &message);
            let mut text = format!("{what} failed: {status}: {message}");
            if let Some(url) = answer.error_url() {
                let log = client.error_log(&url).await;
                text.push_str(&format!("; error log {url}: {log}"));
            }
            Attempt::Failed(verdict, SinkError::new(kind, text))
        }
    }
}

fn outcome(label: &str, a: &ServerAnswer, already_loaded: bool) -> LoadOutcome {
    LoadOutcome {
        label: label.to_string(),
        stats: if already_loaded {
            LoadStats::default()
        } else {
            a.load_stats()
        },
        attempts: 0,
        attempt_time: Duration::ZERO,
        already_loaded,
    }
}

/// `Label Already Exists`: FINISHED means an earlier attempt of this very load committed; RUNNING
/// means it is still in flight, so wait for its outcome (protocol §3.4).
async fn label_exists(
    client: &ServerClient,
    req: &LoadRequest<'_>,
    answer: &ServerAnswer,
    what: &str,
) -> Attempt {
    if answer
        .existing_job_status()
        .is_some_and(|s| s.eq_ignore_ascii_case("FINISHED"))
    {
        return Attempt::Done(outcome(req.label, answer, true));
    }
    let deadline = tokio::time::Instant::now() + client.load_deadline;
    let mut step = 0u64;
    loop {
        match client.load_state(&req.target.database, req.label).await {
            Ok(state) if state.is_committed() => {
                return Attempt::Done(outcome(req.label, &ServerAnswer::default(), true))
            }
            Ok(TxnState::Aborted) | Ok(TxnState::Unknown) => {
                return Attempt::Failed(
                    Verdict::Retryable,
                    SinkError::new(
                        ErrorKind::LoadFailed,
                        format!("{what}: an earlier attempt with this label did not commit"),
                    ),
                )
            }
            Ok(state) => {
                if tokio::time::Instant::now() >= deadline {
                    return Attempt::Failed(
                        Verdict::Retryable,
                        SinkError::new(
                            ErrorKind::Timeout,
                            format!(
                                "{what}: an earlier attempt with this label is still {} after {} s",
                                state.name(),
                                client.load_deadline.as_secs()
                            ),
                        ),
                    );
                }
            }
            Err(e) => return Attempt::Failed(Verdict::Retryable, e),
        }
        step = (step + 1).min(5);
        tokio::time::sleep(Duration::from_secs(step)).await;
    }
}
