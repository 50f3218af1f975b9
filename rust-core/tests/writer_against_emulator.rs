//! The engine's writer against the project's StarRocks emulator: rows land through the FE's 307,
//! flush triggers fire, failures surface on the next call.

mod common;

use starrocks_flink::writer::TableOptions;

use std::time::Duration;

use common::{
    emulator, id_name_table, metric, options, samples_recorded, wait_for, writer, Frames, F,
};
use starrocks_flink::error::ErrorKind;

fn columns() -> Option<Vec<String>> {
    Some(vec!["id".to_string(), "name".to_string()])
}

#[test]
fn typed_rows_land_in_csv_and_json() {
    let emu = emulator();
    for format in ["csv", "json"] {
        let table = format!("typed_{format}");
        id_name_table(&emu, &table);
        let fe = emu.fe_http_addr().to_string();
        let w = writer(options(&fe, &table, &[("sink.properties.format", format)]));
        let t = w
            .register_table("db", &table, columns(), TableOptions::default())
            .unwrap();
        let mut f = Frames::default();
        f.row(t, &[F::Int(1), F::Str("tab\there")]);
        f.row(t, &[F::Int(2), F::Null]);
        f.row(t, &[F::Int(3), F::Str("é 😀 \"q\"")]);
        if format == "csv" {
            // A tab would split the CSV field: only JSON may carry it.
            f = Frames::default();
            f.row(t, &[F::Int(1), F::Str("plain")]);
            f.row(t, &[F::Int(2), F::Null]);
            f.row(t, &[F::Int(3), F::Str("é 😀 \"q\"")]);
        }
        w.write(&f.bytes).unwrap();
        w.flush().unwrap();
        let mut rows = emu.rows("db", &table).unwrap();
        rows.sort();
        let second = if format == "csv" {
            "plain"
        } else {
            "tab\there"
        };
        assert_eq!(
            rows,
            vec![
                vec![Some("1".into()), Some(second.into())],
                vec![Some("2".into()), None],
                vec![Some("3".into()), Some("é 😀 \"q\"".into())],
            ],
            "{format}"
        );
        w.close();
    }
}

#[test]
fn max_rows_splits_the_data_into_several_loads() {
    let emu = emulator();
    id_name_table(&emu, "by_rows");
    let fe = emu.fe_http_addr().to_string();
    let w = writer(options(
        &fe,
        "by_rows",
        &[("sink.buffer-flush.max-rows", "10")],
    ));
    let t = w
        .register_table("db", "by_rows", columns(), TableOptions::default())
        .unwrap();
    let mut f = Frames::default();
    for i in 0..35 {
        f.row(t, &[F::Int(i), F::Str("x")]);
    }
    w.write(&f.bytes).unwrap();
    w.flush().unwrap();
    assert_eq!(emu.rows("db", "by_rows").unwrap().len(), 35);
    let labels = emu.labels("db");
    assert_eq!(labels.len(), 4, "{labels:?}");
    assert!(labels.iter().all(|l| l.label.starts_with("flink-")));
    assert_eq!(metric(&w, "totalInvokeRows"), 35);
    assert_eq!(metric(&w, "totalFlushRows"), 35);
    assert_eq!(metric(&w, "totalFlushSucceededTimes"), 4);
    assert!(metric(&w, "totalFlushBytes") > 0);
    assert_eq!(metric(&w, "totalFlushFailedTimes"), 0);
    // Every Stream Load answer carries the server's timings.
    assert_eq!(samples_recorded(&w, "flushTimeNs"), 4);
    assert_eq!(samples_recorded(&w, "loadTimeMs"), 4);
    assert_eq!(samples_recorded(&w, "writeDataTimeMs"), 4);
}

