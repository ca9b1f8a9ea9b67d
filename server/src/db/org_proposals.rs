//! Pending organisation proposals in the database (`docs/design/organisations-screens.md`,
//! "Two responsables signing together"): a chain statement signed by one responsable, kept
//! until a second one countersigns it (then [`super::OrganisationStore::append_org_chain`]
//! deletes every proposal at or before the appended seq in its transaction) or refuses it.
//! The server checks each one with `coffre-crypto` (`check_org_proposal`) before it stores it;
//! clients check it again against the chain they verified.

use async_trait::async_trait;
use uuid::Uuid;

use super::StoreError;
use super::accounts::InsertError;
use crate::domain::Timestamp;

/// How many proposals may wait for one organisation at once.
pub const PROPOSALS_CAP: u64 = 32;

/// A proposal as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRecord {
    pub organisation: Uuid,
    pub id: Uuid,
    /// The chain seq it would take.
    pub seq: u64,
    /// The one-signature `org_chain` envelope bytes.
    pub statement: Vec<u8>,
    /// The responsable who signed it.
    pub proposer_key: [u8; 32],
    pub created_at: Timestamp,
}

#[async_trait]
pub trait OrgProposalStore: Send + Sync {
    /// Stores a checked proposal; `InsertError::Conflict` when [`PROPOSALS_CAP`] already wait
    /// for the organisation.
    async fn insert_org_proposal(&self, p: &ProposalRecord) -> Result<(), InsertError>;
    /// The organisation's proposals, oldest first.
    async fn org_proposals(&self, organisation: Uuid) -> Result<Vec<ProposalRecord>, StoreError>;
    /// Deletes one proposal (`false`: there was none).
    async fn delete_org_proposal(&self, organisation: Uuid, id: Uuid) -> Result<bool, StoreError>;
    /// Deletes the proposals for a seq the chain has passed (`seq < next`).
    async fn delete_stale_org_proposals(
        &self,
        organisation: Uuid,
        next: u64,
    ) -> Result<u64, StoreError>;
}

pub(crate) type ProposalRow = (Uuid, Uuid, i64, Vec<u8>, Vec<u8>, i64);

pub(crate) fn proposal_from_row(row: ProposalRow) -> Result<ProposalRecord, StoreError> {
    let (organisation, id, seq, statement, proposer, created) = row;
    Ok(ProposalRecord {
        organisation,
        id,
        seq: super::organisations::unsigned(seq, "proposal seq")?,
        statement,
        proposer_key: super::organisations::key32(proposer, "proposer key")?,
        created_at: Timestamp::from_micros(created),
    })
}

/// Implements [`OrgProposalStore`] for a store type with a `pool` field.
macro_rules! org_proposal_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::db::org_proposals::OrgProposalStore for $store {
            async fn insert_org_proposal(
                &self,
                p: &$crate::db::org_proposals::ProposalRecord,
            ) -> Result<(), $crate::db::accounts::InsertError> {
                use $crate::db::accounts::{InsertError, insert_error, to_i64};
                let _turn = <$store as $crate::db::papers::BeginWrite>::write_turn(self).await;
                let mut tx = self
                    .pool
                    .begin_with(<$store as $crate::db::papers::BeginWrite>::BEGIN_WRITE)
                    .await
                    .map_err(insert_error)?;
                let (waiting,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM org_proposals WHERE organisation = $1")
                        .bind(p.organisation)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(insert_error)?;
                if waiting >= to_i64($crate::db::org_proposals::PROPOSALS_CAP)? {
                    return Err(InsertError::Conflict);
                }
                sqlx::query(
                    "INSERT INTO org_proposals \
                     (organisation, id, seq, statement, proposer_key, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(p.organisation)
                .bind(p.id)
                .bind(to_i64(p.seq)?)
                .bind(&p.statement)
                .bind(p.proposer_key.as_slice())
                .bind(p.created_at.as_micros())
                .execute(&mut *tx)
                .await
                .map_err(insert_error)?;
                tx.commit().await.map_err(insert_error)?;
                Ok(())
            }

            async fn org_proposals(
                &self,
                organisation: uuid::Uuid,
            ) -> Result<Vec<$crate::db::org_proposals::ProposalRecord>, $crate::db::StoreError>
            {
                let rows: Vec<$crate::db::org_proposals::ProposalRow> = sqlx::query_as(
                    "SELECT organisation, id, seq, statement, proposer_key, created_at \
                     FROM org_proposals WHERE organisation = $1 ORDER BY created_at, id",
                )
                .bind(organisation)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map($crate::db::org_proposals::proposal_from_row)
                    .collect()
            }

            async fn delete_org_proposal(
                &self,
                organisation: uuid::Uuid,
                id: uuid::Uuid,
            ) -> Result<bool, $crate::db::StoreError> {
                let done =
                    sqlx::query("DELETE FROM org_proposals WHERE organisation = $1 AND id = $2")
                        .bind(organisation)
                        .bind(id)
                        .execute(&self.pool)
                        .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn delete_stale_org_proposals(
                &self,
                organisation: uuid::Uuid,
                next: u64,
            ) -> Result<u64, $crate::db::StoreError> {
                let done =
                    sqlx::query("DELETE FROM org_proposals WHERE organisation = $1 AND seq < $2")
                        .bind(organisation)
                        .bind($crate::db::accounts::to_i64(next)?)
                        .execute(&self.pool)
                        .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use org_proposal_store;
