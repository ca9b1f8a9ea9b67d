//! A remembered device ("se souvenir de ce téléphone", protocol.md 4.5), as the server keeps
//! it: the device's auth public key and the server's half of the device's wrap key.

use std::fmt;

use uuid::Uuid;
use zeroize::Zeroizing;

use super::{CoffreId, Timestamp};

#[derive(Clone)]
pub struct RememberedDevice {
    pub id: Uuid,
    pub coffre: CoffreId,
    /// The owner epoch whose seed the device's wrap holds.
    pub epoch: u64,
    /// The Ed25519 key the device signs sign-in challenges with.
    pub auth_key: [u8; 32],
    /// The server's half: given back only after the device's signed challenge and the PIN
    /// (or a passkey). Never printed.
    pub server_half: Zeroizing<[u8; 32]>,
    pub label: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

impl fmt::Debug for RememberedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberedDevice")
            .field("id", &self.id)
            .field("coffre", &self.coffre)
            .field("epoch", &self.epoch)
            .finish_non_exhaustive()
    }
}
