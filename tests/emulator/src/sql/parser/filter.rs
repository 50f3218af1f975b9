//! `[WHERE ...] [ORDER BY ...] [LIMIT ...]`, shared by `SELECT` and `SHOW ALTER TABLE COLUMN`:
//! an AND of simple predicates (comparisons with a literal on either side, `IS [NOT] NULL`,
//! `[NOT] IN`, `[NOT] LIKE`, and `c = a OR c = b` as `c IN (a, b)`); other `OR`s are refused.

use super::Parser;
use crate::sql::ast::{CmpOp, Condition, Filter, OrderItem};
use crate::sql::error::SqlError;
use crate::sql::lexer::Token;

impl Parser<'_> {
    pub(super) fn filter(&mut self) -> Result<Filter, SqlError> {
        let mut filter = Filter::default();
        if self.eat_keyword("WHERE") {
            self.conjunction(&mut filter.conditions)?;
        }
        if self.eat_keywords(&["ORDER", "BY"]) {
            loop {
                let column = match self.peek().cloned() {
                    Some(Token::Number(n)) => {
                        self.pos += 1;
                        n
                    }
                    _ => self.column_ref()?,
                };
                let descending = if self.eat_keyword("DESC") {
                    true
                } else {
                    self.eat_keyword("ASC");
                    false
                };
                filter.order_by.push(OrderItem { column, descending });
                if !self.eat_symbol(",") {
                    break;
                }
            }
        }
        if self.eat_keyword("LIMIT") {
            let first = self.unsigned()?;
            filter.limit = Some(if self.eat_symbol(",") {
                (first, self.unsigned()?)
            } else if self.eat_keyword("OFFSET") {
                (self.unsigned()?, first)
            } else {
                (0, first)
            });
        }
        Ok(filter)
    }

    /// `c1 AND c2 AND ...`; each `ci` may be a parenthesised conjunction. An `OR` is only
    /// understood as `c = v1 OR c = v2 ...` forming a whole conjunction (it becomes `c IN (...)`).
    pub(super) fn conjunction(&mut self, out: &mut Vec<Condition>) -> Result<(), SqlError> {
        let start = out.len();
        loop {
            if self.eat_symbol("(") {
                self.conjunction(out)?;
                self.expect_symbol(")")?;
            } else {
                let (condition, folded) = self.condition(out.len() == start)?;
                if folded && self.is_keyword("AND") {
                    return Err(self.unsupported());
                }
                out.push(condition);
            }
            if self.is_keyword("OR") {
                return Err(self.unsupported());
            }
            if !self.eat_keyword("AND") {
                return Ok(());
            }
        }
    }

    /// One predicate; `true` in the answer when an `OR` chain was folded into `IN`.
    fn condition(&mut self, allow_or: bool) -> Result<(Condition, bool), SqlError> {
        // `literal op column` is turned around.
        if !matches!(self.peek(), Some(Token::Word(_) | Token::Quoted(_)))
            || self.is_keyword("NULL")
            || self.is_keyword("TRUE")
            || self.is_keyword("FALSE")
        {
            let value = self.literal()?;
            let op = self.cmp_op()?;
            let column = self.column_ref()?;
            return Ok((
                Condition::Compare {
                    column,
                    op: flip(op),
                    value,
                },
                false,
            ));
        }
        let column = self.column_ref()?;
        if self.eat_keyword("IS") {
            let negated = self.eat_keyword("NOT");
            self.expect_keyword("NULL")?;
            return Ok((Condition::IsNull { column, negated }, false));
        }
        let negated = self.eat_keyword("NOT");
        if self.eat_keyword("IN") {
            self.expect_symbol("(")?;
            let mut values = vec![self.literal()?];
            while self.eat_symbol(",") {
                values.push(self.literal()?);
            }
            self.expect_symbol(")")?;
            return Ok((
                Condition::In {
                    column,
                    values,
                    negated,
                },
                false,
            ));
        }
        if self.eat_keyword("LIKE") {
            let pattern = self.string()?;
            return Ok((
                Condition::Like {
                    column,
                    pattern,
                    negated,
                },
                false,
            ));
        }
        if negated {
            return Err(self.error("expected IN or LIKE after NOT"));
        }
        let op = self.cmp_op()?;
        let value = self.literal()?;
        // `c = 'a' OR c = 'b' ...` (drivers send this for SHOW VARIABLES) becomes `c IN (...)`.
        if op == CmpOp::Eq && allow_or && self.is_keyword("OR") {
            let mut values = vec![value];
            while self.eat_keyword("OR") {
                let other = self.column_ref()?;
                if !other.eq_ignore_ascii_case(&column) || self.cmp_op()? != CmpOp::Eq {
                    return Err(SqlError::not_supported(self.sql));
                }
                values.push(self.literal()?);
            }
            return Ok((
                Condition::In {
                    column,
                    values,
                    negated: false,
                },
                true,
            ));
        }
        Ok((Condition::Compare { column, op, value }, false))
    }

    fn cmp_op(&mut self) -> Result<CmpOp, SqlError> {
        let op = match self.peek() {
            Some(Token::Symbol("=")) => CmpOp::Eq,
            Some(Token::Symbol("!=")) | Some(Token::Symbol("<>")) => CmpOp::NotEq,
            Some(Token::Symbol("<")) => CmpOp::Lt,
            Some(Token::Symbol("<=")) => CmpOp::LtEq,
            Some(Token::Symbol(">")) => CmpOp::Gt,
            Some(Token::Symbol(">=")) => CmpOp::GtEq,
            _ => return Err(self.error("expected a comparison operator")),
        };
        self.pos += 1;
        Ok(op)
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::LtEq => CmpOp::GtEq,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::GtEq => CmpOp::LtEq,
        other => other,
    }
}
