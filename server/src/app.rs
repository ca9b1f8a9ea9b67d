//! Opening everything a server needs, in the order `serve` does it: database,
//! migrations, instance row and server key, blob store, crash sweep (in the background).

use std::sync::Arc;

use crate::blobs::{self, BlobBackend, BlobError, BlobService, ORPHAN_GRACE, SweepTask};
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::{self, SharedStore, StoreError};
use crate::domain::{Instance, InstanceId, InstanceOrigin, ServerKey};
use crate::http::paper_list::ListingCache;
use crate::metrics::Metrics;
use crate::retention::Retention;

/// Shared state of a running server (cheap to clone).
#[derive(Debug, Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: SharedStore,
    pub blobs: BlobService,
    pub clock: SharedClock,
    pub instance: Instance,
    /// The instance origin (`public_url`, or `http://localhost:PORT` on loopback): what
    /// every signed statement names, and the WebAuthn relying party.
    pub origin: InstanceOrigin,
    /// The instance's Ed25519 key, shared by every replica (it lives in the database):
    /// what the server signs receipts with. `Debug` shows its public key only.
    pub server_key: ServerKey,
    /// The crash sweep started with the server, running in the background.
    pub startup_sweep: SweepTask,
    /// This server's Prometheus metrics (served on `[metrics] listen` only).
    pub metrics: Metrics,
    /// The owners' listings this server has built, each kept at the papers version it
    /// was built at (`http::paper_list`).
    pub listings: Arc<ListingCache>,
}

impl AppState {
    /// The retention job of this server (`serve` runs it every `[retention]
    /// interval_minutes`; tests call its `run_once`).
    pub fn retention(&self) -> Retention {
        Retention::new(
            self.store.clone(),
            self.clock.clone(),
            self.config.retention.clone(),
            self.config.sessions.clone(),
        )
        .with_metrics(self.metrics.clone())
        .with_blobs(self.blobs.clone())
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Blobs(#[from] BlobError),
    #[error("invalid response header from configuration: {0}")]
    Header(#[from] axum::http::header::InvalidHeaderValue),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
}

/// Installs ring as the process-wide TLS provider (once; later calls are no-ops).
pub fn install_crypto_provider() {
    // Err means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Connects to the database, applies migrations and makes sure the instance row and its
/// server key exist (the key made here on first start, then read back: replicas share it).
/// Refuses a database whose schema is newer than this binary ([`StoreError::SchemaTooNew`]).
pub async fn open_store(
    config: &Config,
    clock: &SharedClock,
) -> Result<(SharedStore, Instance, ServerKey), StoreError> {
    let store = db::connect(&config.database()).await?;
    store.migrate().await?;
    let candidate = Instance {
        id: InstanceId::random(),
        created_at: clock.now(),
        schema_version: store.latest_migration(),
    };
    let instance = store.ensure_instance(&candidate).await?;
    if instance.schema_version > store.latest_migration() {
        // A newer replica migrated after our own migration step: do not run on its schema.
        let error = StoreError::SchemaTooNew {
            database: instance.schema_version,
            binary: store.latest_migration(),
        };
        store.close().await;
        return Err(error);
    }
    let server_key = store.ensure_server_key(&ServerKey::generate()).await?;
    Ok((store, instance, server_key))
}

/// Opens the blob store and starts sweeping what a crash may have left, in the
/// background: a large store does not hold up the start (a failure is logged, not fatal:
/// the health check reports a store that does not answer).
pub async fn open_blobs(
    config: &Config,
    store: SharedStore,
    clock: SharedClock,
) -> Result<(BlobService, SweepTask), BlobError> {
    Ok(start_blobs(
        blobs::open_backend(config)?,
        store,
        clock,
        &Metrics::new(),
    ))
}

/// [`open_blobs`] on a backend already opened.
fn start_blobs(
    backend: BlobBackend,
    store: SharedStore,
    clock: SharedClock,
    metrics: &Metrics,
) -> (BlobService, SweepTask) {
    let service = BlobService::new(backend, store, clock).with_metrics(metrics.clone());
    let sweep = service.spawn_sweep(ORPHAN_GRACE);
    (service, sweep)
}

/// Everything `serve` opens before it accepts connections. A caller that binds port 0
/// puts the bound address in `config.listen` first, so the default origin has the port.
pub async fn open(config: Config, clock: SharedClock) -> Result<AppState, StartError> {
    open_with_backend(config, clock, blobs::open_backend).await
}

/// [`open`], with the blob backend made by `backend` (called where `open` opens the one
/// the configuration names) rather than by [`blobs::open_backend`]: for an embedder with
/// an object store of its own, or a test that controls the store.
pub async fn open_with_backend(
    config: Config,
    clock: SharedClock,
    backend: impl FnOnce(&Config) -> Result<BlobBackend, BlobError>,
) -> Result<AppState, StartError> {
    install_crypto_provider();
    let (store, instance, server_key) = open_store(&config, &clock).await?;
    let metrics = Metrics::new();
    let (blobs, startup_sweep) =
        start_blobs(backend(&config)?, store.clone(), clock.clone(), &metrics);
    tracing::info!(
        instance = %instance.id,
        schema = instance.schema_version,
        server_key = %server_key.public_key().to_b64(),
        "{}",
        config.summary()
    );
    Ok(AppState {
        origin: config.instance_origin(),
        config: Arc::new(config),
        store,
        blobs,
        clock,
        instance,
        server_key,
        listings: Arc::new(ListingCache::default()),
        startup_sweep,
        metrics,
    })
}
