//! `mandate.json`: grantee pinning and access-receipt counters (section 8).

use super::*;

pub(super) fn mandate_file() -> Value {
    let o = owner();
    let p = person();
    let ctx = ctx();
    let rootpk = public_key(&org_root());
    let mp = signed(&mandate_person(&p), &[&o.signing]);
    let mo = signed(&mandate_org(&rootpk), &[&o.signing]);
    let mut cases = vec![];
    let none = mandate::MandateEnds::none();
    let vp = mandate::verify_mandate(&mp, &o.public(), &ctx, NOW, &none).unwrap();
    let vo = mandate::verify_mandate(&mo, &o.public(), &ctx, NOW, &none).unwrap();
    let real_fp = p.fingerprint();
    let evil = owner_seed(0xee).keys().unwrap();
    let swapped = signed(&mandate_person(&evil), &[&o.signing]);
    let vs = mandate::verify_mandate(&swapped, &o.public(), &ctx, NOW, &none).unwrap();
    cases.push(json!({"name": "person_grantee_pinned", "description": "the grantee in the mandate has the fingerprint pinned face to face", "mandate": env_str(&mp), "pinned_fingerprint": b64(&real_fp.0), "expect": expect(mandate::check_person_grantee(vp.body(), &real_fp), "ok", "grantee")}));
    cases.push(json!({"name": "swapped_grantee_key", "description": "attack: the host swapped the grantee's key and recipient for its own", "mandate": env_str(&swapped), "pinned_fingerprint": b64(&real_fp.0), "expect": expect(mandate::check_person_grantee(vs.body(), &real_fp), "grantee_key_mismatch", "swapped grantee")}));
    let root_fp = Fingerprint::of(&rootpk, None);
    let other_root_fp = Fingerprint::of(&pk(&admin()), None);
    cases.push(json!({"name": "organisation_root_pinned", "description": "the mandate's organisation root matches the pinned fingerprint", "mandate": env_str(&mo), "pinned_fingerprint": b64(&root_fp.0), "expect": expect(mandate::check_organisation_root(vo.body(), &root_fp), "ok", "root")}));
    cases.push(json!({"name": "organisation_root_mismatch", "description": "attack: the grantee's pinned root differs from the mandate's", "mandate": env_str(&mo), "pinned_fingerprint": b64(&other_root_fp.0), "expect": expect(mandate::check_organisation_root(vo.body(), &other_root_fp), "root_mismatch", "root mismatch")}));
    let mut long = mandate_person(&p);
    long.not_after = long.not_before + 366 * DAY;
    let long_env = signed(&long, &[&o.signing]);
    cases.push(json!({"name": "too_long", "description": "a window over 365 days", "mandate": env_str(&long_env), "at": NOW, "expect": expect(mandate::verify_mandate(&long_env, &o.public(), &ctx, NOW, &none), "outside_validity", "too long")}));
    let mut empty = mandate_person(&p);
    empty.categories.clear();
    let empty_env = signed(&empty, &[&o.signing]);
    cases.push(json!({"name": "empty_categories", "description": "a mandate over no category", "mandate": env_str(&empty_env), "at": NOW, "expect": expect(mandate::verify_mandate(&empty_env, &o.public(), &ctx, NOW, &none), "malformed", "empty")}));
    let mut reversed = mandate_person(&p);
    reversed.not_before = reversed.not_after + 1;
    let reversed_env = signed(&reversed, &[&o.signing]);
    cases.push(json!({"name": "reversed_window", "description": "not_before after not_after", "mandate": env_str(&reversed_env), "at": NOW, "expect": expect(mandate::verify_mandate(&reversed_env, &o.public(), &ctx, NOW, &none), "outside_validity", "reversed")}));
    let mut unsorted = mandate_person(&p);
    unsorted.categories = vec![id(0x22), id(0x21)];
    let us_env = signed(&unsorted, &[&o.signing]);
    cases.push(json!({"name": "unsorted_categories", "description": "categories not a sorted set", "mandate": env_str(&us_env), "at": NOW, "expect": expect(mandate::verify_mandate(&us_env, &o.public(), &ctx, NOW, &none), "non_canonical", "unsorted")}));

    let r: Vec<Envelope> = (1..=4)
        .map(|c| signed(&receipt(c, &p.signing), &[&p.signing]))
        .collect();
    let a: Vec<Envelope> = (1..=3)
        .map(|c| signed(&receipt(c, &aidant()), &[&aidant()]))
        .collect();
    let grantees = [p.public(), pk(&aidant())];
    let mut rc = vec![];
    let mut add = |name: &str, description: &str, envs: &[&Envelope], want: &str| {
        let bodies: Vec<_> = envs
            .iter()
            .map(|e| mandate::verify_access_receipt(e, &grantees, &ctx, &vp, &none).unwrap())
            .collect();
        expect(mandate::check_receipt_counters(&bodies, &[]), want, name);
        rc.push(json!({"name": name, "description": description, "receipts": envs.iter().map(|e| env_str(e)).collect::<Vec<_>>(), "expect": want}));
    };
    add(
        "contiguous",
        "counters 1, 2, 3, 4",
        &[&r[0], &r[1], &r[2], &r[3]],
        "ok",
    );
    add(
        "dropped",
        "attack: the host dropped receipt 3",
        &[&r[0], &r[1], &r[3]],
        "counter_gap",
    );
    add(
        "replayed",
        "attack: receipt 2 served twice",
        &[&r[0], &r[1], &r[1]],
        "counter_gap",
    );
    add(
        "two_grantees_interleaved",
        "two grantee keys (person seed 0x41, aidant 0x54) interleaved, each counting 1, 2, 3 on its own",
        &[&r[0], &a[0], &a[1], &r[1], &r[2], &a[2]],
        "ok",
    );
    add(
        "two_grantees_one_gap",
        "attack: the aidant's receipt 2 dropped while the person's counters are contiguous",
        &[&r[0], &a[0], &r[1], &a[2], &r[2]],
        "counter_gap",
    );
    json!({
        "description": "Mandates (section 8): grantee pinning and access receipt counters (per grantee key, from 1, no gap). Cases with 'at' verify the mandate at that time without ends; pinning cases verify it at NOW. Receipts are verified under mandate_person verified at NOW.",
        "owner_ed25519_public": o.public().to_b64(),
        "cases": cases,
        "receipt_cases": rc,
    })
}
