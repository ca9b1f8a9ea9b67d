//! Organisations over HTTP (protocol.md section 7; `docs/design/mandates-server.md`).
//!
//! The instance admin makes an organisation and gets a one-time founding link (the token in
//! its fragment, its SHA-256 stored). The founding responsable — a professional account —
//! posts the genesis `org_chain` statement, signed by a root key made on their device and
//! naming their own account key. Later statements are signed by the current responsables
//! (two once there are two or more) and posted by one of them. The server verifies the whole
//! chain with `coffre-crypto` before it stores a statement, and rewrites the current members
//! in the same transaction: a removed aidant loses access at once. It stores the
//! root-certified organisation keys and their wraps, and serves each member only its own
//! wraps. The admin sees counts, never who is followed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coffre_crypto::encoding::{Hash32, Id, PublicKey, b64, unb64_array};
use coffre_crypto::kinds::{OrgChain, OrgKey, Role};
use coffre_crypto::organisation::{OrgState, newest_org_key, verify_org_chain};
use coffre_crypto::statement::Envelope;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Duration;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::clock::SharedClock;
use crate::db::organisations::{ChainAppend, ChainRow, MemberRow, OrganisationRecord};
use crate::db::{SharedStore, StoreError};
use crate::domain::{AccountRole, CoffreRecord, InstanceOrigin};
use crate::error::{ApiError, ErrorBody};
use crate::http::session::{self, ClientIp, CurrentSession, NONCE_PER_IP, unix_secs};
use crate::http::{ApiJson, coffres};

/// The page that founds an organisation (the token follows after `#`).
pub const FOUNDING_PATH: &str = "/organisation/fonder";

/// How long a founding link works unless the admin says otherwise.
pub const DEFAULT_FOUNDING_LIFETIME: Duration = Duration::hours(72);

/// Longest organisation name (characters).
pub const NAME_MAX: usize = 120;

/// Makes an organisation named `name` and returns it with its one-time founding link.
pub async fn create(
    store: &SharedStore,
    clock: &SharedClock,
    origin: &InstanceOrigin,
    name: &str,
    lifetime: Duration,
) -> Result<(OrganisationRecord, String), CreateError> {
    let name = clean_name(name)?;
    let mut token = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut token);
    let now = clock.now();
    let org = OrganisationRecord {
        id: Uuid::new_v4(),
        name,
        created_at: now,
        founding_sha256: Sha256::digest(token).into(),
        founding_expires_at: now.saturating_add(lifetime),
        founded_at: None,
        root_key: None,
    };
    store.insert_organisation(&org).await.map_err(|e| match e {
        crate::db::InsertError::Store(s) => CreateError::Store(s),
        _ => CreateError::Store(StoreError::Corrupt("organisation id taken".into())),
    })?;
    let link = format!("{origin}{FOUNDING_PATH}#{}", b64(&token));
    Ok((org, link))
}

/// Why an organisation was not made.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("the name must have 1 to {NAME_MAX} characters, without control characters")]
    BadName,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn clean_name(raw: &str) -> Result<String, CreateError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(CreateError::BadName);
    }
    Ok(name.to_owned())
}

/// The signed-in account, which must be the instance admin's.
async fn admin(state: &AppState, session: &crate::domain::SessionRecord) -> Result<(), ApiError> {
    let coffre = account(state, session).await?;
    if coffre.role != AccountRole::Admin {
        return Err(ApiError::Forbidden(
            "only the instance admin may do this".into(),
        ));
    }
    Ok(())
}

/// The signed-in account.
pub async fn account(
    state: &AppState,
    session: &crate::domain::SessionRecord,
) -> Result<CoffreRecord, ApiError> {
    state
        .store
        .coffre(session.coffre)
        .await?
        .ok_or(ApiError::Unauthenticated)
}

/// A new organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// Its name, e.g. "CHRS Les Tilleuls" (1 to 120 characters).
    pub name: String,
    /// How long the founding link works, in hours (1 to 720; default 72).
    pub hours: Option<u16>,
}

/// A new organisation and the one-time link for its founding responsable.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOrganisation {
    pub organisation: Uuid,
    pub name: String,
    /// `https://…/organisation/fonder#TOKEN`: give it to the founding responsable in person.
    pub link: String,
    /// When the link stops working (Unix seconds).
    pub expires: i64,
}

