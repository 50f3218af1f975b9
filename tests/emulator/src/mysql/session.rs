//! The command phase of one connection: reads a command packet, answers it, repeats until
//! `COM_QUIT` or the client goes away. Every failure a client can cause (bad SQL, unknown
//! objects, malformed packets, unknown commands) is answered with an ERR packet and the
//! connection stays usable; only I/O errors and oversized packets end it.

use super::binary::{prepare_ok, write_binary_result};
use super::codec::Reader;
use super::handshake::Login;
use super::packet::PacketIo;
use super::prepared::Statements;
use super::response::{column_definition, eof_packet, err_packet, ok_packet, write_text_result};
use super::wire_type::wire_type;
use crate::sql::{self, Outcome, Session, SqlError};
use crate::state::Shared;

const COM_QUIT: u8 = 0x01;
const COM_INIT_DB: u8 = 0x02;
const COM_QUERY: u8 = 0x03;
const COM_FIELD_LIST: u8 = 0x04;
const COM_STATISTICS: u8 = 0x09;
const COM_PING: u8 = 0x0E;
const COM_STMT_PREPARE: u8 = 0x16;
const COM_STMT_EXECUTE: u8 = 0x17;
const COM_STMT_SEND_LONG_DATA: u8 = 0x18;
const COM_STMT_CLOSE: u8 = 0x19;
const COM_STMT_RESET: u8 = 0x1A;
const COM_SET_OPTION: u8 = 0x1B;
const COM_RESET_CONNECTION: u8 = 0x1F;

/// Connection state.
pub struct Connection<'a> {
    shared: &'a Shared,
    io: PacketIo,
    session: Session,
    statements: Statements,
}

/// Statement text from a packet; drivers send UTF-8, anything else is refused.
fn statement_text(bytes: &[u8]) -> Result<&str, SqlError> {
    std::str::from_utf8(bytes).map_err(|_| SqlError::syntax("the statement is not valid UTF-8"))
}

impl<'a> Connection<'a> {
    pub fn new(shared: &'a Shared, io: PacketIo, login: Login, host: &str, id: u32) -> Self {
        let mut session = Session::new(&login.user, host, id);
        session.database = login.database;
        Connection {
            shared,
            io,
            session,
            statements: Statements::default(),
        }
    }

    /// Serves commands until the client quits or the connection fails.
    pub async fn run(mut self) {
        loop {
            let packet = match self.io.read().await {
                Ok(Some(p)) => p,
                Ok(None) => return,
                Err(e) => {
                    if e.kind() == std::io::ErrorKind::InvalidData {
                        // Oversized packet: say why before closing (MySQL's ER_NET_PACKET_TOO_LARGE).
                        let error = SqlError {
                            code: 1153,
                            sqlstate: "08S01",
                            message: "Got a packet bigger than 'max_allowed_packet' bytes".into(),
                        };
                        self.io.write(&err_packet(&error));
                        self.io.close().await;
                    }
                    return;
                }
            };
            match self.command(&packet).await {
                Ok(true) => {}
                Ok(false) | Err(_) => {
                    self.io.close().await;
                    return;
                }
            }
        }
    }

    /// Records statements (`GET /control/statements`) and, with `log_requests`, prints one
    /// stderr line per command (statement text shortened; the MySQL port never sees credentials
    /// after login).
    fn log(&self, command: u8, body: &[u8]) {
        if command == COM_QUERY || command == COM_STMT_PREPARE {
            self.shared
                .record_statement(self.session.connection_id, &String::from_utf8_lossy(body));
        }
        if !self.shared.config.log_requests {
            return;
        }
        let name = match command {
            COM_QUIT => "QUIT",
            COM_INIT_DB => "INIT_DB",
            COM_QUERY => "QUERY",
            COM_FIELD_LIST => "FIELD_LIST",
            COM_PING => "PING",
            COM_STMT_PREPARE => "STMT_PREPARE",
            COM_STMT_EXECUTE => "STMT_EXECUTE",
            COM_STMT_CLOSE => "STMT_CLOSE",
            _ => "OTHER",
        };
        let text = match command {
            COM_QUERY | COM_STMT_PREPARE | COM_INIT_DB => String::from_utf8_lossy(body),
            _ => "".into(),
        };
        let shown: String = text.chars().take(200).collect();
        eprintln!(
            "[starrocks-emulator] mysql#{} {name} {shown}",
            self.session.connection_id
        );
    }

