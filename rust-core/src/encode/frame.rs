//! Row frames: the binary layout in which the Java shim hands rows to the engine.
//!
//! Java copies each row's values, typed, into a direct `ByteBuffer` and hands the whole buffer over
//! in one native call. This module is the one definition of that layout (mirrored by
//! `com.starrocks.connector.flink.row.RowFrameWriter`; both sides are tested with the shared vectors
//! in `tests/vectors/row-frames.json`). It decodes defensively: a malformed frame is an error naming
//! the frame index and byte offset, never a panic.
//!
//! Layout, version [`FRAME_VERSION`], all integers little-endian:
//!
//! ```text
//! frame      := kind:u8 table:u32 body
//! kind       := 0..=3 typed row, Flink RowKind byte (0 +I, 1 -U, 2 +U, 3 -D)
//!             | 0x10 raw record (bytes the user already serialized as CSV or JSON)
//! body(typed):= field_count:u16 field*
//! body(raw)  := len:u32 bytes
//! field      := type:u8 payload
//!   0x00 NULL
//!   0x01 BOOLEAN     u8 (0 or 1)
//!   0x02 TINYINT     i8          0x03 SMALLINT  i16
//!   0x04 INT         i32         0x05 BIGINT    i64
//!   0x06 FLOAT       f32         0x07 DOUBLE    f64
//!   0x08 DECIMAL     scale:u8 unscaled:i64                    (precision <= 18)
//!   0x09 DECIMAL     scale:u8 len:u8 unscaled big-endian two's complement (Java BigInteger bytes)
//!   0x0A STRING      len:u32 UTF-8 bytes
//!   0x0B DATE        days since 1970-01-01: i32
//!   0x0C TIMESTAMP   precision:u8 epoch_millis:i64 nano_of_milli:i32
//!   0x0D TIME        precision:u8 millis_of_day:i32
//!   0x0E BINARY      len:u32 bytes
//!   0x0F ARRAY       count:u32 field*                      (count elements)
//!   0x10 MAP         count:u32 (key:field value:field)*    (count entries)
//!   0x11 ROW         count:u16 (name_len:u16 UTF-8 name, field)*
//! ```
//!
//! Nested fields (inside ARRAY, MAP and ROW) nest at most [`MAX_DEPTH`] levels.

use crate::error::{ErrorKind, Result, SinkError};

/// The frame layout version; Java passes the version it writes when it creates a writer.
pub const FRAME_VERSION: i32 = 1;

/// How deep ARRAY, MAP and ROW values may nest.
pub const MAX_DEPTH: usize = 32;

/// Row kind byte of a raw (pre-serialized) record.
pub const KIND_RAW: u8 = 0x10;

/// Flink's `RowKind`, as its byte value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Insert,
    UpdateBefore,
    UpdateAfter,
    Delete,
}

impl RowKind {
    fn from_byte(b: u8) -> Option<RowKind> {
        match b {
            0 => Some(RowKind::Insert),
            1 => Some(RowKind::UpdateBefore),
            2 => Some(RowKind::UpdateAfter),
            3 => Some(RowKind::Delete),
            _ => None,
        }
    }
}

