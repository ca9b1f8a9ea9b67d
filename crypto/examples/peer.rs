//! Live peer for cross-implementation tests (protocol section 12).
//!
//! `cargo run -q -p coffre-crypto --example peer` reads **one** JSON request on stdin and writes
//! one JSON response on stdout, then exits 0. On failure the response is
//! `{"error":"<code>"}` where `<code>` is `Error::code()` (e.g. `"recipient_mismatch"`), or
//! `"bad_request"` when the request itself is malformed. All binary values are b64
//! (base64url, no padding); envelopes and bodies are JSON objects.
//!
//! ```text
//! {"op":"encrypt","recipients":["age1…"],"plaintext":b64}            -> {"ciphertext":b64}
//! {"op":"decrypt","identity":"AGE-SECRET-KEY-1…","ciphertext":b64}   -> {"plaintext":b64}
//! {"op":"sign","seed":b64 owner seed,"body":{…}}                       -> {"envelope":{…}}
//! {"op":"verify","kind":"upload","key":b64,"envelope":{…}}             -> {"body":{…}}
//! {"op":"wrap_seed_passphrase","passphrase":"…","payload":{…}}         -> {"ciphertext":b64}
//! {"op":"unwrap_seed_passphrase","passphrase":"…","ciphertext":b64}    -> {"payload":{…}}
//!
//! {"op":"seal_paper","seed":b64 owner seed,"instance":"https://…","coffre":uuid,"epoch":n,
//!  "cert":{envelope of the category_cert, owner-signed},"paper":uuid,"created":n,
//!  "content":b64,"meta":{"doc_type":…,"expires"?:…,"filename":…,"issued"?:…,"mime":…,
//!  "pages":n,"title":…}}
//!   -> {"content_ciphertext":b64,"meta_ciphertext":b64,"statement":{envelope}}
//!   (the owner seals; content and metadata go to the certificate's recipient)
//!
//! {"op":"open_paper","owner_key":b64,"instance":…,"coffre":uuid,"epoch":n,"cert":{envelope},
//!  "ck_identity":"AGE-SECRET-KEY-1…","paper":uuid,"statement":{envelope},
//!  "content_ciphertext":b64,"meta_ciphertext":b64}
//!   -> {"content":b64,"meta":{paper_meta payload}}
//!   (owner-only uploader policy; every check of protocol section 6 runs)
//!
//! {"op":"parse","kind":<statement kind | payload kind | "envelope">,"bytes":b64}
//!   -> {"ok":true,"value":{…}}   (the strict parser of that kind on raw bytes)
//! {"op":"verify_envelope","kind":…,"key":b64,"bytes":b64 envelope bytes} -> {"body":{…}}
//! {"op":"verify_org_chain","root":b64,"chain":[b64 envelope bytes, …],"checkpoint"?:{"seq":n,"hash":b64}}
//!   -> {"members":[member, …],"checkpoint":{"seq":n,"hash":b64},"last_removal"?:n}
//! {"op":"batch","requests":[request, …]} -> {"responses":[response, …]} (no nested batch)
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use coffre_crypto::encoding::Hash32;
use coffre_crypto::encoding::{AgeRecipient, Id, Kinded, PublicKey, b64, to_canonical, unb64};
use coffre_crypto::journal::Checkpoint;
use coffre_crypto::keys::OwnerSeed;
use coffre_crypto::kinds::*;
use coffre_crypto::statement::{Envelope, sign};
use coffre_crypto::{Context, Error, age_io, organisation, paper, unlock};
use serde_json::{Value, json};

enum Fail {
    Bad,
    E(Error),
}
impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::E(e)
    }
}
type R<T> = Result<T, Fail>;

