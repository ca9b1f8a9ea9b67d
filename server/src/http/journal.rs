//! The owner's journal (protocol.md section 9): `GET /api/journal`, `POST /api/journal`,
//! and the entries the server signs itself (coffre opened, sign-ins, wrong PINs, a locked
//! carte, a restore from a backup) and those it writes for a grantee's act under a mandate
//! (`grantee_entry`: consultation, deposit, renunciation, each bound by its `proof` to the
//! grantee-signed statement, stored in that act's transaction). The server orders entries
//! and signs an inclusion receipt for each; the owner's client verifies the whole chain.
//! `GET`/`PUT /api/journal/checkpoint` keep the owner-signed checkpoint a new device starts
//! from.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Weak};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use coffre_crypto::age_io::encrypt_payload;
use coffre_crypto::encoding::{AgeRecipient, Hash32, Id, PublicKey, b64, sha256};
use coffre_crypto::kinds::{InclusionReceipt, JournalBodyPayload, JournalEntry};
use coffre_crypto::statement::Envelope;
use coffre_crypto::{Context, journal};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppState;
use crate::clock::SharedClock;
use crate::db::SharedStore;
use crate::db::accounts::JournalRow;
use crate::db::checkpoints::StoredCheckpoint;
use crate::domain::{CoffreId, CoffreRecord, FactorKind, InstanceOrigin, ServerKey};
use crate::error::{ApiError, ErrorBody};
use crate::http::session::{CurrentSession, unix_secs};
use crate::http::{ApiJson, coffres};

/// Most entries one answer carries (protocol.md 2.4: a page verified at once).
pub const PAGE: u32 = 10_000;
/// Tries before giving up when other writers keep taking the next seq.
const APPEND_TRIES: usize = 8;

/// What the server writes in its own entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerAction {
    CoffreCreated,
    SignIn,
    SignInFailed,
    CarteLocked,
    /// `coffre restore` put the coffre back from a backup (the body says when the backup
    /// was taken).
    Restored,
}

impl ServerAction {
    /// The entry's `action` (the client knows these as the server's).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CoffreCreated => "coffre_created",
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::CarteLocked => "carte_locked",
            Self::Restored => "restored",
        }
    }
}

/// What signing the server's own entries needs: a running server has it in its
/// [`AppState`]; `coffre restore` assembles it from the restored database.
#[derive(Debug, Clone, Copy)]
pub struct ServerSigner<'a> {
    pub store: &'a SharedStore,
    pub key: &'a ServerKey,
    pub origin: &'a InstanceOrigin,
    pub clock: &'a SharedClock,
}

impl AppState {
    /// The server's signer, for [`append_signed_by_server`].
    pub fn server_signer(&self) -> ServerSigner<'_> {
        ServerSigner {
            store: &self.store,
            key: &self.server_key,
            origin: &self.origin,
            clock: &self.clock,
        }
    }
}

/// Appends an entry signed by the instance's server key, its body (factor and device
/// label) encrypted to the owner.
pub async fn append_server_entry(
    state: &AppState,
    coffre: &CoffreRecord,
    action: ServerAction,
    factor: Option<FactorKind>,
    device: Option<&str>,
) -> Result<(), ApiError> {
    let body = JournalBodyPayload {
        backup_time: None,
        device: device.map(str::to_owned),
        factor: factor.map(|f| f.as_str().to_owned()),
        kind: Default::default(),
        v: Default::default(),
    };
    append_signed_by_server(state.server_signer(), coffre, action, &body).await
}

/// Appends an entry signed by `signer`'s server key with `body` encrypted to the owner:
/// the next seq after the head (tried again if another writer took it), a time never
/// before the last entry's, an inclusion receipt.
pub async fn append_signed_by_server(
    signer: ServerSigner<'_>,
    coffre: &CoffreRecord,
    action: ServerAction,
    body: &JournalBodyPayload,
) -> Result<(), ApiError> {
    let recipient = AgeRecipient::parse(&coffre.owner_recipient)
        .map_err(|e| ApiError::Internal(format!("stored owner recipient: {e}")))?;
    let body = encrypt_payload(std::slice::from_ref(&recipient), body)
        .map_err(|e| ApiError::Internal(format!("journal body: {e}")))?;
    let server = signer.key.public_key();
    for _ in 0..APPEND_TRIES {
        let head = signer.store.journal_head(coffre.id).await?;
        let (seq, prev, last_time) = next_position(head);
        let entry = JournalEntry {
            action: action.as_str().to_owned(),
            actor: server,
            body_sha256: Hash32(sha256(&body)),
            coffre: Id(coffre.id.0),
            epoch: coffre.epoch,
            instance: signer.origin.as_str().to_owned(),
            kind: Default::default(),
            mandate: None,
            object: None,
            prev,
            proof: None,
            seq,
            // Never before the entry it follows (replicas' clocks may differ a little).
            time: now_secs(signer.clock).max(last_time),
            v: Default::default(),
        };
        let envelope = signer
            .key
            .sign_statement(&entry)
            .map_err(|e| ApiError::Internal(format!("journal entry: {e}")))?;
        match store_entry(signer, coffre, &entry, &envelope, body.clone()).await {
            Err(ApiError::Conflict(_)) => continue,
            other => return other.map(|_| ()),
        }
    }
    Err(ApiError::Unavailable)
}

