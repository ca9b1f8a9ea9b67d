//! Stable fuzz harness: the cargo-fuzz targets' entry points fed with mutated vectors.
//!
//! `cargo run --release -p coffre-crypto --features fuzzing --example fuzz -- <target|all> <seconds> [seed]`
//!
//! Seeds come from `crypto/vectors/*.json` (envelopes, bodies, payloads, age files). A simple
//! byte-mutation loop (flip, set, insert, delete, duplicate, splice, truncate) with a seeded
//! RNG runs for the given time; a panic stops the run, saves the input as
//! `crypto/fuzz/crash-<target>-<n>.bin` and exits 1.
//!
//! `cargo run -p coffre-crypto --features fuzzing --example fuzz -- corpus` writes the same
//! seeds as cargo-fuzz corpora, `crypto/fuzz/corpus/<target>/seed-<n>` (git-ignored).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use coffre_crypto::fuzz_targets::{TARGETS, run};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

fn collect(v: &Value, out: &mut Vec<Vec<u8>>) {
    match v {
        Value::String(s) => {
            out.push(s.as_bytes().to_vec());
            if let Ok(b) = coffre_crypto::encoding::unb64(s)
                && b.len() > 8
            {
                out.push(b);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect(x, out)),
        _ => {}
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut out = vec![];
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        if let Ok(v) = serde_json::from_slice::<Value>(&std::fs::read(e.path()).unwrap()) {
            collect(&v, &mut out);
            // Journal and chain pools, joined by newlines, seed the chain targets.
            if let Some(pool) = v["pool"].as_object() {
                let joined: Vec<u8> = pool
                    .values()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into_bytes();
                out.push(joined);
            }
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn mutate(rng: &mut StdRng, input: &mut Vec<u8>, pool: &[Vec<u8>]) {
    for _ in 0..rng.gen_range(1..4) {
        let len = input.len();
        match rng.gen_range(0..8) {
            0 if len > 0 => {
                let i = rng.gen_range(0..len);
                input[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if len > 0 => {
                let i = rng.gen_range(0..len);
                input[i] = *[
                    b'"', b'{', b'}', b'[', b']', b',', b':', b'\n', b'0', b'-', b'\\', 0, 0xff,
                ]
                .get(rng.gen_range(0..13))
                .unwrap();
            }
            2 => {
                let i = rng.gen_range(0..=len);
                input.insert(i, rng.r#gen());
            }
            3 if len > 0 => {
                let i = rng.gen_range(0..len);
                let n = rng.gen_range(1..=(len - i).min(64));
                input.drain(i..i + n);
            }
            4 if len > 0 => {
                let i = rng.gen_range(0..len);
                let n = rng.gen_range(1..=(len - i).min(256));
                let chunk = input[i..i + n].to_vec();
                let j = rng.gen_range(0..=input.len());
                input.splice(j..j, chunk);
            }
            5 => {
                let other = &pool[rng.gen_range(0..pool.len())];
                if !other.is_empty() {
                    let a = rng.gen_range(0..other.len());
                    let b = rng.gen_range(a..=other.len());
                    let j = rng.gen_range(0..=input.len());
                    input.splice(j..j, other[a..b].iter().copied());
                }
            }
            6 if len > 0 => input.truncate(rng.gen_range(0..len)),
            _ => {
                let i = rng.gen_range(0..=len);
                input.insert(i, b'\n');
            }
        }
    }
}

fn fuzz(target: &str, secs: u64, seed: u64, pool: &[Vec<u8>]) -> (u64, bool) {
    let mut rng = StdRng::seed_from_u64(seed);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut n = 0u64;
    while Instant::now() < deadline {
        let mut input = pool[rng.gen_range(0..pool.len())].clone();
        mutate(&mut rng, &mut input, pool);
        let r = std::panic::catch_unwind(|| run(target, &input));
        if r.is_err() {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("fuzz/crash-{target}-{n}.bin"));
            std::fs::write(&path, &input).unwrap();
            eprintln!(
                "PANIC in {target} after {n} inputs; input saved to {}",
                path.display()
            );
            return (n, false);
        }
        n += 1;
    }
    (n, true)
}

/// Write the seeds as one cargo-fuzz corpus per target.
fn write_corpora(pool: &[Vec<u8>]) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for t in TARGETS {
        let dir = root.join(t);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, s) in pool.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i}")), s).unwrap();
        }
        println!("{}: {} seeds", dir.display(), pool.len());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("corpus") {
        write_corpora(&seeds());
        return;
    }
    let target = args.get(1).map(String::as_str).unwrap_or("all");
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let pool = seeds();
    let targets: Vec<&str> = if target == "all" {
        TARGETS.to_vec()
    } else {
        vec![target]
    };
    let mut ok = true;
    for t in targets {
        if !TARGETS.contains(&t) {
            eprintln!("unknown target {t}; targets: {TARGETS:?}");
            std::process::exit(2);
        }
        let (n, fine) = fuzz(t, secs, seed, &pool);
        println!(
            "| {t} | {secs} s | {n} inputs | {} |",
            if fine { "no panic" } else { "PANIC" }
        );
        ok &= fine;
    }
    if !ok {
        std::process::exit(1);
    }
}
