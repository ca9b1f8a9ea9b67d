//! Mandates over HTTP (protocol.md section 8; `docs/design/mandates-server.md`).
//!
//! The owner posts a mandate it signed (verified with the coffre's current key, its window
//! at most a year and not over, its categories the coffre's, its grantee an account of this
//! instance or a founded organisation whose root it names) with its `mandate_granted` journal
//! entry, in one transaction; the server gives it an instance-wide number. Revocation
//! (owner-signed, with its `mandate_revoked` entry) and renunciation (grantee-signed) end it.
//! The server enforces the window at the second with the injected clock: in force from
//! `not_before` until `not_after − 1 s`, refused from `not_after` on. A renunciation is
//! stored with the server's `mandate_renounced` entry in the owner's journal.
//!
//! Consulting is in [`super::mandate_access`], deposits in [`super::deposits`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coffre_crypto::Context;
use coffre_crypto::encoding::{Id, PublicKey, b64};
use coffre_crypto::kinds::{GranteeType, Mandate, Renunciation, Role};
use coffre_crypto::mandate::{MandateEnds, verify_mandate, verify_renunciation, verify_revocation};
use coffre_crypto::statement::{Envelope, Verified};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::InsertError;
use crate::db::mandates::{MandateEnd, MandateRecord};
use crate::domain::CoffreRecord;
use crate::error::{ApiError, ErrorBody};
use crate::http::journal::{
    Expect, GRANTEE_ENTRY_TRIES, GranteeAct, NewEntry, grantee_entry, head_moved, journal_turn,
    owner_entry,
};
use crate::http::mandate_notes::checked_note;
use crate::http::organisations::{account, now_secs, role_in};

use crate::http::session::CurrentSession;
use crate::http::{ApiJson, coffres};

/// The owner's journal action that records a grant.
pub const GRANTED_ACTIONS: &[&str] = &["mandate_granted"];
/// The owner's journal action that records a revocation.
pub const REVOKED_ACTIONS: &[&str] = &["mandate_revoked"];

/// How far from the server's clock a revocation, renunciation or receipt may be dated.
pub const CLOCK_SLACK_SECS: u64 = 300;

/// Where a mandate stands at a time, as the server enforces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MandateState {
    /// Before `not_before`.
    Upcoming,
    /// From `not_before` until `not_after − 1 s`, not ended.
    InForce,
    /// From `not_after` on.
    Expired,
    Revoked,
    Renounced,
}

/// The state of `m` at `now` (Unix seconds).
pub fn state_at(m: &MandateRecord, now: u64) -> MandateState {
    if let Some(ended) = m.ended
        && ended <= now
    {
        return if m.end_kind.as_deref() == Some("renunciation") {
            MandateState::Renounced
        } else {
            MandateState::Revoked
        };
    }
    if now < m.not_before {
        MandateState::Upcoming
    } else if now >= m.not_after {
        MandateState::Expired
    } else {
        MandateState::InForce
    }
}

/// Whole days left, counting a started day (0 once it is not in force).
fn days_left(m: &MandateRecord, now: u64) -> u64 {
    if state_at(m, now) == MandateState::InForce {
        (m.not_after - now).div_ceil(86_400)
    } else {
        0
    }
}

/// A grantee as served.
#[derive(Debug, Serialize, ToSchema)]
pub struct GranteeItem {
    /// `person` or `organisation`.
    #[serde(rename = "type")]
    pub grantee_type: String,
    /// The person's coffre id, or the organisation's id.
    pub id: Uuid,
    /// The person's key, or the organisation's root (base64url).
    pub key: String,
}

/// A mandate as its owner or grantee sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MandateItem {
    pub mandate: Uuid,
    /// The attestation's number ("mandat n° 12").
    pub number: u64,
    pub coffre: Uuid,
    /// The coffre's current owner key (base64url): what the grantee verifies with.
    pub owner_key: String,
    pub grantee: GranteeItem,
    /// `consult`, `deposit` or `consult_deposit`.
    pub rights: String,
    pub categories: Vec<Uuid>,
    pub not_before: u64,
    pub not_after: u64,
    pub state: MandateState,
    /// Whole days left while in force (a started day counts), else 0.
    pub days_left: u64,
    /// The owner-signed `mandate` (envelope bytes, base64url).
    pub statement: String,
    /// The revocation or renunciation that ended it (envelope bytes, base64url).
    pub end: Option<String>,
    /// The owner's note on it (an age file to the owner, base64url; protocol.md section
    /// 8.1): only in the owner's own list (`given`), and only when the owner sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub(crate) fn peek_mandate(m: &MandateRecord) -> Result<Mandate, ApiError> {
    Envelope::parse(&m.statement)
        .and_then(|e| e.peek::<Mandate>())
        .map_err(|e| ApiError::Internal(format!("stored mandate: {e}")))
}

