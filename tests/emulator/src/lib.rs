//! A StarRocks emulator for tests and demos, built from `shared/docs/starrocks-protocol.md`.
//! It is NOT StarRocks: it speaks the HTTP load protocol (FE redirect, BE Stream Load, labels,
//! `get_load_state`) and a MySQL-protocol port for the SQL subset clients send (§6.7) over real
//! sockets, and stores rows in memory so tests can check them.
//!
//! `Emulator::start` binds the FE, BE, MySQL and control ports, runs them on its own tokio
//! runtime and returns; every other method is a plain synchronous call (no runtime needed by the
//! caller).
//! `shutdown` (or drop) stops the runtime, joins its threads and frees the ports.
//!
//! Module map: `http` (server plumbing), `fe`, `be`, `control` (the HTTP ports), `mysql` (the
//! MySQL wire protocol) and `sql` (parser and executor of the SQL subset),
//! `load` (Stream Load pipeline), `data` (CSV/JSON parsing into rows), `types` (column types,
//! conversion, canonical text), `storage` (catalog, tables, columns), `labels` + `txn`
//! (transactions, label rules, publish, timers), `backends` (per-BE contexts and port state),
//! `faults` (fault rules), `settings` (runtime settings), `control_methods` (library side of
//! the control API), `state` (what the nodes share), `auth`, `config`, `cli`.

pub mod cli;
pub mod config;

mod auth;
mod backends;
mod be;
mod control;
mod control_methods;
mod data;
mod faults;
mod fe;
mod http;
mod json_out;
mod labels;
mod load;
mod mysql;
mod settings;
mod sql;
mod state;
mod storage;
mod txn;
mod types;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener as StdListener};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::sync::watch;

pub use config::{EmulatorConfig, TlsFiles};
pub use faults::{
    DelayPoint, FailFamily, FailPoint, FaultAction, FaultRule, FaultRuleStatus, NodeMatch,
    Operation,
};
pub use labels::LabelInfo;
pub use settings::Settings;
pub use sql::ResultSet;
pub use state::{RequestRecord, StatementRecord, StatsSnapshot};
pub use storage::schema::{ColumnSpec, KeyModel, TableSpec};

use state::Shared;

/// A running emulator. Dropping it shuts it down. Meant to be owned by synchronous code; if it
/// is dropped inside an async context its threads are stopped without being joined.
pub struct Emulator {
    shared: Arc<Shared>,
    runtime: Option<Runtime>,
    shutdown: watch::Sender<bool>,
    fe_addr: SocketAddr,
    follower_addrs: Vec<SocketAddr>,
    be_addrs: Vec<SocketAddr>,
    control_addr: SocketAddr,
    mysql_addr: SocketAddr,
}

fn bind(host: &str, port: u16) -> io::Result<StdListener> {
    let listener = StdListener::bind((host, port))
        .map_err(|e| io::Error::new(e.kind(), format!("cannot bind {host}:{port}: {e}")))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// The address to hand out for a bound listener: loopback instead of a wildcard.
fn advertised(listener: &StdListener) -> io::Result<SocketAddr> {
    let mut addr = listener.local_addr()?;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        });
    }
    Ok(addr)
}

