//! Consulting under a mandate (protocol.md section 8; `docs/design/mandates-server.md`).
//!
//! Under a consult mandate the owner's client posts category keys wrapped to the grantee.
//! The grantee gets them, a category's papers or a paper's content only by first posting a
//! grantee-signed access receipt with the next counter, verified and stored with the
//! server's `mandate_accessed` entry in the owner's journal (its `proof` the receipt's
//! statement hash), in one transaction; the grantee keeps the entry's inclusion receipt. The
//! owner reads the receipts and matches them with the journal.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coffre_crypto::encoding::{Id, PublicKey, b64};
use coffre_crypto::kinds::{AccessReceipt, Upload};
use coffre_crypto::mandate::{MandateEnds, verify_access_receipt, verify_mandate};
use coffre_crypto::statement::Envelope;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::AppState;
use crate::db::InsertError;
use crate::db::mandates::ReceiptRecord;
use crate::db::papers::{PaperRecord, PaperSummary};
use crate::domain::CoffreRecord;
use crate::error::{ApiError, ErrorBody};
use crate::http::deposits::deposit_receipt;
use crate::http::journal::{
    GRANTEE_ENTRY_TRIES, GranteeAct, grantee_entry, head_moved, journal_turn,
};
use crate::http::mandates::{acting_under, check_dated, context, not_ended, peek_mandate, refused};
use crate::http::organisations::{account, now_secs};
use crate::http::paper_list::PaperItem;
use crate::http::session::{CurrentSession, unix_secs};
use crate::http::{ApiJson, coffres};

/// A paper served to a grantee: as the owner's listing names it, with its metadata file (a
/// grantee holds no metadata index).
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantedPaper {
    #[serde(flatten)]
    pub item: PaperItem,
    /// The metadata age file (base64url).
    pub meta: String,
    /// For a paper uploaded under a mandate (its `upload` names one): the server-signed
    /// `deposit_receipt` (envelope bytes, base64url) that dates it, which opening it needs
    /// with that mandate as the uploader policy. Absent for the owner's own uploads. The
    /// mandate statement is not served: the grantee holds its own, and another mandate's
    /// would name another grantee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposit_receipt: Option<String>,
}

impl GrantedPaper {
    /// The paper, with its deposit receipt (signed again from the statement and the stored
    /// time, as `GET /mandates/{id}/deposits` does) when it was uploaded under a mandate.
    fn new(state: &AppState, owner: &CoffreRecord, p: PaperRecord) -> Result<Self, ApiError> {
        let deposit_receipt = match Envelope::parse(&p.statement) {
            Ok(env) if env.peek::<Upload>().is_ok_and(|u| u.mandate.is_some()) => {
                let time = u64::try_from(unix_secs(p.created_at)).unwrap_or(0);
                Some(b64(&deposit_receipt(state, owner, &env, time)?))
            }
            _ => None,
        };
        let meta = b64(&p.meta);
        let item = PaperItem::from(PaperSummary {
            id: p.id,
            category: p.category,
            generation: p.generation,
            content_size: p.content_size,
            statement: p.statement,
            created_at: p.created_at,
        });
        Ok(Self {
            item,
            meta,
            deposit_receipt,
        })
    }
}
/// One category key wrapped to the grantee.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeyWrap {
    pub category: Uuid,
    pub generation: u64,
    /// The `category_key` age file to the grantee's recipient or the organisation's current
    /// key (base64url).
    pub wrap: String,
}

/// Category keys for a consult mandate's grantee.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeyWraps {
    pub wraps: Vec<NewKeyWrap>,
}

