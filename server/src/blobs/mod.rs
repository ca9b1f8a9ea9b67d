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

use crate::clock::SharedClock;
use crate::db::{SharedStore, StoreError};
use crate::domain::{BlobId, BlobRecord, BlobState, Sha256Digest};

pub use backend::{BlobBackend, open_backend};
pub use sweep::{SweepReport, SweepTask};

/// How long an object without a row is left alone: a write on another replica may be
/// between its two phases.
pub const ORPHAN_GRACE: time::Duration = time::Duration::hours(1);

/// Bytes read from a local object at a time. `object_store` reads files 8 KiB at a time, each
/// read a trip to the blocking pool: a 10 MB download was 1,250 of them. Under glibc's mmap
/// threshold (128 KiB, `malloc.rs`): a 256 KiB buffer was a fresh mapping each time.
pub const READ_CHUNK: usize = 64 * 1024;

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
    /// The upload chunks this process wrote to a `file://` store without a sync and has not
    /// let go of yet ([`write::WrittenHere`]).
    written_here: Arc<write::WrittenHere>,
}

/// The object name of a blob: a two-character fan-out directory, then the id.
pub fn object_path(id: BlobId) -> ObjectPath {
    let name = id.to_string();
    ObjectPath::from_iter([&name[..2], name.as_str()])
}

/// What a download is checked against as it is read: the blob's recorded size and SHA-256.
#[derive(Debug, Clone, Copy)]
struct Check {
    id: BlobId,
    size: u64,
    sha256: [u8; 32],
}

/// The bytes of an object `get` found: a local file read [`READ_CHUNK`] bytes at a time on
/// the blocking pool, any other store's stream as it comes. With `check`, the bytes are
/// hashed as they come and the stream ends with [`BlobError::Corrupt`] if they are not the
/// recorded ones (the caller must not trust bytes before the stream ended well).
fn object_stream(result: GetResult, check: Option<Check>) -> BlobStream {
    let range = result.range.clone();
    match result.payload {
        GetResultPayload::File(file, _) => file_stream(file, range, check),
        GetResultPayload::Stream(stream) => {
            let stream = stream.map_err(BlobError::from).boxed();
            match check {
                Some(check) => verified(stream, check),
                None => stream,
            }
        }
    }
}

/// Reads of [`READ_CHUNK`] bytes made in one trip to the blocking pool: a trip is a thread
/// handoff each way, and one per 64 KiB was most of a download's time beside the socket.
const READS_PER_TRIP: usize = 4;

