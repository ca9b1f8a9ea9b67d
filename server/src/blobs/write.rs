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
        let (size, sha256) = self
            .write_here(
                id,
                body.map(|chunk| chunk.map_err(BlobError::Body)),
                None,
                Durability::Synced,
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
        let (size, sha256) = self
            .write_here(id, body, expected, Durability::Synced)
            .await?;
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

    /// Writes one chunk of an upload like [`Self::write_unrecorded`], but without waiting
    /// for the disk on a `file://` store: no fsync of the file nor of its directory.
    ///
    /// A chunk is never a paper: the commit joins the chunks into the content object, which
    /// is written with its fsyncs (file and directory) before its row is committed and the
    /// `201` sent, and checks each chunk against its recorded size and hash on the way. So a
    /// power cut can lose the chunks of uploads under way (the commit then asks for them
    /// again, or the upload expires), never an acknowledged paper; a process crash loses
    /// nothing, the kernel holds the bytes. Fsyncing each chunk cost two fsyncs per 256 KiB.
    #[tracing::instrument(skip_all)]
    pub async fn write_chunk<S>(&self, body: S) -> Result<BlobRecord, BlobError>
    where
        S: Stream<Item = Result<Bytes, BlobError>> + Send,
    {
        let id = BlobId::random();
        let (size, sha256) = self.write_here(id, body, None, Durability::Cached).await?;
        if self.backend.local_root.is_some() {
            self.written_here.insert(id);
        }
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

    /// Makes the object of an upload's only chunk (committed blob `chunk`) the content of a
    /// paper, which must be exactly `expected`, without copying it: `Ok(None)` if the chunk's
    /// recorded size and SHA-256 (computed as it arrived) are not `expected` — the bytes
    /// sent were not the signed ones —, [`BlobError::Corrupt`] or
    /// [`BlobError::MissingObject`] (naming `chunk`) if its object is no longer those bytes.
    ///
    /// On a `file://` store the chunk was written without a sync ([`Self::write_chunk`]);
    /// here its file and directory are fsynced, so the content is on disk before the caller
    /// commits the paper. Its bytes are read again and hashed first unless this very process
    /// wrote it ([`WrittenHere`]). Another store's `PUT` is durable when it returns.
    pub async fn adopt_chunk(
        &self,
        chunk: BlobId,
        expected: Expected,
    ) -> Result<Option<BlobRecord>, BlobError> {
        let record = match self.record(chunk).await {
            Ok(record) => record,
            Err(BlobError::NotFound) => return Err(BlobError::MissingObject(chunk)),
            Err(e) => return Err(e),
        };
        if record.size != expected.size || record.sha256 != expected.sha256 {
            return Ok(None);
        }
        let Some(root) = &self.backend.local_root else {
            return Ok(Some(record));
        };
        if !self.written_here.take(chunk) {
            let (size, sha256) = super::digest_object(self.objects(), chunk).await?;
            if size != record.size || sha256 != record.sha256 {
                return Err(BlobError::Corrupt(chunk));
            }
        }
        let place = Place::of(root, chunk);
        tokio::task::spawn_blocking(move || -> io::Result<()> {
            std::fs::File::open(&place.dest)?.sync_all()?;
            std::fs::File::open(&place.dir)?.sync_all()
        })
        .await
        .map_err(|e| local_error(io::Error::other(e)))?
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => BlobError::MissingObject(chunk),
            _ => local_error(e),
        })?;
        Ok(Some(record))
    }

    /// Writes the object of `id` in this service's store: a `file://` store streams it into
    /// a staged file ([`write_local`]), any other through `object_store` ([`write_object`]).
    async fn write_here<S>(
        &self,
        id: BlobId,
        body: S,
        expected: Option<Expected>,
        durability: Durability,
    ) -> Result<(u64, Sha256Digest), BlobError>
    where
        S: Stream<Item = Result<Bytes, BlobError>> + Send,
    {
        match &self.backend.local_root {
            Some(root) => {
                // An upload's chunk is a request body; the other writes, the server's copies.
                let capacity = match durability {
                    Durability::Cached => BODY_BUFFER,
                    Durability::Synced => COPY_BUFFER,
                };
                write_local(root, id, body, expected, durability, capacity).await
            }
            None => write_object(self.objects(), id, body, expected).await,
        }
    }

    /// Removes an object [`Self::write_unrecorded`] wrote and nothing recorded (best
    /// effort: the sweep removes it after the grace period otherwise).
    pub async fn discard_unrecorded(&self, id: BlobId) {
        self.written_here.take(id);
        if let Err(e) = self.objects().delete(&object_path(id)).await {
            tracing::warn!(blob = %id, error = %e, "unrecorded object left to the sweep");
        }
    }

    /// Removes the objects and rows of blobs a transaction marked `deleting`. A failure is
    /// logged and left to the start-up sweep, which finishes `deleting` rows.
    ///
    /// The rows go in one transaction: a commit lets go of all its chunks at once, and a
    /// transaction each was one database fsync per chunk before the `201`.
    pub async fn finish_deletions(&self, ids: &[BlobId]) {
        let mut gone = Vec::with_capacity(ids.len());
        for id in ids {
            self.written_here.take(*id);
            match self.objects().delete(&object_path(*id)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => gone.push(*id),
                Err(e) => tracing::warn!(blob = %id, error = %e, "deletion left to the sweep"),
            }
        }
        if let Err(e) = self.store.remove_blobs(&gone).await {
            tracing::warn!(blobs = gone.len(), error = %e, "deletions left to the sweep");
        }
    }

    /// Writes a blob held in memory.
    pub async fn put_bytes(&self, bytes: impl Into<Bytes>) -> Result<BlobRecord, BlobError> {
        let bytes: Bytes = bytes.into();
        self.put_stream(futures::stream::iter([Ok(bytes)])).await
    }
}

