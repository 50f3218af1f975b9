//! The FE checks a BE asks for when it begins a transaction (spec §2.3 step 6, §3, §5.4): user,
//! database, table, timeout range, running-transaction quota, label format and use. Shared by
//! the plain Stream Load and the transaction interface's `begin`; also the filter-ratio rule.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::params::check_timeout_range;
use crate::auth::{access_denied_message, verify, Credentials};
use crate::labels::LabelError;
use crate::state::{Shared, State};
use crate::storage::schema::TableSchema;
use crate::txn::{TxnId, TxnKind};

/// How a begin was refused.
pub enum BeginError {
    /// Label in use: message and `ExistingJobStatus`.
    LabelExists(String, &'static str),
    Other(String),
}

/// The FE checks of a begin (spec §2.3 step 6, §5.4), under the state lock.
#[allow(clippy::too_many_arguments)]
pub fn begin_txn(
    shared: &Shared,
    state: &mut State,
    peer_ip: &str,
    user: &Credentials,
    db: &str,
    table: &str,
    label: &str,
    kind: TxnKind,
    timeout_secs: u64,
) -> Result<(TxnId, Arc<TableSchema>), BeginError> {
    let now = Instant::now();
    if !verify(&shared.config.users, user) {
        return Err(BeginError::Other(access_denied_message(
            &user.user, peer_ip,
        )));
    }
    if !state.catalog.has_database(db) {
        return Err(BeginError::Other(format!(
            "unknown database, database={db}"
        )));
    }
    if table.is_empty() {
        return Err(BeginError::Other(
            "Table name must be specified when calling /begin/transaction/ first time".to_string(),
        ));
    }
    let Some(schema) = state.catalog.table(db, table).map(|t| t.schema().clone()) else {
        return Err(BeginError::Other(format!("unknown table \"{db}.{table}\"")));
    };
    check_timeout_range(timeout_secs).map_err(BeginError::Other)?;
    let limit = shared.settings().max_running_txn_num_per_db;
    let running = state.txns.running_count(db);
    if limit > 0 && running >= limit {
        let db_id = 10_000
            + state
                .catalog
                .database_names()
                .iter()
                .position(|d| d == db)
                .unwrap_or(0);
        return Err(BeginError::Other(format!(
            "current running txns on db {db_id} is {running}, larger than limit {limit}"
        )));
    }
    match state.txns.begin(
        db,
        label,
        table,
        kind,
        Duration::from_secs(timeout_secs),
        now,
    ) {
        Ok(id) => Ok((id, schema)),
        Err(LabelError::Format(m)) => Err(BeginError::Other(m)),
        Err(LabelError::AlreadyExists {
            message,
            existing_job_status,
            ..
        }) => Err(BeginError::LabelExists(message, existing_job_status)),
    }
}

/// Whether the filtered rows exceed the ratio (spec §8.6).
pub fn too_many_filtered(c: &crate::data::sink::Counters, max_filter_ratio: f64) -> bool {
    let considered = c.total - c.unselected;
    c.filtered > 0 && considered > 0 && (c.filtered as f64 / considered as f64) > max_filter_ratio
}
