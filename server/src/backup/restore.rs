//! `coffre restore --from DIR`: a backup put back into an empty database and an empty
//! blob store, checked before and after, and told to every owner through their journal.

use std::path::Path;
use std::sync::Arc;

use coffre_crypto::kinds::JournalBodyPayload;
use futures::{StreamExt, TryStreamExt};
use object_store::ObjectStore;

use super::manifest::Manifest;
use super::{BackupError, CONCURRENT_BLOBS, backup_objects, verify_backup, verify_live};
use crate::app;
use crate::blobs::write::Expected;
use crate::blobs::{self, BlobBackend, BlobError};
use crate::clock::SharedClock;
use crate::config::{BlobLocation, Config, DatabaseLocation};
use crate::db::{self, Backend, SharedStore, backup as db_backup};
use crate::domain::{BlobState, InstanceId, Timestamp};
use crate::http::journal::{ServerAction, ServerSigner, append_signed_by_server};
use crate::http::session::unix_secs;

/// What a restore put back.
#[derive(Debug, Clone)]
pub struct RestoreSummary {
    pub instance: InstanceId,
    pub blobs: usize,
    pub coffres: usize,
    /// Sessions in the backup, all signed out.
    pub sessions_ended: u64,
    pub taken_at: Timestamp,
}

/// Restores the backup in `from` into the database and blob store `config` names, which
/// must both be empty.
///
/// In order, stopping at the first failure: the backup is verified whole (every blob and
/// the database snapshot against the manifest) and the target checked empty — until here
/// nothing is written; the blobs are copied (checked again as they flow) before the
/// database, as a write puts the object before its row; the database is put back and
/// migrated if the backup is older than this coffre; every session is ended; every coffre
/// gets a server-signed `restored` journal entry whose body says when the backup was
/// taken; and the restored rows and objects are verified against the manifest.
pub async fn restore(
    config: &Config,
    clock: &SharedClock,
    from: &Path,
) -> Result<RestoreSummary, BackupError> {
    let location = config.database();
    let (manifest, report) = verify_backup(from).await?;
    check_compatible(&manifest, &location)?;
    if !report.is_clean() {
        return Err(BackupError::Damaged(report.lines().join("; ")));
    }
    db_backup::check_empty(&location).await?;
    check_blob_store_empty(config).await?;

    let target = blobs::open_backend(config)?;
    if let Some(source) = backup_objects(from)? {
        copy_blobs(&source, target.objects(), &manifest).await?;
    }
    db_backup::restore(&location, &manifest.database_path(from)?).await?;
    let (store, instance, server_key) = app::open_store(config, clock).await?;
    let summary = async {
        if instance.id.0 != manifest.instance {
            return Err(BackupError::InstanceMismatch {
                expected: manifest.instance.to_string(),
                found: instance.id.to_string(),
            });
        }
        let sessions_ended = store.delete_all_sessions().await?;
        let origin = config.instance_origin();
        let signer = ServerSigner {
            store: &store,
            key: &server_key,
            origin: &origin,
            clock,
        };
        let taken_at = manifest.taken_at()?;
        let coffres = announce(signer, taken_at).await?;
        check_restored(&store, target.objects(), &manifest).await?;
        Ok(RestoreSummary {
            instance: instance.id,
            blobs: manifest.blobs.len(),
            coffres,
            sessions_ended,
            taken_at,
        })
    }
    .await;
    store.close().await;
    summary
}

/// The backup must be of the configured engine and not newer than this binary.
fn check_compatible(manifest: &Manifest, location: &DatabaseLocation) -> Result<(), BackupError> {
    let target = match location {
        DatabaseLocation::Sqlite(_) => Backend::Sqlite,
        DatabaseLocation::Postgres(_) => Backend::Postgres,
    };
    let engine = manifest.engine()?;
    if engine != target {
        return Err(BackupError::EngineMismatch {
            backup: super::manifest::engine_name(engine),
            target: super::manifest::engine_name(target),
        });
    }
    let binary = db::known_schema_version(target);
    if manifest.schema_version > binary {
        return Err(BackupError::SchemaTooNew {
            backup: manifest.schema_version,
            binary,
        });
    }
    Ok(())
}

