//! The retention job: deletes, in the background, what the server no longer needs —
//! rate-limit counters (they name a client IP address or an auth key) once their window
//! began `[retention] ip_hours` ago, ended sessions, expired sign-in challenges, passkey
//! ceremonies and invitation links; and uploads abandoned past their lifetime, with their
//! chunks' blobs (otherwise dropped only when the same coffre starts another upload).
//!
//! One pass ([`Retention::run_once`]) deletes in bounded batches (each its own short
//! statement, so no long lock), against instants from the injected clock; tests call it
//! directly. `serve` runs a pass every `[retention] interval_minutes` ([`Retention::run_every`]),
//! on every replica: on PostgreSQL each batch takes its rows `FOR UPDATE SKIP LOCKED`, so
//! replicas purging together share the work instead of waiting for each other.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::blobs::BlobService;
use crate::clock::SharedClock;
use crate::config::{RetentionConfig, SessionsConfig};
use crate::db::{Cutoffs, Expired, SharedStore, StoreError};
use crate::metrics::{Job, Metrics};

/// Rows one batch deletes at most.
pub const BATCH: u32 = 500;
/// Batches of one kind one pass runs at most (the rest waits for the next pass): a pass
/// stays bounded however much has piled up.
pub const MAX_BATCHES: u32 = 200;

/// What one pass deleted, per kind of row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub removed: Vec<(Expired, u64)>,
    /// Expired uploads ended, their chunks' blobs deleted.
    pub uploads: u64,
}

impl RetentionReport {
    /// How many rows of `what` the pass deleted.
    pub fn of(&self, what: Expired) -> u64 {
        self.removed
            .iter()
            .filter(|(kind, _)| *kind == what)
            .map(|(_, n)| n)
            .sum()
    }

    pub fn total(&self) -> u64 {
        self.removed.iter().map(|(_, n)| n).sum::<u64>() + self.uploads
    }
}

/// The retention job of one server.
#[derive(Debug, Clone)]
pub struct Retention {
    store: SharedStore,
    clock: SharedClock,
    retention: RetentionConfig,
    sessions: SessionsConfig,
    metrics: Option<Metrics>,
    /// Where expired uploads' chunks are deleted; without it uploads are left alone.
    blobs: Option<BlobService>,
    batch: u32,
}

impl Retention {
    pub fn new(
        store: SharedStore,
        clock: SharedClock,
        retention: RetentionConfig,
        sessions: SessionsConfig,
    ) -> Self {
        Self {
            store,
            clock,
            retention,
            sessions,
            metrics: None,
            blobs: None,
            batch: BATCH,
        }
    }

    /// Also ends expired uploads and deletes their chunks from `blobs`.
    pub fn with_blobs(mut self, blobs: BlobService) -> Self {
        self.blobs = Some(blobs);
        self
    }

    /// Counts runs and removed rows in `metrics`.
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// Rows per batch (tests use small batches to make passes interleave).
    pub fn with_batch(mut self, batch: u32) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// The instants a pass at `self.clock.now()` deletes against.
    pub fn cutoffs(&self) -> Cutoffs {
        let now = self.clock.now();
        let minutes = |m: u32| time::Duration::minutes(i64::from(m));
        Cutoffs {
            now,
            rate_limits_before: now
                .saturating_sub(time::Duration::hours(i64::from(self.retention.ip_hours))),
            idle_before: now.saturating_sub(minutes(self.sessions.idle_minutes)),
            shared_idle_before: now.saturating_sub(minutes(self.sessions.shared_idle_minutes)),
        }
    }

    /// One pass: every kind, batch after batch until a batch deletes less than a full one
    /// (or [`MAX_BATCHES`]). Recorded in the metrics; a failure stops the pass (the next
    /// one starts over).
    #[tracing::instrument(skip_all)]
    pub async fn run_once(&self) -> Result<RetentionReport, StoreError> {
        let result = self.pass().await;
        match &result {
            Ok(report) => {
                if report.total() > 0 {
                    tracing::info!(removed = ?report.removed, "retention: purged");
                }
                if let Some(metrics) = &self.metrics {
                    let mut removed: Vec<(&'static str, u64)> = report
                        .removed
                        .iter()
                        .map(|(kind, n)| (kind.as_str(), *n))
                        .collect();
                    removed.push(("uploads", report.uploads));
                    metrics.job_succeeded(Job::Retention, self.clock.now(), &removed);
                }
            }
            Err(e) => {
                tracing::warn!(error = %crate::error::error_chain(e), "retention pass failed");
                if let Some(metrics) = &self.metrics {
                    metrics.job_failed(Job::Retention);
                }
            }
        }
        result
    }

    async fn pass(&self) -> Result<RetentionReport, StoreError> {
        let cutoffs = self.cutoffs();
        let mut report = RetentionReport::default();
        for what in Expired::ALL {
            let mut removed = 0;
            for _ in 0..MAX_BATCHES {
                let n = self
                    .store
                    .delete_expired(what, &cutoffs, self.batch)
                    .await?;
                removed += n;
                if n < u64::from(self.batch) {
                    break;
                }
            }
            report.removed.push((what, removed));
        }
        if let Some(blobs) = &self.blobs {
            report.uploads = self.end_expired_uploads(blobs, &cutoffs).await?;
        }
        Ok(report)
    }

    /// Ends the uploads whose lifetime is over (batch after batch, bounded like the rest):
    /// their rows go in one transaction each, then their chunks' objects. Another replica
    /// ending the same upload first is no error (`abandon_upload` finds nothing).
    async fn end_expired_uploads(
        &self,
        blobs: &BlobService,
        cutoffs: &Cutoffs,
    ) -> Result<u64, StoreError> {
        let mut ended = 0;
        for _ in 0..MAX_BATCHES {
            let expired = self.store.expired_uploads(cutoffs.now, self.batch).await?;
            for (coffre, id) in &expired {
                if let Some(chunks) = self.store.abandon_upload(*coffre, *id).await? {
                    blobs.finish_deletions(&chunks).await;
                    ended += 1;
                }
            }
            if expired.len() < self.batch as usize {
                break;
            }
        }
        Ok(ended)
    }

    /// Runs a pass every `interval_minutes` until `stop` is cancelled. The first pass comes
    /// one interval after the start (a start is not slowed down, and tests that control
    /// the clock see no pass they did not ask for).
    pub async fn run_every(self, stop: CancellationToken) {
        let period = Duration::from_secs(u64::from(self.retention.interval_minutes) * 60);
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                _ = ticks.tick() => {
                    // Errors are logged and counted by run_once; the next tick tries again.
                    let _ = self.run_once().await;
                }
            }
        }
    }
}
