//! The owner's metadata index of each category generation in the database (protocol.md
//! section 6.1; `docs/design/papers-server.md`): one row per (coffre, category, generation),
//! the newest index only. Its file is a committed blob; the row keeps the owner-signed
//! `paper_index` statement and its `seq`, so only the next one replaces it. Like
//! [`super::papers`], the SQL is written once and [`paper_index_store!`] expands it for each
//! engine's pool type, beside `paper_store!` (whose blob helpers it uses).

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreError;
use super::accounts::InsertError;
use super::papers::unsigned;
use crate::domain::{BlobId, BlobRecord, CoffreId, Timestamp};

/// A stored index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRecord {
    pub coffre: CoffreId,
    pub category: Uuid,
    pub generation: u64,
    /// The statement's `seq`.
    pub seq: u64,
    /// The epoch the statement was signed at.
    pub epoch: u64,
    /// The index file.
    pub blob: BlobId,
    /// Its length in bytes.
    pub size: u64,
    /// The owner's `paper_index` (envelope bytes).
    pub statement: Vec<u8>,
    pub stored_at: Timestamp,
}

/// What replacing an index writes, in one transaction.
#[derive(Debug)]
pub struct IndexPut<'a> {
    pub index: &'a IndexRecord,
    /// A new file's blob, its object written already (its row goes in with the index).
    /// `None`: the statement is over the stored file (a new epoch's signature).
    pub new_blob: Option<&'a BlobRecord>,
    /// The `seq` the stored index must have (`None`: there must be none).
    pub replaces: Option<u64>,
}

/// What the server asks of its database for paper indexes.
#[async_trait]
pub trait PaperIndexStore: Send + Sync {
    /// Every index of the coffre, by category and generation.
    async fn paper_indexes(&self, coffre: CoffreId) -> Result<Vec<IndexRecord>, StoreError>;

    /// The coffre's index of `category`, `generation` (another coffre's is `None`).
    async fn paper_index(
        &self,
        coffre: CoffreId,
        category: Uuid,
        generation: u64,
    ) -> Result<Option<IndexRecord>, StoreError>;

    /// Stores `put.index` in place of the one with seq `put.replaces` (or as the first).
    /// The replaced file's blob, when the file changed, is marked `deleting` and returned.
    /// [`InsertError::Conflict`] when the stored index is not the one replaced (another
    /// device stored one meanwhile).
    async fn put_paper_index(&self, put: &IndexPut<'_>) -> Result<Option<BlobId>, InsertError>;

    /// The metadata files of the coffre's papers among `ids` (others are left out), by id.
    async fn paper_metas(
        &self,
        coffre: CoffreId,
        ids: &[Uuid],
    ) -> Result<Vec<(Uuid, Vec<u8>)>, StoreError>;
}

pub(crate) type IndexRow = (Uuid, Uuid, i64, i64, i64, Uuid, i64, Vec<u8>, i64);

pub(crate) const INDEX_COLUMNS: &str =
    "coffre, category, generation, seq, epoch, blob, size, statement, stored_at";

pub(crate) fn index_from_row(row: IndexRow) -> Result<IndexRecord, StoreError> {
    let (coffre, category, generation, seq, epoch, blob, size, statement, stored) = row;
    Ok(IndexRecord {
        coffre: CoffreId(coffre),
        category,
        generation: unsigned(generation, "index generation")?,
        seq: unsigned(seq, "index seq")?,
        epoch: unsigned(epoch, "index epoch")?,
        blob: BlobId(blob),
        size: unsigned(size, "index size")?,
        statement,
        stored_at: Timestamp::from_micros(stored),
    })
}

/// Implements [`PaperIndexStore`] for a store type with a `pool` field, in a module where
/// `paper_store!` was expanded.
macro_rules! paper_index_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::paper_indexes::PaperIndexStore for $store {
            async fn paper_indexes(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<$crate::db::paper_indexes::IndexRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM paper_indexes WHERE coffre = $1 ORDER BY category, generation",
                    $crate::db::paper_indexes::INDEX_COLUMNS
                );
                let rows: Vec<$crate::db::paper_indexes::IndexRow> = sqlx::query_as(&sql)
                    .bind(coffre.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::paper_indexes::index_from_row)
                    .collect()
            }

