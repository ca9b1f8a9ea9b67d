//! What background jobs and the metrics ask of the database: deleting what the server no
//! longer needs, in bounded batches, and the connection pool's state.
//!
//! Like [`super::accounts`], the SQL is written once and [`maintenance_store!`] expands it
//! for each engine's pool type. The one difference is the row lock: on PostgreSQL each
//! batch picks its rows `FOR UPDATE SKIP LOCKED`, so replicas purging at the same moment
//! take different rows instead of waiting for each other; SQLite has one writer at a time
//! and no such clause.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::Timestamp;

/// A kind of row the retention job deletes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expired {
    /// Rate-limit counters (they name a client IP address or an auth key) whose window
    /// began before [`Cutoffs::rate_limits_before`].
    RateLimits,
    /// Sessions past their absolute end, or idle for longer than their idle lifetime.
    Sessions,
    /// Sign-in challenges past their expiry (used ones are deleted when used).
    Nonces,
    /// WebAuthn ceremonies past their expiry.
    Ceremonies,
    /// Invitation links past their expiry, used or not.
    Invitations,
}

impl Expired {
    /// Every kind, in the order a pass deletes them.
    pub const ALL: [Expired; 5] = [
        Self::RateLimits,
        Self::Sessions,
        Self::Nonces,
        Self::Ceremonies,
        Self::Invitations,
    ];

    /// The name used in logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RateLimits => "rate_limits",
            Self::Sessions => "sessions",
            Self::Nonces => "auth_nonces",
            Self::Ceremonies => "webauthn_ceremonies",
            Self::Invitations => "invitations",
        }
    }
}

/// The instants a pass deletes against (all from the injected clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoffs {
    pub now: Timestamp,
    /// Rate-limit rows whose window began before this go.
    pub rate_limits_before: Timestamp,
    /// A session last seen at or before this has been idle too long.
    pub idle_before: Timestamp,
    /// The same for a session the person said is on a shared computer.
    pub shared_idle_before: Timestamp,
}

/// The connection pool right now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections open (idle + in use).
    pub size: u32,
    /// Open connections waiting for a query.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

impl PoolStatus {
    pub fn in_use(&self) -> u32 {
        self.size.saturating_sub(self.idle)
    }
}

/// What the background jobs and the metrics ask of the database.
#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Deletes at most `limit` rows of `what` that `cutoffs` say are done with; returns how
    /// many it deleted (fewer than `limit`: nothing more to delete now, or the rest is
    /// being deleted by another replica).
    async fn delete_expired(
        &self,
        what: Expired,
        cutoffs: &Cutoffs,
        limit: u32,
    ) -> Result<u64, StoreError>;

    /// The connection pool's size and idle connections.
    fn pool_status(&self) -> PoolStatus;
}

/// Implements [`MaintenanceStore`] for a store type with a `pool` field; `$lock` is
/// appended to every batch's row selection.
macro_rules! maintenance_store {
    ($store:ty, $lock:literal) => {
        #[async_trait::async_trait]
        impl $crate::db::maintenance::MaintenanceStore for $store {
            async fn delete_expired(
                &self,
                what: $crate::db::maintenance::Expired,
                cutoffs: &$crate::db::maintenance::Cutoffs,
                limit: u32,
            ) -> Result<u64, $crate::db::StoreError> {
                use $crate::db::maintenance::Expired;
                let limit = i64::from(limit);
                let done = match what {
                    Expired::RateLimits => {
                        sqlx::query(concat!(
                            "DELETE FROM rate_limits WHERE bucket IN (SELECT bucket FROM \
                             rate_limits WHERE window_start < $1 LIMIT $2",
                            $lock,
                            ")"
                        ))
                        .bind(cutoffs.rate_limits_before.as_micros())
                        .bind(limit)
                        .execute(&self.pool)
                        .await?
                    }
                    Expired::Sessions => {
                        sqlx::query(concat!(
                            "DELETE FROM sessions WHERE token_sha256 IN (SELECT token_sha256 \
                             FROM sessions WHERE expires_at <= $1 \
                             OR last_seen_at <= CASE WHEN shared THEN $3 ELSE $4 END LIMIT $2",
                            $lock,
                            ")"
                        ))
                        .bind(cutoffs.now.as_micros())
                        .bind(limit)
                        .bind(cutoffs.shared_idle_before.as_micros())
                        .bind(cutoffs.idle_before.as_micros())
                        .execute(&self.pool)
                        .await?
                    }
                    Expired::Nonces => {
                        sqlx::query(concat!(
                            "DELETE FROM auth_nonces WHERE nonce IN (SELECT nonce FROM \
                             auth_nonces WHERE expires_at <= $1 LIMIT $2",
                            $lock,
                            ")"
                        ))
                        .bind(cutoffs.now.as_micros())
                        .bind(limit)
                        .execute(&self.pool)
                        .await?
                    }
                    Expired::Ceremonies => {
                        sqlx::query(concat!(
                            "DELETE FROM webauthn_ceremonies WHERE id IN (SELECT id FROM \
                             webauthn_ceremonies WHERE expires_at <= $1 LIMIT $2",
                            $lock,
                            ")"
                        ))
                        .bind(cutoffs.now.as_micros())
                        .bind(limit)
                        .execute(&self.pool)
                        .await?
                    }
                    Expired::Invitations => {
                        sqlx::query(concat!(
                            "DELETE FROM invitations WHERE token_sha256 IN (SELECT \
                             token_sha256 FROM invitations WHERE expires_at <= $1 LIMIT $2",
                            $lock,
                            ")"
                        ))
                        .bind(cutoffs.now.as_micros())
                        .bind(limit)
                        .execute(&self.pool)
                        .await?
                    }
                };
                Ok(done.rows_affected())
            }

            fn pool_status(&self) -> $crate::db::maintenance::PoolStatus {
                $crate::db::maintenance::PoolStatus {
                    size: self.pool.size(),
                    idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
                    max: self.pool.options().get_max_connections(),
                }
            }
        }
    };
}

pub(crate) use maintenance_store;
