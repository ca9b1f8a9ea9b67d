//! Passkeys as stored, and the WebAuthn ceremonies under way. The credential and the
//! ceremony state are webauthn-rs's own records, kept as JSON: the domain does not look
//! inside them (`http::passkeys` does, through webauthn-rs).

use std::fmt;

use uuid::Uuid;

use super::{CoffreId, Timestamp};

/// A coffre's passkey.
#[derive(Clone, PartialEq, Eq)]
pub struct PasskeyRecord {
    pub id: Uuid,
    pub coffre: CoffreId,
    /// The owner epoch whose seed `wrap` holds.
    pub epoch: u64,
    /// The WebAuthn credential id (what the authenticator names it by).
    pub credential_id: Vec<u8>,
    /// webauthn-rs's `Passkey` (public key, signature counter, flags), JSON.
    pub credential: String,
    /// The seed wrapped to the recipient derived from the PRF output (an age file); `None`
    /// when the authenticator gave no PRF output: the passkey then signs in only.
    pub wrap: Option<Vec<u8>>,
    /// A short label the client chose ("Chromium, Android").
    pub label: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

impl fmt::Debug for PasskeyRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasskeyRecord")
            .field("id", &self.id)
            .field("coffre", &self.coffre)
            .field("epoch", &self.epoch)
            .field("unlocks", &self.wrap.is_some())
            .finish_non_exhaustive()
    }
}

/// Which ceremony a stored WebAuthn state belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeremonyKind {
    /// Adding a passkey to the signed-in coffre.
    Registration,
    /// Signing in with a discoverable passkey (nobody is known yet).
    SignIn,
}

impl CeremonyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::SignIn => "sign_in",
        }
    }
}

/// A WebAuthn ceremony's server-side state: single use, short-lived.
#[derive(Clone)]
pub struct CeremonyRecord {
    pub id: Uuid,
    /// The coffre a registration belongs to (`None` for a sign-in).
    pub coffre: Option<CoffreId>,
    pub kind: CeremonyKind,
    /// webauthn-rs's ceremony state, JSON (it holds the challenge).
    pub state: String,
    pub expires_at: Timestamp,
}

impl fmt::Debug for CeremonyRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CeremonyRecord")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
