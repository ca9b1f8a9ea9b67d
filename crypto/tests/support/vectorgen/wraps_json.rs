//! `wraps.json`: unlock factors, category and org key wraps, label files, share links.

use super::*;

pub(super) fn wraps_file(store: &mut CtStore) -> Value {
    let seed = [0x01u8; 32];
    let payload = unlock::seed_payload(coffre(), 0, &seed);
    let plain = coffre_crypto::encoding::to_canonical(&payload).unwrap();
    let plain_s = String::from_utf8(plain.clone()).unwrap();
    let mut cases = vec![];

    // passkey
    let prf = [0x0au8; 32];
    let cred = b"credential-id-\x00\x01\xff".to_vec();
    let pk_id = unlock::passkey_identity(&prf, &cred).unwrap();
    let ct = store.x25519(
        "wraps/passkey/ciphertext",
        std::slice::from_ref(&pk_id),
        &plain,
    );
    let idb = age_io::identity_bytes(&pk_id).unwrap();
    cases.push(json!({
        "name": "passkey",
        "description": "seed wrapped to the passkey identity HKDF(P, info = 'coffre/v1/passkey/x25519\\n' || credential id)",
        "prf_salt": b64(&unlock::prf_salt()),
        "prf_output": b64(&prf),
        "credential_id": b64(&cred),
        "identity": identity_string_from_bytes(&idb).unwrap(),
        "recipient": recipient_of(&pk_id).as_str(),
        "ciphertext": b64(&ct),
        "plaintext": plain_s,
    }));

    // remembered device
    let device_half = [0x0du8; 32];
    let server_half = [0x5eu8; 32];
    let rd_id = unlock::remembered_identity(&device_half, &server_half).unwrap();
    let ct = store.x25519(
        "wraps/remembered_device/ciphertext",
        std::slice::from_ref(&rd_id),
        &plain,
    );
    let idb = age_io::identity_bytes(&rd_id).unwrap();
    cases.push(json!({
        "name": "remembered_device",
        "description": "seed wrapped to the remembered-device identity HKDF(device half || server half, info = 'coffre/v1/device/x25519')",
        "device_half": b64(&device_half),
        "server_half": b64(&server_half),
        "identity": identity_string_from_bytes(&idb).unwrap(),
        "recipient": recipient_of(&rd_id).as_str(),
        "ciphertext": b64(&ct),
        "plaintext": plain_s,
    }));

    // carte
    let carte = unlock::Carte {
        identity: x25519(0x0c),
    };
    let ct = store.x25519(
        "wraps/carte/ciphertext",
        std::slice::from_ref(&carte.identity),
        &plain,
    );
    let auth = carte.auth_key().unwrap();
    let nonce = [0x5au8; 16];
    let msg = unlock::auth_challenge_message(INSTANCE, &public_key(&auth), &nonce).unwrap();
    cases.push(json!({
        "name": "carte",
        "description": "seed wrapped to the carte identity; its auth key HKDF(identity bytes, info = 'coffre/v1/auth/carte') and an auth challenge",
        "identity": identity_string_from_bytes(&[0x0c; 32]).unwrap(),
        "recipient": carte.recipient().as_str(),
        "auth_ed25519_public": public_key(&auth).to_b64(),
        "challenge_nonce": b64(&nonce),
        "challenge_message_b64": b64(&msg),
        "challenge_signature": b64(&unlock::sign_auth_challenge(&auth, INSTANCE, &nonce).unwrap()),
        "ciphertext": b64(&ct),
        "plaintext": plain_s,
    }));

    // passphrase
    let phrase = "Abri--bateau  PARS\tdouze - lune ruisseau ";
    let norm = unlock::normalise_passphrase(phrase);
    let checked = unlock::Passphrase::parse(phrase).unwrap();
    let log_n = unlock::PASSPHRASE_SCRYPT_LOG_N;
    let ct = store.get(
        "wraps/passphrase/ciphertext",
        &plain,
        &|ct| {
            unlock::unwrap_seed_passphrase(&checked, ct)
                .ok()
                .map(|p| coffre_crypto::encoding::to_canonical(&p).unwrap())
        },
        &|| unlock::wrap_seed_passphrase(&checked, &payload).unwrap(),
    );
    cases.push(json!({
        "name": "passphrase",
        "description": "seed wrapped with age scrypt at PASSPHRASE_SCRYPT_LOG_N over the normalised passphrase; auth key HKDF(normalised, salt = info = 'coffre/v1/auth/passphrase')",
        "passphrase": phrase,
        "normalised": norm,
        "scrypt_log_n": log_n,
        "auth_ed25519_public": public_key(&unlock::passphrase_auth_key(&checked).unwrap()).to_b64(),
        "ciphertext": b64(&ct),
        "plaintext": plain_s,
    }));
    // The work factor is read from the stanza before scrypt: the committed wrap with its
    // factor rewritten (the header MAC no longer matches, so only that check can fire first).
    let header_end = ct.windows(4).position(|w| w == b"\n---").unwrap();
    let header = std::str::from_utf8(&ct[..header_end]).unwrap();
    let stanza = header.lines().nth(1).unwrap();
    for (name, factor) in [
        ("passphrase_log_n_18", "18"),
        ("passphrase_log_n_21", "21"),
        ("passphrase_log_n_14", "14"),
    ] {
        let edited = format!("{} {factor}", &stanza[..stanza.len() - 3]);
        let mut file = header.replacen(stanza, &edited, 1).into_bytes();
        file.extend_from_slice(&ct[header_end..]);
        cases.push(json!({
            "name": name,
            "description": format!("the passphrase wrap above with its scrypt work factor rewritten to {factor}: too_large, before any scrypt (accepted: {}..={})", unlock::PASSPHRASE_SCRYPT_LOG_N, unlock::PASSPHRASE_SCRYPT_MAX_LOG_N),
            "passphrase": phrase,
            "file": b64(&file),
            "expect": expect(unlock::unwrap_seed_passphrase(&checked, &file), "too_large", name),
        }));
    }
    let passphrase_cases: Vec<Value> = [
        ("Abri--bateau  PARS\tdouze - lune ruisseau ", "ok"),
        ("abri bateau douze lune ruisseau", "malformed"),
        ("abri bateau douze lune ruisseau pars abri", "malformed"),
        ("abri bateau douze lune ruisseau cafe", "malformed"),
        // « exil » left the list (crypto/wordlist/retired-fr.txt): still accepted when typed.
        ("abri bateau douze lune ruisseau exil", "ok"),
        ("abri bateau douze lune ruisseau\npars", "malformed"),
        ("", "malformed"),
    ]
    .iter()
    .map(|(input, want)| {
        json!({"input": input, "expect": expect(unlock::Passphrase::parse(input), want, input)})
    })
    .collect();
    let norm_cases: Vec<Value> = [
        "abri bateau",
        "  ABRI   bateau  ",
        "abri-bateau",
        "abri - - bateau",
        "\tabri\t\tbateau\t",
        "Élan Été",
        "abri\nbateau",
        "",
        "---",
    ]
    .iter()
    .map(|s| json!({"input": s, "normalised": unlock::normalise_passphrase(s)}))
    .collect();

    // category key wrap (to owner and a person grantee)
    let o = owner();
    let p = person();
    let ckp = category::category_key_payload(coffre(), category(), 0, &ck()).unwrap();
    let ck_plain = coffre_crypto::encoding::to_canonical(&ckp).unwrap();
    let ct = store.x25519(
        "wraps/category_key/ciphertext",
        &[o.identity.clone(), p.identity.clone()],
        &ck_plain,
    );
    let cert_env = signed(&cert(), &[&o.signing]);
    cases.push(json!({
        "name": "category_key",
        "description": "CK[c,0] wrapped to the owner and a person grantee (owner seed 0x01, person seed 0x41); check against the certificate",
        "recipients": [o.recipient.as_str(), p.recipient.as_str()],
        "owner_identity": identity_string_from_bytes(&age_io::identity_bytes(&o.identity).unwrap()).unwrap(),
        "certificate": env_str(&cert_env),
        "ciphertext": b64(&ct),
        "plaintext": String::from_utf8(ck_plain).unwrap(),
        "expect": expect(category::unwrap_category_key(&o.identity, &ct, &cert()), "ok", "category key"),
    }));
    // swapped: a wrap of another identity (the host's) for the same category
    let evil = category::category_key_payload(coffre(), category(), 0, &x25519(0xee)).unwrap();
    let evil_plain = coffre_crypto::encoding::to_canonical(&evil).unwrap();
    let ct = store.x25519(
        "wraps/category_key_swapped/ciphertext",
        std::slice::from_ref(&o.identity),
        &evil_plain,
    );
    cases.push(json!({
        "name": "category_key_swapped",
        "description": "attack: the wrapped identity's recipient is not the certified one",
        "owner_identity": identity_string_from_bytes(&age_io::identity_bytes(&o.identity).unwrap()).unwrap(),
        "certificate": env_str(&cert_env),
        "ciphertext": b64(&ct),
        "plaintext": String::from_utf8(evil_plain).unwrap(),
        "expect": expect(category::unwrap_category_key(&o.identity, &ct, &cert()), "recipient_mismatch", "swapped ck"),
    }));
    // An identity in lowercase is not the canonical encoding of a key: bad_key.
    let upper = ckp.identity.expose().to_owned();
    let lower_plain = String::from_utf8(coffre_crypto::encoding::to_canonical(&ckp).unwrap())
        .unwrap()
        .replace(&upper, &upper.to_lowercase());
    let ct = store.x25519(
        "wraps/category_key_lowercase/ciphertext",
        std::slice::from_ref(&o.identity),
        lower_plain.as_bytes(),
    );
    cases.push(json!({
        "name": "category_key_lowercase",
        "description": "a category_key payload whose identity is written in lowercase: bad_key",
        "owner_identity": identity_string_from_bytes(&age_io::identity_bytes(&o.identity).unwrap()).unwrap(),
        "certificate": env_str(&cert_env),
        "ciphertext": b64(&ct),
        "plaintext": lower_plain,
        "expect": expect(category::unwrap_category_key(&o.identity, &ct, &cert()), "bad_key", "lowercase ck"),
    }));

    // org key wrap
    let org_key = x25519(0x65);
    let okp = OrgKeyWrapPayload {
        generation: 0,
        identity: coffre_crypto::secret::SecretIdentity::parse(
            &identity_string_from_bytes(&[0x65; 32]).unwrap(),
        )
        .unwrap(),
        kind: Default::default(),
        organisation: organisation(),
        v: Default::default(),
    };
    let ok_plain = coffre_crypto::encoding::to_canonical(&okp).unwrap();
    let ct = store.x25519(
        "wraps/org_key/ciphertext",
        &[x25519(0x62), x25519(0x64)],
        &ok_plain,
    );
    let _ = org_key;
    cases.push(json!({
        "name": "org_key",
        "description": "organisation key generation 0 wrapped to two members (identities 0x62.., 0x64..)",
        "member_identity": identity_string_from_bytes(&[0x62; 32]).unwrap(),
        "ciphertext": b64(&ct),
        "plaintext": String::from_utf8(ok_plain).unwrap(),
    }));

    // journal body, to the owner
    let jb = coffre_crypto::kinds::JournalBodyPayload {
        backup_time: None,
        device: Some("Chromium, Linux".into()),
        factor: Some("carte".into()),
        kind: Default::default(),
        v: Default::default(),
    };
    let jb_plain = coffre_crypto::encoding::to_canonical(&jb).unwrap();
    let ct = store.x25519(
        "wraps/journal_body/ciphertext",
        std::slice::from_ref(&o.identity),
        &jb_plain,
    );
    cases.push(json!({
        "name": "journal_body",
        "description": "a journal entry's details (a carte sign-in from a device), encrypted to the owner",
        "identity": identity_string_from_bytes(&age_io::identity_bytes(&o.identity).unwrap()).unwrap(),
        "ciphertext": b64(&ct),
        "plaintext": String::from_utf8(jb_plain).unwrap(),
    }));

    // label file
    let label = CategoryLabel {
        category: category(),
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        icon: "maison".into(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        name: "Logement".into(),
        v: Default::default(),
    };
    let lenv = signed(&label, &[&o.signing]);
    let ct = store.x25519(
        "wraps/label/ciphertext",
        std::slice::from_ref(&p.identity),
        &lenv.to_bytes().unwrap(),
    );
    cases.push(json!({
        "name": "label",
        "description": "label file: an owner-signed category_label envelope encrypted to a deposit-only grantee (person seed 0x41)",
        "grantee_identity": identity_string_from_bytes(&age_io::identity_bytes(&p.identity).unwrap()).unwrap(),
        "ciphertext": b64(&ct),
        "plaintext": env_str(&lenv),
    }));

    // label file capped as an encrypted payload (256 KiB), its envelope at 64 KiB: a label
    // envelope just under 64 KiB to many recipients makes a file above 65 KiB.
    let big_label = (0..2000)
        .map(|cut| {
            let mut l = label.clone();
            l.name = "n".repeat(49_200 - cut);
            signed(&l, &[&o.signing])
        })
        .find(|e| e.to_bytes().unwrap().len() <= coffre_crypto::encoding::ENVELOPE_CAP)
        .unwrap();
    let big_plain = big_label.to_bytes().unwrap();
    let mut many = vec![p.identity.clone()];
    many.extend((0..23u8).map(|i| x25519(0x80 + i)));
    let ct = store.x25519("wraps/label_many_recipients/ciphertext", &many, &big_plain);
    assert!(ct.len() > coffre_crypto::encoding::ENVELOPE_CAP + 1024);
    assert!(ct.len() <= coffre_crypto::encoding::PAYLOAD_CAP);
    let ctx = ctx();
    cases.push(json!({
        "name": "label_many_recipients",
        "description": "label file above 65 KiB (24 recipients) whose envelope is under 64 KiB: accepted, the file cap is the 256 KiB payload cap (section 2.4)",
        "grantee_identity": identity_string_from_bytes(&age_io::identity_bytes(&p.identity).unwrap()).unwrap(),
        "ciphertext": b64(&ct),
        "plaintext_sha256": b64(&coffre_crypto::encoding::sha256(&big_plain)),
        "file_size": ct.len(),
        "envelope_size": big_plain.len(),
        "expect": expect(category::open_label(&p.identity, &ct, &o.public(), &ctx), "ok", "label_many_recipients"),
    }));
    let too_big = vec![0u8; coffre_crypto::encoding::PAYLOAD_CAP + 1];
    cases.push(json!({
        "name": "label_too_large",
        "description": "a label file of 262,145 zero bytes (file_size), above the 256 KiB payload cap: too_large before decryption",
        "grantee_identity": identity_string_from_bytes(&age_io::identity_bytes(&p.identity).unwrap()).unwrap(),
        "file_size": too_big.len(),
        "expect": expect(category::open_label(&p.identity, &too_big, &o.public(), &ctx), "too_large", "label_too_large"),
    }));

    // share
    let share = coffre_crypto::share::ShareSecret(zeroize::Zeroizing::new([0x5e; 32]));
    let ct = store.x25519(
        "wraps/share/ciphertext",
        &[share.identity().unwrap()],
        b"une attestation",
    );
    cases.push(json!({
        "name": "share",
        "description": "a paper re-encrypted to the share identity made from S; the link carries b64(S) in its fragment",
        "secret": share.to_fragment(),
        "recipient": share.recipient().unwrap().as_str(),
        "link": share.link(INSTANCE, &id(0xb1)),
        "ciphertext": b64(&ct),
        "plaintext": "une attestation",
    }));

    json!({
        "description": "Wraps (sections 4, 5, 7, 11): age ciphertexts are random, so check that each decrypts to 'plaintext' (UTF-8) with the given identity or passphrase, and that derived values match.",
        "normalisation_cases": norm_cases,
        "passphrase_cases": passphrase_cases,
        "cases": cases,
    })
}
