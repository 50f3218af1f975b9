//! The `columns` header (spec §8.3, §8.4): a comma list of source names (plain or back-quoted)
//! and derivations `target = expr`, and how they map to table columns. Supported expressions are
//! the simple forms: a string or number literal, `NULL`, a copy of a source column,
//! `hex_decode_binary(source)` (hex text to VARBINARY bytes, see `types::binary`), and the
//! `__op = 'upsert'|'delete'|0|1` constants. A mapping replaces a source of the same name.
//! Anything else (other functions such as `to_bitmap`, arithmetic) is refused with a message
//! naming the expression, never silently ignored.

use crate::storage::schema::{KeyModel, TableSchema};
use crate::storage::table::{OP_DELETE, OP_UPSERT};

/// Where one source field (CSV position, JSON key or jsonpath) goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A table column (index into the schema).
    Column(usize),
    /// The virtual `__op` column (PRIMARY KEY tables).
    Op,
    /// A temporary source name that is not a table column: read, used only by derivations.
    Skip,
}

/// The right-hand side of `target = expr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A copy of source number `i`.
    Source(usize),
    /// A constant, as text.
    Literal(String),
    Null,
    /// `__op = 'upsert'|'delete'|0|1`.
    OpConst(u8),
    /// `hex_decode_binary(source)` of source number `i`.
    HexDecodeBinary(usize),
}

/// One derived column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    pub target: Target,
    pub expr: Expr,
}

/// One item of the header as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Source(String),
    Assign { target: String, expr: RawExpr },
}

/// An expression before it is resolved against the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawExpr {
    Name(String),
    Str(String),
    Number(String),
    Null,
    /// `hex_decode_binary(name)`.
    HexDecodeBinary(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Str(String),
    Number(String),
    Comma,
    Eq,
    /// Anything an emulator expression cannot contain (operators, parentheses, ...).
    Other(char),
}

fn invalid(value: &str) -> String {
    format!("Invalid columns header '{value}'")
}

fn tokenize(value: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = value.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            ',' => {
                chars.next();
                tokens.push(Token::Comma);
            }
            '=' => {
                chars.next();
                tokens.push(Token::Eq);
            }
            '`' => {
                chars.next();
                let mut name = String::new();
                loop {
                    match chars.next() {
                        None => {
                            return Err(format!(
                                "Invalid columns header '{value}': unterminated back quote"
                            ))
                        }
                        Some('`') if chars.peek() == Some(&'`') => {
                            chars.next();
                            name.push('`');
                        }
                        Some('`') => break,
                        Some(ch) => name.push(ch),
                    }
                }
                tokens.push(Token::Name(name));
            }
            '\'' | '"' => {
                let quote = c;
                chars.next();
                let mut text = String::new();
                loop {
                    match chars.next() {
                        None => return Err(invalid(value)),
                        Some(ch) if ch == quote && chars.peek() == Some(&quote) => {
                            chars.next();
                            text.push(quote);
                        }
                        Some(ch) if ch == quote => break,
                        Some(ch) => text.push(ch),
                    }
                }
                tokens.push(Token::Str(text));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let mut text = String::new();
                text.push(c);
                chars.next();
                while let Some(&d) = chars.peek() {
                    if d.is_ascii_digit() || d == '.' {
                        text.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if text == "-" {
                    tokens.push(Token::Other('-'));
                } else {
                    tokens.push(Token::Number(text));
                }
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut name = String::new();
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        name.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Name(name));
            }
            other => {
                chars.next();
                tokens.push(Token::Other(other));
            }
        }
    }
    Ok(tokens)
}

fn unsupported(value: &str, item: &str) -> String {
    format!(
        "column mapping expression '{item}' is not supported by the emulator (only literals, NULL, column copies and hex_decode_binary(column) are): '{value}'"
    )
}

/// Splits the `columns` header into items. Back-quoted names may contain commas; a doubled back
/// quote inside is a literal back quote.
pub fn parse_columns_header(value: &str) -> Result<Vec<Item>, String> {
    let tokens = tokenize(value)?;
    let mut items = Vec::new();
    for part in tokens.split(|t| *t == Token::Comma) {
        let item = match part {
            [] => {
                return Err(format!(
                    "Invalid columns header '{value}': empty column name"
                ))
            }
            [Token::Name(name)] => Item::Source(name.clone()),
            [Token::Name(target), Token::Eq, rest @ ..] => {
                let expr = match rest {
                    [Token::Name(n)] if n.eq_ignore_ascii_case("null") => RawExpr::Null,
                    [Token::Name(n)] => RawExpr::Name(n.clone()),
                    [Token::Str(s)] => RawExpr::Str(s.clone()),
                    [Token::Number(n)] => RawExpr::Number(n.clone()),
                    [Token::Name(function), Token::Other('('), Token::Name(arg), Token::Other(')')]
                        if function.eq_ignore_ascii_case("hex_decode_binary") =>
                    {
                        RawExpr::HexDecodeBinary(arg.clone())
                    }
                    _ => return Err(unsupported(value, &describe(part))),
                };
                Item::Assign {
                    target: target.clone(),
                    expr,
                }
            }
            _ if part.contains(&Token::Eq) => return Err(unsupported(value, &describe(part))),
            _ => return Err(invalid(value)),
        };
        items.push(item);
    }
    Ok(items)
}

