//! Planning `ALTER TABLE` column changes: from the current schema and a list of changes, the new
//! schema and, for every new column, where its values come from (an old column, converted, or a
//! fill value for added columns). The rules follow StarRocks for the supported subset: value
//! columns cannot go before key columns, key columns of PRIMARY/UNIQUE KEY tables and
//! distribution columns cannot be dropped, a nullable column cannot become NOT NULL, strings and
//! binaries cannot get shorter, an added NOT NULL column needs a default, JSON, VARBINARY and
//! ARRAY/MAP/STRUCT columns keep their type (a VARBINARY may get longer). Whether existing values
//! fit a new type is checked when the rows are carried over (`evolve`).

use super::schema::{invalid_key_type, ColumnDef, KeyModel, TableSchema, CURRENT_TIMESTAMP};
use crate::types::{ColumnType, StorageKind};

/// Where an added or moved column goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    First,
    After(String),
}

/// One change of an `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaChange {
    AddColumn {
        column: ColumnDef,
        position: Option<Position>,
    },
    DropColumn(String),
    RenameColumn {
        from: String,
        to: String,
    },
    ModifyColumn {
        column: ColumnDef,
        position: Option<Position>,
    },
    Comment(String),
}

/// Where the values of a column of the new schema come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnSource {
    /// The old column at this index (converted to the new type if it changed).
    Existing(usize),
    /// A constant for every existing row (`None` = NULL).
    Fill(Option<String>),
}

/// The outcome of planning.
#[derive(Debug, Clone)]
pub struct AlterPlan {
    pub schema: TableSchema,
    pub sources: Vec<ColumnSource>,
    /// StarRocks runs this as a schema-change job (add/drop/modify column), listed by
    /// `SHOW ALTER TABLE COLUMN`; renames and comments are metadata-only.
    pub is_job: bool,
}

struct Working {
    columns: Vec<(ColumnDef, ColumnSource)>,
    key_count: usize,
    distribution: Vec<String>,
    comment: String,
}

impl Working {
    fn find(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|(c, _)| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|(c, _)| c.name.eq_ignore_ascii_case(name))
            })
    }

    fn require(&self, name: &str) -> Result<usize, String> {
        self.find(name)
            .ok_or_else(|| format!("Column '{name}' does not exist"))
    }

    /// Index a value column goes to.
    fn value_slot(&self, position: &Option<Position>, name: &str) -> Result<usize, String> {
        let index = match position {
            None => self.columns.len(),
            Some(Position::First) => 0,
            Some(Position::After(after)) => self.require(after)? + 1,
        };
        if index < self.key_count {
            return Err(format!(
                "Invalid column order: value column '{name}' cannot be placed before key columns"
            ));
        }
        Ok(index)
    }
}

