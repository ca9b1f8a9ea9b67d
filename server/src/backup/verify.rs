//! `coffre verify`: every committed blob's object hashed (streamed) against its row, and
//! every object without a row found; `coffre verify --backup DIR`: the same for a backup
//! directory against its manifest, plus the database snapshot's own hash.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use object_store::ObjectStore;

use super::manifest::{Manifest, parse_digest};
use super::{BackupError, CONCURRENT_BLOBS, backup_objects, hash_file};
use crate::blobs::{self, BlobError, object_path};
use crate::config::{Config, DatabaseLocation};
use crate::db::backup::SnapshotError;
use crate::db::{self, MAX_IDS_PER_QUERY, SharedStore};
use crate::domain::{BlobId, BlobState, Sha256Digest};

/// What a verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Blobs whose object was found and matched.
    pub good: u64,
    /// Recorded (a row, or a manifest entry) but without an object.
    pub missing: Vec<BlobId>,
    /// An object whose size or SHA-256 is not the recorded one.
    pub corrupt: Vec<BlobId>,
    /// Objects nothing records (their names in the store).
    pub extra: Vec<String>,
    /// A backup's database snapshot that is missing or does not match the manifest.
    pub database: Option<String>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty()
            && self.corrupt.is_empty()
            && self.extra.is_empty()
            && self.database.is_none()
    }

    /// One line per problem, then a count.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(problem) = &self.database {
            lines.push(format!("database snapshot {problem}"));
        }
        lines.extend(
            self.corrupt.iter().map(|id| {
                format!("corrupt blob {id}: its size or SHA-256 is not the recorded one")
            }),
        );
        lines.extend(
            self.missing
                .iter()
                .map(|id| format!("missing blob {id}: recorded, but there is no object")),
        );
        lines.extend(
            self.extra
                .iter()
                .map(|name| format!("extra object {name}: nothing records it")),
        );
        lines.push(self.summary());
        lines
    }

    /// `N blobs good; …`.
    pub fn summary(&self) -> String {
        let mut text = format!("{} blobs good", self.good);
        for (n, what) in [
            (self.corrupt.len(), "corrupt"),
            (self.missing.len(), "missing"),
            (self.extra.len(), "extra"),
        ] {
            let _ = write!(text, ", {n} {what}");
        }
        if self.database.is_some() {
            text.push_str(", database snapshot wrong");
        }
        text
    }

    fn sort(&mut self) {
        self.missing.sort();
        self.corrupt.sort();
        self.extra.sort();
    }
}

/// [`verify_live`] on the database and blob store `config` names. The database must exist
/// already (it is neither created nor migrated: verifying changes nothing).
pub async fn verify_configured(config: &Config) -> Result<VerifyReport, BackupError> {
    let location = config.database();
    if let DatabaseLocation::Sqlite(path) = &location
        && !path.is_file()
    {
        return Err(SnapshotError::NoDatabase(path.clone()).into());
    }
    let store = db::connect(&location).await?;
    let report = async {
        let backend = blobs::open_backend(config)?;
        verify_live(&store, backend.objects()).await
    }
    .await;
    store.close().await;
    report
}

