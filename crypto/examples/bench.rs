//! Throughput of paper seal/open against the raw `age` crate and a plain ChaCha20-Poly1305
//! pass in 64 KiB chunks, on the same data, in the same process.
//!
//! `cargo run --release -p coffre-crypto --example bench` prints a Markdown table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/fixtures.rs"]
mod fixtures;

use std::io::{Read, Write};
use std::time::Instant;

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use coffre_crypto::paper;
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
    let o = owner();
    let certenv = coffre_crypto::statement::sign(&cert(), &[&o.signing]).unwrap();
    let verified = verified_cert();
    let ctx = ctx();
    let policy = paper::UploaderPolicy::owner(o.public());
    let k = ck();
    let recipient = k.to_public();
    println!(
        "| size | operation | coffre_crypto MB/s | age crate MB/s | coffre/age | ChaCha20-Poly1305 64 KiB chunks MB/s |"
    );
    println!("|---|---|---|---|---|---|");
    let mut sha_rows = Vec::new();
    for (label, size) in [("64 MiB", 64usize << 20), ("5 MB", 5_000_000)] {
        let data: Vec<u8> = (0..size)
            .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1])
            .collect();
        let mb = size as f64 / 1e6;

        let mut sealed = None;
        let t_seal = time(|| {
            sealed = Some(
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
                .unwrap(),
            );
        });
        let sealed = sealed.unwrap();
        let inputs = paper::OpenInputs {
            ctx: &ctx,
            policy: &policy,
            cert: &certenv,
            ck: &k,
            paper: id(0xa1),
            deposit_receipt: None,
        };
        let t_open = time(|| {
            let p = paper::open_paper(&inputs, &sealed.statement, &sealed.content, &sealed.meta)
                .unwrap();
            assert_eq!(p.content.len(), size);
        });

        let mut age_ct = Vec::new();
        let t_age_enc = time(|| {
            let enc =
                age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                    .unwrap();
            let mut out = Vec::with_capacity(size + 1024);
            let mut w = enc.wrap_output(&mut out).unwrap();
            w.write_all(&data).unwrap();
            w.finish().unwrap();
            age_ct = out;
        });
        let t_age_dec = time(|| {
            let d = age::Decryptor::new(&age_ct[..]).unwrap();
            let mut r = d
                .decrypt(std::iter::once(&k as &dyn age::Identity))
                .unwrap();
            let mut out = Vec::with_capacity(size);
            r.read_to_end(&mut out).unwrap();
            assert_eq!(out.len(), size);
        });

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
            ("seal / encrypt", t_seal, t_age_enc, t_cc_enc),
            ("open / decrypt", t_open, t_age_dec, t_cc_dec),
        ] {
            println!(
                "| {label} | {op} | {:.0} | {:.0} | {:.2}× | {:.0} |",
                mb / ours,
                mb / theirs,
                theirs / ours,
                mb / cc
            );
        }
    }
    println!("\n| size | SHA-256 (sha2 crate) MB/s |\n|---|---|");
    for r in &sha_rows {
        println!("{r}");
    }
    println!(
        "\nMedian of {RUNS} runs after one warm-up, one X25519 recipient, same data, same process."
    );
}