fn s<'a>(v: &'a Value, k: &str) -> R<&'a str> {
    v.get(k).and_then(Value::as_str).ok_or(Fail::Bad)
}
fn bytes(v: &Value, k: &str) -> R<Vec<u8>> {
    Ok(unb64(s(v, k)?)?)
}
fn envelope(v: &Value, k: &str) -> R<Envelope> {
    let obj = v.get(k).ok_or(Fail::Bad)?;
    // serde_json's map is sorted, and compact: the canonical encoding of a canonical envelope.
    Ok(Envelope::parse(
        &serde_json::to_vec(obj).map_err(|_| Fail::Bad)?,
    )?)
}
fn typed<T: Kinded>(v: &Value) -> R<T> {
    let bytes = serde_json::to_vec(v).map_err(|_| Fail::Bad)?;
    Ok(coffre_crypto::encoding::parse_canonical::<T>(
        &bytes,
        coffre_crypto::encoding::ENVELOPE_CAP,
    )?)
}
fn to_value<T: serde::Serialize>(t: &T) -> Value {
    serde_json::from_slice(&to_canonical(t).unwrap()).unwrap()
}
fn owner_keys(req: &Value) -> R<coffre_crypto::keys::OwnerKeys> {
    let seed: [u8; 32] = bytes(req, "seed")?.try_into().map_err(|_| Fail::Bad)?;
    Ok(OwnerSeed(zeroize::Zeroizing::new(seed)).keys()?)
}

macro_rules! by_kind {
    ($kind:expr, $f:ident, $($args:expr),*) => {
        match $kind {
            "epoch_succession" => $f::<EpochSuccession>($($args),*),
            "category_cert" => $f::<CategoryCert>($($args),*),
            "category_label" => $f::<CategoryLabel>($($args),*),
            "upload" => $f::<Upload>($($args),*),
            "deletion" => $f::<Deletion>($($args),*),
            "mandate" => $f::<Mandate>($($args),*),
            "mandate_note" => $f::<MandateNote>($($args),*),
            "revocation" => $f::<Revocation>($($args),*),
            "renunciation" => $f::<Renunciation>($($args),*),
            "access_receipt" => $f::<AccessReceipt>($($args),*),
            "owner_pin" => $f::<OwnerPin>($($args),*),
            "org_chain" => $f::<OrgChain>($($args),*),
            "org_key" => $f::<OrgKey>($($args),*),
            "journal_entry" => $f::<JournalEntry>($($args),*),
            "inclusion_receipt" => $f::<InclusionReceipt>($($args),*),
            "journal_checkpoint" => $f::<JournalCheckpoint>($($args),*),
            "deposit_receipt" => $f::<DepositReceipt>($($args),*),
            "paper_index" => $f::<PaperIndex>($($args),*),
            _ => Err(Fail::E(Error::WrongKind { expected: "a statement kind" })),
        }
    };
}

fn sign_as<T: Kinded>(body: &Value, key: &ed25519_dalek::SigningKey) -> R<Value> {
    let b: T = typed(body)?;
    Ok(to_value(&sign(&b, &[key])?))
}
fn verify_as<T: Kinded>(env: &Envelope, key: &PublicKey) -> R<Value> {
    Ok(to_value(env.verify_by::<T>(key)?.body()))
}
fn parse_as<T: Kinded>(bytes: &[u8], cap: usize) -> R<Value> {
    let value: T = coffre_crypto::encoding::parse_canonical(bytes, cap)?;
    Ok(json!({"ok": true, "value": to_value(&value)}))
}

/// The strict parser for `kind` on raw bytes: a statement body (64 KiB cap), an encrypted
/// payload's plaintext (256 KiB cap) or an envelope.
fn parse_kind(kind: &str, bytes: &[u8]) -> R<Value> {
    use coffre_crypto::encoding::{ENVELOPE_CAP, PAYLOAD_CAP};
    match kind {
        "envelope" => {
            let env = Envelope::parse(bytes)?;
            Ok(json!({"ok": true, "value": to_value(&env)}))
        }
        "owner_seed" => parse_as::<OwnerSeedPayload>(bytes, PAYLOAD_CAP),
        "category_key" => parse_as::<CategoryKeyPayload>(bytes, PAYLOAD_CAP),
        "paper_meta" => parse_as::<PaperMeta>(bytes, PAYLOAD_CAP),
        "org_key_wrap" => parse_as::<OrgKeyWrapPayload>(bytes, PAYLOAD_CAP),
        "journal_body" => parse_as::<JournalBodyPayload>(bytes, PAYLOAD_CAP),
        "paper_index_body" => {
            let value = coffre_crypto::index::parse_index_body(bytes)?;
            Ok(json!({"ok": true, "value": to_value(&value)}))
        }
        k => match by_kind!(k, parse_as, bytes, ENVELOPE_CAP) {
            Err(Fail::E(Error::WrongKind {
                expected: "a statement kind",
            })) => Err(Fail::Bad),
            other => other,
        },
    }
}
fn passphrase(req: &Value) -> R<unlock::Passphrase> {
    Ok(unlock::Passphrase::parse(s(req, "passphrase")?)?)
}

