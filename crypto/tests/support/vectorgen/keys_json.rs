//! `keys.json`: owner keys, fingerprints, words and QR payloads (section 3).

use super::*;

pub(super) fn keys_file() -> Value {
    let mut cases = vec![];
    for (i, b) in [0x00u8, 0x01, 0x41, 0xff].iter().enumerate() {
        let seed = OwnerSeed(zeroize::Zeroizing::new([*b; 32]));
        let k = seed.keys().unwrap();
        let x = coffre_crypto::keys::hkdf32(&[*b; 32], b"", b"coffre/v1/owner/x25519").unwrap();
        let fp = k.fingerprint();
        cases.push(json!({
            "name": format!("owner_seed_{i}"),
            "description": format!("owner keys from the seed of 32 bytes 0x{b:02x}"),
            "seed": b64(&[*b; 32]),
            "x25519_secret": b64(x.as_ref()),
            "identity": identity_string_from_bytes(&x).unwrap(),
            "recipient": k.recipient.as_str(),
            "ed25519_secret": secret_b64(&k.signing),
            "ed25519_public": k.public().to_b64(),
            "fingerprint": b64(&fp.0),
            "words": fp.words(),
            "qr": fp.qr_payload(),
        }));
    }
    let root = org_root();
    let fp = Fingerprint::of(&public_key(&root), None);
    cases.push(json!({
        "name": "signing_only_party",
        "description": "fingerprint of a signing-only party (an organisation root): recipient part empty",
        "ed25519_public": public_key(&root).to_b64(),
        "fingerprint": b64(&fp.0),
        "words": fp.words(),
        "qr": fp.qr_payload(),
    }));
    let list = wordlist();
    cases.push(json!({
        "name": "words_extremes",
        "description": "words of the all-zero and all-0xff fingerprints (first 8 bytes as big-endian u64, five base-7776 digits, least significant first)",
        "fingerprint_zero_words": Fingerprint([0; 32]).words(),
        "fingerprint_ff_words": Fingerprint([0xff; 32]).words(),
        "first_word": list[0],
        "last_word": list[7775],
    }));
    json!({
        "description": "Owner keys (section 3): HKDF-SHA-256 derivations, fingerprints, words, QR payloads",
        "wordlist_sha256_hex": "c4ef25d477ec0b93adad61adcd1bbfeed82e8df10455bf87a7700939172c05b0",
        "cases": cases,
    })
}
