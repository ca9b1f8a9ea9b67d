//! A lost factor: `POST /api/coffre/epoch` moves the coffre to a new owner epoch (protocol.md
//! section 3; docs/design/accounts.md, "A lost carte"). Every statement is verified first:
//! the succession signed by the current owner key, the new certificates signed by the new
//! key; every old factor is replaced, every other session ends.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::StatusCode;
use coffre_crypto::Context;
use coffre_crypto::encoding::{Id, PublicKey};
use coffre_crypto::kinds::EpochSuccession;
use coffre_crypto::mandate::{EpochKey, verify_succession};
use coffre_crypto::statement::Envelope;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::domain::{EpochChange, FactorId, FactorKind, FactorRecord};
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::auth::{hashed_pin, prove_challenge};
use crate::http::coffres::{
    NewCarte, NewCategory, NewPassphrase, bytes, checked_category, checked_passphrase_wrap,
    newest_generations, recipient_file,
};
use crate::http::session::{CurrentSession, unix_secs};

/// An existing category generation's key, wrapped to the new owner recipient.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rewrap {
    pub category: String,
    pub generation: u64,
    /// An age file to the new owner (base64url).
    pub wrap: String,
}

/// A new owner epoch, as the owner's browser made it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEpoch {
    /// The `epoch_succession` envelope (base64url), signed by the current owner key.
    pub succession: String,
    /// Every existing category generation, re-wrapped to the new owner.
    pub rewraps: Vec<Rewrap>,
    /// One new generation per category, certified by the new owner key.
    pub categories: Vec<NewCategory>,
    /// The new carte (with its new PIN and a signed nonce).
    pub carte: NewCarte,
    /// New six words, if the coffre is to keep a passphrase (the old one cannot be re-wrapped).
    pub passphrase: Option<NewPassphrase>,
}

