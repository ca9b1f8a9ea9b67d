//! `coffre backup`, `coffre restore` and `coffre verify`, on SQLite with blobs in a
//! directory and on PostgreSQL with blobs in S3 (moto): a backup taken while the server
//! serves and writes, restored into an empty instance with every row and blob back and a
//! verified `restored` entry in each journal; targets that are not empty and damaged
//! backups refused with nothing changed; `verify` naming corrupt, missing and extra
//! objects with exit status 2. Time comes from the injected clock.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use coffre_crypto::Context;
use coffre_crypto::journal::{verify_inclusion_receipt, verify_journal};
use coffre_crypto::kinds::{JournalBodyPayload, JournalEntry};
use coffre_crypto::statement::Envelope;
use coffre_server::backup::{self, BackupError, VerifyReport};
use coffre_server::blobs::{BlobBackend, BlobError, object_path};
use coffre_server::clock::{ManualClock, SharedClock};
use coffre_server::config::{BlobLocation, Config};
use coffre_server::db::SharedStore;
use coffre_server::db::backup::SnapshotError;
use coffre_server::domain::{BlobId, BlobRecord, CoffreId, InstanceOrigin};
use coffre_tests::moto::S3Endpoint;
use coffre_tests::owner::{Browser, Owner, PIN, nonce, open_coffre, post};
use coffre_tests::process::run_coffre_code;
use coffre_tests::{Backend, TestApp, TestEnv};
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use reqwest::StatusCode;
use time::OffsetDateTime;

/// Where the blobs of a test instance live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Blobs {
    Local,
    S3,
}

/// One instance's storage: a fresh database and data directory, and a fresh bucket for S3.
struct Site {
    env: TestEnv,
    config: Config,
    bucket: Option<String>,
}

impl Site {
    /// `origin`: the instance origin to name (a restored instance must keep its own).
    async fn new(backend: Backend, blobs: Blobs, origin: Option<&InstanceOrigin>) -> Self {
        let env = TestEnv::new(backend).await;
        let mut config = env.config();
        config.public_url = origin.cloned();
        let bucket = match blobs {
            Blobs::Local => None,
            Blobs::S3 => {
                let s3 = S3Endpoint::shared().await;
                let bucket = s3.create_bucket().await;
                config.blob_url = Some(BlobLocation::parse(&format!("s3://{bucket}")).unwrap());
                config.s3 = s3.config();
                Some(bucket)
            }
        };
        Self {
            env,
            config,
            bucket,
        }
    }

    async fn start(&self, clock: &Arc<ManualClock>) -> TestApp {
        TestApp::builder(self.config.clone())
            .clock(clock.clone())
            .start()
            .await
    }

    /// The blob store itself, bypassing the blob service.
    fn raw_objects(&self) -> Arc<dyn ObjectStore> {
        match &self.bucket {
            Some(bucket) => BlobBackend::s3(bucket, None, &self.config.s3).unwrap(),
            None => BlobBackend::local(&self.env.blob_dir()).unwrap(),
        }
        .objects()
        .clone()
    }

    /// Every object name in the blob store.
    async fn object_names(&self) -> Vec<String> {
        use futures::TryStreamExt;
        let mut names: Vec<String> = self
            .raw_objects()
            .list(None)
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
            .unwrap();
        names.sort();
        names
    }

    /// The environment of a `coffre` child process configured like this site.
    async fn child_env(&self) -> Vec<(String, String)> {
        let mut vars = self.env.child_env();
        if let Some(bucket) = &self.bucket {
            vars.extend(S3Endpoint::shared().await.child_env(bucket));
        }
        vars
    }

