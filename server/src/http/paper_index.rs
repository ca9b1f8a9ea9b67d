//! The owner's metadata index of each category generation over HTTP (protocol.md section
//! 6.1; `docs/design/papers-server.md`). The listing (`GET /api/papers`) names every current
//! index with its statement; `GET /api/papers/indexes/{category}/{generation}` serves the
//! file; `PUT` the same path replaces it, once the server has verified the owner's
//! `paper_index` statement (the current epoch's owner key, this instance, coffre and epoch,
//! the path's category generation, which must exist, the next `seq`) and the file's size
//! and SHA-256 as it is written. The old file's blob is deleted.
//!
//! Another coffre's category answers `404` exactly like one that does not exist.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use coffre_crypto::Context;
use coffre_crypto::encoding::{INDEX_CAP, Id, PublicKey, unb64};
use coffre_crypto::kinds::PaperIndex;
use coffre_crypto::statement::Envelope;
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::blobs::BlobError;
use crate::blobs::write::Expected;
use crate::db::paper_indexes::{IndexPut, IndexRecord};
use crate::domain::{CoffreRecord, Sha256Digest};
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::session::CurrentSession;

/// The header that carries the `paper_index` statement (envelope bytes, base64url) of a
/// `PUT`: the body is the file itself, or nothing when the statement is over the stored file.
pub const STATEMENT_HEADER: &str = "x-coffre-index-statement";

/// The largest body the index routes take: an index file at its cap.
pub const INDEX_BODY_LIMIT: usize = INDEX_CAP;

/// One current index, as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndexItem {
    pub category: Uuid,
    pub generation: u64,
    /// The owner's `paper_index` (envelope bytes, base64url).
    pub statement: String,
    /// Bytes of the index file.
    pub size: u64,
}

impl From<&IndexRecord> for IndexItem {
    fn from(i: &IndexRecord) -> Self {
        Self {
            category: i.category,
            generation: i.generation,
            statement: coffre_crypto::encoding::b64(&i.statement),
            size: i.size,
        }
    }
}

/// Where an index stands after a `PUT`.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndexStored {
    pub category: Uuid,
    pub generation: u64,
    pub seq: u64,
}

/// `404` unless `category`, `generation` is one of the coffre's category generations.
async fn known_generation(
    state: &AppState,
    coffre: &CoffreRecord,
    category: Uuid,
    generation: u64,
) -> Result<(), ApiError> {
    let categories = state.store.categories(coffre.id).await?;
    if categories
        .iter()
        .any(|c| c.id == category && c.generation == generation)
    {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// The index file of a category generation (`application/octet-stream`, `no-store`).
#[utoipa::path(
    get,
    path = "/papers/indexes/{category}/{generation}",
    tag = "papers",
    params(
        ("category" = Uuid, Path, description = "The category"),
        ("generation" = u64, Path, description = "Its generation"),
    ),
    responses(
        (status = 200, description = "The index age file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found: no index, or no such category generation", body = ErrorBody),
    )
)]
pub async fn file(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path((category, generation)): Path<(Uuid, u64)>,
) -> Result<Response, ApiError> {
    let index = state
        .store
        .paper_index(session.coffre, category, generation)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (record, stream) = state.blobs.get_stream(index.blob).await?;
    let body = Body::from_stream(stream.map_err(|e| std::io::Error::other(e.to_string())));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(record.size));
    Ok(response)
}

