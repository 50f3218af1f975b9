//! Catalog-level DDL: dropping databases and tables, truncating, replacing a table after a
//! schema change, and the record of finished schema-change jobs that `SHOW ALTER TABLE COLUMN`
//! lists. Schema changes run synchronously, so every job is recorded as `FINISHED`.
//!
//! Dropping, truncating or altering a table gives it a new schema object: a load staged against
//! the old one is aborted when it commits, and one already committed but not yet published loses
//! its rows (see `txn::publish`). StarRocks instead lets a schema change wait for such
//! transactions (`WAITING_TXN`); tests should not alter a table while loads into it are open.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::schema::TableSchema;
use super::table::Table;
use super::Catalog;
use crate::types::datetime::render_datetime;

/// Job ids are unique per process, like StarRocks' (global) ids.
static NEXT_JOB_ID: AtomicU64 = AtomicU64::new(10_001);

/// Timeout StarRocks gives a schema change job by default (seconds).
pub const DEFAULT_ALTER_TIMEOUT_SECONDS: u64 = 86_400;

/// One schema-change job as `SHOW ALTER TABLE COLUMN` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlterJob {
    pub job_id: u64,
    pub table: String,
    pub create_time: String,
    pub finish_time: String,
    pub schema_version: u32,
    pub state: &'static str,
    pub timeout_seconds: u64,
}

/// The wall clock as StarRocks prints times (`YYYY-MM-DD HH:MM:SS`, UTC).
pub fn now_text() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
    let mut out = String::new();
    // Whole seconds, like StarRocks' job times.
    render_datetime(micros - micros.rem_euclid(1_000_000), &mut out);
    out
}

impl Catalog {
    /// Drops a database with its tables; false if it does not exist.
    pub fn drop_database(&mut self, name: &str) -> bool {
        self.databases.remove(name).is_some()
    }

    /// Table names of a database, sorted; `None` if the database does not exist.
    pub fn table_names(&self, db: &str) -> Option<Vec<String>> {
        self.databases
            .get(db)
            .map(|d| d.tables.keys().cloned().collect())
    }

    /// Drops a table; false if it does not exist.
    pub fn drop_table(&mut self, db: &str, table: &str) -> bool {
        self.databases
            .get_mut(db)
            .and_then(|d| d.tables.remove(table))
            .is_some()
    }

    /// Removes every row of a table; false if it does not exist.
    pub fn truncate_table(&mut self, db: &str, table: &str) -> bool {
        let Some(t) = self.table_mut(db, table) else {
            return false;
        };
        let schema: TableSchema = (**t.schema()).clone();
        *t = Table::new(schema);
        true
    }

    /// Puts a table rebuilt by a schema change in place of the old one and, when the change was
    /// a schema-change job in StarRocks (add/drop/modify column), records it as finished.
    pub fn replace_table(&mut self, db: &str, table: Table, record_job: bool) -> bool {
        let name = table.schema().name.clone();
        let Some(database) = self.databases.get_mut(db) else {
            return false;
        };
        let Some(slot) = database.tables.get_mut(&name) else {
            return false;
        };
        *slot = table;
        if record_job {
            let now = now_text();
            let schema_version = database
                .alter_jobs
                .iter()
                .filter(|j| j.table == name)
                .count() as u32
                + 1;
            database.alter_jobs.push(AlterJob {
                job_id: NEXT_JOB_ID.fetch_add(1, Ordering::Relaxed),
                table: name,
                create_time: now.clone(),
                finish_time: now,
                schema_version,
                state: "FINISHED",
                timeout_seconds: DEFAULT_ALTER_TIMEOUT_SECONDS,
            });
        }
        true
    }

    /// Schema-change jobs of a database, oldest first; `None` if the database does not exist.
    pub fn alter_jobs(&self, db: &str) -> Option<&[AlterJob]> {
        self.databases.get(db).map(|d| d.alter_jobs.as_slice())
    }
}
