//! Remembered devices in the database (protocol.md 4.5). Like [`super::accounts`], the SQL
//! is written once and [`remembered_store!`] expands it for each engine's pool type.

use async_trait::async_trait;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::accounts::InsertError;
use super::{StoreError, corrupt};
use crate::domain::{CoffreId, RememberedDevice, Timestamp};

/// What the server asks of its database for remembered devices.
#[async_trait]
pub trait RememberedStore: Send + Sync {
    /// [`InsertError::Conflict`] if the auth key is known already.
    async fn insert_remembered(&self, device: &RememberedDevice) -> Result<(), InsertError>;

    async fn remembered_by_auth_key(
        &self,
        key: &[u8; 32],
    ) -> Result<Option<RememberedDevice>, StoreError>;

    async fn remembered_devices(
        &self,
        coffre: CoffreId,
    ) -> Result<Vec<RememberedDevice>, StoreError>;

    async fn record_remembered_use(&self, id: Uuid, now: Timestamp) -> Result<(), StoreError>;

    /// Forgets one of the coffre's devices (its sessions end with it); false if none.
    async fn delete_remembered(&self, coffre: CoffreId, id: Uuid) -> Result<bool, StoreError>;
}

pub(crate) const REMEMBERED_COLUMNS: &str =
    "id, coffre, epoch, auth_key, server_half, label, created_at, last_used_at";

pub(crate) type RememberedRow = (Uuid, Uuid, i64, Vec<u8>, Vec<u8>, String, i64, Option<i64>);

pub(crate) fn remembered_from_row(row: RememberedRow) -> Result<RememberedDevice, StoreError> {
    let (id, coffre, epoch, auth_key, half, label, created, used) = row;
    let key32 = |raw: Vec<u8>, what: &str| {
        <[u8; 32]>::try_from(raw).map_err(|_| corrupt(format!("{what} is not 32 bytes")))
    };
    Ok(RememberedDevice {
        id,
        coffre: CoffreId(coffre),
        epoch: u64::try_from(epoch).map_err(|_| corrupt("negative device epoch"))?,
        auth_key: key32(auth_key, "device auth key")?,
        server_half: Zeroizing::new(key32(half, "server half")?),
        label,
        created_at: Timestamp::from_micros(created),
        last_used_at: used.map(Timestamp::from_micros),
    })
}

/// Implements [`RememberedStore`] for a store type with a `pool` field.
macro_rules! remembered_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::remembered::RememberedStore for $store {
            async fn insert_remembered(
                &self,
                d: &$crate::domain::RememberedDevice,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{insert_error, to_i64};
                let sql = format!(
                    "INSERT INTO remembered_devices ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    $crate::db::remembered::REMEMBERED_COLUMNS
                );
                sqlx::query(&sql)
                    .bind(d.id)
                    .bind(d.coffre.0)
                    .bind(to_i64(d.epoch)?)
                    .bind(d.auth_key.as_slice())
                    .bind(d.server_half.as_slice())
                    .bind(&d.label)
                    .bind(d.created_at.as_micros())
                    .bind(d.last_used_at.map(|t| t.as_micros()))
                    .execute(&self.pool)
                    .await
                    .map_err(insert_error)?;
                Ok(())
            }

            async fn remembered_by_auth_key(
                &self,
                key: &[u8; 32],
            ) -> Result<Option<$crate::domain::RememberedDevice>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM remembered_devices WHERE auth_key = $1",
                    $crate::db::remembered::REMEMBERED_COLUMNS
                );
                let row: Option<$crate::db::remembered::RememberedRow> = sqlx::query_as(&sql)
                    .bind(key.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::remembered::remembered_from_row)
                    .transpose()
            }

            async fn remembered_devices(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<$crate::domain::RememberedDevice>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM remembered_devices WHERE coffre = $1 ORDER BY created_at",
                    $crate::db::remembered::REMEMBERED_COLUMNS
                );
                let rows: Vec<$crate::db::remembered::RememberedRow> = sqlx::query_as(&sql)
                    .bind(coffre.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::remembered::remembered_from_row)
                    .collect()
            }

            async fn record_remembered_use(
                &self,
                id: uuid::Uuid,
                now: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::StoreError> {
                sqlx::query("UPDATE remembered_devices SET last_used_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now.as_micros())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_remembered(
                &self,
                coffre: $crate::domain::CoffreId,
                id: uuid::Uuid,
            ) -> Result<bool, $crate::db::StoreError> {
                // Its sessions first: the foreign key says so too, but SQLite enforces it
                // only with `foreign_keys` on, and this must not depend on that.
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self
                    .pool
                    .begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE coffre = $1 AND device = $2")
                    .bind(coffre.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let done =
                    sqlx::query("DELETE FROM remembered_devices WHERE coffre = $1 AND id = $2")
                        .bind(coffre.0)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use remembered_store;
