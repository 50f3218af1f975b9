//! Engine microbenchmarks: what a batch of row frames costs on the writer's hot path.
//!
//! One realistic row shape (20 columns: ints, bigints, doubles, decimals, short and long strings,
//! a date, timestamps, a boolean, some NULLs), [`ROWS`] rows per iteration, built as the Java shim
//! writes them (layout of `starrocks_flink::encode::frame`). Every bench runs twice, once in the
//! group `engine_rows` (`Throughput::Elements`, rows) and once in `engine_bytes`
//! (`Throughput::Bytes`, the frame bytes the bench consumes; the CSV bytes for `memcpy_csv`):
//!
//! - `decode`: [`FrameReader`] over the frames;
//! - `decode_csv`, `decode_json`: decode plus [`RowEncoder::append_row`] into a reused chunk;
//! - `write_csv`, `write_json`: what `SinkWriter::write` does per frame (`encode_frames` in
//!   `writer/mod.rs`): decode, [`TableBuffer::append_row`] (encode, row-size check), the
//!   max-rows/chunk-limit check, and a seal at the end of the batch, as a table's chunk grows from
//!   empty in the writer; the sealed body is dropped outside the timing (a loader frees it);
//! - `memcpy_frames`, `memcpy_csv`: a copy of the frame bytes and of the CSV body (baselines).
//!
//! Not covered: the per-call costs of `write` (one mutex, two clock reads, memory accounting,
//! metrics), which do not grow with the rows of a call.
//!
//! Set `ENGINE_BENCH_SHAPE` to a path to get the shape as JSON (rows, bytes of frames and of
//! each output, allocations per row); `benchmarks/micro.sh` reads it. Allocations are counted by
//! a global allocator that counts only during one untimed pass before the measurements.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use starrocks_flink::buffer::{SealedChunk, TableBuffer};
use starrocks_flink::encode::frame::{Frame, FrameReader};
use starrocks_flink::encode::{Chunk, RowEncoder};
use starrocks_flink::load::stream_load::LoadTarget;
use starrocks_flink::options::SinkOptions;

/// Rows per iteration (one batch of frames).
const ROWS: usize = 10_000;

// ---------------------------------------------------------------------------------------------
// Allocation counting (only while COUNTING is set: one relaxed load per allocation otherwise).

struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);

