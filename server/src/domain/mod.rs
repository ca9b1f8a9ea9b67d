//! Domain types: no HTTP, no SQL.

mod blob;
mod instance;
mod origin;
mod timestamp;

pub use blob::{BlobId, BlobRecord, BlobState, InvalidBlobId, Sha256Digest};
pub use instance::{Instance, InstanceId};
pub use origin::{InstanceOrigin, InvalidOrigin};
pub use timestamp::Timestamp;
