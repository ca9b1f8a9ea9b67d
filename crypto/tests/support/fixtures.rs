//! Deterministic fixtures shared by the vector generator, the tests and the fuzz harness.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use coffre_crypto::Context;
use coffre_crypto::age_io::{identity_from_bytes, recipient_of};
use coffre_crypto::encoding::{AgeRecipient, Hash32, Id, PublicKey};
use coffre_crypto::keys::{OwnerKeys, OwnerSeed, public_key, signing_key_from};
use coffre_crypto::kinds::*;
use ed25519_dalek::SigningKey;
use zeroize::Zeroizing;

pub const INSTANCE: &str = "https://coffre.example";
/// 2026-01-01T00:00:00Z
pub const NOW: u64 = 1_767_225_600;
pub const DAY: u64 = 86_400;

pub fn id(b: u8) -> Id {
    Id::from_random_bytes([b; 16])
}
pub fn coffre() -> Id {
    id(0x11)
}
pub fn ctx() -> Context {
    Context {
        instance: INSTANCE.into(),
        coffre: coffre(),
        epoch: 0,
    }
}
pub fn owner_seed(b: u8) -> OwnerSeed {
    OwnerSeed(Zeroizing::new([b; 32]))
}
pub fn owner() -> OwnerKeys {
    owner_seed(0x01).keys().unwrap()
}
pub fn ed(b: u8) -> SigningKey {
    signing_key_from(&[b; 32])
}
pub fn pk(k: &SigningKey) -> PublicKey {
    public_key(k)
}
pub fn x25519(b: u8) -> age::x25519::Identity {
    identity_from_bytes(&[b; 32]).unwrap()
}
pub fn rcpt(b: u8) -> AgeRecipient {
    recipient_of(&x25519(b))
}
pub fn category() -> Id {
    id(0x21)
}
pub fn ck() -> age::x25519::Identity {
    x25519(0x31)
}
/// A person grantee (has its own coffre keys).
pub fn person() -> OwnerKeys {
    owner_seed(0x41).keys().unwrap()
}
pub fn org_root() -> SigningKey {
    ed(0x51)
}
pub fn resp1() -> SigningKey {
    ed(0x52)
}
pub fn resp2() -> SigningKey {
    ed(0x53)
}
pub fn aidant() -> SigningKey {
    ed(0x54)
}
pub fn admin() -> SigningKey {
    ed(0x5f)
}
pub fn server() -> SigningKey {
    ed(0x71)
}
pub fn organisation() -> Id {
    id(0x61)
}

pub fn cert_body(not_before: u64, not_after: u64) -> CategoryCert {
    CategoryCert {
        category: category(),
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        not_after,
        not_before,
        recipient: recipient_of(&ck()),
        v: Default::default(),
    }
}
pub fn cert() -> CategoryCert {
    cert_body(NOW - DAY, NOW + 30 * DAY)
}

pub fn member(k: &SigningKey, r: u8, role: Role) -> Member {
    Member {
        key: pk(k),
        recipient: rcpt(r),
        role,
    }
}

pub fn org_chain(seq: u64, prev: Hash32, action: OrgAction, m: Member) -> OrgChain {
    OrgChain {
        action,
        created: NOW + seq,
        instance: INSTANCE.into(),
        kind: Default::default(),
        member: m,
        organisation: organisation(),
        prev,
        seq,
        v: Default::default(),
    }
}

pub fn journal_entry(
    seq: u64,
    prev: Hash32,
    actor: &SigningKey,
    action: &str,
    time: u64,
) -> JournalEntry {
    JournalEntry {
        action: action.into(),
        actor: pk(actor),
        body_sha256: Hash32::of(format!("body {seq}").as_bytes()),
        coffre: coffre(),
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: None,
        object: Some(id(0x81)),
        prev,
        proof: None,
        seq,
        time,
        v: Default::default(),
    }
}

/// The owner's note on mandate 0x91 naming its grantee `name` (section 8.1).
pub fn mandate_note(name: &str) -> MandateNote {
    MandateNote {
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: id(0x91),
        name: name.into(),
        v: Default::default(),
    }
}

