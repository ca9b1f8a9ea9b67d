//! Papers over HTTP (protocol.md section 6; `docs/design/papers-server.md`).
//!
//! An upload is announced (`POST /api/uploads`, checked against the coffre's quota and the
//! largest paper), its ciphertext sent in chunks that each become a committed blob
//! (`PUT /api/uploads/{id}/chunks/{idx}`: a cut connection resumes with the chunks missing,
//! on any replica), then made a paper (`POST /api/uploads/{id}/paper`) once the server has
//! verified the owner's `upload` statement, its category certificate, the metadata's hash,
//! the content's size and SHA-256 as it joins the chunks, and the owner's journal entry —
//! all stored in one transaction. Nothing is a paper before that. A deletion comes with the
//! owner's signed `deletion` and its journal entry, in one transaction too.
//!
//! Another coffre's upload or paper answers `404` exactly like one that does not exist.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coffre_crypto::Context;
use coffre_crypto::deposit::UploaderPolicy;
use coffre_crypto::encoding::{Hash32, Id, PublicKey, b64, sha256};
use coffre_crypto::kinds::Upload;
use coffre_crypto::paper::{verify_deletion, verify_upload_statement};
use coffre_crypto::statement::Envelope;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::blobs::write::Expected;
use crate::db::papers::{PaperCommit, PaperDeletion, PaperRecord, UploadRecord};
use crate::domain::{BlobState, CoffreId, CoffreRecord, Sha256Digest};
use crate::error::{ApiError, ErrorBody};
use crate::http::journal::{Expect, NewEntry, owner_entry};
use crate::http::session::CurrentSession;
use crate::http::{ApiJson, coffres, uploads};

/// Every chunk but the last has this many bytes unless the client chose another size
/// (`NewUpload::chunk_size`): small enough to resend on a bad phone connection, large
/// enough that a 25 MiB paper is 100 requests.
pub const CHUNK_SIZE: u64 = 256 * 1024;
/// The smallest chunk size a client may choose.
pub const MIN_CHUNK_SIZE: u64 = 64 * 1024;
/// The largest chunk size a client may choose, and the largest chunk route body: a paper up
/// to this size can be sent in one request (and its chunk is then its content, not copied).
/// A chunk's body is written as it comes ([`crate::blobs::BlobService::write_chunk`]), so
/// memory does not grow with it.
pub const MAX_CHUNK_SIZE: u64 = 16 * 1024 * 1024;

/// How long an upload may take before its chunks are dropped.
pub const UPLOAD_LIFETIME: time::Duration = time::Duration::hours(24);

/// The journal action that records a new paper. A replacement is one too: a new paper
/// whose metadata names the one it replaces, journaled as `paper_added`, so the host does
/// not learn that it replaces anything (protocol.md section 9). `paper_replaced`, which
/// readers still count as an addition, is not taken any more.
pub const ADDED_ACTIONS: &[&str] = &["paper_added"];
/// The journal action that records a deletion.
pub const DELETED_ACTIONS: &[&str] = &["paper_deleted"];

/// An announced upload.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUpload {
    /// Bytes of the content ciphertext that will be sent.
    pub content_size: u64,
    /// Bytes of every chunk but the last, from 64 KiB to 16 MiB (default 256 KiB): a client
    /// on a good connection sends a paper in fewer requests, one if it is no larger.
    #[serde(default)]
    pub chunk_size: Option<u64>,
}

/// Where an upload stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadState {
    pub upload: Uuid,
    pub content_size: u64,
    /// Every chunk but the last has this many bytes.
    pub chunk_size: u64,
    /// Chunks to send: indexes `0` to `chunks - 1`.
    pub chunks: u64,
    /// Indexes of the chunks the server holds.
    pub received: Vec<u64>,
    /// When the upload's chunks are dropped (Unix seconds).
    pub expires: i64,
}

/// Announces an upload: refused if the paper is larger than the instance allows or the
/// coffre's papers and uploads under way would not fit in its quota.
#[utoipa::path(
    post,
    path = "/uploads",
    tag = "papers",
    request_body = NewUpload,
    responses(
        (status = 201, description = "Send the chunks", body = UploadState),
        (status = 400, description = "chunk_size outside 64 KiB to 16 MiB", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 413, description = "paper_too_large or quota_exceeded", body = ErrorBody),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewUpload>,
) -> Result<(StatusCode, ApiJson<UploadState>), ApiError> {
    purge_expired(&state, session.coffre).await?;
    let upload = uploads::announce(&state, session.coffre, &req).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(uploads::state_of(&upload, Vec::new())),
    ))
}

