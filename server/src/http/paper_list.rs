//! The owner's listing, `GET /api/papers` (protocol.md section 6.1;
//! `docs/design/papers-server.md`, "The listing"): every paper's upload statement, the
//! current metadata indexes, the signed deletions and the coffre's space.
//!
//! A listing is built once per *papers version* of the coffre (`coffres.papers_version`,
//! moved in the transaction of every write that changes it) and kept in memory, bounded
//! ([`LISTING_CACHE_BYTES`]); each request reads the version and the reserved bytes in one
//! query, so a write on any replica is seen by the next request on every replica. The answer
//! carries a weak `ETag` (a hash of the bytes served) and a request whose `If-None-Match`
//! names it gets `304` with no body: the client keeps the copy it verified.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use coffre_crypto::encoding::b64;
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::papers::PaperSummary;
use crate::domain::{CoffreId, Timestamp};
use crate::error::{ApiError, ErrorBody};
use crate::http::paper_index::IndexItem;
use crate::http::session::{CurrentSession, unix_secs};

/// Bytes of built listings a server keeps, all coffres together: a listing is ≈ 1.2 KB a
/// paper, so this holds a 10,000-paper coffre twice over, or a few dozen ordinary ones. A
/// listing larger than this is built for each request and never kept.
pub const LISTING_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// One paper as listed: what the owner's client checks against its index (protocol.md
/// section 6.1). Its metadata file comes from `POST /api/papers/metas`, for the papers the
/// index does not hold.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaperItem {
    pub paper: Uuid,
    pub category: Uuid,
    pub generation: u64,
    pub content_size: u64,
    /// The signed `upload` (envelope bytes, base64url).
    pub statement: String,
    /// When the server made it (Unix seconds).
    pub created: i64,
}

impl From<PaperSummary> for PaperItem {
    fn from(p: PaperSummary) -> Self {
        Self {
            paper: p.id,
            category: p.category,
            generation: p.generation,
            content_size: p.content_size,
            statement: b64(&p.statement),
            created: unix_secs(p.created_at),
        }
    }
}

/// A coffre's space.
#[derive(Debug, Serialize, ToSchema)]
pub struct Space {
    /// Bytes its papers (content and metadata) and its metadata indexes use.
    pub used: u64,
    /// Bytes uploads under way have reserved.
    pub reserved: u64,
    /// Bytes it may use.
    pub quota: u64,
    /// The largest paper the instance takes (content bytes).
    pub paper_max: u64,
}

/// Every paper of the coffre, its current metadata indexes, its signed deletions and its
/// space.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaperList {
    pub papers: Vec<PaperItem>,
    /// The newest index of each category generation that has one.
    pub indexes: Vec<IndexItem>,
    /// The owner's signed `deletion` statements (envelope bytes, base64url), oldest first.
    pub deletions: Vec<String>,
    pub space: Space,
}

