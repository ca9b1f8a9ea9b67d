//! Deposits under a mandate (protocol.md sections 6, 8, 9; `docs/design/mandates-server.md`).
//!
//! A grantee with the `deposit` or `consult_deposit` right puts a paper into the owner's
//! coffre, in a category the mandate covers, while it is in force. It receives the covered
//! categories' owner-signed certificates (`GET /api/mandates/{id}/categories`) — never a
//! category key — seals the paper to the certificate's recipient, and sends the content in
//! chunks like the owner does (`POST /api/mandates/{id}/deposits`, then
//! `PUT …/deposits/{upload}/chunks/{idx}`), counted against the owner's quota. The paper is
//! made (`POST …/deposits/{upload}/paper`) only once the server has verified the upload
//! statement against the mandate — signed by the caller's key as `uploader`, naming this
//! mandate, the category's current certificate valid at the server's time, the mandate
//! verified again with the coffre's current key and in force now — and the content and
//! metadata against it. The paper, and the server's `paper_deposited` entry in the owner's
//! journal (its `proof` the upload's statement hash), go in one transaction; the grantee gets
//! the server-signed `deposit_receipt` and the entry's inclusion receipt.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use coffre_crypto::Context;
use coffre_crypto::deposit::{MandateGrant, UploaderPolicy};
use coffre_crypto::encoding::{Hash32, Id, PublicKey, b64, sha256};
use coffre_crypto::kinds::{DepositReceipt, Mandate, Upload};
use coffre_crypto::mandate::{MandateEnds, verify_mandate};
use coffre_crypto::paper::verify_upload_statement;
use coffre_crypto::statement::{Envelope, Verified};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::blobs::write::Expected;
use crate::db::InsertError;
use crate::db::mandates::MandateRecord;
use crate::db::papers::{PaperCommit, PaperRecord, UploadRecord};
use crate::domain::{CoffreRecord, Sha256Digest, Timestamp};
use crate::error::{ApiError, ErrorBody};
use crate::http::journal::{
    GRANTEE_ENTRY_TRIES, GranteeAct, grantee_entry, head_moved, journal_turn,
};
use crate::http::mandates::{acting_under, context};
use crate::http::organisations::{account, now_secs};
use crate::http::papers::{NewUpload, UploadState};
use crate::http::session::{CurrentSession, unix_secs};
use crate::http::{ApiJson, coffres, uploads};

/// A mandate as its grantee may use it now: the caller is its grantee (the person named, or
/// a current aidant of the organisation named), it is in force and it verifies with the
/// coffre's current key. `deposit_grant` also requires a deposit right.
pub(crate) struct GranteeGrant {
    pub(crate) owner: CoffreRecord,
    pub(crate) ctx: Context,
    pub(crate) mandate: Verified<Mandate>,
    /// The caller's key, the one that signs the upload.
    pub(crate) uploader: PublicKey,
}

/// `404` unless the caller acts under mandate `id` now; `403` for a consult-only mandate.
pub(crate) async fn deposit_grant(
    state: &AppState,
    session: &crate::domain::SessionRecord,
    id: Uuid,
) -> Result<GranteeGrant, ApiError> {
    let grant = grantee_grant(state, session, id).await?;
    if !grant.mandate.body().rights.can_deposit() {
        return Err(ApiError::Forbidden(
            "a consult-only mandate takes no deposit".into(),
        ));
    }
    Ok(grant)
}

/// `404` unless the caller acts under mandate `id` now, whatever its rights.
pub(crate) async fn grantee_grant(
    state: &AppState,
    session: &crate::domain::SessionRecord,
    id: Uuid,
) -> Result<GranteeGrant, ApiError> {
    let me = account(state, session).await?;
    let m = acting_under(state, &me, id).await?;
    grant_of(state, &me, &m).await
}

