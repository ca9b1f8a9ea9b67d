#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn env(pairs: &[(&str, &str)]) -> EnvVars {
    EnvVars::from_pairs(pairs.iter().map(|(k, v)| (*k, *v)))
}

fn err_text(result: Result<Config, ConfigError>) -> String {
    result
        .expect_err("configuration should be refused")
        .to_string()
}

#[test]
fn example_parses_back_to_the_defaults() {
    assert_eq!(
        Config::from_toml_str(EXAMPLE_TOML).unwrap(),
        Config::default()
    );
}

#[test]
fn unknown_keys_are_rejected_at_every_level() {
    assert!(err_text(Config::from_toml_str("lisen = \"127.0.0.1:1\"")).contains("lisen"));
    assert!(err_text(Config::from_toml_str("[tls]\nmod = \"off\"")).contains("mod"));
    assert!(err_text(Config::load(None, &env(&[("COFFRE_LISTN", "x")]))).contains("listn"));
}

#[test]
fn environment_overrides_defaults_and_nested_keys() {
    let config = Config::load(
        None,
        &env(&[
            ("COFFRE_LISTEN", "127.0.0.1:0"),
            ("COFFRE_DATA_DIR", "/tmp/x"),
            ("COFFRE_TLS__BEHIND_PROXY", "true"),
            ("COFFRE_PUBLIC_URL", "https://coffre.example.org"),
            ("COFFRE_S3__ALLOW_HTTP", "true"),
            ("COFFRE_MAX_BODY_BYTES", "1234"),
            ("PATH", "/usr/bin"),
            ("COFFRE_CONFIG", "/ignored.toml"),
            ("COFFRE_WEB_DIST", "/ignored"),
            ("COFFRE_WEB_PLACEHOLDER", "1"),
            ("COFFRE_TEST_SKIP_POSTGRES", "1"),
        ]),
    )
    .unwrap();
    assert_eq!(config.listen.port(), 0);
    assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
    assert!(config.tls.behind_proxy);
    assert!(config.s3.allow_http);
    assert_eq!(config.max_body_bytes, 1234);
    assert_eq!(
        config.database(),
        DatabaseLocation::Sqlite(PathBuf::from("/tmp/x/coffre.db"))
    );
    assert_eq!(
        config.blobs(),
        BlobLocation::Local(PathBuf::from("/tmp/x/blobs"))
    );
}

#[test]
fn environment_wins_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coffre.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:9000\"\nlog_format = \"json\"\n",
    )
    .unwrap();
    let config = Config::load(Some(&path), &env(&[("COFFRE_LISTEN", "127.0.0.1:9001")])).unwrap();
    assert_eq!(config.listen.port(), 9001);
    assert_eq!(config.log_format, LogFormat::Json);
}

#[test]
fn a_missing_file_is_an_error() {
    let text = err_text(Config::load(
        Some(Path::new("/nonexistent/coffre.toml")),
        &env(&[]),
    ));
    assert!(text.contains("does not exist"), "{text}");
}

