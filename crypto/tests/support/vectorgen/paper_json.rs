//! `paper.json`: a sealed paper and the download-side attacks (section 6).

use super::*;

pub(super) fn paper_file(store: &mut CtStore) -> Value {
    let o = owner();
    let ctx = ctx();
    let cert_env = signed(&cert(), &[&o.signing]);
    let content = b"%PDF-1.4 attestation de domiciliation".to_vec();
    let meta = paper::MetaFields {
        doc_type: "domiciliation".into(),
        expires: Some("2027-01-01".into()),
        filename: "attestation.pdf".into(),
        issued: None,
        mime: "application/pdf".into(),
        pages: 1,
        replaces: None,
        title: "Attestation de domiciliation".into(),
    };
    let paper_id = id(0xa1);
    let ckr = recipient_of(&ck());
    let content_ct = store.x25519("paper/small_paper/content_ciphertext", &[ck()], &content);
    let meta_body = PaperMeta {
        doc_type: meta.doc_type.clone(),
        expires: meta.expires.clone(),
        filename: meta.filename.clone(),
        issued: None,
        kind: Default::default(),
        mime: meta.mime.clone(),
        pages: 1,
        paper: paper_id,
        replaces: None,
        sha256: Hash32::of(&content),
        size: content.len() as u64,
        title: meta.title.clone(),
        v: Default::default(),
    };
    let meta_plain = coffre_crypto::encoding::to_canonical(&meta_body).unwrap();
    let meta_ct = store.x25519("paper/small_paper/meta_ciphertext", &[ck()], &meta_plain);
    let _ = ckr;
    let up = Upload {
        category: category(),
        coffre: coffre(),
        content_sha256: Hash32::of(&content_ct),
        content_size: content_ct.len() as u64,
        created: NOW,
        epoch: 0,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: None,
        meta_sha256: Hash32::of(&meta_ct),
        paper: paper_id,
        uploader: o.public(),
        v: Default::default(),
    };
    let st = signed(&up, &[&o.signing]);
    let ck = ck();
    let policy = paper::UploaderPolicy::owner(o.public());
    let inputs = paper::OpenInputs {
        ctx: &ctx,
        policy: &policy,
        cert: &cert_env,
        ck: &ck,
        paper: paper_id,
        deposit_receipt: None,
    };
    expect(
        paper::open_paper(&inputs, &st, &content_ct, &meta_ct),
        "ok",
        "small paper",
    );

    let mut cases = vec![json!({
        "name": "small_paper",
        "description": "a paper sealed by the owner: content and metadata age files to CK[c,0] (identity 0x31..), upload statement over their SHA-256",
        "ck_identity": identity_string_from_bytes(&[0x31; 32]).unwrap(),
        "owner_ed25519_public": o.public().to_b64(),
        "certificate": env_str(&cert_env),
        "content_plaintext_b64": b64(&content),
        "content_ciphertext": b64(&content_ct),
        "meta_plaintext": String::from_utf8(meta_plain).unwrap(),
        "meta_ciphertext": b64(&meta_ct),
        "statement": env_str(&st),
        "expect": "ok",
    })];
    // attacks on the download side, all against small_paper's files
    let mut attack = |name: &str,
                      description: &str,
                      statement: &Envelope,
                      cert: &Envelope,
                      paper_id,
                      content: &[u8],
                      want: &str| {
        let inputs = paper::OpenInputs {
            ctx: &ctx,
            policy: &policy,
            cert,
            ck: &ck,
            paper: paper_id,
            deposit_receipt: None,
        };
        expect(
            paper::open_paper(&inputs, statement, content, &meta_ct),
            want,
            name,
        );
        cases.push(json!({
            "name": name,
            "description": description,
            "paper": paper_id.to_string(),
            "certificate": env_str(cert),
            "statement": env_str(statement),
            "content_b64": b64(content),
            "expect": want,
        }));
    };
    let evil = admin();
    let mut forged = up.clone();
    forged.uploader = public_key(&evil);
    attack(
        "forged_upload",
        "a statement signed by a key that is neither the owner nor a deposit grantee",
        &signed(&forged, &[&evil]),
        &cert_env,
        paper_id,
        &content_ct,
        "unauthorised_signer",
    );
    let bad = sig_flipped(&st, 0, 1);
    attack(
        "bad_signature",
        "the owner's signature with one bit flipped",
        &bad,
        &cert_env,
        paper_id,
        &content_ct,
        "bad_signature",
    );
    attack(
        "replayed_statement",
        "the statement of paper a1.. served for paper a2..",
        &st,
        &cert_env,
        id(0xa2),
        &content_ct,
        "paper_id_mismatch",
    );
    let mut swapped = content_ct.clone();
    let n = swapped.len();
    swapped[n - 1] ^= 1;
    attack(
        "content_swapped",
        "a ciphertext whose SHA-256 is not the signed one",
        &st,
        &cert_env,
        paper_id,
        &swapped,
        "hash_mismatch",
    );
    let old_cert = signed(&cert_body(NOW - 60 * DAY, NOW - 30 * DAY), &[&o.signing]);
    attack(
        "cert_outside_window",
        "the certificate's window does not contain the upload time",
        &st,
        &old_cert,
        paper_id,
        &content_ct,
        "outside_validity",
    );
    let reversed_cert = signed(&cert_body(NOW + DAY, NOW - DAY), &[&o.signing]);
    attack(
        "cert_reversed_window",
        "a certificate whose not_before is after its not_after",
        &st,
        &reversed_cert,
        paper_id,
        &content_ct,
        "outside_validity",
    );
    let host_cert = signed(&cert(), &[&admin()]);
    attack(
        "cert_not_owner",
        "a certificate signed by the host instead of the owner",
        &st,
        &host_cert,
        paper_id,
        &content_ct,
        "unauthorised_signer",
    );

    // The uploader's own files disagreeing (opened by the owner, who signed them): the
    // plaintext digest of the metadata is not checked on open, its size is (section 6).
    let mut uploader_case =
        |name: &str, description: &str, meta_body: &PaperMeta, content_file: &[u8], want: &str| {
            let plain = coffre_crypto::encoding::to_canonical(meta_body).unwrap();
            let meta_ct = store.x25519(
                &format!("paper/{name}/meta_ciphertext"),
                std::slice::from_ref(&ck),
                &plain,
            );
            let mut body = up.clone();
            body.content_sha256 = Hash32::of(content_file);
            body.content_size = content_file.len() as u64;
            body.meta_sha256 = Hash32::of(&meta_ct);
            let st = signed(&body, &[&o.signing]);
            let inputs = paper::OpenInputs {
                ctx: &ctx,
                policy: &policy,
                cert: &cert_env,
                ck: &ck,
                paper: paper_id,
                deposit_receipt: None,
            };
            expect(
                paper::open_paper(&inputs, &st, content_file, &meta_ct),
                want,
                name,
            );
            let mut case = json!({
                "name": name,
                "description": description,
                "certificate": env_str(&cert_env),
                "statement": env_str(&st),
                "content_b64": b64(content_file),
                "meta_ciphertext": b64(&meta_ct),
                "expect": want,
            });
            if want == "ok" {
                case["content_plaintext_b64"] = json!(b64(&content));
                case["meta_plaintext"] = json!(String::from_utf8(plain).unwrap());
            }
            cases.push(case);
        };
    let mut other_digest = meta_body.clone();
    other_digest.sha256 = Hash32::of(b"another plaintext");
    uploader_case(
        "meta_digest_not_checked",
        "the owner signed a metadata file whose sha256 is not the plaintext's: opening does not hash the plaintext again (the signed ciphertext hash matched and age authenticated it), so the paper opens",
        &other_digest,
        &content_ct,
        "ok",
    );
    let mut other_size = meta_body.clone();
    other_size.size += 1;
    uploader_case(
        "meta_size_wrong",
        "the owner signed a metadata file whose size is not the plaintext's (checked, it costs nothing)",
        &other_size,
        &content_ct,
        "hash_mismatch",
    );
    let mut other_paper = meta_body.clone();
    other_paper.paper = id(0xa2);
    uploader_case(
        "meta_other_paper",
        "the owner signed a metadata file that names another paper",
        &other_paper,
        &content_ct,
        "paper_id_mismatch",
    );
    let mut newer = meta_body.clone();
    newer.replaces = Some(id(0xa0));
    uploader_case(
        "meta_replaces",
        "a newer version of paper a0..: its metadata names it in `replaces` (only readers of the metadata learn it)",
        &newer,
        &content_ct,
        "ok",
    );
    let mut itself = meta_body.clone();
    itself.replaces = Some(paper_id);
    uploader_case(
        "meta_replaces_itself",
        "a metadata file whose `replaces` names its own paper",
        &itself,
        &content_ct,
        "malformed",
    );
    uploader_case(
        "content_does_not_decrypt",
        "the owner signed the hash and size of a content file cut before its last tag: the hashes match, age refuses it, nothing is released",
        &meta_body,
        &content_ct[..content_ct.len() - 4],
        "decryption_failed",
    );

    // listing
    let del = paper::sign_deletion(&ctx, &o.signing, id(0xa3), Hash32::of(b"c3"), NOW).unwrap();
    let del_body = paper::verify_deletion(&del, &o.public(), &ctx).unwrap();
    let known = [
        (paper_id, Hash32::of(&content_ct)),
        (id(0xa3), Hash32::of(b"c3")),
        (id(0xa4), Hash32::of(b"c4")),
    ];
    let listing_cases = vec![
        json!({"name": "all_listed", "listed": [paper_id.to_string(), id(0xa3).to_string(), id(0xa4).to_string()], "expect": expect(paper::check_listing(&known, &[paper_id, id(0xa3), id(0xa4)], &[]), "ok", "listing")}),
        json!({"name": "deleted_with_statement", "listed": [paper_id.to_string(), id(0xa4).to_string()], "expect": expect(paper::check_listing(&known, &[paper_id, id(0xa4)], std::slice::from_ref(&del_body)), "ok", "listing")}),
        json!({"name": "dropped_by_host", "description": "attack: a paper missing without an owner-signed deletion", "listed": [paper_id.to_string(), id(0xa3).to_string()], "expect": expect(paper::check_listing(&known, &[paper_id, id(0xa3)], std::slice::from_ref(&del_body)), "paper_missing", "listing")}),
    ];
    json!({
        "description": "A small paper (section 6) and the download-side attacks. Known papers: (id, content_sha256) pairs; the deletion statement covers paper a3..",
        "known_papers": known.iter().map(|(i, h)| json!({"paper": i.to_string(), "content_sha256": h.to_b64()})).collect::<Vec<_>>(),
        "deletion": env_str(&del),
        "listing_cases": listing_cases,
        "cases": cases,
    })
}
