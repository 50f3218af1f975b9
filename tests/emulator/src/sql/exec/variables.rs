//! System variables: the ones MySQL drivers and clients read on connect (Connector/J's
//! `SELECT @@session.auto_increment_increment AS ..., ...`, the mariadb client's
//! `@@version_comment`), with StarRocks' values where StarRocks defines them
//! (`version_comment` = `StarRocks version <version>`, `version` = the MySQL server version,
//! `lower_case_table_names` = 0, `sql_mode` = `ONLY_FULL_GROUP_BY`). `SET` changes are kept per
//! session and read back; an unknown variable read with `@@` is error 1193, as in StarRocks.

use crate::sql::ast::SetItem;
use crate::sql::error::SqlError;
use crate::sql::{QueryResult, ResultColumn, Session};
use crate::state::Shared;
use crate::types::ColumnType;

use super::compare::like;

/// Numeric variables (BIGINT results); everything else is text.
const NUMERIC: [&str; 20] = [
    "auto_increment_increment",
    "auto_increment_offset",
    "autocommit",
    "interactive_timeout",
    "lower_case_table_names",
    "max_allowed_packet",
    "net_buffer_length",
    "net_read_timeout",
    "net_write_timeout",
    "performance_schema",
    "query_cache_size",
    "query_timeout",
    "sql_safe_updates",
    "sql_select_limit",
    "transaction_read_only",
    "tx_read_only",
    "wait_timeout",
    "sql_auto_is_null",
    "max_execution_time",
    "protocol_version",
];

/// Every variable with its default value, in `SHOW VARIABLES` order (sorted by name).
fn defaults(shared: &Shared) -> Vec<(&'static str, String)> {
    let config = &shared.config;
    let mut vars: Vec<(&'static str, String)> = vec![
        ("auto_increment_increment", "1".into()),
        ("auto_increment_offset", "1".into()),
        ("autocommit", "1".into()),
        ("character_set_client", "utf8".into()),
        ("character_set_connection", "utf8".into()),
        ("character_set_database", "utf8".into()),
        ("character_set_filesystem", "binary".into()),
        ("character_set_results", "utf8".into()),
        ("character_set_server", "utf8".into()),
        ("collation_connection", "utf8_general_ci".into()),
        ("collation_database", "utf8_general_ci".into()),
        ("collation_server", "utf8_general_ci".into()),
        ("default_storage_engine", "olap".into()),
        ("init_connect", String::new()),
        ("interactive_timeout", "3600".into()),
        ("language", "/starrocks/share/english/".into()),
        ("license", "Apache License 2.0".into()),
        ("lower_case_table_names", "0".into()),
        ("max_allowed_packet", "33554432".into()),
        ("max_execution_time", "3000000".into()),
        ("net_buffer_length", "16384".into()),
        ("net_read_timeout", "60".into()),
        ("net_write_timeout", "60".into()),
        ("performance_schema", "0".into()),
        ("protocol_version", "10".into()),
        ("query_cache_size", "1048576".into()),
        ("query_cache_type", "OFF".into()),
        ("query_timeout", "300".into()),
        ("sql_auto_is_null", "0".into()),
        ("sql_mode", "ONLY_FULL_GROUP_BY".into()),
        ("sql_safe_updates", "0".into()),
        ("sql_select_limit", "18446744073709551615".into()),
        ("system_time_zone", "UTC".into()),
        ("time_zone", "UTC".into()),
        ("transaction_isolation", "REPEATABLE-READ".into()),
        ("transaction_read_only", "0".into()),
        ("tx_isolation", "REPEATABLE-READ".into()),
        ("tx_read_only", "0".into()),
        ("version", config.mysql_server_version.clone()),
        (
            "version_comment",
            format!("StarRocks version {}", config.starrocks_version),
        ),
        ("wait_timeout", "28800".into()),
    ];
    vars.sort_by(|a, b| a.0.cmp(b.0));
    vars
}

fn type_of(name: &str) -> ColumnType {
    if NUMERIC.contains(&name) {
        ColumnType::BigInt
    } else {
        ColumnType::Varchar(1024)
    }
}

/// The value of `@@name` for this session.
pub fn lookup(
    shared: &Shared,
    session: &Session,
    name: &str,
) -> Result<(ColumnType, Option<String>), SqlError> {
    let name = name.to_ascii_lowercase();
    if let Some(value) = session.variables.get(&name) {
        let ty = match value {
            Some(v) if type_of(&name) == ColumnType::BigInt && v.parse::<i64>().is_err() => {
                ColumnType::Varchar(1024)
            }
            _ => type_of(&name),
        };
        return Ok((ty, value.clone()));
    }
    defaults(shared)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(n, v)| (type_of(n), Some(v)))
        .ok_or_else(|| SqlError::unknown_variable(&name))
}

/// Applies a `SET`: session variables are remembered (any name: drivers set variables the
/// emulator does not know, and StarRocks would accept most of them); user variables ignored.
pub fn set(session: &mut Session, items: Vec<SetItem>) {
    for item in items {
        if let Some(name) = item.name {
            let value = match item.value {
                Some(v) if v.eq_ignore_ascii_case("on") || v.eq_ignore_ascii_case("true") => {
                    Some("1".to_string())
                }
                Some(v) if v.eq_ignore_ascii_case("off") || v.eq_ignore_ascii_case("false") => {
                    Some("0".to_string())
                }
                other => other,
            };
            session.variables.insert(name, value);
        }
    }
}

/// `SHOW VARIABLES [LIKE 'p' | WHERE Variable_name IN (...)]`.
pub fn show(
    shared: &Shared,
    session: &Session,
    like_pattern: Option<&str>,
    names: &[String],
) -> QueryResult {
    let mut rows = Vec::new();
    for (name, default) in defaults(shared) {
        if let Some(p) = like_pattern {
            if !like(name, p) {
                continue;
            }
        }
        if !names.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        let value = match session.variables.get(name) {
            Some(v) => v.clone().unwrap_or_default(),
            None => default,
        };
        rows.push(vec![Some(name.to_string()), Some(value)]);
    }
    QueryResult {
        columns: vec![
            ResultColumn::new("Variable_name", ColumnType::Varchar(64)),
            ResultColumn::new("Value", ColumnType::Varchar(1024)),
        ],
        rows,
    }
}
