//! The SQLite and PostgreSQL migrations stay in step.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use coffre_server::app::open_store;
use coffre_server::clock::SystemClock;
use coffre_server::db::schema::{ColumnKind, IndexOrigin};
use coffre_server::db::{SchemaInfo, schema_differences};
use coffre_server::domain::{BlobId, InstanceId, Timestamp};
use coffre_tests::{Backend, TestEnv, on_both_backends};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

on_both_backends!(text_times_of_the_first_schema_are_converted_exactly);

/// The first migration: times were RFC 3339 text on SQLite, timestamptz on PostgreSQL.
const FIRST_MIGRATION: &str = "20261123000001_foundation.sql";

fn migrations_dir(dir: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(dir)
}

fn migration_files(dir: &str) -> BTreeSet<String> {
    let path = migrations_dir(dir);
    std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_backends_have_the_same_migration_files() {
    let sqlite = migration_files("sqlite");
    let postgres = migration_files("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "same versions and names in migrations/sqlite and migrations/postgres"
    );
}

/// Both databases migrated by this binary, as stores, plus what they were opened with.
async fn both_migrated() -> (
    TestEnv,
    TestEnv,
    coffre_server::db::SharedStore,
    coffre_server::db::SharedStore,
) {
    let sqlite_env = TestEnv::new(Backend::Sqlite).await;
    let postgres_env = TestEnv::new(Backend::Postgres).await;
    let clock: coffre_server::clock::SharedClock = Arc::new(SystemClock);
    let (sqlite, sqlite_instance, _) = open_store(&sqlite_env.config(), &clock).await.unwrap();
    let (postgres, postgres_instance, _) =
        open_store(&postgres_env.config(), &clock).await.unwrap();
    assert_eq!(
        sqlite_instance.schema_version,
        postgres_instance.schema_version
    );
    (sqlite_env, postgres_env, sqlite, postgres)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn both_backends_have_the_same_schema() {
    let (_sqlite_env, _postgres_env, sqlite, postgres) = both_migrated().await;
    let a: SchemaInfo = sqlite.schema().await.unwrap();
    let b: SchemaInfo = postgres.schema().await.unwrap();
    // The comparison sees what it must compare.
    let column = |table: &str, column: &str| {
        a.columns
            .iter()
            .find(|c| c.table == table && c.column == column)
            .cloned()
            .unwrap_or_else(|| panic!("{table}.{column} in {a:#?}"))
    };
    assert_eq!(column("blobs", "sha256").kind, ColumnKind::Blob);
    assert_eq!(column("blobs", "created_at").kind, ColumnKind::Integer);
    assert!(column("instance", "singleton").primary_key);
    assert_eq!(column("instance", "server_key").kind, ColumnKind::Blob);
    assert!(
        a.checks
            .iter()
            .any(|c| c.table == "instance" && c.columns == ["server_key"]),
        "{a:#?}"
    );
    assert!(
        a.checks
            .iter()
            .any(|c| c.table == "blobs" && c.columns == ["size"]),
        "{a:#?}"
    );
    assert!(
        a.indexes
            .iter()
            .any(|i| i.origin == IndexOrigin::UniqueConstraint && i.columns == ["id"]),
        "{a:#?}"
    );
    assert!(
        a.indexes
            .iter()
            .any(|i| i.origin == IndexOrigin::Created("blobs_state".into())),
        "{a:#?}"
    );
    let differences = schema_differences(("SQLite", &a), ("PostgreSQL", &b));
    assert!(
        differences.is_empty(),
        "SQLite and PostgreSQL schemas differ (types, NOT NULL, keys, CHECK, UNIQUE, \
         indexes):\n{}",
        differences.join("\n")
    );
    sqlite.close().await;
    postgres.close().await;
}

/// A migration written differently for the two databases is caught: the same change
/// made with a different type, an extra CHECK, an extra UNIQUE, a differently named index.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    coffre_skip_postgres,
    ignore = "PostgreSQL skipped: COFFRE_TEST_SKIP_POSTGRES=1"
)]
async fn a_diverging_migration_is_caught() {
    let (sqlite_env, postgres_env, sqlite, postgres) = both_migrated().await;
    let sqlite_file = sqlite_env.data_dir().join("coffre.db");
    let raw_sqlite = SqlitePool::connect_with(SqliteConnectOptions::new().filename(&sqlite_file))
        .await
        .unwrap();
    for ddl in [
        "ALTER TABLE blobs ADD COLUMN note TEXT",
        "CREATE INDEX blobs_by_size ON blobs (size)",
    ] {
        sqlx::query(ddl).execute(&raw_sqlite).await.unwrap();
    }
    raw_sqlite.close().await;
    let raw_postgres = sqlx::PgPool::connect(postgres_env.db.url.as_deref().unwrap())
        .await
        .unwrap();
    for ddl in [
        "ALTER TABLE blobs ADD COLUMN note INTEGER",
        "CREATE INDEX blobs_size ON blobs (size)",
        "ALTER TABLE blobs ADD CONSTRAINT blobs_small CHECK (size < 1000000000000)",
        "ALTER TABLE blobs ADD CONSTRAINT blobs_one_digest UNIQUE (sha256)",
    ] {
        sqlx::query(ddl).execute(&raw_postgres).await.unwrap();
    }
    raw_postgres.close().await;

    let a = sqlite.schema().await.unwrap();
    let b = postgres.schema().await.unwrap();
    let differences = schema_differences(("SQLite", &a), ("PostgreSQL", &b)).join("\n");
    for expected in [
        "column only in SQLite: ColumnInfo { table: \"blobs\", column: \"note\", kind: Text",
        "column only in PostgreSQL: ColumnInfo { table: \"blobs\", column: \"note\", kind: Other(\"postgres integer\")",
        "blobs_by_size",
        "Created(\"blobs_size\")",
        "CHECK only in PostgreSQL: CheckInfo { table: \"blobs\", columns: [\"size\"] }",
        "index only in PostgreSQL: IndexInfo { table: \"blobs\", origin: UniqueConstraint, columns: [\"sha256\"]",
    ] {
        assert!(
            differences.contains(expected),
            "{expected}\nnot in:\n{differences}"
        );
    }
    sqlite.close().await;
    postgres.close().await;
}

