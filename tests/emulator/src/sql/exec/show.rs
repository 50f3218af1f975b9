//! `SHOW DATABASES`, `SHOW [FULL] TABLES`, `SHOW [FULL] COLUMNS` / `DESC`, `SHOW CREATE TABLE`,
//! `SHOW ALTER TABLE COLUMN` (the jobs the catalog polls after an `ALTER`, in their current state:
//! `WAITING_TXN`, `RUNNING`, `FINISHED` or `CANCELLED`, see `txn::schema_change`; reading them
//! moves them on first), `SHOW VARIABLES`, and `SHOW WARNINGS` /
//! `SHOW ERRORS` (always empty: the emulator raises errors instead of warnings).

use std::time::Instant;

use super::relation::{apply_filter, apply_where};
use super::{info_schema, resolve_database, show_create, type_info, variables};
use crate::sql::ast::{Condition, ObjectName, Show};
use crate::sql::error::SqlError;
use crate::sql::{QueryResult, ResultColumn, Session};
use crate::state::{Shared, State};
use crate::storage::schema::TableSchema;
use crate::types::ColumnType;

const NAME: ColumnType = ColumnType::Varchar(64);
const TEXT: ColumnType = ColumnType::Varchar(1024);

fn listing(
    header: &str,
    names: Vec<String>,
    like: &Option<String>,
) -> Result<QueryResult, SqlError> {
    let mut result = QueryResult {
        columns: vec![ResultColumn::new(header, NAME)],
        rows: names.into_iter().map(|n| vec![Some(n)]).collect(),
    };
    if let Some(pattern) = like {
        apply_where(
            &mut result,
            &[Condition::Like {
                column: header.to_string(),
                pattern: pattern.clone(),
                negated: false,
            }],
        )?;
    }
    Ok(result)
}

fn schema_of(
    state: &State,
    session: &Session,
    name: &ObjectName,
) -> Result<std::sync::Arc<TableSchema>, SqlError> {
    let db = resolve_database(session, name)?;
    if info_schema::is_information_schema(&db) {
        return Err(SqlError::not_supported(
            "DESC/SHOW on information_schema tables",
        ));
    }
    if !state.catalog.has_database(&db) {
        return Err(SqlError::unknown_database(&db));
    }
    state
        .catalog
        .table(&db, &name.name)
        .map(|t| t.schema().clone())
        .ok_or_else(|| SqlError::unknown_table(&db, &name.name))
}

