//! The signed-in session and the coffre's other sessions ("mes appareils"):
//! `GET`/`DELETE /api/session`, `GET`/`DELETE /api/sessions`, `DELETE /api/sessions/{id}`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::FactorKind;
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::session::{self, CurrentSession, SessionInfo};

/// What a browser must forget when it signs out (the server cannot reach IndexedDB).
const CLEAR_SITE_DATA: &str = "\"cache\", \"cookies\", \"storage\"";

/// This browser's session.
#[utoipa::path(
    get,
    path = "/session",
    tag = "accounts",
    responses(
        (status = 200, description = "Signed in", body = SessionInfo),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn current(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<SessionInfo>, ApiError> {
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    Ok(ApiJson(SessionInfo::of(&session, &coffre, &state)))
}

/// Signs this browser out, and tells it to forget this site's data.
#[utoipa::path(
    delete,
    path = "/session",
    tag = "accounts",
    responses(
        (status = 204, description = "Signed out; Clear-Site-Data sent"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<Response, ApiError> {
    state.store.delete_session(&session.token_sha256).await?;
    signed_out(&state)
}

fn signed_out(state: &AppState) -> Result<Response, ApiError> {
    Ok((
        StatusCode::NO_CONTENT,
        [
            (header::SET_COOKIE, session::removal_cookie(state)?),
            (
                header::HeaderName::from_static("clear-site-data"),
                HeaderValue::from_static(CLEAR_SITE_DATA),
            ),
        ],
    )
        .into_response())
}

/// One signed-in browser of the coffre.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: String,
    pub label: String,
    pub factor: FactorKind,
    pub shared: bool,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds.
    pub last_seen: i64,
    /// This is the browser asking.
    pub current: bool,
}

/// The coffre's signed-in browsers, most recently used first.
#[utoipa::path(
    get,
    path = "/sessions",
    tag = "accounts",
    responses(
        (status = 200, description = "The coffre's sessions", body = [SessionView]),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<Vec<SessionView>>, ApiError> {
    let now = state.clock.now();
    let sessions = state.store.sessions(session.coffre).await?;
    Ok(ApiJson(
        sessions
            .into_iter()
            .filter(|s| s.expires_at > now)
            .map(|s| SessionView {
                id: s.id.as_hyphenated().to_string(),
                label: s.label.clone(),
                factor: if s.device.is_some() {
                    FactorKind::Device
                } else {
                    s.factor_kind
                },
                shared: s.shared,
                created: session::unix_secs(s.created_at),
                last_seen: session::unix_secs(s.last_seen_at),
                current: s.token_sha256 == session.token_sha256,
            })
            .collect(),
    ))
}

/// Signs one of the coffre's browsers out.
#[utoipa::path(
    delete,
    path = "/sessions/{id}",
    tag = "accounts",
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 204, description = "That browser is signed out"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "No such session in this coffre", body = ErrorBody),
    )
)]
pub async fn sign_out_one(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = Uuid::try_parse(&id).map_err(|_| ApiError::NotFound)?;
    if !state.store.delete_session_by_id(session.coffre, id).await? {
        return Err(ApiError::NotFound);
    }
    if id == session.id {
        return signed_out(&state);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Signs every browser of the coffre out, this one too.
#[utoipa::path(
    delete,
    path = "/sessions",
    tag = "accounts",
    responses(
        (status = 204, description = "Every browser is signed out; Clear-Site-Data sent"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
    )
)]
pub async fn sign_out_all(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<Response, ApiError> {
    state.store.delete_sessions(session.coffre).await?;
    signed_out(&state)
}
