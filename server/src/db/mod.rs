//! Persistence: a domain-shaped [`Store`] trait with a SQLite and a PostgreSQL
//! implementation, chosen from the database URL. All SQL lives under this module.

pub mod accounts;
pub mod backup;
pub mod checkpoints;
pub mod maintenance;
pub mod mandates;
pub mod org_proposals;
pub mod organisations;
pub mod paper_indexes;
pub mod papers;
pub mod passkeys;
mod postgres;
pub mod remembered;
pub mod schema;
mod sqlite;

use std::collections::HashSet;
use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;

use crate::config::DatabaseLocation;
use crate::domain::{BlobId, BlobRecord, BlobState, Instance, ServerKey, Timestamp};

pub use accounts::{AccountStore, InsertError};
pub use checkpoints::CheckpointStore;
pub use maintenance::{Cutoffs, Expired, MaintenanceStore, PoolStatus};
pub use mandates::MandateStore;
pub use org_proposals::OrgProposalStore;
pub use organisations::OrganisationStore;
pub use paper_indexes::PaperIndexStore;
pub use papers::PaperStore;
pub use passkeys::PasskeyStore;
pub use postgres::PostgresStore;
pub use remembered::RememberedStore;
pub use schema::{SchemaInfo, schema_differences};
pub use sqlite::SqliteStore;

/// Which database engine a store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why a store operation failed. The database's own message stays in `source` (logged,
/// never sent to clients).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("cannot connect to the database")]
    Connect(#[source] sqlx::Error),
    #[error("database migration failed")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error("database query failed")]
    Query(#[from] sqlx::Error),
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
    #[error("the database has no instance row (run `coffre migrate` or start the server)")]
    NoInstance,
    #[error(
        "the database schema is at version {database}, newer than this coffre binary knows \
         (version {binary}): a newer coffre has migrated it. Upgrade this binary; an older one \
         must not run on a newer schema"
    )]
    SchemaTooNew { database: i64, binary: i64 },
}

/// Maps sqlx's "a migration the database has is unknown here" to [`StoreError::SchemaTooNew`]
/// (migrations are append-only, so an unknown applied version means a newer binary).
pub(crate) fn migrate_error(e: sqlx::migrate::MigrateError, binary: i64) -> StoreError {
    match e {
        sqlx::migrate::MigrateError::VersionMissing(database) => {
            StoreError::SchemaTooNew { database, binary }
        }
        other => StoreError::Migrate(other),
    }
}

/// Everything the server asks of its database, in domain terms.
#[async_trait]
pub trait Store:
    accounts::AccountStore
    + passkeys::PasskeyStore
    + remembered::RememberedStore
    + checkpoints::CheckpointStore
    + papers::PaperStore
    + paper_indexes::PaperIndexStore
    + maintenance::MaintenanceStore
    + organisations::OrganisationStore
    + org_proposals::OrgProposalStore
    + mandates::MandateStore
    + Send
    + Sync
    + Debug
{
    fn backend(&self) -> Backend;

    /// Applies the embedded migrations that have not run yet.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Version of the newest migration this binary knows.
    fn latest_migration(&self) -> i64;

    /// Cheap round trip, for health checks.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Returns the instance row, creating it from `candidate` if there is none yet, and
    /// raises the recorded schema version to `candidate.schema_version` — never lowers it
    /// (an older replica starting after a newer one leaves the newer version in place).
    async fn ensure_instance(&self, candidate: &Instance) -> Result<Instance, StoreError>;

    /// Returns the instance's server key, storing `candidate` first if the instance row has
    /// none yet. Race-safe: the key is written only `WHERE server_key IS NULL`, then read
    /// back, so replicas starting together all end with the one key that was stored first.
    /// [`StoreError::NoInstance`] without an instance row.
    async fn ensure_server_key(&self, candidate: &ServerKey) -> Result<ServerKey, StoreError>;

    /// The instance row, if the database has been initialised.
    async fn instance(&self) -> Result<Option<Instance>, StoreError>;

    /// Records a blob whose object is completely written (second phase of a write).
    async fn insert_blob(&self, blob: &BlobRecord) -> Result<(), StoreError>;

    async fn blob(&self, id: BlobId) -> Result<Option<BlobRecord>, StoreError>;

    /// Blobs in `state`, oldest first, at most `limit`.
    async fn blobs_in_state(
        &self,
        state: BlobState,
        limit: u32,
    ) -> Result<Vec<BlobRecord>, StoreError>;

    /// Which of `ids` have a row (in any state).
    async fn known_blob_ids(&self, ids: &[BlobId]) -> Result<HashSet<BlobId>, StoreError>;

    /// Marks a committed blob for deletion; false if there was no such committed blob.
    async fn mark_blob_deleting(&self, id: BlobId) -> Result<bool, StoreError>;

    /// Removes a blob row once its object is gone.
    async fn remove_blob(&self, id: BlobId) -> Result<(), StoreError>;

    /// The schema read back from the database (migration bookkeeping excluded), for the
    /// migration parity test.
    async fn schema(&self) -> Result<SchemaInfo, StoreError>;

    /// Closes the connection pool.
    async fn close(&self);
}

