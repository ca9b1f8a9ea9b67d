//! Mandates in the database (protocol.md section 8; `docs/design/mandates-server.md`): the
//! owner-signed mandates with their numbers, how they ended, the category keys wrapped to
//! their grantees, and the grantees' access receipts. Like [`super::accounts`], the SQL is
//! written once and [`mandate_store!`] expands it for each engine's pool type.
//!
//! A mandate and its revocation are stored in one transaction with the owner's journal entry
//! (through `account_store!`'s `insert_journal_row`, expanded beside this).

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreError;
use super::accounts::{InsertError, JournalRow};
use super::organisations::{key32, unsigned};
use crate::domain::{CoffreId, CoffreRecord, Timestamp};

/// A stored mandate (what the server may know of it: everything in the statement, which
/// names random category ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateRecord {
    pub id: Uuid,
    /// Shown on the attestation ("mandat n° 12"); given by the server, instance-wide.
    pub number: u64,
    pub coffre: CoffreId,
    /// `person` or `organisation`.
    pub grantee_type: String,
    /// The person's key, or the organisation's root.
    pub grantee_key: [u8; 32],
    pub organisation: Option<Uuid>,
    /// `consult`, `deposit` or `consult_deposit`.
    pub rights: String,
    /// Unix seconds, as signed.
    pub not_before: u64,
    pub not_after: u64,
    /// The owner-signed `mandate` (envelope bytes).
    pub statement: Vec<u8>,
    pub created_at: Timestamp,
    /// When a revocation or renunciation took effect (Unix seconds).
    pub ended: Option<u64>,
    /// `revocation` or `renunciation`.
    pub end_kind: Option<String>,
    /// The signed revocation or renunciation (envelope bytes).
    pub end_statement: Option<Vec<u8>>,
}

/// How a mandate ends, in one transaction with the owner's journal entry if there is one.
#[derive(Debug)]
pub struct MandateEnd<'a> {
    pub coffre: CoffreId,
    pub mandate: Uuid,
    /// `revocation` or `renunciation`.
    pub kind: &'a str,
    pub ended: u64,
    pub statement: &'a [u8],
    pub journal: Option<&'a JournalRow>,
}

/// A stored access receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRecord {
    pub coffre: CoffreId,
    pub grantee_key: [u8; 32],
    pub counter: u64,
    pub mandate: Uuid,
    pub action: String,
    /// The paper (or category) the receipt names.
    pub object: Uuid,
    pub statement: Vec<u8>,
    pub created_at: Timestamp,
}

/// What the server asks of its database for mandates.
#[async_trait]
pub trait MandateStore: Send + Sync {
    /// The account whose current owner key is `key`, if any.
    async fn coffre_by_owner_key(&self, key: &[u8; 32])
    -> Result<Option<CoffreRecord>, StoreError>;

    /// Stores the mandate with the next instance-wide number, the owner's note on it if any
    /// (an opaque age file, protocol.md section 8.1) and the owner's journal entry; returns
    /// the number. [`InsertError::Conflict`] if the id exists or the journal moved.
    async fn insert_mandate(
        &self,
        mandate: &MandateRecord,
        note: Option<&[u8]>,
        journal: &JournalRow,
    ) -> Result<u64, InsertError>;

    /// The owner's notes on the coffre's mandates, `(mandate, note)`: only for the owner's
    /// own list, never for a grantee's or an organisation's.
    async fn mandate_notes_of_coffre(
        &self,
        coffre: CoffreId,
    ) -> Result<Vec<(Uuid, Vec<u8>)>, StoreError>;

    /// Stores the owner's note on the coffre's mandate `mandate` in place of the one it had
    /// (one per mandate, protocol.md section 8.1: a rename); `false` when the coffre has no
    /// such mandate (nothing stored).
    async fn put_mandate_note(
        &self,
        coffre: CoffreId,
        mandate: Uuid,
        note: &[u8],
    ) -> Result<bool, StoreError>;

    async fn mandate(&self, id: Uuid) -> Result<Option<MandateRecord>, StoreError>;

