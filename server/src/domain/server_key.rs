//! The instance's server key: the Ed25519 key the server signs with (inclusion receipts,
//! deposit receipts, server-side journal entries). Made at first start, kept in the
//! database with the instance row, so every replica signs with the same key.

use std::fmt;

use coffre_crypto::encoding::{PublicKey, SignatureBytes};
use ed25519_dalek::{Signer, SigningKey};
use zeroize::Zeroizing;

/// The instance's Ed25519 signing key. `Debug` shows the public key only.
#[derive(Clone)]
pub struct ServerKey(SigningKey);

impl ServerKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        Self(SigningKey::generate(&mut rand::rngs::OsRng))
    }

    /// The key from its 32 secret bytes (as the store keeps them).
    pub fn from_secret_bytes(secret: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(secret))
    }

    /// The 32 secret bytes, for the store only: never log or send them.
    pub fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public key clients verify the server's signatures with.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    /// A statement signed by the server key (inclusion receipts, server-side journal
    /// entries, deposit receipts).
    pub fn sign_statement<T: coffre_crypto::encoding::Kinded>(
        &self,
        body: &T,
    ) -> coffre_crypto::Result<coffre_crypto::statement::Envelope> {
        coffre_crypto::statement::sign(body, &[&self.0])
    }

    /// An Ed25519 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> SignatureBytes {
        SignatureBytes(self.0.sign(message).to_bytes())
    }
}

/// Two keys are the same key when their public keys are (the public key is derived from
/// the secret): no secret bytes are compared.
impl PartialEq for ServerKey {
    fn eq(&self, other: &Self) -> bool {
        self.public_key() == other.public_key()
    }
}

impl Eq for ServerKey {}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerKey")
            .field("public", &self.public_key().to_b64())
            .field("secret", &format_args!(".."))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffre_crypto::encoding::b64;

    #[test]
    fn debug_shows_the_public_key_and_never_the_secret() {
        let key = ServerKey::generate();
        let secret = key.secret_bytes();
        let shown = format!("{key:?} {key:#?}");
        assert!(shown.contains(&key.public_key().to_b64()), "{shown}");
        assert!(!shown.contains(&b64(&secret[..])), "{shown}");
        assert!(!shown.contains(&hex::encode(&secret[..])), "{shown}");
        assert!(!shown.contains(&format!("{:?}", &secret[..])), "{shown}");
    }

    #[test]
    fn secret_bytes_round_trip_and_signatures_verify() {
        let key = ServerKey::generate();
        let again = ServerKey::from_secret_bytes(&key.secret_bytes());
        assert_eq!(again, key);
        assert_ne!(ServerKey::generate(), key, "fresh keys differ");
        let signature = key.sign(b"receipt");
        assert!(
            coffre_crypto::ed25519::verify(&again.public_key().0, b"receipt", &signature.0).is_ok()
        );
        assert!(
            coffre_crypto::ed25519::verify(&key.public_key().0, b"other", &signature.0).is_err()
        );
    }
}
