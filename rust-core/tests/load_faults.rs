//! Load retries, label reuse, FE failover and back-pressure under faults that a scripted server
//! produces (an answer lost after the server applied the load, a server that never answers).

mod common;

use starrocks_flink::writer::TableOptions;

use std::time::{Duration, Instant};

use common::scripted::{ScriptedServer, Step};
use common::{emulator, id_name_table, metric, options, writer, Frames, F};
use starrocks_flink::error::ErrorKind;
use starrocks_flink::load::client::ServerClient;
use starrocks_flink::load::stream_load::{stream_load, LoadRequest, LoadTarget, RetryPolicy};
use starrocks_flink::metrics::Metrics;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn load_once(
    server: &ScriptedServer,
    retries: u32,
) -> starrocks_flink::error::Result<starrocks_flink::load::stream_load::LoadOutcome> {
    let opts = options(&format!("127.0.0.1:{}", server.port), "t", &[]);
    let client = ServerClient::new(&opts);
    let target = LoadTarget {
        database: "db".into(),
        table: "t".into(),
    };
    let req = LoadRequest {
        target: &target,
        label: "flink-fixed-label",
        headers: &opts.properties.headers,
        body: b"1\ta\n",
    };
    let policy = RetryPolicy {
        max_retries: retries,
        interval: Duration::from_millis(10),
    };
    runtime().block_on(stream_load(&client, &req, policy, &Metrics::default()))
}

#[test]
fn a_lost_answer_is_resolved_by_retrying_the_same_label() {
    let server = ScriptedServer::start(vec![
        Step::DropAfterBody,
        Step::Answer(
            r#"{"Status":"Label Already Exists","ExistingJobStatus":"FINISHED","Label":"flink-fixed-label","TxnId":-1,"Message":"Label [flink-fixed-label] has already been used."}"#,
        ),
    ]);
    let outcome = load_once(&server, 3).unwrap();
    assert!(outcome.already_loaded);
    assert_eq!(outcome.attempts, 2);
    assert_eq!(
        server.labels(),
        vec!["flink-fixed-label", "flink-fixed-label"]
    );
}

#[test]
fn the_first_error_is_reported_after_the_last_retry() {
    let server = ScriptedServer::start(vec![
        Step::Answer(r#"{"Status":"Fail","Message":"first problem: too many versions"}"#),
        Step::Answer(r#"{"Status":"Fail","Message":"second problem: memory exceed limit"}"#),
    ]);
    let e = load_once(&server, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LoadFailed);
    let m = e.message();
    assert!(
        m.starts_with("Stream Load of db.t (label flink-fixed-label) failed: Fail: first problem"),
        "{m}"
    );
    assert!(m.contains("gave up after 2 attempts"), "{m}");
    assert!(m.contains("last error: Stream Load of db.t (label flink-fixed-label) failed: Fail: second problem"), "{m}");
    assert_eq!(server.labels().len(), 2);
}

#[test]
fn data_errors_are_not_retried() {
    let server = ScriptedServer::start(vec![
        Step::Answer(r#"{"Status":"Fail","Message":"too many filtered rows"}"#),
        Step::Answer(r#"{"Status":"Success"}"#),
    ]);
    let e = load_once(&server, 3).unwrap_err();
    assert!(e.message().contains("too many filtered rows"), "{e}");
    assert_eq!(server.labels().len(), 1);
}

#[test]
fn an_unreachable_fe_is_skipped_for_the_next_load_url() {
    let emu = emulator();
    id_name_table(&emu, "failover");
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let urls = format!("127.0.0.1:{dead};{}", emu.fe_http_addr());
    let w = writer(options(&urls, "failover", &[("sink.max-retries", "0")]));
    let t = w
        .register_table(
            "db",
            "failover",
            Some(vec!["id".into(), "name".into()]),
            TableOptions::default(),
        )
        .unwrap();
    let mut f = Frames::default();
    f.row(t, &[F::Int(1), F::Str("a")]);
    w.write(&f.bytes).unwrap();
    w.flush().unwrap();
    assert_eq!(emu.rows("db", "failover").unwrap().len(), 1);
}

#[test]
fn writes_block_at_twice_max_bytes_and_time_out_when_starrocks_hangs() {
    let server = ScriptedServer::start(vec![Step::Hang, Step::Hang, Step::Hang]);
    let w = writer(options(
        &format!("127.0.0.1:{}", server.port),
        "t",
        &[
            ("sink.buffer-flush.max-bytes", "1024"),
            ("sink.buffer-flush.enqueue-timeout-ms", "1500"),
            ("sink.wait-for-continue.timeout-ms", "3000"),
        ],
    ));
    let t = w
        .register_table(
            "db",
            "t",
            Some(vec!["id".into(), "name".into()]),
            TableOptions::default(),
        )
        .unwrap();
    let payload = "p".repeat(100);
    let start = Instant::now();
    let mut result = Ok(());
    let mut max_held = 0;
    for i in 0..100 {
        let mut f = Frames::default();
        f.row(t, &[F::Int(i), F::Str(&payload)]);
        result = w.write(&f.bytes);
        max_held = max_held.max(metric(&w, "currentBufferBytes"));
        if result.is_err() {
            break;
        }
    }
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(
        e.message().contains("sink.buffer-flush.enqueue-timeout-ms"),
        "{e}"
    );
    assert!(start.elapsed() < Duration::from_secs(20));
    // Bounded: twice max-bytes plus at most one row over.
    assert!(max_held <= 2 * 1024 + 120, "held {max_held} bytes");
    let closing = Instant::now();
    w.close();
    assert!(closing.elapsed() < Duration::from_secs(15));
}
