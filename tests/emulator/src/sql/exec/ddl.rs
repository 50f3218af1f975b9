//! DDL statements against the catalog: databases, `CREATE TABLE` (turned into the same
//! `TableSpec` the control API takes), `DROP`/`TRUNCATE TABLE` (they do not wait for loads; see
//! `storage::ddl`), and `ALTER TABLE` (parsed into `storage::alter` changes and run as a
//! schema-change job by `txn::schema_change`: it may wait for earlier loads and run for the
//! `alter_job_ms` setting). A `CREATE TABLE` without a key clause gets a DUPLICATE KEY on its
//! leading columns, like StarRocks: up to three columns, stopping after the first string column
//! or once the keys reach 36 bytes [inf: StarRocks' default sort-key rule, simplified].

use std::time::{Duration, Instant};

use super::{info_schema, resolve_database};
use crate::sql::ast::{
    AlterOp, ColumnDefinition, ColumnPosition, CreateTable, Distribution, ObjectName,
};
use crate::sql::error::SqlError;
use crate::sql::Session;
use crate::state::Shared;
use crate::storage::alter::{Position, SchemaChange};
use crate::storage::schema::{ColumnDef, ColumnSpec, KeyModel, TableSpec};
use crate::types::{ColumnType, StorageKind};

fn check_name(kind: &str, name: &str) -> Result<(), SqlError> {
    if name.is_empty() || name.len() > 256 {
        return Err(SqlError::invalid(format!("Incorrect {kind} name '{name}'")));
    }
    Ok(())
}

pub fn create_database(shared: &Shared, name: &str, if_not_exists: bool) -> Result<(), SqlError> {
    check_name("database", name)?;
    let mut state = shared.state();
    if info_schema::is_information_schema(name) || state.catalog.has_database(name) {
        return if if_not_exists {
            Ok(())
        } else {
            Err(SqlError::database_exists(name))
        };
    }
    state.catalog.create_database(name);
    Ok(())
}

pub fn drop_database(
    shared: &Shared,
    session: &mut Session,
    name: &str,
    if_exists: bool,
    force: bool,
) -> Result<(), SqlError> {
    if info_schema::is_information_schema(name) {
        return Err(SqlError::invalid(format!(
            "Access denied; you need (at least one of) the DROP privilege(s) on DATABASE {name}"
        )));
    }
    let dropped = shared
        .state()
        .drop_database(name, force)
        .map_err(SqlError::invalid)?;
    if !dropped && !if_exists {
        return Err(SqlError::cannot_drop_database(name));
    }
    if dropped && session.database.as_deref() == Some(name) {
        session.database = None;
    }
    Ok(())
}

fn column_spec(c: &ColumnDefinition) -> ColumnSpec {
    ColumnSpec {
        name: c.name.clone(),
        type_name: c.type_name.clone(),
        nullable: c.nullable,
        default: c.default.clone(),
        comment: c.comment.clone(),
    }
}

/// StarRocks' default DUPLICATE KEY when a table names none.
fn default_duplicate_keys(columns: &[ColumnDefinition]) -> Vec<String> {
    let mut keys = Vec::new();
    let mut bytes = 0usize;
    for c in columns {
        let Ok(ty) = ColumnType::parse(&c.type_name) else {
            break;
        };
        if !ty.can_be_key() {
            break;
        }
        keys.push(c.name.clone());
        bytes += match ty.storage() {
            StorageKind::Bytes => 36,
            StorageKind::Wide => 16,
            _ => 8,
        };
        if keys.len() == 3 || bytes >= 36 {
            break;
        }
    }
    if keys.is_empty() {
        if let Some(first) = columns.first() {
            keys.push(first.name.clone());
        }
    }
    keys
}

pub fn create_table(shared: &Shared, session: &Session, ct: &CreateTable) -> Result<(), SqlError> {
    let db = resolve_database(session, &ct.name)?;
    if info_schema::is_information_schema(&db) {
        return Err(SqlError::invalid(
            "Can not create tables in information_schema",
        ));
    }
    check_name("table", &ct.name.name)?;
    let (model, keys) = match &ct.key {
        Some((model, keys)) => (*model, keys.clone()),
        None => (KeyModel::Duplicate, default_duplicate_keys(&ct.columns)),
    };
    let distribution = match &ct.distribution {
        Some(Distribution::Hash(columns)) => columns.clone(),
        Some(Distribution::Random) if model != KeyModel::Duplicate => {
            return Err(SqlError::invalid(
                "RANDOM distribution is only supported by DUPLICATE KEY tables",
            ))
        }
        _ => Vec::new(),
    };
    let spec = TableSpec {
        database: db.clone(),
        table: ct.name.name.clone(),
        model,
        keys,
        columns: ct.columns.iter().map(column_spec).collect(),
        comment: ct.comment.clone(),
        distribution,
        buckets: ct.buckets,
        properties: ct.properties.iter().cloned().collect(),
    };
    let mut state = shared.state();
    if !state.catalog.has_database(&db) {
        return Err(SqlError::unknown_database(&db));
    }
    if state.catalog.table(&db, &spec.table).is_some() {
        return if ct.if_not_exists {
            Ok(())
        } else {
            Err(SqlError::table_exists(&spec.table))
        };
    }
    state.catalog.create_table(&spec).map_err(SqlError::invalid)
}

