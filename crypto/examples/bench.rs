//! Benchmarks of `coffre-crypto` against the bare libraries, on the same data, in the same
//! process; each section prints Markdown tables.
//!
//! - `papers`: throughput of paper seal/open against the raw `age` crate (interleaved
//!   passes; open timed to the return and with the drop of its result) and a plain
//!   ChaCha20-Poly1305 pass in 64 KiB chunks;
//! - `signatures`: Ed25519 verification within the acceptance set (`ed25519::verify`) and a
//!   whole upload statement verification, against `ed25519-dalek`'s `verify_strict` alone.
//!
//! `cargo run --release -p coffre-crypto --example bench -- [papers|signatures]` runs the named
//! section, or both without an argument (each takes seconds to tens of seconds).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/fixtures.rs"]
mod fixtures;

use std::io::{Read, Write};
use std::time::Instant;

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use coffre_crypto::encoding::Hash32;
use coffre_crypto::kinds::Upload;
use coffre_crypto::paper;
use coffre_crypto::statement::{Envelope, SIGNED_PREFIX};
use fixtures::*;

const RUNS: usize = 7;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time<F: FnMut()>(mut f: F) -> f64 {
    let mut v = Vec::with_capacity(RUNS);
    f(); // warm-up
    for _ in 0..RUNS {
        let t = Instant::now();
        f();
        v.push(t.elapsed().as_secs_f64());
    }
    median(v)
}

fn chacha_chunks(key: &ChaCha20Poly1305, data: &mut [u8], tags: &mut Vec<chacha20poly1305::Tag>) {
    tags.clear();
    for (i, chunk) in data.chunks_mut(64 * 1024).enumerate() {
        let mut n = [0u8; 12];
        n[..8].copy_from_slice(&(i as u64).to_be_bytes());
        tags.push(
            key.encrypt_in_place_detached(Nonce::from_slice(&n), b"", chunk)
                .unwrap(),
        );
    }
}

fn chacha_open(key: &ChaCha20Poly1305, data: &mut [u8], tags: &[chacha20poly1305::Tag]) {
    for (i, chunk) in data.chunks_mut(64 * 1024).enumerate() {
        let mut n = [0u8; 12];
        n[..8].copy_from_slice(&(i as u64).to_be_bytes());
        key.decrypt_in_place_detached(Nonce::from_slice(&n), b"", chunk, &tags[i])
            .unwrap();
    }
}

fn main() {
    let section = std::env::args().nth(1);
    match section.as_deref() {
        None | Some("all") => {
            papers();
            println!();
            signatures();
        }
        Some("papers") => papers(),
        Some("signatures") => signatures(),
        Some(other) => {
            eprintln!("unknown section {other:?}; usage: bench [papers|signatures]");
            std::process::exit(2);
        }
    }
}

/// Distinct messages, one key: the signature section's workload.
const SIG_MESSAGES: usize = 2_000;
/// Passes over the messages for each variant (interleaved); the median is kept.
const SIG_RUNS: usize = 11;

/// An upload statement as `seal_paper` signs it: the owner uploads paper number `i`.
fn upload_statement(i: usize, o: &coffre_crypto::keys::OwnerKeys) -> Upload {
    let mut paper = [0xa1u8; 16];
    paper[..4].copy_from_slice(&(i as u32).to_be_bytes());
    Upload {
        category: category(),
        coffre: coffre(),
        content_sha256: Hash32::of(format!("content {i}").as_bytes()),
        content_size: 300_000 + i as u64,
        created: NOW + i as u64,
        epoch: 0,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: None,
        meta_sha256: Hash32::of(format!("meta {i}").as_bytes()),
        paper: coffre_crypto::encoding::Id::from_random_bytes(paper),
        uploader: o.public(),
        v: Default::default(),
    }
}

