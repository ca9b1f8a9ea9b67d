//! Sessions over HTTP: the cookie, the signed-in extractor with its CSRF check, the origin
//! check on state-changing requests, and the client's address for rate limits
//! (docs/design/accounts.md).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, Response};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use coffre_crypto::encoding::{b64, sha256};
use serde::{Deserialize, Serialize};
use time::Duration;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::AppState;
use crate::domain::{
    AccountRole, CoffreId, CoffreRecord, FactorId, FactorKind, RateDecision, SessionRecord,
    SessionToken, Timestamp,
};
use crate::error::ApiError;

/// The header that carries the session's CSRF token.
pub const CSRF_HEADER: &str = "x-coffre-csrf";

/// The cookie's name: `__Host-coffre` (Secure, no Domain, Path=/) with HTTPS, `coffre` on
/// plain `http://localhost`.
pub fn cookie_name(state: &AppState) -> &'static str {
    if secure(state) {
        "__Host-coffre"
    } else {
        "coffre"
    }
}

fn secure(state: &AppState) -> bool {
    state.origin.as_str().starts_with("https://")
}

/// How stale a session's `last_seen` may get before a request moves it again.
pub const TOUCH_EVERY: Duration = Duration::seconds(30);

/// The signed-in browser making this request: a live session (not past its idle or
/// absolute end), whose CSRF token the request carries if it changes anything.
#[derive(Debug, Clone)]
pub struct CurrentSession(pub SessionRecord);

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let digest = session_digest(&parts.headers, state).ok_or(ApiError::Unauthenticated)?;
        let record = state
            .store
            .session(&digest)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let now = state.clock.now();
        if !is_alive(&record, now, state) {
            state.store.delete_session(&digest).await?;
            return Err(ApiError::Unauthenticated);
        }
        if changes_state(&parts.method) && !csrf_matches(&parts.headers, &record.csrf) {
            return Err(ApiError::Csrf);
        }
        // A write (and, on SQLite, a WAL fsync) on every request would serialize every
        // listing and every chunk on the database's write lock: the idle end moves once
        // per [`TOUCH_EVERY`], so a session may end up to that much before its exact idle
        // limit, never after it.
        if now >= record.last_seen_at.saturating_add(TOUCH_EVERY) {
            state.store.touch_session(&digest, now).await?;
        }
        Ok(Self(record))
    }
}

/// SHA-256 of the session token in the request's cookie, if it has a well-formed one.
pub fn session_digest(headers: &HeaderMap, state: &AppState) -> Option<[u8; 32]> {
    let jar = CookieJar::from_headers(headers);
    let cookie = jar.get(cookie_name(state))?;
    SessionToken::from_cookie(cookie.value()).map(|t| t.digest())
}

fn idle_limit(record: &SessionRecord, state: &AppState) -> Duration {
    let s = &state.config.sessions;
    let minutes = if record.shared {
        s.shared_idle_minutes
    } else {
        s.idle_minutes
    };
    Duration::minutes(i64::from(minutes))
}

fn is_alive(record: &SessionRecord, now: Timestamp, state: &AppState) -> bool {
    now < record.expires_at
        && now
            < record
                .last_seen_at
                .saturating_add(idle_limit(record, state))
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Compares digests, so the time taken says nothing about how much of the token matched.
fn csrf_matches(headers: &HeaderMap, expected: &[u8; 32]) -> bool {
    headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|sent| sha256(sent.as_bytes()) == sha256(b64(expected).as_bytes()))
}

/// What a sign-in says about the browser.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    /// A short label the client makes, e.g. "Chromium, Linux" (at most 60 characters kept).
    pub label: String,
    /// The person said this computer is shared: shorter idle lifetime, no persistent cookie.
    pub shared: bool,
}

/// A session as the client sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub coffre: String,
    pub epoch: u64,
    /// What the account is for (`person`, `professional`, `admin`).
    pub role: AccountRole,
    /// Send it back in `X-Coffre-Csrf` with every state-changing request.
    pub csrf: String,
    pub factor: FactorKind,
    pub shared: bool,
    /// Opened by a remembered device with the PIN: no recovery factor (it cannot change the
    /// coffre's keys).
    pub remembered: bool,
    /// Absolute end (Unix seconds).
    pub expires: i64,
    /// End if no request comes before (Unix seconds).
    pub idle_expires: i64,
    /// The idle lifetime of this session (minutes): the client locks itself after as long
    /// without use (`[sessions]` in the configuration).
    pub idle_minutes: u32,
}

impl SessionInfo {
    pub fn of(record: &SessionRecord, coffre: &CoffreRecord, state: &AppState) -> Self {
        Self {
            coffre: record.coffre.to_string(),
            epoch: coffre.epoch,
            role: coffre.role,
            csrf: b64(&record.csrf),
            factor: record.factor_kind,
            shared: record.shared,
            remembered: record.device.is_some(),
            expires: unix_secs(record.expires_at),
            idle_expires: unix_secs(
                record
                    .last_seen_at
                    .saturating_add(idle_limit(record, state)),
            ),
            idle_minutes: if record.shared {
                state.config.sessions.shared_idle_minutes
            } else {
                state.config.sessions.idle_minutes
            },
        }
    }
}

pub fn unix_secs(t: Timestamp) -> i64 {
    t.as_micros().div_euclid(1_000_000)
}

/// How a session was opened: the factor, and the remembered device if one opened it.
#[derive(Debug, Clone, Copy)]
pub struct OpenedWith {
    pub factor: Option<FactorId>,
    pub kind: FactorKind,
    pub remembered: Option<Uuid>,
}

impl OpenedWith {
    pub fn factor(factor: Option<FactorId>, kind: FactorKind) -> Self {
        Self {
            factor,
            kind,
            remembered: None,
        }
    }
}

