//! Runtime settings a test can change while the emulator runs (`GET/PUT /control/settings`,
//! `Emulator::settings`/`set_settings`): things a real cluster configures on its FE/BE and that
//! tests need to flip, such as answering like a server without the transaction interface, or
//! slowing down publish and schema-change jobs so client polling and timeouts can be tested.

use serde::{Deserialize, Serialize};

/// Runtime settings. Every field has a default, so a partial JSON object updates only what it
/// names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `false`: `/api/transaction/*` answers `{"status":"FAILED","msg":"Not implemented"}` like a
    /// server older than 2.4 (spec §5.4 probe).
    pub transaction_interface: bool,
    /// How long a committed transaction stays COMMITTED before it becomes VISIBLE (publish).
    pub publish_delay_ms: u64,
    /// How long an FE commit waits for publish when the request has no `timeout` header
    /// (spec §5.7: 20 s); also the BE's wait in plain and one-phase commits.
    pub publish_wait_ms: u64,
    /// Concurrent loads one BE accepts (0 = no limit); beyond → `Stream Load exceed http
    /// cuncurrent limit N, please try again later` (spec F7).
    pub be_concurrency_limit: usize,
    /// Running (PREPARE/PREPARED) transactions per database (`max_running_txn_num_per_db`,
    /// spec F8); 0 = no limit.
    pub max_running_txn_num_per_db: usize,
    /// How long a schema-change job (`ALTER TABLE` ADD/DROP/MODIFY COLUMN) stays `RUNNING` once
    /// it stops waiting for earlier loads, before it is applied and `FINISHED` (0 = at once).
    /// A job keeps the value of the time it was created.
    pub alter_job_ms: u64,
    /// BE `streaming_load_max_mb` (10240, as StarRocks' BE): a Stream Load or transaction `load`
    /// whose `Content-Length` is above this many MiB fails in the header phase, before any
    /// `100 Continue` (`body size N exceed limit: M ...`, spec §1.5). Chunked bodies are not
    /// checked (their size is unknown at the header).
    pub streaming_load_max_mb: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            transaction_interface: true,
            publish_delay_ms: 0,
            publish_wait_ms: 20_000,
            be_concurrency_limit: 0,
            max_running_txn_num_per_db: 1000,
            alter_job_ms: 0,
            streaming_load_max_mb: 10_240,
        }
    }
}

impl Settings {
    /// Applies a JSON object of changes on top of these settings.
    pub fn merged(&self, changes: &serde_json::Value) -> Result<Settings, String> {
        let mut current = serde_json::to_value(self).map_err(|e| e.to_string())?;
        let (Some(target), Some(changes)) = (current.as_object_mut(), changes.as_object()) else {
            return Err("settings must be a JSON object".to_string());
        };
        for (k, v) in changes {
            target.insert(k.clone(), v.clone());
        }
        serde_json::from_value(current).map_err(|e| format!("invalid settings: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_partial_changes() {
        let s = Settings::default()
            .merged(&serde_json::json!({"publish_delay_ms": 5}))
            .expect("valid");
        assert_eq!(s.publish_delay_ms, 5);
        assert!(s.transaction_interface);
        assert!(Settings::default()
            .merged(&serde_json::json!({"nope": 1}))
            .is_err());
    }
}
