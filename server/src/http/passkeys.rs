//! Passkeys (docs/design/accounts.md, "Passkeys"): adding one to the signed-in coffre,
//! removing one, and signing in with one — discoverable, user verification required,
//! through webauthn-rs. The ceremony state stays on the server (in the database, so any
//! replica finishes what another started); the browser gets an id for it.
//!
//! The PRF output that unlocks the coffre never reaches the server: the client strips it,
//! and a credential that still carries one is refused before anything reads it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::HeaderMap;
use axum::response::{IntoResponse, Response};
use coffre_crypto::encoding::b64;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Duration;
use url::Url;
use utoipa::ToSchema;
use uuid::Uuid;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Webauthn, WebauthnBuilder,
};

use crate::app::AppState;
use crate::domain::{CeremonyKind, CeremonyRecord, FactorKind, PasskeyRecord};
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::auth;
use crate::http::coffres::recipient_file;
use crate::http::remembered::{self, RememberedProof};
use crate::http::session::{
    self, ClientIp, CurrentSession, DeviceInfo, NONCE_PER_IP, OpenedWith, SIGN_IN_PER_IP,
    SessionInfo,
};

/// How long a ceremony stays usable (the browser's own timeout is shorter).
pub const CEREMONY_LIFETIME: Duration = Duration::minutes(5);

/// The relying party: the instance origin (its host is the RP id), plus `extra_origins`.
fn relying_party(state: &AppState) -> Result<Webauthn, ApiError> {
    let internal = |e: &dyn std::fmt::Display| ApiError::Internal(format!("webauthn: {e}"));
    let origin = Url::parse(state.origin.as_str()).map_err(|e| internal(&e))?;
    let mut builder = WebauthnBuilder::new(state.origin.host(), &origin)
        .map_err(|e| internal(&e))?
        .rp_name("Coffre");
    for extra in &state.config.extra_origins {
        let url = Url::parse(extra).map_err(|e| internal(&e))?;
        builder = builder.append_allowed_origin(&url);
    }
    builder.build().map_err(|e| internal(&e))
}

/// A ceremony started: its id and the options for `navigator.credentials`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CeremonyAnswer {
    /// Send it back with the authenticator's answer.
    pub ceremony: String,
    /// `{"publicKey": …}` for `create()` or `get()` (webauthn-rs's options, base64url
    /// binary fields).
    #[schema(value_type = Object)]
    pub options: Value,
}

async fn store_ceremony(
    state: &AppState,
    kind: CeremonyKind,
    coffre: Option<crate::domain::CoffreId>,
    ceremony_state: &impl Serialize,
    options: &impl Serialize,
) -> Result<ApiJson<CeremonyAnswer>, ApiError> {
    let json = |e: serde_json::Error| ApiError::Internal(format!("webauthn state: {e}"));
    let now = state.clock.now();
    let record = CeremonyRecord {
        id: Uuid::new_v4(),
        coffre,
        kind,
        state: serde_json::to_string(ceremony_state).map_err(json)?,
        expires_at: now.saturating_add(CEREMONY_LIFETIME),
    };
    state.store.insert_ceremony(&record, now).await?;
    Ok(ApiJson(CeremonyAnswer {
        ceremony: record.id.to_string(),
        options: serde_json::to_value(options).map_err(json)?,
    }))
}

/// The stored state of ceremony `id`, used once (`challenge_expired` if it is unknown,
/// used, expired or of another kind).
async fn take_ceremony<T: serde::de::DeserializeOwned>(
    state: &AppState,
    id: &str,
    kind: CeremonyKind,
) -> Result<(CeremonyRecord, T), ApiError> {
    let id = Uuid::parse_str(id).map_err(|_| ApiError::ChallengeExpired)?;
    let record = state
        .store
        .take_ceremony(id, kind, state.clock.now())
        .await?
        .ok_or(ApiError::ChallengeExpired)?;
    let parsed = serde_json::from_str(&record.state)
        .map_err(|e| ApiError::Internal(format!("webauthn state: {e}")))?;
    Ok((record, parsed))
}

/// The authenticator's answer as the browser sent it, refused if it still carries a PRF
/// output (`clientExtensionResults.prf.results`): that secret must never leave the browser.
fn credential<T: serde::de::DeserializeOwned>(raw: Value) -> Result<T, ApiError> {
    let carries_prf = ["clientExtensionResults", "extensions"]
        .iter()
        .any(|field| {
            raw.get(field)
                .and_then(|e| e.get("prf"))
                .and_then(|p| p.get("results"))
                .is_some()
        });
    if carries_prf {
        return Err(ApiError::BadRequest(
            "credential: the PRF output must be removed before posting".into(),
        ));
    }
    serde_json::from_value(raw)
        .map_err(|e| ApiError::BadRequest(format!("credential: not a WebAuthn credential: {e}")))
}