/// Moves the signed-in coffre to a new owner epoch.
#[utoipa::path(
    post,
    path = "/coffre/epoch",
    tag = "accounts",
    request_body = NewEpoch,
    responses(
        (status = 201, description = "The coffre is at the new epoch; every other session is signed out"),
        (status = 400, description = "Missing or extra categories or generations, a malformed PIN", body = ErrorBody),
        (status = 401, description = "unauthenticated or challenge_expired", body = ErrorBody),
        (status = 403, description = "bad_origin, csrf, or remembered_device (a remembered phone is no recovery factor)", body = ErrorBody),
        (status = 409, description = "The coffre changed epoch meanwhile, or a new key is already known", body = ErrorBody),
        (status = 422, description = "A statement or file refused (protocol error code)", body = ErrorBody),
    )
)]
pub async fn change(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewEpoch>,
) -> Result<StatusCode, ApiError> {
    crate::http::remembered::refuse_remembered(&session)?;
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let coffre_id = Id(coffre.id.0);
    let now = state.clock.now();

    // The succession: signed by the current key, from this epoch to the next.
    let succession = bytes("succession", &req.succession)?;
    let env = Envelope::parse(&succession).map_err(ApiError::refused("epoch_succession"))?;
    if env
        .peek::<EpochSuccession>()
        .map_err(ApiError::refused("epoch_succession"))?
        .instance
        != state.origin.as_str()
    {
        return Err(ApiError::Refused {
            what: "epoch_succession".into(),
            error: coffre_crypto::Error::ContextMismatch("instance"),
        });
    }
    let current = EpochKey {
        epoch: coffre.epoch,
        key: PublicKey(coffre.owner_key),
        recipient: None,
    };
    let next = verify_succession(&current, coffre_id, std::slice::from_ref(&env))
        .map_err(ApiError::refused("epoch_succession"))?;
    let recipient = next
        .recipient
        .ok_or_else(|| ApiError::BadRequest("the succession names no recipient".into()))?;

    // Re-wraps: exactly the existing generations, once each.
    let existing = state.store.categories(coffre.id).await?;
    let latest = newest_generations(&existing);
    let wanted: HashSet<(uuid::Uuid, u64)> =
        existing.iter().map(|c| (c.id, c.generation)).collect();
    let mut rewraps = Vec::with_capacity(req.rewraps.len());
    let mut seen = HashSet::new();
    for r in &req.rewraps {
        let id = Id::parse(&r.category)
            .map_err(ApiError::refused("rewrap category"))?
            .0;
        if !wanted.contains(&(id, r.generation)) || !seen.insert((id, r.generation)) {
            return Err(ApiError::BadRequest(
                "rewraps must name each existing category generation once".into(),
            ));
        }
        rewraps.push((id, r.generation, recipient_file("rewrap", &r.wrap)?));
    }
    if seen.len() != wanted.len() {
        return Err(ApiError::BadRequest(
            "every existing category generation must be re-wrapped".into(),
        ));
    }

    // New generations: one per category, certified by the new key at the new epoch.
    let ctx = Context {
        instance: state.origin.as_str().to_owned(),
        coffre: coffre_id,
        epoch: next.epoch,
    };
    let at = u64::try_from(unix_secs(now)).unwrap_or(0);
    let mut new_generations = Vec::with_capacity(req.categories.len());
    let mut renewed = HashSet::new();
    for category in &req.categories {
        let record = checked_category(category, &next.key, &ctx, at)?;
        if latest.get(&record.id).map(|g| g + 1) != Some(record.generation)
            || !renewed.insert(record.id)
        {
            return Err(ApiError::BadRequest(
                "each category gets exactly one new generation, the next one".into(),
            ));
        }
        new_generations.push(record);
    }
    if renewed.len() != latest.len() {
        return Err(ApiError::BadRequest(
            "every category gets a new generation".into(),
        ));
    }

    // The new factors.
    let (carte_key, carte_wrap, pin) = req.carte.checked()?;
    let passphrase = match &req.passphrase {
        Some(p) => Some((
            PublicKey::from_b64(&p.auth_key).map_err(ApiError::refused("passphrase auth_key"))?,
            checked_passphrase_wrap(&p.wrap)?,
        )),
        None => None,
    };
    let c = &req.carte;
    prove_challenge(
        &state,
        "the new carte's signed challenge",
        &c.auth_key,
        &c.nonce,
        &c.signature,
    )
    .await?;
    if let Some(p) = &req.passphrase {
        prove_challenge(
            &state,
            "the new passphrase's signed challenge",
            &p.auth_key,
            &p.nonce,
            &p.signature,
        )
        .await?;
    }
    let pin_hash = hashed_pin(pin).await?;
    let factor = |kind, auth_key: PublicKey, wrap, pin_hash| FactorRecord {
        id: FactorId::random(),
        coffre: coffre.id,
        kind,
        epoch: next.epoch,
        auth_key: Some(auth_key.0),
        wrap,
        pin_hash,
        failed_pins: 0,
        locked_at: None,
        created_at: now,
        last_used_at: None,
    };
    let mut factors = vec![factor(
        FactorKind::Carte,
        carte_key,
        carte_wrap,
        Some(pin_hash),
    )];
    if let Some((key, wrap)) = passphrase {
        factors.push(factor(FactorKind::Passphrase, key, wrap, None));
    }
    let change = EpochChange {
        coffre: coffre.id,
        from_epoch: coffre.epoch,
        to_epoch: next.epoch,
        owner_key: next.key.0,
        owner_recipient: recipient.as_str().to_owned(),
        succession,
        rewraps,
        new_generations,
        factors,
        keep_session: session.token_sha256,
    };
    state.store.change_epoch(&change).await.map_err(|e| {
        ApiError::from_insert(
            e,
            "the coffre changed meanwhile, or this carte is already known",
        )
    })?;
    Ok(StatusCode::CREATED)
}
