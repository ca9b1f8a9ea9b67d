//! Writes the upgrade fixture of this version (see `coffre_tests::fixture`):
//! `make-upgrade-fixture VERSION DIR`, run by `tests/fixtures/upgrade/make-fixture.sh` once
//! per release. It starts the real server in-process on SQLite and on PostgreSQL
//! (`TEST_DATABASE_URL`), opens one coffre through the API, signs in again, appends an
//! owner entry to its journal, keeps a checkpoint and stores a blob; then writes the SQLite
//! file (`VACUUM INTO`), a `pg_dump` of the PostgreSQL database, both blob stores and
//! `fixture.json`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use coffre_crypto::Context;
use coffre_crypto::encoding::{b64, unb64};
use coffre_crypto::journal::{Checkpoint, sign_checkpoint};
use coffre_crypto::statement::Envelope;
use coffre_server::domain::InstanceOrigin;
use coffre_tests::fixture::{
    Fixture, FixtureBlob, FixtureDatabase, FixtureEntry, FixtureOwner, ORIGIN, blob_bytes,
};
use coffre_tests::owner::{Browser, Owner, PIN, json_of, nonce, open_coffre, post};
use coffre_tests::{Backend, TestApp, TestEnv};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, version, dir] = args.as_slice() else {
        eprintln!("usage: make-upgrade-fixture VERSION DIR");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    if dir.exists() && std::fs::read_dir(&dir).unwrap().next().is_some() {
        eprintln!(
            "make-upgrade-fixture: {} is not empty: a fixture is kept as it was made",
            dir.display()
        );
        std::process::exit(1);
    }
    coffre_tests::init();
    let owner = Owner::new(ORIGIN);
    let sqlite = make(Backend::Sqlite, &owner, &dir.join("sqlite")).await;
    let postgres = make(Backend::Postgres, &owner, &dir.join("postgres")).await;
    let fixture = Fixture {
        coffre_version: version.clone(),
        schema_version: coffre_server::db::known_schema_version(coffre_server::db::Backend::Sqlite),
        origin: ORIGIN.to_owned(),
        owner: FixtureOwner::of(&owner),
        sqlite,
        postgres,
    };
    let mut text = serde_json::to_string_pretty(&fixture).unwrap();
    text.push('\n');
    std::fs::write(dir.join("fixture.json"), text).unwrap();
    println!("make-upgrade-fixture: wrote {}", dir.display());
}

/// One backend's database and blob store, written under `out`.
async fn make(backend: Backend, owner: &Owner, out: &Path) -> FixtureDatabase {
    let env = TestEnv::new(backend).await;
    let mut config = env.config();
    config.public_url = Some(InstanceOrigin::parse(ORIGIN).unwrap());
    let app = TestApp::builder(config).start().await;
    let browser = open_coffre(&app, owner).await;
    let (n, _) = nonce(&app).await;
    let (status, signed_in) = json_of(
        post(
            &app,
            &Browser::default(),
            "/api/sessions/carte",
            &owner.carte_sign_in(&n, PIN),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    let head = get(&app, &browser, "/api/journal/head").await;
    let (status, appended) = json_of(
        post(
            &app,
            &browser,
            "/api/journal",
            &owner.journal_entry(&head, "key_added"),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{appended}");

    let page = get(&app, &browser, "/api/journal").await;
    let entries: Vec<Envelope> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| Envelope::parse(&unb64(i["entry"].as_str().unwrap()).unwrap()).unwrap())
        .collect();
    let journal: Vec<FixtureEntry> = entries
        .iter()
        .enumerate()
        .map(|(seq, e)| FixtureEntry {
            seq: seq as u64,
            action: e
                .peek::<coffre_crypto::kinds::JournalEntry>()
                .unwrap()
                .action,
            hash: e.hash().unwrap().to_b64(),
        })
        .collect();
    assert_eq!(
        journal
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["coffre_created", "sign_in", "key_added"]
    );
    let ctx = Context {
        instance: ORIGIN.to_owned(),
        coffre: owner.coffre,
        epoch: 0,
    };
    let checkpoint = sign_checkpoint(
        &ctx,
        &owner.keys.signing,
        Checkpoint {
            seq: 2,
            hash: entries[2].hash().unwrap(),
        },
        1,
    )
    .unwrap();
    let checkpoint = b64(&checkpoint.to_bytes().unwrap());
    let kept = browser
        .with(
            app.client
                .put(app.at("/api/journal/checkpoint"))
                .json(&json!({ "checkpoint": checkpoint })),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), StatusCode::NO_CONTENT);
    let record = app.state.blobs.put_bytes(blob_bytes()).await.unwrap();
    let instance = app.state.instance.id.to_string();
    let server_key = app.state.server_key.public_key().to_b64();
    app.stop().await;

    std::fs::create_dir_all(out).unwrap();
    let migrations = match backend {
        Backend::Sqlite => {
            let file = env.data_dir().join("coffre.db");
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
                "sqlite://{}",
                file.display()
            ))
            .await
            .unwrap();
            sqlx::query("VACUUM INTO ?")
                .bind(out.join("coffre.db").to_str().unwrap())
                .execute(&mut conn)
                .await
                .unwrap();
            sqlx::query_as::<_, (i64, Vec<u8>)>(
                "SELECT version, checksum FROM _sqlx_migrations ORDER BY version",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap()
        }
        Backend::Postgres => {
            let url = env.db.url.clone().unwrap();
            pg_dump(&url, &out.join("dump.sql"));
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
                .await
                .unwrap();
            sqlx::query_as::<_, (i64, Vec<u8>)>(
                "SELECT version, checksum FROM _sqlx_migrations ORDER BY version",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap()
        }
    };
    copy_tree(&env.blob_dir(), &out.join("blobs"));
    FixtureDatabase {
        instance,
        server_key,
        migrations: migrations
            .into_iter()
            .map(|(v, sum)| (v, hex(&sum)))
            .collect(),
        journal,
        checkpoint,
        blob: FixtureBlob {
            id: record.id.to_string(),
            size: record.size,
            sha256: hex(&record.sha256.0),
        },
    }
}

async fn get(app: &TestApp, browser: &Browser, path: &str) -> serde_json::Value {
    let (status, body) = json_of(
        browser
            .with(app.client.get(app.at(path)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

/// A plain-SQL dump psql can load into an empty database. psql meta-commands that only
/// recent pg_dump versions write (`\restrict`) and settings older servers do not know
/// (`transaction_timeout`) are left out, so the fixture loads with any supported psql.
fn pg_dump(url: &str, to: &Path) {
    let output = Command::new("pg_dump")
        .args(["--no-owner", "--no-privileges", "--format=plain", url])
        .output()
        .expect("run pg_dump (postgresql-client)");
    assert!(
        output.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| {
            !l.starts_with("\\restrict")
                && !l.starts_with("\\unrestrict")
                && !l.starts_with("SET transaction_timeout")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(to, kept).unwrap();
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
