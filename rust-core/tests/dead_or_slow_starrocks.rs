//! A dead, unreachable or slow StarRocks. A dead or unreachable one fails the writer within the
//! bound its options give, with a message naming the endpoint; a slow one blocks `write`
//! (back-pressure) while the memory held stays below twice `sink.buffer-flush.max-bytes` plus one
//! write's rows.

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::scripted::{ScriptedServer, Step};
use common::{emulator, id_name_table, metric, options, wait_for, writer, Frames, F};
use starrocks_emulator::{
    DelayPoint, FaultAction, FaultRule, KeyModel, NodeMatch, Operation, TableSpec,
};
use starrocks_flink::error::{ErrorKind, SinkError};
use starrocks_flink::writer::{SinkWriter, TableOptions};

/// The timeouts and retries of a plain load, as the options set them.
struct Budget {
    connect_ms: u64,
    /// `sink.wait-for-continue.timeout-ms` (at least 3000: the engine clamps it).
    continue_ms: u64,
    socket_ms: u64,
    retries: u64,
    interval_ms: u64,
}

impl Budget {
    fn options(&self) -> Vec<(&'static str, String)> {
        vec![
            ("sink.connect.timeout-ms", self.connect_ms.to_string()),
            (
                "sink.wait-for-continue.timeout-ms",
                self.continue_ms.to_string(),
            ),
            ("sink.socket.timeout-ms", self.socket_ms.to_string()),
            ("sink.max-retries", self.retries.to_string()),
            ("sink.retry.interval-ms", self.interval_ms.to_string()),
        ]
    }

    /// The longest a failing load may take: each of the `retries + 1` attempts connects (at most
    /// the connect timeout), waits for `100 Continue` (at most wait-for-continue) and for the
    /// answer (at most the socket timeout); the retries wait their interval in between.
    fn worst_case(&self) -> Duration {
        let attempt = self.connect_ms + self.continue_ms + self.socket_ms;
        Duration::from_millis((self.retries + 1) * attempt + self.retries * self.interval_ms)
    }

    /// The least a load to a server that accepts connections and never answers takes.
    fn hanging_at_least(&self) -> Duration {
        let attempt = self.continue_ms + self.socket_ms;
        Duration::from_millis((self.retries + 1) * attempt + self.retries * self.interval_ms)
    }
}

/// Time for the work around the waits (threads, one write, the flush's hand-over).
const SLACK: Duration = Duration::from_secs(2);

fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn writer_for(load_url: &str, budget: &Budget) -> (SinkWriter, u32) {
    let extra = budget.options();
    let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let w = writer(options(load_url, "t", &extra));
    let t = w
        .register_table(
            "db",
            "t",
            Some(vec!["id".into(), "name".into()]),
            TableOptions::default(),
        )
        .unwrap();
    (w, t)
}

/// Writes one row and flushes; returns the flush's error and how long write and flush took.
fn write_and_flush(w: &SinkWriter, t: u32) -> (SinkError, Duration) {
    let mut f = Frames::default();
    f.row(t, &[F::Int(1), F::Str("a")]);
    let start = Instant::now();
    w.write(&f.bytes).unwrap();
    let e = w.flush().expect_err("the flush must fail");
    (e, start.elapsed())
}

#[test]
fn an_unreachable_starrocks_fails_the_flush_after_its_retries_naming_it() {
    let endpoint = format!("127.0.0.1:{}", closed_port());
    let budget = Budget {
        connect_ms: 1000,
        continue_ms: 3000,
        socket_ms: 1000,
        retries: 2,
        interval_ms: 300,
    };
    let (w, t) = writer_for(&endpoint, &budget);
    let (e, took) = write_and_flush(&w, t);
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(
        e.message()
            .contains(&format!("cannot connect to {endpoint}")),
        "{e}"
    );
    assert!(e.message().contains("gave up after 3 attempts"), "{e}");
    assert!(
        took >= Duration::from_millis(2 * 300),
        "{took:?}: no retry waited"
    );
    assert!(took <= budget.worst_case() + SLACK, "{took:?}");
}

