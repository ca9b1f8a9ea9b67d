//! Wraps of existing organisation key generations for a current member
//! (`POST /api/organisations/{id}/wraps`): how a responsable gives a newly added aidant the
//! organisation keys made before she joined, so that she opens the category keys owners
//! wrapped to them (mandates given before she arrived; `docs/design/organisations-screens.md`).
//! The server checks who posts, to whom and for which generation; it cannot open a wrap (an
//! age file to the member's recipient), and the member's client checks what it unwraps
//! against the root-signed certificate.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coffre_crypto::encoding::PublicKey;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::http::organisations::{founded, responsable};
use crate::http::session::CurrentSession;
use crate::http::{ApiJson, coffres};

/// Most wraps in one request (a member times the generations she lacks).
pub const MAX_WRAPS: usize = 256;

/// One wrap of an existing generation to a current member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerationWrap {
    pub generation: u64,
    /// The member's Ed25519 key (base64url).
    pub member: String,
    /// The `org_key_wrap` age file to the member's recipient (base64url).
    pub wrap: String,
}

/// Wraps of existing generations.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGenerationWraps {
    pub wraps: Vec<GenerationWrap>,
}

/// How many were stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct WrapsAdded {
    pub added: usize,
}

/// A current responsable wraps existing organisation key generations to current members.
#[utoipa::path(
    post,
    path = "/organisations/{id}/wraps",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "The organisation")),
    request_body = NewGenerationWraps,
    responses(
        (status = 201, description = "Stored", body = WrapsAdded),
        (status = 400, description = "A member not current, a generation that does not exist, none or too many wraps, one twice", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (an aidant), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not a member)", body = ErrorBody),
        (status = 409, description = "That member has a wrap of that generation already", body = ErrorBody),
    )
)]
pub async fn add_wraps(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewGenerationWraps>,
) -> Result<(StatusCode, ApiJson<WrapsAdded>), ApiError> {
    let _me = responsable(&state, &session, id).await?;
    let org = founded(&state, id).await?;
    if req.wraps.is_empty() || req.wraps.len() > MAX_WRAPS {
        return Err(ApiError::BadRequest(format!(
            "1 to {MAX_WRAPS} wraps in one request"
        )));
    }
    let generations: Vec<u64> = state
        .store
        .org_keys(id)
        .await?
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    let mut wraps: Vec<(u64, [u8; 32], Vec<u8>)> = Vec::with_capacity(req.wraps.len());
    for w in &req.wraps {
        let key = PublicKey::from_b64(&w.member).map_err(ApiError::refused("member"))?;
        if !org.state.is_member(&key) {
            return Err(ApiError::BadRequest(
                "a wrap goes to a current member only".into(),
            ));
        }
        if !generations.contains(&w.generation) {
            return Err(ApiError::BadRequest(format!(
                "the organisation has no key generation {}",
                w.generation
            )));
        }
        if wraps
            .iter()
            .any(|(g, k, _)| *g == w.generation && *k == key.0)
        {
            return Err(ApiError::BadRequest(
                "one wrap per generation and member".into(),
            ));
        }
        wraps.push((
            w.generation,
            key.0,
            coffres::recipient_file("wrap", &w.wrap)?,
        ));
    }
    state
        .store
        .insert_org_key_wraps(id, &wraps)
        .await
        .map_err(|e| ApiError::from_insert(e, "that member has this generation's wrap already"))?;
    Ok((
        StatusCode::CREATED,
        ApiJson(WrapsAdded { added: wraps.len() }),
    ))
}
