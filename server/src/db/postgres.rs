//! PostgreSQL: for several `coffre serve` replicas sharing one database.

use std::collections::HashSet;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use uuid::Uuid;

use super::backup::{DatabaseSnapshot, SnapshotError};
use super::schema::{CheckInfo, ColumnInfo, ColumnKind, IndexInfo, IndexOrigin, SchemaInfo};
use super::{
    Backend, BlobRow, MAX_IDS_PER_QUERY, Store, StoreError, blob_from_row, migrate_error,
    server_key_from_row, size_to_db,
};
use crate::domain::{BlobId, BlobRecord, BlobState, Instance, InstanceId, ServerKey, Timestamp};

/// Version of the newest embedded migration.
pub(super) fn latest_migration() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

static MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// A PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl super::papers::BeginWrite for PostgresStore {
    const BEGIN_WRITE: &'static str = "BEGIN";

    async fn begin_unsynced(&self) -> Result<sqlx::Transaction<'_, sqlx::Postgres>, sqlx::Error> {
        let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
        // This transaction's commit returns before its WAL record is flushed.
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        None
    }
}

impl PostgresStore {
    /// Connects to the database named by a `postgres://` URL.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(StoreError::Connect)?;
        Ok(Self { pool })
    }

    /// Reads the instance and the committed blob rows in a `REPEATABLE READ` transaction,
    /// exports its snapshot and runs `dump(snapshot_id)` while the transaction holds it:
    /// `pg_dump --snapshot` then dumps exactly the state the rows were read from.
    pub(super) async fn with_exported_snapshot<F, Fut>(
        &self,
        dump: F,
    ) -> Result<DatabaseSnapshot, SnapshotError>
    where
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = Result<(), SnapshotError>>,
    {
        let mut tx = self.pool.begin().await.map_err(StoreError::from)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        let (snapshot_id,): (String,) = sqlx::query_as("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        let instance: Option<(Uuid, i64, i64)> =
            sqlx::query_as("SELECT id, created_at, schema_version FROM instance")
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        let (id, created_at, schema_version) = instance.ok_or(StoreError::NoInstance)?;
        let rows: Vec<BlobRow> = sqlx::query_as(
            "SELECT id, size, sha256, created_at, state FROM blobs WHERE state = 'committed' \
             ORDER BY created_at, id",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let blobs = rows
            .into_iter()
            .map(blob_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        dump(snapshot_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(DatabaseSnapshot {
            instance: Instance {
                id: InstanceId(id),
                created_at: Timestamp::from_micros(created_at),
                schema_version,
            },
            blobs,
        })
    }

    /// How many tables the database's `public` schema holds (0: an empty database).
    pub(super) async fn table_count(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                .fetch_one(&self.pool)
                .await?;
        Ok(count)
    }
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        // sqlx takes an advisory lock, so replicas starting together migrate once.
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
            "INSERT INTO instance (singleton, id, created_at, schema_version) VALUES (TRUE, $1, $2, $3) \
             ON CONFLICT (singleton) DO UPDATE \
             SET schema_version = GREATEST(instance.schema_version, excluded.schema_version)",
        )
        .bind(candidate.id.0)
        .bind(candidate.created_at.as_micros())
        .bind(candidate.schema_version)
        .execute(&self.pool)
        .await?;
        self.instance().await?.ok_or(StoreError::NoInstance)
    }

    async fn ensure_server_key(&self, candidate: &ServerKey) -> Result<ServerKey, StoreError> {
        sqlx::query("UPDATE instance SET server_key = $1 WHERE server_key IS NULL")
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
            "INSERT INTO blobs (id, size, sha256, created_at, state) VALUES ($1, $2, $3, $4, $5)",
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
            sqlx::query_as("SELECT id, size, sha256, created_at, state FROM blobs WHERE id = $1")
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
            "SELECT id, size, sha256, created_at, state FROM blobs WHERE state = $1 \
             ORDER BY created_at, id LIMIT $2",
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
            let uuids: Vec<Uuid> = chunk.iter().map(|id| id.0).collect();
            let rows: Vec<(Uuid,)> = sqlx::query_as("SELECT id FROM blobs WHERE id = ANY($1)")
                .bind(&uuids)
                .fetch_all(&self.pool)
                .await?;
            known.extend(rows.into_iter().map(|(id,)| BlobId(id)));
        }
        Ok(known)
    }

    async fn mark_blob_deleting(&self, id: BlobId) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE blobs SET state = 'deleting' WHERE id = $1 AND state = 'committed'",
        )
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_blob(&self, id: BlobId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM blobs WHERE id = $1")
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn schema(&self) -> Result<SchemaInfo, StoreError> {
        let columns: Vec<(String, String, String, bool, bool)> = sqlx::query_as(
            "SELECT c.table_name::text, c.column_name::text, c.data_type::text, \
                c.is_nullable = 'NO', \
                EXISTS (SELECT 1 FROM information_schema.table_constraints tc \
                        JOIN information_schema.key_column_usage k \
                          ON k.constraint_name = tc.constraint_name \
                         AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name \
                        WHERE tc.constraint_type = 'PRIMARY KEY' \
                          AND tc.table_schema = c.table_schema AND tc.table_name = c.table_name \
                          AND k.column_name = c.column_name) \
             FROM information_schema.columns c \
             WHERE c.table_schema = current_schema() AND c.table_name <> '_sqlx_migrations' \
             ORDER BY 1, 2",
        )
        .fetch_all(&self.pool)
        .await?;
        let checks: Vec<(String, Vec<String>)> = sqlx::query_as(
            "SELECT t.relname::text, \
                ARRAY(SELECT a.attname::text FROM pg_attribute a \
                      WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) \
             FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE c.contype = 'c' AND n.nspname = current_schema() \
               AND t.relname <> '_sqlx_migrations'",
        )
        .fetch_all(&self.pool)
        .await?;
        let indexes: Vec<(String, String, bool, bool, bool, Vec<String>)> = sqlx::query_as(
            "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, \
                EXISTS (SELECT 1 FROM pg_constraint c \
                        WHERE c.conindid = ix.indexrelid AND c.contype = 'u'), \
                ARRAY(SELECT a.attname::text \
                      FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                      JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum \
                      ORDER BY k.ord) \
             FROM pg_index ix \
             JOIN pg_class i ON i.oid = ix.indexrelid \
             JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations' \
               AND NOT ix.indisprimary",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(SchemaInfo {
            columns: columns
                .into_iter()
                .map(
                    |(table, column, data_type, not_null, primary_key)| ColumnInfo {
                        table,
                        column,
                        kind: ColumnKind::from_postgres(&data_type),
                        not_null,
                        primary_key,
                    },
                )
                .collect(),
            checks: checks
                .into_iter()
                .map(|(table, mut columns)| {
                    columns.sort();
                    CheckInfo { table, columns }
                })
                .collect(),
            indexes: indexes
                .into_iter()
                .map(
                    |(table, name, unique, partial, constraint, columns)| IndexInfo {
                        table,
                        origin: if constraint {
                            IndexOrigin::UniqueConstraint
                        } else {
                            IndexOrigin::Created(name)
                        },
                        columns,
                        unique,
                        partial,
                    },
                )
                .collect(),
        })
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

super::accounts::account_store!(PostgresStore);
super::passkeys::passkey_store!(PostgresStore);
super::remembered::remembered_store!(PostgresStore);
super::checkpoints::checkpoint_store!(PostgresStore);
super::papers::paper_store!(PostgresStore);
super::paper_indexes::paper_index_store!(PostgresStore);
super::organisations::organisation_store!(PostgresStore);
super::org_proposals::org_proposal_store!(PostgresStore);
super::mandates::mandate_store!(PostgresStore);
super::maintenance::maintenance_store!(PostgresStore, " FOR UPDATE SKIP LOCKED");
