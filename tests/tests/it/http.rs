//! The HTTP stack: health, errors, limits, headers — on both databases.

use axum::Router;
use axum::routing::{get, post};
use coffre_server::app::AppState;
use coffre_server::http::ApiJson;
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use serde::Deserialize;
use serde_json::{Value, json};

on_both_backends!(
    health_is_ok,
    health_reports_an_unreachable_database,
    security_headers_are_on_every_response,
    unknown_api_routes_are_json_404,
    wrong_methods_are_json_405,
    malformed_and_invalid_json_are_clean_4xx,
    oversized_bodies_are_json_413,
    panics_are_generic_500,
    slow_requests_time_out_with_json,
    request_ids_are_set_and_propagated,
    responses_are_compressed,
);

pub const EXPECTED_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The security headers every response must carry.
pub fn assert_security_headers(headers: &HeaderMap, what: &str) {
    let expect = [
        ("content-security-policy", EXPECTED_CSP),
        ("referrer-policy", "no-referrer"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        (
            "permissions-policy",
            "camera=(self), microphone=(), geolocation=()",
        ),
    ];
    for (name, value) in expect {
        assert_eq!(
            headers.get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "{name} on {what}"
        );
    }
}

#[derive(Debug, Deserialize, serde::Serialize)]
struct Probe {
    name: String,
}

/// Probe routes, mounted under the real middleware stack.
fn probes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/test/echo",
            post(|ApiJson(p): ApiJson<Probe>| async move { ApiJson(p) }),
        )
        .route("/api/test/panic", get(panicking))
        .route("/api/test/slow", get(std::future::pending::<String>))
}

async fn panicking() -> &'static str {
    panic!("secret detail that must not leak")
}

async fn start(env: &TestEnv, tweak: impl FnOnce(&mut coffre_server::config::Config)) -> TestApp {
    let mut config = env.config();
    tweak(&mut config);
    TestApp::builder(config)
        .extra_routes(probes())
        .start()
        .await
}

async fn json_error(response: reqwest::Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/json",
        "error bodies are JSON"
    );
    assert_eq!(
        response.headers().get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert_eq!(
        body.as_object().unwrap().len(),
        2,
        "exactly code and message: {body}"
    );
    body
}

async fn health_is_ok(env: TestEnv) {
    let app = env.start().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers().get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    assert_security_headers(response.headers(), "/api/health");
    assert!(
        response
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none(),
        "no HSTS without TLS"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"status": "ok", "database": "ok", "blobs": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
    app.stop().await;
}

async fn health_reports_an_unreachable_database(env: TestEnv) {
    let app = env.start().await;
    app.state.store.close().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "error");
    assert_eq!(body["blobs"], "ok");
}

async fn security_headers_are_on_every_response(env: TestEnv) {
    let app = start(&env, |c| c.max_body_bytes = 1000).await;
    for path in [
        "/",
        "/api/health",
        "/api/nope",
        "/some/deep/link",
        "/openapi.json",
    ] {
        assert_security_headers(app.get(path).await.headers(), path);
    }
    let too_large = app
        .client
        .post(app.at("/api/health"))
        .body(vec![b'x'; 5000])
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_security_headers(too_large.headers(), "413");
    let panic = app.get("/api/test/panic").await;
    assert_security_headers(panic.headers(), "500");
    app.stop().await;
}

async fn unknown_api_routes_are_json_404(env: TestEnv) {
    let app = env.start().await;
    for path in ["/api/nope", "/api", "/api/", "/api/health/extra"] {
        json_error(app.get(path).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let post = app.client.post(app.at("/api/nope")).send().await.unwrap();
    json_error(post, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

async fn wrong_methods_are_json_405(env: TestEnv) {
    let app = env.start().await;
    let response = app
        .client
        .delete(app.at("/api/health"))
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get(header::ALLOW)
            .is_some_and(|v| v.to_str().unwrap().contains("GET"))
    );
    json_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    let response = app.client.post(app.at("/some/page")).send().await.unwrap();
    json_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    app.stop().await;
}

async fn malformed_and_invalid_json_are_clean_4xx(env: TestEnv) {
    let app = start(&env, |_| {}).await;
    let url = app.at("/api/test/echo");
    let send = |body: &'static str, content_type: Option<&'static str>| {
        let mut request = app.client.post(&url).body(body);
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        request.send()
    };
    let ok = send(r#"{"name":"a"}"#, Some("application/json"))
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.json::<Value>().await.unwrap(), json!({"name": "a"}));

    let r = send(r#"{"name":"#, Some("application/json")).await.unwrap();
    json_error(r, StatusCode::BAD_REQUEST, "malformed_json").await;
    let r = send(r#"{"name": 3}"#, Some("application/json"))
        .await
        .unwrap();
    json_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    let r = send(r#"{"name":"a"}"#, None).await.unwrap();
    json_error(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let r = send(r#"{"name":"a"}"#, Some("text/plain")).await.unwrap();
    json_error(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    app.stop().await;
}

async fn oversized_bodies_are_json_413(env: TestEnv) {
    let app = start(&env, |c| c.max_body_bytes = 1000).await;
    // Announced by Content-Length: refused before the handler runs.
    let r = app
        .client
        .post(app.at("/api/health"))
        .body(vec![b'x'; 5000])
        .send()
        .await
        .unwrap();
    json_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // Streamed without Content-Length: refused while the JSON extractor reads it.
    let chunks = (0..10).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b' '; 500])));
    let r = app
        .client
        .post(app.at("/api/test/echo"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    json_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    app.stop().await;
}

async fn panics_are_generic_500(env: TestEnv) {
    let app = start(&env, |_| {}).await;
    let r = app.get("/api/test/panic").await;
    let body = json_error(r, StatusCode::INTERNAL_SERVER_ERROR, "internal_error").await;
    assert!(
        !body.to_string().contains("secret"),
        "5xx bodies say nothing specific: {body}"
    );
    // The server is still up.
    assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
    app.stop().await;
}

async fn slow_requests_time_out_with_json(env: TestEnv) {
    let app = start(&env, |c| c.request_timeout_secs = 1).await;
    let r = app.get("/api/test/slow").await;
    json_error(r, StatusCode::REQUEST_TIMEOUT, "request_timeout").await;
    app.stop().await;
}

async fn request_ids_are_set_and_propagated(env: TestEnv) {
    let app = env.start().await;
    let r = app.get("/api/health").await;
    let id = r
        .headers()
        .get("x-request-id")
        .expect("x-request-id")
        .to_str()
        .unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let r = app
        .client
        .get(app.at("/api/nope"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get("x-request-id").unwrap(), "abc-123");
    app.stop().await;
}

async fn responses_are_compressed(env: TestEnv) {
    let app = env.start().await;
    let r = app
        .client
        .get(app.at("/openapi.json"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");
    app.stop().await;
}
