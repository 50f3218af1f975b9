//! CSV rows: fields joined by the column separator, `\N` for NULL, every row followed by the row
//! delimiter. StarRocks CSV has no escaping by default: it ends a row at the first row delimiter
//! and a field at the next column separator. A value whose text would make the row read back
//! differently (it holds the separator or the delimiter, or forms one with the separator or
//! delimiter next to it, or a string is exactly `\N`) is refused with a message naming the
//! column, never written. So is a string that is not UTF-8 (StarRocks filters the row). ARRAY,
//! MAP and ROW values are written as JSON text.

use memchr::memmem::Finder;

use super::frame::Value;
use super::{json, json_text, text, ColumnMode};

#[derive(Debug, Clone)]
pub(super) struct CsvEncoder {
    modes: Vec<ColumnMode>,
    separator: Vec<u8>,
    delimiter: Vec<u8>,
    find_separator: Finder<'static>,
    find_delimiter: Finder<'static>,
    split: Split,
}

/// How the texts of a row are checked to read back as written.
#[derive(Debug, Clone, Copy)]
enum Split {
    /// A single-byte separator and delimiter: a text breaks the row only by holding one of them,
    /// which the text of a number, date, time, BINARY, NULL or `__op` can only when `scalars`.
    Bytes {
        separator: u8,
        delimiter: u8,
        scalars: bool,
    },
    /// A separator or delimiter of several bytes: every text is checked where it stands, with the
    /// separator or delimiter that follows it (they may overlap).
    InPlace,
}

const NULL: &[u8] = b"\\N";

/// Every byte the text of a number, decimal, date, time, BINARY (hex), NULL or `__op` can hold.
const SCALAR_BYTES: &[u8] = b"0123456789abcdef-.: \\N";

impl CsvEncoder {
    /// `separator` must not contain `delimiter` (the options refuse that).
    pub(super) fn new(separator: &[u8], delimiter: &[u8], modes: &[ColumnMode]) -> Self {
        let split = match (separator, delimiter) {
            ([s], [d]) => Split::Bytes {
                separator: *s,
                delimiter: *d,
                scalars: SCALAR_BYTES.contains(s) || SCALAR_BYTES.contains(d),
            },
            _ => Split::InPlace,
        };
        CsvEncoder {
            modes: modes.to_vec(),
            separator: separator.to_vec(),
            delimiter: delimiter.to_vec(),
            find_separator: Finder::new(separator).into_owned(),
            find_delimiter: Finder::new(delimiter).into_owned(),
            split,
        }
    }

