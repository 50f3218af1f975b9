//! The MySQL-protocol client against a fake server whose packets (greeting, authentication
//! answer, result set) are generated valid, damaged or arbitrary: the client logs in and reads
//! valid result sets exactly, and otherwise fails cleanly: no panic, no allocation sized by a
//! length or count it was sent, no wait past its budget.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

const BUDGET: Duration = Duration::from_secs(2);

/// Serves one connection: writes `script` (cut in two pieces at `cut`, a moment apart), closes
/// its side and returns what the client sent (reading it all, so that closing never resets the
/// connection under the client's last reads).
fn serve(script: Vec<u8>, cut: usize) -> (u16, thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(BUDGET * 2)).unwrap();
        let (first, second) = script.split_at(cut.min(script.len()));
        let _ = stream.write_all(first);
        thread::sleep(Duration::from_micros(200));
        let _ = stream.write_all(second);
        let _ = stream.shutdown(Shutdown::Write);
        let mut received = Vec::new();
        let _ = stream.read_to_end(&mut received);
        received
    });
    (port, server)
}

/// What a query returned: column names and rows.
type Outcome = Result<(Vec<String>, Rows), MysqlError>;

/// Logs in and runs one query against a server that answers `script`; returns the outcome and
/// what the client sent.
fn converse(script: Vec<u8>, cut: usize, password: &str) -> (Outcome, Vec<u8>) {
    let (port, server) = serve(script, cut);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let result = runtime.block_on(async {
        let mut c = Connection::open("127.0.0.1", port, "flink", password, BUDGET, BUDGET).await?;
        c.query_named("SELECT 1").await
    });
    assert!(
        started.elapsed() < BUDGET + Duration::from_secs(1),
        "the conversation took {:?}",
        started.elapsed()
    );
    drop(runtime);
    let sent = server.join().unwrap();
    if let Err(e) = &result {
        if !password.is_empty() {
            assert!(!e.message.contains(password), "{e:?}");
        }
        assert!(e.message.contains(&format!("127.0.0.1:{port}")), "{e:?}");
    }
    (result, sent)
}

fn lenenc(n: u64) -> Vec<u8> {
    match n {
        0..=0xfa => vec![n as u8],
        0xfb..=0xffff => [&[0xfc][..], &(n as u16).to_le_bytes()].concat(),
        0x1_0000..=0xff_ffff => [&[0xfd][..], &(n as u32).to_le_bytes()[..3]].concat(),
        _ => [&[0xfe][..], &n.to_le_bytes()].concat(),
    }
}

fn lenenc_str(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(&lenenc(s.len() as u64));
    out.extend_from_slice(s);
}

/// Frames payloads as packets with sequence numbers from `seq`.
fn packets(payloads: &[Vec<u8>], seq: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        out.extend_from_slice(&(p.len() as u32).to_le_bytes()[..3]);
        out.push(seq.wrapping_add(i as u8));
        out.extend_from_slice(p);
    }
    out
}

fn greeting(version: &str, nonce: &[u8; 20], plugin: &str) -> Vec<u8> {
    let mut p = vec![10];
    p.extend_from_slice(version.as_bytes());
    p.push(0);
    p.extend_from_slice(&7u32.to_le_bytes());
    p.extend_from_slice(&nonce[..8]);
    p.push(0);
    let caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;
    p.extend_from_slice(&(caps as u16).to_le_bytes());
    p.push(UTF8MB4_GENERAL_CI);
    p.extend_from_slice(&2u16.to_le_bytes());
    p.extend_from_slice(&((caps >> 16) as u16).to_le_bytes());
    p.push(21);
    p.extend_from_slice(&[0; 10]);
    p.extend_from_slice(&nonce[8..]);
    p.push(0);
    p.extend_from_slice(plugin.as_bytes());
    p.push(0);
    p
}

fn ok_packet() -> Vec<u8> {
    vec![0x00, 0, 0, 2, 0, 0, 0]
}

fn error_packet(code: u16, message: &str) -> Vec<u8> {
    let mut p = vec![0xff];
    p.extend_from_slice(&code.to_le_bytes());
    p.extend_from_slice(b"#HY000");
    p.extend_from_slice(message.as_bytes());
    p
}

