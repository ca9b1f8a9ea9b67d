//! Accounts in the database: coffres, categories, unlock factors, sessions, sign-in nonces
//! and rate limits.
//!
//! The SQL is written once: both engines read `$N` parameters, `ON CONFLICT … DO UPDATE`
//! and `RETURNING`, and the columns have the same names and kinds (see the migrations).
//! [`account_store!`] expands the same method bodies for each engine's pool type, so the
//! two implementations cannot drift apart.

use async_trait::async_trait;
use uuid::Uuid;

use super::{StoreError, corrupt};
use crate::domain::{
    AccountRole, CategoryRecord, CoffreId, CoffreRecord, EpochChange, FactorId, FactorKind,
    FactorRecord, NewCoffre, RateDecision, SessionRecord, Timestamp,
};

/// Why a new coffre or factor was not stored.
#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    /// The coffre id, a category or an auth key is already known.
    #[error("already exists")]
    Conflict,
    /// The invitation is unknown, used or expired.
    #[error("invitation used or expired")]
    Invitation,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the server asks of its database for accounts.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Stores a coffre, its categories and its carte in one transaction; with an
    /// invitation, uses it up (at `new.coffre.created_at`) and gives the coffre its role.
    /// Returns the role stored.
    async fn create_coffre(&self, new: &NewCoffre) -> Result<AccountRole, InsertError>;

    /// Stores a one-time invitation (the SHA-256 of its token).
    async fn insert_invitation(
        &self,
        token_sha256: &[u8; 32],
        role: AccountRole,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The role of a live invitation (unused, not expired at `now`), if any.
    async fn invitation_role(
        &self,
        token_sha256: &[u8; 32],
        now: Timestamp,
    ) -> Result<Option<AccountRole>, StoreError>;

    async fn coffre(&self, id: CoffreId) -> Result<Option<CoffreRecord>, StoreError>;

    /// The coffre's category generations, in no meaningful order (ids are random).
    async fn categories(&self, coffre: CoffreId) -> Result<Vec<CategoryRecord>, StoreError>;

    async fn factor_by_auth_key(&self, key: &[u8; 32]) -> Result<Option<FactorRecord>, StoreError>;

    async fn factors(&self, coffre: CoffreId) -> Result<Vec<FactorRecord>, StoreError>;

    /// Adds `factor`, replacing the coffre's factors of the same kind (one passphrase).
    async fn replace_factor(&self, factor: &FactorRecord) -> Result<(), InsertError>;

    /// Counts a wrong PIN; locks the factor when the count reaches `lock_after`. Returns
    /// the factor as it is now.
    async fn record_pin_failure(
        &self,
        factor: FactorId,
        now: Timestamp,
        lock_after: u32,
    ) -> Result<Option<FactorRecord>, StoreError>;

    /// A successful sign-in with `factor`: resets its wrong-PIN count.
    async fn record_factor_use(&self, factor: FactorId, now: Timestamp) -> Result<(), StoreError>;

    /// Stores a sign-in nonce (and forgets the expired ones; the retention job also does,
    /// and forgets the rate-limit rows: `crate::retention`).
    async fn insert_nonce(
        &self,
        nonce: &[u8; 32],
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Uses a nonce: true once, if it exists and has not expired at `now`.
    async fn take_nonce(&self, nonce: &[u8; 32], now: Timestamp) -> Result<bool, StoreError>;

    /// Stores a new session, deleting the one it replaces (the session whose cookie came
    /// with the sign-in) and the sessions that have ended by `now`.
    async fn insert_session(
        &self,
        session: &SessionRecord,
        replaces: Option<[u8; 32]>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    async fn session(&self, token_sha256: &[u8; 32]) -> Result<Option<SessionRecord>, StoreError>;

    async fn touch_session(
        &self,
        token_sha256: &[u8; 32],
        now: Timestamp,
    ) -> Result<(), StoreError>;

    async fn delete_session(&self, token_sha256: &[u8; 32]) -> Result<(), StoreError>;

    /// Deletes one of the coffre's sessions by its public id; false if there was none.
    async fn delete_session_by_id(&self, coffre: CoffreId, id: Uuid) -> Result<bool, StoreError>;

    /// Deletes every session of the coffre; returns how many.
    async fn delete_sessions(&self, coffre: CoffreId) -> Result<u64, StoreError>;

    /// Deletes every session of every coffre (a restore: sessions signed out after the
    /// backup must not come back); returns how many.
    async fn delete_all_sessions(&self) -> Result<u64, StoreError>;

    /// Every coffre's id, in id order (random, so no order of creation).
    async fn coffre_ids(&self) -> Result<Vec<CoffreId>, StoreError>;

    async fn sessions(&self, coffre: CoffreId) -> Result<Vec<SessionRecord>, StoreError>;

    /// Moves the coffre to a new epoch in one transaction ([`InsertError::Conflict`] if the
    /// coffre is no longer at `change.from_epoch`, or a new key is already known).
    async fn change_epoch(&self, change: &EpochChange) -> Result<(), InsertError>;

    /// Stores a new generation of an existing category (`record`), its key wrapped for
    /// mandates' grantees, `(mandate, wrap)`, and the owner's journal entry that records it,
    /// in one transaction ([`InsertError::Conflict`] if that generation exists or another
    /// entry took the seq).
    async fn add_generation(
        &self,
        coffre: CoffreId,
        record: &CategoryRecord,
        mandate_wraps: &[(Uuid, Vec<u8>)],
        journal: &JournalRow,
    ) -> Result<(), InsertError>;

    /// The coffre's `epoch_succession` envelopes, oldest first.
    async fn successions(&self, coffre: CoffreId) -> Result<Vec<Vec<u8>>, StoreError>;

    /// The last journal entry's `(seq, statement hash, time)`, if the journal has one.
    async fn journal_head(
        &self,
        coffre: CoffreId,
    ) -> Result<Option<(u64, [u8; 32], u64)>, StoreError>;

    /// Appends an entry at `row.seq`; [`InsertError::Conflict`] if another entry took that
    /// seq first (the caller re-reads the head and signs again).
    async fn append_journal(&self, coffre: CoffreId, row: &JournalRow) -> Result<(), InsertError>;

    /// Entries from `from_seq` on, in order, at most `limit`.
    async fn journal(
        &self,
        coffre: CoffreId,
        from_seq: u64,
        limit: u32,
    ) -> Result<Vec<JournalRow>, StoreError>;

    /// Counts one event in `bucket`'s fixed window of `window_micros` starting at the
    /// first event; [`RateDecision::Limited`] once the count passes `limit`.
    async fn hit_rate_limit(
        &self,
        bucket: &str,
        now: Timestamp,
        window_micros: i64,
        limit: u32,
    ) -> Result<RateDecision, StoreError>;
}

/// One stored journal entry.
#[derive(Clone, PartialEq, Eq)]
pub struct JournalRow {
    pub seq: u64,
    /// The entry's `time` (Unix seconds).
    pub time: u64,
    /// The signed entry (envelope bytes).
    pub entry: Vec<u8>,
    /// Its statement hash.
    pub hash: [u8; 32],
    /// The body: an age file to the owner.
    pub body: Vec<u8>,
    /// The inclusion receipt (envelope bytes).
    pub receipt: Vec<u8>,
}

impl std::fmt::Debug for JournalRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalRow")
            .field("seq", &self.seq)
            .field("time", &self.time)
            .finish_non_exhaustive()
    }
}

