//! HTTPS from PEM files (a self-signed certificate made by the test), and HSTS.

use coffre_server::app::StartError;
use coffre_server::config::TlsMode;
use coffre_tests::{Backend, TestApp, TestEnv};
use reqwest::StatusCode;
use reqwest::header;

use crate::http::assert_security_headers;

#[tokio::test]
async fn https_with_certificate_files_sends_hsts() {
    let env = TestEnv::new(Backend::Sqlite).await;
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert_path = env.data_dir().join("cert.pem");
    let key_path = env.data_dir().join("key.pem");
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).unwrap();

    let mut config = env.config();
    config.tls.mode = TlsMode::Files;
    config.tls.cert_path = Some(cert_path);
    config.tls.key_path = Some(key_path);
    let app = TestApp::builder(config).start().await;
    assert!(app.url.starts_with("https://"), "{}", app.url);

    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap()])
        .resolve("localhost", app.addr)
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/api/health", app.addr.port());
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    assert_security_headers(response.headers(), "https /api/health");
    let page = client
        .get(format!("https://localhost:{}/", app.addr.port()))
        .send()
        .await
        .unwrap();
    assert!(
        page.headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );

    // A client that does not trust the certificate is refused.
    let untrusting = reqwest::Client::builder()
        .resolve("localhost", app.addr)
        .build()
        .unwrap();
    assert!(untrusting.get(&url).send().await.is_err());
    app.stop().await;
}

#[tokio::test]
async fn behind_a_proxy_plain_http_sends_hsts() {
    let env = TestEnv::new(Backend::Sqlite).await;
    let mut config = env.config();
    config.tls.behind_proxy = true;
    let app = TestApp::builder(config).start().await;
    assert!(app.url.starts_with("http://"));
    let response = app.get("/").await;
    assert_eq!(
        response.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    app.stop().await;
}

#[tokio::test]
async fn missing_certificate_files_fail_the_start() {
    let env = TestEnv::new(Backend::Sqlite).await;
    let mut config = env.config();
    config.tls.mode = TlsMode::Files;
    config.tls.cert_path = Some(env.data_dir().join("nope.pem"));
    config.tls.key_path = Some(env.data_dir().join("nope.key"));
    let error = TestApp::builder(config)
        .try_start()
        .await
        .expect_err("must not start");
    assert!(matches!(error, StartError::Tls(_)), "{error:?}");
    assert!(error.to_string().contains("nope.pem"), "{error}");
}
