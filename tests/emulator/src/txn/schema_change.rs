//! Schema-change jobs (`ALTER TABLE` ADD/DROP/MODIFY COLUMN) as StarRocks runs them. The
//! statement answers OK at once; the job first waits for the loads on its table that began before
//! it (`WAITING_TXN`: PREPARE, PREPARED or COMMITTED transactions, until each is VISIBLE or
//! ABORTED, i.e. committed and published, rolled back or timed out), then runs (`RUNNING`, as
//! long as the `alter_job_ms` setting said when it was created), then is applied and `FINISHED`.
//! The rows of the loads it waited for land in the old schema and are converted with every other
//! row. One job per table at a time: another `ALTER TABLE` on it (any clause) is refused with
//! StarRocks' "state is not NORMAL" error, so is `TRUNCATE TABLE`; `DROP TABLE` cancels the job.
//!
//! Loads that begin after the `ALTER` do not delay it [emulator choice, like StarRocks' watershed
//! transaction id]. They stage against the schema current when they are planned (a plain Stream
//! Load at begin, a transaction-interface load at its first `load`), so they may stage against
//! the old schema; rows staged against it and committed after the change are converted to the new
//! schema then (`storage::lineage`), and rows that PREPARED/COMMITTED transactions hold when the
//! job is applied are converted at that moment. A value that no longer fits fails that commit, or
//! cancels the job (`CANCELLED`, with the message in `Msg`), as a visible row that does not fit
//! does.
//!
//! Without open loads on the table and with `alter_job_ms` 0 the job is applied during the
//! statement, which fails if a row does not fit (no job is recorded then); otherwise the
//! statement checks the visible rows the same way before answering. RENAME COLUMN and table
//! comments are no jobs (metadata changes in StarRocks): they apply at once and open loads follow
//! them. Jobs move on when a transaction ends (`publish`, `abort_txn`), when the sweeper wakes at
//! a running job's end, and when `SHOW ALTER TABLE COLUMN` reads them.

use std::time::{Duration, Instant};

use crate::state::State;
use crate::storage::alter::{plan, AlterPlan, SchemaChange};
use crate::storage::ddl::{now_text, JobState};
use crate::storage::evolve::evolve;
use crate::storage::lineage::Refusal;
use crate::storage::table::Table;
use crate::txn::TxnId;

/// StarRocks' answer to an `ALTER TABLE` while the table's job is unfinished.
fn not_normal(table: &str) -> String {
    format!(
        "Unexpected exception: Table[{table}]'s state is not NORMAL. Do not allow doing ALTER ops"
    )
}

/// An unfinished schema-change job.
#[derive(Debug)]
struct Job {
    id: u64,
    db: String,
    table: String,
    plan: AlterPlan,
    /// Transactions on the table that began before the job and are not final yet.
    waiting: Vec<TxnId>,
    running_for: Duration,
    /// When the job is applied; set when it stops waiting.
    apply_at: Option<Instant>,
}

/// The unfinished schema-change jobs.
#[derive(Debug, Default)]
pub struct SchemaChanges {
    jobs: Vec<Job>,
}

impl SchemaChanges {
    /// When the next running job is applied.
    pub fn next_due(&self) -> Option<Instant> {
        self.jobs.iter().filter_map(|j| j.apply_at).min()
    }

    fn busy(&self, db: &str, table: &str) -> bool {
        self.jobs.iter().any(|j| j.db == db && j.table == table)
    }
}

impl State {
    /// `ALTER TABLE db.table` with `changes` (the table exists); `Err` is the statement's error.
    /// A job runs for `running_for` once it stops waiting.
    pub fn alter_table(
        &mut self,
        db: &str,
        table: &str,
        changes: &[SchemaChange],
        running_for: Duration,
        now: Instant,
    ) -> Result<(), String> {
        if self.schema_changes.busy(db, table) {
            return Err(not_normal(table));
        }
        let current = self
            .catalog
            .table(db, table)
            .ok_or_else(|| format!("Unknown table '{db}.{table}'"))?;
        let planned = plan(current.schema(), changes, &now_text())?;
        // The change itself when it applies now, else the check that the visible rows fit.
        let rebuilt = evolve(current, planned.schema.clone(), &planned.sources)?;
        if !planned.is_job {
            return self.install(db, rebuilt);
        }
        let waiting = self.txns.open_on(db, table);
        let watershed = self.txns.next_id();
        if waiting.is_empty() && running_for.is_zero() {
            self.install(db, rebuilt)?;
            self.catalog
                .add_alter_job(db, table, JobState::Finished, watershed);
            return Ok(());
        }
        let (state, apply_at) = if waiting.is_empty() {
            (JobState::Running, Some(now + running_for))
        } else {
            (JobState::WaitingTxn, None)
        };
        let id = self
            .catalog
            .add_alter_job(db, table, state, watershed)
            .ok_or_else(|| format!("Unknown database '{db}'"))?;
        self.schema_changes.jobs.push(Job {
            id,
            db: db.to_string(),
            table: table.to_string(),
            plan: planned,
            waiting,
            running_for,
            apply_at,
        });
        Ok(())
    }

