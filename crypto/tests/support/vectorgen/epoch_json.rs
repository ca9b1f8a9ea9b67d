//! `epoch.json`: owner-key epoch successions (section 3).

use super::*;

pub(super) fn epoch_file() -> Value {
    let k0 = owner();
    let k1 = owner_seed(0x02).keys().unwrap();
    let k2 = owner_seed(0x03).keys().unwrap();
    let s01 = signed(&succession(&k0, 0, &k1), &[&k0.signing]);
    let s12 = signed(&succession(&k1, 1, &k2), &[&k1.signing]);
    let s12_by_0 = signed(&succession(&k1, 1, &k2), &[&k0.signing]);
    let mut skip = succession(&k1, 1, &k2);
    skip.to_epoch = 3;
    let s13 = signed(&skip, &[&k1.signing]);
    let mut elsewhere = succession(&k0, 0, &k1);
    elsewhere.coffre = id(0x12);
    let s01_other = signed(&elsewhere, &[&k0.signing]);
    let pinned = mandate::EpochKey {
        epoch: 0,
        key: k0.public(),
        recipient: Some(k0.recipient.clone()),
    };
    let pool: Vec<(&str, &Envelope)> = vec![
        ("s01", &s01),
        ("s12", &s12),
        ("s12_by_epoch0", &s12_by_0),
        ("s13", &s13),
        ("s01_other_coffre", &s01_other),
    ];
    let get = |n: &str| pool.iter().find(|(k, _)| *k == n).unwrap().1.clone();
    let mut cases = vec![];
    let mut add = |name: &str, description: &str, seq: &[&str], want: &str| {
        let steps: Vec<Envelope> = seq.iter().map(|n| get(n)).collect();
        let r = mandate::verify_succession(&pinned, coffre(), &steps);
        let end = r
            .as_ref()
            .ok()
            .map(|e| json!({"epoch": e.epoch, "key": e.key.to_b64()}));
        expect(r, want, name);
        cases.push(json!({"name": name, "description": description, "steps": seq, "expect": want, "result": end}));
    };
    add(
        "two_steps",
        "epoch 0 -> 1 -> 2, each signed by the previous key",
        &["s01", "s12"],
        "ok",
    );
    add(
        "not_signed_by_previous",
        "attack: 1 -> 2 signed by the epoch-0 key",
        &["s01", "s12_by_epoch0"],
        "unauthorised_signer",
    );
    add("skipped_epoch", "1 -> 3", &["s01", "s13"], "bad_succession");
    add(
        "other_coffre",
        "0 -> 1 signed by the epoch-0 key, naming another coffre",
        &["s01_other_coffre"],
        "bad_succession",
    );
    json!({
        "description": "Owner-key epoch successions (section 3), followed from the pinned epoch-0 key (owner seed 0x01; epoch 1 from seed 0x02, epoch 2 from 0x03).",
        "pinned_key": k0.public().to_b64(),
        "pool": pool.iter().map(|(n, e)| (n.to_string(), Value::String(env_str(e)))).collect::<serde_json::Map<_, _>>(),
        "cases": cases,
    })
}
