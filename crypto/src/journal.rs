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

/// Journal actions (owner-signed, `object` = the paper) that make a paper exist.
pub const PAPER_ADDED_ACTIONS: &[&str] = &["paper_added", "paper_replaced"];
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
