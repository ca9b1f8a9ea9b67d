//! Entry points shared by the cargo-fuzz targets (`crypto/fuzz/`) and the stable harness
//! (`examples/fuzz.rs`). Each takes untrusted bytes and must never panic.

use crate::Context;
use crate::age_io;
use crate::encoding::{ENVELOPE_CAP, Id, Kinded, PAYLOAD_CAP, PublicKey, parse_canonical};
use crate::journal::{Checkpoint, verify_journal};
use crate::kinds::*;
use crate::statement::Envelope;

/// Names of the targets.
pub const TARGETS: &[&str] = &[
    "envelope",
    "kinds",
    "signed_bodies",
    "journal",
    "org_chain",
    "payload",
    "age_header",
];

/// Run target `name` on `data`; returns false for an unknown name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "envelope" => envelope(data),
        "kinds" => kinds(data),
        "signed_bodies" => signed_bodies(data),
        "journal" => journal(data),
        "org_chain" => org_chain(data),
        "payload" => payload(data),
        "age_header" => age_header(data),
        _ => return false,
    }
    true
}

fn ctx() -> Context {
    Context {
        instance: "https://coffre.example".into(),
        coffre: Id::from_random_bytes([0x11; 16]),
        epoch: 0,
    }
}

/// Envelope parsing, hashing and signature checking.
pub fn envelope(data: &[u8]) {
    if let Ok(env) = Envelope::parse(data) {
        let _ = env.hash();
        let _ = env.check_signatures();
        let _ = env.body_bytes();
    }
}

fn verify_kind<T: Kinded>(env: &Envelope) {
    let _ = env.peek::<T>();
    if let Some(s) = env.sigs().first() {
        let _ = env.verify_by::<T>(&s.key);
    }
    let _ = env.verify_all::<T>();
}

/// Every kind's verification, on an envelope and on raw body bytes.
pub fn kinds(data: &[u8]) {
    macro_rules! all {
        ($f:ident, $arg:expr) => {
            $f::<EpochSuccession>($arg);
            $f::<CategoryCert>($arg);
            $f::<CategoryLabel>($arg);
            $f::<Upload>($arg);
            $f::<Deletion>($arg);
            $f::<Mandate>($arg);
            $f::<MandateNote>($arg);
            $f::<Revocation>($arg);
            $f::<Renunciation>($arg);
            $f::<AccessReceipt>($arg);
            $f::<OwnerPin>($arg);
            $f::<OrgChain>($arg);
            $f::<OrgKey>($arg);
            $f::<JournalEntry>($arg);
            $f::<InclusionReceipt>($arg);
            $f::<JournalCheckpoint>($arg);
            $f::<DepositReceipt>($arg);
            $f::<PaperIndex>($arg);
        };
    }
    fn body<T: Kinded>(d: &[u8]) {
        let _ = parse_canonical::<T>(d, ENVELOPE_CAP);
    }
    all!(body, data);
    if let Ok(env) = Envelope::parse(data) {
        all!(verify_kind, &env);
        let c = ctx();
        if let Some(s) = env.sigs().first() {
            let none = crate::mandate::MandateEnds::none();
            let _ = crate::mandate::verify_mandate(&env, &s.key, &c, 0, &none);
            let _ = crate::paper::verify_deletion(&env, &s.key, &c);
            let _ = crate::category::verify_cert(&env, &s.key, &c, 0);
            let _ = crate::mandate::verify_renunciation(&env, &[s.key], &c, c.coffre);
            let _ = crate::deposit::verify_deposit_receipt(&env, &s.key, &c, &env);
            let pinned = crate::mandate::EpochKey {
                epoch: 0,
                key: s.key,
                recipient: None,
            };
            let _ =
                crate::mandate::verify_succession(&pinned, c.coffre, std::slice::from_ref(&env));
        }
    }
}

/// The fuzzing signer: the vectors' owner (seed `0x01`×32), so mutated bodies of the committed
/// vectors still carry a valid signature and reach each kind's own rules.
fn fuzz_signer() -> Option<ed25519_dalek::SigningKey> {
    let seed = crate::keys::OwnerSeed(zeroize::Zeroizing::new([1; 32]));
    seed.keys().ok().map(|k| k.signing)
}

