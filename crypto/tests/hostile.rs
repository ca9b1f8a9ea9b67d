//! Hostile input for every parser of ours: oversized, truncated, unknown version, duplicates,
//! deep nesting, age headers over the cap, garbage. Every case must fail cleanly (no panic).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coffre_crypto::age_io::{self, HEADER_CAP, recipient_of};
use coffre_crypto::encoding::{ENVELOPE_CAP, parse_canonical};
use coffre_crypto::kinds::*;
use coffre_crypto::statement::{Envelope, sign};
use coffre_crypto::{Error, unlock};
use support::fixtures::*;

#[test]
fn envelope_oversized_truncated_garbage() {
    let o = owner();
    let env = sign(&cert(), &[&o.signing]).unwrap().to_bytes().unwrap();
    for cut in [0, 1, env.len() / 2, env.len() - 1] {
        assert!(Envelope::parse(&env[..cut]).is_err());
    }
    let mut big = env.clone();
    big.resize(ENVELOPE_CAP + 1, b' ');
    assert!(matches!(Envelope::parse(&big), Err(Error::TooLarge { .. })));
    assert!(Envelope::parse(b"\xff\xfe garbage").is_err());
    let deep = format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    assert!(Envelope::parse(deep.as_bytes()).is_err());
    let deep_arr = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    assert!(Envelope::parse(deep_arr.as_bytes()).is_err());
    let dup = br#"{"body":"e30","body":"e30","sigs":[]}"#;
    assert_eq!(Envelope::parse(dup).unwrap_err(), Error::DuplicateField);
}

#[test]
fn body_unknown_version_duplicates_nesting() {
    let good = String::from_utf8(coffre_crypto::encoding::to_canonical(&cert()).unwrap()).unwrap();
    let p = |s: &str| parse_canonical::<CategoryCert>(s.as_bytes(), ENVELOPE_CAP);
    assert!(p(&good).is_ok());
    assert_eq!(
        p(&good.replace("\"v\":1", "\"v\":7")).unwrap_err(),
        Error::UnknownVersion
    );
    assert_eq!(
        p(&good.replace("\"v\":1", "\"v\":1,\"v\":1")).unwrap_err(),
        Error::DuplicateField
    );
    assert_eq!(
        p(&good.replace("\"kind\":\"category_cert\"", "\"kind\":\"upload\"")).unwrap_err(),
        Error::WrongKind {
            expected: "category_cert"
        }
    );
    assert!(
        p(&good.replace(
            "\"v\":1",
            "\"v\":1,\"x\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"
        ))
        .is_err()
    );
    assert!(p(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))).is_err());
    assert!(p("").is_err());
    assert!(p("null").is_err());
    assert!(p("{}").is_err());
    for cut in 0..good.len() {
        assert!(p(&good[..cut]).is_err());
    }
}

#[test]
fn age_headers_over_the_cap() {
    let mut evil = b"age-encryption.org/v1\n-> X25519 ".to_vec();
    evil.extend(std::iter::repeat_n(b'A', 1 << 20));
    evil.extend(b"\n--- AAAA\n");
    assert_eq!(
        age_io::decrypt(&x25519(1), &evil).unwrap_err(),
        Error::HeaderTooLarge
    );
    assert_eq!(
        age_io::check_header_cap(&evil).unwrap_err(),
        Error::HeaderTooLarge
    );
    // Many small stanzas.
    let mut many = b"age-encryption.org/v1\n".to_vec();
    while many.len() <= HEADER_CAP {
        many.extend(b"-> X 1\nAAAA\n");
    }
    many.extend(b"--- AAAA\n");
    assert_eq!(
        age_io::decrypt(&x25519(1), &many).unwrap_err(),
        Error::HeaderTooLarge
    );
    // Streams too.
    assert!(age_io::CappedReader::new(&evil[..]).is_err());
    // Garbage and truncation.
    assert!(age_io::decrypt(&x25519(1), b"not an age file").is_err());
    let ct = age_io::encrypt(&[recipient_of(&x25519(1))], b"hello").unwrap();
    for cut in 0..ct.len() {
        assert!(
            age_io::decrypt(&x25519(1), &ct[..cut]).is_err(),
            "cut {cut}"
        );
    }
}

#[test]
fn payload_parsers() {
    let id = x25519(1);
    let r = recipient_of(&id);
    // Not a payload at all.
    let ct = age_io::encrypt(
        std::slice::from_ref(&r),
        b"{\"kind\":\"owner_seed\",\"v\":2}",
    )
    .unwrap();
    assert_eq!(
        unlock::unwrap_seed(&id, &ct).unwrap_err(),
        Error::UnknownVersion
    );
    let ct = age_io::encrypt(std::slice::from_ref(&r), b"\x00\x01garbage").unwrap();
    assert!(unlock::unwrap_seed(&id, &ct).is_err());
    // Oversized.
    let ct = age_io::encrypt(std::slice::from_ref(&r), &vec![b' '; 300 * 1024]).unwrap();
    assert!(matches!(
        unlock::unwrap_seed(&id, &ct),
        Err(Error::TooLarge { .. })
    ));
    // A passphrase wrap whose work factor is above 20 is refused before any scrypt.
    assert!(
        unlock::unwrap_seed_passphrase(
            "a b",
            b"age-encryption.org/v1\n-> scrypt AAAAAAAAAAAAAAAAAAAAAA 22\nAAAA\n--- AAAA\n"
        )
        .is_err()
    );
}
