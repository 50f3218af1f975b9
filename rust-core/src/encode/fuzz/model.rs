//! A model of row frames: owned values of every kind the layout carries, proptest strategies that
//! generate them, the bytes `RowFrameWriter` writes for them, and the model of a decoded frame (to
//! compare with what was generated).

use proptest::collection::vec;
use proptest::prelude::*;

use crate::encode::frame::{Frame, RowKind, Value, KIND_RAW};

/// One field value. Floating point values are kept as their bits, so that NaN equals itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Model {
    Null,
    Boolean(bool),
    TinyInt(i8),
    SmallInt(i16),
    Int(i32),
    BigInt(i64),
    Float(u32),
    Double(u64),
    Decimal64(i64, u8),
    DecimalBig(Vec<u8>, u8),
    /// UTF-8 text, or (rarely) any bytes.
    String(Vec<u8>),
    Date(i32),
    Timestamp {
        precision: u8,
        epoch_millis: i64,
        nano_of_milli: i32,
    },
    Time {
        precision: u8,
        millis_of_day: i32,
    },
    Binary(Vec<u8>),
    Array(Vec<Model>),
    Map(Vec<(Model, Model)>),
    Row(Vec<(String, Model)>),
}

/// One frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelFrame {
    Row {
        kind: RowKind,
        table: u32,
        fields: Vec<Model>,
    },
    Raw {
        table: u32,
        bytes: Vec<u8>,
    },
}

fn kind_byte(kind: RowKind) -> u8 {
    match kind {
        RowKind::Insert => 0,
        RowKind::UpdateBefore => 1,
        RowKind::UpdateAfter => 2,
        RowKind::Delete => 3,
    }
}

fn put_len_u32(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

impl Model {
    /// Appends the field (type byte and payload).
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Model::Null => out.push(0x00),
            Model::Boolean(b) => out.extend_from_slice(&[0x01, u8::from(*b)]),
            Model::TinyInt(v) => out.extend_from_slice(&[0x02, *v as u8]),
            Model::SmallInt(v) => {
                out.push(0x03);
                out.extend_from_slice(&v.to_le_bytes());
            }
            Model::Int(v) => {
                out.push(0x04);
                out.extend_from_slice(&v.to_le_bytes());
            }
            Model::BigInt(v) => {
                out.push(0x05);
                out.extend_from_slice(&v.to_le_bytes());
            }
            Model::Float(bits) => {
                out.push(0x06);
                out.extend_from_slice(&bits.to_le_bytes());
            }
            Model::Double(bits) => {
                out.push(0x07);
                out.extend_from_slice(&bits.to_le_bytes());
            }
            Model::Decimal64(unscaled, scale) => {
                out.extend_from_slice(&[0x08, *scale]);
                out.extend_from_slice(&unscaled.to_le_bytes());
            }
            Model::DecimalBig(bytes, scale) => {
                out.extend_from_slice(&[0x09, *scale, bytes.len() as u8]);
                out.extend_from_slice(bytes);
            }
            Model::String(s) => {
                out.push(0x0A);
                put_len_u32(out, s);
            }
            Model::Date(days) => {
                out.push(0x0B);
                out.extend_from_slice(&days.to_le_bytes());
            }
            Model::Timestamp {
                precision,
                epoch_millis,
                nano_of_milli,
            } => {
                out.extend_from_slice(&[0x0C, *precision]);
                out.extend_from_slice(&epoch_millis.to_le_bytes());
                out.extend_from_slice(&nano_of_milli.to_le_bytes());
            }
            Model::Time {
                precision,
                millis_of_day,
            } => {
                out.extend_from_slice(&[0x0D, *precision]);
                out.extend_from_slice(&millis_of_day.to_le_bytes());
            }
            Model::Binary(b) => {
                out.push(0x0E);
                put_len_u32(out, b);
            }
            Model::Array(items) => {
                out.push(0x0F);
                out.extend_from_slice(&(items.len() as u32).to_le_bytes());
                items.iter().for_each(|i| i.write(out));
            }
            Model::Map(entries) => {
                out.push(0x10);
                out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
                for (k, v) in entries {
                    k.write(out);
                    v.write(out);
                }
            }
            Model::Row(fields) => {
                out.push(0x11);
                out.extend_from_slice(&(fields.len() as u16).to_le_bytes());
                for (name, v) in fields {
                    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
                    out.extend_from_slice(name.as_bytes());
                    v.write(out);
                }
            }
        }
    }

    /// The model of a decoded value.
    pub fn of(v: &Value<'_>) -> Model {
        match *v {
            Value::Null => Model::Null,
            Value::Boolean(b) => Model::Boolean(b),
            Value::TinyInt(x) => Model::TinyInt(x),
            Value::SmallInt(x) => Model::SmallInt(x),
            Value::Int(x) => Model::Int(x),
            Value::BigInt(x) => Model::BigInt(x),
            Value::Float(x) => Model::Float(x.to_bits()),
            Value::Double(x) => Model::Double(x.to_bits()),
            Value::Decimal64(u, s) => Model::Decimal64(u, s),
            Value::DecimalBig(b, s) => Model::DecimalBig(b.to_vec(), s),
            Value::String(s) => Model::String(s.to_vec()),
            Value::Date(d) => Model::Date(d),
            Value::Timestamp {
                precision,
                epoch_millis,
                nano_of_milli,
            } => Model::Timestamp {
                precision,
                epoch_millis,
                nano_of_milli,
            },
            Value::Time {
                precision,
                millis_of_day,
            } => Model::Time {
                precision,
                millis_of_day,
            },
            Value::Binary(b) => Model::Binary(b.to_vec()),
            Value::Array(n) => Model::Array(n.elements().map(|e| Model::of(&e)).collect()),
            Value::Map(n) => Model::Map(
                n.entries()
                    .map(|(k, v)| (Model::of(&k), Model::of(&v)))
                    .collect(),
            ),
            Value::Row(n) => Model::Row(
                n.fields()
                    .map(|(name, v)| (name.to_string(), Model::of(&v)))
                    .collect(),
            ),
        }
    }
}

