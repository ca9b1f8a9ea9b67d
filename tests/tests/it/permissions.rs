//! What the server creates on a fresh machine is private to its user.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use coffre_server::app::open;
use coffre_server::blobs::object_path;
use coffre_server::clock::SystemClock;
use coffre_tests::process::run_coffre;
use coffre_tests::{Backend, TestEnv};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The umask the tests run under lets group and others read (022 on most systems), so a
/// server relying on it would fail here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_data_dir_database_and_blob_tree_are_private() {
    let env = TestEnv::new(Backend::Sqlite).await;
    let data_dir = env.data_dir().join("fresh").join("coffre-data");
    let mut config = env.config();
    config.data_dir = data_dir.clone();
    let state = open(config, Arc::new(SystemClock)).await.unwrap();
    let blob = state.blobs.put_bytes(b"ciphertext".to_vec()).await.unwrap();

    assert_eq!(
        mode(&env.data_dir().join("fresh")),
        0o700,
        "parents made on the way"
    );
    assert_eq!(mode(&data_dir), 0o700, "data_dir");
    assert_eq!(mode(&data_dir.join("blobs")), 0o700, "blob tree");
    let db = data_dir.join("coffre.db");
    assert_eq!(mode(&db), 0o600, "database");
    for suffix in ["-wal", "-shm"] {
        let file = data_dir.join(format!("coffre.db{suffix}"));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    // The blob itself sits below the private root.
    assert!(
        data_dir
            .join("blobs")
            .join(object_path(blob.id).as_ref())
            .is_file()
    );
    state.store.close().await;
}

/// The real binary, as an administrator runs it the first time.
#[tokio::test]
async fn coffre_migrate_on_a_fresh_machine_creates_private_files() {
    let env = TestEnv::new(Backend::Sqlite).await;
    let data_dir = env.data_dir().join("coffre-data");
    let vars = vec![("COFFRE_DATA_DIR".to_owned(), data_dir.display().to_string())];
    let (ok, _, stderr) = run_coffre(&["migrate"], &vars).await;
    assert!(ok, "{stderr}");
    assert_eq!(mode(&data_dir), 0o700);
    assert_eq!(mode(&data_dir.join("coffre.db")), 0o600);
}