/// The upload chunks this process wrote to a `file://` store (without a sync) and still
/// holds: their bytes are in the kernel's page cache exactly as they were hashed on the way
/// in, since a power cut, the one thing that could take them, would have ended this
/// process too. A chunk adopted as a paper's content ([`BlobService::adopt_chunk`]) need
/// not be read again then, only fsynced. Bounded: past [`WrittenHere::MAX`] chunks under
/// way, the next are not remembered and are read again at adoption.
#[derive(Debug, Default)]
pub(super) struct WrittenHere(std::sync::Mutex<std::collections::HashSet<BlobId>>);

impl WrittenHere {
    /// Chunks remembered at most (16 bytes each).
    const MAX: usize = 1 << 16;

    fn insert(&self, id: BlobId) {
        let mut set = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if set.len() < Self::MAX {
            set.insert(id);
        }
    }

    /// Whether `id` was remembered (and is not any more).
    fn take(&self, id: BlobId) -> bool {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&id)
    }
}

/// Whether a local write waits for the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Durability {
    /// The file's bytes, then its directory entry, fsynced before the write returns.
    Synced,
    /// Left to the kernel (an upload's chunk: [`BlobService::write_chunk`]).
    Cached,
}

/// Bytes gathered before each write to a local file, for a request body (an upload's chunk):
/// a body comes in frames of a few KiB to a few hundred, and each write is a trip to the
/// blocking pool — two thread wake-ups, which cost a virtual machine's core a lot: a 10 MB
/// chunk waited 8-9 ms for its writes in 128 KiB buffers, 1 ms in 512 KiB ones (BENCHMARKS.md
/// section 10). A body no larger is written only once it has all arrived, so a cut connection
/// leaves no file. Two such buffers per write: one fills while the other is written. Only the
/// bytes a body fills are resident (a 256 KiB chunk holds 256 KiB).
const BODY_BUFFER: usize = 512 * 1024;