/// The admin makes an organisation.
#[utoipa::path(
    post,
    path = "/admin/organisations",
    tag = "organisations",
    request_body = NewOrganisation,
    responses(
        (status = 201, description = "Made; the link works once", body = CreatedOrganisation),
        (status = 400, description = "A bad name or lifetime", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (not the admin), bad_origin or csrf", body = ErrorBody),
    )
)]
pub async fn admin_create(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<NewOrganisation>,
) -> Result<(StatusCode, ApiJson<CreatedOrganisation>), ApiError> {
    admin(&state, &session).await?;
    let hours = req.hours.unwrap_or(72);
    if !(1..=720).contains(&hours) {
        return Err(ApiError::BadRequest("hours: 1 to 720".into()));
    }
    let (org, link) = create(
        &state.store,
        &state.clock,
        &state.origin,
        &req.name,
        Duration::hours(i64::from(hours)),
    )
    .await
    .map_err(|e| match e {
        CreateError::BadName => ApiError::BadRequest(e.to_string()),
        CreateError::Store(s) => s.into(),
    })?;
    Ok((
        StatusCode::CREATED,
        ApiJson(CreatedOrganisation {
            organisation: org.id,
            name: org.name,
            link,
            expires: unix_secs(org.founding_expires_at),
        }),
    ))
}

/// What the admin sees of one organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationCount {
    pub organisation: Uuid,
    pub name: String,
    /// Unix seconds.
    pub created: i64,
    /// Its founding responsable has posted the genesis.
    pub founded: bool,
    pub members: u64,
    pub mandates_in_force: u64,
}

/// Every organisation, counts only.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationCounts {
    pub organisations: Vec<OrganisationCount>,
}

/// The admin's view: each organisation's counts (members, mandates in force), never whom
/// they follow.
#[utoipa::path(
    get,
    path = "/admin/organisations",
    tag = "organisations",
    responses(
        (status = 200, description = "Counts", body = OrganisationCounts),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (not the admin)", body = ErrorBody),
    )
)]
pub async fn admin_list(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<ApiJson<OrganisationCounts>, ApiError> {
    admin(&state, &session).await?;
    let now = now_secs(&state);
    let rows = state.store.organisation_counts(now).await?;
    Ok(ApiJson(OrganisationCounts {
        organisations: rows
            .into_iter()
            .map(|r| OrganisationCount {
                organisation: r.id,
                name: r.name,
                created: unix_secs(r.created_at),
                founded: r.founded,
                members: r.members,
                mandates_in_force: r.mandates_in_force,
            })
            .collect(),
    }))
}

pub(crate) fn now_secs(state: &AppState) -> u64 {
    u64::try_from(unix_secs(state.clock.now())).unwrap_or(0)
}

/// A founding token, to check before the responsable starts.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FoundingToken {
    /// The 32 bytes after `#` in the link (base64url).
    pub token: String,
}

impl std::fmt::Debug for FoundingToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FoundingToken").finish_non_exhaustive()
    }
}

/// The organisation a founding link opens: its id goes into the genesis statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundingInfo {
    pub organisation: Uuid,
    pub name: String,
}

fn token_digest(token: &str) -> Result<[u8; 32], ApiError> {
    let bytes: [u8; 32] = unb64_array(token)
        .map_err(|_| ApiError::BadRequest("token: 32 bytes in base64url".into()))?;
    Ok(Sha256::digest(bytes).into())
}

/// Says which organisation a founding link opens (it is not used up here).
#[utoipa::path(
    post,
    path = "/organisations/founding/check",
    tag = "organisations",
    request_body = FoundingToken,
    responses(
        (status = 200, description = "The link works", body = FoundingInfo),
        (status = 410, description = "invitation_expired: unknown, used or expired", body = ErrorBody),
        (status = 429, description = "too_many_attempts", body = ErrorBody),
    )
)]
pub async fn check_founding(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<FoundingToken>,
) -> Result<ApiJson<FoundingInfo>, ApiError> {
    session::rate_limit(&state, NONCE_PER_IP, &ip).await?;
    let org = state
        .store
        .organisation_by_founding(&token_digest(&req.token)?, state.clock.now())
        .await?
        .ok_or(ApiError::InvitationExpired)?;
    Ok(ApiJson(FoundingInfo {
        organisation: org.id,
        name: org.name,
    }))
}

/// The genesis of an organisation's chain.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Founding {
    /// The founding link's token.
    pub token: String,
    /// The `org_chain` statement at seq 0 (`found`), signed by the new root key alone,
    /// naming the posting account's key and recipient as its responsable (envelope bytes,
    /// base64url).
    pub statement: String,
}

