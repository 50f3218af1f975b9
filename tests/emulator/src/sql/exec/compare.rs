//! Comparing canonical text values the way their column type orders them: numbers as numbers,
//! dates as dates, strings bytewise (StarRocks compares strings case-sensitively). Text is
//! converted with the load path's own converters (`storage::column`), so a literal means in a
//! `WHERE` exactly what it would mean in a loaded file; ARRAY/MAP/STRUCT compare by their
//! canonical text. VARBINARY cells are their `0x..` text and compare with the literal as text
//! [emulator choice].

use std::cmp::Ordering;

use crate::storage::column::{Column, Value};
use crate::types::convert::Input;
use crate::types::ColumnType;

/// `text` as a value of `ty`; `None` when it is not a valid value of the type.
pub fn typed(ty: &ColumnType, text: &str) -> Option<Value> {
    if matches!(
        ty,
        ColumnType::Char(_)
            | ColumnType::Varchar(_)
            | ColumnType::String
            | ColumnType::VarBinary(_)
    ) {
        // No length check: a longer literal is simply not equal to any stored value.
        return Some(Value::Bytes(text.as_bytes().into()));
    }
    let mut column = Column::new(ty);
    column.push(&Input::Text(text.as_bytes())).ok()?;
    Some(column.get(0))
}

/// A sort key of one cell: NULL first, then typed values; text that does not convert (not
/// produced by the emulator itself) sorts after every typed value, bytewise.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey {
    Null,
    Typed(Value),
    Raw(String),
}

pub fn sort_key(ty: &ColumnType, cell: &Option<String>) -> SortKey {
    match cell {
        None => SortKey::Null,
        Some(text) => match typed(ty, text) {
            Some(v) => SortKey::Typed(v),
            None => SortKey::Raw(text.clone()),
        },
    }
}

/// Orders a cell against an already converted literal; `None` when the cell is NULL or does not
/// convert (SQL: the comparison is not true).
pub fn compare_cell(ty: &ColumnType, cell: &Option<String>, literal: &Value) -> Option<Ordering> {
    let value = typed(ty, cell.as_deref()?)?;
    Some(value.cmp(literal))
}

/// SQL `LIKE` with `%`, `_` and backslash escapes, ASCII case-insensitive (MySQL's default
/// collation, which `SHOW ... LIKE` uses).
pub fn like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut p: Vec<(char, bool)> = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                p.push((next.to_ascii_lowercase(), true));
                continue;
            }
        }
        p.push((c.to_ascii_lowercase(), false));
    }
    // Iterative matching with backtracking on the last `%`.
    let (mut ti, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(('%', false)) => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some((c, escaped)) if (*c == '_' && !escaped) || *c == t[ti] => {
                ti += 1;
                pi += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|(c, escaped)| *c == '%' && !escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_by_type() {
        let ten = typed(&ColumnType::Int, "10").expect("int");
        assert_eq!(
            compare_cell(&ColumnType::Int, &Some("9".into()), &ten),
            Some(Ordering::Less)
        );
        let d = ColumnType::Decimal {
            precision: 10,
            scale: 2,
        };
        let lit = typed(&d, "1.5").expect("decimal");
        assert_eq!(
            compare_cell(&d, &Some("1.50".into()), &lit),
            Some(Ordering::Equal)
        );
        assert_eq!(compare_cell(&ColumnType::Int, &None, &ten), None);
        assert!(typed(&ColumnType::Int, "abc").is_none());
        assert!(
            sort_key(&ColumnType::Int, &Some("2".into()))
                < sort_key(&ColumnType::Int, &Some("10".into()))
        );
        let array = ColumnType::parse("ARRAY<INT>").expect("type");
        let lit = typed(&array, "[ 1, 2 ]").expect("array");
        assert_eq!(
            compare_cell(&array, &Some("[1,2]".into()), &lit),
            Some(Ordering::Equal)
        );
    }

    #[test]
    fn matches_like_patterns() {
        assert!(like("version_comment", "version%"));
        assert!(like("Version", "v_rsion"));
        assert!(like("a%b", "a\\%b"));
        assert!(!like("axb", "a\\%b"));
        assert!(like("abcabc", "%bc"));
        assert!(!like("abc", "abcd"));
        assert!(like("", "%"));
    }
}