/// The grant of a mandate `me` acts under ([`acting_under`], or one of
/// `mandates::received_records` checked with `acts_under`): its coffre, and the mandate
/// verified again with the coffre's current key.
pub(crate) async fn grant_of(
    state: &AppState,
    me: &CoffreRecord,
    m: &MandateRecord,
) -> Result<GranteeGrant, ApiError> {
    let owner = state
        .store
        .coffre(m.coffre)
        .await?
        .ok_or_else(|| ApiError::Internal("a mandate without its coffre".into()))?;
    let ctx = context(state, &owner);
    let envelope = Envelope::parse(&m.statement)
        .map_err(|e| ApiError::Internal(format!("stored mandate: {e}")))?;
    // Verified again with the coffre's current key: a new owner epoch ends older mandates.
    let mandate = verify_mandate(
        &envelope,
        &PublicKey(owner.owner_key),
        &ctx,
        now_secs(state),
        &MandateEnds::none(),
    )
    .map_err(ApiError::refused("mandate"))?;
    Ok(GranteeGrant {
        owner,
        ctx,
        mandate,
        uploader: PublicKey(me.owner_key),
    })
}

/// Opens a deposit's upload in the owner's coffre: refused like the owner's own
/// (`paper_too_large`, `quota_exceeded` against the owner's quota).
#[utoipa::path(
    post,
    path = "/mandates/{id}/deposits",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    request_body = NewUpload,
    responses(
        (status = 201, description = "Send the chunks", body = UploadState),
        (status = 400, description = "chunk_size outside 64 KiB to 16 MiB", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (a consult-only mandate), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not a mandate to you, or no longer in force)", body = ErrorBody),
        (status = 413, description = "paper_too_large or quota_exceeded", body = ErrorBody),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewUpload>,
) -> Result<(StatusCode, ApiJson<UploadState>), ApiError> {
    let grant = deposit_grant(&state, &session, id).await?;
    let upload = uploads::announce(&state, grant.owner.id, &req).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(uploads::state_of(&upload, Vec::new())),
    ))
}

/// The deposit upload `upload` in the owner's coffre, live.
async fn live_upload(
    state: &AppState,
    grant: &GranteeGrant,
    upload: Uuid,
) -> Result<UploadRecord, ApiError> {
    uploads::live(state, state.store.upload(grant.owner.id, upload).await?)
}

/// One chunk of a deposit's content ciphertext, as `PUT /api/uploads/{id}/chunks/{idx}`.
#[utoipa::path(
    put,
    path = "/mandates/{id}/deposits/{upload}/chunks/{idx}",
    tag = "mandates",
    params(
        ("id" = Uuid, Path, description = "The mandate"),
        ("upload" = Uuid, Path, description = "The deposit's upload"),
        ("idx" = u64, Path, description = "The chunk's index, from 0"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 204, description = "Stored"),
        (status = 400, description = "Not the chunk's size, or no such index", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (a consult-only mandate), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 410, description = "upload_expired", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
    )
)]
pub async fn put_chunk(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path((id, upload, idx)): Path<(Uuid, Uuid, u64)>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let upload = async {
        let grant = deposit_grant(&state, &session, id).await?;
        live_upload(&state, &grant, upload).await
    }
    .await;
    uploads::store_chunk(&state, upload, idx, body).await
}

/// The paper a deposit's upload becomes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeposit {
    /// The `upload` signed by the caller's key as `uploader`, naming this mandate (envelope
    /// bytes, base64url).
    pub statement: String,
    /// The metadata: an age file to the category key (base64url).
    pub meta: String,
}

/// What a deposit made.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deposited {
    pub paper: Uuid,
    /// The server-signed `deposit_receipt` (envelope bytes, base64url): the time the mandate
    /// was checked at, which every reader of the paper checks it at again.
    pub deposit_receipt: String,
    /// The seq of the server's `paper_deposited` entry in the owner's journal.
    pub seq: u64,
    /// That entry's `inclusion_receipt` (envelope bytes, base64url): the depositor's proof.
    pub receipt: String,
}