#[test]
fn secrets_are_redacted_in_debug() {
    let config = Config::load(
        None,
        &env(&[
            (
                "COFFRE_DATABASE_URL",
                "postgres://coffre:hunter2@db.example:5432/coffre",
            ),
            ("COFFRE_BLOB_URL", "s3://bucket"),
            ("COFFRE_S3__SECRET_ACCESS_KEY", "wJalrXUtnFEMI"),
            ("COFFRE_S3__ACCESS_KEY_ID", "GK123"),
        ]),
    )
    .unwrap();
    let debug = format!("{config:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(!debug.contains("wJalrXUtnFEMI"), "{debug}");
    assert!(debug.contains("db.example"), "{debug}");
    assert!(debug.contains("GK123"), "{debug}");
    assert!(!config.summary().contains("hunter2"));
    assert_eq!(
        config.s3.secret_access_key.as_ref().unwrap().expose(),
        "wJalrXUtnFEMI"
    );
}

#[test]
fn s3_without_credentials_is_refused() {
    let text = err_text(Config::load(
        None,
        &env(&[("COFFRE_BLOB_URL", "s3://bucket")]),
    ));
    assert!(text.contains("s3.access_key_id"), "{text}");
    let text = err_text(Config::load(
        None,
        &env(&[
            ("COFFRE_BLOB_URL", "s3://bucket"),
            ("COFFRE_S3__ACCESS_KEY_ID", "GK1"),
        ]),
    ));
    assert!(text.contains("s3.secret_access_key"), "{text}");
    // Credentials without an s3:// store are simply unused.
    Config::load(None, &env(&[("COFFRE_S3__ACCESS_KEY_ID", "GK1")])).unwrap();
}

#[test]
fn locations_are_parsed_when_read() {
    let config = Config::from_toml_str(
        "blob_url = \"file://localhost/srv/mes%20blobs\"\ndatabase_url = \"./local.db\"",
    )
    .unwrap();
    assert_eq!(
        config.blobs(),
        BlobLocation::Local(PathBuf::from("/srv/mes blobs"))
    );
    assert_eq!(
        config.database(),
        DatabaseLocation::Sqlite(PathBuf::from("./local.db"))
    );
    let text = err_text(Config::from_toml_str("blob_url = \"file://./blobs\""));
    assert!(text.contains("blob_url"), "{text}");
    let relative = Config::from_toml_str("blob_url = \"./blobs\"").unwrap();
    assert_eq!(
        relative.blobs(),
        BlobLocation::Local(PathBuf::from("./blobs"))
    );
}

#[test]
fn redact_url_hides_passwords_in_user_info_and_query() {
    assert_eq!(redact_url("postgres://u:p@h/db"), "postgres://u:***@h/db");
    assert!(!redact_url("postgres://h/db?user=u&password=p").contains("=p"));
    assert_eq!(redact_url("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    assert_eq!(redact_url("not a url :p@"), "[redacted]");
}

#[test]
fn tls_files_needs_both_paths() {
    let text = err_text(Config::from_toml_str(
        "[tls]\nmode = \"files\"\ncert_path = \"/c.pem\"",
    ));
    assert!(text.contains("tls.key_path"), "{text}");
    let ok = Config::from_toml_str(
        "public_url = \"https://coffre.example.org\"\n[tls]\nmode = \"files\"\ncert_path = \"/c.pem\"\nkey_path = \"/k.pem\"",
    )
    .unwrap();
    assert!(ok.https_in_front());
}

#[test]
fn tls_acme_needs_domains_and_contact() {
    let text = err_text(Config::from_toml_str("[tls]\nmode = \"acme\""));
    assert!(text.contains("tls.acme_domains"), "{text}");
    let text = err_text(Config::from_toml_str(
        "[tls]\nmode = \"acme\"\nacme_domains = [\"coffre.example.org\"]",
    ));
    assert!(text.contains("tls.acme_contact_email"), "{text}");
    let text = err_text(Config::from_toml_str(
        "[tls]\nmode = \"acme\"\nacme_domains = [\"not a domain\"]\nacme_contact_email = \"a@b.org\"",
    ));
    assert!(text.contains("not a domain"), "{text}");
    let ok = Config::from_toml_str(
        "data_dir = \"/srv/coffre\"\nlisten = \"0.0.0.0:443\"\npublic_url = \"https://coffre.example.org\"\n[tls]\nmode = \"acme\"\nacme_domains = [\"coffre.example.org\"]\nacme_contact_email = \"admin@example.org\"\nacme_staging = true",
    )
    .unwrap();
    assert_eq!(
        ok.effective_acme_cache_dir(),
        PathBuf::from("/srv/coffre/acme")
    );
    assert!(ok.https_in_front());
}

#[test]
fn behind_proxy_only_with_tls_off() {
    let text = err_text(Config::from_toml_str(
        "[tls]\nmode = \"files\"\nbehind_proxy = true\ncert_path = \"/c\"\nkey_path = \"/k\"",
    ));
    assert!(text.contains("behind_proxy"), "{text}");
    let ok = Config::from_toml_str(
        "public_url = \"https://coffre.example.org\"\n[tls]\nbehind_proxy = true",
    )
    .unwrap();
    assert!(ok.https_in_front());
    assert!(!Config::default().https_in_front());
}

#[test]
fn urls_and_limits_are_checked() {
    assert!(
        err_text(Config::from_toml_str("database_url = \"mysql://x\"")).contains("database_url")
    );
    assert!(err_text(Config::from_toml_str("blob_url = \"s3://\"")).contains("bucket"));
    assert!(err_text(Config::from_toml_str("blob_url = \"ftp://x\"")).contains("blob_url"));
    assert!(err_text(Config::from_toml_str("public_url = \"ftp://x\"")).contains("public_url"));
    assert!(err_text(Config::from_toml_str("max_body_bytes = 0")).contains("max_body_bytes"));
    assert!(err_text(Config::from_toml_str("listen = \"nope\"")).contains("listen"));
}

#[test]
fn extra_connect_src_must_be_bare_origins() {
    let ok = Config::from_toml_str("extra_connect_src = [\"https://api.example.org\"]").unwrap();
    assert_eq!(ok.extra_connect_src, vec!["https://api.example.org"]);
    for bad in [
        "https://x.org; script-src *",
        "'unsafe-inline'",
        "https://x.org/path",
        "*",
    ] {
        let toml = format!("extra_connect_src = [{bad:?}]");
        assert!(
            err_text(Config::from_toml_str(&toml)).contains("extra_connect_src"),
            "{bad}"
        );
    }
}

#[test]
fn numeric_looking_strings_from_the_environment_stay_strings() {
    let config = Config::load(
        None,
        &env(&[
            ("COFFRE_S3__ACCESS_KEY_ID", "12345"),
            ("COFFRE_S3__SECRET_ACCESS_KEY", "007"),
            ("COFFRE_S3__REGION", "true"),
            ("COFFRE_S3__ENDPOINT", "+33"),
            ("COFFRE_REQUEST_TIMEOUT_SECS", "45"),
        ]),
    )
    .unwrap();
    assert_eq!(config.s3.access_key_id.as_deref(), Some("12345"));
    assert_eq!(config.s3.secret_access_key.unwrap().expose(), "007");
    assert_eq!(config.s3.region.as_deref(), Some("true"));
    assert_eq!(config.s3.endpoint.as_deref(), Some("+33"));
    assert_eq!(config.request_timeout_secs, 45);
}

#[test]
fn public_url_is_the_protocol_origin_and_required_outside_loopback() {
    let default = Config::default();
    assert_eq!(default.instance_origin().as_str(), "http://localhost:8080");
    let text = err_text(Config::from_toml_str("listen = \"0.0.0.0:8080\""));
    assert!(
        text.contains("public_url") && text.contains("loopback"),
        "{text}"
    );
    let text = err_text(Config::load(None, &env(&[("COFFRE_LISTEN", "[::]:8080")])));
    assert!(text.contains("public_url"), "{text}");
    let text = err_text(Config::from_toml_str("[tls]\nbehind_proxy = true"));
    assert!(
        text.contains("public_url"),
        "HTTPS in front needs it too: {text}"
    );
    let public = Config::from_toml_str(
        "listen = \"0.0.0.0:8080\"\npublic_url = \"https://coffre.example.org:8443\"",
    )
    .unwrap();
    assert_eq!(
        public.instance_origin().as_str(),
        "https://coffre.example.org:8443"
    );
    Config::load(None, &env(&[("COFFRE_LISTEN", "[::1]:9000")])).unwrap();
    for bad in [
        "https://Coffre.example.org",
        "https://coffre.example.org/",
        "https://coffre.example.org/app",
        "http://coffre.example.org",
        "https://coffre.example.org:123456",
        "http://127.0.0.1:8080",
    ] {
        let toml = format!("public_url = {bad:?}");
        let text = err_text(Config::from_toml_str(&toml));
        assert!(text.contains("public_url"), "{bad}: {text}");
    }
    let local = Config::from_toml_str("public_url = \"http://localhost:8080\"").unwrap();
    assert_eq!(local.instance_origin().as_str(), "http://localhost:8080");
}

#[test]
fn retention_and_metrics_are_checked() {
    let config = Config::default();
    assert_eq!(config.retention.ip_hours, 24);
    assert_eq!(config.metrics.listen, None, "metrics are off by default");
    assert!(
        err_text(Config::from_toml_str("[retention]\nip_hours = 0")).contains("retention.ip_hours")
    );
    assert!(
        err_text(Config::from_toml_str("[retention]\ninterval_minutes = 0"))
            .contains("retention.interval_minutes")
    );
    // A listener off loopback needs a token, and a token needs a listener.
    assert!(
        err_text(Config::from_toml_str(
            "[metrics]\nlisten = \"10.0.0.2:9464\""
        ))
        .contains("metrics.token")
    );
    let token = "t".repeat(32);
    assert!(
        err_text(Config::from_toml_str(&format!(
            "[metrics]\ntoken = \"{token}\""
        )))
        .contains("metrics.listen")
    );
    assert!(
        err_text(Config::from_toml_str(
            "[metrics]\nlisten = \"127.0.0.1:9464\"\ntoken = \"short\""
        ))
        .contains("at least 32")
    );
    assert!(
        err_text(Config::from_toml_str(
            "[metrics]\nlisten = \"127.0.0.1:8080\""
        ))
        .contains("must differ from listen")
    );
    let ok = Config::load(
        None,
        &env(&[
            ("COFFRE_METRICS__LISTEN", "10.0.0.2:9464"),
            ("COFFRE_METRICS__TOKEN", &token),
        ]),
    )
    .unwrap();
    assert_eq!(ok.metrics.listen, Some("10.0.0.2:9464".parse().unwrap()));
    assert!(
        !format!("{ok:?}").contains(&token),
        "the token is never printed"
    );
}
