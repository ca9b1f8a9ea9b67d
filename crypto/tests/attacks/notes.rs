//! Mandate notes (section 8.1): the host cannot move a note to another mandate, make one of
//! its own (it knows the owner's recipient, not the owner's signing key), or alter one.

use coffre_crypto::age_io::encrypt;
use coffre_crypto::encoding::Id;

use super::*;

fn sealed(body: &MandateNote, by: &ed25519_dalek::SigningKey) -> Vec<u8> {
    let o = owner();
    mandate::seal_mandate_note(&o.recipient, &signed(body, &[by])).unwrap()
}

fn open(file: &[u8], mandate: Id) -> Result<MandateNote, Error> {
    let o = owner();
    mandate::open_mandate_note(&o.identity, file, &o.public(), &ctx(), mandate)
}

#[test]
fn a_fine_note_opens_to_its_name() {
    let file = sealed(&mandate_note("Inès"), &owner().signing);
    assert!(file.len() <= mandate::NOTE_CAP);
    assert_eq!(open(&file, id(0x91)).unwrap().name, "Inès");
}

#[test]
fn a_note_moved_to_another_mandate_is_refused() {
    let file = sealed(&mandate_note("Inès"), &owner().signing);
    assert_eq!(
        open(&file, id(0x92)).unwrap_err(),
        Error::ContextMismatch("mandate")
    );
}

#[test]
fn a_note_of_another_coffre_is_refused() {
    let mut body = mandate_note("Inès");
    body.coffre = id(0x12);
    let file = sealed(&body, &owner().signing);
    assert_eq!(
        open(&file, id(0x91)).unwrap_err(),
        Error::ContextMismatch("coffre")
    );
}

#[test]
fn a_note_the_host_made_is_refused() {
    // The host knows the owner's recipient: a bare age file to it opens, the signature fails.
    let host = admin();
    let file = encrypt(
        std::slice::from_ref(&owner().recipient),
        &signed(&mandate_note("Karim"), &[&host]).to_bytes().unwrap(),
    )
    .unwrap();
    assert_eq!(
        open(&file, id(0x91)).unwrap_err(),
        Error::UnauthorisedSigner
    );
    // A bare name, no envelope: not a statement at all.
    let bare = encrypt(std::slice::from_ref(&owner().recipient), b"Karim").unwrap();
    assert!(matches!(
        open(&bare, id(0x91)).unwrap_err(),
        Error::Malformed(_) | Error::NonCanonical(_)
    ));
}

#[test]
fn a_tampered_note_is_refused() {
    let mut file = sealed(&mandate_note("Inès"), &owner().signing);
    let last = file.len() - 1;
    file[last] ^= 0x40;
    assert_eq!(open(&file, id(0x91)).unwrap_err(), Error::DecryptionFailed);
}

#[test]
fn a_note_with_the_signature_changed_is_refused() {
    let o = owner();
    let good = signed(&mandate_note("Inès"), &[&o.signing])
        .to_bytes()
        .unwrap();
    let mut bad = good.clone();
    let at = bad.len() - 20;
    bad[at] = if bad[at] == b'A' { b'B' } else { b'A' };
    let file = encrypt(std::slice::from_ref(&o.recipient), &bad).unwrap();
    assert_eq!(open(&file, id(0x91)).unwrap_err(), Error::BadSignature);
}

#[test]
fn names_are_capped_when_sealed_and_opened() {
    let o = owner();
    for name in ["", "In\u{1}ès", "In\u{7f}ès", &"é".repeat(91)] {
        let env = signed(&mandate_note(name), &[&o.signing]);
        assert!(matches!(
            mandate::seal_mandate_note(&o.recipient, &env).unwrap_err(),
            Error::Malformed(_)
        ));
        let file = encrypt(std::slice::from_ref(&o.recipient), &env.to_bytes().unwrap()).unwrap();
        assert!(matches!(
            open(&file, id(0x91)).unwrap_err(),
            Error::Malformed(_)
        ));
    }
    // The longest name and a long instance still fit the file cap.
    let mut body = mandate_note(&"\u{1f600}".repeat(45));
    body.instance = format!("https://{}.example:65535", "a".repeat(100));
    let env = signed(&body, &[&o.signing]);
    let file = mandate::seal_mandate_note(&o.recipient, &env).unwrap();
    assert!(file.len() <= mandate::NOTE_CAP, "{}", file.len());
}

#[test]
fn a_file_above_the_cap_is_refused_before_decryption() {
    let big = vec![0u8; mandate::NOTE_CAP + 1];
    assert!(matches!(
        open(&big, id(0x91)).unwrap_err(),
        Error::TooLarge { .. }
    ));
}
