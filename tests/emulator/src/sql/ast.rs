//! The statements the emulator understands, as the parser produces them. Plain data: no
//! validation beyond syntax happens here (types, keys and names are checked when executing).

use crate::storage::schema::KeyModel;

/// `[db.]name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectName {
    pub database: Option<String>,
    pub name: String,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    Null,
    /// A number as written (with a leading `-` when negated).
    Number(String),
    Str(String),
    Bool(bool),
}

impl Literal {
    /// The value as text (`None` = NULL); booleans as `1`/`0`.
    pub fn text(&self) -> Option<String> {
        match self {
            Literal::Null => None,
            Literal::Number(n) => Some(n.clone()),
            Literal::Str(s) => Some(s.clone()),
            Literal::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        }
    }
}

/// An expression of the select list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A column reference (any `db.`/`table.` qualifier is dropped).
    Column(String),
    Literal(Literal),
    /// `@@name` (lower case, scope dropped).
    SysVar(String),
    /// `@name`: user variables are never set in the emulator, so they read as NULL.
    UserVar(String),
    /// `name(args)`, name in lower case.
    Function {
        name: String,
        args: Vec<Expr>,
    },
    /// `COUNT(*)` / `COUNT(1)`.
    CountStar,
}

/// One entry of the select list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectItem {
    Wildcard,
    /// `label` is the alias, or the expression's source text.
    Expr {
        expr: Expr,
        label: String,
    },
}

/// Comparison operators of `WHERE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
}

/// One conjunct of a `WHERE` clause (only `AND` of these is supported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Compare {
        column: String,
        op: CmpOp,
        value: Literal,
    },
    IsNull {
        column: String,
        negated: bool,
    },
    In {
        column: String,
        values: Vec<Literal>,
        negated: bool,
    },
    Like {
        column: String,
        pattern: String,
        negated: bool,
    },
}

/// `ORDER BY` entry: a column name (or select-list label) or a 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderItem {
    pub column: String,
    pub descending: bool,
}

/// `WHERE ... ORDER BY ... LIMIT ...`, shared by `SELECT` and the `SHOW` statements that take it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub conditions: Vec<Condition>,
    pub order_by: Vec<OrderItem>,
    /// `(offset, count)`.
    pub limit: Option<(u64, u64)>,
}

/// `SELECT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Select {
    pub items: Vec<SelectItem>,
    pub from: Option<ObjectName>,
    pub filter: Filter,
}

/// `SHOW ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Show {
    Databases {
        like: Option<String>,
    },
    Tables {
        database: Option<String>,
        full: bool,
        like: Option<String>,
    },
    CreateTable(ObjectName),
    /// `SHOW [FULL] COLUMNS FROM t [FROM db] [LIKE 'p']`, `DESC t`.
    Columns {
        table: ObjectName,
        full: bool,
        like: Option<String>,
    },
    /// `SHOW ALTER TABLE COLUMN [FROM db] [WHERE ...] [ORDER BY ...] [LIMIT ...]`.
    AlterTableColumn {
        database: Option<String>,
        filter: Filter,
    },
    /// `SHOW VARIABLES [LIKE 'p' | WHERE Variable_name = 'a' [OR ...]]`; `names` empty = all.
    Variables {
        like: Option<String>,
        names: Vec<String>,
    },
    Warnings,
    Errors,
}

/// A column definition of `CREATE TABLE` / `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDefinition {
    pub name: String,
    /// Type text, normalised (`DECIMAL(10,2)`, integer display widths dropped).
    pub type_name: String,
    pub nullable: bool,
    pub default: Option<String>,
    pub comment: String,
}

/// `DISTRIBUTED BY ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distribution {
    Hash(Vec<String>),
    Random,
}

/// `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateTable {
    pub name: ObjectName,
    pub if_not_exists: bool,
    pub columns: Vec<ColumnDefinition>,
    pub key: Option<(KeyModel, Vec<String>)>,
    pub comment: String,
    pub distribution: Option<Distribution>,
    pub buckets: Option<u32>,
    pub properties: Vec<(String, String)>,
}

/// Where `ADD COLUMN` / `MODIFY COLUMN` puts a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnPosition {
    First,
    After(String),
}

/// One clause of `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterOp {
    AddColumns {
        columns: Vec<ColumnDefinition>,
        position: Option<ColumnPosition>,
    },
    DropColumn(String),
    RenameColumn {
        from: String,
        to: String,
    },
    ModifyColumn {
        column: ColumnDefinition,
        position: Option<ColumnPosition>,
    },
    Comment(String),
}

/// `SET` assignment target and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetItem {
    /// Variable name, lower case; `None` for user variables (ignored).
    pub name: Option<String>,
    /// Value text (`None` = NULL / DEFAULT).
    pub value: Option<String>,
}

/// A parsed statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    Select(Select),
    Show(Show),
    /// `SET ...`: session variables are remembered; everything else is a no-op.
    Set(Vec<SetItem>),
    Use(String),
    CreateDatabase {
        name: String,
        if_not_exists: bool,
    },
    DropDatabase {
        name: String,
        if_exists: bool,
        force: bool,
    },
    CreateTable(CreateTable),
    DropTable {
        name: ObjectName,
        if_exists: bool,
        force: bool,
    },
    TruncateTable(ObjectName),
    AlterTable {
        name: ObjectName,
        ops: Vec<AlterOp>,
    },
    /// `BEGIN`, `COMMIT`, `ROLLBACK`, `START TRANSACTION`: no-ops (nothing is transactional here).
    Transaction,
}
