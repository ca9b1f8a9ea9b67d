//! The journal (section 9): entries, inclusion receipts and chain verification.

use ed25519_dalek::SigningKey;

use crate::Context;
use crate::encoding::{Hash32, Id, PAGE_CAP, PublicKey};
use crate::error::{Error, Result};
use crate::kinds::{InclusionReceipt, JournalCheckpoint, JournalEntry};
use crate::statement::{Envelope, sign};

/// A remembered point of the chain: the last `(seq, statement hash)` the owner saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// Sequence number.
    pub seq: u64,
    /// Statement hash of the entry at `seq`.
    pub hash: Hash32,
}

/// Sign an entry with the actor's key (its `actor` field must be that key).
pub fn sign_entry(entry: &JournalEntry, actor: &SigningKey) -> Result<Envelope> {
    if crate::keys::public_key(actor) != entry.actor {
        return Err(Error::UnauthorisedSigner);
    }
    sign(entry, &[actor])
}

/// Verify a page of the journal.
///
/// Without a checkpoint the page must start at seq 0. With one, it may start at seq 0, at the
/// checkpoint's seq, or right after it (then its `prev` must be the checkpoint's hash). Every
/// entry is signed by its `actor`, which `allowed(actor, entry)` must accept. Returns the new
/// checkpoint (the last entry).
pub fn verify_journal(
    entries: &[Envelope],
    checkpoint: Option<Checkpoint>,
    ctx: &Context,
    allowed: &dyn Fn(&PublicKey, &JournalEntry) -> bool,
) -> Result<Checkpoint> {
    verify_journal_vouched(entries, checkpoint, None, ctx, allowed)
}

/// [`verify_journal`], with an owner-signed checkpoint already verified by
/// [`verify_checkpoint`] (`vouched`).
///
/// The owner's device that signed `vouched` had verified every entry up to it, so entries up
/// to its seq are bound by their hash links alone: their signatures are not checked again
/// (their signer, context, epochs, times, seqs and links still are). A page that holds an
/// entry at or before `vouched.seq` may start at any seq up to it; it must then reach it
/// (`Rollback`) with its hash (`Fork`). A page may also start right after it (its `prev` the
/// vouched hash).
pub fn verify_journal_vouched(
    entries: &[Envelope],
    checkpoint: Option<Checkpoint>,
    vouched: Option<Checkpoint>,
    ctx: &Context,
    allowed: &dyn Fn(&PublicKey, &JournalEntry) -> bool,
) -> Result<Checkpoint> {
    if entries.len() > PAGE_CAP {
        return Err(Error::TooLarge {
            size: entries.len(),
            cap: PAGE_CAP,
        });
    }
    let mut last: Option<Checkpoint> = None;
    let mut saw_checkpoint = false;
    // Whether the page holds entries that only `vouched` binds, and whether it reached it.
    let mut needs_vouched = false;
    let mut saw_vouched = false;
    let mut last_epoch_time: Option<(u64, u64)> = None;
    for env in entries {
        let b = env.peek::<JournalEntry>()?;
        let sigs = env.sigs();
        if sigs.len() != 1 || sigs[0].key != b.actor || !allowed(&b.actor, &b) {
            return Err(Error::UnauthorisedSigner);
        }
        check_proof_shape(&b)?;
        let covered = vouched.is_some_and(|v| b.seq <= v.seq);
        needs_vouched |= covered;
        if !covered {
            env.check_signatures()?;
        }
        if b.instance != ctx.instance || b.coffre != ctx.coffre {
            return Err(Error::ContextMismatch("journal coffre"));
        }
        if b.epoch > ctx.epoch || last_epoch_time.is_some_and(|(e, _)| b.epoch < e) {
            return Err(Error::ContextMismatch("journal epoch"));
        }
        if last_epoch_time.is_some_and(|(_, t)| b.time < t) {
            return Err(Error::TimeReversed);
        }
        last_epoch_time = Some((b.epoch, b.time));
        let hash = env.hash()?;
        match last {
            None => match (checkpoint, vouched) {
                (Some(cp), _) if b.seq == cp.seq + 1 => {
                    if b.prev != cp.hash {
                        return Err(Error::Fork);
                    }
                    saw_checkpoint = true;
                }
                (Some(cp), _) if b.seq == cp.seq => {}
                (_, Some(v)) if b.seq == v.seq + 1 => {
                    if b.prev != v.hash {
                        return Err(Error::Fork);
                    }
                    saw_vouched = true;
                }
                _ if b.seq == 0 => {
                    if b.prev != Hash32::ZERO {
                        return Err(Error::BrokenLink);
                    }
                }
                (_, Some(v)) if b.seq <= v.seq => {}
                _ => return Err(Error::SeqGap),
            },
            Some(prev) => {
                if b.seq != prev.seq + 1 {
                    return Err(Error::SeqGap);
                }
                if b.prev != prev.hash {
                    return Err(Error::BrokenLink);
                }
            }
        }
        for (cp, saw) in [
            (checkpoint, &mut saw_checkpoint),
            (vouched, &mut saw_vouched),
        ] {
            if let Some(cp) = cp
                && b.seq == cp.seq
            {
                if hash != cp.hash {
                    return Err(Error::Fork);
                }
                *saw = true;
            }
        }
        last = Some(Checkpoint { seq: b.seq, hash });
    }
    let last = match (last, checkpoint.or(vouched)) {
        (Some(l), _) => l,
        (None, Some(cp)) => return Ok(cp),
        (None, None) => return Err(Error::BadChain("empty journal")),
    };
    if let Some(cp) = checkpoint
        && (last.seq < cp.seq || !saw_checkpoint)
    {
        return Err(Error::Rollback);
    }
    if needs_vouched && !saw_vouched {
        return Err(Error::Rollback);
    }
    Ok(last)
}