/// Plans `changes` against `old`. `now` fills `DEFAULT CURRENT_TIMESTAMP` columns that are added.
pub fn plan(old: &TableSchema, changes: &[SchemaChange], now: &str) -> Result<AlterPlan, String> {
    let mut w = Working {
        columns: old
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), ColumnSource::Existing(i)))
            .collect(),
        key_count: old.key_count,
        distribution: old.distribution.clone(),
        comment: old.comment.clone(),
    };
    let mut is_job = false;
    for change in changes {
        match change {
            SchemaChange::AddColumn { column, position } => {
                is_job = true;
                if w.find(&column.name).is_some() {
                    return Err(format!("Duplicate column name '{}'", column.name));
                }
                if !column.nullable && column.default.is_none() {
                    return Err(format!(
                        "Invalid column definition: NOT NULL column '{}' needs a DEFAULT value to be added",
                        column.name
                    ));
                }
                let fill = match &column.default {
                    Some(d) if d.eq_ignore_ascii_case(CURRENT_TIMESTAMP) => Some(now.to_string()),
                    other => other.clone(),
                };
                let index = w.value_slot(position, &column.name)?;
                w.columns
                    .insert(index, (column.clone(), ColumnSource::Fill(fill)));
            }
            SchemaChange::DropColumn(name) => {
                is_job = true;
                let index = w.require(name)?;
                let actual = w.columns[index].0.name.clone();
                if index < w.key_count {
                    if old.model != KeyModel::Duplicate {
                        return Err(format!(
                            "Can not drop key column '{actual}' of a {} KEY table",
                            old.model.name()
                        ));
                    }
                    if w.key_count == 1 {
                        return Err(format!("Can not drop the only key column '{actual}'"));
                    }
                    w.key_count -= 1;
                }
                if w.distribution
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(&actual))
                {
                    return Err(format!("Can not drop distribution column '{actual}'"));
                }
                if w.columns.len() == 1 {
                    return Err("Can not drop the last column of a table".to_string());
                }
                w.columns.remove(index);
            }
            SchemaChange::RenameColumn { from, to } => {
                let index = w.require(from)?;
                if let Some(other) = w.find(to) {
                    if other != index {
                        return Err(format!("Duplicate column name '{to}'"));
                    }
                }
                if to.is_empty() || to.eq_ignore_ascii_case("__op") {
                    return Err(format!("Invalid column name '{to}'"));
                }
                let actual = std::mem::replace(&mut w.columns[index].0.name, to.clone());
                for d in &mut w.distribution {
                    if d.eq_ignore_ascii_case(&actual) {
                        *d = to.clone();
                    }
                }
            }
            SchemaChange::ModifyColumn { column, position } => {
                is_job = true;
                let index = w.require(&column.name)?;
                let (current, source) = w.columns[index].clone();
                check_modify(&current, column, index < w.key_count)?;
                let mut replaced = column.clone();
                replaced.name = current.name.clone();
                if position.is_some() {
                    if index < w.key_count {
                        return Err(format!(
                            "Can not change the position of key column '{}'",
                            current.name
                        ));
                    }
                    w.columns.remove(index);
                    let slot = w.value_slot(position, &replaced.name)?;
                    w.columns.insert(slot, (replaced, source));
                } else {
                    w.columns[index] = (replaced, source);
                }
            }
            SchemaChange::Comment(comment) => w.comment = comment.clone(),
        }
    }
    let (columns, sources): (Vec<ColumnDef>, Vec<ColumnSource>) = w.columns.into_iter().unzip();
    let schema = TableSchema {
        columns,
        key_count: w.key_count,
        distribution: w.distribution,
        comment: w.comment,
        ..old.clone()
    };
    schema.check_distribution()?;
    if schema.model == KeyModel::Primary {
        if let Some(c) = schema.columns[..schema.key_count]
            .iter()
            .find(|c| c.nullable)
        {
            return Err(format!("primary key column '{}' must be NOT NULL", c.name));
        }
    }
    Ok(AlterPlan {
        schema,
        sources,
        is_job,
    })
}

fn check_modify(current: &ColumnDef, new: &ColumnDef, is_key: bool) -> Result<(), String> {
    if current.nullable && !new.nullable {
        return Err(format!(
            "Can not change column '{}' from nullable to non-nullable",
            current.name
        ));
    }
    if is_key && !new.ty.can_be_key() {
        return Err(invalid_key_type(&current.name, &new.ty));
    }
    if let (Some(old_len), Some(new_len)) = (current.ty.max_len(), new.ty.max_len()) {
        if new_len < old_len {
            return Err(format!(
                "Cannot shorten string length of column '{}' from {} to {}",
                current.name, current.ty, new.ty
            ));
        }
    }
    let numeric_to_date =
        is_number(&current.ty) && matches!(new.ty, ColumnType::Date | ColumnType::DateTime);
    let json_change = (current.ty == ColumnType::Json) != (new.ty == ColumnType::Json);
    let binary_change = matches!(current.ty, ColumnType::VarBinary(_))
        != matches!(new.ty, ColumnType::VarBinary(_));
    // [inf] StarRocks' schema change has no conversions of ARRAY/MAP/STRUCT columns.
    let nested_change = (current.ty.is_nested() || new.ty.is_nested()) && current.ty != new.ty;
    if numeric_to_date || json_change || binary_change || nested_change {
        return Err(format!(
            "Can not change {} to {} (column '{}')",
            current.ty, new.ty, current.name
        ));
    }
    Ok(())
}

fn is_number(ty: &ColumnType) -> bool {
    ty.storage() != StorageKind::Bytes && !matches!(ty, ColumnType::Date | ColumnType::DateTime)
}