fn eof_packet() -> Vec<u8> {
    vec![0xfe, 0, 0, 2, 0]
}

fn column_definition(name: &str) -> Vec<u8> {
    let mut p = Vec::new();
    for field in [
        &b"def"[..],
        b"db",
        b"t",
        b"t",
        name.as_bytes(),
        name.as_bytes(),
    ] {
        lenenc_str(&mut p, field);
    }
    p.push(0x0c);
    p.extend_from_slice(&[45, 0, 0, 1, 0, 0, 0xfd, 0, 0, 0, 0, 0]);
    p
}

/// How the server answers the login.
#[derive(Debug, Clone)]
enum Auth {
    Ok,
    /// An auth switch to native password with a new nonce, then OK.
    Switch([u8; 20]),
    Refused(u16, String),
}

/// How the server answers the query.
#[derive(Debug, Clone)]
enum Answer {
    Ok,
    Refused(u16, String),
    Rows(Vec<String>, Rows),
}

#[derive(Debug, Clone)]
struct Conversation {
    version: String,
    nonce: [u8; 20],
    password: String,
    auth: Auth,
    answer: Answer,
}

fn text() -> impl Strategy<Value = String> {
    "[ -~é€\t]{0,12}"
}

fn conversation() -> impl Strategy<Value = Conversation> {
    let auth = prop_oneof![
        3 => Just(Auth::Ok),
        1 => any::<[u8; 20]>().prop_map(Auth::Switch),
        1 => (any::<u16>(), text()).prop_map(|(c, m)| Auth::Refused(c, m)),
    ];
    let rows = (1usize..5).prop_flat_map(|n| {
        (
            vec(text(), n),
            vec(
                vec(
                    proptest::option::of(prop_oneof!["[ -~é]{0,8}", "[a-z]{250,300}"]),
                    n,
                ),
                0..5,
            ),
        )
    });
    let answer = prop_oneof![
        1 => Just(Answer::Ok),
        1 => (any::<u16>(), text()).prop_map(|(c, m)| Answer::Refused(c, m)),
        4 => rows.prop_map(|(names, rows)| Answer::Rows(names, rows)),
    ];
    (
        "[0-9.a-z-]{0,20}",
        any::<[u8; 20]>(),
        // Distinct enough that no message holds it by chance.
        prop_oneof![
            Just(String::new()),
            "[ -~]{0,12}".prop_map(|p| format!("secret-{p}"))
        ],
        auth,
        answer,
    )
        .prop_map(|(version, nonce, password, auth, answer)| Conversation {
            version,
            nonce,
            password,
            auth,
            answer,
        })
}

/// A length or count the server states wrongly, as these (length-encoded) bytes.
#[derive(Debug, Clone, Copy)]
enum Lie<'a> {
    None,
    /// The column count of the result set.
    ColumnCount(&'a [u8]),
    /// The length of the first value that is not NULL.
    ValueLength(&'a [u8]),
}

/// The result set's packets, with `lie` told.
fn result_set(names: &[String], rows: &Rows, lie: Lie<'_>) -> Vec<Vec<u8>> {
    let count = match lie {
        Lie::ColumnCount(bytes) => bytes.to_vec(),
        _ => lenenc(names.len() as u64),
    };
    let mut out = vec![count];
    out.extend(names.iter().map(|n| column_definition(n)));
    out.push(eof_packet());
    let mut length = match lie {
        Lie::ValueLength(bytes) => Some(bytes),
        _ => None,
    };
    for row in rows {
        let mut p = Vec::new();
        for v in row {
            match (v, length.take()) {
                (Some(s), Some(wrong)) => {
                    p.extend_from_slice(wrong);
                    p.extend_from_slice(s.as_bytes());
                }
                (Some(s), None) => lenenc_str(&mut p, s.as_bytes()),
                (None, told) => {
                    length = told;
                    p.push(0xfb);
                }
            }
        }
        out.push(p);
    }
    out.push(eof_packet());
    out
}

impl Conversation {
    /// The server's bytes: each answer's packets with the sequence numbers the client expects.
    fn script(&self, lie: Lie<'_>) -> Vec<u8> {
        let mut out = packets(&[greeting(&self.version, &self.nonce, NATIVE_PASSWORD)], 0);
        match &self.auth {
            Auth::Ok => out.extend(packets(&[ok_packet()], 2)),
            Auth::Switch(nonce) => {
                let mut switch = vec![0xfe];
                switch.extend_from_slice(NATIVE_PASSWORD.as_bytes());
                switch.push(0);
                switch.extend_from_slice(nonce);
                switch.push(0);
                out.extend(packets(&[switch], 2));
                out.extend(packets(&[ok_packet()], 4));
            }
            Auth::Refused(code, m) => out.extend(packets(&[error_packet(*code, m)], 2)),
        }
        let answer = match &self.answer {
            Answer::Ok => vec![ok_packet()],
            Answer::Refused(code, m) => vec![error_packet(*code, m)],
            Answer::Rows(names, rows) => result_set(names, rows, lie),
        };
        out.extend(packets(&answer, 1));
        out
    }
}

/// Splits the client's bytes into packet payloads.
fn payloads(mut bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while bytes.len() >= 4 {
        let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], 0]) as usize;
        let end = (4 + len).min(bytes.len());
        out.push(&bytes[4..end]);
        bytes = &bytes[end..];
    }
    out
}

