//! The cross-implementation vector generator (shared by `examples/gen-vectors.rs` and the
//! test that checks the committed files). Deterministic: fixed seeds, fixed times. age files
//! are random, so a ciphertext already committed is reused when it still decrypts to the
//! expected plaintext; the check mode never encrypts anew.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines
)]

use std::collections::BTreeMap;
use std::path::Path;

use coffre_crypto::age_io::{self, identity_string_from_bytes, recipient_of};
use coffre_crypto::encoding::{Hash32, Kinded, b64, unb64};
use coffre_crypto::keys::{Fingerprint, OwnerSeed, public_key, wordlist};
use coffre_crypto::kinds::*;
use coffre_crypto::statement::{Envelope, sign};
use coffre_crypto::{Error, category, journal, mandate, organisation, paper, unlock};
use serde_json::{Value, json};

use super::fixtures::*;

// One module per vector file.
mod ed25519_json;
mod encoding_json;
mod epoch_json;
mod index_json;
mod journal_json;
mod keys_json;
mod mandate_json;
mod note_json;
mod organisation_json;
mod paper_json;
mod statements_json;
mod time_json;
mod wraps_json;

/// Committed ciphertexts, by label `file/case/field`.
pub struct CtStore {
    committed: BTreeMap<String, Vec<u8>>,
    /// May new ciphertexts be made (generator) or not (check test)?
    pub fresh_allowed: bool,
}

impl CtStore {
    pub fn load(dir: &Path, fresh_allowed: bool) -> Self {
        let mut committed = BTreeMap::new();
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().and_then(|x| x.to_str()) != Some("json") {
                    continue;
                }
                let file = p.file_stem().unwrap().to_string_lossy().to_string();
                let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
                for c in v["cases"].as_array().into_iter().flatten() {
                    let name = c["name"].as_str().unwrap_or_default();
                    for (k, val) in c.as_object().into_iter().flatten() {
                        if k.ends_with("ciphertext")
                            && let Some(s) = val.as_str()
                        {
                            committed.insert(format!("{file}/{name}/{k}"), unb64(s).unwrap());
                        }
                    }
                }
            }
        }
        CtStore {
            committed,
            fresh_allowed,
        }
    }

    /// A ciphertext for `label`: the committed one if `decrypt` turns it into `plaintext`,
    /// else (generator only) a fresh one from `make`.
    pub fn get(
        &mut self,
        label: &str,
        plaintext: &[u8],
        decrypt: &dyn Fn(&[u8]) -> Option<Vec<u8>>,
        make: &dyn Fn() -> Vec<u8>,
    ) -> Vec<u8> {
        if let Some(ct) = self.committed.get(label) {
            if decrypt(ct).as_deref() == Some(plaintext) {
                return ct.clone();
            }
            assert!(
                self.fresh_allowed,
                "committed ciphertext {label} no longer decrypts to its plaintext"
            );
        }
        assert!(
            self.fresh_allowed,
            "no committed ciphertext for {label}: run the generator"
        );
        let ct = make();
        assert_eq!(
            decrypt(&ct).as_deref(),
            Some(plaintext),
            "fresh ciphertext {label} does not round-trip"
        );
        ct
    }

    fn x25519(
        &mut self,
        label: &str,
        identities: &[age::x25519::Identity],
        plaintext: &[u8],
    ) -> Vec<u8> {
        let recipients: Vec<_> = identities.iter().map(recipient_of).collect();
        let check = identities.to_vec();
        self.get(
            label,
            plaintext,
            &|ct| {
                let outs: Vec<_> = check
                    .iter()
                    .map(|i| age_io::decrypt(i, ct).ok().map(|p| p.to_vec()))
                    .collect();
                if outs.windows(2).all(|w| w[0] == w[1]) {
                    outs[0].clone()
                } else {
                    None
                }
            },
            &|| age_io::encrypt(&recipients, plaintext).unwrap(),
        )
    }
}

fn code<T>(r: Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => e.code().into(),
    }
}

fn expect<T>(r: Result<T, Error>, want: &str, what: &str) -> String {
    let got = code(r);
    assert_eq!(
        got, want,
        "vector case {what}: implementation gives {got}, the case says {want}"
    );
    got
}

fn env_str(e: &Envelope) -> String {
    String::from_utf8(e.to_bytes().unwrap()).unwrap()
}

fn signed(body: &impl Kinded, keys: &[&ed25519_dalek::SigningKey]) -> Envelope {
    sign(body, keys).unwrap()
}

fn secret_b64(k: &ed25519_dalek::SigningKey) -> String {
    b64(&k.to_bytes())
}

/// The revocation body of the encoding and statement vectors.
fn revocation_body() -> Revocation {
    Revocation {
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: id(0x9c),
        v: Default::default(),
    }
}

/// All vector files, by file name.
pub fn generate(store: &mut CtStore) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    out.insert("keys".into(), keys_json::keys_file());
    out.insert("encoding".into(), encoding_json::encoding_file());
    out.insert("statements".into(), statements_json::statements_file());
    out.insert("wraps".into(), wraps_json::wraps_file(store));
    out.insert("paper".into(), paper_json::paper_file(store));
    out.insert("index".into(), index_json::index_file_json(store));
    out.insert("journal".into(), journal_json::journal_file());
    out.insert(
        "organisation".into(),
        organisation_json::organisation_file(store),
    );
    out.insert("mandate".into(), mandate_json::mandate_file());
    out.insert("note".into(), note_json::note_file(store));
    out.insert("epoch".into(), epoch_json::epoch_file());
    out.insert("ed25519".into(), ed25519_json::ed25519_file());
    out.insert("time".into(), time_json::time_file(store));
    out
}

/// Pretty JSON as written to disk (two-space indent, trailing newline).
pub fn render(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap();
    s.push('\n');
    s
}
