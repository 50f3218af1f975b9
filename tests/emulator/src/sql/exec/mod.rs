//! Running parsed statements against the shared state. Each statement takes the state lock for
//! as long as it reads or changes the catalog, so a query sees one consistent catalog and a DDL
//! statement is atomic with respect to loads.

mod compare;
mod ddl;
mod functions;
mod info_schema;
mod relation;
mod select;
mod show;
mod show_create;
mod type_info;
mod variables;

use super::ast::{ObjectName, Statement};
use super::error::SqlError;
use super::{Outcome, Session};
use crate::state::Shared;

/// The database an object name refers to: its qualifier, else the session's current database.
pub fn resolve_database(session: &Session, name: &ObjectName) -> Result<String, SqlError> {
    name.database
        .clone()
        .or_else(|| session.database.clone())
        .ok_or_else(SqlError::no_database_selected)
}

/// Checks that a database exists (`USE`, `COM_INIT_DB`, the handshake's database).
pub fn check_database(shared: &Shared, db: &str) -> Result<(), SqlError> {
    if info_schema::is_information_schema(db) || shared.state().catalog.has_database(db) {
        Ok(())
    } else {
        Err(SqlError::unknown_database(db))
    }
}

const DONE: Outcome = Outcome::Done { affected_rows: 0 };

pub fn run(
    shared: &Shared,
    session: &mut Session,
    statement: Statement,
    sql: &str,
) -> Result<Outcome, SqlError> {
    match statement {
        Statement::Select(s) => select::run(shared, session, &s, sql).map(Outcome::Rows),
        Statement::Show(s) => show::run(shared, session, &s).map(Outcome::Rows),
        Statement::Set(items) => {
            variables::set(session, items);
            Ok(DONE)
        }
        Statement::Use(db) => {
            check_database(shared, &db)?;
            session.database = Some(db);
            Ok(DONE)
        }
        Statement::CreateDatabase {
            name,
            if_not_exists,
        } => ddl::create_database(shared, &name, if_not_exists).map(|_| DONE),
        Statement::DropDatabase {
            name,
            if_exists,
            force,
        } => ddl::drop_database(shared, session, &name, if_exists, force).map(|_| DONE),
        Statement::CreateTable(ct) => ddl::create_table(shared, session, &ct).map(|_| DONE),
        Statement::DropTable {
            name,
            if_exists,
            force,
        } => ddl::drop_table(shared, session, &name, if_exists, force).map(|_| DONE),
        Statement::TruncateTable(name) => ddl::truncate_table(shared, session, &name).map(|_| DONE),
        Statement::AlterTable { name, ops } => {
            ddl::alter_table(shared, session, &name, &ops).map(|_| DONE)
        }
        Statement::Transaction => Ok(DONE),
    }
}
