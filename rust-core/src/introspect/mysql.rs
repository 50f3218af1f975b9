//! A minimal MySQL-protocol client for the queries the connector makes on the FE's query port:
//! connect, authenticate with `mysql_native_password` (what StarRocks uses; an auth switch to it
//! is followed), run a text query and read its rows. Nothing else: no prepared statements, no
//! TLS, no pooling. Every read and write is bounded by a deadline; errors name the address, never
//! the password.

use std::time::Duration;

use sha1::{Digest, Sha1};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};

const CLIENT_LONG_PASSWORD: u32 = 0x0000_0001;
const CLIENT_PROTOCOL_41: u32 = 0x0000_0200;
const CLIENT_TRANSACTIONS: u32 = 0x0000_2000;
const CLIENT_SECURE_CONNECTION: u32 = 0x0000_8000;
const CLIENT_PLUGIN_AUTH: u32 = 0x0008_0000;
const NATIVE_PASSWORD: &str = "mysql_native_password";
const UTF8MB4_GENERAL_CI: u8 = 45;
const MAX_PACKET: usize = 16 * 1024 * 1024;

/// A failure, with the server's error code when it answered with an error packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysqlError {
    pub message: String,
    pub code: Option<u16>,
    /// The request never reached a server (connect failure).
    pub unreachable: bool,
}

impl MysqlError {
    fn io(addr: &str, what: &str, detail: impl std::fmt::Display) -> MysqlError {
        MysqlError {
            message: format!("{what} {addr}: {detail}"),
            code: None,
            unreachable: false,
        }
    }
}

/// Rows of a text result set: one `Option<String>` per column (`None` = NULL).
pub type Rows = Vec<Vec<Option<String>>>;

pub struct Connection {
    stream: TcpStream,
    addr: String,
    seq: u8,
    deadline: Instant,
}