/// A shared store handle.
pub type SharedStore = Arc<dyn Store>;

/// Opens the database at `location` (creating a SQLite file if needed). Does not migrate.
pub async fn connect(location: &DatabaseLocation) -> Result<SharedStore, StoreError> {
    Ok(match location {
        DatabaseLocation::Sqlite(path) => Arc::new(SqliteStore::connect(path).await?),
        DatabaseLocation::Postgres(url) => Arc::new(PostgresStore::connect(url.expose()).await?),
    })
}

/// The newest migration this binary knows for `backend` (the same version on both: the
/// migrations are kept in lockstep).
pub fn known_schema_version(backend: Backend) -> i64 {
    match backend {
        Backend::Sqlite => sqlite::latest_migration(),
        Backend::Postgres => postgres::latest_migration(),
    }
}

/// Most ids bound in one `IN (…)` query (SQLite's default limit is 32,766 parameters).
pub(crate) const MAX_IDS_PER_QUERY: usize = 500;

/// A `blobs` row as both backends read it: id, size, sha256, created_at (µs), state.
type BlobRow = (uuid::Uuid, i64, Vec<u8>, i64, String);

fn blob_from_row((id, size, digest, created_at, state): BlobRow) -> Result<BlobRecord, StoreError> {
    Ok(BlobRecord {
        id: BlobId(id),
        size: blob_size(size)?,
        sha256: sha256(digest)?,
        created_at: Timestamp::from_micros(created_at),
        state: blob_state(&state)?,
    })
}

fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt(what.into())
}

fn blob_state(raw: &str) -> Result<BlobState, StoreError> {
    BlobState::parse(raw).ok_or_else(|| corrupt(format!("blob state {raw:?}")))
}

fn blob_size(raw: i64) -> Result<u64, StoreError> {
    u64::try_from(raw).map_err(|_| corrupt("negative blob size"))
}

fn sha256(raw: Vec<u8>) -> Result<crate::domain::Sha256Digest, StoreError> {
    <[u8; 32]>::try_from(raw)
        .map(crate::domain::Sha256Digest)
        .map_err(|_| corrupt("sha256 is not 32 bytes"))
}

/// The `instance.server_key` column as both backends read it (`None`: no instance row).
fn server_key_from_row(row: Option<(Option<Vec<u8>>,)>) -> Result<ServerKey, StoreError> {
    let (raw,) = row.ok_or(StoreError::NoInstance)?;
    let raw = zeroize::Zeroizing::new(raw.ok_or_else(|| corrupt("the server key was not stored"))?);
    let secret: zeroize::Zeroizing<[u8; 32]> = zeroize::Zeroizing::new(
        raw.as_slice()
            .try_into()
            .map_err(|_| corrupt("server key is not 32 bytes"))?,
    );
    Ok(ServerKey::from_secret_bytes(&secret))
}

fn size_to_db(size: u64) -> Result<i64, StoreError> {
    i64::try_from(size).map_err(|_| corrupt("blob size too large"))
}
