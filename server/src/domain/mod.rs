//! Domain types: no HTTP, no SQL.

mod account;
mod blob;
mod instance;
mod origin;
mod passkey;
pub mod pin;
mod remembered;
mod server_key;
mod timestamp;

pub use account::{
    AccountRole, CategoryRecord, CoffreId, CoffreRecord, EpochChange, FactorId, FactorKind,
    FactorRecord, NewCoffre, RateDecision, SessionRecord, SessionToken,
};
pub use blob::{BlobId, BlobRecord, BlobState, InvalidBlobId, Sha256Digest};
pub use instance::{Instance, InstanceId};
pub use origin::{InstanceOrigin, InvalidOrigin};
pub use passkey::{CeremonyKind, CeremonyRecord, PasskeyRecord};
pub use remembered::RememberedDevice;
pub use server_key::ServerKey;
pub use timestamp::Timestamp;
