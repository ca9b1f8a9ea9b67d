//! The Coffre protocol in Rust (`docs/design/protocol.md`): keys, wraps, signed statements,
//! papers, organisations, mandates and the journal. No I/O beyond `std::io::Read`/`Write`
//! streams handed in by the caller.
//!
//! ```
//! use coffre_crypto::{keys::OwnerSeed, encoding::Id, unlock};
//! use zeroize::Zeroizing;
//! let seed = OwnerSeed(Zeroizing::new([7; 32]));
//! let keys = seed.keys().unwrap();
//! let carte = unlock::Carte::generate();
//! let payload = unlock::seed_payload(Id::from_random_bytes([1; 16]), 0, &seed.0);
//! let wrapped = unlock::wrap_seed(&carte.recipient(), &payload).unwrap();
//! assert_eq!(unlock::unwrap_seed(&carte.identity, &wrapped).unwrap(), payload);
//! assert_eq!(keys.fingerprint().words().split('-').count(), 5);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod age_io;
pub mod category;
pub mod deposit;
pub mod ed25519;
pub mod encoding;
pub mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzz_targets;
pub mod index;
pub mod journal;
pub mod keys;
pub mod kinds;
pub mod mandate;
pub mod organisation;
pub mod paper;
pub mod secret;
pub mod share;
pub mod statement;
pub mod unlock;

pub use error::{Error, Result};

/// Where a statement must belong: instance, coffre and owner epoch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// `https://host[:port]`.
    pub instance: String,
    /// The coffre id.
    pub coffre: encoding::Id,
    /// The current owner epoch.
    pub epoch: u64,
}

impl Context {
    /// Check a statement's instance, coffre and epoch (`ContextMismatch`).
    pub fn check(
        &self,
        instance: &str,
        coffre: Option<&encoding::Id>,
        epoch: Option<u64>,
    ) -> Result<()> {
        if instance != self.instance {
            return Err(Error::ContextMismatch("instance"));
        }
        if coffre.is_some_and(|c| *c != self.coffre) {
            return Err(Error::ContextMismatch("coffre"));
        }
        if epoch.is_some_and(|e| e != self.epoch) {
            return Err(Error::ContextMismatch("epoch"));
        }
        Ok(())
    }
}