impl Connection {
    /// Connects and logs in. `budget` bounds everything this connection does.
    pub async fn open(
        host: &str,
        port: u16,
        user: &str,
        password: &str,
        connect_timeout: Duration,
        budget: Duration,
    ) -> Result<Connection, MysqlError> {
        let addr = format!("{host}:{port}");
        let deadline = Instant::now() + budget;
        let stream = match timeout_at(
            deadline.min(Instant::now() + connect_timeout),
            TcpStream::connect((host, port)),
        )
        .await
        {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                return Err(MysqlError {
                    unreachable: true,
                    ..MysqlError::io(&addr, "cannot connect to", e)
                })
            }
            Err(_) => {
                return Err(MysqlError {
                    unreachable: true,
                    ..MysqlError::io(&addr, "cannot connect to", "timed out")
                })
            }
        };
        let mut c = Connection {
            stream,
            addr,
            seq: 0,
            deadline,
        };
        c.login(user, password).await?;
        Ok(c)
    }

    async fn read_packet(&mut self) -> Result<Vec<u8>, MysqlError> {
        let mut header = [0u8; 4];
        self.read_exact(&mut header).await?;
        let len = u32::from_le_bytes([header[0], header[1], header[2], 0]) as usize;
        self.seq = header[3].wrapping_add(1);
        if len > MAX_PACKET {
            return Err(MysqlError::io(&self.addr, "oversized packet from", len));
        }
        let mut payload = vec![0u8; len];
        self.read_exact(&mut payload).await?;
        Ok(payload)
    }

    async fn read_exact(&mut self, buf: &mut [u8]) -> Result<(), MysqlError> {
        match timeout_at(self.deadline, self.stream.read_exact(buf)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(MysqlError::io(&self.addr, "connection broke with", e)),
            Err(_) => Err(MysqlError::io(
                &self.addr,
                "timed out waiting for",
                "an answer",
            )),
        }
    }

    async fn write_packet(&mut self, payload: &[u8]) -> Result<(), MysqlError> {
        let len = payload.len() as u32;
        let mut packet = Vec::with_capacity(payload.len() + 4);
        packet.extend_from_slice(&len.to_le_bytes()[..3]);
        packet.push(self.seq);
        packet.extend_from_slice(payload);
        self.seq = self.seq.wrapping_add(1);
        match timeout_at(self.deadline, self.stream.write_all(&packet)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(MysqlError::io(&self.addr, "connection broke with", e)),
            Err(_) => Err(MysqlError::io(
                &self.addr,
                "timed out writing to",
                "the server",
            )),
        }
    }

    fn server_error(&self, payload: &[u8]) -> MysqlError {
        let code = payload.get(1..3).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let text_start = if payload.get(3) == Some(&b'#') { 9 } else { 3 };
        let message = payload
            .get(text_start..)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        MysqlError {
            message: format!("{} answered: {message}", self.addr),
            code,
            unreachable: false,
        }
    }

    async fn login(&mut self, user: &str, password: &str) -> Result<(), MysqlError> {
        let greeting = self.read_packet().await?;
        if greeting.first() == Some(&0xff) {
            return Err(self.server_error(&greeting));
        }
        let nonce = parse_greeting(&greeting).ok_or_else(|| {
            MysqlError::io(&self.addr, "unexpected greeting from", "a non-MySQL server")
        })?;
        // Whatever the server's default plugin, the answer is for native password: a server
        // that wants another one switches (handled below) or refuses.
        let auth = scramble(password, &nonce);
        let caps = CLIENT_LONG_PASSWORD
            | CLIENT_PROTOCOL_41
            | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION
            | CLIENT_PLUGIN_AUTH;
        let mut response = Vec::new();
        response.extend_from_slice(&caps.to_le_bytes());
        response.extend_from_slice(&(MAX_PACKET as u32).to_le_bytes());
        response.push(UTF8MB4_GENERAL_CI);
        response.extend_from_slice(&[0u8; 23]);
        response.extend_from_slice(user.as_bytes());
        response.push(0);
        response.push(auth.len() as u8);
        response.extend_from_slice(&auth);
        response.extend_from_slice(NATIVE_PASSWORD.as_bytes());
        response.push(0);
        self.write_packet(&response).await?;
        loop {
            let answer = self.read_packet().await?;
            match answer.first() {
                Some(0x00) => return Ok(()),
                Some(0xff) => return Err(self.server_error(&answer)),
                Some(0xfe) => {
                    // Auth switch: plugin name NUL data.
                    let rest = &answer[1..];
                    let end = rest.iter().position(|b| *b == 0).unwrap_or(rest.len());
                    let plugin = String::from_utf8_lossy(&rest[..end]).into_owned();
                    if plugin != NATIVE_PASSWORD {
                        return Err(MysqlError::io(
                            &self.addr,
                            "unsupported authentication plugin of",
                            plugin,
                        ));
                    }
                    let data = rest.get(end + 1..).unwrap_or(&[]);
                    let nonce: Vec<u8> = data.iter().copied().take(20).collect();
                    self.write_packet(&scramble(password, &nonce)).await?;
                }
                _ => {
                    return Err(MysqlError::io(
                        &self.addr,
                        "unexpected login answer from",
                        "the server",
                    ))
                }
            }
        }
    }

    /// Runs one text query and returns its rows (empty for statements without a result set).
    pub async fn query(&mut self, sql: &str) -> Result<Rows, MysqlError> {
        Ok(self.query_named(sql).await?.1)
    }

    /// Runs one text query and returns the names of its result set's columns and its rows (both
    /// empty for statements without a result set).
    pub async fn query_named(&mut self, sql: &str) -> Result<(Vec<String>, Rows), MysqlError> {
        self.seq = 0;
        let mut payload = vec![0x03];
        payload.extend_from_slice(sql.as_bytes());
        self.write_packet(&payload).await?;
        let first = self.read_packet().await?;
        match first.first() {
            Some(0x00) => return Ok((Vec::new(), Vec::new())),
            Some(0xff) => return Err(self.server_error(&first)),
            _ => {}
        }
        let (columns, _) = read_lenenc_int(&first)
            .ok_or_else(|| MysqlError::io(&self.addr, "bad result set from", "the server"))?;
        // Nothing is sized by the count the server sent: each column needs its own packet.
        let mut names = Vec::new();
        for _ in 0..columns {
            let definition = self.read_packet().await?;
            names.push(column_name(&definition).ok_or_else(|| {
                MysqlError::io(&self.addr, "bad column definition from", "the server")
            })?);
        }
        let eof = self.read_packet().await?;
        if eof.first() != Some(&0xfe) {
            return Err(MysqlError::io(
                &self.addr,
                "bad result set from",
                "the server",
            ));
        }
        let mut rows = Vec::new();
        loop {
            let packet = self.read_packet().await?;
            match packet.first() {
                Some(0xfe) if packet.len() < 9 => return Ok((names, rows)),
                Some(0xff) => return Err(self.server_error(&packet)),
                _ => {}
            }
            let mut row = Vec::with_capacity(names.len());
            let mut pos = 0;
            for _ in 0..names.len() {
                if packet.get(pos) == Some(&0xfb) {
                    row.push(None);
                    pos += 1;
                    continue;
                }
                let (len, used) = read_lenenc_int(&packet[pos..])
                    .ok_or_else(|| MysqlError::io(&self.addr, "bad row from", "the server"))?;
                let start = pos + used;
                let end = usize::try_from(len)
                    .ok()
                    .and_then(|len| start.checked_add(len));
                let value = end.and_then(|end| packet.get(start..end)).ok_or_else(|| {
                    MysqlError::io(&self.addr, "truncated row from", "the server")
                })?;
                row.push(Some(String::from_utf8_lossy(value).into_owned()));
                pos = start + value.len();
            }
            rows.push(row);
        }
    }
}

