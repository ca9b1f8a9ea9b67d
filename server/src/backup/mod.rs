//! `coffre backup`, `coffre restore` and `coffre verify`: a consistent copy of the
//! database and the blob store into a directory, putting it back into an empty instance,
//! and checking every blob against its record.
//!
//! A backup directory holds the database snapshot (`coffre.db` or `coffre.pgdump`),
//! `blobs/` (the store's own layout, `ab/abxxxxxx-…`) and `manifest.json` (see
//! [`manifest`]), written last. Everything in it is what the host already holds:
//! ciphertext, public keys, signed statements, hashes — and the server key.

mod make;
pub mod manifest;
mod restore;
mod verify;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::ObjectStore;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

use crate::blobs::BlobError;
use crate::db::StoreError;
use crate::db::backup::SnapshotError;
use crate::domain::{BlobId, CoffreId, Sha256Digest};
use crate::error::ApiError;

pub use make::{BackupSummary, backup};
pub use restore::{RestoreSummary, restore};
pub use verify::{VerifyReport, verify_backup, verify_configured, verify_live};

/// Blobs copied or hashed at once.
const CONCURRENT_BLOBS: usize = 4;

/// Why a backup, a restore or a verification could not be done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    #[error("{} is not empty: a backup goes into a new or empty directory", .0.display())]
    DirectoryNotEmpty(PathBuf),
    #[error("cannot read or write {}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the backup's manifest is not valid: {0}")]
    BadManifest(String),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error(
        "blob {0} is in the database snapshot but its object is gone (deleted while the \
         backup ran?): run the backup again"
    )]
    VanishedDuringBackup(BlobId),
    #[error("the backup does not verify ({0}): nothing was restored")]
    Damaged(String),
    #[error(
        "the blob store is not empty ({0}): restore only into an empty blob store; nothing \
         was changed"
    )]
    BlobStoreNotEmpty(String),
    #[error("this is a backup of a {backup} database, but the configuration names a {target} one")]
    EngineMismatch {
        backup: &'static str,
        target: &'static str,
    },
    #[error(
        "the backup's schema (version {backup}) is newer than this coffre knows (version \
         {binary}): restore it with a coffre at least as new as the one that made it"
    )]
    SchemaTooNew { backup: i64, binary: i64 },
    #[error(
        "the restored database belongs to instance {found}, the backup's manifest says {expected}"
    )]
    InstanceMismatch { expected: String, found: String },
    #[error(
        "the restore is incomplete: the restored store does not match the backup ({0}). Empty \
         the database and the blob store, then restore again"
    )]
    Incomplete(String),
    #[error("writing the `restored` journal entry of coffre {coffre} failed")]
    Journal {
        coffre: CoffreId,
        #[source]
        source: ApiError,
    },
}

/// Size and SHA-256 of a file, streamed.
async fn hash_file(path: &Path) -> Result<(u64, Sha256Digest), std::io::Error> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((size, Sha256Digest(hasher.finalize().into())))
}

/// The blob folder of a backup directory as an object store (`None` if there is none).
fn backup_objects(dir: &Path) -> Result<Option<Arc<dyn ObjectStore>>, BackupError> {
    let root = dir.join(manifest::BLOBS_DIR);
    if !root.is_dir() {
        return Ok(None);
    }
    let store = object_store::local::LocalFileSystem::new_with_prefix(&root)
        .map_err(BlobError::from)?
        .with_fsync(true);
    Ok(Some(Arc::new(store)))
}