/// The same for the server's own copies (a commit joining chunks, a backup, a restore), which
/// fill their buffers whole: two of 512 KiB per commit took the peak memory of 50 concurrent
/// 50 MB uploads to 115 MB, two of 128 KiB keep it at 89 MB.
const COPY_BUFFER: usize = 128 * 1024;

/// Writes the object of blob `id` under `root` (a `file://` store, `object_store`'s layout:
/// `root/XX/ID`) from `body`, as the bytes come: memory stays two buffers of `capacity` whatever
/// the object's size, where `object_store`'s multipart writer holds parts of 5 MiB. The bytes
/// go to a staged file (`ID#DIGITS`, the name the sweep knows; removed if the write fails or
/// is dropped), renamed into place once complete (and, [`Durability::Synced`], fsynced
/// before and its directory after), so the object is visible only whole. `expected` as in
/// [`write_object`]: other bytes are [`BlobError::Corrupt`] and nothing is left.
///
/// The bytes are hashed as they come (on the runtime's thread: a 10 MB body's hash in the
/// blocking pool's writes made them the slower side), and a full buffer is written on the
/// blocking pool while the next one fills (one write in flight at a time); it is sent only
/// when more bytes come, and the last one together with the file's creation (for
/// an object of one buffer: a small chunk), its fsync, rename and its directory's fsync, in
/// one trip to the blocking pool: a small chunk is one trip, not four (the fan-out
/// directory's check, the file's creation, its write, its rename).
async fn write_local<S>(
    root: &std::path::Path,
    id: BlobId,
    body: S,
    expected: Option<Expected>,
    durability: Durability,
    capacity: usize,
) -> Result<(u64, Sha256Digest), BlobError>
where
    S: Stream<Item = Result<Bytes, BlobError>> + Send,
{
    let name = id.to_string();
    let place = Place::of(root, id);
    let mut staged = Staged(Some(
        place.dir.join(format!("{name}#{}", rand::random::<u32>())),
    ));
    let mut body = std::pin::pin!(body);
    let mut size: u64 = 0;
    // Each buffer is filled to exactly its capacity, never grown, and moved to the blocking
    // pool for its write and back: no copy of it per write (`tokio::fs::File` copies each
    // write into a buffer of its own), no allocation per write. The file travels with the
    // buffer in flight.
    let mut buffer: Vec<u8> = Vec::with_capacity(capacity);
    let mut hasher = Sha256::new();
    let mut writer = Writer::Idle(Written {
        file: None,
        buffer: Vec::new(),
    });
    while let Some(chunk) = body.next().await.transpose()? {
        hasher.update(&chunk);
        size += chunk.len() as u64;
        if expected.is_some_and(|e| size > e.size) {
            return Err(BlobError::Corrupt(id));
        }
        let mut rest: &[u8] = &chunk;
        while !rest.is_empty() {
            if buffer.len() == capacity {
                let mut written = writer.settle().await?;
                // The buffer the last write emptied, or (the first time) a new one.
                let next = match std::mem::take(&mut written.buffer) {
                    old if old.capacity() > 0 => old,
                    _ => Vec::with_capacity(capacity),
                };
                let full = std::mem::replace(&mut buffer, next);
                let (place, path) = (place.clone(), staged.path()?);
                writer = Writer::Busy(tokio::task::spawn_blocking(move || {
                    written.write(&place, &path, full)
                }));
            }
            let take = rest.len().min(capacity - buffer.len());
            buffer.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
        }
    }
    let written = writer.settle().await?;
    let path = staged.path()?;
    let digest = tokio::task::spawn_blocking(move || -> Result<Sha256Digest, BlobError> {
        let Written { file, .. } = written;
        let digest = Sha256Digest(hasher.finalize().into());
        check_expected(id, size, digest, expected)?;
        // An empty object is a file too.
        let mut open = match file {
            Some(open) => open,
            None => place.create(&path).map_err(local_error)?,
        };
        let finish = || -> io::Result<()> {
            io::Write::write_all(&mut open, &buffer)?;
            if durability == Durability::Synced {
                open.sync_all()?;
            }
            drop(open);
            std::fs::rename(&path, &place.dest)?;
            if durability == Durability::Synced {
                std::fs::File::open(&place.dir)?.sync_all()?;
            }
            Ok(())
        };
        finish().map_err(local_error)?;
        Ok(digest)
    })
    .await
    .map_err(|e| local_error(io::Error::other(e)))??;
    staged.published();
    Ok((size, digest))
}