/// What a grantee did under a mandate, as the server records it in the owner's journal
/// (protocol.md section 9): the action (one of `journal::GRANTEE_ACTIONS`), the mandate, the
/// object, and the statement hash of the grantee-signed statement stored with it.
#[derive(Debug, Clone, Copy)]
pub struct GranteeAct {
    pub action: &'static str,
    pub mandate: Id,
    pub object: Option<Id>,
    pub proof: Hash32,
}

/// Tries a caller gives [`grantee_entry`] when another writer keeps taking the seq.
pub const GRANTEE_ENTRY_TRIES: usize = APPEND_TRIES;

/// One lock per coffre whose journal this process is appending a grantee's act to (weak:
/// gone with its last holder).
static JOURNAL_TURNS: LazyLock<std::sync::Mutex<HashMap<CoffreId, Weak<tokio::sync::Mutex<()>>>>> =
    LazyLock::new(Default::default);

/// Waits for this process's turn to append a grantee's act to `coffre`'s journal, held for
/// the whole try loop. Sixteen aidants consulting one person's coffre at once then take the
/// next seq one after the other here, instead of racing for it until [`GRANTEE_ENTRY_TRIES`]
/// run out (`503`); the seq is still checked by the store, so other replicas and the owner's
/// own entries keep the optimistic try ([`head_moved`]).
pub async fn journal_turn(coffre: CoffreId) -> tokio::sync::OwnedMutexGuard<()> {
    let lock = {
        let mut turns = JOURNAL_TURNS.lock().unwrap_or_else(|e| e.into_inner());
        if turns.len() > 1024 {
            turns.retain(|_, weak| weak.strong_count() > 0);
        }
        match turns.get(&coffre).and_then(Weak::upgrade) {
            Some(lock) => lock,
            None => {
                let lock = Arc::new(tokio::sync::Mutex::new(()));
                turns.insert(coffre, Arc::downgrade(&lock));
                lock
            }
        }
    };
    lock.lock_owned().await
}

/// The server-signed entry of a grantee's act as the next of `coffre`'s journal, with its
/// inclusion receipt, for the caller to store in the transaction of the act. A body with no
/// details is encrypted to the owner. If the store answers `Conflict`, ask
/// [`head_moved`] and build it again.
pub async fn grantee_entry(
    state: &AppState,
    coffre: &CoffreRecord,
    act: &GranteeAct,
) -> Result<JournalRow, ApiError> {
    let signer = state.server_signer();
    let recipient = AgeRecipient::parse(&coffre.owner_recipient)
        .map_err(|e| ApiError::Internal(format!("stored owner recipient: {e}")))?;
    let body = JournalBodyPayload {
        backup_time: None,
        device: None,
        factor: None,
        kind: Default::default(),
        v: Default::default(),
    };
    let body = encrypt_payload(std::slice::from_ref(&recipient), &body)
        .map_err(|e| ApiError::Internal(format!("journal body: {e}")))?;
    let (seq, prev, last_time) = next_position(state.store.journal_head(coffre.id).await?);
    let entry = JournalEntry {
        action: act.action.to_owned(),
        actor: signer.key.public_key(),
        body_sha256: Hash32(sha256(&body)),
        coffre: Id(coffre.id.0),
        epoch: coffre.epoch,
        instance: signer.origin.as_str().to_owned(),
        kind: Default::default(),
        mandate: Some(act.mandate),
        object: act.object,
        prev,
        proof: Some(act.proof),
        seq,
        time: now_secs(signer.clock).max(last_time),
        v: Default::default(),
    };
    let envelope = signer
        .key
        .sign_statement(&entry)
        .map_err(|e| ApiError::Internal(format!("journal entry: {e}")))?;
    row_with_receipt(signer, coffre, &entry, &envelope, body)
}

