//! Where the database and the blob store are. `database_url` and `blob_url` are parsed
//! once, here, into typed values that the rest of the server is handed: no other code
//! parses these settings.
//!
//! * database: `sqlite://PATH` or `sqlite:PATH` (PATH as written, relative or absolute,
//!   percent-decoded — sqlx's convention), `postgres://…` / `postgresql://…`, or a plain
//!   file path (a SQLite database).
//! * blobs: `file:///ABSOLUTE/PATH` (or `file://localhost/…`; percent-decoded),
//!   `s3://BUCKET[/PREFIX]`, or a plain directory path (relative paths are relative to the
//!   working directory, like `data_dir`).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserializer, Serialize, Serializer};

use super::validate::{ConfigError, invalid};
use super::{Secret, redact_url};

/// The database named by `database_url` (or the default under `data_dir`).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// A SQLite database file, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (it may hold a password: never logged).
    Postgres(Secret<String>),
}

/// The blob store named by `blob_url` (or the default under `data_dir`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlobLocation {
    /// A directory on this machine, created if missing.
    Local(PathBuf),
    /// An S3-compatible bucket (`[s3]` gives the endpoint and credentials), optionally
    /// under a key prefix (no leading or trailing `/`).
    S3 {
        bucket: String,
        prefix: Option<String>,
    },
}

/// The URL scheme of `raw`, if it starts with one (`scheme:`, no `/` before the colon).
/// A plain path has none.
fn scheme(raw: &str) -> Option<&str> {
    let (head, _) = raw.split_once(':')?;
    let mut chars = head.chars();
    let looks_like_scheme = head.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    looks_like_scheme.then_some(head)
}

fn percent_decode(key: &'static str, raw: &str) -> Result<String, ConfigError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| invalid(key, format!("bad percent-encoding in {raw:?}")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid(key, format!("{raw:?} is not UTF-8 once decoded")))
}

impl DatabaseLocation {
    /// Parses a `database_url` value.
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        const KEY: &str = "database_url";
        match scheme(raw).map(str::to_ascii_lowercase).as_deref() {
            None => plain_path(KEY, raw).map(Self::Sqlite),
            Some("sqlite") => {
                let rest = raw["sqlite:".len()..].trim_start_matches("//");
                if rest.contains('?') {
                    return Err(invalid(
                        KEY,
                        "sqlite:// URLs take no query parameters (Coffre sets the SQLite options)",
                    ));
                }
                if rest == ":memory:" {
                    return Err(invalid(
                        KEY,
                        "an in-memory SQLite database would lose everything at exit",
                    ));
                }
                plain_path(KEY, &percent_decode(KEY, rest)?).map(Self::Sqlite)
            }
            Some("postgres" | "postgresql") => {
                let url = url::Url::parse(raw).map_err(|e| invalid(KEY, e.to_string()))?;
                if url.host_str().is_none_or(str::is_empty) {
                    return Err(invalid(KEY, "postgres:// URLs need a host"));
                }
                Ok(Self::Postgres(Secret::new(raw.to_owned())))
            }
            Some(_) => Err(invalid(
                KEY,
                "must be sqlite://PATH, postgres://… or a file path",
            )),
        }
    }

    /// The URL form, with any password masked (logs, `check-config`).
    pub fn redacted(&self) -> String {
        match self {
            Self::Postgres(url) => redact_url(url.expose()),
            Self::Sqlite(_) => self.unredacted(),
        }
    }

    fn unredacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => url.expose().clone(),
        }
    }
}