impl std::fmt::Debug for Founding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Founding").finish_non_exhaustive()
    }
}

/// A chain statement's place.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainPlace {
    pub organisation: Uuid,
    pub seq: u64,
    /// Its statement hash (base64url): the client's new checkpoint.
    pub hash: String,
}

/// The founding responsable posts the genesis; the link is used up in the same transaction.
#[utoipa::path(
    post,
    path = "/organisations/found",
    tag = "organisations",
    request_body = Founding,
    responses(
        (status = 201, description = "Founded", body = ChainPlace),
        (status = 400, description = "The genesis does not name the posting account", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (not a professional account), bad_origin or csrf", body = ErrorBody),
        (status = 409, description = "The root key is another organisation's", body = ErrorBody),
        (status = 410, description = "invitation_expired: the link is unknown, used or expired", body = ErrorBody),
        (status = 422, description = "The statement does not verify (protocol error code)", body = ErrorBody),
    )
)]
pub async fn found(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    ApiJson(req): ApiJson<Founding>,
) -> Result<(StatusCode, ApiJson<ChainPlace>), ApiError> {
    let me = account(&state, &session).await?;
    if me.role != AccountRole::Professional {
        return Err(ApiError::Forbidden(
            "an organisation is founded from a professional account".into(),
        ));
    }
    let digest = token_digest(&req.token)?;
    let now = state.clock.now();
    let org = state
        .store
        .organisation_by_founding(&digest, now)
        .await?
        .ok_or(ApiError::InvitationExpired)?;
    let bytes = coffres::bytes("statement", &req.statement)?;
    let envelope = Envelope::parse(&bytes).map_err(ApiError::refused("org_chain"))?;
    let [sig] = envelope.sigs() else {
        return Err(refused(coffre_crypto::Error::UnauthorisedSigner));
    };
    let root = sig.key;
    let chain = verify_org_chain(std::slice::from_ref(&envelope), &root, None)
        .map_err(ApiError::refused("org_chain"))?;
    check_context(&state, &org, &chain)?;
    let founder = &chain.members[0];
    if founder.key.0 != me.owner_key || founder.recipient.as_str() != me.owner_recipient {
        return Err(ApiError::BadRequest(
            "the founding responsable is the account that posts the genesis".into(),
        ));
    }
    let row = ChainRow {
        seq: 0,
        hash: chain.checkpoint.hash.0,
        statement: bytes,
    };
    let members = member_rows(&chain);
    state
        .store
        .append_org_chain(&ChainAppend {
            organisation: org.id,
            row: &row,
            members: &members,
            found: Some((root.0, digest)),
            now,
        })
        .await
        .map_err(|e| ApiError::from_insert(e, "this root key is another organisation's"))?;
    Ok((
        StatusCode::CREATED,
        ApiJson(ChainPlace {
            organisation: org.id,
            seq: 0,
            hash: Hash32(row.hash).to_b64(),
        }),
    ))
}

fn refused(error: coffre_crypto::Error) -> ApiError {
    ApiError::Refused {
        what: "org_chain".into(),
        error,
    }
}

/// The chain names this organisation and this instance.
fn check_context(
    state: &AppState,
    org: &OrganisationRecord,
    chain: &OrgState,
) -> Result<(), ApiError> {
    if chain.organisation.0 != org.id {
        return Err(refused(coffre_crypto::Error::ContextMismatch(
            "organisation",
        )));
    }
    if chain.instance != state.origin.as_str() {
        return Err(refused(coffre_crypto::Error::ContextMismatch("instance")));
    }
    Ok(())
}

fn member_rows(chain: &OrgState) -> Vec<MemberRow> {
    chain
        .members
        .iter()
        .map(|m| MemberRow {
            key: m.key.0,
            recipient: m.recipient.as_str().to_owned(),
            role: role_str(m.role).to_owned(),
        })
        .collect()
}

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Responsable => "responsable",
        Role::Aidant => "aidant",
    }
}

/// A founded organisation and its chain, verified again from the stored statements.
#[derive(Debug)]
pub struct Founded {
    pub record: OrganisationRecord,
    pub root: PublicKey,
    pub envelopes: Vec<Envelope>,
    pub state: OrgState,
}

