//! StarRocks' JSON answers, read the way the protocol requires: keys case-insensitively, unknown
//! keys ignored, formatting and key order irrelevant. One type serves every response family
//! (stream-load result, transaction-op results, `get_load_state`); callers ask for what they need.

use serde_json::{Map, Value};

/// A parsed JSON answer with lower-cased keys.
#[derive(Debug, Clone, Default)]
pub struct ServerAnswer {
    fields: Map<String, Value>,
}

impl ServerAnswer {
    /// Parses a response body; `Err` carries a short excerpt of what came instead.
    pub fn parse(body: &[u8]) -> Result<ServerAnswer, String> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| format!("not a JSON answer ({e}): {}", excerpt(body, 300)))?;
        let Value::Object(map) = value else {
            return Err(format!("not a JSON object: {}", excerpt(body, 300)));
        };
        let fields = map
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        Ok(ServerAnswer { fields })
    }

    /// A string field (numbers are rendered as text).
    pub fn text(&self, key: &str) -> Option<String> {
        match self.fields.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// An integer field, accepting numbers and numeric strings.
    pub fn int(&self, key: &str) -> Option<i64> {
        match self.fields.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// `Status` / `status`.
    pub fn status(&self) -> Option<String> {
        self.text("status")
    }

    /// `Message`, or the family-D `msg` when `message` is empty.
    pub fn message(&self) -> String {
        self.text("message")
            .filter(|m| !m.is_empty())
            .or_else(|| self.text("msg"))
            .unwrap_or_default()
    }

    pub fn existing_job_status(&self) -> Option<String> {
        self.text("existingjobstatus")
    }

    pub fn error_url(&self) -> Option<String> {
        self.text("errorurl").filter(|u| !u.is_empty())
    }

    /// `state` of `get_load_state`.
    pub fn state(&self) -> Option<String> {
        self.text("state")
    }

    /// The figures of a Stream Load or prepare answer (absent keys stay `None`).
    pub fn load_stats(&self) -> LoadStats {
        LoadStats {
            filtered_rows: self.int("numberfilteredrows"),
            load_time_ms: self.int("loadtimems"),
            plan_time_ms: self
                .int("streamloadplantimems")
                .or_else(|| self.int("streamloadputtimems")),
            read_data_time_ms: self
                .int("readdatatimems")
                .or_else(|| self.int("receiveddatatimems")),
            write_data_time_ms: self.int("writedatatimems"),
            commit_and_publish_time_ms: self.int("commitandpublishtimems"),
        }
    }
}

/// What StarRocks reported about one load (a Stream Load) or one transaction (its prepare).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadStats {
    pub filtered_rows: Option<i64>,
    pub load_time_ms: Option<i64>,
    /// `StreamLoadPlanTimeMs`, named `StreamLoadPutTimeMs` by older releases.
    pub plan_time_ms: Option<i64>,
    /// `ReadDataTimeMs`, named `ReceivedDataTimeMs` in transaction answers.
    pub read_data_time_ms: Option<i64>,
    pub write_data_time_ms: Option<i64>,
    pub commit_and_publish_time_ms: Option<i64>,
}

/// The first `max` characters of a body, for messages.
pub fn excerpt(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_unknown_keys_ignored() {
        let a = ServerAnswer::parse(
            br#"{"TxnId":7,"Label":"l1","Status":"Fail","Message":"too many filtered rows",
                "NumberLoadedRows":"3","ErrorURL":"http://be:8040/api/_load_error_log?file=x","Whatever":[1]}"#,
        )
        .unwrap();
        assert_eq!(a.status().as_deref(), Some("Fail"));
        assert_eq!(a.message(), "too many filtered rows");
        assert_eq!(a.int("txnid"), Some(7));
        assert_eq!(a.int("numberloadedrows"), Some(3));
        assert!(a.error_url().unwrap().contains("error_log"));
    }

    #[test]
    fn family_d_uses_msg() {
        let a = ServerAnswer::parse(
            br#"{"state":"VISIBLE","status":"OK","code":"0","msg":"Success","message":""}"#,
        )
        .unwrap();
        assert_eq!(a.state().as_deref(), Some("VISIBLE"));
        assert_eq!(a.message(), "Success");
    }

    #[test]
    fn load_stats_read_old_and_transaction_key_names() {
        let plain = ServerAnswer::parse(
            br#"{"Status":"Success","NumberFilteredRows":2,"LoadTimeMs":31,"StreamLoadPlanTimeMs":1,
                "ReadDataTimeMs":4,"WriteDataTimeMs":11,"CommitAndPublishTimeMs":16}"#,
        )
        .unwrap();
        assert_eq!(
            plain.load_stats(),
            LoadStats {
                filtered_rows: Some(2),
                load_time_ms: Some(31),
                plan_time_ms: Some(1),
                read_data_time_ms: Some(4),
                write_data_time_ms: Some(11),
                commit_and_publish_time_ms: Some(16),
            }
        );
        let old = ServerAnswer::parse(
            br#"{"Status":"OK","StreamLoadPutTimeMs":3,"ReceivedDataTimeMs":12}"#,
        )
        .unwrap();
        let stats = old.load_stats();
        assert_eq!(stats.plan_time_ms, Some(3));
        assert_eq!(stats.read_data_time_ms, Some(12));
        assert_eq!(stats.load_time_ms, None);
        assert_eq!(stats.filtered_rows, None);
    }

    #[test]
    fn non_json_is_reported_with_an_excerpt() {
        let e = ServerAnswer::parse(b"<html>404 Not Found</html>").unwrap_err();
        assert!(e.contains("<html>404"), "{e}");
        assert!(ServerAnswer::parse(b"[1]").is_err());
    }
}