pub(crate) type JournalDbRow = (i64, i64, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

pub(crate) fn journal_from_row(
    (seq, time, entry, hash, body, receipt): JournalDbRow,
) -> Result<JournalRow, StoreError> {
    Ok(JournalRow {
        seq: to_u64(seq, "journal seq")?,
        time: to_u64(time, "journal time")?,
        entry,
        hash: key32(hash, "journal hash")?,
        body,
        receipt,
    })
}

pub(crate) fn journal_head_from_row(
    (seq, hash, time): (i64, Vec<u8>, i64),
) -> Result<(u64, [u8; 32], u64), StoreError> {
    Ok((
        to_u64(seq, "journal seq")?,
        key32(hash, "journal hash")?,
        to_u64(time, "journal time")?,
    ))
}

/// `unlock_factors` columns in the order [`factor_from_row`] reads them.
pub(crate) const FACTOR_COLUMNS: &str = "id, coffre, kind, epoch, auth_key, wrap, pin_hash, \
     failed_pins, locked_at, created_at, last_used_at";

pub(crate) type FactorRow = (
    Uuid,
    Uuid,
    String,
    i64,
    Option<Vec<u8>>,
    Vec<u8>,
    Option<String>,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
);

pub(crate) fn factor_from_row(row: FactorRow) -> Result<FactorRecord, StoreError> {
    let (id, coffre, kind, epoch, auth_key, wrap, pin_hash, failed, locked, created, used) = row;
    Ok(FactorRecord {
        id: FactorId(id),
        coffre: CoffreId(coffre),
        kind: factor_kind(&kind)?,
        epoch: to_u64(epoch, "factor epoch")?,
        auth_key: auth_key.map(|k| key32(k, "auth key")).transpose()?,
        wrap,
        pin_hash,
        failed_pins: u32::try_from(failed).map_err(|_| corrupt("failed_pins"))?,
        locked_at: locked.map(Timestamp::from_micros),
        created_at: Timestamp::from_micros(created),
        last_used_at: used.map(Timestamp::from_micros),
    })
}

pub(crate) const SESSION_COLUMNS: &str = "token_sha256, id, coffre, factor, factor_kind, label, \
     shared, csrf, created_at, last_seen_at, expires_at, device";

pub(crate) type SessionRow = (
    Vec<u8>,
    Uuid,
    Uuid,
    Option<Uuid>,
    String,
    String,
    bool,
    Vec<u8>,
    i64,
    i64,
    i64,
    Option<Uuid>,
);

pub(crate) fn session_from_row(row: SessionRow) -> Result<SessionRecord, StoreError> {
    let (token, id, coffre, factor, kind, label, shared, csrf, created, seen, expires, device) =
        row;
    Ok(SessionRecord {
        token_sha256: key32(token, "session token hash")?,
        id,
        coffre: CoffreId(coffre),
        factor: factor.map(FactorId),
        factor_kind: factor_kind(&kind)?,
        label,
        shared,
        csrf: key32(csrf, "csrf token")?,
        created_at: Timestamp::from_micros(created),
        last_seen_at: Timestamp::from_micros(seen),
        expires_at: Timestamp::from_micros(expires),
        device,
    })
}

pub(crate) type CoffreRow = (Uuid, String, i64, i64, Vec<u8>, String);

pub(crate) fn coffre_from_row(
    (id, role, created, epoch, key, recipient): CoffreRow,
) -> Result<CoffreRecord, StoreError> {
    Ok(CoffreRecord {
        id: CoffreId(id),
        role: account_role(&role)?,
        created_at: Timestamp::from_micros(created),
        epoch: to_u64(epoch, "coffre epoch")?,
        owner_key: key32(key, "owner key")?,
        owner_recipient: recipient,
    })
}

pub(crate) type CategoryRow = (Uuid, i64, Vec<u8>, Vec<u8>, Vec<u8>);

pub(crate) fn category_from_row(
    (id, generation, cert, label, wrap): CategoryRow,
) -> Result<CategoryRecord, StoreError> {
    Ok(CategoryRecord {
        id,
        generation: to_u64(generation, "category generation")?,
        cert,
        label,
        wrap,
    })
}

pub(crate) fn account_role(raw: &str) -> Result<AccountRole, StoreError> {
    AccountRole::parse(raw).ok_or_else(|| corrupt(format!("account role {raw:?}")))
}

fn factor_kind(raw: &str) -> Result<FactorKind, StoreError> {
    FactorKind::parse(raw).ok_or_else(|| corrupt(format!("factor kind {raw:?}")))
}

fn key32(raw: Vec<u8>, what: &str) -> Result<[u8; 32], StoreError> {
    <[u8; 32]>::try_from(raw).map_err(|_| corrupt(format!("{what} is not 32 bytes")))
}

fn to_u64(raw: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(raw).map_err(|_| corrupt(format!("negative {what}")))
}

pub(crate) fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| corrupt("number beyond the database's range"))
}

