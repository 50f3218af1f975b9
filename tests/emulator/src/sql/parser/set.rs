//! `SET`: `NAMES`/`CHARACTER SET` (recorded as the three character-set variables),
//! `[SESSION] TRANSACTION ...` (nothing to do), and `[scope] var = value, ...`.

use super::Parser;
use crate::sql::ast::{SetItem, Statement};
use crate::sql::error::SqlError;
use crate::sql::lexer::Token;

impl Parser<'_> {
    pub(super) fn set(&mut self) -> Result<Statement, SqlError> {
        self.expect_keyword("SET")?;
        if self.eat_keyword("NAMES")
            || self.eat_keywords(&["CHARACTER", "SET"])
            || self.eat_keyword("CHARSET")
        {
            let charset = match self.advance().map(|s| s.token) {
                Some(Token::Word(w)) | Some(Token::Str(w)) | Some(Token::Quoted(w)) => Some(w),
                _ => return Err(self.error("expected a character set name")),
            };
            if self.eat_keyword("COLLATE") {
                self.advance();
            }
            let items = [
                "character_set_client",
                "character_set_connection",
                "character_set_results",
            ]
            .iter()
            .map(|n| SetItem {
                name: Some(n.to_string()),
                value: charset.clone(),
            })
            .collect();
            return Ok(Statement::Set(items));
        }
        self.eat_scope();
        if self.is_keyword("TRANSACTION") {
            // `SET [SESSION] TRANSACTION ISOLATION LEVEL ... | READ ONLY|WRITE`: nothing to do.
            self.pos = self.tokens.len();
            return Ok(Statement::Set(Vec::new()));
        }
        let mut items = vec![self.set_item()?];
        while self.eat_symbol(",") {
            self.eat_scope();
            items.push(self.set_item()?);
        }
        Ok(Statement::Set(items))
    }

    /// An optional `GLOBAL`, `SESSION` or `LOCAL`.
    pub(super) fn eat_scope(&mut self) -> bool {
        self.eat_keyword("GLOBAL") || self.eat_keyword("SESSION") || self.eat_keyword("LOCAL")
    }

    fn set_item(&mut self) -> Result<SetItem, SqlError> {
        let name = match self.advance().map(|s| s.token) {
            Some(Token::SysVar(n)) => Some(n),
            Some(Token::UserVar(_)) => None,
            Some(Token::Word(w)) | Some(Token::Quoted(w)) => Some(w.to_ascii_lowercase()),
            _ => return Err(self.error("expected a variable name")),
        };
        if !(self.eat_symbol("=") || self.eat_symbol(":=")) {
            return Err(self.error("expected '='"));
        }
        let value = match self.peek().cloned() {
            Some(Token::Word(w))
                if w.eq_ignore_ascii_case("DEFAULT") || w.eq_ignore_ascii_case("NULL") =>
            {
                self.pos += 1;
                None
            }
            Some(Token::Word(w)) | Some(Token::Quoted(w)) => {
                self.pos += 1;
                Some(w)
            }
            Some(Token::SysVar(_)) | Some(Token::UserVar(_)) => {
                self.pos += 1;
                None
            }
            _ => self.literal()?.text(),
        };
        Ok(SetItem { name, value })
    }
}
