//! Generated rows through the CSV and JSON encoders. JSON bodies parse back (serde_json) to the
//! values of the rows; CSV rows split back, at the first row delimiter and then at each column
//! separator, into exactly the fields written. A row is refused (naming its column, the chunk
//! left as it was) exactly when one of its values cannot be loaded or its text would split
//! differently.

use memchr::memmem;
use proptest::collection::vec;
use proptest::prelude::*;

use super::model::{json_like, row_kind, text, value, Model, ModelFrame};
use super::oracle::{self, json_matches, scalar_text, text_matches, Json, Text};
use crate::encode::frame::{Frame, FrameReader, RowKind, Value};
use crate::encode::{json, op_of, text as encode_text, ColumnMode, RowEncoder};
use crate::options::Format;

/// Columns of a sink and rows for it.
#[derive(Debug, Clone)]
struct Table {
    columns: Vec<String>,
    modes: Vec<ColumnMode>,
    upsert_delete: bool,
    rows: Vec<(RowKind, Vec<Model>)>,
}

fn table() -> impl Strategy<Value = Table> {
    let mode = proptest::sample::select(
        &[
            ColumnMode::Value,
            ColumnMode::Value,
            ColumnMode::JsonText,
            ColumnMode::HexBinary,
        ][..],
    );
    (1usize..6)
        .prop_flat_map(move |n| (vec(text(4), n), vec(mode.clone(), n), any::<bool>()))
        .prop_flat_map(|(names, modes, upsert_delete)| {
            // The fields of a JSON column are mostly JSON-like strings.
            let row: Vec<BoxedStrategy<Model>> = modes
                .iter()
                .map(|m| match m {
                    ColumnMode::JsonText => prop_oneof![
                        1 => value(),
                        3 => json_like().prop_map(Model::String),
                    ]
                    .boxed(),
                    _ => value().boxed(),
                })
                .collect();
            (
                Just(names),
                Just(modes),
                Just(upsert_delete),
                vec((row_kind(), row), 1..4),
            )
        })
        .prop_map(|(names, modes, upsert_delete, rows)| Table {
            // Distinct, and never `__op`.
            columns: names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{i}{n}"))
                .collect(),
            modes,
            upsert_delete,
            rows,
        })
}

/// Bytes of separators and delimiters: the usual ones, and ones that values hold.
const CSV_BYTES: &[u8] = &[
    b'\t', b'\n', b'|', b',', b'-', b'0', b'1', b':', b' ', b'.', b'\\', b'N', b'"', 0x01, 0xC3,
];

/// A column separator and a row delimiter (1 to 3 bytes, different, the delimiter not inside the
/// separator), often of bytes that occur in values.
fn csv_format() -> impl Strategy<Value = Format> {
    let delimiter = vec(proptest::sample::select(CSV_BYTES), 1..=3);
    prop_oneof![
        1 => Just((b"\t".to_vec(), b"\n".to_vec())),
        4 => (delimiter.clone(), delimiter),
    ]
    // As the options allow them.
    .prop_filter("separator and delimiter differ", |(s, d)| {
        s != d && memmem::find(s, d).is_none()
    })
    .prop_map(|(column_separator, row_delimiter)| Format::Csv {
        column_separator,
        row_delimiter,
    })
}

