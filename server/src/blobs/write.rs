//! Streaming writes: object first (atomic), row second; and checked copies of an object
//! from one store to another (backup, restore).

use std::io;
use std::sync::Arc;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};

use super::{BlobError, BlobService, object_path};
use crate::domain::{BlobId, BlobRecord, BlobState, Sha256Digest};

/// Up to this size a blob is written with one request; above it, in parts. (S3 parts
/// must be at least 5 MiB, except the last.)
pub const PART_SIZE: usize = 5 * 1024 * 1024;
/// Parts being uploaded at once per blob.
const MAX_PARTS_IN_FLIGHT: usize = 2;

impl BlobService {
    /// Writes a blob from a stream of chunks under a fresh random id, then records it.
    ///
    /// The object becomes visible only once complete; if the stream fails, or this
    /// future is dropped, the partial upload is aborted (a crash leaves it to
    /// [`BlobService::sweep`]).
    #[tracing::instrument(skip_all)]
    pub async fn put_stream<S>(&self, body: S) -> Result<BlobRecord, BlobError>
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send,
    {
        let id = BlobId::random();
        let (size, sha256) = write_object(
            self.objects(),
            id,
            body.map(|chunk| chunk.map_err(BlobError::Body)),
            None,
        )
        .await?;
        let record = BlobRecord {
            id,
            size,
            sha256,
            created_at: self.clock.now(),
            state: BlobState::Committed,
        };
        if let Err(e) = self.store.insert_blob(&record).await {
            // Best effort: otherwise the sweeper removes the orphan later.
            if let Err(cleanup) = self.objects().delete(&object_path(id)).await {
                tracing::warn!(error = %cleanup, "could not remove an uncommitted object");
            }
            return Err(e.into());
        }
        if let Some(metrics) = &self.metrics {
            metrics.blob_bytes_in(size);
        }
        tracing::debug!(blob = %id, size, "blob committed");
        Ok(record)
    }

    /// Writes an object under a fresh random id and returns the record to commit, without
    /// recording it: the caller inserts the row in its own transaction (a paper with its
    /// journal entry). Until then it is an orphan, which the sweep removes after
    /// [`super::ORPHAN_GRACE`] if the caller never records it.
    #[tracing::instrument(skip_all)]
    /// With `expected`, other bytes are [`BlobError::Corrupt`] and no object is left.
    pub async fn write_unrecorded<S>(
        &self,
        body: S,
        expected: Option<Expected>,
    ) -> Result<BlobRecord, BlobError>
    where
        S: Stream<Item = Result<Bytes, BlobError>> + Send,
    {
        let id = BlobId::random();
        let (size, sha256) = write_object(self.objects(), id, body, expected).await?;
        if let Some(metrics) = &self.metrics {
            metrics.blob_bytes_in(size);
        }
        Ok(BlobRecord {
            id,
            size,
            sha256,
            created_at: self.clock.now(),
            state: BlobState::Committed,
        })
    }

    /// Removes an object [`Self::write_unrecorded`] wrote and nothing recorded (best
    /// effort: the sweep removes it after the grace period otherwise).
    pub async fn discard_unrecorded(&self, id: BlobId) {
        if let Err(e) = self.objects().delete(&object_path(id)).await {
            tracing::warn!(blob = %id, error = %e, "unrecorded object left to the sweep");
        }
    }

    /// Removes the objects and rows of blobs a transaction marked `deleting`. A failure is
    /// logged and left to the start-up sweep, which finishes `deleting` rows.
    pub async fn finish_deletions(&self, ids: &[BlobId]) {
        for id in ids {
            if let Err(e) = self.finish_delete(*id).await {
                tracing::warn!(blob = %id, error = %e, "deletion left to the sweep");
            }
        }
    }

    /// Writes a blob held in memory.
    pub async fn put_bytes(&self, bytes: impl Into<Bytes>) -> Result<BlobRecord, BlobError> {
        let bytes: Bytes = bytes.into();
        self.put_stream(futures::stream::iter([Ok(bytes)])).await
    }
}

/// What a copied object must be: its recorded size and SHA-256.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    pub size: u64,
    pub sha256: Sha256Digest,
}

