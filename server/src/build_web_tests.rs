//! Tests of the web-client build step (`build_support/web.rs`, run by `build.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use axum::http::StatusCode;

use crate::build_web::{
    CLIENT_INPUTS, PLACEHOLDER_HTML, Verdict, WebBuild, WebSource, pdf_frame_sha256,
    placeholder_allowed, prepare_web, rerun_if_changed, verdict,
};

fn client_with_build_script(dir: &Path, script: &str) {
    fs::write(
        dir.join("package.json"),
        format!(r#"{{"name":"fake-client","private":true,"scripts":{{"build":"{script}"}}}}"#),
    )
    .unwrap();
    fs::write(dir.join("package-lock.json"), r#"{"name":"fake-client","lockfileVersion":3,"requires":true,"packages":{"":{"name":"fake-client"}}}"#).unwrap();
    // node_modules newer than the lock file: no `npm ci`.
    fs::create_dir_all(dir.join("node_modules")).unwrap();
}

fn assert_placeholder(source: &WebSource, reason_contains: &str) {
    let WebSource::Placeholder { dir, reason } = source else {
        panic!("expected the placeholder, got {source:?}");
    };
    assert!(reason.contains(reason_contains), "reason: {reason}");
    let html = fs::read_to_string(dir.join("index.html")).unwrap();
    assert_eq!(html, PLACEHOLDER_HTML);
    assert!(html.contains("n'a pas été construit") && html.contains("has not been built"));
    assert!(dir.join("assets/coffre-placeholder-v1.css").is_file());
    assert_eq!(source.dir(), dir.as_path());
}

/// Entries of `client-web/` that `vite build` does not read (all others are in
/// `CLIENT_INPUTS` and watched by the build script).
const NOT_CLIENT_INPUTS: &[&str] = &[
    "node_modules",
    "dist",
    "tests",
    "bench",
    "test-results",
    "README.md",
    "biome.json",
];

/// Every file under `dir`, hidden ones included.
fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

fn real_client_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../client-web")
}

#[test]
fn the_client_sources_and_manifests_trigger_a_rebuild() {
    let client = real_client_dir();
    let watched = rerun_if_changed(&client, None);
    // Every entry of client-web/ is either watched or known not to be read by the build:
    // a new input (a second tsconfig, a `.env`, vite.config.mts…) fails here until listed.
    let mut unclassified = Vec::new();
    for entry in fs::read_dir(&client).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !CLIENT_INPUTS.contains(&name.as_str()) && !NOT_CLIENT_INPUTS.contains(&name.as_str()) {
            unclassified.push(name);
        }
    }
    assert!(
        unclassified.is_empty(),
        "client-web/ entries in neither CLIENT_INPUTS nor NOT_CLIENT_INPUTS \
         (CLIENT_INPUTS: build_support/web.rs; NOT_CLIENT_INPUTS: this file): {unclassified:?}"
    );
    // Every listed input exists (a renamed one would silently stop being watched), and
    // every file the build reads is under a watched path.
    for input in CLIENT_INPUTS {
        assert!(
            watched.contains(&client.join(input)),
            "{input} is listed but missing"
        );
    }
    let mut files = Vec::new();
    for input in CLIENT_INPUTS {
        let path = client.join(input);
        if path.is_dir() {
            files_under(&path, &mut files);
        } else {
            files.push(path);
        }
    }
    for source in ["src/main.tsx", "src/i18n/fr.ftl", "src/ui/app.css"] {
        assert!(files.contains(&client.join(source)), "{source}");
    }
    for file in &files {
        assert!(
            watched.iter().any(|w| file.starts_with(w)),
            "{} is read by the build but not watched",
            file.display()
        );
    }
    assert!(CLIENT_INPUTS.iter().all(|i| !NOT_CLIENT_INPUTS.contains(i)));
}

#[test]
fn a_prebuilt_folder_is_the_only_watched_path() {
    let dist = Path::new("/srv/coffre-dist");
    assert_eq!(
        rerun_if_changed(&real_client_dir(), Some(dist)),
        vec![dist.to_path_buf()]
    );
    // Missing inputs are left out (cargo would rerun on every build for them).
    assert_eq!(
        rerun_if_changed(Path::new("/nonexistent"), None),
        Vec::<PathBuf>::new()
    );
}

