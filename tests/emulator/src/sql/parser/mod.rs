//! Recursive-descent parser for the SQL subset (see `ast.rs`). This file holds the token cursor,
//! the shared small productions (names, literals) and the dispatch on the first keyword;
//! `select.rs` + `filter.rs` parse `SELECT`, `show.rs` the `SHOW` family, `set.rs` `SET`,
//! `ddl.rs` the DDL statements.
//!
//! A statement whose kind the emulator does not know is refused with
//! `not supported by the emulator: <statement>`; a known kind with bad syntax gets a syntax
//! error (1064). The parser never panics on any input.

mod ddl;
mod filter;
mod select;
mod set;
mod show;

use super::ast::{Literal, ObjectName, Statement};
use super::error::SqlError;
use super::lexer::{tokenize, Spanned, Token};

/// Words that end a select-list expression instead of being taken as an alias.
const RESERVED: [&str; 14] = [
    "FROM", "WHERE", "ORDER", "LIMIT", "GROUP", "HAVING", "UNION", "INTO", "FOR", "LOCK", "AND",
    "OR", "ON", "JOIN",
];

/// Parses one statement (a trailing `;` is allowed).
pub fn parse(sql: &str) -> Result<Statement, SqlError> {
    let tokens = tokenize(sql)?;
    let mut p = Parser {
        sql,
        tokens,
        pos: 0,
    };
    let statement = p.statement()?;
    p.expect_end()?;
    Ok(statement)
}

