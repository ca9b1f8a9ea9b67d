//! The embedded web client (memory-serve): hashed `/assets/*` cached for a year, every
//! other file revalidated; any other GET that is not a file is the single-page app's
//! `index.html` (200), so deep links work.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use memory_serve::CacheControl;
use tower::ServiceExt;

use crate::error::ApiError;

/// Vite puts content-hashed files here: a new build gives new names.
const IMMUTABLE_PREFIX: &str = "/assets/";
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// The router serving the client. Built once per process (memory-serve leaks its
/// assets on purpose); each server gets a cheap clone.
pub fn router() -> Router {
    static WEB: OnceLock<Router> = OnceLock::new();
    WEB.get_or_init(|| {
        // `load!` includes the asset list written by build.rs (never empty: at worst the
        // placeholder page).
        let assets: Router = memory_serve::load!()
            .index_file(Some("/index.html"))
            .html_cache_control(CacheControl::NoCache)
            .cache_control(CacheControl::NoCache)
            .into_router();
        let index = assets.clone();
        assets
            .fallback(move |request: Request| spa_fallback(index.clone(), request))
            .layer(middleware::from_fn(cache_policy))
    })
    .clone()
}

/// Not a file: the app's `index.html` for page loads, a JSON error otherwise.
async fn spa_fallback(index: Router, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return ApiError::MethodNotAllowed.into_response();
    }
    // A missing hashed asset must not become an HTML page cached for a year.
    if request.uri().path().starts_with(IMMUTABLE_PREFIX) {
        return ApiError::NotFound.into_response();
    }
    let (mut parts, body) = request.into_parts();
    parts.uri = Uri::from_static("/index.html");
    match index.oneshot(Request::from_parts(parts, body)).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Sets `Cache-Control` on files: immutable under `/assets/`, revalidate elsewhere.
async fn cache_policy(request: Request, next: Next) -> Response {
    let immutable = request.uri().path().starts_with(IMMUTABLE_PREFIX);
    let mut response = next.run(request).await;
    let status = response.status();
    if status == StatusCode::OK || status == StatusCode::NOT_MODIFIED {
        let value = if immutable { IMMUTABLE } else { REVALIDATE };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}