#[test]
fn a_release_build_without_the_client_fails_unless_the_placeholder_is_allowed() {
    let placeholder = WebSource::Placeholder {
        dir: PathBuf::from("/out/web-placeholder"),
        reason: "`npm` not found on PATH".into(),
    };
    let Verdict::Fail(message) = verdict(&placeholder, true, false) else {
        panic!("a release build must not embed the placeholder silently");
    };
    for needed in [
        "`npm` not found on PATH",
        "Node.js >= 20.19 and npm",
        "COFFRE_WEB_DIST",
        "COFFRE_WEB_PLACEHOLDER=1",
    ] {
        assert!(message.contains(needed), "{needed} in: {message}");
    }
    // The packager's explicit opt-in, and debug builds: a warning with the same advice.
    for (embeds, allowed) in [(true, true), (false, false), (false, true)] {
        let Verdict::Warn(message) = verdict(&placeholder, embeds, allowed) else {
            panic!("embeds={embeds} allowed={allowed}: expected a warning");
        };
        assert!(
            message.contains("Node.js >= 20.19 and npm") && message.contains("COFFRE_WEB_DIST")
        );
    }
    // A real client is embedded whatever the flags.
    for source in [
        WebSource::Built(PathBuf::from("/out/web")),
        WebSource::Prebuilt(PathBuf::from("/dist")),
    ] {
        assert_eq!(verdict(&source, true, false), Verdict::Embed);
        assert_ne!(source.kind(), "placeholder");
    }
    assert_eq!(placeholder.kind(), "placeholder");
}

#[test]
fn only_an_explicit_yes_allows_the_placeholder() {
    for yes in ["1", "true", "yes", " 1\n"] {
        assert!(placeholder_allowed(Some(yes)), "{yes:?}");
    }
    for no in [
        None,
        Some(""),
        Some("0"),
        Some("false"),
        Some("no"),
        Some("2"),
    ] {
        assert!(!placeholder_allowed(no), "{no:?}");
    }
}

