//! Table definitions: the public `TableSpec` a test or the control API hands in, and the validated
//! `TableSchema` the rest of the emulator works with. Validation follows StarRocks' rules for the
//! supported subset: key columns are the leading columns in order, PRIMARY KEY columns are NOT NULL,
//! FLOAT/DOUBLE/JSON/VARBINARY/ARRAY/MAP/STRUCT cannot be keys, column names are unique ignoring
//! case, defaults must fit the column type, distribution columns must exist, be hashable (not
//! JSON/VARBINARY/ARRAY/MAP/STRUCT) and be key columns on PRIMARY/UNIQUE tables.
//! Comments, distribution, buckets and properties are kept only to be shown back (`SHOW CREATE
//! TABLE`, `information_schema`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::column::Column;
use crate::types::convert::Input;
use crate::types::ColumnType;

/// The default expression StarRocks accepts unquoted for DATETIME columns.
pub const CURRENT_TIMESTAMP: &str = "CURRENT_TIMESTAMP";

/// Table key model. AGGREGATE KEY is not emulated yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum KeyModel {
    Duplicate,
    Primary,
    Unique,
}

impl KeyModel {
    pub fn parse(text: &str) -> Result<KeyModel, String> {
        match text.to_ascii_uppercase().as_str() {
            "DUPLICATE" | "DUPLICATE KEY" => Ok(KeyModel::Duplicate),
            "PRIMARY" | "PRIMARY KEY" => Ok(KeyModel::Primary),
            "UNIQUE" | "UNIQUE KEY" => Ok(KeyModel::Unique),
            "AGGREGATE" | "AGGREGATE KEY" => {
                Err("AGGREGATE KEY tables are not supported by the emulator yet".to_string())
            }
            _ => Err(format!("unknown key model '{text}'")),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            KeyModel::Duplicate => "DUPLICATE",
            KeyModel::Primary => "PRIMARY",
            KeyModel::Unique => "UNIQUE",
        }
    }
}

/// A column as given by the caller.
#[derive(Debug, Clone, Deserialize)]
pub struct ColumnSpec {
    pub name: String,
    /// StarRocks type name, e.g. `BIGINT`, `DECIMAL(10,2)`, `VARCHAR(64)`.
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default = "default_nullable")]
    pub nullable: bool,
    /// Default value as text (`CURRENT_TIMESTAMP` for the function); `None` = no default.
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub comment: String,
}

fn default_nullable() -> bool {
    true
}

/// A table definition as given by the caller (also the JSON body of `POST /control/tables`).
#[derive(Debug, Clone, Deserialize)]
pub struct TableSpec {
    pub database: String,
    pub table: String,
    #[serde(default = "default_model", deserialize_with = "deserialize_model")]
    pub model: KeyModel,
    #[serde(default)]
    pub keys: Vec<String>,
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    pub comment: String,
    /// `DISTRIBUTED BY HASH(...)` columns; empty = not given (hash of the keys, or RANDOM).
    #[serde(default)]
    pub distribution: Vec<String>,
    #[serde(default)]
    pub buckets: Option<u32>,
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

fn default_model() -> KeyModel {
    KeyModel::Duplicate
}

fn deserialize_model<'de, D: serde::Deserializer<'de>>(d: D) -> Result<KeyModel, D::Error> {
    let text = String::deserialize(d)?;
    KeyModel::parse(&text).map_err(serde::de::Error::custom)
}

impl TableSpec {
    /// Starts a table definition; add columns with `column` and keys with `keys`.
    pub fn new(database: &str, table: &str, model: KeyModel) -> TableSpec {
        TableSpec {
            database: database.to_string(),
            table: table.to_string(),
            model,
            keys: Vec::new(),
            columns: Vec::new(),
            comment: String::new(),
            distribution: Vec::new(),
            buckets: None,
            properties: BTreeMap::new(),
        }
    }

    pub fn column(mut self, name: &str, type_name: &str, nullable: bool) -> TableSpec {
        self.columns.push(ColumnSpec {
            name: name.to_string(),
            type_name: type_name.to_string(),
            nullable,
            default: None,
            comment: String::new(),
        });
        self
    }

    pub fn keys(mut self, keys: &[&str]) -> TableSpec {
        self.keys = keys.iter().map(|k| k.to_string()).collect();
        self
    }

    /// Parses the JSON form (same as the control API body).
    pub fn from_json(text: &str) -> Result<TableSpec, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid table spec: {e}"))
    }
}

/// StarRocks' refusal of a key column whose type cannot be a key (FE `ColumnDef.analyze`).
pub fn invalid_key_type(name: &str, ty: &ColumnType) -> String {
    let hint = if matches!(ty, ColumnType::Float | ColumnType::Double) {
        ", use decimal instead"
    } else {
        ""
    };
    format!("Invalid data type of key column '{name}': '{ty}'{hint}")
}

/// A validated column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    /// Default value as text (`CURRENT_TIMESTAMP` for the function), checked against `ty`.
    pub default: Option<String>,
    pub comment: String,
}