/// A local file's bytes in `range`. Each trip to the blocking pool reads (and hashes)
/// [`READS_PER_TRIP`] chunks, and the next trip starts as soon as the first of them is handed
/// on: the disk and the hash run beside the socket's writes, not between them. A chunk is
/// under glibc's mmap threshold (`malloc.rs`), so its buffer comes from the heap, not a fresh
/// mapping; a download holds at most two trips' chunks.
fn file_stream(
    file: std::fs::File,
    range: std::ops::Range<u64>,
    check: Option<Check>,
) -> BlobStream {
    struct Reader {
        file: std::fs::File,
        left: u64,
        seen: u64,
        hasher: Option<(Check, Sha256)>,
    }
    type Trip = tokio::task::JoinHandle<(Reader, io::Result<Vec<Bytes>>)>;
    /// Reads the next chunks (none at the end of the range or of the file), hashed.
    fn read_next(mut r: Reader) -> (Reader, io::Result<Vec<Bytes>>) {
        use std::io::Read;
        let mut chunks = Vec::with_capacity(READS_PER_TRIP);
        while chunks.len() < READS_PER_TRIP && r.left > 0 {
            let want = r.left.min(READ_CHUNK as u64);
            let mut buf = Vec::with_capacity(want as usize);
            match (&mut r.file).take(want).read_to_end(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    r.left -= n as u64;
                    r.seen += n as u64;
                    if let Some((_, hasher)) = &mut r.hasher {
                        hasher.update(&buf);
                    }
                    chunks.push(Bytes::from(buf));
                }
                Err(e) => return (r, Err(e)),
            }
        }
        (r, Ok(chunks))
    }
    fn storage_error(e: io::Error) -> BlobError {
        BlobError::Storage(object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(e),
        })
    }
    /// Chunks read and not yet handed on; the trip under way, or the reader between trips.
    struct State {
        ready: std::collections::VecDeque<Bytes>,
        trip: Option<Trip>,
        idle: Option<Reader>,
    }
    let mut file = file;
    if range.start > 0
        && let Err(e) = std::io::Seek::seek(&mut file, io::SeekFrom::Start(range.start))
    {
        return futures::stream::once(async move { Err(storage_error(e)) }).boxed();
    }
    let reader = Reader {
        file,
        left: range.end.saturating_sub(range.start),
        seen: 0,
        hasher: check.map(|c| (c, Sha256::new())),
    };
    let first = State {
        ready: std::collections::VecDeque::new(),
        trip: Some(tokio::task::spawn_blocking(move || read_next(reader))),
        idle: None,
    };
    futures::stream::unfold(Some(first), |state| async move {
        let mut state = state?;
        loop {
            if let Some(chunk) = state.ready.pop_front() {
                if let Some(reader) = state.idle.take() {
                    state.trip = Some(tokio::task::spawn_blocking(move || read_next(reader)));
                }
                return Some((Ok(chunk), Some(state)));
            }
            let trip = state.trip.take()?;
            let (reader, read) = match trip.await {
                Ok(done) => done,
                Err(e) => return Some((Err(storage_error(io::Error::other(e))), None)),
            };
            let chunks = match read {
                Ok(chunks) => chunks,
                Err(e) => return Some((Err(storage_error(e)), None)),
            };
            if let Some((check, _)) = &reader.hasher
                && reader.seen > check.size
            {
                return Some((Err(BlobError::Corrupt(check.id)), None));
            }
            if chunks.is_empty() {
                // The end of the range, or of a file shorter than it.
                return match reader.hasher {
                    Some((check, hasher)) => (reader.seen != check.size
                        || hasher.finalize().as_slice() != check.sha256)
                        .then(|| (Err(BlobError::Corrupt(check.id)), None)),
                    None => None,
                };
            }
            state.ready.extend(chunks);
            state.idle = Some(reader);
        }
    })
    // A consumer may poll again after the end (a compressing body does).
    .fuse()
    .boxed()
}

/// `stream` checked against `check` as it flows: more bytes than recorded, fewer, or others
/// end it with [`BlobError::Corrupt`].
fn verified(stream: BlobStream, check: Check) -> BlobStream {
    futures::stream::try_unfold(
        (stream, Sha256::new(), 0u64),
        move |(mut inner, mut hasher, seen)| async move {
            match inner.next().await {
                Some(chunk) => {
                    let chunk = chunk?;
                    let seen = seen + chunk.len() as u64;
                    if seen > check.size {
                        return Err(BlobError::Corrupt(check.id));
                    }
                    hasher.update(&chunk);
                    Ok(Some((chunk, (inner, hasher, seen))))
                }
                None if seen == check.size && hasher.finalize().as_slice() == check.sha256 => {
                    Ok(None)
                }
                None => Err(BlobError::Corrupt(check.id)),
            }
        },
    )
    .boxed()
}

/// The raw bytes of blob `id`'s object in `objects`, unchecked: for copies and `coffre
/// verify`, which check them against what they expect ([`BlobError::MissingObject`] if
/// there is no such object).
pub async fn read_object(
    objects: &Arc<dyn ObjectStore>,
    id: BlobId,
) -> Result<BlobStream, BlobError> {
    match objects.get(&object_path(id)).await {
        Ok(result) => Ok(object_stream(result, None)),
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
            written_here: Arc::default(),
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
        let check = Check {
            id,
            size: record.size,
            sha256: record.sha256.0,
        };
        let metrics = self.metrics.clone();
        let checked = object_stream(result, Some(check)).inspect_ok(move |chunk| {
            if let Some(metrics) = &metrics {
                metrics.blob_bytes_out(chunk.len() as u64);
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

#[cfg(test)]
mod tests;
