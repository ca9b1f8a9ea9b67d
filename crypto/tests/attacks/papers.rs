//! Papers: swapped recipients, certificate windows, forged or replayed upload statements,
//! deposits outside a mandate, papers dropped without a deletion, other instance or epoch.

use super::*;

struct Sealed {
    cert: Envelope,
    paper: paper::SealedPaper,
}

fn sealed() -> Sealed {
    let o = owner();
    let cert = signed(&cert(), &[&o.signing]);
    let meta = paper::MetaFields {
        doc_type: "cni".into(),
        filename: "cni.jpg".into(),
        mime: "image/jpeg".into(),
        pages: 1,
        title: "Carte d'identité".into(),
        ..Default::default()
    };
    let p = paper::seal_paper(
        &ctx(),
        &o.signing,
        None,
        &verified_cert(),
        id(0xa1),
        b"JPEG bytes",
        &meta,
        NOW,
    )
    .unwrap();
    Sealed { cert, paper: p }
}

fn open(
    s: &Sealed,
    statement: &Envelope,
    cert: &Envelope,
    paper_id: coffre_crypto::encoding::Id,
    content: &[u8],
) -> Result<paper::OpenedPaper, Error> {
    let ctx = ctx();
    let policy = paper::UploaderPolicy::owner(owner().public());
    let k = ck();
    let inputs = paper::OpenInputs {
        ctx: &ctx,
        policy: &policy,
        cert,
        ck: &k,
        paper: paper_id,
        deposit_receipt: None,
    };
    paper::open_paper(&inputs, statement, content, &s.paper.meta)
}

#[test]
fn honest_paper_opens() {
    let s = sealed();
    let p = open(&s, &s.paper.statement, &s.cert, id(0xa1), &s.paper.content).unwrap();
    assert_eq!(&p.content[..], b"JPEG bytes");
    assert_eq!(p.meta.title, "Carte d'identité");
}

#[test]
fn swapped_category_recipient() {
    // The host serves a wrap of its own key for the category: the recipient differs from the cert.
    let o = owner();
    let evil = x25519(0xee);
    let payload = category::category_key_payload(coffre(), category(), 0, &evil).unwrap();
    let ct = category::wrap_category_key(std::slice::from_ref(&o.recipient), &payload).unwrap();
    assert_eq!(
        category::unwrap_category_key(&o.identity, &ct, &cert())
            .err()
            .unwrap(),
        Error::RecipientMismatch
    );
    // And a depositor handed a swapped recipient refuses to encrypt to it.
    assert_eq!(
        category::check_recipient(&cert(), &recipient_of(&evil)).unwrap_err(),
        Error::RecipientMismatch
    );
    // And a reader handed the wrong CK for a paper.
    let s = sealed();
    let ctx = ctx();
    let policy = paper::UploaderPolicy::owner(o.public());
    let inputs = paper::OpenInputs {
        ctx: &ctx,
        policy: &policy,
        cert: &s.cert,
        ck: &evil,
        paper: id(0xa1),
        deposit_receipt: None,
    };
    assert_eq!(
        paper::open_paper(&inputs, &s.paper.statement, &s.paper.content, &s.paper.meta)
            .unwrap_err(),
        Error::RecipientMismatch
    );
}

#[test]
fn certificate_outside_validity_window() {
    let s = sealed();
    let o = owner();
    let old = signed(&cert_body(NOW - 60 * DAY, NOW - 30 * DAY), &[&o.signing]);
    assert_eq!(
        open(&s, &s.paper.statement, &old, id(0xa1), &s.paper.content).unwrap_err(),
        Error::OutsideValidity
    );
    // A depositor cannot seal with an expired certificate either: it does not verify now,
    // and a verified one does not seal outside its window.
    assert_eq!(
        category::verify_cert(&old, &o.public(), &ctx(), NOW).unwrap_err(),
        Error::OutsideValidity
    );
    let r = paper::seal_paper(
        &ctx(),
        &o.signing,
        None,
        &verified_cert_of(&cert_body(NOW - 60 * DAY, NOW - 30 * DAY), NOW - 40 * DAY),
        id(0xa2),
        b"x",
        &Default::default(),
        NOW,
    );
    assert_eq!(r.unwrap_err(), Error::OutsideValidity);
}

