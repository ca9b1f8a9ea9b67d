//! The start-up sweep runs in the background: the server is open and answers while the
//! sweep is still listing the blob store.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use coffre_server::blobs::{ORPHAN_GRACE, SweepReport, object_path};
use coffre_server::clock::ManualClock;
use coffre_server::domain::BlobId;
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use futures::StreamExt;
use futures::stream::BoxStream;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload, PutResult, Result,
};
use tokio::sync::{Notify, watch};
use tokio::time::timeout;

on_both_backends!(the_server_answers_while_the_startup_sweep_is_still_listing);

/// A failure guard only: every step below is ordered by the gate, never by waiting.
const BOUND: Duration = Duration::from_secs(30);

/// An in-memory store whose recursive `list` (what the sweep walks; the health check
/// lists with a delimiter) says it was called, then yields nothing until the gate opens.
#[derive(Debug)]
struct GatedListing {
    inner: InMemory,
    listing_started: Notify,
    gate: watch::Sender<bool>,
}

impl GatedListing {
    fn new() -> Self {
        Self {
            inner: InMemory::new(),
            listing_started: Notify::new(),
            gate: watch::channel(false).0,
        }
    }

    fn open_gate(&self) {
        self.gate.send_replace(true);
    }
}

impl fmt::Display for GatedListing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GatedListing({})", self.inner)
    }
}

#[async_trait]
impl ObjectStore for GatedListing {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> Result<PutResult> {
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        self.inner.put_multipart_opts(location, opts).await
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        self.inner.get_opts(location, options).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, Result<Path>>,
    ) -> BoxStream<'static, Result<Path>> {
        self.inner.delete_stream(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        let listing = self.inner.list(prefix);
        let mut gate = self.gate.subscribe();
        self.listing_started.notify_one();
        futures::stream::once(async move {
            // Only an error if the store (the sender) is gone: then list as usual.
            let _ = gate.wait_for(|open| *open).await;
            listing
        })
        .flatten()
        .boxed()
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
        self.inner.copy_opts(from, to, options).await
    }
}

async fn the_server_answers_while_the_startup_sweep_is_still_listing(env: TestEnv) {
    let objects = Arc::new(GatedListing::new());
    // An orphan (an object no row names) for the sweep to find once it may list.
    objects
        .inner
        .put(
            &object_path(BlobId::random()),
            PutPayload::from_static(b"orphan"),
        )
        .await
        .unwrap();
    let later = time::OffsetDateTime::now_utc() + ORPHAN_GRACE + time::Duration::minutes(1);

    let app = timeout(
        BOUND,
        TestApp::builder(env.config())
            .clock(Arc::new(ManualClock::new(later)))
            .blob_objects(objects.clone())
            .start(),
    )
    .await
    .expect("the server opens without waiting for the start-up sweep");
    timeout(BOUND, objects.listing_started.notified())
        .await
        .expect("the start-up sweep lists the store");

    // The sweep is blocked in its listing until the gate opens; the server serves anyway.
    let health = timeout(BOUND, app.get("/api/health"))
        .await
        .expect("health answers while the sweep is still listing");
    assert_eq!(health.status(), 200);

    objects.open_gate();
    let report = timeout(BOUND, app.state.startup_sweep.wait())
        .await
        .expect("the sweep ends once it may list")
        .expect("a start-up sweep")
        .unwrap();
    assert_eq!(
        report,
        SweepReport {
            orphans_removed: 1,
            ..SweepReport::default()
        }
    );
    app.stop().await;
}