    /// The coffre's mandates, by number.
    async fn mandates_of_coffre(&self, coffre: CoffreId) -> Result<Vec<MandateRecord>, StoreError>;

    /// Mandates to the person `key`, by number.
    async fn mandates_to_person(&self, key: &[u8; 32]) -> Result<Vec<MandateRecord>, StoreError>;

    /// Mandates to the organisation, by number.
    async fn mandates_to_organisation(
        &self,
        organisation: Uuid,
    ) -> Result<Vec<MandateRecord>, StoreError>;

    /// Ends a mandate that has not ended; [`InsertError::Conflict`] if it has (or the journal
    /// moved).
    async fn end_mandate(&self, end: &MandateEnd<'_>) -> Result<(), InsertError>;

    /// Stores (or replaces) category-key wraps `(category, generation, wrap)`.
    async fn put_mandate_wraps(
        &self,
        mandate: Uuid,
        wraps: &[(Uuid, u64, Vec<u8>)],
    ) -> Result<(), StoreError>;

    /// The wraps of one category, `(generation, wrap)` by generation.
    async fn mandate_wraps(
        &self,
        mandate: Uuid,
        category: Uuid,
    ) -> Result<Vec<(u64, Vec<u8>)>, StoreError>;

    /// The highest counter stored for `(coffre, grantee key)` (0 if none).
    async fn last_receipt_counter(
        &self,
        coffre: CoffreId,
        grantee_key: &[u8; 32],
    ) -> Result<u64, StoreError>;

    /// Stores labels sealed to a mandate's grantee, `(category, label file)`; one sent again
    /// replaces the first.
    async fn put_mandate_labels(
        &self,
        mandate: Uuid,
        labels: &[(Uuid, Vec<u8>)],
    ) -> Result<(), StoreError>;

    /// A mandate's sealed labels, `(category, label file)`.
    async fn mandate_labels(&self, mandate: Uuid) -> Result<Vec<(Uuid, Vec<u8>)>, StoreError>;

    /// [`InsertError::Conflict`] if the counter is taken.
    async fn insert_receipt(
        &self,
        receipt: &ReceiptRecord,
        journal: &JournalRow,
    ) -> Result<(), InsertError>;

    /// A mandate's receipts, oldest first.
    async fn receipts_of_mandate(&self, mandate: Uuid) -> Result<Vec<ReceiptRecord>, StoreError>;

    /// Uses a `download` receipt of `grantee_key` for `paper` under `mandate`, once. The
    /// write is not synced (`papers::BeginWrite::begin_unsynced`).
    async fn use_download_receipt(
        &self,
        coffre: CoffreId,
        grantee_key: &[u8; 32],
        counter: u64,
        mandate: Uuid,
        paper: Uuid,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
}

pub(crate) const MANDATE_COLUMNS: &str = "id, number, coffre, grantee_type, grantee_key, \
     organisation, rights, not_before, not_after, statement, created_at, ended, end_kind, \
     end_statement";

pub(crate) type MandateRow = (
    Uuid,
    i64,
    Uuid,
    String,
    Vec<u8>,
    Option<Uuid>,
    String,
    i64,
    i64,
    Vec<u8>,
    i64,
    Option<i64>,
    Option<String>,
    Option<Vec<u8>>,
);

pub(crate) fn mandate_from_row(row: MandateRow) -> Result<MandateRecord, StoreError> {
    let (
        id,
        number,
        coffre,
        gtype,
        gkey,
        org,
        rights,
        nb,
        na,
        statement,
        created,
        ended,
        kind,
        end,
    ) = row;
    Ok(MandateRecord {
        id,
        number: unsigned(number, "mandate number")?,
        coffre: CoffreId(coffre),
        grantee_type: gtype,
        grantee_key: key32(gkey, "grantee key")?,
        organisation: org,
        rights,
        not_before: unsigned(nb, "not_before")?,
        not_after: unsigned(na, "not_after")?,
        statement,
        created_at: Timestamp::from_micros(created),
        ended: ended.map(|e| unsigned(e, "ended")).transpose()?,
        end_kind: kind,
        end_statement: end,
    })
}

pub(crate) const RECEIPT_COLUMNS: &str =
    "coffre, grantee_key, counter, mandate, action, object, statement, created_at";

pub(crate) type ReceiptRow = (Uuid, Vec<u8>, i64, Uuid, String, Uuid, Vec<u8>, i64);

pub(crate) fn receipt_from_row(row: ReceiptRow) -> Result<ReceiptRecord, StoreError> {
    let (coffre, key, counter, mandate, action, object, statement, created) = row;
    Ok(ReceiptRecord {
        coffre: CoffreId(coffre),
        grantee_key: key32(key, "grantee key")?,
        counter: unsigned(counter, "receipt counter")?,
        mandate,
        action,
        object,
        statement,
        created_at: Timestamp::from_micros(created),
    })
}

/// Whether a refused insert is the number's unique constraint (two mandates numbered at
/// once on PostgreSQL): then the insert is tried again with the next number.
pub(crate) fn number_taken(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            db.constraint().is_some_and(|c| c.contains("number"))
                || db.message().contains("mandates.number")
        }
        _ => false,
    }
}