/// The organisation `id`, founded (`404` otherwise), with its verified chain.
pub async fn founded(state: &AppState, id: Uuid) -> Result<Founded, ApiError> {
    let record = state
        .store
        .organisation(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let root = PublicKey(record.root_key.ok_or(ApiError::NotFound)?);
    let rows = state.store.org_chain(id).await?;
    let envelopes = rows
        .iter()
        .map(|r| Envelope::parse(&r.statement))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Internal(format!("stored chain: {e}")))?;
    let chain = verify_org_chain(&envelopes, &root, None)
        .map_err(|e| ApiError::Internal(format!("stored chain: {e}")))?;
    Ok(Founded {
        record,
        root,
        envelopes,
        state: chain,
    })
}

/// A chain statement a responsable posts for the next seq, parsed and peeked.
#[derive(Debug)]
pub struct NextStatement {
    pub bytes: Vec<u8>,
    pub envelope: Envelope,
    pub peeked: OrgChain,
    pub seq: u64,
}

impl Founded {
    /// Parses `statement` (base64url envelope bytes) as the chain's next statement: `409` when
    /// it names another seq (the chain moved).
    pub fn next_statement(&self, statement: &str) -> Result<NextStatement, ApiError> {
        let bytes = coffres::bytes("statement", statement)?;
        let envelope = Envelope::parse(&bytes).map_err(ApiError::refused("org_chain"))?;
        let peeked = envelope
            .peek::<OrgChain>()
            .map_err(ApiError::refused("org_chain"))?;
        let seq = self.state.checkpoint.seq + 1;
        if peeked.seq != seq {
            return Err(ApiError::Conflict(format!(
                "the next chain statement is seq {seq}: read the chain and sign again"
            )));
        }
        Ok(NextStatement {
            bytes,
            envelope,
            peeked,
            seq,
        })
    }
}

/// The signed-in account's role in `org`, from the current members (`None`: not one).
pub async fn role_in(
    state: &AppState,
    org: Uuid,
    key: &[u8; 32],
) -> Result<Option<Role>, ApiError> {
    Ok(state
        .store
        .memberships(key)
        .await?
        .into_iter()
        .find(|(o, _)| *o == org)
        .map(|(_, role)| {
            if role == "responsable" {
                Role::Responsable
            } else {
                Role::Aidant
            }
        }))
}

/// One member as served.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberItem {
    /// Ed25519 key (base64url).
    pub key: String,
    pub recipient: String,
    /// `responsable` or `aidant`.
    pub role: String,
}

/// One organisation key certificate.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgKeyItem {
    pub generation: u64,
    /// The root-signed `org_key` (envelope bytes, base64url).
    pub cert: String,
}

/// One organisation key wrapped to the signed-in member.
#[derive(Debug, Serialize, ToSchema)]
pub struct WrapItem {
    pub generation: u64,
    /// An age file to the member's recipient (base64url).
    pub wrap: String,
}

/// A (generation, member) pair that holds a stored wrap: which, never the wrap.
#[derive(Debug, Serialize, ToSchema)]
pub struct WrappedItem {
    pub generation: u64,
    /// The member's Ed25519 key (base64url).
    pub member: String,
}

/// An organisation as a signed-in account sees it: the chain every client verifies against
/// the root it pinned, the key certificates, the wraps made for this account if it is a
/// current member, and, for a current responsable, which members hold which generations.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub organisation: Uuid,
    pub name: String,
    /// The root key (base64url); clients compare its fingerprint with the one pinned.
    pub root: String,
    /// The `org_chain` statements from seq 0 (envelope bytes, base64url).
    pub chain: Vec<String>,
    /// The current members, as the verified chain says.
    pub members: Vec<MemberItem>,
    pub keys: Vec<OrgKeyItem>,
    /// The signed-in account's role, if it is a current member.
    pub role: Option<String>,
    /// The organisation keys wrapped to the signed-in account (current members only).
    pub wraps: Vec<WrapItem>,
    /// Which (generation, member) pairs hold a stored wrap, for the current members only:
    /// served to a current responsable (empty for anyone else), whose client gives a member
    /// the generations she lacks (`POST /api/organisations/{id}/wraps`). Not trusted: a pair
    /// left out makes that client post a wrap the server refuses (`409`), a pair added makes
    /// it skip one.
    pub wrapped: Vec<WrappedItem>,
}

