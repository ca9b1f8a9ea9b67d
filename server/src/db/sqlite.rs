//! SQLite: the default store (one file, WAL, foreign keys, busy timeout).

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

use super::backup::{DatabaseSnapshot, SnapshotError};
use super::schema::{self, ColumnInfo, ColumnKind, IndexInfo, IndexOrigin, SchemaInfo};
use super::{
    Backend, BlobRow, MAX_IDS_PER_QUERY, Store, StoreError, blob_from_row, migrate_error,
    server_key_from_row, size_to_db,
};
use crate::domain::{BlobId, BlobRecord, BlobState, Instance, InstanceId, ServerKey, Timestamp};
use crate::private_fs;

/// Version of the newest embedded migration.
pub(super) fn latest_migration() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

static MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");

/// A SQLite database file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// One connection whose commits do not sync (`synchronous = NORMAL`), for
    /// `papers::BeginWrite::begin_unsynced`, used only by a transaction holding its turn in
    /// the write queue.
    unsynced: SqlitePool,
    /// The queue of write transactions (`papers::BeginWrite::write_turn`), shared by clones.
    writes: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file at `path`.
    pub async fn connect(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed blob row survives a power cut, not only a crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // Private from the start: the directory 0700, the file 0600 before SQLite opens it
        // (SQLite gives its -wal and -shm files the database file's permissions).
        let io_error = |e| StoreError::Connect(sqlx::Error::Io(e));
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            private_fs::create_private_dir_all(parent).map_err(io_error)?;
        }
        private_fs::create_private_file(path).map_err(io_error)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await
            .map_err(StoreError::Connect)?;
        // In WAL mode a `NORMAL` commit is written to the log without waiting for the disk,
        // and the next synced commit of any connection syncs the log with it: what a synced
        // commit promises still holds for everything committed before it.
        let unsynced = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.synchronous(SqliteSynchronous::Normal))
            .await
            .map_err(StoreError::Connect)?;
        Ok(Self {
            pool,
            unsynced,
            writes: Default::default(),
        })
    }

    /// Writes a consistent copy of the database into the empty file `dest` (`VACUUM
    /// INTO`: one read transaction, so writers carry on meanwhile).
    pub(super) async fn vacuum_into(&self, dest: &Path) -> Result<(), StoreError> {
        let dest = dest.to_str().ok_or_else(|| {
            StoreError::Corrupt(format!("the path {} is not UTF-8", dest.display()))
        })?;
        sqlx::query("VACUUM INTO ?")
            .bind(dest)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl super::papers::BeginWrite for SqliteStore {
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";

    /// On the one `synchronous = NORMAL` connection, in the write queue (every caller holds
    /// [`Self::write_turn`]): without the queue, such quick commits took SQLite's write lock
    /// ahead of synced ones that then waited past the busy timeout (`papers-server.md`,
    /// *Durability*).
    async fn begin_unsynced(&self) -> Result<sqlx::Transaction<'_, Sqlite>, sqlx::Error> {
        self.unsynced.begin_with(Self::BEGIN_WRITE).await
    }

    async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        Some(self.writes.lock().await)
    }
}

