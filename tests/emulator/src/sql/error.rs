//! SQL errors as the MySQL protocol reports them: an `ER_*` code, a five-character SQLSTATE and
//! a message. The codes are MySQL's (StarRocks reuses them); the constructors below are the only
//! place that picks them, so the wire layer and the control API just pass them on.

use std::fmt;

/// A failed statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    pub code: u16,
    pub sqlstate: &'static str,
    pub message: String,
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ERROR {} ({}): {}",
            self.code, self.sqlstate, self.message
        )
    }
}

impl std::error::Error for SqlError {}

impl SqlError {
    fn new(code: u16, sqlstate: &'static str, message: impl Into<String>) -> SqlError {
        SqlError {
            code,
            sqlstate,
            message: message.into(),
        }
    }

    /// ER_PARSE_ERROR.
    pub fn syntax(message: impl Into<String>) -> SqlError {
        SqlError::new(1064, "42000", message)
    }

    /// ER_NOT_SUPPORTED_YET, with the statement the emulator refuses.
    pub fn not_supported(statement: &str) -> SqlError {
        let mut shown = statement.trim().to_string();
        if shown.len() > 200 {
            let mut cut = 200;
            while !shown.is_char_boundary(cut) {
                cut -= 1;
            }
            shown.truncate(cut);
            shown.push_str("...");
        }
        SqlError::new(
            1235,
            "42000",
            format!("not supported by the emulator: {shown}"),
        )
    }

    /// ER_BAD_DB_ERROR.
    pub fn unknown_database(db: &str) -> SqlError {
        SqlError::new(1049, "42000", format!("Unknown database '{db}'"))
    }

    /// ER_NO_SUCH_TABLE.
    pub fn unknown_table(db: &str, table: &str) -> SqlError {
        SqlError::new(1146, "42S02", format!("Table '{db}.{table}' doesn't exist"))
    }

    /// ER_BAD_FIELD_ERROR.
    pub fn unknown_column(column: &str) -> SqlError {
        SqlError::new(1054, "42S22", format!("Unknown column '{column}'"))
    }

    /// ER_DB_CREATE_EXISTS.
    pub fn database_exists(db: &str) -> SqlError {
        SqlError::new(
            1007,
            "HY000",
            format!("Can't create database '{db}'; database exists"),
        )
    }

    /// ER_DB_DROP_EXISTS.
    pub fn cannot_drop_database(db: &str) -> SqlError {
        SqlError::new(
            1008,
            "HY000",
            format!("Can't drop database '{db}'; database doesn't exist"),
        )
    }

    /// ER_TABLE_EXISTS_ERROR.
    pub fn table_exists(table: &str) -> SqlError {
        SqlError::new(1050, "42S01", format!("Table '{table}' already exists"))
    }

    /// ER_BAD_TABLE_ERROR (DROP TABLE of a missing table).
    pub fn unknown_table_to_drop(db: &str, table: &str) -> SqlError {
        SqlError::new(1051, "42S02", format!("Unknown table '{db}.{table}'"))
    }

    /// ER_NO_DB_ERROR.
    pub fn no_database_selected() -> SqlError {
        SqlError::new(1046, "3D000", "No database selected")
    }

    /// ER_UNKNOWN_SYSTEM_VARIABLE.
    pub fn unknown_variable(name: &str) -> SqlError {
        SqlError::new(1193, "HY000", format!("Unknown system variable '{name}'"))
    }

    /// ER_ACCESS_DENIED_ERROR.
    pub fn access_denied(user: &str, host: &str, using_password: bool) -> SqlError {
        let using = if using_password { "YES" } else { "NO" };
        SqlError::new(
            1045,
            "28000",
            format!("Access denied for user '{user}'@'{host}' (using password: {using})"),
        )
    }

    /// ER_UNKNOWN_ERROR: a semantic error with StarRocks' message (invalid DDL, bad type, ...).
    pub fn invalid(message: impl Into<String>) -> SqlError {
        SqlError::new(1105, "HY000", message)
    }

    /// ER_UNKNOWN_COM_ERROR.
    pub fn unknown_command(command: u8) -> SqlError {
        SqlError::new(1047, "08S01", format!("Unknown command 0x{command:02x}"))
    }

    /// ER_UNKNOWN_STMT_HANDLER.
    pub fn unknown_statement_handler(id: u32, operation: &str) -> SqlError {
        SqlError::new(
            1243,
            "HY000",
            format!("Unknown prepared statement handler ({id}) given to {operation}"),
        )
    }

    /// ER_MALFORMED_PACKET.
    pub fn malformed_packet(what: &str) -> SqlError {
        SqlError::new(
            1835,
            "HY000",
            format!("Malformed communication packet: {what}"),
        )
    }

    /// ER_WRONG_ARGUMENTS (prepared statement parameters).
    pub fn wrong_arguments(message: impl Into<String>) -> SqlError {
        SqlError::new(1210, "HY000", message)
    }
}
