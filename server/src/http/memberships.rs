//! The organisations the signed-in account is a current member of (`GET /api/organisations`):
//! what an aidant's or a responsable's client needs to find its organisation (« Mon code »
//! shows the organisation's code, « Mon organisation » its members). Read from the current
//! members the verified chain says (`org_members`), so a removed member no longer sees it.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::organisations::account;
use crate::http::session::CurrentSession;

/// One organisation the caller belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Membership {
    pub organisation: Uuid,
    pub name: String,
    /// `responsable` or `aidant`.
    pub role: String,
}

/// The caller's memberships.
#[derive(Debug, Serialize, ToSchema)]
pub struct Memberships {
    pub organisations: Vec<Membership>,
}

/// The organisations the signed-in account (by its current owner key) is a member of now.
#[utoipa::path(
    get,
    path = "/organisations",
    tag = "organisations",
    responses(
        (status = 200, description = "The caller's current memberships", body = Memberships),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<Memberships>, ApiError> {
    let me = account(&state, &session).await?;
    let mut organisations = Vec::new();
    for (organisation, role) in state.store.memberships(&me.owner_key).await? {
        // A member row exists only for a founded organisation (the genesis writes it).
        let Some(record) = state.store.organisation(organisation).await? else {
            continue;
        };
        organisations.push(Membership {
            organisation,
            name: record.name,
            role,
        });
    }
    Ok(ApiJson(Memberships { organisations }))
}
