//! PostgreSQL: for several `coffre serve` replicas sharing one database.

use std::collections::HashSet;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use uuid::Uuid;

use super::{
    Backend, BlobRow, ColumnInfo, MAX_IDS_PER_QUERY, Store, StoreError, blob_from_row,
    migrate_error, size_to_db,
};
use crate::domain::{BlobId, BlobRecord, BlobState, Instance, InstanceId, Timestamp};

static MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// A PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
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
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
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

    async fn schema_columns(&self) -> Result<Vec<ColumnInfo>, StoreError> {
        let rows: Vec<(String, String, bool, bool)> = sqlx::query_as(
            "SELECT c.table_name::text, c.column_name::text, c.is_nullable = 'NO', \
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
        Ok(rows
            .into_iter()
            .map(|(table, column, not_null, primary_key)| ColumnInfo {
                table,
                column,
                not_null,
                primary_key,
            })
            .collect())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
