//! The `SHOW` family (`DATABASES`, `[FULL] TABLES`, `[FULL] COLUMNS`, `CREATE TABLE`,
//! `ALTER TABLE COLUMN`, `VARIABLES`, `WARNINGS`, `ERRORS`) and `DESC`.

use super::Parser;
use crate::sql::ast::{CmpOp, Condition, Literal, ObjectName, Show, Statement};
use crate::sql::error::SqlError;

impl Parser<'_> {
    pub(super) fn show(&mut self) -> Result<Statement, SqlError> {
        self.expect_keyword("SHOW")?;
        let full = self.eat_keyword("FULL");
        if self.eat_keyword("DATABASES") || self.eat_keyword("SCHEMAS") {
            let like = self.optional_like()?;
            return Ok(Statement::Show(Show::Databases { like }));
        }
        if self.eat_keyword("TABLES") {
            let database = self.optional_from()?;
            let like = self.optional_like()?;
            return Ok(Statement::Show(Show::Tables {
                database,
                full,
                like,
            }));
        }
        if self.eat_keyword("COLUMNS") || self.eat_keyword("FIELDS") {
            if !(self.eat_keyword("FROM") || self.eat_keyword("IN")) {
                return Err(self.error("expected FROM"));
            }
            let mut table = self.object_name()?;
            if let Some(db) = self.optional_from()? {
                table.database = Some(db);
            }
            let like = self.optional_like()?;
            return Ok(Statement::Show(Show::Columns { table, full, like }));
        }
        if self.eat_keywords(&["CREATE", "TABLE"]) {
            return Ok(Statement::Show(Show::CreateTable(self.object_name()?)));
        }
        if self.eat_keywords(&["ALTER", "TABLE", "COLUMN"]) {
            let database = self.optional_from()?;
            let filter = self.filter()?;
            return Ok(Statement::Show(Show::AlterTableColumn { database, filter }));
        }
        self.eat_scope();
        if self.eat_keyword("VARIABLES") {
            if self.eat_keyword("WHERE") {
                let mut conditions = Vec::new();
                self.conjunction(&mut conditions)?;
                let names = match conditions.as_slice() {
                    [Condition::Compare {
                        op: CmpOp::Eq,
                        value,
                        ..
                    }] => value.text().into_iter().collect(),
                    [Condition::In {
                        values,
                        negated: false,
                        ..
                    }] => values.iter().filter_map(Literal::text).collect(),
                    _ => return Err(self.unsupported()),
                };
                return Ok(Statement::Show(Show::Variables { like: None, names }));
            }
            let like = self.optional_like()?;
            return Ok(Statement::Show(Show::Variables {
                like,
                names: Vec::new(),
            }));
        }
        if self.eat_keyword("WARNINGS") {
            self.filter()?;
            return Ok(Statement::Show(Show::Warnings));
        }
        if self.eat_keyword("ERRORS") {
            self.filter()?;
            return Ok(Statement::Show(Show::Errors));
        }
        Err(self.unsupported())
    }

    fn optional_from(&mut self) -> Result<Option<String>, SqlError> {
        if self.eat_keyword("FROM") || self.eat_keyword("IN") {
            Ok(Some(self.identifier()?))
        } else {
            Ok(None)
        }
    }

    fn optional_like(&mut self) -> Result<Option<String>, SqlError> {
        if self.eat_keyword("LIKE") {
            Ok(Some(self.string()?))
        } else {
            Ok(None)
        }
    }

    pub(super) fn describe(&mut self) -> Result<Statement, SqlError> {
        self.pos += 1;
        let table: ObjectName = self.object_name()?;
        Ok(Statement::Show(Show::Columns {
            table,
            full: false,
            like: None,
        }))
    }
}
