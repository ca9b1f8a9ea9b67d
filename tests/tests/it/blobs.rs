//! The blob service on a local directory, with its rows in either database.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use coffre_server::app::{AppState, open};
use coffre_server::blobs::{BlobError, ORPHAN_GRACE, SweepReport, object_path};
use coffre_server::clock::{Clock, ManualClock, SharedClock, SystemClock};
use coffre_server::domain::{BlobId, BlobState};
use coffre_tests::{TestEnv, on_both_backends};
use futures::StreamExt;
use sha2::{Digest, Sha256};

on_both_backends!(
    small_blob_round_trip,
    large_blob_is_written_in_parts,
    failed_upload_leaves_nothing,
    corruption_is_detected_on_read,
    sweeper_removes_only_old_orphans_and_staged_files,
    sweeper_finishes_interrupted_deletions,
);

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Opens as `serve` does and waits for the start-up sweep, so it cannot race the test.
async fn open_with(env: &TestEnv, clock: SharedClock) -> AppState {
    let state = open(env.config(), clock).await.expect("open");
    assert_eq!(
        state
            .startup_sweep
            .wait()
            .await
            .expect("a start-up sweep")
            .unwrap(),
        SweepReport::default(),
        "nothing to clean in a fresh environment"
    );
    state
}

fn digest(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

fn bytes_of(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

async fn small_blob_round_trip(env: TestEnv) {
    let state = open_with(&env, Arc::new(SystemClock)).await;
    let data = bytes_of(1000, 1);
    let record = state.blobs.put_bytes(data.clone()).await.unwrap();
    assert_eq!(record.size, 1000);
    assert_eq!(record.sha256.0, digest(&data));
    assert_eq!(record.id.0.get_version_num(), 4, "random uuid v4 ids");
    assert_eq!(state.blobs.get_bytes(record.id).await.unwrap(), data);
    assert_eq!(state.blobs.list(10).await.unwrap(), vec![record.clone()]);
    // Stored under its id only, never a user-chosen name.
    let file = env.blob_dir().join(object_path(record.id).as_ref());
    assert_eq!(std::fs::read(&file).unwrap(), data);

    let empty = state.blobs.put_bytes(Vec::new()).await.unwrap();
    assert_eq!(
        state.blobs.get_bytes(empty.id).await.unwrap(),
        Vec::<u8>::new()
    );

    state.blobs.delete(record.id).await.unwrap();
    assert!(matches!(
        state.blobs.get_bytes(record.id).await,
        Err(BlobError::NotFound)
    ));
    assert!(matches!(
        state.blobs.delete(record.id).await,
        Err(BlobError::NotFound)
    ));
    assert!(!file.exists());
    assert_eq!(state.blobs.list(10).await.unwrap(), vec![empty]);
}

async fn large_blob_is_written_in_parts(env: TestEnv) {
    let state = open_with(&env, Arc::new(SystemClock)).await;
    let data = bytes_of(13 * 1024 * 1024 + 17, 2);
    let chunks: Vec<io::Result<Bytes>> = data
        .chunks(300_000)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let record = state
        .blobs
        .put_stream(futures::stream::iter(chunks))
        .await
        .unwrap();
    assert_eq!(record.size, data.len() as u64);
    assert_eq!(state.blobs.get_bytes(record.id).await.unwrap(), data);
    assert_eq!(
        files_under(&env.blob_dir()).len(),
        1,
        "no staging file left"
    );
}

async fn failed_upload_leaves_nothing(env: TestEnv) {
    let state = open_with(&env, Arc::new(SystemClock)).await;
    for prefix_len in [1000, 7 * 1024 * 1024] {
        let body = futures::stream::iter([
            Ok(Bytes::from(bytes_of(prefix_len, 3))),
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "client went away",
            )),
        ]);
        let result = state.blobs.put_stream(body).await;
        assert!(matches!(result, Err(BlobError::Body(_))), "{result:?}");
    }
    assert!(state.blobs.list(10).await.unwrap().is_empty());
    assert_eq!(files_under(&env.blob_dir()), Vec::<PathBuf>::new());
}

