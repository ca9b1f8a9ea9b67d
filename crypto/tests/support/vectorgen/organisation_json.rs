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
        &org_chain(1, s0.hash().unwrap(), OrgAction::AddMember, m2.clone()),
        &[&resp1()],
    );
    let s2 = signed(
        &org_chain(2, s1.hash().unwrap(), OrgAction::AddMember, ma.clone()),
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
        &org_chain(0, Hash32::ZERO, OrgAction::Found, mx.clone()),
        &[&admin()],
    );
    let g2 = signed(
        &org_chain(3, s1.hash().unwrap(), OrgAction::AddMember, m1.clone()),
        &[&resp1(), &resp2()],
    );
    // Promotions (`set_role`): an aidant added by R1 alone, promoted by R1 alone (one
    // responsable), then demoted by both.
    let a1 = signed(
        &org_chain(1, s0.hash().unwrap(), OrgAction::AddMember, ma.clone()),
        &[&resp1()],
    );
    let ma_r = Member {
        role: Role::Responsable,
        ..ma.clone()
    };
    let p2 = signed(
        &org_chain(2, a1.hash().unwrap(), OrgAction::SetRole, ma_r.clone()),
        &[&resp1()],
    );
    let d3 = signed(
        &org_chain(3, p2.hash().unwrap(), OrgAction::SetRole, ma.clone()),
        &[&resp1(), &aidant()],
    );
    let d3_one = signed(
        &org_chain(3, p2.hash().unwrap(), OrgAction::SetRole, ma.clone()),
        &[&resp1()],
    );
    let self_p2 = signed(
        &org_chain(2, a1.hash().unwrap(), OrgAction::SetRole, ma_r.clone()),
        &[&aidant()],
    );
    let root_p2 = signed(
        &org_chain(2, a1.hash().unwrap(), OrgAction::SetRole, ma_r.clone()),
        &[&root],
    );
    let same_p2 = signed(
        &org_chain(2, a1.hash().unwrap(), OrgAction::SetRole, ma.clone()),
        &[&resp1()],
    );
    let other_rcpt_p2 = signed(
        &org_chain(
            2,
            a1.hash().unwrap(),
            OrgAction::SetRole,
            Member {
                recipient: rcpt(0x6e),
                ..ma_r.clone()
            },
        ),
        &[&resp1()],
    );
    let demote_last = signed(
        &org_chain(
            2,
            a1.hash().unwrap(),
            OrgAction::SetRole,
            Member {
                role: Role::Aidant,
                ..m1.clone()
            },
        ),
        &[&resp1()],
    );
    let stranger_p2 = signed(
        &org_chain(2, a1.hash().unwrap(), OrgAction::SetRole, mx.clone()),
        &[&resp1()],
    );
    // Two responsables (s0, s1), the aidant added by both (s2): a promotion by R1 alone, and
    // one by both.
    let p3_one = signed(
        &org_chain(3, s2.hash().unwrap(), OrgAction::SetRole, ma_r.clone()),
        &[&resp1()],
    );
    let p3 = signed(
        &org_chain(3, s2.hash().unwrap(), OrgAction::SetRole, ma_r.clone()),
        &[&resp1(), &resp2()],
    );
    // R2 removed by both (seq 3), then R2 and R1 promote the aidant: R2 is no longer one.
    let r3 = signed(
        &org_chain(3, s2.hash().unwrap(), OrgAction::RemoveMember, m2.clone()),
        &[&resp1(), &resp2()],
    );
    let removed_p4 = signed(
        &org_chain(4, r3.hash().unwrap(), OrgAction::SetRole, ma_r.clone()),
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
        ("a1", &a1),
        ("p2", &p2),
        ("d3", &d3),
        ("d3_one", &d3_one),
        ("self_p2", &self_p2),
        ("root_p2", &root_p2),
        ("same_p2", &same_p2),
        ("other_rcpt_p2", &other_rcpt_p2),
        ("demote_last", &demote_last),
        ("stranger_p2", &stranger_p2),
        ("p3_one", &p3_one),
        ("p3", &p3),
        ("r3", &r3),
        ("removed_p4", &removed_p4),
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
        let roles = r
            .as_ref()
            .ok()
            .map(|s| s.members.iter().map(|m| m.role).collect::<Vec<_>>());
        expect(r, want, name);
        cases.push(json!({"name": name, "description": description, "chain": seq, "expect": want, "members": members, "roles": roles}));
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
    add(
        "promoted",
        "set_role: the aidant added by R1 alone is made responsable by R1 alone (one responsable)",
        &["s0", "a1", "p2"],
        "ok",
    );
    add(
        "demoted_by_two",
        "set_role: two responsables now, the promoted one made aidant again by both",
        &["s0", "a1", "p2", "d3"],
        "ok",
    );
    add(
        "demoted_by_one_of_two",
        "attack: a set_role with one signature once there are two responsables",
        &["s0", "a1", "p2", "d3_one"],
        "too_few_signatures",
    );
    add(
        "promotes_himself",
        "attack: the aidant signs his own promotion",
        &["s0", "a1", "self_p2"],
        "not_a_responsable",
    );
    add(
        "promoted_by_root",
        "attack: the root alone signs a promotion (it is not a responsable)",
        &["s0", "a1", "root_p2"],
        "not_a_responsable",
    );
    add(
        "same_role",
        "set_role to the role the member already has",
        &["s0", "a1", "same_p2"],
        "bad_chain",
    );
    add(
        "other_recipient",
        "set_role naming the member's key with another recipient",
        &["s0", "a1", "other_rcpt_p2"],
        "bad_chain",
    );
    add(
        "demotes_last_responsable",
        "set_role making the only responsable an aidant",
        &["s0", "a1", "demote_last"],
        "bad_chain",
    );
    add(
        "promotes_stranger",
        "set_role of a key that is not a member",
        &["s0", "a1", "stranger_p2"],
        "bad_chain",
    );
    add(
        "promoted_by_one_of_two",
        "attack: two responsables, a promotion signed by one",
        &["s0", "s1", "s2", "p3_one"],
        "too_few_signatures",
    );
    add(
        "promoted_by_two",
        "set_role: two responsables promote the aidant",
        &["s0", "s1", "s2", "p3"],
        "ok",
    );
    add(
        "promoted_by_removed",
        "attack: a removed responsable co-signs a promotion",
        &["s0", "s1", "s2", "r3", "removed_p4"],
        "not_a_responsable",
    );

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
        "description": "Organisation chain (section 7). 'chain' names envelopes of 'pool'; verify against 'root'. 'members' lists the member keys after a valid chain, 'roles' their roles in the same order.",
        "root": rootpk.to_b64(),
        "root_fingerprint": b64(&Fingerprint::of(&rootpk, None).0),
        "pool": pool.iter().map(|(n, e)| (n.to_string(), Value::String(env_str(e)))).collect::<serde_json::Map<_, _>>(),
        "org_key_cert": env_str(&okc),
        "org_key_cert_by_admin": {"envelope": env_str(&okx), "expect": "unauthorised_signer"},
        "cases": cases,
    })
}