fn context(req: &Value) -> R<Context> {
    Ok(Context {
        instance: s(req, "instance")?.to_owned(),
        coffre: Id::parse(s(req, "coffre")?)?,
        epoch: req.get("epoch").and_then(Value::as_u64).ok_or(Fail::Bad)?,
    })
}

fn handle(req: &Value) -> R<Value> {
    match s(req, "op")? {
        "encrypt" => {
            let recipients = req["recipients"]
                .as_array()
                .ok_or(Fail::Bad)?
                .iter()
                .map(|r| {
                    r.as_str()
                        .ok_or(Fail::Bad)
                        .and_then(|r| Ok(AgeRecipient::parse(r)?))
                })
                .collect::<R<Vec<_>>>()?;
            Ok(
                json!({"ciphertext": b64(&age_io::encrypt(&recipients, &bytes(req, "plaintext")?)?)}),
            )
        }
        "decrypt" => {
            let id = age_io::parse_identity(s(req, "identity")?)?;
            Ok(json!({"plaintext": b64(&age_io::decrypt(&id, &bytes(req, "ciphertext")?)?)}))
        }
        "sign" => {
            let keys = owner_keys(req)?;
            let body = req.get("body").ok_or(Fail::Bad)?;
            let kind = body.get("kind").and_then(Value::as_str).ok_or(Fail::Bad)?;
            Ok(json!({"envelope": by_kind!(kind, sign_as, body, &keys.signing)?}))
        }
        "verify" => {
            let key = PublicKey::from_b64(s(req, "key")?)?;
            let env = envelope(req, "envelope")?;
            Ok(json!({"body": by_kind!(s(req, "kind")?, verify_as, &env, &key)?}))
        }
        "wrap_seed_passphrase" => {
            let payload: OwnerSeedPayload = typed(req.get("payload").ok_or(Fail::Bad)?)?;
            Ok(
                json!({"ciphertext": b64(&unlock::wrap_seed_passphrase(&passphrase(req)?, &payload)?)}),
            )
        }
        "unwrap_seed_passphrase" => {
            let p = unlock::unwrap_seed_passphrase(&passphrase(req)?, &bytes(req, "ciphertext")?)?;
            Ok(json!({"payload": to_value(&p)}))
        }
        "seal_paper" => {
            let keys = owner_keys(req)?;
            let ctx = context(req)?;
            let created = req
                .get("created")
                .and_then(Value::as_u64)
                .ok_or(Fail::Bad)?;
            let cert = coffre_crypto::category::verify_cert(
                &envelope(req, "cert")?,
                &keys.public(),
                &ctx,
                created,
            )?;
            let m = req.get("meta").ok_or(Fail::Bad)?;
            let opt = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
            let meta = paper::MetaFields {
                doc_type: s(m, "doc_type")?.to_owned(),
                expires: opt("expires"),
                filename: s(m, "filename")?.to_owned(),
                issued: opt("issued"),
                mime: s(m, "mime")?.to_owned(),
                pages: m.get("pages").and_then(Value::as_u64).ok_or(Fail::Bad)?,
                replaces: opt("replaces").map(|r| Id::parse(&r)).transpose()?,
                title: s(m, "title")?.to_owned(),
            };
            let sealed = paper::seal_paper(
                &ctx,
                &keys.signing,
                None,
                &cert,
                Id::parse(s(req, "paper")?)?,
                &bytes(req, "content")?,
                &meta,
                created,
            )?;
            Ok(json!({
                "content_ciphertext": b64(&sealed.content),
                "meta_ciphertext": b64(&sealed.meta),
                "statement": to_value(&sealed.statement),
            }))
        }
        "open_paper" => {
            let ctx = context(req)?;
            let policy = paper::UploaderPolicy::owner(PublicKey::from_b64(s(req, "owner_key")?)?);
            let cert = envelope(req, "cert")?;
            let ck = age_io::parse_identity(s(req, "ck_identity")?)?;
            let inputs = paper::OpenInputs {
                ctx: &ctx,
                policy: &policy,
                cert: &cert,
                ck: &ck,
                paper: Id::parse(s(req, "paper")?)?,
                deposit_receipt: None,
            };
            let opened = paper::open_paper(
                &inputs,
                &envelope(req, "statement")?,
                &bytes(req, "content_ciphertext")?,
                &bytes(req, "meta_ciphertext")?,
            )?;
            Ok(json!({"content": b64(&opened.content), "meta": to_value(&opened.meta)}))
        }
        "parse" => parse_kind(s(req, "kind")?, &bytes(req, "bytes")?),
        "verify_envelope" => {
            let key = PublicKey::from_b64(s(req, "key")?)?;
            let env = Envelope::parse(&bytes(req, "bytes")?)?;
            Ok(json!({"body": by_kind!(s(req, "kind")?, verify_as, &env, &key)?}))
        }
        "verify_org_chain" => verify_org_chain(req),
        _ => Err(Fail::Bad),
    }
}

