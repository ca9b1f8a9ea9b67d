//! The Prometheus endpoint (`[metrics]`): served on its own listener only, behind the
//! bearer token when one is set, in the OpenMetrics text format; after a scenario whose
//! requests carry ids in their paths, an address and a user agent, its output names route
//! templates and counts — never an id, an address or anything a client sent.

use std::net::SocketAddr;
use std::sync::Arc;

use coffre_server::clock::ManualClock;
use coffre_server::config::{Config, Secret};
use coffre_server::metrics::CONTENT_TYPE;
use coffre_tests::owner::{Browser, Owner, PIN, json_of, nonce, open_coffre, post, start_time};
use coffre_tests::{TestApp, TestEnv, on_both_backends};
use regex::Regex;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE as CONTENT_TYPE_HEADER, USER_AGENT};
use serde_json::Value;

on_both_backends!(the_scrape_counts_routes_and_names_nobody);

const AGENT: &str = "Mozilla/5.0 (Linux; Android 9; Redmi-Test-Phone) MetricsProbe/4.2";
const FORWARDED: &str = "203.0.113.77";

fn with_metrics(env: &TestEnv, token: Option<&str>) -> Config {
    let mut config = env.config();
    config.metrics.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    config.metrics.token = token.map(|t| Secret::new(t.to_owned()));
    config
}

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let addr = app.metrics_addr.expect("a metrics listener");
    let mut request = reqwest::Client::new().get(format!("http://{addr}/metrics"));
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    request.send().await.unwrap()
}

async fn scrape_text(app: &TestApp) -> String {
    let response = scrape(app, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE_HEADER], CONTENT_TYPE);
    let text = response.text().await.unwrap();
    assert!(
        text.ends_with("# EOF\n"),
        "OpenMetrics text ends with # EOF"
    );
    text
}

/// A request as a phone behind a proxy would send it.
fn phone(
    app: &TestApp,
    browser: &Browser,
    method: reqwest::Method,
    path: &str,
) -> reqwest::RequestBuilder {
    browser
        .with(app.client.request(method, app.at(path)))
        .header(USER_AGENT, AGENT)
        .header("x-forwarded-for", FORWARDED)
}