/// The instance and the committed blob rows of a snapshot file, read without changing it
/// (opened immutable: no journal, no lock, no `-wal` beside it).
pub(super) async fn read_snapshot(path: &Path) -> Result<DatabaseSnapshot, SnapshotError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(StoreError::Connect)?;
    let store = SqliteStore {
        unsynced: pool.clone(),
        pool,
        writes: Default::default(),
    };
    let read = async {
        let instance = store.instance().await?.ok_or(StoreError::NoInstance)?;
        let blobs = store.blobs_in_state(BlobState::Committed, u32::MAX).await?;
        Ok::<_, StoreError>(DatabaseSnapshot { instance, blobs })
    }
    .await;
    store.close().await;
    Ok(read?)
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| migrate_error(e, self.latest_migration()))
    }

    fn latest_migration(&self) -> i64 {
        latest_migration()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn ensure_instance(&self, candidate: &Instance) -> Result<Instance, StoreError> {
        sqlx::query(
            "INSERT INTO instance (singleton, id, created_at, schema_version) VALUES (1, ?, ?, ?) \
             ON CONFLICT (singleton) DO UPDATE \
             SET schema_version = max(instance.schema_version, excluded.schema_version)",
        )
        .bind(candidate.id.0)
        .bind(candidate.created_at.as_micros())
        .bind(candidate.schema_version)
        .execute(&self.pool)
        .await?;
        self.instance().await?.ok_or(StoreError::NoInstance)
    }

    async fn ensure_server_key(&self, candidate: &ServerKey) -> Result<ServerKey, StoreError> {
        sqlx::query("UPDATE instance SET server_key = ? WHERE server_key IS NULL")
            .bind(candidate.secret_bytes().as_slice())
            .execute(&self.pool)
            .await?;
        let row: Option<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT server_key FROM instance")
            .fetch_optional(&self.pool)
            .await?;
        server_key_from_row(row)
    }

    async fn instance(&self) -> Result<Option<Instance>, StoreError> {
        let row: Option<(Uuid, i64, i64)> =
            sqlx::query_as("SELECT id, created_at, schema_version FROM instance")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(id, created_at, schema_version)| Instance {
            id: InstanceId(id),
            created_at: Timestamp::from_micros(created_at),
            schema_version,
        }))
    }

    async fn insert_blob(&self, blob: &BlobRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO blobs (id, size, sha256, created_at, state) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(blob.id.0)
        .bind(size_to_db(blob.size)?)
        .bind(blob.sha256.0.as_slice())
        .bind(blob.created_at.as_micros())
        .bind(blob.state.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn blob(&self, id: BlobId) -> Result<Option<BlobRecord>, StoreError> {
        let row: Option<BlobRow> =
            sqlx::query_as("SELECT id, size, sha256, created_at, state FROM blobs WHERE id = ?")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(blob_from_row).transpose()
    }

    async fn blobs_in_state(
        &self,
        state: BlobState,
        limit: u32,
    ) -> Result<Vec<BlobRecord>, StoreError> {
        let rows: Vec<BlobRow> = sqlx::query_as(
            "SELECT id, size, sha256, created_at, state FROM blobs WHERE state = ? \
             ORDER BY created_at, id LIMIT ?",
        )
        .bind(state.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(blob_from_row).collect()
    }

    async fn known_blob_ids(&self, ids: &[BlobId]) -> Result<HashSet<BlobId>, StoreError> {
        let mut known = HashSet::new();
        for chunk in ids.chunks(MAX_IDS_PER_QUERY) {
            let mut query = QueryBuilder::<Sqlite>::new("SELECT id FROM blobs WHERE id IN (");
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(id.0);
            }
            query.push(")");
            let rows: Vec<(Uuid,)> = query.build_query_as().fetch_all(&self.pool).await?;
            known.extend(rows.into_iter().map(|(id,)| BlobId(id)));
        }
        Ok(known)
    }

    async fn mark_blob_deleting(&self, id: BlobId) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE blobs SET state = 'deleting' WHERE id = ? AND state = 'committed'")
                .bind(id.0)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_blob(&self, id: BlobId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM blobs WHERE id = ?")
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn schema(&self) -> Result<SchemaInfo, StoreError> {
        let tables: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_schema \
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' \
             ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut schema = SchemaInfo::default();
        for (table, create_sql) in tables {
            let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
                "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
            )
            .bind(&table)
            .fetch_all(&self.pool)
            .await?;
            let names: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
            schema
                .checks
                .extend(schema::sqlite_checks(&table, &create_sql, &names));
            schema
                .columns
                .extend(
                    columns
                        .into_iter()
                        .map(|(column, declared, not_null, pk)| ColumnInfo {
                            table: table.clone(),
                            column,
                            kind: ColumnKind::from_sqlite(&declared),
                            not_null: not_null != 0,
                            primary_key: pk != 0,
                        }),
                );
            let indexes: Vec<(String, i64, String, i64)> = sqlx::query_as(
                "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)",
            )
            .bind(&table)
            .fetch_all(&self.pool)
            .await?;
            for (name, unique, origin, partial) in indexes {
                let origin = match origin.as_str() {
                    // Primary keys are compared with the columns.
                    "pk" => continue,
                    "u" => IndexOrigin::UniqueConstraint,
                    _ => IndexOrigin::Created(name.clone()),
                };
                let columns: Vec<(Option<String>,)> =
                    sqlx::query_as("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                        .bind(&name)
                        .fetch_all(&self.pool)
                        .await?;
                schema.indexes.push(IndexInfo {
                    table: table.clone(),
                    origin,
                    columns: columns
                        .into_iter()
                        .map(|(c,)| c.unwrap_or_else(|| "<expression>".to_owned()))
                        .collect(),
                    unique: unique != 0,
                    partial: partial != 0,
                });
            }
        }
        Ok(schema)
    }

    async fn close(&self) {
        self.unsynced.close().await;
        self.pool.close().await;
    }
}

super::accounts::account_store!(SqliteStore);
super::passkeys::passkey_store!(SqliteStore);
super::remembered::remembered_store!(SqliteStore);
super::checkpoints::checkpoint_store!(SqliteStore);
super::papers::paper_store!(SqliteStore);
super::paper_indexes::paper_index_store!(SqliteStore);
super::organisations::organisation_store!(SqliteStore);
super::org_proposals::org_proposal_store!(SqliteStore);
super::mandates::mandate_store!(SqliteStore);
super::maintenance::maintenance_store!(SqliteStore, "");

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::db::papers::BeginWrite;

    /// What each connection promises: the pool's commits are synced (`FULL` = 2), the
    /// unsynced writes' are not (`NORMAL` = 1), and a snapshot reader has no second pool.
    #[tokio::test]
    async fn only_the_unsynced_writes_skip_the_sync() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::connect(&dir.path().join("t.db"))
            .await
            .unwrap();
        let synced: (i64,) = sqlx::query_as("PRAGMA synchronous")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(synced.0, 2);
        let _turn = store.write_turn().await;
        let mut tx = store.begin_unsynced().await.unwrap();
        let unsynced: (i64,) = sqlx::query_as("PRAGMA synchronous")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(unsynced.0, 1);
        tx.commit().await.unwrap();
        store.close().await;
    }
}