/// One decoded field value, borrowing from the frame buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Boolean(bool),
    TinyInt(i8),
    SmallInt(i16),
    Int(i32),
    BigInt(i64),
    Float(f32),
    Double(f64),
    /// Unscaled value and scale.
    Decimal64(i64, u8),
    /// Unscaled big-endian two's complement bytes and scale.
    DecimalBig(&'a [u8], u8),
    String(&'a [u8]),
    /// Days since the epoch.
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
    Binary(&'a [u8]),
    /// `count` elements, encoded as fields in `items` (checked when the frame was read; read them
    /// with [`Nested`]).
    Array(Nested<'a>),
    /// `count` key, value pairs of fields.
    Map(Nested<'a>),
    /// `count` named fields.
    Row(Nested<'a>),
}

/// The encoded content of an ARRAY, MAP or ROW value, validated when its frame was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nested<'a> {
    pub count: usize,
    items: &'a [u8],
}

impl<'a> Nested<'a> {
    /// The elements of an ARRAY.
    pub fn elements(&self) -> impl Iterator<Item = Value<'a>> + 'a {
        let mut r = FrameReader::new(self.items);
        (0..self.count).map(move |_| r.checked_field())
    }

    /// The key, value pairs of a MAP.
    pub fn entries(&self) -> impl Iterator<Item = (Value<'a>, Value<'a>)> + 'a {
        let mut r = FrameReader::new(self.items);
        (0..self.count).map(move |_| (r.checked_field(), r.checked_field()))
    }

    /// The named fields of a ROW.
    pub fn fields(&self) -> impl Iterator<Item = (&'a str, Value<'a>)> + 'a {
        let mut r = FrameReader::new(self.items);
        (0..self.count).map(move |_| (r.checked_name(), r.checked_field()))
    }
}

/// A decoded frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame<'a> {
    Row {
        kind: RowKind,
        table: u32,
        fields: Vec<Value<'a>>,
    },
    Raw {
        table: u32,
        bytes: &'a [u8],
    },
}

/// What one item of a nested value holds.
#[derive(Clone, Copy)]
enum Item {
    Element,
    Entry,
    Named,
}

/// Why a frame is malformed; made into the error message (with the frame index and byte offset)
/// only when it happens, so that the decoding path moves no more than a few bytes per result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Malformed {
    Needs(usize),
    Boolean(u8),
    DecimalBytes(usize),
    TimestampRange,
    TimeRange,
    TooDeep,
    FieldType(u8),
    RowKind(u8),
    NameNotUtf8,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Malformed::Needs(n) => write!(f, "needs {n} more bytes"),
            Malformed::Boolean(b) => write!(f, "BOOLEAN byte {b}"),
            Malformed::DecimalBytes(len) => write!(f, "DECIMAL of {len} bytes"),
            Malformed::TimestampRange => f.write_str("TIMESTAMP out of range"),
            Malformed::TimeRange => f.write_str("TIME out of range"),
            Malformed::TooDeep => write!(f, "values nest deeper than {MAX_DEPTH} levels"),
            Malformed::FieldType(t) => write!(f, "unknown field type 0x{t:02x}"),
            Malformed::RowKind(k) => write!(f, "unknown row kind {k}"),
            Malformed::NameNotUtf8 => f.write_str("ROW field name is not UTF-8"),
        }
    }
}

type Decoded<T> = std::result::Result<T, Malformed>;

/// Iterates over the frames of one buffer.
pub struct FrameReader<'a> {
    buf: &'a [u8],
    /// Never past the end of `buf`.
    pos: usize,
    index: usize,
}

