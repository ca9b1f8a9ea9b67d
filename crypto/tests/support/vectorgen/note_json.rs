//! `note.json`: mandate notes (section 8.1), the name the owner gave a mandate's grantee,
//! owner-signed and sealed to the owner alone.

use super::*;

pub(super) fn note_file(store: &mut CtStore) -> Value {
    let o = owner();
    let p = person();
    let ctx = ctx();
    let me = std::slice::from_ref(&o.identity);
    let mut cases = vec![];
    let mut case = |store: &mut CtStore,
                    name: &str,
                    description: &str,
                    plain: &[u8],
                    to: &[age::x25519::Identity],
                    mandate_id: u8,
                    want: &str| {
        let ct = store.x25519(&format!("note/{name}/ciphertext"), to, plain);
        let got = expect(
            mandate::open_mandate_note(&o.identity, &ct, &o.public(), &ctx, id(mandate_id)),
            want,
            name,
        );
        cases.push(json!({
            "name": name,
            "description": description,
            "mandate": id(mandate_id).to_string(),
            "ciphertext": b64(&ct),
            "expect": got,
        }));
        ct
    };
    let honest = signed(&mandate_note("Inès"), &[&o.signing]);
    let honest_bytes = honest.to_bytes().unwrap();
    let ct = case(
        store,
        "fine",
        "the owner's note for mandate 0x91: « Inès » (raw non-ASCII), signed by the owner, sealed to the owner",
        &honest_bytes,
        me,
        0x91,
        "ok",
    );
    case(
        store,
        "another_mandate",
        "attack: the host serves mandate 0x91's note with mandate 0x92",
        &honest_bytes,
        me,
        0x92,
        "context_mismatch",
    );
    let host = signed(&mandate_note("Quelqu'un d'autre"), &[&admin()]);
    case(
        store,
        "host_made",
        "attack: the host (admin key 0x5f) signs a note and seals it to the owner's recipient, which it knows",
        &host.to_bytes().unwrap(),
        me,
        0x91,
        "unauthorised_signer",
    );
    let mut flipped = honest_bytes.clone();
    // A character in the middle of the signature's b64, inside `"sig":"…"}]}`.
    let at = flipped.len() - 20;
    flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
    case(
        store,
        "flipped_signature",
        "attack: the owner's note with one character of its signature changed",
        &flipped,
        me,
        0x91,
        "bad_signature",
    );
    let mut other_coffre = mandate_note("Inès");
    other_coffre.coffre = id(0x12);
    case(
        store,
        "another_coffre",
        "attack: a note the same owner key signed for coffre 0x12",
        &signed(&other_coffre, &[&o.signing]).to_bytes().unwrap(),
        me,
        0x91,
        "context_mismatch",
    );
    let mut other_epoch = mandate_note("Inès");
    other_epoch.epoch = 1;
    case(
        store,
        "another_epoch",
        "a note naming epoch 1 opened in the context of epoch 0",
        &signed(&other_epoch, &[&o.signing]).to_bytes().unwrap(),
        me,
        0x91,
        "context_mismatch",
    );
    let label = CategoryLabel {
        category: category(),
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        icon: "maison".into(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        name: "Inès".into(),
        v: Default::default(),
    };
    case(
        store,
        "a_label",
        "attack: an owner-signed category_label sealed to the owner passed off as a note",
        &signed(&label, &[&o.signing]).to_bytes().unwrap(),
        me,
        0x91,
        "wrong_kind",
    );
    case(
        store,
        "not_to_the_owner",
        "a note sealed to the person grantee (seed 0x41) only: the owner cannot open it",
        &honest_bytes,
        std::slice::from_ref(&p.identity),
        0x91,
        "decryption_failed",
    );
    for (name, description, n) in [
        ("empty_name", "a note whose name is empty", String::new()),
        (
            "long_name",
            "a note whose name is 181 UTF-8 bytes (90 × « é » and one « a »: 91 characters)",
            format!("{}a", "é".repeat(90)),
        ),
        (
            "control_in_name",
            "a note whose name holds U+0001",
            "In\u{1}ès".to_owned(),
        ),
    ] {
        case(
            store,
            name,
            description,
            &signed(&mandate_note(&n), &[&o.signing]).to_bytes().unwrap(),
            me,
            0x91,
            "malformed",
        );
    }
    // Name limits that pass: 180 bytes exactly, and 60 UTF-16 units of 4-byte characters.
    case(
        store,
        "longest_name",
        "a note whose name is 180 UTF-8 bytes (90 × « é »): accepted",
        &signed(&mandate_note(&"é".repeat(90)), &[&o.signing])
            .to_bytes()
            .unwrap(),
        me,
        0x91,
        "ok",
    );

    let mut tampered = ct.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    cases.push(json!({
        "name": "tampered",
        "description": "attack: the fine note's file with its last byte changed (the payload's tag no longer verifies); tampered_ciphertext",
        "mandate": id(0x91).to_string(),
        "tampered_ciphertext": b64(&tampered),
        "expect": expect(mandate::open_mandate_note(&o.identity, &tampered, &o.public(), &ctx, id(0x91)), "decryption_failed", "tampered"),
    }));
    let too_big = vec![0u8; mandate::NOTE_CAP + 1];
    cases.push(json!({
        "name": "too_large",
        "description": "a note file of 2,049 zero bytes (file_size), above the 2 KiB cap: too_large before decryption",
        "mandate": id(0x91).to_string(),
        "file_size": too_big.len(),
        "expect": expect(mandate::open_mandate_note(&o.identity, &too_big, &o.public(), &ctx, id(0x91)), "too_large", "too_large"),
    }));
    json!({
        "description": "Mandate notes (section 8.1): an age file to the owner's recipient whose plaintext is an owner-signed mandate_note envelope. Each case opens `ciphertext` (or `tampered_ciphertext`, or `file_size` zero bytes) with the owner's identity, the owner key and the context (instance, coffre 0x11, epoch 0) for the case's `mandate`.",
        "owner_identity": identity_string_from_bytes(&age_io::identity_bytes(&o.identity).unwrap()).unwrap(),
        "owner_ed25519_public": o.public().to_b64(),
        "instance": INSTANCE,
        "coffre": coffre().to_string(),
        "epoch": 0,
        "note_cap": mandate::NOTE_CAP,
        "name_max_bytes": mandate::NOTE_NAME_MAX_BYTES,
        "plaintext": env_str(&honest),
        "cases": cases,
    })
}
