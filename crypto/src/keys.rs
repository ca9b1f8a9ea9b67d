//! Owner keys, fingerprints, words and QR payloads (section 3).

use ed25519_dalek::SigningKey;
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::age_io::{identity_from_bytes, recipient_of};
use crate::encoding::{AgeRecipient, PublicKey, b64, sha256};
use crate::error::{Error, Result};

/// The French word list (7,776 words, one a line, sorted).
pub const WORDLIST_TEXT: &str = include_str!("../wordlist/fr-7776.txt");

/// Words earlier lists had and this one dropped (`crypto/wordlist/retired-fr.txt`, `#`
/// lines are comments): never drawn nor shown, but a typed passphrase may still hold them.
pub const RETIRED_WORDS_TEXT: &str = include_str!("../wordlist/retired-fr.txt");

/// The word list as a vector of 7,776 words.
pub fn wordlist() -> Vec<&'static str> {
    WORDLIST_TEXT.lines().collect()
}

/// HKDF-SHA-256 with a 32-byte output.
pub fn hkdf32(ikm: &[u8], salt: &[u8], info: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let hk = Hkdf::<Sha256>::new(Some(salt), ikm);
    let mut out = Zeroizing::new([0u8; 32]);
    hk.expand(info, out.as_mut()).map_err(|_| Error::Backend)?;
    Ok(out)
}

/// An Ed25519 signing key from 32 secret bytes.
pub fn signing_key_from(seed: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(seed)
}

/// The public key of a signing key.
pub fn public_key(key: &SigningKey) -> PublicKey {
    PublicKey(key.verifying_key().to_bytes())
}

/// The 32-byte secret every coffre epoch comes from.
#[derive(Clone)]
pub struct OwnerSeed(pub Zeroizing<[u8; 32]>);

impl std::fmt::Debug for OwnerSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OwnerSeed(..)")
    }
}

impl OwnerSeed {
    /// A fresh random seed.
    pub fn generate() -> Self {
        let mut s = Zeroizing::new([0u8; 32]);
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, s.as_mut());
        OwnerSeed(s)
    }
    /// Derive the owner's keys.
    pub fn keys(&self) -> Result<OwnerKeys> {
        let x = hkdf32(self.0.as_ref(), b"", b"coffre/v1/owner/x25519")?;
        let e = hkdf32(self.0.as_ref(), b"", b"coffre/v1/owner/ed25519")?;
        let identity = identity_from_bytes(&x)?;
        Ok(OwnerKeys {
            recipient: recipient_of(&identity),
            identity,
            signing: signing_key_from(&e),
        })
    }
}

/// The owner's keys of one epoch.
pub struct OwnerKeys {
    /// X25519 age identity.
    pub identity: age::x25519::Identity,
    /// Its recipient.
    pub recipient: AgeRecipient,
    /// Ed25519 signing key.
    pub signing: SigningKey,
}

impl std::fmt::Debug for OwnerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnerKeys")
            .field("recipient", &self.recipient)
            .field("public", &self.public())
            .finish_non_exhaustive()
    }
}

impl OwnerKeys {
    /// The Ed25519 public key.
    pub fn public(&self) -> PublicKey {
        public_key(&self.signing)
    }
    /// The owner's fingerprint.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.public(), Some(&self.recipient))
    }
}

/// `SHA-256("coffre/v1/fingerprint\n" || ed25519 || recipient)` of a party.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The fingerprint of a party (`recipient` is `None` for a signing-only party).
    pub fn of(key: &PublicKey, recipient: Option<&AgeRecipient>) -> Self {
        let mut data = b"coffre/v1/fingerprint\n".to_vec();
        data.extend_from_slice(&key.0);
        if let Some(r) = recipient {
            data.extend_from_slice(r.as_str().as_bytes());
        }
        Fingerprint(sha256(&data))
    }

    /// Five words `mot-mot-mot-mot-mot` carrying the first 64 bits.
    ///
    /// ```
    /// use coffre_crypto::keys::Fingerprint;
    /// let words = Fingerprint([0; 32]).words();
    /// assert_eq!(words.split('-').count(), 5);
    /// ```
    pub fn words(&self) -> String {
        let list = wordlist();
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        let mut n = u64::from_be_bytes(first);
        let mut words = Vec::with_capacity(5);
        for _ in 0..5 {
            words.push(list[(n % 7776) as usize]);
            n /= 7776;
        }
        words.join("-")
    }

    /// `coffre:fp:1:` + b64 of the 32 bytes.
    pub fn qr_payload(&self) -> String {
        format!("coffre:fp:1:{}", b64(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordlist_is_pinned() {
        let hex: String = sha256(WORDLIST_TEXT.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "c4ef25d477ec0b93adad61adcd1bbfeed82e8df10455bf87a7700939172c05b0"
        );
        assert_eq!(wordlist().len(), 7776);
    }

    #[test]
    fn retired_words_are_not_in_the_list() {
        let list: std::collections::HashSet<&str> = wordlist().into_iter().collect();
        assert_eq!(list.len(), 7776, "the list repeats a word");
        let retired: Vec<&str> = RETIRED_WORDS_TEXT
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        assert!(
            retired.contains(&"couille"),
            "the first list's words are kept"
        );
        for w in retired {
            assert!(!list.contains(w), "{w} is both listed and retired");
        }
    }
}