impl<'a> FrameReader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        FrameReader {
            buf,
            pos: 0,
            index: 0,
        }
    }

    /// Index of the next frame in this buffer (for messages).
    pub fn index(&self) -> usize {
        self.index
    }

    #[cold]
    #[inline(never)]
    fn err(&self, what: Malformed) -> SinkError {
        SinkError::new(
            ErrorKind::InvalidData,
            format!(
                "malformed row frame #{} at byte {} of a {}-byte buffer: {what}",
                self.index,
                self.pos,
                self.buf.len()
            ),
        )
    }

    #[inline(always)]
    fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        if n > self.buf.len() - self.pos {
            return Err(Malformed::Needs(n));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    #[inline(always)]
    fn array<const N: usize>(&mut self) -> Decoded<[u8; N]> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    #[inline(always)]
    fn u8(&mut self) -> Decoded<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// Re-reads a field of a [`Nested`] value, whose bytes were validated already.
    fn checked_field(&mut self) -> Value<'a> {
        self.field(MAX_DEPTH)
            .expect("nested values are validated when their frame is read")
    }

    fn checked_name(&mut self) -> &'a str {
        self.name()
            .expect("nested values are validated when their frame is read")
    }

    fn name(&mut self) -> Decoded<&'a str> {
        let len = u16::from_le_bytes(self.array()?) as usize;
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map_err(|_| Malformed::NameNotUtf8)
    }

    /// Reads `count` nested items (fields, pairs of fields, or named fields) and returns them.
    fn nested(&mut self, count: usize, per_item: Item, depth: usize) -> Decoded<Nested<'a>> {
        if depth == 0 {
            return Err(Malformed::TooDeep);
        }
        let start = self.pos;
        for _ in 0..count {
            match per_item {
                Item::Element => {
                    self.field(depth - 1)?;
                }
                Item::Entry => {
                    self.field(depth - 1)?;
                    self.field(depth - 1)?;
                }
                Item::Named => {
                    self.name()?;
                    self.field(depth - 1)?;
                }
            }
        }
        Ok(Nested {
            count,
            items: &self.buf[start..self.pos],
        })
    }

    /// One field. Inlined into the row loop: a [`Value`] returned through memory from a call costs
    /// more than decoding it (the reads of a result written byte-wise stall).
    #[inline(always)]
    fn field(&mut self, depth: usize) -> Decoded<Value<'a>> {
        let tag = self.u8()?;
        Ok(match tag {
            0x00 => Value::Null,
            0x01 => match self.u8()? {
                0 => Value::Boolean(false),
                1 => Value::Boolean(true),
                b => return Err(Malformed::Boolean(b)),
            },
            0x02 => Value::TinyInt(i8::from_le_bytes(self.array()?)),
            0x03 => Value::SmallInt(i16::from_le_bytes(self.array()?)),
            0x04 => Value::Int(i32::from_le_bytes(self.array()?)),
            0x05 => Value::BigInt(i64::from_le_bytes(self.array()?)),
            0x06 => Value::Float(f32::from_le_bytes(self.array()?)),
            0x07 => Value::Double(f64::from_le_bytes(self.array()?)),
            0x08 => {
                let scale = self.u8()?;
                Value::Decimal64(i64::from_le_bytes(self.array()?), scale)
            }
            0x09 => {
                let scale = self.u8()?;
                let len = self.u8()? as usize;
                if len == 0 || len > 17 {
                    return Err(Malformed::DecimalBytes(len));
                }
                Value::DecimalBig(self.take(len)?, scale)
            }
            0x0A => {
                let len = u32::from_le_bytes(self.array()?) as usize;
                Value::String(self.take(len)?)
            }
            0x0B => Value::Date(i32::from_le_bytes(self.array()?)),
            0x0C => {
                let precision = self.u8()?;
                let epoch_millis = i64::from_le_bytes(self.array()?);
                let nano_of_milli = i32::from_le_bytes(self.array()?);
                if !(0..1_000_000).contains(&nano_of_milli) || precision > 9 {
                    return Err(Malformed::TimestampRange);
                }
                Value::Timestamp {
                    precision,
                    epoch_millis,
                    nano_of_milli,
                }
            }
            0x0D => {
                let precision = self.u8()?;
                let millis_of_day = i32::from_le_bytes(self.array()?);
                if !(0..86_400_000).contains(&millis_of_day) || precision > 9 {
                    return Err(Malformed::TimeRange);
                }
                Value::Time {
                    precision,
                    millis_of_day,
                }
            }
            0x0E => {
                let len = u32::from_le_bytes(self.array()?) as usize;
                Value::Binary(self.take(len)?)
            }
            0x0F..=0x11 => self.nested_field(tag, depth)?,
            other => return Err(Malformed::FieldType(other)),
        })
    }

    /// An ARRAY, MAP or ROW field (tag 0x0F, 0x10 or 0x11), its items validated.
    #[inline(never)]
    fn nested_field(&mut self, tag: u8, depth: usize) -> Decoded<Value<'a>> {
        Ok(match tag {
            0x0F => {
                let count = u32::from_le_bytes(self.array()?) as usize;
                Value::Array(self.nested(count, Item::Element, depth)?)
            }
            0x10 => {
                let count = u32::from_le_bytes(self.array()?) as usize;
                Value::Map(self.nested(count, Item::Entry, depth)?)
            }
            _ => {
                let count = u16::from_le_bytes(self.array()?) as usize;
                Value::Row(self.nested(count, Item::Named, depth)?)
            }
        })
    }

    fn frame(&mut self) -> Decoded<Frame<'a>> {
        let kind = self.u8()?;
        let table = u32::from_le_bytes(self.array()?);
        if kind == KIND_RAW {
            let len = u32::from_le_bytes(self.array()?) as usize;
            return Ok(Frame::Raw {
                table,
                bytes: self.take(len)?,
            });
        }
        let kind = RowKind::from_byte(kind).ok_or(Malformed::RowKind(kind))?;
        let count = u16::from_le_bytes(self.array()?) as usize;
        let mut fields = Vec::with_capacity(count);
        for _ in 0..count {
            fields.push(self.field(MAX_DEPTH)?);
        }
        Ok(Frame::Row {
            kind,
            table,
            fields,
        })
    }
}

