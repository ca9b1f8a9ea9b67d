//! Encodings (section 2): base64url, ids, keys, hashes and canonical JSON.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Cap of a signed envelope (section 2.4).
pub const ENVELOPE_CAP: usize = 64 * 1024;
/// Cap of an encrypted JSON payload, as an age file (section 2.4).
pub const PAYLOAD_CAP: usize = 256 * 1024;
/// Largest integer allowed in canonical JSON (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// Largest journal or chain page verified at once.
pub const PAGE_CAP: usize = 10_000;
/// Cap of a metadata index file (section 2.4), as an age file and as its plaintext.
pub const INDEX_CAP: usize = 16 << 20;
/// Most papers one metadata index lists.
pub const INDEX_ENTRIES_CAP: usize = 10_000;

/// base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict base64url decoding: no padding, no `+`/`/`, no whitespace, canonical trailing bits.
pub fn unb64(s: &str) -> Result<Vec<u8>> {
    let out = URL_SAFE_NO_PAD.decode(s).map_err(|_| Error::BadBase64)?;
    // The engine already rejects non-zero trailing bits; re-encoding is a belt-and-braces check.
    if b64(&out) != s {
        return Err(Error::BadBase64);
    }
    Ok(out)
}

/// Decode b64 that must hold exactly `N` bytes.
pub fn unb64_array<const N: usize>(s: &str) -> Result<[u8; N]> {
    unb64(s)?.try_into().map_err(|_| Error::BadBase64)
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

macro_rules! b64_newtype {
    ($(#[$m:meta])* $name:ident, $n:expr, $check:expr, $what:expr) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub [u8; $n]);

        impl $name {
            /// The b64 form.
            pub fn to_b64(&self) -> String {
                b64(&self.0)
            }
            /// Parse the b64 form (and check the value).
            pub fn from_b64(s: &str) -> Result<Self> {
                let bytes = unb64_array(s)?;
                $check(&bytes)?;
                Ok(Self(bytes))
            }
        }
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.to_b64())
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_b64())
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::from_b64(&s).map_err(|e| {
                    serde::de::Error::custom(if e == Error::BadKey {
                        BAD_KEY_MESSAGE
                    } else {
                        $what
                    })
                })
            }
        }
    };
}

/// The serde message of a value that decodes but is not an acceptable key; [`map_serde`]
/// turns it back into [`Error::BadKey`].
pub(crate) const BAD_KEY_MESSAGE: &str = "bad key";

fn no_check<const N: usize>(_: &[u8; N]) -> Result<()> {
    Ok(())
}

b64_newtype!(
    /// An Ed25519 public key (32 bytes, b64 on the wire): parsing accepts only a canonical,
    /// torsion-free point other than the identity (`BadKey`, protocol section 2.2).
    PublicKey,
    32,
    crate::ed25519::check_public_key,
    "bad base64url value"
);
b64_newtype!(
    /// A SHA-256 hash (32 bytes, b64 on the wire).
    Hash32,
    32,
    no_check::<32>,
    "bad base64url value"
);
b64_newtype!(
    /// An Ed25519 signature (64 bytes, b64 on the wire).
    SignatureBytes,
    64,
    no_check::<64>,
    "bad base64url value"
);

impl Hash32 {
    /// The all-zero hash used as `prev` of the first chain element.
    pub const ZERO: Hash32 = Hash32([0; 32]);
    /// SHA-256 of `data`.
    pub fn of(data: &[u8]) -> Self {
        Hash32(sha256(data))
    }
}

/// A UUID version 4 in its lowercase hyphenated form (section 2).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(pub uuid::Uuid);

impl Id {
    /// A fresh random id.
    pub fn random() -> Self {
        Id(uuid::Uuid::new_v4())
    }
    /// Parse the canonical form only.
    pub fn parse(s: &str) -> Result<Self> {
        let u = uuid::Uuid::parse_str(s).map_err(|_| Error::Malformed("bad uuid".into()))?;
        if u.get_version_num() != 4
            || u.get_variant() != uuid::Variant::RFC4122
            || u.hyphenated().to_string() != s
        {
            return Err(Error::NonCanonical(
                "uuid must be v4, lowercase, hyphenated",
            ));
        }
        Ok(Id(u))
    }
    /// From 16 bytes, forcing the v4 version and variant bits (for deterministic tests).
    pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
        Id(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }
}
impl std::fmt::Debug for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}
impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}
impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.hyphenated().to_string())
    }
}
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Id::parse(&s).map_err(|_| serde::de::Error::custom("id is not a canonical uuid v4"))
    }
}

/// An age X25519 recipient (`age1…`), checked at parse time.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct AgeRecipient(String);

