//! Security headers sent on every response (pages, API, static files, errors), and the
//! cache policy for API responses.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, Uri};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy directives. Nothing from another origin, no inline
/// script or style, no plugins, no framing of us by anyone. `blob:` frames and images
/// are for papers decrypted in the browser.
pub const CSP_DIRECTIVES: &[(&str, &str)] = &[
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' blob: data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("frame-src", "'self' blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
];

/// HSTS when browsers reach us over HTTPS: one year. No `includeSubDomains`: other
/// hosts of the association's domain are not ours to decide for.
pub const HSTS: &str = "max-age=31536000";

/// `Permissions-Policy`: the camera is for photographing papers.
pub const PERMISSIONS_POLICY: &str = "camera=(self), microphone=(), geolocation=()";

/// The base64 SHA-256 of the PDF frame's script, computed by build.rs from the client it
/// serves (empty with the placeholder page). The frame's page, a `blob:` document the app
/// writes, runs that script inline, and inherits this policy: `script-src` allows that one
/// inline script by its hash, and no other (client-web/src/pdf-view).
pub const PDF_FRAME_SCRIPT_SHA256: &str = env!("COFFRE_BUILD_PDF_FRAME_SHA256");

/// Builds the CSP header value, adding `extra_connect_src` origins to `connect-src`, and the
/// PDF frame's script hash to `script-src`.
pub fn content_security_policy(extra_connect_src: &[String]) -> String {
    CSP_DIRECTIVES
        .iter()
        .map(|(name, value)| {
            if *name == "connect-src" && !extra_connect_src.is_empty() {
                format!("{name} {value} {}", extra_connect_src.join(" "))
            } else if *name == "script-src" && !PDF_FRAME_SCRIPT_SHA256.is_empty() {
                format!("{name} {value} 'sha256-{PDF_FRAME_SCRIPT_SHA256}'")
            } else {
                format!("{name} {value}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The headers added to every response, computed once at start.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    headers: Arc<HeaderMap>,
}

impl SecurityHeaders {
    /// Fails only if an extra `connect-src` origin is not a valid header value (the
    /// configuration validation already refuses those).
    pub fn new(
        extra_connect_src: &[String],
        hsts: bool,
    ) -> Result<Self, header::InvalidHeaderValue> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&content_security_policy(extra_connect_src))?,
        );
        let fixed: [(HeaderName, &'static str); 6] = [
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin",
            ),
            (
                HeaderName::from_static("cross-origin-resource-policy"),
                "same-origin",
            ),
            (
                HeaderName::from_static("permissions-policy"),
                PERMISSIONS_POLICY,
            ),
        ];
        for (name, value) in fixed {
            headers.insert(name, HeaderValue::from_static(value));
        }
        if hsts {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(HSTS),
            );
        }
        Ok(Self {
            headers: Arc::new(headers),
        })
    }
}

/// Whether a path belongs to the API (never cached, JSON errors).
pub fn is_api_path(uri: &Uri) -> bool {
    let path = uri.path();
    path == "/api" || path.starts_with("/api/") || path == "/openapi.json"
}

/// Middleware: adds the security headers; `Cache-Control: no-store` on API responses
/// and on errors.
pub async fn add_security_headers(
    State(security): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let api = is_api_path(request.uri());
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    for (name, value) in security.headers.iter() {
        headers.insert(name.clone(), value.clone());
    }
    if api || status.is_client_error() || status.is_server_error() {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
