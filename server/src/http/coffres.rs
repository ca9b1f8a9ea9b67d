//! Opening a coffre and reading its keys: `POST /api/coffres`, `GET /api/coffre`,
//! `POST /api/coffre/passphrase`. Every statement is verified with `coffre-crypto` before
//! it is stored; age files the server cannot open are checked as far as it can.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap};
use axum::response::{IntoResponse, Response};
use coffre_crypto::Context;
use coffre_crypto::age_io::check_recipient_file;
use coffre_crypto::category::verify_cert;
use coffre_crypto::encoding::{AgeRecipient, Id, PAYLOAD_CAP, PublicKey, b64, unb64};
use coffre_crypto::statement::Envelope;
use coffre_crypto::unlock::{PASSPHRASE_SCRYPT_LOG_N, scrypt_work_factor};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::domain::pin::Pin;
use crate::domain::{
    AccountRole, CategoryRecord, CoffreId, CoffreRecord, FactorId, FactorKind, FactorRecord,
    NewCoffre,
};
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::auth::{hashed_pin, prove_challenge};
use crate::http::journal::{self, ServerAction};
use crate::http::session::{self, ClientIp, CurrentSession, DeviceInfo, SessionInfo};

/// How many categories a new coffre has (product.md).
pub const DEFAULT_CATEGORIES: usize = 10;

/// One category of a new coffre.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    /// The owner-signed `category_cert` envelope (base64url of its canonical bytes).
    pub cert: String,
    /// The owner-signed `category_label`, sealed to the owner (an age file, base64url).
    pub label: String,
    /// The category key wrapped to the owner (an age file, base64url).
    pub wrap: String,
}

/// The carte of a new coffre.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCarte {
    /// The carte's Ed25519 auth public key.
    pub auth_key: String,
    /// The seed wrapped to the carte's recipient (an age file, base64url).
    pub wrap: String,
    /// 4 to 8 digits.
    pub pin: String,
    /// A nonce from `POST /api/auth/nonce`, signed by `auth_key` (protocol.md 4.4).
    pub nonce: String,
    pub signature: String,
}

impl std::fmt::Debug for NewCarte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewCarte").finish_non_exhaustive()
    }
}

/// A coffre, as the owner's browser made it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCoffre {
    /// UUID v4.
    pub coffre: String,
    /// The epoch-0 owner Ed25519 public key.
    pub owner_key: String,
    /// The owner's age recipient (`age1…`).
    pub owner_recipient: String,
    /// Exactly ten.
    pub categories: Vec<NewCategory>,
    pub carte: NewCarte,
    pub device: DeviceInfo,
    /// A professional's or the admin's account: the token of the invitation link
    /// (base64url, 32 bytes; `coffre admin invite` makes it). Used once.
    pub invitation: Option<String>,
}

/// The answer to a new coffre or a sign-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct Opened {
    pub session: SessionInfo,
}

/// A base64url field's bytes (`bad_base64`, naming the field, otherwise).
pub fn bytes(field: &str, value: &str) -> Result<Vec<u8>, ApiError> {
    unb64(value).map_err(ApiError::refused(field))
}

/// A base64url age file the server keeps but cannot open, checked as far as it can be
/// ([`check_recipient_file`], payload cap).
pub fn recipient_file(field: &str, value: &str) -> Result<Vec<u8>, ApiError> {
    let file = bytes(field, value)?;
    check_recipient_file(&file, PAYLOAD_CAP).map_err(ApiError::refused(field))?;
    Ok(file)
}

/// One category generation as a client sends it: its certificate signed by `owner` for
/// `ctx` and valid at `at`, and its label and key-wrap files. The generation rules are the
/// caller's.
pub fn checked_category(
    category: &NewCategory,
    owner: &PublicKey,
    ctx: &Context,
    at: u64,
) -> Result<CategoryRecord, ApiError> {
    let cert = bytes("cert", &category.cert)?;
    let env = Envelope::parse(&cert).map_err(ApiError::refused("category_cert"))?;
    let body = verify_cert(&env, owner, ctx, at)
        .map_err(ApiError::refused("category_cert"))?
        .into_body();
    Ok(CategoryRecord {
        id: body.category.0,
        generation: body.generation,
        cert,
        label: recipient_file("label", &category.label)?,
        wrap: recipient_file("wrap", &category.wrap)?,
    })
}