/// Whether the journal's head moved past where `row` was built (then a `Conflict` on storing
/// it is another writer's entry, and the row is built again), rather than the act's own
/// conflict.
pub async fn head_moved(
    state: &AppState,
    coffre: &CoffreRecord,
    row: &JournalRow,
) -> Result<bool, ApiError> {
    let (next, _, _) = next_position(state.store.journal_head(coffre.id).await?);
    Ok(next != row.seq)
}

/// `(seq, prev, time)` the next entry takes after `head`.
fn next_position(head: Option<(u64, [u8; 32], u64)>) -> (u64, Hash32, u64) {
    match head {
        Some((seq, hash, time)) => (seq + 1, Hash32(hash), time),
        None => (0, Hash32::ZERO, 0),
    }
}

fn now_secs(clock: &SharedClock) -> u64 {
    u64::try_from(unix_secs(clock.now())).unwrap_or(0)
}

/// Signs the inclusion receipt and stores the entry; `Conflict` if its seq was taken.
async fn store_entry(
    signer: ServerSigner<'_>,
    coffre: &CoffreRecord,
    entry: &JournalEntry,
    envelope: &Envelope,
    body: Vec<u8>,
) -> Result<Vec<u8>, ApiError> {
    let row = row_with_receipt(signer, coffre, entry, envelope, body)?;
    append_row(signer.store, coffre, &row).await?;
    Ok(row.receipt)
}

/// The row of a verified entry, with the inclusion receipt the server signs for it.
fn row_with_receipt(
    signer: ServerSigner<'_>,
    coffre: &CoffreRecord,
    entry: &JournalEntry,
    envelope: &Envelope,
    body: Vec<u8>,
) -> Result<JournalRow, ApiError> {
    let internal = |e: coffre_crypto::Error| ApiError::Internal(format!("journal: {e}"));
    let hash = envelope.hash().map_err(internal)?;
    let receipt = InclusionReceipt {
        coffre: Id(coffre.id.0),
        entry: hash,
        instance: signer.origin.as_str().to_owned(),
        kind: Default::default(),
        seq: entry.seq,
        time: entry.time,
        v: Default::default(),
    };
    let receipt = signer
        .key
        .sign_statement(&receipt)
        .and_then(|r| r.to_bytes())
        .map_err(internal)?;
    Ok(JournalRow {
        seq: entry.seq,
        time: entry.time,
        entry: envelope.to_bytes().map_err(internal)?,
        hash: hash.0,
        body,
        receipt,
    })
}

/// `?from=SEQ`: entries from this seq on (a device's checkpoint), default 0.
#[derive(Debug, Deserialize, IntoParams)]
pub struct JournalQuery {
    pub from: Option<u64>,
}

/// One entry as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalItem {
    pub seq: u64,
    /// The signed `journal_entry` (envelope bytes, base64url).
    pub entry: String,
    /// The body: an age file to the owner (base64url).
    pub body: String,
    /// The server's `inclusion_receipt` (envelope bytes, base64url).
    pub receipt: String,
}

/// A page of the journal, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalPage {
    pub entries: Vec<JournalItem>,
    /// More entries follow this page (ask again from the last seq + 1).
    pub more: bool,
}

/// The signed-in coffre's journal, oldest first, from `from`.
#[utoipa::path(
    get,
    path = "/journal",
    tag = "accounts",
    params(JournalQuery),
    responses(
        (status = 200, description = "Entries with their bodies and receipts", body = JournalPage),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn read(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Query(query): Query<JournalQuery>,
) -> Result<ApiJson<JournalPage>, ApiError> {
    let rows = state
        .store
        .journal(session.coffre, query.from.unwrap_or(0), PAGE + 1)
        .await?;
    let more = rows.len() > PAGE as usize;
    Ok(ApiJson(JournalPage {
        entries: rows
            .into_iter()
            .take(PAGE as usize)
            .map(|r| JournalItem {
                seq: r.seq,
                entry: b64(&r.entry),
                body: b64(&r.body),
                receipt: b64(&r.receipt),
            })
            .collect(),
        more,
    }))
}

/// An entry signed by the owner's client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    /// The signed `journal_entry` (envelope bytes, base64url): `seq` and `prev` must follow
    /// the current head.
    pub entry: String,
    /// Its body, an age file to the owner (base64url), hashing to `body_sha256`.
    pub body: String,
}