fn describe(tokens: &[Token]) -> String {
    let parts: Vec<String> = tokens
        .iter()
        .map(|t| match t {
            Token::Name(n) => n.clone(),
            Token::Str(s) => format!("'{s}'"),
            Token::Number(n) => n.clone(),
            Token::Comma => ",".to_string(),
            Token::Eq => "=".to_string(),
            Token::Other(c) => c.to_string(),
        })
        .collect();
    parts.join(" ")
}

/// The `columns` header resolved against a table.
#[derive(Debug, Clone, Default)]
pub struct ColumnMapping {
    /// Source names in order (CSV: positional; JSON: looked up by key or jsonpath position).
    pub sources: Vec<(String, Target)>,
    pub derived: Vec<Derivation>,
    /// Whether each table column is fed by a source or a derivation.
    pub covered: Vec<bool>,
    pub has_ops: bool,
}

/// Maps header items (or the default: all columns in order) to sources, derivations and
/// covered columns. `__op` is a target only on PRIMARY KEY tables; elsewhere it is a temporary.
pub fn map_columns(schema: &TableSchema, items: &[Item]) -> Result<ColumnMapping, String> {
    let mut mapping = ColumnMapping {
        covered: vec![false; schema.columns.len()],
        ..ColumnMapping::default()
    };
    let target_of = |name: &str, has_ops: &mut bool| -> Target {
        if name.eq_ignore_ascii_case("__op") && schema.model == KeyModel::Primary {
            *has_ops = true;
            Target::Op
        } else if let Some(idx) = schema.find_column(name) {
            Target::Column(idx)
        } else {
            Target::Skip
        }
    };
    for item in items {
        match item {
            Item::Source(name) => {
                if mapping
                    .sources
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(name))
                {
                    return Err(format!("Duplicate column: {name}"));
                }
                let target = target_of(name, &mut mapping.has_ops);
                if let Target::Column(c) = target {
                    mapping.covered[c] = true;
                }
                mapping.sources.push((name.clone(), target));
            }
            Item::Assign { .. } => {}
        }
    }
    let mut mapped: Vec<String> = Vec::new();
    for item in items {
        let Item::Assign { target, expr } = item else {
            continue;
        };
        if mapped.iter().any(|n| n.eq_ignore_ascii_case(target)) {
            return Err(format!("Duplicate column mapping: {target}"));
        }
        mapped.push(target.clone());
        let resolved = target_of(target, &mut mapping.has_ops);
        if resolved == Target::Skip {
            return Err(format!("Mapping column is not in table. column: {target}"));
        }
        let expr = match (resolved, expr) {
            (Target::Op, RawExpr::Str(s)) => Expr::OpConst(match s.to_lowercase().as_str() {
                "upsert" => OP_UPSERT,
                "delete" => OP_DELETE,
                other => return Err(format!("load op type string not supported: {other}")),
            }),
            (Target::Op, RawExpr::Number(n)) => Expr::OpConst(match n.as_str() {
                "0" => OP_UPSERT,
                "1" => OP_DELETE,
                _ => {
                    return Err(
                        "const load op type column should only be upsert(0)/delete(1)".to_string(),
                    )
                }
            }),
            (Target::Op, RawExpr::Null) => {
                return Err(
                    "const load op type column should only be upsert(0)/delete(1)".to_string(),
                )
            }
            (_, RawExpr::Name(n)) => Expr::Source(source_index(&mapping.sources, n)?),
            (_, RawExpr::HexDecodeBinary(n)) => {
                Expr::HexDecodeBinary(source_index(&mapping.sources, n)?)
            }
            (_, RawExpr::Str(s)) | (_, RawExpr::Number(s)) => Expr::Literal(s.clone()),
            (_, RawExpr::Null) => Expr::Null,
        };
        // A mapping replaces a source of the same name (`k1, k1 = ...`): the source becomes a
        // temporary that only derivations read.
        for source in &mut mapping.sources {
            if source.1 == resolved {
                source.1 = Target::Skip;
            }
        }
        if let Target::Column(c) = resolved {
            mapping.covered[c] = true;
        }
        mapping.derived.push(Derivation {
            target: resolved,
            expr,
        });
    }
    Ok(mapping)
}

