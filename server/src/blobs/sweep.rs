//! The start-up sweeper: finishes interrupted deletions, removes orphan objects (no
//! row) and staged partial files older than the grace period.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::SystemTime;

use futures::TryStreamExt;
use object_store::ObjectStoreExt;

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

        let mut candidates = Vec::new();
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
                candidates.push(id);
            }
        }
        for chunk in candidates.chunks(MAX_IDS_PER_QUERY) {
            let known = self.store.known_blob_ids(chunk).await?;
            for id in chunk.iter().filter(|id| !known.contains(id)) {
                match self.objects().delete(&object_path(*id)).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {
                        report.orphans_removed += 1
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }

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
