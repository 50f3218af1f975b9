//! Columnar value storage: one typed vector per column plus a null flag per row. Used both for
//! the rows a load stages (before commit) and for the committed rows of DUPLICATE KEY tables, so a
//! commit is a plain append. Values are converted on `push` (see `types::convert`), so a column only
//! ever holds valid values of its type.

use std::cmp::Ordering;

use crate::types::binary::encode_hex;
use crate::types::convert::{to_bytes, to_float, to_int, to_wide, ConvError, ElementErrors, Input};
use crate::types::render::{render_bytes, render_float, render_int, render_wide};
use crate::types::{ColumnType, StorageKind};

#[derive(Debug, Clone)]
enum ColumnData {
    Int(Vec<i64>),
    Wide(Vec<i128>),
    Float(Vec<f64>),
    /// `offsets` has one more entry than there are rows; row i is `data[offsets[i]..offsets[i+1]]`.
    Bytes {
        offsets: Vec<usize>,
        data: Vec<u8>,
    },
}

/// One stored value, detached from its column (for keyed tables and for reading back).
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Int(i64),
    Wide(i128),
    Float(f64),
    Bytes(Box<[u8]>),
}

impl Value {
    fn rank(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Int(_) => 1,
            Value::Wide(_) => 2,
            Value::Float(_) => 3,
            Value::Bytes(_) => 4,
        }
    }

    /// Canonical text, `None` for NULL.
    pub fn render(&self, ty: &ColumnType) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Int(v) => Some(render_int(ty, *v)),
            Value::Wide(v) => Some(render_wide(ty, *v)),
            Value::Float(v) => Some(render_float(ty, *v)),
            Value::Bytes(v) => Some(render_bytes(ty, v)),
        }
    }

    /// Text that, loaded as a CSV field into a column of `ty`, gives this value back: the
    /// canonical text, except for VARBINARY (whose CSV form is plain hex). `None` for NULL.
    pub fn load_text(&self, ty: &ColumnType) -> Option<String> {
        match (self, ty) {
            (Value::Bytes(v), ColumnType::VarBinary(_)) => {
                let mut hex = String::with_capacity(v.len() * 2);
                encode_hex(v, &mut hex);
                Some(hex)
            }
            _ => self.render(ty),
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Value {}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Values of one column compare by their type's natural order (NULL first); strings bytewise.
impl Ord for Value {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Wide(a), Value::Wide(b)) => a.cmp(b),
            (Value::Float(a), Value::Float(b)) => a.total_cmp(b),
            (Value::Bytes(a), Value::Bytes(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// A typed column of values.
#[derive(Debug, Clone)]
pub struct Column {
    ty: ColumnType,
    data: ColumnData,
    nulls: Vec<bool>,
}

impl Column {
    pub fn new(ty: &ColumnType) -> Column {
        let data = match ty.storage() {
            StorageKind::Int => ColumnData::Int(Vec::new()),
            StorageKind::Wide => ColumnData::Wide(Vec::new()),
            StorageKind::Float => ColumnData::Float(Vec::new()),
            StorageKind::Bytes => ColumnData::Bytes {
                offsets: vec![0],
                data: Vec::new(),
            },
        };
        Column {
            ty: ty.clone(),
            data,
            nulls: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.nulls.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nulls.is_empty()
    }

    pub fn push_null(&mut self) {
        match &mut self.data {
            ColumnData::Int(v) => v.push(0),
            ColumnData::Wide(v) => v.push(0),
            ColumnData::Float(v) => v.push(0.0),
            ColumnData::Bytes { offsets, data } => offsets.push(data.len()),
        }
        self.nulls.push(true);
    }

    /// Converts and appends a non-NULL value; appends nothing on error. A failed element of an
    /// ARRAY/MAP/STRUCT value fails the value.
    pub fn push(&mut self, input: &Input<'_>) -> Result<(), ConvError> {
        self.push_with(input, ElementErrors::Fail)
    }

    /// Like `push`, but a failed element of an ARRAY/MAP/STRUCT value becomes a NULL element
    /// (loads in non-strict mode).
    pub fn push_lenient(&mut self, input: &Input<'_>) -> Result<(), ConvError> {
        self.push_with(input, ElementErrors::Null)
    }

    fn push_with(&mut self, input: &Input<'_>, elements: ElementErrors) -> Result<(), ConvError> {
        let ty = &self.ty;
        match &mut self.data {
            ColumnData::Int(v) => v.push(to_int(ty, input)?),
            ColumnData::Wide(v) => v.push(to_wide(ty, input)?),
            ColumnData::Float(v) => v.push(to_float(ty, input)?),
            ColumnData::Bytes { offsets, data } => {
                to_bytes(ty, input, elements, data)?;
                offsets.push(data.len());
            }
        }
        self.nulls.push(false);
        Ok(())
    }

    /// Drops rows from `len` on.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        match &mut self.data {
            ColumnData::Int(v) => v.truncate(len),
            ColumnData::Wide(v) => v.truncate(len),
            ColumnData::Float(v) => v.truncate(len),
            ColumnData::Bytes { offsets, data } => {
                offsets.truncate(len + 1);
                let end = offsets.last().copied().unwrap_or(0);
                data.truncate(end);
            }
        }
        self.nulls.truncate(len);
    }

    pub fn is_null(&self, row: usize) -> bool {
        self.nulls.get(row).copied().unwrap_or(true)
    }

    /// The value at `row` (NULL when out of range).
    pub fn get(&self, row: usize) -> Value {
        if self.is_null(row) {
            return Value::Null;
        }
        match &self.data {
            ColumnData::Int(v) => Value::Int(v[row]),
            ColumnData::Wide(v) => Value::Wide(v[row]),
            ColumnData::Float(v) => Value::Float(v[row]),
            ColumnData::Bytes { offsets, data } => {
                Value::Bytes(data[offsets[row]..offsets[row + 1]].into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_truncate() {
        let mut a = Column::new(&ColumnType::Varchar(10));
        a.push(&Input::Text(b"x")).expect("fits");
        a.push_null();
        a.push(&Input::Text(b"yz")).expect("fits");
        assert!(a.push(&Input::Text(b"01234567890")).is_err());
        assert_eq!(a.len(), 3);
        a.truncate(2);
        a.push(&Input::Text(b"q")).expect("fits");
        let ty = ColumnType::Varchar(10);
        let rendered: Vec<Option<String>> = (0..a.len()).map(|i| a.get(i).render(&ty)).collect();
        assert_eq!(rendered, vec![Some("x".into()), None, Some("q".into())]);
    }
}
