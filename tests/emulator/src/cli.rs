//! Command-line parsing for the `starrocks-emulator` binary (no external parser: the flag set is
//! small and the usage text below is the documentation).

use std::path::PathBuf;

use crate::config::{EmulatorConfig, TlsFiles};
use crate::storage::schema::TableSpec;

pub const USAGE: &str = "\
starrocks-emulator: a StarRocks stand-in for tests and demos (NOT StarRocks).

Serves the StarRocks HTTP load protocol (FE redirect, BE Stream Load, labels, get_load_state),
a MySQL-protocol port for the SQL subset clients send (version, information_schema, DDL,
simple SELECT) and a JSON control API. On start it prints ONE JSON line to stdout, e.g.
  {\"fe_http\":\"127.0.0.1:41234\",\"be_http\":[\"127.0.0.1:41235\"],\"control\":\"127.0.0.1:41236\",\"mysql\":\"127.0.0.1:41237\"}
and runs until SIGTERM/SIGINT (exit code 0), or stdin closes with --stop-on-stdin-eof.

USAGE:
  starrocks-emulator [FLAGS]

FLAGS:
  --host HOST                  bind address (default 127.0.0.1)
  --fe-http-port PORT          FE HTTP port (default 0 = random free port)
  --follower-fes N             follower FEs that redirect loads to the leader FE (default 0;
                               their addresses are the startup line's \"fe_followers\")
  --be-count N                 number of BE nodes (default 1)
  --be-http-port PORT          first BE's HTTP port, others +1 (default 0 = random ports)
  --control-port PORT          control API port (default 0 = random)
  --mysql-port PORT            MySQL-protocol port, StarRocks' query_port (default 0 = random)
  --starrocks-version V        what `select current_version()` answers (default 3.3.5-emulator)
  --mysql-server-version V     MySQL server version of the handshake and version()
                               (default 5.1.0, StarRocks' mysql_server_version)
  --user NAME:PASSWORD         accepted user, HTTP and MySQL (repeatable; default root with
                               empty password)
  --discard                    store nothing: rows are parsed, converted, checked (strict
                               mode, NOT NULL, where, filter ratio) and counted, then dropped
  --count-only                 store nothing, check less (cheaper than --discard): count the
                               body's records (CSV row delimiters; JSON objects, malformed
                               JSON still fails the load); every record is a loaded row
  --label-keep-max-second N    retention of finished labels in seconds (default 259200)
  --worker-threads N           tokio worker threads (default 2)
  --database DB                create a database at start (repeatable)
  --table JSON                 create a table at start (repeatable), same JSON as
                               POST /control/tables; its database is created if missing
  --stop-on-stdin-eof          exit when stdin reaches end of file
  --log-requests               print one line per FE/BE request to stderr (no credentials)
  --tls-cert PEM               serve the FE and BE HTTP ports over TLS with this certificate
                               chain (leaf first); redirects and error URLs say https://
  --tls-key PEM                the private key of --tls-cert (both or neither)
  -h, --help                   print this help
";

/// Parsed command line.
#[derive(Debug, Clone)]
pub struct CliOptions {
    pub config: EmulatorConfig,
    pub databases: Vec<String>,
    pub tables: Vec<TableSpec>,
    pub stop_on_stdin_eof: bool,
    pub help: bool,
}

fn value<'a>(args: &'a [String], i: &mut usize, flag: &str) -> Result<&'a str, String> {
    *i += 1;
    args.get(*i)
        .map(String::as_str)
        .ok_or_else(|| format!("{flag} needs a value"))
}

