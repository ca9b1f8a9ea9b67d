//! The journal: removed, reordered, rolled back, forked or badly signed entries.

use super::*;

fn chain() -> (Vec<Envelope>, Vec<Envelope>) {
    let o = owner();
    let mut v = vec![];
    let mut prev = Hash32::ZERO;
    for seq in 0..5 {
        let e = signed(
            &journal_entry(seq, prev, &o.signing, "upload", NOW + seq),
            &[&o.signing],
        );
        prev = e.hash().unwrap();
        v.push(e);
    }
    // A fork from seq 3.
    let mut f = v[..3].to_vec();
    let mut prev = v[2].hash().unwrap();
    for seq in 3..5 {
        let e = signed(
            &journal_entry(seq, prev, &o.signing, "delete", NOW + 100 + seq),
            &[&o.signing],
        );
        prev = e.hash().unwrap();
        f.push(e);
    }
    (v, f)
}

fn verify(entries: &[Envelope], cp: Option<Checkpoint>) -> Result<Checkpoint, Error> {
    let o = owner().public();
    verify_journal(entries, cp, &ctx(), &|k, _| *k == o)
}

#[test]
fn journal_attacks() {
    let (v, fork) = chain();
    let cp = verify(&v, None).unwrap();
    assert_eq!(cp.seq, 4);
    // removed
    let removed: Vec<_> = v
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, e)| e.clone())
        .collect();
    assert_eq!(verify(&removed, None).unwrap_err(), Error::SeqGap);
    // reordered
    let mut re = v.clone();
    re.swap(1, 2);
    assert_eq!(verify(&re, None).unwrap_err(), Error::SeqGap);
    // rolled back
    assert_eq!(verify(&v[..3], Some(cp)).unwrap_err(), Error::Rollback);
    // forked
    assert_eq!(verify(&fork, Some(cp)).unwrap_err(), Error::Fork);
    let mid = Checkpoint {
        seq: 3,
        hash: v[3].hash().unwrap(),
    };
    assert_eq!(verify(&fork[4..], Some(mid)).unwrap_err(), Error::Fork);
    // continuing after a checkpoint is fine
    assert_eq!(verify(&v[4..], Some(mid)).unwrap(), cp);
    // a page that skips past the checkpoint
    assert_eq!(
        verify(
            &v[4..],
            Some(Checkpoint {
                seq: 1,
                hash: v[1].hash().unwrap()
            })
        )
        .unwrap_err(),
        Error::SeqGap
    );
    // an entry by a key not allowed
    let mut bad = v[..2].to_vec();
    bad.push(signed(
        &journal_entry(2, v[1].hash().unwrap(), &admin(), "upload", NOW),
        &[&admin()],
    ));
    assert_eq!(verify(&bad, None).unwrap_err(), Error::UnauthorisedSigner);
}

/// A host holding the owner's checkpoint tries to slip changed entries under it.
#[test]
fn owner_checkpoint_attacks() {
    use coffre_crypto::journal::{sign_checkpoint, verify_checkpoint, verify_journal_vouched};
    let (v, fork) = chain();
    let o = owner();
    let signed_cp =
        sign_checkpoint(&ctx(), &o.signing, verify(&v[..4], None).unwrap(), NOW).unwrap();
    let vouched = verify_checkpoint(&signed_cp, &o.public(), &ctx()).unwrap();
    assert_eq!(vouched.seq, 3);
    let check = |entries: &[Envelope]| {
        let key = o.public();
        verify_journal_vouched(entries, None, Some(vouched), &ctx(), &|k, _| *k == key)
    };
    assert_eq!(check(&v).unwrap().seq, 4);
    // The forked chain agrees up to seq 2, then differs under the checkpoint.
    assert_eq!(check(&fork).unwrap_err(), Error::Fork);
    // An entry under the checkpoint rewritten (another action, signed again by the owner):
    // its hash changes, so the next link breaks.
    let mut rewritten = v.clone();
    rewritten[1] = signed(
        &journal_entry(1, v[0].hash().unwrap(), &o.signing, "delete", NOW + 1),
        &[&o.signing],
    );
    assert_eq!(check(&rewritten).unwrap_err(), Error::BrokenLink);
    // Dropping the entries from the checkpoint on: nothing binds what is left.
    assert_eq!(check(&v[..3]).unwrap_err(), Error::Rollback);
    // A checkpoint the host signed itself, or the owner's for another coffre.
    let by_admin = sign_checkpoint(&ctx(), &admin(), vouched, NOW).unwrap();
    assert_eq!(
        verify_checkpoint(&by_admin, &o.public(), &ctx()).unwrap_err(),
        Error::UnauthorisedSigner
    );
    let mut elsewhere = ctx();
    elsewhere.coffre = id(0x42);
    assert!(matches!(
        verify_checkpoint(&signed_cp, &o.public(), &elsewhere).unwrap_err(),
        Error::ContextMismatch(_)
    ));
}

