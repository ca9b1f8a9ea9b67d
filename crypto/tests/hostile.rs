//! Hostile input for every parser of ours: oversized, truncated, unknown version, duplicates,
//! deep nesting, age headers over the cap, garbage. Every case must fail cleanly (no panic).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coffre_crypto::age_io::{self, HEADER_CAP, recipient_of};
use coffre_crypto::encoding::{ENVELOPE_CAP, Hash32, PublicKey, parse_canonical};
use coffre_crypto::journal::verify_journal;
use coffre_crypto::kinds::*;
use coffre_crypto::mandate::{self, MandateEnds};
use coffre_crypto::statement::{Envelope, sign};
use coffre_crypto::unlock::{self, Passphrase};
use coffre_crypto::{Error, category, organisation, paper};
use support::fixtures::*;
use support::forge;

const PHRASE: &str = "abri bateau douze lune ruisseau pars";

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
    // A metadata date is checked while parsing, in document order, as the browser does.
    let meta = |expires: &str| {
        format!(
            r#"{{"doc_type":"x","expires":"{expires}","filename":"f","kind":"paper_meta","mime":"m","pages":1,"paper":"{}","sha256":"{}","size":1,"title":"t","v":1}}"#,
            support::fixtures::id(0xa1),
            Hash32::of(b"x").to_b64()
        )
    };
    let parse = |s: String| parse_canonical::<PaperMeta>(s.as_bytes(), 256 * 1024).map(|_| ());
    assert_eq!(parse(meta("2027-01-01")), Ok(()));
    for bad in ["2027-1-01", "2027/01/01", "20270101xx", "2027-01-0a"] {
        assert!(
            matches!(parse(meta(bad)), Err(Error::Malformed(_))),
            "{bad}"
        );
    }
    // Oversized.
    let ct = age_io::encrypt(std::slice::from_ref(&r), &vec![b' '; 300 * 1024]).unwrap();
    assert!(matches!(
        unlock::unwrap_seed(&id, &ct),
        Err(Error::TooLarge { .. })
    ));
}

/// A real passphrase wrap at work factor 15, its stanza's factor then rewritten to `log_n`
/// (the header MAC no longer matches: only a check before scrypt can report `too_large`).
fn wrap_with_factor(log_n: &str) -> Vec<u8> {
    let p = Passphrase::parse(PHRASE).unwrap();
    let payload = unlock::seed_payload(coffre(), 0, &[1; 32]);
    let ct = unlock::wrap_seed_passphrase(&p, &payload).unwrap();
    let end = ct.windows(4).position(|w| w == b"\n---").unwrap();
    let header = std::str::from_utf8(&ct[..end]).unwrap();
    let stanza = header.lines().nth(1).unwrap();
    assert!(
        stanza.starts_with("-> scrypt ") && stanza.ends_with(" 15"),
        "{stanza}"
    );
    let edited = format!("{} {log_n}", &stanza[..stanza.len() - 3]);
    let mut out = header.replacen(stanza, &edited, 1).into_bytes();
    out.extend_from_slice(&ct[end..]);
    out
}

#[test]
fn scrypt_work_factor_is_checked_before_scrypt() {
    let p = Passphrase::parse(PHRASE).unwrap();
    let ok = wrap_with_factor("15");
    assert_eq!(unlock::scrypt_work_factor(&ok), Ok(15));
    assert!(unlock::unwrap_seed_passphrase(&p, &ok).is_ok());
    for (n, size) in [("18", 18), ("21", 21), ("14", 14), ("10", 10)] {
        assert_eq!(
            unlock::unwrap_seed_passphrase(&p, &wrap_with_factor(n)).unwrap_err(),
            Error::TooLarge { size, cap: 17 },
            "log_n {n}"
        );
    }
    // Not a number, or not an scrypt file, or a second stanza.
    assert_eq!(
        unlock::unwrap_seed_passphrase(&p, &wrap_with_factor("1x")).unwrap_err(),
        Error::DecryptionFailed
    );
    let x25519 = age_io::encrypt(&[recipient_of(&x25519(1))], b"{}").unwrap();
    assert_eq!(
        unlock::unwrap_seed_passphrase(&p, &x25519).unwrap_err(),
        Error::DecryptionFailed
    );
    let mut two = ok.clone();
    let at = two.windows(4).position(|w| w == b"\n---").unwrap();
    two.splice(at..at, b"\n-> X25519 AAAA\nAAAA".iter().copied());
    assert_eq!(
        unlock::unwrap_seed_passphrase(&p, &two).unwrap_err(),
        Error::DecryptionFailed
    );
}