/// An organisation's chain and keys (any signed-in account: an owner verifies them before
/// giving a mandate); its wraps only to the member they were made for; which members hold
/// which generations only to a current responsable.
#[utoipa::path(
    get,
    path = "/organisations/{id}",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "The organisation")),
    responses(
        (status = 200, description = "The organisation", body = OrganisationView),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found (or not founded yet)", body = ErrorBody),
    )
)]
pub async fn view(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<OrganisationView>, ApiError> {
    let me = account(&state, &session).await?;
    let org = founded(&state, id).await?;
    let role = role_in(&state, id, &me.owner_key).await?;
    let wraps = if role.is_some() {
        state
            .store
            .org_key_wraps_for(id, &me.owner_key)
            .await?
            .into_iter()
            .map(|(generation, wrap)| WrapItem {
                generation,
                wrap: b64(&wrap),
            })
            .collect()
    } else {
        Vec::new()
    };
    let wrapped = if role == Some(Role::Responsable) {
        state
            .store
            .org_key_wrapped(id)
            .await?
            .into_iter()
            .map(|(generation, member)| WrappedItem {
                generation,
                member: PublicKey(member).to_b64(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let chain = org
        .envelopes
        .iter()
        .map(|e| e.to_bytes().map(|b| b64(&b)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Internal(format!("chain: {e}")))?;
    let keys = state
        .store
        .org_keys(id)
        .await?
        .into_iter()
        .map(|(generation, cert)| OrgKeyItem {
            generation,
            cert: b64(&cert),
        })
        .collect();
    Ok(ApiJson(OrganisationView {
        organisation: id,
        name: org.record.name,
        root: org.root.to_b64(),
        chain,
        members: org
            .state
            .members
            .iter()
            .map(|m| MemberItem {
                key: m.key.to_b64(),
                recipient: m.recipient.as_str().to_owned(),
                role: role_str(m.role).to_owned(),
            })
            .collect(),
        keys,
        role: role.map(|r| role_str(r).to_owned()),
        wraps,
        wrapped,
    }))
}

/// The signed-in account, which must be a current responsable of `org`.
pub(crate) async fn responsable(
    state: &AppState,
    session: &crate::domain::SessionRecord,
    org: Uuid,
) -> Result<CoffreRecord, ApiError> {
    let me = account(state, session).await?;
    match role_in(state, org, &me.owner_key).await? {
        Some(Role::Responsable) => Ok(me),
        Some(Role::Aidant) => Err(ApiError::Forbidden(
            "only a responsable of the organisation may do this".into(),
        )),
        // Another organisation's account learns nothing of this one's existence here.
        None => Err(ApiError::NotFound),
    }
}

/// The next chain statement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewChainStatement {
    /// An `org_chain` statement (`add_member`, `remove_member` or `set_role`) at the next seq,
    /// signed by the current responsables (two once there are two or more; envelope bytes,
    /// base64url).
    pub statement: String,
}

/// A responsable adds or removes a member or changes a role (a countersigned proposal is
/// appended here too). The whole chain, with the new statement, must verify; an added member
/// must be a professional account of this instance (its current key and recipient). `409` if
/// another statement took the seq first. The pending proposals it passes are deleted.
#[utoipa::path(
    post,
    path = "/organisations/{id}/chain",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "The organisation")),
    request_body = NewChainStatement,
    responses(
        (status = 201, description = "Appended", body = ChainPlace),
        (status = 400, description = "The member is not a professional account of this instance", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (an aidant), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not a member)", body = ErrorBody),
        (status = 409, description = "The chain moved: read it again and sign again", body = ErrorBody),
        (status = 422, description = "The chain with it does not verify (protocol error code)", body = ErrorBody),
    )
)]
pub async fn append(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewChainStatement>,
) -> Result<(StatusCode, ApiJson<ChainPlace>), ApiError> {
    let _me = responsable(&state, &session, id).await?;
    let org = founded(&state, id).await?;
    let NextStatement {
        bytes,
        envelope,
        peeked,
        seq: next,
    } = org.next_statement(&req.statement)?;
    let mut all = org.envelopes.clone();
    all.push(envelope);
    let chain = verify_org_chain(&all, &org.root, Some(org.state.checkpoint))
        .map_err(ApiError::refused("org_chain"))?;
    check_context(&state, &org.record, &chain)?;
    check_new_member(&state, &peeked).await?;
    let row = ChainRow {
        seq: next,
        hash: chain.checkpoint.hash.0,
        statement: bytes,
    };
    let members = member_rows(&chain);
    state
        .store
        .append_org_chain(&ChainAppend {
            organisation: id,
            row: &row,
            members: &members,
            found: None,
            now: state.clock.now(),
        })
        .await
        .map_err(|e| ApiError::from_insert(e, "the chain moved: read it again and sign again"))?;
    Ok((
        StatusCode::CREATED,
        ApiJson(ChainPlace {
            organisation: id,
            seq: next,
            hash: Hash32(row.hash).to_b64(),
        }),
    ))
}

/// An added member must be a professional account of this instance, with its current key and
/// recipient (`400` otherwise); other actions name a member the chain already has.
pub(crate) async fn check_new_member(
    state: &AppState,
    statement: &OrgChain,
) -> Result<(), ApiError> {
    if statement.action != coffre_crypto::kinds::OrgAction::AddMember {
        return Ok(());
    }
    let account = state
        .store
        .coffre_by_owner_key(&statement.member.key.0)
        .await?;
    let ok = account.is_some_and(|a| {
        a.role == AccountRole::Professional
            && a.owner_recipient == statement.member.recipient.as_str()
    });
    if !ok {
        return Err(ApiError::BadRequest(
            "a member is a professional account of this instance (its key and recipient)".into(),
        ));
    }
    Ok(())
}

/// A member's wrap of a new organisation key.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWrap {
    /// The member's Ed25519 key (base64url).
    pub member: String,
    /// The `org_key_wrap` age file to the member's recipient (base64url).
    pub wrap: String,
}

