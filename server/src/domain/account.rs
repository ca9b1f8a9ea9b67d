//! Coffres, their unlock factors and sessions, as the server keeps them: public keys,
//! verified certificates and age files it cannot open.

use std::fmt;

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::Timestamp;

/// A coffre id: a UUID v4 chosen by the owner's client (it names the coffre in every
/// statement).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CoffreId(pub Uuid);

impl fmt::Display for CoffreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.as_hyphenated().fmt(f)
    }
}

/// The id of an unlock factor (a row of `unlock_factors`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct FactorId(pub Uuid);

impl FactorId {
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }
}

/// A way into a coffre.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    Carte,
    Passphrase,
    Passkey,
    /// A remembered device with the carte's PIN (protocol.md 4.5): named in journal bodies
    /// and session answers, never stored as a factor or a session's kind (it is none).
    Device,
}

impl FactorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Carte => "carte",
            Self::Passphrase => "passphrase",
            Self::Passkey => "passkey",
            Self::Device => "device",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "carte" => Some(Self::Carte),
            "passphrase" => Some(Self::Passphrase),
            "passkey" => Some(Self::Passkey),
            "device" => Some(Self::Device),
            _ => None,
        }
    }
}

/// What an account is for. Every account is a coffre with its own keys and factors; a
/// professional's (aidant, responsable) or the instance admin's is opened from an invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    Person,
    Professional,
    Admin,
}

impl AccountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Professional => "professional",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "person" => Some(Self::Person),
            "professional" => Some(Self::Professional),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A coffre's current public keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoffreRecord {
    pub id: CoffreId,
    pub role: AccountRole,
    pub created_at: Timestamp,
    pub epoch: u64,
    /// Ed25519 public key of the current epoch.
    pub owner_key: [u8; 32],
    /// The owner's age recipient (`age1…`).
    pub owner_recipient: String,
}

/// One category generation: the certificate (verified before it was stored), the sealed
/// label and the category key wrapped to the owner.
#[derive(Clone, PartialEq, Eq)]
pub struct CategoryRecord {
    pub id: Uuid,
    pub generation: u64,
    pub cert: Vec<u8>,
    pub label: Vec<u8>,
    pub wrap: Vec<u8>,
}

impl fmt::Debug for CategoryRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CategoryRecord")
            .field("id", &self.id)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

/// An unlock factor as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct FactorRecord {
    pub id: FactorId,
    pub coffre: CoffreId,
    pub kind: FactorKind,
    pub epoch: u64,
    /// The Ed25519 auth public key (carte, passphrase).
    pub auth_key: Option<[u8; 32]>,
    /// The seed, wrapped to this factor (an age file).
    pub wrap: Vec<u8>,
    /// Argon2id PHC string of the carte's PIN.
    pub pin_hash: Option<String>,
    pub failed_pins: u32,
    pub locked_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

impl fmt::Debug for FactorRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FactorRecord")
            .field("id", &self.id)
            .field("coffre", &self.coffre)
            .field("kind", &self.kind)
            .field("epoch", &self.epoch)
            .field("failed_pins", &self.failed_pins)
            .field("locked_at", &self.locked_at)
            .finish_non_exhaustive()
    }
}

/// A new coffre with its categories and first factor (the carte), all checked.
#[derive(Debug)]
pub struct NewCoffre {
    /// Its `role` is [`AccountRole::Person`] unless `invitation` names a live invitation:
    /// the store then takes the invitation's role and uses the invitation up.
    pub coffre: CoffreRecord,
    pub categories: Vec<CategoryRecord>,
    pub carte: FactorRecord,
    /// The SHA-256 of an invitation token.
    pub invitation: Option<[u8; 32]>,
}

/// The secret a session cookie carries (32 random bytes); only its SHA-256 is stored.
#[derive(Clone)]
pub struct SessionToken(Zeroizing<[u8; 32]>);

impl SessionToken {
    pub fn random() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, bytes.as_mut());
        Self(bytes)
    }

    /// The cookie value: base64url without padding.
    pub fn to_cookie(&self) -> String {
        coffre_crypto::encoding::b64(self.0.as_ref())
    }

    /// Reads a cookie value (`None` unless it is exactly 32 bytes in base64url).
    pub fn from_cookie(value: &str) -> Option<Self> {
        let bytes = coffre_crypto::encoding::unb64_array::<32>(value).ok()?;
        Some(Self(Zeroizing::new(bytes)))
    }

    /// What the database keeps.
    pub fn digest(&self) -> [u8; 32] {
        coffre_crypto::encoding::sha256(self.0.as_ref())
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// A signed-in browser.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie's token.
    pub token_sha256: [u8; 32],
    /// The public id ("my devices").
    pub id: Uuid,
    pub coffre: CoffreId,
    pub factor: Option<FactorId>,
    pub factor_kind: FactorKind,
    pub label: String,
    pub shared: bool,
    /// The token every state-changing request must carry in `X-Coffre-Csrf`.
    pub csrf: [u8; 32],
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// Absolute end of the session.
    pub expires_at: Timestamp,
    /// The remembered device that opened it with the PIN, if one did: such a session is no
    /// recovery factor (it cannot change the coffre's keys).
    pub device: Option<Uuid>,
}

impl fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRecord")
            .field("id", &self.id)
            .field("coffre", &self.coffre)
            .field("factor_kind", &self.factor_kind)
            .field("shared", &self.shared)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What a rate-limit check answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateDecision {
    Allowed,
    /// Over the limit until this time.
    Limited {
        until: Timestamp,
    },
}

/// A new owner epoch, all checked: the coffre's new keys, the succession that announces them,
/// every existing category generation re-wrapped to the new owner, one new generation per
/// category, and the factors that replace every old one.
#[derive(Debug)]
pub struct EpochChange {
    pub coffre: CoffreId,
    /// The epoch the change starts from (the store refuses it if the coffre moved on).
    pub from_epoch: u64,
    pub to_epoch: u64,
    pub owner_key: [u8; 32],
    pub owner_recipient: String,
    /// The `epoch_succession` envelope.
    pub succession: Vec<u8>,
    /// `(category, generation, wrap)` for every existing generation.
    pub rewraps: Vec<(Uuid, u64, Vec<u8>)>,
    pub new_generations: Vec<CategoryRecord>,
    /// The new factors (the new carte; new six words if any).
    pub factors: Vec<FactorRecord>,
    /// The session that asked: it stays signed in; every other session ends.
    pub keep_session: [u8; 32],
}
