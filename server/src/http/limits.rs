//! Request limits, declared per group of routes: the largest body and the longest a
//! request may take. JSON routes share [`RouteLimits::json`]; a route that takes more (the
//! coming blob upload: large, streamed, slow phones) is mounted with its own limits through
//! [`ExtraRoutes::with_limits`] and never inherits the JSON ones.
//!
//! One enforcement point per number: `RequestBodyLimitLayer` (a too-long Content-Length is
//! refused before the handler runs; a streamed body fails when it crosses the limit, and
//! axum's extractors turn that into a 413). axum's own `DefaultBodyLimit` is disabled, so
//! it cannot refuse below a route's declared limit. Every 413 becomes the `ApiError` body
//! in one place, `ApiError::from_status`.

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::app::AppState;
use crate::config::Config;

/// Largest JSON request body. A signed statement is capped at 64 KiB by the protocol;
/// twice that leaves room for the envelope around it.
pub const JSON_BODY_LIMIT: usize = 128 * 1024;

/// The longest an upload may take (routes mounted with [`RouteLimits::uploads`]).
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// What a group of routes accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteLimits {
    /// Larger bodies are answered 413.
    pub max_body_bytes: usize,
    /// Slower requests are answered 408.
    pub timeout: Duration,
}

impl RouteLimits {
    /// JSON API routes (and the web client): [`JSON_BODY_LIMIT`], `request_timeout_secs`.
    pub fn json(config: &Config) -> Self {
        Self {
            max_body_bytes: JSON_BODY_LIMIT,
            timeout: Duration::from_secs(config.request_timeout_secs),
        }
    }

    /// Routes that take blobs: `max_body_bytes`, [`UPLOAD_TIMEOUT`].
    pub fn uploads(config: &Config) -> Self {
        Self {
            max_body_bytes: usize::try_from(config.max_body_bytes).unwrap_or(usize::MAX),
            timeout: UPLOAD_TIMEOUT,
        }
    }

    /// Routes that carry a paper's ciphertext: one chunk per request up (at most
    /// [`crate::http::papers::MAX_CHUNK_SIZE`] bytes; each upload's own chunk size is
    /// checked by the route), a whole content down, on a slow phone: [`UPLOAD_TIMEOUT`].
    pub fn chunks(_config: &Config) -> Self {
        Self {
            max_body_bytes: usize::try_from(crate::http::papers::MAX_CHUNK_SIZE)
                .unwrap_or(usize::MAX),
            timeout: UPLOAD_TIMEOUT,
        }
    }

    /// Routes that carry a metadata index file (up to
    /// [`crate::http::paper_index::INDEX_BODY_LIMIT`] bytes, a slow phone):
    /// [`UPLOAD_TIMEOUT`].
    pub fn indexes(_config: &Config) -> Self {
        Self {
            max_body_bytes: crate::http::paper_index::INDEX_BODY_LIMIT,
            timeout: UPLOAD_TIMEOUT,
        }
    }

    /// `router` with these limits on every route it holds (its fallback included).
    pub fn apply<S>(self, router: Router<S>) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        router.layer(
            ServiceBuilder::new()
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    self.timeout,
                ))
                .layer(RequestBodyLimitLayer::new(self.max_body_bytes)),
        )
    }
}

/// Routes added to the application besides its own (tests mount probes here, under the
/// real middleware stack).
#[derive(Debug, Default)]
pub struct ExtraRoutes {
    /// Routes under the JSON limits.
    pub(crate) json: Router<AppState>,
    /// Groups of routes, each with its own limits.
    pub(crate) own_limits: Vec<(RouteLimits, Router<AppState>)>,
}

impl ExtraRoutes {
    /// Routes under the JSON limits.
    pub fn json(routes: Router<AppState>) -> Self {
        Self {
            json: routes,
            own_limits: Vec::new(),
        }
    }

    /// Adds routes with their own limits instead of the JSON ones.
    pub fn with_limits(mut self, limits: RouteLimits, routes: Router<AppState>) -> Self {
        self.own_limits.push((limits, routes));
        self
    }
}

impl From<Router<AppState>> for ExtraRoutes {
    fn from(routes: Router<AppState>) -> Self {
        Self::json(routes)
    }
}
