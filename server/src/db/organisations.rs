//! Organisations in the database (protocol.md section 7; `docs/design/mandates-server.md`):
//! the organisation the admin makes, its membership chain, the members the verified chain
//! says are current, the root-certified organisation keys and their wraps. Like
//! [`super::accounts`], the SQL is written once and [`organisation_store!`] expands it for
//! each engine's pool type.
//!
//! The server verifies every chain statement with `coffre-crypto` before it calls
//! [`OrganisationStore::append_org_chain`], which stores it and rewrites the current members
//! in one transaction: the access checks read `org_members`, so a removal cuts access at once;
//! the same transaction deletes the pending proposals (`super::org_proposals`) it passed.

use async_trait::async_trait;
use uuid::Uuid;

use super::accounts::InsertError;
use super::{StoreError, corrupt};
use crate::domain::Timestamp;

/// An organisation as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationRecord {
    pub id: Uuid,
    pub name: String,
    pub created_at: Timestamp,
    /// The founding link's token, hashed (used once).
    pub founding_sha256: [u8; 32],
    pub founding_expires_at: Timestamp,
    /// When the founding responsable posted the genesis statement.
    pub founded_at: Option<Timestamp>,
    /// The root key the genesis statement is signed by.
    pub root_key: Option<[u8; 32]>,
}

/// A current member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub key: [u8; 32],
    /// `age1…`
    pub recipient: String,
    /// `responsable` or `aidant`.
    pub role: String,
}

/// One stored chain statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainRow {
    pub seq: u64,
    pub statement: Vec<u8>,
    pub hash: [u8; 32],
}

/// What appending a verified chain statement writes, in one transaction.
#[derive(Debug)]
pub struct ChainAppend<'a> {
    pub organisation: Uuid,
    pub row: &'a ChainRow,
    /// The members after it (they replace the stored ones).
    pub members: &'a [MemberRow],
    /// For the genesis: the root key and the founding token it uses up (still unused and
    /// unexpired at `now`, else [`InsertError::Invitation`]).
    pub found: Option<([u8; 32], [u8; 32])>,
    pub now: Timestamp,
}

/// What the admin sees of an organisation: counts, never who is followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationCounts {
    pub id: Uuid,
    pub name: String,
    pub created_at: Timestamp,
    pub founded: bool,
    pub members: u64,
    /// Mandates not ended and whose window has not closed at the time asked.
    pub mandates_in_force: u64,
}

/// What the server asks of its database for organisations.
#[async_trait]
pub trait OrganisationStore: Send + Sync {
    async fn insert_organisation(&self, org: &OrganisationRecord) -> Result<(), InsertError>;

    async fn organisation(&self, id: Uuid) -> Result<Option<OrganisationRecord>, StoreError>;

    /// The organisation a founding token (hashed) opens, if it is unused and unexpired at
    /// `now`.
    async fn organisation_by_founding(
        &self,
        token_sha256: &[u8; 32],
        now: Timestamp,
    ) -> Result<Option<OrganisationRecord>, StoreError>;

    /// Every organisation with its counts (`now_secs`: for mandates in force).
    async fn organisation_counts(
        &self,
        now_secs: u64,
    ) -> Result<Vec<OrganisationCounts>, StoreError>;

    /// The chain, by seq.
    async fn org_chain(&self, organisation: Uuid) -> Result<Vec<ChainRow>, StoreError>;