/// Starts a session after a successful sign-in (a new id every time; the session whose
/// cookie came with the request is deleted). Returns the record and its `Set-Cookie`.
pub async fn start_session(
    state: &AppState,
    request_headers: &HeaderMap,
    coffre: CoffreId,
    with: OpenedWith,
    device: &DeviceInfo,
) -> Result<(SessionRecord, HeaderValue), ApiError> {
    let now = state.clock.now();
    let token = SessionToken::random();
    let mut csrf = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut csrf);
    let absolute = Duration::hours(i64::from(state.config.sessions.absolute_hours));
    let record = SessionRecord {
        token_sha256: token.digest(),
        id: Uuid::new_v4(),
        coffre,
        factor: with.factor,
        factor_kind: with.kind,
        label: clean_label(&device.label),
        shared: device.shared,
        csrf,
        created_at: now,
        last_seen_at: now,
        expires_at: now.saturating_add(absolute),
        device: with.remembered,
    };
    let replaces = session_digest(request_headers, state);
    state.store.insert_session(&record, replaces, now).await?;
    let mut cookie = Cookie::build((cookie_name(state), token.to_cookie()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(secure(state));
    if !device.shared {
        // On a shared computer the cookie dies with the browser; elsewhere it lasts the
        // session's absolute lifetime.
        cookie = cookie.max_age(absolute);
    }
    let value = HeaderValue::from_str(&cookie.build().to_string())
        .map_err(|e| ApiError::Internal(format!("session cookie: {e}")))?;
    Ok((record, value))
}

/// The `Set-Cookie` that removes the session cookie.
pub fn removal_cookie(state: &AppState) -> Result<HeaderValue, ApiError> {
    let cookie = Cookie::build((cookie_name(state), ""))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(secure(state))
        .max_age(Duration::ZERO)
        .build();
    HeaderValue::from_str(&cookie.to_string())
        .map_err(|e| ApiError::Internal(format!("session cookie: {e}")))
}

/// At most 60 characters, no control characters, never empty.
pub(crate) fn clean_label(raw: &str) -> String {
    let label: String = raw
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect::<String>()
        .trim()
        .to_owned();
    if label.is_empty() {
        "?".to_owned()
    } else {
        label
    }
}

/// Middleware on `/api`: a state-changing request sent by a browser from another origin is
/// refused before any handler runs.
pub async fn check_origin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response<axum::body::Body> {
    if changes_state(request.method()) && !origin_allowed(request.headers(), &state) {
        return ApiError::BadOrigin.into_response();
    }
    next.run(request).await
}

fn origin_allowed(headers: &HeaderMap, state: &AppState) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return false;
    }
    match headers.get(header::ORIGIN).map(|v| v.to_str()) {
        None => true,
        Some(Ok(origin)) => {
            origin == state.origin.as_str()
                || state.config.extra_origins.iter().any(|o| o == origin)
        }
        Some(Err(_)) => false,
    }
}

/// The client's address: the TCP peer, or with `tls.behind_proxy` the last
/// `X-Forwarded-For` hop (the one our own proxy added).
pub fn client_ip(parts_headers: &HeaderMap, peer: Option<SocketAddr>, state: &AppState) -> String {
    if state.config.tls.behind_proxy
        && let Some(hop) = parts_headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|hop| !hop.is_empty())
    {
        return hop.to_owned();
    }
    peer.map_or_else(|| "unknown".to_owned(), |p| p.ip().to_string())
}

/// The client's address, for rate limits.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(Self(client_ip(&parts.headers, peer, state)))
    }
}

/// A rate limit: at most `limit` events per `window` in one bucket.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub window: Duration,
    pub limit: u32,
}

/// Nonces asked per IP.
pub const NONCE_PER_IP: Rule = Rule {
    name: "nonce-ip",
    window: Duration::minutes(10),
    limit: 60,
};
/// Sign-in attempts per IP.
pub const SIGN_IN_PER_IP: Rule = Rule {
    name: "signin-ip",
    window: Duration::minutes(10),
    limit: 30,
};
/// Sign-in attempts per auth key (whatever the IP).
pub const SIGN_IN_PER_KEY: Rule = Rule {
    name: "signin-key",
    window: Duration::minutes(10),
    limit: 10,
};
/// Coffres opened per IP (`limits.new_coffres_per_ip_per_hour`).
pub fn create_per_ip(state: &AppState) -> Rule {
    Rule {
        name: "create-ip",
        window: Duration::hours(1),
        limit: state.config.limits.new_coffres_per_ip_per_hour,
    }
}

/// Counts one event for `subject` under `rule` (in the database, shared by replicas).
pub async fn rate_limit(state: &AppState, rule: Rule, subject: &str) -> Result<(), ApiError> {
    let now = state.clock.now();
    let window = i64::try_from(rule.window.whole_microseconds()).unwrap_or(i64::MAX);
    let bucket = format!("{}:{subject}", rule.name);
    match state
        .store
        .hit_rate_limit(&bucket, now, window, rule.limit)
        .await?
    {
        RateDecision::Allowed => Ok(()),
        RateDecision::Limited { until } => {
            let micros = until.as_micros().saturating_sub(now.as_micros()).max(0);
            // Rounded up, and at least one second.
            let secs = u64::try_from((micros + 999_999) / 1_000_000)
                .unwrap_or(1)
                .max(1);
            Err(ApiError::TooManyAttempts {
                retry_after_secs: secs,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cleaned() {
        assert_eq!(clean_label("  Chromium, Linux \n"), "Chromium, Linux");
        assert_eq!(clean_label("\u{7}\u{1b}"), "?");
        assert_eq!(clean_label(&"x".repeat(200)).chars().count(), 60);
    }
}
