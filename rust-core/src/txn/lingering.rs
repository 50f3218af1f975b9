//! Lingering-transaction clean-up when an exactly-once writer starts (upstream-features §2.11,
//! protocol §5.12).
//!
//! A crashed attempt may leave transactions PREPARE/PREPARED after the last completed checkpoint.
//! For each label space the writer inherits (from restored state, or its own fresh one) the labels
//! from the space's `next_id` on are probed with `get_load_state`: PREPARE/PREPARED are rolled back
//! (falling back to `_cancel`), ABORTED are skipped, COMMITTED/VISIBLE are reported (restoring from
//! an older checkpoint replays data committed after it), and the scan stops at the first UNKNOWN
//! label (`check_num < 0`) or after exactly `check_num` labels.
//!
//! Labels below `next_id` are never touched: they belong to committables that the committer
//! re-commits.

use std::collections::HashMap;

use super::label::LabelSpace;
use crate::error::{ErrorKind, Result, SinkError};
use crate::load::client::ServerClient;
use crate::load::state::TxnState;
use crate::load::stream_load::LoadTarget;
use crate::load::transaction::{rollback, Txn};

/// Upper bound of labels probed per space when scanning to the first unused one.
pub const MAX_SCAN: u64 = 100_000;

/// What the clean-up did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CleanupReport {
    pub aborted: Vec<String>,
    /// Labels found COMMITTED/VISIBLE at or after a space's next id.
    pub already_committed: Vec<String>,
    /// First unused id found per (prefix, database, table, subtask).
    pub first_unused: HashMap<(String, String, String, u32), u64>,
}

/// Probes and cleans `spaces`. `check_num` as `sink.exactly-once.check-num-lingering-txn`.
pub async fn clean(
    client: &ServerClient,
    spaces: &[LabelSpace],
    check_num: i64,
) -> Result<CleanupReport> {
    let mut report = CleanupReport::default();
    for space in spaces {
        let mut id = space.next_id;
        let mut probed = 0u64;
        loop {
            if check_num >= 0 && probed >= check_num as u64 {
                break;
            }
            if probed >= MAX_SCAN {
                return Err(SinkError::new(
                    ErrorKind::LoadFailed,
                    format!(
                        "lingering-transaction scan of {}-{}-{}-* found {MAX_SCAN} used labels \
                         after id {}; set 'sink.exactly-once.check-num-lingering-txn' or a new \
                         'sink.label-prefix'",
                        space.prefix, space.table, space.subtask, space.next_id
                    ),
                ));
            }
            let label = space.label(id);
            let state = client.load_state(&space.database, &label).await?;
            match state {
                TxnState::Unknown if check_num < 0 => break,
                TxnState::Unknown | TxnState::Aborted => {}
                TxnState::Prepare | TxnState::Prepared => {
                    let txn = Txn {
                        target: LoadTarget {
                            database: space.database.clone(),
                            table: space.table.clone(),
                        },
                        label: label.clone(),
                    };
                    rollback(client, &txn).await?;
                    tracing::info!("aborted lingering {txn} (was {})", state.name());
                    report.aborted.push(label);
                }
                TxnState::Committed | TxnState::Visible => {
                    tracing::warn!(
                        "label {label} of {}.{} is already {} although it comes after the \
                         restored checkpoint: the job was restored from an older checkpoint or \
                         savepoint, so data committed after it will be loaded again",
                        space.database,
                        space.table,
                        state.name()
                    );
                    report.already_committed.push(label);
                }
            }
            id += 1;
            probed += 1;
        }
        report.first_unused.insert(
            (
                space.prefix.clone(),
                space.database.clone(),
                space.table.clone(),
                space.subtask,
            ),
            id,
        );
    }
    Ok(report)
}