/// Actions the instance's server key signs (section 9): what the server saw, and what a
/// grantee did under a mandate ([`GRANTEE_ACTIONS`]).
pub const SERVER_ACTIONS: &[&str] = &[
    "coffre_created",
    "sign_in",
    "sign_in_failed",
    "carte_locked",
    "restored",
    "mandate_accessed",
    "paper_deposited",
    "mandate_renounced",
];

/// Server-signed actions that record what a grantee did: each names its `mandate` and, in
/// `proof`, the statement hash of the grantee-signed statement the server stored with it in
/// one transaction — an access receipt (`mandate_accessed`, `object` = the receipt's
/// `paper`), an upload (`paper_deposited`, `object` = the paper), a renunciation
/// (`mandate_renounced`, no `object`).
pub const GRANTEE_ACTIONS: &[&str] = &["mandate_accessed", "paper_deposited", "mandate_renounced"];

/// Who may sign an entry (section 9): the server key for a server action, the owner key of
/// the entry's epoch (`owner_of`) for any other.
pub fn allowed_signer(
    actor: &PublicKey,
    entry: &JournalEntry,
    server: &PublicKey,
    owner_of: &dyn Fn(u64) -> Option<PublicKey>,
) -> bool {
    if SERVER_ACTIONS.contains(&entry.action.as_str()) {
        actor == server
    } else {
        owner_of(entry.epoch).as_ref() == Some(actor)
    }
}

/// A grantee action carries its `mandate` and `proof` (and a deposit its paper as
/// `object`); no other action carries a `proof` (`Malformed`).
fn check_proof_shape(e: &JournalEntry) -> Result<()> {
    let grantee = GRANTEE_ACTIONS.contains(&e.action.as_str());
    if grantee && (e.mandate.is_none() || e.proof.is_none()) {
        return Err(Error::Malformed(format!(
            "{} without its mandate and proof",
            e.action
        )));
    }
    if grantee && e.action == "paper_deposited" && e.object.is_none() {
        return Err(Error::Malformed("a deposit without its paper".into()));
    }
    if !grantee && e.proof.is_some() {
        return Err(Error::Malformed(format!("{} carries a proof", e.action)));
    }
    Ok(())
}

/// A grantee-signed statement as the owner's client matches it to the journal: its
/// statement hash, the journal action that records it, its mandate and object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GranteeStatement {
    /// Statement hash of the envelope.
    pub hash: Hash32,
    /// The action of the entry that records it.
    pub action: &'static str,
    /// Its mandate.
    pub mandate: Id,
    /// The entry's `object`: the receipt's `paper`, the upload's paper, none for a
    /// renunciation.
    pub object: Option<Id>,
}

impl GranteeStatement {
    /// An access receipt (verify it first with [`crate::mandate::verify_access_receipt`]).
    pub fn access_receipt(env: &Envelope) -> Result<Self> {
        let r = env.peek::<crate::kinds::AccessReceipt>()?;
        Ok(GranteeStatement {
            hash: env.hash()?,
            action: "mandate_accessed",
            mandate: r.mandate,
            object: Some(r.paper),
        })
    }

    /// An upload under a mandate (one without a `mandate` is the owner's: `Malformed`).
    pub fn deposit(env: &Envelope) -> Result<Self> {
        let u = env.peek::<crate::kinds::Upload>()?;
        let mandate = u
            .mandate
            .ok_or_else(|| Error::Malformed("an owner's upload is no deposit".into()))?;
        Ok(GranteeStatement {
            hash: env.hash()?,
            action: "paper_deposited",
            mandate,
            object: Some(u.paper),
        })
    }

    /// A renunciation.
    pub fn renunciation(env: &Envelope) -> Result<Self> {
        let r = env.peek::<crate::kinds::Renunciation>()?;
        Ok(GranteeStatement {
            hash: env.hash()?,
            action: "mandate_renounced",
            mandate: r.mandate,
            object: None,
        })
    }
}

