//! The carte's PIN: 4 to 8 digits the person chooses, checked by the server only. It never
//! wraps a key; the server keeps an Argon2id hash (PHC string) and counts wrong PINs.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

/// Wrong PINs in a row after which the carte is locked.
pub const PIN_LOCK_AFTER: u32 = 5;

/// A PIN of the accepted shape.
#[derive(Clone)]
pub struct Pin(Zeroizing<String>);

impl Pin {
    /// 4 to 8 ASCII digits.
    pub fn parse(s: &str) -> Option<Self> {
        ((4..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Self(Zeroizing::new(s.to_owned())))
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(..)")
    }
}

/// OWASP's first Argon2id setting: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    // The constants are valid parameters; `Params::new` only fails outside their ranges.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string stored for `pin` (random salt). CPU-heavy: call from a blocking task.
pub fn hash_pin(pin: &Pin) -> Result<String, argon2::password_hash::Error> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let salt = SaltString::encode_b64(&bytes)?;
    Ok(argon2().hash_password(pin.0.as_bytes(), &salt)?.to_string())
}

/// Whether `pin` matches the stored hash (false for a hash that does not parse).
/// CPU-heavy: call from a blocking task.
pub fn verify_pin(stored: &str, pin: &Pin) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|hash| argon2().verify_password(pin.0.as_bytes(), &hash).is_ok())
}

/// The same work as [`verify_pin`] when there is no carte to check against, so an unknown
/// carte answers no faster than a wrong PIN.
pub fn verify_nothing(pin: &Pin) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| {
        Pin::parse("00000000")
            .and_then(|p| hash_pin(&p).ok())
            .unwrap_or_default()
    });
    let _ = verify_pin(&DUMMY, pin);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pin_shape() {
        for good in ["1234", "00000000", "987654"] {
            assert!(Pin::parse(good).is_some(), "{good}");
        }
        for bad in ["123", "123456789", "12a4", " 1234", "١٢٣٤", ""] {
            assert!(Pin::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn hash_and_verify() {
        let pin = Pin::parse("4821").unwrap();
        let hash = hash_pin(&pin).unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_pin(&hash, &pin));
        assert!(!verify_pin(&hash, &Pin::parse("4822").unwrap()));
        assert!(!verify_pin("not a hash", &pin));
        assert!(!format!("{pin:?}").contains("4821"));
    }
}