/// Implements [`MandateStore`] for a store type with a `pool` field; `insert_journal_row`
/// must be in scope (from `account_store!`).
macro_rules! mandate_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::mandates::MandateStore for $store {
            async fn coffre_by_owner_key(
                &self,
                key: &[u8; 32],
            ) -> Result<Option<$crate::domain::CoffreRecord>, $crate::db::StoreError> {
                let row: Option<$crate::db::accounts::CoffreRow> = sqlx::query_as(
                    "SELECT id, role, created_at, epoch, owner_key, owner_recipient \
                     FROM coffres WHERE owner_key = $1",
                )
                .bind(key.as_slice())
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::db::accounts::coffre_from_row).transpose()
            }

            async fn insert_mandate(
                &self,
                m: &$crate::db::mandates::MandateRecord,
                note: Option<&[u8]>,
                journal: &$crate::db::accounts::JournalRow,
            ) -> Result<u64, $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{InsertError, insert_error, to_i64};
                let sql = format!(
                    "INSERT INTO mandates ({}) VALUES ($1, \
                     (SELECT COALESCE(MAX(number), 0) + 1 FROM mandates), \
                     $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, NULL) RETURNING number",
                    $crate::db::mandates::MANDATE_COLUMNS
                );
                for _ in 0..8 {
                    let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                    let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(&sql)
                        .bind(m.id)
                        .bind(m.coffre.0)
                        .bind(&m.grantee_type)
                        .bind(m.grantee_key.as_slice())
                        .bind(m.organisation)
                        .bind(&m.rights)
                        .bind(to_i64(m.not_before)?)
                        .bind(to_i64(m.not_after)?)
                        .bind(&m.statement)
                        .bind(m.created_at.as_micros())
                        .fetch_one(&mut *tx)
                        .await;
                    let (number,) = match inserted {
                        Ok(n) => n,
                        Err(e) if $crate::db::mandates::number_taken(&e) => continue,
                        Err(e) => return Err(insert_error(e)),
                    };
                    if let Some(note) = note {
                        sqlx::query("INSERT INTO mandate_notes (mandate, note) VALUES ($1, $2)")
                            .bind(m.id)
                            .bind(note)
                            .execute(&mut *tx)
                            .await
                            .map_err(insert_error)?;
                    }
                    insert_journal_row(&mut tx, m.coffre, journal).await?;
                    tx.commit().await.map_err(insert_error)?;
                    return Ok($crate::db::organisations::unsigned(number, "mandate number")?);
                }
                Err(InsertError::Conflict)
            }

            async fn mandate(
                &self,
                id: uuid::Uuid,
            ) -> Result<Option<$crate::db::mandates::MandateRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM mandates WHERE id = $1",
                    $crate::db::mandates::MANDATE_COLUMNS
                );
                let row: Option<$crate::db::mandates::MandateRow> = sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::mandates::mandate_from_row).transpose()
            }

            async fn mandates_of_coffre(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<$crate::db::mandates::MandateRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM mandates WHERE coffre = $1 ORDER BY number",
                    $crate::db::mandates::MANDATE_COLUMNS
                );
                let rows: Vec<$crate::db::mandates::MandateRow> = sqlx::query_as(&sql)
                    .bind(coffre.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::mandates::mandate_from_row)
                    .collect()
            }

            async fn mandate_notes_of_coffre(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<(uuid::Uuid, Vec<u8>)>, $crate::db::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT n.mandate, n.note FROM mandate_notes n \
                     JOIN mandates m ON m.id = n.mandate WHERE m.coffre = $1",
                )
                .bind(coffre.0)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn put_mandate_note(
                &self,
                coffre: $crate::domain::CoffreId,
                mandate: uuid::Uuid,
                note: &[u8],
            ) -> Result<bool, $crate::db::StoreError> {
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await?;
                // Only a mandate of this coffre; the one row per mandate is replaced. (The
                // SELECT's WHERE also keeps SQLite from reading ON CONFLICT as a join.)
                let done = sqlx::query(
                    "INSERT INTO mandate_notes (mandate, note) \
                     SELECT id, $2 FROM mandates WHERE id = $1 AND coffre = $3 \
                     ON CONFLICT (mandate) DO UPDATE SET note = excluded.note",
                )
                .bind(mandate)
                .bind(note)
                .bind(coffre.0)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            async fn mandates_to_person(
                &self,
                key: &[u8; 32],
            ) -> Result<Vec<$crate::db::mandates::MandateRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM mandates WHERE grantee_type = 'person' AND grantee_key = $1 \
                     ORDER BY number",
                    $crate::db::mandates::MANDATE_COLUMNS
                );
                let rows: Vec<$crate::db::mandates::MandateRow> = sqlx::query_as(&sql)
                    .bind(key.as_slice())
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::mandates::mandate_from_row)
                    .collect()
            }

            async fn mandates_to_organisation(
                &self,
                organisation: uuid::Uuid,
            ) -> Result<Vec<$crate::db::mandates::MandateRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM mandates WHERE organisation = $1 ORDER BY number",
                    $crate::db::mandates::MANDATE_COLUMNS
                );
                let rows: Vec<$crate::db::mandates::MandateRow> = sqlx::query_as(&sql)
                    .bind(organisation)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::mandates::mandate_from_row)
                    .collect()
            }

            async fn end_mandate(
                &self,
                end: &$crate::db::mandates::MandateEnd<'_>,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{InsertError, insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                let done = sqlx::query(
                    "UPDATE mandates SET ended = $3, end_kind = $4, end_statement = $5 \
                     WHERE id = $1 AND coffre = $2 AND ended IS NULL",
                )
                .bind(end.mandate)
                .bind(end.coffre.0)
                .bind(to_i64(end.ended)?)
                .bind(end.kind)
                .bind(end.statement)
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                if done.rows_affected() != 1 {
                    return Err(InsertError::Conflict);
                }
                if let Some(row) = end.journal {
                    insert_journal_row(&mut tx, end.coffre, row).await?;
                }
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn put_mandate_wraps(
                &self,
                mandate: uuid::Uuid,
                wraps: &[(uuid::Uuid, u64, Vec<u8>)],
            ) -> Result<(), $crate::db::StoreError> {
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await?;
                for (category, generation, wrap) in wraps {
                    sqlx::query(
                        "INSERT INTO mandate_key_wraps (mandate, category, generation, wrap) \
                         VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (mandate, category, generation) DO UPDATE \
                         SET wrap = excluded.wrap",
                    )
                    .bind(mandate)
                    .bind(*category)
                    .bind(
                        i64::try_from(*generation)
                            .map_err(|_| $crate::db::corrupt("generation out of range"))?,
                    )
                    .bind(wrap)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn mandate_wraps(
                &self,
                mandate: uuid::Uuid,
                category: uuid::Uuid,
            ) -> Result<Vec<(u64, Vec<u8>)>, $crate::db::StoreError> {
                let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                    "SELECT generation, wrap FROM mandate_key_wraps \
                     WHERE mandate = $1 AND category = $2 ORDER BY generation",
                )
                .bind(mandate)
                .bind(category)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(g, w)| Ok(($crate::db::organisations::unsigned(g, "generation")?, w)))
                    .collect()
            }

            async fn put_mandate_labels(
                &self,
                mandate: uuid::Uuid,
                labels: &[(uuid::Uuid, Vec<u8>)],
            ) -> Result<(), $crate::db::StoreError> {
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await?;
                for (category, label) in labels {
                    sqlx::query(
                        "INSERT INTO mandate_labels (mandate, category, label) \
                         VALUES ($1, $2, $3) \
                         ON CONFLICT (mandate, category) DO UPDATE SET label = excluded.label",
                    )
                    .bind(mandate)
                    .bind(*category)
                    .bind(label)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn mandate_labels(
                &self,
                mandate: uuid::Uuid,
            ) -> Result<Vec<(uuid::Uuid, Vec<u8>)>, $crate::db::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT category, label FROM mandate_labels WHERE mandate = $1 \
                     ORDER BY category",
                )
                .bind(mandate)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn last_receipt_counter(
                &self,
                coffre: $crate::domain::CoffreId,
                grantee_key: &[u8; 32],
            ) -> Result<u64, $crate::db::StoreError> {
                let (max,): (Option<i64>,) = sqlx::query_as(
                    "SELECT MAX(counter) FROM access_receipts \
                     WHERE coffre = $1 AND grantee_key = $2",
                )
                .bind(coffre.0)
                .bind(grantee_key.as_slice())
                .fetch_one(&self.pool)
                .await?;
                $crate::db::organisations::unsigned(max.unwrap_or(0), "receipt counter")
            }

            async fn insert_receipt(
                &self,
                r: &$crate::db::mandates::ReceiptRecord,
                journal: &$crate::db::accounts::JournalRow,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                let sql = format!(
                    "INSERT INTO access_receipts ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    $crate::db::mandates::RECEIPT_COLUMNS
                );
                sqlx::query(&sql)
                    .bind(r.coffre.0)
                    .bind(r.grantee_key.as_slice())
                    .bind(to_i64(r.counter)?)
                    .bind(r.mandate)
                    .bind(&r.action)
                    .bind(r.object)
                    .bind(&r.statement)
                    .bind(r.created_at.as_micros())
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                insert_journal_row(&mut tx, r.coffre, journal).await?;
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn receipts_of_mandate(
                &self,
                mandate: uuid::Uuid,
            ) -> Result<Vec<$crate::db::mandates::ReceiptRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM access_receipts WHERE mandate = $1 \
                     ORDER BY created_at, counter",
                    $crate::db::mandates::RECEIPT_COLUMNS
                );
                let rows: Vec<$crate::db::mandates::ReceiptRow> = sqlx::query_as(&sql)
                    .bind(mandate)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::mandates::receipt_from_row)
                    .collect()
            }

            async fn use_download_receipt(
                &self,
                coffre: $crate::domain::CoffreId,
                grantee_key: &[u8; 32],
                counter: u64,
                mandate: uuid::Uuid,
                paper: uuid::Uuid,
                now: $crate::domain::Timestamp,
            ) -> Result<bool, $crate::db::StoreError> {
                use $crate::db::papers::BeginWrite;
                // Unsynced: the receipt and its journal entry were committed
                // synced when it was posted; a power cut may only let its one download
                // happen again.
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.begin_unsynced().await?;
                let done = sqlx::query(
                    "UPDATE access_receipts SET used_at = $6 \
                     WHERE coffre = $1 AND grantee_key = $2 AND counter = $3 AND mandate = $4 \
                     AND object = $5 AND action = 'download' AND used_at IS NULL",
                )
                .bind(coffre.0)
                .bind(grantee_key.as_slice())
                .bind(
                    i64::try_from(counter)
                        .map_err(|_| $crate::db::corrupt("counter out of range"))?,
                )
                .bind(mandate)
                .bind(paper)
                .bind(now.as_micros())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use mandate_store;