impl BlobLocation {
    /// Parses a `blob_url` value.
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        const KEY: &str = "blob_url";
        match scheme(raw).map(str::to_ascii_lowercase).as_deref() {
            None => plain_path(KEY, raw).map(Self::Local),
            Some("file") => file_url(raw).map(Self::Local),
            Some("s3") => {
                let Some(rest) = raw
                    .get("s3://".len()..)
                    .filter(|_| raw[2..].starts_with("://"))
                else {
                    return Err(invalid(KEY, "s3 URLs are s3://BUCKET[/PREFIX]"));
                };
                if rest.contains(['?', '#']) {
                    return Err(invalid(KEY, "s3:// URLs take no query or fragment"));
                }
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                if bucket.is_empty() {
                    return Err(invalid(KEY, "s3:// needs a bucket name: s3://BUCKET"));
                }
                let plausible = (3..=63).contains(&bucket.len())
                    && bucket.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'
                    });
                if !plausible {
                    return Err(invalid(
                        KEY,
                        format!("{bucket:?} is not a bucket name (3 to 63 of a-z, 0-9, '.', '-')"),
                    ));
                }
                let prefix = prefix.trim_matches('/');
                Ok(Self::S3 {
                    bucket: bucket.to_owned(),
                    prefix: (!prefix.is_empty()).then(|| prefix.to_owned()),
                })
            }
            Some(_) => Err(invalid(
                KEY,
                "must be file:///PATH, s3://BUCKET[/PREFIX] or a directory path",
            )),
        }
    }
}

/// A `file:` URL: absolute, no host other than `localhost`, percent-decoded.
fn file_url(raw: &str) -> Result<PathBuf, ConfigError> {
    const KEY: &str = "blob_url";
    let hint = "file URLs name an absolute path, file:///srv/coffre/blobs \
                (for a relative path write the path itself, e.g. ./blobs)";
    if !raw
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("file://"))
    {
        return Err(invalid(KEY, hint));
    }
    let url = url::Url::parse(raw).map_err(|e| invalid(KEY, format!("{raw:?}: {e}")))?;
    // The URL standard turns `file://localhost/x` into `file:///x`.
    if url.host_str().is_some_and(|h| !h.is_empty()) {
        return Err(invalid(KEY, format!("{raw:?}: {hint}")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(KEY, format!("{raw:?}: no query or fragment")));
    }
    let path = url
        .to_file_path()
        .map_err(|()| invalid(KEY, format!("{raw:?}: {hint}")))?;
    if path == Path::new("/") {
        return Err(invalid(KEY, "the root directory cannot be the blob store"));
    }
    Ok(path)
}

fn plain_path(key: &'static str, raw: &str) -> Result<PathBuf, ConfigError> {
    if raw.is_empty() {
        return Err(invalid(key, "empty path"));
    }
    Ok(PathBuf::from(raw))
}

impl fmt::Display for BlobLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The path itself: a relative path has no file:// form.
            Self::Local(path) => write!(f, "{}", path.display()),
            Self::S3 {
                bucket,
                prefix: Some(prefix),
            } => write!(f, "s3://{bucket}/{prefix}"),
            Self::S3 {
                bucket,
                prefix: None,
            } => write!(f, "s3://{bucket}"),
        }
    }
}

impl fmt::Debug for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Self::Postgres(_) => f.debug_tuple("Postgres").field(&self.redacted()).finish(),
        }
    }
}

// Serialized only to feed figment's defaults (where both are `None`).
impl Serialize for DatabaseLocation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.unredacted())
    }
}

impl Serialize for BlobLocation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// `Option<DatabaseLocation>` from a string (or a scalar, like every string setting).
pub(super) fn opt_database<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DatabaseLocation>, D::Error> {
    super::lenient::opt_string(deserializer)?
        .map(|raw| DatabaseLocation::parse(&raw).map_err(serde::de::Error::custom))
        .transpose()
}