/// A new generation of the organisation key.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrgKey {
    /// The root-signed `org_key` certificate at the next generation (envelope bytes,
    /// base64url).
    pub cert: String,
    /// One wrap for each current member, and none for anyone else.
    pub wraps: Vec<NewWrap>,
}

/// A new organisation key's generation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgKeyPlace {
    pub generation: u64,
}

/// A responsable stores a new generation of the organisation key (after a removal, or the
/// first one): its certificate must be the newest a client would accept
/// (`newest_org_key`: the next generation, made at or after the chain's last removal), with
/// one wrap per current member.
#[utoipa::path(
    post,
    path = "/organisations/{id}/keys",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "The organisation")),
    request_body = NewOrgKey,
    responses(
        (status = 201, description = "Stored", body = OrgKeyPlace),
        (status = 400, description = "The wraps are not one per current member", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (an aidant), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not a member)", body = ErrorBody),
        (status = 409, description = "This generation exists", body = ErrorBody),
        (status = 422, description = "The certificate does not verify (protocol error code)", body = ErrorBody),
    )
)]
pub async fn add_key(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewOrgKey>,
) -> Result<(StatusCode, ApiJson<OrgKeyPlace>), ApiError> {
    let _me = responsable(&state, &session, id).await?;
    let org = founded(&state, id).await?;
    let cert_bytes = coffres::bytes("cert", &req.cert)?;
    let cert = Envelope::parse(&cert_bytes).map_err(ApiError::refused("org_key"))?;
    let stored = state.store.org_keys(id).await?;
    let next = stored.last().map_or(0, |(g, _)| g + 1);
    let mut certs = stored
        .iter()
        .map(|(_, c)| Envelope::parse(c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Internal(format!("stored org key: {e}")))?;
    let peeked = cert
        .peek::<OrgKey>()
        .map_err(ApiError::refused("org_key"))?;
    if peeked.generation != next {
        return Err(ApiError::Conflict(format!(
            "the next organisation key is generation {next}"
        )));
    }
    certs.push(cert);
    let newest = newest_org_key(&certs, &org.root, Id(id), &org.state, None)
        .map_err(ApiError::refused("org_key"))?;
    if newest.body().generation != next {
        return Err(ApiError::Refused {
            what: "org_key".into(),
            error: coffre_crypto::Error::Rollback,
        });
    }
    let mut wraps = Vec::with_capacity(req.wraps.len());
    for w in &req.wraps {
        let key = PublicKey::from_b64(&w.member).map_err(ApiError::refused("member"))?;
        if !org.state.is_member(&key) || wraps.iter().any(|(k, _)| *k == key.0) {
            return Err(ApiError::BadRequest(
                "one wrap per current member, and none for anyone else".into(),
            ));
        }
        wraps.push((key.0, coffres::recipient_file("wrap", &w.wrap)?));
    }
    if wraps.len() != org.state.members.len() {
        return Err(ApiError::BadRequest(
            "one wrap per current member, and none for anyone else".into(),
        ));
    }
    state
        .store
        .insert_org_key(id, next, &cert_bytes, &wraps, state.clock.now())
        .await
        .map_err(|e| ApiError::from_insert(e, "this generation exists"))?;
    Ok((
        StatusCode::CREATED,
        ApiJson(OrgKeyPlace { generation: next }),
    ))
}
