//! Committed rows of one table and how a committed load is applied to them: DUPLICATE KEY tables
//! keep each load's staged columns as one segment, so a commit moves vectors and copies nothing
//! (insertion order = segment order, then row order); PRIMARY KEY and UNIQUE KEY tables keep one
//! row per key in key order and apply a load's rows with `upsert` (replace, delete, partial
//! update, merge condition), in file order. A table also remembers its earlier schema objects
//! (`lineage`), so rows staged against one of them can still be carried over.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::column::{Column, Value};
use super::lineage::{Lineage, Step};
use super::schema::{KeyModel, TableSchema};
use super::upsert::{apply_keyed, ApplyMode};

/// `__op` values of staged rows.
pub const OP_UPSERT: u8 = 0;
pub const OP_DELETE: u8 = 1;

/// Rows a load produced, not yet visible: one column per table column, plus the op of each row
/// when the load carried `__op` (PRIMARY KEY tables only).
#[derive(Debug)]
pub struct StagedRows {
    pub columns: Vec<Column>,
    pub ops: Option<Vec<u8>>,
    /// Partial update / merge condition of the load (keyed tables; see `upsert`).
    pub mode: ApplyMode,
}

impl StagedRows {
    pub fn new(schema: &TableSchema, with_ops: bool) -> StagedRows {
        StagedRows {
            columns: schema.columns.iter().map(|c| Column::new(&c.ty)).collect(),
            ops: if with_ops { Some(Vec::new()) } else { None },
            mode: ApplyMode::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// Drops rows from `len` on (used to undo a partially converted row).
    pub fn truncate(&mut self, len: usize) {
        for c in &mut self.columns {
            c.truncate(len);
        }
        if let Some(ops) = &mut self.ops {
            ops.truncate(len);
        }
    }

    pub fn clear(&mut self) {
        self.truncate(0);
    }
}

#[derive(Debug)]
enum TableData {
    /// One segment (a set of columns) per committed load.
    Duplicate(Vec<Vec<Column>>),
    Keyed(BTreeMap<Vec<Value>, Vec<Value>>),
}

/// A table: its schema, committed (visible) rows and earlier schemas.
#[derive(Debug)]
pub struct Table {
    schema: Arc<TableSchema>,
    data: TableData,
    lineage: Lineage,
}

impl Table {
    pub fn new(schema: TableSchema) -> Table {
        let data = match schema.model {
            KeyModel::Duplicate => TableData::Duplicate(Vec::new()),
            KeyModel::Primary | KeyModel::Unique => TableData::Keyed(BTreeMap::new()),
        };
        Table {
            schema: Arc::new(schema),
            data,
            lineage: Lineage::default(),
        }
    }

    /// An empty table with `schema` that replaces this one after `step` (its rows are added by
    /// the caller).
    pub fn successor(&self, schema: TableSchema, step: Step) -> Table {
        let mut next = Table::new(schema);
        next.lineage = self.lineage.then(self.schema.clone(), step);
        next
    }

    pub fn schema(&self) -> &Arc<TableSchema> {
        &self.schema
    }

    pub fn lineage(&self) -> &Lineage {
        &self.lineage
    }

    /// Makes a committed load visible.
    pub fn apply(&mut self, mut staged: StagedRows) {
        match &mut self.data {
            TableData::Duplicate(segments) => {
                if !staged.columns.first().is_some_and(Column::is_empty) {
                    segments.push(std::mem::take(&mut staged.columns));
                }
            }
            TableData::Keyed(map) => apply_keyed(map, &self.schema, &staged),
        }
    }

    /// Visible rows as canonical text, insertion order (DUPLICATE) or key order (PRIMARY/UNIQUE).
    pub fn rows(&self) -> Vec<Vec<Option<String>>> {
        self.values()
            .iter()
            .map(|row| {
                row.iter()
                    .zip(self.schema.columns.iter())
                    .map(|(v, def)| v.render(&def.ty))
                    .collect()
            })
            .collect()
    }

    /// Visible rows as stored values, in the order of `rows`.
    pub fn values(&self) -> Vec<Vec<Value>> {
        match &self.data {
            TableData::Duplicate(segments) => segments
                .iter()
                .flat_map(|cols| {
                    let n = cols.first().map_or(0, Column::len);
                    (0..n).map(move |r| cols.iter().map(|c| c.get(r)).collect())
                })
                .collect(),
            TableData::Keyed(map) => map.values().cloned().collect(),
        }
    }
}