/// The server's receipt for an appended entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct Appended {
    pub seq: u64,
    /// The `inclusion_receipt` (envelope bytes, base64url).
    pub receipt: String,
}

/// Appends an entry the owner's client signed; the server verifies it first.
#[utoipa::path(
    post,
    path = "/journal",
    tag = "accounts",
    request_body = NewEntry,
    responses(
        (status = 201, description = "Appended", body = Appended),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 409, description = "The head moved: read it again and sign a new entry", body = ErrorBody),
        (status = 422, description = "The entry does not verify (protocol error code)", body = ErrorBody),
    )
)]
pub async fn append(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewEntry>,
) -> Result<(StatusCode, ApiJson<Appended>), ApiError> {
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let row = owner_entry(&state, &coffre, &req, None).await?;
    append_row(&state.store, &coffre, &row).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(Appended {
            seq: row.seq,
            receipt: b64(&row.receipt),
        }),
    ))
}

/// What an owner's entry that comes with another change must say: its action, and the
/// object (paper) it is about.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    pub actions: &'a [&'a str],
    pub object: Id,
}

/// Verifies an entry the owner's client signed, as the next one of `coffre`'s journal, and
/// returns its row with the server's inclusion receipt, for the caller to store (alone, or in
/// the transaction of the change it records). Refused: another signer, context, body, a
/// server action, other than `expect`; `409` if the head moved.
pub async fn owner_entry(
    state: &AppState,
    coffre: &CoffreRecord,
    req: &NewEntry,
    expect: Option<Expect<'_>>,
) -> Result<JournalRow, ApiError> {
    let bytes = coffres::bytes("entry", &req.entry)?;
    let body = coffres::recipient_file("body", &req.body)?;
    let envelope = Envelope::parse(&bytes).map_err(ApiError::refused("journal_entry"))?;
    let owner = PublicKey(coffre.owner_key);
    let verified = envelope
        .verify_by::<JournalEntry>(&owner)
        .map_err(ApiError::refused("journal_entry"))?;
    let entry = verified.body();
    let ctx = Context {
        instance: state.origin.as_str().to_owned(),
        coffre: Id(coffre.id.0),
        epoch: coffre.epoch,
    };
    ctx.check(&entry.instance, Some(&entry.coffre), Some(entry.epoch))
        .map_err(ApiError::refused("journal_entry"))?;
    if entry.actor != owner {
        return Err(ApiError::Refused {
            what: "journal_entry".into(),
            error: coffre_crypto::Error::UnauthorisedSigner,
        });
    }
    if entry.body_sha256.0 != sha256(&body) {
        return Err(ApiError::Refused {
            what: "journal body".into(),
            error: coffre_crypto::Error::HashMismatch,
        });
    }
    if journal::SERVER_ACTIONS.contains(&entry.action.as_str()) || entry.proof.is_some() {
        return Err(ApiError::BadRequest(format!(
            "{} entries are the server's own",
            entry.action
        )));
    }
    // A paper action is taken only with the paper's upload or deletion, in its
    // transaction (protocol.md section 9); `paper_replaced` not at all any more.
    if expect.is_none() && PAPER_ACTIONS.contains(&entry.action.as_str()) {
        return Err(ApiError::BadRequest(format!(
            "{} entries come with the paper's upload or deletion",
            entry.action
        )));
    }
    if let Some(expect) = expect
        && (!expect.actions.contains(&entry.action.as_str()) || entry.object != Some(expect.object))
    {
        return Err(ApiError::BadRequest(format!(
            "the journal entry must be {} about {}",
            expect.actions.join(" or "),
            expect.object
        )));
    }
    let (seq, prev, last_time) = next_position(state.store.journal_head(coffre.id).await?);
    if entry.seq != seq || entry.prev != prev {
        return Err(ApiError::Conflict(format!(
            "the next entry is seq {seq}: read the head and sign again"
        )));
    }
    let now = now_secs(&state.clock);
    if entry.time < last_time || entry.time > now + CLOCK_SLACK_SECS {
        return Err(ApiError::BadRequest(format!(
            "the entry's time must be between {last_time} and {now} (the server's time)"
        )));
    }
    row_with_receipt(state.server_signer(), coffre, entry, &envelope, body)
}

/// Stores a journal row; `409` if another entry took its place meanwhile.
async fn append_row(
    store: &SharedStore,
    coffre: &CoffreRecord,
    row: &JournalRow,
) -> Result<(), ApiError> {
    store.append_journal(coffre.id, row).await.map_err(|e| {
        ApiError::from_insert(
            e,
            "another entry took this place in the journal: read the head and sign again",
        )
    })
}