pub fn run(shared: &Shared, session: &Session, show: &Show) -> Result<QueryResult, SqlError> {
    let mut state = shared.state();
    match show {
        Show::Databases { like } => listing(
            "Database",
            info_schema::database_names(&state.catalog),
            like,
        ),
        Show::Tables {
            database,
            full,
            like,
        } => {
            let db = match database.clone().or_else(|| session.database.clone()) {
                Some(db) => db,
                None => return Err(SqlError::no_database_selected()),
            };
            let names = if info_schema::is_information_schema(&db) {
                info_schema::TABLES.iter().map(|t| t.to_string()).collect()
            } else {
                state
                    .catalog
                    .table_names(&db)
                    .ok_or_else(|| SqlError::unknown_database(&db))?
            };
            let mut result = listing(&format!("Tables_in_{db}"), names, like)?;
            if *full {
                result.columns.push(ResultColumn::new("Table_type", NAME));
                for row in &mut result.rows {
                    row.push(Some("BASE TABLE".to_string()));
                }
            }
            Ok(result)
        }
        Show::Columns { table, full, like } => {
            let schema = schema_of(&state, session, table)?;
            let mut result = describe(&schema, *full);
            if let Some(pattern) = like {
                apply_where(
                    &mut result,
                    &[Condition::Like {
                        column: "Field".to_string(),
                        pattern: pattern.clone(),
                        negated: false,
                    }],
                )?;
            }
            Ok(result)
        }
        Show::CreateTable(name) => {
            let schema = schema_of(&state, session, name)?;
            Ok(QueryResult {
                columns: vec![
                    ResultColumn::new("Table", NAME),
                    ResultColumn::new("Create Table", ColumnType::Varchar(65533)),
                ],
                rows: vec![vec![
                    Some(schema.name.clone()),
                    Some(show_create::render(&schema)),
                ]],
            })
        }
        Show::AlterTableColumn { database, filter } => {
            let db = match database.clone().or_else(|| session.database.clone()) {
                Some(db) => db,
                None => return Err(SqlError::no_database_selected()),
            };
            state.advance_schema_changes(Instant::now());
            let jobs = state
                .catalog
                .alter_jobs(&db)
                .ok_or_else(|| SqlError::unknown_database(&db))?;
            let mut result = QueryResult {
                columns: [
                    ("JobId", ColumnType::BigInt),
                    ("TableName", NAME),
                    ("CreateTime", ColumnType::DateTime),
                    ("FinishTime", ColumnType::DateTime),
                    ("IndexName", NAME),
                    ("IndexId", ColumnType::BigInt),
                    ("OriginIndexId", ColumnType::BigInt),
                    ("SchemaVersion", NAME),
                    ("TransactionId", ColumnType::BigInt),
                    ("State", NAME),
                    ("Msg", TEXT),
                    ("Progress", NAME),
                    ("Timeout", ColumnType::BigInt),
                ]
                .iter()
                .map(|(n, t)| ResultColumn::new(n, t.clone()))
                .collect(),
                rows: jobs
                    .iter()
                    .map(|j| {
                        vec![
                            Some(j.job_id.to_string()),
                            Some(j.table.clone()),
                            Some(j.create_time.clone()),
                            j.finish_time.clone(),
                            Some(j.table.clone()),
                            Some((j.job_id + 1).to_string()),
                            Some((j.job_id + 2).to_string()),
                            Some(format!("{}:0", j.schema_version)),
                            Some(j.transaction_id.to_string()),
                            Some(j.state.name().to_string()),
                            Some(j.msg.clone()),
                            Some("NULL".to_string()),
                            Some(j.timeout_seconds.to_string()),
                        ]
                    })
                    .collect(),
            };
            apply_filter(&mut result, filter)?;
            Ok(result)
        }
        Show::Variables { like, names } => {
            Ok(variables::show(shared, session, like.as_deref(), names))
        }
        Show::Warnings | Show::Errors => Ok(QueryResult {
            columns: vec![
                ResultColumn::new("Level", NAME),
                ResultColumn::new("Code", ColumnType::BigInt),
                ResultColumn::new("Message", TEXT),
            ],
            rows: Vec::new(),
        }),
    }
}

/// `DESC t` / `SHOW COLUMNS FROM t` (`Field, Type, Null, Key, Default, Extra`; `Key` is
/// `true`/`false` as in StarRocks) and `SHOW FULL COLUMNS` (MySQL's nine columns, with
/// `Collation`, `Privileges` and `Comment`, which JDBC metadata calls read).
fn describe(schema: &TableSchema, full: bool) -> QueryResult {
    let names: &[&str] = if full {
        &[
            "Field",
            "Type",
            "Collation",
            "Null",
            "Key",
            "Default",
            "Extra",
            "Privileges",
            "Comment",
        ]
    } else {
        &["Field", "Type", "Null", "Key", "Default", "Extra"]
    };
    let columns = names
        .iter()
        .map(|n| {
            ResultColumn::new(
                n,
                if *n == "Default" || *n == "Comment" {
                    TEXT
                } else {
                    NAME
                },
            )
        })
        .collect();
    let rows = schema
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let text = type_info::data_type(&c.ty);
            let collation =
                (text == "varchar" || text == "char").then(|| "utf8_general_ci".to_string());
            let mut row = vec![Some(c.name.clone()), Some(type_info::sql_type(&c.ty))];
            if full {
                row.push(collation);
            }
            row.extend([
                Some(if c.nullable { "YES" } else { "NO" }.to_string()),
                Some((i < schema.key_count).to_string()),
                c.default.clone(),
                Some(String::new()),
            ]);
            if full {
                row.push(Some("select,insert,update,references".to_string()));
                row.push(Some(c.comment.clone()));
            }
            row
        })
        .collect();
    QueryResult { columns, rows }
}
