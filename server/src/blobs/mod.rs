//! Blob storage: ciphertext objects under random ids, in a local directory or an
//! S3-compatible bucket (through `object_store`), recorded in the database.
//!
//! Writes are two-phase: the object is written atomically (visible only once complete),
//! then its row is committed. A row therefore always names a complete object; an object
//! without a row is an orphan, removed by [`BlobService::sweep`] after a grace period.

mod backend;
mod sweep;
pub mod write;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{GetResult, GetResultPayload, ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use crate::clock::SharedClock;
use crate::db::{SharedStore, StoreError};
use crate::domain::{BlobId, BlobRecord, BlobState, Sha256Digest};

pub use backend::{BlobBackend, open_backend};
pub use sweep::{SweepReport, SweepTask};

/// How long an object without a row is left alone: a write on another replica may be
/// between its two phases.
pub const ORPHAN_GRACE: time::Duration = time::Duration::hours(1);

/// Bytes read from a local object at a time. `object_store` reads files 8 KiB at a time, each
/// read a trip to the blocking pool: a 10 MB download was 1,250 of them.
pub const READ_CHUNK: usize = 256 * 1024;

/// Health checks give up after this long.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a blob operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BlobError {
    #[error("no such blob")]
    NotFound,
    #[error("invalid blob store configuration: {0}")]
    Config(String),
    #[error("reading the upload failed")]
    Body(#[source] io::Error),
    #[error("blob {0} is recorded but its object is missing")]
    MissingObject(BlobId),
    #[error("blob {0} does not match its recorded size or hash")]
    Corrupt(BlobId),
    #[error("blob storage failed")]
    Storage(#[from] object_store::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("blob storage did not answer in time")]
    Timeout,
}

/// A stream of a blob's bytes. It ends with an error if the object does not match its
/// recorded size and SHA-256: callers must not trust bytes before the stream ended well.
pub type BlobStream = BoxStream<'static, Result<Bytes, BlobError>>;

/// Blob operations over one object store and one database.
#[derive(Debug, Clone)]
pub struct BlobService {
    backend: Arc<BlobBackend>,
    store: SharedStore,
    clock: SharedClock,
    /// Where bytes in and out and sweep runs are counted, if anywhere.
    metrics: Option<crate::metrics::Metrics>,
}

/// The object name of a blob: a two-character fan-out directory, then the id.
pub fn object_path(id: BlobId) -> ObjectPath {
    let name = id.to_string();
    ObjectPath::from_iter([&name[..2], name.as_str()])
}

/// The bytes of an object `get` found: a local file read [`READ_CHUNK`] bytes at a time,
/// any other store's stream as it comes.
fn object_stream(result: GetResult) -> BlobStream {
    let range = result.range.clone();
    match result.payload {
        GetResultPayload::File(file, _) => {
            let opened = async move {
                let mut file = tokio::fs::File::from_std(file);
                if range.start > 0 {
                    file.seek(io::SeekFrom::Start(range.start)).await?;
                }
                let limited = file.take(range.end.saturating_sub(range.start));
                Ok::<_, io::Error>(ReaderStream::with_capacity(limited, READ_CHUNK))
            };
            futures::stream::once(opened)
                .try_flatten()
                .map_err(|e| {
                    BlobError::Storage(object_store::Error::Generic {
                        store: "LocalFileSystem",
                        source: Box::new(e),
                    })
                })
                .boxed()
        }
        GetResultPayload::Stream(stream) => stream.map_err(BlobError::from).boxed(),
    }
}

/// The raw bytes of blob `id`'s object in `objects`, unchecked: for copies and `coffre
/// verify`, which check them against what they expect ([`BlobError::MissingObject`] if
/// there is no such object).
pub async fn read_object(
    objects: &Arc<dyn ObjectStore>,
    id: BlobId,
) -> Result<BlobStream, BlobError> {
    match objects.get(&object_path(id)).await {
        Ok(result) => Ok(object_stream(result)),
        Err(object_store::Error::NotFound { .. }) => Err(BlobError::MissingObject(id)),
        Err(e) => Err(e.into()),
    }
}

/// The size and SHA-256 of blob `id`'s object, streamed.
pub async fn digest_object(
    objects: &Arc<dyn ObjectStore>,
    id: BlobId,
) -> Result<(u64, Sha256Digest), BlobError> {
    let mut stream = read_object(objects, id).await?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        size += chunk.len() as u64;
        hasher.update(&chunk);
    }
    Ok((size, Sha256Digest(hasher.finalize().into())))
}

/// Copies blob `id`'s object from `from` to `to`, checked against `expected` as the bytes
/// flow: a wrong or truncated object is [`BlobError::Corrupt`] and nothing is written.
pub async fn copy_object(
    from: &Arc<dyn ObjectStore>,
    to: &Arc<dyn ObjectStore>,
    id: BlobId,
    expected: write::Expected,
) -> Result<(), BlobError> {
    let source = read_object(from, id).await?;
    write::write_object(to, id, source, Some(expected)).await?;
    Ok(())
}

impl BlobService {
    pub fn new(backend: BlobBackend, store: SharedStore, clock: SharedClock) -> Self {
        Self {
            backend: Arc::new(backend),
            store,
            clock,
            metrics: None,
        }
    }

    /// Counts blob bytes written and read, and sweep runs, in `metrics`.
    pub fn with_metrics(mut self, metrics: crate::metrics::Metrics) -> Self {
        self.metrics = Some(metrics);
        self
    }

