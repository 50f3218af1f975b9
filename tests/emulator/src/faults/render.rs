//! Bodies of injected failures in each response family (spec §1.6), for the families a node
//! does not build itself: B (BE transaction op), C (FE transaction result), D (FE REST result).
//! Family A bodies are built by the Stream Load code, which knows the counters.

use super::action::{FailFamily, Failure};
use crate::json_out::JsonObject;

/// The JSON body of a failure in `family`.
pub fn failure_body(failure: &Failure, family: FailFamily, label: &str, txn_id: i64) -> String {
    let status = failure.status.as_deref();
    match family {
        FailFamily::A => JsonObject::new()
            .int("TxnId", txn_id)
            .str("Label", label)
            .str("Status", status.unwrap_or("Fail"))
            .str("Message", &failure.message)
            .int("NumberTotalRows", 0)
            .int("NumberLoadedRows", 0)
            .int("NumberFilteredRows", 0)
            .int("NumberUnselectedRows", 0)
            .int("LoadBytes", 0)
            .int("LoadTimeMs", 0)
            .int("BeginTxnTimeMs", 0)
            .int("StreamLoadPlanTimeMs", 0)
            .int("ReadDataTimeMs", 0)
            .int("WriteDataTimeMs", 0)
            .int("CommitAndPublishTimeMs", 0)
            .pretty(),
        FailFamily::B => JsonObject::new()
            .str("Status", status.unwrap_or("INTERNAL_ERROR"))
            .str("Message", &failure.message)
            .pretty(),
        FailFamily::C => JsonObject::new()
            .str("Status", status.unwrap_or("FAILED"))
            .str("Message", &failure.message)
            .pretty(),
        FailFamily::D => JsonObject::new()
            .str("status", status.unwrap_or("FAILED"))
            .str("code", "1")
            .str("msg", &failure.message)
            .str("message", &failure.message)
            .compact(),
    }
}