/// The 20-byte nonce of a protocol-10 greeting.
fn parse_greeting(p: &[u8]) -> Option<Vec<u8>> {
    if *p.first()? != 10 {
        return None;
    }
    let version_end = 1 + p.get(1..)?.iter().position(|b| *b == 0)?;
    let mut pos = version_end + 1 + 4;
    let mut nonce = p.get(pos..pos + 8)?.to_vec();
    pos += 8 + 1;
    let caps_low = u16::from_le_bytes([*p.get(pos)?, *p.get(pos + 1)?]) as u32;
    pos += 2;
    if pos >= p.len() {
        return Some(nonce);
    }
    pos += 1 + 2; // charset, status
    let caps_high = u16::from_le_bytes([*p.get(pos)?, *p.get(pos + 1)?]) as u32;
    let caps = caps_low | (caps_high << 16);
    pos += 2;
    let auth_len = *p.get(pos)? as usize;
    pos += 1 + 10;
    if caps & CLIENT_SECURE_CONNECTION != 0 {
        let part2 = auth_len.saturating_sub(8).max(13);
        let data = p.get(pos..pos + part2)?;
        nonce.extend_from_slice(&data[..data.len().saturating_sub(1).min(12)]);
    }
    Some(nonce)
}

/// `mysql_native_password`: SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password))).
fn scramble(password: &str, nonce: &[u8]) -> Vec<u8> {
    if password.is_empty() {
        return Vec::new();
    }
    let stage1 = Sha1::digest(password.as_bytes());
    let stage2 = Sha1::digest(stage1);
    let mut h = Sha1::new();
    h.update(nonce);
    h.update(stage2);
    let mix = h.finalize();
    stage1.iter().zip(mix.iter()).map(|(a, b)| a ^ b).collect()
}

/// A length-encoded integer and how many bytes it used.
/// The `name` of a ColumnDefinition41 packet: the fifth length-encoded string, after catalog,
/// schema, table and org_table.
fn column_name(definition: &[u8]) -> Option<String> {
    let mut pos = 0;
    for field in 0..5 {
        let (len, used) = read_lenenc_int(definition.get(pos..)?)?;
        let start = pos + used;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        if field == 4 {
            return Some(String::from_utf8_lossy(definition.get(start..end)?).into_owned());
        }
        pos = end;
    }
    None
}

fn read_lenenc_int(b: &[u8]) -> Option<(u64, usize)> {
    match *b.first()? {
        n @ 0..=0xfa => Some((n as u64, 1)),
        0xfc => Some((u16::from_le_bytes([*b.get(1)?, *b.get(2)?]) as u64, 3)),
        0xfd => Some((
            u32::from_le_bytes([*b.get(1)?, *b.get(2)?, *b.get(3)?, 0]) as u64,
            4,
        )),
        0xfe => {
            let bytes: [u8; 8] = b.get(1..9)?.try_into().ok()?;
            Some((u64::from_le_bytes(bytes), 9))
        }
        _ => None,
    }
}

/// Quotes a string literal for SQL.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scramble_matches_an_independently_computed_vector() {
        // SHA1(p) XOR SHA1(nonce + SHA1(SHA1(p))) for p = "password", computed with Python.
        let nonce = b"01234567890123456789";
        let hex: String = scramble("password", nonce)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, "352fa47dce3067a3629e64048732064561dccb28");
        assert!(scramble("", nonce).is_empty());
    }

    #[test]
    fn lenenc_ints_decode() {
        assert_eq!(read_lenenc_int(&[5]), Some((5, 1)));
        assert_eq!(read_lenenc_int(&[0xfc, 0x10, 0x01]), Some((272, 3)));
        assert_eq!(read_lenenc_int(&[0xfd, 1, 0, 1]), Some((65537, 4)));
        assert_eq!(read_lenenc_int(&[0xfc, 1]), None);
    }

    #[test]
    fn literals_are_quoted() {
        assert_eq!(quote("it's"), "'it''s'");
        assert_eq!(quote("a\\b"), "'a\\\\b'");
    }
}