async fn the_scrape_counts_routes_and_names_nobody(env: TestEnv) {
    let clock = Arc::new(ManualClock::new(start_time()));
    let app = TestApp::builder(with_metrics(&env, None))
        .clock(clock.clone())
        .start()
        .await;
    let owner = Owner::new(app.state.origin.as_str());
    let browser = open_coffre(&app, &owner).await;
    // A second browser, so a session id can be named in a path.
    let (n, _) = nonce(&app).await;
    let (status, second) = json_of(
        post(
            &app,
            &Browser::default(),
            "/api/sessions/carte",
            &owner.carte_sign_in(&n, PIN),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let (_, listed) = json_of(
        phone(&app, &browser, reqwest::Method::GET, "/api/sessions")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let sessions = listed.as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{listed}");
    let session_ids: Vec<String> = sessions
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let other = sessions
        .iter()
        .find(|s| s["current"] == false)
        .and_then(|s| s["id"].as_str())
        .unwrap()
        .to_owned();
    let coffre = owner.coffre.to_string();
    let unknown = uuid::Uuid::new_v4().to_string();
    let paths: Vec<(reqwest::Method, String)> = vec![
        (reqwest::Method::DELETE, format!("/api/sessions/{other}")),
        (reqwest::Method::DELETE, format!("/api/passkeys/{unknown}")),
        (
            reqwest::Method::DELETE,
            format!("/api/remembered/{unknown}"),
        ),
        (
            reqwest::Method::GET,
            format!("/api/coffres/{coffre}/papers"),
        ),
        (
            reqwest::Method::GET,
            format!("/api/journal?from_seq=0&coffre={coffre}"),
        ),
        (reqwest::Method::GET, format!("/coffre/{coffre}")),
        (reqwest::Method::GET, format!("/assets/{unknown}.js")),
        (
            reqwest::Method::from_bytes(b"PROPFIND").unwrap(),
            format!("/api/{coffre}"),
        ),
    ];
    for (method, path) in &paths {
        let response = phone(&app, &browser, method.clone(), path)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().as_u16() < 500,
            "{method} {path}: {}",
            response.status()
        );
    }
    // A paper's upload under way: its id in the chunk's path, its bytes into the blob store.
    let (_, coffre_answer) = json_of(
        phone(&app, &browser, reqwest::Method::GET, "/api/coffre")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (cert, _) = owner.first_category(&coffre_answer);
    let sealed = owner.seal_paper(&cert, 1000, start_time().unix_timestamp() as u64);
    let (status, started) = json_of(
        phone(&app, &browser, reqwest::Method::POST, "/api/uploads")
            .json(&serde_json::json!({"content_size": sealed.content.len()}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let upload = started["upload"].as_str().unwrap().to_owned();
    let chunk = phone(
        &app,
        &browser,
        reqwest::Method::PUT,
        &format!("/api/uploads/{upload}/chunks/0"),
    )
    .header(CONTENT_TYPE_HEADER, "application/octet-stream")
    .body(sealed.content.clone())
    .send()
    .await
    .unwrap();
    assert_eq!(chunk.status(), StatusCode::NO_CONTENT);
    // Blob bytes in and out, through the blob service too.
    let record = app.state.blobs.put_bytes(vec![7u8; 3000]).await.unwrap();
    assert_eq!(
        app.state.blobs.get_bytes(record.id).await.unwrap().len(),
        3000
    );
    // The background jobs: the start's sweep, and a retention pass.
    app.state.startup_sweep.wait().await.unwrap().unwrap();
    clock.advance(time::Duration::hours(25));
    app.state.retention().run_once().await.unwrap();

    let text = scrape_text(&app).await;
    for expected in [
        r#"coffre_http_requests_total{method="POST",route="/api/coffres",status="2xx"} 1"#,
        r#"coffre_http_requests_total{method="POST",route="/api/auth/nonce",status="2xx"} 2"#,
        r#"coffre_http_requests_total{method="DELETE",route="/api/sessions/{id}",status="2xx"} 1"#,
        r#"coffre_http_requests_total{method="DELETE",route="/api/passkeys/{id}",status="4xx"} 1"#,
        r#"coffre_http_requests_total{method="GET",route="/api/{*rest}",status="4xx"} 1"#,
        r#"coffre_http_requests_total{method="other",route="/api/{*rest}",status="4xx"} 1"#,
        r#"coffre_http_requests_total{method="GET",route="web",status="2xx"} 1"#,
        r#"coffre_http_requests_total{method="GET",route="web",status="4xx"} 1"#,
        r#"coffre_http_request_duration_seconds_count{method="POST",route="/api/sessions/carte"} 1"#,
        r#"coffre_http_requests_total{method="PUT",route="/api/uploads/{id}/chunks/{idx}",status="2xx"} 1"#,
        r#"coffre_blob_bytes_total{direction="out"} 3000"#,
        r#"coffre_job_runs_total{job="retention",outcome="ok"} 1"#,
        r#"coffre_job_runs_total{job="blob_sweep",outcome="ok"} 1"#,
        r#"coffre_job_removed_total{job="retention",kind="rate_limits"}"#,
        r#"coffre_job_last_success_timestamp_seconds{job="retention"}"#,
        r#"coffre_db_pool_connections{state="idle"}"#,
        r#"coffre_db_pool_connections{state="in_use"}"#,
        "coffre_db_pool_max_connections ",
    ] {
        assert!(text.contains(expected), "{expected}\nnot in:\n{text}");
    }
    let bytes_in = format!(
        r#"coffre_blob_bytes_total{{direction="in"}} {}"#,
        3000 + sealed.content.len()
    );
    assert!(text.contains(&bytes_in), "{bytes_in}\nnot in:\n{text}");
    let removed: u64 =
        Regex::new(r#"coffre_job_removed_total\{job="retention",kind="rate_limits"\} (\d+)"#)
            .unwrap()
            .captures(&text)
            .and_then(|c| c[1].parse().ok())
            .unwrap();
    assert!(removed >= 2, "the address's and the key's rows: {removed}");

    // Nothing that names a coffre, a session, a device, an address or a client.
    let mut named: Vec<String> = vec![
        coffre.clone(),
        owner.coffre.to_string().replace('-', ""),
        unknown.clone(),
        upload.clone(),
        FORWARDED.into(),
        "127.0.0.1".into(),
        "localhost".into(),
        AGENT.into(),
        "Redmi".into(),
        "Test, Rust".into(),
        coffre_crypto::keys::public_key(&owner.carte_auth()).to_b64(),
        owner.keys.public().to_b64(),
        PIN.into(),
    ];
    named.extend(session_ids.iter().cloned());
    for value in &named {
        assert!(
            !text.contains(value.as_str()),
            "{value:?} in the scrape:\n{text}"
        );
    }
    for (what, pattern) in [
        (
            "a uuid",
            r"(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}",
        ),
        ("an IPv4 address", r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"),
        (
            "an IPv6 address",
            r"(?i)\b[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\b",
        ),
    ] {
        let found: Vec<&str> = Regex::new(pattern)
            .unwrap()
            .find_iter(&text)
            .map(|m| m.as_str())
            .collect();
        assert!(found.is_empty(), "{what} in the scrape: {found:?}");
    }
    // Label values: no key or token (base64 of 32 bytes) among them.
    let values: Vec<&str> = Regex::new(r#"="([^"]*)""#)
        .unwrap()
        .captures_iter(&text)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    let key_like = Regex::new(r"[A-Za-z0-9_\-+/]{43}").unwrap();
    assert!(
        !values.iter().any(|v| key_like.is_match(v)),
        "a key-like label value: {values:?}"
    );
    // Every route label is a template the server declared, or `web`.
    let routes: std::collections::BTreeSet<&str> = Regex::new(r#"route="([^"]*)""#)
        .unwrap()
        .captures_iter(&text)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    for route in &routes {
        assert!(
            *route == "web" || route.starts_with("/api"),
            "unexpected route label {route:?}"
        );
    }

    // The public listener does not serve them.
    let public = app.get("/metrics").await.text().await.unwrap();
    assert!(!public.contains("coffre_http_requests"), "{public}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_required_when_set() {
    let env = TestEnv::new(coffre_tests::Backend::Sqlite).await;
    let token = "metrics-token-0123456789abcdefghijklmnop";
    let app = TestApp::builder(with_metrics(&env, Some(token)))
        .start()
        .await;
    let refused = scrape(&app, None).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refused.headers()["www-authenticate"], "Bearer");
    let wrong = scrape(&app, Some("metrics-token-0123456789abcdefghijklmnoX")).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let ok = scrape(&app, Some(token)).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let text = ok.text().await.unwrap();
    assert!(
        text.contains("# TYPE coffre_db_pool_max_connections gauge"),
        "{text}"
    );
    // The metrics listener serves nothing else (and no API).
    let addr = app.metrics_addr.unwrap();
    let other = reqwest::Client::new()
        .get(format!("http://{addr}/api/health"))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn there_is_no_metrics_listener_by_default() {
    let env = TestEnv::new(coffre_tests::Backend::Sqlite).await;
    let app = env.start().await;
    assert_eq!(app.metrics_addr, None);
    let body: Value = app.get("/api/health").await.json().await.unwrap();
    assert_eq!(body["status"], "ok", "{body}");
    app.stop().await;
}
