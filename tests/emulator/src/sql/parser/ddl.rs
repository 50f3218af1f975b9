//! DDL: `CREATE/DROP DATABASE`, `CREATE TABLE` with StarRocks' key, comment, distribution and
//! properties clauses, `DROP DATABASE|TABLE [FORCE]`, `TRUNCATE TABLE`, `ALTER TABLE` column
//! changes. Clauses the emulator cannot honour (partitions, rollups, indexes, aggregate columns,
//! auto increment, generated columns) are refused rather than ignored.

use super::Parser;
use crate::sql::ast::{
    AlterOp, ColumnDefinition, ColumnPosition, CreateTable, Distribution, Literal, Statement,
};
use crate::sql::error::SqlError;
use crate::sql::lexer::Token;
use crate::storage::schema::KeyModel;

/// Aggregate functions of AGGREGATE KEY value columns.
const AGGREGATES: [&str; 8] = [
    "SUM",
    "MIN",
    "MAX",
    "REPLACE",
    "REPLACE_IF_NOT_NULL",
    "HLL_UNION",
    "BITMAP_UNION",
    "PERCENTILE_UNION",
];

impl Parser<'_> {
    pub(super) fn create(&mut self) -> Result<Statement, SqlError> {
        self.expect_keyword("CREATE")?;
        if self.eat_keyword("DATABASE") || self.eat_keyword("SCHEMA") {
            let if_not_exists = self.eat_keywords(&["IF", "NOT", "EXISTS"]);
            let name = self.identifier()?;
            // `PROPERTIES (...)` of a database (storage volume etc.) has no effect here.
            if self.is_keyword("PROPERTIES") {
                self.properties()?;
            }
            return Ok(Statement::CreateDatabase {
                name,
                if_not_exists,
            });
        }
        if self.eat_keyword("TABLE") {
            return self.create_table().map(Statement::CreateTable);
        }
        Err(self.unsupported())
    }

    pub(super) fn drop(&mut self) -> Result<Statement, SqlError> {
        self.expect_keyword("DROP")?;
        if self.eat_keyword("DATABASE") || self.eat_keyword("SCHEMA") {
            let if_exists = self.eat_keywords(&["IF", "EXISTS"]);
            let name = self.identifier()?;
            let force = self.eat_keyword("FORCE");
            return Ok(Statement::DropDatabase {
                name,
                if_exists,
                force,
            });
        }
        if self.eat_keyword("TABLE") {
            let if_exists = self.eat_keywords(&["IF", "EXISTS"]);
            let name = self.object_name()?;
            let force = self.eat_keyword("FORCE");
            return Ok(Statement::DropTable {
                name,
                if_exists,
                force,
            });
        }
        Err(self.unsupported())
    }

    pub(super) fn truncate(&mut self) -> Result<Statement, SqlError> {
        self.expect_keyword("TRUNCATE")?;
        self.eat_keyword("TABLE");
        let name = self.object_name()?;
        if self.is_keyword("PARTITION") {
            return Err(self.unsupported());
        }
        Ok(Statement::TruncateTable(name))
    }

    pub(super) fn alter(&mut self) -> Result<Statement, SqlError> {
        self.expect_keyword("ALTER")?;
        if !self.eat_keyword("TABLE") {
            return Err(self.unsupported());
        }
        let name = self.object_name()?;
        let mut ops = vec![self.alter_op()?];
        while self.eat_symbol(",") {
            ops.push(self.alter_op()?);
        }
        // `PROPERTIES ("timeout" = "...")` of the schema change job: accepted, not enforced (a
        // job waits for its loads however long they take).
        if self.is_keyword("PROPERTIES") {
            self.properties()?;
        }
        Ok(Statement::AlterTable { name, ops })
    }

    fn alter_op(&mut self) -> Result<AlterOp, SqlError> {
        if self.eat_keyword("ADD") {
            self.eat_keyword("COLUMN");
            if self.eat_symbol("(") {
                let mut columns = vec![self.column_definition()?];
                while self.eat_symbol(",") {
                    columns.push(self.column_definition()?);
                }
                self.expect_symbol(")")?;
                self.rollup_target()?;
                return Ok(AlterOp::AddColumns {
                    columns,
                    position: None,
                });
            }
            if self.is_keyword("PARTITION") || self.is_keyword("ROLLUP") || self.is_keyword("INDEX")
            {
                return Err(self.unsupported());
            }
            let column = self.column_definition()?;
            let position = self.position()?;
            self.rollup_target()?;
            return Ok(AlterOp::AddColumns {
                columns: vec![column],
                position,
            });
        }
        if self.eat_keyword("DROP") {
            if self.is_keyword("PARTITION") || self.is_keyword("ROLLUP") || self.is_keyword("INDEX")
            {
                return Err(self.unsupported());
            }
            self.eat_keyword("COLUMN");
            let column = self.identifier()?;
            self.rollup_target()?;
            return Ok(AlterOp::DropColumn(column));
        }
        if self.eat_keywords(&["RENAME", "COLUMN"]) {
            let from = self.identifier()?;
            self.expect_keyword("TO")?;
            let to = self.identifier()?;
            return Ok(AlterOp::RenameColumn { from, to });
        }
        if self.eat_keyword("MODIFY") {
            if self.is_keyword("COMMENT") {
                self.pos += 1;
                self.eat_symbol("=");
                return Ok(AlterOp::Comment(self.string()?));
            }
            self.eat_keyword("COLUMN");
            let column = self.column_definition()?;
            let position = self.position()?;
            self.rollup_target()?;
            return Ok(AlterOp::ModifyColumn { column, position });
        }
        if self.eat_keyword("COMMENT") {
            self.eat_symbol("=");
            return Ok(AlterOp::Comment(self.string()?));
        }
        Err(self.unsupported())
    }

    /// `FROM rollup` / `TO rollup` targets a rollup index, which the emulator does not have.
    fn rollup_target(&mut self) -> Result<(), SqlError> {
        if self.is_keyword("TO") || self.is_keyword("FROM") || self.is_keyword("IN") {
            return Err(self.unsupported());
        }
        Ok(())
    }

    fn position(&mut self) -> Result<Option<ColumnPosition>, SqlError> {
        if self.eat_keyword("FIRST") {
            Ok(Some(ColumnPosition::First))
        } else if self.eat_keyword("AFTER") {
            Ok(Some(ColumnPosition::After(self.identifier()?)))
        } else {
            Ok(None)
        }
    }

    fn create_table(&mut self) -> Result<CreateTable, SqlError> {
        let if_not_exists = self.eat_keywords(&["IF", "NOT", "EXISTS"]);
        let name = self.object_name()?;
        if self.is_keyword("LIKE") || self.is_keyword("AS") {
            return Err(self.unsupported());
        }
        self.expect_symbol("(")?;
        let mut columns = Vec::new();
        loop {
            if self.is_keyword("INDEX")
                || self.is_keyword("PRIMARY")
                || self.is_keyword("KEY")
                || self.is_keyword("CONSTRAINT")
            {
                return Err(self.unsupported());
            }
            columns.push(self.column_definition()?);
            if !self.eat_symbol(",") {
                break;
            }
        }
        self.expect_symbol(")")?;
        let mut table = CreateTable {
            name,
            if_not_exists,
            columns,
            key: None,
            comment: String::new(),
            distribution: None,
            buckets: None,
            properties: Vec::new(),
        };
        while !self.at_end() {
            self.table_clause(&mut table)?;
        }
        Ok(table)
    }

    fn table_clause(&mut self, table: &mut CreateTable) -> Result<(), SqlError> {
        if self.eat_keyword("ENGINE") {
            self.eat_symbol("=");
            let engine = self.identifier()?;
            if !engine.eq_ignore_ascii_case("olap") {
                return Err(self.unsupported());
            }
            return Ok(());
        }
        for (word, model) in [
            ("DUPLICATE", Some(KeyModel::Duplicate)),
            ("PRIMARY", Some(KeyModel::Primary)),
            ("UNIQUE", Some(KeyModel::Unique)),
            ("AGGREGATE", None),
        ] {
            if self.is_keyword(word) && self.peek_keyword_at(1, "KEY") {
                let Some(model) = model else {
                    return Err(SqlError::invalid(
                        "AGGREGATE KEY tables are not supported by the emulator",
                    ));
                };
                self.pos += 2;
                let keys = self.identifier_list()?;
                if table.key.replace((model, keys)).is_some() {
                    return Err(self.error("the key clause is given twice"));
                }
                return Ok(());
            }
        }
        if self.eat_keyword("COMMENT") {
            self.eat_symbol("=");
            table.comment = self.string()?;
            return Ok(());
        }
        if self.eat_keywords(&["DISTRIBUTED", "BY"]) {
            table.distribution = Some(if self.eat_keyword("HASH") {
                Distribution::Hash(self.identifier_list()?)
            } else if self.eat_keyword("RANDOM") {
                Distribution::Random
            } else {
                return Err(self.error("expected HASH or RANDOM"));
            });
            return Ok(());
        }
        if self.eat_keyword("BUCKETS") {
            if self.eat_keyword("AUTO") {
                table.buckets = None;
            } else {
                let n = self.unsigned()?;
                let n = u32::try_from(n)
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| SqlError::invalid("Number of buckets should be positive"))?;
                table.buckets = Some(n);
            }
            return Ok(());
        }
        if self.eat_keywords(&["ORDER", "BY"]) {
            // The sort key only changes physical layout; rows read back the same.
            self.identifier_list()?;
            return Ok(());
        }
        if self.is_keyword("PROPERTIES") {
            table.properties = self.properties()?;
            return Ok(());
        }
        if self.is_keyword("PARTITION") || self.is_keyword("ROLLUP") || self.is_keyword("BROKER") {
            return Err(self.unsupported());
        }
        Err(self.error("unexpected clause"))
    }

    /// `PROPERTIES ("k" = "v", ...)`.
    fn properties(&mut self) -> Result<Vec<(String, String)>, SqlError> {
        self.expect_keyword("PROPERTIES")?;
        self.expect_symbol("(")?;
        let mut out = Vec::new();
        if self.eat_symbol(")") {
            return Ok(out);
        }
        loop {
            let key = self.string()?;
            self.expect_symbol("=")?;
            let value = self.string()?;
            out.push((key, value));
            if !self.eat_symbol(",") {
                break;
            }
        }
        self.expect_symbol(")")?;
        Ok(out)
    }

    /// `name type [NULL | NOT NULL] [DEFAULT ...] [COMMENT '...']`.
    fn column_definition(&mut self) -> Result<ColumnDefinition, SqlError> {
        let name = self.identifier()?;
        let type_name = self.type_name()?;
        let mut column = ColumnDefinition {
            name,
            type_name,
            nullable: true,
            default: None,
            comment: String::new(),
        };
        loop {
            if self.eat_keywords(&["NOT", "NULL"]) {
                column.nullable = false;
            } else if self.eat_keyword("NULL") {
                column.nullable = true;
            } else if self.eat_keyword("DEFAULT") {
                column.default = self.default_value()?;
            } else if self.eat_keyword("COMMENT") {
                column.comment = self.string()?;
            } else if self.eat_keyword("KEY") {
                // Marks a key column in StarRocks' own `SHOW CREATE TABLE` output; the key clause
                // decides.
            } else if AGGREGATES.iter().any(|a| self.is_keyword(a)) {
                return Err(SqlError::invalid(
                    "AGGREGATE KEY tables are not supported by the emulator",
                ));
            } else if self.is_keyword("AUTO_INCREMENT") || self.is_keyword("AS") {
                return Err(self.unsupported());
            } else {
                return Ok(column);
            }
        }
    }

    fn default_value(&mut self) -> Result<Option<String>, SqlError> {
        if self.eat_keyword("CURRENT_TIMESTAMP") {
            if self.eat_symbol("(") {
                self.expect_symbol(")")?;
            }
            return Ok(Some(crate::storage::schema::CURRENT_TIMESTAMP.to_string()));
        }
        if self.is_symbol("(") {
            // `DEFAULT (expr)` (e.g. uuid()) needs expression evaluation.
            return Err(self.unsupported());
        }
        match self.literal()? {
            Literal::Null => Ok(None),
            other => Ok(other.text()),
        }
    }

    /// A type: a name with optional `(n[, m])`, or a nested `ARRAY<...>`/`MAP<...>`/`STRUCT<...>`
    /// kept as written; `ColumnType::parse` checks it (and ignores display widths like `INT(11)`).
    fn type_name(&mut self) -> Result<String, SqlError> {
        let name = match self.advance().map(|s| s.token) {
            Some(Token::Word(w)) => w.to_ascii_uppercase(),
            _ => return Err(self.error("expected a column type")),
        };
        if self.is_symbol("<") {
            let start = self.offset();
            let mut depth = 0usize;
            while let Some(t) = self.advance() {
                match t.token {
                    Token::Symbol("<") => depth += 1,
                    Token::Symbol(">") => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(format!("{name}{}", self.source(start, t.end)));
                        }
                    }
                    _ => {}
                }
            }
            return Err(self.error("unterminated type"));
        }
        if !self.eat_symbol("(") {
            return Ok(name);
        }
        let mut args = vec![self.unsigned()?];
        while self.eat_symbol(",") {
            args.push(self.unsigned()?);
        }
        self.expect_symbol(")")?;
        let args: Vec<String> = args.iter().map(u64::to_string).collect();
        Ok(format!("{name}({})", args.join(",")))
    }
}
