//! The HTTP stack: health, errors, limits, headers — on both databases.

use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use coffre_server::http::limits::JSON_BODY_LIMIT;
use coffre_server::http::{ApiJson, ExtraRoutes, RouteLimits};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use serde::Deserialize;
use serde_json::{Value, json};

on_both_backends!(
    health_is_ok,
    instance_origin_is_served,
    health_reports_an_unreachable_database,
    security_headers_are_on_every_response,
    unknown_api_routes_are_json_404,
    wrong_methods_are_json_405,
    malformed_and_invalid_json_are_clean_4xx,
    oversized_bodies_are_json_413,
    a_route_with_its_own_limit_takes_what_json_routes_refuse,
    panics_are_generic_500,
    slow_requests_time_out_with_json,
    request_ids_are_set_and_propagated,
    responses_are_compressed,
);

/// The CSP every response carries: `script-src` names the PDF frame's inline script by the
/// hash build.rs took of the client served, and nothing else beside `'self'`.
pub fn expected_csp() -> String {
    let hash = coffre_server::http::headers::PDF_FRAME_SCRIPT_SHA256;
    let script = if hash.is_empty() {
        "'self'".to_owned()
    } else {
        assert_eq!(hash.len(), 44, "a base64 SHA-256: {hash}");
        format!("'self' 'sha256-{hash}'")
    };
    format!(
        "default-src 'none'; script-src {script}; style-src 'self'; img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The security headers every response must carry.
pub fn assert_security_headers(headers: &HeaderMap, what: &str) {
    let csp = expected_csp();
    let expect = [
        ("content-security-policy", csp.as_str()),
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

/// The probe route with its own limits (what the blob upload route will be).
const UPLOAD_PROBE_LIMIT: usize = 1024 * 1024;

/// Probe routes, mounted under the real middleware stack.
fn probes() -> ExtraRoutes {
    let json = Router::new()
        .route(
            "/api/test/echo",
            post(|ApiJson(p): ApiJson<Probe>| async move { ApiJson(p) }),
        )
        .route("/api/test/bytes", post(body_length))
        .route("/api/test/panic", get(panicking))
        .route("/api/test/slow", get(std::future::pending::<String>));
    let upload = Router::new().route("/api/test/upload", post(body_length));
    ExtraRoutes::json(json).with_limits(
        RouteLimits {
            max_body_bytes: UPLOAD_PROBE_LIMIT,
            timeout: Duration::from_secs(60),
        },
        upload,
    )
}

async fn body_length(body: bytes::Bytes) -> String {
    body.len().to_string()
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

/// What a request written by hand got back.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

/// How a hand-written POST sends its body.
enum RawBody {
    /// Announces this Content-Length and sends nothing: a server that refuses on the
    /// header answers at once, and no write can race its answer.
    Declared(usize),
    /// Chunked encoding, these chunk sizes, without the final empty chunk: the server
    /// reads everything sent before it crosses its limit and answers.
    Chunks(Vec<usize>),
}

/// A POST over a raw connection, for oversized bodies: a client library writing a large
/// body while the server answers early gets a broken pipe instead of the answer.
async fn raw_post(app: &TestApp, path: &str, body: RawBody) -> RawResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let framing = match &body {
        RawBody::Declared(len) => format!("content-length: {len}"),
        RawBody::Chunks(_) => "transfer-encoding: chunked".to_owned(),
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
         connection: close\r\n{framing}\r\n\r\n",
        app.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    if let RawBody::Chunks(sizes) = body {
        for size in sizes {
            let mut chunk = format!("{size:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', size));
            chunk.extend_from_slice(b"\r\n");
            // The server may answer before it has read everything: not an error here.
            if stream.write_all(&chunk).await.is_err() {
                break;
            }
        }
    }
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .expect("an answer in time")
        .expect("read the answer");
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        headers.append(
            header::HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
            value.trim().parse().unwrap(),
        );
    }
    RawResponse {
        status: StatusCode::from_u16(status).unwrap(),
        headers,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

/// [`json_error`] for a [`RawResponse`]: 413 with exactly `{code, message}`.
fn assert_payload_too_large(response: &RawResponse, what: &str) {
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE, "{what}");
    assert_eq!(
        response.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/json",
        "{what}"
    );
    assert_eq!(response.body["code"], "payload_too_large", "{what}");
    assert!(
        response.body["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(response.body.as_object().unwrap().len(), 2, "{what}");
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

/// The origin clients sign statements for: `http://localhost:PORT` with the bound port on
/// loopback, `public_url` when set.
async fn instance_origin_is_served(env: TestEnv) {
    let app = env.start().await;
    let response = app.get("/api/instance").await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut body: Value = response.json().await.unwrap();
    let expected = format!("http://localhost:{}", app.addr.port());
    let server_key = app.state.server_key.public_key().to_b64();
    let now = app.state.clock.now().as_micros() / 1_000_000;
    let served = body["now"].take().as_i64().unwrap();
    assert!(
        (now - 5..=now).contains(&served),
        "the server's time: {served} vs {now}"
    );
    assert_eq!(
        body,
        json!({"origin": expected, "rp_id": "localhost", "server_key": server_key, "now": null})
    );
    assert_eq!(app.state.origin.as_str(), expected);
    app.stop().await;

    let mut config = env.config();
    config.public_url =
        Some(coffre_server::domain::InstanceOrigin::parse("https://coffre.example.org").unwrap());
    let app = TestApp::builder(config).start().await;
    let mut body: Value = app.get("/api/instance").await.json().await.unwrap();
    body["now"].take();
    assert_eq!(
        body,
        json!({"origin": "https://coffre.example.org", "rp_id": "coffre.example.org",
               "server_key": server_key, "now": null}),
        "the same database, the same key"
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
    let app = start(&env, |_| {}).await;
    for path in [
        "/",
        "/api/health",
        "/api/nope",
        "/some/deep/link",
        "/openapi.json",
    ] {
        assert_security_headers(app.get(path).await.headers(), path);
    }
    let too_large = raw_post(&app, "/api/health", RawBody::Declared(JSON_BODY_LIMIT + 1)).await;
    assert_payload_too_large(&too_large, "/api/health");
    assert_security_headers(&too_large.headers, "413");
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
    let body = json_error(r, StatusCode::BAD_REQUEST, "malformed_json").await;
    assert!(
        body["message"].as_str().unwrap().contains("JSON"),
        "says what is wrong: {body}"
    );
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

/// JSON routes are capped at `JSON_BODY_LIMIT` (128 KiB), whatever `max_body_bytes` says.
async fn oversized_bodies_are_json_413(env: TestEnv) {
    let app = start(&env, |c| c.max_body_bytes = 100 * 1024 * 1024).await;
    // At the limit: accepted (whitespace around a valid JSON value).
    let mut padded = vec![b' '; JSON_BODY_LIMIT - 12];
    padded.extend_from_slice(br#"{"name":"a"}"#);
    let r = app
        .client
        .post(app.at("/api/test/echo"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(padded)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Announced by Content-Length: refused before the handler runs.
    for path in ["/api/health", "/api/test/echo", "/api/test/bytes"] {
        let r = raw_post(&app, path, RawBody::Declared(JSON_BODY_LIMIT + 1)).await;
        assert_payload_too_large(&r, path);
    }
    // Streamed without Content-Length: refused while the JSON extractor reads it.
    let r = raw_post(&app, "/api/test/echo", RawBody::Chunks(vec![1000; 132])).await;
    assert_payload_too_large(&r, "streamed JSON");
    app.stop().await;
}

/// A route mounted with its own limits takes a body the JSON default refuses, and has
/// its own 413 above that, in the same JSON shape.
async fn a_route_with_its_own_limit_takes_what_json_routes_refuse(env: TestEnv) {
    let app = start(&env, |_| {}).await;
    let body = vec![b'x'; 512 * 1024];
    let refused = raw_post(&app, "/api/test/bytes", RawBody::Declared(body.len())).await;
    assert_payload_too_large(&refused, "512 KiB on a JSON route");
    let accepted = app
        .client
        .post(app.at("/api/test/upload"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(accepted.text().await.unwrap(), body.len().to_string());
    // Streamed, without Content-Length.
    let chunks = (0..8).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b'y'; 64 * 1024])));
    let streamed = app
        .client
        .post(app.at("/api/test/upload"))
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_eq!(streamed.text().await.unwrap(), (512 * 1024).to_string());
    let declared = raw_post(
        &app,
        "/api/test/upload",
        RawBody::Declared(UPLOAD_PROBE_LIMIT + 1),
    )
    .await;
    assert_payload_too_large(&declared, "declared above the route's own limit");
    let streamed = raw_post(
        &app,
        "/api/test/upload",
        RawBody::Chunks(vec![64 * 1024; UPLOAD_PROBE_LIMIT / (64 * 1024) + 1]),
    )
    .await;
    assert_payload_too_large(&streamed, "streamed above the route's own limit");
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