/// Every kind's rules on raw body bytes that carry a valid signature.
pub fn signed_bodies(data: &[u8]) {
    let Some(key) = fuzz_signer() else { return };
    let pk = crate::keys::public_key(&key);
    let env = crate::statement::sign_raw(data, &key);
    let c = ctx();
    let none = crate::mandate::MandateEnds::none();
    let now = 1_767_225_600;
    let _ = crate::paper::verify_deletion(&env, &pk, &c);
    let _ = crate::category::verify_cert(&env, &pk, &c, now);
    let mandate = Id::from_random_bytes([0x91; 16]);
    let _ = crate::mandate::verify_renunciation(&env, &[pk], &c, mandate);
    let _ = crate::deposit::verify_deposit_receipt(&env, &pk, &c, &env);
    if let Ok(m) = crate::mandate::verify_mandate(&env, &pk, &c, now, &none) {
        let _ = crate::mandate::verify_access_receipt(&env, &[pk], &c, &m, &none);
    }
    let _ = crate::mandate::verify_revocation(&env, &pk, &c, Id::from_random_bytes([0x9c; 16]));
    let pinned = crate::mandate::EpochKey {
        epoch: 0,
        key: pk,
        recipient: None,
    };
    let _ = crate::mandate::verify_succession(&pinned, c.coffre, std::slice::from_ref(&env));
    let _ = crate::organisation::verify_org_chain(std::slice::from_ref(&env), &pk, None);
    let _ = crate::organisation::verify_org_key(&env, &pk, Id::from_random_bytes([0x61; 16]));
    let _ =
        crate::journal::verify_inclusion_receipt(&env, &pk, &c, 0, &crate::encoding::Hash32::ZERO);
    let _ = crate::journal::verify_checkpoint(&env, &pk, &c);
    let allow_all = |_: &PublicKey, _: &JournalEntry| true;
    let _ = verify_journal(std::slice::from_ref(&env), None, &c, &allow_all);
}

fn envelopes(data: &[u8]) -> Vec<Envelope> {
    data.split(|b| *b == b'\n')
        .filter_map(|l| Envelope::parse(l).ok())
        .collect()
}

/// Journal verification on newline-separated envelopes, with and without a checkpoint.
pub fn journal(data: &[u8]) {
    let es = envelopes(data);
    let allow_all = |_: &PublicKey, _: &JournalEntry| true;
    let c = ctx();
    let _ = verify_journal(&es, None, &c, &allow_all);
    if let Some(first) = es.first().and_then(|e| e.hash().ok()) {
        let _ = verify_journal(
            &es,
            Some(Checkpoint {
                seq: 0,
                hash: first,
            }),
            &c,
            &allow_all,
        );
        let _ = verify_journal(
            &es[1..],
            Some(Checkpoint {
                seq: 0,
                hash: first,
            }),
            &c,
            &allow_all,
        );
        if let Some(last) = es.last().and_then(|e| e.hash().ok()) {
            let vouched = Checkpoint {
                seq: es.len().saturating_sub(1) as u64,
                hash: last,
            };
            let _ =
                crate::journal::verify_journal_vouched(&es, None, Some(vouched), &c, &allow_all);
        }
    }
}

/// Organisation chain verification on newline-separated envelopes.
pub fn org_chain(data: &[u8]) {
    let es = envelopes(data);
    if let Some(root) = es.first().and_then(|e| e.sigs().first()).map(|s| s.key)
        && let Ok(st) = crate::organisation::verify_org_chain(&es, &root, None)
    {
        let _ = crate::organisation::verify_org_chain(&es, &root, Some(st.checkpoint));
        for e in &es {
            let _ = crate::organisation::verify_owner_pin(e, &st);
        }
        let _ = crate::organisation::newest_org_key(&es, &root, st.organisation, &st, Some(1));
    }
}

/// Payload parsing (plaintext of encrypted JSON payloads) and the label-file envelope.
pub fn payload(data: &[u8]) {
    let _ = parse_canonical::<OwnerSeedPayload>(data, PAYLOAD_CAP);
    let _ = parse_canonical::<CategoryKeyPayload>(data, PAYLOAD_CAP);
    let _ = parse_canonical::<PaperMeta>(data, PAYLOAD_CAP);
    let _ = parse_canonical::<OrgKeyWrapPayload>(data, PAYLOAD_CAP);
    let _ = parse_canonical::<JournalBodyPayload>(data, PAYLOAD_CAP);
    let _ = crate::index::parse_index_body(data);
    let _ = crate::unlock::Passphrase::parse(&String::from_utf8_lossy(data));
    let _ = crate::unlock::scrypt_work_factor(data);
}

/// The age header cap and decryption of untrusted files.
pub fn age_header(data: &[u8]) {
    let _ = age_io::check_header_cap(data);
    if let Ok(id) = age_io::identity_from_bytes(&[0x31; 32]) {
        let _ = age_io::decrypt(&id, data);
        let _ = age_io::decrypt_payload::<CategoryKeyPayload>(&id, data);
    }
}
