//! Constant expressions of a select list: literals, `@@variables`, and the functions clients and
//! the connector call — `current_version()` (StarRocks' own version, what the connector parses),
//! `version()`, `database()`, `user()`, `current_user()`, `connection_id()`, `now()`,
//! `curdate()`, `last_insert_id()`. Anything else is refused.

use super::variables;
use crate::sql::ast::{Expr, Literal};
use crate::sql::error::SqlError;
use crate::sql::Session;
use crate::state::Shared;
use crate::storage::ddl::now_text;
use crate::types::ColumnType;

/// A constant's type and value (`None` = NULL).
pub type Constant = (ColumnType, Option<String>);

const TEXT: ColumnType = ColumnType::Varchar(1024);

/// Evaluates an expression that does not depend on a row. `sql` is the whole statement, quoted
/// in the error for unsupported functions.
pub fn eval(
    shared: &Shared,
    session: &Session,
    expr: &Expr,
    sql: &str,
) -> Result<Constant, SqlError> {
    match expr {
        Expr::Literal(l) => Ok(literal(l)),
        Expr::SysVar(name) => variables::lookup(shared, session, name),
        Expr::UserVar(_) => Ok((TEXT, None)),
        Expr::Function { name, args } => function(shared, session, name, args, sql),
        Expr::Column(c) => Err(SqlError::unknown_column(c)),
        Expr::CountStar => Err(SqlError::not_supported(sql)),
    }
}

fn literal(l: &Literal) -> Constant {
    match l {
        Literal::Null => (TEXT, None),
        Literal::Number(n) if n.parse::<i64>().is_ok() => (ColumnType::BigInt, Some(n.clone())),
        Literal::Number(n) => {
            // Keep the literal's digits; MySQL reports such a literal as DECIMAL.
            let scale = n
                .split_once('.')
                .map_or(0, |(_, f)| f.bytes().take_while(u8::is_ascii_digit).count());
            let digits = n.bytes().filter(u8::is_ascii_digit).count();
            if n.contains(['e', 'E']) || digits > 38 {
                (ColumnType::Double, Some(n.clone()))
            } else {
                let precision = digits.max(scale).clamp(1, 38) as u8;
                (
                    ColumnType::Decimal {
                        precision,
                        scale: scale as u8,
                    },
                    Some(n.clone()),
                )
            }
        }
        Literal::Str(s) => (TEXT, Some(s.clone())),
        Literal::Bool(b) => (ColumnType::BigInt, Some(if *b { "1" } else { "0" }.into())),
    }
}

fn function(
    shared: &Shared,
    session: &Session,
    name: &str,
    args: &[Expr],
    sql: &str,
) -> Result<Constant, SqlError> {
    let no_args = || {
        if args.is_empty() {
            Ok(())
        } else {
            Err(SqlError::syntax(format!(
                "function {name}() takes no arguments"
            )))
        }
    };
    match name {
        "current_version" => {
            no_args()?;
            Ok((TEXT, Some(shared.config.starrocks_version.clone())))
        }
        "version" => {
            no_args()?;
            Ok((TEXT, Some(shared.config.mysql_server_version.clone())))
        }
        "database" | "schema" => {
            no_args()?;
            Ok((TEXT, session.database.clone()))
        }
        "user" | "session_user" | "system_user" => {
            no_args()?;
            Ok((TEXT, Some(format!("'{}'@'{}'", session.user, session.host))))
        }
        "current_user" => {
            no_args()?;
            Ok((TEXT, Some(format!("'{}'@'%'", session.user))))
        }
        "connection_id" => {
            no_args()?;
            Ok((ColumnType::BigInt, Some(session.connection_id.to_string())))
        }
        "last_insert_id" | "row_count" | "found_rows" => {
            no_args()?;
            Ok((ColumnType::BigInt, Some("0".into())))
        }
        "now" | "current_timestamp" | "localtime" | "localtimestamp" | "sysdate" => {
            no_args()?;
            Ok((ColumnType::DateTime, Some(now_text())))
        }
        "curdate" | "current_date" => {
            no_args()?;
            let now = now_text();
            Ok((ColumnType::Date, now.get(..10).map(str::to_string)))
        }
        _ => Err(SqlError::not_supported(sql)),
    }
}
