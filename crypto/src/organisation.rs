//! Organisations (section 7): the membership chain, org key certificates and wraps, owner pins.

use crate::age_io::{decrypt_payload, encrypt_payload, recipient_of};
use crate::encoding::{AgeRecipient, Hash32, Id, PAGE_CAP, PublicKey};
use crate::error::{Error, Result};
use crate::journal::Checkpoint;
use crate::kinds::{Member, OrgAction, OrgChain, OrgKey, OrgKeyWrapPayload, OwnerPin, Role};
use crate::secret::SecretIdentity;
use crate::statement::{Envelope, Verified};

/// The state of an organisation after verifying its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgState {
    /// Organisation id.
    pub organisation: Id,
    /// Root key (pinned face to face).
    pub root: PublicKey,
    /// The instance the chain names.
    pub instance: String,
    /// Current members.
    pub members: Vec<Member>,
    /// The chain's head: last seq and its statement hash (remember it as the next call's
    /// checkpoint).
    pub checkpoint: Checkpoint,
    /// Seq of the newest `remove_member`, if any.
    pub last_removal: Option<u64>,
}

impl OrgState {
    /// Current responsables' keys.
    pub fn responsables(&self) -> Vec<PublicKey> {
        self.members
            .iter()
            .filter(|m| m.role == Role::Responsable)
            .map(|m| m.key)
            .collect()
    }
    /// Is `key` a current member (any role)?
    pub fn is_member(&self, key: &PublicKey) -> bool {
        self.members.iter().any(|m| m.key == *key)
    }
}

/// Verify an organisation chain from seq 0 against the pinned root and the remembered
/// checkpoint (`None` only on first contact).
///
/// Seq 0 (`found`) is signed by the root alone and names a responsable. Later statements are
/// signed only by current responsables: one while there is one, two distinct ones once there
/// are two or more (`NotAResponsable`, `TooFewSignatures`). `set_role` names a member's key
/// and recipient exactly as the chain does with another role; no statement leaves the chain
/// without a responsable (`BadChain`). A chain that ends before the
/// checkpoint is `Rollback`; another statement at the checkpoint's seq is `Fork`.
pub fn verify_org_chain(
    statements: &[Envelope],
    root: &PublicKey,
    checkpoint: Option<Checkpoint>,
) -> Result<OrgState> {
    if statements.len() > PAGE_CAP {
        return Err(Error::TooLarge {
            size: statements.len(),
            cap: PAGE_CAP,
        });
    }
    let first = statements.first().ok_or(Error::BadChain("empty chain"))?;
    let v0 = first.verify_by::<OrgChain>(root)?;
    let head0 = *v0.hash();
    let b0 = v0.into_body();
    if b0.seq != 0 {
        return Err(Error::SeqGap);
    }
    if b0.prev != Hash32::ZERO {
        return Err(Error::BrokenLink);
    }
    if b0.action != OrgAction::Found || b0.member.role != Role::Responsable {
        return Err(Error::BadChain("seq 0 must found with a responsable"));
    }
    let mut st = OrgState {
        organisation: b0.organisation,
        root: *root,
        instance: b0.instance,
        members: vec![b0.member],
        checkpoint: Checkpoint {
            seq: 0,
            hash: head0,
        },
        last_removal: None,
    };
    check_at_checkpoint(&st.checkpoint, checkpoint)?;
    for env in &statements[1..] {
        next_statement(&mut st, env, Signatures::AsTheChainNeeds)?;
        check_at_checkpoint(&st.checkpoint, checkpoint)?;
    }
    if let Some(cp) = checkpoint
        && st.checkpoint.seq < cp.seq
    {
        return Err(Error::Rollback);
    }
    Ok(st)
}

/// How many signatures a statement must carry to be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signatures {
    /// One while there is one responsable, two once there are two or more.
    AsTheChainNeeds,
    /// Exactly one (a proposal that waits for a second responsable).
    OneOfTwo,
}

