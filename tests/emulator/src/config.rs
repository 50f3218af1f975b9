//! Emulator configuration, shared by the library API and the command line.

use std::path::PathBuf;

/// The server identity of TLS ports: PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, leaf first.
    pub cert: PathBuf,
    /// The leaf's private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// How to start an emulator. Port 0 means "pick a free port".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmulatorConfig {
    /// Address to bind all ports to. When it is a wildcard (`0.0.0.0`, `::`), addresses handed
    /// out (redirects, error URLs, `*_addr()`) use the loopback address instead.
    pub host: String,
    pub fe_http_port: u16,
    /// Follower FEs (each with its own HTTP port, random): they redirect every load and
    /// transaction request to the leader FE (`fe_http_port`).
    pub follower_fes: usize,
    /// Number of BE nodes (each with its own HTTP port). 0 makes the FE answer `No backend alive.`
    pub be_count: usize,
    /// Port of the first BE; BE i listens on `be_http_port + i`. 0 = random ports for all.
    pub be_http_port: u16,
    pub control_port: u16,
    /// MySQL-protocol port (the FE `query_port`, spec §6.7).
    pub mysql_port: u16,
    /// What `select current_version()` answers (StarRocks `<version>-<commit>`); its leading
    /// `major.minor.patch` is what clients parse.
    pub starrocks_version: String,
    /// The MySQL server version of the handshake, `@@version` and `version()` (StarRocks'
    /// `mysql_server_version`, default `5.1.0`).
    pub mysql_server_version: String,
    /// Users and passwords accepted by Basic authentication and by the MySQL port.
    pub users: Vec<(String, String)>,
    /// Store nothing: rows are parsed, converted, checked and counted as when storing, then
    /// dropped (answers as when storing).
    pub discard: bool,
    /// Store nothing and convert nothing (cheaper than `discard`, and wins over it): records
    /// are counted, each a loaded row (CSV: records between row delimiters; JSON: objects of the
    /// outer array or stream, the grammar still checked so a malformed body fails as before).
    /// See the README, "Discard and count-only modes".
    pub count_only: bool,
    /// Retention of final (VISIBLE/ABORTED) labels, seconds (spec §3.3).
    pub label_keep_max_second: u64,
    /// Tokio worker threads.
    pub worker_threads: usize,
    /// Print one line per request to stderr (never credentials).
    pub log_requests: bool,
    /// Serve the FE and BE HTTP ports (followers too) over TLS with this identity; redirects and
    /// error-log URLs then say `https://`. The control port stays plain HTTP.
    pub tls: Option<TlsFiles>,
}

impl Default for EmulatorConfig {
    fn default() -> EmulatorConfig {
        EmulatorConfig {
            host: "127.0.0.1".to_string(),
            fe_http_port: 0,
            follower_fes: 0,
            be_count: 1,
            be_http_port: 0,
            control_port: 0,
            mysql_port: 0,
            starrocks_version: "3.3.5-emulator".to_string(),
            mysql_server_version: "5.1.0".to_string(),
            users: vec![("root".to_string(), String::new())],
            discard: false,
            count_only: false,
            label_keep_max_second: 259_200,
            worker_threads: 2,
            log_requests: false,
            tls: None,
        }
    }
}
