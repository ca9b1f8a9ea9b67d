//! `statements.json`: every statement kind, byte for byte (sections 2.2 and 10).

use super::*;

fn statement_case<T: Kinded>(
    name: &str,
    description: &str,
    body: &T,
    keys: &[&ed25519_dalek::SigningKey],
) -> Value {
    let env = signed(body, keys);
    let body_bytes = coffre_crypto::encoding::to_canonical(body).unwrap();
    json!({
        "name": name,
        "description": description,
        "kind": T::KIND,
        "signers": keys.iter().map(|k| json!({"ed25519_secret": secret_b64(k), "ed25519_public": public_key(k).to_b64()})).collect::<Vec<_>>(),
        "body": serde_json::from_slice::<Value>(&body_bytes).unwrap(),
        "body_canonical": String::from_utf8(body_bytes.clone()).unwrap(),
        "body_b64": b64(&body_bytes),
        "signed_message_b64": b64(&[coffre_crypto::statement::SIGNED_PREFIX, &body_bytes].concat()),
        "envelope": env_str(&env),
        "statement_hash": env.hash().unwrap().to_b64(),
    })
}

pub(super) fn statements_file() -> Value {
    let o = owner();
    let p = person();
    let e1 = owner_seed(0x02).keys().unwrap();
    let up = Upload {
        category: category(),
        coffre: coffre(),
        content_sha256: Hash32::of(b"content"),
        content_size: 1234,
        created: NOW,
        epoch: 0,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: None,
        meta_sha256: Hash32::of(b"meta"),
        paper: id(0xa1),
        uploader: o.public(),
        v: Default::default(),
    };
    let mut up_m = up.clone();
    up_m.uploader = p.public();
    up_m.mandate = Some(id(0x91));
    let label = CategoryLabel {
        category: category(),
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        icon: "maison".into(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        name: "Séjour \"titre\"\n\u{1}é".into(),
        v: Default::default(),
    };
    let del = Deletion {
        coffre: coffre(),
        content_sha256: Hash32::of(b"content"),
        created: NOW,
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        paper: id(0xa1),
        v: Default::default(),
    };
    let ren = Renunciation {
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        grantee_key: p.public(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: id(0x91),
        v: Default::default(),
    };
    let pin = OwnerPin {
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        organisation: organisation(),
        owner_key: o.public(),
        v: Default::default(),
    };
    let chain0 = org_chain(
        0,
        Hash32::ZERO,
        OrgAction::Found,
        member(&resp1(), 0x62, Role::Responsable),
    );
    let chain1 = org_chain(
        1,
        Hash32::of(b"prev"),
        OrgAction::AddMember,
        member(&aidant(), 0x64, Role::Aidant),
    );
    let ok = OrgKey {
        chain_seq: 1,
        created: NOW,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        organisation: organisation(),
        recipient: rcpt(0x65),
        v: Default::default(),
    };
    let je = journal_entry(0, Hash32::ZERO, &o.signing, "upload", NOW);
    let mut je_full = journal_entry(1, Hash32::of(b"prev"), &p.signing, "access", NOW + 1);
    je_full.mandate = Some(id(0x91));
    let mut je_min = journal_entry(2, Hash32::of(b"prev2"), &server(), "login", NOW + 2);
    je_min.object = None;
    let ir = InclusionReceipt {
        coffre: coffre(),
        entry: Hash32::of(b"entry"),
        instance: INSTANCE.into(),
        kind: Default::default(),
        seq: 0,
        time: NOW,
        v: Default::default(),
    };
    let jc = JournalCheckpoint {
        coffre: coffre(),
        created: NOW + 3,
        entry: Hash32::of(b"entry"),
        epoch: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        seq: 2,
        v: Default::default(),
    };
    let dr = DepositReceipt {
        coffre: coffre(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        paper: id(0xa1),
        time: NOW + 5,
        upload: Hash32::of(b"upload"),
        v: Default::default(),
    };
    let pi = PaperIndex {
        category: category(),
        coffre: coffre(),
        created: NOW + 6,
        epoch: 0,
        generation: 0,
        index_sha256: Hash32::of(b"index file"),
        index_size: 4321,
        instance: INSTANCE.into(),
        kind: Default::default(),
        seq: 3,
        v: Default::default(),
    };
    let cases = vec![
        statement_case(
            "epoch_succession",
            "epoch 0 hands over to epoch 1, signed by the epoch-0 key",
            &succession(&o, 0, &e1),
            &[&o.signing],
        ),
        statement_case(
            "category_cert",
            "owner certifies CK[c,0]'s recipient for a window",
            &cert(),
            &[&o.signing],
        ),
        statement_case(
            "category_label",
            "label with characters JSON must escape (quote, LF, U+0001) and raw non-ASCII",
            &label,
            &[&o.signing],
        ),
        statement_case(
            "upload_owner",
            "upload by the owner (no mandate field)",
            &up,
            &[&o.signing],
        ),
        statement_case(
            "upload_mandate",
            "upload by a person grantee under a mandate",
            &up_m,
            &[&p.signing],
        ),
        statement_case("deletion", "owner deletes a paper", &del, &[&o.signing]),
        statement_case(
            "mandate_person",
            "mandate to a person (key + recipient)",
            &mandate_person(&p),
            &[&o.signing],
        ),
        statement_case(
            "mandate_organisation",
            "mandate to an organisation (root key, no recipient)",
            &mandate_org(&public_key(&org_root())),
            &[&o.signing],
        ),
        statement_case(
            "mandate_note",
            "the owner's note on mandate 0x91: the name it gave the grantee, with raw non-ASCII",
            &mandate_note("Inès, ma sœur"),
            &[&o.signing],
        ),
        statement_case(
            "revocation",
            "owner revokes a mandate",
            &revocation_body(),
            &[&o.signing],
        ),
        statement_case("renunciation", "grantee renounces", &ren, &[&p.signing]),
        statement_case(
            "access_receipt",
            "grantee access receipt, counter 1",
            &receipt(1, &p.signing),
            &[&p.signing],
        ),
        statement_case(
            "owner_pin",
            "an aidant pins an owner key",
            &pin,
            &[&aidant()],
        ),
        statement_case(
            "org_chain_found",
            "seq 0 signed by the root",
            &chain0,
            &[&org_root()],
        ),
        statement_case(
            "org_chain_two_sigs",
            "an org_chain statement with two signatures (sorted by key)",
            &chain1,
            &[&resp1(), &resp2()],
        ),
        statement_case(
            "org_key",
            "root certifies org key generation 0",
            &ok,
            &[&org_root()],
        ),
        statement_case(
            "journal_entry",
            "journal entry with object",
            &je,
            &[&o.signing],
        ),
        statement_case(
            "journal_entry_mandate",
            "journal entry with object and mandate",
            &je_full,
            &[&p.signing],
        ),
        statement_case(
            "journal_entry_minimal",
            "journal entry without the optional fields",
            &je_min,
            &[&server()],
        ),
        statement_case(
            "inclusion_receipt",
            "server inclusion receipt",
            &ir,
            &[&server()],
        ),
        statement_case(
            "journal_checkpoint",
            "owner checkpoint: the journal verified up to seq 2",
            &jc,
            &[&o.signing],
        ),
        statement_case(
            "deposit_receipt",
            "server deposit receipt: the upload (statement hash) accepted at time",
            &dr,
            &[&server()],
        ),
        statement_case(
            "paper_index",
            "owner's metadata index of CK[c,0]'s papers: the file's hash and size, seq 3",
            &pi,
            &[&o.signing],
        ),
    ];
    // Every case must verify back.
    for c in &cases {
        let env = Envelope::parse(c["envelope"].as_str().unwrap().as_bytes()).unwrap();
        env.check_signatures().unwrap();
    }
    json!({
        "description": "Every statement kind (section 10): canonical body bytes, signed message, envelope and statement hash. Ed25519 is deterministic: these must match byte for byte.",
        "signed_prefix": "coffre/v1/signed\n",
        "cases": cases,
    })
}