/// Drops the coffre's expired uploads (a few at a time) and their chunks.
async fn purge_expired(state: &AppState, coffre: CoffreId) -> Result<(), ApiError> {
    for (owner, id) in state.store.expired_uploads(state.clock.now(), 16).await? {
        if owner != coffre {
            continue;
        }
        if let Some(blobs) = state.store.abandon_upload(owner, id).await? {
            state.blobs.finish_deletions(&blobs).await;
        }
    }
    Ok(())
}

/// The coffre's live upload `id`: `404` if it is not this coffre's, `410` once expired.
async fn live_upload(
    state: &AppState,
    coffre: CoffreId,
    id: Uuid,
) -> Result<UploadRecord, ApiError> {
    uploads::live(state, state.store.upload(coffre, id).await?)
}

/// Where an upload stands: which chunks the server holds (to resume after a cut).
#[utoipa::path(
    get,
    path = "/uploads/{id}",
    tag = "papers",
    params(("id" = Uuid, Path, description = "The upload")),
    responses(
        (status = 200, description = "The upload", body = UploadState),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 410, description = "upload_expired", body = ErrorBody),
    )
)]
pub async fn upload_state(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<UploadState>, ApiError> {
    let upload = live_upload(&state, session.coffre, id).await?;
    let received = state
        .store
        .upload_chunks(id)
        .await?
        .into_iter()
        .map(|c| c.idx)
        .collect();
    Ok(ApiJson(uploads::state_of(&upload, received)))
}

/// Gives up an upload: its chunks are deleted.
#[utoipa::path(
    delete,
    path = "/uploads/{id}",
    tag = "papers",
    params(("id" = Uuid, Path, description = "The upload")),
    responses(
        (status = 204, description = "Given up"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    )
)]
pub async fn abandon(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let blobs = state
        .store
        .abandon_upload(session.coffre, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    state.blobs.finish_deletions(&blobs).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Stores one chunk of the content ciphertext (`application/octet-stream`): exactly
/// `chunk_size` bytes, or what is left for the last one. Sending a chunk again replaces it.
#[utoipa::path(
    put,
    path = "/uploads/{id}/chunks/{idx}",
    tag = "papers",
    params(
        ("id" = Uuid, Path, description = "The upload"),
        ("idx" = u64, Path, description = "The chunk's index, from 0"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 204, description = "Stored (on a local disk, left to the kernel to write: the commit fsyncs the paper's content)"),
        (status = 400, description = "Not the chunk's size, or no such index", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 410, description = "upload_expired", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 507, description = "storage_full: nothing was stored", body = ErrorBody),
    )
)]
pub async fn put_chunk(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path((id, idx)): Path<(Uuid, u64)>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let upload = live_upload(&state, session.coffre, id).await;
    uploads::store_chunk(&state, upload, idx, body).await
}

/// The paper an upload becomes: the owner's signed statement, the metadata file and the
/// owner's journal entry for it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPaper {
    /// The signed `upload` (envelope bytes, base64url).
    pub statement: String,
    /// The metadata: an age file to the category key (base64url).
    pub meta: String,
    /// The owner's `paper_added` journal entry about this paper.
    pub journal: NewEntry,
}

/// A new paper's place in the journal.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    pub paper: Uuid,
    /// The journal entry's seq.
    pub seq: u64,
    /// The entry's `inclusion_receipt` (envelope bytes, base64url).
    pub receipt: String,
}