/// Checks the live blob store against the database. Safe while `coffre serve` runs: the
/// rows are read first, then the objects listed; an object with no row is checked again
/// against the database (a write that committed meanwhile is not extra), and a missing
/// object against its row (a blob deleted meanwhile is not missing).
pub async fn verify_live(
    store: &SharedStore,
    objects: &Arc<dyn ObjectStore>,
) -> Result<VerifyReport, BackupError> {
    let rows = store.blobs_in_state(BlobState::Committed, u32::MAX).await?;
    let expected: HashMap<BlobId, (u64, Sha256Digest)> =
        rows.iter().map(|r| (r.id, (r.size, r.sha256))).collect();
    let mut report = check_objects(objects, &expected).await?;
    // Deleted since the rows were read: not missing.
    let mut still_missing = Vec::new();
    for id in report.missing.drain(..) {
        if let Some(row) = store.blob(id).await?
            && row.state == BlobState::Committed
        {
            still_missing.push(id);
        }
    }
    report.missing = still_missing;
    // Committed since the rows were read, or being deleted: not extra.
    let (ids, others): (Vec<String>, Vec<String>) = std::mem::take(&mut report.extra)
        .into_iter()
        .partition(|name| blob_id_of(name).is_some());
    report.extra = others;
    let ids: Vec<BlobId> = ids.iter().filter_map(|n| blob_id_of(n)).collect();
    for batch in ids.chunks(MAX_IDS_PER_QUERY) {
        let known = store.known_blob_ids(batch).await?;
        report.extra.extend(
            batch
                .iter()
                .filter(|id| !known.contains(id))
                .map(|id| object_path(*id).to_string()),
        );
    }
    report.sort();
    Ok(report)
}

/// Checks a backup directory against its manifest: the database snapshot's size and
/// SHA-256, every blob's, and no blob file the manifest does not list.
pub async fn verify_backup(dir: &Path) -> Result<(Manifest, VerifyReport), BackupError> {
    let manifest = Manifest::read(dir)?;
    let mut expected = HashMap::new();
    for entry in &manifest.blobs {
        let (id, sha256) = entry.parsed()?;
        if expected.insert(id, (entry.size, sha256)).is_some() {
            return Err(BackupError::BadManifest(format!(
                "blob {id} is listed twice"
            )));
        }
    }
    let mut report = match backup_objects(dir)? {
        Some(objects) => check_objects(&objects, &expected).await?,
        None => VerifyReport {
            missing: expected.keys().copied().collect(),
            ..VerifyReport::default()
        },
    };
    let db_path = manifest.database_path(dir)?;
    let want = (
        manifest.database.size,
        parse_digest(&manifest.database.sha256)?,
    );
    report.database = match hash_file(&db_path).await {
        Ok(found) if found == want => None,
        Ok(_) => Some(format!(
            "{}: its size or SHA-256 is not the manifest's",
            manifest.database.file
        )),
        Err(e) => Some(format!("{}: {e}", manifest.database.file)),
    };
    report.sort();
    Ok((manifest, report))
}

/// Hashes the object of every blob in `expected` and lists the store for objects that
/// `expected` does not have.
async fn check_objects(
    objects: &Arc<dyn ObjectStore>,
    expected: &HashMap<BlobId, (u64, Sha256Digest)>,
) -> Result<VerifyReport, BackupError> {
    let mut report = VerifyReport::default();
    let outcomes: Vec<(BlobId, Outcome)> = futures::stream::iter(expected)
        .map(|(id, want)| async move {
            let outcome = match blobs::digest_object(objects, *id).await {
                Ok(found) if found == *want => Outcome::Good,
                Ok(_) => Outcome::Corrupt,
                Err(BlobError::MissingObject(_)) => Outcome::Missing,
                Err(e) => return Err(BackupError::from(e)),
            };
            Ok((*id, outcome))
        })
        .buffer_unordered(CONCURRENT_BLOBS)
        .try_collect()
        .await?;
    for (id, outcome) in outcomes {
        match outcome {
            Outcome::Good => report.good += 1,
            Outcome::Corrupt => report.corrupt.push(id),
            Outcome::Missing => report.missing.push(id),
        }
    }
    let mut listing = objects.list(None);
    while let Some(meta) = listing.try_next().await.map_err(BlobError::from)? {
        let name = meta.location.to_string();
        if !blob_id_of(&name).is_some_and(|id| expected.contains_key(&id)) {
            report.extra.push(name);
        }
    }
    Ok(report)
}

enum Outcome {
    Good,
    Corrupt,
    Missing,
}

/// The blob id an object name stands for, if it is exactly a blob's object name.
fn blob_id_of(name: &str) -> Option<BlobId> {
    let id = BlobId::from_str(name.rsplit('/').next()?).ok()?;
    (object_path(id).as_ref() == name).then_some(id)
}
