//! Registries of live native objects, keyed by the `long` handle Java holds. Closing removes the
//! entry; any later use of the handle is a `CLOSED` error, not a dangling pointer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use once_cell::sync::Lazy;
use parking_lot::Mutex;

use crate::error::{ErrorKind, Result, SinkError};
use crate::txn::committer::TransactionCommitter;
use crate::writer::SinkWriter;

/// Handles are unique across both registries.
static NEXT_HANDLE: AtomicI64 = AtomicI64::new(1);

pub struct Registry<T> {
    what: &'static str,
    live: Lazy<Mutex<HashMap<i64, Arc<T>>>>,
}

impl<T> Registry<T> {
    const fn new(what: &'static str) -> Self {
        Registry {
            what,
            live: Lazy::new(Default::default),
        }
    }

    pub fn insert(&self, value: T) -> i64 {
        let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
        self.live.lock().insert(handle, Arc::new(value));
        handle
    }

    pub fn get(&self, handle: i64) -> Result<Arc<T>> {
        self.live.lock().get(&handle).cloned().ok_or_else(|| {
            SinkError::new(
                ErrorKind::Closed,
                format!("native {} handle {handle} is closed or unknown", self.what),
            )
        })
    }

    /// Removes the object; `None` if it was already removed.
    pub fn remove(&self, handle: i64) -> Option<Arc<T>> {
        self.live.lock().remove(&handle)
    }

    pub fn len(&self) -> usize {
        self.live.lock().len()
    }
}

pub static WRITERS: Registry<SinkWriter> = Registry::new("writer");
pub static COMMITTERS: Registry<TransactionCommitter> = Registry::new("committer");
