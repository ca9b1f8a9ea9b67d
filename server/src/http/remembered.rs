//! "Se souvenir de ce téléphone" (protocol.md 4.5; docs/design/accounts.md, "Remembered
//! devices"): the person's own device keeps the seed wrapped under a key made of its own half
//! and the server's half; the server gives its half back only after the device's signed
//! challenge and the carte's PIN (or with a passkey sign-in). "Mon téléphone a été volé"
//! deletes the server's half, which ends the device's sessions too.
//!
//! A session a remembered device opened is no recovery factor: [`refuse_remembered`] keeps
//! it from adding or replacing keys and from starting a new owner epoch.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::HeaderMap;
use axum::response::{IntoResponse, Response};
use coffre_crypto::encoding::{b64, unb64_array};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::app::AppState;
use crate::domain::pin::Pin;
use crate::domain::{CoffreId, FactorKind, RememberedDevice, SessionRecord};
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::auth::{self, checked_challenge, prove_challenge};
use crate::http::session::{
    self, ClientIp, CurrentSession, DeviceInfo, OpenedWith, SIGN_IN_PER_IP, SessionInfo,
};

/// Refuses what only a recovery factor may do (add or replace keys, a new epoch) when the
/// session was opened by a remembered device.
pub fn refuse_remembered(session: &SessionRecord) -> Result<(), ApiError> {
    match session.device {
        Some(_) => Err(ApiError::RememberedDevice),
        None => Ok(()),
    }
}

/// A device to remember: its auth public key, proven by a signed nonce.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRemembered {
    /// The device's Ed25519 auth public key (base64url).
    pub auth_key: String,
    /// A nonce from `POST /api/auth/nonce`, signed by `auth_key` (protocol.md 4.4).
    pub nonce: String,
    pub signature: String,
    /// A short label ("Chrome, Android").
    pub label: String,
}

/// The remembered device, and the server's half of its wrap key.
#[derive(Serialize, ToSchema)]
pub struct Remembered {
    pub id: Uuid,
    /// 32 bytes (base64url): with the device's own half, it makes the wrap key.
    pub server_half: String,
}

impl std::fmt::Debug for Remembered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remembered")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// What the coffre page shows of a remembered device.
#[derive(Debug, Serialize, ToSchema)]
pub struct RememberedInfo {
    pub id: Uuid,
    pub label: String,
    /// Unix seconds.
    pub created: i64,
    pub last_used: Option<i64>,
}

impl RememberedInfo {
    pub fn of(d: &RememberedDevice) -> Self {
        Self {
            id: d.id,
            label: d.label.clone(),
            created: session::unix_secs(d.created_at),
            last_used: d.last_used_at.map(session::unix_secs),
        }
    }
}

/// Remembers this device: never on a shared computer, never from a session a remembered
/// device opened.
#[utoipa::path(
    post,
    path = "/remembered",
    tag = "accounts",
    request_body = NewRemembered,
    responses(
        (status = 201, description = "Remembered; the server's half follows, once", body = Remembered),
        (status = 401, description = "Not signed in, or challenge_expired", body = ErrorBody),
        (status = 403, description = "shared_computer, remembered_device, csrf or bad_origin", body = ErrorBody),
        (status = 409, description = "This device key is already remembered", body = ErrorBody),
        (status = 422, description = "The signed nonce does not verify", body = ErrorBody),
    )
)]
pub async fn remember(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewRemembered>,
) -> Result<Response, ApiError> {
    if session.shared {
        return Err(ApiError::SharedComputer);
    }
    refuse_remembered(&session)?;
    let key: [u8; 32] = unb64_array(&req.auth_key)
        .map_err(|_| ApiError::BadRequest("auth_key: 32 bytes in base64url".into()))?;
    prove_challenge(
        &state,
        "the device's signed challenge",
        &req.auth_key,
        &req.nonce,
        &req.signature,
    )
    .await?;
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let mut half = Zeroizing::new([0u8; 32]);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, half.as_mut());
    let device = RememberedDevice {
        id: Uuid::new_v4(),
        coffre: coffre.id,
        epoch: coffre.epoch,
        auth_key: key,
        server_half: half,
        label: session::clean_label(&req.label),
        created_at: state.clock.now(),
        last_used_at: None,
    };
    state
        .store
        .insert_remembered(&device)
        .await
        .map_err(|e| ApiError::from_insert(e, "this device is already remembered"))?;
    let body = Remembered {
        id: device.id,
        server_half: b64(device.server_half.as_ref()),
    };
    Ok((StatusCode::CREATED, ApiJson(body)).into_response())
}

