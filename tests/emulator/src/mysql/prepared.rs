//! Server-side prepared statements of one connection (`COM_STMT_PREPARE`, `..._EXECUTE`,
//! `..._SEND_LONG_DATA`, `..._RESET`, `..._CLOSE`). A statement is kept as text with the byte
//! spans of its `?` placeholders; executing it substitutes each parameter as an SQL literal and
//! runs the result through the normal SQL path, so prepared and plain queries cannot disagree.

use std::collections::HashMap;

use super::binary::{param_literal, quote};
use super::codec::{Malformed, Reader};
use crate::sql::lexer::{tokenize, Token};
use crate::sql::SqlError;

/// StarRocks/MySQL default `max_prepared_stmt_count` is far higher; a test never needs more.
const MAX_STATEMENTS: usize = 16_382;

struct Statement {
    sql: String,
    /// Byte spans of the `?` placeholders, in order.
    placeholders: Vec<(usize, usize)>,
    /// Parameter types bound by the last execute (`new-params-bound` may reuse them).
    types: Vec<(u8, bool)>,
    long_data: HashMap<u16, Vec<u8>>,
}

/// The prepared statements of a connection.
#[derive(Default)]
pub struct Statements {
    next_id: u32,
    statements: HashMap<u32, Statement>,
}

fn malformed(e: Malformed) -> SqlError {
    SqlError::malformed_packet(e.0)
}

impl Statements {
    /// Registers a statement; returns its id and parameter count.
    pub fn prepare(&mut self, sql: &str) -> Result<(u32, u16), SqlError> {
        let tokens = tokenize(sql)?;
        let placeholders: Vec<(usize, usize)> = tokens
            .iter()
            .filter(|t| t.token == Token::Param)
            .map(|t| (t.start, t.end))
            .collect();
        let count = u16::try_from(placeholders.len())
            .map_err(|_| SqlError::wrong_arguments("too many placeholders"))?;
        if self.statements.len() >= MAX_STATEMENTS {
            return Err(SqlError::invalid(format!(
                "Can't create more than max_prepared_stmt_count statements (current value: {MAX_STATEMENTS})"
            )));
        }
        self.next_id = self.next_id.wrapping_add(1).max(1);
        let id = self.next_id;
        self.statements.insert(
            id,
            Statement {
                sql: sql.to_string(),
                placeholders,
                types: Vec::new(),
                long_data: HashMap::new(),
            },
        );
        Ok((id, count))
    }

    pub fn close(&mut self, id: u32) {
        self.statements.remove(&id);
    }

    /// `COM_STMT_RESET`: drops long data sent so far.
    pub fn reset(&mut self, id: u32) -> Result<(), SqlError> {
        let s = self
            .statements
            .get_mut(&id)
            .ok_or_else(|| SqlError::unknown_statement_handler(id, "mysqld_stmt_reset"))?;
        s.long_data.clear();
        Ok(())
    }

    /// `COM_STMT_SEND_LONG_DATA` payload (after the command byte). No answer is sent, so
    /// errors are kept for the next execute by leaving the data out.
    pub fn send_long_data(&mut self, payload: &[u8]) {
        let mut r = Reader::new(payload);
        let (Ok(id), Ok(param)) = (r.u32("statement id"), r.u16("parameter id")) else {
            return;
        };
        if let Some(s) = self.statements.get_mut(&id) {
            if usize::from(param) < s.placeholders.len() {
                s.long_data
                    .entry(param)
                    .or_default()
                    .extend_from_slice(r.rest());
            }
        }
    }

    /// The statement id a `COM_STMT_EXECUTE` payload names.
    pub fn execute_target(payload: &[u8]) -> Result<u32, SqlError> {
        Reader::new(payload).u32("statement id").map_err(malformed)
    }