/// The coffre's papers without their metadata files, and its indexes (the client checks
/// one against the other, then fetches the metadata of the papers newer than the index).
/// With `If-None-Match` naming the current `ETag`: `304`, no body.
#[utoipa::path(
    get,
    path = "/papers",
    tag = "papers",
    params(("If-None-Match" = Option<String>, Header, description = "The ETag of the listing the client holds")),
    responses(
        (status = 200, description = "Papers, indexes, deletions, space (with a weak ETag)", body = PaperList),
        (status = 304, description = "The listing is the one the client holds"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    CurrentSession(session): CurrentSession,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    let coffre = session.coffre;
    let now = state.clock.now();
    // The version is read before any row: a listing built from rows newer than the version
    // it is kept under is rebuilt at the next version, never served stale.
    let current = state
        .store
        .listing_state(coffre, now)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let built = match state.listings.get(coffre, current.version) {
        Some(built) => built,
        None => {
            let built = build(&state, coffre, current.version, now).await?;
            state.listings.put(coffre, built.clone());
            built
        }
    };
    let limits = &state.config.limits;
    let tail = tail(&Space {
        used: built.used,
        reserved: current.reserved,
        quota: limits.coffre_quota_bytes(),
        paper_max: limits.paper_max_bytes(),
    })?;
    let etag = etag_of(&built, &tail);
    if none_match(&request, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let length = built.head.len() + tail.len();
    let chunks = [Ok::<_, Infallible>(built.head), Ok(tail)];
    let mut response = Body::from_stream(futures::stream::iter(chunks)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::ETAG, etag);
    Ok(response)
}

/// A listing as built at one papers version: everything but the space's reserved bytes and
/// limits, which each request writes after it ([`tail`]).
#[derive(Debug, Clone)]
pub(crate) struct Built {
    version: u64,
    /// `{"papers":[…],"indexes":[…],"deletions":[…],"space":{"used":N,` — the JSON up to
    /// the space's reserved bytes.
    head: Bytes,
    head_sha256: [u8; 32],
    used: u64,
}

/// Reads the rows and writes the listing's head.
async fn build(
    state: &AppState,
    coffre: CoffreId,
    version: u64,
    now: Timestamp,
) -> Result<Built, ApiError> {
    let papers = state.store.paper_list(coffre).await?;
    let indexes = state.store.paper_indexes(coffre).await?;
    let deletions = state.store.paper_deletions(coffre).await?;
    let usage = state.store.usage(coffre, now).await?;
    let used = usage.papers + usage.indexes;
    let indexes: Vec<IndexItem> = indexes.iter().map(IndexItem::from).collect();
    let head = head(&papers, &indexes, &deletions, used)?;
    Ok(Built {
        version,
        head_sha256: Sha256::digest(&head).into(),
        head: Bytes::from(head),
        used,
    })
}

/// The JSON of a listing up to its space's `used` included (see [`Built::head`]).
fn head(
    papers: &[PaperSummary],
    indexes: &[IndexItem],
    deletions: &[Vec<u8>],
    used: u64,
) -> Result<Vec<u8>, ApiError> {
    let listed = Listed {
        papers: papers.iter().map(ListedPaper::from).collect(),
        indexes,
        deletions: deletions.iter().map(|d| B64(d)).collect(),
        space: UsedOnly { used },
    };
    // Sized once: a thousand statements are most of a megabyte, which a growing buffer
    // would copy a dozen times.
    let room: usize = papers
        .iter()
        .map(|p| p.statement.len() * 4 / 3 + LISTED_PAPER_OVERHEAD)
        .chain(deletions.iter().map(|d| d.len() * 4 / 3 + 4))
        .chain(indexes.iter().map(|i| i.statement.len() + 160))
        .sum::<usize>()
        + 256;
    let mut body = Vec::with_capacity(room);
    serde_json::to_writer(&mut body, &listed)
        .map_err(|e| ApiError::Internal(format!("listing: {e}")))?;
    // `…,"space":{"used":N}}` without its two closing braces: the request adds the rest.
    if !body.ends_with(b"}}") {
        return Err(ApiError::Internal("listing: not an object".into()));
    }
    body.truncate(body.len() - 2);
    body.push(b',');
    Ok(body)
}

/// The end of a listing after its head: the space's other fields, then the braces.
fn tail(space: &Space) -> Result<Bytes, ApiError> {
    let mut json =
        serde_json::to_vec(space).map_err(|e| ApiError::Internal(format!("listing: {e}")))?;
    // `{"used":N,"reserved":…}`: what follows `"used":N,` in the head.
    let at = json
        .iter()
        .position(|b| *b == b',')
        .ok_or_else(|| ApiError::Internal("listing: space".into()))?;
    let mut tail = json.split_off(at + 1);
    tail.push(b'}');
    Ok(Bytes::from(tail))
}

/// A weak validator of the bytes served: the head's hash and the tail, hashed.
fn etag_of(built: &Built, tail: &[u8]) -> HeaderValue {
    let mut hasher = Sha256::new();
    hasher.update(built.head_sha256);
    hasher.update(tail);
    let digest: [u8; 32] = hasher.finalize().into();
    let value = format!("W/\"{}\"", b64(&digest[..18]));
    // base64url and quotes only: always a valid header value.
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("W/\"-\""))
}

/// Whether the request's `If-None-Match` names `etag` (weak comparison, RFC 9110 13.1.2).
fn none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = opaque(etag.as_bytes());
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b','))
        .map(|t| t.trim_ascii())
        .any(|t| t == b"*" || opaque(t) == ours)
}

