//! `journal.json`: journal chains and inclusion receipts (section 9).

use super::*;

pub(super) fn journal_file() -> Value {
    let o = owner();
    let p = person();
    let ctx = ctx();
    let mk = |seq, prev, k: &ed25519_dalek::SigningKey, action: &str, t| {
        signed(&journal_entry(seq, prev, k, action, t), &[k])
    };
    let e0 = mk(0, Hash32::ZERO, &o.signing, "upload", NOW);
    let e1 = mk(1, e0.hash().unwrap(), &p.signing, "access", NOW + 10);
    let e2 = mk(2, e1.hash().unwrap(), &server(), "login", NOW + 20);
    let e3 = mk(3, e2.hash().unwrap(), &o.signing, "revoke", NOW + 30);
    let f2 = mk(2, e1.hash().unwrap(), &server(), "login", NOW + 21);
    let f3 = mk(3, f2.hash().unwrap(), &o.signing, "revoke", NOW + 31);
    let bad_link = mk(2, e0.hash().unwrap(), &server(), "login", NOW + 20);
    let by_admin = mk(2, e1.hash().unwrap(), &admin(), "login", NOW + 20);
    let flipped = sig_flipped(&e2, 5, 0x10);
    let after_flipped = mk(3, flipped.hash().unwrap(), &o.signing, "revoke", NOW + 30);
    let epoch_mk = |seq, prev, epoch, t| {
        let mut j = journal_entry(seq, prev, &o.signing, "rotate", t);
        j.epoch = epoch;
        signed(&j, &[&o.signing])
    };
    let epoch1 = epoch_mk(2, e1.hash().unwrap(), 1, NOW + 20);
    let back_in_time = mk(2, e1.hash().unwrap(), &server(), "login", NOW + 5);
    let x1 = epoch_mk(1, e0.hash().unwrap(), 1, NOW + 10);
    let x2 = epoch_mk(2, x1.hash().unwrap(), 0, NOW + 20);
    let allowed = [o.public(), p.public(), pk(&server())];
    let pool: Vec<(&str, &Envelope)> = vec![
        ("e0", &e0),
        ("e1", &e1),
        ("e2", &e2),
        ("e3", &e3),
        ("f2", &f2),
        ("f3", &f3),
        ("bad_link2", &bad_link),
        ("admin2", &by_admin),
        ("flipped2", &flipped),
        ("after_flipped3", &after_flipped),
        ("epoch1_2", &epoch1),
        ("time_back2", &back_in_time),
        ("epoch1_1", &x1),
        ("epoch0_2", &x2),
    ];
    let get = |n: &str| pool.iter().find(|(k, _)| *k == n).unwrap().1.clone();
    let cp = |seq: u64, e: &Envelope| journal::Checkpoint {
        seq,
        hash: e.hash().unwrap(),
    };
    let mut cases = vec![];
    let mut add_in = |context_epoch: u64,
                      name: &str,
                      description: &str,
                      seq: &[&str],
                      checkpoint: Option<journal::Checkpoint>,
                      want: &str| {
        let entries: Vec<Envelope> = seq.iter().map(|n| get(n)).collect();
        let mut ctx = ctx.clone();
        ctx.epoch = context_epoch;
        let r = journal::verify_journal(&entries, checkpoint, &ctx, &|k, _| allowed.contains(k));
        let result = r
            .as_ref()
            .ok()
            .map(|c| json!({"seq": c.seq, "hash": c.hash.to_b64()}));
        expect(r, want, name);
        cases.push(json!({
            "name": name,
            "description": description,
            "entries": seq,
            "context_epoch": context_epoch,
            "checkpoint": checkpoint.map(|c| json!({"seq": c.seq, "hash": c.hash.to_b64()})),
            "expect": want,
            "new_checkpoint": result,
        }));
    };
    let mut add =
        |name: &str,
         description: &str,
         seq: &[&str],
         checkpoint: Option<journal::Checkpoint>,
         want: &str| add_in(0, name, description, seq, checkpoint, want);
    add(
        "full",
        "the whole chain, no checkpoint",
        &["e0", "e1", "e2", "e3"],
        None,
        "ok",
    );
    add(
        "from_checkpoint",
        "the page after a checkpoint at seq 1",
        &["e2", "e3"],
        Some(cp(1, &e1)),
        "ok",
    );
    add(
        "with_checkpoint",
        "the whole chain, checkpoint at seq 2 inside it",
        &["e0", "e1", "e2", "e3"],
        Some(cp(2, &e2)),
        "ok",
    );
    add(
        "removed",
        "attack: entry 2 removed",
        &["e0", "e1", "e3"],
        None,
        "seq_gap",
    );
    add(
        "reordered",
        "attack: entries 1 and 2 swapped",
        &["e0", "e2", "e1", "e3"],
        None,
        "seq_gap",
    );
    add(
        "rollback",
        "attack: the host serves a chain that ends before the checkpoint",
        &["e0", "e1"],
        Some(cp(3, &e3)),
        "rollback",
    );
    add(
        "fork",
        "attack: another entry 2 (validly signed) where the checkpoint remembers e2",
        &["e0", "e1", "f2", "f3"],
        Some(cp(2, &e2)),
        "fork",
    );
    add(
        "fork_after_checkpoint",
        "attack: a page after the checkpoint that does not link to it",
        &["f3"],
        Some(cp(2, &e2)),
        "fork",
    );
    add(
        "broken_link",
        "attack: entry 2 names entry 0 as prev",
        &["e0", "e1", "bad_link2"],
        None,
        "broken_link",
    );
    add(
        "unauthorised",
        "attack: entry 2 signed by the instance admin's key",
        &["e0", "e1", "admin2"],
        None,
        "unauthorised_signer",
    );
    add(
        "bad_signature",
        "attack: entry 2 with one signature bit flipped",
        &["e0", "e1", "flipped2"],
        None,
        "bad_signature",
    );
    add(
        "epoch_ahead",
        "an entry of epoch 1 while the context is at epoch 0",
        &["e0", "e1", "epoch1_2"],
        None,
        "context_mismatch",
    );
    add(
        "time_reversed",
        "entry 2 dated before entry 1",
        &["e0", "e1", "time_back2"],
        None,
        "time_reversed",
    );
    add_in(
        1,
        "epoch_ok",
        "context at epoch 1: entries of epochs 0 then 1",
        &["e0", "epoch1_1"],
        None,
        "ok",
    );
    add_in(
        1,
        "epoch_decreasing",
        "context at epoch 1: an entry of epoch 0 after one of epoch 1",
        &["e0", "epoch1_1", "epoch0_2"],
        None,
        "context_mismatch",
    );
    // Owner-signed checkpoints (`vouched`): entries up to one are bound by their links.
    let mut vcases = vec![];
    for (name, description, seq, checkpoint, vouched, want) in [
        (
            "vouched_from_zero",
            "the whole chain with the owner's checkpoint at its last entry",
            &["e0", "e1", "e2", "e3"][..],
            None,
            cp(3, &e3),
            "ok",
        ),
        (
            "vouched_covers_before",
            "entries up to the owner's checkpoint are bound by hash links: a signature before it is not checked again (the owner's device that signed the checkpoint checked it)",
            &["e0", "e1", "flipped2", "after_flipped3"][..],
            None,
            cp(3, &after_flipped),
            "ok",
        ),
        (
            "vouched_signature_after",
            "attack: a bad signature after the owner's checkpoint",
            &["e0", "e1", "flipped2", "after_flipped3"][..],
            None,
            cp(1, &e1),
            "bad_signature",
        ),
        (
            "vouched_start_anywhere",
            "a page may start at any seq up to the owner's checkpoint",
            &["e1", "e2", "e3"][..],
            None,
            cp(2, &e2),
            "ok",
        ),
        (
            "vouched_start_after",
            "a page may start right after the owner's checkpoint",
            &["e3"][..],
            None,
            cp(2, &e2),
            "ok",
        ),
        (
            "vouched_start_after_fork",
            "attack: the entry after the owner's checkpoint does not follow it",
            &["f3"][..],
            None,
            cp(2, &e2),
            "fork",
        ),
        (
            "vouched_gap",
            "attack: a page starting two entries after the owner's checkpoint",
            &["e3"][..],
            None,
            cp(1, &e1),
            "seq_gap",
        ),
        (
            "vouched_not_reached",
            "attack: the chain ends before the owner's checkpoint",
            &["e0", "e1"][..],
            None,
            cp(2, &e2),
            "rollback",
        ),
        (
            "vouched_fork",
            "attack: another chain than the one the owner's checkpoint names",
            &["e0", "e1", "f2", "f3"][..],
            None,
            cp(3, &e3),
            "fork",
        ),
        (
            "vouched_signer_still_checked",
            "attack: before the owner's checkpoint, the signer must still be allowed",
            &["e0", "e1", "admin2"][..],
            None,
            cp(2, &by_admin),
            "unauthorised_signer",
        ),
        (
            "vouched_and_device_checkpoint",
            "the device's checkpoint and the owner's both reached and agreed with",
            &["e1", "e2", "e3"][..],
            Some(cp(1, &e1)),
            cp(3, &e3),
            "ok",
        ),
        (
            "vouched_device_checkpoint_skipped",
            "attack: the page starts after the device's checkpoint (under the owner's)",
            &["e2", "e3"][..],
            Some(cp(0, &e0)),
            cp(3, &e3),
            "rollback",
        ),
    ] {
        let entries: Vec<Envelope> = seq.iter().map(|n| get(n)).collect();
        let r =
            journal::verify_journal_vouched(&entries, checkpoint, Some(vouched), &ctx, &|k, _| {
                allowed.contains(k)
            });
        let result = r
            .as_ref()
            .ok()
            .map(|c| json!({"seq": c.seq, "hash": c.hash.to_b64()}));
        expect(r, want, name);
        vcases.push(json!({
            "name": name,
            "description": description,
            "entries": seq,
            "checkpoint": checkpoint.map(|c| json!({"seq": c.seq, "hash": c.hash.to_b64()})),
            "vouched": json!({"seq": vouched.seq, "hash": vouched.hash.to_b64()}),
            "expect": want,
            "new_checkpoint": result,
        }));
    }
    let mut ctx1 = ctx.clone();
    ctx1.epoch = 1;
    let mut elsewhere = ctx.clone();
    elsewhere.coffre = coffre_crypto::encoding::Id::from_random_bytes([0x77; 16]);
    let owner_cp = journal::sign_checkpoint(&ctx, &o.signing, cp(3, &e3), NOW + 40).unwrap();
    let mut ccases = vec![];
    for (name, description, env, context_epoch, context, want) in [
        (
            "checkpoint_ok",
            "the owner's checkpoint at seq 3",
            owner_cp.clone(),
            0,
            &ctx,
            "ok",
        ),
        (
            "checkpoint_by_server",
            "attack: a checkpoint signed by the server key",
            journal::sign_checkpoint(&ctx, &server(), cp(3, &e3), NOW + 40).unwrap(),
            0,
            &ctx,
            "unauthorised_signer",
        ),
        (
            "checkpoint_flipped",
            "attack: the owner's checkpoint with a flipped signature bit",
            sig_flipped(&owner_cp, 7, 0x01),
            0,
            &ctx,
            "bad_signature",
        ),
        (
            "checkpoint_other_coffre",
            "attack: the owner's checkpoint checked for another coffre",
            owner_cp.clone(),
            0,
            &elsewhere,
            "context_mismatch",
        ),
        (
            "checkpoint_old_epoch",
            "a checkpoint of epoch 0 once the coffre is at epoch 1 (that key may be the lost one)",
            owner_cp.clone(),
            1,
            &ctx1,
            "context_mismatch",
        ),
    ] {
        let r = journal::verify_checkpoint(&env, &o.public(), context);
        let result = r
            .as_ref()
            .ok()
            .map(|c| json!({"seq": c.seq, "hash": c.hash.to_b64()}));
        expect(r, want, name);
        ccases.push(json!({
            "name": name,
            "description": description,
            "statement": env_str(&env),
            "context_epoch": context_epoch,
            "context_coffre": context.coffre.to_string(),
            "expect": want,
            "checkpoint": result,
        }));
    }
    let rec = InclusionReceipt {
        coffre: coffre(),
        entry: e1.hash().unwrap(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        seq: 1,
        time: NOW + 11,
        v: Default::default(),
    };
    let rec_env = signed(&rec, &[&server()]);
    expect(
        journal::verify_inclusion_receipt(&rec_env, &pk(&server()), &ctx, 1, &e1.hash().unwrap()),
        "ok",
        "receipt",
    );
    let mut wrong_seq = rec.clone();
    wrong_seq.seq = 2;
    let wrong_seq_env = signed(&wrong_seq, &[&server()]);
    let mut forked = rec.clone();
    forked.seq = 2;
    forked.entry = f2.hash().unwrap();
    let forked_env = signed(&forked, &[&server()]);
    let mut rcases = vec![];
    for (name, description, env, entry, seq, want) in [
        (
            "receipt_ok",
            "the receipt of entry 1 (seq 1)",
            &rec_env,
            &e1,
            1,
            "ok",
        ),
        (
            "receipt_wrong_seq",
            "attack: a receipt naming entry 1's hash at seq 2",
            &wrong_seq_env,
            &e1,
            1,
            "context_mismatch",
        ),
        (
            "receipt_other_entry",
            "attack: a receipt for the forked entry f2 shown for entry 2 (same seq)",
            &forked_env,
            &e2,
            2,
            "hash_mismatch",
        ),
    ] {
        expect(
            journal::verify_inclusion_receipt(
                env,
                &pk(&server()),
                &ctx,
                seq,
                &entry.hash().unwrap(),
            ),
            want,
            name,
        );
        let entry_name = if std::ptr::eq(entry, &e1) { "e1" } else { "e2" };
        rcases.push(json!({"name": name, "description": description, "receipt": env_str(env), "entry": entry_name, "expect": want}));
    }
    json!({
        "description": "Journal (section 9). 'entries' name envelopes of 'pool'; allowed actors: owner, person grantee, server key. 'new_checkpoint' is what verification returns. 'vouched_cases' verify with an owner-signed checkpoint ('vouched'); 'checkpoint_cases' verify journal_checkpoint statements with the owner key in a context of 'context_epoch' and 'context_coffre'.",
        "allowed_actors": allowed.iter().map(|k| k.to_b64()).collect::<Vec<_>>(),
        "server_ed25519_public": pk(&server()).to_b64(),
        "pool": pool.iter().map(|(n, e)| (n.to_string(), Value::String(env_str(e)))).collect::<serde_json::Map<_, _>>(),
        "inclusion_receipt": env_str(&rec_env),
        "cases": cases,
        "receipt_cases": rcases,
        "owner_ed25519_public": o.public().to_b64(),
        "vouched_cases": vcases,
        "checkpoint_cases": ccases,
        "grantee": grantee_section(),
    })
}

/// `journal.json` → `grantee`: server-signed entries of a grantee's acts, each bound by its
/// `proof` to the grantee-signed statement, matched by `check_grantee_proofs`.
pub(super) fn grantee_section() -> Value {
    let o = owner();
    let p = person();
    let srv = server();
    let mid = id(0x91);
    let rec = signed(&receipt(1, &p.signing), &[&p.signing]);
    let up = signed(
        &Upload {
            category: category(),
            coffre: coffre(),
            content_sha256: Hash32::of(b"deposited content"),
            content_size: 1234,
            created: NOW + 5,
            epoch: 0,
            generation: 0,
            instance: INSTANCE.into(),
            kind: Default::default(),
            mandate: Some(mid),
            meta_sha256: Hash32::of(b"deposited meta"),
            paper: id(0xa2),
            uploader: p.public(),
            v: Default::default(),
        },
        &[&p.signing],
    );
    let ren = signed(
        &Renunciation {
            coffre: coffre(),
            created: NOW + 9,
            epoch: 0,
            grantee_key: p.public(),
            instance: INSTANCE.into(),
            kind: Default::default(),
            mandate: mid,
            v: Default::default(),
        },
        &[&p.signing],
    );
    let entry = |seq, prev, k: &ed25519_dalek::SigningKey, action: &str, object, proof, t| {
        let mut e = journal_entry(seq, prev, k, action, t);
        e.mandate = Some(mid);
        e.object = object;
        e.proof = proof;
        signed(&e, &[k])
    };
    let h = |e: &Envelope| Some(e.hash().unwrap());
    let g0 = entry(
        0,
        Hash32::ZERO,
        &srv,
        "mandate_accessed",
        Some(id(0xa1)),
        h(&rec),
        NOW + 1,
    );
    let g1 = entry(
        1,
        g0.hash().unwrap(),
        &srv,
        "paper_deposited",
        Some(id(0xa2)),
        h(&up),
        NOW + 6,
    );
    let g2 = entry(
        2,
        g1.hash().unwrap(),
        &srv,
        "mandate_renounced",
        None,
        h(&ren),
        NOW + 10,
    );
    let invented1 = entry(
        1,
        g0.hash().unwrap(),
        &srv,
        "paper_deposited",
        Some(id(0xa2)),
        Some(Hash32::of(b"no such upload")),
        NOW + 6,
    );
    let other_paper1 = entry(
        1,
        g0.hash().unwrap(),
        &srv,
        "paper_deposited",
        Some(id(0xa3)),
        h(&up),
        NOW + 6,
    );
    let wrong_action1 = entry(
        1,
        g0.hash().unwrap(),
        &srv,
        "mandate_accessed",
        Some(id(0xa2)),
        h(&up),
        NOW + 6,
    );
    let twice1 = entry(
        1,
        g0.hash().unwrap(),
        &srv,
        "mandate_accessed",
        Some(id(0xa1)),
        h(&rec),
        NOW + 6,
    );
    let no_proof1 = entry(
        1,
        g0.hash().unwrap(),
        &srv,
        "paper_deposited",
        Some(id(0xa2)),
        None,
        NOW + 6,
    );
    let by_owner1 = entry(
        1,
        g0.hash().unwrap(),
        &o.signing,
        "paper_deposited",
        Some(id(0xa2)),
        h(&up),
        NOW + 6,
    );
    let mut sign_in = journal_entry(1, g0.hash().unwrap(), &srv, "sign_in", NOW + 6);
    sign_in.proof = h(&rec);
    let proof_on_sign_in1 = signed(&sign_in, &[&srv]);
    let pool: Vec<(&str, &Envelope)> = vec![
        ("g0", &g0),
        ("g1", &g1),
        ("g2", &g2),
        ("invented1", &invented1),
        ("other_paper1", &other_paper1),
        ("twice1", &twice1),
        ("wrong_action1", &wrong_action1),
        ("no_proof1", &no_proof1),
        ("by_owner1", &by_owner1),
        ("proof_on_sign_in1", &proof_on_sign_in1),
    ];
    let statements: Vec<(&str, &str, &Envelope)> = vec![
        ("receipt", "access_receipt", &rec),
        ("upload", "upload", &up),
        ("renunciation", "renunciation", &ren),
    ];
    let ctx = ctx();
    let server_key = pk(&srv);
    let owner_key = o.public();
    let mut cases = vec![];
    let mut add = |name: &str,
                   description: &str,
                   seq: &[&str],
                   given: &[&str],
                   complete: bool,
                   want: &str| {
        let entries: Vec<Envelope> = seq
            .iter()
            .map(|n| pool.iter().find(|(k, _)| k == n).unwrap().1.clone())
            .collect();
        let r = journal::verify_journal(&entries, None, &ctx, &|k, e| {
            journal::allowed_signer(k, e, &server_key, &|_| Some(owner_key))
        })
        .and_then(|_| {
            let bodies: Vec<JournalEntry> = entries.iter().map(|e| e.peek().unwrap()).collect();
            let stmts = given
                .iter()
                .map(|n| {
                    let (_, kind, env) = statements.iter().find(|(k, _, _)| k == n).unwrap();
                    match *kind {
                        "access_receipt" => journal::GranteeStatement::access_receipt(env),
                        "upload" => journal::GranteeStatement::deposit(env),
                        _ => journal::GranteeStatement::renunciation(env),
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            journal::check_grantee_proofs(&bodies, &stmts, complete)
        });
        expect(r, want, name);
        cases.push(json!({
            "name": name,
            "description": description,
            "entries": seq,
            "statements": given,
            "complete": complete,
            "expect": want,
        }));
    };
    let all = ["receipt", "upload", "renunciation"];
    add(
        "all",
        "a consultation, a deposit and a renunciation, each with its statement",
        &["g0", "g1", "g2"],
        &all,
        true,
        "ok",
    );
    add(
        "page",
        "a page without the renunciation's entry, not the whole journal",
        &["g0", "g1"],
        &all,
        false,
        "ok",
    );
    add(
        "hidden",
        "attack: the host hides the renunciation's entry from the whole journal",
        &["g0", "g1"],
        &all,
        true,
        "entry_missing",
    );
    add(
        "receipt_dropped",
        "attack: an entry whose access receipt the host does not serve",
        &["g0", "g1", "g2"],
        &["upload", "renunciation"],
        true,
        "proof_missing",
    );
    add(
        "invented",
        "attack: a deposit entry whose proof names no upload served",
        &["g0", "invented1"],
        &["receipt", "upload"],
        false,
        "proof_missing",
    );
    add(
        "other_paper",
        "attack: the deposit's upload bound to an entry about another paper",
        &["g0", "other_paper1"],
        &all,
        false,
        "context_mismatch",
    );
    add(
        "twice",
        "attack: one access receipt recorded as two consultations",
        &["g0", "twice1"],
        &all,
        false,
        "context_mismatch",
    );
    add(
        "wrong_action",
        "attack: the deposit's upload recorded as a consultation",
        &["g0", "wrong_action1"],
        &all,
        false,
        "context_mismatch",
    );
    add(
        "no_proof",
        "attack: a deposit entry without its proof",
        &["g0", "no_proof1"],
        &all,
        false,
        "malformed",
    );
    add(
        "by_owner",
        "attack: a deposit entry signed by the owner key, not the server's",
        &["g0", "by_owner1"],
        &all,
        false,
        "unauthorised_signer",
    );
    add(
        "proof_on_sign_in",
        "attack: a proof on an action that records no grantee's act",
        &["g0", "proof_on_sign_in1"],
        &all,
        false,
        "malformed",
    );
    json!({
        "description": "Grantee acts in the owner's journal (section 9). 'entries' name envelopes of 'pool', verified with the server key for server actions (these included) and the owner key for any other; then each grantee action's 'proof' is matched with the grantee-signed 'statements' (by kind: access_receipt, upload, renunciation); 'complete': the entries are the whole journal, so a statement no entry names is entry_missing.",
        "server_ed25519_public": server_key.to_b64(),
        "owner_ed25519_public": owner_key.to_b64(),
        "pool": pool.iter().map(|(n, e)| (n.to_string(), Value::String(env_str(e)))).collect::<serde_json::Map<_, _>>(),
        "statements": statements.iter().map(|(n, k, e)| (n.to_string(), json!({"kind": k, "envelope": env_str(e)}))).collect::<serde_json::Map<_, _>>(),
        "cases": cases,
    })
}