/// Replaces a category generation's index: the body is the index file (or empty when the
/// statement, in `X-Coffre-Index-Statement`, is over the stored file: a new epoch's
/// signature). `409` unless the statement's `seq` is the stored one's plus one (`0` for the
/// first).
#[utoipa::path(
    put,
    path = "/papers/indexes/{category}/{generation}",
    tag = "papers",
    params(
        ("category" = Uuid, Path, description = "The category"),
        ("generation" = u64, Path, description = "Its generation"),
        ("x-coffre-index-statement" = String, Header, description = "The owner's `paper_index` (envelope bytes, base64url)"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Stored", body = IndexStored),
        (status = 400, description = "No statement, or an empty body for a new file", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found: no such category generation", body = ErrorBody),
        (status = 409, description = "Not the next seq: read the listing, seal again", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 422, description = "The statement or the file does not verify (protocol error code)", body = ErrorBody),
        (status = 507, description = "storage_full: nothing was stored", body = ErrorBody),
    )
)]
pub async fn put(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path((category, generation)): Path<(Uuid, u64)>,
    headers: HeaderMap,
    body: Body,
) -> Result<ApiJson<IndexStored>, ApiError> {
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    known_generation(&state, &coffre, category, generation).await?;
    let statement_bytes = headers
        .get(STATEMENT_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::BadRequest(format!("the statement goes in {STATEMENT_HEADER}")))
        .and_then(|v| unb64(v).map_err(ApiError::refused("paper_index")))?;
    let statement = verified_statement(&state, &coffre, &statement_bytes)?;
    let refused = |error| ApiError::Refused {
        what: "paper_index".into(),
        error,
    };
    if statement.category != Id(category) || statement.generation != generation {
        return Err(refused(coffre_crypto::Error::ContextMismatch(
            "index category or generation",
        )));
    }
    let size = usize::try_from(statement.index_size).unwrap_or(usize::MAX);
    if size > INDEX_CAP {
        return Err(refused(coffre_crypto::Error::TooLarge {
            size,
            cap: INDEX_CAP,
        }));
    }
    let stored = state
        .store
        .paper_index(coffre.id, category, generation)
        .await?;
    let next = stored.as_ref().map_or(0, |s| s.seq + 1);
    if statement.seq != next {
        return Err(ApiError::Conflict(format!(
            "the next index of this generation is seq {next}"
        )));
    }
    let expected = Expected {
        size: statement.index_size,
        sha256: Sha256Digest(statement.index_sha256.0),
    };
    let mut stream = Box::pin(
        body.into_data_stream()
            .map_err(|e| BlobError::Body(std::io::Error::other(e)))
            .peekable(),
    );
    let empty = stream.as_mut().peek().await.is_none();
    // An empty body: the statement must be over the stored file.
    let (blob, new_blob) = match (&stored, empty) {
        (Some(old), true) => {
            let record = state.blobs.record(old.blob).await?;
            if record.size != expected.size || record.sha256 != expected.sha256 {
                return Err(refused(coffre_crypto::Error::HashMismatch));
            }
            (old.blob, None)
        }
        (None, true) if expected.size > 0 => {
            return Err(ApiError::BadRequest(
                "send the index file as the body".into(),
            ));
        }
        _ => match state.blobs.write_unrecorded(stream, Some(expected)).await {
            Ok(blob) => (blob.id, Some(blob)),
            Err(BlobError::Corrupt(_)) => return Err(refused(coffre_crypto::Error::HashMismatch)),
            Err(e) => return Err(e.into()),
        },
    };
    let index = IndexRecord {
        coffre: coffre.id,
        category,
        generation,
        seq: statement.seq,
        epoch: statement.epoch,
        blob,
        size: statement.index_size,
        statement: statement_bytes,
        stored_at: state.clock.now(),
    };
    let put = IndexPut {
        index: &index,
        new_blob: new_blob.as_ref(),
        replaces: stored.as_ref().map(|s| s.seq),
    };
    match state.store.put_paper_index(&put).await {
        Ok(replaced) => {
            if let Some(old) = replaced {
                state.blobs.finish_deletions(&[old]).await;
            }
        }
        Err(e) => {
            if let Some(blob) = &new_blob {
                state.blobs.discard_unrecorded(blob.id).await;
            }
            return Err(ApiError::from_insert(
                e,
                "another index was stored meanwhile: read the listing, seal again",
            ));
        }
    }
    Ok(ApiJson(IndexStored {
        category,
        generation,
        seq: index.seq,
    }))
}

/// The `paper_index` statement, verified as the server can (no category key): one
/// signature, by the coffre's owner at its current epoch, for this instance and coffre.
fn verified_statement(
    state: &AppState,
    coffre: &CoffreRecord,
    bytes: &[u8],
) -> Result<PaperIndex, ApiError> {
    let envelope = Envelope::parse(bytes).map_err(ApiError::refused("paper_index"))?;
    let verified = envelope
        .verify_by::<PaperIndex>(&PublicKey(coffre.owner_key))
        .map_err(ApiError::refused("paper_index"))?;
    let statement = verified.into_body();
    let ctx = Context {
        instance: state.origin.as_str().to_owned(),
        coffre: Id(coffre.id.0),
        epoch: coffre.epoch,
    };
    ctx.check(
        &statement.instance,
        Some(&statement.coffre),
        Some(statement.epoch),
    )
    .map_err(ApiError::refused("paper_index"))?;
    Ok(statement)
}
