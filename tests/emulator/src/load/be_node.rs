//! The BE node a request runs on and what every BE handler shares: its per-BE state, the fault
//! rule for the request, error-log URLs, the request log, immediate answers, and the outcome a
//! handler hands back to the connection loop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::fault_plan::FaultPlan;
use crate::backends::Backend;
use crate::faults::{FaultAction, FaultPoint, NodeKind, Operation};
use crate::http::conn::Conn;
use crate::http::request::RequestHead;
use crate::http::response::Response;
use crate::http::Next;
use crate::state::{RequestRecord, Shared};
use crate::txn::TxnId;

/// What the connection does after a request.
#[derive(Debug, Clone, Copy)]
pub struct LoadOutcome {
    pub next: Next,
}

pub fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The BE node handling the request.
pub struct BeNode {
    pub shared: Arc<Shared>,
    /// Index of this BE (into `Shared::backends` and `be_addrs`).
    pub index: usize,
    /// Node name in the request log (`be0`, `be1`, ...).
    pub name: String,
    /// Address handed out in `ErrorURL`.
    pub advertised: SocketAddr,
}

impl BeNode {
    pub fn backend(&self) -> &Backend {
        &self.shared.backends[self.index]
    }

    pub fn abort(&self, txn_id: TxnId, reason: &str) {
        let _ = self.shared.abort_txn(txn_id, reason);
    }

    /// The fault rule firing for this request, if any.
    pub fn fault(&self, op: Operation, table: Option<&str>, label: Option<&str>) -> FaultPlan {
        let action: Option<FaultAction> = self.shared.check_fault(&FaultPoint {
            node: NodeKind::Be(self.index),
            op,
            table,
            label,
        });
        FaultPlan::from_action(action)
    }

    /// Stores an error log of rejected rows; returns its URL.
    pub fn error_url(&self, lines: &[String]) -> String {
        let (a, b) = uuid::Uuid::new_v4().as_u64_pair();
        let name = format!("error_log_{a:016x}_{b:016x}");
        let mut content = lines.join("\n");
        content.push('\n');
        self.shared.store_error_log(&name, content);
        format!(
            "{}://{}/api/_load_error_log?file={name}",
            self.shared.scheme(),
            self.advertised
        )
    }
    pub fn record(
        &self,
        head: &RequestHead,
        label: &str,
        status: u16,
        result: Option<&str>,
        bytes: u64,
    ) {
        self.shared.record_request(RequestRecord::of(
            &self.name,
            head,
            Some(label.to_string()).filter(|l| !l.is_empty()),
            status,
            result,
            bytes,
        ));
    }
    /// Answers an injected HTTP error or header-phase failure (body not read).
    pub async fn answer_now(
        &self,
        conn: &mut Conn,
        head: &RequestHead,
        label: &str,
        response: Response,
    ) -> LoadOutcome {
        self.record(head, label, response.status, None, 0);
        let written = conn.respond(&response, true, false).await.is_ok();
        LoadOutcome {
            next: if written { Next::Close } else { Next::Drop },
        }
    }
}
