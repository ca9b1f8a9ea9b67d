//! Domain types: no HTTP, no SQL.

mod blob;
mod instance;
mod timestamp;

pub use blob::{BlobId, BlobRecord, BlobState, InvalidBlobId, Sha256Digest};
pub use instance::{Instance, InstanceId};
pub use timestamp::Timestamp;
