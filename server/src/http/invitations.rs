//! One-time invitations (docs/design/accounts.md, "Professional accounts"): a professional's
//! or the instance admin's account is opened from a link that `coffre admin invite` prints.
//! The link carries 32 random bytes in its fragment (never sent in a request line, so never
//! in a log); the database keeps only their SHA-256. The token is used up by
//! `POST /api/coffres` in the same transaction that opens the account.

use axum::extract::State;
use coffre_crypto::encoding::{b64, unb64_array};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Duration;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::clock::SharedClock;
use crate::db::SharedStore;
use crate::db::StoreError;
use crate::domain::{AccountRole, InstanceOrigin};
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::session::{self, ClientIp, NONCE_PER_IP};

/// How long an invitation link works unless the admin says otherwise.
pub const DEFAULT_LIFETIME: Duration = Duration::hours(72);

/// The path of the page that opens an invited account (the token follows after `#`).
pub const INVITATION_PATH: &str = "/inscription";

/// The SHA-256 of a token sent in base64url (`bad_request` if it is not 32 bytes).
pub fn token_digest(token: &str) -> Result<[u8; 32], ApiError> {
    let bytes: [u8; 32] = unb64_array(token)
        .map_err(|_| ApiError::BadRequest("invitation: 32 bytes in base64url".into()))?;
    Ok(Sha256::digest(bytes).into())
}

/// Makes an invitation for `role` that works for `lifetime`, and returns its link.
pub async fn invite(
    store: &SharedStore,
    clock: &SharedClock,
    origin: &InstanceOrigin,
    role: AccountRole,
    lifetime: Duration,
) -> Result<(String, crate::domain::Timestamp), StoreError> {
    let mut token = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut token);
    let now = clock.now();
    let expires = now.saturating_add(lifetime);
    let digest: [u8; 32] = Sha256::digest(token).into();
    store.insert_invitation(&digest, role, now, expires).await?;
    Ok((
        format!("{origin}{INVITATION_PATH}#{}", b64(&token)),
        expires,
    ))
}

/// An invitation token, to check before the person starts.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInvitation {
    /// The 32 bytes after `#` in the link (base64url).
    pub token: String,
}

impl std::fmt::Debug for CheckInvitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckInvitation").finish_non_exhaustive()
    }
}

/// What the invitation opens.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationInfo {
    pub role: AccountRole,
}

/// Says whether an invitation link still works, and for which kind of account (it is not
/// used up here).
#[utoipa::path(
    post,
    path = "/invitations/check",
    tag = "accounts",
    request_body = CheckInvitation,
    responses(
        (status = 200, description = "The invitation works", body = InvitationInfo),
        (status = 410, description = "invitation_expired: unknown, used or expired", body = ErrorBody),
        (status = 429, description = "too_many_attempts", body = ErrorBody),
    )
)]
pub async fn check(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CheckInvitation>,
) -> Result<ApiJson<InvitationInfo>, ApiError> {
    session::rate_limit(&state, NONCE_PER_IP, &ip).await?;
    let digest = token_digest(&req.token)?;
    let role = state
        .store
        .invitation_role(&digest, state.clock.now())
        .await?
        .ok_or(ApiError::InvitationExpired)?;
    Ok(ApiJson(InvitationInfo { role }))
}
