#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use object_store::{ObjectStoreExt, PutPayload};

use super::*;
use crate::clock::SystemClock;
use crate::db::{SqliteStore, Store};

/// The blob service over `InMemory`, its rows in a throw-away SQLite file.
async fn service() -> (BlobService, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::connect(&dir.path().join("t.db"))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let service = BlobService::new(
        BlobBackend::in_memory(),
        Arc::new(store),
        Arc::new(SystemClock),
    );
    (service, dir)
}

#[test]
fn object_paths_fan_out_by_id() {
    let id: BlobId = "0f8fad5b-d9cb-469f-a165-70867728950e".parse().unwrap();
    assert_eq!(
        object_path(id).as_ref(),
        "0f/0f8fad5b-d9cb-469f-a165-70867728950e"
    );
    assert!(
        "0F8FAD5B-D9CB-469F-A165-70867728950E"
            .parse::<BlobId>()
            .is_err(),
        "canonical form only"
    );
    assert!("../etc/passwd".parse::<BlobId>().is_err());
}

#[test]
fn staged_names_are_recognised() {
    assert!(sweep::is_staged_name(
        "0f8fad5b-d9cb-469f-a165-70867728950e#1"
    ));
    assert!(sweep::is_staged_name("x#12"));
    assert!(!sweep::is_staged_name(
        "0f8fad5b-d9cb-469f-a165-70867728950e"
    ));
    assert!(!sweep::is_staged_name("#1"));
    assert!(!sweep::is_staged_name("x#"));
    assert!(!sweep::is_staged_name("x#1a"));
}

#[tokio::test]
async fn in_memory_round_trip_and_delete() {
    let (blobs, _dir) = service().await;
    blobs.check().await.unwrap();
    let record = blobs.put_bytes(b"ciphertext".to_vec()).await.unwrap();
    assert_eq!(record.size, 10);
    assert_eq!(blobs.get_bytes(record.id).await.unwrap(), b"ciphertext");
    blobs.delete(record.id).await.unwrap();
    assert!(matches!(
        blobs.get_bytes(record.id).await,
        Err(BlobError::NotFound)
    ));
    assert!(matches!(
        blobs.backend.objects().head(&object_path(record.id)).await,
        Err(object_store::Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn reads_detect_a_swapped_object() {
    let (blobs, _dir) = service().await;
    let record = blobs.put_bytes(b"ciphertext".to_vec()).await.unwrap();
    // Same length, different bytes: only the hash can tell.
    blobs
        .backend
        .objects()
        .put(
            &object_path(record.id),
            PutPayload::from_static(b"CIPHERTEXT"),
        )
        .await
        .unwrap();
    let (_, mut stream) = blobs.get_stream(record.id).await.unwrap();
    let mut results = Vec::new();
    while let Some(item) = stream.next().await {
        results.push(item);
    }
    assert!(
        matches!(results.last(), Some(Err(BlobError::Corrupt(_)))),
        "{results:?}"
    );
}

#[tokio::test]
async fn an_object_without_its_row_is_invisible_and_swept() {
    let (blobs, _dir) = service().await;
    let orphan = BlobId::random();
    blobs
        .backend
        .objects()
        .put(&object_path(orphan), PutPayload::from_static(b"orphan"))
        .await
        .unwrap();
    assert!(matches!(
        blobs.get_bytes(orphan).await,
        Err(BlobError::NotFound)
    ));
    assert!(blobs.list(10).await.unwrap().is_empty());
    // Grace zero: anything older than now goes.
    let report = blobs.sweep(time::Duration::seconds(-1)).await.unwrap();
    assert_eq!(report.orphans_removed, 1);
}

#[tokio::test]
async fn the_sweep_checks_orphans_in_batches_in_the_background() {
    let (blobs, _dir) = service().await;
    let mut kept = Vec::new();
    for n in 0..3u8 {
        kept.push(blobs.put_bytes(vec![n; 10]).await.unwrap());
    }
    // More orphans than one batch holds, with a partial last batch.
    let orphans = 2 * crate::db::MAX_IDS_PER_QUERY + 3;
    for _ in 0..orphans {
        blobs
            .backend
            .objects()
            .put(
                &object_path(BlobId::random()),
                PutPayload::from_static(b"o"),
            )
            .await
            .unwrap();
    }
    // Grace below zero: everything listed is old enough, rows or not.
    let task = blobs.spawn_sweep(time::Duration::seconds(-1));
    let report = task.wait().await.expect("first wait").unwrap();
    assert_eq!(report.orphans_removed, orphans as u64);
    assert!(task.wait().await.is_none(), "the result goes to one caller");
    for (n, record) in kept.iter().enumerate() {
        assert_eq!(blobs.get_bytes(record.id).await.unwrap(), vec![n as u8; 10]);
    }
}

/// A copy checked against a record whose bytes are not those: nothing is written, for a
/// single PUT and for a multipart upload alike, and for a body longer than expected.
#[tokio::test]
async fn a_copy_that_does_not_match_leaves_no_object() {
    use super::write::{Expected, PART_SIZE};
    let (service, _dir) = service().await;
    let source = service.objects().clone();
    let target: Arc<dyn ObjectStore> = Arc::new(object_store::memory::InMemory::new());
    for len in [10, 2 * PART_SIZE + 3] {
        let bytes = vec![7u8; len];
        let record = service.put_bytes(bytes.clone()).await.unwrap();
        let expected = Expected {
            size: record.size,
            sha256: record.sha256,
        };
        for wrong in [
            Expected {
                sha256: Sha256Digest([0; 32]),
                ..expected
            },
            Expected {
                size: record.size - 1,
                ..expected
            },
            Expected {
                size: record.size + 1,
                ..expected
            },
        ] {
            let copied = copy_object(&source, &target, record.id, wrong).await;
            assert!(
                matches!(copied, Err(BlobError::Corrupt(id)) if id == record.id),
                "{len}: {copied:?}"
            );
            assert!(
                target.head(&object_path(record.id)).await.is_err(),
                "{len}: nothing written"
            );
        }
        copy_object(&source, &target, record.id, expected)
            .await
            .unwrap();
        let back = target.get(&object_path(record.id)).await.unwrap();
        assert_eq!(back.bytes().await.unwrap().to_vec(), bytes);
    }
    let missing = copy_object(
        &source,
        &target,
        BlobId::random(),
        Expected {
            size: 0,
            sha256: Sha256Digest([0; 32]),
        },
    )
    .await;
    assert!(matches!(missing, Err(BlobError::MissingObject(_))));
}
