//! `WHERE`, `ORDER BY` and `LIMIT` over a result (a table's rows, an `information_schema`
//! table, a `SHOW` listing). Column names resolve case-insensitively, as StarRocks column names
//! do; literals are converted to the column's type before comparing.

use std::cmp::Ordering;

use super::compare::{compare_cell, like, sort_key, typed};
use crate::sql::ast::{CmpOp, Condition, Filter, Literal, OrderItem};
use crate::sql::error::SqlError;
use crate::sql::{QueryResult, ResultColumn};
use crate::storage::column::Value;

/// Index of a column by name: exact first, then ignoring ASCII case.
pub fn find_column(columns: &[ResultColumn], name: &str) -> Option<usize> {
    columns.iter().position(|c| c.name == name).or_else(|| {
        columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    })
}

fn require_column(columns: &[ResultColumn], name: &str) -> Result<usize, SqlError> {
    find_column(columns, name).ok_or_else(|| SqlError::unknown_column(name))
}

/// A condition with its column resolved and its literals converted.
enum Prepared {
    Compare(usize, CmpOp, Option<Value>),
    IsNull(usize, bool),
    In(usize, Vec<Option<Value>>, bool),
    Like(usize, String, bool),
}

fn convert(result: &QueryResult, column: usize, literal: &Literal) -> Option<Value> {
    literal
        .text()
        .and_then(|text| typed(&result.columns[column].ty, &text))
}

fn prepare(result: &QueryResult, condition: &Condition) -> Result<Prepared, SqlError> {
    Ok(match condition {
        Condition::Compare { column, op, value } => {
            let i = require_column(&result.columns, column)?;
            Prepared::Compare(i, *op, convert(result, i, value))
        }
        Condition::IsNull { column, negated } => {
            Prepared::IsNull(require_column(&result.columns, column)?, *negated)
        }
        Condition::In {
            column,
            values,
            negated,
        } => {
            let i = require_column(&result.columns, column)?;
            let values = values.iter().map(|v| convert(result, i, v)).collect();
            Prepared::In(i, values, *negated)
        }
        Condition::Like {
            column,
            pattern,
            negated,
        } => Prepared::Like(
            require_column(&result.columns, column)?,
            pattern.clone(),
            *negated,
        ),
    })
}

/// The cell of a column (NULL if a row is short, which the catalog never produces).
fn cell(row: &[Option<String>], i: usize) -> &Option<String> {
    const NULL: &Option<String> = &None;
    row.get(i).unwrap_or(NULL)
}

fn holds(result: &QueryResult, row: &[Option<String>], condition: &Prepared) -> bool {
    let ty = |i: usize| &result.columns[i].ty;
    match condition {
        Prepared::Compare(i, op, Some(literal)) => {
            let Some(ordering) = compare_cell(ty(*i), cell(row, *i), literal) else {
                return false;
            };
            match op {
                CmpOp::Eq => ordering == Ordering::Equal,
                CmpOp::NotEq => ordering != Ordering::Equal,
                CmpOp::Lt => ordering == Ordering::Less,
                CmpOp::LtEq => ordering != Ordering::Greater,
                CmpOp::Gt => ordering == Ordering::Greater,
                CmpOp::GtEq => ordering != Ordering::Less,
            }
        }
        // NULL literal or a literal that is not a value of the column's type: never true.
        Prepared::Compare(_, _, None) => false,
        Prepared::IsNull(i, negated) => cell(row, *i).is_none() != *negated,
        Prepared::In(i, values, negated) => {
            if cell(row, *i).is_none() {
                return false;
            }
            let found = values
                .iter()
                .flatten()
                .any(|v| compare_cell(ty(*i), cell(row, *i), v) == Some(Ordering::Equal));
            found != *negated
        }
        Prepared::Like(i, pattern, negated) => match cell(row, *i) {
            Some(text) => like(text, pattern) != *negated,
            None => false,
        },
    }
}

/// Keeps the rows that satisfy every condition.
pub fn apply_where(result: &mut QueryResult, conditions: &[Condition]) -> Result<(), SqlError> {
    if conditions.is_empty() {
        return Ok(());
    }
    let prepared = conditions
        .iter()
        .map(|c| prepare(result, c))
        .collect::<Result<Vec<_>, _>>()?;
    let rows = std::mem::take(&mut result.rows);
    result.rows = rows
        .into_iter()
        .filter(|row| prepared.iter().all(|c| holds(result, row, c)))
        .collect();
    Ok(())
}

/// Sorts rows (stable; NULL first ascending). Items name columns of `result` or are 1-based
/// positions.
pub fn apply_order(result: &mut QueryResult, order_by: &[OrderItem]) -> Result<(), SqlError> {
    if order_by.is_empty() {
        return Ok(());
    }
    let mut keys = Vec::with_capacity(order_by.len());
    for item in order_by {
        let index = match item.column.parse::<usize>() {
            Ok(n) if n >= 1 && n <= result.columns.len() => n - 1,
            Ok(_) => return Err(SqlError::unknown_column(&item.column)),
            Err(_) => require_column(&result.columns, &item.column)?,
        };
        keys.push((index, item.descending));
    }
    let rows = std::mem::take(&mut result.rows);
    let mut keyed: Vec<(Vec<_>, Vec<Option<String>>)> = rows
        .into_iter()
        .map(|row| {
            let k = keys
                .iter()
                .map(|(i, _)| sort_key(&result.columns[*i].ty, cell(&row, *i)))
                .collect::<Vec<_>>();
            (k, row)
        })
        .collect();
    keyed.sort_by(|(a, _), (b, _)| {
        for (n, (_, descending)) in keys.iter().enumerate() {
            let ordering = a[n].cmp(&b[n]);
            let ordering = if *descending {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    });
    result.rows = keyed.into_iter().map(|(_, row)| row).collect();
    Ok(())
}

/// Keeps `count` rows after skipping `offset`.
pub fn apply_limit(result: &mut QueryResult, limit: Option<(u64, u64)>) {
    if let Some((offset, count)) = limit {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        let rows = std::mem::take(&mut result.rows);
        result.rows = rows.into_iter().skip(offset).take(count).collect();
    }
}

/// `WHERE`, then `ORDER BY`, then `LIMIT`.
pub fn apply_filter(result: &mut QueryResult, filter: &Filter) -> Result<(), SqlError> {
    apply_where(result, &filter.conditions)?;
    apply_order(result, &filter.order_by)?;
    apply_limit(result, filter.limit);
    Ok(())
}
