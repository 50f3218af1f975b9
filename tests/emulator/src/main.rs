//! The `starrocks-emulator` binary: parses flags, starts the emulator, prints one JSON line with
//! the addresses, and runs until SIGTERM/SIGINT or (with `--stop-on-stdin-eof`) stdin EOF.

use std::io::{Read, Write};
use std::process::ExitCode;

use starrocks_emulator::{cli, Emulator};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match cli::parse(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("starrocks-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    if options.help {
        print!("{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    let emulator = match Emulator::start(options.config.clone()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("starrocks-emulator: {e}");
            return ExitCode::from(1);
        }
    };
    for db in &options.databases {
        emulator.create_database(db);
    }
    for table in &options.tables {
        emulator.create_database(&table.database);
        if let Err(e) = emulator.create_table(table.clone()) {
            eprintln!("starrocks-emulator: --table: {e}");
            return ExitCode::from(2);
        }
    }
    // Register the signal handlers before announcing the addresses: a SIGTERM sent right after
    // the JSON line must already find them.
    let waiter = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("starrocks-emulator: {e}");
            return ExitCode::from(1);
        }
    };
    let signals = {
        let _guard = waiter.enter();
        use tokio::signal::unix::{signal, SignalKind};
        signal(SignalKind::terminate()).and_then(|t| Ok((t, signal(SignalKind::interrupt())?)))
    };
    let (mut term, mut int) = match signals {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("starrocks-emulator: cannot install signal handlers: {e}");
            return ExitCode::from(1);
        }
    };
    // Built by hand to keep the documented key order (fe_http, be_http, control, mysql, then
    // fe_followers when there are any).
    let quoted =
        |addr: std::net::SocketAddr| serde_json::Value::String(addr.to_string()).to_string();
    let bes: Vec<String> = emulator.be_http_addrs().into_iter().map(quoted).collect();
    let followers: Vec<String> = emulator
        .follower_fe_addrs()
        .into_iter()
        .map(quoted)
        .collect();
    let followers = if followers.is_empty() {
        String::new()
    } else {
        format!(",\"fe_followers\":[{}]", followers.join(","))
    };
    let line = format!(
        "{{\"fe_http\":{},\"be_http\":[{}],\"control\":{},\"mysql\":{}{followers}}}",
        quoted(emulator.fe_http_addr()),
        bes.join(","),
        quoted(emulator.control_addr()),
        quoted(emulator.mysql_addr())
    );
    {
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "{line}")
            .and_then(|_| stdout.flush())
            .is_err()
        {
            return ExitCode::from(1);
        }
    }

    let (eof_tx, eof_rx) = tokio::sync::oneshot::channel::<()>();
    // Without --stop-on-stdin-eof the sender is kept (unused) so the receiver never fires.
    let _unused_sender = if options.stop_on_stdin_eof {
        // A plain thread: a blocking read must not hold up the runtime's shutdown.
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buf = [0u8; 4096];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
            let _ = eof_tx.send(());
        });
        None
    } else {
        Some(eof_tx)
    };
    waiter.block_on(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
            _ = eof_rx => {}
        }
    });
    emulator.shutdown();
    ExitCode::SUCCESS
}
