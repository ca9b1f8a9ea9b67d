//! Pending organisation proposals (`/api/organisations/{id}/proposals`;
//! `docs/design/organisations-screens.md`, "Two responsables signing together"): once an
//! organisation has two responsables, a chain statement is signed on one responsable's device,
//! kept here, and countersigned later on another's, which appends the two-signature statement
//! through `POST /api/organisations/{id}/chain`. The server stores only a proposal that
//! `check_org_proposal` accepts (the next seq, one signature by the posting responsable, a
//! statement that would apply); the countersigning client checks it again against the chain
//! it verified itself. The server can withhold or drop a proposal (SECURITY.md), not forge one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coffre_crypto::encoding::{PublicKey, b64};
use coffre_crypto::organisation::check_org_proposal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::org_proposals::ProposalRecord;
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::organisations::{NextStatement, check_new_member, founded, responsable};
use crate::http::session::CurrentSession;

/// A statement signed by one responsable, to be countersigned by another.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProposal {
    /// An `org_chain` statement at the next seq with one signature, the posting responsable's
    /// (envelope bytes, base64url).
    pub statement: String,
}

/// A stored proposal's place.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalPlace {
    pub proposal: Uuid,
    /// The chain seq it would take.
    pub seq: u64,
}

/// One pending proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalItem {
    pub proposal: Uuid,
    pub seq: u64,
    /// The one-signature `org_chain` envelope (base64url): the client verifies it, shows what
    /// it does and adds its own signature.
    pub statement: String,
    /// The proposing responsable's Ed25519 key (base64url; the statement's signature says so).
    pub proposer: String,
    /// When it was stored (µs since the Unix epoch, the server's clock).
    pub created: i64,
}

/// The pending proposals for the chain's next seq.
#[derive(Debug, Serialize, ToSchema)]
pub struct Proposals {
    pub proposals: Vec<ProposalItem>,
}

/// A current responsable proposes a chain statement for a second one to countersign.
#[utoipa::path(
    post,
    path = "/organisations/{id}/proposals",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "The organisation")),
    request_body = NewProposal,
    responses(
        (status = 201, description = "Stored", body = ProposalPlace),
        (status = 400, description = "Signed by another key than the poster's, or the added member is not a professional account of this instance", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (an aidant), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not a member)", body = ErrorBody),
        (status = 409, description = "The chain moved (sign again), or too many proposals wait", body = ErrorBody),
        (status = 422, description = "Not a proposal that would apply (protocol error code)", body = ErrorBody),
    )
)]
pub async fn propose(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewProposal>,
) -> Result<(StatusCode, ApiJson<ProposalPlace>), ApiError> {
    let me = responsable(&state, &session, id).await?;
    let org = founded(&state, id).await?;
    let NextStatement {
        bytes,
        envelope,
        peeked,
        seq: next,
    } = org.next_statement(&req.statement)?;
    let checked =
        check_org_proposal(&org.state, &envelope).map_err(ApiError::refused("org_chain"))?;
    if checked.proposer != PublicKey(me.owner_key) {
        return Err(ApiError::BadRequest(
            "a proposal is signed by the responsable who posts it".into(),
        ));
    }
    check_new_member(&state, &peeked).await?;
    let record = ProposalRecord {
        organisation: id,
        id: Uuid::new_v4(),
        seq: next,
        statement: bytes,
        proposer_key: me.owner_key,
        created_at: state.clock.now(),
    };
    state
        .store
        .insert_org_proposal(&record)
        .await
        .map_err(|e| ApiError::from_insert(e, "too many proposals wait: sign or refuse some"))?;
    Ok((
        StatusCode::CREATED,
        ApiJson(ProposalPlace {
            proposal: record.id,
            seq: next,
        }),
    ))
}

/// A current responsable reads the proposals waiting for the chain's next seq (older ones,
/// which no longer apply, are deleted).
#[utoipa::path(
    get,
    path = "/organisations/{id}/proposals",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "The organisation")),
    responses(
        (status = 200, description = "The pending proposals", body = Proposals),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (an aidant)", body = ErrorBody),
        (status = 404, description = "not_found (or not a member)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<Proposals>, ApiError> {
    let _me = responsable(&state, &session, id).await?;
    let org = founded(&state, id).await?;
    let next = org.state.checkpoint.seq + 1;
    state.store.delete_stale_org_proposals(id, next).await?;
    let proposals = state
        .store
        .org_proposals(id)
        .await?
        .into_iter()
        .filter(|p| p.seq == next)
        .map(|p| ProposalItem {
            proposal: p.id,
            seq: p.seq,
            statement: b64(&p.statement),
            proposer: PublicKey(p.proposer_key).to_b64(),
            created: p.created_at.as_micros(),
        })
        .collect();
    Ok(ApiJson(Proposals { proposals }))
}

/// A current responsable refuses a proposal: it is deleted.
#[utoipa::path(
    delete,
    path = "/organisations/{id}/proposals/{proposal}",
    tag = "organisations",
    params(
        ("id" = Uuid, Path, description = "The organisation"),
        ("proposal" = Uuid, Path, description = "The proposal"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (an aidant), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (no such proposal, or not a member)", body = ErrorBody),
    )
)]
pub async fn refuse(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path((id, proposal)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    let _me = responsable(&state, &session, id).await?;
    if !state.store.delete_org_proposal(id, proposal).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
