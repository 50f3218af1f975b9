//! CSV with `enclose` and/or `escape` (spec §8.1, 3.0+): a byte-wise reader used only when one of
//! them is set (plain CSV keeps the fast `csv` reader). The enclose byte wraps a field in which
//! separators and row delimiters are literal; a doubled enclose byte inside is a literal enclose
//! byte; the escape byte makes the next byte literal inside and outside enclosed fields.
//! `trim_space` strips spaces around unenclosed fields and outside the enclose bytes.
//! A field written exactly `\N` (not enclosed) is NULL [emulator choice: also when `\` is the
//! escape byte]. A record may span chunks and loads; an unfinished record is re-read when more
//! bytes arrive.

use crate::data::sink::RowSink;
use crate::load::plan::CsvFormat;

/// One parsed record: bytes consumed (record + delimiter) and the raw record length.
struct Parsed {
    consumed: usize,
    raw_len: usize,
}

/// Incremental reader for enclosed/escaped CSV.
pub struct EnclosedCsvReader {
    format: CsvFormat,
    header_left: u64,
    pending: Vec<u8>,
    values: Vec<u8>,
    ranges: Vec<(usize, usize)>,
}

impl EnclosedCsvReader {
    pub fn new(format: &CsvFormat) -> EnclosedCsvReader {
        EnclosedCsvReader {
            format: format.clone(),
            header_left: format.skip_header,
            pending: Vec::new(),
            values: Vec::new(),
            ranges: Vec::new(),
        }
    }

    /// Feeds the next piece of the body.
    pub fn feed(&mut self, chunk: &[u8], sink: &mut RowSink) {
        self.pending.extend_from_slice(chunk);
        self.drain(false, sink);
    }

    /// Ends the input: a last record without a trailing delimiter still counts.
    pub fn finish(&mut self, sink: &mut RowSink) {
        self.drain(true, sink);
        self.pending.clear();
    }

    fn drain(&mut self, eof: bool, sink: &mut RowSink) {
        let data = std::mem::take(&mut self.pending);
        let mut pos = 0;
        while pos < data.len() {
            let Some(parsed) = self.parse(&data[pos..], eof) else {
                break;
            };
            let record = &data[pos..pos + parsed.raw_len];
            pos += parsed.consumed;
            if record.is_empty() {
                continue;
            }
            if self.header_left > 0 {
                self.header_left -= 1;
                continue;
            }
            sink.csv_record(record, &self.values, &self.ranges);
        }
        self.pending = data;
        self.pending.drain(..pos);
    }

    /// Parses one record at the start of `data` into `values`/`ranges`; `None` when the record
    /// is not complete yet (and `eof` is false).
    fn parse(&mut self, data: &[u8], eof: bool) -> Option<Parsed> {
        let f = &self.format;
        let row = f.row_delimiter.as_slice();
        let sep = f.column_separator.as_slice();
        self.values.clear();
        self.ranges.clear();
        let mut field = FieldState::new(0, 0);
        let mut i = 0;
        loop {
            if i >= data.len() {
                if !eof {
                    return None;
                }
                field.finish(&mut self.values, &mut self.ranges, data, i, f.trim_space);
                return Some(Parsed {
                    consumed: i,
                    raw_len: i,
                });
            }
            let c = data[i];
            if field.in_quotes {
                if Some(c) == f.enclose {
                    if data.get(i + 1) == Some(&c) {
                        self.values.push(c);
                        i += 2;
                        continue;
                    }
                    if i + 1 >= data.len() && !eof {
                        return None;
                    }
                    field.in_quotes = false;
                    field.closed_at = Some(self.values.len());
                    i += 1;
                    continue;
                }
                if Some(c) == f.escape {
                    if i + 1 >= data.len() {
                        if !eof {
                            return None;
                        }
                        i += 1;
                        continue;
                    }
                    self.values.push(data[i + 1]);
                    i += 2;
                    continue;
                }
                self.values.push(c);
                i += 1;
                continue;
            }
            if data[i..].starts_with(row) {
                field.finish(&mut self.values, &mut self.ranges, data, i, f.trim_space);
                return Some(Parsed {
                    consumed: i + row.len(),
                    raw_len: i,
                });
            }
            if data[i..].starts_with(sep) {
                field.finish(&mut self.values, &mut self.ranges, data, i, f.trim_space);
                i += sep.len();
                field = FieldState::new(self.values.len(), i);
                continue;
            }
            let at_start = self.values[field.start..].iter().all(|&b| b == b' ')
                && (f.trim_space || self.values.len() == field.start);
            if Some(c) == f.enclose && !field.enclosed && at_start {
                self.values.truncate(field.start);
                field.in_quotes = true;
                field.enclosed = true;
                i += 1;
                continue;
            }
            if Some(c) == f.escape {
                if i + 1 >= data.len() {
                    if !eof {
                        return None;
                    }
                    i += 1;
                    continue;
                }
                self.values.push(data[i + 1]);
                i += 2;
                continue;
            }
            self.values.push(c);
            i += 1;
        }
    }
}

/// The field being read.
struct FieldState {
    /// Start of the field in `values`.
    start: usize,
    /// Start of the field in the raw record.
    raw_start: usize,
    in_quotes: bool,
    enclosed: bool,
    /// End of the enclosed content in `values`.
    closed_at: Option<usize>,
}

impl FieldState {
    fn new(start: usize, raw_start: usize) -> FieldState {
        FieldState {
            start,
            raw_start,
            in_quotes: false,
            enclosed: false,
            closed_at: None,
        }
    }

    fn finish(
        &self,
        values: &mut Vec<u8>,
        ranges: &mut Vec<(usize, usize)>,
        raw: &[u8],
        raw_end: usize,
        trim_space: bool,
    ) {
        let mut start = self.start;
        let mut end = values.len();
        if self.enclosed {
            if trim_space {
                let content_end = self.closed_at.unwrap_or(end);
                while end > content_end && values[end - 1] == b' ' {
                    end -= 1;
                }
            }
        } else {
            if raw.get(self.raw_start..raw_end) == Some(b"\\N".as_slice()) {
                values.truncate(start);
                values.extend_from_slice(b"\\N");
                end = values.len();
            }
            if trim_space {
                while start < end && values[start] == b' ' {
                    start += 1;
                }
                while end > start && values[end - 1] == b' ' {
                    end -= 1;
                }
            }
        }
        ranges.push((start, end));
    }
}