impl ColumnDef {
    /// Validates a column definition: name, type, default.
    pub fn from_spec(c: &ColumnSpec) -> Result<ColumnDef, String> {
        if c.name.is_empty() {
            return Err("column names must not be empty".to_string());
        }
        if c.name.eq_ignore_ascii_case("__op") {
            return Err("column name '__op' is reserved".to_string());
        }
        let ty = ColumnType::parse(&c.type_name)?;
        let def = ColumnDef {
            name: c.name.clone(),
            ty,
            nullable: c.nullable,
            default: c.default.clone(),
            comment: c.comment.clone(),
        };
        def.check_default()?;
        Ok(def)
    }

    /// Checks that the default value (if any) is a valid value of the column type.
    pub fn check_default(&self) -> Result<(), String> {
        let Some(default) = &self.default else {
            return Ok(());
        };
        if default.eq_ignore_ascii_case(CURRENT_TIMESTAMP) {
            return if self.ty == ColumnType::DateTime {
                Ok(())
            } else {
                Err(format!("Invalid default value for '{}'", self.name))
            };
        }
        let mut probe = Column::new(&self.ty);
        probe
            .push(&Input::Text(default.as_bytes()))
            .map_err(|e| format!("Invalid default value for '{}': {e}", self.name))
    }
}

/// A validated table definition. Key columns are `columns[..key_count]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    pub database: String,
    pub name: String,
    pub model: KeyModel,
    pub key_count: usize,
    pub columns: Vec<ColumnDef>,
    pub comment: String,
    /// Distribution columns as given (empty = not given).
    pub distribution: Vec<String>,
    pub buckets: Option<u32>,
    pub properties: BTreeMap<String, String>,
}

impl TableSchema {
    pub fn from_spec(spec: &TableSpec) -> Result<TableSchema, String> {
        if spec.table.is_empty() || spec.database.is_empty() {
            return Err("database and table names must not be empty".to_string());
        }
        if spec.columns.is_empty() {
            return Err(format!("table '{}' has no columns", spec.table));
        }
        let mut columns = Vec::with_capacity(spec.columns.len());
        for c in &spec.columns {
            if columns
                .iter()
                .any(|d: &ColumnDef| d.name.eq_ignore_ascii_case(&c.name))
            {
                return Err(format!("Duplicate column name '{}'", c.name));
            }
            columns.push(ColumnDef::from_spec(c)?);
        }
        for (i, key) in spec.keys.iter().enumerate() {
            match columns.get(i) {
                Some(col) if col.name.eq_ignore_ascii_case(key) => {
                    if !col.ty.can_be_key() {
                        return Err(invalid_key_type(&col.name, &col.ty));
                    }
                    if spec.model == KeyModel::Primary && col.nullable {
                        return Err(format!(
                            "primary key column '{}' must be NOT NULL",
                            col.name
                        ));
                    }
                }
                _ => {
                    return Err(format!(
                        "key columns must be the leading columns of the table in order; '{key}' is not column {}",
                        i + 1
                    ))
                }
            }
        }
        if spec.model != KeyModel::Duplicate && spec.keys.is_empty() {
            return Err(format!(
                "{} KEY table '{}' needs at least one key column",
                spec.model.name(),
                spec.table
            ));
        }
        let schema = TableSchema {
            database: spec.database.clone(),
            name: spec.table.clone(),
            model: spec.model,
            key_count: spec.keys.len(),
            columns,
            comment: spec.comment.clone(),
            distribution: spec.distribution.clone(),
            buckets: spec.buckets,
            properties: spec.properties.clone(),
        };
        schema.check_distribution()?;
        Ok(schema)
    }

    /// Distribution columns must exist and be of a type that can be hashed; on PRIMARY/UNIQUE
    /// KEY tables they must be key columns.
    pub fn check_distribution(&self) -> Result<(), String> {
        for name in &self.distribution {
            let Some(i) = self.find_column(name) else {
                return Err(format!("Distribution column '{name}' does not exist"));
            };
            let ty = &self.columns[i].ty;
            if !ty.can_distribute() {
                // StarRocks: "JSON column can not be distribution column".
                return Err(format!(
                    "{} column can not be distribution column",
                    ty.base_name()
                ));
            }
            if self.model != KeyModel::Duplicate && i >= self.key_count {
                return Err(format!("Distribution column[{name}] is not key column"));
            }
        }
        Ok(())
    }

    /// Index of a column by name: exact match first, then ignoring ASCII case (StarRocks column
    /// names are case-insensitive).
    pub fn find_column(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })
    }

    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_keys() {
        let ok = TableSpec::new("d", "t", KeyModel::Primary)
            .column("id", "BIGINT", false)
            .column("v", "STRING", true)
            .keys(&["id"]);
        assert!(TableSchema::from_spec(&ok).is_ok());
        let nullable_pk = TableSpec::new("d", "t", KeyModel::Primary)
            .column("id", "BIGINT", true)
            .keys(&["id"]);
        assert!(TableSchema::from_spec(&nullable_pk).is_err());
        let not_leading = TableSpec::new("d", "t", KeyModel::Unique)
            .column("v", "STRING", true)
            .column("id", "BIGINT", false)
            .keys(&["id"]);
        assert!(TableSchema::from_spec(&not_leading).is_err());
        let json = TableSpec::from_json(
            r#"{"database":"d","table":"t","model":"PRIMARY","keys":["id"],
                "columns":[{"name":"id","type":"BIGINT","nullable":false},
                           {"name":"price","type":"DECIMAL(10,2)","nullable":true}]}"#,
        )
        .expect("valid json");
        assert!(TableSchema::from_spec(&json).is_ok());
    }
}