    /// Answers one command; `Ok(false)` ends the connection.
    async fn command(&mut self, packet: &[u8]) -> std::io::Result<bool> {
        let Some((&command, body)) = packet.split_first() else {
            self.io.write(&err_packet(&SqlError::malformed_packet(
                "empty command packet",
            )));
            self.io.flush().await?;
            return Ok(true);
        };
        self.log(command, body);
        match command {
            COM_QUIT => return Ok(false),
            COM_PING | COM_RESET_CONNECTION => {
                if command == COM_RESET_CONNECTION {
                    self.session.variables.clear();
                    self.statements = Statements::default();
                }
                self.io.write(&ok_packet(0));
            }
            COM_INIT_DB => {
                let answer = statement_text(body).and_then(|db| {
                    sql::check_database(self.shared, db)?;
                    self.session.database = Some(db.to_string());
                    Ok(())
                });
                self.answer_done(answer);
            }
            COM_QUERY => {
                let outcome = statement_text(body)
                    .and_then(|text| sql::execute(self.shared, &mut self.session, text));
                return self.answer(outcome, false).await.map(|_| true);
            }
            COM_FIELD_LIST => self.field_list(body),
            COM_STATISTICS => {
                let stats = "Uptime: 1  Threads: 1  Questions: 0  Slow queries: 0  Opens: 0  \
                             Flush tables: 0  Open tables: 0  Queries per second avg: 0.000";
                self.io.write(stats.as_bytes());
            }
            COM_STMT_PREPARE => match statement_text(body).and_then(|t| self.statements.prepare(t))
            {
                Ok((id, params)) => {
                    for p in prepare_ok(id, params) {
                        self.io.write(&p);
                    }
                }
                Err(e) => self.io.write(&err_packet(&e)),
            },
            COM_STMT_EXECUTE => {
                let outcome = self
                    .statements
                    .bind(body)
                    .and_then(|text| sql::execute(self.shared, &mut self.session, &text));
                return self.answer(outcome, true).await.map(|_| true);
            }
            COM_STMT_SEND_LONG_DATA => {
                self.statements.send_long_data(body);
                return Ok(true);
            }
            COM_STMT_CLOSE => {
                if let Ok(id) = Statements::execute_target(body) {
                    self.statements.close(id);
                }
                return Ok(true);
            }
            COM_STMT_RESET => {
                let answer =
                    Statements::execute_target(body).and_then(|id| self.statements.reset(id));
                self.answer_done(answer);
            }
            COM_SET_OPTION => self.io.write(&eof_packet()),
            other => self
                .io
                .write(&err_packet(&SqlError::unknown_command(other))),
        }
        self.io.flush().await?;
        Ok(true)
    }

    fn answer_done(&mut self, answer: Result<(), SqlError>) {
        match answer {
            Ok(()) => self.io.write(&ok_packet(0)),
            Err(e) => self.io.write(&err_packet(&e)),
        }
    }

    async fn answer(
        &mut self,
        outcome: Result<Outcome, SqlError>,
        binary: bool,
    ) -> std::io::Result<()> {
        match outcome {
            Ok(Outcome::Rows(result)) if binary => write_binary_result(&mut self.io, &result).await,
            Ok(Outcome::Rows(result)) => write_text_result(&mut self.io, &result).await,
            Ok(Outcome::Done { affected_rows }) => {
                self.io.write(&ok_packet(affected_rows));
                self.io.flush().await
            }
            Err(e) => {
                self.io.write(&err_packet(&e));
                self.io.flush().await
            }
        }
    }

    /// `COM_FIELD_LIST` (old clients' column completion): column definitions with defaults.
    fn field_list(&mut self, body: &[u8]) {
        let mut r = Reader::new(body);
        let table = String::from_utf8_lossy(r.nul_terminated()).into_owned();
        let Some(db) = self.session.database.clone() else {
            self.io
                .write(&err_packet(&SqlError::no_database_selected()));
            return;
        };
        let schema = {
            let state = self.shared.state();
            state.catalog.table(&db, &table).map(|t| t.schema().clone())
        };
        let Some(schema) = schema else {
            self.io
                .write(&err_packet(&SqlError::unknown_table(&db, &table)));
            return;
        };
        for c in &schema.columns {
            self.io.write(&column_definition(
                &c.name,
                wire_type(&c.ty),
                Some(c.default.as_deref()),
            ));
        }
        self.io.write(&eof_packet());
    }
}
