//! The embedded web client: index, deep links, hashed assets, OpenAPI. (Static serving
//! does not touch the database: SQLite only.)

use coffre_tests::{Backend, TestEnv};
use reqwest::StatusCode;
use reqwest::header;
use serde_json::Value;

use crate::http::assert_security_headers;

async fn env() -> TestEnv {
    TestEnv::new(Backend::Sqlite).await
}

/// The `/assets/…` paths an HTML page refers to.
fn asset_paths(html: &str) -> Vec<String> {
    html.split(['"', '\''])
        .filter(|s| s.starts_with("/assets/") && !s.contains(char::is_whitespace))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn index_and_deep_links_serve_the_app() {
    let env = env().await;
    let app = env.start().await;
    let index = app.get("/").await;
    assert_eq!(index.status(), StatusCode::OK);
    assert!(
        index.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(index.headers()[header::CACHE_CONTROL], "no-cache");
    assert_security_headers(index.headers(), "/");
    let index_body = index.text().await.unwrap();
    assert!(index_body.to_lowercase().contains("<html"), "{index_body}");

    for path in ["/some/deep/link", "/index.html", "/coffre/settings?tab=2"] {
        let page = app.get(path).await;
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache", "{path}");
        assert_security_headers(page.headers(), path);
        assert_eq!(
            page.text().await.unwrap(),
            index_body,
            "{path} is the app's index.html"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_missing_ones_404() {
    let env = env().await;
    let app = env.start().await;
    let index = app.get("/").await.text().await.unwrap();
    let assets = asset_paths(&index);
    assert!(
        !assets.is_empty(),
        "the page refers to /assets/ files: {index}"
    );
    for path in &assets {
        let asset = app.get(path).await;
        assert_eq!(asset.status(), StatusCode::OK, "{path}");
        assert_eq!(
            asset.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{path}"
        );
        let content_type = asset.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        if path.ends_with(".css") {
            assert!(
                content_type.starts_with("text/css"),
                "{path}: {content_type}"
            );
        } else if path.ends_with(".js") {
            assert!(
                content_type.contains("javascript"),
                "{path}: {content_type}"
            );
        }
        assert_security_headers(asset.headers(), path);
    }
    let missing = app.get("/assets/does-not-exist-0123.js").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers()[header::CONTENT_TYPE], "application/json");
    assert_security_headers(missing.headers(), "missing asset");
    app.stop().await;
}

#[tokio::test]
async fn openapi_is_generated_and_lists_health() {
    let env = env().await;
    let app = env.start().await;
    let response = app.get("/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    let health = &doc["paths"]["/api/health"]["get"];
    assert!(health.is_object(), "{doc}");
    assert!(health["responses"]["200"].is_object() && health["responses"]["503"].is_object());
    assert!(doc["components"]["schemas"]["HealthReport"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    let instance = &doc["components"]["schemas"]["InstanceInfo"];
    assert_eq!(
        instance["required"],
        serde_json::json!(["origin", "rp_id", "server_key", "now"]),
        "{doc}"
    );
    assert_eq!(instance["properties"]["server_key"]["type"], "string");
    // Same document as the library generates.
    let generated: Value =
        serde_json::from_str(&coffre_server::http::openapi_json().unwrap()).unwrap();
    assert_eq!(doc, generated);
    app.stop().await;
}
