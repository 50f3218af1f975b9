//! Row-level semantics of a committed load on a keyed table (PRIMARY KEY and UNIQUE KEY): upsert
//! replaces the row with the same key, `__op` delete removes it (spec §8.4, PRIMARY KEY only),
//! partial update merges the covered columns into the existing row and fills the others of a new
//! row with their default (§8.7), and `merge_condition` keeps the existing row unless the incoming
//! value of the condition column is greater or equal (§8.8). Rows are applied in file order.
//! Knows nothing about transactions: it is called when a transaction is published.

use std::collections::BTreeMap;

use super::column::{Column, Value};
use super::schema::{ColumnDef, TableSchema, CURRENT_TIMESTAMP};
use super::table::{StagedRows, OP_DELETE, OP_UPSERT};
use crate::types::convert::Input;
use crate::types::nested::empty_value;
use crate::types::StorageKind;

/// How the rows of one load are applied (from its `partial_update`/`merge_condition` headers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyMode {
    /// Partial update: which table columns the load provides (`true` = covered).
    pub partial: Option<Vec<bool>>,
    /// Index of the `merge_condition` column.
    pub merge_condition: Option<usize>,
}

/// The value a new row gets for a column the load did not provide: the column default, else
/// NULL, else (NOT NULL without default) the type's zero value [inf] (empty for strings and
/// binaries, `[]`/`{}`/all-NULL fields for ARRAY/MAP/STRUCT).
pub fn default_value(def: &ColumnDef) -> Value {
    if let Some(text) = &def.default {
        let mut probe = Column::new(&def.ty);
        let owned;
        let text = if text.eq_ignore_ascii_case(CURRENT_TIMESTAMP) {
            owned = crate::types::datetime::now_text();
            owned.as_str()
        } else {
            text.as_str()
        };
        if probe.push(&Input::Text(text.as_bytes())).is_ok() {
            return probe.get(0);
        }
    }
    if def.nullable {
        return Value::Null;
    }
    match def.ty.storage() {
        StorageKind::Int => Value::Int(0),
        StorageKind::Wide => Value::Wide(0),
        StorageKind::Float => Value::Float(0.0),
        StorageKind::Bytes => Value::Bytes(empty_value(&def.ty).into_bytes().into()),
    }
}

/// Applies staged rows to a keyed table's rows (key → full row).
pub fn apply_keyed(
    map: &mut BTreeMap<Vec<Value>, Vec<Value>>,
    schema: &TableSchema,
    staged: &StagedRows,
) {
    let key_count = schema.key_count;
    let mode = &staged.mode;
    for row in 0..staged.len() {
        let values: Vec<Value> = staged.columns.iter().map(|c| c.get(row)).collect();
        let key = values[..key_count].to_vec();
        let op = staged
            .ops
            .as_ref()
            .and_then(|ops| ops.get(row).copied())
            .unwrap_or(OP_UPSERT);
        if op == OP_DELETE {
            map.remove(&key);
            continue;
        }
        let existing = map.get(&key);
        if let (Some(col), Some(old)) = (mode.merge_condition, existing) {
            if values[col] < old[col] {
                continue;
            }
        }
        let new_row = match &mode.partial {
            None => values,
            Some(covered) => values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    if covered.get(i).copied().unwrap_or(true) {
                        v
                    } else if let Some(old) = existing {
                        old[i].clone()
                    } else {
                        default_value(&schema.columns[i])
                    }
                })
                .collect(),
        };
        map.insert(key, new_row);
    }
}