    /// Appends one row (with `__op` last when given); on error returns the column index (that
    /// of `__op` is `fields.len()`) and the reason.
    pub(super) fn append_row(
        &self,
        out: &mut Vec<u8>,
        fields: &[Value<'_>],
        op: Option<u8>,
    ) -> Result<(), (usize, String)> {
        let row_start = out.len();
        let texts = fields.len() + usize::from(op.is_some());
        for i in 0..texts {
            let start = out.len();
            let scalar = match fields.get(i) {
                Some(v) => {
                    self.value(out, v, self.modes[i]).map_err(|e| (i, e))?;
                    !matches!(
                        v,
                        Value::String(_) | Value::Array(_) | Value::Map(_) | Value::Row(_)
                    )
                }
                None => {
                    out.push(b'0' + op.unwrap_or_default());
                    true
                }
            };
            self.check(out, row_start, start, i + 1 < texts, scalar)
                .map_err(|e| (i, e))?;
        }
        Ok(())
    }

    /// Checks the text written from `start` and appends the separator (`more`) or the row
    /// delimiter after it.
    fn check(
        &self,
        out: &mut Vec<u8>,
        row_start: usize,
        start: usize,
        more: bool,
        scalar: bool,
    ) -> Result<(), String> {
        match self.split {
            Split::Bytes {
                separator,
                delimiter,
                scalars,
            } => {
                if !scalar || scalars {
                    if let Some(i) = memchr::memchr2(separator, delimiter, &out[start..]) {
                        return Err(self.holds(out[start + i] == separator));
                    }
                }
            }
            Split::InPlace => {
                if self.find_separator.find(&out[start..]).is_some() {
                    return Err(self.holds(true));
                }
                if more && self.separator_overlaps(&out[start..]) {
                    return Err(format!(
                        "the value ends with the start of the CSV column separator {} and would \
                         be split early; {}",
                        printable(&self.separator),
                        self.advice("column_separator")
                    ));
                }
            }
        }
        out.extend_from_slice(if more {
            &self.separator
        } else {
            &self.delimiter
        });
        if let Split::InPlace = self.split {
            // The first delimiter must be the row's own: none may end in this text or the
            // separator after it (the ones before were checked with their own texts).
            let from = start
                .saturating_sub(self.delimiter.len() - 1)
                .max(row_start);
            let found = self.find_delimiter.find(&out[from..]).map(|i| from + i);
            let own = (!more).then(|| out.len() - self.delimiter.len());
            if found != own {
                return Err(format!(
                    "the CSV row delimiter {} would occur in the value or across it and the \
                     separator next to it; {}",
                    printable(&self.delimiter),
                    self.advice("row_delimiter")
                ));
            }
        }
        Ok(())
    }

    /// Whether the separator would be found inside `text` followed by the separator: at a
    /// suffix of `text` that starts the separator.
    fn separator_overlaps(&self, text: &[u8]) -> bool {
        let tail = &text[text.len().saturating_sub(self.separator.len() - 1)..];
        let mut window = tail.to_vec();
        window.extend_from_slice(&self.separator);
        self.find_separator.find(&window) != Some(tail.len())
    }

    fn holds(&self, separator: bool) -> String {
        if separator {
            format!(
                "the value contains the CSV column separator {}; {}",
                printable(&self.separator),
                self.advice("column_separator")
            )
        } else {
            format!(
                "the value contains the CSV row delimiter {}; {}",
                printable(&self.delimiter),
                self.advice("row_delimiter")
            )
        }
    }

    fn advice(&self, property: &str) -> String {
        format!("use 'sink.properties.format' = 'json' or another 'sink.properties.{property}'")
    }

    pub(super) fn append_raw(&self, out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), String> {
        let start = out.len();
        out.extend_from_slice(bytes);
        out.extend_from_slice(&self.delimiter);
        // The row must end at its own delimiter, not at one inside or overlapping the record.
        if self.find_delimiter.find(&out[start..]) != Some(bytes.len()) {
            out.truncate(start);
            return Err(
                "the record contains the row delimiter; each record must be exactly one CSV row"
                    .to_string(),
            );
        }
        Ok(())
    }

    /// Writes the text of one value (the split checks come after).
    fn value(&self, out: &mut Vec<u8>, v: &Value<'_>, mode: ColumnMode) -> Result<(), String> {
        match *v {
            Value::Null => out.extend_from_slice(NULL),
            Value::String(s) => {
                let s = text::utf8(s)?.as_bytes();
                let s = if mode == ColumnMode::JsonText {
                    json_text::checked(s)?
                } else {
                    s
                };
                if s == NULL {
                    return Err(
                        "the string \\N would load as NULL in CSV; use 'sink.properties.format' = 'json'"
                            .to_string(),
                    );
                }
                out.extend_from_slice(s);
            }
            // As JSON text, which StarRocks parses for ARRAY, MAP, STRUCT and JSON columns.
            Value::Array(_) | Value::Map(_) | Value::Row(_) => json::nested_value(out, v)?,
            _ => text::write_scalar(out, v)?,
        }
        Ok(())
    }
}

fn printable(bytes: &[u8]) -> String {
    format!("'{}'", bytes.escape_ascii())
}