#[test]
fn forged_upload_statement() {
    let s = sealed();
    let evil = admin();
    let mut body = s.paper.statement.peek::<Upload>().unwrap();
    body.uploader = public_key(&evil);
    assert_eq!(
        open(
            &s,
            &signed(&body, &[&evil]),
            &s.cert,
            id(0xa1),
            &s.paper.content
        )
        .unwrap_err(),
        Error::UnauthorisedSigner
    );
    // The owner named as uploader, but signed by someone else.
    let body = s.paper.statement.peek::<Upload>().unwrap();
    assert_eq!(
        open(
            &s,
            &signed(&body, &[&evil]),
            &s.cert,
            id(0xa1),
            &s.paper.content
        )
        .unwrap_err(),
        Error::UnauthorisedSigner
    );
    let bad = sig_flipped(&s.paper.statement, 10, 4);
    assert_eq!(
        open(&s, &bad, &s.cert, id(0xa1), &s.paper.content).unwrap_err(),
        Error::BadSignature
    );
}

#[test]
fn replayed_upload_statement() {
    let s = sealed();
    assert_eq!(
        open(&s, &s.paper.statement, &s.cert, id(0xa2), &s.paper.content).unwrap_err(),
        Error::PaperIdMismatch
    );
    // Another paper's content under this statement.
    let other = paper::seal_paper(
        &ctx(),
        &owner().signing,
        None,
        &verified_cert(),
        id(0xa2),
        b"other",
        &Default::default(),
        NOW,
    )
    .unwrap();
    assert_eq!(
        open(&s, &s.paper.statement, &s.cert, id(0xa1), &other.content).unwrap_err(),
        Error::HashMismatch
    );
}

#[test]
fn paper_deleted_without_owner_deletion() {
    let o = owner();
    let c = ctx();
    let known = [(id(0xa1), Hash32::of(b"1")), (id(0xa2), Hash32::of(b"2"))];
    assert_eq!(
        paper::check_listing(&known, &[id(0xa1)], &[]).unwrap_err(),
        Error::PaperMissing
    );
    // A deletion signed by the host does not count.
    let forged = paper::sign_deletion(&c, &admin(), id(0xa2), Hash32::of(b"2"), NOW).unwrap();
    assert_eq!(
        paper::verify_deletion(&forged, &o.public(), &c).unwrap_err(),
        Error::UnauthorisedSigner
    );
    // A deletion of another content does not count.
    let other = paper::sign_deletion(&c, &o.signing, id(0xa2), Hash32::of(b"other"), NOW).unwrap();
    let d = paper::verify_deletion(&other, &o.public(), &c).unwrap();
    assert_eq!(
        paper::check_listing(&known, &[id(0xa1)], &[d]).unwrap_err(),
        Error::PaperMissing
    );
    let good = paper::sign_deletion(&c, &o.signing, id(0xa2), Hash32::of(b"2"), NOW).unwrap();
    let d = paper::verify_deletion(&good, &o.public(), &c).unwrap();
    paper::check_listing(&known, &[id(0xa1)], &[d]).unwrap();
}

#[test]
fn statement_for_another_instance_or_epoch() {
    let s = sealed();
    let o = owner();
    let mut body = s.paper.statement.peek::<Upload>().unwrap();
    body.epoch = 1;
    assert_eq!(
        open(
            &s,
            &signed(&body, &[&o.signing]),
            &s.cert,
            id(0xa1),
            &s.paper.content
        )
        .unwrap_err(),
        Error::ContextMismatch("epoch")
    );
    let mut body = s.paper.statement.peek::<Upload>().unwrap();
    body.instance = "https://autre.example".into();
    assert_eq!(
        open(
            &s,
            &signed(&body, &[&o.signing]),
            &s.cert,
            id(0xa1),
            &s.paper.content
        )
        .unwrap_err(),
        Error::ContextMismatch("instance")
    );
}