async fn item(state: &AppState, m: &MandateRecord, now: u64) -> Result<MandateItem, ApiError> {
    let body = peek_mandate(m)?;
    let owner = state
        .store
        .coffre(m.coffre)
        .await?
        .ok_or_else(|| ApiError::Internal("a mandate without its coffre".into()))?;
    Ok(MandateItem {
        mandate: m.id,
        number: m.number,
        coffre: m.coffre.0,
        owner_key: PublicKey(owner.owner_key).to_b64(),
        grantee: GranteeItem {
            grantee_type: m.grantee_type.clone(),
            id: body.grantee.id.0,
            key: PublicKey(m.grantee_key).to_b64(),
        },
        rights: m.rights.clone(),
        categories: body.categories.iter().map(|c| c.0).collect(),
        not_before: m.not_before,
        not_after: m.not_after,
        state: state_at(m, now),
        days_left: days_left(m, now),
        statement: b64(&m.statement),
        end: m.end_statement.as_deref().map(b64),
        note: None,
    })
}

pub(crate) fn context(state: &AppState, coffre: &CoffreRecord) -> Context {
    Context {
        instance: state.origin.as_str().to_owned(),
        coffre: Id(coffre.id.0),
        epoch: coffre.epoch,
    }
}

pub(crate) fn refused(what: &str, error: coffre_crypto::Error) -> ApiError {
    ApiError::Refused {
        what: what.to_owned(),
        error,
    }
}

fn rights_str(r: coffre_crypto::kinds::Rights) -> &'static str {
    match r {
        coffre_crypto::kinds::Rights::Consult => "consult",
        coffre_crypto::kinds::Rights::Deposit => "deposit",
        coffre_crypto::kinds::Rights::ConsultDeposit => "consult_deposit",
    }
}

/// A mandate the owner signed, and its journal entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMandate {
    /// The owner-signed `mandate` (envelope bytes, base64url).
    pub mandate: String,
    /// The owner's `mandate_granted` journal entry about it (`object` = the mandate id).
    pub journal: NewEntry,
    /// The owner's note on it, optional: an age file to the owner's own recipient holding
    /// the owner-signed `mandate_note` (base64url, at most 2,048 bytes decoded). The server
    /// cannot open it: it checks its size and that it is an age file to recipients
    /// ([`checked_note`]). `PUT /api/mandates/{id}/note` sets it later.
    #[serde(default)]
    pub note: Option<String>,
}

/// A stored mandate's number and place in the journal.
#[derive(Debug, Serialize, ToSchema)]
pub struct Granted {
    pub mandate: Uuid,
    pub number: u64,
    /// The journal entry's seq.
    pub seq: u64,
    /// Its `inclusion_receipt` (envelope bytes, base64url).
    pub receipt: String,
}

