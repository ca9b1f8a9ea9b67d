//! Upgrades: every release's fixture (`tests/fixtures/upgrade/VERSION/`, see
//! `coffre_tests::fixture`) opened by this binary. On SQLite with the in-process server; on
//! PostgreSQL with three `coffre serve` replicas starting together on the restored dump.
//! Each time: the migrations the fixture had are kept as they were (same checksum, same
//! time: none ran again), the ones this binary adds are applied once and all succeeded;
//! the instance, its server key, the coffre, its journal (verified), its checkpoint and its
//! blob are intact; the owner signs in with the fixture's carte and the journal goes on.

use std::path::{Path, PathBuf};

use coffre_crypto::Context;
use coffre_crypto::encoding::{PublicKey, unb64};
use coffre_crypto::journal::verify_journal;
use coffre_crypto::statement::Envelope;
use coffre_server::domain::InstanceOrigin;
use coffre_tests::fixture::{Fixture, FixtureDatabase, blob_bytes, fixtures_dir};
use coffre_tests::owner::{Browser, Owner, PIN};
use coffre_tests::process::{run_coffre_code, start_replicas};
use coffre_tests::{Backend, TestApp, TestDb};
use reqwest::StatusCode;
use serde_json::Value;

/// Every fixture directory, oldest version first (there is at least one).
fn fixtures() -> Vec<(PathBuf, Fixture)> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("fixture.json").is_file())
        .collect();
    dirs.sort();
    assert!(
        !dirs.is_empty(),
        "no fixture in {}",
        fixtures_dir().display()
    );
    dirs.into_iter()
        .map(|dir| {
            let fixture = Fixture::read(&dir);
            assert_eq!(
                dir.file_name().and_then(|n| n.to_str()),
                Some(fixture.coffre_version.as_str()),
                "a fixture's directory is named after its version"
            );
            (dir, fixture)
        })
        .collect()
}

/// The migration versions this binary knows, from `migrations/DIR`.
fn known_versions(dir: &str) -> Vec<i64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(dir);
    let mut versions: Vec<i64> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.split('_').next().unwrap().parse().unwrap()
        })
        .collect();
    versions.sort();
    versions
}

/// `_sqlx_migrations`: (version, checksum as hex, installed_on as text, success).
type MigrationRow = (i64, Vec<u8>, String, bool);
const MIGRATIONS: &str = "SELECT version, checksum, CAST(installed_on AS TEXT), success \
                          FROM _sqlx_migrations ORDER BY version";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bookkeeping before and after: the fixture's rows untouched, this binary's new
/// migrations applied once, every one successful.
fn check_bookkeeping(
    fixture: &FixtureDatabase,
    before: &[MigrationRow],
    after: &[MigrationRow],
    known: &[i64],
) {
    let listed: Vec<(i64, String)> = before.iter().map(|(v, c, _, _)| (*v, hex(c))).collect();
    assert_eq!(
        listed, fixture.migrations,
        "the fixture is what fixture.json says"
    );
    assert_eq!(
        after.iter().map(|r| r.0).collect::<Vec<_>>(),
        known,
        "every migration this binary knows, each once"
    );
    assert!(
        after.iter().all(|r| r.3),
        "every migration succeeded: {after:?}"
    );
    for old in before {
        let now = after.iter().find(|r| r.0 == old.0).unwrap();
        assert_eq!(
            now, old,
            "migration {} kept as it was (not run again)",
            old.0
        );
    }
    let added = after.len() - before.len();
    eprintln!(
        "upgrade: {} migrations in the fixture, {added} applied by this binary",
        before.len()
    );
}

