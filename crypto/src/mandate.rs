//! Mandates and their life (section 8), and owner-key epochs (section 3).

use crate::Context;
use crate::age_io::{decrypt, encrypt};
use crate::encoding::{AgeRecipient, Id, PublicKey, check_sorted_set};
use crate::error::{Error, Result};
use crate::keys::Fingerprint;
use crate::kinds::{
    AccessReceipt, Authority, EpochSuccession, GranteeType, Mandate, MandateNote, Renunciation,
    Revocation,
};
use crate::statement::{Envelope, Verified};

/// Longest mandate window: 365 days.
pub const MAX_MANDATE_SECONDS: u64 = 365 * 24 * 3600;

/// Largest mandate note file (section 8.1): checked before decryption (`TooLarge`), and by
/// the server before it stores one.
pub const NOTE_CAP: usize = 2048;

/// Longest name in a mandate note, in UTF-8 bytes: what the 60-character field can hold
/// (a UTF-16 unit is at most 3 UTF-8 bytes, a surrogate pair 4).
pub const NOTE_NAME_MAX_BYTES: usize = 180;

/// A note's name: 1 to [`NOTE_NAME_MAX_BYTES`] UTF-8 bytes, no control character
/// (U+0000–U+001F, U+007F); else `Malformed`.
pub fn check_note_name(name: &str) -> Result<()> {
    if name.is_empty() || name.len() > NOTE_NAME_MAX_BYTES {
        return Err(Error::Malformed("a note's name is 1 to 180 bytes".into()));
    }
    if name.chars().any(|c| c < ' ' || c == '\u{7f}') {
        return Err(Error::Malformed(
            "a control character in a note's name".into(),
        ));
    }
    Ok(())
}

/// Encrypt an owner-signed `mandate_note` envelope to the owner's own recipient (section
/// 8.1). The note's name is checked first (`Malformed`), and the file must fit
/// [`NOTE_CAP`] (`TooLarge`).
pub fn seal_mandate_note(owner_recipient: &AgeRecipient, note: &Envelope) -> Result<Vec<u8>> {
    check_note_name(&note.peek::<MandateNote>()?.name)?;
    let file = encrypt(std::slice::from_ref(owner_recipient), &note.to_bytes()?)?;
    if file.len() > NOTE_CAP {
        return Err(Error::TooLarge {
            size: file.len(),
            cap: NOTE_CAP,
        });
    }
    Ok(file)
}

/// Open a mandate note file (section 8.1), in this order: its size (`TooLarge`), decryption
/// with the owner's identity (`DecryptionFailed`), the envelope signed by exactly the owner
/// key (`BadSignature`, `UnauthorisedSigner`), instance, coffre and epoch (`ContextMismatch`),
/// the mandate it names (`ContextMismatch`), its name (`Malformed`).
pub fn open_mandate_note(
    identity: &dyn age::Identity,
    file: &[u8],
    owner: &PublicKey,
    ctx: &Context,
    mandate: Id,
) -> Result<MandateNote> {
    if file.len() > NOTE_CAP {
        return Err(Error::TooLarge {
            size: file.len(),
            cap: NOTE_CAP,
        });
    }
    let plain = decrypt(identity, file)?;
    let env = Envelope::parse(&plain)?;
    let note = env.verify_by::<MandateNote>(owner)?.into_body();
    ctx.check(&note.instance, Some(&note.coffre), Some(note.epoch))?;
    if note.mandate != mandate {
        return Err(Error::ContextMismatch("mandate"));
    }
    check_note_name(&note.name)?;
    Ok(note)
}

/// The verified statements that end a mandate: revocations (owner-signed, see
/// [`verify_revocation`]) and renunciations (grantee-signed, see [`verify_renunciation`]).
/// Only this crate makes a [`Verified`], so nothing unverified gets in.
#[derive(Clone, Debug, Default)]
pub struct MandateEnds {
    /// Verified revocations of the mandate; each takes effect at its `created`.
    pub revocations: Vec<Verified<Revocation>>,
    /// Verified renunciations of the mandate; each takes effect at its `created`.
    pub renunciations: Vec<Verified<Renunciation>>,
}

impl MandateEnds {
    /// No revocation, no renunciation.
    pub fn none() -> Self {
        MandateEnds::default()
    }

