//! Envelopes: only `Envelope::parse` and `sign` make one, so a duplicated signature cannot
//! reach a verifier (the struct literal and `Deserialize` are compile-fail doctests in
//! `statement.rs`).

use super::*;

#[test]
fn duplicated_signature_is_refused_by_the_only_constructor() {
    let root = public_key(&org_root());
    let s0 = founding();
    let s1 = chain_after(
        &s0,
        OrgAction::AddMember,
        member(&resp2(), 0x63, Role::Responsable),
        &[&resp1()],
    );
    // With two responsables, one of them alone repeats its signature to look like two.
    let body = org_chain(
        2,
        s1.hash().unwrap(),
        OrgAction::AddMember,
        member(&admin(), 0x6f, Role::Responsable),
    );
    let one = signed(&body, &[&resp1()]);
    let mut v: serde_json::Value = serde_json::from_slice(&one.to_bytes().unwrap()).unwrap();
    let sig = v["sigs"][0].clone();
    v["sigs"].as_array_mut().unwrap().push(sig);
    let doubled = serde_json::to_vec(&v).unwrap();
    assert_eq!(
        Envelope::parse(&doubled).unwrap_err(),
        Error::NonCanonical("sigs not sorted by key or duplicated")
    );
    // `sign` with the same key twice keeps one signature, which is too few.
    let twice = signed(&body, &[&resp1(), &resp1()]);
    assert_eq!(twice.sigs().len(), 1);
    assert_eq!(
        organisation::verify_org_chain(&[s0, s1, twice], &root, None).unwrap_err(),
        Error::TooFewSignatures
    );
}
