//! Builds `client-web/` with npm and embeds it (memory-serve). See
//! `docs/design/server-foundation.md`, "Web client", and `docs/design/web-client.md`.
//!
//! Build-time variables (read here only, never by `coffre serve`):
//! `COFFRE_WEB_DIST` = a prebuilt client folder to embed instead of running npm;
//! `COFFRE_WEB_PLACEHOLDER=1` = let a release build embed the "client not built" page
//! when the client cannot be built (without it, that release build fails).

#[path = "build_support/web.rs"]
mod web;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build_support/web.rs");
    println!("cargo::rerun-if-env-changed={}", web::WEB_DIST_VAR);
    println!("cargo::rerun-if-env-changed={}", web::PLACEHOLDER_VAR);

    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let client_dir = manifest_dir.join("../client-web");
    let prebuilt = std::env::var_os(web::WEB_DIST_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let placeholder_allowed =
        web::placeholder_allowed(std::env::var(web::PLACEHOLDER_VAR).ok().as_deref());
    // Release builds embed the assets; debug builds serve them from disk.
    let embed = !cfg!(debug_assertions);

    for path in web::rerun_if_changed(&client_dir, prebuilt.as_deref()) {
        println!("cargo::rerun-if-changed={}", path.display());
    }

    let source = web::prepare_web(&web::WebBuild {
        client_dir: &client_dir,
        out_dir: &out_dir,
        prebuilt,
        npm: "npm",
    });
    match web::verdict(&source, embed, placeholder_allowed) {
        web::Verdict::Embed => {}
        web::Verdict::Warn(message) => {
            println!("cargo::warning={message}");
            // A path that never exists: the next build tries the client again.
            println!(
                "cargo::rerun-if-changed={}",
                out_dir.join("web-placeholder/retry-next-build").display()
            );
        }
        web::Verdict::Fail(message) => {
            println!("cargo::error={message}");
            return;
        }
    }
    // For the crate's tests: what is served, from where.
    println!("cargo::rustc-env=COFFRE_BUILD_WEB_SOURCE={}", source.kind());
    println!(
        "cargo::rustc-env=COFFRE_BUILD_WEB_DIR={}",
        source.dir().display()
    );
    // The PDF frame's script runs inline in the frame's page (docs/design/papers-screens.md,
    // "A PDF"): the page's policy allows it by this hash.
    println!(
        "cargo::rustc-env=COFFRE_BUILD_PDF_FRAME_SHA256={}",
        web::pdf_frame_sha256(source.dir()).unwrap_or_default()
    );
    write_asset_list(&out_dir, source.dir(), embed);
}

/// What `memory_serve::load_directory` does, minus its `rerun-if-changed` on the asset
/// folder: we write that folder during this very run, so cargo would see it as changed
/// and rerun the build script on every build. Debug builds serve the files from disk
/// (OUT_DIR); release builds embed them, brotli-compressed. `memory_serve::load!()`
/// includes the file written here.
fn write_asset_list(out_dir: &Path, asset_dir: &Path, embed: bool) {
    let label = asset_dir.to_string_lossy();
    let assets = memory_serve::assets_to_code(&label, asset_dir, out_dir, embed, |_| {});
    let code = format!("&[(\"default\", {assets}),]");
    if let Err(e) = std::fs::write(out_dir.join("memory_serve_assets.rs"), code) {
        println!("cargo::error=cannot write the embedded asset list: {e}");
    }
}
