//! Per-table buffers of encoded rows and the memory they hold.
//!
//! A [`TableBuffer`] holds the chunk being filled for one table and knows when it must be flushed
//! (rows, bytes, age). Sealed chunks leave the buffer and are owned by the table's loader until
//! StarRocks answered; their bytes stay accounted in [`memory::MemoryBudget`] until then.

pub mod memory;

use std::time::Instant;

use crate::encode::frame::{RowKind, Value};
use crate::encode::{Chunk, RowEncoder};
use crate::error::Result;
use crate::load::stream_load::LoadTarget;

/// The chunk being filled for one table.
#[derive(Debug)]
pub struct TableBuffer {
    pub target: LoadTarget,
    pub encoder: RowEncoder,
    /// Stream Load headers for this table (pass-through properties plus derived `columns`).
    pub headers: Vec<(String, String)>,
    /// Whether this table takes typed rows (true) or raw records (false).
    pub typed: bool,
    chunk: Chunk,
    first_row_at: Option<Instant>,
}

/// A complete request body ready to load.
#[derive(Debug)]
pub struct SealedChunk {
    pub data: Vec<u8>,
    pub rows: u64,
}

impl TableBuffer {
    pub fn new(
        target: LoadTarget,
        encoder: RowEncoder,
        headers: Vec<(String, String)>,
        typed: bool,
    ) -> Self {
        let chunk = encoder.new_chunk();
        TableBuffer {
            target,
            encoder,
            headers,
            typed,
            chunk,
            first_row_at: None,
        }
    }

    /// Appends a typed row; returns the bytes added.
    pub fn append_row(
        &mut self,
        kind: RowKind,
        fields: &[Value<'_>],
        row_number: u64,
        now: Instant,
    ) -> Result<u64> {
        let before = self.len();
        self.encoder
            .append_row(&mut self.chunk, kind, fields, row_number)?;
        self.note_row_added(now);
        Ok(self.len() - before)
    }

    /// Appends a raw record; returns the bytes added.
    pub fn append_raw(&mut self, bytes: &[u8], row_number: u64, now: Instant) -> Result<u64> {
        let before = self.len();
        self.encoder
            .append_raw(&mut self.chunk, bytes, row_number)?;
        self.note_row_added(now);
        Ok(self.len() - before)
    }

    /// Bytes currently buffered (what a seal would send, minus closing bytes).
    pub fn len(&self) -> u64 {
        self.chunk.data.len() as u64
    }

    pub fn rows(&self) -> u64 {
        self.chunk.rows
    }

    pub fn is_empty(&self) -> bool {
        self.chunk.rows == 0
    }

    fn note_row_added(&mut self, now: Instant) {
        if self.first_row_at.is_none() {
            self.first_row_at = Some(now);
        }
    }

    pub fn first_row_at(&self) -> Option<Instant> {
        self.first_row_at
    }

    /// Takes the current chunk as a complete body and starts a new one; `None` when empty.
    pub fn seal(&mut self) -> Option<SealedChunk> {
        if self.chunk.rows == 0 {
            return None;
        }
        let mut chunk = std::mem::replace(&mut self.chunk, self.encoder.new_chunk());
        self.encoder.finish_chunk(&mut chunk);
        self.first_row_at = None;
        Some(SealedChunk {
            data: chunk.data,
            rows: chunk.rows,
        })
    }
}