#[test]
fn the_flush_interval_loads_rows_without_an_explicit_flush() {
    let emu = emulator();
    id_name_table(&emu, "by_time");
    let fe = emu.fe_http_addr().to_string();
    let w = writer(options(
        &fe,
        "by_time",
        &[
            ("sink.buffer-flush.interval-ms", "200"),
            ("sink.scan-frequency.ms", "50"),
        ],
    ));
    let t = w
        .register_table("db", "by_time", columns(), TableOptions::default())
        .unwrap();
    let mut f = Frames::default();
    f.row(t, &[F::Int(7), F::Str("late")]);
    w.write(&f.bytes).unwrap();
    let landed = wait_for(Duration::from_secs(10), || {
        let rows = emu.rows("db", "by_time").unwrap();
        (!rows.is_empty()).then_some(rows)
    });
    assert_eq!(landed.unwrap().len(), 1);
}

#[test]
fn max_bytes_flushes_the_largest_table() {
    let emu = emulator();
    id_name_table(&emu, "big");
    id_name_table(&emu, "small");
    let fe = emu.fe_http_addr().to_string();
    let w = writer(options(
        &fe,
        "big",
        &[("sink.buffer-flush.max-bytes", "4096")],
    ));
    let big = w
        .register_table("db", "big", columns(), TableOptions::default())
        .unwrap();
    let small = w
        .register_table("db", "small", columns(), TableOptions::default())
        .unwrap();
    let mut f = Frames::default();
    f.row(small, &[F::Int(1), F::Str("s")]);
    for i in 0..100 {
        f.row(big, &[F::Int(i), F::Str(&"b".repeat(40))]);
    }
    w.write(&f.bytes).unwrap();
    let landed = wait_for(Duration::from_secs(10), || {
        let rows = emu.rows("db", "big").unwrap();
        (!rows.is_empty()).then_some(rows.len())
    });
    assert!(landed.is_some(), "the large table was not flushed");
    assert!(emu.rows("db", "small").unwrap().is_empty());
    w.flush().unwrap();
    assert_eq!(emu.rows("db", "big").unwrap().len(), 100);
    assert_eq!(emu.rows("db", "small").unwrap().len(), 1);
}

#[test]
fn a_background_failure_surfaces_on_the_next_call_and_stays() {
    let emu = emulator();
    emu.create_database("db");
    let fe = emu.fe_http_addr().to_string();
    let w = writer(options(
        &fe,
        "missing",
        &[
            ("sink.buffer-flush.interval-ms", "100"),
            ("sink.max-retries", "0"),
        ],
    ));
    let t = w
        .register_table("db", "missing", columns(), TableOptions::default())
        .unwrap();
    let mut f = Frames::default();
    f.row(t, &[F::Int(1), F::Str("a")]);
    w.write(&f.bytes).unwrap();
    let err = wait_for(Duration::from_secs(10), || w.write(&f.bytes).err()).unwrap();
    assert_eq!(err.kind(), ErrorKind::LoadFailed, "{err}");
    assert!(err.message().contains("db.missing"), "{err}");
    assert_eq!(w.flush().unwrap_err(), err);
    w.close();
    assert_eq!(w.write(&f.bytes).unwrap_err().kind(), ErrorKind::Closed);
}

#[test]
fn bad_rows_name_the_row_and_column() {
    let emu = emulator();
    id_name_table(&emu, "bad");
    let fe = emu.fe_http_addr().to_string();
    let w = writer(options(&fe, "bad", &[]));
    let t = w
        .register_table("db", "bad", columns(), TableOptions::default())
        .unwrap();
    let mut f = Frames::default();
    f.row(t, &[F::Int(1), F::Str("ok")]);
    f.row(t, &[F::Int(2), F::Str("has\ttab")]);
    let e = w.write(&f.bytes).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidData);
    assert!(e.message().contains("row #2"), "{e}");
    assert!(e.message().contains("column 'name'"), "{e}");
    let mut f = Frames::default();
    f.row(9, &[F::Int(1)]);
    let e = w.write(&f.bytes).unwrap_err();
    assert!(e.message().contains("table id 9"), "{e}");
}