/// The owner's client gives a consult mandate's grantee the keys of covered categories
/// (generations the coffre has; a wrap sent again replaces the first).
#[utoipa::path(
    put,
    path = "/mandates/{id}/keys",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    request_body = NewKeyWraps,
    responses(
        (status = 204, description = "Stored"),
        (status = 400, description = "Not a consult mandate in force, or a category or generation it does not cover", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not this coffre's)", body = ErrorBody),
    )
)]
pub async fn put_keys(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewKeyWraps>,
) -> Result<StatusCode, ApiError> {
    let owner = account(&state, &session).await?;
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    if m.coffre != owner.id {
        return Err(ApiError::NotFound);
    }
    let body = peek_mandate(&m)?;
    if !body.rights.can_consult() || !not_ended(&m, now_secs(&state)) {
        return Err(ApiError::BadRequest(
            "keys go only to a consult mandate that has not ended".into(),
        ));
    }
    let categories = state.store.categories(owner.id).await?;
    let mut wraps = Vec::with_capacity(req.wraps.len());
    for w in &req.wraps {
        let covered = body.categories.iter().any(|c| c.0 == w.category);
        let exists = categories
            .iter()
            .any(|c| c.id == w.category && c.generation == w.generation);
        if !covered || !exists {
            return Err(ApiError::BadRequest(format!(
                "category {} generation {} is not one this mandate covers",
                w.category, w.generation
            )));
        }
        wraps.push((
            w.category,
            w.generation,
            coffres::recipient_file("wrap", &w.wrap)?,
        ));
    }
    state.store.put_mandate_wraps(id, &wraps).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An access the grantee asks for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccess {
    /// The `access_receipt` signed by the posting account's key (envelope bytes, base64url):
    /// the next counter of (this key, this coffre), dated within 5 minutes of the server's
    /// time. `action` `unwrap_key` or `list` with `paper` = a covered category's id;
    /// `download` with `paper` = the paper's id.
    pub receipt: String,
}

/// One category generation's key as the grantee receives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantedKey {
    pub generation: u64,
    /// The owner-signed `category_cert` (envelope bytes, base64url).
    pub cert: String,
    /// The category key wrapped to the grantee (base64url).
    pub wrap: String,
}

/// What an access receipt opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessAnswer {
    pub counter: u64,
    /// `unwrap_key`: the category's keys wrapped to the grantee.
    pub keys: Vec<GrantedKey>,
    /// `list`: the category's papers in the generations wrapped to the grantee;
    /// `download`: the paper (its content at
    /// `GET /api/mandates/{id}/papers/{paper}/content?counter=N`, once).
    pub papers: Vec<GrantedPaper>,
    /// The seq of the server's `mandate_accessed` entry in the owner's journal.
    pub seq: u64,
    /// That entry's `inclusion_receipt` (envelope bytes, base64url): the grantee's proof
    /// that the owner's journal records this access.
    pub journal_receipt: String,
}

