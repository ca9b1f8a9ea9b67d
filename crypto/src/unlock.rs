//! Unlock factors and auth keys (section 4).

use age::secrecy::SecretString;
use ed25519_dalek::{Signer as _, SigningKey};
use rand::Rng as _;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::age_io::{
    check_header_cap, decrypt_payload, encrypt_payload, identity_bytes, identity_from_bytes,
    recipient_of,
};
use crate::encoding::{AgeRecipient, PAYLOAD_CAP, PublicKey, b64, kind_tag, sha256, to_canonical};
use crate::error::{Error, Result};
use crate::keys::{
    RETIRED_WORDS_TEXT, WORDLIST_TEXT, hkdf32, public_key, signing_key_from, wordlist,
};
use crate::kinds::OwnerSeedPayload;
use crate::secret::SecretBytes32;

/// scrypt work factor (log2 N) used when wrapping the seed with a passphrase. One constant:
/// the browser measure may change it (see `BENCHMARKS.md`).
pub const PASSPHRASE_SCRYPT_LOG_N: u8 = 15;
/// Highest work factor accepted when unwrapping: what we write plus two steps of margin for a
/// future raise. The stanza's factor is read before scrypt runs; outside
/// `PASSPHRASE_SCRYPT_LOG_N ..= PASSPHRASE_SCRYPT_MAX_LOG_N` the file is `TooLarge`.
pub const PASSPHRASE_SCRYPT_MAX_LOG_N: u8 = 17;
/// Number of words of a generated passphrase.
pub const PASSPHRASE_WORDS: usize = 6;

/// `SHA-256("coffre/v1/passkey/prf-salt")`, the app-wide PRF salt.
pub fn prf_salt() -> [u8; 32] {
    sha256(b"coffre/v1/passkey/prf-salt")
}

/// The passkey wrap identity from a PRF output and the credential id.
pub fn passkey_identity(
    prf_output: &[u8; 32],
    credential_id: &[u8],
) -> Result<age::x25519::Identity> {
    let mut info = b"coffre/v1/passkey/x25519\n".to_vec();
    info.extend_from_slice(credential_id);
    let bytes = hkdf32(prf_output, b"", &info)?;
    identity_from_bytes(&bytes)
}

/// The remembered-device wrap identity (protocol.md 4.5): HKDF over the device's half and
/// the server's half, so neither alone opens the wrap the device keeps.
pub fn remembered_identity(
    device_half: &[u8; 32],
    server_half: &[u8; 32],
) -> Result<age::x25519::Identity> {
    let mut ikm = Zeroizing::new([0u8; 64]);
    ikm[..32].copy_from_slice(device_half);
    ikm[32..].copy_from_slice(server_half);
    let bytes = hkdf32(ikm.as_ref(), b"", b"coffre/v1/device/x25519")?;
    identity_from_bytes(&bytes)
}

/// Wrap the seed payload to one X25519 recipient (passkey, carte or remembered device).
pub fn wrap_seed(recipient: &AgeRecipient, payload: &OwnerSeedPayload) -> Result<Vec<u8>> {
    encrypt_payload(std::slice::from_ref(recipient), payload)
}

/// Unwrap a seed payload with an X25519 identity.
pub fn unwrap_seed(
    identity: &age::x25519::Identity,
    ciphertext: &[u8],
) -> Result<OwnerSeedPayload> {
    decrypt_payload(identity, ciphertext)
}

/// A carte Coffre: a random age identity and the auth key derived from it.
pub struct Carte {
    /// The printed identity.
    pub identity: age::x25519::Identity,
}

impl std::fmt::Debug for Carte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Carte")
            .field("recipient", &self.recipient())
            .finish_non_exhaustive()
    }
}

impl Carte {
    /// A fresh carte.
    pub fn generate() -> Self {
        Carte {
            identity: age::x25519::Identity::generate(),
        }
    }
    /// Its recipient (the seed is wrapped to it).
    pub fn recipient(&self) -> AgeRecipient {
        recipient_of(&self.identity)
    }
    /// `HKDF(ikm = identity bytes, info = "coffre/v1/auth/carte")` as an Ed25519 key.
    pub fn auth_key(&self) -> Result<SigningKey> {
        let bytes = identity_bytes(&self.identity)?;
        let seed = hkdf32(bytes.as_ref(), b"", b"coffre/v1/auth/carte")?;
        Ok(signing_key_from(&seed))
    }
}

