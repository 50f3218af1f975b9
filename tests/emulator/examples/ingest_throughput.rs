//! Measures Stream Load ingest speed of the emulator: CSV into a DUPLICATE KEY table over a real
//! TCP connection to the BE port, body sent with Content-Length after `100 Continue`.
//!
//! ```text
//! cargo run --release -p starrocks-emulator --example ingest_throughput -- [MB] [--loads N] [--discard]
//! ```
//! Sends MB of CSV as N sequential loads (default 1) on one keep-alive connection and prints MB/s
//! measured from the first body byte to the last final response (parse, convert, commit).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use starrocks_emulator::{Emulator, EmulatorConfig, KeyModel, TableSpec};

fn body(target_bytes: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(target_bytes + 256);
    let mut rows = 0usize;
    while out.len() < target_bytes {
        let i = rows;
        // id BIGINT, name VARCHAR(32), price DECIMAL(10,2), qty INT, ts DATETIME
        out.extend_from_slice(
            format!(
                "{i}\tcustomer-{}\t{}.{:02}\t{}\t2024-0{}-1{} 12:{:02}:{:02}\n",
                i % 100_000,
                i % 10_000,
                i % 100,
                i % 1000,
                1 + i % 9,
                i % 10,
                i % 60,
                (i / 60) % 60
            )
            .as_bytes(),
        );
        rows += 1;
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let megabytes: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(200);
    let discard = args.iter().any(|a| a == "--discard");
    let loads: usize = args
        .iter()
        .position(|a| a == "--loads")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let emu = Emulator::start(EmulatorConfig {
        discard,
        ..EmulatorConfig::default()
    })
    .expect("start");
    emu.create_database("bench");
    emu.create_table(
        TableSpec::new("bench", "t", KeyModel::Duplicate)
            .column("id", "BIGINT", false)
            .column("name", "VARCHAR(32)", true)
            .column("price", "DECIMAL(10,2)", true)
            .column("qty", "INT", true)
            .column("ts", "DATETIME", true),
    )
    .expect("table");
    let (data, rows) = body(megabytes * 1024 * 1024 / loads);
    let be = emu.be_http_addrs()[0];
    let mut stream = TcpStream::connect(be).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(600)))
        .expect("timeout");
    let mut elapsed = Duration::ZERO;
    for n in 0..loads {
        let head = format!(
            "PUT /api/bench/t/_stream_load HTTP/1.1\r\nHost: x\r\nAuthorization: Basic cm9vdDo=\r\nExpect: 100-continue\r\nlabel: bench-{n}\r\nContent-Length: {}\r\n\r\n",
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
    }
    let rows = rows * loads;
    let data_len = data.len() * loads;
    let mb = data_len as f64 / (1024.0 * 1024.0);
    println!(
        "{:.1} MiB in {loads} load(s), {rows} rows, {:.3} s, {:.1} MiB/s, {:.2} M rows/s (discard={discard})",
        mb,
        elapsed.as_secs_f64(),
        mb / elapsed.as_secs_f64(),
        rows as f64 / elapsed.as_secs_f64() / 1e6
    );
    assert_eq!(emu.stats().rows_loaded, rows as u64);
    emu.shutdown();
}
