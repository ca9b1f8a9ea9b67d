//! `manifest.json`, the table of contents of a backup directory: what was backed up,
//! when, by which coffre, and the size and SHA-256 of the database snapshot and of every
//! blob. It is written last, so a directory without one is an unfinished backup.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::BackupError;
use crate::db::Backend;
use crate::domain::{BlobId, BlobRecord, Sha256Digest, Timestamp};
use crate::private_fs;

/// The manifest's file name inside a backup directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The folder of a backup directory that holds the blobs (`ab/abxxxxxx-…`, the store's
/// own layout).
pub const BLOBS_DIR: &str = "blobs";
/// The value of `format`: a reader refuses any other.
pub const FORMAT: &str = "coffre-backup/v1";

/// A backup's manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// The version of the `coffre` that made the backup.
    pub coffre_version: String,
    /// The instance's id (the database's `instance` row).
    pub instance: Uuid,
    /// The newest migration the database had applied.
    pub schema_version: i64,
    /// When the backup was taken (RFC 3339, UTC, microseconds), by the server's clock.
    pub taken_at: String,
    pub database: DatabaseEntry,
    /// Every committed blob of the database snapshot, oldest first.
    pub blobs: Vec<BlobEntry>,
}

/// The database snapshot: a SQLite file or a `pg_dump` archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseEntry {
    /// `sqlite` or `postgres`.
    pub engine: String,
    /// The file's name in the backup directory.
    pub file: String,
    pub size: u64,
    /// Hex.
    pub sha256: String,
}

/// One blob: its id, size and SHA-256 (hex), as its row records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlobEntry {
    pub id: String,
    pub size: u64,
    pub sha256: String,
}

impl BlobEntry {
    pub fn of(record: &BlobRecord) -> Self {
        Self {
            id: record.id.to_string(),
            size: record.size,
            sha256: record.sha256.to_string(),
        }
    }

    /// The id and expected digest, checked.
    pub fn parsed(&self) -> Result<(BlobId, Sha256Digest), BackupError> {
        let id = BlobId::from_str(&self.id)
            .map_err(|_| BackupError::BadManifest(format!("blob id {:?}", self.id)))?;
        Ok((id, parse_digest(&self.sha256)?))
    }
}

/// The engine's name in the manifest.
pub fn engine_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// A hex SHA-256 as the manifest writes it.
pub fn parse_digest(hex_text: &str) -> Result<Sha256Digest, BackupError> {
    hex::decode(hex_text)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .map(Sha256Digest)
        .ok_or_else(|| BackupError::BadManifest(format!("SHA-256 {hex_text:?}")))
}

/// A time as the manifest writes it.
pub fn format_time(t: Timestamp) -> String {
    t.to_datetime()
        .and_then(|dt| dt.format(&Rfc3339).ok())
        .unwrap_or_else(|| t.as_micros().to_string())
}

impl Manifest {
    /// When the backup was taken.
    pub fn taken_at(&self) -> Result<Timestamp, BackupError> {
        OffsetDateTime::parse(&self.taken_at, &Rfc3339)
            .map(Timestamp::from)
            .map_err(|_| BackupError::BadManifest(format!("taken_at {:?}", self.taken_at)))
    }

    /// The engine the database snapshot is for.
    pub fn engine(&self) -> Result<Backend, BackupError> {
        match self.database.engine.as_str() {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" => Ok(Backend::Postgres),
            other => Err(BackupError::BadManifest(format!("engine {other:?}"))),
        }
    }

    /// The database snapshot's path in the backup directory `dir` (a bare file name only).
    pub fn database_path(&self, dir: &Path) -> Result<PathBuf, BackupError> {
        let name = &self.database.file;
        if name.is_empty() || name.contains('/') || name.starts_with('.') {
            return Err(BackupError::BadManifest(format!("database file {name:?}")));
        }
        Ok(dir.join(name))
    }

    /// Reads and checks `dir/manifest.json`.
    pub fn read(dir: &Path) -> Result<Self, BackupError> {
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read(&path).map_err(|source| BackupError::File {
            path: path.clone(),
            source,
        })?;
        let manifest: Self = serde_json::from_slice(&text)
            .map_err(|e| BackupError::BadManifest(format!("{}: {e}", path.display())))?;
        if manifest.format != FORMAT {
            return Err(BackupError::BadManifest(format!(
                "format {:?}, this coffre reads {FORMAT:?}",
                manifest.format
            )));
        }
        manifest.engine()?;
        manifest.taken_at()?;
        parse_digest(&manifest.database.sha256)?;
        for blob in &manifest.blobs {
            blob.parsed()?;
        }
        Ok(manifest)
    }

    /// Writes `dir/manifest.json` (`0600`, through a temporary file renamed into place
    /// and synced: it appears complete or not at all).
    pub fn write(&self, dir: &Path) -> Result<(), BackupError> {
        let path = dir.join(MANIFEST_FILE);
        let staged = dir.join(format!("{MANIFEST_FILE}.partial"));
        let file_error = |source| BackupError::File {
            path: path.clone(),
            source,
        };
        let mut text =
            serde_json::to_vec_pretty(self).map_err(|e| BackupError::BadManifest(e.to_string()))?;
        text.push(b'\n');
        private_fs::create_private_file(&staged).map_err(file_error)?;
        std::fs::write(&staged, &text).map_err(file_error)?;
        std::fs::File::open(&staged)
            .and_then(|f| f.sync_all())
            .map_err(file_error)?;
        std::fs::rename(&staged, &path).map_err(file_error)?;
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(file_error)
    }
}