/// Makes the paper once everything verifies against the mandate; nothing is stored
/// otherwise.
#[utoipa::path(
    post,
    path = "/mandates/{id}/deposits/{upload}/paper",
    tag = "mandates",
    params(
        ("id" = Uuid, Path, description = "The mandate"),
        ("upload" = Uuid, Path, description = "The deposit's upload"),
    ),
    request_body = NewDeposit,
    responses(
        (status = 201, description = "The paper exists", body = Deposited),
        (status = 400, description = "Chunks missing", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (a consult-only mandate), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not a mandate to you, or no longer in force)", body = ErrorBody),
        (status = 409, description = "The paper id is taken", body = ErrorBody),
        (status = 410, description = "upload_expired", body = ErrorBody),
        (status = 422, description = "The statement, the metadata or the content does not verify against the mandate (protocol error code)", body = ErrorBody),
    )
)]
pub async fn commit(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path((id, upload_id)): Path<(Uuid, Uuid)>,
    ApiJson(req): ApiJson<NewDeposit>,
) -> Result<(StatusCode, ApiJson<Deposited>), ApiError> {
    let grant = deposit_grant(&state, &session, id).await?;
    let upload = live_upload(&state, &grant, upload_id).await?;
    let chunks = uploads::all_chunks(&state, &upload).await?;
    let statement_bytes = coffres::bytes("statement", &req.statement)?;
    let now = state.clock.now();
    let (statement, receipt_bytes) =
        verified_deposit(&state, &grant, &statement_bytes, unix_u64(now)).await?;
    let refused = |error| ApiError::Refused {
        what: "upload".into(),
        error,
    };
    if statement.content_size != upload.content_size {
        return Err(refused(coffre_crypto::Error::HashMismatch));
    }
    let meta = coffres::recipient_file("meta", &req.meta)?;
    if Hash32(sha256(&meta)) != statement.meta_sha256 {
        return Err(refused(coffre_crypto::Error::HashMismatch));
    }
    let expected = Expected {
        size: statement.content_size,
        sha256: Sha256Digest(statement.content_sha256.0),
    };
    let content = uploads::join_chunks(&state, &chunks, expected, || {
        refused(coffre_crypto::Error::HashMismatch)
    })
    .await?;
    let paper = PaperRecord {
        id: statement.paper.0,
        coffre: grant.owner.id,
        category: statement.category.0,
        generation: statement.generation,
        content: content.record.id,
        content_size: content.record.size,
        meta,
        statement: statement_bytes.clone(),
        created_at: now,
    };
    let act = GranteeAct {
        action: "paper_deposited",
        mandate: Id(id),
        object: Some(statement.paper),
        proof: Hash32(sha256(&statement_bytes)),
    };
    let _turn = journal_turn(grant.owner.id).await;
    for _ in 0..GRANTEE_ENTRY_TRIES {
        let journal = match grantee_entry(&state, &grant.owner, &act).await {
            Ok(journal) => journal,
            Err(e) => {
                content.discard(&state).await;
                return Err(e);
            }
        };
        let commit = PaperCommit {
            upload: &upload,
            content: &content.record,
            content_is_chunk: content.adopted,
            paper: &paper,
            journal: &journal,
        };
        match state.store.commit_paper(&commit).await {
            Ok(chunk_blobs) => {
                state.blobs.finish_deletions(&chunk_blobs).await;
                return Ok((
                    StatusCode::CREATED,
                    ApiJson(Deposited {
                        paper: paper.id,
                        deposit_receipt: b64(&receipt_bytes),
                        seq: journal.seq,
                        receipt: b64(&journal.receipt),
                    }),
                ));
            }
            Err(InsertError::Conflict) if head_moved(&state, &grant.owner, &journal).await? => {}
            Err(e) => {
                content.discard(&state).await;
                return Err(ApiError::from_insert(e, "this paper id is taken"));
            }
        }
    }
    content.discard(&state).await;
    Err(ApiError::Unavailable)
}

fn unix_u64(t: Timestamp) -> u64 {
    u64::try_from(unix_secs(t)).unwrap_or(0)
}

/// The server's deposit receipt for `upload` (envelope bytes) at `time`, signed with the
/// instance's server key. Ed25519 signatures are deterministic, so the receipt of a stored
/// paper is signed again, byte for byte, from its statement and its stored time.
pub(crate) fn deposit_receipt(
    state: &AppState,
    owner: &CoffreRecord,
    upload: &Envelope,
    time: u64,
) -> Result<Vec<u8>, ApiError> {
    let internal = |e: coffre_crypto::Error| ApiError::Internal(format!("deposit receipt: {e}"));
    let paper = upload.peek::<Upload>().map_err(internal)?.paper;
    let body = DepositReceipt {
        coffre: Id(owner.id.0),
        instance: state.origin.as_str().to_owned(),
        kind: Default::default(),
        paper,
        time,
        upload: upload.hash().map_err(internal)?,
        v: Default::default(),
    };
    state
        .server_key
        .sign_statement(&body)
        .and_then(|e| e.to_bytes())
        .map_err(internal)
}

