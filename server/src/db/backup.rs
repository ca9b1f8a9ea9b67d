//! The database's part of `coffre backup` and `coffre restore`: a consistent snapshot of
//! a live database, and putting one back into an empty database.
//!
//! * SQLite: `VACUUM INTO` a new file — an online copy taken inside one read transaction,
//!   so it is consistent while `coffre serve` keeps writing (WAL readers do not block
//!   writers). Restoring copies that file into place.
//! * PostgreSQL: `pg_dump --format=custom` (the PostgreSQL client tools, at least the
//!   server's version, must be installed). The blob rows are read in a `REPEATABLE READ`
//!   transaction whose snapshot is exported and handed to `pg_dump --snapshot`, so the
//!   dump and the blob list are the very same state. Restoring runs `pg_restore
//!   --single-transaction` into an empty database.
//!
//! Either way the snapshot's committed blob rows come back with it: the caller copies
//! those objects, and only those, after the snapshot is taken.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::process::Command;

use super::{Backend, PostgresStore, SqliteStore, Store, StoreError};
use crate::config::DatabaseLocation;
use crate::domain::{BlobRecord, Instance};
use crate::private_fs;

/// The name of the database file inside a backup directory, per engine.
pub fn snapshot_file_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "coffre.db",
        Backend::Postgres => "coffre.pgdump",
    }
}

/// What a snapshot holds that the rest of the backup needs.
#[derive(Debug)]
pub struct DatabaseSnapshot {
    pub instance: Instance,
    /// The committed blob rows of the snapshot, oldest first.
    pub blobs: Vec<BlobRecord>,
}

/// Why a snapshot could not be taken or put back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write or read {}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "cannot run `{tool}`: install the PostgreSQL client tools (package postgresql-client, \
         at least the server's version)"
    )]
    ToolMissing {
        tool: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("`{tool}` failed ({status}): {stderr}")]
    ToolFailed {
        tool: &'static str,
        status: std::process::ExitStatus,
        stderr: String,
    },
    #[error("there is no database at {}", .0.display())]
    NoDatabase(PathBuf),
    #[error(
        "the target database is not empty ({0}): restore only into an empty database; \
         nothing was changed"
    )]
    TargetNotEmpty(String),
    #[error("the PostgreSQL URL cannot be read")]
    BadUrl(#[source] url::ParseError),
}

/// Takes a consistent snapshot of the live database at `location` into the new file
/// `dest` (made `0600` first: it holds the server key).
pub async fn snapshot(
    location: &DatabaseLocation,
    dest: &Path,
) -> Result<DatabaseSnapshot, SnapshotError> {
    let file_error = |source| SnapshotError::File {
        path: dest.to_owned(),
        source,
    };
    match location {
        DatabaseLocation::Sqlite(path) => {
            if !path.is_file() {
                return Err(SnapshotError::NoDatabase(path.clone()));
            }
            private_fs::create_private_file(dest).map_err(file_error)?;
            let store = SqliteStore::connect(path).await?;
            let copied = store.vacuum_into(dest).await;
            store.close().await;
            copied?;
            super::sqlite::read_snapshot(dest).await
        }
        DatabaseLocation::Postgres(url) => {
            private_fs::create_private_file(dest).map_err(file_error)?;
            let (pg_url, password) = libpq_url(url.expose())?;
            let store = PostgresStore::connect(url.expose()).await?;
            let snapshot = store
                .with_exported_snapshot(|snapshot_id| async move {
                    let mut command = Command::new("pg_dump");
                    command
                        .args(["--format=custom", "--no-owner", "--no-privileges"])
                        .arg(format!("--snapshot={snapshot_id}"))
                        .arg(format!("--file={}", dest.display()))
                        .arg(format!("--dbname={pg_url}"));
                    run_tool("pg_dump", command, password.as_deref()).await
                })
                .await;
            store.close().await;
            snapshot
        }
    }
}

/// Refuses, changing nothing, unless the database at `location` is empty: a SQLite file
/// that does not exist (or is empty), a PostgreSQL database without tables.
pub async fn check_empty(location: &DatabaseLocation) -> Result<(), SnapshotError> {
    match location {
        DatabaseLocation::Sqlite(path) => {
            let size = match std::fs::metadata(path) {
                Ok(meta) => meta.len(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
                Err(source) => {
                    return Err(SnapshotError::File {
                        path: path.clone(),
                        source,
                    });
                }
            };
            if size > 0 {
                return Err(SnapshotError::TargetNotEmpty(format!(
                    "{} exists",
                    path.display()
                )));
            }
            Ok(())
        }
        DatabaseLocation::Postgres(url) => {
            let store = PostgresStore::connect(url.expose()).await?;
            let tables = store.table_count().await;
            store.close().await;
            match tables? {
                0 => Ok(()),
                n => Err(SnapshotError::TargetNotEmpty(format!("{n} tables"))),
            }
        }
    }
}

/// Puts the snapshot file `file` back into the empty database at `location` (call
/// [`check_empty`] first). PostgreSQL: one transaction, so a failure leaves it empty.
pub async fn restore(location: &DatabaseLocation, file: &Path) -> Result<(), SnapshotError> {
    match location {
        DatabaseLocation::Sqlite(path) => {
            let file_error = |source| SnapshotError::File {
                path: path.clone(),
                source,
            };
            if let Some(parent) = path.parent()
                && !parent.as_os_str().is_empty()
            {
                private_fs::create_private_dir_all(parent).map_err(file_error)?;
            }
            // Copied beside the target, then renamed: the target appears complete or not at all.
            let staged = path.with_extension("db.restoring");
            private_fs::create_private_file(&staged).map_err(file_error)?;
            tokio::fs::copy(file, &staged).await.map_err(file_error)?;
            tokio::fs::File::open(&staged)
                .await
                .map_err(file_error)?
                .sync_all()
                .await
                .map_err(file_error)?;
            tokio::fs::rename(&staged, path).await.map_err(file_error)
        }
        DatabaseLocation::Postgres(url) => {
            let (pg_url, password) = libpq_url(url.expose())?;
            let mut command = Command::new("pg_restore");
            command
                .args([
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                ])
                .arg(format!("--dbname={pg_url}"))
                .arg(file);
            run_tool("pg_restore", command, password.as_deref()).await
        }
    }
}

/// The URL without its password (which goes to the tool through `PGPASSWORD`, out of
/// the process list).
fn libpq_url(raw: &str) -> Result<(String, Option<String>), SnapshotError> {
    let mut url = url::Url::parse(raw).map_err(SnapshotError::BadUrl)?;
    let password = url.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    // Only fails for URLs that cannot have a password, which `postgres://` ones can.
    let _ = url.set_password(None);
    Ok((url.to_string(), password))
}

async fn run_tool(
    tool: &'static str,
    mut command: Command,
    password: Option<&str>,
) -> Result<(), SnapshotError> {
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .await
        .map_err(|source| SnapshotError::ToolMissing { tool, source })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(SnapshotError::ToolFailed {
            tool,
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}