/// Ed25519 verification: `verify_strict` alone vs the acceptance set vs a whole statement.
fn signatures() {
    let o = owner();
    let key = o.public();
    let wire: Vec<Vec<u8>> = (0..SIG_MESSAGES)
        .map(|i| {
            coffre_crypto::statement::sign(&upload_statement(i, &o), &[&o.signing])
                .unwrap()
                .to_bytes()
                .unwrap()
        })
        .collect();
    // The exact bytes each signature covers, and the signatures, taken from the statements:
    // every variant verifies the same 2,000 signatures.
    let signed: Vec<(Vec<u8>, [u8; 64])> = wire
        .iter()
        .map(|w| {
            let env = Envelope::parse(w).unwrap();
            let mut msg = SIGNED_PREFIX.to_vec();
            msg.extend_from_slice(&env.body_bytes().unwrap());
            (msg, env.sigs()[0].sig.0)
        })
        .collect();
    let vk = ed25519_dalek::VerifyingKey::from_bytes(&key.0).unwrap();
    let sigs: Vec<ed25519_dalek::Signature> = signed
        .iter()
        .map(|(_, s)| ed25519_dalek::Signature::from_bytes(s))
        .collect();

    type Variant<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let variants: Vec<Variant> = vec![
        (
            "(a) `VerifyingKey::verify_strict`, key parsed once",
            Box::new(|| {
                for ((msg, _), sig) in signed.iter().zip(&sigs) {
                    vk.verify_strict(msg, sig).unwrap();
                }
            }),
        ),
        (
            "(a′) `VerifyingKey::from_bytes` + `verify_strict` per message",
            Box::new(|| {
                for (msg, sig) in &signed {
                    let vk = ed25519_dalek::VerifyingKey::from_bytes(&key.0).unwrap();
                    vk.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(sig))
                        .unwrap();
                }
            }),
        ),
        (
            "(b) `coffre_crypto::ed25519::verify` (acceptance set)",
            Box::new(|| {
                for (msg, sig) in &signed {
                    coffre_crypto::ed25519::verify(&key.0, msg, sig).unwrap();
                }
            }),
        ),
        (
            "(c) `Envelope::parse(bytes)?.verify_by::<Upload>(key)`",
            Box::new(|| {
                for w in &wire {
                    std::hint::black_box(
                        Envelope::parse(w)
                            .unwrap()
                            .verify_by::<Upload>(&key)
                            .unwrap(),
                    );
                }
            }),
        ),
        (
            "part of (b): `check_public_key` (key remembered after its first check)",
            Box::new(|| {
                for _ in &signed {
                    coffre_crypto::ed25519::check_public_key(std::hint::black_box(&key.0)).unwrap();
                }
            }),
        ),
        (
            "not in (b): `check_signature` (R canonical, torsion-free; `verify_strict` implies it)",
            Box::new(|| {
                for (_, sig) in &signed {
                    coffre_crypto::ed25519::check_signature(sig).unwrap();
                }
            }),
        ),
    ];

    // Interleaved: each pass times every variant once, so a change of load hits all of them.
    let mut samples = vec![Vec::with_capacity(SIG_RUNS); variants.len()];
    for (_, f) in &variants {
        f(); // warm-up
    }
    for _ in 0..SIG_RUNS {
        for ((_, f), s) in variants.iter().zip(&mut samples) {
            let t = Instant::now();
            f();
            s.push(t.elapsed().as_secs_f64());
        }
    }
    let per = |s: &Vec<f64>| median(s.clone()) / SIG_MESSAGES as f64 * 1e6;
    let reference = per(&samples[0]);
    println!("| Ed25519 verification | µs per verification | min–max µs | / (a) |");
    println!("|---|---:|---:|---:|");
    for ((label, _), s) in variants.iter().zip(&samples) {
        let (lo, hi) = s
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        let k = 1e6 / SIG_MESSAGES as f64;
        println!(
            "| {label} | {:.1} | {:.1}–{:.1} | {:.2}× |",
            per(s),
            lo * k,
            hi * k,
            per(s) / reference
        );
    }
    println!(
        "\n{SIG_MESSAGES} distinct upload statements signed by one key, the same signatures in \
         every row; median of {SIG_RUNS} interleaved passes after one warm-up."
    );
}

/// Times of one pass over every variant (seconds), for the papers section.
#[derive(Default)]
struct PaperSamples {
    seal: Vec<f64>,
    encrypt: Vec<f64>,
    open: Vec<f64>,
    open_drop: Vec<f64>,
    decrypt: Vec<f64>,
    decrypt_drop: Vec<f64>,
}

/// Passes of the papers section; each pass times every variant once (interleaved, so a
/// change of load hits all of them alike).
const PAPER_RUNS: usize = 11;

