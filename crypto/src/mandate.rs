//! Mandates and their life (section 8), and owner-key epochs (section 3).

use crate::Context;
use crate::encoding::{AgeRecipient, Id, PublicKey, check_sorted_set};
use crate::error::{Error, Result};
use crate::keys::Fingerprint;
use crate::kinds::{
    AccessReceipt, Authority, EpochSuccession, GranteeType, Mandate, Renunciation, Revocation,
};
use crate::statement::Envelope;

/// Longest mandate window: 365 days.
pub const MAX_MANDATE_SECONDS: u64 = 365 * 24 * 3600;

/// Verify a mandate signed by the owner: context, sorted categories, window rules.
pub fn verify_mandate(env: &Envelope, owner: &PublicKey, ctx: &Context) -> Result<Mandate> {
    let v = env.verify_by::<Mandate>(owner)?;
    let m = v.body;
    ctx.check(&m.instance, Some(&m.coffre), Some(m.epoch))?;
    check_sorted_set(&m.categories)?;
    if m.not_before > m.not_after || m.not_after - m.not_before > MAX_MANDATE_SECONDS {
        return Err(Error::OutsideValidity);
    }
    match (m.grantee.grantee_type, &m.grantee.recipient) {
        (GranteeType::Person, Some(_)) | (GranteeType::Organisation, None) => {}
        _ => return Err(Error::Malformed("grantee recipient".into())),
    }
    Ok(m)
}

/// Is `at` inside the mandate's window?
pub fn check_window(m: &Mandate, at: u64) -> Result<()> {
    if (m.not_before..=m.not_after).contains(&at) {
        Ok(())
    } else {
        Err(Error::OutsideValidity)
    }
}

/// The owner's side: the mandate's grantee is the person pinned face to face
/// (fingerprint of key + recipient), else `GranteeKeyMismatch`.
pub fn check_person_grantee(m: &Mandate, pinned: &Fingerprint) -> Result<AgeRecipient> {
    let r = m
        .grantee
        .recipient
        .as_ref()
        .ok_or(Error::GranteeKeyMismatch)?;
    if m.grantee.grantee_type != GranteeType::Person
        || Fingerprint::of(&m.grantee.key, Some(r)) != *pinned
    {
        return Err(Error::GranteeKeyMismatch);
    }
    Ok(r.clone())
}

/// Either side: the mandate's organisation root is the one pinned (`RootMismatch`).
pub fn check_organisation_root(m: &Mandate, pinned_root: &Fingerprint) -> Result<()> {
    if m.grantee.grantee_type != GranteeType::Organisation
        || Fingerprint::of(&m.grantee.key, None) != *pinned_root
    {
        return Err(Error::RootMismatch);
    }
    Ok(())
}

/// Verify a revocation (owner-signed) of `mandate`.
pub fn verify_revocation(
    env: &Envelope,
    owner: &PublicKey,
    ctx: &Context,
    mandate: Id,
) -> Result<Revocation> {
    let v = env.verify_by::<Revocation>(owner)?;
    ctx.check(&v.body.instance, Some(&v.body.coffre), Some(v.body.epoch))?;
    if v.body.mandate != mandate {
        return Err(Error::ContextMismatch("mandate"));
    }
    Ok(v.body)
}

/// Verify a renunciation signed by one of `allowed` (the person, or verified org members).
pub fn verify_renunciation(
    env: &Envelope,
    allowed: &[PublicKey],
    ctx: &Context,
) -> Result<Renunciation> {
    let b = env.peek::<Renunciation>()?;
    if !allowed.contains(&b.grantee_key) {
        return Err(Error::UnauthorisedSigner);
    }
    let v = env.verify_by::<Renunciation>(&b.grantee_key)?;
    ctx.check(&v.body.instance, Some(&v.body.coffre), Some(v.body.epoch))?;
    Ok(v.body)
}

/// Verify one access receipt (signed by its `grantee_key`, which must be allowed).
pub fn verify_access_receipt(
    env: &Envelope,
    allowed: &[PublicKey],
    ctx: &Context,
) -> Result<AccessReceipt> {
    let b = env.peek::<AccessReceipt>()?;
    if !allowed.contains(&b.grantee_key) {
        return Err(Error::UnauthorisedSigner);
    }
    let v = env.verify_by::<AccessReceipt>(&b.grantee_key)?;
    ctx.check(&v.body.instance, Some(&v.body.coffre), Some(v.body.epoch))?;
    Ok(v.body)
}

/// Check the counters of verified receipts: per grantee key, `1, 2, 3, …` continuing from
/// `last_seen` (0 when none), no gap, no repeat (`CounterGap`).
pub fn check_receipt_counters(
    receipts: &[AccessReceipt],
    last_seen: &[(PublicKey, u64)],
) -> Result<Vec<(PublicKey, u64)>> {
    let mut state: Vec<(PublicKey, u64)> = last_seen.to_vec();
    for r in receipts {
        let pos = match state.iter().position(|(k, _)| *k == r.grantee_key) {
            Some(p) => p,
            None => {
                state.push((r.grantee_key, 0));
                state.len() - 1
            }
        };
        if r.counter != state[pos].1 + 1 {
            return Err(Error::CounterGap);
        }
        state[pos].1 = r.counter;
    }
    Ok(state)
}

/// The owner key of an epoch, as a grantee knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochKey {
    /// Epoch number.
    pub epoch: u64,
    /// Ed25519 key.
    pub key: PublicKey,
    /// Recipient, once known through a succession.
    pub recipient: Option<AgeRecipient>,
}

/// Follow a succession chain from the pinned key. Each step must be signed by the current key
/// (`UnauthorisedSigner`/`BadSignature`) and go from the current epoch to the next one
/// (`BadSuccession`). `recovery` successions are rejected until recovery exists.
pub fn verify_succession(pinned: &EpochKey, coffre: Id, steps: &[Envelope]) -> Result<EpochKey> {
    let mut cur = pinned.clone();
    for env in steps {
        let b = env.peek::<EpochSuccession>()?;
        if b.authority != Authority::Previous {
            return Err(Error::BadSuccession);
        }
        let v = env.verify_by::<EpochSuccession>(&cur.key)?;
        let b = v.body;
        if b.coffre != coffre
            || b.from_epoch != cur.epoch
            || b.from_key != cur.key
            || b.to_epoch != cur.epoch + 1
        {
            return Err(Error::BadSuccession);
        }
        cur = EpochKey {
            epoch: b.to_epoch,
            key: b.to_key,
            recipient: Some(b.to_recipient),
        };
    }
    Ok(cur)
}
