//! The catalog: databases and their tables with committed rows. Knows nothing about labels,
//! transactions or HTTP; the shared state (`state.rs`) guards it with a lock. Schema DDL lives in
//! `ddl` (drop, truncate, the alter-job records), `alter` (planning a column change), `evolve`
//! (carrying rows over to a changed schema) and `lineage` (a table's earlier schemas, so rows
//! staged against one can be carried over or refused). When a schema-change job runs is decided
//! with the transactions, in `txn::schema_change`.

pub mod alter;
pub mod column;
pub mod ddl;
pub mod evolve;
pub mod lineage;
pub mod schema;
pub mod table;
pub mod upsert;

use std::collections::BTreeMap;

use schema::{TableSchema, TableSpec};
use table::Table;

/// Tables of one database.
#[derive(Debug, Default)]
pub struct Database {
    pub tables: BTreeMap<String, Table>,
    /// Schema-change jobs, oldest first (`SHOW ALTER TABLE COLUMN`).
    pub alter_jobs: Vec<ddl::AlterJob>,
}

/// All databases.
#[derive(Debug, Default)]
pub struct Catalog {
    databases: BTreeMap<String, Database>,
}

impl Catalog {
    /// Creates a database; creating an existing one is a no-op.
    pub fn create_database(&mut self, name: &str) {
        self.databases.entry(name.to_string()).or_default();
    }

    pub fn has_database(&self, name: &str) -> bool {
        self.databases.contains_key(name)
    }

    pub fn database_names(&self) -> Vec<String> {
        self.databases.keys().cloned().collect()
    }

    pub fn create_table(&mut self, spec: &TableSpec) -> Result<(), String> {
        let schema = TableSchema::from_spec(spec)?;
        let db = self
            .databases
            .get_mut(&spec.database)
            .ok_or_else(|| format!("Unknown database '{}'", spec.database))?;
        if db.tables.contains_key(&spec.table) {
            return Err(format!("Table '{}' already exists", spec.table));
        }
        db.tables.insert(spec.table.clone(), Table::new(schema));
        Ok(())
    }

    pub fn table(&self, db: &str, table: &str) -> Option<&Table> {
        self.databases.get(db)?.tables.get(table)
    }

    pub fn table_mut(&mut self, db: &str, table: &str) -> Option<&mut Table> {
        self.databases.get_mut(db)?.tables.get_mut(table)
    }

    pub fn clear(&mut self) {
        self.databases.clear();
    }
}