    /// `Revoked` if an end took effect at or before `at`. An end naming another mandate is
    /// `ContextMismatch` (the caller mixed up mandates).
    pub fn check(&self, m: &Mandate, at: u64) -> Result<()> {
        let ends = self
            .revocations
            .iter()
            .map(|r| (r.body().mandate, r.body().created))
            .chain(
                self.renunciations
                    .iter()
                    .map(|r| (r.body().mandate, r.body().created)),
            );
        for (mandate, effect) in ends {
            if mandate != m.mandate {
                return Err(Error::ContextMismatch("mandate"));
            }
            if effect <= at {
                return Err(Error::Revoked);
            }
        }
        Ok(())
    }
}

/// Verify a mandate signed by the owner and in force at `at`: context, categories (a
/// non-empty sorted set), window rules (`not_before ≤ not_after`, at most 365 days), the
/// window containing `at` (`OutsideValidity`), and no end in `ends` at or before `at`
/// (`Revoked`).
pub fn verify_mandate(
    env: &Envelope,
    owner: &PublicKey,
    ctx: &Context,
    at: u64,
    ends: &MandateEnds,
) -> Result<Verified<Mandate>> {
    let v = env.verify_by::<Mandate>(owner)?;
    let m = v.body();
    ctx.check(&m.instance, Some(&m.coffre), Some(m.epoch))?;
    if m.categories.is_empty() {
        return Err(Error::Malformed("mandate without categories".into()));
    }
    check_sorted_set(&m.categories)?;
    if m.not_before > m.not_after || m.not_after - m.not_before > MAX_MANDATE_SECONDS {
        return Err(Error::OutsideValidity);
    }
    match (m.grantee.grantee_type, &m.grantee.recipient) {
        (GranteeType::Person, Some(_)) | (GranteeType::Organisation, None) => {}
        _ => return Err(Error::Malformed("grantee recipient".into())),
    }
    check_in_force(&v, ends, at)?;
    Ok(v)
}

/// Is the verified mandate in force at `at`: inside its window (`OutsideValidity`) and not
/// ended at or before `at` (`Revoked`)?
pub fn check_in_force(m: &Verified<Mandate>, ends: &MandateEnds, at: u64) -> Result<()> {
    check_window(m.body(), at)?;
    ends.check(m.body(), at)
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

/// Verify a revocation (owner-signed) of `mandate` (another mandate: `ContextMismatch`).
pub fn verify_revocation(
    env: &Envelope,
    owner: &PublicKey,
    ctx: &Context,
    mandate: Id,
) -> Result<Verified<Revocation>> {
    let v = env.verify_by::<Revocation>(owner)?;
    let b = v.body();
    ctx.check(&b.instance, Some(&b.coffre), Some(b.epoch))?;
    if b.mandate != mandate {
        return Err(Error::ContextMismatch("mandate"));
    }
    Ok(v)
}

/// Verify a renunciation of `mandate` signed by its `grantee_key`, which must be one of
/// `allowed` (the person, or verified org members).
pub fn verify_renunciation(
    env: &Envelope,
    allowed: &[PublicKey],
    ctx: &Context,
    mandate: Id,
) -> Result<Verified<Renunciation>> {
    let b = env.peek::<Renunciation>()?;
    if !allowed.contains(&b.grantee_key) {
        return Err(Error::UnauthorisedSigner);
    }
    let v = env.verify_by::<Renunciation>(&b.grantee_key)?;
    let b = v.body();
    ctx.check(&b.instance, Some(&b.coffre), Some(b.epoch))?;
    if b.mandate != mandate {
        return Err(Error::ContextMismatch("mandate"));
    }
    Ok(v)
}

/// Verify one access receipt under a verified mandate: signed by its `grantee_key`, which
/// must be allowed; for this mandate (`ContextMismatch`); dated inside the mandate's window
/// (`OutsideValidity`) and before any end in `ends` (`Revoked`).
pub fn verify_access_receipt(
    env: &Envelope,
    allowed: &[PublicKey],
    ctx: &Context,
    mandate: &Verified<Mandate>,
    ends: &MandateEnds,
) -> Result<AccessReceipt> {
    let b = env.peek::<AccessReceipt>()?;
    if !allowed.contains(&b.grantee_key) {
        return Err(Error::UnauthorisedSigner);
    }
    let v = env.verify_by::<AccessReceipt>(&b.grantee_key)?.into_body();
    ctx.check(&v.instance, Some(&v.coffre), Some(v.epoch))?;
    if v.mandate != mandate.body().mandate {
        return Err(Error::ContextMismatch("mandate"));
    }
    check_in_force(mandate, ends, v.created)?;
    Ok(v)
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
        let b = env.verify_by::<EpochSuccession>(&cur.key)?.into_body();
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