fn papers() {
    let o = owner();
    let certenv = coffre_crypto::statement::sign(&cert(), &[&o.signing]).unwrap();
    let verified = verified_cert();
    let ctx = ctx();
    let policy = paper::UploaderPolicy::owner(o.public());
    let k = ck();
    let recipient = k.to_public();
    println!(
        "| size | operation | coffre_crypto MB/s | age crate MB/s | coffre/age | min–max coffre/age | ChaCha20-Poly1305 64 KiB chunks MB/s |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    let mut sha_rows = Vec::new();
    for (label, size) in [
        ("64 MiB", 64usize << 20),
        ("5 MB", 5_000_000),
        ("300 kB", 300_000),
    ] {
        let data: Vec<u8> = (0..size)
            .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1])
            .collect();
        let mb = size as f64 / 1e6;
        let seal = || {
            paper::seal_paper(
                &ctx,
                &o.signing,
                None,
                &verified,
                id(0xa1),
                &data,
                &Default::default(),
                NOW,
            )
            .unwrap()
        };
        let sealed = seal();
        let inputs = paper::OpenInputs {
            ctx: &ctx,
            policy: &policy,
            cert: &certenv,
            ck: &k,
            paper: id(0xa1),
            deposit_receipt: None,
        };
        let open = || {
            let p = paper::open_paper(&inputs, &sealed.statement, &sealed.content, &sealed.meta)
                .unwrap();
            assert_eq!(p.content.len(), size);
            p
        };
        let encrypt = || {
            let enc =
                age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                    .unwrap();
            let mut out = Vec::with_capacity(size + 1024);
            let mut w = enc.wrap_output(&mut out).unwrap();
            w.write_all(&data).unwrap();
            w.finish().unwrap();
            out
        };
        let age_ct = encrypt();
        let decrypt = || {
            let d = age::Decryptor::new(&age_ct[..]).unwrap();
            let mut r = d
                .decrypt(std::iter::once(&k as &dyn age::Identity))
                .unwrap();
            let mut out = Vec::with_capacity(size);
            r.read_to_end(&mut out).unwrap();
            assert_eq!(out.len(), size);
            out
        };
        // Warm-up, then interleaved passes. "call" stops the clock when the function
        // returns; "+ drop" also counts dropping the result (Coffre wipes the plaintext).
        drop((seal(), encrypt(), open(), decrypt()));
        let mut t = PaperSamples::default();
        for _ in 0..PAPER_RUNS {
            let t0 = Instant::now();
            let x = seal();
            t.seal.push(t0.elapsed().as_secs_f64());
            drop(x);
            let t0 = Instant::now();
            let x = encrypt();
            t.encrypt.push(t0.elapsed().as_secs_f64());
            drop(x);
            let t0 = Instant::now();
            let x = open();
            t.open.push(t0.elapsed().as_secs_f64());
            drop(x);
            t.open_drop.push(t0.elapsed().as_secs_f64());
            let t0 = Instant::now();
            let x = decrypt();
            t.decrypt.push(t0.elapsed().as_secs_f64());
            drop(x);
            t.decrypt_drop.push(t0.elapsed().as_secs_f64());
        }

        let key = ChaCha20Poly1305::new(Key::from_slice(&[7u8; 32]));
        let mut buf = data.clone();
        let mut tags = Vec::new();
        let t_cc_enc = time(|| {
            buf.copy_from_slice(&data);
            chacha_chunks(&key, &mut buf, &mut tags);
        });
        chacha_chunks(&key, &mut buf, &mut tags);
        let enc_copy = buf.clone();
        let t_cc_dec = time(|| {
            buf.copy_from_slice(&enc_copy);
            chacha_open(&key, &mut buf, &tags);
        });
        let t_sha = time(|| {
            std::hint::black_box(coffre_crypto::encoding::sha256(&data));
        });
        sha_rows.push(format!("| {label} | {:.0} |", mb / t_sha));
        for (op, ours, theirs, cc) in [
            ("seal / encrypt", &t.seal, &t.encrypt, t_cc_enc),
            ("open / decrypt (call)", &t.open, &t.decrypt, t_cc_dec),
            (
                "open / decrypt (+ drop)",
                &t.open_drop,
                &t.decrypt_drop,
                t_cc_dec,
            ),
        ] {
            // Per-pass ratios: each pass ran both sides back to back.
            let ratios: Vec<f64> = theirs.iter().zip(ours).map(|(a, b)| a / b).collect();
            let (lo, hi) = ratios
                .iter()
                .fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
            let (ours, theirs) = (median(ours.clone()), median(theirs.clone()));
            println!(
                "| {label} | {op} | {:.0} | {:.0} | {:.2}× | {lo:.2}–{hi:.2}× | {:.0} |",
                mb / ours,
                mb / theirs,
                theirs / ours,
                mb / cc
            );
        }
    }
    println!("\n| size | SHA-256 (sha2 crate) MB/s |\n|---|---:|");
    for r in &sha_rows {
        println!("{r}");
    }
    println!(
        "\nMedian of {PAPER_RUNS} interleaved passes after one warm-up (the ChaCha20-Poly1305 \
         and SHA-256 rows: median of {RUNS}), one X25519 recipient, same data, same \
         process; `coffre/age` is the ratio of the medians, min–max the range of the per-pass \
         ratios."
    );
}