impl AgeRecipient {
    /// Parse and check an `age1…` recipient (lowercase bech32).
    pub fn parse(s: &str) -> Result<Self> {
        let r: age::x25519::Recipient = s.parse().map_err(|_| Error::BadKey)?;
        if r.to_string() != s {
            return Err(Error::NonCanonical("recipient must be lowercase bech32"));
        }
        Ok(AgeRecipient(s.to_owned()))
    }
    /// The `age1…` string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The age crate's recipient.
    pub fn to_age(&self) -> Result<age::x25519::Recipient> {
        self.0.parse().map_err(|_| Error::BadKey)
    }
}
impl From<&age::x25519::Recipient> for AgeRecipient {
    fn from(r: &age::x25519::Recipient) -> Self {
        AgeRecipient(r.to_string())
    }
}
impl Serialize for AgeRecipient {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl<'de> Deserialize<'de> for AgeRecipient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AgeRecipient::parse(&s).map_err(|_| serde::de::Error::custom("bad age recipient"))
    }
}

/// Check an instance origin (section 2): `https://host[:port]` with a host of lowercase
/// ASCII letters, digits, `.` and `-`, or `http://localhost:port`; a port is 1 to 5 ASCII
/// digits; nothing else (no trailing slash, no path). Anything else is `Malformed`.
pub fn check_instance(s: &str) -> Result<()> {
    fn port_ok(p: &str) -> bool {
        (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    }
    let ok = if let Some(rest) = s.strip_prefix("https://") {
        let (host, port) = match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        };
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && port.is_none_or(port_ok)
    } else if let Some(port) = s.strip_prefix("http://localhost:") {
        port_ok(port)
    } else {
        false
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Malformed("instance is not an origin".into()))
    }
}

/// Check an access receipt's `action` (section 8): 1 to 32 of `a-z`, `0-9`, `_`
/// (`Malformed` otherwise).
pub fn check_action(s: &str) -> Result<()> {
    if (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(())
    } else {
        Err(Error::Malformed("action is not snake_case".into()))
    }
}

/// `deserialize_with` for every body's `instance` field: checked at parse time.
pub(crate) fn de_instance<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<String, D::Error> {
    let s = String::deserialize(d)?;
    check_instance(&s).map_err(|_| serde::de::Error::custom("instance is not an origin"))?;
    Ok(s)
}

/// Check a date (section 2): `YYYY-MM-DD` by shape, ASCII digits (`Malformed`).
pub fn check_date(d: &str) -> Result<()> {
    let b = d.as_bytes();
    let ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Malformed("date must be YYYY-MM-DD".into()))
    }
}

/// `deserialize_with` for an optional date (a paper's `issued`, `expires`): checked at parse
/// time, as the browser's schema does.
pub(crate) fn de_opt_date<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_date(&s).map_err(|_| serde::de::Error::custom("date must be YYYY-MM-DD"))?;
    Ok(Some(s))
}

/// `deserialize_with` for an access receipt's `action`: checked at parse time.
pub(crate) fn de_action<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    let s = String::deserialize(d)?;
    check_action(&s).map_err(|_| serde::de::Error::custom("action is not snake_case"))?;
    Ok(s)
}

/// The version tag `v: 1`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct V1;
impl Serialize for V1 {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_u64(1)
    }
}
impl<'de> Deserialize<'de> for V1 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match u64::deserialize(d)? {
            1 => Ok(V1),
            _ => Err(serde::de::Error::custom("unknown version")),
        }
    }
}

/// A typed JSON object with a fixed `kind`: a statement body or an encrypted payload.
pub trait Kinded: Serialize + DeserializeOwned {
    /// The `kind` string.
    const KIND: &'static str;
}

/// Define a unit type that (de)serialises as one fixed `kind` string.
macro_rules! kind_tag {
    ($name:ident, $s:expr) => {
        #[doc = concat!("The `kind` tag `\"", $s, "\"`.")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str($s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> std::result::Result<Self, D::Error> {
                let v = String::deserialize(d)?;
                if v == $s {
                    Ok($name)
                } else {
                    Err(serde::de::Error::custom("wrong kind"))
                }
            }
        }
    };
}
pub(crate) use kind_tag;

/// Encode a typed value as canonical JSON (serde emits struct fields in declaration order,
/// which every type of this crate keeps sorted).
pub fn to_canonical<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Malformed(e.to_string()))
}

fn map_serde(e: serde_json::Error) -> Error {
    let msg = e.to_string();
    if msg.starts_with("duplicate field") {
        Error::DuplicateField
    } else if msg.starts_with(BAD_KEY_MESSAGE) {
        Error::BadKey
    } else if msg.starts_with("unknown field") {
        Error::UnknownField
    } else {
        Error::Malformed(msg)
    }
}

