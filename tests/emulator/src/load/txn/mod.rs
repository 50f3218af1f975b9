//! The BE side of the Transaction Stream Load interface (spec §5): `begin` (through the FE's
//! begin checks), `load` (PUT only; bodies appended to the transaction's pipeline), `prepare`,
//! one-phase `commit` and `rollback`, each answering in family B. The contexts live in
//! `context`; the FE side (routing, commit/rollback of PREPARED transactions, multi-table
//! transactions) is in `fe::transaction`.

pub mod begin;
pub mod context;
pub mod finish;
pub mod load_op;
pub mod reply;
pub mod rollback;

use crate::http::conn::Conn;
use crate::http::request::{BodyFraming, RequestHead};
use crate::http::response::Response;
use crate::http::Next;
use crate::load::be_node::{BeNode, LoadOutcome};
use crate::load::fault_plan::{FaultPlan, Modifiers};
use context::ContextKey;
use reply::{TxnReply, INVALID_ARGUMENT};

/// The message for `transaction_type` sent to a BE (spec §5.4).
pub const MULTI_ON_BE: &str =
    "Multi-statement transaction requests can only be sent to FE nodes, not BE nodes";

/// The context key a request names: (label, table) for multi-table loads, else the label.
pub fn context_key(head: &RequestHead, label: &str) -> ContextKey {
    let multi = head
        .header("transaction_type")
        .is_some_and(|t| t.eq_ignore_ascii_case("multi"));
    match (multi, head.non_empty_header("table")) {
        (true, Some(table)) => ContextKey::multi(label, table),
        _ => ContextKey::classic(label),
    }
}

impl BeNode {
    /// Writes a family-B answer (after the fault modifiers' delay), or withholds it.
    #[allow(clippy::too_many_arguments)]
    pub async fn txn_answer(
        &self,
        conn: &mut Conn,
        head: &RequestHead,
        label: &str,
        reply: &TxnReply,
        modifiers: &Modifiers,
        close: bool,
        bytes: u64,
    ) -> LoadOutcome {
        if let Some(delay) = modifiers.delay_response {
            tokio::time::sleep(delay).await;
        }
        if modifiers.drop_after {
            self.record(head, label, 0, Some(&reply.status), bytes);
            return LoadOutcome { next: Next::Drop };
        }
        self.record(head, label, 200, Some(&reply.status), bytes);
        let written = conn
            .respond(&Response::json(200, reply.to_json()), close, false)
            .await
            .is_ok();
        LoadOutcome {
            next: match (written, close) {
                (false, _) => Next::Drop,
                (true, true) => Next::Close,
                (true, false) => Next::KeepAlive,
            },
        }
    }

    /// Handles `/api/transaction/{op}` on this BE.
    pub async fn transaction(&self, conn: &mut Conn, head: &RequestHead, op: &str) -> LoadOutcome {
        let label = head.non_empty_header("label").unwrap_or("").to_string();
        let has_body = !matches!(head.framing(), Ok(BodyFraming::Length(0)));
        let no_body_close = has_body || !head.wants_keep_alive();
        let none = Modifiers::default();
        let fault_op = match (op, head.method.as_str()) {
            ("load", "PUT") => crate::faults::Operation::Load,
            (other, _) => match crate::faults::Operation::from_txn_op(other) {
                Some(o) if other != "load" => o,
                _ => {
                    let reply = TxnReply::error(
                        INVALID_ARGUMENT,
                        &format!("unsupport transaction operation {other}"),
                    );
                    return self
                        .txn_answer(conn, head, &label, &reply, &none, no_body_close, 0)
                        .await;
                }
            },
        };
        let table = head.non_empty_header("table");
        let modifiers = match self.fault(fault_op, table, Some(&label)) {
            FaultPlan::Proceed(m) => m,
            FaultPlan::HttpError { status, body } => {
                return self
                    .answer_now(conn, head, &label, Response::text(status, body))
                    .await
            }
            FaultPlan::FailNow(failure) => {
                let family = failure.family.unwrap_or(crate::faults::FailFamily::B);
                let body = crate::faults::render::failure_body(&failure, family, &label, -1);
                return self
                    .answer_now(conn, head, &label, Response::json(200, body))
                    .await;
            }
            FaultPlan::DropBefore => {
                self.record(head, &label, 0, None, 0);
                return LoadOutcome { next: Next::Drop };
            }
            FaultPlan::BeDown { for_ms } => {
                crate::backends::take_down(&self.shared, self.index, for_ms);
                self.record(head, &label, 0, None, 0);
                return LoadOutcome { next: Next::Drop };
            }
            FaultPlan::LoseContext => {
                self.backend().contexts().remove(&context_key(head, &label));
                Modifiers::default()
            }
        };
        if fault_op == crate::faults::Operation::Load {
            return self.txn_load(conn, head, &label, &modifiers).await;
        }
        let peer_ip = conn.peer().ip().to_string();
        let reply = match op {
            "begin" => self.txn_begin(head, &label, &peer_ip, &modifiers),
            "prepare" => self.txn_finish(head, &label, true, &modifiers).await,
            "commit" => self.txn_finish(head, &label, false, &modifiers).await,
            _ => self.txn_rollback(head, &label, &modifiers),
        };
        self.txn_answer(conn, head, &label, &reply, &modifiers, no_body_close, 0)
            .await
    }
}
