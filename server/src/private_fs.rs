//! Files and directories that only the server's own user may open: the data directory,
//! the blob tree, the SQLite database (and its `-wal`/`-shm` files, which SQLite creates
//! with the database file's permissions), the ACME cache (TLS private keys).
//!
//! What the server creates is `0700` (directories) or `0600` (files) whatever the umask
//! allows beyond that; what already exists is left as the administrator made it.

use std::fs::{DirBuilder, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

/// Mode of the directories the server creates.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
/// Mode of the files the server creates itself.
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// `mkdir -p -m 0700`: every directory created on the way is private.
pub fn create_private_dir_all(path: &Path) -> io::Result<()> {
    DirBuilder::new()
        .recursive(true)
        .mode(PRIVATE_DIR_MODE)
        .create(path)
}

/// Creates `path` as an empty `0600` file if it does not exist (an existing file is
/// neither truncated nor re-permissioned).
pub fn create_private_file(path: &Path) -> io::Result<()> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(PRIVATE_FILE_MODE)
        .open(path)
        .map(drop)
}