    /// Stores a verified chain statement and the members after it;
    /// [`InsertError::Conflict`] if its seq is taken (another responsable came first).
    async fn append_org_chain(&self, append: &ChainAppend<'_>) -> Result<(), InsertError>;

    async fn org_members(&self, organisation: Uuid) -> Result<Vec<MemberRow>, StoreError>;

    /// `(organisation, role)` of every organisation `key` is a current member of.
    async fn memberships(&self, key: &[u8; 32]) -> Result<Vec<(Uuid, String)>, StoreError>;

    /// `(generation, cert)` of every organisation key, by generation.
    async fn org_keys(&self, organisation: Uuid) -> Result<Vec<(u64, Vec<u8>)>, StoreError>;

    /// Stores a verified certificate with its wraps, one per member key;
    /// [`InsertError::Conflict`] if the generation exists.
    async fn insert_org_key(
        &self,
        organisation: Uuid,
        generation: u64,
        cert: &[u8],
        wraps: &[([u8; 32], Vec<u8>)],
        now: Timestamp,
    ) -> Result<(), InsertError>;

    /// Stores wraps of existing generations, each `(generation, member key, wrap)`, in one
    /// transaction; [`InsertError::Conflict`] if one (generation, member) has a wrap already.
    async fn insert_org_key_wraps(
        &self,
        organisation: Uuid,
        wraps: &[(u64, [u8; 32], Vec<u8>)],
    ) -> Result<(), InsertError>;

    /// `(generation, wrap)` of the wraps made for `member`, by generation.
    async fn org_key_wraps_for(
        &self,
        organisation: Uuid,
        member: &[u8; 32],
    ) -> Result<Vec<(u64, Vec<u8>)>, StoreError>;

    /// `(generation, member key)` of every stored wrap whose member is a current one
    /// (`org_members`), by generation then key: which pairs hold a wrap, never the wraps.
    async fn org_key_wrapped(&self, organisation: Uuid)
    -> Result<Vec<(u64, [u8; 32])>, StoreError>;
}

pub(crate) const ORGANISATION_COLUMNS: &str =
    "id, name, created_at, founding_sha256, founding_expires_at, founded_at, root_key";

pub(crate) type OrganisationRow = (
    Uuid,
    String,
    i64,
    Vec<u8>,
    i64,
    Option<i64>,
    Option<Vec<u8>>,
);

pub(crate) fn key32(raw: Vec<u8>, what: &str) -> Result<[u8; 32], StoreError> {
    <[u8; 32]>::try_from(raw).map_err(|_| corrupt(format!("{what} is not 32 bytes")))
}

pub(crate) fn unsigned(raw: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(raw).map_err(|_| corrupt(format!("negative {what}")))
}

pub(crate) fn organisation_from_row(
    row: OrganisationRow,
) -> Result<OrganisationRecord, StoreError> {
    let (id, name, created, founding, expires, founded, root) = row;
    Ok(OrganisationRecord {
        id,
        name,
        created_at: Timestamp::from_micros(created),
        founding_sha256: key32(founding, "founding token hash")?,
        founding_expires_at: Timestamp::from_micros(expires),
        founded_at: founded.map(Timestamp::from_micros),
        root_key: root.map(|r| key32(r, "root key")).transpose()?,
    })
}

/// Implements [`OrganisationStore`] for a store type with a `pool` field.
macro_rules! organisation_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::organisations::OrganisationStore for $store {
            async fn insert_organisation(
                &self,
                o: &$crate::db::organisations::OrganisationRecord,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::insert_error;
                let sql = format!(
                    "INSERT INTO organisations ({}) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    $crate::db::organisations::ORGANISATION_COLUMNS
                );
                sqlx::query(&sql)
                    .bind(o.id)
                    .bind(&o.name)
                    .bind(o.created_at.as_micros())
                    .bind(o.founding_sha256.as_slice())
                    .bind(o.founding_expires_at.as_micros())
                    .bind(o.founded_at.map(|t| t.as_micros()))
                    .bind(o.root_key.as_ref().map(|k| k.as_slice()))
                    .execute(&self.pool)
                    .await
                    .map_err(insert_error)?;
                Ok(())
            }

            async fn organisation(
                &self,
                id: uuid::Uuid,
            ) -> Result<
                Option<$crate::db::organisations::OrganisationRecord>,
                $crate::db::StoreError,
            > {
                let sql = format!(
                    "SELECT {} FROM organisations WHERE id = $1",
                    $crate::db::organisations::ORGANISATION_COLUMNS
                );
                let row: Option<$crate::db::organisations::OrganisationRow> =
                    sqlx::query_as(&sql)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map($crate::db::organisations::organisation_from_row)
                    .transpose()
            }

            async fn organisation_by_founding(
                &self,
                token_sha256: &[u8; 32],
                now: $crate::domain::Timestamp,
            ) -> Result<
                Option<$crate::db::organisations::OrganisationRecord>,
                $crate::db::StoreError,
            > {
                let sql = format!(
                    "SELECT {} FROM organisations WHERE founding_sha256 = $1 \
                     AND founded_at IS NULL AND founding_expires_at > $2",
                    $crate::db::organisations::ORGANISATION_COLUMNS
                );
                let row: Option<$crate::db::organisations::OrganisationRow> =
                    sqlx::query_as(&sql)
                        .bind(token_sha256.as_slice())
                        .bind(now.as_micros())
                        .fetch_optional(&self.pool)
                        .await?;
                row.map($crate::db::organisations::organisation_from_row)
                    .transpose()
            }

            async fn organisation_counts(
                &self,
                now_secs: u64,
            ) -> Result<Vec<$crate::db::organisations::OrganisationCounts>, $crate::db::StoreError>
            {
                use $crate::db::organisations::unsigned;
                let rows: Vec<(uuid::Uuid, String, i64, Option<i64>, i64, i64)> = sqlx::query_as(
                    "SELECT o.id, o.name, o.created_at, o.founded_at, \
                     (SELECT COUNT(*) FROM org_members m WHERE m.organisation = o.id), \
                     (SELECT COUNT(*) FROM mandates d WHERE d.organisation = o.id \
                      AND d.ended IS NULL AND d.not_after > $1) \
                     FROM organisations o ORDER BY o.created_at, o.id",
                )
                .bind($crate::db::accounts::to_i64(now_secs)?)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, name, created, founded, members, mandates)| {
                        Ok($crate::db::organisations::OrganisationCounts {
                            id,
                            name,
                            created_at: $crate::domain::Timestamp::from_micros(created),
                            founded: founded.is_some(),
                            members: unsigned(members, "member count")?,
                            mandates_in_force: unsigned(mandates, "mandate count")?,
                        })
                    })
                    .collect()
            }

            async fn org_chain(
                &self,
                organisation: uuid::Uuid,
            ) -> Result<Vec<$crate::db::organisations::ChainRow>, $crate::db::StoreError> {
                use $crate::db::organisations::{key32, unsigned};
                let rows: Vec<(i64, Vec<u8>, Vec<u8>)> = sqlx::query_as(
                    "SELECT seq, statement, hash FROM org_chain WHERE organisation = $1 \
                     ORDER BY seq",
                )
                .bind(organisation)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(seq, statement, hash)| {
                        Ok($crate::db::organisations::ChainRow {
                            seq: unsigned(seq, "chain seq")?,
                            statement,
                            hash: key32(hash, "chain hash")?,
                        })
                    })
                    .collect()
            }

            async fn append_org_chain(
                &self,
                a: &$crate::db::organisations::ChainAppend<'_>,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{InsertError, insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                if let Some((root, token)) = &a.found {
                    let done = sqlx::query(
                        "UPDATE organisations SET root_key = $2, founded_at = $3 \
                         WHERE id = $1 AND founding_sha256 = $4 AND founded_at IS NULL \
                         AND founding_expires_at > $3",
                    )
                    .bind(a.organisation)
                    .bind(root.as_slice())
                    .bind(a.now.as_micros())
                    .bind(token.as_slice())
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                    if done.rows_affected() != 1 {
                        return Err(InsertError::Invitation);
                    }
                }
                sqlx::query(
                    "INSERT INTO org_chain (organisation, seq, statement, hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(a.organisation)
                .bind(to_i64(a.row.seq)?)
                .bind(&a.row.statement)
                .bind(a.row.hash.as_slice())
                .bind(a.now.as_micros())
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                // Every proposal waited for this seq or an older one: none applies now.
                sqlx::query("DELETE FROM org_proposals WHERE organisation = $1 AND seq <= $2")
                    .bind(a.organisation)
                    .bind(to_i64(a.row.seq)?)
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                sqlx::query("DELETE FROM org_members WHERE organisation = $1")
                    .bind(a.organisation)
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                for m in a.members {
                    sqlx::query(
                        "INSERT INTO org_members (organisation, member_key, recipient, role) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(a.organisation)
                    .bind(m.key.as_slice())
                    .bind(&m.recipient)
                    .bind(&m.role)
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                }
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn org_members(
                &self,
                organisation: uuid::Uuid,
            ) -> Result<Vec<$crate::db::organisations::MemberRow>, $crate::db::StoreError> {
                let rows: Vec<(Vec<u8>, String, String)> = sqlx::query_as(
                    "SELECT member_key, recipient, role FROM org_members \
                     WHERE organisation = $1 ORDER BY member_key",
                )
                .bind(organisation)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(key, recipient, role)| {
                        Ok($crate::db::organisations::MemberRow {
                            key: $crate::db::organisations::key32(key, "member key")?,
                            recipient,
                            role,
                        })
                    })
                    .collect()
            }

            async fn memberships(
                &self,
                key: &[u8; 32],
            ) -> Result<Vec<(uuid::Uuid, String)>, $crate::db::StoreError> {
                let rows: Vec<(uuid::Uuid, String)> = sqlx::query_as(
                    "SELECT organisation, role FROM org_members WHERE member_key = $1 \
                     ORDER BY organisation",
                )
                .bind(key.as_slice())
                .fetch_all(&self.pool)
                .await?;
                Ok(rows)
            }

            async fn org_keys(
                &self,
                organisation: uuid::Uuid,
            ) -> Result<Vec<(u64, Vec<u8>)>, $crate::db::StoreError> {
                let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                    "SELECT generation, cert FROM org_keys WHERE organisation = $1 \
                     ORDER BY generation",
                )
                .bind(organisation)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(g, cert)| {
                        Ok(($crate::db::organisations::unsigned(g, "org key generation")?, cert))
                    })
                    .collect()
            }

            async fn insert_org_key(
                &self,
                organisation: uuid::Uuid,
                generation: u64,
                cert: &[u8],
                wraps: &[([u8; 32], Vec<u8>)],
                now: $crate::domain::Timestamp,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                sqlx::query(
                    "INSERT INTO org_keys (organisation, generation, cert, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(organisation)
                .bind(to_i64(generation)?)
                .bind(cert)
                .bind(now.as_micros())
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                for (member, wrap) in wraps {
                    sqlx::query(
                        "INSERT INTO org_key_wraps (organisation, generation, member_key, wrap) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(organisation)
                    .bind(to_i64(generation)?)
                    .bind(member.as_slice())
                    .bind(wrap)
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                }
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn insert_org_key_wraps(
                &self,
                organisation: uuid::Uuid,
                wraps: &[(u64, [u8; 32], Vec<u8>)],
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self.pool.begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE).await.map_err(insert_error)?;
                for (generation, member, wrap) in wraps {
                    sqlx::query(
                        "INSERT INTO org_key_wraps (organisation, generation, member_key, wrap) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(organisation)
                    .bind(to_i64(*generation)?)
                    .bind(member.as_slice())
                    .bind(wrap)
                    .execute(&mut *tx)
                    .await
                    .map_err(insert_error)?;
                }
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn org_key_wraps_for(
                &self,
                organisation: uuid::Uuid,
                member: &[u8; 32],
            ) -> Result<Vec<(u64, Vec<u8>)>, $crate::db::StoreError> {
                let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                    "SELECT generation, wrap FROM org_key_wraps \
                     WHERE organisation = $1 AND member_key = $2 ORDER BY generation",
                )
                .bind(organisation)
                .bind(member.as_slice())
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(g, wrap)| {
                        Ok(($crate::db::organisations::unsigned(g, "org key generation")?, wrap))
                    })
                    .collect()
            }

            async fn org_key_wrapped(
                &self,
                organisation: uuid::Uuid,
            ) -> Result<Vec<(u64, [u8; 32])>, $crate::db::StoreError> {
                use $crate::db::organisations::{key32, unsigned};
                // A removed member's wraps stay stored: only the current members' pairs are
                // listed.
                let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                    "SELECT w.generation, w.member_key FROM org_key_wraps w \
                     JOIN org_members m \
                     ON m.organisation = w.organisation AND m.member_key = w.member_key \
                     WHERE w.organisation = $1 ORDER BY w.generation, w.member_key",
                )
                .bind(organisation)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(g, key)| {
                        Ok((unsigned(g, "org key generation")?, key32(key, "member key")?))
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use organisation_store;
