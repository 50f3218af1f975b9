//! Server packets: OK, ERR, EOF, column definitions and text-protocol result sets (the answer
//! to `COM_QUERY`). The emulator does not offer `CLIENT_DEPRECATE_EOF`, so result sets always
//! use EOF packets, as StarRocks does.

use super::codec::{put_lenenc_bytes, put_lenenc_int, put_u16, put_u32};
use super::packet::PacketIo;
use super::wire_type::{wire_type, WireType};
use crate::sql::{QueryResult, SqlError};

/// `SERVER_STATUS_AUTOCOMMIT`.
pub const STATUS_AUTOCOMMIT: u16 = 0x0002;

/// Flush a result set in parts once this much is queued.
const FLUSH_AT: usize = 1 << 20;

pub fn ok_packet(affected_rows: u64) -> Vec<u8> {
    let mut p = vec![0x00];
    put_lenenc_int(&mut p, affected_rows);
    put_lenenc_int(&mut p, 0); // last insert id
    put_u16(&mut p, STATUS_AUTOCOMMIT);
    put_u16(&mut p, 0); // warnings
    p
}

pub fn err_packet(error: &SqlError) -> Vec<u8> {
    let mut p = vec![0xFF];
    put_u16(&mut p, error.code);
    p.push(b'#');
    let state = error.sqlstate.as_bytes();
    // SQLSTATE is exactly five characters on the wire.
    p.extend((0..5).map(|i| state.get(i).copied().unwrap_or(b'0')));
    p.extend_from_slice(error.message.as_bytes());
    p
}

pub fn eof_packet() -> Vec<u8> {
    let mut p = vec![0xFE];
    put_u16(&mut p, 0);
    put_u16(&mut p, STATUS_AUTOCOMMIT);
    p
}

/// A `ColumnDefinition41` packet; `default` is only sent for `COM_FIELD_LIST`.
pub fn column_definition(name: &str, wire: WireType, default: Option<Option<&str>>) -> Vec<u8> {
    let mut p = Vec::with_capacity(64 + name.len());
    put_lenenc_bytes(&mut p, b"def");
    put_lenenc_bytes(&mut p, b""); // schema
    put_lenenc_bytes(&mut p, b""); // table
    put_lenenc_bytes(&mut p, b""); // original table
    put_lenenc_bytes(&mut p, name.as_bytes());
    put_lenenc_bytes(&mut p, name.as_bytes()); // original name
    p.push(0x0C);
    put_u16(&mut p, wire.charset);
    put_u32(&mut p, wire.length);
    p.push(wire.field_type);
    put_u16(&mut p, 0); // flags
    p.push(wire.decimals);
    put_u16(&mut p, 0);
    if let Some(default) = default {
        match default {
            Some(d) => put_lenenc_bytes(&mut p, d.as_bytes()),
            None => p.push(0xFB),
        }
    }
    p
}

/// Queues the column count, definitions and EOF of a result set.
pub fn write_header(io: &mut PacketIo, result: &QueryResult, wires: &[WireType]) {
    let mut count = Vec::new();
    put_lenenc_int(&mut count, result.columns.len() as u64);
    io.write(&count);
    for (c, wire) in result.columns.iter().zip(wires) {
        io.write(&column_definition(&c.name, *wire, None));
    }
    io.write(&eof_packet());
}

/// Sends a text-protocol result set.
pub async fn write_text_result(io: &mut PacketIo, result: &QueryResult) -> std::io::Result<()> {
    let wires: Vec<WireType> = result.columns.iter().map(|c| wire_type(&c.ty)).collect();
    write_header(io, result, &wires);
    for row in &result.rows {
        let mut p = Vec::new();
        for value in row {
            match value {
                Some(v) => put_lenenc_bytes(&mut p, v.as_bytes()),
                None => p.push(0xFB),
            }
        }
        io.write(&p);
        if io.pending() >= FLUSH_AT {
            io.flush().await?;
        }
    }
    io.write(&eof_packet());
    io.flush().await
}
