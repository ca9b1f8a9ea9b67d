//! Thin, capped wrappers around the `age` crate (section 2.3 and 2.4).
//!
//! Every untrusted age file goes through [`check_header_cap`] (or [`CappedReader`]) before the
//! age parser sees it: the crate allocates without bound on hostile headers (rage#572).

use std::io::{self, Read, Write};

use age::secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::encoding::{AgeRecipient, Kinded, PAYLOAD_CAP, parse_canonical, to_canonical};
use crate::error::{Error, Result};

/// Largest age header accepted, up to and including the `---` line.
pub const HEADER_CAP: usize = 16 * 1024;

/// Check that the header of `file` ends (with its `---` line) within [`HEADER_CAP`] bytes.
pub fn check_header_cap(file: &[u8]) -> Result<()> {
    let window = &file[..file.len().min(HEADER_CAP)];
    header_end(window).map(|_| ()).ok_or(Error::HeaderTooLarge)
}

/// Offset just past the `---` line's newline, if it is in `window`.
fn header_end(window: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    for (i, b) in window.iter().enumerate() {
        if *b == b'\n' {
            if window[line_start..i].starts_with(b"---") {
                return Some(i + 1);
            }
            line_start = i + 1;
        }
    }
    None
}

/// What a holder without the key can check of an age file it keeps for someone else (the
/// server, for wraps and sealed labels): at most `cap` bytes (`TooLarge`), a header that
/// ends within [`HEADER_CAP`] (`HeaderTooLarge`) and that the age parser reads, with
/// X25519 recipient stanzas only — no passphrase (scrypt) stanza (`Malformed`).
pub fn check_recipient_file(file: &[u8], cap: usize) -> Result<()> {
    if file.len() > cap {
        return Err(Error::TooLarge {
            size: file.len(),
            cap,
        });
    }
    check_header_cap(file)?;
    let decryptor = age::Decryptor::new_buffered(file)
        .map_err(|_| Error::Malformed("not an age file".into()))?;
    if decryptor.is_scrypt() {
        return Err(Error::Malformed(
            "a passphrase stanza where a recipient was expected".into(),
        ));
    }
    Ok(())
}

/// A reader that has checked the header cap of the age file it reads.
#[derive(Debug)]
pub struct CappedReader<R> {
    inner: io::Chain<io::Cursor<Vec<u8>>, R>,
}

impl<R: Read> CappedReader<R> {
    /// Read up to [`HEADER_CAP`] bytes, check the header ends within them, then replay them.
    pub fn new(mut input: R) -> Result<Self> {
        let mut head = Vec::with_capacity(HEADER_CAP);
        (&mut input)
            .take(HEADER_CAP as u64)
            .read_to_end(&mut head)
            .map_err(|_| Error::DecryptionFailed)?;
        check_header_cap(&head)?;
        Ok(CappedReader {
            inner: io::Cursor::new(head).chain(input),
        })
    }
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

/// An age X25519 identity made from 32 secret bytes exactly as age does (section 2).
pub fn identity_from_bytes(bytes: &[u8; 32]) -> Result<age::x25519::Identity> {
    let s = Zeroizing::new(identity_string_from_bytes(bytes)?);
    s.parse().map_err(|_| Error::BadKey)
}

/// The `AGE-SECRET-KEY-1…` string of 32 secret bytes.
pub fn identity_string_from_bytes(bytes: &[u8; 32]) -> Result<String> {
    let hrp = bech32::Hrp::parse("age-secret-key-").map_err(|_| Error::BadKey)?;
    let s = bech32::encode::<bech32::Bech32>(hrp, bytes).map_err(|_| Error::BadKey)?;
    Ok(s.to_uppercase())
}

/// The 32 secret bytes of an identity string.
pub fn identity_bytes(identity: &age::x25519::Identity) -> Result<Zeroizing<[u8; 32]>> {
    let s = identity.to_string();
    let (_, data) = bech32::decode(s.expose_secret()).map_err(|_| Error::BadKey)?;
    let data = Zeroizing::new(data);
    let arr: [u8; 32] = data.as_slice().try_into().map_err(|_| Error::BadKey)?;
    Ok(Zeroizing::new(arr))
}

/// Parse an `AGE-SECRET-KEY-1…` identity.
pub fn parse_identity(s: &str) -> Result<age::x25519::Identity> {
    s.parse().map_err(|_| Error::BadKey)
}

/// The recipient of an identity.
pub fn recipient_of(identity: &age::x25519::Identity) -> AgeRecipient {
    AgeRecipient::from(&identity.to_public())
}

fn encryptor(recipients: &[AgeRecipient]) -> Result<age::Encryptor> {
    let parsed = recipients
        .iter()
        .map(|r| r.to_age())
        .collect::<Result<Vec<_>>>()?;
    if parsed.is_empty() {
        return Err(Error::BadKey);
    }
    age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|_| Error::Backend)
}

