//! `SELECT`: without `FROM` (constants, variables, functions: what drivers and the connector
//! ask), or from one table — a real one (its visible rows as canonical text, the same the
//! control API shows) or an `information_schema` table. `WHERE` (AND of simple predicates),
//! `ORDER BY`, `LIMIT`, `COUNT(*)` and column aliases are supported; joins, grouping and
//! expressions over columns are not.

use super::relation::{apply_filter, apply_limit, apply_where, find_column};
use super::{functions, info_schema, resolve_database};
use crate::sql::ast::{Expr, OrderItem, Select, SelectItem};
use crate::sql::error::SqlError;
use crate::sql::{QueryResult, ResultColumn, Session};
use crate::state::Shared;
use crate::types::ColumnType;

/// The rows a `FROM` clause names.
fn source(shared: &Shared, session: &Session, select: &Select) -> Result<QueryResult, SqlError> {
    let Some(name) = &select.from else {
        // No FROM: one row without columns.
        return Ok(QueryResult {
            columns: Vec::new(),
            rows: vec![Vec::new()],
        });
    };
    let db = resolve_database(session, name)?;
    let state = shared.state();
    if info_schema::is_information_schema(&db) {
        return info_schema::table(&state.catalog, &name.name);
    }
    if !state.catalog.has_database(&db) {
        return Err(SqlError::unknown_database(&db));
    }
    let table = state
        .catalog
        .table(&db, &name.name)
        .ok_or_else(|| SqlError::unknown_table(&db, &name.name))?;
    Ok(QueryResult {
        columns: table
            .schema()
            .columns
            .iter()
            .map(|c| ResultColumn::new(&c.name, c.ty.clone()))
            .collect(),
        rows: table.rows(),
    })
}

/// One output column: taken from the source, or a constant.
enum Output {
    Source(usize, String),
    Constant(ResultColumn, Option<String>),
    Count(String),
}

pub fn run(
    shared: &Shared,
    session: &Session,
    select: &Select,
    sql: &str,
) -> Result<QueryResult, SqlError> {
    let mut input = source(shared, session, select)?;
    let mut outputs = Vec::new();
    for item in &select.items {
        match item {
            SelectItem::Wildcard => {
                if select.from.is_none() {
                    return Err(SqlError::syntax("SELECT * needs a FROM clause"));
                }
                for (i, c) in input.columns.iter().enumerate() {
                    outputs.push(Output::Source(i, c.name.clone()));
                }
            }
            SelectItem::Expr {
                expr: Expr::Column(name),
                label,
            } => {
                let i = find_column(&input.columns, name)
                    .ok_or_else(|| SqlError::unknown_column(name))?;
                outputs.push(Output::Source(i, label.clone()));
            }
            SelectItem::Expr {
                expr: Expr::CountStar,
                label,
            } => outputs.push(Output::Count(label.clone())),
            SelectItem::Expr { expr, label } => {
                let (ty, value) = functions::eval(shared, session, expr, sql)?;
                outputs.push(Output::Constant(ResultColumn::new(label, ty), value));
            }
        }
    }
    let aggregate = outputs.iter().any(|o| matches!(o, Output::Count(_)));
    if aggregate && outputs.iter().any(|o| matches!(o, Output::Source(..))) {
        // Mixing COUNT(*) with plain columns needs GROUP BY.
        return Err(SqlError::not_supported(sql));
    }
    if aggregate {
        apply_where(&mut input, &select.filter.conditions)?;
        let count = input.rows.len().to_string();
        let mut result = project(&input, &outputs, &[]);
        result.rows = vec![outputs
            .iter()
            .map(|o| match o {
                Output::Count(_) => Some(count.clone()),
                Output::Constant(_, v) => v.clone(),
                Output::Source(..) => None,
            })
            .collect()];
        apply_limit(&mut result, select.filter.limit);
        return Ok(result);
    }
    let mut filter = select.filter.clone();
    filter.order_by = order_on_source(&filter.order_by, &outputs, &input)?;
    apply_filter(&mut input, &filter)?;
    let rows = std::mem::take(&mut input.rows);
    Ok(project(&input, &outputs, &rows))
}

/// Maps `ORDER BY` items (source columns, select-list labels, 1-based positions) to source
/// columns.
fn order_on_source(
    order_by: &[OrderItem],
    outputs: &[Output],
    input: &QueryResult,
) -> Result<Vec<OrderItem>, SqlError> {
    let mut mapped = Vec::with_capacity(order_by.len());
    for item in order_by {
        let target = if let Ok(n) = item.column.parse::<usize>() {
            match n.checked_sub(1).and_then(|i| outputs.get(i)) {
                Some(Output::Source(i, _)) => Some(*i),
                // Ordering by a constant changes nothing.
                Some(_) => continue,
                None => None,
            }
        } else if let Some(i) = find_column(&input.columns, &item.column) {
            Some(i)
        } else {
            outputs.iter().find_map(|o| match o {
                Output::Source(i, label) if label.eq_ignore_ascii_case(&item.column) => Some(*i),
                _ => None,
            })
        };
        let Some(i) = target else {
            return Err(SqlError::unknown_column(&item.column));
        };
        mapped.push(OrderItem {
            column: (i + 1).to_string(),
            descending: item.descending,
        });
    }
    Ok(mapped)
}

fn project(input: &QueryResult, outputs: &[Output], rows: &[Vec<Option<String>>]) -> QueryResult {
    let columns = outputs
        .iter()
        .map(|o| match o {
            Output::Source(i, label) => ResultColumn::new(label, input.columns[*i].ty.clone()),
            Output::Constant(c, _) => c.clone(),
            Output::Count(label) => ResultColumn::new(label, ColumnType::BigInt),
        })
        .collect();
    let rows = rows
        .iter()
        .map(|row| {
            outputs
                .iter()
                .map(|o| match o {
                    Output::Source(i, _) => row.get(*i).cloned().flatten(),
                    Output::Constant(_, v) => v.clone(),
                    Output::Count(_) => None,
                })
                .collect()
        })
        .collect();
    QueryResult { columns, rows }
}