/// Makes the paper, once everything verifies: the statement (the coffre's owner, this
/// instance, coffre and epoch, the category's current certificate valid at its `created`),
/// the metadata's hash, the content joined from the chunks with the signed size and hash, the
/// journal entry. `409` when the journal moved meanwhile (sign the entry again and resend).
#[utoipa::path(
    post,
    path = "/uploads/{id}/paper",
    tag = "papers",
    params(("id" = Uuid, Path, description = "The upload")),
    request_body = NewPaper,
    responses(
        (status = 201, description = "The paper exists", body = Recorded),
        (status = 400, description = "Chunks missing, or the journal entry is not about this paper", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "The journal moved, or the paper id is taken", body = ErrorBody),
        (status = 410, description = "upload_expired", body = ErrorBody),
        (status = 422, description = "The statement, the metadata or the content does not verify (protocol error code)", body = ErrorBody),
        (status = 507, description = "storage_full: nothing was stored", body = ErrorBody),
    )
)]
pub async fn commit(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewPaper>,
) -> Result<(StatusCode, ApiJson<Recorded>), ApiError> {
    let upload = live_upload(&state, session.coffre, id).await?;
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let chunks = uploads::all_chunks(&state, &upload).await?;
    let statement_bytes = coffres::bytes("statement", &req.statement)?;
    let upload_statement = verified_upload(&state, &coffre, &statement_bytes).await?;
    let refused = |error| ApiError::Refused {
        what: "upload".into(),
        error,
    };
    if upload_statement.content_size != upload.content_size {
        return Err(refused(coffre_crypto::Error::HashMismatch));
    }
    let meta = coffres::recipient_file("meta", &req.meta)?;
    if Hash32(sha256(&meta)) != upload_statement.meta_sha256 {
        return Err(refused(coffre_crypto::Error::HashMismatch));
    }
    let paper_id = upload_statement.paper.0;
    let journal = owner_entry(
        &state,
        &coffre,
        &req.journal,
        Some(Expect {
            actions: ADDED_ACTIONS,
            object: upload_statement.paper,
        }),
    )
    .await?;
    let expected = Expected {
        size: upload_statement.content_size,
        sha256: Sha256Digest(upload_statement.content_sha256.0),
    };
    let content = uploads::join_chunks(&state, &chunks, expected, || {
        refused(coffre_crypto::Error::HashMismatch)
    })
    .await?;
    let paper = PaperRecord {
        id: paper_id,
        coffre: coffre.id,
        category: upload_statement.category.0,
        generation: upload_statement.generation,
        content: content.record.id,
        content_size: content.record.size,
        meta,
        statement: statement_bytes,
        created_at: state.clock.now(),
    };
    debug_assert_eq!(content.record.state, BlobState::Committed);
    let commit = PaperCommit {
        upload: &upload,
        content: &content.record,
        content_is_chunk: content.adopted,
        paper: &paper,
        journal: &journal,
    };
    match state.store.commit_paper(&commit).await {
        Ok(chunk_blobs) => state.blobs.finish_deletions(&chunk_blobs).await,
        Err(e) => {
            content.discard(&state).await;
            return Err(ApiError::from_insert(
                e,
                "the journal moved, or this paper id is taken: read the head, sign again",
            ));
        }
    }
    Ok((
        StatusCode::CREATED,
        ApiJson(Recorded {
            paper: paper_id,
            seq: journal.seq,
            receipt: b64(&journal.receipt),
        }),
    ))
}

fn context(state: &AppState, coffre: &CoffreRecord) -> Context {
    Context {
        instance: state.origin.as_str().to_owned(),
        coffre: Id(coffre.id.0),
        epoch: coffre.epoch,
    }
}

/// The `upload` statement, verified as the server can (no category key): by the coffre's
/// owner at its current epoch, for a v4 paper id, with the category's newest certificate.
async fn verified_upload(
    state: &AppState,
    coffre: &CoffreRecord,
    bytes: &[u8],
) -> Result<Upload, ApiError> {
    let refused = ApiError::refused("upload");
    let envelope = Envelope::parse(bytes).map_err(ApiError::refused("upload"))?;
    let peeked = envelope
        .peek::<Upload>()
        .map_err(ApiError::refused("upload"))?;
    if peeked.paper.0.get_version_num() != 4 {
        return Err(ApiError::BadRequest(
            "a paper id is a random (v4) uuid".into(),
        ));
    }
    let categories = state.store.categories(coffre.id).await?;
    let newest = categories
        .iter()
        .filter(|c| c.id == peeked.category.0)
        .max_by_key(|c| c.generation)
        .ok_or(ApiError::Refused {
            what: "upload".into(),
            error: coffre_crypto::Error::ContextMismatch("category"),
        })?;
    if newest.generation != peeked.generation {
        return Err(ApiError::Refused {
            what: "upload".into(),
            error: coffre_crypto::Error::ContextMismatch("category generation"),
        });
    }
    let cert = Envelope::parse(&newest.cert)
        .map_err(|e| ApiError::Internal(format!("stored certificate: {e}")))?;
    let (upload, _) = verify_upload_statement(
        &context(state, coffre),
        &UploaderPolicy::owner(PublicKey(coffre.owner_key)),
        &cert,
        peeked.paper,
        None,
        &envelope,
    )
    .map_err(refused)?;
    Ok(upload)
}

/// At most this many papers per `POST /api/papers/metas`.
pub const METAS_PER_REQUEST: usize = 1000;

/// The papers whose metadata files are asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MetasWanted {
    /// Paper ids, at most [`METAS_PER_REQUEST`].
    pub papers: Vec<Uuid>,
}

/// A paper's metadata file.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaperMetaFile {
    pub paper: Uuid,
    /// The metadata age file (base64url).
    pub meta: String,
}

