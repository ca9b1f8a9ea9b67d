//! `time.json`: mandates in force at a time, their ends, access receipts and deposit
//! receipts (sections 6 and 8).

use super::*;
use coffre_crypto::deposit;
use coffre_crypto::mandate::MandateEnds;

fn ends_json(revocations: &[&Envelope], renunciations: &[&Envelope]) -> Value {
    json!({
        "revocations": revocations.iter().map(|e| env_str(e)).collect::<Vec<_>>(),
        "renunciations": renunciations.iter().map(|e| env_str(e)).collect::<Vec<_>>(),
    })
}

pub(super) fn time_file(store: &mut CtStore) -> Value {
    let o = owner();
    let p = person();
    let ctx = ctx();
    let m = mandate_person(&p);
    let menv = signed(&m, &[&o.signing]);
    let rev_body = Revocation {
        coffre: coffre(),
        created: NOW + 100,
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: m.mandate,
        v: Default::default(),
    };
    let rev = signed(&rev_body, &[&o.signing]);
    let ren_body = Renunciation {
        coffre: coffre(),
        created: NOW + 50,
        epoch: 0,
        grantee_key: p.public(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: m.mandate,
        v: Default::default(),
    };
    let ren = signed(&ren_body, &[&p.signing]);
    let ends = |revs: &[&Envelope], rens: &[&Envelope]| MandateEnds {
        revocations: revs
            .iter()
            .map(|e| mandate::verify_revocation(e, &o.public(), &ctx, m.mandate).unwrap())
            .collect(),
        renunciations: rens
            .iter()
            .map(|e| mandate::verify_renunciation(e, &[p.public()], &ctx, m.mandate).unwrap())
            .collect(),
    };

    let mut mandate_cases = vec![];
    let mut add_m = |name: &str,
                     description: &str,
                     at: u64,
                     revs: &[&Envelope],
                     rens: &[&Envelope],
                     want: &str| {
        let r = mandate::verify_mandate(&menv, &o.public(), &ctx, at, &ends(revs, rens));
        mandate_cases.push(json!({"name": name, "description": description, "at": at, "ends": ends_json(revs, rens), "expect": expect(r, want, name)}));
    };
    add_m(
        "in_force",
        "at not_before, no end",
        m.not_before,
        &[],
        &[],
        "ok",
    );
    add_m(
        "last_second",
        "at not_after (the window is inclusive)",
        m.not_after,
        &[],
        &[],
        "ok",
    );
    add_m(
        "expired",
        "one second after not_after",
        m.not_after + 1,
        &[],
        &[],
        "outside_validity",
    );
    add_m(
        "not_yet",
        "one second before not_before",
        m.not_before - 1,
        &[],
        &[],
        "outside_validity",
    );
    add_m(
        "before_revocation",
        "one second before the revocation's created",
        NOW + 99,
        &[&rev],
        &[],
        "ok",
    );
    add_m(
        "at_revocation",
        "at the revocation's created (an end takes effect at its created)",
        NOW + 100,
        &[&rev],
        &[],
        "revoked",
    );
    add_m(
        "after_renunciation",
        "after the grantee's renunciation",
        NOW + 60,
        &[],
        &[&ren],
        "revoked",
    );

    let vm = mandate::verify_mandate(&menv, &o.public(), &ctx, NOW, &MandateEnds::none()).unwrap();
    let mut receipt_cases = vec![];
    let mut add_r = |name: &str,
                     description: &str,
                     body: &AccessReceipt,
                     revs: &[&Envelope],
                     want: &str| {
        let env = signed(body, &[&p.signing]);
        let r = mandate::verify_access_receipt(&env, &[p.public()], &ctx, &vm, &ends(revs, &[]));
        receipt_cases.push(json!({"name": name, "description": description, "receipt": env_str(&env), "ends": ends_json(revs, &[]), "expect": expect(r, want, name)}));
    };
    add_r(
        "receipt_in_force",
        "a receipt dated inside the window, before the revocation",
        &receipt(1, &p.signing),
        &[&rev],
        "ok",
    );
    let mut after = receipt(2, &p.signing);
    after.created = NOW + 100;
    add_r(
        "receipt_after_revocation",
        "attack: a receipt dated at the revocation",
        &after,
        &[&rev],
        "revoked",
    );
    let mut late = receipt(3, &p.signing);
    late.created = m.not_after + 1;
    add_r(
        "receipt_outside_window",
        "a receipt dated after not_after",
        &late,
        &[],
        "outside_validity",
    );
    let mut other = receipt(4, &p.signing);
    other.mandate = id(0x93);
    add_r(
        "receipt_other_mandate",
        "a receipt naming another mandate",
        &other,
        &[],
        "context_mismatch",
    );

    // A paper the person grantee deposits under the mandate (uploader's created NOW + 10).
    let content = b"justificatif depose par l'aidant".to_vec();
    let content_ct = store.x25519("time/deposit/content_ciphertext", &[ck()], &content);
    let meta_body = PaperMeta {
        doc_type: "justificatif".into(),
        expires: None,
        filename: "justificatif.pdf".into(),
        issued: None,
        kind: Default::default(),
        mime: "application/pdf".into(),
        pages: 1,
        paper: id(0xa5),
        replaces: None,
        sha256: Hash32::of(&content),
        size: content.len() as u64,
        title: "Justificatif".into(),
        v: Default::default(),
    };
    let meta_plain = coffre_crypto::encoding::to_canonical(&meta_body).unwrap();
    let meta_ct = store.x25519("time/deposit/meta_ciphertext", &[ck()], &meta_plain);
    let up = Upload {
        category: category(),
        coffre: coffre(),
        content_sha256: Hash32::of(&content_ct),
        content_size: content_ct.len() as u64,
        created: NOW + 10,
        epoch: 0,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: Some(m.mandate),
        meta_sha256: Hash32::of(&meta_ct),
        paper: id(0xa5),
        uploader: p.public(),
        v: Default::default(),
    };
    let st = signed(&up, &[&p.signing]);
    let mut other_up = up.clone();
    other_up.created = NOW + 11;
    let other_st = signed(&other_up, &[&p.signing]);
    let cert_env = signed(&cert(), &[&o.signing]);
    let k = ck();
    let mut deposit_cases = vec![];
    let mut add_d = |name: &str,
                     description: &str,
                     receipt: Option<&Envelope>,
                     revs: &[&Envelope],
                     want: &str| {
        let mut g = paper::MandateGrant {
            mandate: vm.clone(),
            ends: MandateEnds::none(),
            keys: vec![p.public()],
        };
        g.ends = ends(revs, &[]);
        let policy = paper::UploaderPolicy {
            owner: o.public(),
            server: Some(pk(&server())),
            mandates: vec![g],
        };
        let inputs = paper::OpenInputs {
            ctx: &ctx,
            policy: &policy,
            cert: &cert_env,
            ck: &k,
            paper: id(0xa5),
            deposit_receipt: receipt,
        };
        let r = paper::open_paper(&inputs, &st, &content_ct, &meta_ct);
        deposit_cases.push(json!({"name": name, "description": description, "deposit_receipt": receipt.map(env_str), "ends": ends_json(revs, &[]), "expect": expect(r, want, name)}));
    };
    let dr = |upload: &Envelope, time: u64| {
        deposit::sign_deposit_receipt(&ctx, &server(), upload, time).unwrap()
    };
    add_d(
        "deposited",
        "deposit receipt at NOW + 20: the mandate and the certificate are in force then",
        Some(&dr(&st, NOW + 20)),
        &[],
        "ok",
    );
    add_d(
        "no_receipt",
        "a mandated upload without its deposit receipt",
        None,
        &[],
        "not_allowed",
    );
    add_d(
        "deposited_after_revocation",
        "attack: deposited at NOW + 120, after the revocation at NOW + 100",
        Some(&dr(&st, NOW + 120)),
        &[&rev],
        "revoked",
    );
    add_d(
        "backdated",
        "attack: created inside the window, deposited one second after the mandate's not_after",
        Some(&dr(&st, m.not_after + 1)),
        &[],
        "outside_validity",
    );
    add_d(
        "certificate_expired_at_deposit",
        "deposited after the certificate's not_after (the mandate still runs)",
        Some(&dr(&st, cert().not_after + 1)),
        &[],
        "outside_validity",
    );
    add_d(
        "receipt_for_another_upload",
        "attack: the server's receipt of another upload statement",
        Some(&dr(&other_st, NOW + 20)),
        &[],
        "hash_mismatch",
    );
    let mut other_paper = up.clone();
    other_paper.paper = id(0xa6);
    let other_paper_st = signed(&other_paper, &[&p.signing]);
    add_d(
        "receipt_for_another_paper",
        "attack: the server's receipt of an upload of another paper",
        Some(&dr(&other_paper_st, NOW + 20)),
        &[],
        "paper_id_mismatch",
    );
    let by_admin = deposit::sign_deposit_receipt(&ctx, &admin(), &st, NOW + 20).unwrap();
    add_d(
        "receipt_not_by_server",
        "a deposit receipt signed by another key than the server's",
        Some(&by_admin),
        &[],
        "unauthorised_signer",
    );

    json!({
        "description": "Time and revocation (sections 6 and 8). Verify 'mandate' (owner-signed) at 'at' with 'ends' (revocations owner-signed, renunciations grantee-signed, all for this mandate). Access receipts are verified under the mandate (verified at NOW) and their ends; allowed key: the person's. Deposit cases open the deposited paper (CK identity 0x31.., certificate, statement, ciphertexts) with the server key, a grant of the mandate to the person's key, the given ends and deposit receipt.",
        "owner_ed25519_public": o.public().to_b64(),
        "person_ed25519_public": p.public().to_b64(),
        "server_ed25519_public": pk(&server()).to_b64(),
        "mandate": env_str(&menv),
        "revocation": env_str(&rev),
        "renunciation": env_str(&ren),
        "mandate_cases": mandate_cases,
        "access_receipt_cases": receipt_cases,
        "cases": [{
            "name": "deposit",
            "description": "a paper the person grantee (seed 0x41) deposited under the mandate, created NOW + 10 by the uploader",
            "ck_identity": identity_string_from_bytes(&[0x31; 32]).unwrap(),
            "certificate": env_str(&cert_env),
            "paper": id(0xa5).to_string(),
            "statement": env_str(&st),
            "content_ciphertext": b64(&content_ct),
            "meta_ciphertext": b64(&meta_ct),
            "content_plaintext_b64": b64(&content),
            "meta_plaintext": String::from_utf8(meta_plain).unwrap(),
        }],
        "deposit_cases": deposit_cases,
    })
}
