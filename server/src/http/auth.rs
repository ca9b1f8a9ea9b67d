//! Signing in: `POST /api/auth/nonce`, `POST /api/sessions/carte`,
//! `POST /api/sessions/passphrase` (docs/design/accounts.md). The server holds auth public
//! keys only; each sign-in signs a fresh single-use nonce.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap};
use axum::response::{IntoResponse, Response};
use coffre_crypto::encoding::{PublicKey, SignatureBytes, b64, unb64_array};
use coffre_crypto::unlock::verify_auth_challenge;
use serde::{Deserialize, Serialize};
use time::Duration;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::domain::pin::{self, PIN_LOCK_AFTER, Pin};
use crate::domain::{CoffreId, CoffreRecord, FactorKind, FactorRecord};
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::journal::{self, ServerAction};
use crate::http::session::{
    self, ClientIp, DeviceInfo, NONCE_PER_IP, OpenedWith, SIGN_IN_PER_IP, SIGN_IN_PER_KEY,
    SessionInfo,
};

/// How long a sign-in nonce stays usable.
pub const NONCE_LIFETIME: Duration = Duration::minutes(2);

/// A fresh sign-in challenge.
#[derive(Debug, Serialize, ToSchema)]
pub struct NonceAnswer {
    /// 32 random bytes (base64url): sign them with the auth key (protocol.md 4.4).
    pub nonce: String,
    /// When the nonce stops being accepted (Unix seconds).
    pub expires: i64,
    /// The server's time (Unix seconds), for what the client signs next.
    pub now: i64,
}

/// Asks for a sign-in challenge.
#[utoipa::path(
    post,
    path = "/auth/nonce",
    tag = "accounts",
    responses(
        (status = 200, description = "A single-use nonce", body = NonceAnswer),
        (status = 429, description = "Too many requests from this address", body = ErrorBody),
    )
)]
pub async fn nonce(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
) -> Result<ApiJson<NonceAnswer>, ApiError> {
    session::rate_limit(&state, NONCE_PER_IP, &ip).await?;
    let now = state.clock.now();
    let mut nonce = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let expires = now.saturating_add(NONCE_LIFETIME);
    state.store.insert_nonce(&nonce, expires, now).await?;
    Ok(ApiJson(NonceAnswer {
        nonce: b64(&nonce),
        expires: session::unix_secs(expires),
        now: session::unix_secs(now),
    }))
}

/// Sign-in with the carte Coffre.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarteSignIn {
    pub auth_key: String,
    pub nonce: String,
    pub signature: String,
    /// 4 to 8 digits.
    pub pin: String,
    pub device: DeviceInfo,
}

impl std::fmt::Debug for CarteSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CarteSignIn").finish_non_exhaustive()
    }
}

/// Sign-in with the six words.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassphraseSignIn {
    pub auth_key: String,
    pub nonce: String,
    pub signature: String,
    pub device: DeviceInfo,
}

/// A new session and the seed wrapped to the factor used.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedIn {
    pub session: SessionInfo,
    /// The seed wrapped to this factor: an age file (base64url) only this factor opens.
    pub wrap: String,
}

/// Signs in with the carte and its PIN.
#[utoipa::path(
    post,
    path = "/sessions/carte",
    tag = "accounts",
    request_body = CarteSignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SignedIn),
        (status = 401, description = "sign_in_failed (unknown carte, bad signature or wrong PIN, one answer) or challenge_expired", body = ErrorBody),
        (status = 403, description = "bad_origin", body = ErrorBody),
        (status = 423, description = "carte_locked: too many wrong PINs", body = ErrorBody),
        (status = 429, description = "too_many_attempts", body = ErrorBody),
    )
)]
pub async fn sign_in_carte(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CarteSignIn>,
) -> Result<Response, ApiError> {
    session::rate_limit(&state, SIGN_IN_PER_IP, &ip).await?;
    let pin = Pin::parse(&req.pin)
        .ok_or_else(|| ApiError::BadRequest("the PIN is 4 to 8 digits".into()))?;
    let factor = signing_factor(
        &state,
        FactorKind::Carte,
        &req.auth_key,
        &req.nonce,
        &req.signature,
    )
    .await?;
    let Some(factor) = factor else {
        let pin = pin.clone();
        blocking(move || pin::verify_nothing(&pin)).await?;
        return Err(ApiError::SignInFailed);
    };
    check_pin(&state, &factor, pin, &req.device, FactorKind::Carte).await?;
    signed_in(&state, &headers, &factor, &req.device).await
}

