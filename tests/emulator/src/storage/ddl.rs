//! Catalog-level DDL: dropping databases and tables, truncating, putting a table rebuilt by a
//! schema change in place, and the records of schema-change jobs that `SHOW ALTER TABLE COLUMN`
//! lists (`WAITING_TXN` → `RUNNING` → `FINISHED`, or `CANCELLED`). When a job moves on is decided
//! in `txn::schema_change`, which knows the transactions it waits for.
//!
//! Neither `TRUNCATE TABLE` nor `DROP TABLE` waits for loads, as in StarRocks. Truncating gives
//! the table a new schema object with a `Truncated` step in its lineage, so a load staged before
//! fails at commit naming the table as truncated; dropping removes the table and its lineage, so
//! such a load fails naming the table as dropped (see `lineage` and `txn::publish`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::lineage::Step;
use super::table::Table;
use super::Catalog;
use crate::types::datetime::render_datetime;

/// Job ids are unique per process, like StarRocks' (global) ids.
static NEXT_JOB_ID: AtomicU64 = AtomicU64::new(10_001);

/// Timeout StarRocks gives a schema change job by default (seconds).
pub const DEFAULT_ALTER_TIMEOUT_SECONDS: u64 = 86_400;

/// The state of a schema-change job, as `SHOW ALTER TABLE COLUMN` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for the loads on the table that began before the job.
    WaitingTxn,
    /// Converting (for the `alter_job_ms` setting).
    Running,
    Finished,
    Cancelled,
}

impl JobState {
    pub fn name(&self) -> &'static str {
        match self {
            JobState::WaitingTxn => "WAITING_TXN",
            JobState::Running => "RUNNING",
            JobState::Finished => "FINISHED",
            JobState::Cancelled => "CANCELLED",
        }
    }
}

/// One schema-change job as `SHOW ALTER TABLE COLUMN` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlterJob {
    pub job_id: u64,
    pub table: String,
    pub create_time: String,
    /// Set when the job finishes or is cancelled.
    pub finish_time: Option<String>,
    pub schema_version: u32,
    /// The watershed transaction id: loads on the table with a smaller id are waited for.
    pub transaction_id: i64,
    pub state: JobState,
    /// Why the job was cancelled.
    pub msg: String,
    pub timeout_seconds: u64,
}

impl AlterJob {
    /// Moves the job on; `FINISHED` and `CANCELLED` set its finish time.
    pub fn set_state(&mut self, state: JobState, msg: &str) {
        self.state = state;
        self.msg = msg.to_string();
        if matches!(state, JobState::Finished | JobState::Cancelled) {
            self.finish_time = Some(now_text());
        }
    }
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
        *t = t.successor((**t.schema()).clone(), Step::Truncated);
        true
    }

    /// Puts a table rebuilt by a schema change in place of the old one (same name).
    pub fn replace_table(&mut self, db: &str, table: Table) -> bool {
        let Some(slot) = self.table_mut(db, &table.schema().name.clone()) else {
            return false;
        };
        *slot = table;
        true
    }

    /// Records a new schema-change job of `table` and returns its id (`None`: no such database).
    pub fn add_alter_job(
        &mut self,
        db: &str,
        table: &str,
        state: JobState,
        transaction_id: i64,
    ) -> Option<u64> {
        let database = self.databases.get_mut(db)?;
        let schema_version = database
            .alter_jobs
            .iter()
            .filter(|j| j.table == table)
            .count() as u32
            + 1;
        let job_id = NEXT_JOB_ID.fetch_add(1, Ordering::Relaxed);
        let mut job = AlterJob {
            job_id,
            table: table.to_string(),
            create_time: now_text(),
            finish_time: None,
            schema_version,
            transaction_id,
            state,
            msg: String::new(),
            timeout_seconds: DEFAULT_ALTER_TIMEOUT_SECONDS,
        };
        job.set_state(state, "");
        database.alter_jobs.push(job);
        Some(job_id)
    }

    /// A schema-change job of a database, to move it on.
    pub fn alter_job_mut(&mut self, db: &str, job_id: u64) -> Option<&mut AlterJob> {
        self.databases
            .get_mut(db)?
            .alter_jobs
            .iter_mut()
            .find(|j| j.job_id == job_id)
    }

    /// Schema-change jobs of a database, oldest first; `None` if the database does not exist.
    pub fn alter_jobs(&self, db: &str) -> Option<&[AlterJob]> {
        self.databases.get(db).map(|d| d.alter_jobs.as_slice())
    }
}
