//! Configuration: a TOML file plus `COFFRE_*` environment variables.
//!
//! Precedence, lowest first: built-in defaults, the TOML file (`--config PATH` or
//! `COFFRE_CONFIG`), then environment variables `COFFRE_KEY` (nested keys with `__`, e.g.
//! `COFFRE_TLS__MODE=files`). Unknown keys are rejected everywhere. The configuration is
//! passed in, never read from a global; `Debug` redacts secrets.

mod env;
mod lenient;
mod location;
mod secret;
mod validate;

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::domain::InstanceOrigin;

pub use env::EnvVars;
pub use location::{BlobLocation, DatabaseLocation};
pub use secret::{Secret, redact_url};
pub use validate::ConfigError;

/// The commented example printed by `coffre default-config`.
pub const EXAMPLE_TOML: &str = include_str!("example.toml");

/// Environment variables starting with `COFFRE_` that are not configuration keys.
const NON_CONFIG_ENV: &[&str] = &["config", "web_dist", "web_placeholder"];
/// Prefixes of `COFFRE_` environment variables used by the test suites, not by the server.
const NON_CONFIG_ENV_PREFIXES: &[&str] = &["test_"];

/// The whole server configuration.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port (tests).
    pub listen: SocketAddr,
    /// Directory for the default SQLite database and blob store.
    pub data_dir: PathBuf,
    /// `sqlite://PATH`, `postgres://…` or a file path; default `{data_dir}/coffre.db`.
    /// Parsed once, when the configuration is read ([`DatabaseLocation`]).
    #[serde(deserialize_with = "location::opt_database")]
    pub database_url: Option<DatabaseLocation>,
    /// `file:///PATH`, `s3://BUCKET[/PREFIX]` or a directory path; default
    /// `{data_dir}/blobs`. Parsed once, when the configuration is read ([`BlobLocation`]).
    #[serde(deserialize_with = "location::opt_blobs")]
    pub blob_url: Option<BlobLocation>,
    /// The address people type in their browser, e.g. `https://coffre.example.org`: the
    /// instance origin of every signed statement and of WebAuthn. Required unless `listen`
    /// is a loopback address without HTTPS in front; default `http://localhost:PORT`.
    #[serde(deserialize_with = "lenient::opt_origin")]
    pub public_url: Option<InstanceOrigin>,
    /// `text` (default) or `json` (one JSON object per line).
    pub log_format: LogFormat,
    /// Largest body of routes that take blobs (`RouteLimits::uploads`), in bytes. JSON
    /// routes have their own, fixed limit (`http::limits::JSON_BODY_LIMIT`).
    pub max_body_bytes: u64,
    /// JSON requests taking longer than this are answered 408.
    pub request_timeout_secs: u64,
    /// Extra origins allowed in the CSP `connect-src` directive (besides `'self'`).
    pub extra_connect_src: Vec<String>,
    /// How HTTPS is provided.
    pub tls: TlsConfig,
    /// Settings for `s3://` blob URLs.
    pub s3: S3Config,
    /// Sign-in sessions.
    pub sessions: SessionsConfig,
    /// Rate limits an association may need to raise.
    pub limits: LimitsConfig,
    /// How long connection data is kept, and how often it is purged.
    pub retention: RetentionConfig,
    /// The Prometheus metrics endpoint (off unless `metrics.listen` is set).
    pub metrics: MetricsConfig,
    /// Other origins (`https://host[:port]`) allowed to make state-changing API requests
    /// besides `public_url`, e.g. a static client served from another host.
    pub extra_origins: Vec<String>,
}

/// `[limits]` section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Coffres opened per hour from one IP address. An association's front desk, whose
    /// computers share one public address, may open more than the default in a busy hour.
    pub new_coffres_per_ip_per_hour: u32,
    /// Space each coffre may use for its papers (ciphertext and metadata), in MiB.
    pub coffre_quota_mb: u64,
    /// The largest paper (its content ciphertext), in MiB.
    pub paper_max_mb: u64,
}

impl LimitsConfig {
    /// [`Self::coffre_quota_mb`] in bytes.
    pub fn coffre_quota_bytes(&self) -> u64 {
        self.coffre_quota_mb.saturating_mul(1024 * 1024)
    }

