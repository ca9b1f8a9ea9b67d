//! Malicious-host tests: each attack is detected with its specific error. One module per
//! attack family.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod deposits;
mod envelopes;
mod grants;
mod index;
mod journal;
mod org_rollback;
mod organisations;
mod papers;
mod secrets;

use coffre_crypto::age_io::recipient_of;
use coffre_crypto::encoding::{Hash32, Kinded};
use coffre_crypto::journal::{Checkpoint, verify_journal};
use coffre_crypto::keys::{Fingerprint, public_key};
use coffre_crypto::kinds::*;
use coffre_crypto::statement::{Envelope, sign};
use coffre_crypto::{Error, category, mandate, organisation, paper};
use support::fixtures::*;

fn signed<T: Kinded>(b: &T, k: &[&ed25519_dalek::SigningKey]) -> Envelope {
    sign(b, k).unwrap()
}