/// Contents on both sides of the size above which `open_paper` hashes the ciphertext on a
/// second thread while it decrypts (256 KiB), so both paths face every attack.
const SIZES: [usize; 4] = [10, (256 << 10) - 1, 256 << 10, 3 << 20];

fn content_of(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i % 251) as u8).collect()
}

fn seal_sized(size: usize, paper_id: coffre_crypto::encoding::Id) -> Sealed {
    let o = owner();
    let p = paper::seal_paper(
        &ctx(),
        &o.signing,
        None,
        &verified_cert(),
        paper_id,
        &content_of(size),
        &Default::default(),
        NOW,
    )
    .unwrap();
    Sealed {
        cert: signed(&cert(), &[&o.signing]),
        paper: p,
    }
}

/// The owner signs an upload of `content` with `meta` as its metadata plaintext: an uploader
/// whose files disagree with each other, or whose content does not decrypt.
fn signed_by_uploader(content: &[u8], meta: &PaperMeta) -> (Envelope, Vec<u8>) {
    let o = owner();
    let meta_ct = coffre_crypto::age_io::encrypt_payload(&[recipient_of(&ck())], meta).unwrap();
    let body = Upload {
        category: category(),
        coffre: coffre(),
        content_sha256: Hash32::of(content),
        content_size: content.len() as u64,
        created: NOW,
        epoch: 0,
        generation: 0,
        instance: INSTANCE.into(),
        kind: Default::default(),
        mandate: None,
        meta_sha256: Hash32::of(&meta_ct),
        paper: id(0xa1),
        uploader: o.public(),
        v: Default::default(),
    };
    (signed(&body, &[&o.signing]), meta_ct)
}

fn open_files(
    statement: &Envelope,
    content: &[u8],
    meta_ct: &[u8],
) -> Result<paper::OpenedPaper, Error> {
    let ctx = ctx();
    let policy = paper::UploaderPolicy::owner(owner().public());
    let k = ck();
    let cert = signed(&cert(), &[&owner().signing]);
    let inputs = paper::OpenInputs {
        ctx: &ctx,
        policy: &policy,
        cert: &cert,
        ck: &k,
        paper: id(0xa1),
        deposit_receipt: None,
    };
    paper::open_paper(&inputs, statement, content, meta_ct)
}

#[test]
fn every_size_round_trips_in_memory_and_streamed() {
    for size in SIZES {
        let s = seal_sized(size, id(0xa1));
        let p = open(&s, &s.paper.statement, &s.cert, id(0xa1), &s.paper.content).unwrap();
        assert_eq!(&p.content[..], &content_of(size)[..], "{size}");
        assert_eq!(p.meta.sha256, Hash32::of(&content_of(size)), "{size}");
        assert_eq!(p.meta.size, size as u64);
        let up = s.paper.statement.peek::<Upload>().unwrap();
        assert_eq!(up.content_sha256, Hash32::of(&s.paper.content));
        assert_eq!(up.content_size, s.paper.content.len() as u64);
        let ctx = ctx();
        let policy = paper::UploaderPolicy::owner(owner().public());
        let k = ck();
        let inputs = paper::OpenInputs {
            ctx: &ctx,
            policy: &policy,
            cert: &s.cert,
            ck: &k,
            paper: id(0xa1),
            deposit_receipt: None,
        };
        let streamed = paper::open_paper_stream(
            &inputs,
            &s.paper.statement,
            &s.paper.content[..],
            &s.paper.meta,
        )
        .unwrap();
        assert_eq!(streamed.content, p.content);
    }
}

#[test]
fn tampered_or_swapped_ciphertext_is_refused_at_every_size() {
    for size in SIZES {
        let s = seal_sized(size, id(0xa1));
        let n = s.paper.content.len();
        // A flipped bit in the header, in the middle of the payload, in the last tag.
        for at in [30, n / 2, n - 1] {
            let mut bad = s.paper.content.clone();
            bad[at] ^= 0x20;
            assert_eq!(
                open(&s, &s.paper.statement, &s.cert, id(0xa1), &bad).unwrap_err(),
                Error::HashMismatch,
                "size {size}, byte {at}"
            );
        }
        // Another paper's content of the same size under this statement.
        let other = seal_sized(size, id(0xa2));
        assert_eq!(
            open(
                &s,
                &s.paper.statement,
                &s.cert,
                id(0xa1),
                &other.paper.content
            )
            .unwrap_err(),
            Error::HashMismatch,
            "size {size}"
        );
        // The metadata file is checked before the content: over its cap is `TooLarge`.
        let huge = vec![0u8; 256 * 1024 + 1];
        assert!(matches!(
            open_files(&s.paper.statement, &other.paper.content, &huge),
            Err(Error::TooLarge { .. })
        ));
    }
}

