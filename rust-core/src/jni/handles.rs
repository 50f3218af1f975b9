//! Registry of live native writers, keyed by the `long` handle Java holds. Closing removes the
//! entry; any later use of the handle is a `CLOSED` error, not a dangling pointer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use once_cell::sync::Lazy;
use parking_lot::Mutex;

use crate::error::{ErrorKind, Result, SinkError};
use crate::writer::SinkWriter;

static WRITERS: Lazy<Mutex<HashMap<i64, Arc<SinkWriter>>>> = Lazy::new(Default::default);
static NEXT_HANDLE: AtomicI64 = AtomicI64::new(1);

pub fn insert(writer: SinkWriter) -> i64 {
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    WRITERS.lock().insert(handle, Arc::new(writer));
    handle
}

pub fn get(handle: i64) -> Result<Arc<SinkWriter>> {
    WRITERS.lock().get(&handle).cloned().ok_or_else(|| {
        SinkError::new(
            ErrorKind::Closed,
            format!("native writer handle {handle} is closed or unknown"),
        )
    })
}

/// Removes the writer; `None` if it was already removed.
pub fn remove(handle: i64) -> Option<Arc<SinkWriter>> {
    WRITERS.lock().remove(&handle)
}

/// Number of live writers (tests check that close releases them).
pub fn live() -> usize {
    WRITERS.lock().len()
}