/// How the server's bytes are damaged.
#[derive(Debug, Clone)]
enum Damage {
    Truncate(Index),
    Flip(Index, u8),
    Insert(Index, Vec<u8>),
    /// A length-encoded integer near a limit written over the bytes at an index.
    Length(Index, Vec<u8>),
}

/// Length-encoded integers that are huge, or that a packet's end cannot hold.
fn big_lenenc() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(lenenc(u64::MAX)),
        (0u64..16).prop_map(|k| lenenc(u64::MAX - k)),
        Just(lenenc(1 << 40)),
        Just(lenenc(0xff_ffff)),
        Just(lenenc(0xffff)),
        any::<u64>().prop_map(lenenc),
        Just(vec![0xfb]),
        Just(vec![0xff]),
        Just(vec![0xfe, 1, 2]),
    ]
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<Index>().prop_map(Damage::Truncate),
        (any::<Index>(), 1u8..=255).prop_map(|(i, x)| Damage::Flip(i, x)),
        (any::<Index>(), vec(any::<u8>(), 1..6)).prop_map(|(i, b)| Damage::Insert(i, b)),
        (any::<Index>(), big_lenenc()).prop_map(|(i, b)| Damage::Length(i, b)),
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
        Damage::Length(i, b) => {
            let at = i.index(len + 1);
            let end = (at + b.len()).min(len);
            bytes.splice(at..end, b.iter().copied());
        }
        Damage::Flip(..) => {}
    }
}