/// The upload statement, verified as every reader will: the server signs its deposit
/// receipt at `now`, and `verify_upload_statement` checks the uploader, the mandate's right,
/// category and window at the receipt's time, and the category's certificate — the newest
/// generation of a covered category. Returns the statement and the receipt.
async fn verified_deposit(
    state: &AppState,
    grant: &GranteeGrant,
    bytes: &[u8],
    now: u64,
) -> Result<(Upload, Vec<u8>), ApiError> {
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
    // Another coffre, instance or epoch, another uploader or mandate: refused before any
    // certificate is looked at.
    grant
        .ctx
        .check(&peeked.instance, Some(&peeked.coffre), Some(peeked.epoch))
        .map_err(ApiError::refused("upload"))?;
    if peeked.uploader != grant.uploader || peeked.mandate != Some(grant.mandate.body().mandate) {
        return Err(ApiError::Refused {
            what: "upload".into(),
            error: coffre_crypto::Error::UnauthorisedSigner,
        });
    }
    if !grant.mandate.body().categories.contains(&peeked.category) {
        return Err(ApiError::Refused {
            what: "upload".into(),
            error: coffre_crypto::Error::UnauthorisedSigner,
        });
    }
    let categories = state.store.categories(grant.owner.id).await?;
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
    let cert_bytes = newest.cert.clone();
    let cert = Envelope::parse(&cert_bytes)
        .map_err(|e| ApiError::Internal(format!("stored certificate: {e}")))?;
    let receipt_bytes = deposit_receipt(state, &grant.owner, &envelope, now)?;
    let receipt = Envelope::parse(&receipt_bytes)
        .map_err(|e| ApiError::Internal(format!("deposit receipt: {e}")))?;
    let policy = UploaderPolicy {
        owner: PublicKey(grant.owner.owner_key),
        server: Some(state.server_key.public_key()),
        mandates: vec![MandateGrant {
            mandate: grant.mandate.clone(),
            ends: MandateEnds::none(),
            keys: vec![grant.uploader],
        }],
    };
    let (upload, _) = verify_upload_statement(
        &grant.ctx,
        &policy,
        &cert,
        peeked.paper,
        Some(&receipt),
        &envelope,
    )
    .map_err(refused)?;
    Ok((upload, receipt_bytes))
}

/// A paper deposited under a mandate, for the owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct DepositItem {
    pub paper: Uuid,
    /// The depositor-signed `upload` (envelope bytes, base64url): its `uploader` and
    /// `mandate` say who deposited it.
    pub statement: String,
    /// The server-signed `deposit_receipt` (envelope bytes, base64url).
    pub deposit_receipt: String,
}

/// The papers deposited under a mandate.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deposits {
    pub deposits: Vec<DepositItem>,
}

/// The owner reads what was deposited under a mandate: each upload statement (the proof a
/// `paper_deposited` journal entry names) with its deposit receipt (which opening the paper
/// needs).
#[utoipa::path(
    get,
    path = "/mandates/{id}/deposits",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    responses(
        (status = 200, description = "The deposits", body = Deposits),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found (or not this coffre's)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<Deposits>, ApiError> {
    let me = account(&state, &session).await?;
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    if m.coffre != me.id {
        return Err(ApiError::NotFound);
    }
    let mut deposits = Vec::new();
    for p in state.store.paper_list(me.id).await? {
        let Ok(envelope) = Envelope::parse(&p.statement) else {
            continue;
        };
        let Ok(upload) = envelope.peek::<Upload>() else {
            continue;
        };
        if upload.mandate != Some(Id(id)) {
            continue;
        }
        let receipt = deposit_receipt(&state, &me, &envelope, unix_u64(p.created_at))?;
        deposits.push(DepositItem {
            paper: p.id,
            statement: b64(&p.statement),
            deposit_receipt: b64(&receipt),
        });
    }
    Ok(ApiJson(Deposits { deposits }))
}