/// The owner gives a mandate.
#[utoipa::path(
    post,
    path = "/mandates",
    tag = "mandates",
    request_body = NewMandate,
    responses(
        (status = 201, description = "Stored, numbered, journaled", body = Granted),
        (status = 400, description = "The grantee is the owner, the journal entry is not about it, or the note is not base64url or not an age file", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 409, description = "The mandate id exists, or the journal moved", body = ErrorBody),
        (status = 413, description = "note_too_large: the note is above 2,048 bytes", body = ErrorBody),
        (status = 422, description = "The mandate does not verify: bad_signature, context_mismatch, outside_validity, malformed, grantee_key_mismatch, root_mismatch…", body = ErrorBody),
    )
)]
pub async fn grant(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewMandate>,
) -> Result<(StatusCode, ApiJson<Granted>), ApiError> {
    let owner = account(&state, &session).await?;
    let note = req.note.as_deref().map(checked_note).transpose()?;
    let bytes = coffres::bytes("mandate", &req.mandate)?;
    let envelope = Envelope::parse(&bytes).map_err(ApiError::refused("mandate"))?;
    let owner_key = PublicKey(owner.owner_key);
    let peeked = envelope
        .peek::<Mandate>()
        .map_err(ApiError::refused("mandate"))?;
    if peeked.mandate.0.get_version_num() != 4 {
        return Err(ApiError::BadRequest(
            "a mandate id is a random (v4) uuid".into(),
        ));
    }
    let now = now_secs(&state);
    // Checked at a time inside its window (it may start later); then not over already.
    let at = now.clamp(peeked.not_before, peeked.not_after.max(peeked.not_before));
    let verified = verify_mandate(
        &envelope,
        &owner_key,
        &context(&state, &owner),
        at,
        &MandateEnds::none(),
    )
    .map_err(ApiError::refused("mandate"))?;
    let m = verified.body();
    if m.not_after <= now {
        return Err(refused("mandate", coffre_crypto::Error::OutsideValidity));
    }
    if m.created > now + CLOCK_SLACK_SECS {
        return Err(ApiError::BadRequest(format!(
            "the mandate's created must not be after {now} (the server's time)"
        )));
    }
    let categories = state.store.categories(owner.id).await?;
    if m.categories
        .iter()
        .any(|c| !categories.iter().any(|k| k.id == c.0))
    {
        return Err(refused(
            "mandate",
            coffre_crypto::Error::ContextMismatch("category"),
        ));
    }
    let organisation = match m.grantee.grantee_type {
        GranteeType::Person => {
            let grantee = state
                .store
                .coffre_by_owner_key(&m.grantee.key.0)
                .await?
                .ok_or_else(|| refused("mandate", coffre_crypto::Error::GranteeKeyMismatch))?;
            if grantee.id == owner.id {
                return Err(ApiError::BadRequest(
                    "a mandate is given to someone else".into(),
                ));
            }
            let recipient_ok = m
                .grantee
                .recipient
                .as_ref()
                .is_some_and(|r| r.as_str() == grantee.owner_recipient);
            if grantee.id.0 != m.grantee.id.0 || !recipient_ok {
                return Err(refused("mandate", coffre_crypto::Error::GranteeKeyMismatch));
            }
            None
        }
        GranteeType::Organisation => {
            let org = state
                .store
                .organisation(m.grantee.id.0)
                .await?
                .and_then(|o| o.root_key.map(|r| (o.id, r)))
                .ok_or_else(|| refused("mandate", coffre_crypto::Error::RootMismatch))?;
            if org.1 != m.grantee.key.0 {
                return Err(refused("mandate", coffre_crypto::Error::RootMismatch));
            }
            Some(org.0)
        }
    };
    let journal = owner_entry(
        &state,
        &owner,
        &req.journal,
        Some(Expect {
            actions: GRANTED_ACTIONS,
            object: m.mandate,
        }),
    )
    .await?;
    let record = MandateRecord {
        id: m.mandate.0,
        number: 0,
        coffre: owner.id,
        grantee_type: match m.grantee.grantee_type {
            GranteeType::Person => "person",
            GranteeType::Organisation => "organisation",
        }
        .to_owned(),
        grantee_key: m.grantee.key.0,
        organisation,
        rights: rights_str(m.rights).to_owned(),
        not_before: m.not_before,
        not_after: m.not_after,
        statement: bytes,
        created_at: state.clock.now(),
        ended: None,
        end_kind: None,
        end_statement: None,
    };
    let number = state
        .store
        .insert_mandate(&record, note.as_deref(), &journal)
        .await
        .map_err(|e| {
            ApiError::from_insert(
                e,
                "this mandate id exists, or the journal moved: read the head, sign again",
            )
        })?;
    Ok((
        StatusCode::CREATED,
        ApiJson(Granted {
            mandate: record.id,
            number,
            seq: journal.seq,
            receipt: b64(&journal.receipt),
        }),
    ))
}

/// Whether `me` acts under `m` as its grantee: the person it names, or a current aidant of
/// the organisation it names (a responsable sees the organisation's list, not papers).
pub(crate) async fn is_grantee(
    state: &AppState,
    me: &CoffreRecord,
    m: &MandateRecord,
) -> Result<bool, ApiError> {
    Ok(match m.organisation {
        None => m.grantee_key == me.owner_key,
        Some(org) => role_in(state, org, &me.owner_key).await? == Some(Role::Aidant),
    })
}

