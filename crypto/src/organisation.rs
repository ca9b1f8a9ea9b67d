//! Organisations (section 7): the membership chain, org key certificates and wraps, owner pins.

use crate::age_io::{
    decrypt_payload, encrypt_payload, identity_bytes, identity_string_from_bytes, parse_identity,
    recipient_of,
};
use crate::encoding::{AgeRecipient, Hash32, Id, PAGE_CAP, PublicKey};
use crate::error::{Error, Result};
use crate::kinds::{Member, OrgAction, OrgChain, OrgKey, OrgKeyWrapPayload, OwnerPin, Role};
use crate::statement::Envelope;

/// The state of an organisation after verifying its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgState {
    /// Organisation id.
    pub organisation: Id,
    /// Root key (pinned face to face).
    pub root: PublicKey,
    /// Current members.
    pub members: Vec<Member>,
    /// Last seq.
    pub seq: u64,
    /// Hash of the last statement.
    pub head: Hash32,
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

/// Verify an organisation chain from seq 0 against the pinned root.
///
/// Seq 0 (`found`) is signed by the root alone and names a responsable. Later statements are
/// signed only by current responsables: one while there is one, two distinct ones once there
/// are two or more (`NotAResponsable`, `TooFewSignatures`).
pub fn verify_org_chain(statements: &[Envelope], root: &PublicKey) -> Result<OrgState> {
    if statements.len() > PAGE_CAP {
        return Err(Error::TooLarge {
            size: statements.len(),
            cap: PAGE_CAP,
        });
    }
    let first = statements.first().ok_or(Error::BadChain("empty chain"))?;
    let v0 = first.verify_by::<OrgChain>(root)?;
    let b0 = v0.body;
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
        members: vec![b0.member],
        seq: 0,
        head: v0.hash,
    };
    let instance = b0.instance;
    for env in &statements[1..] {
        let v = env.verify_all::<OrgChain>()?;
        let b = v.body;
        if b.organisation != st.organisation || b.instance != instance {
            return Err(Error::ContextMismatch("organisation"));
        }
        if b.seq != st.seq + 1 {
            return Err(Error::SeqGap);
        }
        if b.prev != st.head {
            return Err(Error::BrokenLink);
        }
        let resp = st.responsables();
        if v.signers.iter().any(|s| !resp.contains(s)) {
            return Err(Error::NotAResponsable);
        }
        let needed = if resp.len() >= 2 { 2 } else { 1 };
        if v.signers.len() < needed {
            return Err(Error::TooFewSignatures);
        }
        match b.action {
            OrgAction::Found => return Err(Error::BadChain("found after seq 0")),
            OrgAction::AddMember => {
                if st.is_member(&b.member.key) {
                    return Err(Error::BadChain("already a member"));
                }
                st.members.push(b.member);
            }
            OrgAction::RemoveMember => {
                let pos = st
                    .members
                    .iter()
                    .position(|m| *m == b.member)
                    .ok_or(Error::BadChain("not a member"))?;
                st.members.remove(pos);
                if st.responsables().is_empty() {
                    return Err(Error::BadChain("last responsable removed"));
                }
            }
        }
        st.seq = b.seq;
        st.head = v.hash;
    }
    Ok(st)
}

/// Verify an org key certificate against the pinned root.
pub fn verify_org_key(env: &Envelope, root: &PublicKey, organisation: Id) -> Result<OrgKey> {
    let v = env.verify_by::<OrgKey>(root)?;
    if v.body.organisation != organisation {
        return Err(Error::ContextMismatch("organisation"));
    }
    Ok(v.body)
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
        identity: identity_string_from_bytes(&*identity_bytes(key)?)?,
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
    let key = parse_identity(&p.identity)?;
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
    if v.signers.len() != 1 || !org.is_member(&v.signers[0]) {
        return Err(Error::UnauthorisedSigner);
    }
    if v.body.organisation != org.organisation {
        return Err(Error::ContextMismatch("organisation"));
    }
    Ok(v.body)
}