impl ModelFrame {
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            ModelFrame::Row {
                kind,
                table,
                fields,
            } => {
                out.push(kind_byte(*kind));
                out.extend_from_slice(&table.to_le_bytes());
                out.extend_from_slice(&(fields.len() as u16).to_le_bytes());
                fields.iter().for_each(|f| f.write(out));
            }
            ModelFrame::Raw { table, bytes } => {
                out.push(KIND_RAW);
                out.extend_from_slice(&table.to_le_bytes());
                put_len_u32(out, bytes);
            }
        }
    }

    pub fn of(f: &Frame<'_>) -> ModelFrame {
        match f {
            Frame::Row {
                kind,
                table,
                fields,
            } => ModelFrame::Row {
                kind: *kind,
                table: *table,
                fields: fields.iter().map(Model::of).collect(),
            },
            Frame::Raw { table, bytes } => ModelFrame::Raw {
                table: *table,
                bytes: bytes.to_vec(),
            },
        }
    }
}

const TEXT_CHARS: &[char] = &[
    '\t', '\n', '\r', '|', ',', '\\', 'N', '"', '\u{1}', '\u{7f}', '-', ':', ' ', '.', '0', '1',
    'e', 'é', '€', '𝄞',
];

/// Characters of text values: any, with the ones that matter to CSV and JSON encoding (separators,
/// escapes, `\N`, digits and signs of numbers and dates) often.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => proptest::sample::select(TEXT_CHARS),
    ]
}

pub fn text(max: usize) -> impl Strategy<Value = String> {
    vec(text_char(), 0..max).prop_map(|c| c.into_iter().collect())
}

/// The bytes of a STRING value: UTF-8 text, text that looks like JSON (for JSON columns), sometimes
/// arbitrary bytes.
fn string_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => text(12).prop_map(String::into_bytes),
        3 => json_like(),
        1 => vec(any::<u8>(), 0..12),
    ]
}

const ESCAPES: &[&[u8]] = &[
    b"\\ud83d\\ude00",
    b"\\ud800",
    b"\\udc00",
    b"\\n",
    b"\\u00e9",
];

