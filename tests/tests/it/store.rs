//! The `Store` trait, on both databases.

use std::sync::Arc;

use coffre_server::app::open_store;
use coffre_server::clock::{SharedClock, SystemClock};
use coffre_server::db::StoreError;
use coffre_server::domain::{
    BlobId, BlobRecord, BlobState, Instance, InstanceId, Sha256Digest, Timestamp,
};
use coffre_tests::{Backend, TestEnv, on_both_backends};
use time::macros::datetime;

on_both_backends!(
    instance_row_is_created_once,
    blob_rows_round_trip,
    deletion_marks_then_removes,
    known_ids_are_found_in_batches,
    backend_matches_the_url,
    times_order_by_instant_whatever_their_fractional_digits,
    schema_version_is_never_lowered,
    an_older_binary_refuses_a_newer_schema,
);

fn clock() -> SharedClock {
    Arc::new(SystemClock)
}

fn record(n: u8, state: BlobState) -> BlobRecord {
    BlobRecord {
        id: BlobId::random(),
        size: u64::from(n) * 1000,
        sha256: Sha256Digest([n; 32]),
        created_at: Timestamp::from(
            datetime!(2026-01-01 12:00:00.123456 UTC) + time::Duration::minutes(i64::from(n)),
        ),
        state,
    }
}

async fn instance_row_is_created_once(env: TestEnv) {
    let (store, first, _) = open_store(&env.config(), &clock()).await.unwrap();
    assert_eq!(first.schema_version, store.latest_migration());
    assert!(first.schema_version > 0);
    let other = Instance {
        id: InstanceId::random(),
        created_at: Timestamp::from(datetime!(2030-01-01 0:00 UTC)),
        schema_version: first.schema_version,
    };
    let again = store.ensure_instance(&other).await.unwrap();
    assert_eq!(again, first, "the instance row must not be replaced");
    assert_eq!(store.instance().await.unwrap(), Some(first));
    store.close().await;
}

