//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

pub mod scripted;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use starrocks_emulator::{Emulator, EmulatorConfig, KeyModel, TableSpec};
use starrocks_flink::options::SinkOptions;
use starrocks_flink::writer::{SinkWriter, WriterContext};

/// Builds row frames as the Java shim does (layout of `encode::frame`).
#[derive(Default)]
pub struct Frames {
    pub bytes: Vec<u8>,
}

pub enum F<'a> {
    Null,
    Int(i32),
    BigInt(i64),
    Str(&'a str),
}

impl Frames {
    pub fn row(&mut self, table: u32, fields: &[F<'_>]) -> &mut Self {
        self.bytes.push(0);
        self.bytes.extend_from_slice(&table.to_le_bytes());
        self.bytes
            .extend_from_slice(&(fields.len() as u16).to_le_bytes());
        for f in fields {
            match f {
                F::Null => self.bytes.push(0),
                F::Int(v) => {
                    self.bytes.push(4);
                    self.bytes.extend_from_slice(&v.to_le_bytes());
                }
                F::BigInt(v) => {
                    self.bytes.push(5);
                    self.bytes.extend_from_slice(&v.to_le_bytes());
                }
                F::Str(s) => {
                    self.bytes.push(0x0A);
                    self.bytes
                        .extend_from_slice(&(s.len() as u32).to_le_bytes());
                    self.bytes.extend_from_slice(s.as_bytes());
                }
            }
        }
        self
    }

    pub fn raw(&mut self, table: u32, record: &str) -> &mut Self {
        self.bytes.push(0x10);
        self.bytes.extend_from_slice(&table.to_le_bytes());
        self.bytes
            .extend_from_slice(&(record.len() as u32).to_le_bytes());
        self.bytes.extend_from_slice(record.as_bytes());
        self
    }
}

pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

/// A DUPLICATE table `db.{table}` with columns id INT, name VARCHAR(64).
pub fn id_name_table(emu: &Emulator, table: &str) {
    emu.create_database("db");
    emu.create_table(
        TableSpec::new("db", table, KeyModel::Duplicate)
            .column("id", "INT", false)
            .column("name", "VARCHAR(64)", true)
            .keys(&["id"]),
    )
    .expect("table created");
}

/// Options for `db.{table}`; plain Stream Load unless `extra` says otherwise.
pub fn options(load_url: &str, table: &str, extra: &[(&str, &str)]) -> SinkOptions {
    let mut m: BTreeMap<String, String> = [
        ("sink.at-least-once.use-transaction-stream-load", "false"),
        ("jdbc-url", "jdbc:mysql://127.0.0.1:9030"),
        ("load-url", load_url),
        ("database-name", "db"),
        ("table-name", table),
        ("username", "root"),
        ("password", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        m.insert(k.to_string(), v.to_string());
    }
    SinkOptions::from_map(&m).expect("valid options")
}

/// A writer for a single subtask without restored state.
pub fn writer(opts: SinkOptions) -> SinkWriter {
    SinkWriter::new(opts, 1, WriterContext::default()).expect("writer starts")
}

/// A counter or gauge of `w` by its name in `METRIC_NAMES`.
pub fn metric(w: &SinkWriter, name: &str) -> i64 {
    let i = starrocks_flink::metrics::METRIC_NAMES
        .iter()
        .position(|n| *n == name)
        .unwrap_or_else(|| panic!("no metric {name}"));
    w.metrics()[i]
}

/// How many samples the histogram `name` of `w` has recorded.
pub fn samples_recorded(w: &SinkWriter, name: &str) -> i64 {
    use starrocks_flink::metrics::{HISTOGRAM_NAMES, METRIC_NAMES};
    let values = w.metrics();
    let mut at = METRIC_NAMES.len();
    for h in HISTOGRAM_NAMES {
        if *h == name {
            return values[at];
        }
        at += 2 + values[at + 1] as usize;
    }
    panic!("no histogram {name}")
}

/// Polls `f` until it returns `Some`, at most `timeout`.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