/// Starts adding a passkey to the signed-in coffre.
#[utoipa::path(
    post,
    path = "/passkeys/registration",
    tag = "accounts",
    responses(
        (status = 200, description = "Options for navigator.credentials.create()", body = CeremonyAnswer),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "shared_computer (never on a shared computer), csrf or bad_origin", body = ErrorBody),
    )
)]
pub async fn start_registration(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<CeremonyAnswer>, ApiError> {
    if session.shared {
        return Err(ApiError::SharedComputer);
    }
    remembered::refuse_remembered(&session)?;
    let existing = state.store.passkeys(session.coffre).await?;
    let exclude = existing
        .iter()
        .map(|p| p.credential_id.clone())
        .collect::<Vec<_>>();
    // The user handle is the coffre id; the names are what the authenticator shows (the
    // client may put the person's own first name there: the server never learns it).
    let (options, registration) = relying_party(&state)?
        .start_passkey_registration(session.coffre.0, "Coffre", "Coffre", Some(exclude))
        .map_err(|e| ApiError::Internal(format!("webauthn: {e}")))?;
    store_ceremony(
        &state,
        CeremonyKind::Registration,
        Some(session.coffre),
        &registration,
        &options,
    )
    .await
}

/// A new passkey: the authenticator's answer and, if it gave a PRF output, the seed
/// wrapped to the recipient derived from it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPasskey {
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()` of `create()`, without PRF results.
    #[schema(value_type = Object)]
    pub credential: Value,
    /// The seed wrapped to the PRF-derived X25519 recipient (an age file, base64url);
    /// absent when the authenticator has no PRF: the passkey then signs in only.
    pub wrap: Option<String>,
    /// A short label ("Chromium, Android").
    pub label: String,
}

/// What the coffre page shows of a passkey.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasskeyInfo {
    pub id: Uuid,
    pub label: String,
    /// True when it also unlocks (PRF); false: it signs in, the carte or the six words unlock.
    pub unlocks: bool,
    /// Unix seconds.
    pub created: i64,
    pub last_used: Option<i64>,
}

impl PasskeyInfo {
    pub fn of(p: &PasskeyRecord) -> Self {
        Self {
            id: p.id,
            label: p.label.clone(),
            unlocks: p.wrap.is_some(),
            created: session::unix_secs(p.created_at),
            last_used: p.last_used_at.map(session::unix_secs),
        }
    }
}

/// Finishes adding a passkey (the registration ceremony must be this coffre's).
#[utoipa::path(
    post,
    path = "/passkeys",
    tag = "accounts",
    request_body = NewPasskey,
    responses(
        (status = 201, description = "The passkey is added", body = PasskeyInfo),
        (status = 400, description = "A malformed credential, or one still carrying its PRF output", body = ErrorBody),
        (status = 401, description = "Not signed in, or challenge_expired", body = ErrorBody),
        (status = 403, description = "shared_computer, csrf or bad_origin", body = ErrorBody),
        (status = 409, description = "This passkey is already registered", body = ErrorBody),
        (status = 422, description = "passkey_refused (the WebAuthn answer does not verify) or a refused wrap", body = ErrorBody),
    )
)]
pub async fn finish_registration(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewPasskey>,
) -> Result<Response, ApiError> {
    if session.shared {
        return Err(ApiError::SharedComputer);
    }
    remembered::refuse_remembered(&session)?;
    let (ceremony, registration): (_, PasskeyRegistration) =
        take_ceremony(&state, &req.ceremony, CeremonyKind::Registration).await?;
    if ceremony.coffre != Some(session.coffre) {
        return Err(ApiError::ChallengeExpired);
    }
    let answer: RegisterPublicKeyCredential = credential(req.credential)?;
    let wrap = req
        .wrap
        .as_deref()
        .map(|w| recipient_file("passkey wrap", w))
        .transpose()?;
    let passkey = relying_party(&state)?
        .finish_passkey_registration(&answer, &registration)
        .map_err(|e| ApiError::PasskeyRefused(e.to_string()))?;
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let record = PasskeyRecord {
        id: Uuid::new_v4(),
        coffre: session.coffre,
        epoch: coffre.epoch,
        credential_id: passkey.cred_id().to_vec(),
        credential: passkey_json(&passkey)?,
        wrap,
        label: session::clean_label(&req.label),
        created_at: state.clock.now(),
        last_used_at: None,
    };
    state
        .store
        .insert_passkey(&record)
        .await
        .map_err(|e| ApiError::from_insert(e, "this passkey is already registered"))?;
    Ok((StatusCode::CREATED, ApiJson(PasskeyInfo::of(&record))).into_response())
}

fn passkey_json(passkey: &Passkey) -> Result<String, ApiError> {
    serde_json::to_string(passkey).map_err(|e| ApiError::Internal(format!("passkey: {e}")))
}

/// Removes one of the coffre's passkeys (it no longer signs in or unlocks).
#[utoipa::path(
    delete,
    path = "/passkeys/{id}",
    tag = "accounts",
    params(("id" = Uuid, Path, description = "The passkey's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "csrf or bad_origin", body = ErrorBody),
        (status = 404, description = "No such passkey in this coffre", body = ErrorBody),
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    if state.store.delete_passkey(session.coffre, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Starts a passkey sign-in (discoverable: the authenticator says whose coffre it is).
#[utoipa::path(
    post,
    path = "/sessions/passkey/challenge",
    tag = "accounts",
    responses(
        (status = 200, description = "Options for navigator.credentials.get()", body = CeremonyAnswer),
        (status = 429, description = "too_many_attempts", body = ErrorBody),
    )
)]
pub async fn start_sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
) -> Result<ApiJson<CeremonyAnswer>, ApiError> {
    session::rate_limit(&state, NONCE_PER_IP, &ip).await?;
    let (mut options, authentication) = relying_party(&state)?
        .start_discoverable_authentication()
        .map_err(|e| ApiError::Internal(format!("webauthn: {e}")))?;
    // A button press, not conditional mediation (autofill): the person chose "passkey".
    options.mediation = None;
    store_ceremony(
        &state,
        CeremonyKind::SignIn,
        None,
        &authentication,
        &options,
    )
    .await
}

/// A passkey sign-in: the authenticator's answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasskeySignIn {
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()` of `get()`, without PRF results.
    #[schema(value_type = Object)]
    pub credential: Value,
    pub device: DeviceInfo,
    /// This browser is a remembered device of the coffre: its auth key signed a fresh nonce,
    /// and the answer then gives the server's half of its wrap key (protocol.md 4.5).
    pub remembered: Option<RememberedProof>,
}

