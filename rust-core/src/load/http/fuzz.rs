//! The HTTP client against servers that answer with arbitrary, damaged and valid generated
//! responses (one loopback connection per case): it returns a response or a clean error, never
//! panics, never waits past its deadline, and reads valid responses (interim 1xx answers, any
//! headers, bodies framed by Content-Length, chunks or the end of the connection, delivered in
//! any TCP pieces) exactly. Redirect locations are fuzzed as strings.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

use super::*;
use crate::load::tls::TrustStore;

/// How long a case may take at most: the client's overall deadline plus scheduling slack.
const TOTAL: Duration = Duration::from_secs(2);

fn timeouts() -> Timeouts {
    Timeouts {
        connect: TOTAL,
        wait_for_continue: Duration::from_millis(500),
        socket: Some(TOTAL),
        total: TOTAL,
    }
}

/// Serves one connection: reads the request head, writes `pieces` (a moment apart, so that the
/// client may read them separately), closes its side and reads whatever the client still sends
/// (so that closing never resets the connection under the client's last reads).
fn serve(pieces: Vec<Vec<u8>>) -> (Endpoint, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(TOTAL * 2)).unwrap();
        let _ = stream.set_nodelay(true);
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                thread::sleep(Duration::from_micros(200));
            }
            if stream.write_all(piece).is_err() {
                break;
            }
        }
        let _ = stream.shutdown(Shutdown::Write);
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    });
    let endpoint = Endpoint {
        host: "127.0.0.1".into(),
        port,
        tls: false,
    };
    (endpoint, server)
}

/// A GET, or a PUT with a body that waits for `100 Continue`.
fn request(put: bool) -> Request<'static> {
    Request {
        method: if put { "PUT" } else { "GET" },
        path_and_query: "/api/db/t/_stream_load".into(),
        headers: vec![("Authorization".into(), "Basic cm9vdDo=".into())],
        body: if put { b"1\ta\n" } else { b"" },
        expect_continue: put,
    }
}

/// Sends `req` to a server that answers `pieces`; checks that the call ended in time.
fn exchange(pieces: Vec<Vec<u8>>, put: bool) -> Result<Response, HttpError> {
    let (endpoint, server) = serve(pieces);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let result = runtime.block_on(send_once(
        &Tls::new(TrustStore::System),
        &endpoint,
        "/api/db/t/_stream_load",
        &request(put),
        timeouts(),
    ));
    assert!(
        started.elapsed() < TOTAL + Duration::from_secs(1),
        "the call took {:?}",
        started.elapsed()
    );
    drop(runtime);
    server.join().unwrap();
    if let Err(e) = &result {
        assert!(!e.to_string().contains("cm9vdDo"), "{e}");
        assert_eq!(e.target(), endpoint.authority());
    }
    result
}

/// Cuts `bytes` at `cuts` into pieces.
fn pieces(bytes: &[u8], cuts: &[Index]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.dedup();
    at.windows(2).map(|w| bytes[w[0]..w[1]].to_vec()).collect()
}

/// How a response body is framed.
#[derive(Debug, Clone)]
enum Framing {
    ContentLength,
    Chunked {
        cuts: Vec<Index>,
        upper_case: bool,
        extension: bool,
        trailers: Vec<(String, String)>,
    },
    /// The body ends when the server closes the connection.
    Close,
}

/// A valid response with its interim answers.
#[derive(Debug, Clone)]
struct Answer {
    interim: Vec<u16>,
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    framing: Framing,
}

fn header_name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9_-]{0,12}".prop_filter("a framing header", |n| {
        !n.eq_ignore_ascii_case("content-length") && !n.eq_ignore_ascii_case("transfer-encoding")
    })
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    vec((header_name(), "[ -~é€]{0,24}"), 0..6)
}

