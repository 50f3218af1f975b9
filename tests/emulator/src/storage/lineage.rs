//! What became of a table's earlier schema objects. A load stages its rows against the schema
//! object (`Arc<TableSchema>`) it was planned with; every `ALTER TABLE` and `TRUNCATE TABLE`
//! gives the table a new one and records the step here. When the rows are committed (or held
//! rows meet a schema change), the table carries them over: through each `ALTER` step the rows
//! are converted like the table's own rows (`evolve::evolve_staged`); a `TRUNCATE` step refuses
//! them, and a schema object the table never had means the table was dropped (maybe created
//! again since).

use std::sync::Arc;

use super::alter::ColumnSource;
use super::evolve::evolve_staged;
use super::schema::TableSchema;
use super::table::{StagedRows, Table};

/// How a table went from one schema object to the next.
#[derive(Debug, Clone)]
pub enum Step {
    /// `ALTER TABLE`: where each column of the next schema comes from.
    Altered(Arc<[ColumnSource]>),
    /// `TRUNCATE TABLE`: same columns, every row gone.
    Truncated,
}

/// Why rows staged against another schema object cannot go into a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The table never had that schema: the one the rows were staged for was dropped.
    Dropped,
    /// The table was truncated after the rows were staged.
    Truncated,
    /// A staged value does not fit a changed column.
    Value(String),
}

impl Refusal {
    /// The commit error for a load into `db.table`.
    pub fn message(&self, db: &str, table: &str) -> String {
        match self {
            Refusal::Dropped => {
                format!("table \"{db}.{table}\" was dropped while the load was open")
            }
            Refusal::Truncated => {
                format!("table \"{db}.{table}\" was truncated while the load was open")
            }
            Refusal::Value(m) => {
                format!("table \"{db}.{table}\" changed while the load was open: {m}")
            }
        }
    }
}

/// Earlier schema objects of a table, oldest first, each with the step that replaced it.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    past: Vec<(Arc<TableSchema>, Step)>,
}

impl Lineage {
    /// This lineage followed by `schema`, replaced by `step`.
    pub fn then(&self, schema: Arc<TableSchema>, step: Step) -> Lineage {
        let mut past = self.past.clone();
        past.push((schema, step));
        Lineage { past }
    }
}

impl Table {
    /// Whether rows staged against `schema` could be carried into this table (it is the current
    /// schema or an earlier one, with no truncation since).
    pub fn accepts(&self, schema: &Arc<TableSchema>) -> bool {
        self.steps_since(schema).is_ok_and(|steps| {
            steps
                .iter()
                .all(|(_, step, _)| !matches!(step, Step::Truncated))
        })
    }

    /// Rows staged against `schema`, converted to the current schema; `None` when `schema` is
    /// the current one (nothing to convert).
    pub fn carry_staged(
        &self,
        schema: &Arc<TableSchema>,
        rows: &StagedRows,
    ) -> Result<Option<StagedRows>, Refusal> {
        let steps = self.steps_since(schema)?;
        if steps.is_empty() {
            return Ok(None);
        }
        let mut carried: Option<StagedRows> = None;
        for (from, step, to) in steps {
            let Step::Altered(sources) = step else {
                return Err(Refusal::Truncated);
            };
            let input = carried.as_ref().unwrap_or(rows);
            carried = Some(evolve_staged(input, from, to, sources).map_err(Refusal::Value)?);
        }
        Ok(carried)
    }

    /// The steps from `schema` to the current schema: (schema, step, next schema).
    fn steps_since(
        &self,
        schema: &Arc<TableSchema>,
    ) -> Result<Vec<(&TableSchema, &Step, &TableSchema)>, Refusal> {
        if Arc::ptr_eq(schema, self.schema()) {
            return Ok(Vec::new());
        }
        let past = &self.lineage().past;
        let start = past
            .iter()
            .position(|(s, _)| Arc::ptr_eq(s, schema))
            .ok_or(Refusal::Dropped)?;
        Ok((start..past.len())
            .map(|i| {
                let next = past.get(i + 1).map_or(self.schema(), |(s, _)| s);
                (&*past[i].0, &past[i].1, &**next)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::alter::{plan, SchemaChange};
    use crate::storage::evolve::evolve;
    use crate::storage::schema::{ColumnDef, ColumnSpec, KeyModel, TableSpec};
    use crate::types::convert::Input;

    fn staged(table: &Table, values: &[&str]) -> StagedRows {
        let mut rows = StagedRows::new(table.schema(), false);
        for (column, value) in rows.columns.iter_mut().zip(values) {
            column.push(&Input::Text(value.as_bytes())).expect("value");
        }
        rows
    }

    fn added(name: &str) -> SchemaChange {
        SchemaChange::AddColumn {
            column: ColumnDef::from_spec(&ColumnSpec {
                name: name.into(),
                type_name: "INT".into(),
                nullable: true,
                default: Some("7".into()),
                comment: String::new(),
            })
            .expect("column"),
            position: None,
        }
    }

    fn altered(table: &Table, change: SchemaChange) -> Table {
        let planned = plan(table.schema(), &[change], "").expect("plan");
        evolve(table, planned.schema, &planned.sources).expect("evolve")
    }

    #[test]
    fn rows_follow_alters_and_are_refused_after_truncate_or_drop() {
        let spec = TableSpec::new("d", "t", KeyModel::Duplicate)
            .column("id", "BIGINT", false)
            .column("v", "VARCHAR(4)", true)
            .keys(&["id"]);
        let first = Table::new(TableSchema::from_spec(&spec).expect("schema"));
        let rows = staged(&first, &["1", "a"]);
        assert!(first
            .carry_staged(first.schema(), &rows)
            .expect("current")
            .is_none());
        let second = altered(&first, added("x"));
        let third = altered(&second, SchemaChange::DropColumn("v".into()));
        assert!(third.accepts(first.schema()));
        let carried = third
            .carry_staged(first.schema(), &rows)
            .expect("carried")
            .expect("converted");
        let mut t = Table::new((**third.schema()).clone());
        t.apply(carried);
        assert_eq!(t.rows(), vec![vec![Some("1".into()), Some("7".into())]]);
        let truncated = third.successor((**third.schema()).clone(), Step::Truncated);
        assert!(!truncated.accepts(first.schema()));
        assert_eq!(
            truncated.carry_staged(first.schema(), &rows).err(),
            Some(Refusal::Truncated)
        );
        let recreated = Table::new((**first.schema()).clone());
        assert_eq!(
            recreated.carry_staged(first.schema(), &rows).err(),
            Some(Refusal::Dropped)
        );
    }
}
