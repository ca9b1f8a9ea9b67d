//! `coffre backup --to DIR`: the database snapshot first, then the blobs its rows name,
//! each copied and checked, then the manifest.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use object_store::ObjectStore;

use super::manifest::{self, BlobEntry, DatabaseEntry, Manifest};
use super::{BackupError, CONCURRENT_BLOBS, hash_file};
use crate::blobs::write::Expected;
use crate::blobs::{self, BlobBackend, BlobError};
use crate::clock::SharedClock;
use crate::config::{Config, DatabaseLocation};
use crate::db::{Backend, backup as db_backup};
use crate::domain::BlobRecord;
use crate::private_fs;

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct BackupSummary {
    pub dir: PathBuf,
    pub blobs: usize,
    pub blob_bytes: u64,
    pub manifest: Manifest,
}

/// Backs up the database and the blob store that `config` names into `to`, a new or
/// empty directory (made `0700`), while `coffre serve` may keep running.
///
/// **Order.** The database snapshot is taken first, and only the blobs whose rows are
/// committed *in that snapshot* are copied. A blob is written before its row is committed
/// (two-phase write), so every row in the snapshot names an object that already exists:
/// the copy is complete. Listing the blobs first and the database second could catch a
/// row whose object was never listed. Blobs written after the snapshot are not in it and
/// are not copied. A blob deleted between the snapshot and its copy makes the backup fail
/// ([`BackupError::VanishedDuringBackup`]): run it again.
pub async fn backup(
    config: &Config,
    clock: &SharedClock,
    to: &Path,
) -> Result<BackupSummary, BackupError> {
    prepare_dir(to)?;
    let location = config.database();
    let backend = match location {
        DatabaseLocation::Sqlite(_) => Backend::Sqlite,
        DatabaseLocation::Postgres(_) => Backend::Postgres,
    };
    let taken_at = clock.now();
    let db_file = to.join(db_backup::snapshot_file_name(backend));
    // 1. The database, before anything is listed (see above).
    let snapshot = db_backup::snapshot(&location, &db_file).await?;
    // 2. The blobs the snapshot's rows name, checked against those rows as they are copied.
    let source = blobs::open_backend(config)?;
    let target = BlobBackend::local(&to.join(manifest::BLOBS_DIR))?;
    copy_blobs(source.objects(), target.objects(), &snapshot.blobs).await?;
    // 3. The manifest, last: a directory without one is an unfinished backup.
    let (size, sha256) = hash_file(&db_file)
        .await
        .map_err(|source| BackupError::File {
            path: db_file.clone(),
            source,
        })?;
    let manifest = Manifest {
        format: manifest::FORMAT.to_owned(),
        coffre_version: env!("CARGO_PKG_VERSION").to_owned(),
        instance: snapshot.instance.id.0,
        schema_version: snapshot.instance.schema_version,
        taken_at: manifest::format_time(taken_at),
        database: DatabaseEntry {
            engine: manifest::engine_name(backend).to_owned(),
            file: db_backup::snapshot_file_name(backend).to_owned(),
            size,
            sha256: sha256.to_string(),
        },
        blobs: snapshot.blobs.iter().map(BlobEntry::of).collect(),
    };
    manifest.write(to)?;
    Ok(BackupSummary {
        dir: to.to_owned(),
        blobs: snapshot.blobs.len(),
        blob_bytes: snapshot.blobs.iter().map(|b| b.size).sum(),
        manifest,
    })
}

/// `to` must be new or empty; it is created `0700`.
fn prepare_dir(to: &Path) -> Result<(), BackupError> {
    let file_error = |source| BackupError::File {
        path: to.to_owned(),
        source,
    };
    match std::fs::read_dir(to) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BackupError::DirectoryNotEmpty(to.to_owned()));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            private_fs::create_private_dir_all(to).map_err(file_error)
        }
        Err(e) => Err(file_error(e)),
    }
}

/// Copies every blob of `records` from `source` to `target`, [`CONCURRENT_BLOBS`] at once.
async fn copy_blobs(
    source: &Arc<dyn ObjectStore>,
    target: &Arc<dyn ObjectStore>,
    records: &[BlobRecord],
) -> Result<(), BackupError> {
    futures::stream::iter(records)
        .map(|record| async move {
            let expected = Expected {
                size: record.size,
                sha256: record.sha256,
            };
            match blobs::copy_object(source, target, record.id, expected).await {
                Err(BlobError::MissingObject(id)) => Err(BackupError::VanishedDuringBackup(id)),
                other => other.map_err(BackupError::from),
            }
        })
        .buffer_unordered(CONCURRENT_BLOBS)
        .try_collect::<()>()
        .await
}
