//! Carrying rows over to a changed schema (`ALTER TABLE`). The table's visible rows: every row
//! is rebuilt column by column from its source (an old column's value as load text, i.e. its
//! canonical text or, for VARBINARY, its hex, converted by the new type's loader, or a fill value)
//! and the table is rebuilt with the load path's own `apply`, so keyed tables stay keyed and
//! DUPLICATE KEY tables keep their row order. Any value that does not fit the new type fails the
//! whole change and leaves the table untouched. Staged rows of a load (`evolve_staged`) are
//! converted the same way, keeping their `__op`s, a partial update's covered columns (an added
//! column is not covered) and the `merge_condition` column.

use std::sync::Arc;

use super::alter::ColumnSource;
use super::column::Column;
use super::lineage::Step;
use super::schema::{ColumnDef, TableSchema};
use super::table::{StagedRows, Table};
use super::upsert::ApplyMode;
use crate::types::convert::Input;

/// A new column's value as load text (`None` = NULL); `existing(j)` is old column `j`'s.
fn source_text(
    source: &ColumnSource,
    existing: impl Fn(usize) -> Option<String>,
) -> Option<String> {
    match source {
        ColumnSource::Existing(j) => existing(*j),
        ColumnSource::Fill(v) => v.clone(),
    }
}

/// Appends a non-NULL value converted to `def`'s type.
fn push_text(column: &mut Column, def: &ColumnDef, text: &str) -> Result<(), String> {
    column.push(&Input::Text(text.as_bytes())).map_err(|e| {
        format!(
            "Can not convert value '{text}' of column '{}' to {}: {e}",
            def.name, def.ty
        )
    })
}

/// A new table with `schema` holding the rows of `old`, each column taken from `sources`
/// (one per column of `schema`); it follows `old` in the table's lineage.
pub fn evolve(old: &Table, schema: TableSchema, sources: &[ColumnSource]) -> Result<Table, String> {
    if sources.len() != schema.columns.len() {
        return Err("internal error: one source per column is needed".to_string());
    }
    let mut staged = StagedRows::new(&schema, false);
    let old_columns = &old.schema().columns;
    for row in old.values() {
        let existing = |j: usize| row.get(j).and_then(|v| v.load_text(&old_columns[j].ty));
        for (i, (source, def)) in sources.iter().zip(&schema.columns).enumerate() {
            let column = &mut staged.columns[i];
            match source_text(source, existing) {
                None if def.nullable => column.push_null(),
                None => {
                    return Err(format!(
                        "Column '{}' is NOT NULL but an existing row has NULL",
                        def.name
                    ))
                }
                Some(text) => push_text(column, def, &text)?,
            }
        }
    }
    let mut table = old.successor(schema, Step::Altered(Arc::from(sources)));
    table.apply(staged);
    Ok(table)
}

