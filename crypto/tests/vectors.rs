//! The committed cross-implementation vectors (`crypto/vectors/*.json`) are exactly what this
//! implementation produces: any change of encoding fails here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::vectorgen;

#[test]
fn committed_vectors_are_reproduced_exactly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut store = vectorgen::CtStore::load(&dir, false);
    let files = vectorgen::generate(&mut store);
    assert!(files.len() >= 9);
    for (name, value) in files {
        let path = dir.join(format!("{name}.json"));
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "{} missing: run `cargo run -p coffre-crypto --example gen-vectors`",
                path.display()
            )
        });
        assert!(
            committed == vectorgen::render(&value),
            "{} differs from what the implementation produces (an encoding changed?)",
            path.display()
        );
    }
}

#[test]
fn every_vector_file_has_descriptions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
        assert!(v["description"].is_string(), "{:?}", e.path());
        for c in v["cases"].as_array().unwrap() {
            assert!(
                c["description"].is_string(),
                "{:?}: {}",
                e.path(),
                c["name"]
            );
        }
    }
}
