//! Points in time as the server stores them: whole microseconds since the Unix epoch.
//!
//! Both databases keep a time as an integer (`INTEGER` on SQLite, `BIGINT` on
//! PostgreSQL), so ordering and comparison in SQL are integer ordering on both. The only
//! place where precision is lost is [`Timestamp::from`] an `OffsetDateTime`.

use std::fmt;
use std::time::{Duration as StdDuration, SystemTime};

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// A UTC instant with microsecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Microseconds since 1970-01-01T00:00:00Z (negative before).
    pub const fn from_micros(micros: i64) -> Self {
        Self(micros)
    }

    pub const fn as_micros(self) -> i64 {
        self.0
    }

    /// The same instant as a date-time in UTC (`None` only beyond year ±9999).
    pub fn to_datetime(self) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1000).ok()
    }

    /// `self - by`, saturating at the representable range.
    pub fn saturating_sub(self, by: Duration) -> Self {
        Self(self.0.saturating_sub(duration_micros(by)))
    }

    /// `self + by`, saturating at the representable range.
    pub fn saturating_add(self, by: Duration) -> Self {
        Self(self.0.saturating_add(duration_micros(by)))
    }
}

fn duration_micros(d: Duration) -> i64 {
    saturating_i64(d.whole_microseconds())
}

/// `n`, clamped to the `i64` range.
fn saturating_i64(n: i128) -> i64 {
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

impl From<OffsetDateTime> for Timestamp {
    /// Truncates to the microsecond (toward the past): the one place precision is lost.
    fn from(t: OffsetDateTime) -> Self {
        // An OffsetDateTime spans ±9999 years, ~3.2e17 µs: always within i64.
        Self(saturating_i64(t.unix_timestamp_nanos().div_euclid(1000)))
    }
}

impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> Self {
        let magnitude = StdDuration::from_micros(t.0.unsigned_abs());
        if t.0 >= 0 {
            SystemTime::UNIX_EPOCH + magnitude
        } else {
            SystemTime::UNIX_EPOCH - magnitude
        }
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC, e.g. `2026-01-01T12:00:00.5Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_datetime().and_then(|t| t.format(&Rfc3339).ok()) {
            Some(text) => f.write_str(&text),
            None => write!(f, "{}µs", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::datetime;

    use super::*;

    #[test]
    fn truncates_to_the_microsecond_toward_the_past() {
        let t = datetime!(2026-01-01 12:00:00.123456789 UTC);
        let ts = Timestamp::from(t);
        assert_eq!(ts.as_micros() % 1_000_000, 123_456);
        assert_eq!(
            ts.to_datetime().unwrap(),
            datetime!(2026-01-01 12:00:00.123456 UTC)
        );
        let before = Timestamp::from(datetime!(1969-12-31 23:59:59.9999995 UTC));
        assert_eq!(before.as_micros(), -1);
    }

    #[test]
    fn offsets_do_not_matter() {
        assert_eq!(
            Timestamp::from(datetime!(2026-01-01 13:00:00.25 +1)),
            Timestamp::from(datetime!(2026-01-01 12:00:00.25 UTC))
        );
    }

    #[test]
    fn orders_like_time_whatever_the_fractional_digits() {
        let whole = Timestamp::from(datetime!(2026-01-01 12:00:00 UTC));
        let half = Timestamp::from(datetime!(2026-01-01 12:00:00.5 UTC));
        assert!(whole < half);
        assert_eq!(half.to_string(), "2026-01-01T12:00:00.5Z");
        assert_eq!(
            whole.saturating_add(Duration::milliseconds(500)),
            half,
            "arithmetic in microseconds"
        );
        assert_eq!(half.saturating_sub(Duration::milliseconds(500)), whole);
        assert_eq!(
            SystemTime::from(half),
            SystemTime::UNIX_EPOCH + StdDuration::from_micros(half.as_micros() as u64)
        );
    }
}