/// The grantee's access: the receipt first, verified and stored; then what it opens.
#[utoipa::path(
    post,
    path = "/mandates/{id}/access",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    request_body = NewAccess,
    responses(
        (status = 201, description = "The receipt is stored; what it opens", body = AccessAnswer),
        (status = 400, description = "An unknown action, a category or paper the mandate does not cover, badly dated", body = ErrorBody),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 403, description = "forbidden (a deposit-only mandate), bad_origin or csrf", body = ErrorBody),
        (status = 404, description = "not_found (or not a mandate to you, or no longer in force)", body = ErrorBody),
        (status = 409, description = "This counter is used: take the next one", body = ErrorBody),
        (status = 422, description = "The receipt does not verify, or skips a counter (counter_gap)", body = ErrorBody),
    )
)]
pub async fn access(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<NewAccess>,
) -> Result<(StatusCode, ApiJson<AccessAnswer>), ApiError> {
    let me = account(&state, &session).await?;
    let m = acting_under(&state, &me, id).await?;
    let now = now_secs(&state);
    let owner = state
        .store
        .coffre(m.coffre)
        .await?
        .ok_or_else(|| ApiError::Internal("a mandate without its coffre".into()))?;
    let ctx = context(&state, &owner);
    let envelope = Envelope::parse(&m.statement)
        .map_err(|e| ApiError::Internal(format!("stored mandate: {e}")))?;
    // Verified again with the coffre's current key: a new owner epoch ends older mandates.
    let mandate = verify_mandate(
        &envelope,
        &PublicKey(owner.owner_key),
        &ctx,
        now,
        &MandateEnds::none(),
    )
    .map_err(ApiError::refused("mandate"))?;
    if !mandate.body().rights.can_consult() {
        return Err(ApiError::Forbidden(
            "a deposit-only mandate opens no paper".into(),
        ));
    }
    let bytes = coffres::bytes("receipt", &req.receipt)?;
    let receipt_env = Envelope::parse(&bytes).map_err(ApiError::refused("access_receipt"))?;
    let receipt: AccessReceipt = verify_access_receipt(
        &receipt_env,
        &[PublicKey(me.owner_key)],
        &ctx,
        &mandate,
        &MandateEnds::none(),
    )
    .map_err(ApiError::refused("access_receipt"))?;
    check_dated("receipt", receipt.created, now)?;
    let last = state
        .store
        .last_receipt_counter(owner.id, &me.owner_key)
        .await?;
    if receipt.counter <= last {
        return Err(ApiError::Conflict(format!(
            "counter {} is used: the next is {}",
            receipt.counter,
            last + 1
        )));
    }
    if receipt.counter != last + 1 {
        return Err(refused("access_receipt", coffre_crypto::Error::CounterGap));
    }
    let object = receipt.paper.0;
    let covered = |category: Uuid| mandate.body().categories.iter().any(|c| c.0 == category);
    // What the receipt opens, worked out before it is stored (a refused access stores
    // nothing); served only once it is stored.
    let mut answer = AccessAnswer {
        counter: receipt.counter,
        keys: Vec::new(),
        papers: Vec::new(),
        seq: 0,
        journal_receipt: String::new(),
    };
    match receipt.action.as_str() {
        "unwrap_key" | "list" => {
            if !covered(object) {
                return Err(ApiError::BadRequest(
                    "this mandate does not cover that category".into(),
                ));
            }
            let wraps = state.store.mandate_wraps(id, object).await?;
            if receipt.action == "unwrap_key" {
                let categories = state.store.categories(owner.id).await?;
                for (generation, wrap) in wraps {
                    if let Some(c) = categories
                        .iter()
                        .find(|c| c.id == object && c.generation == generation)
                    {
                        answer.keys.push(GrantedKey {
                            generation,
                            cert: b64(&c.cert),
                            wrap: b64(&wrap),
                        });
                    }
                }
            } else {
                let generations: Vec<u64> = wraps.iter().map(|(g, _)| *g).collect();
                let listed = state.store.paper_list(owner.id).await?;
                for summary in listed
                    .into_iter()
                    .filter(|p| p.category == object && generations.contains(&p.generation))
                {
                    // A grantee holds no index: each paper comes with its metadata file.
                    if let Some(paper) = state.store.paper(owner.id, summary.id).await? {
                        answer
                            .papers
                            .push(GrantedPaper::new(&state, &owner, paper)?);
                    }
                }
            }
        }
        "download" => {
            let paper = state
                .store
                .paper(owner.id, object)
                .await?
                .filter(|p| covered(p.category))
                .ok_or_else(|| {
                    ApiError::BadRequest("this mandate does not cover that paper".into())
                })?;
            let wrapped = state.store.mandate_wraps(id, paper.category).await?;
            if !wrapped.iter().any(|(g, _)| *g == paper.generation) {
                return Err(ApiError::BadRequest(
                    "the owner has not given the key of that paper's generation".into(),
                ));
            }
            answer
                .papers
                .push(GrantedPaper::new(&state, &owner, paper)?);
        }
        other => {
            return Err(ApiError::BadRequest(format!(
                "unknown access action {other:?}: unwrap_key, list or download"
            )));
        }
    }
    let record = ReceiptRecord {
        coffre: owner.id,
        grantee_key: me.owner_key,
        counter: receipt.counter,
        mandate: id,
        action: receipt.action.clone(),
        object,
        statement: bytes,
        created_at: state.clock.now(),
    };
    // The server's `mandate_accessed` entry, bound to the receipt, in its transaction.
    let act = GranteeAct {
        action: "mandate_accessed",
        mandate: Id(id),
        object: Some(receipt.paper),
        proof: receipt_env
            .hash()
            .map_err(ApiError::refused("access_receipt"))?,
    };
    let _turn = journal_turn(owner.id).await;
    for _ in 0..GRANTEE_ENTRY_TRIES {
        let journal = grantee_entry(&state, &owner, &act).await?;
        match state.store.insert_receipt(&record, &journal).await {
            Ok(()) => {
                answer.seq = journal.seq;
                answer.journal_receipt = b64(&journal.receipt);
                return Ok((StatusCode::CREATED, ApiJson(answer)));
            }
            Err(InsertError::Conflict) if head_moved(&state, &owner, &journal).await? => {}
            Err(e) => {
                return Err(ApiError::from_insert(
                    e,
                    "this counter is used: take the next one",
                ));
            }
        }
    }
    Err(ApiError::Unavailable)
}

