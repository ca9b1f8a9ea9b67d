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
mod notes;
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

/// R1 founds the organisation: chain seq 0, signed by the root.
fn founding() -> Envelope {
    signed(
        &org_chain(
            0,
            Hash32::ZERO,
            OrgAction::Found,
            member(&resp1(), 0x62, Role::Responsable),
        ),
        &[&org_root()],
    )
}

/// The chain statement that follows `prev`, signed by `signers`.
fn chain_after(
    prev: &Envelope,
    action: OrgAction,
    m: Member,
    signers: &[&ed25519_dalek::SigningKey],
) -> Envelope {
    let seq = prev.peek::<OrgChain>().unwrap().seq + 1;
    signed(&org_chain(seq, prev.hash().unwrap(), action, m), signers)
}
