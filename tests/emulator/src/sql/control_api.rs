//! `POST /control/sql`: one statement in the body, run with a fresh session (no current
//! database, the first configured user). Answers `{"columns":[...],"rows":[[...]]}` (200) or
//! `{"error": "...", "code": 1146, "sqlstate": "42S02"}` (400). Statements without a result set
//! answer empty `columns` and `rows`.

use serde_json::{json, Value};

use super::{execute, ResultSet, Session};
use crate::state::Shared;

/// The user a control or library statement runs as.
pub fn library_session(shared: &Shared) -> Session {
    let user = shared
        .config
        .users
        .first()
        .map_or("root", |(u, _)| u.as_str());
    Session::new(user, "127.0.0.1", 0)
}

/// HTTP status and JSON body for one statement.
pub fn answer(shared: &Shared, body: &[u8]) -> (u16, Value) {
    let Ok(text) = std::str::from_utf8(body) else {
        return (400, json!({ "error": "the statement is not valid UTF-8" }));
    };
    let mut session = library_session(shared);
    match execute(shared, &mut session, text) {
        Ok(outcome) => {
            let result = ResultSet::from(outcome);
            (
                200,
                json!({ "columns": result.columns, "rows": result.rows }),
            )
        }
        Err(e) => (
            400,
            json!({ "error": e.message, "code": e.code, "sqlstate": e.sqlstate }),
        ),
    }
}