fn number<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag}: invalid number '{text}'"))
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<CliOptions, String> {
    let mut config = EmulatorConfig::default();
    let mut users: Vec<(String, String)> = Vec::new();
    let mut databases = Vec::new();
    let mut tables = Vec::new();
    let mut stop_on_stdin_eof = false;
    let mut tls_cert = None;
    let mut tls_key = None;
    let mut help = false;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        // Accept --flag=value as well as --flag value.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg, None),
        };
        let take = |i: &mut usize| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => value(args, i, flag).map(str::to_string),
            }
        };
        match flag {
            "-h" | "--help" => help = true,
            "--host" => config.host = take(&mut i)?,
            "--fe-http-port" => config.fe_http_port = number(&take(&mut i)?, flag)?,
            "--be-count" => config.be_count = number(&take(&mut i)?, flag)?,
            "--follower-fes" => config.follower_fes = number(&take(&mut i)?, flag)?,
            "--be-http-port" => config.be_http_port = number(&take(&mut i)?, flag)?,
            "--control-port" => config.control_port = number(&take(&mut i)?, flag)?,
            "--mysql-port" => config.mysql_port = number(&take(&mut i)?, flag)?,
            "--starrocks-version" => config.starrocks_version = take(&mut i)?,
            "--mysql-server-version" => config.mysql_server_version = take(&mut i)?,
            "--user" => {
                let v = take(&mut i)?;
                let (name, password) = v
                    .split_once(':')
                    .ok_or_else(|| "--user expects NAME:PASSWORD".to_string())?;
                if name.is_empty() {
                    return Err("--user: empty user name".to_string());
                }
                users.push((name.to_string(), password.to_string()));
            }
            "--discard" => config.discard = true,
            "--count-only" => config.count_only = true,
            "--label-keep-max-second" => {
                config.label_keep_max_second = number(&take(&mut i)?, flag)?
            }
            "--worker-threads" => config.worker_threads = number(&take(&mut i)?, flag)?,
            "--database" => databases.push(take(&mut i)?),
            "--table" => tables.push(TableSpec::from_json(&take(&mut i)?)?),
            "--stop-on-stdin-eof" => stop_on_stdin_eof = true,
            "--log-requests" => config.log_requests = true,
            "--tls-cert" => tls_cert = Some(PathBuf::from(take(&mut i)?)),
            "--tls-key" => tls_key = Some(PathBuf::from(take(&mut i)?)),
            other => return Err(format!("unknown argument '{other}' (see --help)")),
        }
        i += 1;
    }
    if !users.is_empty() {
        config.users = users;
    }
    config.tls = match (tls_cert, tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        (None, None) => None,
        _ => return Err("--tls-cert and --tls-key go together".to_string()),
    };
    Ok(CliOptions {
        config,
        databases,
        tables,
        stop_on_stdin_eof,
        help,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_flags() {
        let opts = parse(&args(&[
            "--be-count",
            "3",
            "--user",
            "alice:secret",
            "--user=bob:",
            "--discard",
            "--database",
            "d1",
            "--fe-http-port=8030",
            "--mysql-port",
            "9030",
            "--starrocks-version=3.4.0-x",
        ]))
        .expect("valid");
        assert_eq!(opts.config.mysql_port, 9030);
        assert_eq!(opts.config.starrocks_version, "3.4.0-x");
        assert_eq!(opts.config.be_count, 3);
        assert_eq!(opts.config.fe_http_port, 8030);
        assert!(opts.config.discard);
        assert!(!opts.config.count_only);
        assert!(
            parse(&args(&["--count-only"]))
                .expect("valid")
                .config
                .count_only
        );
        assert_eq!(
            opts.config.users,
            vec![
                ("alice".to_string(), "secret".to_string()),
                ("bob".to_string(), String::new())
            ]
        );
        assert_eq!(opts.databases, vec!["d1".to_string()]);
        assert!(parse(&args(&["--nope"])).is_err());
        assert!(parse(&args(&["--user", "nocolon"])).is_err());
    }

    #[test]
    fn tls_flags_go_together() {
        let opts = parse(&args(&["--tls-cert", "c.pem", "--tls-key=k.pem"])).expect("valid");
        assert_eq!(
            opts.config.tls,
            Some(TlsFiles {
                cert: PathBuf::from("c.pem"),
                key: PathBuf::from("k.pem"),
            })
        );
        assert_eq!(parse(&args(&[])).expect("valid").config.tls, None);
        let e = parse(&args(&["--tls-cert", "c.pem"])).expect_err("an error");
        assert!(e.contains("--tls-key"), "{e}");
    }
}