/// Verify an organisation chain (multi-signature statements) against a root and checkpoint.
fn verify_org_chain(req: &Value) -> R<Value> {
    let root = PublicKey::from_b64(s(req, "root")?)?;
    let chain = req["chain"]
        .as_array()
        .ok_or(Fail::Bad)?
        .iter()
        .map(|e| Ok(Envelope::parse(&unb64(e.as_str().ok_or(Fail::Bad)?)?)?))
        .collect::<R<Vec<Envelope>>>()?;
    let checkpoint = match req.get("checkpoint") {
        None => None,
        Some(cp) => Some(Checkpoint {
            seq: cp.get("seq").and_then(Value::as_u64).ok_or(Fail::Bad)?,
            hash: Hash32::from_b64(s(cp, "hash")?)?,
        }),
    };
    let st = organisation::verify_org_chain(&chain, &root, checkpoint)?;
    let mut out = json!({
        "members": to_value(&st.members),
        "checkpoint": {"seq": st.checkpoint.seq, "hash": st.checkpoint.hash.to_b64()},
    });
    if let Some(r) = st.last_removal {
        out["last_removal"] = json!(r);
    }
    Ok(out)
}

fn respond(out: R<Value>) -> Value {
    match out {
        Ok(v) => v,
        Err(Fail::Bad) => json!({"error": "bad_request"}),
        Err(Fail::E(e)) => json!({"error": e.code()}),
    }
}

/// One request, or a batch of them (each answered as if alone).
fn handle_top(req: &Value) -> Value {
    if req.get("op").and_then(Value::as_str) != Some("batch") {
        return respond(handle(req));
    }
    let Some(requests) = req.get("requests").and_then(Value::as_array) else {
        return respond(Err(Fail::Bad));
    };
    let responses: Vec<Value> = requests
        .iter()
        .map(|r| {
            if r.get("op").and_then(Value::as_str) == Some("batch") {
                respond(Err(Fail::Bad))
            } else {
                respond(handle(r))
            }
        })
        .collect();
    json!({ "responses": responses })
}

fn main() {
    let mut input = Vec::new();
    let resp = match std::io::stdin().read_to_end(&mut input) {
        Ok(_) => match serde_json::from_slice::<Value>(&input) {
            Ok(req) => handle_top(&req),
            Err(_) => respond(Err(Fail::Bad)),
        },
        Err(_) => respond(Err(Fail::Bad)),
    };
    println!("{resp}");
}