fn count(size: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        ALLOC_BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Allocations (including reallocations) and bytes requested while `f` runs.
fn allocations<T>(f: impl FnOnce() -> T) -> (T, u64, u64) {
    ALLOCS.store(0, Ordering::SeqCst);
    ALLOC_BYTES.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let out = f();
    COUNTING.store(false, Ordering::SeqCst);
    (
        out,
        ALLOCS.load(Ordering::SeqCst),
        ALLOC_BYTES.load(Ordering::SeqCst),
    )
}

// ---------------------------------------------------------------------------------------------
// The rows: frames written as `RowFrameWriter` (java-shim) writes them.

/// (name, Flink type) of the 20 columns, in frame field order.
const COLUMNS: [(&str, &str); 20] = [
    ("order_id", "BIGINT"),
    ("customer_id", "BIGINT"),
    ("store_id", "INT"),
    ("quantity", "INT"),
    ("line_no", "SMALLINT"),
    ("unit_price", "DOUBLE"),
    ("discount_rate", "DOUBLE (30% NULL)"),
    ("amount", "DECIMAL(12,2)"),
    ("tax", "DECIMAL(10,4)"),
    ("ledger_amount", "DECIMAL(38,10)"),
    ("country", "STRING (2)"),
    ("currency", "STRING (3)"),
    ("sku", "STRING (12)"),
    ("customer_name", "STRING (8-30, some non-ASCII)"),
    ("email", "STRING (15-40, 10% NULL)"),
    ("comment", "STRING (100-400, 40% NULL, 5% with a quote)"),
    ("order_date", "DATE"),
    ("created_at", "TIMESTAMP(3)"),
    ("updated_at", "TIMESTAMP(6) (20% NULL)"),
    ("is_paid", "BOOLEAN"),
];

/// xorshift64*: deterministic rows without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Frame writer, field by field (`RowFrameWriter`'s `put*` methods).
#[derive(Default)]
struct Frames {
    bytes: Vec<u8>,
}

impl Frames {
    fn row(&mut self, kind: u8, table: u32, fields: u16) {
        self.bytes.push(kind);
        self.bytes.extend_from_slice(&table.to_le_bytes());
        self.bytes.extend_from_slice(&fields.to_le_bytes());
    }

    fn null(&mut self) {
        self.bytes.push(0x00);
    }

    fn boolean(&mut self, v: bool) {
        self.bytes.extend_from_slice(&[0x01, v as u8]);
    }

    fn smallint(&mut self, v: i16) {
        self.bytes.push(0x03);
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    fn int(&mut self, v: i32) {
        self.bytes.push(0x04);
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    fn bigint(&mut self, v: i64) {
        self.bytes.push(0x05);
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    fn double(&mut self, v: f64) {
        self.bytes.push(0x07);
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    fn decimal64(&mut self, unscaled: i64, scale: u8) {
        self.bytes.extend_from_slice(&[0x08, scale]);
        self.bytes.extend_from_slice(&unscaled.to_le_bytes());
    }

    /// As Java's `BigInteger.toByteArray()`: minimal big-endian two's complement.
    fn decimal_big(&mut self, unscaled: i128, scale: u8) {
        let b = unscaled.to_be_bytes();
        let mut start = 0;
        while start < 15
            && ((b[start] == 0x00 && b[start + 1] & 0x80 == 0)
                || (b[start] == 0xFF && b[start + 1] & 0x80 != 0))
        {
            start += 1;
        }
        let body = &b[start..];
        self.bytes
            .extend_from_slice(&[0x09, scale, body.len() as u8]);
        self.bytes.extend_from_slice(body);
    }

    fn string(&mut self, s: &str) {
        self.bytes.push(0x0A);
        self.bytes
            .extend_from_slice(&(s.len() as u32).to_le_bytes());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    fn date(&mut self, days: i32) {
        self.bytes.push(0x0B);
        self.bytes.extend_from_slice(&days.to_le_bytes());
    }

    fn timestamp(&mut self, precision: u8, epoch_millis: i64, nano_of_milli: i32) {
        self.bytes.extend_from_slice(&[0x0C, precision]);
        self.bytes.extend_from_slice(&epoch_millis.to_le_bytes());
        self.bytes.extend_from_slice(&nano_of_milli.to_le_bytes());
    }
}

/// Words of the long comments.
const WORDS: &str = "please deliver before noon the package was damaged customer asked for a \
                     refund gift wrap leave at door call on arrival fragile handle with care \
                     second attempt reschedule weekend express";
const FIRST: &[&str] = &[
    "Anna", "José", "Li", "Mohammed", "Søren", "Chloé", "Ivan", "Priya", "Günther", "Emma",
];
const LAST: &[&str] = &[
    "Smith",
    "García",
    "Wang",
    "Okafor",
    "Müller",
    "Dubois",
    "Kowalski",
    "Nakamura",
    "O'Brien",
    "Johansson-Lindqvist",
];
const COUNTRIES: &[&str] = &["US", "DE", "FR", "CN", "JP", "BR", "IN", "GB", "ES", "NG"];
const CURRENCIES: &[&str] = &["USD", "EUR", "CNY", "JPY", "BRL", "INR", "GBP"];
const DOMAINS: &[&str] = &["example.com", "mail.example.org", "corp.example.net"];

/// `rows` typed +I frames of table 0.
fn build_frames(rows: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut f = Frames::default();
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut text = String::new();
    // 2024-01-01T00:00:00Z and its day number.
    let base_millis: i64 = 1_704_067_200_000;
    let base_day: i32 = 19_723;
    for i in 0..rows {
        f.row(0, 0, COLUMNS.len() as u16);
        f.bigint(1_000_000_000 + i as i64);
        f.bigint(rng.below(1_000_000_000) as i64);
        f.int(rng.below(5_000) as i32);
        f.int(rng.range(1, 20) as i32);
        f.smallint(rng.range(1, 50) as i16);
        let cents = rng.range(1, 100_000) as i64;
        f.double(cents as f64 / 100.0);
        if rng.percent(30) {
            f.null();
        } else {
            f.double(rng.below(50) as f64 / 100.0);
        }
        let amount = cents * rng.range(1, 20) as i64;
        f.decimal64(amount, 2);
        f.decimal64(amount * 19, 4);
        let ledger = (amount as i128) * 10_000_000_000 + rng.below(10_000_000_000) as i128;
        f.decimal_big(if rng.percent(10) { -ledger } else { ledger }, 10);
        f.string(rng.pick(COUNTRIES));
        f.string(rng.pick(CURRENCIES));
        text.clear();
        text.push_str(&format!("SKU-{:08}", rng.below(100_000_000)));
        f.string(&text);
        let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
        text.clear();
        text.push_str(first);
        text.push(' ');
        text.push_str(last);
        f.string(&text);
        if rng.percent(10) {
            f.null();
        } else {
            text.clear();
            text.push_str(&format!(
                "{}.{}{}@{}",
                first.to_lowercase(),
                last.to_lowercase(),
                rng.below(1000),
                rng.pick(DOMAINS)
            ));
            f.string(&text);
        }
        if rng.percent(40) {
            f.null();
        } else {
            let target = rng.range(100, 400) as usize;
            text.clear();
            while text.len() < target {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(rng.pick(&words));
            }
            if rng.percent(5) {
                text.push_str(" \"urgent\"");
            }
            f.string(&text);
        }
        f.date(base_day + rng.below(366) as i32);
        let created = base_millis + rng.below(366 * 86_400_000) as i64;
        f.timestamp(3, created, 0);
        if rng.percent(20) {
            f.null();
        } else {
            let updated = created + rng.below(30 * 86_400_000) as i64;
            f.timestamp(6, updated, rng.below(1_000) as i32 * 1_000);
        }
        f.boolean(rng.percent(70));
    }
    f.bytes
}

// ---------------------------------------------------------------------------------------------
// What is measured.

/// A table set up as `SinkWriter::register_table` sets it up, with the options' defaults.
struct Table {
    opts: SinkOptions,
    buffer: TableBuffer,
    rows_seen: u64,
}

impl Table {
    fn new(format: &str) -> Table {
        let map: BTreeMap<String, String> = [
            ("jdbc-url", "jdbc:mysql://127.0.0.1:9030"),
            ("load-url", "127.0.0.1:8030"),
            ("database-name", "db"),
            ("table-name", "orders"),
            ("username", "root"),
            ("password", ""),
            ("sink.properties.format", format),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let opts = SinkOptions::from_map(&map).expect("valid options");
        let target = LoadTarget {
            database: "db".to_string(),
            table: "orders".to_string(),
        };
        let properties = opts
            .table_properties(&target.to_string(), &[])
            .expect("table properties");
        let buffer = TableBuffer::new(
            target.clone(),
            encoder(&opts, &target),
            properties.headers,
            true,
            Vec::new(),
        )
        .with_max_row_bytes(opts.chunk_limit);
        Table {
            opts,
            buffer,
            rows_seen: 0,
        }
    }

    /// `encode_frames` for one table: every frame into the buffer, sealing when full; then the
    /// seal that ends the batch. Returns the sealed bodies.
    fn write(&mut self, frames: &[u8]) -> Vec<SealedChunk> {
        let now = Instant::now();
        let mut sealed = Vec::new();
        for frame in FrameReader::new(frames) {
            let Frame::Row { kind, fields, .. } = frame.expect("valid frames") else {
                unreachable!("typed rows only")
            };
            let row_number = self.rows_seen + 1;
            let grew = self
                .buffer
                .append_row(kind, &fields, row_number, now)
                .expect("rows encode");
            black_box(grew);
            self.rows_seen += 1;
            if self.buffer.rows() >= self.opts.max_rows
                || self.buffer.len() >= self.opts.chunk_limit
            {
                sealed.extend(self.buffer.seal());
            }
        }
        sealed.extend(self.buffer.seal());
        sealed
    }
}

fn encoder(opts: &SinkOptions, target: &LoadTarget) -> RowEncoder {
    let properties = opts
        .table_properties(&target.to_string(), &[])
        .expect("table properties");
    RowEncoder::new(
        &properties.format,
        target.to_string(),
        COLUMNS.iter().map(|(n, _)| n.to_string()).collect(),
        Vec::new(),
        false,
    )
}

/// Decodes every frame; returns the fields seen.
fn decode(frames: &[u8]) -> usize {
    let mut fields_seen = 0;
    for frame in FrameReader::new(frames) {
        let frame = black_box(frame.expect("valid frames"));
        if let Frame::Row { fields, .. } = &frame {
            fields_seen += fields.len();
        }
    }
    fields_seen
}

/// Decodes and encodes every frame into a chunk that reuses `buf`'s memory; returns the body.
fn decode_encode(enc: &RowEncoder, frames: &[u8], buf: Vec<u8>) -> Chunk {
    let mut chunk = enc.new_chunk();
    let mut data = buf;
    data.clear();
    data.extend_from_slice(&chunk.data);
    chunk.data = data;
    for (i, frame) in FrameReader::new(frames).enumerate() {
        let Frame::Row { kind, fields, .. } = frame.expect("valid frames") else {
            unreachable!("typed rows only")
        };
        enc.append_row(&mut chunk, kind, &fields, i as u64 + 1)
            .expect("rows encode");
    }
    enc.finish_chunk(&mut chunk);
    chunk
}

fn memcpy(dst: &mut [u8], src: &[u8]) {
    dst.copy_from_slice(black_box(src));
    black_box(dst);
}

// ---------------------------------------------------------------------------------------------

struct Fixture {
    frames: Vec<u8>,
    csv_encoder: RowEncoder,
    json_encoder: RowEncoder,
    csv_body: Vec<u8>,
    json_body: Vec<u8>,
}

impl Fixture {
    fn new() -> Fixture {
        let frames = build_frames(ROWS);
        let csv_table = Table::new("csv");
        let json_table = Table::new("json");
        let target = LoadTarget {
            database: "db".to_string(),
            table: "orders".to_string(),
        };
        let csv_encoder = encoder(&csv_table.opts, &target);
        let json_encoder = encoder(&json_table.opts, &target);
        let csv = decode_encode(&csv_encoder, &frames, Vec::new());
        let json = decode_encode(&json_encoder, &frames, Vec::new());
        assert_eq!(csv.rows as usize, ROWS);
        assert_eq!(json.rows as usize, ROWS);
        serde_json::from_slice::<serde_json::Value>(&json.data).expect("the JSON body is JSON");
        Fixture {
            frames,
            csv_encoder,
            json_encoder,
            csv_body: csv.data,
            json_body: json.data,
        }
    }

    /// Shape, sizes and allocations per row, as JSON (for `benchmarks/micro.sh`).
    fn shape(&self) -> serde_json::Value {
        let per_row = |n: u64| n as f64 / ROWS as f64;
        let mut allocs = serde_json::Map::new();
        let mut record = |name: &str, (n, bytes): (u64, u64)| {
            allocs.insert(
                name.to_string(),
                serde_json::json!({"allocs_per_row": per_row(n), "alloc_bytes_per_row": per_row(bytes)}),
            );
        };
        let (_, n, b) = allocations(|| decode(&self.frames));
        record("decode", (n, b));
        for (name, enc, len) in [
            ("decode_csv", &self.csv_encoder, self.csv_body.len()),
            ("decode_json", &self.json_encoder, self.json_body.len()),
        ] {
            let buf = Vec::with_capacity(len);
            let (_, n, b) = allocations(|| decode_encode(enc, &self.frames, buf));
            record(name, (n, b));
        }
        for (name, format) in [("write_csv", "csv"), ("write_json", "json")] {
            let mut table = Table::new(format);
            let (sealed, n, b) = allocations(|| table.write(&self.frames));
            drop(sealed);
            record(name, (n, b));
        }
        let mut dst = vec![0u8; self.frames.len()];
        let (_, n, b) = allocations(|| memcpy(&mut dst, &self.frames));
        record("memcpy_frames", (n, b));
        let mut dst = vec![0u8; self.csv_body.len()];
        let (_, n, b) = allocations(|| memcpy(&mut dst, &self.csv_body));
        record("memcpy_csv", (n, b));

        let frames = self.frames.len();
        let (csv, json) = (self.csv_body.len(), self.json_body.len());
        serde_json::json!({
            "rows": ROWS,
            "columns": COLUMNS.iter().map(|(n, t)| format!("{n} {t}")).collect::<Vec<_>>(),
            "frame_bytes": frames,
            "csv_bytes": csv,
            "json_bytes": json,
            // Bytes each bench reads (frames) and writes (its output), per iteration.
            "benches": {
                "decode": {"in": frames, "out": 0},
                "decode_csv": {"in": frames, "out": csv},
                "decode_json": {"in": frames, "out": json},
                "write_csv": {"in": frames, "out": csv},
                "write_json": {"in": frames, "out": json},
                "memcpy_frames": {"in": frames, "out": frames},
                "memcpy_csv": {"in": csv, "out": csv},
            },
            "allocations": allocs,
        })
    }
}

fn benches(group: &mut BenchmarkGroup<'_, WallTime>, fx: &Fixture, bytes: bool) {
    let throughput = |n: usize| {
        if bytes {
            Throughput::Bytes(n as u64)
        } else {
            Throughput::Elements(ROWS as u64)
        }
    };
    let frames = &fx.frames;

    group.throughput(throughput(frames.len()));
    group.bench_function("decode", |b| b.iter(|| decode(frames)));

    for (name, enc, len) in [
        ("decode_csv", &fx.csv_encoder, fx.csv_body.len()),
        ("decode_json", &fx.json_encoder, fx.json_body.len()),
    ] {
        let mut buf = Some(Vec::with_capacity(len));
        group.bench_function(name, |b| {
            b.iter(|| {
                let chunk = decode_encode(enc, frames, buf.take().unwrap_or_default());
                buf = Some(black_box(chunk).data);
            })
        });
    }

    for (name, format) in [("write_csv", "csv"), ("write_json", "json")] {
        let mut table = Table::new(format);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    let sealed = table.write(frames);
                    total += started.elapsed();
                    // Loaders free sealed bodies on the I/O threads, not the writing thread.
                    drop(black_box(sealed));
                }
                total
            })
        });
    }

    let mut dst = vec![0u8; frames.len()];
    group.bench_function("memcpy_frames", |b| b.iter(|| memcpy(&mut dst, frames)));

    group.throughput(throughput(fx.csv_body.len()));
    let mut dst = vec![0u8; fx.csv_body.len()];
    group.bench_function("memcpy_csv", |b| b.iter(|| memcpy(&mut dst, &fx.csv_body)));
}

fn engine(c: &mut Criterion) {
    let fx = Fixture::new();
    let shape = fx.shape();
    eprintln!(
        "engine benches: {ROWS} rows of {} columns per iteration; {} frame bytes, {} CSV bytes, {} \
         JSON bytes",
        COLUMNS.len(),
        fx.frames.len(),
        fx.csv_body.len(),
        fx.json_body.len()
    );
    if let Some(path) = std::env::var_os("ENGINE_BENCH_SHAPE") {
        std::fs::write(&path, serde_json::to_vec_pretty(&shape).expect("JSON"))
            .expect("ENGINE_BENCH_SHAPE is writable");
    }

    let mut rows = c.benchmark_group("engine_rows");
    benches(&mut rows, &fx, false);
    rows.finish();

    let mut bytes = c.benchmark_group("engine_bytes");
    benches(&mut bytes, &fx, true);
    bytes.finish();
}

criterion_group!(engine_benches, engine);
criterion_main!(engine_benches);