/// The newest generation of each of the coffre's categories: a new generation of a
/// category must be the one after it (an epoch change makes one per category, a rotation
/// one of one category: `epoch.rs`, `generations.rs`).
pub fn newest_generations(existing: &[CategoryRecord]) -> HashMap<uuid::Uuid, u64> {
    let mut newest: HashMap<uuid::Uuid, u64> = HashMap::new();
    for c in existing {
        let g = newest.entry(c.id).or_insert(c.generation);
        *g = (*g).max(c.generation);
    }
    newest
}

impl NewCarte {
    /// The carte's auth key, seed wrap and PIN, checked (its signed nonce is checked with
    /// the database, by [`prove_challenge`]).
    pub fn checked(&self) -> Result<(PublicKey, Vec<u8>, Pin), ApiError> {
        let key =
            PublicKey::from_b64(&self.auth_key).map_err(ApiError::refused("carte auth_key"))?;
        let wrap = recipient_file("carte wrap", &self.wrap)?;
        let pin = Pin::parse(&self.pin)
            .ok_or_else(|| ApiError::BadRequest("the PIN is 4 to 8 digits".into()))?;
        Ok((key, wrap, pin))
    }
}

/// Opens a coffre: verifies every certificate and file, stores them, signs in.
#[utoipa::path(
    post,
    path = "/coffres",
    tag = "accounts",
    request_body = CreateCoffre,
    responses(
        (status = 201, description = "The coffre exists; the session cookie is set", body = Opened),
        (status = 400, description = "A malformed field or PIN", body = ErrorBody),
        (status = 401, description = "challenge_expired", body = ErrorBody),
        (status = 403, description = "bad_origin", body = ErrorBody),
        (status = 409, description = "The coffre id or carte is already known", body = ErrorBody),
        (status = 422, description = "A statement or file refused, with the protocol's error code", body = ErrorBody),
        (status = 429, description = "too_many_attempts", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateCoffre>,
) -> Result<Response, ApiError> {
    session::rate_limit(&state, session::create_per_ip(&state), &ip).await?;
    let (mut new, pin) = checked_coffre(&state, &req)?;
    let c = &req.carte;
    prove_challenge(
        &state,
        "the carte's signed challenge",
        &c.auth_key,
        &c.nonce,
        &c.signature,
    )
    .await?;
    new.carte.pin_hash = Some(hashed_pin(pin).await?);
    new.coffre.role = state
        .store
        .create_coffre(&new)
        .await
        .map_err(|e| ApiError::from_insert(e, "this coffre or carte exists already"))?;
    let (record, cookie) = session::start_session(
        &state,
        &headers,
        new.coffre.id,
        session::OpenedWith::factor(Some(new.carte.id), FactorKind::Carte),
        &req.device,
    )
    .await?;
    journal::append_server_entry(
        &state,
        &new.coffre,
        ServerAction::CoffreCreated,
        Some(FactorKind::Carte),
        Some(&record.label),
    )
    .await?;
    let body = Opened {
        session: SessionInfo::of(&record, &new.coffre, &state),
    };
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, cookie)],
        ApiJson(body),
    )
        .into_response())
}