async fn blob_rows_round_trip(env: TestEnv) {
    let (store, _, _) = open_store(&env.config(), &clock()).await.unwrap();
    let a = record(1, BlobState::Committed);
    let b = record(2, BlobState::Committed);
    store.insert_blob(&b).await.unwrap();
    store.insert_blob(&a).await.unwrap();
    assert_eq!(store.blob(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(store.blob(BlobId::random()).await.unwrap(), None);
    let listed = store
        .blobs_in_state(BlobState::Committed, 10)
        .await
        .unwrap();
    assert_eq!(listed, vec![a.clone(), b.clone()], "oldest first");
    assert_eq!(
        store.blobs_in_state(BlobState::Committed, 1).await.unwrap(),
        vec![a.clone()]
    );
    assert!(store.insert_blob(&a).await.is_err(), "ids are unique");
    store.close().await;
}

async fn deletion_marks_then_removes(env: TestEnv) {
    let (store, _, _) = open_store(&env.config(), &clock()).await.unwrap();
    let a = record(3, BlobState::Committed);
    store.insert_blob(&a).await.unwrap();
    assert!(store.mark_blob_deleting(a.id).await.unwrap());
    assert!(
        !store.mark_blob_deleting(a.id).await.unwrap(),
        "only committed blobs"
    );
    assert!(!store.mark_blob_deleting(BlobId::random()).await.unwrap());
    let deleting = store.blobs_in_state(BlobState::Deleting, 10).await.unwrap();
    assert_eq!(deleting.len(), 1);
    assert_eq!(deleting[0].state, BlobState::Deleting);
    assert!(
        store
            .blobs_in_state(BlobState::Committed, 10)
            .await
            .unwrap()
            .is_empty()
    );
    store.remove_blob(a.id).await.unwrap();
    assert_eq!(store.blob(a.id).await.unwrap(), None);
    store.close().await;
}

async fn known_ids_are_found_in_batches(env: TestEnv) {
    let (store, _, _) = open_store(&env.config(), &clock()).await.unwrap();
    let mut known = Vec::new();
    for n in 0..3 {
        let r = record(n, BlobState::Committed);
        store.insert_blob(&r).await.unwrap();
        known.push(r.id);
    }
    // More ids than one query takes, so the batching is exercised.
    let mut ids: Vec<BlobId> = (0..1200).map(|_| BlobId::random()).collect();
    ids.insert(7, known[0]);
    ids.insert(700, known[1]);
    ids.push(known[2]);
    let found = store.known_blob_ids(&ids).await.unwrap();
    assert_eq!(found.len(), 3);
    assert!(known.iter().all(|id| found.contains(id)));
    assert!(store.known_blob_ids(&[]).await.unwrap().is_empty());
    store.close().await;
}

async fn backend_matches_the_url(env: TestEnv) {
    let (store, _, _) = open_store(&env.config(), &clock()).await.unwrap();
    let expected = match env.backend() {
        Backend::Sqlite => coffre_server::db::Backend::Sqlite,
        Backend::Postgres => coffre_server::db::Backend::Postgres,
    };
    assert_eq!(store.backend(), expected);
    store.ping().await.unwrap();
    if env.backend() == Backend::Sqlite {
        assert!(
            env.data_dir().join("coffre.db").is_file(),
            "default SQLite file"
        );
    }
    store.close().await;
}

/// On SQLite, times used to be RFC 3339 text: "…:00Z" sorted after "…:00.5Z".
async fn times_order_by_instant_whatever_their_fractional_digits(env: TestEnv) {
    let (store, _, _) = open_store(&env.config(), &clock()).await.unwrap();
    let times = [
        datetime!(2026-01-01 11:59:59.999999 UTC),
        datetime!(2026-01-01 12:00:00 UTC),
        datetime!(2026-01-01 12:00:00.000001 UTC),
        datetime!(2026-01-01 12:00:00.05 UTC),
        datetime!(2026-01-01 12:00:00.5 UTC),
        // The same instant as 12:00:00.75Z, written with another offset.
        datetime!(2026-01-01 13:00:00.75 +1),
        datetime!(2026-01-01 12:00:01 UTC),
    ];
    let records: Vec<BlobRecord> = times
        .iter()
        .map(|t| BlobRecord {
            created_at: Timestamp::from(*t),
            ..record(9, BlobState::Committed)
        })
        .collect();
    // Inserted newest first, so insertion order cannot pass for time order.
    for r in records.iter().rev() {
        store.insert_blob(r).await.unwrap();
    }
    let listed = store
        .blobs_in_state(BlobState::Committed, 100)
        .await
        .unwrap();
    let listed_times: Vec<Timestamp> = listed.iter().map(|r| r.created_at).collect();
    let expected: Vec<Timestamp> = records.iter().map(|r| r.created_at).collect();
    assert_eq!(listed_times, expected, "ORDER BY created_at is time order");
    assert_eq!(
        listed, records,
        "and values read back are the values written"
    );
    let oldest_two = store.blobs_in_state(BlobState::Committed, 2).await.unwrap();
    assert_eq!(oldest_two, records[..2].to_vec(), "LIMIT takes the oldest");
    store.close().await;
}

/// An older replica starting after a newer one must not write the version back down.
async fn schema_version_is_never_lowered(env: TestEnv) {
    let (store, first, _) = open_store(&env.config(), &clock()).await.unwrap();
    let older = Instance {
        schema_version: first.schema_version - 1,
        ..first.clone()
    };
    let kept = store.ensure_instance(&older).await.unwrap();
    assert_eq!(kept.schema_version, first.schema_version, "not lowered");
    let newer = Instance {
        schema_version: first.schema_version + 1,
        ..first.clone()
    };
    assert_eq!(
        store.ensure_instance(&newer).await.unwrap().schema_version,
        first.schema_version + 1,
        "raised"
    );
    assert_eq!(
        store.ensure_instance(&older).await.unwrap().schema_version,
        first.schema_version + 1
    );
    store.close().await;
    // This binary now faces a schema newer than it knows: it refuses to start.
    let error = open_store(&env.config(), &clock()).await.unwrap_err();
    assert!(
        matches!(error, StoreError::SchemaTooNew { database, binary }
            if database == first.schema_version + 1 && binary == first.schema_version),
        "{error:?}"
    );
}

/// A migration applied by a newer binary, unknown to this one: refuse, and say why.
async fn an_older_binary_refuses_a_newer_schema(env: TestEnv) {
    let (store, _, _) = open_store(&env.config(), &clock()).await.unwrap();
    store.close().await;
    let future = 99_991_231_000_001_i64;
    match env.backend() {
        Backend::Sqlite => {
            let url = format!("sqlite://{}", env.data_dir().join("coffre.db").display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES (?, 'from a newer coffre', TRUE, ?, 0)",
            )
            .bind(future)
            .bind(vec![0u8; 48])
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(env.db.url.as_deref().unwrap())
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ($1, 'from a newer coffre', TRUE, $2, 0)",
            )
            .bind(future)
            .bind(vec![0u8; 48])
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        }
    }
    let error = open_store(&env.config(), &clock()).await.unwrap_err();
    assert!(
        matches!(error, StoreError::SchemaTooNew { database, .. } if database == future),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("newer than this coffre binary") && text.contains("Upgrade"),
        "{text}"
    );
}
