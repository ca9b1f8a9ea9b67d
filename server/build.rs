//! Builds `client-web/` with npm and embeds it (memory-serve). See
//! `docs/design/server-foundation.md`, "Web client".

#[path = "build_support/web.rs"]
mod web;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build_support/web.rs");
    println!("cargo::rerun-if-env-changed=COFFRE_WEB_DIST");

    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let client_dir = manifest_dir.join("../client-web");
    let prebuilt = std::env::var_os("COFFRE_WEB_DIST")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);

    if prebuilt.is_none() {
        for input in web::CLIENT_INPUTS {
            // Only existing paths: cargo reruns every time for a missing one.
            let path: &Path = &client_dir.join(input);
            if path.exists() {
                println!("cargo::rerun-if-changed={}", path.display());
            }
        }
    }

    let source = web::prepare_web(&web::WebBuild {
        client_dir: &client_dir,
        out_dir: &out_dir,
        prebuilt,
        npm: "npm",
    });
    if let web::WebSource::Placeholder { reason, .. } = &source {
        println!(
            "cargo::warning=le client web n'a pas été construit / the web client was not built: {reason}. \
             Serving a placeholder page."
        );
    }
    // memory-serve's per-file notes are silenced by MEMORY_SERVE_QUIET (.cargo/config.toml).
    // Debug builds serve the files from disk (OUT_DIR); release builds embed them,
    // brotli-compressed.
    memory_serve::load_directory(source.dir());
}
