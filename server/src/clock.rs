//! Time as a parameter: code asks an injected [`Clock`], never `SystemTime::now()`.

use std::fmt::Debug;
use std::sync::{Arc, Mutex, PoisonError};

use time::{Duration, OffsetDateTime};

use crate::domain::Timestamp;

/// A source of the current time, with the precision the server stores (microseconds).
pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> Timestamp;
}

/// A shared clock handle.
pub type SharedClock = Arc<dyn Clock>;

/// The real clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from(OffsetDateTime::now_utc())
    }
}

/// A clock that only moves when told to (tests, diagnostics).
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    pub fn new(start: OffsetDateTime) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock forward (or backward, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }

    pub fn set(&self, to: OffsetDateTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from(*self.now.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Debug builds only: the system clock shifted by a number of seconds read from a file at
/// each `now()` (absent or unreadable: no shift). The browser suite moves the served
/// server's time with it, so that a mandate expires at the second without waiting
/// (`client-web/tests/browser/server.mjs`). Release builds have no such clock.
#[cfg(debug_assertions)]
#[derive(Debug)]
pub struct OffsetFileClock {
    path: std::path::PathBuf,
}

#[cfg(debug_assertions)]
impl OffsetFileClock {
    pub fn new(path: std::path::PathBuf) -> Self {
        Self { path }
    }
}

#[cfg(debug_assertions)]
impl Clock for OffsetFileClock {
    fn now(&self) -> Timestamp {
        let offset = std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(0);
        Timestamp::from(OffsetDateTime::now_utc() + Duration::seconds(offset))
    }
}

/// The clock `coffre` runs on: the system's. In a debug build only, the file that
/// `COFFRE_TEST_CLOCK_OFFSET_FILE` names shifts it ([`OffsetFileClock`]).
pub fn process_clock() -> SharedClock {
    #[cfg(debug_assertions)]
    if let Some(path) = std::env::var_os("COFFRE_TEST_CLOCK_OFFSET_FILE") {
        return Arc::new(OffsetFileClock::new(path.into()));
    }
    Arc::new(SystemClock)
}

#[cfg(all(test, debug_assertions))]
mod offset_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_offset_file_shifts_the_clock_and_its_absence_does_not() {
        let dir = std::env::temp_dir().join(format!("coffre-clock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("offset");
        let clock = OffsetFileClock::new(file.clone());
        let system = SystemClock.now().as_micros();
        assert!((clock.now().as_micros() - system).abs() < 60_000_000);
        std::fs::write(&file, "86400\n").unwrap();
        let shifted = clock.now().as_micros() - SystemClock.now().as_micros();
        assert!((shifted - 86_400_000_000).abs() < 60_000_000, "{shifted}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