/// The token cursor.
pub(crate) struct Parser<'a> {
    sql: &'a str,
    tokens: Vec<Spanned>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn statement(&mut self) -> Result<Statement, SqlError> {
        if self.at_end() {
            return Err(SqlError {
                code: 1065,
                sqlstate: "42000",
                message: "Query was empty".to_string(),
            });
        }
        let Some(Token::Word(first)) = self.peek().cloned() else {
            return Err(self.unsupported());
        };
        match first.to_ascii_uppercase().as_str() {
            "SELECT" => self.select().map(Statement::Select),
            "SHOW" => self.show(),
            "DESC" | "DESCRIBE" => self.describe(),
            "SET" => self.set(),
            "USE" => {
                self.pos += 1;
                Ok(Statement::Use(self.identifier()?))
            }
            "CREATE" => self.create(),
            "DROP" => self.drop(),
            "TRUNCATE" => self.truncate(),
            "ALTER" => self.alter(),
            "BEGIN" | "COMMIT" | "ROLLBACK" => {
                self.pos += 1;
                self.eat_keyword("WORK");
                Ok(Statement::Transaction)
            }
            "START" if self.peek_keyword_at(1, "TRANSACTION") => {
                self.pos += 2;
                Ok(Statement::Transaction)
            }
            _ => Err(self.unsupported()),
        }
    }

    // ---- cursor -------------------------------------------------------------------------

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|s| &s.token)
    }

    fn peek_at(&self, n: usize) -> Option<&Token> {
        self.tokens.get(self.pos + n).map(|s| &s.token)
    }

    fn advance(&mut self) -> Option<Spanned> {
        let t = self.tokens.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    /// Byte offset where the current token starts (end of text when none is left).
    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.sql.len(), |s| s.start)
    }

    /// Byte offset where the previous token ends.
    fn previous_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |s| s.end)
    }

    fn source(&self, start: usize, end: usize) -> &'a str {
        self.sql.get(start..end).unwrap_or("")
    }

    fn peek_keyword_at(&self, n: usize, keyword: &str) -> bool {
        matches!(self.peek_at(n), Some(Token::Word(w)) if w.eq_ignore_ascii_case(keyword))
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        self.peek_keyword_at(0, keyword)
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        if self.is_keyword(keyword) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Eats a sequence of keywords, all or nothing.
    fn eat_keywords(&mut self, keywords: &[&str]) -> bool {
        if keywords
            .iter()
            .enumerate()
            .all(|(i, k)| self.peek_keyword_at(i, k))
        {
            self.pos += keywords.len();
            true
        } else {
            false
        }
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), SqlError> {
        if self.eat_keyword(keyword) {
            Ok(())
        } else {
            Err(self.error(&format!("expected {keyword}")))
        }
    }

    fn is_symbol(&self, symbol: &str) -> bool {
        matches!(self.peek(), Some(Token::Symbol(s)) if *s == symbol)
    }

    fn eat_symbol(&mut self, symbol: &str) -> bool {
        if self.is_symbol(symbol) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_symbol(&mut self, symbol: &str) -> Result<(), SqlError> {
        if self.eat_symbol(symbol) {
            Ok(())
        } else {
            Err(self.error(&format!("expected '{symbol}'")))
        }
    }

    /// True when only `;` tokens are left.
    fn at_end(&self) -> bool {
        self.tokens[self.pos.min(self.tokens.len())..]
            .iter()
            .all(|t| t.token == Token::Symbol(";"))
    }

    fn expect_end(&mut self) -> Result<(), SqlError> {
        if self.at_end() {
            return Ok(());
        }
        if self.is_symbol(";") {
            return Err(SqlError::not_supported(
                "several statements in one query (send them one by one)",
            ));
        }
        Err(self.error("unexpected input"))
    }

    // ---- errors -------------------------------------------------------------------------

    /// A syntax error pointing at the current token.
    fn error(&self, detail: &str) -> SqlError {
        let at = self.offset();
        let near: String = self.sql.get(at..).unwrap_or("").chars().take(40).collect();
        SqlError::syntax(format!(
            "Getting syntax error at position {at}. Detail message: {detail}, near '{near}'."
        ))
    }

    fn unsupported(&self) -> SqlError {
        SqlError::not_supported(self.sql)
    }

    // ---- small productions ----------------------------------------------------------------

    /// A bare or back-quoted identifier.
    fn identifier(&mut self) -> Result<String, SqlError> {
        match self.peek().cloned() {
            Some(Token::Word(w)) | Some(Token::Quoted(w)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.error("expected an identifier")),
        }
    }

    /// `name` or `db.name`.
    fn object_name(&mut self) -> Result<ObjectName, SqlError> {
        let first = self.identifier()?;
        if self.eat_symbol(".") {
            let name = self.identifier()?;
            Ok(ObjectName {
                database: Some(first),
                name,
            })
        } else {
            Ok(ObjectName {
                database: None,
                name: first,
            })
        }
    }

    /// `(a, b, ...)` of identifiers.
    fn identifier_list(&mut self) -> Result<Vec<String>, SqlError> {
        self.expect_symbol("(")?;
        let mut names = vec![self.identifier()?];
        while self.eat_symbol(",") {
            names.push(self.identifier()?);
        }
        self.expect_symbol(")")?;
        Ok(names)
    }

    /// A string literal.
    fn string(&mut self) -> Result<String, SqlError> {
        match self.peek().cloned() {
            Some(Token::Str(s)) => {
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.error("expected a string literal")),
        }
    }

    /// A literal: string, number (optionally negative), NULL, TRUE, FALSE.
    fn literal(&mut self) -> Result<Literal, SqlError> {
        match self.peek().cloned() {
            Some(Token::Str(s)) => {
                self.pos += 1;
                Ok(Literal::Str(s))
            }
            Some(Token::Number(n)) => {
                self.pos += 1;
                Ok(Literal::Number(n))
            }
            Some(Token::Symbol("-")) | Some(Token::Symbol("+")) => {
                let negative = self.is_symbol("-");
                if let Some(Token::Number(n)) = self.peek_at(1).cloned() {
                    self.pos += 2;
                    Ok(Literal::Number(if negative { format!("-{n}") } else { n }))
                } else {
                    Err(self.error("expected a number"))
                }
            }
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("NULL") => {
                self.pos += 1;
                Ok(Literal::Null)
            }
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("TRUE") => {
                self.pos += 1;
                Ok(Literal::Bool(true))
            }
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("FALSE") => {
                self.pos += 1;
                Ok(Literal::Bool(false))
            }
            Some(Token::Param) => Err(SqlError::syntax(
                "'?' placeholders are only allowed in prepared statements",
            )),
            _ => Err(self.error("expected a literal")),
        }
    }

    /// An unsigned integer.
    fn unsigned(&mut self) -> Result<u64, SqlError> {
        match self.peek().cloned() {
            Some(Token::Number(n)) => {
                let v = n
                    .parse::<u64>()
                    .map_err(|_| self.error("expected an unsigned integer"))?;
                self.pos += 1;
                Ok(v)
            }
            _ => Err(self.error("expected an unsigned integer")),
        }
    }
}

#[cfg(test)]
mod tests;