#[derive(Deserialize)]
struct KindAndVersion {
    kind: Option<serde_json::Value>,
    v: Option<serde_json::Value>,
}

/// Parse canonical JSON of the expected kind (section 2.1): cap, kind and version, typed parse
/// with unknown and duplicate fields rejected, then byte-identical re-encoding and integer range.
pub fn parse_canonical<T: Kinded>(bytes: &[u8], cap: usize) -> Result<T> {
    let header = parse_canonical_untyped_header(bytes, cap)?;
    match header.kind {
        Some(serde_json::Value::String(k)) if k == T::KIND => {}
        _ => return Err(Error::WrongKind { expected: T::KIND }),
    }
    match header.v {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(_) => return Err(Error::UnknownVersion),
        None => return Err(Error::Malformed("missing v".into())),
    }
    let value: T = serde_json::from_slice(bytes).map_err(map_serde)?;
    check_reencodes(bytes, &value)?;
    Ok(value)
}

/// Parse canonical JSON that has no `kind` (the envelope).
pub fn parse_canonical_plain<T: Serialize + DeserializeOwned>(
    bytes: &[u8],
    cap: usize,
) -> Result<T> {
    if bytes.len() > cap {
        return Err(Error::TooLarge {
            size: bytes.len(),
            cap,
        });
    }
    let value: T = serde_json::from_slice(bytes).map_err(map_serde)?;
    check_reencodes(bytes, &value)?;
    Ok(value)
}

fn parse_canonical_untyped_header(bytes: &[u8], cap: usize) -> Result<KindAndVersion> {
    if bytes.len() > cap {
        return Err(Error::TooLarge {
            size: bytes.len(),
            cap,
        });
    }
    serde_json::from_slice(bytes).map_err(map_serde)
}

fn check_reencodes<T: Serialize>(bytes: &[u8], value: &T) -> Result<()> {
    let again = to_canonical(value)?;
    if again != bytes {
        return Err(Error::NonCanonical("re-encoding differs"));
    }
    // Integers beyond 2^53 - 1 cannot round-trip through JavaScript.
    let tree: serde_json::Value = serde_json::from_slice(bytes).map_err(map_serde)?;
    check_integers(&tree)
}

fn check_integers(v: &serde_json::Value) -> Result<()> {
    match v {
        serde_json::Value::Number(n) => match n.as_u64() {
            Some(x) if x <= MAX_SAFE_INTEGER => Ok(()),
            _ => Err(Error::NonCanonical("integer out of range")),
        },
        serde_json::Value::Array(a) => a.iter().try_for_each(check_integers),
        serde_json::Value::Object(o) => o.values().try_for_each(check_integers),
        serde_json::Value::Null => Err(Error::NonCanonical("null")),
        _ => Ok(()),
    }
}

/// Check that a list is sorted ascending without duplicates (sets on the wire).
pub fn check_sorted_set<T: Ord>(items: &[T]) -> Result<()> {
    if items.windows(2).all(|w| w[0] < w[1]) {
        Ok(())
    } else {
        Err(Error::NonCanonical("set not sorted or has duplicates"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b64_is_strict() {
        assert_eq!(unb64("AQ").unwrap(), vec![1]);
        assert!(unb64("AQ==").is_err());
        assert!(unb64("AR").is_err()); // non-zero trailing bits
        assert!(unb64("A Q").is_err());
        assert!(unb64("+/").is_err());
    }

    #[test]
    fn instances_are_origins() {
        for ok in [
            "https://coffre.example",
            "https://coffre.example:8443",
            "https://10.0.0.1",
            "http://localhost:8080",
        ] {
            assert!(check_instance(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "https://",
            "https://Coffre.example",
            "https://coffre.example/",
            "https://coffre.example/x",
            "https://coffre.example:",
            "https://coffre.example:123456",
            "https://user@coffre.example",
            "http://coffre.example",
            "http://localhost",
            "http://localhost:",
            "http://localhost:80/",
            "HTTPS://coffre.example",
        ] {
            assert!(check_instance(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn actions_are_snake_case() {
        assert!(check_action("download").is_ok());
        assert!(check_action("unwrap_key2").is_ok());
        assert!(check_action(&"a".repeat(32)).is_ok());
        for bad in [
            "",
            "Download",
            "unwrap-key",
            "un wrap",
            "é",
            &"a".repeat(33),
        ] {
            assert!(check_action(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_are_canonical_v4() {
        let id = Id::from_random_bytes([0xab; 16]);
        let s = id.to_string();
        assert_eq!(Id::parse(&s).unwrap(), id);
        assert!(Id::parse(&s.to_uppercase()).is_err());
        assert!(Id::parse(&s.replace('-', "")).is_err());
    }
}
