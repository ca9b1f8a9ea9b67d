//! The instance's origin: what every signed statement names (`instance`, protocol §2) and
//! what the WebAuthn relying party is derived from.

use std::fmt;

use serde::{Serialize, Serializer};

/// `https://host[:port]` (host of `a-z`, `0-9`, `.`, `-`; port of 1 to 5 digits) or
/// `http://localhost:PORT`: lowercase, no trailing slash, no path. The same rule as the
/// protocol's parsers (`docs/design/protocol.md` §2): it is checked by
/// `coffre_crypto::encoding::check_instance`, so a statement made with this origin is accepted
/// by every verifier.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InstanceOrigin(String);

/// A string that is not an instance origin.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0:?} is not an instance origin: https://host[:port] with a lowercase host of a-z, 0-9, \
     '.', '-' (or http://localhost:PORT), no trailing slash, no path"
)]
pub struct InvalidOrigin(pub String);

impl InstanceOrigin {
    /// Parse with the protocol's own check, so the server and every verifier agree.
    pub fn parse(raw: &str) -> Result<Self, InvalidOrigin> {
        coffre_crypto::encoding::check_instance(raw)
            .map(|()| Self(raw.to_owned()))
            .map_err(|_| InvalidOrigin(raw.to_owned()))
    }

    /// `http://localhost:PORT`: the origin of a server on a loopback address.
    pub fn localhost(port: u16) -> Self {
        Self(format!("http://localhost:{port}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host without scheme or port: the WebAuthn relying-party id.
    pub fn host(&self) -> &str {
        let rest = self
            .0
            .split_once("://")
            .map_or(self.0.as_str(), |(_, rest)| rest);
        rest.split_once(':').map_or(rest, |(host, _)| host)
    }
}

impl fmt::Display for InstanceOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for InstanceOrigin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn accepts_what_the_protocol_accepts() {
        for ok in [
            "https://coffre.example.org",
            "https://coffre.example.org:8443",
            "https://a-b.c1",
            "http://localhost:8080",
            "http://localhost:1",
        ] {
            assert_eq!(InstanceOrigin::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "https://Coffre.example.org",
            "https://coffre.example.org/",
            "https://coffre.example.org/app",
            "https://coffre.example.org:",
            "https://coffre.example.org:123456",
            "https://coffre.example.org:8a",
            "https://",
            "https://user@coffre.example.org",
            "https://coffre.example.org?x",
            "http://coffre.example.org",
            "http://localhost",
            "http://localhost:",
            "http://127.0.0.1:8080",
            "HTTPS://coffre.example.org",
            "coffre.example.org",
            "",
        ] {
            assert!(InstanceOrigin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn host_is_the_relying_party_id() {
        let origin = InstanceOrigin::parse("https://coffre.example.org:8443").unwrap();
        assert_eq!(origin.host(), "coffre.example.org");
        assert_eq!(InstanceOrigin::localhost(8080).host(), "localhost");
        assert_eq!(
            InstanceOrigin::localhost(8080).as_str(),
            "http://localhost:8080"
        );
    }
}
