//! BE `rollback` (spec §5.8) of a transaction still in PREPARE: aborts it with reason
//! `transaction is aborted by user.` and drops the context (a load in flight is cancelled with
//! it). No context → `TXN_NOT_EXISTS` (e.g. after a BE restart, while the FE still shows
//! PREPARE until the timeout).

use super::context::{ContextKey, Take};
use super::reply::{TxnReply, INTERNAL_ERROR, INVALID_ARGUMENT, OK};
use super::MULTI_ON_BE;
use crate::http::request::RequestHead;
use crate::load::be_node::BeNode;
use crate::load::fault_plan::Modifiers;

/// Abort reason of a BE rollback.
pub const REASON_USER_ROLLBACK: &str = "transaction is aborted by user.";

impl BeNode {
    pub fn txn_rollback(&self, head: &RequestHead, label: &str, modifiers: &Modifiers) -> TxnReply {
        if head.header("transaction_type").is_some() {
            return TxnReply::error(INVALID_ARGUMENT, MULTI_ON_BE);
        }
        if label.is_empty() {
            return TxnReply::error(INVALID_ARGUMENT, "empty label");
        }
        if let Some(failure) = &modifiers.fail_late {
            let status = failure.status.as_deref().unwrap_or(INTERNAL_ERROR);
            return TxnReply::error(status, &failure.message);
        }
        let key = ContextKey::classic(label);
        let taken = self.backend().contexts().take(&key);
        let txn_id = match taken {
            Take::Missing => return TxnReply::not_exists(label),
            Take::Busy => {
                // The load in flight is cancelled: its context is dropped when it finishes.
                let id = self
                    .shared
                    .state()
                    .txns
                    .label_txn(
                        head.non_empty_header("db").unwrap_or(""),
                        label,
                        std::time::Instant::now(),
                    )
                    .map(|t| t.id);
                self.backend().contexts().remove(&key);
                match id {
                    Some(id) => id,
                    None => return TxnReply::ok(OK, "", label, None),
                }
            }
            Take::Taken(ctx) => {
                let db = head.non_empty_header("db").unwrap_or("");
                if db != ctx.db {
                    let m = format!("request db {db} transaction db {} not match", ctx.db);
                    self.backend().contexts().put_back(&key, ctx);
                    return TxnReply::error(INVALID_ARGUMENT, &m);
                }
                self.backend().contexts().remove(&key);
                ctx.txn_id
            }
        };
        self.abort(txn_id, REASON_USER_ROLLBACK);
        TxnReply::ok(OK, "", label, None)
    }
}
