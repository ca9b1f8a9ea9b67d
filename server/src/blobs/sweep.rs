//! The start-up sweeper: finishes interrupted deletions, removes orphan objects (no
//! row) and staged partial files older than the grace period. `serve` runs it in the
//! background; it lists the store as a stream and checks ids in batches, so its memory
//! stays bounded on a store of any size.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::SystemTime;

use futures::TryStreamExt;
use object_store::ObjectStoreExt;
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use super::{BlobError, BlobService, object_path};
use crate::db::MAX_IDS_PER_QUERY;
use crate::domain::{BlobId, BlobState, Timestamp};

/// What a sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Deletions interrupted by a crash, now finished.
    pub deletions_finished: u64,
    /// Complete objects that no row names (a crash between the two phases).
    pub orphans_removed: u64,
    /// Partial files of interrupted local writes.
    pub staged_removed: u64,
}

impl BlobService {
    /// Cleans up after crashes. Only touches what is older than `grace`, so it is safe
    /// while other replicas write.
    #[tracing::instrument(skip_all)]
    pub async fn sweep(&self, grace: time::Duration) -> Result<SweepReport, BlobError> {
        let cutoff = self.clock.now().saturating_sub(grace);
        let mut report = SweepReport::default();

        loop {
            let batch = self.store.blobs_in_state(BlobState::Deleting, 500).await?;
            if batch.is_empty() {
                break;
            }
            for blob in batch {
                self.finish_delete(blob.id).await?;
                report.deletions_finished += 1;
            }
        }

        // Streamed in batches: memory stays bounded however many objects the store holds.
        let mut batch: Vec<BlobId> = Vec::with_capacity(MAX_IDS_PER_QUERY);
        let mut listing = self.objects().list(None);
        while let Some(meta) = listing.try_next().await? {
            let Some(id) = meta
                .location
                .filename()
                .and_then(|n| BlobId::from_str(n).ok())
            else {
                tracing::warn!("ignoring an object that is not a blob");
                continue;
            };
            // Foreign or misplaced objects are left alone.
            if meta.location != object_path(id) {
                continue;
            }
            let modified = Timestamp::from_micros(meta.last_modified.timestamp_micros());
            if modified < cutoff {
                batch.push(id);
                if batch.len() == MAX_IDS_PER_QUERY {
                    report.orphans_removed += self.remove_orphans(&batch).await?;
                    batch.clear();
                }
            }
        }
        report.orphans_removed += self.remove_orphans(&batch).await?;

        if let Some(root) = self.backend.local_root.clone() {
            let cutoff = SystemTime::from(cutoff);
            report.staged_removed =
                tokio::task::spawn_blocking(move || remove_staged(&root, cutoff))
                    .await
                    .map_err(|e| BlobError::Config(format!("sweeper task failed: {e}")))?
                    .map_err(BlobError::Body)?;
        }

        if report != SweepReport::default() {
            tracing::info!(?report, "blob sweep cleaned up after an interrupted run");
        }
        Ok(report)
    }
}

impl BlobService {
    /// Deletes those of `candidates` (at most one query's worth) that no row names.
    async fn remove_orphans(&self, candidates: &[BlobId]) -> Result<u64, BlobError> {
        if candidates.is_empty() {
            return Ok(0);
        }
        let known = self.store.known_blob_ids(candidates).await?;
        let mut removed = 0;
        for id in candidates.iter().filter(|id| !known.contains(id)) {
            match self.objects().delete(&object_path(*id)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => removed += 1,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(removed)
    }

    /// Runs [`Self::sweep`] in the background (start-up does not wait for it) and returns
    /// a handle to wait for its result. A failure is logged, not fatal.
    pub fn spawn_sweep(&self, grace: time::Duration) -> SweepTask {
        let service = self.clone();
        let task = tokio::spawn(async move {
            let result = service.sweep(grace).await;
            let metrics = service.metrics.as_ref();
            match &result {
                Ok(report) => {
                    if let Some(metrics) = metrics {
                        metrics.job_succeeded(
                            crate::metrics::Job::BlobSweep,
                            service.clock.now(),
                            &[
                                ("deletions_finished", report.deletions_finished),
                                ("orphans", report.orphans_removed),
                                ("staged", report.staged_removed),
                            ],
                        );
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %crate::error::error_chain(e), "blob sweep failed");
                    if let Some(metrics) = metrics {
                        metrics.job_failed(crate::metrics::Job::BlobSweep);
                    }
                }
            }
            result
        });
        SweepTask(Arc::new(Mutex::new(Some(task))))
    }
}

/// A sweep running in the background (see [`BlobService::spawn_sweep`]).
#[derive(Clone, Debug)]
pub struct SweepTask(Arc<Mutex<Option<SweepHandle>>>);

type SweepHandle = JoinHandle<Result<SweepReport, BlobError>>;

impl SweepTask {
    /// Waits for the sweep to end. Its result goes to the first caller; later calls get
    /// `None`.
    pub async fn wait(&self) -> Option<Result<SweepReport, BlobError>> {
        let task = self.0.lock().await.take()?;
        Some(match task.await {
            Ok(result) => result,
            Err(e) => Err(BlobError::Config(format!("sweeper task failed: {e}"))),
        })
    }
}

/// `object_store`'s staging name for an upload in progress: `NAME#DIGITS`.
pub(crate) fn is_staged_name(name: &str) -> bool {
    match name.rsplit_once('#') {
        Some((base, digits)) => {
            !base.is_empty() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

fn remove_staged(root: &Path, cutoff: SystemTime) -> std::io::Result<u64> {
    let mut removed = 0;
    let mut dirs: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                dirs.push(entry.path());
                continue;
            }
            let staged = entry.file_name().to_str().is_some_and(is_staged_name);
            if staged && kind.is_file() && entry.metadata()?.modified()? < cutoff {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}
