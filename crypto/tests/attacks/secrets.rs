//! Secrets never reach a log: every secret-bearing public type formats with `{:?}` and
//! `{:#?}` without key material, passphrases, titles or file names.

use super::*;
use coffre_crypto::encoding::b64;
use coffre_crypto::keys::OwnerSeed;
use coffre_crypto::secret::{SecretBytes32, SecretIdentity};
use coffre_crypto::share::ShareSecret;
use coffre_crypto::unlock::{self, Carte, Passphrase};

const TITLE: &str = "Avis d'imposition confidentiel";
const FILENAME: &str = "avis-impot-2025.pdf";
const LABEL: &str = "Santé mentale";
const PHRASE: &str = "abri bateau douze lune ruisseau pars";

fn assert_clean(what: &str, text: &str, forbidden: &[String]) {
    for f in forbidden {
        assert!(!text.contains(f.as_str()), "{what} leaks {f:?} in {text}");
    }
}

#[test]
fn debug_output_carries_no_secret() {
    let seed_bytes = [0x01u8; 32];
    let o = owner();
    let ck_str = coffre_crypto::age_io::identity_string_from_bytes(&[0x31; 32]).unwrap();
    let share = ShareSecret(zeroize::Zeroizing::new([0x5e; 32]));
    let mut forbidden = vec![
        b64(&seed_bytes),
        format!("{:?}", seed_bytes),
        "AGE-SECRET-KEY".to_string(),
        "age-secret-key".to_string(),
        ck_str.clone(),
        TITLE.to_string(),
        FILENAME.to_string(),
        LABEL.to_string(),
        PHRASE.to_string(),
        "ruisseau".to_string(),
        share.to_fragment(),
        format!("{:?}", [0x5eu8; 32]),
        b64(&o.signing.to_bytes()),
        format!("{:?}", o.signing.to_bytes()),
    ];
    forbidden.sort();
    forbidden.dedup();

    let payload = unlock::seed_payload(coffre(), 0, &seed_bytes);
    let ckp = category::category_key_payload(coffre(), category(), 0, &ck()).unwrap();
    let okp: OrgKeyWrapPayload = {
        let wrap = organisation::wrap_org_key(&[rcpt(0x62)], organisation(), 0, &ck()).unwrap();
        let plain = coffre_crypto::age_io::decrypt(&x25519(0x62), &wrap).unwrap();
        coffre_crypto::encoding::parse_canonical(&plain, 1 << 18).unwrap()
    };
    let meta = paper::MetaFields {
        doc_type: "impots".into(),
        filename: FILENAME.into(),
        mime: "application/pdf".into(),
        pages: 2,
        title: TITLE.into(),
        ..Default::default()
    };
    let sealed = paper::seal_paper(
        &ctx(),
        &o.signing,
        None,
        &verified_cert(),
        id(0xa1),
        b"secret content bytes",
        &meta,
        NOW,
    )
    .unwrap();
    let policy = paper::UploaderPolicy::owner(o.public());
    let c = ctx();
    let k = ck();
    let certenv = cert_env();
    let inputs = paper::OpenInputs {
        ctx: &c,
        policy: &policy,
        cert: &certenv,
        ck: &k,
        paper: id(0xa1),
        deposit_receipt: None,
    };
    let opened =
        paper::open_paper(&inputs, &sealed.statement, &sealed.content, &sealed.meta).unwrap();
    let label = CategoryLabel {
        category: category(),
        coffre: coffre(),
        created: NOW,
        epoch: 0,
        icon: "coeur".into(),
        instance: INSTANCE.into(),
        kind: Default::default(),
        name: LABEL.into(),
        v: Default::default(),
    };
    let label_env = signed(&label, &[&o.signing]);
    let verified_label = label_env.verify_by::<CategoryLabel>(&o.public()).unwrap();
    let carte = Carte {
        identity: x25519(0x0c),
    };
    forbidden.push(coffre_crypto::age_io::identity_string_from_bytes(&[0x0c; 32]).unwrap());

    let items: Vec<(&str, Box<dyn std::fmt::Debug>)> = vec![
        (
            "OwnerSeed",
            Box::new(OwnerSeed(zeroize::Zeroizing::new(seed_bytes))),
        ),
        ("OwnerKeys", Box::new(o)),
        ("OwnerSeedPayload", Box::new(payload.clone())),
        ("SecretBytes32", Box::new(SecretBytes32::new(seed_bytes))),
        (
            "SecretIdentity",
            Box::new(SecretIdentity::parse(&ck_str).unwrap()),
        ),
        ("CategoryKeyPayload", Box::new(ckp)),
        ("OrgKeyWrapPayload", Box::new(okp)),
        ("MetaFields", Box::new(meta)),
        ("PaperMeta", Box::new(opened.meta.clone())),
        ("OpenedPaper", Box::new(opened)),
        ("CategoryLabel", Box::new(label)),
        ("Verified<CategoryLabel>", Box::new(verified_label)),
        ("ShareSecret", Box::new(share)),
        ("Carte", Box::new(carte)),
        ("Passphrase", Box::new(Passphrase::parse(PHRASE).unwrap())),
        ("Passphrase::generate", Box::new(Passphrase::generate())),
    ];
    for (what, item) in &items {
        assert_clean(what, &format!("{item:?}"), &forbidden);
        assert_clean(what, &format!("{item:#?}"), &forbidden);
    }
    // The wire encoding is unchanged: the seed is still b64 in the payload's canonical JSON.
    let wire = String::from_utf8(coffre_crypto::encoding::to_canonical(&payload).unwrap()).unwrap();
    assert!(wire.contains(&b64(&seed_bytes)));
}
