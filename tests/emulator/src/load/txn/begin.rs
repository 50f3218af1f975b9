//! BE `begin` (spec §5.4): refuses `transaction_type` (multi-table begins belong to the FE),
//! answers `LABEL_ALREADY_EXISTS` with an empty `ExistingJobStatus` when this BE already holds a
//! context for the label (without asking the FE), parses `timeout` and
//! `idle_transaction_timeout`, then begins through the FE's checks and creates the context.

use std::time::{Duration, Instant};

use super::context::{ContextKey, TxnContext};
use super::reply::{TxnReply, INTERNAL_ERROR, INVALID_ARGUMENT, LABEL_ALREADY_EXISTS, OK};
use super::MULTI_ON_BE;
use crate::auth::parse_basic;
use crate::http::request::RequestHead;
use crate::load::be_node::{ms, BeNode};
use crate::load::begin::{begin_txn, BeginError};
use crate::load::fault_plan::Modifiers;
use crate::load::params::DEFAULT_TIMEOUT_SECS;
use crate::txn::TxnKind;

fn seconds(head: &RequestHead, name: &str) -> Result<Option<u64>, TxnReply> {
    match head.non_empty_header(name) {
        None => Ok(None),
        Some(v) => v
            .parse::<u64>()
            .map(Some)
            .map_err(|_| TxnReply::error(INVALID_ARGUMENT, "Invalid timeout format")),
    }
}

impl BeNode {
    pub fn txn_begin(
        &self,
        head: &RequestHead,
        label: &str,
        peer_ip: &str,
        modifiers: &Modifiers,
    ) -> TxnReply {
        if head.header("transaction_type").is_some() {
            return TxnReply::error(INVALID_ARGUMENT, MULTI_ON_BE);
        }
        if label.is_empty() {
            return TxnReply::error(INVALID_ARGUMENT, "empty label");
        }
        let key = ContextKey::classic(label);
        if self.backend().contexts().contains(&key) {
            return TxnReply::error(LABEL_ALREADY_EXISTS, "")
                .opt_str("ExistingJobStatus", Some(""));
        }
        let timeout = match seconds(head, "timeout") {
            Ok(t) => t.unwrap_or(DEFAULT_TIMEOUT_SECS),
            Err(reply) => return reply,
        };
        let idle = match seconds(head, "idle_transaction_timeout") {
            Ok(t) => t.filter(|&s| s > 0).map(Duration::from_secs),
            Err(reply) => return reply,
        };
        let Some(credentials) = parse_basic(head.header("authorization")) else {
            return TxnReply::error(INTERNAL_ERROR, "no valid Basic authorization");
        };
        if let Some(failure) = &modifiers.fail_late {
            let status = failure.status.as_deref().unwrap_or(INTERNAL_ERROR);
            return TxnReply::error(status, &failure.message);
        }
        let db = head.non_empty_header("db").unwrap_or("");
        let table = head.non_empty_header("table").unwrap_or("");
        let started = Instant::now();
        let begun = {
            let mut state = self.shared.state();
            let result = begin_txn(
                &self.shared,
                &mut state,
                peer_ip,
                &credentials,
                db,
                table,
                label,
                TxnKind::Transaction,
                timeout,
            );
            if let Ok((id, _)) = &result {
                state.txns.set_coordinator(*id, self.index);
            }
            result
        };
        let (txn_id, schema) = match begun {
            Ok(v) => v,
            Err(BeginError::LabelExists(message, existing)) => {
                return TxnReply::error(LABEL_ALREADY_EXISTS, &message)
                    .opt_str("ExistingJobStatus", Some(existing))
            }
            Err(BeginError::Other(message)) => return TxnReply::error(INTERNAL_ERROR, &message),
        };
        let ctx = TxnContext::new(
            txn_id,
            db,
            table,
            label,
            schema,
            Duration::from_secs(timeout),
            idle,
            started,
        );
        self.backend().contexts().insert(key, ctx);
        self.shared.notify_changed();
        TxnReply::ok(OK, "", label, Some(txn_id)).int("BeginTxnTimeMs", ms(started.elapsed()))
    }
}
