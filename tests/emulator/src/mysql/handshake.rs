//! Connection phase: the server greeting (protocol 10, `mysql_native_password`, a fresh
//! 20-byte scramble), the client's `HandshakeResponse41`, an auth switch to
//! `mysql_native_password` for clients that answer with another plugin (e.g. MySQL 8 clients
//! defaulting to `caching_sha2_password`), the password check against the configured users
//! (the same users and passwords as the HTTP ports), and the initial database. TLS is not
//! offered; clients that require it get an error.

use std::time::Duration;

use super::codec::{put_u16, put_u32, Malformed, Reader};
use super::packet::PacketIo;
use super::response::{err_packet, ok_packet, STATUS_AUTOCOMMIT};
use super::sha1::verify_native_password;
use super::wire_type::CHARSET_UTF8;
use crate::sql::SqlError;
use crate::state::Shared;

pub const CLIENT_LONG_PASSWORD: u32 = 0x0000_0001;
pub const CLIENT_FOUND_ROWS: u32 = 0x0000_0002;
pub const CLIENT_LONG_FLAG: u32 = 0x0000_0004;
pub const CLIENT_CONNECT_WITH_DB: u32 = 0x0000_0008;
pub const CLIENT_PROTOCOL_41: u32 = 0x0000_0200;
pub const CLIENT_SSL: u32 = 0x0000_0800;
pub const CLIENT_TRANSACTIONS: u32 = 0x0000_2000;
pub const CLIENT_SECURE_CONNECTION: u32 = 0x0000_8000;
pub const CLIENT_MULTI_RESULTS: u32 = 0x0002_0000;
pub const CLIENT_PS_MULTI_RESULTS: u32 = 0x0004_0000;
pub const CLIENT_PLUGIN_AUTH: u32 = 0x0008_0000;
pub const CLIENT_CONNECT_ATTRS: u32 = 0x0010_0000;
pub const CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA: u32 = 0x0020_0000;

/// What the emulator offers.
pub const SERVER_CAPABILITIES: u32 = CLIENT_LONG_PASSWORD
    | CLIENT_FOUND_ROWS
    | CLIENT_LONG_FLAG
    | CLIENT_CONNECT_WITH_DB
    | CLIENT_PROTOCOL_41
    | CLIENT_TRANSACTIONS
    | CLIENT_SECURE_CONNECTION
    | CLIENT_MULTI_RESULTS
    | CLIENT_PS_MULTI_RESULTS
    | CLIENT_PLUGIN_AUTH
    | CLIENT_CONNECT_ATTRS
    | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

pub const NATIVE_PASSWORD: &str = "mysql_native_password";

/// How long a client may take to answer the greeting.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A logged-in client.
#[derive(Debug, Clone)]
pub struct Login {
    pub user: String,
    pub database: Option<String>,
}

/// Why a login failed.
#[derive(Debug)]
pub enum LoginError {
    /// An ERR packet was sent.
    Refused,
    /// The connection broke or the client was too slow.
    Io,
    /// The client's answer could not be parsed (no ERR packet sent yet).
    Malformed(Malformed),
}

impl From<std::io::Error> for LoginError {
    fn from(_: std::io::Error) -> LoginError {
        LoginError::Io
    }
}

impl From<Malformed> for LoginError {
    fn from(e: Malformed) -> LoginError {
        LoginError::Malformed(e)
    }
}

/// 20 scramble bytes, printable ASCII without `$` (as MySQL servers generate them).
fn new_scramble() -> [u8; 20] {
    let random = [
        uuid::Uuid::new_v4().into_bytes(),
        uuid::Uuid::new_v4().into_bytes(),
    ]
    .concat();
    let mut out = [0u8; 20];
    for (o, r) in out.iter_mut().zip(random) {
        let mut c = 0x21 + r % 0x5E;
        if c == b'$' {
            c = b'#';
        }
        *o = c;
    }
    out
}

fn greeting(server_version: &str, connection_id: u32, scramble: &[u8; 20]) -> Vec<u8> {
    let mut p = vec![10];
    p.extend_from_slice(server_version.as_bytes());
    p.push(0);
    put_u32(&mut p, connection_id);
    p.extend_from_slice(&scramble[..8]);
    p.push(0);
    put_u16(&mut p, (SERVER_CAPABILITIES & 0xFFFF) as u16);
    p.push(CHARSET_UTF8 as u8);
    put_u16(&mut p, STATUS_AUTOCOMMIT);
    put_u16(&mut p, (SERVER_CAPABILITIES >> 16) as u16);
    p.push(21);
    p.extend_from_slice(&[0u8; 10]);
    p.extend_from_slice(&scramble[8..]);
    p.push(0);
    p.extend_from_slice(NATIVE_PASSWORD.as_bytes());
    p.push(0);
    p
}