    /// [`Self::paper_max_mb`] in bytes.
    pub fn paper_max_bytes(&self) -> u64 {
        self.paper_max_mb.saturating_mul(1024 * 1024)
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            new_coffres_per_ip_per_hour: 10,
            // About 500 phone pages of 375 KB: a lifetime of papers for one person, and
            // 100 coffres fit in 20 GB.
            coffre_quota_mb: 200,
            paper_max_mb: 25,
        }
    }
}

/// `[retention]` section: what the background purge keeps, and how often it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionConfig {
    /// Rate-limit rows (they name a client IP address or an auth key) are deleted once
    /// their window began more than this many hours ago. At least 1: the longest window is
    /// an hour, so a shorter period would forget a limit while it applies.
    pub ip_hours: u32,
    /// Minutes between two purges (also: expired sessions, sign-in nonces, passkey
    /// ceremonies and invitation links).
    pub interval_minutes: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        Self {
            ip_hours: 24,
            interval_minutes: 15,
        }
    }
}

/// `[metrics]` section: a Prometheus endpoint on a listener of its own, never on the
/// public one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Where `GET /metrics` is served, e.g. `127.0.0.1:9464`; unset: no metrics endpoint.
    pub listen: Option<SocketAddr>,
    /// A bearer token the scraper must send (`Authorization: Bearer …`); required when
    /// `listen` is not a loopback address.
    #[serde(deserialize_with = "lenient::opt_secret")]
    pub token: Option<Secret<String>>,
}

/// `[sessions]` section: how long a signed-in browser stays signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionsConfig {
    /// Signed out after this many minutes without a request.
    pub idle_minutes: u32,
    /// The same on a computer the person said is shared (the client also locks itself).
    pub shared_idle_minutes: u32,
    /// Signed out this many hours after signing in, however active.
    pub absolute_hours: u32,
}

impl Default for SessionsConfig {
    fn default() -> Self {
        Self {
            idle_minutes: 30,
            shared_idle_minutes: 5,
            absolute_hours: 12,
        }
    }
}

/// Log output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// How HTTPS is provided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// Plain HTTP: local tests, or behind a reverse proxy that terminates TLS.
    #[default]
    Off,
    /// A certificate chain and key read from PEM files.
    Files,
    /// Certificates obtained automatically (ACME TLS-ALPN-01 on the same port).
    Acme,
}

/// `[tls]` section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TlsConfig {
    pub mode: TlsMode,
    /// `mode = "off"` only: a reverse proxy (Caddy, nginx) terminates HTTPS in front of
    /// us on the same machine. Sends HSTS, and warns when `listen` is not loopback.
    pub behind_proxy: bool,
    /// `mode = "files"`: PEM certificate chain.
    pub cert_path: Option<PathBuf>,
    /// `mode = "files"`: PEM private key.
    pub key_path: Option<PathBuf>,
    /// `mode = "acme"`: domains to obtain a certificate for.
    pub acme_domains: Vec<String>,
    /// `mode = "acme"`: contact e-mail given to the certificate authority.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub acme_contact_email: Option<String>,
    /// `mode = "acme"`: where account keys and certificates are kept;
    /// default `{data_dir}/acme`.
    pub acme_cache_dir: Option<PathBuf>,
    /// `mode = "acme"`: use Let's Encrypt's staging directory (untrusted certificates,
    /// generous rate limits) — for trying a new installation.
    pub acme_staging: bool,
}

/// `[s3]` section (S3-compatible object storage: Garage, Ceph RGW, AWS…).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    /// e.g. `https://garage.example.org:3900`; AWS when unset.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub endpoint: Option<String>,
    /// Region name; many S3-compatible servers accept anything (`garage`, `us-east-1`).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub region: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub access_key_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_secret")]
    pub secret_access_key: Option<Secret<String>>,
    /// Allow a plain `http://` endpoint (loopback test servers only).
    pub allow_http: bool,
}

