//! Helpers for the MySQL-port tests: a minimal MySQL client over `std::net::TcpStream` (so tests
//! control every byte: handshake, auth switch, text and binary results, malformed packets), and
//! a bounded runner for external programs (`mariadb`, `javac`, `java`). Every read has a timeout
//! and every external program is killed (by its pid) when it overruns, so no test can hang.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Upper bound of any single wait.
pub const WAIT: Duration = Duration::from_secs(10);

pub const CLIENT_CONNECT_WITH_DB: u32 = 0x8;
pub const CLIENT_PROTOCOL_41: u32 = 0x200;
pub const CLIENT_SECURE_CONNECTION: u32 = 0x8000;
pub const CLIENT_PLUGIN_AUTH: u32 = 0x8_0000;
pub const CLIENT_PLUGIN_AUTH_LENENC: u32 = 0x20_0000;

/// The server greeting.
#[derive(Debug, Clone)]
pub struct Greeting {
    pub protocol: u8,
    pub server_version: String,
    pub connection_id: u32,
    pub scramble: Vec<u8>,
    pub capabilities: u32,
    pub charset: u8,
    pub plugin: String,
}

/// A column definition of a result set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub charset: u16,
    pub length: u32,
    pub field_type: u8,
    pub decimals: u8,
}

/// A server answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Ok {
        affected_rows: u64,
    },
    Err {
        code: u16,
        sqlstate: String,
        message: String,
    },
    Rows {
        columns: Vec<Column>,
        rows: Vec<Vec<Option<String>>>,
    },
}

impl Reply {
    pub fn rows(&self) -> &Vec<Vec<Option<String>>> {
        match self {
            Reply::Rows { rows, .. } => rows,
            other => panic!("expected rows, got {other:?}"),
        }
    }

    pub fn columns(&self) -> Vec<String> {
        match self {
            Reply::Rows { columns, .. } => columns.iter().map(|c| c.name.clone()).collect(),
            other => panic!("expected rows, got {other:?}"),
        }
    }

    pub fn column_defs(&self) -> &Vec<Column> {
        match self {
            Reply::Rows { columns, .. } => columns,
            other => panic!("expected rows, got {other:?}"),
        }
    }