/// Rows a load staged against `from`, converted to `to` (columns taken from `sources`). A NULL
/// stays NULL even in a NOT NULL column: a partial update's uncovered columns are NULL here.
pub fn evolve_staged(
    rows: &StagedRows,
    from: &TableSchema,
    to: &TableSchema,
    sources: &[ColumnSource],
) -> Result<StagedRows, String> {
    let mut out = StagedRows::new(to, false);
    out.ops = rows.ops.clone();
    for r in 0..rows.len() {
        let existing = |j: usize| rows.columns[j].get(r).load_text(&from.columns[j].ty);
        for (i, (source, def)) in sources.iter().zip(&to.columns).enumerate() {
            let column = &mut out.columns[i];
            match source_text(source, existing) {
                None => column.push_null(),
                Some(text) => push_text(column, def, &text)?,
            }
        }
    }
    let old_index = |source: &ColumnSource| match source {
        ColumnSource::Existing(j) => Some(*j),
        ColumnSource::Fill(_) => None,
    };
    out.mode = ApplyMode {
        partial: rows.mode.partial.as_ref().map(|covered| {
            sources
                .iter()
                .map(|s| old_index(s).is_some_and(|j| covered[j]))
                .collect()
        }),
        merge_condition: rows
            .mode
            .merge_condition
            .and_then(|c| sources.iter().position(|s| old_index(s) == Some(c))),
    };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::alter::{plan, SchemaChange};
    use crate::storage::schema::{ColumnDef, ColumnSpec, KeyModel, TableSpec};

    fn table(model: KeyModel, rows: &[&[Option<&str>]]) -> Table {
        let spec = TableSpec::new("d", "t", model)
            .column("id", "BIGINT", false)
            .column("b", "BOOLEAN", true)
            .column("f", "FLOAT", true)
            .column("x", "DOUBLE", true)
            .column("l", "LARGEINT", true)
            .column("m", "DECIMAL(20,4)", true)
            .column("ts", "DATETIME", true)
            .column("j", "JSON", true)
            .column("s", "VARCHAR(10)", true)
            .keys(&["id"]);
        let schema = TableSchema::from_spec(&spec).expect("schema");
        let mut staged = StagedRows::new(&schema, false);
        for row in rows {
            for (column, value) in staged.columns.iter_mut().zip(row.iter()) {
                match value {
                    Some(v) => column.push(&Input::Text(v.as_bytes())).expect("value"),
                    None => column.push_null(),
                }
            }
        }
        let mut t = Table::new(schema);
        t.apply(staged);
        t
    }

    fn column(name: &str, ty: &str, nullable: bool, default: Option<&str>) -> ColumnDef {
        ColumnDef::from_spec(&ColumnSpec {
            name: name.into(),
            type_name: ty.into(),
            nullable,
            default: default.map(str::to_string),
            comment: String::new(),
        })
        .expect("column")
    }

    const ROWS: [&[Option<&str>]; 2] = [
        &[
            Some("2"),
            Some("true"),
            Some("1e20"),
            Some("0.1"),
            Some("170141183460469231731687303715884105727"),
            Some("-12.34565"),
            Some("2024-02-29 13:05:09.000123"),
            Some("{\"b\":1,\"a\":[1,2]}"),
            Some("héllo"),
        ],
        &[Some("1"), None, None, None, None, None, None, None, None],
    ];

    #[test]
    fn canonical_values_survive_a_schema_change_unchanged() {
        for model in [KeyModel::Primary, KeyModel::Duplicate] {
            let old = table(model, &ROWS);
            let changes = [SchemaChange::AddColumn {
                column: column("extra", "INT", true, Some("5")),
                position: None,
            }];
            let planned = plan(old.schema(), &changes, "2024-01-01 00:00:00").expect("plan");
            assert!(planned.is_job);
            let new = evolve(&old, planned.schema, &planned.sources).expect("evolve");
            let before = old.rows();
            let after = new.rows();
            assert_eq!(before.len(), after.len());
            for (b, a) in before.iter().zip(&after) {
                assert_eq!(&a[..b.len()], &b[..], "{model:?}");
                assert_eq!(a.last(), Some(&Some("5".to_string())));
            }
        }
    }

    #[test]
    fn a_modify_converts_values_or_fails_whole() {
        let old = table(KeyModel::Duplicate, &ROWS);
        let widen = [SchemaChange::ModifyColumn {
            column: column("s", "VARCHAR(20)", true, None),
            position: None,
        }];
        let planned = plan(old.schema(), &widen, "").expect("plan");
        let new = evolve(&old, planned.schema, &planned.sources).expect("evolve");
        assert_eq!(new.rows()[0][8].as_deref(), Some("héllo"));
        let to_int = [SchemaChange::ModifyColumn {
            column: column("s", "INT", true, None),
            position: None,
        }];
        let planned = plan(old.schema(), &to_int, "").expect("plan");
        let e = evolve(&old, planned.schema, &planned.sources).expect_err("not an int");
        assert!(e.contains("Can not convert value 'héllo'"), "{e}");
    }

    #[test]
    fn plans_follow_starrocks_rules() {
        let old = table(KeyModel::Primary, &[]);
        let schema = old.schema();
        let refused = [
            SchemaChange::DropColumn("id".into()),
            SchemaChange::AddColumn {
                column: column("z", "INT", false, None),
                position: None,
            },
            SchemaChange::AddColumn {
                column: column("z", "INT", true, None),
                position: Some(crate::storage::alter::Position::First),
            },
            SchemaChange::ModifyColumn {
                column: column("s", "VARCHAR(5)", true, None),
                position: None,
            },
            SchemaChange::ModifyColumn {
                column: column("id", "BIGINT", true, None),
                position: None,
            },
            SchemaChange::ModifyColumn {
                column: column("id", "DOUBLE", false, None),
                position: None,
            },
            SchemaChange::RenameColumn {
                from: "b".into(),
                to: "S".into(),
            },
        ];
        for change in refused {
            assert!(
                plan(schema, std::slice::from_ref(&change), "").is_err(),
                "{change:?}"
            );
        }
        let renamed = plan(
            schema,
            &[
                SchemaChange::RenameColumn {
                    from: "b".into(),
                    to: "flag".into(),
                },
                SchemaChange::Comment("c".into()),
            ],
            "",
        )
        .expect("rename");
        assert!(!renamed.is_job);
        assert_eq!(renamed.schema.columns[1].name, "flag");
        assert_eq!(renamed.schema.comment, "c");
        let filled = plan(
            schema,
            &[SchemaChange::AddColumn {
                column: column("at", "DATETIME", true, Some("CURRENT_TIMESTAMP")),
                position: Some(crate::storage::alter::Position::After("id".into())),
            }],
            "2024-05-01 10:00:00",
        )
        .expect("add");
        assert_eq!(filled.schema.columns[1].name, "at");
        assert_eq!(
            filled.sources[1],
            crate::storage::alter::ColumnSource::Fill(Some("2024-05-01 10:00:00".into()))
        );
    }
}