/// A unique-constraint violation (an id or key that exists already).
pub(crate) fn insert_error(e: sqlx::Error) -> InsertError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => InsertError::Conflict,
        _ => InsertError::Store(StoreError::Query(e)),
    }
}

/// Implements [`AccountStore`] for a store type with a `pool` field (SQLite or PostgreSQL):
/// the same SQL text for both.
macro_rules! account_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::accounts::AccountStore for $store {
            async fn create_coffre(
                &self,
                new: &$crate::domain::NewCoffre,
            ) -> Result<$crate::domain::AccountRole, $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{InsertError, account_role, insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                let c = &new.coffre;
                let mut role = $crate::domain::AccountRole::Person;
                if let Some(token) = &new.invitation {
                    // Used up in the same transaction: two coffres racing for one
                    // invitation get one row between them.
                    let used: Option<(String,)> = sqlx::query_as(
                        "UPDATE invitations SET used_at = $2 \
                         WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > $2 \
                         RETURNING role",
                    )
                    .bind(token.as_slice())
                    .bind(c.created_at.as_micros())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                    let (raw,) = used.ok_or(InsertError::Invitation)?;
                    role = account_role(&raw)?;
                }
                sqlx::query(
                    "INSERT INTO coffres (id, role, created_at, epoch, owner_key, owner_recipient) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(c.id.0)
                .bind(role.as_str())
                .bind(c.created_at.as_micros())
                .bind(to_i64(c.epoch)?)
                .bind(c.owner_key.as_slice())
                .bind(&c.owner_recipient)
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                for cat in &new.categories {
                    insert_category(&mut tx, c.id, cat).await?;
                }
                insert_factor(&mut tx, &new.carte).await?;
                tx.commit().await.map_err(insert_error)?;
                Ok(role)
            }

            async fn insert_invitation(
                &self,
                token_sha256: &[u8; 32],
                role: $crate::domain::AccountRole,
                now: $crate::domain::Timestamp,
                expires_at: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::StoreError> {
                sqlx::query(
                    "INSERT INTO invitations (token_sha256, role, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(token_sha256.as_slice())
                .bind(role.as_str())
                .bind(now.as_micros())
                .bind(expires_at.as_micros())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn invitation_role(
                &self,
                token_sha256: &[u8; 32],
                now: $crate::domain::Timestamp,
            ) -> Result<Option<$crate::domain::AccountRole>, $crate::db::StoreError> {
                let row: Option<(String,)> = sqlx::query_as(
                    "SELECT role FROM invitations \
                     WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > $2",
                )
                .bind(token_sha256.as_slice())
                .bind(now.as_micros())
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(raw,)| $crate::db::accounts::account_role(&raw))
                    .transpose()
            }

            async fn coffre(
                &self,
                id: $crate::domain::CoffreId,
            ) -> Result<Option<$crate::domain::CoffreRecord>, $crate::db::StoreError> {
                let row: Option<$crate::db::accounts::CoffreRow> = sqlx::query_as(
                    "SELECT id, role, created_at, epoch, owner_key, owner_recipient FROM coffres \
                     WHERE id = $1",
                )
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::db::accounts::coffre_from_row).transpose()
            }

            async fn categories(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<$crate::domain::CategoryRecord>, $crate::db::StoreError> {
                let rows: Vec<$crate::db::accounts::CategoryRow> = sqlx::query_as(
                    "SELECT id, generation, cert, label, wrap FROM categories WHERE coffre = $1",
                )
                .bind(coffre.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map($crate::db::accounts::category_from_row)
                    .collect()
            }

            async fn factor_by_auth_key(
                &self,
                key: &[u8; 32],
            ) -> Result<Option<$crate::domain::FactorRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM unlock_factors WHERE auth_key = $1",
                    $crate::db::accounts::FACTOR_COLUMNS
                );
                let row: Option<$crate::db::accounts::FactorRow> = sqlx::query_as(&sql)
                    .bind(key.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::accounts::factor_from_row).transpose()
            }

            async fn factors(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<$crate::domain::FactorRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM unlock_factors WHERE coffre = $1 ORDER BY created_at",
                    $crate::db::accounts::FACTOR_COLUMNS
                );
                let rows: Vec<$crate::db::accounts::FactorRow> = sqlx::query_as(&sql)
                    .bind(coffre.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::accounts::factor_from_row)
                    .collect()
            }

            async fn replace_factor(
                &self,
                factor: &$crate::domain::FactorRecord,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::insert_error;
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                sqlx::query("DELETE FROM unlock_factors WHERE coffre = $1 AND kind = $2")
                    .bind(factor.coffre.0)
                    .bind(factor.kind.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                insert_factor(&mut tx, factor).await?;
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn record_pin_failure(
                &self,
                factor: $crate::domain::FactorId,
                now: $crate::domain::Timestamp,
                lock_after: u32,
            ) -> Result<Option<$crate::domain::FactorRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "UPDATE unlock_factors SET failed_pins = failed_pins + 1, \
                     locked_at = CASE WHEN locked_at IS NULL AND failed_pins + 1 >= $2 \
                                 THEN $3 ELSE locked_at END \
                     WHERE id = $1 RETURNING {}",
                    $crate::db::accounts::FACTOR_COLUMNS
                );
                let row: Option<$crate::db::accounts::FactorRow> = sqlx::query_as(&sql)
                    .bind(factor.0)
                    .bind(i64::from(lock_after))
                    .bind(now.as_micros())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::accounts::factor_from_row).transpose()
            }

            async fn record_factor_use(
                &self,
                factor: $crate::domain::FactorId,
                now: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::StoreError> {
                sqlx::query(
                    "UPDATE unlock_factors SET failed_pins = 0, last_used_at = $2 WHERE id = $1",
                )
                .bind(factor.0)
                .bind(now.as_micros())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn insert_nonce(
                &self,
                nonce: &[u8; 32],
                expires_at: $crate::domain::Timestamp,
                now: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::StoreError> {
                sqlx::query("DELETE FROM auth_nonces WHERE expires_at <= $1")
                    .bind(now.as_micros())
                    .execute(&self.pool)
                    .await?;
                sqlx::query("INSERT INTO auth_nonces (nonce, expires_at) VALUES ($1, $2)")
                    .bind(nonce.as_slice())
                    .bind(expires_at.as_micros())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn take_nonce(
                &self,
                nonce: &[u8; 32],
                now: $crate::domain::Timestamp,
            ) -> Result<bool, $crate::db::StoreError> {
                // One statement: two replicas racing for one nonce cannot both delete it.
                let row: Option<(i64,)> = sqlx::query_as(
                    "DELETE FROM auth_nonces WHERE nonce = $1 RETURNING expires_at",
                )
                .bind(nonce.as_slice())
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.is_some_and(|(expires,)| expires > now.as_micros()))
            }

            async fn insert_session(
                &self,
                s: &$crate::domain::SessionRecord,
                replaces: Option<[u8; 32]>,
                now: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::StoreError> {
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await?;
                if let Some(old) = replaces {
                    sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
                        .bind(old.as_slice())
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(now.as_micros())
                    .execute(&mut *tx)
                    .await?;
                let sql = format!(
                    "INSERT INTO sessions ({}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    $crate::db::accounts::SESSION_COLUMNS
                );
                sqlx::query(&sql)
                    .bind(s.token_sha256.as_slice())
                    .bind(s.id)
                    .bind(s.coffre.0)
                    .bind(s.factor.map(|f| f.0))
                    .bind(s.factor_kind.as_str())
                    .bind(&s.label)
                    .bind(s.shared)
                    .bind(s.csrf.as_slice())
                    .bind(s.created_at.as_micros())
                    .bind(s.last_seen_at.as_micros())
                    .bind(s.expires_at.as_micros())
                    .bind(s.device)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session(
                &self,
                token_sha256: &[u8; 32],
            ) -> Result<Option<$crate::domain::SessionRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM sessions WHERE token_sha256 = $1",
                    $crate::db::accounts::SESSION_COLUMNS
                );
                let row: Option<$crate::db::accounts::SessionRow> = sqlx::query_as(&sql)
                    .bind(token_sha256.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map($crate::db::accounts::session_from_row).transpose()
            }

            async fn touch_session(
                &self,
                token_sha256: &[u8; 32],
                now: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::StoreError> {
                sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_sha256 = $1")
                    .bind(token_sha256.as_slice())
                    .bind(now.as_micros())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_session(&self, token_sha256: &[u8; 32]) -> Result<(), $crate::db::StoreError> {
                sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
                    .bind(token_sha256.as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_session_by_id(
                &self,
                coffre: $crate::domain::CoffreId,
                id: uuid::Uuid,
            ) -> Result<bool, $crate::db::StoreError> {
                let done = sqlx::query("DELETE FROM sessions WHERE coffre = $1 AND id = $2")
                    .bind(coffre.0)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn delete_sessions(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<u64, $crate::db::StoreError> {
                let done = sqlx::query("DELETE FROM sessions WHERE coffre = $1")
                    .bind(coffre.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn delete_all_sessions(&self) -> Result<u64, $crate::db::StoreError> {
                let done = sqlx::query("DELETE FROM sessions")
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn coffre_ids(
                &self,
            ) -> Result<Vec<$crate::domain::CoffreId>, $crate::db::StoreError> {
                let rows: Vec<(uuid::Uuid,)> = sqlx::query_as("SELECT id FROM coffres ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id,)| $crate::domain::CoffreId(id))
                    .collect())
            }

            async fn sessions(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<$crate::domain::SessionRecord>, $crate::db::StoreError> {
                let sql = format!(
                    "SELECT {} FROM sessions WHERE coffre = $1 ORDER BY last_seen_at DESC",
                    $crate::db::accounts::SESSION_COLUMNS
                );
                let rows: Vec<$crate::db::accounts::SessionRow> = sqlx::query_as(&sql)
                    .bind(coffre.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map($crate::db::accounts::session_from_row)
                    .collect()
            }

            async fn change_epoch(
                &self,
                change: &$crate::domain::EpochChange,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{InsertError, insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                let moved = sqlx::query(
                    "UPDATE coffres SET epoch = $2, owner_key = $3, owner_recipient = $4, \
                     papers_version = papers_version + 1 \
                     WHERE id = $1 AND epoch = $5",
                )
                .bind(change.coffre.0)
                .bind(to_i64(change.to_epoch)?)
                .bind(change.owner_key.as_slice())
                .bind(&change.owner_recipient)
                .bind(to_i64(change.from_epoch)?)
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                if moved.rows_affected() != 1 {
                    return Err(InsertError::Conflict);
                }
                sqlx::query(
                    "INSERT INTO successions (coffre, from_epoch, statement) VALUES ($1, $2, $3)",
                )
                .bind(change.coffre.0)
                .bind(to_i64(change.from_epoch)?)
                .bind(&change.succession)
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                for (category, generation, wrap) in &change.rewraps {
                    sqlx::query(
                        "UPDATE categories SET wrap = $4 \
                         WHERE coffre = $1 AND id = $2 AND generation = $3",
                    )
                    .bind(change.coffre.0)
                    .bind(*category)
                    .bind(to_i64(*generation)?)
                    .bind(wrap)
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                }
                for cat in &change.new_generations {
                    insert_category(&mut tx, change.coffre, cat).await?;
                }
                // Every old factor goes: the lost one, and the ones that wrap the old seed
                // (passkeys too: their wraps hold the old seed, and the phone may be the
                // lost factor; they are added again from the new epoch). The owner's journal
                // checkpoint goes too: clients trust only one signed by the current key.
                for table in [
                    "unlock_factors",
                    "passkeys",
                    "remembered_devices",
                    "journal_checkpoints",
                ] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE coffre = $1"))
                        .bind(change.coffre.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(insert_error)?;
                }
                for factor in &change.factors {
                    insert_factor(&mut tx, factor).await?;
                }
                sqlx::query("DELETE FROM sessions WHERE coffre = $1 AND token_sha256 <> $2")
                    .bind(change.coffre.0)
                    .bind(change.keep_session.as_slice())
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn add_generation(
                &self,
                coffre: $crate::domain::CoffreId,
                record: &$crate::domain::CategoryRecord,
                mandate_wraps: &[(uuid::Uuid, Vec<u8>)],
                journal: &$crate::db::accounts::JournalRow,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                insert_category(&mut tx, coffre, record).await?;
                insert_journal_row(&mut tx, coffre, journal).await?;
                for (mandate, wrap) in mandate_wraps {
                    sqlx::query(
                        "INSERT INTO mandate_key_wraps (mandate, category, generation, wrap) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(*mandate)
                    .bind(record.id)
                    .bind(to_i64(record.generation)?)
                    .bind(wrap)
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                }
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn successions(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Vec<Vec<u8>>, $crate::db::StoreError> {
                let rows: Vec<(Vec<u8>,)> = sqlx::query_as(
                    "SELECT statement FROM successions WHERE coffre = $1 ORDER BY from_epoch",
                )
                .bind(coffre.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(|(s,)| s).collect())
            }

            async fn journal_head(
                &self,
                coffre: $crate::domain::CoffreId,
            ) -> Result<Option<(u64, [u8; 32], u64)>, $crate::db::StoreError> {
                let row: Option<(i64, Vec<u8>, i64)> = sqlx::query_as(
                    "SELECT seq, hash, time FROM journal_entries WHERE coffre = $1 \
                     ORDER BY seq DESC LIMIT 1",
                )
                .bind(coffre.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::db::accounts::journal_head_from_row).transpose()
            }

            async fn append_journal(
                &self,
                coffre: $crate::domain::CoffreId,
                row: &$crate::db::accounts::JournalRow,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::insert_error;
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                insert_journal_row(&mut tx, coffre, row).await?;
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn journal(
                &self,
                coffre: $crate::domain::CoffreId,
                from_seq: u64,
                limit: u32,
            ) -> Result<Vec<$crate::db::accounts::JournalRow>, $crate::db::StoreError> {
                let rows: Vec<$crate::db::accounts::JournalDbRow> = sqlx::query_as(
                    "SELECT seq, time, entry, hash, body, receipt FROM journal_entries \
                     WHERE coffre = $1 AND seq >= $2 ORDER BY seq LIMIT $3",
                )
                .bind(coffre.0)
                .bind($crate::db::accounts::to_i64(from_seq)?)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map($crate::db::accounts::journal_from_row)
                    .collect()
            }

            async fn hit_rate_limit(
                &self,
                bucket: &str,
                now: $crate::domain::Timestamp,
                window_micros: i64,
                limit: u32,
            ) -> Result<$crate::domain::RateDecision, $crate::db::StoreError> {
                // One atomic upsert: a window that has ended starts again at this event.
                // (Every SET expression reads the row as it was before the update.)
                let (start, count): (i64, i64) = sqlx::query_as(
                    "INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1) \
                     ON CONFLICT (bucket) DO UPDATE SET \
                     count = CASE WHEN rate_limits.window_start <= $3 THEN 1 \
                                  ELSE rate_limits.count + 1 END, \
                     window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 \
                                         ELSE rate_limits.window_start END \
                     RETURNING window_start, count",
                )
                .bind(bucket)
                .bind(now.as_micros())
                .bind(now.as_micros().saturating_sub(window_micros))
                .fetch_one(&self.pool)
                .await?;
                Ok(if count > i64::from(limit) {
                    $crate::domain::RateDecision::Limited {
                        until: $crate::domain::Timestamp::from_micros(
                            start.saturating_add(window_micros),
                        ),
                    }
                } else {
                    $crate::domain::RateDecision::Allowed
                })
            }
        }

        async fn insert_category<'c>(
            tx: &mut sqlx::Transaction<'c, <$store as $crate::db::accounts::HasDb>::Db>,
            coffre: $crate::domain::CoffreId,
            cat: &$crate::domain::CategoryRecord,
        ) -> Result<(), $crate::db::accounts::InsertError> {
            use $crate::db::accounts::{insert_error, to_i64};
            sqlx::query(
                "INSERT INTO categories (coffre, id, generation, cert, label, wrap) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(coffre.0)
            .bind(cat.id)
            .bind(to_i64(cat.generation)?)
            .bind(&cat.cert)
            .bind(&cat.label)
            .bind(&cat.wrap)
            .execute(&mut **tx)
            .await
            .map_err(insert_error)?;
            Ok(())
        }

        /// A journal row, inside a transaction (alone, or with the paper it records:
        /// `paper_store!` uses it too).
        async fn insert_journal_row<'c>(
            tx: &mut sqlx::Transaction<'c, <$store as $crate::db::accounts::HasDb>::Db>,
            coffre: $crate::domain::CoffreId,
            row: &$crate::db::accounts::JournalRow,
        ) -> Result<(), $crate::db::accounts::InsertError> {
            use $crate::db::accounts::{insert_error, to_i64};
            sqlx::query(
                "INSERT INTO journal_entries (coffre, seq, time, entry, hash, body, receipt) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(coffre.0)
            .bind(to_i64(row.seq)?)
            .bind(to_i64(row.time)?)
            .bind(&row.entry)
            .bind(row.hash.as_slice())
            .bind(&row.body)
            .bind(&row.receipt)
            .execute(&mut **tx)
            .await
            .map_err(insert_error)?;
            Ok(())
        }

        async fn insert_factor<'c>(
            tx: &mut sqlx::Transaction<'c, <$store as $crate::db::accounts::HasDb>::Db>,
            f: &$crate::domain::FactorRecord,
        ) -> Result<(), $crate::db::accounts::InsertError> {
            use $crate::db::accounts::{insert_error, to_i64};
            let sql = format!(
                "INSERT INTO unlock_factors ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                $crate::db::accounts::FACTOR_COLUMNS
            );
            sqlx::query(&sql)
                .bind(f.id.0)
                .bind(f.coffre.0)
                .bind(f.kind.as_str())
                .bind(to_i64(f.epoch)?)
                .bind(f.auth_key.as_ref().map(|k| k.as_slice()))
                .bind(&f.wrap)
                .bind(f.pin_hash.as_deref())
                .bind(i64::from(f.failed_pins))
                .bind(f.locked_at.map(|t| t.as_micros()))
                .bind(f.created_at.as_micros())
                .bind(f.last_used_at.map(|t| t.as_micros()))
                .execute(&mut **tx)
                .await
                .map_err(insert_error)?;
            Ok(())
        }
    };
}

pub(crate) use account_store;

/// The sqlx database a store type talks to (for the transaction type in [`account_store!`]).
pub trait HasDb {
    type Db: sqlx::Database;
}

impl HasDb for super::SqliteStore {
    type Db = sqlx::Sqlite;
}

impl HasDb for super::PostgresStore {
    type Db = sqlx::Postgres;
}