proptest! {
    #[test]
    fn valid_conversations_read_their_result(c in conversation(), cut in any::<Index>()) {
        let (result, sent) = converse(c.script(Lie::None), cut.index(1000), &c.password);
        let sent = payloads(&sent);
        // The login: user and the scramble of the password with the nonce (the switched one).
        let login = sent.first().copied().unwrap_or_default();
        let user_at = 4 + 4 + 1 + 23;
        prop_assert_eq!(login.get(user_at..user_at + 6), Some(&b"flink\0"[..]));
        let scramble_len = if c.password.is_empty() { 0 } else { 20 };
        prop_assert_eq!(login.get(user_at + 6), Some(&scramble_len));
        prop_assert_eq!(
            login.get(user_at + 7..user_at + 7 + scramble_len as usize),
            Some(&scramble(&c.password, &c.nonce)[..])
        );
        match (&c.auth, &c.answer, result) {
            (Auth::Refused(code, m), _, Err(e)) => {
                prop_assert_eq!(e.code, Some(*code));
                prop_assert!(e.message.ends_with(m.as_str()), "{}", e.message);
            }
            (_, Answer::Refused(code, m), Err(e)) => {
                prop_assert_eq!(e.code, Some(*code));
                prop_assert!(e.message.ends_with(m.as_str()), "{}", e.message);
            }
            (_, Answer::Ok, Ok((names, rows))) => {
                prop_assert!(names.is_empty() && rows.is_empty());
            }
            (_, Answer::Rows(n, r), Ok((names, rows))) => {
                prop_assert_eq!(&names, n);
                prop_assert_eq!(&rows, r);
            }
            (auth, answer, result) => {
                prop_assert!(false, "{:?} and {:?} gave {:?}", auth, answer, result);
            }
        }
        if let Auth::Switch(nonce) = &c.auth {
            prop_assert_eq!(sent.get(1).copied(), Some(&scramble(&c.password, nonce)[..]));
        }
    }

    #[test]
    fn damaged_conversations_end_cleanly(
        c in conversation(),
        damages in vec(damage(), 1..4),
        cut in any::<Index>(),
    ) {
        let mut script = c.script(Lie::None);
        for d in &damages {
            apply(&mut script, d);
        }
        let _ = converse(script, cut.index(1000), &c.password);
    }

    /// A length the packet cannot back (up to 2^64 - 1) ends the row cleanly.
    #[test]
    fn huge_value_lengths_end_cleanly(
        c in conversation(),
        length in big_lenenc(),
        cut in any::<Index>(),
    ) {
        let c = Conversation { auth: Auth::Ok, ..c };
        let _ = converse(c.script(Lie::ValueLength(&length)), cut.index(1000), &c.password);
    }

    /// A column count the packets cannot back (up to 2^64 - 1) allocates nothing by it.
    #[test]
    fn huge_column_counts_end_cleanly(
        c in conversation(),
        count in big_lenenc(),
        cut in any::<Index>(),
    ) {
        let c = Conversation { auth: Auth::Ok, ..c };
        let script = c.script(Lie::ColumnCount(&count));
        let (result, _) = converse(script, cut.index(1000), &c.password);
        if let Answer::Rows(..) = c.answer {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn arbitrary_bytes_end_cleanly(script in vec(any::<u8>(), 0..300), cut in any::<Index>()) {
        let _ = converse(script, cut.index(400), "secret-pw");
    }

    #[test]
    fn arbitrary_greetings_parse_or_are_refused(p in vec(any::<u8>(), 0..80)) {
        if let Some(nonce) = parse_greeting(&p) {
            prop_assert!(nonce.len() <= 20);
        }
    }

    #[test]
    fn greetings_give_their_nonce(version in "[ -~]{0,30}", nonce in any::<[u8; 20]>()) {
        let greeting = greeting(&version, &nonce, NATIVE_PASSWORD);
        prop_assert_eq!(parse_greeting(&greeting), Some(nonce.to_vec()));
    }

    #[test]
    fn lenenc_ints_and_column_names_read_back(
        n in any::<u64>(),
        name in text(),
        tail in vec(any::<u8>(), 0..4),
    ) {
        let mut b = lenenc(n);
        b.extend_from_slice(&tail);
        prop_assert_eq!(read_lenenc_int(&b), Some((n, lenenc(n).len())));
        prop_assert_eq!(column_name(&column_definition(&name)), Some(name));
    }

    #[test]
    fn arbitrary_column_definitions_read_or_are_refused(p in vec(any::<u8>(), 0..64)) {
        let _ = column_name(&p);
        let _ = read_lenenc_int(&p);
    }
}

fn rows_conversation() -> Conversation {
    Conversation {
        version: "8.0".into(),
        nonce: [7; 20],
        password: "secret".into(),
        auth: Auth::Ok,
        answer: Answer::Rows(vec!["a".into()], vec![vec![Some("x".into())]]),
    }
}

/// Found by the fuzzer: the column count of a result set sized an allocation, so a count of
/// 2^64 - 1 aborted the process (memory allocation failed).
#[test]
fn a_huge_column_count_fails_cleanly() {
    let script = rows_conversation().script(Lie::ColumnCount(&lenenc(u64::MAX)));
    let (result, _) = converse(script, 0, "secret");
    let e = result.unwrap_err();
    assert!(e.message.contains("127.0.0.1"), "{e:?}");
}

/// Found by the fuzzer: a row value of length 2^64 - 1 overflowed the offset arithmetic (a panic
/// in debug builds).
#[test]
fn a_huge_value_length_fails_cleanly() {
    let script = rows_conversation().script(Lie::ValueLength(&lenenc(u64::MAX)));
    let (result, _) = converse(script, 0, "secret");
    let e = result.unwrap_err();
    assert!(e.message.contains("truncated row"), "{e:?}");
}
