//! Middleware turning every error response into the `ApiError` JSON shape, whoever
//! produced it (router 404/405, body limit 413, timeout 408, a library).

use std::any::Any;

use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Replaces the body of any 4xx/5xx response that is not JSON already.
pub async fn normalize_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (mut parts, _discarded) = response.into_parts();
    let mut normalized = ApiError::from_status(status).into_response();
    if let Some(allow) = parts.headers.remove(header::ALLOW) {
        normalized.headers_mut().insert(header::ALLOW, allow);
    }
    normalized
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// A handler panicked: a generic 500, the panic message logged once.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_owned());
    ApiError::Internal(format!("handler panicked: {message}")).into_response()
}