            async fn paper_index(
                &self,
                coffre: $crate::domain::CoffreId,
                category: uuid::Uuid,
                generation: u64,
            ) -> Result<Option<$crate::db::paper_indexes::IndexRecord>, $crate::db::StoreError>
            {
                use $crate::db::accounts::to_i64;
                let sql = format!(
                    "SELECT {} FROM paper_indexes \
                     WHERE coffre = $1 AND category = $2 AND generation = $3",
                    $crate::db::paper_indexes::INDEX_COLUMNS
                );
                let row: Option<$crate::db::paper_indexes::IndexRow> = sqlx::query_as(&sql)
                    .bind(coffre.0)
                    .bind(category)
                    .bind(to_i64(generation)?)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::paper_indexes::index_from_row)
                    .transpose()
            }

            async fn put_paper_index(
                &self,
                put: &$crate::db::paper_indexes::IndexPut<'_>,
            ) -> Result<Option<$crate::domain::BlobId>, $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{InsertError, insert_error, to_i64};
                let i = put.index;
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                if let Some(blob) = put.new_blob {
                    insert_blob_row(&mut tx, blob).await?;
                }
                let Some(seq) = put.replaces else {
                    let sql = format!(
                        "INSERT INTO paper_indexes ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        $crate::db::paper_indexes::INDEX_COLUMNS
                    );
                    sqlx::query(&sql)
                        .bind(i.coffre.0)
                        .bind(i.category)
                        .bind(to_i64(i.generation)?)
                        .bind(to_i64(i.seq)?)
                        .bind(to_i64(i.epoch)?)
                        .bind(i.blob.0)
                        .bind(to_i64(i.size)?)
                        .bind(&i.statement)
                        .bind(i.stored_at.as_micros())
                        .execute(&mut *tx)
                        .await
                        .map_err(insert_error)?;
                    bump_papers_version(&mut tx, i.coffre).await?;
                    tx.commit().await.map_err(insert_error)?;
                    return Ok(None);
                };
                let old: Option<(uuid::Uuid,)> = sqlx::query_as(
                    "SELECT blob FROM paper_indexes \
                     WHERE coffre = $1 AND category = $2 AND generation = $3 AND seq = $4",
                )
                .bind(i.coffre.0)
                .bind(i.category)
                .bind(to_i64(i.generation)?)
                .bind(to_i64(seq)?)
                .fetch_optional(&mut *tx)
                .await
                .map_err(insert_error)?;
                let Some((old,)) = old else {
                    return Err(InsertError::Conflict);
                };
                // Compare and swap on the seq: of two devices racing, only the first one
                // replaces the index they both read.
                let done = sqlx::query(
                    "UPDATE paper_indexes \
                     SET seq = $5, epoch = $6, blob = $7, size = $8, statement = $9, stored_at = $10 \
                     WHERE coffre = $1 AND category = $2 AND generation = $3 AND seq = $4",
                )
                .bind(i.coffre.0)
                .bind(i.category)
                .bind(to_i64(i.generation)?)
                .bind(to_i64(seq)?)
                .bind(to_i64(i.seq)?)
                .bind(to_i64(i.epoch)?)
                .bind(i.blob.0)
                .bind(to_i64(i.size)?)
                .bind(&i.statement)
                .bind(i.stored_at.as_micros())
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                if done.rows_affected() != 1 {
                    return Err(InsertError::Conflict);
                }
                let replaced = (old != i.blob.0).then_some(old);
                if let Some(old) = replaced {
                    mark_deleting(&mut tx, old).await?;
                }
                bump_papers_version(&mut tx, i.coffre).await?;
                tx.commit().await.map_err(insert_error)?;
                Ok(replaced.map($crate::domain::BlobId))
            }

            async fn paper_metas(
                &self,
                coffre: $crate::domain::CoffreId,
                ids: &[uuid::Uuid],
            ) -> Result<Vec<(uuid::Uuid, Vec<u8>)>, $crate::db::StoreError> {
                let mut out = Vec::with_capacity(ids.len());
                for batch in ids.chunks($crate::db::MAX_IDS_PER_QUERY) {
                    let marks: Vec<String> = (0..batch.len()).map(|n| format!("${}", n + 2)).collect();
                    let sql = format!(
                        "SELECT id, meta FROM papers WHERE coffre = $1 AND id IN ({}) ORDER BY id",
                        marks.join(", ")
                    );
                    let mut query = sqlx::query_as::<_, (uuid::Uuid, Vec<u8>)>(&sql).bind(coffre.0);
                    for id in batch {
                        query = query.bind(*id);
                    }
                    out.extend(query.fetch_all(&self.pool).await?);
                }
                Ok(out)
            }
        }
    };
}

pub(crate) use paper_index_store;