/// A new session, and the seed wrapped to the passkey's PRF recipient if it has one.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasskeySignedIn {
    pub session: SessionInfo,
    /// An age file (base64url) that the PRF output of this `get()` opens; `null` when the
    /// passkey signs in only (then the carte or the six words unlock).
    pub wrap: Option<String>,
    /// The server's half of the remembered device's wrap key, when `remembered` was sent
    /// and verified (base64url).
    pub server_half: Option<String>,
}

/// Signs in with a passkey.
#[utoipa::path(
    post,
    path = "/sessions/passkey",
    tag = "accounts",
    request_body = PasskeySignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = PasskeySignedIn),
        (status = 400, description = "A malformed credential, or one still carrying its PRF output", body = ErrorBody),
        (status = 401, description = "sign_in_failed (unknown passkey or an answer that does not verify) or challenge_expired", body = ErrorBody),
        (status = 403, description = "bad_origin", body = ErrorBody),
        (status = 429, description = "too_many_attempts", body = ErrorBody),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PasskeySignIn>,
) -> Result<Response, ApiError> {
    session::rate_limit(&state, SIGN_IN_PER_IP, &ip).await?;
    let (_, authentication): (_, DiscoverableAuthentication) =
        take_ceremony(&state, &req.ceremony, CeremonyKind::SignIn).await?;
    let answer: PublicKeyCredential = credential(req.credential)?;
    let rp = relying_party(&state)?;
    let (user, credential_id) = rp
        .identify_discoverable_authentication(&answer)
        .map_err(|_| ApiError::SignInFailed)?;
    let mut record = state
        .store
        .passkey_by_credential(credential_id)
        .await?
        .filter(|p| p.coffre.0 == user)
        .ok_or(ApiError::SignInFailed)?;
    let mut passkey: Passkey = serde_json::from_str(&record.credential)
        .map_err(|e| ApiError::Internal(format!("stored passkey: {e}")))?;
    let result = rp
        .finish_discoverable_authentication_v2(&answer, authentication, &passkey)
        .map_err(|_| ApiError::SignInFailed)?;
    passkey.update_credential(&result);
    record.credential = passkey_json(&passkey)?;
    let now = state.clock.now();
    state
        .store
        .record_passkey_use(record.id, &record.credential, now)
        .await?;
    let server_half = match &req.remembered {
        Some(proof) => remembered::proven_half(&state, proof, record.coffre).await?,
        None => None,
    };
    let opened = auth::open_session(
        &state,
        &headers,
        record.coffre,
        OpenedWith::factor(None, FactorKind::Passkey),
        &req.device,
        FactorKind::Passkey,
    )
    .await?;
    Ok(opened.answer(|session, coffre| PasskeySignedIn {
        session,
        wrap: record
            .wrap
            .as_deref()
            .filter(|_| record.epoch == coffre.epoch)
            .map(b64),
        server_half: server_half.map(|h| b64(h.as_ref())),
    }))
}