/// A JSON string literal (maybe in an array, with blanks around) of text, escapes (surrogates
/// paired or not) and arbitrary bytes: mostly JSON, sometimes not.
pub fn json_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => text(3).prop_map(String::into_bytes),
        2 => proptest::sample::select(ESCAPES).prop_map(<[u8]>::to_vec),
        1 => vec(any::<u8>(), 1..3),
    ];
    (vec(piece, 0..4), any::<bool>(), " {0,2}", " {0,2}").prop_map(
        |(pieces, array, before, after)| {
            let mut s = before.into_bytes();
            s.extend_from_slice(if array { b"[1,\"" } else { b"\"" });
            pieces.iter().for_each(|p| s.extend_from_slice(p));
            s.extend_from_slice(if array { b"\"]" } else { b"\"" });
            s.extend_from_slice(after.as_bytes());
            s
        },
    )
}

pub fn row_kind() -> impl Strategy<Value = RowKind> {
    proptest::sample::select(
        &[
            RowKind::Insert,
            RowKind::UpdateBefore,
            RowKind::UpdateAfter,
            RowKind::Delete,
        ][..],
    )
}

/// Epoch milliseconds, mostly within the years StarRocks takes (0000 to 9999).
fn epoch_millis() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => -62_167_219_200_000i64..=253_402_300_799_999,
        1 => any::<i64>(),
    ]
}

/// Days since the epoch, mostly within the years 0000 to 9999.
fn days() -> impl Strategy<Value = i32> {
    prop_oneof![4 => -719_528i32..=2_932_896, 1 => any::<i32>()]
}

/// A scale, mostly one a StarRocks DECIMAL has.
fn scale() -> impl Strategy<Value = u8> {
    prop_oneof![4 => 0u8..=38, 1 => any::<u8>()]
}

/// Every scalar kind, valid as the layout defines it.
pub fn scalar() -> impl Strategy<Value = Model> {
    prop_oneof![
        Just(Model::Null),
        any::<bool>().prop_map(Model::Boolean),
        any::<i8>().prop_map(Model::TinyInt),
        any::<i16>().prop_map(Model::SmallInt),
        any::<i32>().prop_map(Model::Int),
        any::<i64>().prop_map(Model::BigInt),
        any::<f32>().prop_map(|f| Model::Float(f.to_bits())),
        any::<f64>().prop_map(|f| Model::Double(f.to_bits())),
        (any::<i64>(), scale()).prop_map(|(u, s)| Model::Decimal64(u, s)),
        (vec(any::<u8>(), 1..=17), scale()).prop_map(|(b, s)| Model::DecimalBig(b, s)),
        string_bytes().prop_map(Model::String),
        days().prop_map(Model::Date),
        (0u8..=9, epoch_millis(), 0i32..1_000_000).prop_map(
            |(precision, epoch_millis, nano_of_milli)| {
                Model::Timestamp {
                    precision,
                    epoch_millis,
                    nano_of_milli,
                }
            }
        ),
        (0u8..=9, 0i32..86_400_000).prop_map(|(precision, millis_of_day)| Model::Time {
            precision,
            millis_of_day,
        }),
        vec(any::<u8>(), 0..12).prop_map(Model::Binary),
    ]
}

/// Any value: scalars and ARRAY, MAP and ROW values of them, nested a few levels.
pub fn value() -> impl Strategy<Value = Model> {
    scalar().prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Model::Array),
            vec(
                (
                    prop_oneof![4 => scalar(), 1 => inner.clone()],
                    inner.clone()
                ),
                0..4
            )
            .prop_map(Model::Map),
            vec((text(6), inner), 0..4).prop_map(Model::Row),
        ]
    })
}

/// A typed row or a raw record.
pub fn frame() -> impl Strategy<Value = ModelFrame> {
    prop_oneof![
        4 => (row_kind(), any::<u32>(), vec(value(), 0..6)).prop_map(|(kind, table, fields)| {
            ModelFrame::Row {
                kind,
                table,
                fields,
            }
        }),
        1 => (any::<u32>(), vec(any::<u8>(), 0..24))
            .prop_map(|(table, bytes)| ModelFrame::Raw { table, bytes }),
    ]
}

/// The bytes of `frames`, and where each frame ends.
pub fn write_all(frames: &[ModelFrame]) -> (Vec<u8>, Vec<usize>) {
    let mut buf = Vec::new();
    let mut ends = Vec::with_capacity(frames.len());
    for f in frames {
        f.write(&mut buf);
        ends.push(buf.len());
    }
    (buf, ends)
}