fn answer() -> impl Strategy<Value = Answer> {
    let framing = prop_oneof![
        Just(Framing::ContentLength),
        (
            vec(any::<Index>(), 0..6),
            any::<bool>(),
            any::<bool>(),
            headers()
        )
            .prop_map(|(cuts, upper_case, extension, trailers)| Framing::Chunked {
                cuts,
                upper_case,
                extension,
                trailers,
            }),
        Just(Framing::Close),
    ];
    (
        vec(proptest::sample::select(&[100u16, 102, 103][..]), 0..3),
        200u16..600,
        "[ -~]{0,16}",
        headers(),
        prop_oneof![vec(any::<u8>(), 0..64), vec(any::<u8>(), 0..40_000)],
        framing,
    )
        .prop_map(|(interim, status, reason, headers, body, framing)| Answer {
            interim,
            status,
            reason,
            headers,
            body,
            framing,
        })
}

impl Answer {
    /// The bytes on the wire, and the headers the client must report.
    fn bytes(&self) -> (Vec<u8>, Vec<(String, String)>) {
        self.bytes_declaring(None)
    }

    /// [`Answer::bytes`], with the size of one chunk (`chunk` modulo their count) declared as
    /// another number.
    fn bytes_declaring(&self, size: Option<(Index, u64)>) -> (Vec<u8>, Vec<(String, String)>) {
        let mut out = Vec::new();
        for s in &self.interim {
            out.extend_from_slice(format!("HTTP/1.1 {s} Interim\r\n\r\n").as_bytes());
        }
        let mut headers = self.headers.clone();
        match &self.framing {
            Framing::ContentLength => {
                headers.push(("Content-Length".into(), self.body.len().to_string()));
            }
            Framing::Chunked { .. } => {
                headers.push(("Transfer-Encoding".into(), "chunked".into()));
            }
            Framing::Close => {}
        }
        out.extend_from_slice(format!("HTTP/1.1 {} {}\r\n", self.status, self.reason).as_bytes());
        for (k, v) in &headers {
            out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        match &self.framing {
            Framing::Chunked {
                cuts,
                upper_case,
                extension,
                trailers,
            } => {
                let chunks = pieces(&self.body, cuts);
                let declared = size.map(|(i, n)| (i.index(chunks.len().max(1)), n));
                for (i, chunk) in chunks.iter().enumerate() {
                    let n = match declared {
                        Some((at, n)) if at == i => n,
                        _ => chunk.len() as u64,
                    };
                    let size = if *upper_case {
                        format!("{n:X}")
                    } else {
                        format!("{n:x}")
                    };
                    out.extend_from_slice(size.as_bytes());
                    if *extension {
                        out.extend_from_slice(b";name=value");
                    }
                    out.extend_from_slice(b"\r\n");
                    out.extend_from_slice(chunk);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n");
                for (k, v) in trailers {
                    out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
                }
                out.extend_from_slice(b"\r\n");
            }
            _ => out.extend_from_slice(&self.body),
        }
        let reported = headers
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string()))
            .collect();
        (out, reported)
    }
}

