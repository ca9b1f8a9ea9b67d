//! The `coffre` command's configuration subcommands.

use coffre_server::config::Config;
use coffre_tests::process::run_coffre;

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn default_config_parses_back_and_checks() {
    let (ok, stdout, stderr) = run_coffre(&["default-config"], &[]).await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains("[tls]") && stdout.contains("[s3]"));
    assert_eq!(Config::from_toml_str(&stdout).unwrap(), Config::default());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coffre.toml");
    std::fs::write(&path, &stdout).unwrap();
    let (ok, out, err) =
        run_coffre(&["--config", path.to_str().unwrap(), "check-config"], &[]).await;
    assert!(ok, "{err}");
    assert!(
        out.starts_with("coffre: configuration OK: listen=127.0.0.1:8080"),
        "{out}"
    );
    // COFFRE_CONFIG works like --config.
    let (ok, _, err) = run_coffre(
        &["check-config"],
        &vars(&[("COFFRE_CONFIG", path.to_str().unwrap())]),
    )
    .await;
    assert!(ok, "{err}");
}

#[tokio::test]
async fn check_config_rejects_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coffre.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:1\"\n[tls]\nmodee = \"files\"\n",
    )
    .unwrap();
    let (ok, _, stderr) =
        run_coffre(&["--config", path.to_str().unwrap(), "check-config"], &[]).await;
    assert!(!ok);
    assert!(stderr.contains("modee"), "{stderr}");
    let (ok, _, stderr) = run_coffre(&["check-config"], &vars(&[("COFFRE_LISSEN", "x")])).await;
    assert!(!ok);
    assert!(stderr.contains("lissen"), "{stderr}");
}

#[tokio::test]
async fn environment_overrides_and_secrets_stay_hidden() {
    let (ok, stdout, stderr) = run_coffre(
        &["check-config"],
        &vars(&[
            ("COFFRE_LISTEN", "127.0.0.1:9999"),
            (
                "COFFRE_DATABASE_URL",
                "postgres://coffre:hunter2@db.invalid/coffre",
            ),
            ("COFFRE_TLS__BEHIND_PROXY", "true"),
            ("COFFRE_PUBLIC_URL", "https://coffre.example.org"),
        ]),
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains("listen=127.0.0.1:9999"), "{stdout}");
    assert!(
        stdout.contains("postgres://coffre:***@db.invalid/coffre"),
        "{stdout}"
    );
    assert!(stdout.contains("behind proxy"), "{stdout}");
    assert!(
        stdout.contains("origin=https://coffre.example.org "),
        "{stdout}"
    );
    assert!(!stdout.contains("hunter2") && !stderr.contains("hunter2"));
}

/// `check-config` runs the same validation as `serve`: an s3:// store needs credentials.
#[tokio::test]
async fn check_config_rejects_s3_without_credentials() {
    let (ok, stdout, stderr) = run_coffre(
        &["check-config"],
        &vars(&[("COFFRE_BLOB_URL", "s3://coffre-blobs")]),
    )
    .await;
    assert!(!ok, "{stdout}");
    assert!(stderr.contains("s3.access_key_id"), "{stderr}");
    assert_eq!(
        stderr.matches("s3.access_key_id").count(),
        1,
        "the reason is said once: {stderr}"
    );
    let (ok, _, stderr) = run_coffre(
        &["check-config"],
        &vars(&[
            ("COFFRE_BLOB_URL", "s3://coffre-blobs/prefix"),
            ("COFFRE_S3__ACCESS_KEY_ID", "GK1"),
            ("COFFRE_S3__SECRET_ACCESS_KEY", "secret"),
        ]),
    )
    .await;
    assert!(ok, "{stderr}");
}

/// File URLs are read as URLs (host `localhost`, percent-encoding), once, in the
/// configuration; `file://./x` is not a file URL and says what to write instead.
#[tokio::test]
async fn check_config_reads_file_urls_and_paths() {
    let (ok, stdout, stderr) = run_coffre(
        &["check-config"],
        &vars(&[
            ("COFFRE_BLOB_URL", "file://localhost/srv/mes%20papiers"),
            ("COFFRE_DATABASE_URL", "./coffre.db"),
        ]),
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains("blobs=/srv/mes papiers "), "{stdout}");
    assert!(
        stdout.contains("database=sqlite://./coffre.db "),
        "{stdout}"
    );
    let (ok, _, stderr) = run_coffre(
        &["check-config"],
        &vars(&[("COFFRE_BLOB_URL", "file://./blobs")]),
    )
    .await;
    assert!(!ok);
    assert!(
        stderr.contains("blob_url") && stderr.contains("./blobs"),
        "{stderr}"
    );
}

/// Listening beyond loopback without saying which origin people use is refused.
#[tokio::test]
async fn check_config_requires_public_url_outside_loopback() {
    let (ok, _, stderr) = run_coffre(
        &["check-config"],
        &vars(&[("COFFRE_LISTEN", "0.0.0.0:8080")]),
    )
    .await;
    assert!(!ok);
    assert!(stderr.contains("public_url"), "{stderr}");
    let (ok, _, stderr) = run_coffre(
        &["check-config"],
        &vars(&[
            ("COFFRE_LISTEN", "0.0.0.0:8080"),
            ("COFFRE_PUBLIC_URL", "https://coffre.example.org/"),
        ]),
    )
    .await;
    assert!(!ok);
    assert!(
        stderr.contains("public_url") && stderr.contains("trailing slash"),
        "{stderr}"
    );
    let (ok, stdout, stderr) = run_coffre(
        &["check-config"],
        &vars(&[
            ("COFFRE_LISTEN", "0.0.0.0:8080"),
            ("COFFRE_PUBLIC_URL", "https://coffre.example.org"),
        ]),
    )
    .await;
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("origin=https://coffre.example.org "),
        "{stdout}"
    );
}
