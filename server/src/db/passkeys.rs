//! Passkeys and WebAuthn ceremonies in the database. Like [`super::accounts`], the SQL is
//! written once and [`passkey_store!`] expands it for each engine's pool type.

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreError;
use super::accounts::InsertError;
use crate::domain::{CeremonyKind, CeremonyRecord, CoffreId, PasskeyRecord, Timestamp};

/// What the server asks of its database for passkeys.
#[async_trait]
pub trait PasskeyStore: Send + Sync {
    /// Stores a ceremony's state (and forgets the ceremonies that expired by `now`).
    async fn insert_ceremony(
        &self,
        ceremony: &CeremonyRecord,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Uses a ceremony: its state once, if it exists, is of `kind` and has not expired.
    async fn take_ceremony(
        &self,
        id: Uuid,
        kind: CeremonyKind,
        now: Timestamp,
    ) -> Result<Option<CeremonyRecord>, StoreError>;

    /// [`InsertError::Conflict`] if the credential id is known already.
    async fn insert_passkey(&self, passkey: &PasskeyRecord) -> Result<(), InsertError>;

    async fn passkey_by_credential(
        &self,
        credential_id: &[u8],
    ) -> Result<Option<PasskeyRecord>, StoreError>;

    async fn passkeys(&self, coffre: CoffreId) -> Result<Vec<PasskeyRecord>, StoreError>;

    /// A sign-in with the passkey: its updated credential (counter) and the time.
    async fn record_passkey_use(
        &self,
        id: Uuid,
        credential: &str,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Deletes one of the coffre's passkeys; false if there was none.
    async fn delete_passkey(&self, coffre: CoffreId, id: Uuid) -> Result<bool, StoreError>;
}

/// `passkeys` columns in the order [`passkey_from_row`] reads them.
pub(crate) const PASSKEY_COLUMNS: &str =
    "id, coffre, epoch, credential_id, credential, wrap, label, created_at, last_used_at";

pub(crate) type PasskeyRow = (
    Uuid,
    Uuid,
    i64,
    Vec<u8>,
    String,
    Option<Vec<u8>>,
    String,
    i64,
    Option<i64>,
);

pub(crate) fn passkey_from_row(row: PasskeyRow) -> Result<PasskeyRecord, StoreError> {
    let (id, coffre, epoch, credential_id, credential, wrap, label, created, used) = row;
    Ok(PasskeyRecord {
        id,
        coffre: CoffreId(coffre),
        epoch: u64::try_from(epoch).map_err(|_| super::corrupt("negative passkey epoch"))?,
        credential_id,
        credential,
        wrap,
        label,
        created_at: Timestamp::from_micros(created),
        last_used_at: used.map(Timestamp::from_micros),
    })
}

pub(crate) type CeremonyRow = (Uuid, Option<Uuid>, String, i64);

pub(crate) fn ceremony_from_row(
    (id, coffre, state, expires): CeremonyRow,
    kind: CeremonyKind,
) -> CeremonyRecord {
    CeremonyRecord {
        id,
        coffre: coffre.map(CoffreId),
        kind,
        state,
        expires_at: Timestamp::from_micros(expires),
    }
}

/// Implements [`PasskeyStore`] for a store type with a `pool` field: the same SQL for both
/// engines.
macro_rules! passkey_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::passkeys::PasskeyStore for $store {
            async fn insert_ceremony(
                &self,
                ceremony: &$crate::domain::CeremonyRecord,
                now: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::StoreError> {
                sqlx::query("DELETE FROM webauthn_ceremonies WHERE expires_at <= $1")
                    .bind(now.as_micros())
                    .execute(&self.pool)
                    .await?;
                sqlx::query(
                    "INSERT INTO webauthn_ceremonies (id, coffre, kind, state, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(ceremony.id)
                .bind(ceremony.coffre.map(|c| c.0))
                .bind(ceremony.kind.as_str())
                .bind(&ceremony.state)
                .bind(ceremony.expires_at.as_micros())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn take_ceremony(
                &self,
                id: uuid::Uuid,
                kind: $crate::domain::CeremonyKind,
                now: $crate::domain::Timestamp,
            ) -> Result<Option<$crate::domain::CeremonyRecord>, $crate::db::StoreError> {
                // Deleted whatever its kind or age: a ceremony id is tried once.
                let row: Option<(uuid::Uuid, Option<uuid::Uuid>, String, i64, String)> =
                    sqlx::query_as(
                        "DELETE FROM webauthn_ceremonies WHERE id = $1 \
                         RETURNING id, coffre, state, expires_at, kind",
                    )
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.and_then(|(id, coffre, state, expires, stored_kind)| {
                    (stored_kind == kind.as_str() && expires > now.as_micros()).then(|| {
                        $crate::db::passkeys::ceremony_from_row((id, coffre, state, expires), kind)
                    })
                }))
            }

            async fn insert_passkey(
                &self,
                p: &$crate::domain::PasskeyRecord,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{insert_error, to_i64};
                let sql = format!(
                    "INSERT INTO passkeys ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    $crate::db::passkeys::PASSKEY_COLUMNS
                );
                sqlx::query(&sql)
                    .bind(p.id)
                    .bind(p.coffre.0)
                    .bind(to_i64(p.epoch)?)
                    .bind(p.credential_id.as_slice())
                    .bind(&p.credential)
                    .bind(p.wrap.as_deref())
                    .bind(&p.label)
                    .bind(p.created_at.as_micros())
                    .bind(p.last_used_at.map(|t| t.as_micros()))
                    .execute(&self.pool)
                    .await
                    .map_err(insert_error)?;
                Ok(())
            }

            async fn passkey_by_credential(
                &self,
                credential_id: &[u8],
            ) -> Result<Option<$crate::domain::PasskeyRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM passkeys WHERE credential_id = $1",
                    $crate::db::passkeys::PASSKEY_COLUMNS
                );
                let row: Option<$crate::db::passkeys::PasskeyRow> = sqlx::query_as(&sql)
                    .bind(credential_id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::passkeys::passkey_from_row).transpose()
            }

            async fn passkeys(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<$crate::domain::PasskeyRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM passkeys WHERE coffre = $1 ORDER BY created_at",
                    $crate::db::passkeys::PASSKEY_COLUMNS
                );
                let rows: Vec<$crate::db::passkeys::PasskeyRow> = sqlx::query_as(&sql)
                    .bind(coffre.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::passkeys::passkey_from_row)
                    .collect()
            }

            async fn record_passkey_use(
                &self,
                id: uuid::Uuid,
                credential: &str,
                now: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::StoreError> {
                sqlx::query("UPDATE passkeys SET credential = $2, last_used_at = $3 WHERE id = $1")
                    .bind(id)
                    .bind(credential)
                    .bind(now.as_micros())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_passkey(
                &self,
                coffre: $crate::domain::CoffreId,
                id: uuid::Uuid,
            ) -> Result<bool, $crate::db::StoreError> {
                let done = sqlx::query("DELETE FROM passkeys WHERE coffre = $1 AND id = $2")
                    .bind(coffre.0)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use passkey_store;