/// Writes the object of blob `id` from `body`, atomically (one PUT up to [`PART_SIZE`],
/// multipart above), and returns its size and SHA-256, computed on the way.
///
/// With `expected` (a copy: backup, restore), the bytes must be exactly those: a longer
/// body stops the write at once, and a wrong size or hash is found before the object is
/// made visible (the single PUT is not sent, the multipart upload is aborted), so a copy
/// never leaves a wrong object behind; the error is [`BlobError::Corrupt`].
pub async fn write_object<S>(
    objects: &Arc<dyn ObjectStore>,
    id: BlobId,
    body: S,
    expected: Option<Expected>,
) -> Result<(u64, Sha256Digest), BlobError>
where
    S: Stream<Item = Result<Bytes, BlobError>> + Send,
{
    let mut body = std::pin::pin!(body);
    let path = object_path(id);
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let too_long = |size: u64| expected.is_some_and(|e| size > e.size);

    // Gather the first part: a small blob is one atomic PUT.
    let mut first: Vec<Bytes> = Vec::new();
    let mut buffered = 0usize;
    let mut ended = false;
    while buffered < PART_SIZE {
        match body.next().await {
            Some(chunk) => {
                let chunk = chunk?;
                hasher.update(&chunk);
                size += chunk.len() as u64;
                if too_long(size) {
                    return Err(BlobError::Corrupt(id));
                }
                buffered += chunk.len();
                first.push(chunk);
            }
            None => {
                ended = true;
                break;
            }
        }
    }

    if ended {
        let digest = Sha256Digest(hasher.finalize().into());
        check_expected(id, size, digest, expected)?;
        objects.put(&path, PutPayload::from_iter(first)).await?;
        return Ok((size, digest));
    }
    let upload = objects.put_multipart(&path).await?;
    let mut writer = AbortOnDrop(Some(WriteMultipart::new_with_chunk_size(upload, PART_SIZE)));
    for chunk in first {
        writer.put(chunk);
    }
    while let Some(chunk) = body.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                writer.abort().await;
                return Err(e);
            }
        };
        hasher.update(&chunk);
        size += chunk.len() as u64;
        if too_long(size) {
            writer.abort().await;
            return Err(BlobError::Corrupt(id));
        }
        if let Err(e) = writer.wait_for_capacity().await {
            writer.abort().await;
            return Err(e.into());
        }
        writer.put(chunk);
    }
    let digest = Sha256Digest(hasher.finalize().into());
    if let Err(e) = check_expected(id, size, digest, expected) {
        writer.abort().await;
        return Err(e);
    }
    writer.finish().await?;
    Ok((size, digest))
}

fn check_expected(
    id: BlobId,
    size: u64,
    sha256: Sha256Digest,
    expected: Option<Expected>,
) -> Result<(), BlobError> {
    match expected {
        Some(e) if e.size != size || e.sha256 != sha256 => Err(BlobError::Corrupt(id)),
        _ => Ok(()),
    }
}

/// A multipart upload that is aborted if dropped before `finish` (a client that goes
/// away must not leave an incomplete upload behind on S3).
struct AbortOnDrop(Option<WriteMultipart>);

impl AbortOnDrop {
    // The writer is present until `finish` or `abort` consume `self`.
    fn put(&mut self, chunk: Bytes) {
        if let Some(writer) = self.0.as_mut() {
            writer.put(chunk);
        }
    }

    async fn wait_for_capacity(&mut self) -> Result<(), object_store::Error> {
        match self.0.as_mut() {
            Some(writer) => writer.wait_for_capacity(MAX_PARTS_IN_FLIGHT).await,
            None => Ok(()),
        }
    }

    async fn abort(mut self) {
        if let Some(writer) = self.0.take()
            && let Err(e) = writer.abort().await
        {
            tracing::warn!(error = %e, "could not abort a multipart upload");
        }
    }

    async fn finish(mut self) -> Result<(), BlobError> {
        match self.0.take() {
            Some(writer) => writer.finish().await.map(|_| ()).map_err(BlobError::from),
            None => Ok(()),
        }
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(writer) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                if let Err(e) = writer.abort().await {
                    tracing::warn!(error = %e, "could not abort an abandoned multipart upload");
                }
            });
        }
    }
}