/// Decodes the frame of `fields` and calls `f` with the decoded values.
fn with_values<T>(kind: RowKind, fields: &[Model], f: impl FnOnce(&[Value<'_>]) -> T) -> T {
    let mut buf = Vec::new();
    ModelFrame::Row {
        kind,
        table: 0,
        fields: fields.to_vec(),
    }
    .write(&mut buf);
    let Some(Ok(Frame::Row { fields, .. })) = FrameReader::new(&buf).next() else {
        panic!("a valid frame does not decode")
    };
    f(&fields)
}

/// The index of the column a row error names (`columns.len()` for `__op`).
fn column_at_fault(message: &str, columns: &[String]) -> usize {
    columns
        .iter()
        .chain(std::iter::once(&crate::encode::OP_COLUMN.to_string()))
        .position(|c| message.contains(&format!(", column '{c}': ")))
        .unwrap_or_else(|| panic!("the error names no column: {message}"))
}

impl Table {
    fn encoder(&self, format: &Format) -> RowEncoder {
        RowEncoder::new(
            format,
            "db.t".into(),
            self.columns.clone(),
            self.modes.clone(),
            self.upsert_delete,
        )
    }
}

fn load_name(column: &str, mode: ColumnMode) -> String {
    match mode {
        ColumnMode::HexBinary => format!("__sr_hex_{column}"),
        _ => column.to_string(),
    }
}

proptest! {
    #[test]
    fn json_rows_parse_back_to_their_values(t in table()) {
        let enc = t.encoder(&Format::Json);
        let mut chunk = enc.new_chunk();
        let mut expected = Vec::new();
        for (n, (kind, fields)) in t.rows.iter().enumerate() {
            let want: Vec<_> = fields
                .iter()
                .zip(&t.modes)
                .map(|(f, m)| oracle::top_json(f, *m == ColumnMode::JsonText))
                .collect();
            let before = (chunk.data.clone(), chunk.rows);
            let result =
                with_values(*kind, fields, |v| enc.append_row(&mut chunk, *kind, v, n as u64));
            match (want.iter().position(Result::is_err), result) {
                (None, Ok(())) => {
                    let mut object: Vec<(String, Json)> = t
                        .columns
                        .iter()
                        .zip(&t.modes)
                        .zip(want)
                        .map(|((c, m), j)| (load_name(c, *m), j.unwrap()))
                        .collect();
                    if t.upsert_delete {
                        object.push(("__op".into(), Json::Int(i64::from(op_of(*kind)))));
                    }
                    expected.push(Json::Obj(object));
                }
                (Some(c), Err(e)) => {
                    prop_assert_eq!(column_at_fault(e.message(), &t.columns), c, "{}", e);
                    let row = format!("row #{n} for table db.t");
                    prop_assert!(e.message().contains(&row), "{}", e);
                    prop_assert_eq!(&(chunk.data.clone(), chunk.rows), &before);
                }
                (want, got) => {
                    let why = format!("row #{n}: refusal expected at {want:?}, got {got:?}");
                    prop_assert!(false, "{}", why);
                }
            }
        }
        enc.finish_chunk(&mut chunk);
        let parsed: serde_json::Value = serde_json::from_slice(&chunk.data).map_err(|e| {
            TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(&chunk.data)))
        })?;
        prop_assert_eq!(chunk.rows as usize, expected.len());
        let expected = Json::Arr(expected);
        prop_assert!(json_matches(&expected, &parsed), "{:?}\n{}", expected, parsed);
    }

    #[test]
    fn csv_rows_split_back_into_their_fields(t in table(), format in csv_format()) {
        let Format::Csv { column_separator: sep, row_delimiter: delim } = &format else {
            unreachable!()
        };
        let enc = t.encoder(&format);
        let mut chunk = enc.new_chunk();
        for (n, (kind, fields)) in t.rows.iter().enumerate() {
            let mut texts = with_values(*kind, fields, |values| {
                fields
                    .iter()
                    .zip(values)
                    .zip(&t.modes)
                    .map(|((m, v), mode)| csv_text(m, v, *mode))
                    .collect::<Vec<_>>()
            });
            if t.upsert_delete {
                texts.push(Some(vec![b'0' + op_of(*kind)]));
            }
            let refused = texts.iter().position(Option::is_none);
            let start = chunk.data.len();
            let before = (chunk.data.clone(), chunk.rows);
            let result =
                with_values(*kind, fields, |v| enc.append_row(&mut chunk, *kind, v, n as u64));
            match result {
                Ok(()) => {
                    prop_assert_eq!(refused, None, "a refused value was written");
                    let texts: Vec<Vec<u8>> = texts.into_iter().map(Option::unwrap).collect();
                    let row = &chunk.data[start..];
                    let mut expected = texts.join(&sep[..]);
                    expected.extend_from_slice(delim);
                    prop_assert_eq!(row, &expected[..]);
                    prop_assert_eq!(
                        split_row(row, sep, delim),
                        Some(texts.iter().map(Vec::as_slice).collect::<Vec<_>>()),
                        "the row splits into other fields: {:?}", row.escape_ascii().to_string()
                    );
                }
                Err(e) => {
                    let c = column_at_fault(e.message(), &t.columns);
                    prop_assert_eq!(&(chunk.data.clone(), chunk.rows), &before);
                    let first_refused = refused.unwrap_or(texts.len());
                    prop_assert!(c <= first_refused, "{} before value {}", e, first_refused);
                    if Some(c) != refused {
                        let written: Vec<Vec<u8>> =
                            texts[..=c].iter().cloned().map(Option::unwrap).collect();
                        prop_assert!(
                            !prefix_splits(&written, c + 1 < texts.len(), sep, delim),
                            "refused a row that splits back: {}", e
                        );
                    }
                }
            }
        }
    }

    /// A raw CSV record is accepted exactly when it ends at its own row delimiter.
    #[test]
    fn raw_csv_records_are_one_row(
        format in csv_format(),
        record in vec(prop_oneof![any::<u8>(), proptest::sample::select(CSV_BYTES)], 0..16),
    ) {
        let Format::Csv { row_delimiter: delim, .. } = &format else { unreachable!() };
        let enc = RowEncoder::new(&format, "db.t".into(), vec![], vec![], false);
        let mut chunk = enc.new_chunk();
        let result = enc.append_raw(&mut chunk, &record, 1);
        let mut row = record.clone();
        row.extend_from_slice(delim);
        let one_row = memmem::find(&row, delim) == Some(record.len());
        prop_assert_eq!(result.is_ok(), one_row, "{:?}", result);
        prop_assert_eq!(chunk.data, if one_row { row } else { Vec::new() });
    }
}