/// Forgets one of the coffre's devices ("mon téléphone a été volé", or "oublier ce
/// téléphone"): its half is deleted, its sessions end. Allowed from any session.
#[utoipa::path(
    delete,
    path = "/remembered/{id}",
    tag = "accounts",
    params(("id" = Uuid, Path, description = "The remembered device's id")),
    responses(
        (status = 204, description = "Forgotten"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "csrf or bad_origin", body = ErrorBody),
        (status = 404, description = "No such device in this coffre", body = ErrorBody),
    )
)]
pub async fn forget(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    if state.store.delete_remembered(session.coffre, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A remembered device's proof: its auth key signed a fresh nonce.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RememberedProof {
    pub auth_key: String,
    pub nonce: String,
    pub signature: String,
}

/// Signing in on a remembered device: its signed challenge and the carte's PIN.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RememberedSignIn {
    pub auth_key: String,
    pub nonce: String,
    pub signature: String,
    /// The carte's PIN (4 to 8 digits).
    pub pin: String,
    pub device: DeviceInfo,
}

impl std::fmt::Debug for RememberedSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RememberedSignIn").finish_non_exhaustive()
    }
}

/// A new session and the server's half of the device's wrap key.
#[derive(Serialize, ToSchema)]
pub struct RememberedSignedIn {
    pub session: SessionInfo,
    /// 32 bytes (base64url).
    pub server_half: String,
}

impl std::fmt::Debug for RememberedSignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RememberedSignedIn").finish_non_exhaustive()
    }
}

/// The device whose key signed this proof, if it is one of `coffre`'s (`None` otherwise).
async fn proven_device(
    state: &AppState,
    auth_key: &str,
    nonce: &str,
    signature: &str,
) -> Result<Option<RememberedDevice>, ApiError> {
    let Some(key) = checked_challenge(state, auth_key, nonce, signature).await? else {
        return Ok(None);
    };
    Ok(state.store.remembered_by_auth_key(&key.0).await?)
}

/// The server's half for a remembered device of `coffre` that signed `proof` (with a passkey
/// sign-in); `None` if the device is not (or no longer) one of `coffre`'s.
pub async fn proven_half(
    state: &AppState,
    proof: &RememberedProof,
    coffre: CoffreId,
) -> Result<Option<Zeroizing<[u8; 32]>>, ApiError> {
    let device = proven_device(state, &proof.auth_key, &proof.nonce, &proof.signature).await?;
    Ok(device
        .filter(|d| d.coffre == coffre)
        .map(|d| d.server_half.clone()))
}

/// Signs in on a remembered device with the carte's PIN.
#[utoipa::path(
    post,
    path = "/sessions/remembered",
    tag = "accounts",
    request_body = RememberedSignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = RememberedSignedIn),
        (status = 401, description = "sign_in_failed (a wrong PIN, or a signature that does not verify) or challenge_expired", body = ErrorBody),
        (status = 403, description = "bad_origin", body = ErrorBody),
        (status = 410, description = "device_forgotten: this device is not remembered (any more)", body = ErrorBody),
        (status = 423, description = "carte_locked: too many wrong PINs", body = ErrorBody),
        (status = 429, description = "too_many_attempts", body = ErrorBody),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RememberedSignIn>,
) -> Result<Response, ApiError> {
    session::rate_limit(&state, SIGN_IN_PER_IP, &ip).await?;
    let pin = Pin::parse(&req.pin)
        .ok_or_else(|| ApiError::BadRequest("the PIN is 4 to 8 digits".into()))?;
    let key: [u8; 32] = unb64_array(&req.auth_key)
        .map_err(|_| ApiError::BadRequest("auth_key: 32 bytes in base64url".into()))?;
    // A forgotten device is told so (it then forgets its own half): that reveals nothing a
    // PIN guess could use.
    let device = state
        .store
        .remembered_by_auth_key(&key)
        .await?
        .ok_or(ApiError::DeviceForgotten)?;
    if checked_challenge(&state, &req.auth_key, &req.nonce, &req.signature)
        .await?
        .is_none()
    {
        return Err(ApiError::SignInFailed);
    }
    let coffre = state
        .store
        .coffre(device.coffre)
        .await?
        .ok_or_else(|| ApiError::Internal("a device without its coffre".into()))?;
    if device.epoch != coffre.epoch {
        return Err(ApiError::DeviceForgotten);
    }
    let carte = state
        .store
        .factors(coffre.id)
        .await?
        .into_iter()
        .find(|f| f.kind == FactorKind::Carte)
        .ok_or(ApiError::SignInFailed)?;
    auth::check_pin(&state, &carte, pin, &req.device, FactorKind::Device).await?;
    let now = state.clock.now();
    state.store.record_factor_use(carte.id, now).await?;
    state.store.record_remembered_use(device.id, now).await?;
    let opened = auth::open_session(
        &state,
        &headers,
        coffre.id,
        OpenedWith {
            factor: Some(carte.id),
            kind: FactorKind::Carte,
            remembered: Some(device.id),
        },
        &req.device,
        FactorKind::Device,
    )
    .await?;
    Ok(opened.answer(|session, _| RememberedSignedIn {
        session,
        server_half: b64(device.server_half.as_ref()),
    }))
}