/// A client of one server (or of any replica).
struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    fn new(base: String) -> Self {
        Self {
            http: reqwest::Client::new(),
            base,
        }
    }

    async fn get(&self, browser: &Browser, path: &str) -> Value {
        let response = browser
            .with(self.http.get(format!("{}{path}", self.base)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.unwrap()
    }

    /// Signs in with the fixture's carte and PIN (a new `sign_in` journal entry).
    async fn sign_in(&self, owner: &Owner) -> Browser {
        let nonce: Value = self
            .http
            .post(format!("{}/api/auth/nonce", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let response = self
            .http
            .post(format!("{}/api/sessions/carte", self.base))
            .json(&owner.carte_sign_in(nonce["nonce"].as_str().unwrap(), PIN))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "the fixture's carte signs in"
        );
        let headers = response.headers().clone();
        let body: Value = response.json().await.unwrap();
        let mut browser = Browser::default();
        browser.adopt(&headers, &body);
        browser
    }

    /// The instance's server key, as `/api/instance` serves it.
    async fn server_key(&self) -> String {
        let info = self.get(&Browser::default(), "/api/instance").await;
        info["server_key"].as_str().unwrap().to_owned()
    }
}

/// The journal read through `reader` is the fixture's, then one `sign_in` (the sign-in
/// just made), verified whole; the checkpoint read through `checkpoints` is the fixture's.
async fn check_coffre(
    fixture: &Fixture,
    db: &FixtureDatabase,
    owner: &Owner,
    reader: &Client,
    checkpoints: &Client,
    browser: &Browser,
) {
    let page = reader.get(browser, "/api/journal").await;
    let entries: Vec<Envelope> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| Envelope::parse(&unb64(i["entry"].as_str().unwrap()).unwrap()).unwrap())
        .collect();
    let server = PublicKey::from_b64(&db.server_key).unwrap();
    let owner_key = owner.keys.public();
    let allowed =
        |k: &PublicKey, _: &coffre_crypto::kinds::JournalEntry| *k == server || *k == owner_key;
    let ctx = Context {
        instance: fixture.origin.clone(),
        coffre: owner.coffre,
        epoch: 0,
    };
    verify_journal(&entries, None, &ctx, &allowed).expect("the journal verifies");
    assert_eq!(entries.len(), db.journal.len() + 1);
    for (entry, expected) in entries.iter().zip(&db.journal) {
        let body = entry.peek::<coffre_crypto::kinds::JournalEntry>().unwrap();
        assert_eq!(
            (
                body.seq,
                body.action.as_str(),
                entry.hash().unwrap().to_b64()
            ),
            (
                expected.seq,
                expected.action.as_str(),
                expected.hash.clone()
            )
        );
    }
    let last = entries
        .last()
        .unwrap()
        .peek::<coffre_crypto::kinds::JournalEntry>()
        .unwrap();
    assert_eq!(last.action, "sign_in");
    let kept = checkpoints.get(browser, "/api/journal/checkpoint").await;
    assert_eq!(kept["checkpoint"].as_str(), Some(db.checkpoint.as_str()));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `coffre verify` on the upgraded store: every blob matches its row, nothing missing or extra.
async fn verify_clean(vars: &[(String, String)]) {
    let (code, stdout, stderr) = run_coffre_code(&["verify"], vars).await;
    assert_eq!(code, Some(0), "coffre verify:\n{stdout}\n{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_release_fixture_opens_on_sqlite() {
    coffre_tests::init();
    for (dir, fixture) in fixtures() {
        let db = &fixture.sqlite;
        let data = tempfile::tempdir().unwrap();
        std::fs::copy(dir.join("sqlite/coffre.db"), data.path().join("coffre.db")).unwrap();
        copy_tree(&dir.join("sqlite/blobs"), &data.path().join("blobs"));
        let url = format!("sqlite://{}", data.path().join("coffre.db").display());
        let read_migrations = || async {
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
                .await
                .unwrap();
            sqlx::query_as::<_, MigrationRow>(MIGRATIONS)
                .fetch_all(&mut conn)
                .await
                .unwrap()
        };
        let before = read_migrations().await;

        let config = coffre_server::config::Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: data.path().to_path_buf(),
            public_url: Some(InstanceOrigin::parse(&fixture.origin).unwrap()),
            ..Default::default()
        };
        let app = TestApp::builder(config).start().await;
        assert_eq!(app.state.instance.id.to_string(), db.instance);
        assert_eq!(
            app.state.instance.schema_version,
            app.state.store.latest_migration()
        );
        assert!(app.state.instance.schema_version >= fixture.schema_version);
        let client = Client::new(app.url.clone());
        assert_eq!(client.server_key().await, db.server_key);
        let owner = fixture.owner.owner(&fixture.origin);
        let browser = client.sign_in(&owner).await;
        check_coffre(&fixture, db, &owner, &client, &client, &browser).await;
        let id = db.blob.id.parse().unwrap();
        let record = app.state.blobs.record(id).await.unwrap();
        assert_eq!(
            (record.size, hex(&record.sha256.0)),
            (db.blob.size, db.blob.sha256.clone())
        );
        assert_eq!(app.state.blobs.get_bytes(id).await.unwrap(), blob_bytes());
        app.stop().await;

        let after = read_migrations().await;
        check_bookkeeping(db, &before, &after, &known_versions("sqlite"));
        verify_clean(&[(
            "COFFRE_DATA_DIR".to_owned(),
            data.path().display().to_string(),
        )])
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn every_release_fixture_opens_on_postgres_with_replicas_starting_together() {
    coffre_tests::init();
    for (dir, fixture) in fixtures() {
        let db = &fixture.postgres;
        let target = TestDb::new(Backend::Postgres).await;
        let url = target.url.clone().unwrap();
        let loaded = tokio::process::Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
            .arg(dir.join("postgres/dump.sql"))
            .arg(&url)
            .output()
            .await
            .expect("run psql (postgresql-client)");
        assert!(
            loaded.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&loaded.stderr)
        );
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let read_migrations = || async {
            sqlx::query_as::<_, MigrationRow>(MIGRATIONS)
                .fetch_all(&pool)
                .await
                .unwrap()
        };
        let before = read_migrations().await;
        let blobs = tempfile::tempdir().unwrap();
        copy_tree(&dir.join("postgres/blobs"), blobs.path());
        let vars = vec![
            ("COFFRE_DATABASE_URL".to_owned(), url.clone()),
            (
                "COFFRE_BLOB_URL".to_owned(),
                blobs.path().display().to_string(),
            ),
            ("COFFRE_PUBLIC_URL".to_owned(), fixture.origin.clone()),
        ];
        // Three replicas of the new binary start together on the old database.
        let replicas = start_replicas(3, &vars).await;
        let after = read_migrations().await;
        check_bookkeeping(db, &before, &after, &known_versions("postgres"));
        let (instance, schema): (uuid::Uuid, i64) =
            sqlx::query_as("SELECT id, schema_version FROM instance")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(instance.to_string(), db.instance);
        assert_eq!(
            schema,
            coffre_server::db::known_schema_version(coffre_server::db::Backend::Postgres)
        );
        let clients: Vec<Client> = replicas
            .iter()
            .map(|r| Client::new(format!("http://{}", r.addr)))
            .collect();
        for client in &clients {
            assert_eq!(client.server_key().await, db.server_key);
        }
        // Sign in through one replica, read through the second, the checkpoint through the third.
        let owner = fixture.owner.owner(&fixture.origin);
        let browser = clients[0].sign_in(&owner).await;
        check_coffre(&fixture, db, &owner, &clients[1], &clients[2], &browser).await;
        for mut replica in replicas {
            replica.child.signal("TERM").await;
            assert_eq!(replica.child.wait().await.code(), Some(0));
        }
        pool.close().await;
        verify_clean(&vars).await;
    }
}