/// What a local write carries from one buffer's write to the next: the staged file once
/// created, and the buffer just written (emptied, for reuse).
struct Written {
    file: Option<std::fs::File>,
    buffer: Vec<u8>,
}

impl Written {
    /// Writes `buffer` to the staged file `path` (created first if need be).
    /// Blocking.
    fn write(
        mut self,
        place: &Place,
        path: &std::path::Path,
        mut buffer: Vec<u8>,
    ) -> io::Result<Self> {
        let mut file = match self.file.take() {
            Some(file) => file,
            None => place.create(path)?,
        };
        io::Write::write_all(&mut file, &buffer)?;
        buffer.clear();
        Ok(Self {
            file: Some(file),
            buffer,
        })
    }
}

/// A local write's writer: idle between buffers, or writing one on the blocking pool.
enum Writer {
    Idle(Written),
    Busy(tokio::task::JoinHandle<io::Result<Written>>),
}

impl Writer {
    /// The writer once its buffer is written.
    async fn settle(self) -> Result<Written, BlobError> {
        match self {
            Self::Idle(written) => Ok(written),
            Self::Busy(task) => task
                .await
                .map_err(|e| local_error(io::Error::other(e)))?
                .map_err(local_error),
        }
    }
}

/// Where a local object goes: the store's root, its fan-out directory, its file.
#[derive(Clone, Debug)]
struct Place {
    root: std::path::PathBuf,
    dir: std::path::PathBuf,
    dest: std::path::PathBuf,
}

impl Place {
    /// Where the object of blob `id` goes under `root`.
    fn of(root: &std::path::Path, id: BlobId) -> Self {
        let name = id.to_string();
        let dir = root.join(&name[..2]);
        Self {
            root: root.to_path_buf(),
            dest: dir.join(&name),
            dir,
        }
    }

    /// Creates the staged file `path` (private, new), in the fan-out directory made
    /// durable first ([`durable_fanout_dir`]). Blocking.
    fn create(&self, path: &std::path::Path) -> io::Result<std::fs::File> {
        use std::os::unix::fs::OpenOptionsExt;
        durable_fanout_dir(&self.root, &self.dir)?;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(crate::private_fs::PRIVATE_FILE_MODE)
            .open(path)
    }
}

/// A staged file being written: removed when dropped before it is published.
struct Staged(Option<std::path::PathBuf>);

impl Staged {
    fn path(&self) -> Result<std::path::PathBuf, BlobError> {
        self.0
            .clone()
            .ok_or_else(|| local_error(io::Error::other("staged file already published")))
    }

    fn published(&mut self) {
        self.0 = None;
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let remove = move || match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!(error = %e, "staged file left to the sweep"),
            };
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => drop(runtime.spawn_blocking(remove)),
                Err(_) => remove(),
            }
        }
    }
}

fn local_error(e: io::Error) -> BlobError {
    BlobError::Storage(object_store::Error::Generic {
        store: "LocalFileSystem",
        source: Box::new(e),
    })
}

/// Makes sure the fan-out directory `dir` under `root` exists and is on disk (created, then
/// it and the root fsynced), so that a content object later fsynced into it is durable: the
/// unsynced chunk writes would otherwise create the directory without making its entry in
/// the root durable, and the content's own write finds it already there. Blocking.
fn durable_fanout_dir(root: &std::path::Path, dir: &std::path::Path) -> io::Result<()> {
    if std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
        return Ok(());
    }
    crate::private_fs::create_private_dir_all(dir)?;
    std::fs::File::open(dir)?.sync_all()?;
    std::fs::File::open(root)?.sync_all()
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
