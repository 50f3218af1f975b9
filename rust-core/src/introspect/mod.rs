//! SQL over the FE's MySQL-protocol port (`jdbc-url`): the server version and the columns of a
//! table with their keys and types, as the public connector reads them from
//! `information_schema.COLUMNS`, and single statements (the DDL of the Flink CDC pipeline sink).
//! Done in Rust with a minimal client ([`mysql`]), so the jar carries no JDBC driver.

pub mod mysql;

use std::time::Duration;

use crate::error::{ErrorKind, Result, SinkError};
use crate::options::SinkOptions;
use crate::redact::url_for_messages;
use mysql::{quote, Connection, MysqlError};

/// Budget of one introspection (connect, login, two queries).
const INTROSPECTION_BUDGET: Duration = Duration::from_secs(60);

/// A column as `information_schema.COLUMNS` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: String,
    pub ordinal: u32,
    /// `PRI` marks a PRIMARY KEY table's key columns.
    pub key: String,
    pub data_type: String,
    pub column_size: Option<String>,
    pub decimal_digits: Option<String>,
}

/// What StarRocks says about one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDescription {
    /// `current_version()`, when the server answers it.
    pub version: Option<String>,
    /// Columns in table order.
    pub columns: Vec<ColumnInfo>,
}

impl TableDescription {
    /// Key columns of a PRIMARY KEY table; empty for other key models.
    pub fn primary_key(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|c| c.key.eq_ignore_ascii_case("PRI"))
            .map(|c| c.name.as_str())
            .collect()
    }
}

/// `jdbc:mysql://host:port[,host:port...][/db][?params]` as (host, port) pairs.
pub fn parse_jdbc_url(url: &str) -> Result<Vec<(String, u16)>> {
    let bad = |why: &str| {
        SinkError::new(
            ErrorKind::Config,
            format!(
                "option 'jdbc-url' = '{}': {why}; expected jdbc:mysql://host:port[,host:port]",
                url_for_messages(url)
            ),
        )
    };
    let rest = url
        .trim()
        .strip_prefix("jdbc:mysql://")
        .ok_or_else(|| bad("not a jdbc:mysql:// URL"))?;
    if rest.contains('@') {
        return Err(bad(
            "user info in the URL is not supported (the credentials go into 'username' and \
             'password')",
        ));
    }
    let hosts = rest.split(['/', '?']).next().unwrap_or("");
    let mut out = Vec::new();
    for h in hosts.split(',').map(str::trim).filter(|h| !h.is_empty()) {
        // `[v6]` without a port holds colons but no port.
        let (host, port) = match h.rsplit_once(':') {
            Some((host, port)) if !(h.starts_with('[') && h.ends_with(']')) => (
                host,
                port.parse::<u16>()
                    .map_err(|_| bad(&format!("bad port in '{h}'")))?,
            ),
            _ => (h, 9030),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(bad(&format!("no host in '{h}'")));
        }
        out.push((host.to_string(), port));
    }
    if out.is_empty() {
        return Err(bad("no host"));
    }
    Ok(out)
}

/// `doing` says what failed, e.g. "reading the table schema".
fn mysql_error(doing: &str, opts_url: &str, e: MysqlError) -> SinkError {
    let kind = if e.code == Some(1045) {
        ErrorKind::Auth
    } else if e.code.is_some() {
        ErrorKind::LoadFailed
    } else {
        ErrorKind::Connection
    };
    let code = e
        .code
        .map(|c| format!(" (MySQL error {c})"))
        .unwrap_or_default();
    SinkError::new(
        kind,
        format!(
            "{doing} through 'jdbc-url' ({}): {}{code}",
            url_for_messages(opts_url),
            e.message
        ),
    )
}

const DESCRIBING: &str = "reading the table schema";

/// The result of one statement: column names and rows, each value as text or `None` for NULL;
/// both empty for a statement without a result set (DDL).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryResult {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// Runs one SQL statement through the first reachable FE of `jdbc-url`.
pub async fn execute(opts: &SinkOptions, sql: &str) -> Result<QueryResult> {
    let url = opts.jdbc_url.as_str();
    let doing = format!("running `{sql}`");
    let mut conn = connect(opts, &doing).await?;
    let (columns, rows) = conn
        .query_named(sql)
        .await
        .map_err(|e| mysql_error(&doing, url, e))?;
    Ok(QueryResult { columns, rows })
}

