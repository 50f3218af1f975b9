//! Measures Stream Load ingest speed of the emulator over a real TCP connection to the BE port,
//! body sent with Content-Length after `100 Continue`.
//!
//! ```text
//! cargo run --release -p starrocks-emulator --example ingest_throughput -- \
//!     [MB] [--loads N] [--json] [--wide] [--discard | --count-only]
//! ```
//! Sends MB of data as N sequential loads (default 1) on one keep-alive connection into a
//! DUPLICATE KEY table and prints MB/s measured from the first body byte to the last final
//! response (parse, convert, commit), and the CPU time the emulator's threads spent per row
//! (all loads, from /proc; the client and the body generation are not counted).
//! Rows: CSV (default) or JSON (`--json`: `format: json`, `strip_outer_array: true`, one array per
//! load, `ignore_json_size: true`), 5 columns, or with `--wide` the 20 mixed columns of `benchmarks/run.py` (about 260
//! bytes a CSV row, 600 a JSON row).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use starrocks_emulator::{Emulator, EmulatorConfig, KeyModel, TableSpec};

/// Column name, type, and the value of row `i` (`None` = NULL, `Some((text, quoted))`).
type Column = (
    &'static str,
    &'static str,
    fn(u64) -> Option<(String, bool)>,
);

fn num(s: String) -> Option<(String, bool)> {
    Some((s, false))
}

fn text(s: String) -> Option<(String, bool)> {
    Some((s, true))
}

const NARROW: &[Column] = &[
    ("id", "BIGINT", |i| num(i.to_string())),
    ("name", "VARCHAR(32)", |i| {
        text(format!("customer-{}", i % 100_000))
    }),
    ("price", "DECIMAL(10,2)", |i| {
        num(format!("{}.{:02}", i % 10_000, i % 100))
    }),
    ("qty", "INT", |i| num((i % 1000).to_string())),
    ("ts", "DATETIME", |i| {
        text(format!(
            "2024-0{}-1{} 12:{:02}:{:02}",
            1 + i % 9,
            i % 10,
            i % 60,
            (i / 60) % 60
        ))
    }),
];

/// The benchmark's 20 columns (`benchmarks/run.py`), values of the same shape.
const WIDE: &[Column] = &[
    ("id", "BIGINT", |i| num(i.to_string())),
    ("c_int", "INT", |i| num((i % 1_000_003).to_string())),
    ("c_smallint", "SMALLINT", |i| num((i % 32_000).to_string())),
    ("c_tinyint", "TINYINT", |i| num((i % 100).to_string())),
    ("c_bool", "BOOLEAN", |i| num((i % 2 == 0).to_string())),
    ("c_double", "DOUBLE", |i| num((i as f64 / 7.0).to_string())),
    ("c_float", "FLOAT", |i| {
        num(((i % 10_000) as f32 / 4.0).to_string())
    }),
    ("c_dec_small", "DECIMAL(10,2)", |i| {
        num(format!("{}.{:02}", i % 10_000, i % 100))
    }),
    ("c_dec_large", "DECIMAL(27,9)", |i| {
        num(format!("{}.{:09}", i / 3, (i % 3) * 333_333_333))
    }),
    ("c_date", "DATE", |i| {
        text(format!(
            "20{:02}-{:02}-{:02}",
            15 + i % 10,
            1 + i % 12,
            1 + i % 28
        ))
    }),
    ("c_ts", "DATETIME", |i| {
        text(format!(
            "2020-09-13 12:{:02}:{:02}.{:03}",
            i % 60,
            (i / 60) % 60,
            i % 1000
        ))
    }),
    ("c_str_short", "VARCHAR(32)", |i| text(i.to_string())),
    ("c_str_mid", "VARCHAR(64)", |i| {
        text(format!("user-{}@example.com", i % 100_000))
    }),
    ("c_str_long", "VARCHAR(256)", |i| {
        text(format!(
            "payload {i} lorem ipsum dolor sit amet, consectetur adipiscing elit"
        ))
    }),
    ("c_str_null", "VARCHAR(32)", |i| {
        (i % 5 != 0).then(|| (format!("{}", i * 7), true))
    }),
    ("c_int_null", "INT", |i| {
        (i % 3 != 0).then(|| ((i % 1000).to_string(), false))
    }),
    ("c_region", "VARCHAR(8)", |i| {
        text(["north", "south", "east", "west"][(i % 4) as usize].into())
    }),
    ("c_bigint2", "BIGINT", |i| num((i * 31).to_string())),
    ("c_double2", "DOUBLE", |i| {
        num(((i % 1000) as f64 * 0.25).to_string())
    }),
    ("c_quoted", "VARCHAR(64)", |i| {
        text(format!("a \"quoted\" value {}", i % 97))
    }),
];

