//! Papers and uploads in the database (protocol.md section 6; `docs/design/papers-server.md`).
//! Like [`super::accounts`], the SQL is written once and [`paper_store!`] expands it for each
//! engine's pool type.
//!
//! Every change that makes or removes a paper is one transaction with its journal entry, so
//! a paper exists exactly when the owner's journal says so. Blobs a transaction lets go of
//! (an upload's chunks, a deleted paper's content) are marked `deleting` inside it; the
//! caller then removes their objects ([`crate::blobs::BlobService::finish_deletions`]), and
//! after a crash the start-up sweep does. The journal row goes in through `account_store!`'s
//! `insert_journal_row`, expanded beside this for the same store type.

use async_trait::async_trait;
use uuid::Uuid;

use super::accounts::{InsertError, JournalRow};
use super::{StoreError, corrupt};
use crate::domain::{BlobId, BlobRecord, CoffreId, Timestamp};

/// An upload under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRecord {
    pub id: Uuid,
    pub coffre: CoffreId,
    /// Bytes of ciphertext the paper's content will have.
    pub content_size: u64,
    /// Every chunk but the last has exactly this many bytes.
    pub chunk_size: u64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

impl UploadRecord {
    /// How many chunks the content takes (at least one: an empty content is one empty chunk).
    pub fn chunk_count(&self) -> u64 {
        self.content_size.div_ceil(self.chunk_size).max(1)
    }

    /// The size chunk `idx` must have, or `None` past the last one.
    pub fn chunk_len(&self, idx: u64) -> Option<u64> {
        let count = self.chunk_count();
        if idx >= count {
            return None;
        }
        Some(if idx + 1 < count {
            self.chunk_size
        } else {
            self.content_size - self.chunk_size * (count - 1)
        })
    }
}

/// One received chunk: a committed blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkRecord {
    pub idx: u64,
    pub blob: BlobId,
    pub size: u64,
}

/// A stored paper (what the server may know of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRecord {
    pub id: Uuid,
    pub coffre: CoffreId,
    pub category: Uuid,
    pub generation: u64,
    pub content: BlobId,
    pub content_size: u64,
    /// The metadata: an age file to the category key.
    pub meta: Vec<u8>,
    /// The signed `upload` (envelope bytes).
    pub statement: Vec<u8>,
    pub created_at: Timestamp,
}

/// A paper as listed: what the owner's client checks against its index, without the
/// metadata file (fetched only for the papers the index does not hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperSummary {
    pub id: Uuid,
    pub category: Uuid,
    pub generation: u64,
    pub content_size: u64,
    /// The signed `upload` (envelope bytes).
    pub statement: Vec<u8>,
    pub created_at: Timestamp,
}

/// What committing an upload writes, in one transaction.
#[derive(Debug)]
pub struct PaperCommit<'a> {
    pub upload: &'a UploadRecord,
    /// The content blob, its object written already.
    pub content: &'a BlobRecord,
    /// The content is the upload's only chunk (its blob row exists; it is kept, not
    /// released with the upload).
    pub content_is_chunk: bool,
    pub paper: &'a PaperRecord,
    pub journal: &'a JournalRow,
}

/// What deleting a paper writes, in one transaction.
#[derive(Debug)]
pub struct PaperDeletion<'a> {
    pub coffre: CoffreId,
    pub paper: Uuid,
    /// The owner's signed `deletion` (envelope bytes).
    pub statement: &'a [u8],
    pub journal: &'a JournalRow,
    pub now: Timestamp,
}

/// Bytes a coffre holds and has reserved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Papers: their content and metadata.
    pub papers: u64,
    /// The metadata indexes' files.
    pub indexes: u64,
    /// Uploads under way (not expired): their announced content size.
    pub reserved: u64,
}

/// A coffre's papers version and its reserved bytes, read together per listing request.
///
/// `papers_version` moves (in the same transaction) with every write that changes what
/// `GET /api/papers` lists other than the uploads under way: a paper made (by the owner or
/// a deposit) or deleted, an index stored, the owner's epoch changed. A server that built
/// the listing at version `v` may serve those bytes again while the database still says
/// `v`, whichever replica wrote since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingState {
    pub version: u64,
    /// Uploads under way (not expired at the time asked): their announced content size.
    pub reserved: u64,
}

