//! Typed, validated sink configuration built from the string map of options that the user wrote
//! (Flink SQL `WITH (...)` or the DataStream options builder).
//!
//! This module owns the option keys the engine interprets, their defaults (the public Java
//! connector's, release line 1.2.x) and their validation. Every error names the option at fault.
//! It never logs or prints the password; [`Secret`] hides it from `Debug`.
//!
//! An option that the public connector has but whose behaviour is not built here yet is rejected
//! with an `Unsupported` error that says so, unless it is left at its default.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::error::{ErrorKind, Result, SinkError};
use crate::load::compression::Compression;
use crate::load::tls::TrustStore;
use crate::redact::url_for_messages;

/// Prefix of the pass-through options that become Stream Load headers.
pub const PROPERTIES_PREFIX: &str = "sink.properties.";

/// How an option is handled by this connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Interpreted by the engine.
    Engine,
    /// Interpreted by the Java shim only (Flink-side behaviour); the engine accepts and skips it.
    Shim,
    /// Known from the public connector, not built yet: only its default value is accepted.
    NotYet(&'static str),
    /// Accepted, but only part of its behaviour is built (the note says which).
    Partial(&'static str),
}

/// One option key of the public connector.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub key: &'static str,
    /// The default as the user would write it; `None` when there is none.
    pub default: Option<&'static str>,
    pub required: bool,
    pub support: Support,
}

const fn spec(
    key: &'static str,
    default: Option<&'static str>,
    required: bool,
    support: Support,
) -> OptionSpec {
    OptionSpec {
        key,
        default,
        required,
        support,
    }
}

const MERGE_COMMIT: Support = Support::NotYet("merge commit is not supported yet");
const MULTI_TABLE_TXN: Support =
    Support::NotYet("multi-table transaction stream load is not supported yet");