#[test]
fn passphrases_are_six_words_of_the_list() {
    for bad in [
        "",
        "abri bateau",
        "abri bateau douze lune ruisseau",
        "abri bateau douze lune ruisseau pars abri",
        "abri bateau douze lune ruisseau cafe",
        "abri bateau douze lune ruisseau\npars",
    ] {
        assert!(
            matches!(Passphrase::parse(bad), Err(Error::Malformed(_))),
            "{bad:?}"
        );
    }
    let p = Passphrase::parse("\tABRI--bateau  douze - lune ruisseau pars ").unwrap();
    assert_eq!(p.expose(), PHRASE);
    assert_eq!(
        Passphrase::parse(Passphrase::generate().expose())
            .unwrap()
            .expose()
            .split(' ')
            .count(),
        6
    );
}

#[test]
fn same_input_same_code() {
    let o = owner();
    let none = MandateEnds::none();
    let verify = |m: &Mandate| {
        mandate::verify_mandate(
            &sign(m, &[&o.signing]).unwrap(),
            &o.public(),
            &ctx(),
            NOW,
            &none,
        )
    };
    let mut empty = mandate_person(&person());
    empty.categories.clear();
    assert!(matches!(verify(&empty), Err(Error::Malformed(_))));
    let mut reversed = mandate_person(&person());
    reversed.not_before = reversed.not_after + 1;
    assert_eq!(verify(&reversed).unwrap_err(), Error::OutsideValidity);
    let reversed_cert = sign(&cert_body(NOW + DAY, NOW - DAY), &[&o.signing]).unwrap();
    assert_eq!(
        category::verify_cert(&reversed_cert, &o.public(), &ctx(), NOW).unwrap_err(),
        Error::OutsideValidity
    );
    // A succession naming another coffre.
    let k1 = owner_seed(2).keys().unwrap();
    let mut s = succession(&o, 0, &k1);
    s.coffre = id(0x12);
    let pinned = mandate::EpochKey {
        epoch: 0,
        key: o.public(),
        recipient: None,
    };
    assert_eq!(
        mandate::verify_succession(&pinned, coffre(), &[sign(&s, &[&o.signing]).unwrap()])
            .unwrap_err(),
        Error::BadSuccession
    );
}

#[test]
fn identity_in_lowercase_is_a_bad_key() {
    let o = owner();
    let payload = category::category_key_payload(coffre(), category(), 0, &ck()).unwrap();
    let text = String::from_utf8(coffre_crypto::encoding::to_canonical(&payload).unwrap()).unwrap();
    let upper = payload.identity.expose().to_owned();
    let lower = text.replace(&upper, &upper.to_lowercase());
    assert_ne!(lower, text);
    let ct = age_io::encrypt(std::slice::from_ref(&o.recipient), lower.as_bytes()).unwrap();
    assert_eq!(
        category::unwrap_category_key(&o.identity, &ct, &cert()).err(),
        Some(Error::BadKey)
    );
    let wrap = organisation::wrap_org_key(&[rcpt(0x62)], organisation(), 1, &x25519(0x65)).unwrap();
    let plain = age_io::decrypt(&x25519(0x62), &wrap).unwrap();
    let plain = String::from_utf8(plain.to_vec()).unwrap();
    let id_str = age_io::identity_string_from_bytes(&[0x65; 32]).unwrap();
    let lower = plain.replace(&id_str, &id_str.to_lowercase());
    let ct = age_io::encrypt(&[rcpt(0x62)], lower.as_bytes()).unwrap();
    let cert = OrgKey {
        chain_seq: 0,
        created: NOW,
        generation: 1,
        instance: INSTANCE.into(),
        kind: Default::default(),
        organisation: organisation(),
        recipient: rcpt(0x65),
        v: Default::default(),
    };
    assert_eq!(
        organisation::unwrap_org_key(&x25519(0x62), &ct, &cert).err(),
        Some(Error::BadKey)
    );
}