#[test]
fn raw_records_land_as_written() {
    let emu = emulator();
    id_name_table(&emu, "raw");
    let fe = emu.fe_http_addr().to_string();
    let w = writer(options(&fe, "raw", &[]));
    let t = w
        .register_table("db", "raw", None, TableOptions::default())
        .unwrap();
    let mut f = Frames::default();
    f.raw(t, "1\tone").raw(t, "2\ttwo");
    w.write(&f.bytes).unwrap();
    w.flush().unwrap();
    assert_eq!(emu.rows("db", "raw").unwrap().len(), 2);
}

#[test]
fn json_records_that_are_arrays_land_row_by_row_with_wrap_json_as_array() {
    let emu = emulator();
    id_name_table(&emu, "wrapped");
    let fe = emu.fe_http_addr().to_string();
    let w = writer(options(
        &fe,
        "wrapped",
        &[
            ("sink.properties.format", "json"),
            ("sink.wrap-json-as-array", "true"),
        ],
    ));
    let t = w
        .register_table("db", "wrapped", None, TableOptions::default())
        .unwrap();
    let mut f = Frames::default();
    f.raw(t, r#"[{"id":1,"name":"a"},{"id":2,"name":"b"}]"#)
        .raw(t, "[]")
        .raw(t, r#"[{"id":3,"name":"c"}]"#);
    w.write(&f.bytes).unwrap();
    w.flush().unwrap();
    let mut rows = emu.rows("db", "wrapped").unwrap();
    rows.sort();
    assert_eq!(
        rows,
        vec![
            vec![Some("1".into()), Some("a".into())],
            vec![Some("2".into()), Some("b".into())],
            vec![Some("3".into()), Some("c".into())],
        ]
    );

    let mut f = Frames::default();
    f.raw(t, r#"{"id":4,"name":"d"}"#);
    let e = w.write(&f.bytes).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidData);
    assert!(e.message().contains("one JSON array of rows"), "{e}");
    w.close();
}

#[test]
fn blackhole_encodes_rows_and_loads_nothing_in_either_semantic() {
    let emu = emulator();
    for semantic in ["at-least-once", "exactly-once"] {
        let table = format!("hole_{}", semantic.replace('-', "_"));
        id_name_table(&emu, &table);
        let fe = emu.fe_http_addr().to_string();
        let w = writer(options(
            &fe,
            &table,
            &[
                ("sink.blackhole", "true"),
                ("sink.semantic", semantic),
                ("sink.label-prefix", "hole"),
                ("sink.buffer-flush.max-rows", "10"),
            ],
        ));
        let t = w
            .register_table("db", &table, columns(), TableOptions::default())
            .unwrap();
        let mut f = Frames::default();
        for i in 0..35 {
            f.row(t, &[F::Int(i), F::Str("x")]);
        }
        w.write(&f.bytes).unwrap();
        w.flush().unwrap();
        assert!(w.prepare_commit().unwrap().is_empty(), "{semantic}");
        // Encoding still checks the rows.
        let mut bad = Frames::default();
        bad.row(t, &[F::Int(99), F::Str("tab\there")]);
        assert!(w.write(&bad.bytes).is_err(), "{semantic}");
        w.close();
        assert!(emu.rows("db", &table).unwrap().is_empty(), "{semantic}");
        assert!(emu
            .labels("db")
            .iter()
            .all(|l| !l.label.starts_with("hole")));
    }
    // Opening still asks StarRocks what it supports (the transaction interface, earlier labels);
    // nothing is loaded, prepared or committed.
    let loads = emu
        .requests()
        .into_iter()
        .filter(|r| {
            r.bytes > 0
                || ["_stream_load", "/load", "/prepare", "/commit"]
                    .iter()
                    .any(|p| r.path.ends_with(p))
        })
        .count();
    assert_eq!(loads, 0, "{:?}", emu.requests());
}

#[test]
fn compressed_bodies_land_with_every_codec_in_csv_and_json() {
    let emu = emulator();
    let name = "n".repeat(60);
    for format in ["csv", "json"] {
        for codec in ["lz4_frame", "gzip", "zstd"] {
            for transactional in ["false", "true"] {
                let table = format!("packed_{format}_{codec}_{transactional}");
                id_name_table(&emu, &table);
                let fe = emu.fe_http_addr().to_string();
                let w = writer(options(
                    &fe,
                    &table,
                    &[
                        ("sink.properties.format", format),
                        ("sink.properties.compression", codec),
                        (
                            "sink.at-least-once.use-transaction-stream-load",
                            transactional,
                        ),
                    ],
                ));
                let t = w
                    .register_table("db", &table, columns(), TableOptions::default())
                    .unwrap();
                let received_before = emu.stats().bytes_received;
                let mut f = Frames::default();
                for i in 0..3000 {
                    f.row(t, &[F::Int(i), F::Str(&name)]);
                }
                w.write(&f.bytes).unwrap();
                w.flush().unwrap();
                w.close();
                let what = format!("{format} {codec} transactional={transactional}");
                let rows = emu.rows("db", &table).unwrap();
                assert_eq!(rows.len(), 3000, "{what}");
                assert!(
                    rows.iter().all(|r| r[1].as_deref() == Some(name.as_str())),
                    "{what}: {:?}",
                    rows[0]
                );
                let sent = emu.stats().bytes_received - received_before;
                // 3000 rows of more than 60 bytes each (over 180 kB), mostly repeats.
                assert!(sent > 0 && sent < 40_000, "{what}: {sent} body bytes sent");
            }
        }
    }
}

#[test]
fn a_rejected_load_reports_the_error_log_without_row_data_when_sanitized() {
    let emu = emulator();
    for sanitize in ["false", "true"] {
        let table = format!("filtered_{sanitize}");
        id_name_table(&emu, &table);
        let fe = emu.fe_http_addr().to_string();
        let w = writer(options(
            &fe,
            &table,
            &[
                ("sink.sanitize-error-log", sanitize),
                ("sink.max-retries", "0"),
            ],
        ));
        let t = w
            .register_table("db", &table, None, TableOptions::default())
            .unwrap();
        let mut f = Frames::default();
        f.raw(t, "not-a-number\tcard-4111111111111111");
        w.write(&f.bytes).unwrap();
        let e = w.flush().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LoadFailed, "{e}");
        assert!(e.message().contains("too many filtered rows"), "{e}");
        assert!(
            e.message().contains("Error: "),
            "the error log is quoted: {e}"
        );
        let leaked = e.message().contains("card-4111111111111111");
        assert_eq!(leaked, sanitize == "false", "sanitize={sanitize}: {e}");
        w.close();
    }
}

/// StarRocks serves loads on the leader FE: a `load-url` that names a follower FE gets a 307 to
/// the leader, which redirects to a BE. Plain Stream Load and the transaction interface both
/// follow the two hops with the credentials.
#[test]
fn loads_through_a_follower_fe_take_two_hops() {
    let emu = starrocks_emulator::Emulator::start(starrocks_emulator::EmulatorConfig {
        follower_fes: 1,
        ..starrocks_emulator::EmulatorConfig::default()
    })
    .expect("emulator starts");
    let follower = emu.follower_fe_addrs()[0].to_string();
    for (table, transactions) in [
        ("via_follower_plain", "false"),
        ("via_follower_txn", "true"),
    ] {
        id_name_table(&emu, table);
        let w = writer(options(
            &follower,
            table,
            &[(
                "sink.at-least-once.use-transaction-stream-load",
                transactions,
            )],
        ));
        let t = w
            .register_table("db", table, columns(), TableOptions::default())
            .unwrap();
        let mut f = Frames::default();
        f.row(t, &[F::Int(1), F::Str("one")]);
        f.row(t, &[F::Int(2), F::Null]);
        w.write(&f.bytes).unwrap();
        w.flush().unwrap();
        w.close();
        let mut rows = emu.rows("db", table).unwrap();
        rows.sort();
        assert_eq!(
            rows,
            vec![
                vec![Some("1".into()), Some("one".into())],
                vec![Some("2".into()), None]
            ],
            "{table}"
        );
    }
}