/// Checks `pin` against the carte `factor`'s hash: `carte_locked` if it is locked;
/// a wrong PIN is counted (five in a row lock the carte) and written in the owner's journal
/// (with `journal_factor`: the carte, or a remembered device, which uses the carte's PIN).
pub async fn check_pin(
    state: &AppState,
    factor: &FactorRecord,
    pin: Pin,
    device: &DeviceInfo,
    journal_factor: FactorKind,
) -> Result<(), ApiError> {
    if factor.locked_at.is_some() {
        return Err(ApiError::CarteLocked);
    }
    let stored = factor.pin_hash.clone().unwrap_or_default();
    if blocking(move || pin::verify_pin(&stored, &pin)).await? {
        return Ok(());
    }
    let now = state.clock.now();
    let after = state
        .store
        .record_pin_failure(factor.id, now, PIN_LOCK_AFTER)
        .await?;
    let locked = after.is_some_and(|f| f.locked_at.is_some());
    // The owner sees every wrong PIN in the journal, and the lock.
    if let Some(coffre) = state.store.coffre(factor.coffre).await? {
        let label = session::clean_label(&device.label);
        journal::append_server_entry(
            state,
            &coffre,
            ServerAction::SignInFailed,
            Some(journal_factor),
            Some(&label),
        )
        .await?;
        if locked {
            journal::append_server_entry(
                state,
                &coffre,
                ServerAction::CarteLocked,
                Some(FactorKind::Carte),
                None,
            )
            .await?;
        }
    }
    Err(if locked {
        ApiError::CarteLocked
    } else {
        ApiError::SignInFailed
    })
}

/// Signs in with the six words (their auth key).
#[utoipa::path(
    post,
    path = "/sessions/passphrase",
    tag = "accounts",
    request_body = PassphraseSignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SignedIn),
        (status = 401, description = "sign_in_failed or challenge_expired", body = ErrorBody),
        (status = 403, description = "bad_origin", body = ErrorBody),
        (status = 429, description = "too_many_attempts", body = ErrorBody),
    )
)]
pub async fn sign_in_passphrase(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PassphraseSignIn>,
) -> Result<Response, ApiError> {
    session::rate_limit(&state, SIGN_IN_PER_IP, &ip).await?;
    let factor = signing_factor(
        &state,
        FactorKind::Passphrase,
        &req.auth_key,
        &req.nonce,
        &req.signature,
    )
    .await?
    .ok_or(ApiError::SignInFailed)?;
    signed_in(&state, &headers, &factor, &req.device).await
}

/// Uses the nonce (`challenge_expired` if it is not usable), counts the attempt against
/// the key, and answers the key if its signature verifies — `None` otherwise, so the
/// caller gives the one `sign_in_failed` answer. Malformed fields are a plain 400.
pub async fn checked_challenge(
    state: &AppState,
    auth_key: &str,
    nonce: &str,
    signature: &str,
) -> Result<Option<PublicKey>, ApiError> {
    let nonce: [u8; 32] = unb64_array(nonce)
        .map_err(|_| ApiError::BadRequest("nonce: 32 bytes in base64url".into()))?;
    let signature = SignatureBytes::from_b64(signature)
        .map_err(|_| ApiError::BadRequest("signature: 64 bytes in base64url".into()))?;
    let key_bytes: [u8; 32] = unb64_array(auth_key)
        .map_err(|_| ApiError::BadRequest("auth_key: 32 bytes in base64url".into()))?;
    if !state.store.take_nonce(&nonce, state.clock.now()).await? {
        return Err(ApiError::ChallengeExpired);
    }
    session::rate_limit(state, SIGN_IN_PER_KEY, &b64(&key_bytes)).await?;
    // A key that is not a valid point cannot be registered, so it fails like a wrong one.
    let Ok(key) = PublicKey::from_b64(auth_key) else {
        return Ok(None);
    };
    Ok(
        verify_auth_challenge(&key, state.origin.as_str(), &nonce, &signature.0)
            .is_ok()
            .then_some(key),
    )
}

