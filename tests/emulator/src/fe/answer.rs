//! What an FE handler produces, and the FE's response bodies: family C (`TransactionResult`,
//! pretty, exceptions as `class com.starrocks.common.StarRocksException: <text>`) and family D
//! (`RestBaseResult`, compact), plus the 307 redirect to a BE.

use crate::http::request::RequestHead;
use crate::http::response::Response;
use crate::json_out::JsonObject;
use crate::state::Shared;

/// The Java exception class FE transaction errors are rendered with (spec §1.6).
pub const EXCEPTION: &str = "class com.starrocks.common.StarRocksException: ";

/// An FE answer.
pub struct FeAnswer {
    pub response: Response,
    /// Close the connection after answering.
    pub close: bool,
    /// The BE a 307 points to (for the BE-down fault).
    pub redirect_be: Option<usize>,
}

impl FeAnswer {
    pub fn new(response: Response) -> FeAnswer {
        FeAnswer {
            response,
            close: false,
            redirect_be: None,
        }
    }
}

/// Family C failure of an FE-side exception.
pub fn txn_failed(message: &str) -> FeAnswer {
    FeAnswer::new(Response::json(
        200,
        JsonObject::new()
            .str("Status", "FAILED")
            .str("Message", &format!("{EXCEPTION}{message}"))
            .pretty(),
    ))
}

/// Family C success: `Status`, `Message`, then the entries.
pub fn txn_ok(message: &str, entries: JsonObject) -> FeAnswer {
    let mut body = JsonObject::new()
        .str("Status", "OK")
        .str("Message", message);
    body = body.extend(entries);
    FeAnswer::new(Response::json(200, body.pretty()))
}

/// Family D (`RestBaseResult`) failure.
pub fn rest_failed(message: &str) -> String {
    JsonObject::new()
        .str("status", "FAILED")
        .str("code", "1")
        .str("msg", message)
        .str("message", message)
        .compact()
}

/// Family D success, with extra members first.
pub fn rest_ok(extra: JsonObject) -> String {
    extra
        .str("status", "OK")
        .str("code", "0")
        .str("msg", "Success")
        .str("message", "OK")
        .compact()
}

/// 307 to BE `index`, path and query copied verbatim (spec §1.3).
pub fn redirect(shared: &Shared, index: usize, head: &RequestHead) -> FeAnswer {
    let be = shared.be_addrs[index];
    let scheme = shared.scheme();
    let location = match &head.query {
        Some(q) => format!("{scheme}://{be}{}?{q}", head.path),
        None => format!("{scheme}://{be}{}", head.path),
    };
    FeAnswer {
        response: Response::new(307).header("Location", &location),
        close: false,
        redirect_be: Some(index),
    }
}
