//! Time and revocation: expired or revoked mandates, back-dated uploads, deposit receipts for
//! another upload, access receipts after a revocation (protocol sections 6 and 8).

use super::*;
use coffre_crypto::deposit;
use coffre_crypto::mandate::MandateEnds;
use coffre_crypto::statement::Verified;

/// A paper the person grantee uploads under its deposit mandate, `created` by the uploader.
fn upload_by_grantee(created: u64) -> paper::SealedPaper {
    let p = person();
    paper::seal_paper(
        &ctx(),
        &p.signing,
        Some(mandate_person(&p).mandate),
        &verified_cert(),
        id(0xa5),
        b"depot",
        &Default::default(),
        created,
    )
    .unwrap()
}

fn receipt_for(upload: &Envelope, time: u64) -> Envelope {
    deposit::sign_deposit_receipt(&ctx(), &server(), upload, time).unwrap()
}

fn revocation(at: u64) -> Verified<Revocation> {
    let o = owner();
    let m = mandate_person(&person()).mandate;
    let body = Revocation {
        coffre: coffre(),
        created: at,
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: m,
        v: Default::default(),
    };
    mandate::verify_revocation(&signed(&body, &[&o.signing]), &o.public(), &ctx(), m).unwrap()
}

fn renunciation(at: u64) -> Verified<Renunciation> {
    let p = person();
    let m = mandate_person(&p).mandate;
    let body = Renunciation {
        coffre: coffre(),
        created: at,
        epoch: 0,
        grantee_key: p.public(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: m,
        v: Default::default(),
    };
    mandate::verify_renunciation(&signed(&body, &[&p.signing]), &[p.public()], &ctx(), m).unwrap()
}

fn open_with(
    sealed: &paper::SealedPaper,
    ends: MandateEnds,
    receipt: Option<&Envelope>,
) -> Result<paper::OpenedPaper, Error> {
    let p = person();
    let mut g = grant(&mandate_person(&p), vec![p.public()]);
    g.ends = ends;
    let policy = paper::UploaderPolicy {
        owner: owner().public(),
        server: Some(public_key(&server())),
        mandates: vec![g],
    };
    let ctx = ctx();
    let k = ck();
    let certenv = cert_env();
    let inputs = paper::OpenInputs {
        ctx: &ctx,
        policy: &policy,
        cert: &certenv,
        ck: &k,
        paper: id(0xa5),
        deposit_receipt: receipt,
    };
    paper::open_paper(&inputs, &sealed.statement, &sealed.content, &sealed.meta)
}

#[test]
fn mandated_upload_opens_with_its_deposit_receipt_only() {
    let up = upload_by_grantee(NOW + 10);
    let r = receipt_for(&up.statement, NOW + 20);
    assert_eq!(
        &open_with(&up, MandateEnds::none(), Some(&r))
            .unwrap()
            .content[..],
        b"depot"
    );
    assert_eq!(
        open_with(&up, MandateEnds::none(), None).unwrap_err(),
        Error::NotAllowed
    );
    // Without a grant of that mandate the uploader is not allowed at all.
    let ctx = ctx();
    let k = ck();
    let certenv = cert_env();
    let owner_only = paper::UploaderPolicy::owner(owner().public());
    let inputs = paper::OpenInputs {
        ctx: &ctx,
        policy: &owner_only,
        cert: &certenv,
        ck: &k,
        paper: id(0xa5),
        deposit_receipt: Some(&r),
    };
    assert_eq!(
        paper::open_paper(&inputs, &up.statement, &up.content, &up.meta).unwrap_err(),
        Error::UnauthorisedSigner
    );
}

#[test]
fn expired_mandate_verifies_no_more() {
    let o = owner();
    let m = mandate_person(&person());
    let env = signed(&m, &[&o.signing]);
    let none = MandateEnds::none();
    assert!(mandate::verify_mandate(&env, &o.public(), &ctx(), m.not_after, &none).is_ok());
    assert_eq!(
        mandate::verify_mandate(&env, &o.public(), &ctx(), m.not_after + 1, &none).unwrap_err(),
        Error::OutsideValidity
    );
    assert_eq!(
        mandate::verify_mandate(&env, &o.public(), &ctx(), m.not_before - 1, &none).unwrap_err(),
        Error::OutsideValidity
    );
}

#[test]
fn mandate_after_revocation_or_renunciation_is_revoked() {
    let o = owner();
    let env = signed(&mandate_person(&person()), &[&o.signing]);
    let revoked = MandateEnds {
        revocations: vec![revocation(NOW + 100)],
        renunciations: vec![],
    };
    assert!(mandate::verify_mandate(&env, &o.public(), &ctx(), NOW + 99, &revoked).is_ok());
    assert_eq!(
        mandate::verify_mandate(&env, &o.public(), &ctx(), NOW + 100, &revoked).unwrap_err(),
        Error::Revoked
    );
    let renounced = MandateEnds {
        revocations: vec![],
        renunciations: vec![renunciation(NOW + 50)],
    };
    assert_eq!(
        mandate::verify_mandate(&env, &o.public(), &ctx(), NOW + 60, &renounced).unwrap_err(),
        Error::Revoked
    );
}

#[test]
fn upload_under_a_revoked_mandate_is_refused() {
    let up = upload_by_grantee(NOW + 10);
    let r = receipt_for(&up.statement, NOW + 20);
    let ends = MandateEnds {
        revocations: vec![revocation(NOW + 15)],
        renunciations: vec![],
    };
    assert_eq!(open_with(&up, ends, Some(&r)).unwrap_err(), Error::Revoked);
    let ends = MandateEnds {
        revocations: vec![],
        renunciations: vec![renunciation(NOW + 20)],
    };
    assert_eq!(open_with(&up, ends, Some(&r)).unwrap_err(), Error::Revoked);
}

#[test]
fn backdated_upload_is_judged_at_its_deposit_time() {
    // The uploader writes a `created` inside the window; the server received it later.
    let m = mandate_person(&person());
    let up = upload_by_grantee(NOW + 10);
    let after_mandate = receipt_for(&up.statement, m.not_after + 1);
    assert_eq!(
        open_with(&up, MandateEnds::none(), Some(&after_mandate)).unwrap_err(),
        Error::OutsideValidity
    );
    // The mandate still runs, but the category certificate expired before the deposit.
    let after_cert = receipt_for(&up.statement, cert().not_after + 1);
    assert_eq!(
        open_with(&up, MandateEnds::none(), Some(&after_cert)).unwrap_err(),
        Error::OutsideValidity
    );
}

#[test]
fn deposit_receipt_for_another_upload_or_by_another_key() {
    let up = upload_by_grantee(NOW + 10);
    let other = upload_by_grantee(NOW + 11);
    let r = receipt_for(&other.statement, NOW + 20);
    assert_eq!(
        open_with(&up, MandateEnds::none(), Some(&r)).unwrap_err(),
        Error::HashMismatch
    );
    // The receipt of an upload of another paper.
    let mut body = other.statement.peek::<Upload>().unwrap();
    body.paper = id(0xa6);
    let elsewhere_paper = signed(&body, &[&person().signing]);
    let r = receipt_for(&elsewhere_paper, NOW + 20);
    assert_eq!(
        open_with(&up, MandateEnds::none(), Some(&r)).unwrap_err(),
        Error::PaperIdMismatch
    );
    let by_admin =
        deposit::sign_deposit_receipt(&ctx(), &admin(), &up.statement, NOW + 20).unwrap();
    assert_eq!(
        open_with(&up, MandateEnds::none(), Some(&by_admin)).unwrap_err(),
        Error::UnauthorisedSigner
    );
    let mut elsewhere = ctx();
    elsewhere.instance = "https://autre.example".into();
    let moved =
        deposit::sign_deposit_receipt(&elsewhere, &server(), &up.statement, NOW + 20).unwrap();
    assert_eq!(
        open_with(&up, MandateEnds::none(), Some(&moved)).unwrap_err(),
        Error::ContextMismatch("instance")
    );
}

#[test]
fn access_receipt_outside_the_mandate_or_after_its_end() {
    let o = owner();
    let p = person();
    let m = signed(&mandate_person(&p), &[&o.signing]);
    let none = MandateEnds::none();
    let m = mandate::verify_mandate(&m, &o.public(), &ctx(), NOW, &none).unwrap();
    let r1 = signed(&receipt(1, &p.signing), &[&p.signing]);
    assert!(mandate::verify_access_receipt(&r1, &[p.public()], &ctx(), &m, &none).is_ok());
    let revoked = MandateEnds {
        revocations: vec![revocation(NOW + 1)],
        renunciations: vec![],
    };
    assert_eq!(
        mandate::verify_access_receipt(&r1, &[p.public()], &ctx(), &m, &revoked).unwrap_err(),
        Error::Revoked
    );
    let mut late = receipt(2, &p.signing);
    late.created = mandate_person(&p).not_after + 1;
    let late = signed(&late, &[&p.signing]);
    assert_eq!(
        mandate::verify_access_receipt(&late, &[p.public()], &ctx(), &m, &none).unwrap_err(),
        Error::OutsideValidity
    );
    let mut other = receipt(3, &p.signing);
    other.mandate = id(0x93);
    let other = signed(&other, &[&p.signing]);
    assert_eq!(
        mandate::verify_access_receipt(&other, &[p.public()], &ctx(), &m, &none).unwrap_err(),
        Error::ContextMismatch("mandate")
    );
}
