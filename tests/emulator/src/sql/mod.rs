//! The SQL subset the connector, its catalog and Flink CDC send over JDBC (spec §6.7), plus the
//! session statements drivers issue on connect and simple `SELECT`s for test checks. Answers
//! have StarRocks' shape: `current_version()`, `information_schema` tables, `SHOW ...` columns.
//!
//! `lexer` → `parser` → `ast` → `exec`. Everything outside the subset is refused with
//! `not supported by the emulator: <statement>`; nothing is silently ignored except session
//! settings that cannot change any answer (`SET NAMES`, isolation levels, ...).
//!
//! This module never touches the network: `mysql` (the wire protocol) and `control`
//! (`POST /control/sql`) call `execute` with a `Session`.

pub mod ast;
pub mod control_api;
pub mod error;
mod exec;
pub mod lexer;
pub mod parser;

use std::collections::BTreeMap;

use crate::state::Shared;
use crate::types::ColumnType;

pub use error::SqlError;
pub use exec::check_database;

/// A column of a result: its label and the StarRocks type its values have (decides the MySQL
/// wire type and how `WHERE`/`ORDER BY` compare values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultColumn {
    pub name: String,
    pub ty: ColumnType,
}

impl ResultColumn {
    pub fn new(name: &str, ty: ColumnType) -> ResultColumn {
        ResultColumn {
            name: name.to_string(),
            ty,
        }
    }
}

/// Rows with typed columns; values are canonical text, `None` = NULL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryResult {
    pub columns: Vec<ResultColumn>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// What a statement produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A result set.
    Rows(QueryResult),
    /// Success without a result set (DDL, `SET`, `USE`).
    Done { affected_rows: u64 },
}

/// The answer of `Emulator::sql` and `POST /control/sql`: column labels and rows as canonical
/// text (`None` = NULL). Statements without a result set give no columns and no rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl From<Outcome> for ResultSet {
    fn from(outcome: Outcome) -> ResultSet {
        match outcome {
            Outcome::Rows(r) => ResultSet {
                columns: r.columns.into_iter().map(|c| c.name).collect(),
                rows: r.rows,
            },
            Outcome::Done { .. } => ResultSet::default(),
        }
    }
}

/// Per-connection state statements can read or change.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    /// Client address as StarRocks shows it in `user()`.
    pub host: String,
    pub connection_id: u32,
    /// Current database (`USE`, `COM_INIT_DB`, the handshake).
    pub database: Option<String>,
    /// Session variables changed with `SET`, lower-case names.
    pub variables: BTreeMap<String, Option<String>>,
}

impl Session {
    pub fn new(user: &str, host: &str, connection_id: u32) -> Session {
        Session {
            user: user.to_string(),
            host: host.to_string(),
            connection_id,
            database: None,
            variables: BTreeMap::new(),
        }
    }
}

/// Parses and runs one statement.
pub fn execute(shared: &Shared, session: &mut Session, sql: &str) -> Result<Outcome, SqlError> {
    let statement = parser::parse(sql)?;
    exec::run(shared, session, statement, sql)
}