/// The parts of `HandshakeResponse41` the emulator uses.
struct Response {
    capabilities: u32,
    user: String,
    auth: Vec<u8>,
    database: Option<String>,
    plugin: Option<String>,
}

fn text(bytes: &[u8], what: &'static str) -> Result<String, Malformed> {
    String::from_utf8(bytes.to_vec()).map_err(|_| Malformed(what))
}

fn parse_response(payload: &[u8]) -> Result<Response, Malformed> {
    let mut r = Reader::new(payload);
    let capabilities = r.u32("client capabilities")?;
    if capabilities & CLIENT_PROTOCOL_41 == 0 {
        return Err(Malformed("client does not speak protocol 4.1"));
    }
    r.u32("max packet size")?;
    r.u8("character set")?;
    r.bytes(23, "reserved bytes")?;
    let user = text(r.nul_terminated(), "user name")?;
    let auth = if capabilities & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA != 0 {
        r.lenenc_bytes("auth data")?.to_vec()
    } else if capabilities & CLIENT_SECURE_CONNECTION != 0 {
        let n = r.u8("auth data length")?;
        r.bytes(usize::from(n), "auth data")?.to_vec()
    } else {
        r.nul_terminated().to_vec()
    };
    let database = if capabilities & CLIENT_CONNECT_WITH_DB != 0 && !r.is_empty() {
        Some(text(r.nul_terminated(), "database name")?).filter(|d| !d.is_empty())
    } else {
        None
    };
    let plugin = if capabilities & CLIENT_PLUGIN_AUTH != 0 && !r.is_empty() {
        Some(text(r.nul_terminated(), "auth plugin name")?).filter(|p| !p.is_empty())
    } else {
        None
    };
    // Connection attributes follow; the emulator has no use for them.
    Ok(Response {
        capabilities,
        user,
        auth,
        database,
        plugin,
    })
}

async fn refuse(io: &mut PacketIo, error: SqlError) -> std::io::Result<()> {
    io.write(&err_packet(&error));
    io.flush().await
}

async fn read_packet(io: &mut PacketIo) -> Result<Vec<u8>, LoginError> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, io.read()).await {
        Ok(Ok(Some(p))) => Ok(p),
        Ok(Ok(None)) | Ok(Err(_)) | Err(_) => Err(LoginError::Io),
    }
}

/// Runs the connection phase. On success an OK packet has been sent; on refusal an ERR packet
/// has been sent (the caller closes the connection).
pub async fn login(
    io: &mut PacketIo,
    shared: &Shared,
    connection_id: u32,
    peer_ip: &str,
) -> Result<Login, LoginError> {
    let scramble = new_scramble();
    io.set_seq(0);
    io.write(&greeting(
        &shared.config.mysql_server_version,
        connection_id,
        &scramble,
    ));
    io.flush().await?;
    let payload = read_packet(io).await?;
    let wants_tls = Reader::new(&payload)
        .u32("client capabilities")
        .is_ok_and(|c| c & CLIENT_SSL != 0);
    if wants_tls || payload.len() == 32 {
        // An SSLRequest (the emulator does not offer TLS, so a client should not send one).
        refuse(
            io,
            SqlError::invalid("SSL connection error: the emulator does not support TLS"),
        )
        .await?;
        return Err(LoginError::Refused);
    }
    let response = parse_response(&payload)?;
    let mut auth = response.auth;
    let native = matches!(response.plugin.as_deref(), None | Some(NATIVE_PASSWORD));
    if !native {
        if response.capabilities & CLIENT_PLUGIN_AUTH == 0 {
            refuse(io, SqlError::invalid("authentication plugin not supported")).await?;
            return Err(LoginError::Refused);
        }
        // AuthSwitchRequest to mysql_native_password with the same scramble.
        let mut switch = vec![0xFE];
        switch.extend_from_slice(NATIVE_PASSWORD.as_bytes());
        switch.push(0);
        switch.extend_from_slice(&scramble);
        switch.push(0);
        io.write(&switch);
        io.flush().await?;
        auth = read_packet(io).await?;
    }
    let password = shared
        .config
        .users
        .iter()
        .find(|(u, _)| *u == response.user)
        .map(|(_, p)| p.as_str());
    let accepted = password.is_some_and(|p| verify_native_password(p, &scramble, &auth));
    if !accepted {
        refuse(
            io,
            SqlError::access_denied(&response.user, peer_ip, !auth.is_empty()),
        )
        .await?;
        return Err(LoginError::Refused);
    }
    if let Some(db) = &response.database {
        if let Err(error) = crate::sql::check_database(shared, db) {
            refuse(io, error).await?;
            return Err(LoginError::Refused);
        }
    }
    io.write(&ok_packet(0));
    io.flush().await?;
    Ok(Login {
        user: response.user,
        database: response.database,
    })
}
