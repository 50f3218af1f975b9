//! A loopback HTTP server whose connections follow a script, for faults the emulator does not
//! inject: a lost answer, a server that never answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What to do with one connection after its request head was read.
pub enum Step {
    /// Send `100 Continue`, read the body, answer 200 with this JSON.
    Answer(&'static str),
    /// Send `100 Continue`, read the body, close without answering (the answer is lost).
    DropAfterBody,
    /// Never answer; keep the connection open until the server is dropped.
    Hang,
}

pub struct ScriptedServer {
    pub port: u16,
    /// Request heads in arrival order.
    pub heads: Arc<Mutex<Vec<String>>>,
}

impl ScriptedServer {
    pub fn start(steps: Vec<Step>) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        thread::spawn(move || {
            let mut held = Vec::new();
            for step in steps {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                stream
                    .set_read_timeout(Some(Duration::from_secs(30)))
                    .unwrap();
                let mut reader = BufReader::new(stream);
                let head = read_head(&mut reader);
                seen.lock().unwrap().push(head.clone());
                match step {
                    Step::Answer(json) => {
                        read_body(&mut reader, &head);
                        let reply = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
                            json.len()
                        );
                        let _ = reader.get_mut().write_all(reply.as_bytes());
                    }
                    Step::DropAfterBody => {
                        read_body(&mut reader, &head);
                    }
                    Step::Hang => held.push(reader),
                }
            }
            // Keep hanging connections open until the test process ends.
            thread::sleep(Duration::from_secs(600));
            drop(held);
        });
        ScriptedServer { port, heads }
    }

    pub fn labels(&self) -> Vec<String> {
        self.heads
            .lock()
            .unwrap()
            .iter()
            .filter_map(|h| {
                h.lines()
                    .find_map(|l| l.strip_prefix("label: ").map(str::to_string))
            })
            .collect()
    }
}

fn read_head(reader: &mut BufReader<TcpStream>) -> String {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    head
}

fn read_body(reader: &mut BufReader<TcpStream>, head: &str) {
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    if head.contains("Expect: 100-continue") && len > 0 {
        let _ = reader.get_mut().write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
    }
    let mut body = vec![0u8; len];
    let _ = reader.read_exact(&mut body);
}
