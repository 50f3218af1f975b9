//! Per-BE state shared by the nodes and the control API: the BE's transaction contexts, whether
//! its port is down (connections refused, spec F2), and how many loads it runs (for the
//! concurrency limit, F7). A BE "restart" drops all its contexts (F20).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::watch;

use crate::load::txn::context::ContextTable;

/// One BE.
pub struct Backend {
    contexts: Mutex<ContextTable>,
    /// `true` while the BE's port is closed.
    down: watch::Sender<bool>,
    active_loads: AtomicUsize,
}

impl Default for Backend {
    fn default() -> Backend {
        Backend {
            contexts: Mutex::new(ContextTable::default()),
            down: watch::channel(false).0,
            active_loads: AtomicUsize::new(0),
        }
    }
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend")
            .field("down", &*self.down.borrow())
            .finish()
    }
}

/// Counts a running load while alive.
pub struct LoadSlot<'a>(&'a AtomicUsize);

impl Drop for LoadSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Backend {
    pub fn contexts(&self) -> MutexGuard<'_, ContextTable> {
        self.contexts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn is_down(&self) -> bool {
        *self.down.borrow()
    }

    /// Takes the port down (and loses every context, like a crash) or brings it back.
    pub fn set_down(&self, down: bool) {
        if down {
            self.contexts().clear();
        }
        self.down.send_replace(down);
    }

    pub fn subscribe_down(&self) -> watch::Receiver<bool> {
        self.down.subscribe()
    }

    /// Registers a running load; `None` when `limit` (> 0) loads already run.
    pub fn start_load(&self, limit: usize) -> Option<LoadSlot<'_>> {
        let running = self.active_loads.fetch_add(1, Ordering::Relaxed);
        let slot = LoadSlot(&self.active_loads);
        if limit > 0 && running >= limit {
            return None;
        }
        Some(slot)
    }
}

/// Takes BE `index` down; with `for_ms`, a task brings it back up after that long.
pub fn take_down(shared: &std::sync::Arc<crate::state::Shared>, index: usize, for_ms: Option<u64>) {
    let Some(backend) = shared.backends.get(index) else {
        return;
    };
    backend.set_down(true);
    if let Some(ms) = for_ms {
        let shared = shared.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            if let Some(backend) = shared.backends.get(index) {
                backend.set_down(false);
            }
        });
    }
}

/// Longest wait for a BE port to close or open after a state change.
const PORT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Waits (bounded) until connecting to `addr` fails (`down`) or succeeds (`!down`), so a caller
/// that changed a BE's state can rely on it at once.
pub async fn await_port(addr: std::net::SocketAddr, down: bool) {
    let deadline = tokio::time::Instant::now() + PORT_WAIT;
    while tokio::time::Instant::now() < deadline {
        let connect = tokio::time::timeout(
            std::time::Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await;
        let refused = !matches!(connect, Ok(Ok(_)));
        if refused == down {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// The blocking form of `await_port`, for the synchronous library API.
pub fn wait_port_blocking(addr: std::net::SocketAddr, down: bool) {
    let deadline = std::time::Instant::now() + PORT_WAIT;
    while std::time::Instant::now() < deadline {
        let refused =
            std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_millis(200))
                .is_err();
        if refused == down {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
