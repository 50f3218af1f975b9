//! Memory accounting with blocking back-pressure: the bytes a writer holds (buffered rows plus
//! request bodies in flight) never grow far beyond a limit, because the writing thread waits here
//! until loads release memory. Every wait is bounded and can be interrupted by a failure check.

use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

#[derive(Debug, Default)]
pub struct MemoryBudget {
    held: Mutex<u64>,
    released: Condvar,
}

/// Why [`MemoryBudget::wait_below`] returned without memory.
#[derive(Debug, PartialEq, Eq)]
pub enum WaitError<E> {
    TimedOut { held: u64 },
    Interrupted(E),
}

impl MemoryBudget {
    pub fn held(&self) -> u64 {
        *self.held.lock()
    }

    pub fn add(&self, bytes: u64) {
        *self.held.lock() += bytes;
    }

    pub fn release(&self, bytes: u64) {
        let mut held = self.held.lock();
        *held = held.saturating_sub(bytes);
        drop(held);
        self.released.notify_all();
    }

    /// Wakes waiters so they re-run their interruption check.
    pub fn wake(&self) {
        self.released.notify_all();
    }

    /// Blocks until fewer than `limit` bytes are held, `timeout` passes, or `interrupt` returns an
    /// error (checked on every wake-up and at least every 100 ms).
    pub fn wait_below<E>(
        &self,
        limit: u64,
        timeout: Duration,
        mut interrupt: impl FnMut() -> Result<(), E>,
    ) -> Result<(), WaitError<E>> {
        let deadline = Instant::now() + timeout;
        let mut held = self.held.lock();
        loop {
            if *held < limit {
                return Ok(());
            }
            if let Err(e) = interrupt() {
                return Err(WaitError::Interrupted(e));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(WaitError::TimedOut { held: *held });
            }
            let slice = (deadline - now).min(Duration::from_millis(100));
            self.released.wait_for(&mut held, slice);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn waits_until_memory_is_released() {
        let m = Arc::new(MemoryBudget::default());
        m.add(100);
        let m2 = m.clone();
        let t =
            std::thread::spawn(move || m2.wait_below::<()>(50, Duration::from_secs(10), || Ok(())));
        std::thread::sleep(Duration::from_millis(20));
        m.release(60);
        assert_eq!(t.join().unwrap(), Ok(()));
        assert_eq!(m.held(), 40);
    }

    #[test]
    fn times_out_and_can_be_interrupted() {
        let m = MemoryBudget::default();
        m.add(10);
        assert_eq!(
            m.wait_below::<()>(5, Duration::from_millis(50), || Ok(())),
            Err(WaitError::TimedOut { held: 10 })
        );
        assert_eq!(
            m.wait_below(5, Duration::from_secs(10), || Err("boom")),
            Err(WaitError::Interrupted("boom"))
        );
    }
}
