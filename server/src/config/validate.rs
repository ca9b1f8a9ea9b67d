//! Checks that serde cannot express: combinations of keys, URL schemes, CSP origins.

use std::path::PathBuf;

use super::{BlobLocation, Config, TlsMode};

/// Why a configuration was refused. Messages name the key to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("{0}")]
    Parse(Box<figment::Error>),
    #[error("`{key}`: {reason}")]
    Invalid { key: &'static str, reason: String },
}

/// Shortest `metrics.token` accepted.
pub const MIN_METRICS_TOKEN_CHARS: usize = 32;

pub(super) fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.into(),
    }
}

impl Config {
    /// Rejects combinations that would fail later, or silently do the wrong thing.
    pub fn validate(&self) -> Result<(), ConfigError> {
        // `database_url` and `blob_url` were parsed when read (see `location`).
        if let BlobLocation::S3 { .. } = self.blobs() {
            self.s3.credentials()?;
        }
        if self.max_body_bytes == 0 {
            return Err(invalid("max_body_bytes", "must be greater than 0"));
        }
        if self.request_timeout_secs == 0 {
            return Err(invalid("request_timeout_secs", "must be greater than 0"));
        }
        for origin in &self.extra_connect_src {
            validate_csp_origin(origin)?;
        }
        for origin in &self.extra_origins {
            coffre_crypto::encoding::check_instance(origin).map_err(|_| {
                invalid(
                    "extra_origins",
                    format!("{origin:?} is not an origin like https://host[:port]"),
                )
            })?;
        }
        let s = &self.sessions;
        if s.idle_minutes == 0 || s.shared_idle_minutes == 0 || s.absolute_hours == 0 {
            return Err(invalid("sessions", "lifetimes must be greater than 0"));
        }
        if self.limits.coffre_quota_mb == 0 || self.limits.paper_max_mb == 0 {
            return Err(invalid(
                "limits",
                "coffre_quota_mb and paper_max_mb must be greater than 0",
            ));
        }
        if self.limits.paper_max_mb > self.limits.coffre_quota_mb {
            return Err(invalid(
                "limits",
                "paper_max_mb cannot be more than coffre_quota_mb",
            ));
        }
        if self.limits.new_coffres_per_ip_per_hour == 0 {
            return Err(invalid(
                "limits",
                "new_coffres_per_ip_per_hour must be greater than 0",
            ));
        }
        self.validate_retention()?;
        self.validate_metrics()?;
        self.validate_tls()?;
        self.validate_public_url()
    }

    fn validate_retention(&self) -> Result<(), ConfigError> {
        let r = &self.retention;
        if r.ip_hours == 0 {
            return Err(invalid(
                "retention.ip_hours",
                "must be at least 1 (the longest rate-limit window is an hour)",
            ));
        }
        if r.interval_minutes == 0 {
            return Err(invalid(
                "retention.interval_minutes",
                "must be greater than 0",
            ));
        }
        Ok(())
    }

    fn validate_metrics(&self) -> Result<(), ConfigError> {
        let m = &self.metrics;
        if let Some(token) = &m.token
            && token.expose().chars().count() < MIN_METRICS_TOKEN_CHARS
        {
            return Err(invalid(
                "metrics.token",
                format!(
                    "at least {MIN_METRICS_TOKEN_CHARS} characters (e.g. the output of \
                     `head -c 32 /dev/urandom | base64`)"
                ),
            ));
        }
        let Some(listen) = m.listen else {
            if m.token.is_some() {
                return Err(invalid(
                    "metrics.token",
                    "set metrics.listen too: metrics are only served on their own listener",
                ));
            }
            return Ok(());
        };
        if listen == self.listen && listen.port() != 0 {
            return Err(invalid(
                "metrics.listen",
                "must differ from listen: metrics are never served on the public listener",
            ));
        }
        if !listen.ip().is_loopback() && m.token.is_none() {
            return Err(invalid(
                "metrics.token",
                format!("required when metrics.listen ({listen}) is not a loopback address"),
            ));
        }
        Ok(())
    }

    fn validate_public_url(&self) -> Result<(), ConfigError> {
        // `public_url` was checked when read (`lenient::opt_origin`); here: when it is needed.
        if self.public_url.is_none() {
            if !self.listen.ip().is_loopback() {
                return Err(invalid(
                    "public_url",
                    format!(
                        "required when listen ({}) is not a loopback address: the origin \
                         people use, e.g. https://coffre.example.org",
                        self.listen
                    ),
                ));
            }
            if self.https_in_front() {
                return Err(invalid(
                    "public_url",
                    "required with HTTPS (tls.mode or tls.behind_proxy): the origin people \
                     use, e.g. https://coffre.example.org",
                ));
            }
        }
        Ok(())
    }

    fn validate_tls(&self) -> Result<(), ConfigError> {
        let tls = &self.tls;
        match tls.mode {
            TlsMode::Off => Ok(()),
            TlsMode::Files => {
                if tls.behind_proxy {
                    return Err(invalid(
                        "tls.behind_proxy",
                        "only meaningful with tls.mode = \"off\"",
                    ));
                }
                if tls.cert_path.is_none() {
                    return Err(invalid(
                        "tls.cert_path",
                        "required when tls.mode = \"files\"",
                    ));
                }
                if tls.key_path.is_none() {
                    return Err(invalid(
                        "tls.key_path",
                        "required when tls.mode = \"files\"",
                    ));
                }
                Ok(())
            }
            TlsMode::Acme => {
                if tls.behind_proxy {
                    return Err(invalid(
                        "tls.behind_proxy",
                        "only meaningful with tls.mode = \"off\"",
                    ));
                }
                if tls.acme_domains.is_empty() {
                    return Err(invalid(
                        "tls.acme_domains",
                        "at least one domain is required when tls.mode = \"acme\"",
                    ));
                }
                for domain in &tls.acme_domains {
                    let plausible = domain.contains('.')
                        && domain
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
                    if !plausible {
                        return Err(invalid(
                            "tls.acme_domains",
                            format!("not a domain name: {domain:?}"),
                        ));
                    }
                }
                match &tls.acme_contact_email {
                    Some(email) if email.contains('@') && !email.contains(char::is_whitespace) => {
                        Ok(())
                    }
                    Some(_) => Err(invalid("tls.acme_contact_email", "not an e-mail address")),
                    None => Err(invalid(
                        "tls.acme_contact_email",
                        "required when tls.mode = \"acme\"",
                    )),
                }
            }
        }
    }
}

/// An extra `connect-src` source must be a bare origin: it is pasted into a header.
fn validate_csp_origin(origin: &str) -> Result<(), ConfigError> {
    let parsed = url::Url::parse(origin)
        .map_err(|e| invalid("extra_connect_src", format!("{origin:?}: {e}")))?;
    let bare = matches!(parsed.scheme(), "https" | "wss" | "http" | "ws")
        && parsed.host_str().is_some()
        && parsed.path() == "/"
        && parsed.query().is_none()
        && parsed.fragment().is_none()
        && parsed.username().is_empty()
        && origin
            .chars()
            .all(|c| c.is_ascii_graphic() && c != ';' && c != ',' && c != '\'');
    if bare {
        Ok(())
    } else {
        Err(invalid(
            "extra_connect_src",
            format!("{origin:?} is not a bare origin like https://example.org"),
        ))
    }
}
