//! Streaming CSV reader (spec §8.1): splits the body into records on `row_delimiter` and records
//! into fields on `column_separator` (both arbitrary byte strings; single bytes use `memchr`,
//! longer ones `memmem`), skips empty records and `skip_header` records, optionally trims spaces
//! around fields, and feeds the row sink. No quoting or escaping: with `enclose`/`escape` the
//! byte-wise `csv_enclosed` reader is used instead. A record may span body chunks (and, in a
//! transaction, loads); only the unfinished tail is carried over. In count-only ingest a
//! non-empty record past the header is just counted.

use memchr::memmem;

use crate::data::sink::RowSink;
use crate::load::plan::CsvFormat;

/// Finds a delimiter.
enum Splitter {
    Byte(u8),
    Bytes(Box<memmem::Finder<'static>>),
}

impl Splitter {
    fn new(delimiter: &[u8]) -> Splitter {
        match delimiter {
            [b] => Splitter::Byte(*b),
            many => Splitter::Bytes(Box::new(memmem::Finder::new(many).into_owned())),
        }
    }

    fn find(&self, haystack: &[u8]) -> Option<usize> {
        match self {
            Splitter::Byte(b) => memchr::memchr(*b, haystack),
            Splitter::Bytes(f) => f.find(haystack),
        }
    }

    fn len(&self) -> usize {
        match self {
            Splitter::Byte(_) => 1,
            Splitter::Bytes(f) => f.needle().len(),
        }
    }
}

/// Incremental CSV reader of one load.
pub struct CsvReader {
    rows: Splitter,
    fields: Splitter,
    header_left: u64,
    trim_space: bool,
    pending: Vec<u8>,
    ranges: Vec<(usize, usize)>,
    /// Count-only ingest: records are counted, not split into fields.
    count_only: bool,
}

impl CsvReader {
    pub fn new(format: &CsvFormat, count_only: bool) -> CsvReader {
        CsvReader {
            rows: Splitter::new(&format.row_delimiter),
            fields: Splitter::new(&format.column_separator),
            header_left: format.skip_header,
            trim_space: format.trim_space,
            pending: Vec::new(),
            ranges: Vec::new(),
            count_only,
        }
    }

    /// Feeds the next piece of the body.
    pub fn feed(&mut self, chunk: &[u8], sink: &mut RowSink) {
        if self.pending.is_empty() {
            let used = self.process(chunk, sink);
            self.pending.extend_from_slice(&chunk[used..]);
        } else {
            let mut pending = std::mem::take(&mut self.pending);
            pending.extend_from_slice(chunk);
            let used = self.process(&pending, sink);
            pending.drain(..used);
            self.pending = pending;
        }
    }

    /// Ends the body: a last record without a trailing delimiter still counts.
    pub fn finish(&mut self, sink: &mut RowSink) {
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            self.record(&pending, sink);
        }
    }

    /// Handles every complete record in `data`; returns the bytes consumed.
    fn process(&mut self, data: &[u8], sink: &mut RowSink) -> usize {
        let mut pos = 0;
        let delimiter_len = self.rows.len();
        while let Some(i) = self.rows.find(&data[pos..]) {
            let record = &data[pos..pos + i];
            self.record(record, sink);
            pos += i + delimiter_len;
        }
        pos
    }

    fn record(&mut self, record: &[u8], sink: &mut RowSink) {
        if record.is_empty() {
            return;
        }
        if self.header_left > 0 {
            self.header_left -= 1;
            return;
        }
        if self.count_only {
            sink.count_rows(1);
            return;
        }
        self.ranges.clear();
        let separator_len = self.fields.len();
        let mut start = 0;
        while let Some(i) = self.fields.find(&record[start..]) {
            self.ranges.push((start, start + i));
            start += i + separator_len;
        }
        self.ranges.push((start, record.len()));
        if self.trim_space {
            for range in &mut self.ranges {
                while range.0 < range.1 && record[range.0] == b' ' {
                    range.0 += 1;
                }
                while range.1 > range.0 && record[range.1 - 1] == b' ' {
                    range.1 -= 1;
                }
            }
        }
        sink.csv_record(record, record, &self.ranges);
    }
}
