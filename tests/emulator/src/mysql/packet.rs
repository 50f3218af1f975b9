//! MySQL packet framing: a 3-byte little-endian length and a sequence id before each payload;
//! payloads of 16 MiB - 1 or more are split and joined. Reads are bounded (`MAX_PACKET`), so a
//! client cannot make the emulator buffer without limit; writes are buffered per response and
//! bounded in time, so a client that stops reading cannot hold a task forever.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Largest payload of one physical packet.
const MAX_CHUNK: usize = 0xFF_FFFF;
/// Largest logical packet accepted from a client (StarRocks' `max_allowed_packet` is 32 MiB).
pub const MAX_PACKET: usize = 32 * 1024 * 1024;
/// How long a write (one flush of a response) may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// Packet reader/writer over one connection.
pub struct PacketIo {
    stream: TcpStream,
    /// Sequence id of the next packet to write.
    seq: u8,
    out: Vec<u8>,
}

impl PacketIo {
    pub fn new(stream: TcpStream) -> PacketIo {
        PacketIo {
            stream,
            seq: 0,
            out: Vec::new(),
        }
    }

    /// Reads one logical packet. `Ok(None)`: the client closed the connection between packets.
    pub async fn read(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut payload = Vec::new();
        let mut first = true;
        loop {
            let mut header = [0u8; 4];
            if first {
                // A clean close before a new packet is not an error.
                match self.stream.read(&mut header[..1]).await? {
                    0 => return Ok(None),
                    _ => self.stream.read_exact(&mut header[1..]).await?,
                };
            } else {
                self.stream.read_exact(&mut header).await?;
            }
            first = false;
            let len =
                usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
            self.seq = header[3].wrapping_add(1);
            if payload.len() + len > MAX_PACKET {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("packet larger than {MAX_PACKET} bytes"),
                ));
            }
            let start = payload.len();
            payload.resize(start + len, 0);
            self.stream.read_exact(&mut payload[start..]).await?;
            if len < MAX_CHUNK {
                return Ok(Some(payload));
            }
        }
    }

    /// Starts a new command exchange: the next packet written has sequence id `seq`.
    pub fn set_seq(&mut self, seq: u8) {
        self.seq = seq;
    }

    /// Queues one logical packet (split if needed); sent by `flush`.
    pub fn write(&mut self, payload: &[u8]) {
        let mut rest = payload;
        loop {
            let n = rest.len().min(MAX_CHUNK);
            self.out.extend_from_slice(&(n as u32).to_le_bytes()[..3]);
            self.out.push(self.seq);
            self.seq = self.seq.wrapping_add(1);
            self.out.extend_from_slice(&rest[..n]);
            rest = &rest[n..];
            // A payload that is an exact multiple of the chunk size ends with an empty packet.
            if n < MAX_CHUNK {
                return;
            }
        }
    }

    /// Sends everything queued.
    pub async fn flush(&mut self) -> io::Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        let out = std::mem::take(&mut self.out);
        match tokio::time::timeout(WRITE_TIMEOUT, self.stream.write_all(&out)).await {
            Ok(result) => result,
            Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, "write timed out")),
        }
    }

    /// Queued bytes (large result sets are flushed in parts).
    pub fn pending(&self) -> usize {
        self.out.len()
    }

    /// Closes the write side after flushing.
    pub async fn close(&mut self) {
        let _ = self.flush().await;
        let _ = self.stream.shutdown().await;
    }
}
