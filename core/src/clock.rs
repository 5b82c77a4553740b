//! Injected time.
//!
//! Nothing inside a module reads the wall clock directly: lockout back-off, bundle expiry
//! and reminder planning all take their "now" from a [`Clock`], so tests can move time
//! forwards and backwards and the phone can supply its own notion of time.

use std::sync::Arc;

/// A source of the current time, supplied by the platform (or a fake in tests).
#[uniffi::export(with_foreign)]
pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch, UTC. May jump backwards: callers must cope.
    fn now_unix_ms(&self) -> i64;
}

/// The operating system's wall clock.
#[derive(Debug, Default, uniffi::Object)]
pub struct SystemClock;

#[uniffi::export]
impl Clock for SystemClock {
    fn now_unix_ms(&self) -> i64 {
        let now = std::time::SystemTime::now();
        match now.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            // A clock set before 1970 is treated as the epoch itself.
            Err(_) => 0,
        }
    }
}

/// The system clock as a shareable [`Clock`], for platforms that have nothing better.
#[uniffi::export]
pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// A clock that only moves when told to; for tests across the workspace.
#[derive(Debug, Default)]
pub struct FakeClock {
    now_ms: std::sync::atomic::AtomicI64,
}

impl FakeClock {
    /// A fake clock reading `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        Self {
            now_ms: std::sync::atomic::AtomicI64::new(now_ms),
        }
    }

    /// Sets the time, forwards or backwards.
    pub fn set(&self, now_ms: i64) {
        self.now_ms
            .store(now_ms, std::sync::atomic::Ordering::SeqCst);
    }

    /// Moves the time by `delta_ms` (negative moves it back).
    pub fn advance(&self, delta_ms: i64) {
        self.now_ms
            .fetch_add(delta_ms, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now_unix_ms(&self) -> i64 {
        self.now_ms.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.now_unix_ms() > 1_577_836_800_000);
    }

    #[test]
    fn fake_clock_moves_both_ways() {
        let c = FakeClock::new(1_000);
        c.advance(500);
        assert_eq!(c.now_unix_ms(), 1_500);
        c.set(10);
        assert_eq!(c.now_unix_ms(), 10);
    }
}