/// Owner actions about a paper, refused on the journal's own route.
const PAPER_ACTIONS: &[&str] = &["paper_added", "paper_replaced", "paper_deleted"];

/// How far ahead of the server's clock an owner's entry may be dated.
const CLOCK_SLACK_SECS: u64 = 300;

/// The head the owner's client signs its next entry after.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalHead {
    /// The seq the next entry takes.
    pub next_seq: u64,
    /// The statement hash of the last entry (base64url; 32 zero bytes for an empty journal).
    pub prev: String,
    /// The time to put in the next entry (Unix seconds): the server's, never before the
    /// last entry's.
    pub time: u64,
}

/// Where the next entry goes.
#[utoipa::path(
    get,
    path = "/journal/head",
    tag = "accounts",
    responses(
        (status = 200, description = "The next seq and prev", body = JournalHead),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn head(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<JournalHead>, ApiError> {
    let (next_seq, prev, time) = next_position(state.store.journal_head(session.coffre).await?);
    Ok(ApiJson(JournalHead {
        next_seq,
        prev: prev.to_b64(),
        time: time.max(now_secs(&state.clock)),
    }))
}

/// The owner's latest journal checkpoint, and where the journal ends.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalCheckpointAnswer {
    /// The latest `journal_checkpoint` the owner's device signed (envelope bytes, base64url),
    /// if any was kept at the coffre's current epoch.
    pub checkpoint: Option<String>,
    /// The seq the next entry takes (the journal holds entries 0 to `next_seq - 1`).
    pub next_seq: u64,
}

/// The owner-signed checkpoint a new device verifies first (protocol.md section 9).
#[utoipa::path(
    get,
    path = "/journal/checkpoint",
    tag = "accounts",
    responses(
        (status = 200, description = "The checkpoint, if any, and the next seq", body = JournalCheckpointAnswer),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn checkpoint(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<JournalCheckpointAnswer>, ApiError> {
    let (next_seq, _, _) = next_position(state.store.journal_head(session.coffre).await?);
    let stored = state.store.journal_checkpoint(session.coffre).await?;
    Ok(ApiJson(JournalCheckpointAnswer {
        checkpoint: stored.map(|c| b64(&c.statement)),
        next_seq,
    }))
}

/// A checkpoint the owner's device signed after verifying the journal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCheckpoint {
    /// The signed `journal_checkpoint` (envelope bytes, base64url).
    pub checkpoint: String,
}

/// Keeps the owner's checkpoint: signed by the coffre's current owner key, for this instance,
/// coffre and epoch, naming an entry the journal holds with that very hash. An older one than
/// the kept checkpoint is refused with `409`.
#[utoipa::path(
    put,
    path = "/journal/checkpoint",
    tag = "accounts",
    request_body = NewCheckpoint,
    responses(
        (status = 204, description = "Kept"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 409, description = "A later checkpoint is kept already", body = ErrorBody),
        (status = 422, description = "The checkpoint does not verify, or names another entry (protocol error code)", body = ErrorBody),
    )
)]
pub async fn put_checkpoint(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewCheckpoint>,
) -> Result<StatusCode, ApiError> {
    let coffre = state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let bytes = coffres::bytes("checkpoint", &req.checkpoint)?;
    let envelope = Envelope::parse(&bytes).map_err(ApiError::refused("journal_checkpoint"))?;
    let ctx = Context {
        instance: state.origin.as_str().to_owned(),
        coffre: Id(coffre.id.0),
        epoch: coffre.epoch,
    };
    let cp = journal::verify_checkpoint(&envelope, &PublicKey(coffre.owner_key), &ctx)
        .map_err(ApiError::refused("journal_checkpoint"))?;
    let named = state.store.journal(coffre.id, cp.seq, 1).await?;
    if !named
        .first()
        .is_some_and(|row| row.seq == cp.seq && row.hash == cp.hash.0)
    {
        return Err(ApiError::Refused {
            what: "journal_checkpoint".into(),
            error: coffre_crypto::Error::HashMismatch,
        });
    }
    let kept = state
        .store
        .put_journal_checkpoint(
            coffre.id,
            &StoredCheckpoint {
                epoch: coffre.epoch,
                seq: cp.seq,
                // Canonical: `Envelope::parse` accepts only the one encoding.
                statement: bytes,
            },
        )
        .await?;
    if !kept {
        return Err(ApiError::Conflict(
            "a later checkpoint is kept already".into(),
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}
