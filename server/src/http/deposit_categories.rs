//! The covered categories as a grantee sees them (protocol.md section 5;
//! `docs/design/mandates-server.md`): their current certificates, to seal a deposit to, and
//! their labels, sealed to the grantee by the owner's client, so the workspace names each
//! démarche under any right — never a category key.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coffre_crypto::encoding::b64;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::CategoryRecord;
use crate::error::{ApiError, ErrorBody};
use crate::http::deposits::{GranteeGrant, grantee_grant};
use crate::http::mandates::{not_ended, peek_mandate};
use crate::http::organisations::{account, now_secs};
use crate::http::session::CurrentSession;
use crate::http::{ApiJson, coffres};

/// A covered category as a grantee receives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DepositCategory {
    pub category: Uuid,
    /// The current generation (the one a deposit must use).
    pub generation: u64,
    /// The owner-signed `category_cert` (envelope bytes, base64url): the recipient to seal
    /// the paper to, and its window.
    pub cert: String,
    /// The category's label sealed to the grantee (an age file holding the owner-signed
    /// `category_label`, base64url), once the owner's client has given it.
    pub label: Option<String>,
}

/// The categories a mandate covers (those a deposit may go into).
#[derive(Debug, Serialize, ToSchema)]
pub struct DepositCategories {
    pub categories: Vec<DepositCategory>,
}

/// The covered categories' current certificates and labels, for the grantee of a mandate in
/// force (any right: a consult grantee reads the labels, a depositor also seals to the
/// certificates).
#[utoipa::path(
    get,
    path = "/mandates/{id}/categories",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    responses(
        (status = 200, description = "Certificates and labels of the covered categories", body = DepositCategories),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found (or not a mandate to you, or no longer in force)", body = ErrorBody),
    )
)]
pub async fn categories(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<DepositCategories>, ApiError> {
    let grant = grantee_grant(&state, &session, id).await?;
    let all = state.store.categories(grant.owner.id).await?;
    let labels = state.store.mandate_labels(id).await?;
    Ok(ApiJson(DepositCategories {
        categories: covered(&grant, &all, &labels),
    }))
}

/// The categories `grant`'s mandate covers, each at its newest generation among `all` (the
/// coffre's), with the label sealed to the grantee when `labels` (the mandate's) has one.
pub(crate) fn covered(
    grant: &GranteeGrant,
    all: &[CategoryRecord],
    labels: &[(Uuid, Vec<u8>)],
) -> Vec<DepositCategory> {
    let mut categories: Vec<DepositCategory> = Vec::new();
    for c in &grant.mandate.body().categories {
        if let Some(newest) = all
            .iter()
            .filter(|r| r.id == c.0)
            .max_by_key(|r| r.generation)
        {
            categories.push(DepositCategory {
                category: newest.id,
                generation: newest.generation,
                cert: b64(&newest.cert),
                label: labels
                    .iter()
                    .find(|(category, _)| *category == c.0)
                    .map(|(_, label)| b64(label)),
            });
        }
    }
    categories
}

/// One category label sealed to the grantee.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLabel {
    pub category: Uuid,
    /// An age file to the person's recipient or the organisation's current key, holding the
    /// owner-signed `category_label` (base64url); the server cannot open it.
    pub label: String,
}

/// Labels for a mandate's grantee.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLabels {
    pub labels: Vec<NewLabel>,
}

/// The owner's client gives the grantee the labels of covered categories (protocol.md
/// section 5: a deposit-only grantee gets the label, never the key); one sent again
/// replaces the first.
#[utoipa::path(
    put,
    path = "/mandates/{id}/labels",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    request_body = NewLabels,
    responses(
        (status = 204, description = "Stored"),
        (status = 400, description = "It has ended, or a category it does not cover, or not an age file", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not this coffre's)", body = ErrorBody),
    )
)]
pub async fn put_labels(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewLabels>,
) -> Result<StatusCode, ApiError> {
    let owner = account(&state, &session).await?;
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    if m.coffre != owner.id {
        return Err(ApiError::NotFound);
    }
    let body = peek_mandate(&m)?;
    if !not_ended(&m, now_secs(&state)) {
        return Err(ApiError::BadRequest(
            "labels go only to a mandate that has not ended".into(),
        ));
    }
    let mut labels = Vec::with_capacity(req.labels.len());
    for l in &req.labels {
        if !body.categories.iter().any(|c| c.0 == l.category) {
            return Err(ApiError::BadRequest(format!(
                "category {} is not one this mandate covers",
                l.category
            )));
        }
        labels.push((l.category, coffres::recipient_file("label", &l.label)?));
    }
    state.store.put_mandate_labels(id, &labels).await?;
    Ok(StatusCode::NO_CONTENT)
}