/// `Option<BlobLocation>` from a string.
pub(super) fn opt_blobs<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<BlobLocation>, D::Error> {
    super::lenient::opt_string(deserializer)?
        .map(|raw| BlobLocation::parse(&raw).map_err(serde::de::Error::custom))
        .transpose()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn local(raw: &str) -> PathBuf {
        match BlobLocation::parse(raw).unwrap() {
            BlobLocation::Local(path) => path,
            other => panic!("{raw}: {other:?}"),
        }
    }

    fn sqlite(raw: &str) -> PathBuf {
        match DatabaseLocation::parse(raw).unwrap() {
            DatabaseLocation::Sqlite(path) => path,
            other => panic!("{raw}: {other:?}"),
        }
    }

    fn blob_error(raw: &str) -> String {
        BlobLocation::parse(raw).unwrap_err().to_string()
    }

    #[test]
    fn file_urls_are_absolute_paths_percent_decoded() {
        assert_eq!(
            local("file:///srv/coffre/blobs"),
            PathBuf::from("/srv/coffre/blobs")
        );
        assert_eq!(
            local("file://localhost/srv/blobs"),
            PathBuf::from("/srv/blobs")
        );
        assert_eq!(
            local("file:///srv/mes%20papiers/caf%C3%A9"),
            PathBuf::from("/srv/mes papiers/café")
        );
        assert_eq!(local("FILE:///x/y"), PathBuf::from("/x/y"));
    }

    #[test]
    fn file_urls_with_a_host_or_relative_are_refused() {
        for raw in [
            "file://./blobs",
            "file://host/x",
            "file:blobs",
            "file:/x",
            "file:///x?a=1",
        ] {
            let text = blob_error(raw);
            assert!(text.contains("blob_url"), "{raw}: {text}");
        }
        assert!(
            blob_error("file://./blobs").contains("./blobs"),
            "the hint says what to write"
        );
    }

    #[test]
    fn plain_paths_are_accepted_relative_or_absolute() {
        assert_eq!(
            local("./coffre-data/blobs"),
            PathBuf::from("./coffre-data/blobs")
        );
        assert_eq!(local("blobs"), PathBuf::from("blobs"));
        assert_eq!(
            local("/srv/a%20b"),
            PathBuf::from("/srv/a%20b"),
            "a path is taken as is"
        );
        assert_eq!(local("./a:b"), PathBuf::from("./a:b"));
        assert_eq!(sqlite("./coffre.db"), PathBuf::from("./coffre.db"));
        assert_eq!(sqlite("/srv/coffre.db"), PathBuf::from("/srv/coffre.db"));
    }

    #[test]
    fn s3_urls_give_a_bucket_and_a_prefix() {
        assert_eq!(
            BlobLocation::parse("s3://coffre-blobs").unwrap(),
            BlobLocation::S3 {
                bucket: "coffre-blobs".into(),
                prefix: None
            }
        );
        assert_eq!(
            BlobLocation::parse("s3://coffre-blobs/a/b/").unwrap(),
            BlobLocation::S3 {
                bucket: "coffre-blobs".into(),
                prefix: Some("a/b".into())
            }
        );
        assert!(blob_error("s3://").contains("bucket"));
        assert!(blob_error("s3://Not_A_Bucket").contains("bucket"));
        assert!(blob_error("s3:bucket").contains("s3://"));
        assert!(blob_error("ftp://x").contains("blob_url"));
    }

    #[test]
    fn sqlite_urls_follow_sqlx() {
        assert_eq!(
            sqlite("sqlite:///srv/coffre.db"),
            PathBuf::from("/srv/coffre.db")
        );
        assert_eq!(
            sqlite("sqlite://./data/coffre.db"),
            PathBuf::from("./data/coffre.db")
        );
        assert_eq!(sqlite("sqlite:coffre.db"), PathBuf::from("coffre.db"));
        assert_eq!(
            sqlite("sqlite:///srv/a%20b.db"),
            PathBuf::from("/srv/a b.db")
        );
        for raw in [
            "sqlite://x.db?mode=ro",
            "sqlite::memory:",
            "sqlite://",
            "mysql://x",
        ] {
            let text = DatabaseLocation::parse(raw).unwrap_err().to_string();
            assert!(text.contains("database_url"), "{raw}: {text}");
        }
    }

    #[test]
    fn postgres_urls_are_kept_and_redacted() {
        let location = DatabaseLocation::parse("postgres://u:hunter2@db.example/coffre").unwrap();
        assert!(matches!(&location, DatabaseLocation::Postgres(_)));
        assert_eq!(location.redacted(), "postgres://u:***@db.example/coffre");
        assert!(!format!("{location:?}").contains("hunter2"));
        assert!(DatabaseLocation::parse("postgres:///nohost").is_err());
    }

    #[test]
    fn display_parses_back() {
        for raw in ["./blobs", "/srv/blobs", "s3://bucket", "s3://bucket/p/q"] {
            let location = BlobLocation::parse(raw).unwrap();
            assert_eq!(
                BlobLocation::parse(&location.to_string()).unwrap(),
                location
            );
        }
    }
}
