//! `organisation.json`: organisation chains and org key certificates (section 7).

use super::*;

pub(super) fn organisation_file(store: &mut CtStore) -> Value {
    let root = org_root();
    let m1 = member(&resp1(), 0x62, Role::Responsable);
    let m2 = member(&resp2(), 0x63, Role::Responsable);
    let ma = member(&aidant(), 0x64, Role::Aidant);
    let mx = member(&admin(), 0x6f, Role::Responsable);
    let s0 = signed(
        &org_chain(0, Hash32::ZERO, OrgAction::Found, m1.clone()),
        &[&root],
    );
    let s1 = signed(
        &org_chain(1, s0.hash().unwrap(), OrgAction::AddMember, m2),
        &[&resp1()],
    );
    let s2 = signed(
        &org_chain(2, s1.hash().unwrap(), OrgAction::AddMember, ma),
        &[&resp1(), &resp2()],
    );
    let x1 = signed(
        &org_chain(1, s0.hash().unwrap(), OrgAction::AddMember, mx.clone()),
        &[&admin()],
    );
    let x2 = signed(
        &org_chain(2, s1.hash().unwrap(), OrgAction::AddMember, mx.clone()),
        &[&resp1()],
    );
    let x0 = signed(
        &org_chain(0, Hash32::ZERO, OrgAction::Found, mx),
        &[&admin()],
    );
    let g2 = signed(
        &org_chain(3, s1.hash().unwrap(), OrgAction::AddMember, m1),
        &[&resp1(), &resp2()],
    );
    let pool: Vec<(&str, &Envelope)> = vec![
        ("s0", &s0),
        ("s1", &s1),
        ("s2", &s2),
        ("x0", &x0),
        ("x1", &x1),
        ("x2", &x2),
        ("gap", &g2),
    ];
    let get = |n: &str| pool.iter().find(|(k, _)| *k == n).unwrap().1.clone();
    let mut cases = vec![];
    let rootpk = public_key(&root);
    let mut add = |name: &str, description: &str, seq: &[&str], want: &str| {
        let entries: Vec<Envelope> = seq.iter().map(|n| get(n)).collect();
        let r = organisation::verify_org_chain(&entries, &rootpk, None);
        let members = r
            .as_ref()
            .ok()
            .map(|s| s.members.iter().map(|m| m.key.to_b64()).collect::<Vec<_>>());
        expect(r, want, name);
        cases.push(json!({"name": name, "description": description, "chain": seq, "expect": want, "members": members}));
    };
    add(
        "valid",
        "found by the root; R2 added by R1 alone (one responsable); an aidant added by R1 and R2",
        &["s0", "s1", "s2"],
        "ok",
    );
    add(
        "added_by_admin",
        "attack: the instance admin's key adds itself",
        &["s0", "x1"],
        "not_a_responsable",
    );
    add(
        "one_of_two",
        "attack: a single signature where two responsables are required",
        &["s0", "s1", "x2"],
        "too_few_signatures",
    );
    add(
        "not_founded_by_root",
        "attack: seq 0 signed by another key than the pinned root",
        &["x0"],
        "unauthorised_signer",
    );
    add("gap", "seq 3 after seq 1", &["s0", "s1", "gap"], "seq_gap");

    let okb = OrgKey {
        chain_seq: 2,
        created: NOW,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        organisation: organisation(),
        recipient: rcpt(0x65),
        v: Default::default(),
    };
    let okc = signed(&okb, &[&root]);
    expect(
        organisation::verify_org_key(&okc, &rootpk, organisation()),
        "ok",
        "org key",
    );
    let okx = signed(&okb, &[&admin()]);
    expect(
        organisation::verify_org_key(&okx, &rootpk, organisation()),
        "unauthorised_signer",
        "org key admin",
    );
    let wrap_plain = coffre_crypto::encoding::to_canonical(&OrgKeyWrapPayload {
        generation: 0,
        identity: coffre_crypto::secret::SecretIdentity::parse(
            &identity_string_from_bytes(&[0x65; 32]).unwrap(),
        )
        .unwrap(),
        kind: Default::default(),
        organisation: organisation(),
        v: Default::default(),
    })
    .unwrap();
    let _ = store;
    let _ = wrap_plain;
    json!({
        "description": "Organisation chain (section 7). 'chain' names envelopes of 'pool'; verify against 'root'. 'members' lists the member keys after a valid chain.",
        "root": rootpk.to_b64(),
        "root_fingerprint": b64(&Fingerprint::of(&rootpk, None).0),
        "pool": pool.iter().map(|(n, e)| (n.to_string(), Value::String(env_str(e)))).collect::<serde_json::Map<_, _>>(),
        "org_key_cert": env_str(&okc),
        "org_key_cert_by_admin": {"envelope": env_str(&okx), "expect": "unauthorised_signer"},
        "cases": cases,
    })
}
