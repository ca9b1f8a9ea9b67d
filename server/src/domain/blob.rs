//! Blobs: opaque ciphertext objects under random ids.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use uuid::Uuid;

use super::Timestamp;

/// A blob id: a random UUID v4, never derived from anything a user chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct BlobId(pub Uuid);

impl BlobId {
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }
}

impl fmt::Display for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.as_hyphenated().fmt(f)
    }
}

/// A string that is not a blob id in canonical form.
#[derive(Debug, thiserror::Error)]
#[error("not a blob id")]
pub struct InvalidBlobId;

impl FromStr for BlobId {
    type Err = InvalidBlobId;

    /// Accepts only the canonical lower-case hyphenated form, so one id has one name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = Uuid::try_parse(s).map_err(|_| InvalidBlobId)?;
        if id.as_hyphenated().to_string() == s {
            Ok(Self(id))
        } else {
            Err(InvalidBlobId)
        }
    }
}

/// SHA-256 of a blob's bytes (ciphertext), checked on every read.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Digest(pub [u8; 32]);

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({})", hex::encode(self.0))
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// Life cycle of a blob row. The object is written first; a row exists only for a
/// complete object. Deletion marks the row, removes the object, then removes the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlobState {
    Committed,
    Deleting,
}

impl BlobState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Committed => "committed",
            Self::Deleting => "deleting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "committed" => Some(Self::Committed),
            "deleting" => Some(Self::Deleting),
            _ => None,
        }
    }
}

/// A committed blob as recorded in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobRecord {
    pub id: BlobId,
    pub size: u64,
    pub sha256: Sha256Digest,
    pub created_at: Timestamp,
    pub state: BlobState,
}