/// Every sink option key of the public connector (upstream-features §1), with its default.
pub const OPTION_SPECS: &[OptionSpec] = &[
    spec("jdbc-url", None, true, Support::Engine),
    spec("load-url", None, true, Support::Engine),
    spec("database-name", None, true, Support::Engine),
    spec("table-name", None, true, Support::Engine),
    spec("username", None, true, Support::Engine),
    spec("password", None, true, Support::Engine),
    spec(
        "sink.version",
        Some("AUTO"),
        false,
        Support::Partial("AUTO and V2 (V1 is not supported yet)"),
    ),
    spec(
        "sink.semantic",
        Some("at-least-once"),
        false,
        Support::Engine,
    ),
    spec("sink.label-prefix", None, false, Support::Engine),
    spec(
        "sink.buffer-flush.max-bytes",
        Some("94371840"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.buffer-flush.max-rows",
        Some("500000"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.buffer-flush.interval-ms",
        Some("300000"),
        false,
        Support::Engine,
    ),
    spec("sink.max-retries", Some("3"), false, Support::Engine),
    spec(
        "sink.retry.interval-ms",
        Some("10000"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.buffer-flush.enqueue-timeout-ms",
        Some("600000"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.connect.timeout-ms",
        Some("30000"),
        false,
        Support::Engine,
    ),
    spec("sink.socket.timeout-ms", Some("-1"), false, Support::Engine),
    spec(
        "sink.wait-for-continue.timeout-ms",
        Some("30000"),
        false,
        Support::Engine,
    ),
    spec("sink.io.thread-count", Some("2"), false, Support::Engine),
    spec(
        "sink.chunk-limit",
        Some("3221225472"),
        false,
        Support::Engine,
    ),
    spec("sink.scan-frequency.ms", Some("50"), false, Support::Engine),
    spec(
        "sink.metric.histogram-window-size",
        Some("100"),
        false,
        Support::Shim,
    ),
    spec("sink.parallelism", None, false, Support::Shim),
    spec(
        "sink.at-least-once.use-transaction-stream-load",
        Some("true"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.ignore.update-before",
        Some("true"),
        false,
        Support::Shim,
    ),
    spec(
        "sink.exactly-once.enable-label-gen",
        Some("true"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.exactly-once.enable-abort-lingering-txn",
        Some("true"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.exactly-once.check-num-lingering-txn",
        Some("-1"),
        false,
        Support::Engine,
    ),
    spec("sink.use.new-sink-api", Some("false"), false, Support::Shim),
    spec(
        "sink.wrap-json-as-array",
        Some("false"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.sanitize-error-log",
        Some("false"),
        false,
        Support::Engine,
    ),
    spec("sink.blackhole", Some("false"), false, Support::Engine),
    spec(
        "sink.publish-timeout.ms",
        Some("-1"),
        false,
        Support::Engine,
    ),
    spec(
        "sink.transaction.multi-table.enabled",
        Some("false"),
        false,
        MULTI_TABLE_TXN,
    ),
    spec(
        "sink.transaction.multi-table.buffer-size",
        Some("134217728"),
        false,
        MULTI_TABLE_TXN,
    ),
    spec("sink.merge-commit.chunk.size", None, false, MERGE_COMMIT),
    spec(
        "sink.merge-commit.max-concurrent-requests",
        Some("2147483647"),
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.http.thread.num",
        Some("3"),
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.http.max-connections",
        Some("20"),
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.http.total-max-connections",
        Some("1000"),
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.http.idle-connection-timeout-ms",
        Some("60000"),
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.node-meta.update-interval-ms",
        Some("5000"),
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.check-label-state.init-delay-ms",
        Some("500"),
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.check-label-state.interval-ms",
        Some("500"),
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.check-label-state.timeout-ms",
        None,
        false,
        MERGE_COMMIT,
    ),
    spec(
        "sink.merge-commit.backend-direct-connection",
        Some("false"),
        false,
        MERGE_COMMIT,
    ),
];

/// Looks up the spec of an option key.
pub fn option_spec(key: &str) -> Option<&'static OptionSpec> {
    OPTION_SPECS.iter().find(|s| s.key == key)
}

/// A value that must never be printed (the password).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The delivery guarantee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Semantic {
    AtLeastOnce,
    ExactlyOnce,
}

/// An FE HTTP address from `load-url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadUrl {
    pub host: String,
    pub port: u16,
    /// `https://`: TLS with certificate and host-name checks.
    pub tls: bool,
}

impl LoadUrl {
    /// `host:port` as used in the `Host` header and in messages.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// `sink.version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkVersion {
    Auto,
    V1,
    V2,
}

/// The body format of Stream Load requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Csv {
        column_separator: Vec<u8>,
        row_delimiter: Vec<u8>,
    },
    Json,
}

/// Validated engine configuration.
#[derive(Debug, Clone)]
pub struct SinkOptions {
    pub load_urls: Vec<LoadUrl>,
    /// The CAs that `https` servers' certificates must chain to: always the system's store from
    /// options (no option changes it); tests set their own.
    pub trust_store: TrustStore,
    /// `jdbc-url` (the FE's MySQL-protocol port), for table introspection.
    pub jdbc_url: String,
    pub database: String,
    pub table: String,
    pub username: String,
    pub password: Secret,
    pub semantic: Semantic,
    pub version: SinkVersion,
    /// `sink.label-prefix` as the user set it.
    pub label_prefix: Option<String>,
    /// `sink.at-least-once.use-transaction-stream-load`.
    pub at_least_once_use_transaction: bool,
    pub exactly_once_label_gen: bool,
    pub abort_lingering_transactions: bool,
    /// `sink.exactly-once.check-num-lingering-txn`: labels to probe, -1 = to the first unused.
    pub check_num_lingering: i64,
    pub max_bytes: u64,
    pub max_rows: u64,
    pub flush_interval: Duration,
    pub max_retries: u32,
    pub retry_interval: Duration,
    pub enqueue_timeout: Duration,
    pub connect_timeout: Duration,
    /// `None`: no per-read timeout, only the load deadline applies.
    pub socket_timeout: Option<Duration>,
    /// `sink.publish-timeout.ms`: how long a commit waits for the publish (`timeout` header of
    /// the commit); `None`: the server's default.
    pub publish_timeout: Option<Duration>,
    /// `sink.sanitize-error-log`: row data is cut out of fetched error logs.
    pub sanitize_error_log: bool,
    /// `sink.wrap-json-as-array`: each JSON record given as text is an array of rows.
    pub wrap_json_as_array: bool,
    /// `sink.blackhole`: rows are encoded and then dropped; nothing is loaded.
    pub blackhole: bool,
    pub wait_for_continue_timeout: Duration,
    pub io_threads: usize,
    pub chunk_limit: u64,
    pub scan_frequency: Duration,
    /// The `timeout` Stream Load header, in seconds.
    pub load_timeout: Duration,
    /// The sink's Stream Load properties (tables may override them).
    pub properties: LoadProperties,
    /// Warnings produced while validating (e.g. a clamped value), for the log.
    pub warnings: Vec<String>,
}

/// Label prefix of `{prefix}-{uuid}` labels when `sink.label-prefix` is not set (as upstream).
pub const DEFAULT_LABEL_PREFIX: &str = "flink";
/// The longest label StarRocks accepts.
pub const MAX_LABEL_LEN: usize = 128;
/// Length of `-{uuid}` appended to the prefix.
const UUID_SUFFIX_LEN: usize = 37;

const KIB: u64 = 1024;
const GIB: u64 = 1024 * 1024 * 1024;

impl SinkOptions {
    /// Builds the options from the user's map. Keys other than the known ones and
    /// `sink.properties.*` are rejected.
    pub fn from_map(map: &BTreeMap<String, String>) -> Result<SinkOptions> {
        Reader::new(map)?.build()
    }
}

impl SinkOptions {
    fn header(&self, name: &str) -> Option<&str> {
        self.properties
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The properties of a table whose own properties (`overrides`, any case) replace the
    /// sink's.
    pub fn table_properties(
        &self,
        table: &str,
        overrides: &[(String, String)],
    ) -> Result<LoadProperties> {
        if overrides.is_empty() {
            return Ok(self.properties.clone());
        }
        let mut given = self.properties.given.clone();
        for (k, v) in overrides {
            given.insert(k.to_ascii_lowercase(), v.clone());
        }
        LoadProperties::from_headers(given, &|name| format!("property '{name}' of table {table}"))
    }

    /// Headers of `/api/transaction/begin`: the load `timeout` and the begin-time properties.
    pub fn begin_headers(&self) -> Vec<(String, String)> {
        ["timeout", "warehouse", "idle_transaction_timeout"]
            .iter()
            .filter_map(|k| self.header(k).map(|v| (k.to_string(), v.to_string())))
            .collect()
    }

    /// Headers of `/api/transaction/commit`: `timeout` (seconds, at least 1) from
    /// `sink.publish-timeout.ms` when it is set, as the public connector.
    pub fn commit_headers(&self) -> Vec<(String, String)> {
        match self.publish_timeout {
            Some(t) => vec![("timeout".to_string(), t.as_secs().max(1).to_string())],
            None => Vec::new(),
        }
    }

    /// Headers of `/api/transaction/prepare`: the user's `prepared_timeout`, or 180 s when the
    /// prepare is followed by an immediate commit (at-least-once, as the public connector).
    pub fn prepare_headers(&self, auto_commit: bool) -> Vec<(String, String)> {
        match self.header("prepared_timeout") {
            Some(v) => vec![("prepared_timeout".to_string(), v.to_string())],
            None if auto_commit => vec![("prepared_timeout".to_string(), "180".to_string())],
            None => Vec::new(),
        }
    }
}

struct Reader<'a> {
    map: &'a BTreeMap<String, String>,
    warnings: Vec<String>,
}

fn config_err(message: impl Into<String>) -> SinkError {
    SinkError::new(ErrorKind::Config, message)
}

impl<'a> Reader<'a> {
    fn new(map: &'a BTreeMap<String, String>) -> Result<Self> {
        for key in map.keys() {
            if key.starts_with(PROPERTIES_PREFIX) {
                if key.len() == PROPERTIES_PREFIX.len() {
                    return Err(config_err(format!(
                        "option '{key}' has an empty header name after '{PROPERTIES_PREFIX}'"
                    )));
                }
                continue;
            }
            match option_spec(key) {
                None => {
                    return Err(config_err(format!(
                        "unknown option '{key}'; supported keys are the public connector's sink \
                         options and '{PROPERTIES_PREFIX}*'"
                    )))
                }
                Some(OptionSpec {
                    support: Support::NotYet(why),
                    default,
                    ..
                }) => {
                    let value = &map[key];
                    if default
                        .map(|d| !d.eq_ignore_ascii_case(value.trim()))
                        .unwrap_or(true)
                    {
                        return Err(SinkError::new(
                            ErrorKind::Unsupported,
                            format!("option '{key}' = '{value}': {why}"),
                        ));
                    }
                }
                Some(_) => {}
            }
        }
        Ok(Reader {
            map,
            warnings: Vec::new(),
        })
    }

    fn raw(&self, key: &str) -> Option<&'a str> {
        self.map.get(key).map(|s| s.as_str())
    }

    fn required(&self, key: &str) -> Result<&'a str> {
        match self.raw(key) {
            Some(v) if !v.trim().is_empty() => Ok(v),
            Some(_) => Err(config_err(format!("required option '{key}' is empty"))),
            None => Err(config_err(format!("required option '{key}' is missing"))),
        }
    }

    /// The value or the registered default.
    fn value(&self, key: &str) -> Option<&'a str> {
        self.raw(key)
            .or_else(|| option_spec(key).and_then(|s| s.default))
    }

    fn int(&self, key: &str) -> Result<i64> {
        let v = self
            .value(key)
            .ok_or_else(|| config_err(format!("option '{key}' has no value")))?;
        v.trim()
            .parse::<i64>()
            .map_err(|_| config_err(format!("option '{key}' must be an integer, got '{v}'")))
    }

    fn int_in(&self, key: &str, min: i64, max: i64) -> Result<i64> {
        let v = self.int(key)?;
        if v < min || v > max {
            return Err(config_err(format!(
                "option '{key}' must be between {min} and {max}, got {v}"
            )));
        }
        Ok(v)
    }

    /// Clamped like the public connector's getters, with a warning instead of silence.
    fn int_clamped(&mut self, key: &str, min: i64, max: i64) -> Result<i64> {
        let v = self.int(key)?;
        let c = v.clamp(min, max);
        if c != v {
            self.warnings.push(format!(
                "option '{key}' = {v} is outside [{min}, {max}]; using {c}"
            ));
        }
        Ok(c)
    }

    fn boolean(&self, key: &str) -> Result<bool> {
        let v = self.value(key).unwrap_or("false").trim();
        if v.eq_ignore_ascii_case("true") {
            Ok(true)
        } else if v.eq_ignore_ascii_case("false") {
            Ok(false)
        } else {
            Err(config_err(format!(
                "option '{key}' must be true or false, got '{v}'"
            )))
        }
    }

    fn build(mut self) -> Result<SinkOptions> {
        let jdbc_url = self.required("jdbc-url")?.trim().to_string();
        let load_urls = parse_load_urls(self.required("load-url")?)?;
        let database = self.required("database-name")?.trim().to_string();
        let table = self.required("table-name")?.trim().to_string();
        let username = self.required("username")?.to_string();
        let password = Secret::new(self.raw("password").ok_or_else(|| {
            config_err("required option 'password' is missing (use '' for an empty password)")
        })?);

        let semantic = match self.value("sink.semantic").unwrap_or("").trim() {
            s if s.eq_ignore_ascii_case("at-least-once") => Semantic::AtLeastOnce,
            s if s.eq_ignore_ascii_case("exactly-once") => Semantic::ExactlyOnce,
            other => {
                return Err(config_err(format!(
                "option 'sink.semantic' must be 'at-least-once' or 'exactly-once', got '{other}'"
            )))
            }
        };
        let version = match self
            .value("sink.version")
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase()
            .as_str()
        {
            "AUTO" => SinkVersion::Auto,
            "V1" => SinkVersion::V1,
            "V2" => SinkVersion::V2,
            other => {
                return Err(config_err(format!(
                    "option 'sink.version' must be V1, V2 or AUTO, got '{other}'"
                )))
            }
        };
        if version == SinkVersion::V1 && semantic == Semantic::ExactlyOnce {
            return Err(SinkError::new(
                ErrorKind::Unsupported,
                "option 'sink.version' = 'V1' with exactly-once (rows kept in Flink state until \
                 the checkpoint completes) is not supported yet; use AUTO or V2 (transaction \
                 Stream Load)",
            ));
        }

        let label_prefix = match self.raw("sink.label-prefix") {
            None => None,
            Some(p) => {
                validate_label_prefix(p, UUID_SUFFIX_LEN)?;
                Some(p.to_string())
            }
        };

        let max_bytes = self.int_in("sink.buffer-flush.max-bytes", KIB as i64, 10 * GIB as i64)?;
        let max_rows = self.int_in("sink.buffer-flush.max-rows", 1, 5_000_000)?;
        let scan_frequency = self.int_in("sink.scan-frequency.ms", 50, 3_600_000)?;
        let interval = self.int_in("sink.buffer-flush.interval-ms", 1, 3_600_000)?;
        if interval < scan_frequency {
            return Err(config_err(format!(
                "option 'sink.buffer-flush.interval-ms' ({interval}) must not be smaller than \
                 'sink.scan-frequency.ms' ({scan_frequency})"
            )));
        }
        let max_retries = self.int_in("sink.max-retries", 0, 1000)?;
        let retry_interval = self.int_in("sink.retry.interval-ms", 0, 3_600_000)?;
        let enqueue_timeout =
            self.int_in("sink.buffer-flush.enqueue-timeout-ms", 1, 24 * 3_600_000)?;
        let connect_timeout = self.int_clamped("sink.connect.timeout-ms", 100, 60_000)?;
        let socket_timeout = self.int_in("sink.socket.timeout-ms", -1, i32::MAX as i64)?;
        let publish_timeout = self.int_in("sink.publish-timeout.ms", -1, i32::MAX as i64)?;
        let sanitize_error_log = self.boolean("sink.sanitize-error-log")?;
        let wrap_json_as_array = self.boolean("sink.wrap-json-as-array")?;
        let blackhole = self.boolean("sink.blackhole")?;
        let wait_for_continue =
            self.int_clamped("sink.wait-for-continue.timeout-ms", 3_000, 600_000)?;
        let io_threads = self.int_in("sink.io.thread-count", 1, 256)?;
        let chunk_limit = self.int_in("sink.chunk-limit", 1, 10 * GIB as i64)?;

        let use_txn = self.boolean("sink.at-least-once.use-transaction-stream-load")?;
        let label_gen = self.boolean("sink.exactly-once.enable-label-gen")?;
        let abort_lingering = self.boolean("sink.exactly-once.enable-abort-lingering-txn")?;
        let check_num = self.int_in(
            "sink.exactly-once.check-num-lingering-txn",
            -1,
            i32::MAX as i64,
        )?;

        let props = self.properties()?;
        if wrap_json_as_array && props.format != Format::Json {
            self.warnings.push(
                "option 'sink.wrap-json-as-array' is ignored: it applies to JSON records \
                 ('sink.properties.format' = 'json')"
                    .to_string(),
            );
        }
        if blackhole {
            self.warnings.push(
                "option 'sink.blackhole' is true: rows are encoded and dropped, nothing is loaded \
                 into StarRocks"
                    .to_string(),
            );
        }
        if let Format::Json = props.format {
            if chunk_limit as u64 > 3 * GIB {
                return Err(config_err(format!(
                    "option 'sink.chunk-limit' must be at most {} for JSON, got {chunk_limit}",
                    3 * GIB
                )));
            }
        }

        Ok(SinkOptions {
            load_urls,
            trust_store: TrustStore::System,
            jdbc_url,
            database,
            table,
            username,
            password,
            semantic,
            version,
            label_prefix,
            at_least_once_use_transaction: use_txn,
            exactly_once_label_gen: label_gen,
            abort_lingering_transactions: abort_lingering,
            check_num_lingering: check_num,
            max_bytes: max_bytes as u64,
            max_rows: max_rows as u64,
            flush_interval: Duration::from_millis(interval as u64),
            max_retries: max_retries as u32,
            retry_interval: Duration::from_millis(retry_interval as u64),
            enqueue_timeout: Duration::from_millis(enqueue_timeout as u64),
            connect_timeout: Duration::from_millis(connect_timeout as u64),
            socket_timeout: if socket_timeout > 0 {
                Some(Duration::from_millis(socket_timeout as u64))
            } else {
                None
            },
            publish_timeout: (publish_timeout > 0)
                .then(|| Duration::from_millis(publish_timeout as u64)),
            sanitize_error_log,
            wrap_json_as_array,
            blackhole,
            wait_for_continue_timeout: Duration::from_millis(wait_for_continue as u64),
            io_threads: io_threads as usize,
            chunk_limit: chunk_limit as u64,
            scan_frequency: Duration::from_millis(scan_frequency as u64),
            load_timeout: Duration::from_secs(props.timeout_secs),
            properties: props,
            warnings: self.warnings,
        })
    }

    fn properties(&self) -> Result<LoadProperties> {
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (key, value) in self.map.range(PROPERTIES_PREFIX.to_string()..) {
            let Some(sub) = key.strip_prefix(PROPERTIES_PREFIX) else {
                break;
            };
            if headers
                .insert(sub.to_ascii_lowercase(), value.clone())
                .is_some()
            {
                return Err(config_err(format!(
                    "option '{key}' is set twice (header names are case-insensitive)"
                )));
            }
        }
        LoadProperties::from_headers(headers, &|name| {
            format!("option '{PROPERTIES_PREFIX}{name}'")
        })
    }
}

