//! Domain types: no HTTP, no SQL.

mod blob;
mod instance;
mod origin;
mod server_key;
mod timestamp;

pub use blob::{BlobId, BlobRecord, BlobState, InvalidBlobId, Sha256Digest};
pub use instance::{Instance, InstanceId};
pub use origin::{InstanceOrigin, InvalidOrigin};
pub use server_key::ServerKey;
pub use timestamp::Timestamp;
