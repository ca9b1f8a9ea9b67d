//! The instance: one row describing this installation.

use std::fmt;

use serde::Serialize;
use uuid::Uuid;

use super::Timestamp;

/// Random id of this installation, made on first start and never changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct InstanceId(pub Uuid);

impl InstanceId {
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// This installation, as recorded in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub id: InstanceId,
    pub created_at: Timestamp,
    /// Version of the newest migration applied.
    pub schema_version: i64,
}