    /// Decodes a `COM_STMT_EXECUTE` payload (after the command byte) into the SQL text to run.
    pub fn bind(&mut self, payload: &[u8]) -> Result<String, SqlError> {
        let mut r = Reader::new(payload);
        let id = r.u32("statement id").map_err(malformed)?;
        let s = self
            .statements
            .get_mut(&id)
            .ok_or_else(|| SqlError::unknown_statement_handler(id, "mysqld_stmt_execute"))?;
        r.u8("cursor flags").map_err(malformed)?;
        r.u32("iteration count").map_err(malformed)?;
        let n = s.placeholders.len();
        if n == 0 {
            return Ok(s.sql.clone());
        }
        let bitmap = r
            .bytes(n.div_ceil(8), "null bitmap")
            .map_err(malformed)?
            .to_vec();
        let bound = r.u8("new-params-bound flag").map_err(malformed)?;
        if bound == 1 {
            let mut types = Vec::with_capacity(n);
            for _ in 0..n {
                let t = r.u8("parameter type").map_err(malformed)?;
                let flags = r.u8("parameter flags").map_err(malformed)?;
                types.push((t, flags & 0x80 != 0));
            }
            s.types = types;
        } else if s.types.len() != n {
            return Err(SqlError::wrong_arguments(
                "Incorrect arguments to mysqld_stmt_execute: parameter types were never bound",
            ));
        }
        let mut literals = Vec::with_capacity(n);
        for (i, (field_type, unsigned)) in s.types.iter().enumerate() {
            let is_null = bitmap[i / 8] & (1 << (i % 8)) != 0;
            let literal = if is_null {
                "NULL".to_string()
            } else if let Some(data) = s.long_data.get(&(i as u16)) {
                let text = std::str::from_utf8(data)
                    .map_err(|_| SqlError::wrong_arguments("long data is not UTF-8"))?;
                quote(text)
            } else {
                param_literal(&mut r, *field_type, *unsigned).map_err(malformed)?
            };
            literals.push(literal);
        }
        s.long_data.clear();
        let mut sql = String::with_capacity(s.sql.len() + 16 * n);
        let mut last = 0;
        for ((start, end), literal) in s.placeholders.iter().zip(&literals) {
            sql.push_str(&s.sql[last..*start]);
            sql.push_str(literal);
            last = *end;
        }
        sql.push_str(&s.sql[last..]);
        Ok(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mysql::wire_type::{TYPE_LONGLONG, TYPE_VAR_STRING};

    fn execute_payload(id: u32, params: &[(u8, Option<Vec<u8>>)]) -> Vec<u8> {
        let mut p = id.to_le_bytes().to_vec();
        p.push(0);
        p.extend_from_slice(&1u32.to_le_bytes());
        let mut bitmap = vec![0u8; params.len().div_ceil(8)];
        for (i, (_, v)) in params.iter().enumerate() {
            if v.is_none() {
                bitmap[i / 8] |= 1 << (i % 8);
            }
        }
        p.extend_from_slice(&bitmap);
        p.push(1);
        for (t, _) in params {
            p.extend_from_slice(&[*t, 0]);
        }
        for (_, v) in params {
            if let Some(v) = v {
                p.extend_from_slice(v);
            }
        }
        p
    }

    #[test]
    fn substitutes_parameters() {
        let mut statements = Statements::default();
        let (id, n) = statements
            .prepare("select * from t where a = ? and b = ? and c = '?' and d = ?")
            .expect("prepares");
        assert_eq!(n, 3);
        let mut text = vec![5u8];
        text.extend_from_slice(b"x'y\\z");
        let payload = execute_payload(
            id,
            &[
                (TYPE_LONGLONG, Some(42i64.to_le_bytes().to_vec())),
                (TYPE_VAR_STRING, Some(text)),
                (TYPE_VAR_STRING, None),
            ],
        );
        assert_eq!(
            statements.bind(&payload).expect("binds"),
            "select * from t where a = 42 and b = 'x\\'y\\\\z' and c = '?' and d = NULL"
        );
        // Types are reused when not re-bound.
        let mut again = payload[..9].to_vec();
        again.push(0b100);
        again.push(0);
        again.extend_from_slice(&7i64.to_le_bytes());
        again.extend_from_slice(&[1, b'q']);
        assert_eq!(
            statements.bind(&again).expect("binds"),
            "select * from t where a = 7 and b = 'q' and c = '?' and d = NULL"
        );
    }

    #[test]
    fn rejects_bad_execute_packets() {
        let mut statements = Statements::default();
        let (id, _) = statements.prepare("select ?").expect("prepares");
        assert_eq!(statements.bind(&[1, 2]).map_err(|e| e.code), Err(1835));
        assert_eq!(
            statements.bind(&99u32.to_le_bytes()).map_err(|e| e.code),
            Err(1243)
        );
        let mut truncated = id.to_le_bytes().to_vec();
        truncated.extend_from_slice(&[0, 1, 0, 0, 0, 0, 1, TYPE_LONGLONG, 0, 1, 2]);
        assert_eq!(statements.bind(&truncated).map_err(|e| e.code), Err(1835));
        statements.close(id);
        assert!(statements.reset(id).is_err());
    }
}
