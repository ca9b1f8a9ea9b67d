//! Upgrade fixtures (`tests/fixtures/upgrade/VERSION/`): the database one release made, with
//! one coffre, its journal, its checkpoint and one blob, on SQLite and on PostgreSQL. The
//! upgrade test opens every fixture with the current binary. `make-upgrade-fixture` (run by
//! `tests/fixtures/upgrade/make-fixture.sh`) writes the fixture of the current version.
//!
//! ```text
//! VERSION/fixture.json        what is inside (this module's `Fixture`)
//! VERSION/sqlite/coffre.db    the SQLite database (`VACUUM INTO`: one file, no WAL)
//! VERSION/sqlite/blobs/…      its blob store
//! VERSION/postgres/dump.sql   the PostgreSQL database (`pg_dump`, plain SQL, for psql)
//! VERSION/postgres/blobs/…    its blob store
//! ```
//!
//! The owner's seed and carte are in `fixture.json`: test keys, made for the fixture, so
//! the test can sign in and verify what the old release wrote.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use coffre_crypto::encoding::{Id, b64, unb64};
use coffre_crypto::keys::OwnerSeed;
use coffre_crypto::unlock::Carte;
use serde::{Deserialize, Serialize};

use crate::owner::Owner;

/// The instance origin every fixture is made with (statements name it).
pub const ORIGIN: &str = "http://localhost:8080";

/// `tests/fixtures/upgrade`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/upgrade")
}

/// What a fixture holds, as `fixture.json` says.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// The `coffre` version that made it (the directory's name).
    pub coffre_version: String,
    /// The newest migration of that version.
    pub schema_version: i64,
    pub origin: String,
    pub owner: FixtureOwner,
    pub sqlite: FixtureDatabase,
    pub postgres: FixtureDatabase,
}

/// The owner's keys (test keys).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureOwner {
    pub coffre: String,
    /// base64url of the 32-byte seed.
    pub seed: String,
    /// The carte's age identity (`AGE-SECRET-KEY-1…`).
    pub carte: String,
    pub categories: Vec<String>,
}

/// One database of the fixture.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureDatabase {
    pub instance: String,
    /// base64url of the server's Ed25519 public key.
    pub server_key: String,
    /// Every migration applied: `(version, checksum as hex)`.
    pub migrations: Vec<(i64, String)>,
    pub journal: Vec<FixtureEntry>,
    /// The owner-signed checkpoint the server kept (envelope, base64url).
    pub checkpoint: String,
    pub blob: FixtureBlob,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureEntry {
    pub seq: u64,
    pub action: String,
    /// The statement hash (base64url).
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureBlob {
    pub id: String,
    pub size: u64,
    /// Lowercase hex.
    pub sha256: String,
}

impl Fixture {
    /// Reads `DIR/fixture.json`.
    pub fn read(dir: &Path) -> Self {
        let path = dir.join("fixture.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

impl FixtureOwner {
    pub fn of(owner: &Owner) -> Self {
        use age::secrecy::ExposeSecret;
        Self {
            coffre: owner.coffre.to_string(),
            seed: b64(owner.seed.0.as_slice()),
            carte: owner.carte.identity.to_string().expose_secret().to_owned(),
            categories: owner.categories.iter().map(Id::to_string).collect(),
        }
    }

    /// The owner's device again, from the fixture's keys.
    pub fn owner(&self, instance: &str) -> Owner {
        let seed: [u8; 32] = unb64(&self.seed).unwrap().try_into().unwrap();
        let seed = OwnerSeed(zeroize::Zeroizing::new(seed));
        let keys = seed.keys().unwrap();
        Owner {
            instance: instance.to_owned(),
            coffre: Id::parse(&self.coffre).unwrap(),
            seed,
            keys,
            carte: Carte {
                identity: age::x25519::Identity::from_str(&self.carte).unwrap(),
            },
            categories: self
                .categories
                .iter()
                .map(|c| Id::parse(c).unwrap())
                .collect(),
        }
    }
}

/// The bytes of the fixture's blob (what a paper's ciphertext would be; 4 KiB).
pub fn blob_bytes() -> Vec<u8> {
    b"coffre upgrade fixture: not a real ciphertext. "
        .iter()
        .copied()
        .cycle()
        .take(4096)
        .collect()
}
