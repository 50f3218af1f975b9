//! The `information_schema` tables clients and the connector read: `SCHEMATA`, `TABLES` and
//! `COLUMNS`, built from the catalog on every query (so they are never stale) with StarRocks'
//! column lists. `COLUMN_KEY` is the first three letters of the table's key model for key
//! columns, as StarRocks' FE `describeTable` sets it: `PRI` (PRIMARY KEY), `UNI` (UNIQUE KEY),
//! `DUP` (DUPLICATE KEY); only `PRI` makes the connector treat a table as a primary-key table.
//! `IS_NULLABLE` and `COLUMN_DEFAULT` carry the real nullability and default (some StarRocks
//! versions answer the constants `NO`/NULL here; the emulator answers what MySQL defines).

use super::type_info;
use crate::sql::error::SqlError;
use crate::sql::{QueryResult, ResultColumn};
use crate::storage::schema::{KeyModel, TableSchema};
use crate::storage::Catalog;
use crate::types::ColumnType;

/// The name StarRocks (and MySQL) give the virtual database.
pub const DATABASE: &str = "information_schema";

/// Virtual tables, as `SHOW TABLES FROM information_schema` lists them.
pub const TABLES: [&str; 3] = ["COLUMNS", "SCHEMATA", "TABLES"];

const NAME: ColumnType = ColumnType::Varchar(64);
const TEXT: ColumnType = ColumnType::Varchar(1024);
const NUMBER: ColumnType = ColumnType::BigInt;

pub fn is_information_schema(db: &str) -> bool {
    db.eq_ignore_ascii_case(DATABASE)
}

/// All databases a client sees: `information_schema` first, then the catalog's, sorted.
pub fn database_names(catalog: &Catalog) -> Vec<String> {
    let mut names = vec![DATABASE.to_string()];
    names.extend(catalog.database_names());
    names
}

/// One `information_schema` table, unfiltered.
pub fn table(catalog: &Catalog, name: &str) -> Result<QueryResult, SqlError> {
    match name.to_ascii_uppercase().as_str() {
        "SCHEMATA" => Ok(schemata(catalog)),
        "TABLES" => Ok(tables(catalog)),
        "COLUMNS" => Ok(columns(catalog)),
        _ => Err(SqlError::unknown_table(DATABASE, name)),
    }
}

fn header(spec: &[(&str, ColumnType)]) -> Vec<ResultColumn> {
    spec.iter()
        .map(|(n, t)| ResultColumn::new(n, t.clone()))
        .collect()
}

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn schemata(catalog: &Catalog) -> QueryResult {
    QueryResult {
        columns: header(&[
            ("CATALOG_NAME", TEXT),
            ("SCHEMA_NAME", NAME),
            ("DEFAULT_CHARACTER_SET_NAME", NAME),
            ("DEFAULT_COLLATION_NAME", NAME),
            ("SQL_PATH", TEXT),
        ]),
        rows: database_names(catalog)
            .into_iter()
            .map(|db| {
                vec![
                    text("def"),
                    Some(db),
                    text("utf8"),
                    text("utf8_general_ci"),
                    None,
                ]
            })
            .collect(),
    }
}

/// Every table of the catalog with its schema, databases and tables sorted by name.
fn all_tables(catalog: &Catalog) -> Vec<(String, std::sync::Arc<TableSchema>)> {
    let mut out = Vec::new();
    for db in catalog.database_names() {
        for name in catalog.table_names(&db).unwrap_or_default() {
            if let Some(t) = catalog.table(&db, &name) {
                out.push((db.clone(), t.schema().clone()));
            }
        }
    }
    out
}

