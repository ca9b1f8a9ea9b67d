//! Opening the object store the configuration names.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::prefix::PrefixStore;
use object_store::{ClientOptions, ObjectStore};

use super::BlobError;
use crate::config::{BlobLocation, Config, S3Config};

/// An object store plus what the sweeper needs to know about it.
#[derive(Debug)]
pub struct BlobBackend {
    pub(crate) objects: Arc<dyn ObjectStore>,
    /// For `file://` stores: the directory, whose staged (partial) files the sweeper
    /// removes. `object_store` writes `NAME#N` and renames it to `NAME` when complete.
    pub(crate) local_root: Option<PathBuf>,
}

impl BlobBackend {
    /// An in-memory store (unit tests).
    pub fn in_memory() -> Self {
        Self {
            objects: Arc::new(InMemory::new()),
            local_root: None,
        }
    }

    /// Any object store (an embedder's own, or a test's). The sweeper then removes
    /// orphan objects only: staged partial files are a `file://` store's concern.
    pub fn from_objects(objects: Arc<dyn ObjectStore>) -> Self {
        Self {
            objects,
            local_root: None,
        }
    }

    /// A directory on the local file system, created (0700) if missing. The service writes
    /// into it itself, streaming (`write::write_local`): fsynced (file and directory) before
    /// a write is acknowledged, except an upload's chunks
    /// ([`super::BlobService::write_chunk`]). Reads and deletions go through `object_store`.
    pub fn local(root: &Path) -> Result<Self, BlobError> {
        // 0700: what `object_store` creates inside (fan-out directories, files) is then
        // out of other users' reach whatever their own modes.
        crate::private_fs::create_private_dir_all(root)
            .map_err(|e| BlobError::Config(format!("cannot create {}: {e}", root.display())))?;
        let root = root
            .canonicalize()
            .map_err(|e| BlobError::Config(format!("cannot open {}: {e}", root.display())))?;
        let store = LocalFileSystem::new_with_prefix(&root)?.with_fsync(true);
        Ok(Self {
            objects: Arc::new(store),
            local_root: Some(root),
        })
    }

    /// An S3-compatible bucket, optionally under a key prefix.
    pub fn s3(bucket: &str, prefix: Option<&str>, s3: &S3Config) -> Result<Self, BlobError> {
        let (key_id, secret) = s3
            .credentials()
            .map_err(|e| BlobError::Config(e.to_string()))?;
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(s3.region.as_deref().unwrap_or("us-east-1"))
            .with_access_key_id(key_id)
            .with_secret_access_key(secret.expose())
            .with_allow_http(s3.allow_http)
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(10))
                    .with_timeout(Duration::from_secs(300))
                    .with_allow_http(s3.allow_http),
            );
        if let Some(endpoint) = &s3.endpoint {
            // Path-style requests (the default): what Garage, Ceph and moto expect.
            builder = builder.with_endpoint(endpoint);
        }
        let store = builder.build()?;
        let objects: Arc<dyn ObjectStore> = match prefix {
            Some(prefix) if !prefix.is_empty() => Arc::new(PrefixStore::new(store, prefix)),
            _ => Arc::new(store),
        };
        Ok(Self {
            objects,
            local_root: None,
        })
    }

    /// The underlying object store (diagnostics and tests look at raw objects).
    pub fn objects(&self) -> &Arc<dyn ObjectStore> {
        &self.objects
    }

    /// Which kind of store this is, for logs.
    pub fn kind(&self) -> &'static str {
        if self.local_root.is_some() {
            "file"
        } else {
            "object store"
        }
    }
}

/// Opens the blob store the configuration names (`blob_url`, parsed when it was read).
pub fn open_backend(config: &Config) -> Result<BlobBackend, BlobError> {
    match config.blobs() {
        BlobLocation::Local(path) => BlobBackend::local(&path),
        BlobLocation::S3 { bucket, prefix } => {
            BlobBackend::s3(&bucket, prefix.as_deref(), &config.s3)
        }
    }
}