#[test]
fn a_starrocks_that_accepts_and_never_answers_fails_within_its_timeouts() {
    let server = ScriptedServer::start(vec![Step::Hang, Step::Hang]);
    let endpoint = format!("127.0.0.1:{}", server.port);
    let budget = Budget {
        connect_ms: 1000,
        continue_ms: 3000,
        socket_ms: 1000,
        retries: 1,
        interval_ms: 200,
    };
    let (w, t) = writer_for(&endpoint, &budget);
    let (e, took) = write_and_flush(&w, t);
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(
        e.message().contains(&format!(
            "timed out waiting for the response from {endpoint}"
        )),
        "{e}"
    );
    assert!(e.message().contains("gave up after 2 attempts"), "{e}");
    assert!(took >= budget.hanging_at_least(), "{took:?}");
    assert!(took <= budget.worst_case() + SLACK, "{took:?}");
    assert_eq!(server.labels().len(), 2, "one label, two attempts");
}

#[test]
fn an_fe_that_stops_answering_fails_the_next_flush_within_its_timeouts() {
    let emu = emulator();
    id_name_table(&emu, "t");
    let endpoint = emu.fe_http_addr().to_string();
    let budget = Budget {
        connect_ms: 1000,
        continue_ms: 3000,
        socket_ms: 1000,
        retries: 0,
        interval_ms: 0,
    };
    let (w, t) = writer_for(&endpoint, &budget);
    let mut f = Frames::default();
    f.row(t, &[F::Int(0), F::Str("before")]);
    w.write(&f.bytes).unwrap();
    w.flush().unwrap();
    emu.add_fault(
        FaultRule::new(FaultAction::Delay {
            ms: 15_000,
            before: DelayPoint::Response,
        })
        .node(NodeMatch::Fe),
    )
    .unwrap();
    let (e, took) = write_and_flush(&w, t);
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.message().contains(&endpoint), "{e}");
    assert!(took >= budget.hanging_at_least(), "{took:?}");
    assert!(took <= budget.worst_case() + SLACK, "{took:?}");
    assert_eq!(emu.rows("db", "t").unwrap().len(), 1);
}

