//! The chunked upload path that the owner's uploads (`papers.rs`) and the deposits under a
//! mandate (`deposits.rs`) share: an upload announced against a coffre's quota, each chunk
//! checked against its size and recorded as a committed blob, and at commit the chunks
//! joined into the content object, which must be exactly the signed size and SHA-256.
//! Who may do each step, and what the statement must say, stays with each route.

use axum::body::Body;
use axum::http::StatusCode;
use futures::future::BoxFuture;
use futures::{StreamExt, TryStreamExt};
use uuid::Uuid;

use crate::app::AppState;
use crate::blobs::write::Expected;
use crate::blobs::{BlobError, BlobStream};
use crate::db::papers::{ChunkRecord, UploadRecord};
use crate::domain::{BlobRecord, CoffreId};
use crate::error::ApiError;
use crate::http::papers::{
    CHUNK_SIZE, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, NewUpload, UPLOAD_LIFETIME, UploadState,
};
use crate::http::session::unix_secs;

/// Where an upload stands, as both routes answer it.
pub(crate) fn state_of(upload: &UploadRecord, received: Vec<u64>) -> UploadState {
    UploadState {
        upload: upload.id,
        content_size: upload.content_size,
        chunk_size: upload.chunk_size,
        chunks: upload.chunk_count(),
        received,
        expires: unix_secs(upload.expires_at),
    }
}

/// Records a new upload of `content_size` bytes into `coffre`: refused if the paper is
/// larger than the instance allows or the coffre's papers and uploads under way would not
/// fit in its quota.
pub(crate) async fn announce(
    state: &AppState,
    coffre: CoffreId,
    req: &NewUpload,
) -> Result<UploadRecord, ApiError> {
    let content_size = req.content_size;
    let chunk_size = req.chunk_size.unwrap_or(CHUNK_SIZE);
    if !(MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&chunk_size) {
        return Err(ApiError::BadRequest(format!(
            "chunk_size must be between {MIN_CHUNK_SIZE} and {MAX_CHUNK_SIZE} bytes"
        )));
    }
    let limits = &state.config.limits;
    if content_size > limits.paper_max_bytes() {
        return Err(ApiError::PaperTooLarge {
            max: limits.paper_max_bytes(),
        });
    }
    let now = state.clock.now();
    let usage = state.store.usage(coffre, now).await?;
    let used = usage.papers + usage.reserved;
    if used.saturating_add(content_size) > limits.coffre_quota_bytes() {
        return Err(ApiError::QuotaExceeded {
            used,
            quota: limits.coffre_quota_bytes(),
        });
    }
    let upload = UploadRecord {
        id: Uuid::new_v4(),
        coffre,
        content_size,
        chunk_size,
        created_at: now,
        expires_at: now.saturating_add(UPLOAD_LIFETIME),
    };
    state
        .store
        .insert_upload(&upload)
        .await
        .map_err(|e| ApiError::from_insert(e, "upload id taken"))?;
    Ok(upload)
}

/// `upload` unless it has expired (`410`).
pub(crate) fn live(
    state: &AppState,
    upload: Option<UploadRecord>,
) -> Result<UploadRecord, ApiError> {
    let upload = upload.ok_or(ApiError::NotFound)?;
    if upload.expires_at < state.clock.now() {
        return Err(ApiError::UploadExpired);
    }
    Ok(upload)
}

/// What a chunk's body longer than the chunk fails with (inside a [`BlobError::Body`]).
#[derive(Debug, thiserror::Error)]
#[error("the body is longer than the chunk")]
struct TooLong;

/// Stores chunk `idx` of `upload` (the route's checks of the caller done: `Err` is answered
/// as it is) from `body`: exactly the chunk's size, else nothing is kept. Sending a chunk
/// again replaces it.
pub(crate) async fn store_chunk(
    state: &AppState,
    upload: Result<UploadRecord, ApiError>,
    idx: u64,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let want = upload.and_then(|upload| {
        let want = upload.chunk_len(idx).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "this upload has chunks 0 to {}",
                upload.chunk_count() - 1
            ))
        })?;
        Ok((upload.id, want))
    });
    let (id, want) = match want {
        Ok(checked) => checked,
        Err(e) => {
            // Read the (at most one chunk's) body first, so the phone's connection stays
            // usable for its next request instead of being cut mid-upload; frame by frame,
            // nothing kept.
            let mut frames = body.into_data_stream();
            while let Some(Ok(_)) = frames.next().await {}
            return Err(e);
        }
    };
    let wrong_size = |got: &dyn std::fmt::Display| {
        ApiError::BadRequest(format!("chunk {idx} must have {want} bytes, not {got}"))
    };
    // A body longer than the chunk is not written past the chunk's size: the rest is read
    // and dropped (bounded by the route's limit; the connection stays usable for the
    // client's next request, and it gets this answer, not a cut), then the write fails and
    // nothing is kept.
    let frames = body.into_data_stream();
    let stream = futures::stream::unfold((frames, 0u64), move |(mut frames, seen)| async move {
        let frame = match frames.next().await? {
            Ok(frame) => frame,
            Err(e) => {
                return Some((
                    Err(BlobError::Body(std::io::Error::other(e))),
                    (frames, seen),
                ));
            }
        };
        let seen = seen + frame.len() as u64;
        if seen > want {
            while let Some(Ok(_)) = frames.next().await {}
            let too_long = std::io::Error::new(std::io::ErrorKind::InvalidData, TooLong);
            return Some((Err(BlobError::Body(too_long)), (frames, seen)));
        }
        Some((Ok(frame), (frames, seen)))
    });
    let blob = match state.blobs.write_chunk(stream).await {
        Ok(blob) => blob,
        Err(BlobError::Body(e)) if e.get_ref().is_some_and(|inner| inner.is::<TooLong>()) => {
            return Err(wrong_size(&"more"));
        }
        Err(e) => return Err(e.into()),
    };
    if blob.size != want {
        state.blobs.discard_unrecorded(blob.id).await;
        return Err(wrong_size(&blob.size));
    }
    match state.store.put_chunk(id, idx, &blob).await {
        Ok(replaced) => {
            if let Some(old) = replaced {
                state.blobs.finish_deletions(&[old]).await;
            }
            Ok(StatusCode::NO_CONTENT)
        }
        Err(e) => {
            state.blobs.discard_unrecorded(blob.id).await;
            Err(e.into())
        }
    }
}

