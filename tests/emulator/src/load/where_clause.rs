//! The `where` header (spec §2.2, §8.6): a boolean filter on the converted row. Rows for which
//! it is not true are dropped and counted in `NumberUnselectedRows` (not in the filter ratio).
//!
//! Supported: comparisons `col = | != | <> | < | <= | > | >= literal` (either side may be the
//! column), `col IS [NOT] NULL`, `col [NOT] IN (literal, ...)`, combined with `AND`, `OR`, `NOT`
//! and parentheses. Columns are table columns; literals are converted to the column's type when
//! the plan is made (a literal that does not convert is a plan error). Comparisons with NULL are
//! unknown (SQL three-valued logic), and an unknown result drops the row.

use crate::storage::column::{Column, Value};
use crate::storage::schema::TableSchema;
use crate::types::convert::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    fn flipped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }
}

/// A parsed and resolved predicate.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    Cmp {
        column: usize,
        op: CmpOp,
        literal: Value,
    },
    IsNull {
        column: usize,
        negated: bool,
    },
    In {
        column: usize,
        list: Vec<Value>,
        negated: bool,
    },
    And(Box<Predicate>, Box<Predicate>),
    Or(Box<Predicate>, Box<Predicate>),
    Not(Box<Predicate>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Str(String),
    Num(String),
    Op(CmpOp),
    LParen,
    RParen,
    Comma,
}

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let err = |what: &str| format!("Invalid where clause '{text}': {what}");
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '=' => {
                out.push(Tok::Op(CmpOp::Eq));
                i += if bytes.get(i + 1) == Some(&'=') { 2 } else { 1 };
            }
            '!' if bytes.get(i + 1) == Some(&'=') => {
                out.push(Tok::Op(CmpOp::Ne));
                i += 2;
            }
            '<' => match bytes.get(i + 1) {
                Some('=') => {
                    out.push(Tok::Op(CmpOp::Le));
                    i += 2;
                }
                Some('>') => {
                    out.push(Tok::Op(CmpOp::Ne));
                    i += 2;
                }
                _ => {
                    out.push(Tok::Op(CmpOp::Lt));
                    i += 1;
                }
            },
            '>' => {
                if bytes.get(i + 1) == Some(&'=') {
                    out.push(Tok::Op(CmpOp::Ge));
                    i += 2;
                } else {
                    out.push(Tok::Op(CmpOp::Gt));
                    i += 1;
                }
            }
            '\'' | '"' => {
                let quote = c;
                i += 1;
                let mut s = String::new();
                loop {
                    match bytes.get(i) {
                        None => return Err(err("unterminated string")),
                        Some(&ch) if ch == quote && bytes.get(i + 1) == Some(&quote) => {
                            s.push(quote);
                            i += 2;
                        }
                        Some(&ch) if ch == quote => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(s));
            }
            '`' => {
                i += 1;
                let mut s = String::new();
                loop {
                    match bytes.get(i) {
                        None => return Err(err("unterminated back quote")),
                        Some('`') => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Name(s));
            }
            c if c.is_ascii_digit()
                || ((c == '-' || c == '+' || c == '.')
                    && bytes.get(i + 1).is_some_and(|d| d.is_ascii_digit() || *d == '.')) =>
            {
                let mut s = String::new();
                s.push(c);
                i += 1;
                while let Some(&d) = bytes.get(i) {
                    if d.is_ascii_alphanumeric() || d == '.' {
                        s.push(d);
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push(Tok::Num(s));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut s = String::new();
                while let Some(&d) = bytes.get(i) {
                    if d.is_alphanumeric() || d == '_' {
                        s.push(d);
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push(Tok::Name(s));
            }
            other => {
                return Err(format!(
                    "where clause '{text}' is not supported by the emulator (unexpected '{other}'; only comparisons, IS NULL, IN, AND, OR, NOT are)"
                ))
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<Tok>,
    pos: usize,
    schema: &'a TableSchema,
    text: &'a str,
}

impl Parser<'_> {
    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!(
            "where clause '{}' is not supported by the emulator: {what}",
            self.text
        ))
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Name(n)) if n.eq_ignore_ascii_case(word)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Predicate, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            let right = self.and()?;
            left = Predicate::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Predicate, String> {
        let mut left = self.not()?;
        while self.keyword("and") {
            let right = self.not()?;
            left = Predicate::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Predicate, String> {
        if self.keyword("not") {
            return Ok(Predicate::Not(Box::new(self.not()?)));
        }
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let inner = self.or()?;
            if self.peek() != Some(&Tok::RParen) {
                return self.err("missing ')'");
            }
            self.pos += 1;
            return Ok(inner);
        }
        self.comparison()
    }

    fn column(&self, name: &str) -> Result<usize, String> {
        self.schema
            .find_column(name)
            .ok_or_else(|| format!("Unknown column '{name}' in where clause"))
    }

    fn literal_text(&mut self) -> Option<Option<String>> {
        let lit = match self.peek()? {
            Tok::Str(s) | Tok::Num(s) => Some(s.clone()),
            Tok::Name(n) if n.eq_ignore_ascii_case("null") => None,
            _ => return None,
        };
        self.pos += 1;
        Some(lit)
    }

    fn value(&self, column: usize, text: &str) -> Result<Value, String> {
        let def = &self.schema.columns[column];
        let mut probe = Column::new(&def.ty);
        probe.push(&Input::Text(text.as_bytes())).map_err(|e| {
            format!(
                "Invalid where clause '{}': '{text}' is not a valid {} for column '{}' ({e})",
                self.text, def.ty, def.name
            )
        })?;
        Ok(probe.get(0))
    }

    fn compare(&self, column: usize, op: CmpOp, lit: Option<String>) -> Result<Predicate, String> {
        Ok(Predicate::Cmp {
            column,
            op,
            literal: match lit {
                Some(text) => self.value(column, &text)?,
                None => Value::Null,
            },
        })
    }

    fn comparison(&mut self) -> Result<Predicate, String> {
        let Some(first) = self.peek().cloned() else {
            return self.err("unexpected end");
        };
        if let Tok::Name(name) = &first {
            if !name.eq_ignore_ascii_case("null") {
                self.pos += 1;
                let column = self.column(name)?;
                if self.keyword("is") {
                    let negated = self.keyword("not");
                    if !self.keyword("null") {
                        return self.err("expected NULL after IS");
                    }
                    return Ok(Predicate::IsNull { column, negated });
                }
                let negated = self.keyword("not");
                if self.keyword("in") {
                    return self.in_list(column, negated);
                }
                if negated {
                    return self.err("expected IN after NOT");
                }
                let Some(Tok::Op(op)) = self.peek().cloned() else {
                    return self.err("expected a comparison operator");
                };
                self.pos += 1;
                let Some(lit) = self.literal_text() else {
                    return self.err("expected a literal after the operator");
                };
                return self.compare(column, op, lit);
            }
        }
        let Some(lit) = self.literal_text() else {
            return self.err("expected a column or a literal");
        };
        let Some(Tok::Op(op)) = self.peek().cloned() else {
            return self.err("expected a comparison operator");
        };
        self.pos += 1;
        let Some(Tok::Name(name)) = self.peek().cloned() else {
            return self.err("expected a column after the operator");
        };
        self.pos += 1;
        let column = self.column(&name)?;
        self.compare(column, op.flipped(), lit)
    }

    fn in_list(&mut self, column: usize, negated: bool) -> Result<Predicate, String> {
        if self.peek() != Some(&Tok::LParen) {
            return self.err("expected '(' after IN");
        }
        self.pos += 1;
        let mut list = Vec::new();
        loop {
            let Some(lit) = self.literal_text() else {
                return self.err("expected a literal in the IN list");
            };
            list.push(match lit {
                Some(text) => self.value(column, &text)?,
                None => Value::Null,
            });
            match self.peek() {
                Some(Tok::Comma) => self.pos += 1,
                Some(Tok::RParen) => {
                    self.pos += 1;
                    break;
                }
                _ => return self.err("expected ',' or ')' in the IN list"),
            }
        }
        Ok(Predicate::In {
            column,
            list,
            negated,
        })
    }
}

/// Parses a `where` header against a table.
pub fn parse_where(text: &str, schema: &TableSchema) -> Result<Predicate, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        schema,
        text,
    };
    let predicate = parser.or()?;
    if parser.pos != parser.tokens.len() {
        return parser.err("unexpected trailing input");
    }
    Ok(predicate)
}

impl Predicate {
    /// Three-valued evaluation: `None` = unknown (NULL involved).
    pub fn eval(&self, value_of: &dyn Fn(usize) -> Value) -> Option<bool> {
        match self {
            Predicate::Cmp {
                column,
                op,
                literal,
            } => {
                let v = value_of(*column);
                if matches!(v, Value::Null) || matches!(literal, Value::Null) {
                    return None;
                }
                let ord = v.cmp(literal);
                Some(match op {
                    CmpOp::Eq => ord.is_eq(),
                    CmpOp::Ne => ord.is_ne(),
                    CmpOp::Lt => ord.is_lt(),
                    CmpOp::Le => ord.is_le(),
                    CmpOp::Gt => ord.is_gt(),
                    CmpOp::Ge => ord.is_ge(),
                })
            }
            Predicate::IsNull { column, negated } => {
                Some(matches!(value_of(*column), Value::Null) != *negated)
            }
            Predicate::In {
                column,
                list,
                negated,
            } => {
                let v = value_of(*column);
                if matches!(v, Value::Null) {
                    return None;
                }
                let found = list.contains(&v);
                let has_null = list.iter().any(|l| matches!(l, Value::Null));
                match (found, has_null) {
                    (true, _) => Some(!*negated),
                    (false, true) => None,
                    (false, false) => Some(*negated),
                }
            }
            Predicate::And(a, b) => match (a.eval(value_of), b.eval(value_of)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            Predicate::Or(a, b) => match (a.eval(value_of), b.eval(value_of)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            Predicate::Not(a) => a.eval(value_of).map(|b| !b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::schema::{KeyModel, TableSpec};

    fn schema() -> TableSchema {
        TableSchema::from_spec(
            &TableSpec::new("d", "t", KeyModel::Duplicate)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(10)", true),
        )
        .expect("schema")
    }

    fn eval(text: &str, id: i64, name: Option<&str>) -> Option<bool> {
        let s = schema();
        let p = parse_where(text, &s).expect("parses");
        let row = move |c: usize| match c {
            0 => Value::Int(id),
            _ => name.map_or(Value::Null, |n| Value::Bytes(n.as_bytes().into())),
        };
        p.eval(&row)
    }

    #[test]
    fn evaluates_comparisons() {
        assert_eq!(eval("id > 1", 2, None), Some(true));
        assert_eq!(eval("1 < id", 2, None), Some(true));
        assert_eq!(eval("id >= 3 and name = 'a'", 3, Some("a")), Some(true));
        assert_eq!(eval("id = 1 or name <> 'a'", 3, Some("a")), Some(false));
        assert_eq!(eval("name = 'a'", 3, None), None);
        assert_eq!(eval("name is null", 3, None), Some(true));
        assert_eq!(eval("not (name is not null)", 3, None), Some(true));
        assert_eq!(eval("id in (1, 2, 3)", 2, None), Some(true));
        assert_eq!(eval("id not in (1, 2)", 2, None), Some(false));
        assert_eq!(eval("`id` != 2", 2, None), Some(false));
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        let s = schema();
        assert!(parse_where("id + 1 > 2", &s).is_err());
        assert!(parse_where("nope = 1", &s)
            .unwrap_err()
            .contains("Unknown column"));
        assert!(parse_where("id = 'abc'", &s).is_err());
        assert!(parse_where("length(name) > 1", &s).is_err());
    }
}
