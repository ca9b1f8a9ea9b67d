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

    if let Some(dir) = &prebuilt {
        println!("cargo::rerun-if-changed={}", dir.display());
    } else {
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
    write_asset_list(&out_dir, source.dir());
}

/// What `memory_serve::load_directory` does, minus its `rerun-if-changed` on the asset
/// folder: we write that folder during this very run, so cargo would see it as changed
/// and rerun the build script on every build. Debug builds serve the files from disk
/// (OUT_DIR); release builds embed them, brotli-compressed. `memory_serve::load!()`
/// includes the file written here.
fn write_asset_list(out_dir: &Path, asset_dir: &Path) {
    let embed = !cfg!(debug_assertions);
    let label = asset_dir.to_string_lossy();
    let assets = memory_serve::assets_to_code(&label, asset_dir, out_dir, embed, |_| {});
    let code = format!("&[(\"default\", {assets}),]");
    if let Err(e) = std::fs::write(out_dir.join("memory_serve_assets.rs"), code) {
        println!("cargo::error=cannot write the embedded asset list: {e}");
    }
}
