//! `ed25519.json`: the one Ed25519 acceptance set (section 2.2). The forged cases pass the
//! cofactored equation a `zip215: false` verifier checks, so only the subgroup checks refuse
//! them.

use super::super::forge;
use super::*;
use curve25519_dalek::constants::EIGHT_TORSION;

/// `s + L` as 32 little-endian bytes (still below 2^256 for any reduced `s`).
fn add_l(s: &[u8]) -> [u8; 32] {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let v = u16::from(s[i]) + u16::from(L[i]) + carry;
        out[i] = v as u8;
        carry = v >> 8;
    }
    out
}

pub(super) fn ed25519_file() -> Value {
    let o = owner();
    let body = cert();
    let verify = |envelope: &str, key: &str| {
        Envelope::parse(envelope.as_bytes()).and_then(|e| {
            let k = coffre_crypto::encoding::PublicKey::from_b64(key)?;
            e.verify_by::<CategoryCert>(&k)
        })
    };
    let mut cases = vec![];
    let mut add = |name: &str, description: &str, envelope: String, key: String, want: &str| {
        let got = expect(verify(&envelope, &key), want, name);
        cases.push(json!({"name": name, "description": description, "kind": "category_cert", "key": key, "envelope": envelope, "expect": got}));
    };
    let honest = signed(&body, &[&o.signing]);
    add(
        "honest",
        "the owner's certificate, for reference",
        env_str(&honest),
        o.public().to_b64(),
        "ok",
    );
    let mixed = forge::mixed_order_key(&body);
    assert!(forge::cofactored_accepts(&mixed) && forge::verify_strict_accepts(&mixed));
    add(
        "mixed_order_key",
        "signed by A' = A + T8 (T8 of order 8) with k = 0 mod 8: both the cofactored and the cofactorless equations hold, only the torsion check on the key refuses it",
        mixed.envelope.clone(),
        b64(&mixed.key),
        "bad_key",
    );
    let torsion = forge::torsioned_r(&body);
    assert!(forge::cofactored_accepts(&torsion) && !forge::verify_strict_accepts(&torsion));
    add(
        "torsioned_r",
        "an honest key (prime order); R = r*B + T8: the cofactored equation holds (a zip215:false verifier without the R check accepts), the cofactorless one does not",
        torsion.envelope.clone(),
        b64(&torsion.key),
        "bad_signature",
    );
    let mut unreduced: Value = serde_json::from_slice(&honest.to_bytes().unwrap()).unwrap();
    let mut sig = unb64(unreduced["sigs"][0]["sig"].as_str().unwrap()).unwrap();
    let s = add_l(&sig[32..]);
    sig[32..].copy_from_slice(&s);
    unreduced["sigs"][0]["sig"] = Value::String(b64(&sig));
    add(
        "s_not_reduced",
        "the honest signature with S + L in place of S",
        serde_json::to_string(&unreduced).unwrap(),
        o.public().to_b64(),
        "bad_signature",
    );

    let identity = {
        let mut b = [0u8; 32];
        b[0] = 1;
        b
    };
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xed;
    non_canonical[31] = 0x7f;
    let mut key_cases = vec![];
    for (name, description, bytes, want) in [
        ("prime_order", "the owner's key", o.public().0, "ok"),
        ("identity", "the identity point", identity, "bad_key"),
        (
            "small_order",
            "a point of order 8",
            EIGHT_TORSION[1].compress().to_bytes(),
            "bad_key",
        ),
        (
            "mixed_order",
            "A + T8: a prime-order key plus a point of order 8",
            mixed.key,
            "bad_key",
        ),
        (
            "non_canonical_y",
            "y = p, the non-canonical encoding of y = 0",
            non_canonical,
            "bad_key",
        ),
    ] {
        let key = b64(&bytes);
        let got = expect(
            coffre_crypto::encoding::PublicKey::from_b64(&key),
            want,
            name,
        );
        key_cases
            .push(json!({"name": name, "description": description, "key": key, "expect": got}));
    }
    json!({
        "description": "Ed25519 acceptance set (section 2.2): keys are canonical, torsion-free, not the identity (bad_key); a signature's R is canonical and torsion-free and S < L (bad_signature). 'cases': parse 'envelope', then verify it as 'kind' signed by 'key' (decoding 'key' first); the first failure is 'expect'. 'key_cases': decode 'key' as an Ed25519 public key.",
        "cases": cases,
        "key_cases": key_cases,
    })
}