    /// Moves the jobs on: one whose transactions are all final starts running, one whose running
    /// time is over is applied (`FINISHED`) or, if a row does not fit, `CANCELLED`.
    pub fn advance_schema_changes(&mut self, now: Instant) {
        if self.schema_changes.jobs.is_empty() {
            return;
        }
        let mut jobs = std::mem::take(&mut self.schema_changes.jobs);
        jobs.retain_mut(|job| {
            if job.apply_at.is_none() {
                job.waiting.retain(|id| self.txns.is_open(*id));
                if !job.waiting.is_empty() {
                    return true;
                }
                job.apply_at = Some(now + job.running_for);
                self.set_job_state(job, JobState::Running, "");
            }
            if job.apply_at.is_some_and(|at| at > now) {
                return true;
            }
            match self.apply(job) {
                Ok(()) => self.set_job_state(job, JobState::Finished, ""),
                Err(m) => self.set_job_state(job, JobState::Cancelled, &m),
            }
            false
        });
        self.schema_changes.jobs = jobs;
    }

    /// `TRUNCATE TABLE`: refused while the table's job is unfinished (StarRocks' table state is
    /// then SCHEMA_CHANGE); `Ok(false)` if the table does not exist.
    pub fn truncate_table(&mut self, db: &str, table: &str) -> Result<bool, String> {
        if self.schema_changes.busy(db, table) {
            return Err("Table' state is not NORMAL: SCHEMA_CHANGE".to_string());
        }
        Ok(self.catalog.truncate_table(db, table))
    }

    /// `DROP TABLE [FORCE]`: without FORCE refused while a COMMITTED transaction waits to publish
    /// into the table (as StarRocks); cancels the table's unfinished job. `Ok(false)` if the table
    /// does not exist.
    pub fn drop_table(&mut self, db: &str, table: &str, force: bool) -> Result<bool, String> {
        if !force && self.txns.has_committed(db, Some(table)) {
            return Err(format!(
                "There are still some transactions in the COMMITTED state waiting to be completed. \
                 The table [{table}] cannot be dropped. If you want to forcibly drop(cannot be \
                 recovered), please use \"DROP TABLE <table> FORCE\"."
            ));
        }
        let mut jobs = std::mem::take(&mut self.schema_changes.jobs);
        jobs.retain(|job| {
            let dropped = job.db == db && job.table == table;
            if dropped {
                self.set_job_state(
                    job,
                    JobState::Cancelled,
                    &format!("Table [{table}] was dropped"),
                );
            }
            !dropped
        });
        self.schema_changes.jobs = jobs;
        Ok(self.catalog.drop_table(db, table))
    }

    /// `DROP DATABASE [FORCE]`: like `drop_table` for every table of the database (its job
    /// records go with it). `Ok(false)` if the database does not exist.
    pub fn drop_database(&mut self, db: &str, force: bool) -> Result<bool, String> {
        if !force && self.txns.has_committed(db, None) {
            return Err(format!(
                "There are still some transactions in the COMMITTED state waiting to be completed. \
                 The database [{db}] cannot be dropped. If you want to forcibly drop(cannot be \
                 recovered), please use \"DROP DATABASE <database> FORCE\"."
            ));
        }
        self.schema_changes.jobs.retain(|job| job.db != db);
        Ok(self.catalog.drop_database(db))
    }

    fn set_job_state(&mut self, job: &Job, state: JobState, msg: &str) {
        if let Some(record) = self.catalog.alter_job_mut(&job.db, job.id) {
            record.set_state(state, msg);
        }
    }

    fn apply(&mut self, job: &Job) -> Result<(), String> {
        let table = self
            .catalog
            .table(&job.db, &job.table)
            .ok_or_else(|| format!("Table [{}] does not exist", job.table))?;
        let rebuilt = evolve(table, job.plan.schema.clone(), &job.plan.sources)?;
        self.install(&job.db, rebuilt)
    }

    /// Puts a changed table in place and converts the rows PREPARED/COMMITTED transactions hold
    /// for it; nothing changes if one of them does not fit.
    fn install(&mut self, db: &str, table: Table) -> Result<(), String> {
        let schema = table.schema().clone();
        let mut carried = Vec::new();
        for (id, writes) in &self.pending.writes {
            if self.txns.get(*id).is_none_or(|t| t.database != db) {
                continue;
            }
            for (i, write) in writes.iter().enumerate() {
                if write.table != schema.name {
                    continue;
                }
                match table.carry_staged(&write.schema, &write.rows) {
                    Ok(Some(rows)) => carried.push((*id, i, rows)),
                    // Staged for a dropped or truncated table: refused at commit or publish.
                    Ok(None) | Err(Refusal::Dropped | Refusal::Truncated) => {}
                    Err(Refusal::Value(m)) => return Err(m),
                }
            }
        }
        self.catalog.replace_table(db, table);
        for (id, i, rows) in carried {
            if let Some(write) = self.pending.writes.get_mut(&id).and_then(|w| w.get_mut(i)) {
                write.rows = rows;
                write.schema = schema.clone();
            }
        }
        Ok(())
    }
}
