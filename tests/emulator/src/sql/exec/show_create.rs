//! `SHOW CREATE TABLE` text in StarRocks' layout (back-quoted names, `toSql` type names,
//! `ENGINE=OLAP`, key clause, comment, distribution, properties). The emulator's own parser
//! reads it back, so a table can be re-created from it.

use super::type_info::sql_type;
use crate::storage::schema::{KeyModel, TableSchema, CURRENT_TIMESTAMP};

fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A double-quoted string literal with backslash escapes.
pub fn quote_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

fn key_clause(model: KeyModel) -> &'static str {
    match model {
        KeyModel::Duplicate => "DUPLICATE KEY",
        KeyModel::Primary => "PRIMARY KEY",
        KeyModel::Unique => "UNIQUE KEY",
    }
}

pub fn render(schema: &TableSchema) -> String {
    let mut out = format!("CREATE TABLE {} (\n", quote_ident(&schema.name));
    let columns: Vec<String> = schema
        .columns
        .iter()
        .map(|c| {
            let mut line = format!(
                "  {} {} {}",
                quote_ident(&c.name),
                sql_type(&c.ty),
                if c.nullable { "NULL" } else { "NOT NULL" }
            );
            match &c.default {
                Some(d) if d.eq_ignore_ascii_case(CURRENT_TIMESTAMP) => {
                    line.push_str(" DEFAULT CURRENT_TIMESTAMP")
                }
                Some(d) => line.push_str(&format!(" DEFAULT {}", quote_string(d))),
                None => {}
            }
            line.push_str(&format!(" COMMENT {}", quote_string(&c.comment)));
            line
        })
        .collect();
    out.push_str(&columns.join(",\n"));
    out.push_str("\n) ENGINE=OLAP \n");
    let keys: Vec<String> = schema.columns[..schema.key_count]
        .iter()
        .map(|c| quote_ident(&c.name))
        .collect();
    out.push_str(&format!(
        "{}({})\n",
        key_clause(schema.model),
        keys.join(", ")
    ));
    if !schema.comment.is_empty() {
        out.push_str(&format!("COMMENT {}\n", quote_string(&schema.comment)));
    }
    let distribution = if !schema.distribution.is_empty() {
        let names: Vec<String> = schema.distribution.iter().map(|d| quote_ident(d)).collect();
        format!("DISTRIBUTED BY HASH({})", names.join(", "))
    } else if schema.model == KeyModel::Duplicate {
        "DISTRIBUTED BY RANDOM".to_string()
    } else {
        format!("DISTRIBUTED BY HASH({})", keys.join(", "))
    };
    out.push_str(&distribution);
    if let Some(n) = schema.buckets {
        out.push_str(&format!(" BUCKETS {n}"));
    }
    if !schema.properties.is_empty() {
        let props: Vec<String> = schema
            .properties
            .iter()
            .map(|(k, v)| format!("{} = {}", quote_string(k), quote_string(v)))
            .collect();
        out.push_str(&format!(" \nPROPERTIES (\n{}\n)", props.join(",\n")));
    }
    out.push(';');
    out
}
