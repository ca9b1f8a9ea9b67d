//! The one Ed25519 acceptance set (protocol section 2.2): both implementations accept a key or
//! a signature's `R` only as a canonical point of the prime-order subgroup, and `S < L`.
//!
//! `ed25519-dalek`'s `verify_strict` checks the cofactorless equation and `@noble/curves`
//! the cofactored one; on such points the two agree.

use std::collections::HashSet;
use std::sync::Mutex;

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};

use crate::error::{Error, Result};

/// A canonical encoding of a torsion-free point, or `None`.
fn prime_order_point(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    let point = CompressedEdwardsY(*bytes).decompress()?;
    if point.compress().to_bytes() != *bytes || !point.is_torsion_free() {
        return None;
    }
    Some(point)
}

/// Keys that passed [`check_public_key`]. The check costs a multiplication by `L`, as much as
/// a verification, and the same few keys sign most statements (an owner's page, a chain).
/// Only accepted keys are kept, so the cache cannot change a verdict; it is cleared when full.
static ACCEPTED_KEYS: Mutex<Option<HashSet<[u8; 32]>>> = Mutex::new(None);
const ACCEPTED_KEYS_CAP: usize = 4096;

fn remembered(bytes: &[u8; 32]) -> bool {
    ACCEPTED_KEYS
        .lock()
        .map(|keys| keys.as_ref().is_some_and(|k| k.contains(bytes)))
        .unwrap_or(false)
}

fn remember(bytes: &[u8; 32]) {
    if let Ok(mut keys) = ACCEPTED_KEYS.lock() {
        let keys = keys.get_or_insert_with(HashSet::new);
        if keys.len() >= ACCEPTED_KEYS_CAP {
            keys.clear();
        }
        keys.insert(*bytes);
    }
}

/// Check an Ed25519 public key: canonical, torsion-free and not the identity (`BadKey`).
pub fn check_public_key(bytes: &[u8; 32]) -> Result<()> {
    if remembered(bytes) {
        return Ok(());
    }
    match prime_order_point(bytes) {
        Some(p) if p != EdwardsPoint::default() => {
            remember(bytes);
            Ok(())
        }
        _ => Err(Error::BadKey),
    }
}

/// Check a signature's encoding: `R` canonical and torsion-free, `S < L` (`BadSignature`).
pub fn check_signature(sig: &[u8; 64]) -> Result<()> {
    let mut r = [0u8; 32];
    r.copy_from_slice(&sig[..32]);
    let mut s = [0u8; 32];
    s.copy_from_slice(&sig[32..]);
    if prime_order_point(&r).is_none() || bool::from(Scalar::from_canonical_bytes(s).is_none()) {
        return Err(Error::BadSignature);
    }
    Ok(())
}

/// Verify `sig` by `key` over `msg` within the acceptance set: `BadKey` for a key outside it,
/// `BadSignature` for a signature outside it or one that does not verify.
///
/// `R` needs no torsion check of its own here: `verify_strict` requires `S < L` and the
/// encoding of `R` to equal that of `[S]B - [k]A`, a point of the prime-order subgroup once
/// `A` is; so a signature whose `R` carries a torsion component fails it (`BadSignature`),
/// as [`check_signature`] would say. That saves a multiplication by `L` per signature.
pub fn verify(key: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> Result<()> {
    check_public_key(key)?;
    let vk = ed25519_dalek::VerifyingKey::from_bytes(key).map_err(|_| Error::BadKey)?;
    vk.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(sig))
        .map_err(|_| Error::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};

    #[test]
    fn the_cache_keeps_only_accepted_keys() {
        let a = ED25519_BASEPOINT_POINT * Scalar::from(11u64);
        let mixed = (a + EIGHT_TORSION[1]).compress().to_bytes();
        for _ in 0..2 {
            assert!(check_public_key(&a.compress().to_bytes()).is_ok());
            assert_eq!(check_public_key(&mixed), Err(Error::BadKey));
        }
        assert!(remembered(&a.compress().to_bytes()) && !remembered(&mixed));
    }

    #[test]
    fn points_outside_the_prime_order_subgroup_are_refused() {
        let a = ED25519_BASEPOINT_POINT * Scalar::from(7u64);
        assert!(check_public_key(&a.compress().to_bytes()).is_ok());
        assert_eq!(
            check_public_key(&EdwardsPoint::default().compress().to_bytes()),
            Err(Error::BadKey)
        );
        for t in EIGHT_TORSION.iter().skip(1) {
            assert_eq!(
                check_public_key(&t.compress().to_bytes()),
                Err(Error::BadKey)
            );
            let mixed = (a + t).compress().to_bytes();
            assert_eq!(check_public_key(&mixed), Err(Error::BadKey));
        }
        // y = p (non-canonical encoding of y = 0).
        let mut non_canonical = [0xffu8; 32];
        non_canonical[0] = 0xed;
        non_canonical[31] = 0x7f;
        assert_eq!(check_public_key(&non_canonical), Err(Error::BadKey));
    }
}