#[test]
fn a_signed_ciphertext_that_does_not_decrypt_releases_nothing() {
    // The uploader signs the hash of a cut age file (its last chunk missing): the hashes
    // match, age refuses it, and no plaintext comes out.
    for size in SIZES {
        let s = seal_sized(size, id(0xa1));
        let cut = &s.paper.content[..s.paper.content.len() - 20];
        let meta =
            coffre_crypto::age_io::decrypt_payload::<PaperMeta>(&ck(), &s.paper.meta).unwrap();
        let (st, meta_ct) = signed_by_uploader(cut, &meta);
        assert_eq!(
            open_files(&st, cut, &meta_ct).unwrap_err(),
            Error::DecryptionFailed,
            "size {size}"
        );
    }
}

#[test]
fn the_metadata_digest_is_not_checked_on_open_but_the_size_is() {
    // Decision (protocol section 6): opening does not hash the plaintext again. An uploader
    // whose metadata names another plaintext digest is opened as signed; a wrong size,
    // checked for free, is still refused.
    let s = seal_sized(10, id(0xa1));
    let mut meta =
        coffre_crypto::age_io::decrypt_payload::<PaperMeta>(&ck(), &s.paper.meta).unwrap();
    meta.sha256 = Hash32::of(b"another plaintext");
    let (st, meta_ct) = signed_by_uploader(&s.paper.content, &meta);
    let p = open_files(&st, &s.paper.content, &meta_ct).unwrap();
    assert_eq!(&p.content[..], &content_of(10)[..]);
    meta.size += 1;
    let (st, meta_ct) = signed_by_uploader(&s.paper.content, &meta);
    assert_eq!(
        open_files(&st, &s.paper.content, &meta_ct).unwrap_err(),
        Error::HashMismatch
    );
}

#[test]
fn a_newer_version_names_the_paper_it_replaces() {
    let o = owner();
    let meta = paper::MetaFields {
        doc_type: "titre_sejour".into(),
        filename: "titre.jpg".into(),
        mime: "image/jpeg".into(),
        pages: 2,
        replaces: Some(id(0xa0)),
        title: "Titre de séjour (renouvelé)".into(),
        ..Default::default()
    };
    let seal = |paper_id, meta: &paper::MetaFields| {
        paper::seal_paper(
            &ctx(),
            &o.signing,
            None,
            &verified_cert(),
            paper_id,
            b"JPEG",
            meta,
            NOW,
        )
    };
    let p = seal(id(0xa1), &meta).unwrap();
    let s = Sealed {
        cert: signed(&cert(), &[&o.signing]),
        paper: p,
    };
    let opened = open(&s, &s.paper.statement, &s.cert, id(0xa1), &s.paper.content).unwrap();
    assert_eq!(opened.meta.replaces, Some(id(0xa0)));
    // The host sees neither: the upload statement has no such field, the metadata is sealed.
    let up = s.paper.statement.to_bytes().unwrap();
    assert!(!String::from_utf8_lossy(&up).contains("replaces"));
    // A paper does not replace itself: refused when sealing, and when opening one an uploader
    // signed anyway.
    assert!(matches!(seal(id(0xa0), &meta), Err(Error::Malformed(_))));
    let mut itself = opened.meta.clone();
    itself.replaces = Some(id(0xa1));
    let (st, meta_ct) = signed_by_uploader(&s.paper.content, &itself);
    assert!(matches!(
        open_files(&st, &s.paper.content, &meta_ct),
        Err(Error::Malformed(_))
    ));
}
