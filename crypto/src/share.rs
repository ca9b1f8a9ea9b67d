//! Share links (section 11): a fresh secret in the URL fragment, papers re-encrypted to it.

use zeroize::Zeroizing;

use crate::age_io::{decrypt, encrypt, identity_from_bytes, recipient_of};
use crate::encoding::{AgeRecipient, b64, unb64_array};
use crate::error::Result;

/// A 32-byte share secret `S`; its age identity is made from `S` exactly as age does.
#[derive(Clone)]
pub struct ShareSecret(pub Zeroizing<[u8; 32]>);

impl std::fmt::Debug for ShareSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShareSecret(..)")
    }
}

impl ShareSecret {
    /// A fresh secret.
    pub fn generate() -> Self {
        let mut s = Zeroizing::new([0u8; 32]);
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, s.as_mut());
        ShareSecret(s)
    }
    /// The URL fragment (b64 of `S`, without `#`).
    pub fn to_fragment(&self) -> String {
        b64(self.0.as_ref())
    }
    /// Parse a fragment (with or without the leading `#`).
    pub fn from_fragment(fragment: &str) -> Result<Self> {
        let f = fragment.strip_prefix('#').unwrap_or(fragment);
        Ok(ShareSecret(Zeroizing::new(unb64_array(f)?)))
    }
    /// The age identity.
    pub fn identity(&self) -> Result<age::x25519::Identity> {
        identity_from_bytes(&self.0)
    }
    /// The recipient papers are re-encrypted to.
    pub fn recipient(&self) -> Result<AgeRecipient> {
        Ok(recipient_of(&self.identity()?))
    }
    /// The link `https://instance/p/<share id>#<b64 S>`.
    pub fn link(&self, instance: &str, share_id: &crate::encoding::Id) -> String {
        format!("{instance}/p/{share_id}#{}", self.to_fragment())
    }
}

/// Encrypt a paper's plaintext to the share recipient.
pub fn encrypt_for_share(secret: &ShareSecret, plaintext: &[u8]) -> Result<Vec<u8>> {
    encrypt(&[secret.recipient()?], plaintext)
}

/// Decrypt a shared file.
pub fn decrypt_shared(secret: &ShareSecret, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    decrypt(&secret.identity()?, ciphertext)
}