/// Rows of about 1 KiB, `ROWS_PER_WRITE` per write, into a server whose every load waits
/// `DELAY_MS` before it takes the body.
#[test]
fn a_slow_starrocks_blocks_writes_and_bounds_the_memory_held() {
    const MAX_BYTES: u64 = 64 * 1024;
    const DELAY_MS: u64 = 200;
    const ROWS_PER_WRITE: usize = 8;
    const RUN: Duration = Duration::from_secs(3);
    let payload = "p".repeat(1000);
    // id (at most 10 digits), tab, payload, newline.
    let max_row_bytes = (10 + 1 + payload.len() + 1) as u64;
    let write_bytes = ROWS_PER_WRITE as u64 * max_row_bytes;

    let emu = emulator();
    emu.create_database("db");
    emu.create_table(
        TableSpec::new("db", "slow", KeyModel::Duplicate)
            .column("id", "INT", false)
            .column("name", "VARCHAR(2048)", true)
            .keys(&["id"]),
    )
    .unwrap();
    emu.add_fault(
        FaultRule::new(FaultAction::Delay {
            ms: DELAY_MS,
            before: DelayPoint::Continue,
        })
        .node(NodeMatch::Be)
        .op(Operation::StreamLoad),
    )
    .unwrap();
    let max_bytes = MAX_BYTES.to_string();
    let w = writer(options(
        &emu.fe_http_addr().to_string(),
        "slow",
        &[("sink.buffer-flush.max-bytes", max_bytes.as_str())],
    ));
    let t = w
        .register_table(
            "db",
            "slow",
            Some(vec!["id".into(), "name".into()]),
            TableOptions::default(),
        )
        .unwrap();

    let mut rows = 0i32;
    let mut longest_write = Duration::ZERO;
    let mut max_held = 0;
    let started = Instant::now();
    std::thread::scope(|s| {
        let sampler = s.spawn(|| {
            let mut max = 0;
            while started.elapsed() < RUN {
                max = max.max(metric(&w, "currentBufferBytes"));
                std::thread::sleep(Duration::from_millis(1));
            }
            max
        });
        while started.elapsed() < RUN {
            let mut f = Frames::default();
            for _ in 0..ROWS_PER_WRITE {
                rows += 1;
                f.row(t, &[F::Int(rows), F::Str(&payload)]);
            }
            let write_started = Instant::now();
            w.write(&f.bytes).unwrap();
            longest_write = longest_write.max(write_started.elapsed());
            max_held = max_held.max(metric(&w, "currentBufferBytes"));
        }
        max_held = max_held.max(sampler.join().unwrap());
    });
    let took = started.elapsed();
    let loads = emu.stats().loads;
    w.flush().unwrap();

    // Memory: `write` blocks while twice max-bytes are held, so at most one write's rows more.
    assert!(
        max_held as u64 <= 2 * MAX_BYTES + write_bytes,
        "held {max_held} bytes, bound {}",
        2 * MAX_BYTES + write_bytes
    );
    assert!(
        max_held as u64 >= MAX_BYTES,
        "held {max_held} bytes: never filled"
    );
    // Back-pressure: writes waited for loads, and what was accepted is what the server loaded
    // (each load takes at least DELAY_MS and about max-bytes) plus what memory may hold.
    assert!(
        longest_write >= Duration::from_millis(DELAY_MS / 2),
        "no write blocked (longest {longest_write:?})"
    );
    let accepted = rows as u64 * max_row_bytes;
    let loadable = (took.as_millis() as u64 / DELAY_MS + 1) * (MAX_BYTES + write_bytes);
    assert!(
        accepted <= loadable + 2 * MAX_BYTES + write_bytes,
        "accepted {accepted} bytes in {took:?}; the server loads at most {loadable}"
    );
    assert!(loads >= 3, "only {loads} loads in {took:?}");
    assert_eq!(emu.rows("db", "slow").unwrap().len(), rows as usize);
}

/// Flink interrupts a task's thread when it cancels the task: a `write` waiting for buffer space
/// and a flush waiting for a load that hangs give up at once when asked.
#[test]
fn waits_on_a_starrocks_that_never_answers_give_up_when_interrupted() {
    let server = ScriptedServer::start(vec![Step::Hang, Step::Hang]);
    let w = writer(options(
        &format!("127.0.0.1:{}", server.port),
        "t",
        &[("sink.buffer-flush.max-bytes", "1024")],
    ));
    let t = w
        .register_table(
            "db",
            "t",
            Some(vec!["id".into(), "name".into()]),
            TableOptions::default(),
        )
        .unwrap();
    let payload = "p".repeat(1000);
    let mut f = Frames::default();
    for id in 0..3 {
        f.row(t, &[F::Int(id), F::Str(&payload)]);
    }
    let mut asked = 0;
    let started = Instant::now();
    let e = w
        .write_interruptibly(&f.bytes, &mut || {
            asked += 1;
            asked > 2
        })
        .expect_err("the write waits for buffer space");
    assert_eq!(e.kind(), ErrorKind::Interrupted, "{e}");
    assert!(e.message().contains("buffer space"), "{e}");
    assert_eq!(asked, 3);
    let e = w
        .flush_interruptibly(&mut || true)
        .expect_err("the flush waits for the hanging load");
    assert_eq!(e.kind(), ErrorKind::Interrupted, "{e}");
    assert!(e.message().contains("the flush"), "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        wait_for(Duration::from_secs(5), || (server.labels().len() == 1)
            .then_some(()))
        .is_some(),
        "the first chunk is being loaded"
    );
}
