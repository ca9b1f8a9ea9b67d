//! Write the cross-implementation vectors to `crypto/vectors/*.json`.
//!
//! `cargo run -p coffre-crypto --example gen-vectors` — deterministic except age ciphertexts,
//! which are reused from the committed files when they still decrypt to the same plaintext.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/fixtures.rs"]
mod fixtures;
#[path = "../tests/support/forge.rs"]
mod forge;
#[path = "../tests/support/vectorgen/mod.rs"]
mod vectorgen;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = vectorgen::CtStore::load(&dir, true);
    for (name, value) in vectorgen::generate(&mut store) {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, vectorgen::render(&value)).unwrap();
        println!("wrote {}", path.display());
    }
}