/// A database left by the first release (only the first migration applied, times as the
/// old code wrote them) is converted without losing a microsecond.
async fn text_times_of_the_first_schema_are_converted_exactly(env: TestEnv) {
    let old = tempfile::tempdir().unwrap();
    let dir = match env.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    std::fs::copy(
        migrations_dir(dir).join(FIRST_MIGRATION),
        old.path().join(FIRST_MIGRATION),
    )
    .unwrap();
    let first_only = sqlx::migrate::Migrator::new(old.path()).await.unwrap();
    // (as written by the old code, the instant in µs since the epoch)
    let times: [(&str, i64); 6] = [
        ("2026-01-01T12:00:00.5Z", 1_767_268_800_500_000),
        ("2026-01-01T12:00:00Z", 1_767_268_800_000_000),
        ("2026-01-01T12:00:00.999999Z", 1_767_268_800_999_999),
        ("2026-01-01T12:00:00.000001Z", 1_767_268_800_000_001),
        ("2026-01-01T13:00:00.25+01:00", 1_767_268_800_250_000),
        ("2025-12-31T23:59:59.05Z", 1_767_225_599_050_000),
    ];
    let ids: Vec<BlobId> = times.iter().map(|_| BlobId::random()).collect();
    let instance_id = InstanceId::random();
    let instance_time = ("2025-06-30T22:15:00.123-02:00", 1_751_328_900_123_000);
    match env.backend() {
        Backend::Sqlite => {
            let options = SqliteConnectOptions::new()
                .filename(env.data_dir().join("coffre.db"))
                .create_if_missing(true);
            let pool = SqlitePool::connect_with(options).await.unwrap();
            first_only.run(&pool).await.unwrap();
            for (id, (text, _)) in ids.iter().zip(times) {
                sqlx::query(
                    "INSERT INTO blobs (id, size, sha256, created_at, state) \
                     VALUES (?, 1, ?, ?, 'committed')",
                )
                .bind(id.0)
                .bind(vec![7u8; 32])
                .bind(text)
                .execute(&pool)
                .await
                .unwrap();
            }
            sqlx::query("INSERT INTO instance (id, created_at, schema_version) VALUES (?, ?, 1)")
                .bind(instance_id.0)
                .bind(instance_time.0)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(env.db.url.as_deref().unwrap())
                .await
                .unwrap();
            first_only.run(&pool).await.unwrap();
            for (id, (text, _)) in ids.iter().zip(times) {
                sqlx::query(
                    "INSERT INTO blobs (id, size, sha256, created_at, state) \
                     VALUES ($1, 1, $2, $3::text::timestamptz, 'committed')",
                )
                .bind(id.0)
                .bind(vec![7u8; 32])
                .bind(text)
                .execute(&pool)
                .await
                .unwrap();
            }
            sqlx::query(
                "INSERT INTO instance (id, created_at, schema_version) \
                 VALUES ($1, $2::text::timestamptz, 1)",
            )
            .bind(instance_id.0)
            .bind(instance_time.0)
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        }
    }

    let clock: coffre_server::clock::SharedClock = Arc::new(SystemClock);
    let (store, instance, _) = open_store(&env.config(), &clock).await.unwrap();
    assert_eq!(instance.id, instance_id, "the instance row is kept");
    assert_eq!(instance.created_at, Timestamp::from_micros(instance_time.1));
    assert_eq!(instance.schema_version, store.latest_migration());
    for (id, (text, micros)) in ids.iter().zip(times) {
        let blob = store.blob(*id).await.unwrap().expect("row kept");
        assert_eq!(blob.created_at, Timestamp::from_micros(micros), "{text}");
        assert_eq!(blob.sha256.0, [7u8; 32]);
    }
    let listed: Vec<i64> = store
        .blobs_in_state(coffre_server::domain::BlobState::Committed, 100)
        .await
        .unwrap()
        .iter()
        .map(|b| b.created_at.as_micros())
        .collect();
    let mut sorted: Vec<i64> = times.iter().map(|(_, m)| *m).collect();
    sorted.sort();
    assert_eq!(listed, sorted);
    store.close().await;
}
