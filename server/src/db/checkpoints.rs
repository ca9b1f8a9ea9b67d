//! The owner's journal checkpoint in the database (protocol.md section 9): one row per
//! coffre, the latest `journal_checkpoint` the owner's device signed. Like
//! [`super::accounts`], the SQL is written once and [`checkpoint_store!`] expands it for each
//! engine's pool type.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::CoffreId;

/// A stored checkpoint: its epoch, its seq and the signed statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub epoch: u64,
    pub seq: u64,
    pub statement: Vec<u8>,
}

/// What the server asks of its database for journal checkpoints.
#[async_trait]
pub trait CheckpointStore: Send + Sync {
    async fn journal_checkpoint(
        &self,
        coffre: CoffreId,
    ) -> Result<Option<StoredCheckpoint>, StoreError>;

    /// Keeps `checkpoint` unless the stored one is of the same epoch and further along;
    /// false when it was not kept (a later one is there).
    async fn put_journal_checkpoint(
        &self,
        coffre: CoffreId,
        checkpoint: &StoredCheckpoint,
    ) -> Result<bool, StoreError>;
}

/// Implements [`CheckpointStore`] for a store type with a `pool` field.
macro_rules! checkpoint_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::checkpoints::CheckpointStore for $store {
            async fn journal_checkpoint(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Option<$crate::db::checkpoints::StoredCheckpoint>, $crate::db::StoreError>
            {
                use $crate::db::corrupt;
                let row: Option<(i64, i64, Vec<u8>)> = sqlx::query_as(
                    "SELECT epoch, seq, statement FROM journal_checkpoints WHERE coffre = $1",
                )
                .bind(coffre.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(epoch, seq, statement)| {
                    Ok($crate::db::checkpoints::StoredCheckpoint {
                        epoch: u64::try_from(epoch).map_err(|_| corrupt("negative epoch"))?,
                        seq: u64::try_from(seq).map_err(|_| corrupt("negative seq"))?,
                        statement,
                    })
                })
                .transpose()
            }

            async fn put_journal_checkpoint(
                &self,
                coffre: $crate::domain::CoffreId,
                cp: &$crate::db::checkpoints::StoredCheckpoint,
            ) -> Result<bool, $crate::db::StoreError> {
                let int = |v: u64| {
                    i64::try_from(v).map_err(|_| $crate::db::corrupt("checkpoint out of range"))
                };
                // One statement, so two replicas racing keep the later checkpoint.
                let done = sqlx::query(
                    "INSERT INTO journal_checkpoints (coffre, epoch, seq, statement) \
                     VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (coffre) DO UPDATE \
                     SET epoch = excluded.epoch, seq = excluded.seq, statement = excluded.statement \
                     WHERE journal_checkpoints.epoch < excluded.epoch \
                        OR (journal_checkpoints.epoch = excluded.epoch \
                            AND journal_checkpoints.seq <= excluded.seq)",
                )
                .bind(coffre.0)
                .bind(int(cp.epoch)?)
                .bind(int(cp.seq)?)
                .bind(&cp.statement)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use checkpoint_store;
