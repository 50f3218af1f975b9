//! Row frames from Java into CSV or JSON request bodies. This is the only module that knows the
//! body formats; the rest of the engine moves opaque chunks.
//!
//! Bodies follow the public connector's framing so that concatenated transaction loads stay
//! aligned: CSV rows each end with the row delimiter; JSON chunks are `[row,row,...]`.

pub mod frame;
pub mod text;

mod csv;
mod json;
mod json_text;

use crate::error::{ErrorKind, Result, SinkError};
use crate::options::Format;
use frame::{RowKind, Value};

/// A request body being built.
#[derive(Debug, Default)]
pub struct Chunk {
    pub data: Vec<u8>,
    pub rows: u64,
}

/// How the values of a typed column are loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColumnMode {
    /// As their type says.
    #[default]
    Value,
    /// Strings that hold JSON text, for a StarRocks JSON column: checked, and embedded as JSON
    /// (not as a JSON string) in JSON bodies.
    JsonText,
    /// BINARY values for a StarRocks VARBINARY column: sent as hex text in the load column
    /// `__sr_hex_{name}`, which the `columns` header decodes with `hex_decode_binary`.
    HexBinary,
}

impl ColumnMode {
    /// The mode of a JNI code (0, 1, 2 in declaration order).
    pub fn from_code(code: i32) -> Option<ColumnMode> {
        match code {
            0 => Some(ColumnMode::Value),
            1 => Some(ColumnMode::JsonText),
            2 => Some(ColumnMode::HexBinary),
            _ => None,
        }
    }

    /// The name under which a column's values travel in the body.
    fn load_name(self, column: &str) -> String {
        match self {
            ColumnMode::HexBinary => format!("{HEX_PREFIX}{column}"),
            _ => column.to_string(),
        }
    }
}

/// Prefix of the load column that carries a VARBINARY column's hex text.
const HEX_PREFIX: &str = "__sr_hex_";

/// Encodes rows of one table into chunks.
#[derive(Debug, Clone)]
pub struct RowEncoder {
    format: FormatEncoder,
    table: String,
    columns: Vec<String>,
    modes: Vec<ColumnMode>,
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
    /// frame field order, `modes` say how each is loaded (missing modes are
    /// [`ColumnMode::Value`]); `upsert_delete` adds `__op` to every typed row.
    pub fn new(
        format: &Format,
        table: String,
        columns: Vec<String>,
        mut modes: Vec<ColumnMode>,
        upsert_delete: bool,
    ) -> Self {
        modes.resize(columns.len(), ColumnMode::Value);
        let format = match format {
            Format::Csv {
                column_separator,
                row_delimiter,
            } => FormatEncoder::Csv(Box::new(csv::CsvEncoder::new(
                column_separator,
                row_delimiter,
                &modes,
            ))),
            Format::Json => {
                let load_names: Vec<String> = columns
                    .iter()
                    .zip(&modes)
                    .map(|(c, m)| m.load_name(c))
                    .collect();
                FormatEncoder::Json(json::JsonEncoder::new(&load_names, &modes))
            }
        };
        RowEncoder {
            format,
            table,
            columns,
            modes,
            upsert_delete,
        }
    }

    fn needs_columns_header(&self) -> bool {
        self.modes.contains(&ColumnMode::HexBinary)
    }

    /// The VARBINARY columns (comma-separated), which need the connector's `columns` header.
    pub fn hex_binary_columns(&self) -> Option<String> {
        let names: Vec<&str> = self
            .columns
            .iter()
            .zip(&self.modes)
            .filter(|(_, m)| **m == ColumnMode::HexBinary)
            .map(|(c, _)| c.as_str())
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// `sink.wrap-json-as-array`: JSON records given as text are arrays of rows (no effect on
    /// typed rows or CSV).
    pub fn with_json_array_records(mut self) -> Self {
        if let FormatEncoder::Json(j) = self.format {
            self.format = FormatEncoder::Json(j.with_array_records());
        }
        self
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
                        self.columns.get(column).map_or(OP_COLUMN, String::as_str)
                    ),
                ))
            }
        }
    }

    /// Encodes one typed row on its own (no chunk framing), for rows held back before they join
    /// a chunk with [`RowEncoder::append_encoded`].
    pub fn encode_row(
        &self,
        kind: RowKind,
        fields: &[Value<'_>],
        row_number: u64,
    ) -> Result<Vec<u8>> {
        let mut alone = Chunk::default();
        self.append_row(&mut alone, kind, fields, row_number)?;
        Ok(alone.data)
    }

    /// Appends a row from [`RowEncoder::encode_row`].
    pub fn append_encoded(&self, chunk: &mut Chunk, row: &[u8]) {
        if let FormatEncoder::Json(_) = self.format {
            if chunk.rows > 0 {
                chunk.data.push(b',');
            }
        }
        chunk.data.extend_from_slice(row);
        chunk.rows += 1;
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
        self.new_chunk_in(Vec::new())
    }

    /// Starts an empty chunk in `body`, whose content is discarded and capacity kept.
    pub fn new_chunk_in(&self, mut body: Vec<u8>) -> Chunk {
        body.clear();
        let mut chunk = Chunk {
            data: body,
            ..Chunk::default()
        };
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

    /// The Stream Load `columns` header for typed rows: back-quoted load column names (and
    /// `__op`), so CSV fields map by name whatever the table's column order, then the
    /// `hex_decode_binary` derivations of VARBINARY columns. `None` for JSON (keys carry the
    /// names, `__op` included) unless it has VARBINARY columns or is a `partial_update`, which
    /// updates exactly the columns the header names.
    pub fn columns_header(&self, partial_update: bool) -> Option<String> {
        if let FormatEncoder::Json(_) = self.format {
            if !partial_update && !self.needs_columns_header() {
                return None;
            }
        }
        let quote = |name: &str| format!("`{}`", name.replace('`', "``"));
        let mut items: Vec<String> = self
            .columns
            .iter()
            .zip(&self.modes)
            .map(|(c, m)| quote(&m.load_name(c)))
            .collect();
        if self.upsert_delete {
            items.push(quote(OP_COLUMN));
        }
        for (c, m) in self.columns.iter().zip(&self.modes) {
            if *m == ColumnMode::HexBinary {
                items.push(format!(
                    "{}=hex_decode_binary({})",
                    quote(c),
                    quote(&m.load_name(c))
                ));
            }
        }
        Some(items.join(","))
    }
}

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