/// The metadata files asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaperMetas {
    /// By paper id; the ids of no paper of this coffre are left out.
    pub metas: Vec<PaperMetaFile>,
}

/// The metadata files of some papers, in one request: the papers the index does not hold,
/// or one paper about to be opened. A read, sent as a `POST` because a thousand ids do not
/// fit in a URL.
#[utoipa::path(
    post,
    path = "/papers/metas",
    tag = "papers",
    request_body = MetasWanted,
    responses(
        (status = 200, description = "The metadata files", body = PaperMetas),
        (status = 400, description = "More ids than one request takes", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
    )
)]
pub async fn metas(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<MetasWanted>,
) -> Result<ApiJson<PaperMetas>, ApiError> {
    if req.papers.len() > METAS_PER_REQUEST {
        return Err(ApiError::BadRequest(format!(
            "at most {METAS_PER_REQUEST} papers per request"
        )));
    }
    let found = state.store.paper_metas(session.coffre, &req.papers).await?;
    Ok(ApiJson(PaperMetas {
        metas: found
            .into_iter()
            .map(|(paper, meta)| PaperMetaFile {
                paper,
                meta: b64(&meta),
            })
            .collect(),
    }))
}

/// A paper's content ciphertext, streamed (`application/octet-stream`, `no-store`). The
/// server checks the stored bytes against their size and hash as they go: a damaged object
/// ends the response early, and the client, which checks the signed hash, refuses it.
#[utoipa::path(
    get,
    path = "/papers/{id}/content",
    tag = "papers",
    params(("id" = Uuid, Path, description = "The paper")),
    responses(
        (status = 200, description = "The content age file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    )
)]
pub async fn content(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let paper = state
        .store
        .paper(session.coffre, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (record, stream) = state.blobs.get_stream(paper.content).await?;
    let body = Body::from_stream(stream.map_err(|e| std::io::Error::other(e.to_string())));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(record.size));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"coffre-paper.age\""),
    );
    Ok(response)
}

/// A deletion: the owner's signed statement and journal entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperGone {
    /// The owner's signed `deletion` (envelope bytes, base64url).
    pub deletion: String,
    /// The owner's `paper_deleted` journal entry about this paper.
    pub journal: NewEntry,
}

/// Deletes a paper for good (its content is removed from the blob store), keeping the
/// owner's signed deletion so that the owner's devices can tell a deletion from a host that
/// dropped the paper.
#[utoipa::path(
    delete,
    path = "/papers/{id}",
    tag = "papers",
    params(("id" = Uuid, Path, description = "The paper")),
    request_body = PaperGone,
    responses(
        (status = 200, description = "Deleted", body = Recorded),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 409, description = "The journal moved: sign the entry again", body = ErrorBody),
        (status = 422, description = "The deletion does not verify (protocol error code)", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<PaperGone>,
) -> Result<ApiJson<Recorded>, ApiError> {
    let paper = state
        .store
        .paper(session.coffre, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let bytes = coffres::bytes("deletion", &req.deletion)?;
    let envelope = Envelope::parse(&bytes).map_err(ApiError::refused("deletion"))?;
    let deletion = verify_deletion(
        &envelope,
        &PublicKey(coffre.owner_key),
        &context(&state, &coffre),
    )
    .map_err(ApiError::refused("deletion"))?;
    let refused = |error| ApiError::Refused {
        what: "deletion".into(),
        error,
    };
    if deletion.paper.0 != id {
        return Err(refused(coffre_crypto::Error::PaperIdMismatch));
    }
    let stored = Envelope::parse(&paper.statement)
        .and_then(|e| e.peek::<Upload>())
        .map_err(|e| ApiError::Internal(format!("stored upload: {e}")))?;
    if deletion.content_sha256 != stored.content_sha256 {
        return Err(refused(coffre_crypto::Error::HashMismatch));
    }
    let journal = owner_entry(
        &state,
        &coffre,
        &req.journal,
        Some(Expect {
            actions: DELETED_ACTIONS,
            object: Id(id),
        }),
    )
    .await?;
    let gone = PaperDeletion {
        coffre: coffre.id,
        paper: id,
        statement: &bytes,
        journal: &journal,
        now: state.clock.now(),
    };
    let content = state
        .store
        .delete_paper(&gone)
        .await
        .map_err(|e| ApiError::from_insert(e, "the journal moved: read the head, sign again"))?
        .ok_or(ApiError::NotFound)?;
    state.blobs.finish_deletions(&[content]).await;
    Ok(ApiJson(Recorded {
        paper: id,
        seq: journal.seq,
        receipt: b64(&journal.receipt),
    }))
}
