//! A new generation of one category: `POST /api/coffre/categories/{category}/generations`
//! (protocol.md section 5, "Rotation"). After a mandate ends, the owner's client makes
//! CK[c, g+1] so that papers added from then on are under a key the former grantee never
//! had. The certificate is verified with the coffre's current key and context; the key
//! wraps for the grantees of the consult mandates that have not ended come in the same
//! request and go in the same transaction, so a rotation never leaves a grantee in force
//! without the new key; the owner's `category_rotated` journal entry goes with them.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coffre_crypto::Context;
use coffre_crypto::encoding::{Id, PublicKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::http::ApiJson;
use crate::http::coffres::{NewCategory, checked_category, newest_generations, recipient_file};
use crate::http::journal::{Expect, NewEntry, owner_entry};
use crate::http::mandates::{not_ended, peek_mandate};
use crate::http::organisations::now_secs;
use crate::http::session::CurrentSession;

/// The owner's journal action that records a rotation (`object` = the category).
pub const ROTATED_ACTIONS: &[&str] = &["category_rotated"];

/// The new generation's key for one mandate's grantee.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MandateKeyWrap {
    pub mandate: Uuid,
    /// The `category_key` age file to the person's recipient or the organisation's current
    /// key (base64url).
    pub wrap: String,
}

/// A new generation of a category, as the owner's client made it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGeneration {
    /// The owner-signed `category_cert` (base64url of the envelope): this category, the
    /// current epoch, the generation after the newest, a window that contains now.
    pub cert: String,
    /// The owner-signed `category_label`, sealed to the owner (an age file, base64url).
    pub label: String,
    /// The new key wrapped to the owner (an age file, base64url).
    pub wrap: String,
    /// The new key for each consult mandate of this coffre that covers the category and has
    /// not ended: exactly those, once each.
    pub mandate_wraps: Vec<MandateKeyWrap>,
    /// The owner's `category_rotated` journal entry about this category (`POST
    /// /api/journal`'s rules), stored in the same transaction.
    pub journal: NewEntry,
}

/// The generation stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct GenerationAdded {
    pub category: Uuid,
    pub generation: u64,
}

/// Adds the next generation of one of the signed-in coffre's categories.
#[utoipa::path(
    post,
    path = "/coffre/categories/{category}/generations",
    tag = "accounts",
    params(("category" = Uuid, Path, description = "The category")),
    request_body = NewGeneration,
    responses(
        (status = 201, description = "Stored: new papers of this category are sealed to it", body = GenerationAdded),
        (status = 400, description = "A certificate for another category, a generation that skips one, missing or extra mandate wraps", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (no such category in this coffre)", body = ErrorBody),
        (status = 409, description = "That generation exists already, or the journal moved", body = ErrorBody),
        (status = 422, description = "The certificate or a file refused (protocol error code)", body = ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(category): Path<Uuid>,
    ApiJson(req): ApiJson<NewGeneration>,
) -> Result<(StatusCode, ApiJson<GenerationAdded>), ApiError> {
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let existing = state.store.categories(coffre.id).await?;
    let newest = *newest_generations(&existing)
        .get(&category)
        .ok_or(ApiError::NotFound)?;
    let ctx = Context {
        instance: state.origin.as_str().to_owned(),
        coffre: Id(coffre.id.0),
        epoch: coffre.epoch,
    };
    let now = now_secs(&state);
    let record = checked_category(
        &NewCategory {
            cert: req.cert.clone(),
            label: req.label.clone(),
            wrap: req.wrap.clone(),
        },
        &PublicKey(coffre.owner_key),
        &ctx,
        now,
    )?;
    if record.id != category {
        return Err(ApiError::BadRequest(
            "the certificate names another category".into(),
        ));
    }
    if record.generation <= newest {
        return Err(ApiError::Conflict(format!(
            "generation {} exists already",
            record.generation
        )));
    }
    if record.generation != newest + 1 {
        return Err(ApiError::BadRequest(format!(
            "the next generation is {}",
            newest + 1
        )));
    }

    // The grantees who keep reading the category: every consult mandate of this coffre's
    // epoch that covers it and has not ended. Exactly those, once each.
    let mut wanted = HashSet::new();
    for m in state.store.mandates_of_coffre(coffre.id).await? {
        let body = peek_mandate(&m)?;
        if body.epoch == coffre.epoch
            && body.rights.can_consult()
            && body.categories.iter().any(|c| c.0 == category)
            && not_ended(&m, now)
        {
            wanted.insert(m.id);
        }
    }
    let mut wraps = Vec::with_capacity(req.mandate_wraps.len());
    let mut seen = HashSet::new();
    for w in &req.mandate_wraps {
        if !wanted.contains(&w.mandate) || !seen.insert(w.mandate) {
            return Err(ApiError::BadRequest(format!(
                "mandate {} is not a consult mandate in force on this category, or is named twice",
                w.mandate
            )));
        }
        wraps.push((w.mandate, recipient_file("mandate wrap", &w.wrap)?));
    }
    if seen.len() != wanted.len() {
        return Err(ApiError::BadRequest(
            "every consult mandate in force on this category gets the new key".into(),
        ));
    }
    let journal = owner_entry(
        &state,
        &coffre,
        &req.journal,
        Some(Expect {
            actions: ROTATED_ACTIONS,
            object: Id(category),
        }),
    )
    .await?;
    let generation = record.generation;
    state
        .store
        .add_generation(coffre.id, &record, &wraps, &journal)
        .await
        .map_err(|e| {
            ApiError::from_insert(
                e,
                "this generation exists already, or the journal moved: read the head, sign again",
            )
        })?;
    Ok((
        StatusCode::CREATED,
        ApiJson(GenerationAdded {
            category,
            generation,
        }),
    ))
}
