//! Mandates and epochs: swapped grantee keys, dropped access receipts, another organisation
//! root, successions not signed by the previous key.

use super::*;

fn none() -> mandate::MandateEnds {
    mandate::MandateEnds::none()
}

#[test]
fn swapped_grantee_key() {
    let o = owner();
    let real = person();
    let pinned = real.fingerprint();
    let evil = owner_seed(0xee).keys().unwrap();
    let env = signed(&mandate_person(&evil), &[&o.signing]);
    let m = mandate::verify_mandate(&env, &o.public(), &ctx(), NOW, &none()).unwrap();
    assert_eq!(
        mandate::check_person_grantee(m.body(), &pinned).unwrap_err(),
        Error::GranteeKeyMismatch
    );
    // Same key, swapped recipient.
    let mut half = mandate_person(&real);
    half.grantee.recipient = Some(evil.recipient.clone());
    let m = mandate::verify_mandate(
        &signed(&half, &[&o.signing]),
        &o.public(),
        &ctx(),
        NOW,
        &none(),
    )
    .unwrap();
    assert_eq!(
        mandate::check_person_grantee(m.body(), &pinned).unwrap_err(),
        Error::GranteeKeyMismatch
    );
}

#[test]
fn access_receipt_dropped() {
    let p = person();
    let r: Vec<AccessReceipt> = [1, 2, 4].iter().map(|c| receipt(*c, &p.signing)).collect();
    assert_eq!(
        mandate::check_receipt_counters(&r, &[]).unwrap_err(),
        Error::CounterGap
    );
    let r: Vec<AccessReceipt> = [3].iter().map(|c| receipt(*c, &p.signing)).collect();
    assert!(mandate::check_receipt_counters(&r, &[(p.public(), 2)]).is_ok());
    assert_eq!(
        mandate::check_receipt_counters(&r, &[(p.public(), 1)]).unwrap_err(),
        Error::CounterGap
    );
    // A receipt signed by another key than the grantee it names.
    let mut forged = receipt(1, &p.signing);
    forged.grantee_key = p.public();
    let env = signed(&forged, &[&admin()]);
    let m = signed(&mandate_person(&p), &[&owner().signing]);
    let m = mandate::verify_mandate(&m, &owner().public(), &ctx(), NOW, &none()).unwrap();
    assert_eq!(
        mandate::verify_access_receipt(&env, &[p.public()], &ctx(), &m, &none()).unwrap_err(),
        Error::UnauthorisedSigner
    );
}

#[test]
fn mandate_root_differs_from_pinned() {
    let o = owner();
    let env = signed(&mandate_org(&public_key(&admin())), &[&o.signing]);
    let m = mandate::verify_mandate(&env, &o.public(), &ctx(), NOW, &none()).unwrap();
    let pinned = Fingerprint::of(&public_key(&org_root()), None);
    assert_eq!(
        mandate::check_organisation_root(m.body(), &pinned).unwrap_err(),
        Error::RootMismatch
    );
}

#[test]
fn epoch_succession_not_signed_by_previous_key() {
    let k0 = owner();
    let k1 = owner_seed(2).keys().unwrap();
    let k2 = owner_seed(3).keys().unwrap();
    let pinned = mandate::EpochKey {
        epoch: 0,
        key: k0.public(),
        recipient: None,
    };
    let s01 = signed(&succession(&k0, 0, &k1), &[&k0.signing]);
    let s12 = signed(&succession(&k1, 1, &k2), &[&k1.signing]);
    assert_eq!(
        mandate::verify_succession(&pinned, coffre(), &[s01.clone(), s12])
            .unwrap()
            .key,
        k2.public()
    );
    let host = signed(&succession(&k0, 0, &k1), &[&admin()]);
    assert_eq!(
        mandate::verify_succession(&pinned, coffre(), &[host]).unwrap_err(),
        Error::UnauthorisedSigner
    );
    let by0 = signed(&succession(&k1, 1, &k2), &[&k0.signing]);
    assert_eq!(
        mandate::verify_succession(&pinned, coffre(), &[s01.clone(), by0]).unwrap_err(),
        Error::UnauthorisedSigner
    );
    let mut rec = succession(&k0, 0, &k1);
    rec.authority = Authority::Recovery;
    assert_eq!(
        mandate::verify_succession(&pinned, coffre(), &[signed(&rec, &[&k0.signing])]).unwrap_err(),
        Error::BadSuccession
    );
}