    /// Whether the database holds anything at all (SQLite: the file exists; PostgreSQL:
    /// a table exists).
    async fn database_is_untouched(&self) -> bool {
        match &self.env.db.url {
            None => !self.env.data_dir().join("coffre.db").exists(),
            Some(url) => {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
                let (tables,): (i64,) =
                    sqlx::query_as("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                        .fetch_one(&mut conn)
                        .await
                        .unwrap();
                conn.close().await.ok();
                tables == 0
            }
        }
    }
}

fn start_time() -> OffsetDateTime {
    time::macros::datetime!(2026-12-01 10:00 UTC)
}

fn backup_time() -> OffsetDateTime {
    time::macros::datetime!(2026-12-03 18:30:15.25 UTC)
}

fn bytes_of(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn shared(clock: &Arc<ManualClock>) -> SharedClock {
    clock.clone()
}

async fn sign_in_carte(app: &TestApp, owner: &Owner) -> reqwest::Response {
    let (nonce, _) = nonce(app).await;
    post(
        app,
        &Browser::default(),
        "/api/sessions/carte",
        &owner.carte_sign_in(&nonce, PIN),
    )
    .await
}

/// Verifies the coffre's whole journal as its owner's client would (chain, signer per
/// action, receipts, bodies); returns each entry's action and opened body.
async fn verified_journal(
    store: &SharedStore,
    server: &coffre_crypto::encoding::PublicKey,
    owner: &Owner,
) -> Vec<(String, JournalBodyPayload)> {
    let rows = store
        .journal(CoffreId(owner.coffre.0), 0, 1000)
        .await
        .unwrap();
    let ctx = Context {
        instance: owner.instance.clone(),
        coffre: owner.coffre,
        epoch: 0,
    };
    let envelopes: Vec<Envelope> = rows
        .iter()
        .map(|r| Envelope::parse(&r.entry).unwrap())
        .collect();
    let server_actions = [
        "coffre_created",
        "sign_in",
        "sign_in_failed",
        "carte_locked",
        "restored",
    ];
    let owner_key = owner.keys.public();
    verify_journal(&envelopes, None, &ctx, &|actor, entry| {
        if server_actions.contains(&entry.action.as_str()) {
            actor == server
        } else {
            *actor == owner_key
        }
    })
    .unwrap();
    rows.iter()
        .zip(&envelopes)
        .map(|(row, env)| {
            let entry = env.peek::<JournalEntry>().unwrap();
            let receipt = Envelope::parse(&row.receipt).unwrap();
            verify_inclusion_receipt(&receipt, server, &ctx, entry.seq, &env.hash().unwrap())
                .unwrap();
            assert_eq!(
                entry.body_sha256.0,
                coffre_crypto::encoding::sha256(&row.body)
            );
            let body: JournalBodyPayload =
                coffre_crypto::age_io::decrypt_payload(&owner.keys.identity, &row.body).unwrap();
            (entry.action.clone(), body)
        })
        .collect()
}

fn actions(journal: &[(String, JournalBodyPayload)]) -> Vec<&str> {
    journal.iter().map(|(a, _)| a.as_str()).collect()
}

/// What a backup of an instance with two coffres and blobs of several sizes leaves.
struct Original {
    /// The instance backed up (kept until the test ends).
    _site: Site,
    clock: Arc<ManualClock>,
    owners: Vec<Owner>,
    /// The blobs written before the backup, with their bytes.
    blobs: Vec<(BlobRecord, Vec<u8>)>,
    dir: tempfile::TempDir,
}

/// An instance serving two coffres and blobs of 0 B, 1 B, 3 kB and 6 MiB (multipart),
/// plus one blob being deleted; backed up while another task keeps writing blobs.
async fn backed_up(backend: Backend, blobs: Blobs) -> Original {
    let clock = Arc::new(ManualClock::new(start_time()));
    let site = Site::new(backend, blobs, None).await;
    let app = site.start(&clock).await;
    let mut owners = Vec::new();
    for _ in 0..2 {
        let owner = Owner::new(app.state.origin.as_str());
        open_coffre(&app, &owner).await;
        owners.push(owner);
    }
    let mut written = Vec::new();
    for (len, seed) in [(0, 0), (1, 1), (3000, 2), (6 * 1024 * 1024 + 7, 3)] {
        let bytes = bytes_of(len, seed);
        written.push((
            app.state.blobs.put_bytes(bytes.clone()).await.unwrap(),
            bytes,
        ));
    }
    let deleting = app.state.blobs.put_bytes(bytes_of(10, 9)).await.unwrap();
    assert!(
        app.state
            .store
            .mark_blob_deleting(deleting.id)
            .await
            .unwrap()
    );

    // The backup runs while the server serves and another writer keeps adding blobs.
    let writer = {
        let blobs = app.state.blobs.clone();
        tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..20u8 {
                ids.push(blobs.put_bytes(bytes_of(2000, i)).await.unwrap().id);
            }
            ids
        })
    };
    clock.set(backup_time());
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("backup");
    let done = backup::backup(&site.config, &shared(&clock), &target)
        .await
        .unwrap();
    let concurrent = writer.await.unwrap();
    assert_eq!(done.blobs, done.manifest.blobs.len());
    let listed: Vec<&str> = done.manifest.blobs.iter().map(|b| b.id.as_str()).collect();
    for (record, _) in &written {
        assert!(
            listed.contains(&record.id.to_string().as_str()),
            "{}",
            record.id
        );
    }
    assert!(
        !listed.contains(&deleting.id.to_string().as_str()),
        "a blob being deleted is not backed up"
    );
    assert!(listed.len() <= written.len() + concurrent.len());
    assert_eq!(done.manifest.instance, app.state.instance.id.0);
    assert_eq!(
        done.manifest.schema_version,
        app.state.instance.schema_version
    );
    assert_eq!(done.manifest.taken_at, "2026-12-03T18:30:15.25Z");
    assert_eq!(done.manifest.coffre_version, env!("CARGO_PKG_VERSION"));