async fn corruption_is_detected_on_read(env: TestEnv) {
    let state = open_with(&env, Arc::new(SystemClock)).await;
    let record = state.blobs.put_bytes(bytes_of(5000, 4)).await.unwrap();
    let file = env.blob_dir().join(object_path(record.id).as_ref());
    let mut tampered = std::fs::read(&file).unwrap();
    tampered[4999] ^= 1;
    std::fs::write(&file, &tampered).unwrap();
    assert!(matches!(
        state.blobs.get_bytes(record.id).await,
        Err(BlobError::Corrupt(_))
    ));
    std::fs::write(&file, &tampered[..4000]).unwrap();
    assert!(matches!(
        state.blobs.get_bytes(record.id).await,
        Err(BlobError::Corrupt(_))
    ));
    let mut longer = bytes_of(5000, 4);
    longer.push(0);
    std::fs::write(&file, &longer).unwrap();
    assert!(matches!(
        state.blobs.get_bytes(record.id).await,
        Err(BlobError::Corrupt(_))
    ));
    std::fs::remove_file(&file).unwrap();
    assert!(matches!(
        state.blobs.get_bytes(record.id).await,
        Err(BlobError::MissingObject(_))
    ));
    // Read in several chunks: a byte changed in a middle one is found too.
    let data = bytes_of(3 * coffre_server::blobs::READ_CHUNK + 100, 5);
    let record = state.blobs.put_bytes(data.clone()).await.unwrap();
    assert_eq!(state.blobs.get_bytes(record.id).await.unwrap(), data);
    // Polled again after its end (as a compressing body does), the stream stays ended.
    let (_, mut stream) = state.blobs.get_stream(record.id).await.unwrap();
    while stream.next().await.is_some() {}
    assert!(stream.next().await.is_none());
    let file = env.blob_dir().join(object_path(record.id).as_ref());
    let mut tampered = data;
    tampered[coffre_server::blobs::READ_CHUNK + 7] ^= 1;
    std::fs::write(&file, &tampered).unwrap();
    assert!(matches!(
        state.blobs.get_bytes(record.id).await,
        Err(BlobError::Corrupt(_))
    ));
}

async fn sweeper_removes_only_old_orphans_and_staged_files(env: TestEnv) {
    let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
    let state = open_with(&env, clock.clone()).await;
    let kept = state.blobs.put_bytes(bytes_of(100, 5)).await.unwrap();
    // A complete object whose row was never committed (crash between the phases), and
    // a partial file of an interrupted local write.
    let orphan = BlobId::random();
    let orphan_file = env.blob_dir().join(object_path(orphan).as_ref());
    std::fs::create_dir_all(orphan_file.parent().unwrap()).unwrap();
    std::fs::write(&orphan_file, b"orphan").unwrap();
    let staged_file = PathBuf::from(format!("{}#1", orphan_file.display()));
    std::fs::write(&staged_file, b"partial").unwrap();
    let foreign = env.blob_dir().join("README");
    std::fs::write(&foreign, b"not ours").unwrap();

    // Within the grace period: another replica may be between the two phases.
    let report = state.blobs.sweep(ORPHAN_GRACE).await.unwrap();
    assert_eq!(report, SweepReport::default());
    assert!(orphan_file.exists() && staged_file.exists());

    clock.advance(ORPHAN_GRACE + time::Duration::minutes(5));
    let report = state.blobs.sweep(ORPHAN_GRACE).await.unwrap();
    assert_eq!(
        report,
        SweepReport {
            deletions_finished: 0,
            orphans_removed: 1,
            staged_removed: 1
        }
    );
    assert!(!orphan_file.exists() && !staged_file.exists());
    assert!(foreign.exists(), "files that are not blobs are left alone");
    assert_eq!(
        state.blobs.get_bytes(kept.id).await.unwrap(),
        bytes_of(100, 5)
    );
    assert!(clock.now() > kept.created_at);
}

async fn sweeper_finishes_interrupted_deletions(env: TestEnv) {
    let state = open_with(&env, Arc::new(SystemClock)).await;
    let record = state.blobs.put_bytes(bytes_of(100, 6)).await.unwrap();
    // A crash after marking the row, before removing the object.
    assert!(state.store.mark_blob_deleting(record.id).await.unwrap());
    assert!(matches!(
        state.blobs.get_bytes(record.id).await,
        Err(BlobError::NotFound)
    ));
    let report = state.blobs.sweep(ORPHAN_GRACE).await.unwrap();
    assert_eq!(report.deletions_finished, 1);
    assert_eq!(state.store.blob(record.id).await.unwrap(), None);
    assert!(
        state
            .store
            .blobs_in_state(BlobState::Deleting, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(files_under(&env.blob_dir()), Vec::<PathBuf>::new());
}