/// How each engine begins a transaction that writes (every write transaction of the Store
/// uses it).
///
/// SQLite's plain `BEGIN` is deferred: the transaction takes the write lock at its first
/// write. One that reads first (`end_upload` checks the upload is the coffre's) holds a
/// snapshot, and if another connection has written since, SQLite cannot move it to the
/// newer state: the write fails at once with `SQLITE_BUSY`, without waiting on the busy
/// timeout — the `500` on commit that concurrent uploads met. `BEGIN IMMEDIATE` takes the
/// write lock first (waiting for it up to the busy timeout), so every write transaction
/// here reads the newest state. PostgreSQL locks rows, not the database: its `BEGIN`
/// stays.
///
/// [`Self::begin_unsynced`] begins a write whose commit does not wait for the disk: for
/// the rows a power cut may take without harm, because what depends on them finds them
/// missing and asks again. An upload's chunk rows (the chunk objects are not fsynced
/// either: a lost chunk is asked again at commit, `http::uploads::all_chunks`), the chunk
/// rows removed after a commit (their `deleting` blobs are swept), and a used download
/// receipt (a power cut may let its one download happen twice; the receipt itself and its
/// journal entry were committed synced). On PostgreSQL that is `SET LOCAL
/// synchronous_commit = off`: a crash of the server process loses none of them, only the
/// database's own crash or a power cut. On SQLite it is the store's one `synchronous =
/// NORMAL` connection, in the write queue: a crash of the process loses none of them either
/// (they are in the write-ahead log), a power cut those since the last synced commit.
pub(crate) trait BeginWrite: super::accounts::HasDb {
    const BEGIN_WRITE: &'static str;

    /// A write transaction (as [`Self::BEGIN_WRITE`] begins it) whose commit is not synced.
    async fn begin_unsynced(&self) -> Result<sqlx::Transaction<'_, Self::Db>, sqlx::Error>;

    /// Waits for this store's turn to write, before a write transaction begins; the turn is
    /// held until the transaction ends (drop it after). On SQLite one fair queue (first come,
    /// first served) for every write transaction of the server: SQLite's own waiters poll for
    /// its one write lock (the busy handler), and those that began waiting last poll fastest,
    /// so a commit that had waited long lost to fresh chunk writes again and again, past the
    /// 5 s busy timeout (`500 database is locked` on commits during 50 concurrent uploads,
    /// BENCHMARKS.md section 10). In the queue a transaction waits its turn, and SQLite's lock
    /// is contended only by single-statement writes. PostgreSQL locks rows: no turn (`None`).
    async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>>;
}

/// What the server asks of its database for papers.
#[async_trait]
pub trait PaperStore: Send + Sync {
    async fn insert_upload(&self, upload: &UploadRecord) -> Result<(), InsertError>;

    /// The coffre's upload `id` (another coffre's is `None`).
    async fn upload(&self, coffre: CoffreId, id: Uuid) -> Result<Option<UploadRecord>, StoreError>;

    /// Its chunks, by index.
    async fn upload_chunks(&self, upload: Uuid) -> Result<Vec<ChunkRecord>, StoreError>;

    /// Records chunk `idx` as the committed blob `blob` (its object written already). A
    /// chunk sent again replaces the first one, whose blob is marked `deleting` and
    /// returned.
    async fn put_chunk(
        &self,
        upload: Uuid,
        idx: u64,
        blob: &BlobRecord,
    ) -> Result<Option<BlobId>, StoreError>;

    /// Ends an upload without a paper: its chunks' blobs are marked `deleting` and
    /// returned. `None` if there was no such upload.
    async fn abandon_upload(
        &self,
        coffre: CoffreId,
        id: Uuid,
    ) -> Result<Option<Vec<BlobId>>, StoreError>;

