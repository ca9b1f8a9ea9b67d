//! Ed25519 signatures outside the acceptance set, built on purpose (protocol section 2.2): each
//! passes the cofactored equation `@noble/curves` checks, so a verifier that skipped the
//! subgroup checks would accept it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use coffre_crypto::encoding::{Kinded, b64, to_canonical};
use coffre_crypto::statement::SIGNED_PREFIX;
use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::{Scalar, traits::IsIdentity};
use sha2::{Digest, Sha512};

/// The forger's secret scalar (fixed, so vectors are deterministic).
fn secret() -> Scalar {
    Scalar::from_bytes_mod_order([0x77; 32])
}

fn h(parts: &[&[u8]]) -> Scalar {
    let mut d = Sha512::new();
    for p in parts {
        d.update(p);
    }
    Scalar::from_bytes_mod_order_wide(&d.finalize().into())
}

/// A forged statement: the envelope JSON, the signer key and the signed message.
pub struct Forged {
    pub envelope: String,
    pub key: [u8; 32],
    pub message: Vec<u8>,
    pub sig: [u8; 64],
}

fn envelope(body: &[u8], key: &[u8; 32], sig: &[u8; 64]) -> String {
    format!(
        r#"{{"body":"{}","sigs":[{{"key":"{}","sig":"{}"}}]}}"#,
        b64(body),
        b64(key),
        b64(sig)
    )
}

/// The honest public key of the forger (prime order).
pub fn honest_key() -> [u8; 32] {
    (ED25519_BASEPOINT_POINT * secret()).compress().to_bytes()
}

/// Signed by `A + T8` (T8 of order 8), with the nonce chosen so that `k ≡ 0 (mod 8)`: the
/// cofactorless equation holds too, so `verify_strict` alone accepts it.
pub fn mixed_order_key(body: &impl Kinded) -> Forged {
    let a = secret();
    let key_point = ED25519_BASEPOINT_POINT * a + EIGHT_TORSION[1];
    let key = key_point.compress().to_bytes();
    let body = to_canonical(body).unwrap();
    let message = [SIGNED_PREFIX, &body].concat();
    for i in 0u32.. {
        let r = h(&[b"forge nonce", &i.to_le_bytes()]);
        let big_r = (ED25519_BASEPOINT_POINT * r).compress().to_bytes();
        let k = h(&[&big_r, &key, &message]);
        if k.as_bytes()[0] & 7 != 0 {
            continue;
        }
        let s = r + k * a;
        let mut sig = [0u8; 64];
        sig[..32].copy_from_slice(&big_r);
        sig[32..].copy_from_slice(s.as_bytes());
        return Forged {
            envelope: envelope(&body, &key, &sig),
            key,
            message,
            sig,
        };
    }
    unreachable!()
}

/// Signed by the honest key with `R = r·B + T8`: the cofactored equation holds, the
/// cofactorless one does not.
pub fn torsioned_r(body: &impl Kinded) -> Forged {
    let a = secret();
    let key = honest_key();
    let body = to_canonical(body).unwrap();
    let message = [SIGNED_PREFIX, &body].concat();
    let r = h(&[b"forge nonce torsion"]);
    let big_r = (ED25519_BASEPOINT_POINT * r + EIGHT_TORSION[1])
        .compress()
        .to_bytes();
    let k = h(&[&big_r, &key, &message]);
    let s = r + k * a;
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&big_r);
    sig[32..].copy_from_slice(s.as_bytes());
    Forged {
        envelope: envelope(&body, &key, &sig),
        key,
        message,
        sig,
    }
}

/// Does `[8](S·B − R − k·A)` vanish, i.e. would a cofactored verifier accept?
pub fn cofactored_accepts(f: &Forged) -> bool {
    let point = |b: &[u8]| -> EdwardsPoint {
        curve25519_dalek::edwards::CompressedEdwardsY(b.try_into().unwrap())
            .decompress()
            .unwrap()
    };
    let r = point(&f.sig[..32]);
    let a = point(&f.key);
    let s: [u8; 32] = f.sig[32..].try_into().unwrap();
    let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(s)).unwrap();
    let k = h(&[&f.sig[..32], &f.key, &f.message]);
    (ED25519_BASEPOINT_POINT * s - r - a * k)
        .mul_by_cofactor()
        .is_identity()
}

/// Does `ed25519-dalek`'s `verify_strict` alone accept?
pub fn verify_strict_accepts(f: &Forged) -> bool {
    let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(&f.key) else {
        return false;
    };
    vk.verify_strict(&f.message, &ed25519_dalek::Signature::from_bytes(&f.sig))
        .is_ok()
}