/// Encrypt a stream to one or more X25519 recipients (binary age, not armored).
pub fn encrypt_stream<R: Read, W: Write>(
    recipients: &[AgeRecipient],
    mut input: R,
    output: W,
) -> Result<W> {
    let mut w = encryptor(recipients)?
        .wrap_output(output)
        .map_err(|_| Error::Backend)?;
    let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(Error::Backend),
        };
        w.write_all(&buf[..n]).map_err(|_| Error::Backend)?;
    }
    w.finish().map_err(|_| Error::Backend)
}

/// Encrypt bytes held in memory into `output`.
pub fn encrypt_into<W: Write>(
    recipients: &[AgeRecipient],
    plaintext: &[u8],
    output: W,
) -> Result<W> {
    let mut w = encryptor(recipients)?
        .wrap_output(output)
        .map_err(|_| Error::Backend)?;
    w.write_all(plaintext).map_err(|_| Error::Backend)?;
    w.finish().map_err(|_| Error::Backend)
}

/// Encrypt bytes to one or more X25519 recipients.
pub fn encrypt(recipients: &[AgeRecipient], plaintext: &[u8]) -> Result<Vec<u8>> {
    encrypt_into(
        recipients,
        plaintext,
        Vec::with_capacity(plaintext.len() + 256),
    )
}

/// Decrypt a whole age file with one identity (header capped). The plaintext is returned only
/// after the last STREAM chunk authenticated.
pub fn decrypt(identity: &dyn age::Identity, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    check_header_cap(ciphertext)?;
    // The header cap is checked on the slice itself: the age parser reads it in place.
    let dec = age::Decryptor::new_buffered(ciphertext).map_err(|_| Error::DecryptionFailed)?;
    let mut r = dec
        .decrypt(std::iter::once(identity))
        .map_err(|_| Error::DecryptionFailed)?;
    // The plaintext is shorter than the ciphertext: one allocation, filled in place (and
    // wiped when dropped, on failure too).
    let mut out = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    r.read_to_end(&mut out)
        .map_err(|_| Error::DecryptionFailed)?;
    Ok(out)
}

/// Decrypt a capped stream into `out` (cleared on failure).
pub(crate) fn decrypt_into<R: Read>(
    identity: &dyn age::Identity,
    input: R,
    out: &mut Vec<u8>,
) -> Result<()> {
    let input = CappedReader::new(input)?;
    let dec = age::Decryptor::new(input).map_err(|_| Error::DecryptionFailed)?;
    let mut r = dec
        .decrypt(std::iter::once(identity))
        .map_err(|_| Error::DecryptionFailed)?;
    if r.read_to_end(out).is_err() {
        zeroize::Zeroize::zeroize(out);
        out.clear();
        return Err(Error::DecryptionFailed);
    }
    Ok(())
}

/// Encrypt a canonical JSON payload (section 2.3).
pub fn encrypt_payload<T: Kinded>(recipients: &[AgeRecipient], payload: &T) -> Result<Vec<u8>> {
    let bytes = Zeroizing::new(to_canonical(payload)?);
    encrypt(recipients, &bytes)
}

/// Decrypt and check a canonical JSON payload of the expected kind (size-capped).
pub fn decrypt_payload<T: Kinded>(identity: &dyn age::Identity, ciphertext: &[u8]) -> Result<T> {
    if ciphertext.len() > PAYLOAD_CAP {
        return Err(Error::TooLarge {
            size: ciphertext.len(),
            cap: PAYLOAD_CAP,
        });
    }
    let plain = decrypt(identity, ciphertext)?;
    parse_canonical(&plain, PAYLOAD_CAP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_cap() {
        assert!(check_header_cap(b"age-encryption.org/v1\n--- abc\nxx").is_ok());
        assert_eq!(
            check_header_cap(b"age-encryption.org/v1\n"),
            Err(Error::HeaderTooLarge)
        );
        let mut big = b"age-encryption.org/v1\n-> X25519 ".to_vec();
        big.extend(std::iter::repeat_n(b'A', HEADER_CAP));
        big.extend(b"\n--- x\n");
        assert_eq!(check_header_cap(&big), Err(Error::HeaderTooLarge));
    }

    #[test]
    fn recipient_file_checks() {
        let id = identity_from_bytes(&[7; 32]).unwrap();
        let file = encrypt(&[recipient_of(&id)], b"hello").unwrap();
        assert_eq!(check_recipient_file(&file, 1024), Ok(()));
        assert!(matches!(
            check_recipient_file(&file, file.len() - 1),
            Err(Error::TooLarge { .. })
        ));
        assert!(matches!(
            check_recipient_file(b"not age at all\n--- x\n", 1024),
            Err(Error::Malformed(_))
        ));
        let pass = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(
            "six mots".to_owned(),
        ));
        let mut scrypt_file = Vec::new();
        let mut w = pass.wrap_output(&mut scrypt_file).unwrap();
        w.write_all(b"x").unwrap();
        w.finish().unwrap();
        assert!(matches!(
            check_recipient_file(&scrypt_file, 4096),
            Err(Error::Malformed(_))
        ));
    }

    #[test]
    fn identity_bytes_round_trip() {
        let id = identity_from_bytes(&[9; 32]).unwrap();
        assert_eq!(*identity_bytes(&id).unwrap(), [9; 32]);
    }
}
