//! Per-table buffers of encoded rows and the memory they hold.
//!
//! A [`TableBuffer`] holds the chunk being filled for one table and knows when it must be flushed
//! (rows, bytes, age). Sealed chunks leave the buffer and are owned by the table's loader until
//! StarRocks answered; their bytes stay accounted in [`memory::MemoryBudget`] until then.

pub mod memory;
pub mod recycle;

use std::time::Instant;

use crate::encode::frame::{RowKind, Value};
use crate::encode::{Chunk, RowEncoder};
use crate::error::{ErrorKind, Result, SinkError};
use crate::load::stream_load::LoadTarget;
use recycle::Recycler;

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
    /// Positions of the key fields when UPDATE_BEFORE rows are held back (see
    /// [`TableBuffer::append_row`]); empty: every row is appended as it comes.
    key_fields: Vec<usize>,
    held: Option<HeldUpdateBefore>,
    /// The most bytes one encoded row may take (`sink.chunk-limit`: a request body holds whole
    /// rows).
    max_row_bytes: u64,
}

/// An UPDATE_BEFORE of a PRIMARY KEY table, encoded as a delete and held back: an
/// UPDATE_AFTER of the same key right after it replaces it (no needless delete); anything else
/// means it was a retraction, and it is loaded as the delete it is.
#[derive(Debug)]
struct HeldUpdateBefore {
    key: String,
    row: Vec<u8>,
}

/// A complete request body ready to load.
#[derive(Debug)]
pub struct SealedChunk {
    pub data: Vec<u8>,
    pub rows: u64,
}

impl TableBuffer {
    /// `key_fields`: positions of the key fields of a PRIMARY KEY table whose UPDATE_BEFORE
    /// rows are held back; empty to append every row as it comes.
    pub fn new(
        target: LoadTarget,
        encoder: RowEncoder,
        headers: Vec<(String, String)>,
        typed: bool,
        key_fields: Vec<usize>,
    ) -> Self {
        let chunk = encoder.new_chunk();
        TableBuffer {
            target,
            encoder,
            headers,
            typed,
            chunk,
            first_row_at: None,
            key_fields,
            held: None,
            max_row_bytes: u64::MAX,
        }
    }

    /// Refuses rows whose encoding is larger than `bytes`.
    pub fn with_max_row_bytes(mut self, bytes: u64) -> Self {
        self.max_row_bytes = bytes;
        self
    }

    fn check_row_size(&self, size: usize, row_number: u64) -> Result<()> {
        if size as u64 <= self.max_row_bytes {
            return Ok(());
        }
        Err(SinkError::new(
            ErrorKind::InvalidData,
            format!(
                "row #{row_number} for table {} takes {size} bytes encoded, more than \
                 'sink.chunk-limit' ({} bytes); one request body must hold a row whole",
                self.target, self.max_row_bytes
            ),
        ))
    }