/// A generated passphrase, normalised and checked: six words of the list (section 4.3).
/// Its auth key is only as strong as a generated passphrase, so the API takes nothing else.
/// Wiped on drop; `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Passphrase(String);

impl Passphrase {
    /// Normalise typed input and check it is six words of the list or of the retired words
    /// (`Malformed` otherwise).
    ///
    /// ```
    /// use coffre_crypto::unlock::Passphrase;
    /// let p = Passphrase::parse("  Abri--Bateau douze\tlune  ruisseau pars ").unwrap();
    /// assert_eq!(p.expose(), "abri bateau douze lune ruisseau pars");
    /// assert!(Passphrase::parse("abri bateau").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self> {
        let norm = Zeroizing::new(normalise_passphrase(input));
        let words: Vec<&str> = norm.split(' ').collect();
        // A retired word still counts: a passphrase drawn from an earlier list must unlock.
        let known = |w: &&str| {
            WORDLIST_TEXT.lines().any(|l| l == *w)
                || RETIRED_WORDS_TEXT
                    .lines()
                    .any(|l| l == *w && !l.starts_with('#'))
        };
        if words.len() != PASSPHRASE_WORDS || !words.iter().all(known) {
            return Err(Error::Malformed(
                "passphrase is not six words of the list".into(),
            ));
        }
        Ok(Passphrase(norm.to_string()))
    }

    /// Six words drawn uniformly from the list, joined by single spaces.
    pub fn generate() -> Self {
        let list = wordlist();
        let mut rng = rand::rngs::OsRng;
        let words: Vec<&str> = (0..PASSPHRASE_WORDS)
            .map(|_| list[rng.gen_range(0..list.len())])
            .collect();
        Passphrase(words.join(" "))
    }

    /// The normalised passphrase (the scrypt passphrase and the auth-key input).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// Normalise typed input: lowercase, runs of spaces/hyphens/tabs become one space, trimmed.
///
/// ```
/// assert_eq!(coffre_crypto::unlock::normalise_passphrase("  Abri--Bateau \t café "), "abri bateau café");
/// ```
pub fn normalise_passphrase(input: &str) -> String {
    let lower = input.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut in_sep = false;
    for c in lower.chars() {
        if c == ' ' || c == '-' || c == '\t' {
            in_sep = true;
        } else {
            if in_sep && !out.is_empty() {
                out.push(' ');
            }
            in_sep = false;
            out.push(c);
        }
    }
    out
}

/// Wrap the seed payload with age's scrypt recipient at [`PASSPHRASE_SCRYPT_LOG_N`].
pub fn wrap_seed_passphrase(
    passphrase: &Passphrase,
    payload: &OwnerSeedPayload,
) -> Result<Vec<u8>> {
    wrap_seed_passphrase_with(passphrase, payload, PASSPHRASE_SCRYPT_LOG_N)
}

/// Like [`wrap_seed_passphrase`] with an explicit work factor (tests and vectors).
pub fn wrap_seed_passphrase_with(
    passphrase: &Passphrase,
    payload: &OwnerSeedPayload,
    log_n: u8,
) -> Result<Vec<u8>> {
    let mut r = age::scrypt::Recipient::new(SecretString::from(passphrase.expose().to_owned()));
    r.set_work_factor(log_n);
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        .map_err(|_| Error::Backend)?;
    let plain = Zeroizing::new(to_canonical(payload)?);
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).map_err(|_| Error::Backend)?;
    std::io::Write::write_all(&mut w, &plain).map_err(|_| Error::Backend)?;
    w.finish().map_err(|_| Error::Backend)?;
    Ok(out)
}