/// Everything of a new coffre that can be checked without the database, and its PIN.
fn checked_coffre(state: &AppState, req: &CreateCoffre) -> Result<(NewCoffre, Pin), ApiError> {
    let now = state.clock.now();
    let coffre_id = Id::parse(&req.coffre).map_err(ApiError::refused("coffre"))?;
    let owner = PublicKey::from_b64(&req.owner_key).map_err(ApiError::refused("owner_key"))?;
    let recipient =
        AgeRecipient::parse(&req.owner_recipient).map_err(ApiError::refused("owner_recipient"))?;
    if req.categories.len() != DEFAULT_CATEGORIES {
        return Err(ApiError::BadRequest(format!(
            "a new coffre has exactly {DEFAULT_CATEGORIES} categories"
        )));
    }
    let ctx = Context {
        instance: state.origin.as_str().to_owned(),
        coffre: coffre_id,
        epoch: 0,
    };
    let at = u64::try_from(session::unix_secs(now)).unwrap_or(0);
    let mut seen = HashSet::new();
    let mut categories = Vec::with_capacity(req.categories.len());
    for category in &req.categories {
        let record = checked_category(category, &owner, &ctx, at)?;
        if record.generation != 0 {
            return Err(ApiError::BadRequest(
                "a new category starts at generation 0".into(),
            ));
        }
        if !seen.insert(record.id) {
            return Err(ApiError::BadRequest(
                "two categories have the same id".into(),
            ));
        }
        categories.push(record);
    }
    let (carte_key, carte_wrap, pin) = req.carte.checked()?;
    let coffre = CoffreId(coffre_id.0);
    let new = NewCoffre {
        coffre: CoffreRecord {
            id: coffre,
            role: AccountRole::Person,
            created_at: now,
            epoch: 0,
            owner_key: owner.0,
            owner_recipient: recipient.as_str().to_owned(),
        },
        categories,
        carte: FactorRecord {
            id: FactorId::random(),
            coffre,
            kind: FactorKind::Carte,
            epoch: 0,
            auth_key: Some(carte_key.0),
            wrap: carte_wrap,
            pin_hash: None,
            failed_pins: 0,
            locked_at: None,
            created_at: now,
            last_used_at: None,
        },
        invitation: req
            .invitation
            .as_deref()
            .map(crate::http::invitations::token_digest)
            .transpose()?,
    };
    Ok((new, pin))
}

/// A category generation as the owner's client reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryView {
    pub id: String,
    pub generation: u64,
    /// base64url of the `category_cert` envelope.
    pub cert: String,
    /// The sealed label (age file, base64url).
    pub label: String,
    /// The category key wrapped to the owner (age file, base64url).
    pub wrap: String,
}

/// An unlock factor, without its wrap.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactorView {
    pub id: String,
    pub kind: FactorKind,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds.
    pub last_used: Option<i64>,
    pub locked: bool,
}

/// The signed-in coffre's public keys, categories and factors.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoffreView {
    pub coffre: String,
    pub epoch: u64,
    pub owner_key: String,
    pub owner_recipient: String,
    pub categories: Vec<CategoryView>,
    pub factors: Vec<FactorView>,
    /// The coffre's passkeys (each signs in; those with a PRF wrap also unlock).
    pub passkeys: Vec<crate::http::passkeys::PasskeyInfo>,
    /// The coffre's remembered devices.
    pub remembered: Vec<crate::http::remembered::RememberedInfo>,
    /// The `epoch_succession` envelopes (base64url), oldest first: from the epoch-0 key to
    /// the current one.
    pub successions: Vec<String>,
}