/// Stream Load properties (headers) of one table, validated, with the format they select and
/// the defaults the connector adds (`timeout`, JSON's `strip_outer_array`/`ignore_json_size`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProperties {
    pub format: Format,
    /// The `timeout` header, in seconds.
    pub timeout_secs: u64,
    /// All headers, in a stable order.
    pub headers: Vec<(String, String)>,
    /// Whether `columns` was given (then the connector never derives one).
    pub user_columns: bool,
    /// The headers as the user gave them (lower-cased keys), before defaults.
    pub given: BTreeMap<String, String>,
    /// Whole-body compression; its header (`format` for CSV, `compression` for JSON) is set.
    pub compression: Option<Compression>,
}

impl LoadProperties {
    /// Validates `given` (lower-cased header names). `name_of` says how to name a property in
    /// messages (an option key, or a table property).
    pub fn from_headers(
        given: BTreeMap<String, String>,
        name_of: &dyn Fn(&str) -> String,
    ) -> Result<LoadProperties> {
        for name in given.keys() {
            if let Some((kind, why)) = reserved_header(name) {
                return Err(SinkError::new(kind, format!("{}: {why}", name_of(name))));
            }
        }
        let mut headers = given.clone();
        let format_value = headers.get("format").map(|s| s.trim().to_ascii_lowercase());
        let format = match format_value.as_deref() {
            None | Some("csv") => {
                let column_separator = delimiter(
                    &name_of("column_separator"),
                    headers
                        .get("column_separator")
                        .map(|s| s.as_str())
                        .unwrap_or("\t"),
                )?;
                let row_delimiter = delimiter(
                    &name_of("row_delimiter"),
                    headers
                        .get("row_delimiter")
                        .map(|s| s.as_str())
                        .unwrap_or("\n"),
                )?;
                if column_separator == row_delimiter {
                    return Err(config_err(format!(
                        "{} and {} must differ",
                        name_of("column_separator"),
                        name_of("row_delimiter")
                    )));
                }
                // StarRocks ends a row at the first row delimiter: one inside every column
                // separator would cut every row.
                if memchr::memmem::find(&column_separator, &row_delimiter).is_some() {
                    return Err(config_err(format!(
                        "{} must not contain {}: rows would end inside it",
                        name_of("column_separator"),
                        name_of("row_delimiter")
                    )));
                }
                Format::Csv {
                    column_separator,
                    row_delimiter,
                }
            }
            Some("json") => Format::Json,
            Some(other) => {
                return Err(config_err(format!(
                    "{} must be 'csv' or 'json', got '{other}'",
                    name_of("format")
                )))
            }
        };
        if let Format::Json = format {
            headers
                .entry("strip_outer_array".into())
                .or_insert_with(|| "true".into());
            headers
                .entry("ignore_json_size".into())
                .or_insert_with(|| "true".into());
            if headers
                .get("strip_outer_array")
                .is_some_and(|v| !v.trim().eq_ignore_ascii_case("true"))
            {
                return Err(config_err(format!(
                    "{} must be true: every request body is one JSON array of rows",
                    name_of("strip_outer_array")
                )));
            }
        }
        let timeout = headers
            .entry("timeout".into())
            .or_insert_with(|| "600".into());
        let timeout_secs = match timeout.trim().parse::<u64>() {
            Ok(t) if (1..=259_200).contains(&t) => t,
            _ => {
                return Err(config_err(format!(
                    "{} must be a whole number of seconds between 1 and 259200, got '{timeout}'",
                    name_of("timeout")
                )))
            }
        };
        let user_columns = headers.contains_key("columns");
        let compression = match headers.remove("compression") {
            None => None,
            Some(value) => {
                let codec = Compression::parse(&name_of("compression"), &value)?;
                // A compressed CSV body is named by its format alone (every StarRocks version);
                // JSON bodies by the `compression` header (StarRocks 3.2.7 and later).
                match format {
                    Format::Csv { .. } => {
                        headers.insert("format".into(), codec.csv_format().into())
                    }
                    Format::Json => {
                        headers.insert("compression".into(), codec.header_value().into())
                    }
                };
                Some(codec)
            }
        };
        Ok(LoadProperties {
            format,
            timeout_secs,
            headers: headers.into_iter().collect(),
            user_columns,
            given,
            compression,
        })
    }
}

