//! CSV rows: fields joined by the column separator, `\N` for NULL, every row followed by the row
//! delimiter. StarRocks CSV has no escaping by default, so a string that contains the separator or
//! the delimiter (or is exactly `\N`) would load as different data: such a value is refused with a
//! message naming the column, never written. So is a string that is not UTF-8 (StarRocks filters
//! the row). ARRAY, MAP and ROW values are written as JSON text.

use memchr::memmem::Finder;

use super::frame::Value;
use super::{json, text, ColumnMode};

#[derive(Debug, Clone)]
pub(super) struct CsvEncoder {
    modes: Vec<ColumnMode>,
    separator: Vec<u8>,
    delimiter: Vec<u8>,
    find_separator: Finder<'static>,
    find_delimiter: Finder<'static>,
}

const NULL: &[u8] = b"\\N";

impl CsvEncoder {
    pub(super) fn new(separator: &[u8], delimiter: &[u8], modes: &[ColumnMode]) -> Self {
        CsvEncoder {
            modes: modes.to_vec(),
            separator: separator.to_vec(),
            delimiter: delimiter.to_vec(),
            find_separator: Finder::new(separator).into_owned(),
            find_delimiter: Finder::new(delimiter).into_owned(),
        }
    }

    /// Appends one row (with `__op` last when given); on error returns the column index and the
    /// reason.
    pub(super) fn append_row(
        &self,
        out: &mut Vec<u8>,
        fields: &[Value<'_>],
        op: Option<u8>,
    ) -> Result<(), (usize, String)> {
        for (i, v) in fields.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(&self.separator);
            }
            self.value(out, v, self.modes[i]).map_err(|e| (i, e))?;
        }
        if let Some(op) = op {
            out.extend_from_slice(&self.separator);
            out.push(b'0' + op);
        }
        out.extend_from_slice(&self.delimiter);
        Ok(())
    }

    pub(super) fn append_raw(&self, out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), String> {
        if self.find_delimiter.find(bytes).is_some() {
            return Err(
                "the record contains the row delimiter; each record must be exactly one CSV row"
                    .to_string(),
            );
        }
        out.extend_from_slice(bytes);
        out.extend_from_slice(&self.delimiter);
        Ok(())
    }

    fn value(&self, out: &mut Vec<u8>, v: &Value<'_>, mode: ColumnMode) -> Result<(), String> {
        match *v {
            Value::Null => out.extend_from_slice(NULL),
            Value::String(s) => {
                let s = text::utf8(s)?.as_bytes();
                let s = if mode == ColumnMode::JsonText {
                    text::json_text(s)?
                } else {
                    s
                };
                self.check_text(s)?;
                if s == NULL {
                    return Err(
                        "the string \\N would load as NULL in CSV; use 'sink.properties.format' = 'json'"
                            .to_string(),
                    );
                }
                out.extend_from_slice(s);
            }
            Value::Array(_) | Value::Map(_) | Value::Row(_) => {
                // As JSON text, which StarRocks parses for ARRAY, MAP, STRUCT and JSON columns.
                let start = out.len();
                json::nested_value(out, v)?;
                self.check_text(&out[start..])?;
            }
            _ => text::write_scalar(out, v)?,
        }
        Ok(())
    }

    /// Refuses text that holds the separator or the delimiter (StarRocks CSV has no escaping).
    fn check_text(&self, s: &[u8]) -> Result<(), String> {
        // One pass when both are single bytes (the usual \t and \n).
        if let ([sep], [delim]) = (self.separator.as_slice(), self.delimiter.as_slice()) {
            if memchr::memchr2(*sep, *delim, s).is_none() {
                return Ok(());
            }
        }
        if self.find_separator.find(s).is_some() {
            return Err(format!(
                "the value contains the CSV column separator {}; use 'sink.properties.format' = \
                 'json' or another 'sink.properties.column_separator'",
                printable(&self.separator)
            ));
        }
        if self.find_delimiter.find(s).is_some() {
            return Err(format!(
                "the value contains the CSV row delimiter {}; use 'sink.properties.format' = \
                 'json' or another 'sink.properties.row_delimiter'",
                printable(&self.delimiter)
            ));
        }
        Ok(())
    }
}

fn printable(bytes: &[u8]) -> String {
    format!("'{}'", bytes.escape_ascii())
}