/// The client this crate was built with is the real one: `cargo test` fails on a server
/// that would only show the placeholder page (npm missing, build failed, or
/// `COFFRE_WEB_PLACEHOLDER=1`).
#[tokio::test]
async fn the_server_serves_the_built_client_not_the_placeholder() {
    assert_ne!(
        env!("COFFRE_BUILD_WEB_SOURCE"),
        "placeholder",
        "this server embeds the placeholder page ({}): install Node.js >= 20.19 and npm or \
         set COFFRE_WEB_DIST to a prebuilt client, then rebuild",
        env!("COFFRE_BUILD_WEB_DIR")
    );
    let router = crate::http::web::router();
    let (status, html) = get(&router, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("coffre-placeholder"), "{html}");
    assert!(html.contains(r#"<div id="app">"#), "no app root in: {html}");
    // The entry script it names is served, and is JavaScript.
    let script = html
        .split(r#"<script type="module""#)
        .nth(1)
        .and_then(|tag| tag.split(r#"src=""#).nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no module script in: {html}"));
    assert!(
        script.starts_with("/assets/") && script.ends_with(".js"),
        "{script}"
    );
    let (status, body) = get(&router, script).await;
    assert_eq!(status, StatusCode::OK, "{script}");
    assert!(body.len() > 1000, "{script} is {} bytes", body.len());
}

/// The CSP hash of the PDF frame's script: of the one `assets/pdf-frame-*.js`, nothing
/// when there is none, or two.
#[test]
fn the_pdf_frame_script_hash_is_of_its_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("assets");
    fs::create_dir_all(&assets).unwrap();
    fs::write(assets.join("index-abc.js"), "other").unwrap();
    fs::write(assets.join("pdf-frame-abc.css"), "not a script").unwrap();
    assert_eq!(pdf_frame_sha256(dir.path()), None);
    fs::write(assets.join("pdf-frame-Ab_1.js"), "abc").unwrap();
    // SHA-256("abc"), base64 (FIPS 180-2's first example).
    assert_eq!(
        pdf_frame_sha256(dir.path()).as_deref(),
        Some("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    );
    fs::write(assets.join("pdf-frame-Zz.js"), "abd").unwrap();
    assert_eq!(
        pdf_frame_sha256(dir.path()),
        None,
        "two frame scripts: which?"
    );
    assert_eq!(pdf_frame_sha256(&dir.path().join("none")), None);
}

/// The server this crate built names the frame script of the client it serves.
#[test]
fn the_served_client_s_pdf_frame_script_is_allowed_by_its_hash() {
    let dir = PathBuf::from(env!("COFFRE_BUILD_WEB_DIR"));
    let hash = crate::http::headers::PDF_FRAME_SCRIPT_SHA256;
    assert!(
        !hash.is_empty(),
        "the client in {} has no PDF frame script",
        dir.display()
    );
    assert_eq!(pdf_frame_sha256(&dir).as_deref(), Some(hash));
    let csp = crate::http::headers::content_security_policy(&[]);
    assert!(
        csp.contains(&format!("script-src 'self' 'sha256-{hash}';")),
        "{csp}"
    );
}

async fn get(router: &axum::Router, path: &str) -> (StatusCode, String) {
    use tower::ServiceExt;
    let request = axum::http::Request::get(path)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[test]
fn missing_npm_gives_the_placeholder() {
    let client = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    client_with_build_script(client.path(), "exit 0");
    let source = prepare_web(&WebBuild {
        client_dir: client.path(),
        out_dir: out.path(),
        prebuilt: None,
        npm: "npm-that-does-not-exist",
    });
    assert_placeholder(&source, "`npm-that-does-not-exist` not found on PATH");
}

#[test]
fn a_failing_build_gives_the_placeholder() {
    let client = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    client_with_build_script(client.path(), "echo vite exploded >&2; exit 3");
    let source = prepare_web(&WebBuild {
        client_dir: client.path(),
        out_dir: out.path(),
        prebuilt: None,
        npm: "npm",
    });
    assert_placeholder(&source, "vite exploded");
}

#[test]
fn a_successful_build_is_used() {
    let client = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // Stands in for `vite build --outDir DIR`: npm passes the extra arguments on.
    client_with_build_script(client.path(), "node build.js");
    fs::write(
        client.path().join("build.js"),
        "const fs = require('fs'); const d = process.argv[process.argv.indexOf('--outDir') + 1];\n\
         fs.mkdirSync(d, { recursive: true }); fs.writeFileSync(d + '/index.html', 'built');\n",
    )
    .unwrap();
    let source = prepare_web(&WebBuild {
        client_dir: client.path(),
        out_dir: out.path(),
        prebuilt: None,
        npm: "npm",
    });
    let WebSource::Built(dir) = &source else {
        panic!("expected a build, got {source:?}");
    };
    assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "built");
}

#[test]
fn no_package_json_gives_the_placeholder() {
    let client = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let source = prepare_web(&WebBuild {
        client_dir: client.path(),
        out_dir: out.path(),
        prebuilt: None,
        npm: "npm",
    });
    assert_placeholder(&source, "package.json");
}

#[test]
fn a_prebuilt_folder_is_embedded_as_is() {
    let dist = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    fs::write(dist.path().join("index.html"), "prebuilt").unwrap();
    let source = prepare_web(&WebBuild {
        client_dir: Path::new("/nonexistent"),
        out_dir: out.path(),
        prebuilt: Some(dist.path().to_path_buf()),
        npm: "npm-that-does-not-exist",
    });
    assert_eq!(source, WebSource::Prebuilt(dist.path().to_path_buf()));

    let empty = tempfile::tempdir().unwrap();
    let source = prepare_web(&WebBuild {
        client_dir: Path::new("/nonexistent"),
        out_dir: out.path(),
        prebuilt: Some(empty.path().to_path_buf()),
        npm: "npm",
    });
    assert_placeholder(&source, "COFFRE_WEB_DIST");
}