/// Check `env` as the statement after `st`'s head and apply it to `st`; returns its signers.
fn next_statement(
    st: &mut OrgState,
    env: &Envelope,
    signatures: Signatures,
) -> Result<Vec<PublicKey>> {
    let v = env.verify_all::<OrgChain>()?;
    let signers = v.signers().to_vec();
    let hash = *v.hash();
    let b = v.into_body();
    if b.organisation != st.organisation || b.instance != st.instance {
        return Err(Error::ContextMismatch("organisation"));
    }
    if b.seq != st.checkpoint.seq + 1 {
        return Err(Error::SeqGap);
    }
    if b.prev != st.checkpoint.hash {
        return Err(Error::BrokenLink);
    }
    let resp = st.responsables();
    if signers.iter().any(|s| !resp.contains(s)) {
        return Err(Error::NotAResponsable);
    }
    let needed = match signatures {
        Signatures::AsTheChainNeeds if resp.len() >= 2 => 2,
        Signatures::AsTheChainNeeds => 1,
        Signatures::OneOfTwo if resp.len() < 2 => {
            return Err(Error::BadChain("one responsable signs alone"));
        }
        Signatures::OneOfTwo if signers.len() != 1 => {
            return Err(Error::BadChain("a proposal carries one signature"));
        }
        Signatures::OneOfTwo => 1,
    };
    if signers.len() < needed {
        return Err(Error::TooFewSignatures);
    }
    apply_action(st, b.action, b.member, b.seq)?;
    st.checkpoint = Checkpoint { seq: b.seq, hash };
    Ok(signers)
}

/// What an action does to the members (signatures already checked).
fn apply_action(st: &mut OrgState, action: OrgAction, member: Member, seq: u64) -> Result<()> {
    match action {
        OrgAction::Found => return Err(Error::BadChain("found after seq 0")),
        OrgAction::AddMember => {
            if st.is_member(&member.key) {
                return Err(Error::BadChain("already a member"));
            }
            st.members.push(member);
        }
        OrgAction::RemoveMember => {
            let pos = st
                .members
                .iter()
                .position(|m| *m == member)
                .ok_or(Error::BadChain("not a member"))?;
            st.members.remove(pos);
            st.last_removal = Some(seq);
        }
        OrgAction::SetRole => {
            let m = st
                .members
                .iter_mut()
                .find(|m| m.key == member.key && m.recipient == member.recipient)
                .ok_or(Error::BadChain("not a member"))?;
            if m.role == member.role {
                return Err(Error::BadChain("already in that role"));
            }
            m.role = member.role;
        }
    }
    if st.responsables().is_empty() {
        return Err(Error::BadChain("last responsable removed"));
    }
    Ok(())
}

/// Check a proposal: the statement after `chain`'s head, signed by **one** current responsable
/// while the chain has two or more, that would apply once a second current responsable
/// countersigns it. Returns the state it would give. With one responsable there is nothing
/// to propose (`BadChain`: she signs alone); two signatures already is `BadChain` too (append
/// it instead).
pub fn check_org_proposal(chain: &OrgState, env: &Envelope) -> Result<OrgProposal> {
    let mut state = chain.clone();
    let signers = next_statement(&mut state, env, Signatures::OneOfTwo)?;
    let proposer = *signers
        .first()
        .ok_or(Error::BadChain("a proposal carries one signature"))?;
    Ok(OrgProposal { proposer, state })
}

/// A proposal that [`check_org_proposal`] accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgProposal {
    /// The one responsable who signed it.
    pub proposer: PublicKey,
    /// The state it gives once countersigned (its checkpoint is the proposal's own hash, not
    /// the countersigned statement's).
    pub state: OrgState,
}

/// At the remembered checkpoint's seq, the statement must be the remembered one (`Fork`).
fn check_at_checkpoint(here: &Checkpoint, remembered: Option<Checkpoint>) -> Result<()> {
    match remembered {
        Some(cp) if cp.seq == here.seq && cp.hash != here.hash => Err(Error::Fork),
        _ => Ok(()),
    }
}

