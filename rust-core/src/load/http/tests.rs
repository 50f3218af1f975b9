//! HTTP client tests against scripted one-connection servers on loopback.

use super::*;
use crate::load::tls::TrustStore;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// What a scripted server saw.
#[derive(Debug, Default)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

/// Starts a server that handles one connection with `script` and reports what it saw.
fn serve<F>(script: F) -> (Endpoint, mpsc::Receiver<Seen>)
where
    F: FnOnce(&mut BufReader<std::net::TcpStream>, &mut Seen) + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut seen = Seen::default();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            seen.head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        script(&mut reader, &mut seen);
        let _ = tx.send(seen);
    });
    (
        Endpoint {
            host: "127.0.0.1".into(),
            port,
            tls: false,
        },
        rx,
    )
}

fn read_body(reader: &mut BufReader<std::net::TcpStream>, seen: &mut Seen) {
    let len: usize = seen
        .head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).unwrap();
    seen.body = body;
}

fn reply(reader: &mut BufReader<std::net::TcpStream>, raw: &str) {
    reader.get_mut().write_all(raw.as_bytes()).unwrap();
}

const OK_JSON: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"Status\":\"Success\"}";

/// For `http` endpoints, which never read the trust store.
fn plain() -> Tls {
    Tls::new(TrustStore::System)
}

fn timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(5),
        wait_for_continue: Duration::from_secs(5),
        socket: None,
        total: Duration::from_secs(10),
    }
}

fn put(body: &[u8]) -> Request<'_> {
    Request {
        method: "PUT",
        path_and_query: "/api/db/t/_stream_load".into(),
        headers: vec![
            ("Authorization".into(), "Basic cm9vdDo=".into()),
            ("label".into(), "l1".into()),
        ],
        body,
        expect_continue: true,
    }
}

#[tokio::test]
async fn body_follows_100_continue() {
    let (ep, seen) = serve(|r, s| {
        reply(r, "HTTP/1.1 100 Continue\r\n\r\n");
        read_body(r, s);
        reply(
            r,
            "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{\"Status\":\"Success\"}",
        );
    });
    let resp = send(&plain(), &ep, &put(b"1\ta\n"), timeouts())
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body_text(), "{\"Status\":\"Success\"}");
    assert!(resp.body_sent);
    let seen = seen.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(seen.head.contains("Expect: 100-continue\r\n"));
    assert!(seen.head.contains("Content-Length: 4\r\n"));
    assert_eq!(seen.body, b"1\ta\n");
}

#[tokio::test]
async fn redirect_is_followed_with_credentials_and_the_body_goes_only_to_the_target() {
    let (be, be_seen) = serve(|r, s| {
        reply(r, "HTTP/1.1 100 Continue\r\n\r\n");
        read_body(r, s);
        reply(
            r,
            "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{\"Status\":\"Success\"}",
        );
    });
    let location = format!(
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{}/api/db/t/_stream_load?x=1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        be.port
    );
    let (fe, fe_seen) = serve(move |r, s| {
        reply(r, &location);
        // Whatever arrives after the 307 would be the body: there must be nothing.
        let mut rest = Vec::new();
        let _ = r.read_to_end(&mut rest);
        s.body = rest;
    });
    let resp = send(&plain(), &fe, &put(b"payload"), timeouts())
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.endpoint, be);
    let fe_seen = fe_seen.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(fe_seen.body.is_empty(), "FE received body bytes");
    let be_seen = be_seen.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(be_seen
        .head
        .starts_with("PUT /api/db/t/_stream_load?x=1 HTTP/1.1\r\n"));
    assert!(be_seen.head.contains("Authorization: Basic cm9vdDo=\r\n"));
    assert!(be_seen.head.contains("label: l1\r\n"));
    assert_eq!(be_seen.body, b"payload");
}

#[tokio::test]
async fn a_final_answer_before_100_continue_means_the_body_is_not_sent() {
    let (ep, seen) = serve(|r, s| {
        reply(r, OK_JSON);
        let mut rest = Vec::new();
        let _ = r.read_to_end(&mut rest);
        s.body = rest;
    });
    let resp = send(&plain(), &ep, &put(b"never"), timeouts())
        .await
        .unwrap();
    assert!(!resp.body_sent);
    assert!(seen
        .recv_timeout(Duration::from_secs(5))
        .unwrap()
        .body
        .is_empty());
}