/// Matches the grantee actions of verified entries with the grantee-signed statements the
/// host serves (section 9): an entry whose `proof` names none of them is `ProofMissing` (an
/// act the host may have invented); one that names a statement of another action, mandate
/// or object, or a statement another entry already named, is `ContextMismatch`. With
/// `complete` (the entries are the whole journal, from seq 0), a statement no entry names
/// is `EntryMissing` (an act the host hid from the journal).
pub fn check_grantee_proofs(
    entries: &[JournalEntry],
    statements: &[GranteeStatement],
    complete: bool,
) -> Result<()> {
    let mut named = vec![false; statements.len()];
    for e in entries {
        if !GRANTEE_ACTIONS.contains(&e.action.as_str()) {
            continue;
        }
        check_proof_shape(e)?;
        let proof = e.proof.unwrap_or(Hash32::ZERO);
        let i = statements
            .iter()
            .position(|s| s.hash == proof)
            .ok_or(Error::ProofMissing)?;
        let s = &statements[i];
        if s.action != e.action || Some(s.mandate) != e.mandate || s.object != e.object {
            return Err(Error::ContextMismatch("grantee proof"));
        }
        if std::mem::replace(&mut named[i], true) {
            return Err(Error::ContextMismatch("grantee proof named twice"));
        }
    }
    if complete && named.iter().any(|n| !n) {
        return Err(Error::EntryMissing);
    }
    Ok(())
}

/// Journal actions (`object` = the paper) that make a paper exist: the owner's additions and
/// the server's record of a deposit under a mandate.
pub const PAPER_ADDED_ACTIONS: &[&str] = &["paper_added", "paper_replaced", "paper_deposited"];
/// The journal action (owner-signed, `object` = the paper) of a deletion.
pub const PAPER_DELETED_ACTION: &str = "paper_deleted";

/// The papers a page of verified entries says exist: each one an added-paper action names,
/// unless a later deletion names it. A paper action without an `object` is `Malformed`. A
/// page that starts at a checkpoint says nothing of the papers added before it.
pub fn live_papers(entries: &[JournalEntry]) -> Result<std::collections::BTreeSet<Id>> {
    let mut live = std::collections::BTreeSet::new();
    for e in entries {
        let added = PAPER_ADDED_ACTIONS.contains(&e.action.as_str());
        if !added && e.action != PAPER_DELETED_ACTION {
            continue;
        }
        let paper = e
            .object
            .ok_or_else(|| Error::Malformed("a paper action without its paper".into()))?;
        if added {
            live.insert(paper);
        } else {
            live.remove(&paper);
        }
    }
    Ok(live)
}

/// Sign a checkpoint as the owner of `ctx`'s epoch, after verifying the journal up to it.
pub fn sign_checkpoint(
    ctx: &Context,
    owner: &SigningKey,
    checkpoint: Checkpoint,
    created: u64,
) -> Result<Envelope> {
    let body = JournalCheckpoint {
        coffre: ctx.coffre,
        created,
        entry: checkpoint.hash,
        epoch: ctx.epoch,
        instance: ctx.instance.clone(),
        kind: Default::default(),
        seq: checkpoint.seq,
        v: Default::default(),
    };
    sign(&body, &[owner])
}

/// Verify an owner-signed checkpoint: signed by `owner`, the owner key of the context's
/// epoch, for this instance, coffre and epoch (`ContextMismatch` otherwise: a checkpoint of an
/// earlier epoch is not used, as that epoch's key may be the one that was lost).
pub fn verify_checkpoint(env: &Envelope, owner: &PublicKey, ctx: &Context) -> Result<Checkpoint> {
    let v = env.verify_by::<JournalCheckpoint>(owner)?.into_body();
    ctx.check(&v.instance, Some(&v.coffre), Some(v.epoch))?;
    Ok(Checkpoint {
        seq: v.seq,
        hash: v.entry,
    })
}

/// Verify an inclusion receipt from the server for the entry at `seq` with statement hash
/// `entry`: another instance, coffre or seq is `ContextMismatch`, another entry `HashMismatch`.
pub fn verify_inclusion_receipt(
    env: &Envelope,
    server: &PublicKey,
    ctx: &Context,
    seq: u64,
    entry: &Hash32,
) -> Result<InclusionReceipt> {
    let v = env.verify_by::<InclusionReceipt>(server)?.into_body();
    if v.instance != ctx.instance || v.coffre != ctx.coffre {
        return Err(Error::ContextMismatch("receipt coffre"));
    }
    if v.seq != seq {
        return Err(Error::ContextMismatch("receipt seq"));
    }
    if v.entry != *entry {
        return Err(Error::HashMismatch);
    }
    Ok(v)
}