    fn objects(&self) -> &Arc<dyn ObjectStore> {
        &self.backend.objects
    }

    /// Checks that the object store answers (lists its top level).
    #[tracing::instrument(skip_all)]
    pub async fn check(&self) -> Result<(), BlobError> {
        tokio::time::timeout(HEALTH_TIMEOUT, self.objects().list_with_delimiter(None))
            .await
            .map_err(|_| BlobError::Timeout)??;
        Ok(())
    }

    /// The committed blob `id`, if any.
    pub async fn record(&self, id: BlobId) -> Result<BlobRecord, BlobError> {
        match self.store.blob(id).await? {
            Some(record) if record.state == BlobState::Committed => Ok(record),
            _ => Err(BlobError::NotFound),
        }
    }

    /// Committed blobs, oldest first, at most `limit`.
    pub async fn list(&self, limit: u32) -> Result<Vec<BlobRecord>, BlobError> {
        Ok(self
            .store
            .blobs_in_state(BlobState::Committed, limit)
            .await?)
    }

    /// Streams a committed blob, checking its size and SHA-256 on the way.
    #[tracing::instrument(skip_all, fields(blob = %id))]
    pub async fn get_stream(&self, id: BlobId) -> Result<(BlobRecord, BlobStream), BlobError> {
        let record = self.record(id).await?;
        let result = match self.objects().get(&object_path(id)).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Err(BlobError::MissingObject(id)),
            Err(e) => return Err(e.into()),
        };
        let verify = Verify {
            inner: object_stream(result),
            hasher: Sha256::new(),
            seen: 0,
            expected: record.clone(),
            metrics: self.metrics.clone(),
        };
        let checked = futures::stream::try_unfold(verify, |mut v| async move {
            match v.inner.next().await {
                Some(chunk) => {
                    let chunk = chunk?;
                    v.seen += chunk.len() as u64;
                    if v.seen > v.expected.size {
                        return Err(BlobError::Corrupt(v.expected.id));
                    }
                    v.hasher.update(&chunk);
                    if let Some(metrics) = &v.metrics {
                        metrics.blob_bytes_out(chunk.len() as u64);
                    }
                    Ok(Some((chunk, v)))
                }
                None if v.seen == v.expected.size
                    && v.hasher.finalize().as_slice() == v.expected.sha256.0 =>
                {
                    Ok(None)
                }
                None => Err(BlobError::Corrupt(v.expected.id)),
            }
        });
        Ok((record, checked.boxed()))
    }

    /// The bytes of blob `id`'s object checked against `size` only (the caller's record of
    /// it): an upload's chunks as the commit joins them, whose joined bytes are checked
    /// against the signed size and SHA-256 (so each chunk's own hash is not computed again;
    /// [`Self::matches_record`] finds a damaged one after a mismatch). A missing object is
    /// [`BlobError::MissingObject`], another length [`BlobError::Corrupt`].
    pub async fn get_sized_stream(&self, id: BlobId, size: u64) -> Result<BlobStream, BlobError> {
        let inner = read_object(self.objects(), id).await?;
        let metrics = self.metrics.clone();
        let sized = futures::stream::try_unfold((inner, 0u64), move |(mut inner, seen)| {
            let metrics = metrics.clone();
            async move {
                match inner.next().await {
                    Some(chunk) => {
                        let chunk = chunk?;
                        let seen = seen + chunk.len() as u64;
                        if seen > size {
                            return Err(BlobError::Corrupt(id));
                        }
                        if let Some(metrics) = &metrics {
                            metrics.blob_bytes_out(chunk.len() as u64);
                        }
                        Ok(Some((chunk, (inner, seen))))
                    }
                    None if seen == size => Ok(None),
                    None => Err(BlobError::Corrupt(id)),
                }
            }
        });
        Ok(sized.boxed())
    }

    /// Whether committed blob `id`'s object is exactly its recorded size and SHA-256
    /// ([`BlobError::MissingObject`] if it is gone).
    pub async fn matches_record(&self, id: BlobId) -> Result<bool, BlobError> {
        let record = self.record(id).await?;
        let (size, sha256) = digest_object(self.objects(), id).await?;
        Ok(size == record.size && sha256 == record.sha256)
    }

    /// Reads a whole committed blob into memory (small blobs, tests, self-test).
    pub async fn get_bytes(&self, id: BlobId) -> Result<Vec<u8>, BlobError> {
        let (record, mut stream) = self.get_stream(id).await?;
        let mut out = Vec::with_capacity(usize::try_from(record.size).unwrap_or(0));
        while let Some(chunk) = stream.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Deletes a blob: marks its row, removes the object, removes the row. A crash in
    /// between leaves a `deleting` row that the sweeper finishes.
    #[tracing::instrument(skip_all, fields(blob = %id))]
    pub async fn delete(&self, id: BlobId) -> Result<(), BlobError> {
        if !self.store.mark_blob_deleting(id).await? {
            return Err(BlobError::NotFound);
        }
        self.finish_delete(id).await
    }

    async fn finish_delete(&self, id: BlobId) -> Result<(), BlobError> {
        match self.objects().delete(&object_path(id)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        self.store.remove_blob(id).await?;
        Ok(())
    }
}

/// State of a download being checked against its record.
struct Verify {
    inner: BoxStream<'static, Result<Bytes, BlobError>>,
    hasher: Sha256,
    seen: u64,
    expected: BlobRecord,
    metrics: Option<crate::metrics::Metrics>,
}

#[cfg(test)]
mod tests;