/// A host that serves a grantee's act the grantee never signed, binds a statement to another
/// act, or drops the entry of one it stored: each is caught by matching the server's entries
/// with the grantee-signed statements.
#[test]
fn grantee_act_attacks() {
    use coffre_crypto::encoding::PublicKey;
    use coffre_crypto::journal::{
        GranteeStatement, allowed_signer, check_grantee_proofs, live_papers,
    };
    let o = owner();
    let p = person();
    let srv = server();
    let rec = signed(&receipt(1, &p.signing), &[&p.signing]);
    let statement = GranteeStatement::access_receipt(&rec).unwrap();
    let mut e = journal_entry(0, Hash32::ZERO, &srv, "mandate_accessed", NOW);
    e.mandate = Some(id(0x91));
    e.object = Some(id(0xa1));
    e.proof = Some(rec.hash().unwrap());
    let env = signed(&e, &[&srv]);
    let (owner_key, server_key) = (o.public(), pk(&srv));
    let allowed =
        |k: &PublicKey, e: &JournalEntry| allowed_signer(k, e, &server_key, &|_| Some(owner_key));
    verify_journal(std::slice::from_ref(&env), None, &ctx(), &allowed).unwrap();
    check_grantee_proofs(
        std::slice::from_ref(&e),
        std::slice::from_ref(&statement),
        true,
    )
    .unwrap();

    // The same act signed by the owner key: a grantee action is the server's.
    let by_owner = signed(
        &JournalEntry {
            actor: owner_key,
            ..e.clone()
        },
        &[&o.signing],
    );
    assert_eq!(
        verify_journal(&[by_owner], None, &ctx(), &allowed),
        Err(Error::UnauthorisedSigner)
    );
    // The proof of another statement: the host invented the consultation.
    let invented = JournalEntry {
        proof: Some(Hash32::of(b"a receipt nobody signed")),
        ..e.clone()
    };
    assert_eq!(
        check_grantee_proofs(&[invented], std::slice::from_ref(&statement), false),
        Err(Error::ProofMissing)
    );
    // The receipt's proof on an entry about another paper, or of another mandate.
    for moved in [
        JournalEntry {
            object: Some(id(0xa2)),
            ..e.clone()
        },
        JournalEntry {
            mandate: Some(id(0x92)),
            ..e.clone()
        },
    ] {
        assert!(matches!(
            check_grantee_proofs(&[moved], std::slice::from_ref(&statement), false),
            Err(Error::ContextMismatch(_))
        ));
    }
    // The entry dropped from the whole journal.
    assert_eq!(
        check_grantee_proofs(&[], std::slice::from_ref(&statement), true),
        Err(Error::EntryMissing)
    );
    // A deposit makes its paper exist in the journal's view.
    let deposited = JournalEntry {
        action: "paper_deposited".into(),
        object: Some(id(0xa7)),
        ..e.clone()
    };
    assert!(live_papers(&[deposited]).unwrap().contains(&id(0xa7)));
}