/// `?counter=N`: the `download` receipt that opens this content.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CounterQuery {
    pub counter: u64,
}

/// A paper's content for the grantee, once per `download` receipt, while the mandate is in
/// force.
#[utoipa::path(
    get,
    path = "/mandates/{id}/papers/{paper}/content",
    tag = "mandates",
    params(
        ("id" = Uuid, Path, description = "The mandate"),
        ("paper" = Uuid, Path, description = "The paper"),
        CounterQuery,
    ),
    responses(
        (status = 200, description = "The content age file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found (no unused download receipt for it, or no longer in force)", body = ErrorBody),
    )
)]
pub async fn content(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path((id, paper_id)): Path<(Uuid, Uuid)>,
    Query(q): Query<CounterQuery>,
) -> Result<Response, ApiError> {
    let me = account(&state, &session).await?;
    let m = acting_under(&state, &me, id).await?;
    let paper = state
        .store
        .paper(m.coffre, paper_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !state
        .store
        .use_download_receipt(
            m.coffre,
            &me.owner_key,
            q.counter,
            id,
            paper_id,
            state.clock.now(),
        )
        .await?
    {
        return Err(ApiError::NotFound);
    }
    let (record, stream) = state.blobs.get_stream(paper.content).await?;
    let body = Body::from_stream(stream.map_err(|e| std::io::Error::other(e.to_string())));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(record.size));
    Ok(response)
}

/// A mandate's access receipts, for its owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipts {
    /// The grantee-signed `access_receipt` statements (envelope bytes, base64url), oldest
    /// first; the owner's client checks their counters (`check_receipt_counters`).
    pub receipts: Vec<String>,
}

/// The owner reads who accessed what under a mandate.
#[utoipa::path(
    get,
    path = "/mandates/{id}/receipts",
    tag = "mandates",
    params(("id" = Uuid, Path, description = "The mandate")),
    responses(
        (status = 200, description = "The receipts", body = Receipts),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 404, description = "not_found (or not this coffre's)", body = ErrorBody),
    )
)]
pub async fn receipts(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<Receipts>, ApiError> {
    let me = account(&state, &session).await?;
    let m = state.store.mandate(id).await?.ok_or(ApiError::NotFound)?;
    if m.coffre != me.id {
        return Err(ApiError::NotFound);
    }
    Ok(ApiJson(Receipts {
        receipts: state
            .store
            .receipts_of_mandate(id)
            .await?
            .iter()
            .map(|r| b64(&r.statement))
            .collect(),
    }))
}