    fn key_of(&self, fields: &[Value<'_>]) -> String {
        let key: Vec<Option<&Value<'_>>> = self.key_fields.iter().map(|i| fields.get(*i)).collect();
        format!("{key:?}")
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
        // Keys are only compared around an UPDATE_BEFORE: other rows pay nothing for them.
        if let Some(held) = self.held.take() {
            let replaced = kind == RowKind::UpdateAfter && held.key == self.key_of(fields);
            if !replaced {
                self.encoder.append_encoded(&mut self.chunk, &held.row);
            }
        }
        if kind == RowKind::UpdateBefore && !self.key_fields.is_empty() {
            let row = self.encoder.encode_row(kind, fields, row_number)?;
            self.check_row_size(row.len(), row_number)?;
            let key = self.key_of(fields);
            self.held = Some(HeldUpdateBefore { key, row });
        } else {
            let (start, rows) = (self.chunk.data.len(), self.chunk.rows);
            self.encoder
                .append_row(&mut self.chunk, kind, fields, row_number)?;
            if let Err(e) = self.check_row_size(self.chunk.data.len() - start, row_number) {
                self.chunk.data.truncate(start);
                self.chunk.rows = rows;
                return Err(e);
            }
        }
        self.note_row_added(now);
        Ok(self.len() - before)
    }

    /// Appends a raw record; returns the bytes added.
    pub fn append_raw(&mut self, bytes: &[u8], row_number: u64, now: Instant) -> Result<u64> {
        let before = self.len();
        self.check_row_size(bytes.len(), row_number)?;
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
        self.chunk.rows == 0 && self.held.is_none()
    }

    fn note_row_added(&mut self, now: Instant) {
        if self.first_row_at.is_none() {
            self.first_row_at = Some(now);
        }
    }

    pub fn first_row_at(&self) -> Option<Instant> {
        self.first_row_at
    }

    /// Takes the current chunk as a complete body and starts a new one; `None` when empty. A
    /// held-back UPDATE_BEFORE goes in as a delete.
    pub fn seal(&mut self) -> Option<SealedChunk> {
        self.seal_reusing(&Recycler::new(0))
    }

    /// [`TableBuffer::seal`], starting the new chunk in the body `spare` keeps, if any (a finished
    /// load's, whose memory is mapped already).
    pub fn seal_reusing(&mut self, spare: &Recycler) -> Option<SealedChunk> {
        if let Some(held) = self.held.take() {
            self.encoder.append_encoded(&mut self.chunk, &held.row);
        }
        if self.chunk.rows == 0 {
            return None;
        }
        let mut chunk = std::mem::replace(&mut self.chunk, self.encoder.new_chunk_in(spare.take()));
        self.encoder.finish_chunk(&mut chunk);
        self.first_row_at = None;
        Some(SealedChunk {
            data: chunk.data,
            rows: chunk.rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Format;

    fn buffer(key_fields: Vec<usize>) -> TableBuffer {
        let format = Format::Csv {
            column_separator: b"\t".to_vec(),
            row_delimiter: b"\n".to_vec(),
        };
        let encoder = RowEncoder::new(
            &format,
            "db.t".into(),
            vec!["k".into(), "v".into()],
            Vec::new(),
            true,
        );
        let target = LoadTarget {
            database: "db".into(),
            table: "t".into(),
        };
        TableBuffer::new(target, encoder, vec![], true, key_fields)
    }

    fn push(b: &mut TableBuffer, kind: RowKind, k: &'static str, v: i32) {
        b.append_row(
            kind,
            &[Value::String(k.as_bytes()), Value::Int(v)],
            1,
            Instant::now(),
        )
        .unwrap();
    }

    #[test]
    fn a_row_larger_than_the_chunk_limit_is_refused_and_leaves_the_buffer_as_it_was() {
        let mut b = buffer(vec![]).with_max_row_bytes(8);
        push(&mut b, RowKind::Insert, "a", 1);
        let e = b
            .append_row(
                RowKind::Insert,
                &[Value::String(b"much too long"), Value::Int(2)],
                7,
                Instant::now(),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidData);
        assert!(e.message().contains("row #7 for table db.t"), "{e}");
        assert!(e.message().contains("'sink.chunk-limit' (8 bytes)"), "{e}");
        let sealed = b.seal().unwrap();
        assert_eq!(String::from_utf8(sealed.data).unwrap(), "a\t1\t0\n");
        assert_eq!(sealed.rows, 1);
    }

    #[test]
    fn an_update_before_followed_by_its_update_after_is_dropped_a_lone_one_deletes() {
        let mut b = buffer(vec![0]);
        push(&mut b, RowKind::Insert, "a", 1);
        push(&mut b, RowKind::UpdateBefore, "b", 1);
        push(&mut b, RowKind::UpdateAfter, "b", 2);
        push(&mut b, RowKind::UpdateBefore, "c", 2);
        push(&mut b, RowKind::Insert, "d", 1);
        push(&mut b, RowKind::UpdateBefore, "d", 1);
        let sealed = b.seal().unwrap();
        assert_eq!(
            String::from_utf8(sealed.data).unwrap(),
            "a\t1\t0\nb\t2\t0\nc\t2\t1\nd\t1\t0\nd\t1\t1\n"
        );
        assert_eq!(sealed.rows, 5);
        assert!(b.seal().is_none());
    }

    #[test]
    fn without_key_fields_every_update_before_deletes() {
        let mut b = buffer(vec![]);
        push(&mut b, RowKind::UpdateBefore, "b", 1);
        push(&mut b, RowKind::UpdateAfter, "b", 2);
        let sealed = b.seal().unwrap();
        assert_eq!(
            String::from_utf8(sealed.data).unwrap(),
            "b\t1\t1\nb\t2\t0\n"
        );
    }
}
