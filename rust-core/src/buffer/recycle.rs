//! Request bodies whose loads have finished, kept for the next chunk of the same writer.
//!
//! A body of tens of MB freshly allocated is a fresh mapping: the kernel faults in and zeroes
//! every 4 KiB page as rows are appended, about 0.1 µs of CPU per row of 20 columns
//! (`benchmarks/profile.sh`). A reused body has its pages already. One body is kept per writer,
//! so the writer's resident bodies stay within what [`super::memory::MemoryBudget`] bounds (one
//! filling, one in flight, or one filling and this spare).

use parking_lot::Mutex;

#[derive(Debug)]
pub struct Recycler {
    spare: Mutex<Option<Vec<u8>>>,
    /// Bodies with more capacity than this are freed, not kept.
    max_capacity: usize,
}

impl Recycler {
    pub fn new(max_capacity: usize) -> Self {
        Recycler {
            spare: Mutex::new(None),
            max_capacity,
        }
    }

    /// Keeps `body` (emptied) for [`Recycler::take`] unless it is too large or a larger one is
    /// kept already.
    pub fn put(&self, mut body: Vec<u8>) {
        if body.capacity() > self.max_capacity {
            return;
        }
        body.clear();
        let mut spare = self.spare.lock();
        if spare
            .as_ref()
            .is_none_or(|s| s.capacity() < body.capacity())
        {
            *spare = Some(body);
        }
    }

    /// The kept body (empty), or a new empty one.
    pub fn take(&self) -> Vec<u8> {
        self.spare.lock().take().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_body_is_reused_empty_with_its_capacity() {
        let r = Recycler::new(1 << 20);
        let mut body = Vec::with_capacity(4096);
        body.extend_from_slice(b"rows");
        let ptr = body.as_ptr();
        r.put(body);
        let again = r.take();
        assert!(again.is_empty());
        assert_eq!(again.as_ptr(), ptr);
        assert!(again.capacity() >= 4096);
        assert_eq!(r.take().capacity(), 0, "one body is kept, once");
    }

    #[test]
    fn oversized_bodies_are_freed_and_the_larger_spare_is_kept() {
        let r = Recycler::new(8192);
        r.put(Vec::with_capacity(16384));
        assert_eq!(r.take().capacity(), 0);
        r.put(Vec::with_capacity(4096));
        r.put(Vec::with_capacity(1024));
        assert!(r.take().capacity() >= 4096);
    }
}