/// Verify an org key certificate against the pinned root.
pub fn verify_org_key(
    env: &Envelope,
    root: &PublicKey,
    organisation: Id,
) -> Result<Verified<OrgKey>> {
    let v = env.verify_by::<OrgKey>(root)?;
    if v.body().organisation != organisation {
        return Err(Error::ContextMismatch("organisation"));
    }
    Ok(v)
}

/// The organisation key a client may wrap category keys to: every certificate verified
/// against the root, the highest generation chosen. `Rollback` when that generation is below
/// the one the client remembers, when the key was made before the chain's last removal
/// (`chain_seq < last_removal`: a removed member still holds it) or claims a chain beyond the
/// verified head. A certificate for another instance than the chain's is `ContextMismatch`;
/// two certificates for the highest generation are `BadChain`; none at all is `BadChain` too.
pub fn newest_org_key(
    certs: &[Envelope],
    root: &PublicKey,
    organisation: Id,
    chain: &OrgState,
    remembered_generation: Option<u64>,
) -> Result<Verified<OrgKey>> {
    if chain.organisation != organisation || chain.root != *root {
        return Err(Error::ContextMismatch("organisation"));
    }
    if certs.len() > PAGE_CAP {
        return Err(Error::TooLarge {
            size: certs.len(),
            cap: PAGE_CAP,
        });
    }
    let mut newest: Option<Verified<OrgKey>> = None;
    let mut tied = false;
    for env in certs {
        let v = verify_org_key(env, root, organisation)?;
        if v.body().instance != chain.instance {
            return Err(Error::ContextMismatch("instance"));
        }
        match &newest {
            Some(n) if n.body().generation > v.body().generation => {}
            Some(n) if n.body().generation == v.body().generation => {
                tied |= n.hash() != v.hash();
            }
            _ => {
                tied = false;
                newest = Some(v);
            }
        }
    }
    let newest = newest.ok_or(Error::BadChain("no organisation key"))?;
    if tied {
        return Err(Error::BadChain("two keys for one generation"));
    }
    let k = newest.body();
    if remembered_generation.is_some_and(|g| k.generation < g)
        || chain.last_removal.is_some_and(|r| k.chain_seq < r)
        || k.chain_seq > chain.checkpoint.seq
    {
        return Err(Error::Rollback);
    }
    Ok(newest)
}

/// Wrap a generation of the organisation key to members' recipients.
pub fn wrap_org_key(
    recipients: &[AgeRecipient],
    organisation: Id,
    generation: u64,
    key: &age::x25519::Identity,
) -> Result<Vec<u8>> {
    let payload = OrgKeyWrapPayload {
        generation,
        identity: SecretIdentity::from_identity(key)?,
        kind: Default::default(),
        organisation,
        v: Default::default(),
    };
    encrypt_payload(recipients, &payload)
}

/// Unwrap an org key and check it against its verified certificate (`RecipientMismatch`).
pub fn unwrap_org_key(
    identity: &dyn age::Identity,
    ciphertext: &[u8],
    cert: &OrgKey,
) -> Result<age::x25519::Identity> {
    let p: OrgKeyWrapPayload = decrypt_payload(identity, ciphertext)?;
    let key = p.identity.to_identity()?;
    if recipient_of(&key) != cert.recipient
        || p.generation != cert.generation
        || p.organisation != cert.organisation
    {
        return Err(Error::RecipientMismatch);
    }
    Ok(key)
}

/// Verify an owner pin: signed by one current member of the verified organisation.
pub fn verify_owner_pin(env: &Envelope, org: &OrgState) -> Result<OwnerPin> {
    let v = env.verify_all::<OwnerPin>()?;
    if v.signers().len() != 1 || !org.is_member(&v.signers()[0]) {
        return Err(Error::UnauthorisedSigner);
    }
    if v.body().organisation != org.organisation {
        return Err(Error::ContextMismatch("organisation"));
    }
    Ok(v.into_body())
}