#[test]
fn journal_epoch_and_time_go_forward() {
    let o = owner();
    let page = |entries: &[JournalEntry], epoch: u64| {
        let mut prev = Hash32::ZERO;
        let envs: Vec<Envelope> = entries
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.prev = prev;
                let env = sign(&e, &[&o.signing]).unwrap();
                prev = env.hash().unwrap();
                env
            })
            .collect();
        let mut c = ctx();
        c.epoch = epoch;
        let okey = o.public();
        verify_journal(&envs, None, &c, &|k, _| *k == okey)
    };
    let e = |seq, epoch, time| {
        let mut j = journal_entry(seq, Hash32::ZERO, &o.signing, "upload", time);
        j.epoch = epoch;
        j
    };
    assert!(page(&[e(0, 0, NOW), e(1, 1, NOW), e(2, 1, NOW + 1)], 1).is_ok());
    assert_eq!(
        page(&[e(0, 0, NOW), e(1, 1, NOW + 1)], 0).unwrap_err(),
        Error::ContextMismatch("journal epoch")
    );
    assert_eq!(
        page(&[e(0, 1, NOW), e(1, 0, NOW + 1)], 1).unwrap_err(),
        Error::ContextMismatch("journal epoch")
    );
    assert_eq!(
        page(&[e(0, 0, NOW + 5), e(1, 0, NOW + 4)], 0).unwrap_err(),
        Error::TimeReversed
    );
}

/// The real ciphertext, then zeros without end; counts what was read.
struct Endless<'a> {
    head: &'a [u8],
    read: u64,
}
impl std::io::Read for Endless<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // Far beyond any honest read: fail rather than loop for ever on a broken reader.
        if self.read > 64 << 20 {
            return Err(std::io::Error::other("read far too much"));
        }
        let n = if self.head.is_empty() {
            buf.fill(0);
            buf.len()
        } else {
            let n = self.head.len().min(buf.len());
            buf[..n].copy_from_slice(&self.head[..n]);
            self.head = &self.head[n..];
            n
        };
        self.read += n as u64;
        Ok(n)
    }
}

#[test]
fn paper_stream_reads_at_most_one_byte_more_than_signed() {
    let o = owner();
    let sealed = paper::seal_paper(
        &ctx(),
        &o.signing,
        None,
        &verified_cert(),
        id(0xa1),
        b"contenu",
        &Default::default(),
        NOW,
    )
    .unwrap();
    let ctx = ctx();
    let policy = paper::UploaderPolicy::owner(o.public());
    let k = ck();
    let certenv = cert_env();
    let inputs = paper::OpenInputs {
        ctx: &ctx,
        policy: &policy,
        cert: &certenv,
        ck: &k,
        paper: id(0xa1),
        deposit_receipt: None,
    };
    let mut endless = Endless {
        head: &sealed.content,
        read: 0,
    };
    assert_eq!(
        paper::open_paper_stream(&inputs, &sealed.statement, &mut endless, &sealed.meta)
            .unwrap_err(),
        Error::HashMismatch
    );
    assert!(
        endless.read <= sealed.content.len() as u64 + 1,
        "read {} bytes of a {}-byte paper",
        endless.read,
        sealed.content.len()
    );
}

#[test]
fn ed25519_points_outside_the_prime_order_subgroup() {
    let body = cert();
    // A key with a small-order component, signed so that even the cofactorless equation holds.
    let mixed = forge::mixed_order_key(&body);
    assert!(forge::cofactored_accepts(&mixed) && forge::verify_strict_accepts(&mixed));
    assert_eq!(
        Envelope::parse(mixed.envelope.as_bytes()).unwrap_err(),
        Error::BadKey
    );
    assert_eq!(
        PublicKey::from_b64(&coffre_crypto::encoding::b64(&mixed.key)).unwrap_err(),
        Error::BadKey
    );
    // A signature whose R has a small-order component: cofactored verifiers accept it.
    let torsion = forge::torsioned_r(&body);
    assert!(forge::cofactored_accepts(&torsion) && !forge::verify_strict_accepts(&torsion));
    let env = Envelope::parse(torsion.envelope.as_bytes()).unwrap();
    let key = PublicKey::from_b64(&coffre_crypto::encoding::b64(&torsion.key)).unwrap();
    assert_eq!(
        env.verify_by::<CategoryCert>(&key).unwrap_err(),
        Error::BadSignature
    );
    // The identity and small-order keys.
    let identity = coffre_crypto::encoding::b64(&{
        let mut b = [0u8; 32];
        b[0] = 1;
        b
    });
    assert_eq!(PublicKey::from_b64(&identity).unwrap_err(), Error::BadKey);
}
