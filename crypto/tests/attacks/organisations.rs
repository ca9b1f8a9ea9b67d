//! Organisations: members added by the admin or with one signature, org key wraps.

use super::*;

#[test]
fn org_member_added_by_admin_or_one_signature() {
    let root = org_root();
    let s0 = founding();
    let x1 = chain_after(
        &s0,
        OrgAction::AddMember,
        member(&admin(), 0x6f, Role::Responsable),
        &[&admin()],
    );
    assert_eq!(
        organisation::verify_org_chain(&[s0.clone(), x1], &public_key(&root), None).unwrap_err(),
        Error::NotAResponsable
    );
    let s1 = chain_after(
        &s0,
        OrgAction::AddMember,
        member(&resp2(), 0x63, Role::Responsable),
        &[&resp1()],
    );
    let x2 = chain_after(
        &s1,
        OrgAction::AddMember,
        member(&admin(), 0x6f, Role::Aidant),
        &[&resp1()],
    );
    assert_eq!(
        organisation::verify_org_chain(&[s0.clone(), s1.clone(), x2], &public_key(&root), None)
            .unwrap_err(),
        Error::TooFewSignatures
    );
    let ok2 = chain_after(
        &s1,
        OrgAction::AddMember,
        member(&aidant(), 0x64, Role::Aidant),
        &[&resp1(), &resp2()],
    );
    let st = organisation::verify_org_chain(
        &[s0.clone(), s1.clone(), ok2.clone()],
        &public_key(&root),
        None,
    )
    .unwrap();
    assert_eq!(st.members.len(), 3);
    // An aidant co-signing does not make two responsables.
    let x3 = chain_after(
        &ok2,
        OrgAction::AddMember,
        member(&admin(), 0x6f, Role::Aidant),
        &[&resp1(), &aidant()],
    );
    assert_eq!(
        organisation::verify_org_chain(&[s0.clone(), s1, ok2, x3], &public_key(&root), None)
            .unwrap_err(),
        Error::NotAResponsable
    );
    // A chain rooted in another key than the pinned root.
    assert_eq!(
        organisation::verify_org_chain(&[s0], &public_key(&admin()), None).unwrap_err(),
        Error::UnauthorisedSigner
    );
    // The owner pin of a non-member.
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
    assert_eq!(
        organisation::verify_owner_pin(&signed(&pin, &[&admin()]), &st).unwrap_err(),
        Error::UnauthorisedSigner
    );
    assert!(organisation::verify_owner_pin(&signed(&pin, &[&aidant()]), &st).is_ok());
}

#[test]
fn org_key_wrap_checked_against_root_cert() {
    let root = org_root();
    let cert = OrgKey {
        chain_seq: 0,
        created: NOW,
        generation: 1,
        instance: INSTANCE.into(),
        kind: Default::default(),
        organisation: organisation(),
        recipient: rcpt(0x65),
        v: Default::default(),
    };
    let env = signed(&cert, &[&root]);
    let c = organisation::verify_org_key(&env, &public_key(&root), organisation()).unwrap();
    let ok = organisation::wrap_org_key(&[rcpt(0x62)], organisation(), 1, &x25519(0x65)).unwrap();
    assert!(organisation::unwrap_org_key(&x25519(0x62), &ok, c.body()).is_ok());
    let evil = organisation::wrap_org_key(&[rcpt(0x62)], organisation(), 1, &x25519(0xee)).unwrap();
    assert_eq!(
        organisation::unwrap_org_key(&x25519(0x62), &evil, c.body())
            .err()
            .unwrap(),
        Error::RecipientMismatch
    );
    assert_eq!(
        organisation::verify_org_key(
            &signed(&cert, &[&admin()]),
            &public_key(&root),
            organisation()
        )
        .unwrap_err(),
        Error::UnauthorisedSigner
    );
}

/// A chain with two responsables (R1, R2) and an aidant, and its verified state.
fn two_responsables() -> (Vec<Envelope>, organisation::OrgState) {
    let root = org_root();
    let s0 = founding();
    let s1 = chain_after(
        &s0,
        OrgAction::AddMember,
        member(&resp2(), 0x63, Role::Responsable),
        &[&resp1()],
    );
    let s2 = chain_after(
        &s1,
        OrgAction::AddMember,
        member(&aidant(), 0x64, Role::Aidant),
        &[&resp1(), &resp2()],
    );
    let chain = vec![s0, s1, s2];
    let st = organisation::verify_org_chain(&chain, &public_key(&root), None).unwrap();
    (chain, st)
}

#[test]
fn a_proposal_is_one_current_responsables_signature_on_a_statement_that_would_apply() {
    let (chain, st) = two_responsables();
    let head = chain[2].hash().unwrap();
    let promote = org_chain(
        3,
        head,
        OrgAction::SetRole,
        member(&aidant(), 0x64, Role::Responsable),
    );
    let after = organisation::check_org_proposal(&st, &signed(&promote, &[&resp1()])).unwrap();
    assert_eq!(after.proposer, public_key(&resp1()));
    assert_eq!(after.state.responsables().len(), 3);
    // The aidant proposing his own promotion, the root, the admin: not responsables.
    for k in [aidant(), org_root(), admin()] {
        assert_eq!(
            organisation::check_org_proposal(&st, &signed(&promote, &[&k])).unwrap_err(),
            Error::NotAResponsable
        );
    }
    // Already countersigned: append it, it is no proposal.
    assert!(matches!(
        organisation::check_org_proposal(&st, &signed(&promote, &[&resp1(), &resp2()])),
        Err(Error::BadChain(_))
    ));
    // The chain moved: another seq, another prev.
    let stale = org_chain(
        2,
        chain[1].hash().unwrap(),
        OrgAction::SetRole,
        member(&aidant(), 0x64, Role::Responsable),
    );
    assert_eq!(
        organisation::check_org_proposal(&st, &signed(&stale, &[&resp1()])).unwrap_err(),
        Error::SeqGap
    );
    // A statement that would not apply once countersigned (an aidant already a member).
    let again = org_chain(
        3,
        head,
        OrgAction::AddMember,
        member(&aidant(), 0x64, Role::Aidant),
    );
    assert!(matches!(
        organisation::check_org_proposal(&st, &signed(&again, &[&resp1()])),
        Err(Error::BadChain(_))
    ));
    // With one responsable there is nothing to propose: she signs alone.
    let one = organisation::verify_org_chain(&chain[..1], &public_key(&org_root()), None).unwrap();
    let add = org_chain(
        1,
        chain[0].hash().unwrap(),
        OrgAction::AddMember,
        member(&aidant(), 0x64, Role::Aidant),
    );
    assert!(matches!(
        organisation::check_org_proposal(&one, &signed(&add, &[&resp1()])),
        Err(Error::BadChain(_))
    ));
}
