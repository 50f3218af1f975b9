//! The family-A Stream Load result body (spec §2.4): every key always present, `TxnId` -1 when no
//! transaction was begun, `ExistingJobStatus` only with `Label Already Exists`, `ErrorURL` only
//! when an error log exists. Pretty-printed like the BE's JSON writer.

use crate::data::sink::Counters;
use crate::json_out::JsonObject;

pub const STATUS_SUCCESS: &str = "Success";
pub const STATUS_FAIL: &str = "Fail";
pub const STATUS_LABEL_EXISTS: &str = "Label Already Exists";
pub const STATUS_PUBLISH_TIMEOUT: &str = "Publish Timeout";
/// The BE's message with `Publish Timeout` [inf].
pub const PUBLISH_TIMEOUT_MESSAGE: &str =
    "transaction commit successfully, BUT data will be visible later";

/// Timing figures of a load, milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub load_ms: i64,
    pub begin_txn_ms: i64,
    pub plan_ms: i64,
    pub read_data_ms: i64,
    pub write_data_ms: i64,
    pub commit_and_publish_ms: i64,
}

/// A stream load outcome.
#[derive(Debug, Clone)]
pub struct LoadResult {
    pub txn_id: i64,
    pub label: String,
    pub status: String,
    pub message: String,
    pub existing_job_status: Option<&'static str>,
    pub counters: Counters,
    pub load_bytes: u64,
    pub timings: Timings,
    pub error_url: Option<String>,
}

impl LoadResult {
    /// A failure before or without data (`TxnId` as given, counters zero).
    pub fn fail(txn_id: i64, label: &str, message: impl Into<String>) -> LoadResult {
        LoadResult {
            txn_id,
            label: label.to_string(),
            status: STATUS_FAIL.to_string(),
            message: message.into(),
            existing_job_status: None,
            counters: Counters::default(),
            load_bytes: 0,
            timings: Timings::default(),
            error_url: None,
        }
    }

    pub fn to_json(&self) -> String {
        let c = self.counters;
        let t = self.timings;
        let mut obj = JsonObject::new()
            .int("TxnId", self.txn_id)
            .str("Label", &self.label)
            .str("Status", &self.status);
        if let Some(existing) = self.existing_job_status {
            obj = obj.str("ExistingJobStatus", existing);
        }
        obj.str("Message", &self.message)
            .int("NumberTotalRows", c.total as i64)
            .int("NumberLoadedRows", c.loaded as i64)
            .int("NumberFilteredRows", c.filtered as i64)
            .int("NumberUnselectedRows", c.unselected as i64)
            .int("LoadBytes", self.load_bytes as i64)
            .int("LoadTimeMs", t.load_ms)
            .int("BeginTxnTimeMs", t.begin_txn_ms)
            .int("StreamLoadPlanTimeMs", t.plan_ms)
            .int("ReadDataTimeMs", t.read_data_ms)
            .int("WriteDataTimeMs", t.write_data_ms)
            .int("CommitAndPublishTimeMs", t.commit_and_publish_ms)
            .opt_str("ErrorURL", self.error_url.as_deref())
            .pretty()
    }
}
