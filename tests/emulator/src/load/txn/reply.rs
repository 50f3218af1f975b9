//! Family-B answers of the BE's `/api/transaction/*` (spec §1.6 B, §5.4-5.8): `Status` is a
//! TStatusCode name; successes carry `Label`/`TxnId` and the op's figures, errors carry only
//! `Status` and `Message` (plus `Label` for `TXN_IN_PROCESSING`, `ErrorURL` when one exists).
//! Pretty-printed like the BE's JSON writer.

use crate::data::sink::Counters;
use crate::json_out::JsonObject;

pub const OK: &str = "OK";
pub const LABEL_ALREADY_EXISTS: &str = "LABEL_ALREADY_EXISTS";
pub const TXN_NOT_EXISTS: &str = "TXN_NOT_EXISTS";
pub const TXN_IN_PROCESSING: &str = "TXN_IN_PROCESSING";
pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
pub const INVALID_ARGUMENT: &str = "INVALID_ARGUMENT";
pub const ABORTED: &str = "ABORTED";
pub const PUBLISH_TIMEOUT: &str = "PUBLISH_TIMEOUT";

/// A family-B body under construction.
#[derive(Debug, Clone)]
pub struct TxnReply {
    pub status: String,
    body: JsonObject,
}

impl TxnReply {
    /// An error: `Status` and `Message` only.
    pub fn error(status: &str, message: &str) -> TxnReply {
        TxnReply {
            status: status.to_string(),
            body: JsonObject::new()
                .str("Status", status)
                .str("Message", message),
        }
    }

    /// `TXN_NOT_EXISTS` for a label without a context on this BE.
    pub fn not_exists(label: &str) -> TxnReply {
        TxnReply::error(
            TXN_NOT_EXISTS,
            &format!("Transaction with label {label} not exists"),
        )
    }

    /// `TXN_IN_PROCESSING` (the only error that names the label).
    pub fn in_processing(label: &str, message: &str) -> TxnReply {
        TxnReply {
            status: TXN_IN_PROCESSING.to_string(),
            body: JsonObject::new()
                .str("Status", TXN_IN_PROCESSING)
                .str("Label", label)
                .str("Message", message),
        }
    }

    /// A success (or publish timeout) naming the label and, when known, the transaction.
    pub fn ok(status: &str, message: &str, label: &str, txn_id: Option<i64>) -> TxnReply {
        let mut body = JsonObject::new()
            .str("Status", status)
            .str("Message", message)
            .str("Label", label);
        if let Some(id) = txn_id {
            body = body.int("TxnId", id);
        }
        TxnReply {
            status: status.to_string(),
            body,
        }
    }

    pub fn int(mut self, key: &str, value: i64) -> TxnReply {
        self.body = self.body.int(key, value);
        self
    }

    pub fn opt_str(mut self, key: &str, value: Option<&str>) -> TxnReply {
        self.body = self.body.opt_str(key, value);
        self
    }

    /// The row counters and timings of prepare/commit.
    pub fn figures(self, c: &Counters, load_bytes: u64, timings: [i64; 5]) -> TxnReply {
        let [load, plan, received, write, commit] = timings;
        self.int("NumberTotalRows", c.total as i64)
            .int("NumberLoadedRows", c.loaded as i64)
            .int("NumberFilteredRows", c.filtered as i64)
            .int("NumberUnselectedRows", c.unselected as i64)
            .int("LoadBytes", load_bytes as i64)
            .int("LoadTimeMs", load)
            .int("StreamLoadPlanTimeMs", plan)
            .int("ReceivedDataTimeMs", received)
            .int("WriteDataTimeMs", write)
            .int("CommitAndPublishTimeMs", commit)
    }

    pub fn to_json(&self) -> String {
        self.body.pretty()
    }
}