/// Opens a connection to the first reachable FE of `jdbc-url` and logs in; `doing` names the
/// work in error messages.
async fn connect(opts: &SinkOptions, doing: &str) -> Result<Connection> {
    let url = opts.jdbc_url.as_str();
    let hosts = parse_jdbc_url(url)?;
    let mut last = None;
    let mut conn = None;
    for (host, port) in &hosts {
        match Connection::open(
            host,
            *port,
            &opts.username,
            opts.password.expose(),
            opts.connect_timeout,
            INTROSPECTION_BUDGET,
        )
        .await
        {
            Ok(c) => {
                conn = Some(c);
                break;
            }
            Err(e) if e.unreachable => last = Some(e),
            Err(e) => return Err(mysql_error(doing, url, e)),
        }
    }
    conn.ok_or_else(|| {
        mysql_error(
            doing,
            url,
            last.unwrap_or(MysqlError {
                message: "no host".into(),
                code: None,
                unreachable: true,
            }),
        )
    })
}

/// Connects to the first reachable FE of `jdbc-url` and describes `database.table`.
pub async fn describe_table(
    opts: &SinkOptions,
    database: &str,
    table: &str,
) -> Result<TableDescription> {
    let url = opts.jdbc_url.as_str();
    let mut conn = connect(opts, DESCRIBING).await?;
    let version = conn
        .query("select current_version() as ver")
        .await
        .ok()
        .and_then(|rows| rows.into_iter().next())
        .and_then(|row| row.into_iter().next().flatten());
    let sql = format!(
        "select COLUMN_NAME, ORDINAL_POSITION, COLUMN_KEY, DATA_TYPE, COLUMN_SIZE, DECIMAL_DIGITS \
         from information_schema.COLUMNS where TABLE_SCHEMA = {} and TABLE_NAME = {}",
        quote(database),
        quote(table)
    );
    let rows = conn
        .query(&sql)
        .await
        .map_err(|e| mysql_error(DESCRIBING, url, e))?;
    let mut columns: Vec<ColumnInfo> = rows
        .into_iter()
        .map(|r| {
            let get = |i: usize| r.get(i).cloned().flatten();
            ColumnInfo {
                name: get(0).unwrap_or_default(),
                ordinal: get(1).and_then(|o| o.parse().ok()).unwrap_or(0),
                key: get(2).unwrap_or_default(),
                data_type: get(3).unwrap_or_default().to_ascii_lowercase(),
                column_size: get(4),
                decimal_digits: get(5),
            }
        })
        .collect();
    if columns.is_empty() {
        return Err(SinkError::new(
            ErrorKind::Config,
            format!(
                "table {database}.{table} does not exist on the StarRocks behind 'jdbc-url' \
                 ({}): information_schema.COLUMNS has no columns for it",
                url_for_messages(url)
            ),
        ));
    }
    columns.sort_by_key(|c| c.ordinal);
    Ok(TableDescription { version, columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jdbc_urls_list_their_hosts() {
        assert_eq!(
            parse_jdbc_url("jdbc:mysql://fe1:9030,fe2:9031/db?useSSL=false").unwrap(),
            vec![("fe1".to_string(), 9030), ("fe2".to_string(), 9031)]
        );
        assert_eq!(
            parse_jdbc_url("jdbc:mysql://fe").unwrap(),
            vec![("fe".to_string(), 9030)]
        );
        let e = parse_jdbc_url("mysql://fe:9030").unwrap_err();
        assert!(e.message().contains("'jdbc-url'"), "{e}");
        assert!(parse_jdbc_url("jdbc:mysql://fe:x").is_err());
        assert_eq!(
            parse_jdbc_url("jdbc:mysql://[::1]:9031,[fe80::1]").unwrap(),
            vec![("::1".to_string(), 9031), ("fe80::1".to_string(), 9030)]
        );
    }

    /// Found by the options fuzzer: an address without a host was accepted, to fail later as a
    /// connection to nowhere.
    #[test]
    fn jdbc_addresses_without_a_host_are_refused() {
        for url in ["jdbc:mysql://:9030", "jdbc:mysql://fe:9030,[]:9030"] {
            let e = parse_jdbc_url(url).unwrap_err();
            assert!(e.message().contains("no host in"), "{e}");
        }
    }

    #[test]
    fn credentials_in_a_jdbc_url_are_refused_without_being_echoed() {
        for url in [
            "jdbc:mysql://root:s3cret@fe:9030/db",
            "jdbc:mysql://fe:x/db?password=s3cret",
            "mysql://fe:9030?password=s3cret",
        ] {
            let e = parse_jdbc_url(url).unwrap_err();
            assert!(!e.message().contains("s3cret"), "{e}");
            assert!(e.message().contains("'jdbc-url'"), "{e}");
        }
        let e = parse_jdbc_url("jdbc:mysql://root:s3cret@fe:9030").unwrap_err();
        assert!(e.message().contains("user info"), "{e}");
        assert_eq!(
            parse_jdbc_url("jdbc:mysql://fe:9030/db?user=root&password=s3cret").unwrap(),
            vec![("fe".to_string(), 9030)]
        );
    }
}