fn opaque(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

/// The listings a server has built, by coffre, each at the papers version it was built at;
/// at most [`LISTING_CACHE_BYTES`] of them, the least recently served dropped first.
#[derive(Debug)]
pub struct ListingCache {
    budget: usize,
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    by_coffre: HashMap<CoffreId, (Built, u64)>,
    bytes: usize,
    tick: u64,
}

impl Default for ListingCache {
    fn default() -> Self {
        Self::new(LISTING_CACHE_BYTES)
    }
}

impl ListingCache {
    pub fn new(budget: usize) -> Self {
        Self {
            budget,
            inner: Mutex::new(Entries::default()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while the lock was held leaves a map that is still whole.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The listing of `coffre` built at `version`, if it is kept.
    fn get(&self, coffre: CoffreId, version: u64) -> Option<Built> {
        let mut entries = self.entries();
        entries.tick += 1;
        let tick = entries.tick;
        let (built, used) = entries.by_coffre.get_mut(&coffre)?;
        if built.version != version {
            return None;
        }
        *used = tick;
        Some(built.clone())
    }

    /// Keeps `built` as the listing of `coffre` (unless an equal or newer version is kept),
    /// dropping the least recently served listings to stay within the budget.
    fn put(&self, coffre: CoffreId, built: Built) {
        let size = built.head.len();
        if size > self.budget {
            return;
        }
        let mut entries = self.entries();
        if let Some((kept, _)) = entries.by_coffre.get(&coffre) {
            if kept.version >= built.version {
                return;
            }
            let old = kept.head.len();
            entries.bytes -= old;
            entries.by_coffre.remove(&coffre);
        }
        while entries.bytes + size > self.budget {
            let Some(oldest) = entries
                .by_coffre
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(c, _)| *c)
            else {
                break;
            };
            if let Some((gone, _)) = entries.by_coffre.remove(&oldest) {
                entries.bytes -= gone.head.len();
            }
        }
        entries.tick += 1;
        let tick = entries.tick;
        entries.bytes += size;
        entries.by_coffre.insert(coffre, (built, tick));
    }

    /// Bytes kept (for tests and metrics).
    pub fn bytes(&self) -> usize {
        self.entries().bytes
    }
}

/// JSON bytes of a listed paper besides its statement's base64 (ids, numbers, names).
const LISTED_PAPER_OVERHEAD: usize = 200;

/// [`PaperList`] as it is written: borrowed from the rows, each statement's base64 written
/// straight into the body instead of into a string of its own first; the space's `used`
/// only (the request writes the rest).
#[derive(Serialize)]
struct Listed<'a> {
    papers: Vec<ListedPaper<'a>>,
    indexes: &'a [IndexItem],
    deletions: Vec<B64<'a>>,
    space: UsedOnly,
}

#[derive(Serialize)]
struct UsedOnly {
    used: u64,
}

/// [`PaperItem`] as it is written (the same fields, in the same order).
#[derive(Serialize)]
struct ListedPaper<'a> {
    paper: Uuid,
    category: Uuid,
    generation: u64,
    content_size: u64,
    statement: B64<'a>,
    created: i64,
}

impl<'a> From<&'a PaperSummary> for ListedPaper<'a> {
    fn from(p: &'a PaperSummary) -> Self {
        Self {
            paper: p.id,
            category: p.category,
            generation: p.generation,
            content_size: p.content_size,
            statement: B64(&p.statement),
            created: unix_secs(p.created_at),
        }
    }
}

/// Bytes serialized as base64url without padding (what [`b64`] makes).
struct B64<'a>(&'a [u8]);