#[tokio::test]
async fn the_body_is_sent_after_the_wait_for_continue_timeout() {
    let (ep, seen) = serve(|r, s| {
        read_body(r, s);
        reply(r, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    });
    let mut t = timeouts();
    t.wait_for_continue = Duration::from_millis(200);
    let resp = send(&plain(), &ep, &put(b"late"), t).await.unwrap();
    assert!(resp.body_sent);
    assert_eq!(
        seen.recv_timeout(Duration::from_secs(5)).unwrap().body,
        b"late"
    );
}

#[tokio::test]
async fn chunked_responses_are_decoded() {
    let (ep, _seen) = serve(|r, _| {
        reply(
            r,
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n",
        );
    });
    let req = Request {
        method: "GET",
        path_and_query: "/api/health".into(),
        headers: vec![],
        body: b"",
        expect_continue: false,
    };
    let resp = send(&plain(), &ep, &req, timeouts()).await.unwrap();
    assert_eq!(resp.body, b"hello world");
}

#[tokio::test]
async fn refused_connections_name_the_target() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let ep = Endpoint {
        host: "127.0.0.1".into(),
        port,
        tls: false,
    };
    let e = send(&plain(), &ep, &put(b"x"), timeouts())
        .await
        .unwrap_err();
    assert!(matches!(e, HttpError::Connect { .. }), "{e:?}");
    assert!(e.to_string().contains(&format!("127.0.0.1:{port}")), "{e}");
    assert!(!e.to_string().contains("cm9vdDo"), "{e}");
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let (ep, _seen) = serve(|r, s| {
        read_body(r, s);
        thread::sleep(Duration::from_secs(2));
    });
    let mut t = timeouts();
    t.wait_for_continue = Duration::from_millis(50);
    t.socket = Some(Duration::from_millis(300));
    let e = send(&plain(), &ep, &put(b"x"), t).await.unwrap_err();
    assert!(matches!(e, HttpError::Timeout { .. }), "{e:?}");
}

#[test]
fn locations_are_parsed() {
    assert_eq!(
        parse_location("http://10.0.0.5:8040/api/db/t/_stream_load?a=b").unwrap(),
        (
            Endpoint {
                host: "10.0.0.5".into(),
                port: 8040,
                tls: false,
            },
            "/api/db/t/_stream_load?a=b".to_string()
        )
    );
    assert_eq!(
        parse_location("http://[::1]:8040/x").unwrap().0,
        Endpoint {
            host: "::1".into(),
            port: 8040,
            tls: false,
        }
    );
    assert_eq!(
        parse_location("HTTPS://be:8443").unwrap(),
        (
            Endpoint {
                host: "be".into(),
                port: 8443,
                tls: true,
            },
            "/".to_string()
        )
    );
    let e = parse_location("ftp://be:8040/x").unwrap_err();
    assert!(e.contains("unsupported URL 'ftp://be:8040/x'"), "{e}");
    assert!(parse_location("be:8040/x").is_err());
    assert!(parse_location("http://be/x").is_err());
}

fn get() -> Request<'static> {
    Request {
        method: "GET",
        path_and_query: "/api/health".into(),
        headers: vec![],
        body: b"",
        expect_continue: false,
    }
}

/// Answers a GET with `raw` and returns what the client made of it.
async fn get_answered(raw: &'static [u8]) -> Result<Response, HttpError> {
    let (ep, _seen) = serve(move |r, _| {
        r.get_mut().write_all(raw).unwrap();
    });
    send(&plain(), &ep, &get(), timeouts()).await
}

/// Found by the HTTP fuzzer: a chunk size near `usize::MAX` after a first chunk overflowed the
/// size arithmetic (a panic in debug builds, a bad slice in release builds).
#[tokio::test]
async fn a_chunk_size_near_the_integer_limit_is_refused() {
    let e = get_answered(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nfffffffffffffffb\r\nx\r\n",
    )
    .await
    .unwrap_err();
    assert!(matches!(e, HttpError::Protocol { .. }), "{e:?}");
    assert!(e.to_string().contains("larger than"), "{e}");
}

#[tokio::test]
async fn a_chunk_without_its_crlf_is_refused() {
    let e = get_answered(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n",
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("does not end with CRLF"), "{e}");
}

#[tokio::test]
async fn an_endless_chunk_size_line_is_refused() {
    let (ep, _seen) = serve(|r, _| {
        reply(r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        let line = vec![b'1'; 200 * 1024];
        let _ = r.get_mut().write_all(&line);
    });
    let e = send(&plain(), &ep, &get(), timeouts()).await.unwrap_err();
    assert!(e.to_string().contains("longer than"), "{e}");
}

/// Found by the HTTP fuzzer: an interim answer other than 100 (here 102 Processing) was taken as
/// the final answer of a request waiting for 100-continue.
#[tokio::test]
async fn other_interim_answers_are_skipped_while_waiting_for_100_continue() {
    let (ep, seen) = serve(|r, s| {
        reply(r, "HTTP/1.1 102 Processing\r\n\r\n");
        reply(r, "HTTP/1.1 100 Continue\r\n\r\n");
        read_body(r, s);
        reply(r, OK_JSON);
    });
    let resp = send(&plain(), &ep, &put(b"data"), timeouts())
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert!(resp.body_sent);
    assert_eq!(
        seen.recv_timeout(Duration::from_secs(5)).unwrap().body,
        b"data"
    );
}
