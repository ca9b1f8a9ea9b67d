//! Organisation rollback: a chain served without its last removal, an older org key, a key
//! made before the last removal (protocol section 7).

use super::*;

/// Found by R1; an aidant added; the aidant removed. Returns the three statements.
fn chain_with_removal() -> Vec<Envelope> {
    let s0 = founding();
    let s1 = chain_after(
        &s0,
        OrgAction::AddMember,
        member(&aidant(), 0x64, Role::Aidant),
        &[&resp1()],
    );
    let s2 = chain_after(
        &s1,
        OrgAction::RemoveMember,
        member(&aidant(), 0x64, Role::Aidant),
        &[&resp1()],
    );
    vec![s0, s1, s2]
}

fn org_key(generation: u64, chain_seq: u64) -> Envelope {
    let body = OrgKey {
        chain_seq,
        created: NOW + generation,
        generation,
        instance: INSTANCE.into(),
        kind: Default::default(),
        organisation: organisation(),
        recipient: rcpt(0x65 + generation as u8),
        v: Default::default(),
    };
    signed(&body, &[&org_root()])
}

fn aidant_pin() -> Envelope {
    let pin = OwnerPin {
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        organisation: organisation(),
        owner_key: owner().public(),
        v: Default::default(),
    };
    signed(&pin, &[&aidant()])
}

#[test]
fn chain_without_its_last_removal_is_a_rollback() {
    let root = public_key(&org_root());
    let chain = chain_with_removal();
    let st = organisation::verify_org_chain(&chain, &root, None).unwrap();
    assert_eq!(st.checkpoint.seq, 2);
    assert_eq!(st.last_removal, Some(2));
    // The removed aidant's pin does not verify against the real chain...
    assert_eq!(
        organisation::verify_owner_pin(&aidant_pin(), &st).unwrap_err(),
        Error::UnauthorisedSigner
    );
    // ...and the host cannot serve the chain from before the removal to a client that saw it.
    assert_eq!(
        organisation::verify_org_chain(&chain[..2], &root, Some(st.checkpoint)).unwrap_err(),
        Error::Rollback
    );
    // The same chain again, or a longer one, is fine.
    assert_eq!(
        organisation::verify_org_chain(&chain, &root, Some(st.checkpoint))
            .unwrap()
            .checkpoint,
        st.checkpoint
    );
    let before = organisation::verify_org_chain(&chain[..2], &root, None).unwrap();
    assert!(organisation::verify_org_chain(&chain, &root, Some(before.checkpoint)).is_ok());
}

#[test]
fn another_statement_at_the_checkpoint_is_a_fork() {
    let root = public_key(&org_root());
    let chain = chain_with_removal();
    let st = organisation::verify_org_chain(&chain, &root, None).unwrap();
    let other = signed(
        &org_chain(
            2,
            chain[1].hash().unwrap(),
            OrgAction::AddMember,
            member(&resp2(), 0x63, Role::Responsable),
        ),
        &[&resp1()],
    );
    let forked = vec![chain[0].clone(), chain[1].clone(), other];
    assert_eq!(
        organisation::verify_org_chain(&forked, &root, Some(st.checkpoint)).unwrap_err(),
        Error::Fork
    );
}

#[test]
fn older_or_pre_removal_org_keys_are_a_rollback() {
    let root = public_key(&org_root());
    let st = organisation::verify_org_chain(&chain_with_removal(), &root, None).unwrap();
    let k0 = org_key(0, 1);
    let k1 = org_key(1, 2);
    let newest =
        organisation::newest_org_key(&[k0.clone(), k1.clone()], &root, organisation(), &st, None)
            .unwrap();
    assert_eq!(newest.body().generation, 1);
    // The host withholds generation 1 from a client that remembers it.
    assert_eq!(
        organisation::newest_org_key(
            std::slice::from_ref(&k0),
            &root,
            organisation(),
            &st,
            Some(1)
        )
        .unwrap_err(),
        Error::Rollback
    );
    // Generation 0 was made while the removed aidant was a member: it still holds it.
    assert_eq!(
        organisation::newest_org_key(std::slice::from_ref(&k0), &root, organisation(), &st, None)
            .unwrap_err(),
        Error::Rollback
    );
    // A key that claims a chain the client was not shown.
    assert_eq!(
        organisation::newest_org_key(&[org_key(2, 3)], &root, organisation(), &st, None)
            .unwrap_err(),
        Error::Rollback
    );
    // A certificate for another instance than the chain's.
    let mut moved = org_key(2, 2).peek::<OrgKey>().unwrap();
    moved.instance = "https://autre.example".into();
    assert_eq!(
        organisation::newest_org_key(
            &[k1.clone(), signed(&moved, &[&org_root()])],
            &root,
            organisation(),
            &st,
            None
        )
        .unwrap_err(),
        Error::ContextMismatch("instance")
    );
    // A certificate not by the root fails the whole set.
    let mut forged = org_key(3, 2).peek::<OrgKey>().unwrap();
    forged.generation = 3;
    assert_eq!(
        organisation::newest_org_key(
            &[k1, signed(&forged, &[&admin()])],
            &root,
            organisation(),
            &st,
            None
        )
        .unwrap_err(),
        Error::UnauthorisedSigner
    );
}