/// Headers that the connector sets itself or whose behaviour is not built yet.
fn reserved_header(name: &str) -> Option<(ErrorKind, &'static str)> {
    match name {
        "label" => Some((
            ErrorKind::Config,
            "the connector generates labels; set 'sink.label-prefix' instead",
        )),
        "expect" | "authorization" | "content-length" | "transfer-encoding" | "host" => Some((
            ErrorKind::Config,
            "this HTTP header is managed by the connector",
        )),
        "content-encoding" => Some((
            ErrorKind::Config,
            "set the body compression with the 'compression' property instead",
        )),
        "enable_merge_commit"
        | "merge_commit_interval_ms"
        | "merge_commit_parallel"
        | "merge_commit_async" => {
            Some((ErrorKind::Unsupported, "merge commit is not supported yet"))
        }
        "transaction_type" => Some((
            ErrorKind::Unsupported,
            "multi-table transactions are not supported yet",
        )),
        _ => None,
    }
}

/// Parses a CSV delimiter as StarRocks does: `\xHH..` or `0xHH..` with an even number of hex digits
/// is raw bytes, anything else is taken literally. 1 to 50 bytes.
pub fn delimiter(key: &str, value: &str) -> Result<Vec<u8>> {
    let hex = value
        .strip_prefix("\\x")
        .or_else(|| value.strip_prefix("0x"))
        .or_else(|| value.strip_prefix("\\X"))
        .or_else(|| value.strip_prefix("0X"));
    let bytes = match hex {
        Some(digits)
            if !digits.is_empty()
                && digits.len() % 2 == 0
                && digits.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            (0..digits.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&digits[i..i + 2], 16))
                .collect::<std::result::Result<Vec<u8>, _>>()
                .map_err(|_| config_err(format!("option '{key}' has invalid hex '{value}'")))?
        }
        _ => value.as_bytes().to_vec(),
    };
    if bytes.is_empty() || bytes.len() > 50 {
        return Err(config_err(format!(
            "option '{key}' must be 1 to 50 bytes, got {} ('{value}')",
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// `load-url`: `;`-separated `host:port` entries, optionally with `http://` or `https://`.
pub fn parse_load_urls(value: &str) -> Result<Vec<LoadUrl>> {
    let mut urls = Vec::new();
    for raw in value.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        // A user may have written credentials into the URL: never echo them.
        let shown = url_for_messages(raw);
        let lower = raw.to_ascii_lowercase();
        let (rest, tls) = if lower.starts_with("https://") {
            (&raw[8..], true)
        } else if lower.starts_with("http://") {
            (&raw[7..], false)
        } else {
            (raw, false)
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains('/') || rest.contains('@') {
            return Err(config_err(format!(
                "option 'load-url': '{shown}' must be host:port (no path, no user info; the \
                 credentials go into 'username' and 'password')"
            )));
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => (h.trim_start_matches('[').trim_end_matches(']'), p),
            None => {
                return Err(config_err(format!(
                    "option 'load-url': '{shown}' has no port; expected host:port, e.g. fe1:8030"
                )))
            }
        };
        if host.is_empty() {
            return Err(config_err(format!(
                "option 'load-url': '{shown}' has no host"
            )));
        }
        let port = port.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
            config_err(format!(
                "option 'load-url': '{shown}' has an invalid port '{port}'"
            ))
        })?;
        urls.push(LoadUrl {
            host: host.to_string(),
            port,
            tls,
        });
    }
    if urls.is_empty() {
        return Err(config_err(
            "option 'load-url' has no address; expected host:port[;host:port...]",
        ));
    }
    Ok(urls)
}

/// A label prefix must keep the label within StarRocks' rules: `^[-\w]{1,128}$` (ASCII).
pub fn validate_label_prefix(prefix: &str, suffix_len: usize) -> Result<()> {
    if prefix.is_empty() {
        return Err(config_err("option 'sink.label-prefix' must not be empty"));
    }
    if let Some(bad) = prefix
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(config_err(format!(
            "option 'sink.label-prefix' = '{prefix}' contains '{bad}'; StarRocks labels allow \
             only ASCII letters, digits, '_' and '-'"
        )));
    }
    if prefix.len() + suffix_len > MAX_LABEL_LEN {
        return Err(config_err(format!(
            "option 'sink.label-prefix' is {} characters long; labels are limited to {} and the \
             connector appends {} more",
            prefix.len(),
            MAX_LABEL_LEN,
            suffix_len
        )));
    }
    Ok(())
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BTreeMap<String, String> {
        [
            ("jdbc-url", "jdbc:mysql://fe:9030"),
            ("load-url", "fe1:8030;http://fe2:8030"),
            ("database-name", "db"),
            ("table-name", "t"),
            ("username", "root"),
            ("password", "s3cret"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn with(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        let mut m = base();
        for (k, v) in pairs {
            m.insert(k.to_string(), v.to_string());
        }
        m
    }

    fn err(map: BTreeMap<String, String>) -> SinkError {
        SinkOptions::from_map(&map).expect_err("expected an error")
    }

    #[test]
    fn defaults_match_the_public_connector() {
        let o = SinkOptions::from_map(&base()).unwrap();
        assert_eq!(o.max_bytes, 94_371_840);
        assert_eq!(o.max_rows, 500_000);
        assert_eq!(o.flush_interval, Duration::from_millis(300_000));
        assert_eq!(o.max_retries, 3);
        assert_eq!(o.label_prefix, None);
        assert_eq!(o.semantic, Semantic::AtLeastOnce);
        assert!(o.at_least_once_use_transaction);
        assert_eq!(o.load_timeout, Duration::from_secs(600));
        assert_eq!(
            o.properties.format,
            Format::Csv {
                column_separator: b"\t".to_vec(),
                row_delimiter: b"\n".to_vec()
            }
        );
        assert_eq!(
            o.load_urls,
            vec![
                LoadUrl {
                    host: "fe1".into(),
                    port: 8030,
                    tls: false
                },
                LoadUrl {
                    host: "fe2".into(),
                    port: 8030,
                    tls: false
                }
            ]
        );
        assert!(o
            .properties
            .headers
            .contains(&("timeout".into(), "600".into())));
    }

    #[test]
    fn missing_load_url_names_the_option() {
        let mut m = base();
        m.remove("load-url");
        let e = err(m);
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.message().contains("'load-url'"), "{e}");
    }

    #[test]
    fn https_load_urls_mix_with_plain_ones() {
        let urls = parse_load_urls("HTTPS://fe1:8443/; fe2:8030;http://[::1]:8030").unwrap();
        let got: Vec<_> = urls
            .iter()
            .map(|u| (u.host.as_str(), u.port, u.tls))
            .collect();
        assert_eq!(
            got,
            [
                ("fe1", 8443, true),
                ("fe2", 8030, false),
                ("::1", 8030, false)
            ]
        );
        let e = parse_load_urls("https://fe1").unwrap_err();
        assert!(e.message().contains("'https://fe1' has no port"), "{e}");
    }

    #[test]
    fn load_url_without_port_is_rejected() {
        let e = err(with(&[("load-url", "fe1")]));
        assert!(e.message().contains("no port"), "{e}");
        let e = err(with(&[("load-url", "fe1:http")]));
        assert!(e.message().contains("invalid port"), "{e}");
    }

    #[test]
    fn credentials_in_a_load_url_are_never_echoed() {
        for url in [
            "http://root:s3cret@fe1:8030",
            "root:s3cret@fe1:8030",
            "https://root:s3cret@fe1:8030",
            "http://root:s3/cret@fe1:8030/",
            "fe0:8030;root:s3cret@fe1",
        ] {
            let e = err(with(&[("load-url", url)]));
            assert!(e.message().contains("'load-url'"), "{e}");
            assert!(!e.message().contains("s3cret"), "{e}");
        }
    }

    #[test]
    fn negative_sizes_are_rejected() {
        for key in [
            "sink.buffer-flush.max-bytes",
            "sink.buffer-flush.max-rows",
            "sink.buffer-flush.interval-ms",
            "sink.max-retries",
        ] {
            let e = err(with(&[(key, "-5")]));
            assert_eq!(e.kind(), ErrorKind::Config);
            assert!(e.message().contains(key), "{e}");
        }
    }

    #[test]
    fn unknown_semantic_is_rejected() {
        let e = err(with(&[("sink.semantic", "at-most-once")]));
        assert!(e.message().contains("'sink.semantic'"), "{e}");
    }

    #[test]
    fn unknown_keys_are_rejected_but_properties_pass_through_lower_cased() {
        let e = err(with(&[("sink.buffer-flush.max-byte", "1000")]));
        assert!(e.message().contains("unknown option"), "{e}");
        let o =
            SinkOptions::from_map(&with(&[("sink.properties.Max_Filter_Ratio", "0.2")])).unwrap();
        assert!(o
            .properties
            .headers
            .contains(&("max_filter_ratio".into(), "0.2".into())));
    }

    #[test]
    fn not_built_options_fail_unless_default() {
        let e = err(with(&[("sink.merge-commit.max-concurrent-requests", "4")]));
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        assert!(e.message().contains("not supported yet"), "{e}");
        SinkOptions::from_map(&with(&[(
            "sink.merge-commit.max-concurrent-requests",
            "2147483647",
        )]))
        .unwrap();
    }

    #[test]
    fn wrap_json_as_array_and_blackhole_are_read_and_warn_where_they_do_something_unusual() {
        let json = SinkOptions::from_map(&with(&[
            ("sink.wrap-json-as-array", "true"),
            ("sink.properties.format", "json"),
        ]))
        .unwrap();
        assert!(json.wrap_json_as_array && !json.blackhole);
        assert!(json.warnings.is_empty(), "{:?}", json.warnings);
        let csv = SinkOptions::from_map(&with(&[("sink.wrap-json-as-array", "true")])).unwrap();
        assert!(
            csv.warnings.iter().any(|w| w.contains("is ignored")),
            "{:?}",
            csv.warnings
        );
        let hole = SinkOptions::from_map(&with(&[("sink.blackhole", "true")])).unwrap();
        assert!(hole.blackhole);
        assert!(hole
            .warnings
            .iter()
            .any(|w| w.contains("nothing is loaded")));
        let e = err(with(&[("sink.blackhole", "maybe")]));
        assert!(e.message().contains("'sink.blackhole'"), "{e}");
    }

    #[test]
    fn compression_names_csv_bodies_by_format_and_json_bodies_by_header() {
        let header = |o: &SinkOptions, name: &str| {
            o.properties
                .headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let csv =
            SinkOptions::from_map(&with(&[("sink.properties.compression", "LZ4_FRAME")])).unwrap();
        assert_eq!(csv.properties.compression, Some(Compression::Lz4Frame));
        assert_eq!(header(&csv, "format").as_deref(), Some("lz4"));
        assert_eq!(header(&csv, "compression"), None);
        let json = SinkOptions::from_map(&with(&[
            ("sink.properties.format", "json"),
            ("sink.properties.compression", "zstd"),
        ]))
        .unwrap();
        assert_eq!(json.properties.format, Format::Json);
        assert_eq!(header(&json, "format").as_deref(), Some("json"));
        assert_eq!(header(&json, "compression").as_deref(), Some("zstd"));
        let e = err(with(&[("sink.properties.compression", "snappy")]));
        assert!(e.message().contains("'sink.properties.compression'"), "{e}");
        let e = err(with(&[("sink.properties.content-encoding", "gzip")]));
        assert!(e.message().contains("'compression'"), "{e}");
    }

    #[test]
    fn publish_timeout_becomes_the_commit_timeout_in_whole_seconds() {
        let o = SinkOptions::from_map(&with(&[])).unwrap();
        assert_eq!(o.publish_timeout, None);
        assert!(o.commit_headers().is_empty());
        for (ms, secs) in [("1", "1"), ("1500", "1"), ("60000", "60")] {
            let o = SinkOptions::from_map(&with(&[("sink.publish-timeout.ms", ms)])).unwrap();
            assert_eq!(
                o.commit_headers(),
                vec![("timeout".to_string(), secs.to_string())]
            );
        }
        let e = err(with(&[("sink.publish-timeout.ms", "soon")]));
        assert!(e.message().contains("'sink.publish-timeout.ms'"), "{e}");
    }

    #[test]
    fn json_gets_its_default_headers() {
        let o = SinkOptions::from_map(&with(&[("sink.properties.format", "JSON")])).unwrap();
        assert_eq!(o.properties.format, Format::Json);
        assert!(o
            .properties
            .headers
            .contains(&("strip_outer_array".into(), "true".into())));
        assert!(o
            .properties
            .headers
            .contains(&("ignore_json_size".into(), "true".into())));
    }

    #[test]
    fn hex_delimiters_are_decoded() {
        assert_eq!(delimiter("k", "\\x01").unwrap(), vec![1]);
        assert_eq!(delimiter("k", "0x0102").unwrap(), vec![1, 2]);
        assert_eq!(delimiter("k", "\\x1").unwrap(), b"\\x1".to_vec());
        assert_eq!(delimiter("k", "||").unwrap(), b"||".to_vec());
        assert!(delimiter("k", "").is_err());
    }

    /// Found by the CSV encoder fuzzer: a separator holding the row delimiter (here "\t\x01:"
    /// and "\x01") cut every row of more than one column.
    #[test]
    fn a_column_separator_must_not_hold_the_row_delimiter() {
        let e = err(with(&[
            ("sink.properties.column_separator", "\\x09013a"),
            ("sink.properties.row_delimiter", "\\x01"),
        ]));
        assert!(
            e.message()
                .contains("'sink.properties.column_separator' must not contain"),
            "{e}"
        );
        // The other way round is fine: rows are cut at the delimiter before fields are split.
        SinkOptions::from_map(&with(&[
            ("sink.properties.column_separator", "|"),
            ("sink.properties.row_delimiter", "|\n"),
        ]))
        .unwrap();
    }

    #[test]
    fn label_prefix_follows_server_rules() {
        SinkOptions::from_map(&with(&[("sink.label-prefix", "job_1-a")])).unwrap();
        let e = err(with(&[("sink.label-prefix", "job.1")]));
        assert!(e.message().contains("'sink.label-prefix'"), "{e}");
        let long = "x".repeat(100);
        err(with(&[("sink.label-prefix", long.as_str())]));
    }

    #[test]
    fn password_is_never_printed() {
        let o = SinkOptions::from_map(&base()).unwrap();
        assert!(!format!("{o:?}").contains("s3cret"));
    }

    #[test]
    fn clamped_values_warn() {
        let o =
            SinkOptions::from_map(&with(&[("sink.wait-for-continue.timeout-ms", "10")])).unwrap();
        assert_eq!(o.wait_for_continue_timeout, Duration::from_millis(3000));
        assert_eq!(o.warnings.len(), 1, "{:?}", o.warnings);
    }
}