pub fn mandate_person(grantee: &OwnerKeys) -> Mandate {
    Mandate {
        categories: vec![category()],
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        grantee: Grantee {
            id: id(0x42),
            key: grantee.public(),
            recipient: Some(grantee.recipient.clone()),
            grantee_type: GranteeType::Person,
        },
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: id(0x91),
        not_after: NOW + 180 * DAY,
        not_before: NOW,
        rights: Rights::ConsultDeposit,
        text_sha256: Hash32::of(b"Texte du mandat"),
        v: Default::default(),
    }
}

pub fn mandate_org(root: &PublicKey) -> Mandate {
    let mut m = mandate_person(&person());
    m.grantee = Grantee {
        id: organisation(),
        key: *root,
        recipient: None,
        grantee_type: GranteeType::Organisation,
    };
    m.mandate = id(0x92);
    m
}

pub fn receipt(counter: u64, grantee: &SigningKey) -> AccessReceipt {
    AccessReceipt {
        action: "download".into(),
        coffre: coffre(),
        counter,
        created: NOW + counter,
        epoch: 0,
        grantee_key: pk(grantee),
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: id(0x91),
        paper: id(0xa1),
        v: Default::default(),
    }
}

pub fn succession(from: &OwnerKeys, from_epoch: u64, to: &OwnerKeys) -> EpochSuccession {
    EpochSuccession {
        authority: Authority::Previous,
        coffre: coffre(),
        created: NOW + from_epoch,
        from_epoch,
        from_key: from.public(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        reason: "rotation".into(),
        to_epoch: from_epoch + 1,
        to_key: to.public(),
        to_recipient: to.recipient.clone(),
        v: Default::default(),
    }
}

/// The owner-signed certificate `cert()`, as an envelope.
pub fn cert_env() -> coffre_crypto::statement::Envelope {
    coffre_crypto::statement::sign(&cert(), &[&owner().signing]).unwrap()
}

/// `cert()` verified at `NOW` (what sealing needs).
pub fn verified_cert() -> coffre_crypto::statement::Verified<CategoryCert> {
    verified_cert_of(&cert_body(NOW - DAY, NOW + 30 * DAY), NOW)
}

/// A certificate body, owner-signed and verified at `at`.
pub fn verified_cert_of(
    body: &CategoryCert,
    at: u64,
) -> coffre_crypto::statement::Verified<CategoryCert> {
    let env = coffre_crypto::statement::sign(body, &[&owner().signing]).unwrap();
    coffre_crypto::category::verify_cert(&env, &owner().public(), &ctx(), at).unwrap()
}

/// An envelope rebuilt from its JSON after `edit` (the only way to tamper with one: parse).
pub fn tampered(
    env: &coffre_crypto::statement::Envelope,
    edit: impl FnOnce(&mut serde_json::Value),
) -> coffre_crypto::statement::Envelope {
    let mut v: serde_json::Value = serde_json::from_slice(&env.to_bytes().unwrap()).unwrap();
    edit(&mut v);
    coffre_crypto::statement::Envelope::parse(&serde_json::to_vec(&v).unwrap()).unwrap()
}

/// The envelope with bit `mask` of byte `byte` of its first signature flipped.
pub fn sig_flipped(
    env: &coffre_crypto::statement::Envelope,
    byte: usize,
    mask: u8,
) -> coffre_crypto::statement::Envelope {
    tampered(env, |v| {
        let s = v["sigs"][0]["sig"].as_str().unwrap();
        let mut b = coffre_crypto::encoding::unb64(s).unwrap();
        b[byte] ^= mask;
        v["sigs"][0]["sig"] = serde_json::Value::String(coffre_crypto::encoding::b64(&b));
    })
}

/// A deposit mandate grant for `keys` (mandate verified at its `not_before`, no ends).
pub fn grant(m: &Mandate, keys: Vec<PublicKey>) -> coffre_crypto::paper::MandateGrant {
    let env = coffre_crypto::statement::sign(m, &[&owner().signing]).unwrap();
    let mandate = coffre_crypto::mandate::verify_mandate(
        &env,
        &owner().public(),
        &ctx(),
        m.not_before,
        &coffre_crypto::mandate::MandateEnds::none(),
    )
    .unwrap();
    coffre_crypto::paper::MandateGrant {
        mandate,
        ends: coffre_crypto::mandate::MandateEnds::none(),
        keys,
    }
}
