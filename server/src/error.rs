//! The one error type of the HTTP API, with one status table and a stable JSON body
//! `{"code": "snake_case", "message": "…"}`.

use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answered to an API client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request timeout")]
    RequestTimeout,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("service unavailable")]
    Unavailable,
    /// No valid session cookie.
    #[error("not signed in")]
    Unauthenticated,
    /// A carte, passphrase or PIN that does not open a coffre: one answer for an unknown
    /// carte, a bad signature and a wrong PIN.
    #[error("sign-in failed")]
    SignInFailed,
    /// The sign-in nonce is unknown, used or expired: ask a new one.
    #[error("challenge expired")]
    ChallengeExpired,
    /// Too many wrong PINs: the carte no longer signs in.
    #[error("carte locked")]
    CarteLocked,
    /// Over a rate limit; retry after this many seconds.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// A state-changing request from an origin that is not this instance's.
    #[error("bad origin")]
    BadOrigin,
    /// A state-changing request with a session but without its CSRF token.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// A session a remembered device opened cannot change the coffre's keys.
    #[error("remembered device")]
    RememberedDevice,
    /// This device is not (or no longer) remembered.
    #[error("device forgotten")]
    DeviceForgotten,
    /// The invitation link is unknown, used or expired.
    #[error("invitation expired")]
    InvitationExpired,
    /// A passkey is never added from a session the person said is on a shared computer.
    #[error("shared computer")]
    SharedComputer,
    /// The authenticator's answer to a passkey registration does not verify.
    #[error("passkey refused: {0}")]
    PasskeyRefused(String),
    /// The paper is larger than the instance's largest paper.
    #[error("paper too large")]
    PaperTooLarge { max: u64 },
    /// A mandate note above its cap (protocol.md section 8.1).
    #[error("note too large")]
    NoteTooLarge { max: usize },
    /// The coffre's papers would not fit in its quota.
    #[error("quota exceeded")]
    QuotaExceeded { used: u64, quota: u64 },
    /// The server's disk (or bucket) is full: nothing was stored.
    #[error("storage full")]
    StorageFull,
    /// The upload is older than its expiry: start again.
    #[error("upload expired")]
    UploadExpired,
    /// The signed-in account may not do this (not the admin, not a responsable…).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The id or key exists already.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A statement or age file that `coffre-crypto` refuses; the code is the protocol's
    /// (protocol.md section 13).
    #[error("{what} refused: {error}")]
    Refused {
        what: String,
        error: coffre_crypto::Error,
    },
    /// Anything else. The detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `not_found`.
    pub code: &'static str,
    /// Human-readable explanation (English). 5xx messages say nothing specific.
    pub message: String,
}