/// The signed-in account's mandates.
#[derive(Debug, Serialize, ToSchema)]
pub struct MandateLists {
    /// The mandates this coffre's owner gave, every state.
    pub given: Vec<MandateItem>,
    /// The mandates in force that this account acts under (as the person named, or as an
    /// aidant of the organisation named).
    pub received: Vec<MandateItem>,
}

/// The mandates the signed-in account gave, and those it acts under now.
#[utoipa::path(
    get,
    path = "/mandates",
    tag = "mandates",
    responses(
        (status = 200, description = "Given and received", body = MandateLists),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<MandateLists>, ApiError> {
    let me = account(&state, &session).await?;
    let now = now_secs(&state);
    let mut notes: std::collections::HashMap<Uuid, Vec<u8>> = state
        .store
        .mandate_notes_of_coffre(me.id)
        .await?
        .into_iter()
        .collect();
    let mut given = Vec::new();
    for m in state.store.mandates_of_coffre(me.id).await? {
        let mut one = item(&state, &m, now).await?;
        // The owner's own notes, and only here: `received` and the organisation's list
        // never carry one.
        one.note = notes.remove(&m.id).as_deref().map(b64);
        given.push(one);
    }
    let mut received = Vec::new();
    for m in received_records(&state, &me, now).await? {
        received.push(item(&state, &m, now).await?);
    }
    Ok(ApiJson(MandateLists { given, received }))
}

/// The mandates in force at `now` that name `me`'s key or an organisation `me` is a current
/// aidant of, by number: the list's `received`.
pub(crate) async fn received_records(
    state: &AppState,
    me: &CoffreRecord,
    now: u64,
) -> Result<Vec<MandateRecord>, ApiError> {
    let mut records = state.store.mandates_to_person(&me.owner_key).await?;
    for (org, role) in state.store.memberships(&me.owner_key).await? {
        if role == "aidant" {
            records.extend(state.store.mandates_to_organisation(org).await?);
        }
    }
    records.retain(|m| state_at(m, now) == MandateState::InForce);
    records.sort_by_key(|m| m.number);
    Ok(records)
}

/// Whether `m` has not ended at `now`: in force or upcoming. What the owner's client may
/// still give to (keys, labels) and what a grantee may still renounce.
pub(crate) fn not_ended(m: &MandateRecord, now: u64) -> bool {
    matches!(
        state_at(m, now),
        MandateState::InForce | MandateState::Upcoming
    )
}

/// Whether `me` acts under `m` now: `m` is in force and `me` is its grantee (the person it
/// names, or a current aidant of the organisation it names), and not its owner (a coffre
/// reads and adds its own papers directly, not under its own mandate). The one check every
/// grantee route makes.
pub(crate) async fn acts_under(
    state: &AppState,
    me: &CoffreRecord,
    m: &MandateRecord,
) -> Result<bool, ApiError> {
    Ok(m.coffre != me.id
        && state_at(m, now_secs(state)) == MandateState::InForce
        && is_grantee(state, me, m).await?)
}

/// The mandate `id` if `me` acts under it now ([`acts_under`]); `404` otherwise, like a
/// mandate that does not exist.
pub(crate) async fn acting_under(
    state: &AppState,
    me: &CoffreRecord,
    id: Uuid,
) -> Result<MandateRecord, ApiError> {
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    if acts_under(state, me, &m).await? {
        Ok(m)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The mandate `id` as the signed-in account may see it: its owner always, its grantee
/// while it acts under it ([`acts_under`]); anyone else `404`.
pub(crate) async fn visible(
    state: &AppState,
    me: &CoffreRecord,
    id: Uuid,
) -> Result<MandateRecord, ApiError> {
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    if m.coffre == me.id || acts_under(state, me, &m).await? {
        return Ok(m);
    }
    Err(ApiError::NotFound)
}

/// One mandate.
#[utoipa::path(
    get,
    path = "/mandates/{id}",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    responses(
        (status = 200, description = "The mandate", body = MandateItem),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found (or not yours to see, or no longer in force)", body = ErrorBody),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<MandateItem>, ApiError> {
    let me = account(&state, &session).await?;
    let m = visible(&state, &me, id).await?;
    Ok(ApiJson(item(&state, &m, now_secs(&state)).await?))
}

/// A mandate as the organisation's responsable sees it: who, scope, days left.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgMandateItem {
    pub mandate: Uuid,
    pub number: u64,
    /// The person's coffre.
    pub coffre: Uuid,
    /// The person's current key (base64url): its fingerprint is what the responsable
    /// compares.
    pub owner_key: String,
    pub rights: String,
    /// How many categories it covers.
    pub categories: u64,
    pub not_before: u64,
    pub not_after: u64,
    pub state: MandateState,
    pub days_left: u64,
}

/// The organisation's mandates.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgMandates {
    pub mandates: Vec<OrgMandateItem>,
}

/// A responsable lists the organisation's mandates (never papers).
#[utoipa::path(
    get,
    path = "/organisations/{id}/mandates",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The organisation")),
    responses(
        (status = 200, description = "The mandates", body = OrgMandates),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (an aidant)", body = ErrorBody),
        (status = 404, description = "not_found (or not a member)", body = ErrorBody),
    )
)]
pub async fn of_organisation(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<OrgMandates>, ApiError> {
    let me = account(&state, &session).await?;
    match role_in(&state, id, &me.owner_key).await? {
        Some(Role::Responsable) => {}
        Some(Role::Aidant) => {
            return Err(ApiError::Forbidden(
                "only a responsable sees the organisation's mandates".into(),
            ));
        }
        None => return Err(ApiError::NotFound),
    }
    let now = now_secs(&state);
    let mut mandates = Vec::new();
    for m in state.store.mandates_to_organisation(id).await? {
        let body = peek_mandate(&m)?;
        let owner = state
            .store
            .coffre(m.coffre)
            .await?
            .ok_or_else(|| ApiError::Internal("a mandate without its coffre".into()))?;
        mandates.push(OrgMandateItem {
            mandate: m.id,
            number: m.number,
            coffre: m.coffre.0,
            owner_key: PublicKey(owner.owner_key).to_b64(),
            rights: m.rights.clone(),
            categories: body.categories.len() as u64,
            not_before: m.not_before,
            not_after: m.not_after,
            state: state_at(&m, now),
            days_left: days_left(&m, now),
        });
    }
    Ok(ApiJson(OrgMandates { mandates }))
}

/// A revocation the owner signed, and its journal entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRevocation {
    /// The owner-signed `revocation` (envelope bytes, base64url), dated within 5 minutes of
    /// the server's time.
    pub revocation: String,
    /// The owner's `mandate_revoked` journal entry (`object` = the mandate id).
    pub journal: NewEntry,
}