fn tables(catalog: &Catalog) -> QueryResult {
    let columns = header(&[
        ("TABLE_CATALOG", TEXT),
        ("TABLE_SCHEMA", NAME),
        ("TABLE_NAME", NAME),
        ("TABLE_TYPE", NAME),
        ("ENGINE", NAME),
        ("VERSION", NUMBER),
        ("ROW_FORMAT", NAME),
        ("TABLE_ROWS", NUMBER),
        ("AVG_ROW_LENGTH", NUMBER),
        ("DATA_LENGTH", NUMBER),
        ("MAX_DATA_LENGTH", NUMBER),
        ("INDEX_LENGTH", NUMBER),
        ("DATA_FREE", NUMBER),
        ("AUTO_INCREMENT", NUMBER),
        ("CREATE_TIME", ColumnType::DateTime),
        ("UPDATE_TIME", ColumnType::DateTime),
        ("CHECK_TIME", ColumnType::DateTime),
        ("TABLE_COLLATION", NAME),
        ("CHECKSUM", NUMBER),
        ("CREATE_OPTIONS", NAME),
        ("TABLE_COMMENT", ColumnType::Varchar(2048)),
    ]);
    let mut rows = Vec::new();
    for (db, schema) in all_tables(catalog) {
        let mut row = vec![
            text("def"),
            Some(db),
            Some(schema.name.clone()),
            text("BASE TABLE"),
            text("StarRocks"),
        ];
        // VERSION .. CHECK_TIME are statistics the emulator does not keep.
        row.resize(row.len() + 12, None);
        row.extend([
            text("utf8_general_ci"),
            None,
            text(""),
            Some(schema.comment.clone()),
        ]);
        rows.push(row);
    }
    QueryResult { columns, rows }
}

/// `COLUMN_KEY` of key columns.
fn key_label(model: KeyModel) -> &'static str {
    match model {
        KeyModel::Primary => "PRI",
        KeyModel::Unique => "UNI",
        KeyModel::Duplicate => "DUP",
    }
}

fn number(v: Option<u32>) -> Option<String> {
    v.map(|n| n.to_string())
}

fn columns(catalog: &Catalog) -> QueryResult {
    let columns = header(&[
        ("TABLE_CATALOG", TEXT),
        ("TABLE_SCHEMA", NAME),
        ("TABLE_NAME", NAME),
        ("COLUMN_NAME", NAME),
        ("ORDINAL_POSITION", NUMBER),
        ("COLUMN_DEFAULT", TEXT),
        ("IS_NULLABLE", ColumnType::Varchar(3)),
        ("DATA_TYPE", NAME),
        ("CHARACTER_MAXIMUM_LENGTH", NUMBER),
        ("CHARACTER_OCTET_LENGTH", NUMBER),
        ("NUMERIC_PRECISION", NUMBER),
        ("NUMERIC_SCALE", NUMBER),
        ("DATETIME_PRECISION", NUMBER),
        ("CHARACTER_SET_NAME", NAME),
        ("COLLATION_NAME", NAME),
        ("COLUMN_TYPE", ColumnType::Varchar(32)),
        ("COLUMN_KEY", ColumnType::Varchar(3)),
        ("EXTRA", ColumnType::Varchar(27)),
        ("PRIVILEGES", ColumnType::Varchar(80)),
        ("COLUMN_COMMENT", ColumnType::Varchar(255)),
        ("COLUMN_SIZE", NUMBER),
        ("DECIMAL_DIGITS", NUMBER),
        ("GENERATION_EXPRESSION", TEXT),
        ("SRS_ID", NUMBER),
    ]);
    let mut rows = Vec::new();
    for (db, schema) in all_tables(catalog) {
        for (i, c) in schema.columns.iter().enumerate() {
            let key = if i < schema.key_count {
                key_label(schema.model)
            } else {
                ""
            };
            let ty = &c.ty;
            rows.push(vec![
                None,
                Some(db.clone()),
                Some(schema.name.clone()),
                Some(c.name.clone()),
                Some((i + 1).to_string()),
                c.default.clone(),
                text(if c.nullable { "YES" } else { "NO" }),
                text(type_info::data_type(ty)),
                number(type_info::char_length(ty)),
                number(type_info::octet_length(ty)),
                number(type_info::precision(ty)),
                number(type_info::decimal_digits(ty)),
                None,
                None,
                None,
                Some(type_info::column_type(ty)),
                text(key),
                text(""),
                text(""),
                Some(c.comment.clone()),
                number(type_info::column_size(ty)),
                number(type_info::decimal_digits(ty)),
                None,
                None,
            ]);
        }
    }
    QueryResult { columns, rows }
}
