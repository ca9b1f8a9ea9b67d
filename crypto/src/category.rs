//! Categories (section 5): certificates, category-key wraps and label files.

use crate::Context;
use crate::age_io::{decrypt, decrypt_payload, encrypt, encrypt_payload, recipient_of};
use crate::encoding::{AgeRecipient, Id, PAYLOAD_CAP, PublicKey};
use crate::error::{Error, Result};
use crate::kinds::{CategoryCert, CategoryKeyPayload, CategoryLabel};
use crate::secret::SecretIdentity;
use crate::statement::{Envelope, Verified};

/// Verify a category certificate: owner signature, context, and that `at` is in its window.
pub fn verify_cert(
    env: &Envelope,
    owner: &PublicKey,
    ctx: &Context,
    at: u64,
) -> Result<Verified<CategoryCert>> {
    let v = env.verify_by::<CategoryCert>(owner)?;
    let b = v.body();
    ctx.check(&b.instance, Some(&b.coffre), Some(b.epoch))?;
    check_cert_window(b, at)?;
    Ok(v)
}

/// Is `at` inside the certificate's window (inclusive)? A window with `not_before >
/// not_after` contains nothing (`OutsideValidity`).
pub fn check_cert_window(cert: &CategoryCert, at: u64) -> Result<()> {
    if (cert.not_before..=cert.not_after).contains(&at) {
        Ok(())
    } else {
        Err(Error::OutsideValidity)
    }
}

/// Wrap a category key to one or more recipients.
pub fn wrap_category_key(
    recipients: &[AgeRecipient],
    payload: &CategoryKeyPayload,
) -> Result<Vec<u8>> {
    encrypt_payload(recipients, payload)
}

/// The payload for CK[c, g].
pub fn category_key_payload(
    coffre: Id,
    category: Id,
    generation: u64,
    ck: &age::x25519::Identity,
) -> Result<CategoryKeyPayload> {
    Ok(CategoryKeyPayload {
        category,
        coffre,
        generation,
        identity: SecretIdentity::from_identity(ck)?,
        kind: Default::default(),
        v: Default::default(),
    })
}

/// Unwrap a category key and check it against the verified certificate
/// (`RecipientMismatch` when the host swapped the recipient, category or generation).
pub fn unwrap_category_key(
    identity: &dyn age::Identity,
    ciphertext: &[u8],
    cert: &CategoryCert,
) -> Result<age::x25519::Identity> {
    let payload: CategoryKeyPayload = decrypt_payload(identity, ciphertext)?;
    let ck = payload.identity.to_identity()?;
    if recipient_of(&ck) != cert.recipient
        || payload.category != cert.category
        || payload.generation != cert.generation
        || payload.coffre != cert.coffre
    {
        return Err(Error::RecipientMismatch);
    }
    Ok(ck)
}

/// Check that a depositor encrypts to the certified recipient (`RecipientMismatch`).
pub fn check_recipient(cert: &CategoryCert, recipient: &AgeRecipient) -> Result<()> {
    if &cert.recipient == recipient {
        Ok(())
    } else {
        Err(Error::RecipientMismatch)
    }
}

/// Encrypt a signed label envelope to the owner and allowed grantees.
pub fn seal_label(recipients: &[AgeRecipient], label: &Envelope) -> Result<Vec<u8>> {
    encrypt(recipients, &label.to_bytes()?)
}

/// Decrypt and verify a label file (file capped at 256 KiB, then its envelope at 64 KiB,
/// both `TooLarge`).
pub fn open_label(
    identity: &dyn age::Identity,
    ciphertext: &[u8],
    owner: &PublicKey,
    ctx: &Context,
) -> Result<CategoryLabel> {
    // Section 2.4: the label file is an encrypted payload (256 KiB), its plaintext a signed
    // envelope (64 KiB, checked by `Envelope::parse`).
    if ciphertext.len() > PAYLOAD_CAP {
        return Err(Error::TooLarge {
            size: ciphertext.len(),
            cap: PAYLOAD_CAP,
        });
    }
    let plain = decrypt(identity, ciphertext)?;
    let env = Envelope::parse(&plain)?;
    let v = env.verify_by::<CategoryLabel>(owner)?.into_body();
    ctx.check(&v.instance, Some(&v.coffre), Some(v.epoch))?;
    Ok(v)
}