/// The CSV text of a field as the encoder writes it, checked against the oracle; `None` when the
/// value cannot be loaded in CSV.
fn csv_text(m: &Model, v: &Value<'_>, mode: ColumnMode) -> Option<Vec<u8>> {
    match m {
        Model::Null => Some(b"\\N".to_vec()),
        Model::String(s) => {
            let s = std::str::from_utf8(s).ok()?.as_bytes();
            let s = if mode == ColumnMode::JsonText {
                oracle::json_column(s).ok()?;
                s.trim_ascii()
            } else {
                s
            };
            (s != b"\\N").then(|| s.to_vec())
        }
        Model::Array(_) | Model::Map(_) | Model::Row(_) => {
            let mut out = Vec::new();
            let written = json::nested_value(&mut out, v);
            let expected = oracle::nested_json(m);
            assert_eq!(written.is_ok(), expected.is_ok(), "{m:?}: {written:?}");
            let parsed: serde_json::Value = serde_json::from_slice(written.ok().map(|_| &out)?)
                .unwrap_or_else(|e| panic!("{m:?} as JSON text: {e}"));
            assert!(json_matches(&expected.unwrap(), &parsed), "{m:?}: {parsed}");
            Some(out)
        }
        _ => {
            let mut out = Vec::new();
            let written = encode_text::write_scalar(&mut out, v);
            let expected = scalar_text(m);
            assert_eq!(
                written.is_ok(),
                expected != Text::Refused,
                "{m:?}: {written:?}"
            );
            written.ok()?;
            let text = String::from_utf8(out).expect("scalar text is ASCII");
            assert!(
                text_matches(&expected, &text),
                "{m:?}: {text} is not {expected:?}"
            );
            Some(text.into_bytes())
        }
    }
}

/// Splits a CSV row as StarRocks reads it: the row ends at the first row delimiter, each field
/// at the next column separator (leftmost, non-overlapping). `None` unless the row ends exactly
/// at its delimiter.
fn split_row<'a>(row: &'a [u8], sep: &[u8], delim: &[u8]) -> Option<Vec<&'a [u8]>> {
    let end = memmem::find(row, delim)?;
    (end + delim.len() == row.len()).then(|| split(&row[..end], sep))
}

fn split<'a>(mut body: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut fields = Vec::new();
    while let Some(i) = memmem::find(body, sep) {
        fields.push(&body[..i]);
        body = &body[i + sep.len()..];
    }
    fields.push(body);
    fields
}

/// Whether the start of a row, `fields` followed by a separator (`more`) or by the delimiter,
/// reads back as these fields.
fn prefix_splits(fields: &[Vec<u8>], more: bool, sep: &[u8], delim: &[u8]) -> bool {
    let mut row = fields.join(sep);
    let expected: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
    if more {
        row.extend_from_slice(sep);
        let mut with_next = expected;
        with_next.push(b"");
        memmem::find(&row, delim).is_none() && split(&row, sep) == with_next
    } else {
        row.extend_from_slice(delim);
        split_row(&row, sep, delim) == Some(expected)
    }
}