/// Every chunk of `upload`, by index. A missing one is a `400` that names the first as
/// lost (the web client's `lostChunk` reads that, sends it again and commits again): the
/// client sends every chunk before it commits, and a chunk's row may be committed without
/// a sync (`db::papers::BeginWrite::begin_unsynced`), so after a power cut
/// an acknowledged chunk can be missing here.
pub(crate) async fn all_chunks(
    state: &AppState,
    upload: &UploadRecord,
) -> Result<Vec<ChunkRecord>, ApiError> {
    let chunks = state.store.upload_chunks(upload.id).await?;
    let missing: Vec<u64> = (0..upload.chunk_count())
        .filter(|i| !chunks.iter().any(|c| c.idx == *i))
        .collect();
    if let Some(first) = missing.first() {
        return Err(ApiError::BadRequest(format!(
            "chunk {first} was lost by the server or never sent: send it again \
             (still to send: {missing:?})"
        )));
    }
    Ok(chunks)
}

/// A paper's content object, made of an upload's chunks.
#[derive(Debug)]
pub(crate) struct Content {
    pub record: BlobRecord,
    /// The upload's only chunk became the content ([`crate::blobs::BlobService::adopt_chunk`]):
    /// its blob row exists, and it is the upload's until the paper's commit.
    pub adopted: bool,
}

impl Content {
    /// Removes the content object of a commit that failed, unless it is still the
    /// upload's chunk (the upload may be committed again).
    pub async fn discard(&self, state: &AppState) {
        if !self.adopted {
            state.blobs.discard_unrecorded(self.record.id).await;
        }
    }
}

/// The content object of an upload, which must be exactly `expected`. An upload of one
/// chunk (a paper sent in one request) is its own content: the chunk's object, fsynced, not
/// copied. Otherwise the chunks, each checked against its recorded size, are joined into a
/// new object (else no object is left): the content's SHA-256 is the one hash computed on
/// the way; only when the bytes are not the signed ones is each chunk read again against
/// its own recorded hash, to tell a chunk the server lost (a power cut takes unsynced
/// chunks: `write_chunk`) from content that was never the signed bytes. `mismatch` is the
/// route's answer to the latter.
pub(crate) async fn join_chunks(
    state: &AppState,
    chunks: &[ChunkRecord],
    expected: Expected,
    mismatch: impl FnOnce() -> ApiError,
) -> Result<Content, ApiError> {
    let lost = |idx: u64| {
        ApiError::BadRequest(format!("chunk {idx} was lost by the server: send it again"))
    };
    if let [only] = chunks {
        return match state.blobs.adopt_chunk(only.blob, expected).await {
            Ok(Some(record)) => Ok(Content {
                record,
                adopted: true,
            }),
            Ok(None) => Err(mismatch()),
            Err(BlobError::MissingObject(_) | BlobError::Corrupt(_)) => Err(lost(only.idx)),
            Err(e) => Err(e.into()),
        };
    }
    let blobs = state.blobs.clone();
    let ids: Vec<_> = chunks.iter().map(|c| (c.blob, c.size)).collect();
    let joined = futures::stream::iter(ids)
        .then(
            move |(blob, size)| -> BoxFuture<'static, Result<BlobStream, BlobError>> {
                let blobs = blobs.clone();
                Box::pin(async move { blobs.get_sized_stream(blob, size).await })
            },
        )
        .try_flatten()
        .boxed();
    match state.blobs.write_unrecorded(joined, Some(expected)).await {
        Ok(record) => Ok(Content {
            record,
            adopted: false,
        }),
        Err(BlobError::MissingObject(gone) | BlobError::Corrupt(gone))
            if chunks.iter().any(|c| c.blob == gone) =>
        {
            let idx = chunks.iter().find(|c| c.blob == gone).map_or(0, |c| c.idx);
            Err(lost(idx))
        }
        Err(BlobError::Corrupt(_)) => match damaged_chunk(state, chunks).await? {
            Some(idx) => Err(lost(idx)),
            None => Err(mismatch()),
        },
        Err(e) => Err(e.into()),
    }
}

/// The first chunk whose object is not its recorded size and SHA-256 (or is gone).
async fn damaged_chunk(state: &AppState, chunks: &[ChunkRecord]) -> Result<Option<u64>, ApiError> {
    for chunk in chunks {
        match state.blobs.matches_record(chunk.blob).await {
            Ok(true) => {}
            Ok(false) | Err(BlobError::MissingObject(_)) => return Ok(Some(chunk.idx)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(None)
}