fn source_index(sources: &[(String, Target)], name: &str) -> Result<usize, String> {
    sources
        .iter()
        .position(|(n, _)| n == name)
        .or_else(|| {
            sources
                .iter()
                .position(|(n, _)| n.eq_ignore_ascii_case(name))
        })
        .ok_or_else(|| format!("Unknown column '{name}' in the columns header expression"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::schema::TableSpec;

    fn names(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Source(n) => n.clone(),
                Item::Assign { target, .. } => format!("{target}="),
            })
            .collect()
    }

    #[test]
    fn columns_header() {
        let parsed = parse_columns_header("a, `b`,`c,d` , __op").expect("valid");
        assert_eq!(names(&parsed), vec!["a", "b", "c,d", "__op"]);
        let quoted = parse_columns_header("`a``b`").expect("valid");
        assert_eq!(names(&quoted), vec!["a`b"]);
        assert!(parse_columns_header("a,,b").is_err());
        assert!(parse_columns_header("a, b = a + 1")
            .unwrap_err()
            .contains("not supported by the emulator"));
        assert!(parse_columns_header("a, b = to_bitmap(a)")
            .unwrap_err()
            .contains("to_bitmap"));
        assert!(parse_columns_header("`a").is_err());
        assert_eq!(
            parse_columns_header("`h`, `b` = HEX_DECODE_BINARY(`h`)").expect("valid")[1],
            Item::Assign {
                target: "b".into(),
                expr: RawExpr::HexDecodeBinary("h".into())
            }
        );
        for refused in [
            "h, b = hex_decode_binary(h, 1)",
            "h, b = hex_decode_binary('41')",
            "h, b = unhex(h)",
        ] {
            assert!(
                parse_columns_header(refused)
                    .unwrap_err()
                    .contains("not supported by the emulator"),
                "{refused}"
            );
        }
        assert_eq!(
            parse_columns_header("t, __op = 'delete', x = NULL, y = t, z = -1.5").expect("valid")
                [1..],
            [
                Item::Assign {
                    target: "__op".into(),
                    expr: RawExpr::Str("delete".into())
                },
                Item::Assign {
                    target: "x".into(),
                    expr: RawExpr::Null
                },
                Item::Assign {
                    target: "y".into(),
                    expr: RawExpr::Name("t".into())
                },
                Item::Assign {
                    target: "z".into(),
                    expr: RawExpr::Number("-1.5".into())
                },
            ]
        );
    }

    #[test]
    fn maps_derivations() {
        let schema = TableSchema::from_spec(
            &TableSpec::new("d", "t", KeyModel::Primary)
                .column("id", "BIGINT", false)
                .column("v", "STRING", true)
                .keys(&["id"]),
        )
        .expect("schema");
        let items = parse_columns_header("tmp, id = tmp, __op = 'upsert'").expect("valid");
        let m = map_columns(&schema, &items).expect("mapping");
        assert_eq!(m.sources, vec![("tmp".to_string(), Target::Skip)]);
        assert_eq!(m.covered, vec![true, false]);
        assert!(m.has_ops);
        assert_eq!(m.derived[0].expr, Expr::Source(0));
        assert_eq!(m.derived[1].expr, Expr::OpConst(OP_UPSERT));
        let replaced = parse_columns_header("id, v, id = 1").expect("valid");
        let m = map_columns(&schema, &replaced).expect("mapping wins");
        assert_eq!(m.sources[0].1, Target::Skip);
        let dup = parse_columns_header("id, v = 1, v = 2").expect("valid");
        assert_eq!(
            map_columns(&schema, &dup).unwrap_err(),
            "Duplicate column mapping: v"
        );
        let hex = parse_columns_header("id, hex, v = hex_decode_binary(hex)").expect("valid");
        let m = map_columns(&schema, &hex).expect("mapping");
        assert_eq!(m.derived[0].expr, Expr::HexDecodeBinary(1));
        assert_eq!(m.covered, vec![true, true]);
        let missing = parse_columns_header("id, v = hex_decode_binary(nope)").expect("valid");
        assert!(map_columns(&schema, &missing).is_err());
        let unknown = parse_columns_header("id, nope = 1").expect("valid");
        assert_eq!(
            map_columns(&schema, &unknown).unwrap_err(),
            "Mapping column is not in table. column: nope"
        );
    }
}