fn body(columns: &[Column], json: bool, target_bytes: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(target_bytes + 1024);
    let mut rows = 0usize;
    if json {
        out.push(b'[');
    }
    while out.len() < target_bytes {
        let i = rows as u64;
        let mut line = String::new();
        for (n, (name, _, value)) in columns.iter().enumerate() {
            let v = value(i);
            if json {
                line.push_str(if n == 0 { "{\"" } else { ",\"" });
                line.push_str(name);
                line.push_str("\":");
                match v {
                    None => line.push_str("null"),
                    Some((s, true)) => {
                        line.push('"');
                        line.push_str(&s.replace('"', "\\\""));
                        line.push('"');
                    }
                    Some((s, false)) => line.push_str(&s),
                }
            } else {
                if n > 0 {
                    line.push('\t');
                }
                line.push_str(v.as_ref().map_or("\\N", |(s, _)| s));
            }
        }
        if json {
            line.push('}');
            if rows > 0 {
                out.push(b',');
            }
        } else {
            line.push('\n');
        }
        out.extend_from_slice(line.as_bytes());
        rows += 1;
    }
    if json {
        out.push(b']');
    }
    (out, rows)
}

fn read_until(stream: &mut TcpStream, buf: &mut Vec<u8>, pred: impl Fn(&[u8]) -> bool) {
    let mut chunk = [0u8; 8192];
    while !pred(buf) {
        let n = stream.read(&mut chunk).expect("read");
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// CPU time of the emulator's runtime threads so far, from /proc (Linux; 0 elsewhere): the
/// scheduler's `se.sum_exec_runtime` (ns) where the kernel shows it, else user + system ticks
/// of `stat` (10 ms). The client's own writes run on the main thread and are not counted.
fn emulator_cpu() -> Duration {
    let mut total = Duration::ZERO;
    for task in std::fs::read_dir("/proc/self/task").into_iter().flatten() {
        let Ok(task) = task else { continue };
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let Some((comm, rest)) = stat.split_once(") ") else {
            continue;
        };
        if !comm.contains("starrocks-emul") {
            continue;
        }
        let sched = std::fs::read_to_string(task.path().join("sched")).unwrap_or_default();
        let runtime_ms = sched
            .lines()
            .find(|l| l.starts_with("se.sum_exec_runtime"))
            .and_then(|l| l.split(':').nth(1))
            .and_then(|v| v.trim().parse::<f64>().ok());
        total += match runtime_ms {
            Some(ms) => Duration::from_secs_f64(ms / 1000.0),
            None => {
                // Fields after the command: state is field 3, utime 14, stime 15.
                let fields: Vec<&str> = rest.split(' ').collect();
                let ticks =
                    fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0);
                Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
            }
        };
    }
    total
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let megabytes: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(200);
    let (discard, count_only, json) = (flag("--discard"), flag("--count-only"), flag("--json"));
    let columns = if flag("--wide") { WIDE } else { NARROW };
    let loads: usize = args
        .iter()
        .position(|a| a == "--loads")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let emu = Emulator::start(EmulatorConfig {
        discard,
        count_only,
        ..EmulatorConfig::default()
    })
    .expect("start");
    emu.create_database("bench");
    let mut spec = TableSpec::new("bench", "t", KeyModel::Duplicate);
    for (n, (name, ty, _)) in columns.iter().enumerate() {
        spec = spec.column(name, ty, n > 0);
    }
    emu.create_table(spec).expect("table");
    let (data, rows) = body(columns, json, megabytes * 1024 * 1024 / loads);
    let format = if json {
        "format: json\r\nstrip_outer_array: true\r\nignore_json_size: true\r\n"
    } else {
        ""
    };
    let be = emu.be_http_addrs()[0];
    let mut stream = TcpStream::connect(be).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(600)))
        .expect("timeout");
    let mut elapsed = Duration::ZERO;
    let cpu_before = emulator_cpu();
    for n in 0..loads {
        let head = format!(
            "PUT /api/bench/t/_stream_load HTTP/1.1\r\nHost: x\r\nAuthorization: Basic cm9vdDo=\r\nExpect: 100-continue\r\nlabel: bench-{n}\r\n{format}Content-Length: {}\r\n\r\n",
            data.len()
        );
        stream.write_all(head.as_bytes()).expect("write head");
        let mut buf = Vec::new();
        read_until(&mut stream, &mut buf, |b| {
            b.windows(4).any(|w| w == b"\r\n\r\n")
        });
        assert!(buf.starts_with(b"HTTP/1.1 100"), "expected 100 Continue");
        buf.clear();
        let started = Instant::now();
        stream.write_all(&data).expect("write body");
        read_until(&mut stream, &mut buf, |b| b.ends_with(b"}\n"));
        elapsed += started.elapsed();
        let text = String::from_utf8_lossy(&buf);
        assert!(text.contains("\"Status\": \"Success\""), "{text}");
        assert!(
            text.contains(&format!("\"NumberLoadedRows\": {rows},")),
            "{text}"
        );
    }
    let cpu = emulator_cpu() - cpu_before;
    let rows = rows * loads;
    let data_len = data.len() * loads;
    let mb = data_len as f64 / (1024.0 * 1024.0);
    println!(
        "{:.1} MiB in {loads} load(s), {rows} rows, {:.3} s, {:.1} MiB/s, {:.2} M rows/s, \
         emulator CPU {:.3} s = {:.3} us/row ({}, {} columns, discard={discard}, count_only={count_only})",
        mb,
        elapsed.as_secs_f64(),
        mb / elapsed.as_secs_f64(),
        rows as f64 / elapsed.as_secs_f64() / 1e6,
        cpu.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / rows as f64,
        if json { "json" } else { "csv" },
        columns.len(),
    );
    assert_eq!(emu.stats().rows_loaded, rows as u64);
    emu.shutdown();
}