impl Emulator {
    /// Binds all ports and starts serving. Fails if a port cannot be bound.
    pub fn start(config: EmulatorConfig) -> io::Result<Emulator> {
        let fe = bind(&config.host, config.fe_http_port)?;
        let followers = (0..config.follower_fes)
            .map(|_| bind(&config.host, 0))
            .collect::<io::Result<Vec<_>>>()?;
        let follower_addrs = followers
            .iter()
            .map(advertised)
            .collect::<io::Result<Vec<_>>>()?;
        let mut bes = Vec::with_capacity(config.be_count);
        for i in 0..config.be_count {
            let port = if config.be_http_port == 0 {
                0
            } else {
                u16::try_from(usize::from(config.be_http_port) + i).map_err(|_| {
                    io::Error::new(io::ErrorKind::InvalidInput, "BE port out of range")
                })?
            };
            bes.push(bind(&config.host, port)?);
        }
        let control = bind(&config.host, config.control_port)?;
        let fe_addr = advertised(&fe)?;
        let be_addrs = bes.iter().map(advertised).collect::<io::Result<Vec<_>>>()?;
        let control_addr = advertised(&control)?;
        let mysql = bind(&config.host, config.mysql_port)?;
        let mysql_addr = advertised(&mysql)?;
        let tls = config.tls.as_ref().map(http::tls::acceptor).transpose()?;

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads.max(1))
            .thread_name("starrocks-emulator")
            .enable_all()
            .build()?;
        let shared = Arc::new(Shared::new(config, be_addrs.clone()));
        let (shutdown, stop) = watch::channel(false);
        {
            let _guard = runtime.enter();
            let fe_listener = TcpListener::from_std(fe)?;
            let s = shared.clone();
            runtime.spawn(http::server::serve(
                fe_listener,
                tls.clone(),
                stop.clone(),
                move |conn| fe::serve_connection(s.clone(), conn),
            ));
            for listener in followers {
                let s = shared.clone();
                runtime.spawn(http::server::serve(
                    TcpListener::from_std(listener)?,
                    tls.clone(),
                    stop.clone(),
                    move |conn| fe::follower::serve_connection(s.clone(), fe_addr, conn),
                ));
            }
            for (i, (listener, addr)) in bes.into_iter().zip(be_addrs.iter()).enumerate() {
                let listener = TcpListener::from_std(listener)?;
                runtime.spawn(be::run(
                    shared.clone(),
                    i,
                    *addr,
                    listener,
                    tls.clone(),
                    stop.clone(),
                ));
            }
            runtime.spawn(txn::sweeper::run(shared.clone(), stop.clone()));
            let control_listener = TcpListener::from_std(control)?;
            let s = shared.clone();
            runtime.spawn(http::server::serve(
                control_listener,
                None,
                stop.clone(),
                move |conn| control::serve_connection(s.clone(), conn),
            ));
            let mysql_listener = TcpListener::from_std(mysql)?;
            runtime.spawn(mysql::serve(mysql_listener, stop.clone(), shared.clone()));
        }
        Ok(Emulator {
            shared,
            runtime: Some(runtime),
            shutdown,
            fe_addr,
            follower_addrs,
            be_addrs,
            control_addr,
            mysql_addr,
        })
    }

    /// `https` when the FE and BE ports serve TLS (`EmulatorConfig::tls`), else `http`.
    pub fn scheme(&self) -> &'static str {
        self.shared.scheme()
    }

    /// FE HTTP address (Stream Load entry point, `get_load_state`).
    pub fn fe_http_addr(&self) -> SocketAddr {
        self.fe_addr
    }

    /// HTTP addresses of the follower FEs (`follower_fes`), which redirect to the leader.
    pub fn follower_fe_addrs(&self) -> Vec<SocketAddr> {
        self.follower_addrs.clone()
    }

    /// BE HTTP addresses, in BE order.
    pub fn be_http_addrs(&self) -> Vec<SocketAddr> {
        self.be_addrs.clone()
    }

    /// Control API address.
    pub fn control_addr(&self) -> SocketAddr {
        self.control_addr
    }

    /// MySQL-protocol address (StarRocks' FE `query_port`), for JDBC URLs and `mariadb -P`.
    pub fn mysql_addr(&self) -> SocketAddr {
        self.mysql_addr
    }

    /// Runs one SQL statement as the MySQL port would (same parser, same answers), as the first
    /// configured user with no current database. Statements without a result set give an empty
    /// `ResultSet`; errors read `ERROR <code> (<sqlstate>): <message>`.
    pub fn sql(&self, statement: &str) -> Result<ResultSet, String> {
        let mut session = sql::control_api::library_session(&self.shared);
        sql::execute(&self.shared, &mut session, statement)
            .map(ResultSet::from)
            .map_err(|e| e.to_string())
    }

    /// Creates a database (no-op if it exists).
    pub fn create_database(&self, db: &str) {
        self.shared.create_database(db);
    }

    /// Creates a table; the database must exist.
    pub fn create_table(&self, spec: TableSpec) -> Result<(), String> {
        self.shared.create_table(&spec)
    }

    /// Visible rows of a table as canonical text (`None` = NULL), insertion order for DUPLICATE
    /// KEY tables, key order for PRIMARY/UNIQUE KEY tables.
    pub fn rows(&self, db: &str, table: &str) -> Result<Vec<Vec<Option<String>>>, String> {
        self.shared.rows(db, table).map(|t| t.rows)
    }

    /// Column names of a table, in schema order.
    pub fn columns(&self, db: &str, table: &str) -> Result<Vec<String>, String> {
        self.shared.rows(db, table).map(|t| t.columns)
    }

    /// The state of a label as `get_load_state` would report it (`None` = UNKNOWN).
    pub fn label_state(&self, db: &str, label: &str) -> Option<LabelInfo> {
        self.shared.label_info(db, label)
    }

    /// Every retained label of a database, oldest first.
    pub fn labels(&self, db: &str) -> Vec<LabelInfo> {
        self.shared.labels(db)
    }

    /// Waits until the label reaches one of `states` (e.g. `["ABORTED"]`), or the timeout passes.
    /// Wakes on every transaction change, no polling.
    pub fn wait_for_label(
        &self,
        db: &str,
        label: &str,
        states: &[&str],
        timeout: Duration,
    ) -> Option<LabelInfo> {
        let deadline = Instant::now() + timeout;
        let mut guard = self.shared.state();
        loop {
            if let Some(info) = guard.txns.label_info(db, label, Instant::now()) {
                if states.contains(&info.state.as_str()) {
                    return Some(info);
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            guard = match self.shared.changed.wait_timeout(guard, deadline - now) {
                Ok((g, _)) => g,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// Requests seen on the FE and BE ports (never credentials).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.requests()
    }

    /// The statements clients sent to the MySQL port, oldest first.
    pub fn statements(&self) -> Vec<StatementRecord> {
        self.shared.statements()
    }

    /// Load counters.
    pub fn stats(&self) -> StatsSnapshot {
        self.shared.stats.snapshot()
    }

    /// Drops all databases, tables, labels, error logs, the request log and counters.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops serving, joins the runtime's threads and frees the ports.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                // Dropped inside some async context: blocking there would panic, so let the
                // runtime wind down in the background (threads are not joined in this case).
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(5));
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}