/// The factor of `kind` whose auth key signed the challenge, if any (`None` for an unknown
/// key or a bad signature alike).
async fn signing_factor(
    state: &AppState,
    kind: FactorKind,
    auth_key: &str,
    nonce: &str,
    signature: &str,
) -> Result<Option<FactorRecord>, ApiError> {
    let Some(key) = checked_challenge(state, auth_key, nonce, signature).await? else {
        return Ok(None);
    };
    Ok(state
        .store
        .factor_by_auth_key(&key.0)
        .await?
        .filter(|f| f.kind == kind))
}

/// [`checked_challenge`] for a key being registered: a signature that does not verify is
/// refused as `bad_signature` (`what` names the key).
pub async fn prove_challenge(
    state: &AppState,
    what: &str,
    auth_key: &str,
    nonce: &str,
    signature: &str,
) -> Result<(), ApiError> {
    match checked_challenge(state, auth_key, nonce, signature).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::Refused {
            what: what.to_owned(),
            error: coffre_crypto::Error::BadSignature,
        }),
    }
}

async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    factor: &FactorRecord,
    device: &DeviceInfo,
) -> Result<Response, ApiError> {
    state
        .store
        .record_factor_use(factor.id, state.clock.now())
        .await?;
    let opened = open_session(
        state,
        headers,
        factor.coffre,
        OpenedWith::factor(Some(factor.id), factor.kind),
        device,
        factor.kind,
    )
    .await?;
    Ok(opened.answer(|session, _| SignedIn {
        session,
        wrap: b64(&factor.wrap),
    }))
}

/// A session just opened: what the client is told of it, its coffre and its cookie.
#[derive(Debug)]
pub struct Opened {
    pub info: SessionInfo,
    pub coffre: CoffreRecord,
    cookie: axum::http::HeaderValue,
}

impl Opened {
    /// `200` with the cookie and the body `make` builds from the session's info.
    pub fn answer<B: Serialize>(
        self,
        make: impl FnOnce(SessionInfo, &CoffreRecord) -> B,
    ) -> Response {
        let body = make(self.info, &self.coffre);
        (
            StatusCode::OK,
            [(header::SET_COOKIE, self.cookie)],
            ApiJson(body),
        )
            .into_response()
    }
}

/// After a successful sign-in: starts the session and writes the server-signed `sign_in`
/// entry (with `journal_factor` and the device label). If the entry cannot be written, the
/// sign-in fails: a sign-in the owner cannot see does not happen.
pub async fn open_session(
    state: &AppState,
    headers: &HeaderMap,
    coffre: CoffreId,
    with: OpenedWith,
    device: &DeviceInfo,
    journal_factor: FactorKind,
) -> Result<Opened, ApiError> {
    let coffre = state
        .store
        .coffre(coffre)
        .await?
        .ok_or_else(|| ApiError::Internal("a sign-in without its coffre".into()))?;
    let (record, cookie) = session::start_session(state, headers, coffre.id, with, device).await?;
    journal::append_server_entry(
        state,
        &coffre,
        ServerAction::SignIn,
        Some(journal_factor),
        Some(&record.label),
    )
    .await?;
    Ok(Opened {
        info: SessionInfo::of(&record, &coffre, state),
        coffre,
        cookie,
    })
}

/// The PIN's Argon2id hash, computed off the async threads.
pub async fn hashed_pin(pin: Pin) -> Result<String, ApiError> {
    blocking(move || pin::hash_pin(&pin))
        .await?
        .map_err(|e| ApiError::Internal(format!("PIN hash: {e}")))
}

/// Runs CPU-heavy work (Argon2) off the async threads.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task: {e}")))
}