    // What happens after the backup is not in it.
    clock.advance(time::Duration::hours(1));
    assert_eq!(
        sign_in_carte(&app, &owners[0]).await.status(),
        StatusCode::OK
    );
    app.state.blobs.put_bytes(bytes_of(50, 50)).await.unwrap();
    app.stop().await;

    Original {
        _site: site,
        clock,
        owners,
        blobs: written,
        dir,
    }
}

impl Original {
    fn backup_dir(&self) -> PathBuf {
        self.dir.path().join("backup")
    }

    /// A fresh empty instance with the same origin.
    async fn empty_target(&self, backend: Backend, blobs: Blobs) -> Site {
        let origin = InstanceOrigin::parse(&self.owners[0].instance).unwrap();
        Site::new(backend, blobs, Some(&origin)).await
    }
}

async fn round_trip(backend: Backend, blobs: Blobs) {
    let original = backed_up(backend, blobs).await;
    let dir = original.backup_dir();
    let (manifest, report) = backup::verify_backup(&dir).await.unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.good, manifest.blobs.len() as u64);

    let target = original.empty_target(backend, blobs).await;
    let clock = &original.clock;
    clock.advance(time::Duration::days(2));
    let restored = backup::restore(&target.config, &shared(clock), &dir)
        .await
        .unwrap();
    assert_eq!(restored.coffres, 2);
    assert_eq!(restored.blobs, manifest.blobs.len());
    assert_eq!(restored.sessions_ended, 2, "the two sessions of the backup");
    assert_eq!(restored.instance.0, manifest.instance);

    let app = target.start(clock).await;
    // Every row and every blob is back, byte for byte; nothing else is.
    let rows = app.state.blobs.list(u32::MAX).await.unwrap();
    let mut row_ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    let mut listed: Vec<String> = manifest.blobs.iter().map(|b| b.id.clone()).collect();
    row_ids.sort();
    listed.sort();
    assert_eq!(row_ids, listed);
    for (record, bytes) in &original.blobs {
        assert_eq!(&app.state.blobs.record(record.id).await.unwrap(), record);
        assert_eq!(&app.state.blobs.get_bytes(record.id).await.unwrap(), bytes);
    }
    for row in &rows {
        app.state.blobs.get_bytes(row.id).await.unwrap();
    }
    assert_eq!(target.object_names().await.len(), rows.len());
    let live = backup::verify_live(&app.state.store, &target.raw_objects())
        .await
        .unwrap();
    assert!(live.is_clean(), "{live:?}");

    // Each journal ends with a `restored` entry, signed by the same server key and
    // verified, that says when the backup was taken; the sign-in after the backup is gone.
    let server = app.state.server_key.public_key();
    let backup_secs = backup_time().unix_timestamp() as u64;
    for owner in &original.owners {
        let journal = verified_journal(&app.state.store, &server, owner).await;
        assert_eq!(actions(&journal), ["coffre_created", "restored"]);
        assert_eq!(journal[1].1.backup_time, Some(backup_secs));
    }
    // The owner signs in again (the backup's sessions are over) and reads it over HTTP.
    assert_eq!(
        sign_in_carte(&app, &original.owners[0]).await.status(),
        StatusCode::OK
    );
    let journal = verified_journal(&app.state.store, &server, &original.owners[0]).await;
    assert_eq!(actions(&journal), ["coffre_created", "restored", "sign_in"]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_local_files_back_up_while_serving_and_restore() {
    round_trip(Backend::Sqlite, Blobs::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn postgres_and_s3_back_up_while_serving_and_restore() {
    round_trip(Backend::Postgres, Blobs::S3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_s3_back_up_and_restore() {
    round_trip(Backend::Sqlite, Blobs::S3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn postgres_and_local_files_back_up_and_restore() {
    round_trip(Backend::Postgres, Blobs::Local).await;
}

async fn refuses_targets_that_are_not_empty(backend: Backend, blobs: Blobs) {
    let original = backed_up(backend, blobs).await;
    let dir = original.backup_dir();
    let clock = shared(&original.clock);

    // A database that already has an instance.
    let used = original.empty_target(backend, blobs).await;
    let app = used.start(&original.clock).await;
    let instance = app.state.instance.clone();
    app.stop().await;
    let error = backup::restore(&used.config, &clock, &dir)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            BackupError::Snapshot(SnapshotError::TargetNotEmpty(_))
        ),
        "{error}"
    );
    assert!(error.to_string().contains("nothing was changed"), "{error}");
    let app = used.start(&original.clock).await;
    assert_eq!(app.state.instance, instance, "the instance is left alone");
    assert!(app.state.store.coffre_ids().await.unwrap().is_empty());
    assert!(app.state.blobs.list(10).await.unwrap().is_empty());
    app.stop().await;
    assert!(used.object_names().await.is_empty(), "no blob was copied");

    // An empty database, but a blob store with an object in it.
    let crowded = original.empty_target(backend, blobs).await;
    let stray = object_path(BlobId::random());
    crowded
        .raw_objects()
        .put(&stray, PutPayload::from_static(b"not ours"))
        .await
        .unwrap();
    let error = backup::restore(&crowded.config, &clock, &dir)
        .await
        .unwrap_err();
    assert!(
        matches!(error, BackupError::BlobStoreNotEmpty(_)),
        "{error}"
    );
    assert!(
        crowded.database_is_untouched().await,
        "no database was written"
    );
    assert_eq!(crowded.object_names().await, [stray.to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_restore_refuses_a_target_that_is_not_empty() {
    refuses_targets_that_are_not_empty(Backend::Sqlite, Blobs::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn postgres_restore_refuses_a_target_that_is_not_empty() {
    refuses_targets_that_are_not_empty(Backend::Postgres, Blobs::S3).await;
}

/// Copies a backup directory (blobs included) so each test damages its own copy.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The file of blob `id` in a backup directory.
fn backup_blob(dir: &Path, id: &str) -> PathBuf {
    dir.join("blobs").join(&id[..2]).join(id)
}

fn edit_manifest(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

async fn refuses_damaged_backups(backend: Backend) {
    let original = backed_up(backend, Blobs::Local).await;
    let clean = original.backup_dir();
    let clock = shared(&original.clock);
    let (manifest, _) = backup::verify_backup(&clean).await.unwrap();
    let big = manifest
        .blobs
        .iter()
        .find(|b| b.size > 1024 * 1024)
        .unwrap()
        .id
        .clone();
    let small = manifest
        .blobs
        .iter()
        .find(|b| b.size == 3000)
        .unwrap()
        .id
        .clone();
    let other_hash = manifest
        .blobs
        .iter()
        .find(|b| b.size == 1)
        .unwrap()
        .sha256
        .clone();

    type Damage = Box<dyn Fn(&Path)>;
    let damages: Vec<(&str, Damage, &str)> = vec![
        (
            "a truncated blob",
            Box::new({
                let big = big.clone();
                move |dir| {
                    let file = std::fs::OpenOptions::new()
                        .write(true)
                        .open(backup_blob(dir, &big))
                        .unwrap();
                    file.set_len(1024 * 1024).unwrap();
                }
            }),
            "corrupt blob",
        ),
        (
            "a manifest with another blob's hash",
            Box::new({
                let small = small.clone();
                move |dir| {
                    edit_manifest(dir, |m| {
                        for blob in m["blobs"].as_array_mut().unwrap() {
                            if blob["id"] == small.as_str() {
                                blob["sha256"] = other_hash.clone().into();
                            }
                        }
                    })
                }
            }),
            "corrupt blob",
        ),
        (
            "a manifest that leaves a blob out",
            Box::new({
                let small = small.clone();
                move |dir| {
                    edit_manifest(dir, |m| {
                        m["blobs"]
                            .as_array_mut()
                            .unwrap()
                            .retain(|b| b["id"] != small.as_str())
                    })
                }
            }),
            "extra object",
        ),
        (
            "a deleted blob",
            Box::new({
                let small = small.clone();
                move |dir| std::fs::remove_file(backup_blob(dir, &small)).unwrap()
            }),
            "missing blob",
        ),
        (
            "a changed database snapshot",
            Box::new(|dir| {
                let file = std::fs::read_dir(dir)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .find(|p| p.is_file() && !p.ends_with("manifest.json"))
                    .unwrap();
                let mut bytes = std::fs::read(&file).unwrap();
                let last = bytes.len() - 1;
                bytes[last] ^= 0x01;
                std::fs::write(&file, bytes).unwrap();
            }),
            "database snapshot",
        ),
    ];
    for (what, damage, named) in damages {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().join("backup");
        copy_dir(&clean, &dir);
        damage(&dir);
        let (_, report) = backup::verify_backup(&dir).await.unwrap();
        assert!(!report.is_clean(), "{what}: {report:?}");
        assert!(
            report.lines().iter().any(|l| l.starts_with(named)),
            "{what}: {:?}",
            report.lines()
        );
        let target = original.empty_target(backend, Blobs::Local).await;
        let error = backup::restore(&target.config, &clock, &dir)
            .await
            .unwrap_err();
        assert!(matches!(error, BackupError::Damaged(_)), "{what}: {error}");
        assert!(
            error.to_string().contains("nothing was restored"),
            "{error}"
        );
        assert!(target.database_is_untouched().await, "{what}");
        assert!(!target.env.blob_dir().exists(), "{what}: no blob copied");
        // `coffre verify --backup` says so with exit status 2.
        let (code, stdout, _) =
            run_coffre_code(&["verify", "--backup", dir.to_str().unwrap()], &[]).await;
        assert_eq!(code, Some(2), "{what}: {stdout}");
        assert!(stdout.contains(named), "{what}: {stdout}");
    }

    // A manifest that is not one is refused as such.
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("backup");
    copy_dir(&clean, &dir);
    edit_manifest(&dir, |m| m["format"] = "coffre-backup/v0".into());
    let target = original.empty_target(backend, Blobs::Local).await;
    let error = backup::restore(&target.config, &clock, &dir)
        .await
        .unwrap_err();
    assert!(matches!(error, BackupError::BadManifest(_)), "{error}");
    assert!(target.database_is_untouched().await);

    // The clean copy still verifies (the damage was done to copies).
    let (code, stdout, _) =
        run_coffre_code(&["verify", "--backup", clean.to_str().unwrap()], &[]).await;
    assert_eq!(code, Some(0), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_restore_refuses_a_damaged_backup() {
    refuses_damaged_backups(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn postgres_restore_refuses_a_damaged_backup() {
    refuses_damaged_backups(Backend::Postgres).await;
}

/// Runs `coffre verify` on `site`; returns its exit code and stdout.
async fn verify_cli(site: &Site) -> (Option<i32>, String) {
    let (code, stdout, stderr) = run_coffre_code(&["verify"], &site.child_env().await).await;
    assert!(
        code == Some(0) || code == Some(2),
        "verify could not run: {stderr}"
    );
    (code, stdout)
}

fn problem_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.contains(" blob ") || l.contains("extra object"))
        .collect()
}

async fn verify_names_each_problem(backend: Backend, blobs: Blobs) {
    let clock = Arc::new(ManualClock::new(start_time()));
    let site = Site::new(backend, blobs, None).await;
    let app = site.start(&clock).await;
    let mut ids = Vec::new();
    for seed in 0..3 {
        ids.push(
            app.state
                .blobs
                .put_bytes(bytes_of(5000, seed))
                .await
                .unwrap()
                .id,
        );
    }
    let raw = site.raw_objects();
    // Served meanwhile: verify reads the same database as the running server.
    let (code, stdout) = verify_cli(&site).await;
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("3 blobs good, 0 corrupt, 0 missing, 0 extra"),
        "{stdout}"
    );

    // One byte flipped.
    let path = object_path(ids[0]);
    let mut bytes = raw
        .get(&path)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    bytes[100] ^= 0x40;
    raw.put(&path, PutPayload::from(bytes)).await.unwrap();
    let (code, stdout) = verify_cli(&site).await;
    assert_eq!(code, Some(2), "{stdout}");
    assert_eq!(
        problem_lines(&stdout),
        [format!(
            "coffre: corrupt blob {}: its size or SHA-256 is not the recorded one",
            ids[0]
        )]
    );

    // One object removed.
    raw.delete(&object_path(ids[1])).await.unwrap();
    let (code, stdout) = verify_cli(&site).await;
    assert_eq!(code, Some(2), "{stdout}");
    assert!(
        stdout.contains(&format!("missing blob {}", ids[1])),
        "{stdout}"
    );
    assert_eq!(problem_lines(&stdout).len(), 2, "{stdout}");

    // One object that no row names.
    let extra = object_path(BlobId::random());
    raw.put(&extra, PutPayload::from_static(b"nobody's"))
        .await
        .unwrap();
    let (code, stdout) = verify_cli(&site).await;
    assert_eq!(code, Some(2), "{stdout}");
    assert!(
        stdout.contains(&format!("extra object {extra}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 blobs good, 1 corrupt, 1 missing, 1 extra"),
        "{stdout}"
    );

    // The same through the library, as restore uses it.
    let report = backup::verify_live(&app.state.store, &raw).await.unwrap();
    assert_eq!(
        report,
        VerifyReport {
            good: 1,
            missing: vec![ids[1]],
            corrupt: vec![ids[0]],
            extra: vec![extra.to_string()],
            database: None,
        }
    );
    // A backup refuses to copy the corrupt blob.
    let dir = tempfile::tempdir().unwrap();
    let error = backup::backup(&site.config, &shared(&clock), dir.path())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            BackupError::Blob(BlobError::Corrupt(id)) if id == ids[0]
        ) || matches!(error, BackupError::VanishedDuringBackup(id) if id == ids[1]),
        "{error}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_verify_names_corrupt_missing_and_extra_objects() {
    verify_names_each_problem(Backend::Sqlite, Blobs::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn postgres_verify_names_corrupt_missing_and_extra_objects_on_s3() {
    verify_names_each_problem(Backend::Postgres, Blobs::S3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_refuses_a_directory_that_is_not_empty() {
    let clock = Arc::new(ManualClock::new(start_time()));
    let site = Site::new(Backend::Sqlite, Blobs::Local, None).await;
    site.start(&clock).await.stop().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.txt"), "x").unwrap();
    let error = backup::backup(&site.config, &shared(&clock), dir.path())
        .await
        .unwrap_err();
    assert!(
        matches!(error, BackupError::DirectoryNotEmpty(_)),
        "{error}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // And there is nothing to back up where no database was ever made.
    let nowhere = Site::new(Backend::Sqlite, Blobs::Local, None).await;
    let error = backup::backup(&nowhere.config, &shared(&clock), &dir.path().join("new"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, BackupError::Snapshot(SnapshotError::NoDatabase(_))),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_backs_up_and_restores() {
    let clock = Arc::new(ManualClock::new(start_time()));
    let site = Site::new(Backend::Sqlite, Blobs::Local, None).await;
    let app = site.start(&clock).await;
    let owner = Owner::new(app.state.origin.as_str());
    open_coffre(&app, &owner).await;
    let blob = app.state.blobs.put_bytes(bytes_of(4000, 4)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("b");
    let (code, stdout, stderr) = run_coffre_code(
        &["backup", "--to", to.to_str().unwrap()],
        &site.child_env().await,
    )
    .await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("coffre: backup written to"), "{stdout}");
    app.stop().await;

    let origin = InstanceOrigin::parse(&owner.instance).unwrap();
    let target = Site::new(Backend::Sqlite, Blobs::Local, Some(&origin)).await;
    let mut vars = target.child_env().await;
    vars.push(("COFFRE_PUBLIC_URL".into(), owner.instance.clone()));
    let (code, stdout, stderr) =
        run_coffre_code(&["restore", "--from", to.to_str().unwrap()], &vars).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("1 blobs verified, 1 coffres"), "{stdout}");
    // A second restore into the now full target is refused (exit status 1).
    let (code, _, stderr) =
        run_coffre_code(&["restore", "--from", to.to_str().unwrap()], &vars).await;
    assert_eq!(code, Some(1));
    assert!(stderr.contains("not empty"), "{stderr}");

    let app = target.start(&clock).await;
    assert_eq!(app.state.blobs.record(blob.id).await.unwrap(), blob);
    let journal =
        verified_journal(&app.state.store, &app.state.server_key.public_key(), &owner).await;
    assert_eq!(actions(&journal), ["coffre_created", "restored"]);
    app.stop().await;
}
