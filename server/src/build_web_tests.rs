//! Tests of the web-client build step (`build_support/web.rs`, run by `build.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

use crate::build_web::{CLIENT_INPUTS, PLACEHOLDER_HTML, WebBuild, WebSource, prepare_web};

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

#[test]
fn the_client_sources_and_manifests_trigger_a_rebuild() {
    for input in [
        "src",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "public",
    ] {
        assert!(CLIENT_INPUTS.contains(&input), "{input}");
    }
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
    assert_placeholder(&source, "npm run build");
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