impl Serialize for B64<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&base64::display::Base64Display::new(
            self.0,
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn summary() -> PaperSummary {
        PaperSummary {
            id: Uuid::new_v4(),
            category: Uuid::new_v4(),
            generation: 3,
            content_size: 123_456,
            statement: (0..=255u8).cycle().take(1001).collect(),
            created_at: Timestamp::from_micros(1_764_000_000_123_456),
        }
    }

    fn space() -> Space {
        Space {
            used: 1,
            reserved: 2,
            quota: 3,
            paper_max: 4,
        }
    }

    fn index() -> IndexItem {
        IndexItem {
            category: Uuid::new_v4(),
            generation: 1,
            statement: "c3RhdGVtZW50".into(),
            size: 99,
        }
    }

    /// The listing written from borrowed rows, head then tail, is byte for byte what
    /// `PaperList` (the documented schema) would be.
    #[test]
    fn the_written_listing_is_the_documented_one() {
        let summary = summary();
        let deletion: Vec<u8> = vec![0xfb, 0xff, 0x00, 0x3e];
        let index = index();
        let mut written = head(
            std::slice::from_ref(&summary),
            std::slice::from_ref(&index),
            std::slice::from_ref(&deletion),
            1,
        )
        .unwrap();
        written.extend_from_slice(&tail(&space()).unwrap());
        let documented = serde_json::to_vec(&PaperList {
            papers: vec![PaperItem::from(summary)],
            indexes: vec![index],
            deletions: vec![b64(&deletion)],
            space: space(),
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            String::from_utf8(documented).unwrap()
        );
        // An empty coffre too.
        let mut empty = head(&[], &[], &[], 1).unwrap();
        empty.extend_from_slice(&tail(&space()).unwrap());
        let documented = serde_json::to_vec(&PaperList {
            papers: Vec::new(),
            indexes: Vec::new(),
            deletions: Vec::new(),
            space: space(),
        })
        .unwrap();
        assert_eq!(empty, documented);
    }

    fn built(version: u64, bytes: usize) -> Built {
        let head = vec![b'x'; bytes];
        Built {
            version,
            head_sha256: Sha256::digest(&head).into(),
            head: Bytes::from(head),
            used: 0,
        }
    }

    #[test]
    fn the_cache_serves_only_the_version_asked_and_keeps_to_its_budget() {
        let cache = ListingCache::new(100);
        let (a, b, c) = (
            CoffreId(Uuid::new_v4()),
            CoffreId(Uuid::new_v4()),
            CoffreId(Uuid::new_v4()),
        );
        cache.put(a, built(1, 40));
        assert!(cache.get(a, 1).is_some());
        assert!(cache.get(a, 2).is_none(), "another version is not served");
        // An older build does not replace a newer one.
        cache.put(a, built(2, 40));
        cache.put(a, built(1, 40));
        assert_eq!(cache.get(a, 2).unwrap().version, 2);
        assert_eq!(cache.bytes(), 40);
        cache.put(b, built(1, 40));
        // `a` served last: `b` is the one dropped to make room for `c`.
        assert!(cache.get(a, 2).is_some());
        cache.put(c, built(1, 40));
        assert!(cache.get(b, 1).is_none());
        assert!(cache.get(a, 2).is_some() && cache.get(c, 1).is_some());
        assert_eq!(cache.bytes(), 80);
        // Larger than the whole budget: never kept.
        cache.put(b, built(1, 101));
        assert!(cache.get(b, 1).is_none());
        assert!(cache.bytes() <= 100);
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        let etag = HeaderValue::from_static("W/\"abc\"");
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_static(v));
            none_match(&h, &etag)
        };
        assert!(with("W/\"abc\""));
        assert!(with("\"abc\""));
        assert!(with("\"x\", W/\"abc\""));
        assert!(with("*"));
        assert!(!with("W/\"abd\""));
        assert!(!with("abc"));
        assert!(!none_match(&HeaderMap::new(), &etag));
    }
}
