//! The SQLite and PostgreSQL migrations stay in step.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use coffre_server::app::open_store;
use coffre_server::clock::SystemClock;
use coffre_server::db::ColumnInfo;
use coffre_tests::{Backend, TestEnv};

fn migration_files(dir: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(dir);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_have_the_same_tables_and_columns() {
    let sqlite_env = TestEnv::new(Backend::Sqlite).await.unwrap();
    let Some(postgres_env) = TestEnv::new(Backend::Postgres).await else {
        return;
    };
    let clock: coffre_server::clock::SharedClock = Arc::new(SystemClock);
    let (sqlite, sqlite_instance) = open_store(&sqlite_env.config(), &clock).await.unwrap();
    let (postgres, postgres_instance) = open_store(&postgres_env.config(), &clock).await.unwrap();
    assert_eq!(
        sqlite_instance.schema_version,
        postgres_instance.schema_version
    );

    let mut a: Vec<ColumnInfo> = sqlite.schema_columns().await.unwrap();
    let mut b: Vec<ColumnInfo> = postgres.schema_columns().await.unwrap();
    a.sort();
    b.sort();
    assert!(
        a.iter().any(|c| c.table == "blobs" && c.column == "sha256"),
        "{a:?}"
    );
    assert!(
        a.iter()
            .any(|c| c.table == "instance" && c.column == "schema_version"),
        "{a:?}"
    );
    assert_eq!(
        a, b,
        "SQLite and PostgreSQL schemas differ (table, column, NOT NULL, primary key)"
    );
    sqlite.close().await;
    postgres.close().await;
}