impl ApiError {
    /// The one table of HTTP statuses.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::MalformedJson(_) => StatusCode::BAD_REQUEST,
            Self::InvalidJson(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unauthenticated | Self::SignInFailed | Self::ChallengeExpired => {
                StatusCode::UNAUTHORIZED
            }
            Self::CarteLocked => StatusCode::LOCKED,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::BadOrigin | Self::Csrf | Self::SharedComputer => StatusCode::FORBIDDEN,
            Self::PasskeyRefused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::InvitationExpired | Self::DeviceForgotten => StatusCode::GONE,
            Self::RememberedDevice | Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PaperTooLarge { .. } | Self::QuotaExceeded { .. } | Self::NoteTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Self::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            Self::UploadExpired => StatusCode::GONE,
            Self::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::MalformedJson(_) => "malformed_json",
            Self::InvalidJson(_) => "invalid_json",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::RequestTimeout => "request_timeout",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Unavailable => "service_unavailable",
            Self::Unauthenticated => "unauthenticated",
            Self::SignInFailed => "sign_in_failed",
            Self::ChallengeExpired => "challenge_expired",
            Self::CarteLocked => "carte_locked",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::BadOrigin => "bad_origin",
            Self::Csrf => "csrf",
            Self::SharedComputer => "shared_computer",
            Self::InvitationExpired => "invitation_expired",
            Self::RememberedDevice => "remembered_device",
            Self::DeviceForgotten => "device_forgotten",
            Self::PasskeyRefused(_) => "passkey_refused",
            Self::Forbidden(_) => "forbidden",
            Self::Conflict(_) => "conflict",
            Self::PaperTooLarge { .. } => "paper_too_large",
            Self::NoteTooLarge { .. } => "note_too_large",
            Self::QuotaExceeded { .. } => "quota_exceeded",
            Self::StorageFull => "storage_full",
            Self::UploadExpired => "upload_expired",
            Self::Refused { error, .. } => error.code(),
            Self::Internal(_) => "internal_error",
        }
    }

    /// What the client is told: specific for 4xx, generic for 5xx.
    fn public_message(&self) -> String {
        match self {
            Self::BadRequest(m) | Self::MalformedJson(m) | Self::InvalidJson(m) => m.clone(),
            Self::NotFound => "No such resource.".to_owned(),
            Self::MethodNotAllowed => "This method is not allowed here.".to_owned(),
            Self::RequestTimeout => "The request took too long.".to_owned(),
            Self::PayloadTooLarge => "The request body is too large.".to_owned(),
            Self::UnsupportedMediaType => "Expected Content-Type: application/json.".to_owned(),
            Self::Unavailable => "The service is temporarily unavailable.".to_owned(),
            Self::Unauthenticated => "Not signed in.".to_owned(),
            Self::SignInFailed => {
                "The carte, the passphrase, the passkey or the PIN is not right.".to_owned()
            }
            Self::ChallengeExpired => {
                "This sign-in challenge is used or expired: ask a new one.".to_owned()
            }
            Self::CarteLocked => {
                "Too many wrong PINs: this carte is locked. Sign in another way and print a \
                 new carte."
                    .to_owned()
            }
            Self::TooManyAttempts { retry_after_secs } => {
                format!("Too many attempts. Try again in {retry_after_secs} seconds.")
            }
            Self::BadOrigin => "This request must come from the instance's own page.".to_owned(),
            Self::Csrf => "Missing or wrong X-Coffre-Csrf header.".to_owned(),
            Self::SharedComputer => "A passkey is never added on a shared computer.".to_owned(),
            Self::PasskeyRefused(m) => format!("The passkey was not accepted: {m}"),
            Self::RememberedDevice => {
                "A remembered phone cannot change the coffre's keys: sign in with the carte, \
                 the six words or a passkey."
                    .to_owned()
            }
            Self::DeviceForgotten => {
                "This device is no longer remembered: sign in with the carte, the six words or \
                 a passkey."
                    .to_owned()
            }
            Self::InvitationExpired => {
                "This invitation link is used or expired: ask for a new one.".to_owned()
            }
            Self::Conflict(m) | Self::Forbidden(m) => m.clone(),
            Self::PaperTooLarge { max } => {
                format!("A paper can be at most {} MiB here.", max / (1024 * 1024))
            }
            Self::NoteTooLarge { max } => {
                format!("A mandate's note can be at most {max} bytes (decoded).")
            }
            Self::QuotaExceeded { used, quota } => format!(
                "This coffre uses {used} of its {quota} bytes: this paper does not fit. Delete \
                 a paper you no longer need."
            ),
            Self::StorageFull => {
                "The server has no space left: nothing was stored. Tell the association.".to_owned()
            }
            Self::UploadExpired => "This upload expired: send the paper again.".to_owned(),
            Self::Refused { .. } => self.to_string(),
            Self::Internal(_) => "Internal error.".to_owned(),
        }
    }

    /// The error for a status produced outside a handler (a middleware, the router, an
    /// extractor's rejection): the one place a status becomes an `ApiError`, so a 413 from
    /// the body limit, from an extractor or from anywhere else is the same body.
    pub fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => Self::RequestTimeout,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => Self::Unavailable,
            s if s.is_client_error() => {
                Self::BadRequest(s.canonical_reason().unwrap_or("Bad request").to_owned())
            }
            s => Self::Internal(format!("status {s} from a middleware")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // Logged once, here, inside the request's span (which carries its id).
            tracing::error!(code = self.code(), error = %self, "request failed");
        }
        let body = ErrorBody {
            code: self.code(),
            message: self.public_message(),
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::TooManyAttempts { retry_after_secs } = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_secs),
            );
        }
        response
    }
}

impl ApiError {
    /// Maps a `coffre-crypto` refusal of `what` (a field, statement or file).
    pub fn refused(what: &str) -> impl FnOnce(coffre_crypto::Error) -> Self + '_ {
        move |error| Self::Refused {
            what: what.to_owned(),
            error,
        }
    }

    /// An extractor's rejection: [`Self::from_status`], keeping the rejection's text for a
    /// plain 400.
    fn from_rejection(status: StatusCode, text: String) -> Self {
        match Self::from_status(status) {
            Self::BadRequest(_) => Self::BadRequest(text),
            other => other,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => Self::InvalidJson(e.body_text()),
            JsonRejection::JsonSyntaxError(e) => Self::MalformedJson(e.body_text()),
            other => Self::from_rejection(other.status(), other.body_text()),
        }
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        Self::from_rejection(rejection.status(), rejection.body_text())
    }
}

impl ApiError {
    /// A refused insert: `conflict` says what already exists.
    pub fn from_insert(e: crate::db::InsertError, conflict: &str) -> Self {
        match e {
            crate::db::InsertError::Conflict => Self::Conflict(conflict.to_owned()),
            crate::db::InsertError::Invitation => Self::InvitationExpired,
            crate::db::InsertError::Store(e) => e.into(),
        }
    }
}

impl From<crate::db::StoreError> for ApiError {
    fn from(e: crate::db::StoreError) -> Self {
        Self::Internal(error_chain(&e))
    }
}

impl From<crate::blobs::BlobError> for ApiError {
    fn from(e: crate::blobs::BlobError) -> Self {
        match e {
            crate::blobs::BlobError::NotFound => Self::NotFound,
            other if storage_full(&other) => Self::StorageFull,
            other => Self::Internal(error_chain(&other)),
        }
    }
}

/// Whether an I/O error somewhere in `e`'s chain says the disk is full (`ENOSPC`, or a
/// quota of the file system).
pub fn storage_full(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            )
        {
            return true;
        }
        source = s.source();
    }
    false
}

/// An error and its sources on one line, for logs.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