    /// Uploads that expired before `now`, at most `limit`.
    async fn expired_uploads(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<(CoffreId, Uuid)>, StoreError>;

    async fn usage(&self, coffre: CoffreId, now: Timestamp) -> Result<Usage, StoreError>;

    /// What tells whether a listing built earlier is still the coffre's: its papers
    /// version, and the bytes its uploads under way reserve at `now` (`None`: no such
    /// coffre). One query.
    async fn listing_state(
        &self,
        coffre: CoffreId,
        now: Timestamp,
    ) -> Result<Option<ListingState>, StoreError>;

    /// Makes the paper: the content blob, the paper, the journal entry; the upload and its
    /// chunks go (their blobs marked `deleting` and returned). [`InsertError::Conflict`] if
    /// the journal's next seq was taken meanwhile, or the paper id exists.
    async fn commit_paper(&self, commit: &PaperCommit<'_>) -> Result<Vec<BlobId>, InsertError>;

    /// The coffre's papers, oldest first, without their metadata files.
    /// Removes the rows of blobs whose objects are gone, in one transaction.
    async fn remove_blobs(&self, ids: &[BlobId]) -> Result<(), StoreError>;

    async fn paper_list(&self, coffre: CoffreId) -> Result<Vec<PaperSummary>, StoreError>;

    /// The coffre's paper `id` (another coffre's is `None`).
    async fn paper(&self, coffre: CoffreId, id: Uuid) -> Result<Option<PaperRecord>, StoreError>;

    /// The coffre's signed deletions, oldest first.
    async fn paper_deletions(&self, coffre: CoffreId) -> Result<Vec<Vec<u8>>, StoreError>;

    /// Deletes the paper with its signed deletion and journal entry; its content blob is
    /// marked `deleting` and returned. `Ok(None)` if there was no such paper.
    async fn delete_paper(
        &self,
        deletion: &PaperDeletion<'_>,
    ) -> Result<Option<BlobId>, InsertError>;
}

pub(crate) type UploadRow = (Uuid, Uuid, i64, i64, i64, i64);

pub(crate) const UPLOAD_COLUMNS: &str =
    "id, coffre, content_size, chunk_size, created_at, expires_at";

pub(crate) fn upload_from_row(row: UploadRow) -> Result<UploadRecord, StoreError> {
    let (id, coffre, size, chunk, created, expires) = row;
    Ok(UploadRecord {
        id,
        coffre: CoffreId(coffre),
        content_size: unsigned(size, "upload size")?,
        chunk_size: unsigned(chunk, "chunk size")?,
        created_at: Timestamp::from_micros(created),
        expires_at: Timestamp::from_micros(expires),
    })
}

pub(crate) type PaperRow = (Uuid, Uuid, Uuid, i64, Uuid, i64, Vec<u8>, Vec<u8>, i64);

pub(crate) const PAPER_COLUMNS: &str =
    "id, coffre, category, generation, content, content_size, meta, statement, created_at";

pub(crate) fn paper_from_row(row: PaperRow) -> Result<PaperRecord, StoreError> {
    let (id, coffre, category, generation, content, size, meta, statement, created) = row;
    Ok(PaperRecord {
        id,
        coffre: CoffreId(coffre),
        category,
        generation: unsigned(generation, "paper generation")?,
        content: BlobId(content),
        content_size: unsigned(size, "paper size")?,
        meta,
        statement,
        created_at: Timestamp::from_micros(created),
    })
}

pub(crate) fn unsigned(raw: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(raw).map_err(|_| corrupt(format!("negative {what}")))
}

/// Implements [`PaperStore`] for a store type with a `pool` field.
macro_rules! paper_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::papers::PaperStore for $store {
            async fn insert_upload(
                &self,
                u: &$crate::db::papers::UploadRecord,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{insert_error, to_i64};
                let sql = format!(
                    "INSERT INTO uploads ({}) VALUES ($1, $2, $3, $4, $5, $6)",
                    $crate::db::papers::UPLOAD_COLUMNS
                );
                sqlx::query(&sql)
                    .bind(u.id)
                    .bind(u.coffre.0)
                    .bind(to_i64(u.content_size)?)
                    .bind(to_i64(u.chunk_size)?)
                    .bind(u.created_at.as_micros())
                    .bind(u.expires_at.as_micros())
                    .execute(&self.pool)
                    .await
                    .map_err(insert_error)?;
                Ok(())
            }

            async fn upload(
                &self,
                coffre: $crate::domain::CoffreId,
                id: uuid::Uuid,
            ) -> Result<Option<$crate::db::papers::UploadRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM uploads WHERE id = $1 AND coffre = $2",
                    $crate::db::papers::UPLOAD_COLUMNS
                );
                let row: Option<$crate::db::papers::UploadRow> = sqlx::query_as(&sql)
                    .bind(id)
                    .bind(coffre.0)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::papers::upload_from_row).transpose()
            }

            async fn upload_chunks(
                &self,
                upload: uuid::Uuid,
            ) -> Result<Vec<$crate::db::papers::ChunkRecord>, $crate::db::StoreError> {
                use $crate::db::papers::unsigned;
                let rows: Vec<(i64, uuid::Uuid, i64)> = sqlx::query_as(
                    "SELECT idx, blob, size FROM upload_chunks WHERE upload = $1 ORDER BY idx",
                )
                .bind(upload)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(idx, blob, size)| {
                        Ok($crate::db::papers::ChunkRecord {
                            idx: unsigned(idx, "chunk index")?,
                            blob: $crate::domain::BlobId(blob),
                            size: unsigned(size, "chunk size")?,
                        })
                    })
                    .collect()
            }

            async fn put_chunk(
                &self,
                upload: uuid::Uuid,
                idx: u64,
                blob: &$crate::domain::BlobRecord,
            ) -> Result<Option<$crate::domain::BlobId>, $crate::db::StoreError> {
                use $crate::db::accounts::to_i64;
                use $crate::db::papers::BeginWrite;
                // Unsynced: a chunk row a power cut takes is a chunk asked
                // again at commit.
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.begin_unsynced().await?;
                insert_blob_row(&mut tx, blob).await?;
                let old: Option<(uuid::Uuid,)> = sqlx::query_as(
                    "SELECT blob FROM upload_chunks WHERE upload = $1 AND idx = $2",
                )
                .bind(upload)
                .bind(to_i64(idx)?)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((old,)) = old {
                    sqlx::query("UPDATE upload_chunks SET blob = $3, size = $4 WHERE upload = $1 AND idx = $2")
                        .bind(upload)
                        .bind(to_i64(idx)?)
                        .bind(blob.id.0)
                        .bind(to_i64(blob.size)?)
                        .execute(&mut *tx)
                        .await?;
                    mark_deleting(&mut tx, old).await?;
                    tx.commit().await?;
                    return Ok(Some($crate::domain::BlobId(old)));
                }
                sqlx::query("INSERT INTO upload_chunks (upload, idx, blob, size) VALUES ($1, $2, $3, $4)")
                    .bind(upload)
                    .bind(to_i64(idx)?)
                    .bind(blob.id.0)
                    .bind(to_i64(blob.size)?)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(None)
            }

            async fn abandon_upload(
                &self,
                coffre: $crate::domain::CoffreId,
                id: uuid::Uuid,
            ) -> Result<Option<Vec<$crate::domain::BlobId>>, $crate::db::StoreError> {
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await?;
                let chunks = end_upload(&mut tx, coffre, id, None).await?;
                tx.commit().await?;
                Ok(chunks)
            }

            async fn expired_uploads(
                &self,
                now: $crate::domain::Timestamp,
                limit: u32,
            ) -> Result<Vec<($crate::domain::CoffreId, uuid::Uuid)>, $crate::db::StoreError> {
                let rows: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(
                    "SELECT coffre, id FROM uploads WHERE expires_at < $1 ORDER BY expires_at LIMIT $2",
                )
                .bind(now.as_micros())
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(c, id)| ($crate::domain::CoffreId(c), id))
                    .collect())
            }

            async fn usage(
                &self,
                coffre: $crate::domain::CoffreId,
                now: $crate::domain::Timestamp,
            ) -> Result<$crate::db::papers::Usage, $crate::db::StoreError> {
                use $crate::db::papers::unsigned;
                // Summed in Rust: SQLite's and PostgreSQL's SUM types differ.
                let papers: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT content_size, CAST(length(meta) AS BIGINT) FROM papers WHERE coffre = $1",
                )
                .bind(coffre.0)
                .fetch_all(&self.pool)
                .await?;
                let reserved: Vec<(i64,)> = sqlx::query_as(
                    "SELECT content_size FROM uploads WHERE coffre = $1 AND expires_at >= $2",
                )
                .bind(coffre.0)
                .bind(now.as_micros())
                .fetch_all(&self.pool)
                .await?;
                let indexes: Vec<(i64,)> =
                    sqlx::query_as("SELECT size FROM paper_indexes WHERE coffre = $1")
                        .bind(coffre.0)
                        .fetch_all(&self.pool)
                        .await?;
                let mut usage = $crate::db::papers::Usage::default();
                for (size,) in indexes {
                    usage.indexes += unsigned(size, "index size")?;
                }
                for (size, meta) in papers {
                    usage.papers += unsigned(size, "paper size")? + unsigned(meta, "meta size")?;
                }
                for (size,) in reserved {
                    usage.reserved += unsigned(size, "upload size")?;
                }
                Ok(usage)
            }

            async fn listing_state(
                &self,
                coffre: $crate::domain::CoffreId,
                now: $crate::domain::Timestamp,
            ) -> Result<Option<$crate::db::papers::ListingState>, $crate::db::StoreError> {
                use $crate::db::papers::unsigned;
                // SUM's type differs between the engines: cast to BIGINT on both.
                let row: Option<(i64, i64)> = sqlx::query_as(
                    "SELECT papers_version, CAST(COALESCE((SELECT SUM(content_size) FROM uploads \
                     WHERE coffre = $1 AND expires_at >= $2), 0) AS BIGINT) \
                     FROM coffres WHERE id = $3",
                )
                .bind(coffre.0)
                .bind(now.as_micros())
                .bind(coffre.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(version, reserved)| {
                    Ok($crate::db::papers::ListingState {
                        version: unsigned(version, "papers version")?,
                        reserved: unsigned(reserved, "reserved bytes")?,
                    })
                })
                .transpose()
            }

            async fn commit_paper(
                &self,
                c: &$crate::db::papers::PaperCommit<'_>,
            ) -> Result<Vec<$crate::domain::BlobId>, $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{InsertError, insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                let keep = c.content_is_chunk.then_some(c.content.id);
                let chunks = end_upload(&mut tx, c.upload.coffre, c.upload.id, keep)
                    .await?
                    .ok_or(InsertError::Conflict)?;
                if keep.is_none() {
                    insert_blob_row(&mut tx, c.content).await?;
                }
                let p = c.paper;
                let sql = format!(
                    "INSERT INTO papers ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    $crate::db::papers::PAPER_COLUMNS
                );
                sqlx::query(&sql)
                    .bind(p.id)
                    .bind(p.coffre.0)
                    .bind(p.category)
                    .bind(to_i64(p.generation)?)
                    .bind(p.content.0)
                    .bind(to_i64(p.content_size)?)
                    .bind(&p.meta)
                    .bind(&p.statement)
                    .bind(p.created_at.as_micros())
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                insert_journal_row(&mut tx, p.coffre, c.journal).await?;
                bump_papers_version(&mut tx, p.coffre).await?;
                tx.commit().await.map_err(insert_error)?;
                Ok(chunks)
            }

            async fn remove_blobs(
                &self,
                ids: &[$crate::domain::BlobId],
            ) -> Result<(), $crate::db::StoreError> {
                if ids.is_empty() {
                    return Ok(());
                }
                use $crate::db::papers::BeginWrite;
                // Unsynced: a removal a power cut takes leaves `deleting` rows,
                // which the sweep finishes.
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.begin_unsynced().await?;
                for id in ids {
                    sqlx::query("DELETE FROM blobs WHERE id = $1")
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn paper_list(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<$crate::db::papers::PaperSummary>, $crate::db::StoreError> {
                use $crate::db::papers::unsigned;
                let rows: Vec<(uuid::Uuid, uuid::Uuid, i64, i64, Vec<u8>, i64)> = sqlx::query_as(
                    "SELECT id, category, generation, content_size, statement, created_at \
                     FROM papers WHERE coffre = $1 ORDER BY created_at, id",
                )
                .bind(coffre.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, category, generation, size, statement, created)| {
                        Ok($crate::db::papers::PaperSummary {
                            id,
                            category,
                            generation: unsigned(generation, "paper generation")?,
                            content_size: unsigned(size, "paper size")?,
                            statement,
                            created_at: $crate::domain::Timestamp::from_micros(created),
                        })
                    })
                    .collect()
            }

            async fn paper(
                &self,
                coffre: $crate::domain::CoffreId,
                id: uuid::Uuid,
            ) -> Result<Option<$crate::db::papers::PaperRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM papers WHERE id = $1 AND coffre = $2",
                    $crate::db::papers::PAPER_COLUMNS
                );
                let row: Option<$crate::db::papers::PaperRow> = sqlx::query_as(&sql)
                    .bind(id)
                    .bind(coffre.0)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::papers::paper_from_row).transpose()
            }

            async fn paper_deletions(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<Vec<u8>>, $crate::db::StoreError> {
                let rows: Vec<(Vec<u8>,)> = sqlx::query_as(
                    "SELECT statement FROM paper_deletions WHERE coffre = $1 ORDER BY deleted_at, paper",
                )
                .bind(coffre.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(|(s,)| s).collect())
            }

            async fn delete_paper(
                &self,
                d: &$crate::db::papers::PaperDeletion<'_>,
            ) -> Result<Option<$crate::domain::BlobId>, $crate::db::accounts::InsertError> {
                use $crate::db::accounts::insert_error;
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                let content: Option<(uuid::Uuid,)> = sqlx::query_as(
                    "DELETE FROM papers WHERE id = $1 AND coffre = $2 RETURNING content",
                )
                .bind(d.paper)
                .bind(d.coffre.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(insert_error)?;
                let Some((content,)) = content else {
                    return Ok(None);
                };
                mark_deleting(&mut tx, content).await?;
                sqlx::query(
                    "INSERT INTO paper_deletions (coffre, paper, statement, deleted_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(d.coffre.0)
                .bind(d.paper)
                .bind(d.statement)
                .bind(d.now.as_micros())
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                insert_journal_row(&mut tx, d.coffre, d.journal).await?;
                bump_papers_version(&mut tx, d.coffre).await?;
                tx.commit().await.map_err(insert_error)?;
                Ok(Some($crate::domain::BlobId(content)))
            }
        }

        /// A blob row, inside a transaction.
        async fn insert_blob_row(
            tx: &mut sqlx::Transaction<'_, <$store as $crate::db::accounts::HasDb>::Db>,
            blob: &$crate::domain::BlobRecord,
        ) -> Result<(), $crate::db::StoreError> {
            use $crate::db::accounts::to_i64;
            sqlx::query(
                "INSERT INTO blobs (id, size, sha256, created_at, state) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(blob.id.0)
            .bind(to_i64(blob.size)?)
            .bind(blob.sha256.0.as_slice())
            .bind(blob.created_at.as_micros())
            .bind(blob.state.as_str())
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// Moves the coffre's papers version, inside the transaction that changes what its
        /// listing holds ([`$crate::db::papers::ListingState`]).
        async fn bump_papers_version(
            tx: &mut sqlx::Transaction<'_, <$store as $crate::db::accounts::HasDb>::Db>,
            coffre: $crate::domain::CoffreId,
        ) -> Result<(), $crate::db::StoreError> {
            sqlx::query("UPDATE coffres SET papers_version = papers_version + 1 WHERE id = $1")
                .bind(coffre.0)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }

        async fn mark_deleting(
            tx: &mut sqlx::Transaction<'_, <$store as $crate::db::accounts::HasDb>::Db>,
            blob: uuid::Uuid,
        ) -> Result<(), $crate::db::StoreError> {
            sqlx::query("UPDATE blobs SET state = 'deleting' WHERE id = $1")
                .bind(blob)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }

        /// Removes the coffre's upload `id` and its chunk rows, marking their blobs
        /// `deleting` but `keep` (the chunk that became the paper's content); `None` if
        /// there is no such upload, or `keep` is not one of its chunks.
        async fn end_upload(
            tx: &mut sqlx::Transaction<'_, <$store as $crate::db::accounts::HasDb>::Db>,
            coffre: $crate::domain::CoffreId,
            id: uuid::Uuid,
            keep: Option<$crate::domain::BlobId>,
        ) -> Result<Option<Vec<$crate::domain::BlobId>>, $crate::db::StoreError> {
            let owned: Option<(uuid::Uuid,)> =
                sqlx::query_as("SELECT id FROM uploads WHERE id = $1 AND coffre = $2")
                    .bind(id)
                    .bind(coffre.0)
                    .fetch_optional(&mut **tx)
                    .await?;
            if owned.is_none() {
                return Ok(None);
            }
            // The chunk rows first, reading their blobs (the upload's ON DELETE CASCADE
            // would take them silently).
            let blobs: Vec<(uuid::Uuid,)> =
                sqlx::query_as("DELETE FROM upload_chunks WHERE upload = $1 RETURNING blob")
                    .bind(id)
                    .fetch_all(&mut **tx)
                    .await?;
            let gone = sqlx::query("DELETE FROM uploads WHERE id = $1 AND coffre = $2")
                .bind(id)
                .bind(coffre.0)
                .execute(&mut **tx)
                .await?;
            if gone.rows_affected() == 0 {
                // Another replica ended it between the two statements.
                return Ok(None);
            }
            // The chunk kept as the content must be one of them (else another commit took
            // it: the caller's transaction is rolled back).
            if keep.is_some_and(|k| !blobs.iter().any(|(b,)| *b == k.0)) {
                return Ok(None);
            }
            let released: Vec<_> = blobs
                .into_iter()
                .map(|(b,)| $crate::domain::BlobId(b))
                .filter(|b| Some(*b) != keep)
                .collect();
            for blob in &released {
                mark_deleting(tx, blob.0).await?;
            }
            Ok(Some(released))
        }
    };
}

pub(crate) use paper_store;