/// Checks database and table exist (errors 1049 / 1146), for DROP/TRUNCATE/ALTER.
fn existing_table(
    shared: &Shared,
    session: &Session,
    name: &ObjectName,
) -> Result<(String, bool), SqlError> {
    let db = resolve_database(session, name)?;
    if info_schema::is_information_schema(&db) {
        return Err(SqlError::invalid("information_schema tables are read-only"));
    }
    let state = shared.state();
    if !state.catalog.has_database(&db) {
        return Err(SqlError::unknown_database(&db));
    }
    let exists = state.catalog.table(&db, &name.name).is_some();
    Ok((db, exists))
}

pub fn drop_table(
    shared: &Shared,
    session: &Session,
    name: &ObjectName,
    if_exists: bool,
    force: bool,
) -> Result<(), SqlError> {
    let (db, _) = existing_table(shared, session, name)?;
    let dropped = shared
        .state()
        .drop_table(&db, &name.name, force)
        .map_err(SqlError::invalid)?;
    if !dropped && !if_exists {
        return Err(SqlError::unknown_table_to_drop(&db, &name.name));
    }
    Ok(())
}

pub fn truncate_table(
    shared: &Shared,
    session: &Session,
    name: &ObjectName,
) -> Result<(), SqlError> {
    let (db, _) = existing_table(shared, session, name)?;
    let truncated = shared
        .state()
        .truncate_table(&db, &name.name)
        .map_err(SqlError::invalid)?;
    if !truncated {
        return Err(SqlError::unknown_table(&db, &name.name));
    }
    Ok(())
}

fn column_def(c: &ColumnDefinition) -> Result<ColumnDef, SqlError> {
    ColumnDef::from_spec(&column_spec(c)).map_err(SqlError::invalid)
}

fn position(p: &Option<ColumnPosition>) -> Option<Position> {
    p.as_ref().map(|p| match p {
        ColumnPosition::First => Position::First,
        ColumnPosition::After(c) => Position::After(c.clone()),
    })
}

fn schema_change(op: &AlterOp) -> Result<Vec<SchemaChange>, SqlError> {
    Ok(match op {
        AlterOp::AddColumns {
            columns,
            position: p,
        } => {
            let mut changes = Vec::new();
            let mut after = position(p);
            for c in columns {
                let column = column_def(c)?;
                // Several columns with one position go in order, one after the other.
                let next = after.as_ref().map(|_| Position::After(column.name.clone()));
                changes.push(SchemaChange::AddColumn {
                    column,
                    position: after,
                });
                after = next;
            }
            changes
        }
        AlterOp::DropColumn(name) => vec![SchemaChange::DropColumn(name.clone())],
        AlterOp::RenameColumn { from, to } => vec![SchemaChange::RenameColumn {
            from: from.clone(),
            to: to.clone(),
        }],
        AlterOp::ModifyColumn {
            column,
            position: p,
        } => vec![SchemaChange::ModifyColumn {
            column: column_def(column)?,
            position: position(p),
        }],
        AlterOp::Comment(c) => vec![SchemaChange::Comment(c.clone())],
    })
}

pub fn alter_table(
    shared: &Shared,
    session: &Session,
    name: &ObjectName,
    ops: &[AlterOp],
) -> Result<(), SqlError> {
    let (db, exists) = existing_table(shared, session, name)?;
    if !exists {
        return Err(SqlError::unknown_table(&db, &name.name));
    }
    let mut changes = Vec::new();
    for op in ops {
        changes.extend(schema_change(op)?);
    }
    let running_for = Duration::from_millis(shared.settings().alter_job_ms);
    shared
        .state()
        .alter_table(&db, &name.name, &changes, running_for, Instant::now())
        .map_err(SqlError::invalid)?;
    // A running job ends at a deadline the sweeper must know.
    shared.sweeper_wake.notify_one();
    Ok(())
}
