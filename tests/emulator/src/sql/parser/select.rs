//! `SELECT`: the select list (columns, `*`, constants, `@@variables`, function calls,
//! `COUNT(*)`, aliases) and one optional table with an alias. The `WHERE`/`ORDER BY`/`LIMIT`
//! tail is `filter.rs`.

use super::{Parser, RESERVED};
use crate::sql::ast::{Expr, Literal, Select, SelectItem};
use crate::sql::error::SqlError;
use crate::sql::lexer::Token;

impl Parser<'_> {
    pub(super) fn select(&mut self) -> Result<Select, SqlError> {
        self.expect_keyword("SELECT")?;
        if self.is_keyword("DISTINCT") {
            return Err(self.unsupported());
        }
        self.eat_keyword("ALL");
        let mut items = vec![self.select_item()?];
        while self.eat_symbol(",") {
            items.push(self.select_item()?);
        }
        let from = if self.eat_keyword("FROM") {
            let name = self.object_name()?;
            // An optional table alias.
            if self.eat_keyword("AS") {
                self.identifier()?;
            } else if let Some(Token::Word(w)) = self.peek() {
                if !RESERVED.iter().any(|r| w.eq_ignore_ascii_case(r)) {
                    self.pos += 1;
                }
            }
            if self.is_symbol(",") || self.is_keyword("JOIN") || self.is_keyword("LEFT") {
                return Err(self.unsupported());
            }
            Some(name)
        } else {
            None
        };
        if self.is_keyword("GROUP") || self.is_keyword("HAVING") || self.is_keyword("UNION") {
            return Err(self.unsupported());
        }
        let filter = self.filter()?;
        // `FOR UPDATE` is meaningless here; accept it.
        self.eat_keywords(&["FOR", "UPDATE"]);
        Ok(Select {
            items,
            from,
            filter,
        })
    }

    fn select_item(&mut self) -> Result<SelectItem, SqlError> {
        if self.eat_symbol("*") {
            return Ok(SelectItem::Wildcard);
        }
        // `t.*`
        if matches!(self.peek(), Some(Token::Word(_) | Token::Quoted(_)))
            && matches!(self.peek_at(1), Some(Token::Symbol(".")))
            && matches!(self.peek_at(2), Some(Token::Symbol("*")))
        {
            self.pos += 3;
            return Ok(SelectItem::Wildcard);
        }
        let start = self.offset();
        let expr = self.expr()?;
        let text = self.source(start, self.previous_end()).to_string();
        let label = if self.eat_keyword("AS") {
            match self.peek().cloned() {
                Some(Token::Str(s)) => {
                    self.pos += 1;
                    s
                }
                _ => self.identifier()?,
            }
        } else {
            match self.peek().cloned() {
                Some(Token::Word(w)) if !RESERVED.iter().any(|r| w.eq_ignore_ascii_case(r)) => {
                    self.pos += 1;
                    w
                }
                Some(Token::Quoted(w)) | Some(Token::Str(w)) => {
                    self.pos += 1;
                    w
                }
                // A column is labelled with its name, unquoted and without qualifier (as
                // MySQL and StarRocks do), any other expression with its text.
                _ => match &expr {
                    Expr::Column(name) => name.clone(),
                    _ => text,
                },
            }
        };
        Ok(SelectItem::Expr { expr, label })
    }

    fn expr(&mut self) -> Result<Expr, SqlError> {
        match self.peek().cloned() {
            Some(Token::SysVar(name)) => {
                self.pos += 1;
                Ok(Expr::SysVar(name))
            }
            Some(Token::UserVar(name)) => {
                self.pos += 1;
                Ok(Expr::UserVar(name))
            }
            Some(Token::Symbol("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect_symbol(")")?;
                Ok(e)
            }
            Some(Token::Word(w)) if matches!(self.peek_at(1), Some(Token::Symbol("("))) => {
                self.pos += 2;
                let name = w.to_ascii_lowercase();
                if name == "count" {
                    let counted = self.eat_symbol("*")
                        || matches!(self.literal(), Ok(Literal::Number(_) | Literal::Str(_)));
                    if !counted {
                        return Err(SqlError::not_supported(self.sql));
                    }
                    self.expect_symbol(")")?;
                    return Ok(Expr::CountStar);
                }
                let mut args = Vec::new();
                if !self.eat_symbol(")") {
                    args.push(self.expr()?);
                    while self.eat_symbol(",") {
                        args.push(self.expr()?);
                    }
                    self.expect_symbol(")")?;
                }
                Ok(Expr::Function { name, args })
            }
            Some(Token::Word(w))
                if ["NULL", "TRUE", "FALSE"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                self.literal().map(Expr::Literal)
            }
            Some(Token::Word(w))
                if [
                    "CURRENT_USER",
                    "CURRENT_TIMESTAMP",
                    "CURRENT_DATE",
                    "LOCALTIME",
                    "LOCALTIMESTAMP",
                ]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                self.pos += 1;
                Ok(Expr::Function {
                    name: w.to_ascii_lowercase(),
                    args: Vec::new(),
                })
            }
            Some(Token::Word(_)) | Some(Token::Quoted(_)) => self.column_ref().map(Expr::Column),
            _ => self.literal().map(Expr::Literal),
        }
    }

    /// `col`, `t.col` or `db.t.col`; the qualifiers are dropped.
    pub(super) fn column_ref(&mut self) -> Result<String, SqlError> {
        let mut name = self.identifier()?;
        while self.is_symbol(".")
            && matches!(self.peek_at(1), Some(Token::Word(_) | Token::Quoted(_)))
        {
            self.pos += 1;
            name = self.identifier()?;
        }
        Ok(name)
    }
}
