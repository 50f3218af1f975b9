//! One load's data path: the reader for its format (plain CSV, enclosed/escaped CSV, JSON), the
//! optional whole-body codec, and the row sink. A plain Stream Load feeds one body; a
//! transaction keeps its pipeline across `load` requests, so CSV bodies are concatenated into one
//! stream (spec §5.5) while each JSON body is parsed as a complete document. `finish` ends the
//! stream (the unterminated last CSV record counts). Count-only ingest streams JSON bodies too
//! (`JsonCounter`): nothing is buffered but the unfinished element.

use std::io;

use crate::data::csv::CsvReader;
use crate::data::csv_enclosed::EnclosedCsvReader;
use crate::data::json::load_json;
use crate::data::json_count::JsonCounter;
use crate::data::sink::{Counters, Ingest, RowSink};
use crate::http::conn::Conn;
use crate::http::request::BodyFraming;
use crate::load::plan::{DataFormat, LoadPlan};
use crate::storage::table::StagedRows;

/// Why a body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// The client went away (or the framing ended early): no one to answer.
    ClientGone,
    /// Malformed framing or a body that does not decompress: fail the load with this message.
    Invalid(String),
    /// An injected reset after this many body bytes (fault injection).
    Reset,
}

enum Reader {
    Csv(CsvReader),
    Enclosed(EnclosedCsvReader),
    /// Parsed once the body is complete.
    Json,
    /// Count-only ingest without `json_root`: streamed, each body a complete document.
    JsonCount(JsonCounter),
}

/// Reader, codec and sink of one load (or of one transaction's loads).
pub struct Pipeline {
    format: DataFormat,
    compression: Option<crate::data::compression::Codec>,
    reader: Reader,
    sink: RowSink,
}

impl Pipeline {
    pub fn new(plan: &LoadPlan, ingest: Ingest) -> Pipeline {
        let reader = match &plan.format {
            DataFormat::Csv(f) if f.enclose.is_some() || f.escape.is_some() => {
                Reader::Enclosed(EnclosedCsvReader::new(f))
            }
            DataFormat::Csv(f) => Reader::Csv(CsvReader::new(f, ingest == Ingest::CountOnly)),
            DataFormat::Json(f) if ingest == Ingest::CountOnly && f.json_root.is_none() => {
                Reader::JsonCount(JsonCounter::new(f))
            }
            DataFormat::Json(_) => Reader::Json,
        };
        Pipeline {
            format: plan.format.clone(),
            compression: plan.compression,
            reader,
            sink: RowSink::new(plan, ingest),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        match &mut self.reader {
            Reader::Csv(r) => r.feed(bytes, &mut self.sink),
            Reader::Enclosed(r) => r.feed(bytes, &mut self.sink),
            Reader::Json => {
                if let DataFormat::Json(opts) = &self.format {
                    load_json(bytes, opts, &mut self.sink);
                }
            }
            Reader::JsonCount(c) => {
                c.feed(bytes);
                c.finish(&mut self.sink);
            }
        }
    }

    /// Reads one request body into the pipeline; `bytes` counts received (raw) bytes as they
    /// arrive. `reset_after` stops with `BodyError::Reset` once that many bytes were received.
    pub async fn read_body(
        &mut self,
        conn: &mut Conn,
        framing: BodyFraming,
        reset_after: Option<u64>,
        bytes: &mut u64,
    ) -> Result<(), BodyError> {
        let start = *bytes;
        let streaming = self.compression.is_none() && !matches!(self.reader, Reader::Json);
        let mut buffer = Vec::new();
        if let Reader::JsonCount(c) = &mut self.reader {
            c.reset();
        }
        let mut body = conn.body(framing);
        loop {
            let chunk = match body.next_chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                    return Err(BodyError::Invalid(e.to_string()))
                }
                Err(_) => return Err(BodyError::ClientGone),
            };
            *bytes += chunk.len() as u64;
            if streaming {
                match &mut self.reader {
                    Reader::Csv(r) => r.feed(chunk, &mut self.sink),
                    Reader::Enclosed(r) => r.feed(chunk, &mut self.sink),
                    Reader::JsonCount(c) => c.feed(chunk),
                    Reader::Json => {}
                }
            } else {
                buffer.extend_from_slice(chunk);
            }
            if reset_after.is_some_and(|n| *bytes - start >= n) {
                return Err(BodyError::Reset);
            }
        }
        if !streaming {
            let data = match self.compression {
                Some(codec) => codec.decompress(&buffer).map_err(BodyError::Invalid)?,
                None => buffer,
            };
            self.feed(&data);
        } else if let Reader::JsonCount(c) = &mut self.reader {
            c.finish(&mut self.sink);
        }
        Ok(())
    }

    /// Ends the input: the last CSV record without a trailing delimiter counts.
    pub fn finish(&mut self) {
        match &mut self.reader {
            Reader::Csv(r) => r.finish(&mut self.sink),
            Reader::Enclosed(r) => r.finish(&mut self.sink),
            Reader::Json | Reader::JsonCount(_) => {}
        }
    }

    pub fn counters(&self) -> Counters {
        self.sink.counters()
    }

    pub fn error_lines(&self) -> &[String] {
        self.sink.error_lines()
    }

    /// The staged rows (empty in discard and count-only modes).
    pub fn into_staged(self) -> StagedRows {
        self.sink.into_staged()
    }
}