impl S3Config {
    /// The access key id and secret, both required for an `s3://` store (the one check,
    /// made by `check-config` and by `serve` alike): without them `object_store` would
    /// ask the cloud instance-metadata address, which a self-hosted server never wants.
    pub fn credentials(&self) -> Result<(&str, &Secret<String>), ConfigError> {
        let id = self
            .access_key_id
            .as_deref()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                validate::invalid(
                    "s3.access_key_id",
                    "required for an s3:// blob_url (with s3.secret_access_key)",
                )
            })?;
        let secret = self
            .secret_access_key
            .as_ref()
            .filter(|secret| !secret.expose().is_empty())
            .ok_or_else(|| {
                validate::invalid(
                    "s3.secret_access_key",
                    "required for an s3:// blob_url (with s3.access_key_id)",
                )
            })?;
        Ok((id, secret))
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./coffre-data"),
            database_url: None,
            blob_url: None,
            public_url: None,
            log_format: LogFormat::Text,
            max_body_bytes: 25 * 1024 * 1024,
            request_timeout_secs: 30,
            extra_connect_src: Vec::new(),
            tls: TlsConfig::default(),
            s3: S3Config::default(),
            sessions: SessionsConfig::default(),
            limits: LimitsConfig::default(),
            retention: RetentionConfig::default(),
            metrics: MetricsConfig::default(),
            extra_origins: Vec::new(),
        }
    }
}

impl Config {
    /// Loads defaults, then `file` (if any), then the `COFFRE_*` variables among `env`,
    /// and validates the result.
    pub fn load(file: Option<&Path>, env: &EnvVars) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::MissingFile(path.to_path_buf()));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        let config: Config = figment
            .merge(env.clone())
            .extract()
            .map_err(|e| ConfigError::Parse(Box::new(e)))?;
        config.validate()?;
        Ok(config)
    }

    /// Parses a TOML string (no environment), for tests and `default-config`.
    pub fn from_toml_str(toml: &str) -> Result<Self, ConfigError> {
        let config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string(toml))
            .extract()
            .map_err(|e| ConfigError::Parse(Box::new(e)))?;
        config.validate()?;
        Ok(config)
    }

    /// The database in effect: `database_url`, or a SQLite file under `data_dir`.
    pub fn database(&self) -> DatabaseLocation {
        self.database_url
            .clone()
            .unwrap_or_else(|| DatabaseLocation::Sqlite(self.data_dir.join("coffre.db")))
    }

    /// The blob store in effect: `blob_url`, or a directory under `data_dir`.
    pub fn blobs(&self) -> BlobLocation {
        self.blob_url
            .clone()
            .unwrap_or_else(|| BlobLocation::Local(self.data_dir.join("blobs")))
    }

    /// The instance origin: `public_url`, or `http://localhost:PORT` (port of `listen`;
    /// callers that bind port 0 first put the bound address in `listen`).
    pub fn instance_origin(&self) -> InstanceOrigin {
        self.public_url
            .clone()
            .unwrap_or_else(|| InstanceOrigin::localhost(self.listen.port()))
    }

    /// Where ACME state lives.
    pub fn effective_acme_cache_dir(&self) -> PathBuf {
        self.tls
            .acme_cache_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("acme"))
    }

    /// Whether browsers reach us over HTTPS (directly or through a proxy): HSTS is sent.
    pub fn https_in_front(&self) -> bool {
        self.tls.mode != TlsMode::Off || self.tls.behind_proxy
    }

    /// A short human summary with secrets redacted (for `check-config` and the start log).
    pub fn summary(&self) -> String {
        format!(
            "listen={} origin={} database={} blobs={} tls={:?}{}",
            self.listen,
            self.instance_origin(),
            self.database().redacted(),
            self.blobs(),
            self.tls.mode,
            if self.tls.behind_proxy {
                " (behind proxy)"
            } else {
                ""
            }
        )
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            // DatabaseLocation's Debug masks the password.
            .field("database_url", &self.database_url)
            .field("blob_url", &self.blob_url)
            .field("public_url", &self.public_url)
            .field("log_format", &self.log_format)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("extra_connect_src", &self.extra_connect_src)
            .field("tls", &self.tls)
            .field("s3", &self.s3)
            .field("sessions", &self.sessions)
            .field("limits", &self.limits)
            .field("retention", &self.retention)
            .field("metrics", &self.metrics)
            .field("extra_origins", &self.extra_origins)
            .finish()
    }
}

#[cfg(test)]
mod tests;