/// Refuses, changing nothing, a blob store that holds anything: a local directory with
/// any entry (a missing one is empty), a bucket (or prefix) with any object.
async fn check_blob_store_empty(config: &Config) -> Result<(), BackupError> {
    match config.blobs() {
        BlobLocation::Local(path) => match std::fs::read_dir(&path) {
            Ok(mut entries) => match entries.next() {
                Some(_) => Err(BackupError::BlobStoreNotEmpty(format!(
                    "{} has entries",
                    path.display()
                ))),
                None => Ok(()),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(BackupError::File { path, source }),
        },
        BlobLocation::S3 { bucket, prefix } => {
            let backend = BlobBackend::s3(&bucket, prefix.as_deref(), &config.s3)?;
            let first = backend
                .objects()
                .list(None)
                .try_next()
                .await
                .map_err(BlobError::from)?;
            match first {
                Some(meta) => Err(BackupError::BlobStoreNotEmpty(format!(
                    "bucket {bucket} holds {}",
                    meta.location
                ))),
                None => Ok(()),
            }
        }
    }
}

async fn copy_blobs(
    source: &Arc<dyn ObjectStore>,
    target: &Arc<dyn ObjectStore>,
    manifest: &Manifest,
) -> Result<(), BackupError> {
    futures::stream::iter(&manifest.blobs)
        .map(|entry| async move {
            let (id, sha256) = entry.parsed()?;
            let expected = Expected {
                size: entry.size,
                sha256,
            };
            blobs::copy_object(source, target, id, expected)
                .await
                .map_err(BackupError::from)
        })
        .buffer_unordered(CONCURRENT_BLOBS)
        .try_collect::<()>()
        .await
}

/// Appends a `restored` entry to every coffre's journal; returns how many coffres.
async fn announce(signer: ServerSigner<'_>, taken_at: Timestamp) -> Result<usize, BackupError> {
    let body = JournalBodyPayload {
        backup_time: Some(u64::try_from(unix_secs(taken_at)).unwrap_or(0)),
        device: None,
        factor: None,
        kind: Default::default(),
        v: Default::default(),
    };
    let ids = signer.store.coffre_ids().await?;
    for id in &ids {
        let Some(coffre) = signer.store.coffre(*id).await? else {
            continue;
        };
        append_signed_by_server(signer, &coffre, ServerAction::Restored, &body)
            .await
            .map_err(|source| BackupError::Journal {
                coffre: *id,
                source,
            })?;
    }
    Ok(ids.len())
}

/// The restored rows must be the manifest's blobs, and every object must match its row.
async fn check_restored(
    store: &SharedStore,
    objects: &Arc<dyn ObjectStore>,
    manifest: &Manifest,
) -> Result<(), BackupError> {
    let mut rows: Vec<(String, u64, String)> = store
        .blobs_in_state(BlobState::Committed, u32::MAX)
        .await?
        .into_iter()
        .map(|r| (r.id.to_string(), r.size, r.sha256.to_string()))
        .collect();
    let mut listed: Vec<(String, u64, String)> = manifest
        .blobs
        .iter()
        .map(|b| (b.id.clone(), b.size, b.sha256.clone()))
        .collect();
    rows.sort();
    listed.sort();
    if rows != listed {
        return Err(BackupError::Incomplete(format!(
            "the committed blobs of the database ({}) are not those of the manifest ({})",
            rows.len(),
            listed.len()
        )));
    }
    let report = verify_live(store, objects).await?;
    if !report.is_clean() {
        return Err(BackupError::Incomplete(report.lines().join("; ")));
    }
    Ok(())
}
