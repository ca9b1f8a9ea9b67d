//! Secret values carried inside payloads: not `Copy`, wiped on drop, and redacted by `Debug`,
//! with the same wire encoding as the plain values they replace.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::encoding::{BAD_KEY_MESSAGE, b64, unb64};
use crate::error::{Error, Result};

/// 32 secret bytes (an owner seed), b64 on the wire.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes32([u8; 32]);

impl SecretBytes32 {
    /// Wrap secret bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        SecretBytes32(bytes)
    }
    /// The secret bytes.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for SecretBytes32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBytes32(..)")
    }
}

impl Serialize for SecretBytes32 {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let text = zeroize::Zeroizing::new(b64(&self.0));
        s.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for SecretBytes32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = zeroize::Zeroizing::new(String::deserialize(d)?);
        let bytes = zeroize::Zeroizing::new(
            unb64(&text).map_err(|_| serde::de::Error::custom("bad base64url value"))?,
        );
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| serde::de::Error::custom("bad base64url value"))?;
        Ok(SecretBytes32(arr))
    }
}

/// An age X25519 identity string `AGE-SECRET-KEY-1…`, checked when parsed: it must be a valid
/// identity in its canonical (uppercase) form, else `BadKey`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretIdentity(String);

impl SecretIdentity {
    /// Check and wrap an identity string (`BadKey` unless canonical).
    pub fn parse(s: &str) -> Result<Self> {
        let id: age::x25519::Identity = s.parse().map_err(|_| Error::BadKey)?;
        let canonical = SecretIdentity::from_identity(&id)?;
        if canonical.0 == s {
            Ok(canonical)
        } else {
            Err(Error::BadKey)
        }
    }
    /// The identity string of an age identity.
    pub fn from_identity(id: &age::x25519::Identity) -> Result<Self> {
        let bytes = crate::age_io::identity_bytes(id)?;
        Ok(SecretIdentity(crate::age_io::identity_string_from_bytes(
            &bytes,
        )?))
    }
    /// The `AGE-SECRET-KEY-1…` string.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The age identity.
    pub fn to_identity(&self) -> Result<age::x25519::Identity> {
        self.0.parse().map_err(|_| Error::BadKey)
    }
}

impl std::fmt::Debug for SecretIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretIdentity(..)")
    }
}

impl Serialize for SecretIdentity {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretIdentity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = zeroize::Zeroizing::new(String::deserialize(d)?);
        SecretIdentity::parse(&text).map_err(|_| serde::de::Error::custom(BAD_KEY_MESSAGE))
    }
}
