//! Commits prepared transactions (the committer side of exactly-once): synchronous towards Java,
//! idempotent by label, bounded retries of transient failures, and a loud error when the
//! transaction cannot be committed any more (never logged and swallowed).

use std::time::Duration;

use crate::error::{ErrorKind, Result, SinkError};
use crate::load::client::ServerClient;
use crate::load::stream_load::LoadTarget;
use crate::load::transaction::{self, Commit, Txn};
use crate::options::SinkOptions;

pub struct TransactionCommitter {
    client: ServerClient,
    runtime: tokio::runtime::Runtime,
    max_retries: u32,
    retry_interval: Duration,
    commit_headers: Vec<(String, String)>,
}

impl TransactionCommitter {
    pub fn new(opts: &SinkOptions) -> Result<TransactionCommitter> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                SinkError::new(ErrorKind::Internal, format!("cannot start a runtime: {e}"))
            })?;
        Ok(TransactionCommitter {
            client: ServerClient::new(opts),
            runtime,
            max_retries: opts.max_retries,
            retry_interval: opts.retry_interval,
            commit_headers: opts.commit_headers(),
        })
    }

    fn txn(database: &str, table: &str, label: &str) -> Txn {
        Txn {
            target: LoadTarget {
                database: database.to_string(),
                table: table.to_string(),
            },
            label: label.to_string(),
        }
    }

    /// Commits one prepared transaction. Retries connection problems and transactions that are
    /// still moving; an ABORTED or unknown transaction is an error at once.
    pub fn commit(&self, database: &str, table: &str, label: &str) -> Result<Commit> {
        let txn = Self::txn(database, table, label);
        self.runtime.block_on(async {
            let mut attempt = 0;
            loop {
                attempt += 1;
                match transaction::commit(&self.client, &txn, &self.commit_headers).await {
                    Ok(c) => return Ok(c),
                    Err(e) if retryable(&e) && attempt <= self.max_retries => {
                        tracing::warn!(
                            "commit attempt {attempt} of {txn} failed, retrying in {} ms: {e}",
                            self.retry_interval.as_millis()
                        );
                        tokio::time::sleep(self.retry_interval).await;
                    }
                    Err(e) if attempt > 1 => {
                        return Err(SinkError::new(
                            e.kind(),
                            format!("{} (after {attempt} attempts)", e.message()),
                        ))
                    }
                    Err(e) => return Err(e),
                }
            }
        })
    }

    /// Rolls back one transaction (PREPARE or PREPARED); done when it is ABORTED or unknown.
    pub fn abort(&self, database: &str, table: &str, label: &str) -> Result<()> {
        let txn = Self::txn(database, table, label);
        self.runtime
            .block_on(transaction::rollback(&self.client, &txn))
    }
}

fn retryable(e: &SinkError) -> bool {
    matches!(e.kind(), ErrorKind::Connection | ErrorKind::Timeout)
        || e.message().contains("(the transaction is still")
}