impl<'a> Iterator for FrameReader<'a> {
    type Item = Result<Frame<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        let r = self.frame().map_err(|what| {
            let e = self.err(what);
            // Stop after the first error: the rest of the buffer cannot be trusted.
            self.pos = self.buf.len();
            e
        });
        self.index += 1;
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_frames_are_errors_not_panics() {
        let mut buf = vec![0u8];
        buf.extend_from_slice(&7u32.to_le_bytes());
        buf.extend_from_slice(&2u16.to_le_bytes());
        buf.push(0x05);
        buf.extend_from_slice(&[1, 2, 3]);
        let mut r = FrameReader::new(&buf);
        let e = r.next().unwrap().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidData);
        assert!(e.message().contains("frame #0"), "{e}");
        assert!(r.next().is_none());
    }

    #[test]
    fn every_prefix_of_a_valid_buffer_fails_cleanly() {
        let mut buf = vec![2u8];
        buf.extend_from_slice(&0u32.to_le_bytes());
        buf.extend_from_slice(&3u16.to_le_bytes());
        buf.push(0x0A);
        buf.extend_from_slice(&3u32.to_le_bytes());
        buf.extend_from_slice(b"abc");
        buf.push(0x0C);
        buf.push(6);
        buf.extend_from_slice(&1_000i64.to_le_bytes());
        buf.extend_from_slice(&5i32.to_le_bytes());
        buf.push(0x00);
        assert_eq!(FrameReader::new(&buf).count(), 1);
        assert!(FrameReader::new(&buf).next().unwrap().is_ok());
        for cut in 1..buf.len() {
            let frames: Vec<_> = FrameReader::new(&buf[..cut]).collect();
            assert!(frames.last().unwrap().is_err(), "cut at {cut}");
        }
    }

    fn one_field_row(field: &[u8]) -> Vec<u8> {
        let mut buf = vec![0u8];
        buf.extend_from_slice(&0u32.to_le_bytes());
        buf.extend_from_slice(&1u16.to_le_bytes());
        buf.extend_from_slice(field);
        buf
    }

    #[test]
    fn nested_values_are_validated_up_front_and_read_back() {
        // ARRAY<ROW<n INT>> holding [{n: 5}, NULL], then a truncated copy of it.
        let mut field = vec![0x0F];
        field.extend_from_slice(&2u32.to_le_bytes());
        field.push(0x11);
        field.extend_from_slice(&1u16.to_le_bytes());
        field.extend_from_slice(&1u16.to_le_bytes());
        field.push(b'n');
        field.push(0x04);
        field.extend_from_slice(&5i32.to_le_bytes());
        field.push(0x00);
        let buf = one_field_row(&field);
        let Frame::Row { fields, .. } = FrameReader::new(&buf).next().unwrap().unwrap() else {
            panic!("not a row")
        };
        let Value::Array(items) = fields[0] else {
            panic!("not an array: {:?}", fields[0])
        };
        let items: Vec<Value<'_>> = items.elements().collect();
        assert_eq!(items.len(), 2);
        let Value::Row(row) = items[0] else {
            panic!("not a row: {:?}", items[0])
        };
        assert_eq!(row.fields().collect::<Vec<_>>(), vec![("n", Value::Int(5))]);
        assert_eq!(items[1], Value::Null);
        for cut in 1..buf.len() {
            assert!(
                FrameReader::new(&buf[..cut]).next().unwrap().is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let mut field = Vec::new();
        for _ in 0..=MAX_DEPTH {
            field.push(0x0F);
            field.extend_from_slice(&1u32.to_le_bytes());
        }
        field.push(0x00);
        let e = FrameReader::new(&one_field_row(&field))
            .next()
            .unwrap()
            .unwrap_err();
        assert!(e.message().contains("nest deeper"), "{e}");
    }

    #[test]
    fn unknown_tags_are_named() {
        let mut buf = vec![0u8];
        buf.extend_from_slice(&0u32.to_le_bytes());
        buf.extend_from_slice(&1u16.to_le_bytes());
        buf.push(0x7F);
        let e = FrameReader::new(&buf).next().unwrap().unwrap_err();
        assert!(e.message().contains("0x7f"), "{e}");
    }
}