/// The work factor of a passphrase wrap, read from its header before any scrypt: exactly
/// one stanza, of type scrypt (`DecryptionFailed` otherwise), with a factor in
/// `PASSPHRASE_SCRYPT_LOG_N ..= PASSPHRASE_SCRYPT_MAX_LOG_N` (`TooLarge` otherwise).
pub fn scrypt_work_factor(ciphertext: &[u8]) -> Result<u8> {
    check_header_cap(ciphertext)?;
    let mut lines = ciphertext.split(|b| *b == b'\n');
    if lines.next() != Some(b"age-encryption.org/v1".as_slice()) {
        return Err(Error::DecryptionFailed);
    }
    let mut stanzas: Vec<&[u8]> = Vec::new();
    for line in lines {
        if line.starts_with(b"---") {
            break;
        }
        if let Some(args) = line.strip_prefix(b"-> ") {
            stanzas.push(args);
        }
    }
    let [args] = stanzas.as_slice() else {
        return Err(Error::DecryptionFailed);
    };
    let args: Vec<&[u8]> = args.split(|b| *b == b' ').collect();
    let log_n = match args.as_slice() {
        [b"scrypt", _salt, n] if (1..=3).contains(&n.len()) && n.iter().all(u8::is_ascii_digit) => {
            n.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
        }
        _ => return Err(Error::DecryptionFailed),
    };
    let range = u32::from(PASSPHRASE_SCRYPT_LOG_N)..=u32::from(PASSPHRASE_SCRYPT_MAX_LOG_N);
    if !range.contains(&log_n) {
        return Err(Error::TooLarge {
            size: log_n as usize,
            cap: PASSPHRASE_SCRYPT_MAX_LOG_N as usize,
        });
    }
    u8::try_from(log_n).map_err(|_| Error::DecryptionFailed)
}

/// Unwrap a passphrase-wrapped seed (work factor checked first, see [`scrypt_work_factor`]).
pub fn unwrap_seed_passphrase(
    passphrase: &Passphrase,
    ciphertext: &[u8],
) -> Result<OwnerSeedPayload> {
    if ciphertext.len() > PAYLOAD_CAP {
        return Err(Error::TooLarge {
            size: ciphertext.len(),
            cap: PAYLOAD_CAP,
        });
    }
    scrypt_work_factor(ciphertext)?;
    let mut id = age::scrypt::Identity::new(SecretString::from(passphrase.expose().to_owned()));
    id.set_max_work_factor(PASSPHRASE_SCRYPT_MAX_LOG_N);
    decrypt_payload(&id, ciphertext)
}

/// `HKDF(ikm = normalised passphrase, salt = info = "coffre/v1/auth/passphrase")` as Ed25519.
pub fn passphrase_auth_key(passphrase: &Passphrase) -> Result<SigningKey> {
    let seed = hkdf32(
        passphrase.expose().as_bytes(),
        b"coffre/v1/auth/passphrase",
        b"coffre/v1/auth/passphrase",
    )?;
    Ok(signing_key_from(&seed))
}

/// The prefix of auth challenge signatures.
pub const AUTH_PREFIX: &[u8] = b"coffre/v1/auth\n";

kind_tag!(AuthChallengeKind, "auth_challenge");

/// The signed auth challenge body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct AuthChallenge {
    #[serde(deserialize_with = "crate::encoding::de_instance")]
    pub instance: String,
    pub key: PublicKey,
    pub kind: AuthChallengeKind,
    /// b64 of ≥ 16 bytes from the server.
    pub nonce: String,
    pub v: crate::encoding::V1,
}

/// The bytes an auth key signs: `"coffre/v1/auth\n" || canonical challenge`.
pub fn auth_challenge_message(instance: &str, key: &PublicKey, nonce: &[u8]) -> Result<Vec<u8>> {
    if nonce.len() < 16 {
        return Err(Error::Malformed("nonce shorter than 16 bytes".into()));
    }
    crate::encoding::check_instance(instance)?;
    let body = AuthChallenge {
        instance: instance.to_owned(),
        key: *key,
        kind: AuthChallengeKind,
        nonce: b64(nonce),
        v: crate::encoding::V1,
    };
    let mut msg = AUTH_PREFIX.to_vec();
    msg.extend_from_slice(&to_canonical(&body)?);
    Ok(msg)
}

/// Sign an auth challenge; returns the 64-byte signature.
pub fn sign_auth_challenge(key: &SigningKey, instance: &str, nonce: &[u8]) -> Result<[u8; 64]> {
    let msg = auth_challenge_message(instance, &public_key(key), nonce)?;
    Ok(key.sign(&msg).to_bytes())
}

/// Verify an auth challenge signature (server side).
pub fn verify_auth_challenge(
    key: &PublicKey,
    instance: &str,
    nonce: &[u8],
    sig: &[u8; 64],
) -> Result<()> {
    let msg = auth_challenge_message(instance, key, nonce)?;
    crate::ed25519::verify(&key.0, &msg, sig)
}

/// Build an owner-seed payload.
pub fn seed_payload(coffre: crate::encoding::Id, epoch: u64, seed: &[u8; 32]) -> OwnerSeedPayload {
    OwnerSeedPayload {
        coffre,
        epoch,
        kind: Default::default(),
        seed: SecretBytes32::new(*seed),
        v: Default::default(),
    }
}