/// How a mandate ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ended {
    pub mandate: Uuid,
    pub state: MandateState,
    /// When it took effect (Unix seconds).
    pub ended: u64,
    /// The journal entry's seq: the owner's `mandate_revoked`, or the server's
    /// `mandate_renounced`.
    pub seq: Option<u64>,
    /// Its `inclusion_receipt` (envelope bytes, base64url): for a renunciation, the
    /// grantee's proof that the owner's journal records it.
    pub receipt: Option<String>,
}

pub(crate) fn check_dated(what: &str, created: u64, now: u64) -> Result<u64, ApiError> {
    if created + CLOCK_SLACK_SECS < now || created > now + CLOCK_SLACK_SECS {
        return Err(ApiError::BadRequest(format!(
            "the {what} must be dated within {CLOCK_SLACK_SECS} s of {now} (the server's time)"
        )));
    }
    // Enforced from now at the latest, whatever the signer's clock says.
    Ok(created.min(now))
}

/// The owner revokes a mandate, at once.
#[utoipa::path(
    post,
    path = "/mandates/{id}/revocation",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    request_body = NewRevocation,
    responses(
        (status = 200, description = "Revoked", body = Ended),
        (status = 400, description = "Badly dated, or the journal entry is not about it", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not this coffre's)", body = ErrorBody),
        (status = 409, description = "It has ended already, or the journal moved", body = ErrorBody),
        (status = 422, description = "The revocation does not verify (protocol error code)", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewRevocation>,
) -> Result<ApiJson<Ended>, ApiError> {
    let owner = account(&state, &session).await?;
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    if m.coffre != owner.id {
        return Err(ApiError::NotFound);
    }
    let bytes = coffres::bytes("revocation", &req.revocation)?;
    let envelope = Envelope::parse(&bytes).map_err(ApiError::refused("revocation"))?;
    let revocation = verify_revocation(
        &envelope,
        &PublicKey(owner.owner_key),
        &context(&state, &owner),
        Id(id),
    )
    .map_err(ApiError::refused("revocation"))?;
    let now = now_secs(&state);
    let ended = check_dated("revocation", revocation.body().created, now)?;
    if m.ended.is_some() {
        return Err(ApiError::Conflict("this mandate has ended already".into()));
    }
    let journal = owner_entry(
        &state,
        &owner,
        &req.journal,
        Some(Expect {
            actions: REVOKED_ACTIONS,
            object: Id(id),
        }),
    )
    .await?;
    state
        .store
        .end_mandate(&MandateEnd {
            coffre: owner.id,
            mandate: id,
            kind: "revocation",
            ended,
            statement: &bytes,
            journal: Some(&journal),
        })
        .await
        .map_err(|e| ApiError::from_insert(e, "this mandate has ended, or the journal moved"))?;
    Ok(ApiJson(Ended {
        mandate: id,
        state: MandateState::Revoked,
        ended,
        seq: Some(journal.seq),
        receipt: Some(b64(&journal.receipt)),
    }))
}

/// A renunciation the grantee signed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRenunciation {
    /// The `renunciation` signed by the posting account's key as `grantee_key` (envelope
    /// bytes, base64url), dated within 5 minutes of the server's time.
    pub renunciation: String,
}

/// The grantee gives a mandate up: the person named, or a current member of the
/// organisation named (aidant or responsable).
#[utoipa::path(
    post,
    path = "/mandates/{id}/renunciation",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    request_body = NewRenunciation,
    responses(
        (status = 200, description = "Renounced", body = Ended),
        (status = 400, description = "Badly dated", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not a mandate to you, or no longer in force)", body = ErrorBody),
        (status = 409, description = "It has ended already", body = ErrorBody),
        (status = 422, description = "The renunciation does not verify (protocol error code)", body = ErrorBody),
    )
)]
pub async fn renounce(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewRenunciation>,
) -> Result<ApiJson<Ended>, ApiError> {
    let me = account(&state, &session).await?;
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    let now = now_secs(&state);
    let allowed = match m.organisation {
        None => m.grantee_key == me.owner_key,
        Some(org) => role_in(&state, org, &me.owner_key).await?.is_some(),
    };
    if !allowed || !not_ended(&m, now) {
        return Err(ApiError::NotFound);
    }
    let owner = state
        .store
        .coffre(m.coffre)
        .await?
        .ok_or_else(|| ApiError::Internal("a mandate without its coffre".into()))?;
    let bytes = coffres::bytes("renunciation", &req.renunciation)?;
    let envelope = Envelope::parse(&bytes).map_err(ApiError::refused("renunciation"))?;
    let renunciation: Verified<Renunciation> = verify_renunciation(
        &envelope,
        &[PublicKey(me.owner_key)],
        &context(&state, &owner),
        Id(id),
    )
    .map_err(ApiError::refused("renunciation"))?;
    let ended = check_dated("renunciation", renunciation.body().created, now)?;
    // The server's `mandate_renounced` entry in the owner's journal, bound to the statement,
    // stored in its transaction; the grantee keeps the entry's inclusion receipt.
    let act = GranteeAct {
        action: "mandate_renounced",
        mandate: Id(id),
        object: None,
        proof: envelope.hash().map_err(ApiError::refused("renunciation"))?,
    };
    let _turn = journal_turn(owner.id).await;
    for _ in 0..GRANTEE_ENTRY_TRIES {
        let journal = grantee_entry(&state, &owner, &act).await?;
        let stored = state
            .store
            .end_mandate(&MandateEnd {
                coffre: owner.id,
                mandate: id,
                kind: "renunciation",
                ended,
                statement: &bytes,
                journal: Some(&journal),
            })
            .await;
        match stored {
            Ok(()) => {
                return Ok(ApiJson(Ended {
                    mandate: id,
                    state: MandateState::Renounced,
                    ended,
                    seq: Some(journal.seq),
                    receipt: Some(b64(&journal.receipt)),
                }));
            }
            Err(InsertError::Conflict) if head_moved(&state, &owner, &journal).await? => {}
            Err(e) => return Err(ApiError::from_insert(e, "this mandate has ended already")),
        }
    }
    Err(ApiError::Unavailable)
}