/// How a valid response is damaged.
#[derive(Debug, Clone)]
enum Damage {
    Truncate(Index),
    Flip(Index, u8),
    Insert(Index, Vec<u8>),
    /// A hexadecimal number (a chunk size, perhaps) written over the bytes at an index.
    Hex(Index, String),
    /// A decimal number (a status or Content-Length, perhaps) written over the bytes at an index.
    Number(Index, String),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<Index>().prop_map(Damage::Truncate),
        (any::<Index>(), 1u8..=255).prop_map(|(i, x)| Damage::Flip(i, x)),
        (any::<Index>(), vec(any::<u8>(), 1..6)).prop_map(|(i, b)| Damage::Insert(i, b)),
        (any::<Index>(), "[0-9a-fA-F]{1,20}").prop_map(|(i, h)| Damage::Hex(i, h)),
        (any::<Index>(), "[+-]?[0-9]{1,22}").prop_map(|(i, n)| Damage::Number(i, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, d: &Damage) {
    let len = bytes.len();
    match d {
        Damage::Truncate(i) => bytes.truncate(i.index(len + 1)),
        Damage::Flip(i, x) if len > 0 => bytes[i.index(len)] ^= x,
        Damage::Insert(i, b) => {
            let at = i.index(len + 1);
            bytes.splice(at..at, b.iter().copied());
        }
        Damage::Hex(i, s) | Damage::Number(i, s) => {
            let at = i.index(len + 1);
            let end = (at + s.len()).min(len);
            bytes.splice(at..end, s.bytes());
        }
        Damage::Flip(..) => {}
    }
}

proptest! {
    #[test]
    fn arbitrary_answers_end_in_a_response_or_an_error(
        bytes in prop_oneof![
            vec(any::<u8>(), 0..200),
            // Something like a head, then anything.
            "HTTP/1\\.[01] [0-9]{1,4}[ -~]{0,8}\r\n([ -~]{0,16}\r\n){0,4}(\r\n)?[ -~\r\n]{0,32}"
                .prop_map(String::into_bytes),
        ],
        cuts in vec(any::<Index>(), 0..3),
        put in any::<bool>(),
    ) {
        let _ = exchange(pieces(&bytes, &cuts), put);
    }

    #[test]
    fn damaged_answers_end_in_a_response_or_an_error(
        a in answer(),
        damages in vec(damage(), 1..4),
        cuts in vec(any::<Index>(), 0..3),
        put in any::<bool>(),
    ) {
        let (mut bytes, _) = a.bytes();
        for d in &damages {
            apply(&mut bytes, d);
        }
        let _ = exchange(pieces(&bytes, &cuts), put);
    }

    /// Chunk sizes near the limits of the size arithmetic.
    #[test]
    fn wrong_chunk_sizes_end_in_a_response_or_an_error(
        a in answer(),
        chunk in any::<Index>(),
        size in prop_oneof![
            (0u64..64).prop_map(|k| u64::MAX - k),
            Just(1u64 << 63),
            (0u64..4).prop_map(|k| (MAX_RESPONSE_BODY_BYTES as u64 - 2) + k),
            any::<u64>(),
            0u64..100_000,
        ],
        cuts in vec(any::<Index>(), 0..3),
    ) {
        let (bytes, _) = a.bytes_declaring(Some((chunk, size)));
        let _ = exchange(pieces(&bytes, &cuts), false);
    }

    #[test]
    fn valid_answers_are_read_exactly(
        a in answer(),
        cuts in vec(any::<Index>(), 0..4),
        put in any::<bool>(),
    ) {
        let (bytes, headers) = a.bytes();
        let response = exchange(pieces(&bytes, &cuts), put)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(response.status, a.status);
        prop_assert_eq!(response.headers, headers);
        prop_assert_eq!(response.body, a.body);
        // The body of a PUT goes after `100 Continue` only; other interim answers are no answer.
        prop_assert_eq!(response.body_sent, !put || a.interim.contains(&100));
    }

    #[test]
    fn arbitrary_locations_parse_or_fail_cleanly(location in "(https?://)?[ -~]{0,40}") {
        if let Err(e) = parse_location(&location) {
            prop_assert!(e.contains(&location), "{}", e);
        }
    }

    #[test]
    fn locations_parse_to_their_parts(
        host in prop_oneof!["[a-z0-9.-]{1,20}", "[0-9a-f:]{2,20}".prop_map(|h| format!("[{h}]"))],
        user in proptest::option::of("[a-z]{1,8}(:[a-z]{0,8})?@"),
        port in any::<u16>(),
        path in "(/[ -~]{0,20})?",
        tls in any::<bool>(),
    ) {
        let scheme = if tls { "https" } else { "http" };
        let location = format!("{scheme}://{}{host}:{port}{path}", user.unwrap_or_default());
        let (endpoint, rest) = parse_location(&location)
            .map_err(TestCaseError::fail)?;
        prop_assert_eq!(endpoint.host, host.trim_start_matches('[').trim_end_matches(']'));
        prop_assert_eq!(endpoint.port, port);
        prop_assert_eq!(endpoint.tls, tls);
        prop_assert_eq!(rest, if path.is_empty() { "/".to_string() } else { path });
    }
}
