//! Row frames from Java into CSV or JSON request bodies. This is the only module that knows the
//! body formats; the rest of the engine moves opaque chunks.
//!
//! Bodies follow the public connector's framing so that concatenated transaction loads stay
//! aligned: CSV rows each end with the row delimiter; JSON chunks are `[row,row,...]`.

pub mod frame;
pub mod text;

mod csv;
mod json;

use crate::error::{ErrorKind, Result, SinkError};
use crate::options::Format;
use frame::{RowKind, Value};

/// A request body being built.
#[derive(Debug, Default)]
pub struct Chunk {
    pub data: Vec<u8>,
    pub rows: u64,
}

/// Encodes rows of one table into chunks.
#[derive(Debug, Clone)]
pub struct RowEncoder {
    format: FormatEncoder,
    table: String,
    columns: Vec<String>,
    /// Rows end with `__op` (0 upsert, 1 delete) from their row kind: PRIMARY KEY tables.
    upsert_delete: bool,
}

/// The virtual load column of PRIMARY KEY tables that says upsert (0) or delete (1).
pub const OP_COLUMN: &str = "__op";

/// `__op` of a row kind: inserts and update-afters upsert, deletes and update-befores delete.
pub fn op_of(kind: RowKind) -> u8 {
    match kind {
        RowKind::Insert | RowKind::UpdateAfter => 0,
        RowKind::Delete | RowKind::UpdateBefore => 1,
    }
}

#[derive(Debug, Clone)]
enum FormatEncoder {
    Csv(Box<csv::CsvEncoder>),
    Json(json::JsonEncoder),
}

impl RowEncoder {
    /// `table` is used in messages only (`db.table`); `columns` are the Flink column names in
    /// frame field order; `upsert_delete` adds `__op` to every typed row.
    pub fn new(format: &Format, table: String, columns: Vec<String>, upsert_delete: bool) -> Self {
        let format = match format {
            Format::Csv {
                column_separator,
                row_delimiter,
            } => FormatEncoder::Csv(Box::new(csv::CsvEncoder::new(
                column_separator,
                row_delimiter,
            ))),
            Format::Json => FormatEncoder::Json(json::JsonEncoder::new(&columns)),
        };
        RowEncoder {
            format,
            table,
            columns,
            upsert_delete,
        }
    }

    /// Bytes a chunk holds before any row (used for size accounting).
    pub fn empty_chunk_len(&self) -> usize {
        match self.format {
            FormatEncoder::Csv(_) => 0,
            FormatEncoder::Json(_) => 1,
        }
    }

    /// Appends one typed row. `row_number` identifies the row in messages. On error the chunk is
    /// left as it was before the call.
    pub fn append_row(
        &self,
        chunk: &mut Chunk,
        kind: RowKind,
        fields: &[Value<'_>],
        row_number: u64,
    ) -> Result<()> {
        if fields.len() != self.columns.len() {
            return Err(SinkError::new(
                ErrorKind::InvalidData,
                format!(
                    "row #{row_number} for table {} has {} fields but the sink has {} columns",
                    self.table,
                    fields.len(),
                    self.columns.len()
                ),
            ));
        }
        let start = chunk.data.len();
        let op = self.upsert_delete.then(|| op_of(kind));
        let result = match &self.format {
            FormatEncoder::Csv(c) => c.append_row(&mut chunk.data, fields, op),
            FormatEncoder::Json(j) => j.append_row(&mut chunk.data, chunk.rows == 0, fields, op),
        };
        match result {
            Ok(()) => {
                chunk.rows += 1;
                Ok(())
            }
            Err((column, why)) => {
                chunk.data.truncate(start);
                Err(SinkError::new(
                    ErrorKind::InvalidData,
                    format!(
                        "row #{row_number} for table {}, column '{}': {why}",
                        self.table,
                        self.columns.get(column).map(String::as_str).unwrap_or("?")
                    ),
                ))
            }
        }
    }

    /// Appends a record the user serialized already (one CSV line without delimiter, or one
    /// JSON value).
    pub fn append_raw(&self, chunk: &mut Chunk, bytes: &[u8], row_number: u64) -> Result<()> {
        let start = chunk.data.len();
        let result = match &self.format {
            FormatEncoder::Csv(c) => c.append_raw(&mut chunk.data, bytes),
            FormatEncoder::Json(j) => j.append_raw(&mut chunk.data, chunk.rows == 0, bytes),
        };
        match result {
            Ok(()) => {
                chunk.rows += 1;
                Ok(())
            }
            Err(why) => {
                chunk.data.truncate(start);
                Err(SinkError::new(
                    ErrorKind::InvalidData,
                    format!("record #{row_number} for table {}: {why}", self.table),
                ))
            }
        }
    }

    /// Starts an empty chunk.
    pub fn new_chunk(&self) -> Chunk {
        let mut chunk = Chunk::default();
        if let FormatEncoder::Json(_) = self.format {
            chunk.data.push(b'[');
        }
        chunk
    }

    /// Closes a chunk so it is a complete request body.
    pub fn finish_chunk(&self, chunk: &mut Chunk) {
        if let FormatEncoder::Json(_) = self.format {
            chunk.data.push(b']');
        }
    }

    /// The Stream Load `columns` header for typed rows: back-quoted column names (and `__op`),
    /// so CSV fields map by name whatever the table's column order. `None` for JSON (keys carry
    /// the names, `__op` included).
    pub fn columns_header(&self) -> Option<String> {
        match self.format {
            FormatEncoder::Csv(_) => {
                let mut names: Vec<String> = self
                    .columns
                    .iter()
                    .map(|c| format!("`{}`", c.replace('`', "``")))
                    .collect();
                if self.upsert_delete {
                    names.push(format!("`{OP_COLUMN}`"));
                }
                Some(names.join(","))
            }
            FormatEncoder::Json(_) => None,
        }
    }
}

#[cfg(test)]
mod tests;