/// The signed-in coffre: keys, categories (certificates, sealed labels, wraps), factors.
#[utoipa::path(
    get,
    path = "/coffre",
    tag = "accounts",
    responses(
        (status = 200, description = "The coffre (no-store)", body = CoffreView),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn coffre(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<CoffreView>, ApiError> {
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let categories = state.store.categories(session.coffre).await?;
    let factors = state.store.factors(session.coffre).await?;
    let successions = state.store.successions(session.coffre).await?;
    let passkeys = state.store.passkeys(session.coffre).await?;
    let remembered = state.store.remembered_devices(session.coffre).await?;
    Ok(ApiJson(CoffreView {
        remembered: remembered
            .iter()
            .map(crate::http::remembered::RememberedInfo::of)
            .collect(),
        passkeys: passkeys
            .iter()
            .map(crate::http::passkeys::PasskeyInfo::of)
            .collect(),
        successions: successions.iter().map(|s| b64(s)).collect(),
        coffre: coffre.id.to_string(),
        epoch: coffre.epoch,
        owner_key: b64(&coffre.owner_key),
        owner_recipient: coffre.owner_recipient,
        categories: categories
            .into_iter()
            .map(|c| CategoryView {
                id: c.id.as_hyphenated().to_string(),
                generation: c.generation,
                cert: b64(&c.cert),
                label: b64(&c.label),
                wrap: b64(&c.wrap),
            })
            .collect(),
        factors: factors
            .into_iter()
            .map(|f| FactorView {
                id: f.id.0.as_hyphenated().to_string(),
                kind: f.kind,
                created: session::unix_secs(f.created_at),
                last_used: f.last_used_at.map(session::unix_secs),
                locked: f.locked_at.is_some(),
            })
            .collect(),
    }))
}

/// A new passphrase factor.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassphrase {
    /// The passphrase's auth public key (protocol.md 4.3).
    pub auth_key: String,
    /// The seed wrapped with age's scrypt recipient at the pinned work factor (base64url).
    pub wrap: String,
    /// A nonce from `POST /api/auth/nonce`, signed by `auth_key`.
    pub nonce: String,
    pub signature: String,
}

/// A passphrase wrap as the server can check it: at most a payload's size, and an scrypt
/// file at the pinned work factor.
pub fn checked_passphrase_wrap(b64: &str) -> Result<Vec<u8>, ApiError> {
    let wrap = bytes("wrap", b64)?;
    if wrap.len() > PAYLOAD_CAP {
        return Err(ApiError::Refused {
            what: "wrap".into(),
            error: coffre_crypto::Error::TooLarge {
                size: wrap.len(),
                cap: PAYLOAD_CAP,
            },
        });
    }
    // A new wrap is written at the pinned factor; the range up to 17 is for reading only.
    let log_n = scrypt_work_factor(&wrap).map_err(ApiError::refused("wrap"))?;
    if log_n != PASSPHRASE_SCRYPT_LOG_N {
        return Err(ApiError::Refused {
            what: "wrap".into(),
            error: coffre_crypto::Error::Malformed(format!(
                "a new passphrase wrap uses scrypt work factor {PASSPHRASE_SCRYPT_LOG_N}, not {log_n}"
            )),
        });
    }
    Ok(wrap)
}

/// Adds the six words (replacing the coffre's previous ones).
#[utoipa::path(
    post,
    path = "/coffre/passphrase",
    tag = "accounts",
    request_body = NewPassphrase,
    responses(
        (status = 201, description = "Added; any earlier passphrase no longer signs in"),
        (status = 401, description = "unauthenticated or challenge_expired", body = ErrorBody),
        (status = 403, description = "bad_origin, csrf or remembered_device", body = ErrorBody),
        (status = 409, description = "This auth key is already registered", body = ErrorBody),
        (status = 422, description = "The wrap or the signature refused", body = ErrorBody),
    )
)]
pub async fn add_passphrase(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewPassphrase>,
) -> Result<StatusCode, ApiError> {
    crate::http::remembered::refuse_remembered(&session)?;
    let key = PublicKey::from_b64(&req.auth_key).map_err(ApiError::refused("auth_key"))?;
    let wrap = checked_passphrase_wrap(&req.wrap)?;
    prove_challenge(
        &state,
        "the passphrase's signed challenge",
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
    let factor = FactorRecord {
        id: FactorId::random(),
        coffre: session.coffre,
        kind: FactorKind::Passphrase,
        epoch: coffre.epoch,
        auth_key: Some(key.0),
        wrap,
        pin_hash: None,
        failed_pins: 0,
        locked_at: None,
        created_at: state.clock.now(),
        last_used_at: None,
    };
    state
        .store
        .replace_factor(&factor)
        .await
        .map_err(|e| ApiError::from_insert(e, "this passphrase is already registered"))?;
    Ok(StatusCode::CREATED)
}