    /// Rows with NULL as "NULL", for compact assertions.
    pub fn text(&self) -> Vec<Vec<String>> {
        self.rows()
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| v.clone().unwrap_or_else(|| "NULL".into()))
                    .collect()
            })
            .collect()
    }

    pub fn error_code(&self) -> u16 {
        match self {
            Reply::Err { code, .. } => *code,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    pub fn is_ok(&self) -> bool {
        matches!(self, Reply::Ok { .. })
    }
}

/// Strings as owned rows, for assertions.
pub fn r(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

fn lenenc_int(buf: &[u8], pos: &mut usize) -> u64 {
    let first = buf[*pos];
    *pos += 1;
    let n = match first {
        0xFC => 2,
        0xFD => 3,
        0xFE => 8,
        v => return u64::from(v),
    };
    let mut v = 0u64;
    for i in 0..n {
        v |= u64::from(buf[*pos + i]) << (8 * i);
    }
    *pos += n;
    v
}

fn lenenc_str(buf: &[u8], pos: &mut usize) -> String {
    let n = lenenc_int(buf, pos) as usize;
    let s = String::from_utf8_lossy(&buf[*pos..*pos + n]).into_owned();
    *pos += n;
    s
}

pub fn put_lenenc(out: &mut Vec<u8>, bytes: &[u8]) {
    assert!(bytes.len() < 0xFB, "test strings are short");
    out.push(bytes.len() as u8);
    out.extend_from_slice(bytes);
}

fn parse_err(p: &[u8]) -> Reply {
    let code = u16::from_le_bytes([p[1], p[2]]);
    let (sqlstate, message) = if p.get(3) == Some(&b'#') {
        (
            String::from_utf8_lossy(&p[4..9]).into_owned(),
            String::from_utf8_lossy(&p[9..]).into_owned(),
        )
    } else {
        (String::new(), String::from_utf8_lossy(&p[3..]).into_owned())
    };
    Reply::Err {
        code,
        sqlstate,
        message,
    }
}

fn parse_column(p: &[u8]) -> Column {
    let mut pos = 0;
    for _ in 0..4 {
        lenenc_str(p, &mut pos); // catalog, schema, table, org_table
    }
    let name = lenenc_str(p, &mut pos);
    lenenc_str(p, &mut pos); // org_name
    pos += 1; // 0x0c
    let charset = u16::from_le_bytes([p[pos], p[pos + 1]]);
    let length = u32::from_le_bytes([p[pos + 2], p[pos + 3], p[pos + 4], p[pos + 5]]);
    Column {
        name,
        charset,
        length,
        field_type: p[pos + 6],
        decimals: p[pos + 9],
    }
}

/// A binary-protocol value as text.
fn binary_value(field_type: u8, p: &[u8], pos: &mut usize) -> String {
    let take = |pos: &mut usize, n: usize| {
        let s = &p[*pos..*pos + n];
        *pos += n;
        s.to_vec()
    };
    match field_type {
        1 => (take(pos, 1)[0] as i8).to_string(),
        2 => i16::from_le_bytes(take(pos, 2).try_into().expect("2")).to_string(),
        3 => i32::from_le_bytes(take(pos, 4).try_into().expect("4")).to_string(),
        8 => i64::from_le_bytes(take(pos, 8).try_into().expect("8")).to_string(),
        4 => f32::from_le_bytes(take(pos, 4).try_into().expect("4")).to_string(),
        5 => f64::from_le_bytes(take(pos, 8).try_into().expect("8")).to_string(),
        10 | 12 => {
            let len = take(pos, 1)[0] as usize;
            let b = take(pos, len);
            let mut s = String::new();
            if len >= 4 {
                s = format!(
                    "{:04}-{:02}-{:02}",
                    u16::from_le_bytes([b[0], b[1]]),
                    b[2],
                    b[3]
                );
            }
            if len >= 7 {
                s.push_str(&format!(" {:02}:{:02}:{:02}", b[4], b[5], b[6]));
            }
            if len >= 11 {
                s.push_str(&format!(
                    ".{:06}",
                    u32::from_le_bytes([b[7], b[8], b[9], b[10]])
                ));
            }
            s
        }
        _ => lenenc_str(p, pos),
    }
}

/// A prepared-statement parameter.
#[derive(Debug, Clone)]
pub enum Param {
    Null,
    Int(i64),
    Text(String),
}

/// A raw client connection.
pub struct MyClient {
    stream: TcpStream,
    seq: u8,
}

impl MyClient {
    /// Connects and reads the greeting (no login yet).
    pub fn open(addr: SocketAddr) -> (MyClient, Greeting) {
        let stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        stream.set_read_timeout(Some(WAIT)).expect("read timeout");
        stream.set_write_timeout(Some(WAIT)).expect("write timeout");
        let mut client = MyClient { stream, seq: 0 };
        let p = client.read_packet().expect("greeting");
        let protocol = p[0];
        let end = 1 + p[1..].iter().position(|b| *b == 0).expect("version end");
        let server_version = String::from_utf8_lossy(&p[1..end]).into_owned();
        let mut pos = end + 1;
        let connection_id = u32::from_le_bytes(p[pos..pos + 4].try_into().expect("4"));
        pos += 4;
        let mut scramble = p[pos..pos + 8].to_vec();
        pos += 9;
        let low = u16::from_le_bytes([p[pos], p[pos + 1]]);
        let charset = p[pos + 2];
        let high = u16::from_le_bytes([p[pos + 5], p[pos + 6]]);
        pos += 7 + 1 + 10;
        scramble.extend_from_slice(&p[pos..pos + 12]);
        pos += 13;
        let plugin_end = pos
            + p[pos..]
                .iter()
                .position(|b| *b == 0)
                .unwrap_or(p.len() - pos);
        let plugin = String::from_utf8_lossy(&p[pos..plugin_end]).into_owned();
        let greeting = Greeting {
            protocol,
            server_version,
            connection_id,
            scramble,
            capabilities: u32::from(low) | u32::from(high) << 16,
            charset,
            plugin,
        };
        (client, greeting)
    }

    /// A `HandshakeResponse41` payload.
    pub fn handshake_response(user: &str, auth: &[u8], db: Option<&str>, plugin: &str) -> Vec<u8> {
        let mut caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;
        if db.is_some() {
            caps |= CLIENT_CONNECT_WITH_DB;
        }
        let mut p = caps.to_le_bytes().to_vec();
        p.extend_from_slice(&(16u32 << 20).to_le_bytes());
        p.push(33);
        p.extend_from_slice(&[0u8; 23]);
        p.extend_from_slice(user.as_bytes());
        p.push(0);
        p.push(auth.len() as u8);
        p.extend_from_slice(auth);
        if let Some(db) = db {
            p.extend_from_slice(db.as_bytes());
            p.push(0);
        }
        p.extend_from_slice(plugin.as_bytes());
        p.push(0);
        p
    }

    /// Logs in with the given auth data; answers an auth switch with `auth` again.
    /// Returns the final reply (OK or ERR) and whether the server asked to switch plugins.
    pub fn login(
        &mut self,
        user: &str,
        auth: &[u8],
        db: Option<&str>,
        plugin: &str,
    ) -> (Reply, Option<String>) {
        self.send_packet(&Self::handshake_response(user, auth, db, plugin));
        let p = self.read_packet().expect("login answer");
        let mut switched = None;
        let p = if p[0] == 0xFE {
            let end = 1 + p[1..].iter().position(|b| *b == 0).expect("plugin end");
            switched = Some(String::from_utf8_lossy(&p[1..end]).into_owned());
            self.send_packet(auth);
            self.read_packet().expect("answer after switch")
        } else {
            p
        };
        (Self::simple_reply(&p), switched)
    }

    /// Connects as root (empty password), optionally into a database.
    pub fn connect(addr: SocketAddr) -> MyClient {
        let (mut c, _) = MyClient::open(addr);
        let (reply, _) = c.login("root", b"", None, "mysql_native_password");
        assert!(reply.is_ok(), "login failed: {reply:?}");
        c
    }

    pub fn send_packet(&mut self, payload: &[u8]) {
        let mut frame = (payload.len() as u32).to_le_bytes()[..3].to_vec();
        frame.push(self.seq);
        self.seq = self.seq.wrapping_add(1);
        frame.extend_from_slice(payload);
        self.stream.write_all(&frame).expect("send");
    }

    /// Sends raw bytes (for malformed input).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send raw");
    }

    /// Reads one packet; `None` when the server closed the connection.
    pub fn read_packet(&mut self) -> Option<Vec<u8>> {
        let mut header = [0u8; 4];
        match self.stream.read_exact(&mut header) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return None,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return None,
            Err(e) => panic!("read failed (timeout?): {e}"),
        }
        let len =
            usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
        self.seq = header[3].wrapping_add(1);
        let mut payload = vec![0u8; len];
        self.stream.read_exact(&mut payload).expect("payload");
        Some(payload)
    }

    /// True when the server closed the connection (EOF within the timeout).
    pub fn is_closed(&mut self) -> bool {
        self.read_packet().is_none()
    }

    fn simple_reply(p: &[u8]) -> Reply {
        match p.first() {
            Some(0x00) => {
                let mut pos = 1;
                Reply::Ok {
                    affected_rows: lenenc_int(p, &mut pos),
                }
            }
            Some(0xFF) => parse_err(p),
            other => panic!("unexpected packet start {other:?}: {p:?}"),
        }
    }

    /// Sends a command packet (sequence 0).
    pub fn command(&mut self, command: u8, body: &[u8]) {
        self.seq = 0;
        let mut p = vec![command];
        p.extend_from_slice(body);
        self.send_packet(&p);
    }

    fn read_result(&mut self, binary: bool) -> Reply {
        let first = self.read_packet().expect("reply");
        if first[0] == 0x00 || first[0] == 0xFF {
            return Self::simple_reply(&first);
        }
        let mut pos = 0;
        let count = lenenc_int(&first, &mut pos) as usize;
        let mut columns = Vec::with_capacity(count);
        for _ in 0..count {
            columns.push(parse_column(&self.read_packet().expect("column")));
        }
        let eof = self.read_packet().expect("eof after columns");
        assert_eq!(eof[0], 0xFE, "EOF after column definitions");
        let mut rows = Vec::new();
        loop {
            let p = self.read_packet().expect("row");
            if p[0] == 0xFE && p.len() < 9 {
                break;
            }
            if p[0] == 0xFF {
                return parse_err(&p);
            }
            let mut row = Vec::with_capacity(count);
            if binary {
                let bitmap_len = (count + 7 + 2) / 8;
                let bitmap = &p[1..1 + bitmap_len];
                let mut pos = 1 + bitmap_len;
                for (i, c) in columns.iter().enumerate() {
                    let bit = i + 2;
                    if bitmap[bit / 8] & (1 << (bit % 8)) != 0 {
                        row.push(None);
                    } else {
                        row.push(Some(binary_value(c.field_type, &p, &mut pos)));
                    }
                }
            } else {
                let mut pos = 0;
                for _ in 0..count {
                    if p[pos] == 0xFB {
                        pos += 1;
                        row.push(None);
                    } else {
                        row.push(Some(lenenc_str(&p, &mut pos)));
                    }
                }
            }
            rows.push(row);
        }
        Reply::Rows { columns, rows }
    }

    /// `COM_QUERY`.
    pub fn query(&mut self, sql: &str) -> Reply {
        self.command(0x03, sql.as_bytes());
        self.read_result(false)
    }

    /// Runs a statement that must succeed.
    pub fn ok(&mut self, sql: &str) {
        let reply = self.query(sql);
        assert!(!matches!(reply, Reply::Err { .. }), "{sql}: {reply:?}");
    }

    /// `COM_STMT_PREPARE`: statement id and parameter count, or the error.
    pub fn prepare(&mut self, sql: &str) -> Result<(u32, u16), Reply> {
        self.command(0x16, sql.as_bytes());
        let p = self.read_packet().expect("prepare answer");
        if p[0] == 0xFF {
            return Err(parse_err(&p));
        }
        let id = u32::from_le_bytes(p[1..5].try_into().expect("4"));
        let columns = u16::from_le_bytes([p[5], p[6]]);
        let params = u16::from_le_bytes([p[7], p[8]]);
        let mut to_skip = 0;
        if params > 0 {
            to_skip += usize::from(params) + 1;
        }
        if columns > 0 {
            to_skip += usize::from(columns) + 1;
        }
        for _ in 0..to_skip {
            self.read_packet().expect("definition");
        }
        Ok((id, params))
    }

    /// A `COM_STMT_EXECUTE` payload binding `params` (types sent).
    pub fn execute_payload(id: u32, params: &[Param]) -> Vec<u8> {
        let mut p = id.to_le_bytes().to_vec();
        p.push(0);
        p.extend_from_slice(&1u32.to_le_bytes());
        if !params.is_empty() {
            let mut bitmap = vec![0u8; params.len().div_ceil(8)];
            for (i, v) in params.iter().enumerate() {
                if matches!(v, Param::Null) {
                    bitmap[i / 8] |= 1 << (i % 8);
                }
            }
            p.extend_from_slice(&bitmap);
            p.push(1);
            for v in params {
                let t = match v {
                    Param::Null => 6,
                    Param::Int(_) => 8,
                    Param::Text(_) => 253,
                };
                p.extend_from_slice(&[t, 0]);
            }
            for v in params {
                match v {
                    Param::Null => {}
                    Param::Int(n) => p.extend_from_slice(&n.to_le_bytes()),
                    Param::Text(s) => put_lenenc(&mut p, s.as_bytes()),
                }
            }
        }
        p
    }

    /// `COM_STMT_EXECUTE` with a binary result.
    pub fn execute(&mut self, id: u32, params: &[Param]) -> Reply {
        let payload = Self::execute_payload(id, params);
        self.command(0x17, &payload);
        self.read_result(true)
    }

    /// Sends one packet as a new command (sequence 0), whatever its content.
    pub fn seq_reset_and_send(&mut self, payload: &[u8]) {
        self.seq = 0;
        self.send_packet(payload);
    }

    /// Reads an answer that must be an ERR packet; returns its code.
    pub fn read_error(&mut self) -> u16 {
        let p = self.read_packet().expect("answer");
        Self::simple_reply(&p).error_code()
    }

    /// `COM_QUERY` with arbitrary bytes.
    pub fn query_bytes(&mut self, sql: &[u8]) -> Reply {
        self.command(0x03, sql);
        self.read_result(false)
    }

    /// Sends a raw command and reads a plain OK/ERR answer.
    pub fn raw_command(&mut self, command: u8, body: &[u8]) -> Reply {
        self.command(command, body);
        let p = self.read_packet().expect("answer");
        Self::simple_reply(&p)
    }
}

/// Output of a program run with a time limit.
pub struct Bounded {
    pub output: Output,
    pub timed_out: bool,
}

impl Bounded {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn success(&self) -> bool {
        !self.timed_out && self.output.status.success()
    }
}

/// Runs a program, killing it (by pid) if it takes longer than `limit`.
pub fn run_bounded(mut command: Command, limit: Duration) -> std::io::Result<Bounded> {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(limit).is_err() {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            return true;
        }
        false
    });
    let output = child.wait_with_output()?;
    let _ = done.send(());
    let timed_out = watchdog.join().unwrap_or(false);
    Ok(Bounded { output, timed_out })
}

/// True when `program` is on the PATH.
pub fn installed(program: &str) -> bool {
    Command::new("which")
        .arg(program)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
