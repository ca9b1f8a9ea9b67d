//! `kill -9` during a blob write leaves no partial blob visible after a restart.

use std::sync::Arc;

use coffre_server::app::open;
use coffre_server::blobs::ORPHAN_GRACE;
use coffre_server::clock::ManualClock;
use coffre_server::diagnostics::WRITE_UNDER_WAY;
use coffre_server::domain::BlobState;
use coffre_tests::process::CoffreChild;
use coffre_tests::{TestEnv, on_both_backends};

use crate::blobs::files_under;

on_both_backends!(kill_9_during_a_blob_write_leaves_no_partial_blob);

async fn kill_9_during_a_blob_write_leaves_no_partial_blob(env: TestEnv) {
    // The real write path in a child process, paused mid-write (64 MiB, in parts).
    let mut child = CoffreChild::spawn(
        &["blobs", "self-test", "--size", "67108864", "--hold"],
        &env.child_env(),
    );
    assert_eq!(child.next_line().await, WRITE_UNDER_WAY);
    let before = files_under(&env.blob_dir());
    assert!(
        !before.is_empty() && before.iter().all(|f| f.to_string_lossy().contains('#')),
        "mid-write there is a staged partial file and nothing else: {before:?}"
    );

    child.signal("KILL").await;
    let status = child.wait().await;
    assert!(!status.success(), "killed: {status:?}");

    // Restart as `serve` does (migrations, sweeper), an hour and more later.
    let later = time::OffsetDateTime::now_utc() + ORPHAN_GRACE + time::Duration::minutes(1);
    let state = open(env.config(), Arc::new(ManualClock::new(later)))
        .await
        .unwrap();
    // The sweep runs in the background: `open` returned without waiting for it.
    let report = state.startup_sweep.wait().await.expect("a sweep").unwrap();
    assert_eq!(report.staged_removed, before.len() as u64, "{report:?}");
    assert!(
        state.blobs.list(100).await.unwrap().is_empty(),
        "no blob is listed"
    );
    assert!(
        state
            .store
            .blobs_in_state(BlobState::Deleting, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        files_under(&env.blob_dir()),
        Vec::<std::path::PathBuf>::new(),
        "nothing left on disk"
    );

    // The store works normally afterwards.
    let record = state.blobs.put_bytes(vec![7u8; 10]).await.unwrap();
    assert_eq!(
        state.blobs.get_bytes(record.id).await.unwrap(),
        vec![7u8; 10]
    );
}

#[tokio::test]
async fn self_test_round_trip_completes() {
    let env = TestEnv::new(coffre_tests::Backend::Sqlite).await;
    let (ok, stdout, stderr) = coffre_tests::process::run_coffre(
        &["blobs", "self-test", "--size", "6000000"],
        &env.child_env(),
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(
        stdout.starts_with("coffre: blob self-test ok: 6000000 bytes"),
        "{stdout}"
    );
    assert_eq!(
        files_under(&env.blob_dir()),
        Vec::<std::path::PathBuf>::new()
    );
}
