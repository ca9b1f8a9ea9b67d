//! Signed statements (section 2.2): the envelope, signing and verification.

use ed25519_dalek::{Signer as _, SigningKey};
use serde::{Deserialize, Serialize};

use crate::encoding::{
    ENVELOPE_CAP, Hash32, Kinded, PublicKey, SignatureBytes, b64, parse_canonical,
    parse_canonical_plain, to_canonical, unb64,
};
use crate::error::{Error, Result};
use crate::keys::public_key;

/// The prefix every statement signature covers before the body bytes.
pub const SIGNED_PREFIX: &[u8] = b"coffre/v1/signed\n";

/// One signature of an envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sig {
    /// The signer's Ed25519 public key.
    pub key: PublicKey,
    /// Ed25519 over `SIGNED_PREFIX || body bytes`.
    pub sig: SignatureBytes,
}

/// A statement on the wire: `{"body":b64,"sigs":[…]}`.
///
/// Fields are private and there is no public `Deserialize`: an envelope comes only from
/// [`Envelope::parse`] (cap, canonical, signatures sorted by key and unique, b64 body) or
/// [`sign`], so an envelope with a repeated signer cannot reach a verifier.
///
/// ```compile_fail
/// use coffre_crypto::statement::{Envelope, Sig};
/// // No struct literal: the fields are private.
/// let env = Envelope { body: String::new(), sigs: Vec::<Sig>::new() };
/// ```
///
/// ```compile_fail
/// // No `Deserialize`: serde cannot make one either.
/// let env: coffre_crypto::statement::Envelope = serde_json::from_str("{}").unwrap();
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Envelope {
    body: String,
    sigs: Vec<Sig>,
}

/// The wire shape, parsed only inside [`Envelope::parse`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireEnvelope {
    body: String,
    sigs: Vec<Sig>,
}

/// A verified statement: the typed body, its signers and the envelope's hash. Only this crate
/// makes one, after checking the signatures.
#[derive(Clone, Debug)]
pub struct Verified<T> {
    body: T,
    signers: Vec<PublicKey>,
    hash: Hash32,
}

impl<T> Verified<T> {
    pub(crate) fn new(body: T, signers: Vec<PublicKey>, hash: Hash32) -> Self {
        Verified {
            body,
            signers,
            hash,
        }
    }
    /// The typed body.
    pub fn body(&self) -> &T {
        &self.body
    }
    /// Keys whose signatures verified (sorted, distinct).
    pub fn signers(&self) -> &[PublicKey] {
        &self.signers
    }
    /// `statement_hash` of the envelope.
    pub fn hash(&self) -> &Hash32 {
        &self.hash
    }
    /// The typed body, dropping the rest.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl Envelope {
    /// Parse a wire envelope (cap, canonical, sorted signatures, b64 body).
    pub fn parse(bytes: &[u8]) -> Result<Envelope> {
        let wire: WireEnvelope = parse_canonical_plain(bytes, ENVELOPE_CAP)?;
        if wire.sigs.is_empty() {
            return Err(Error::TooFewSignatures);
        }
        let keys: Vec<String> = wire.sigs.iter().map(|s| s.key.to_b64()).collect();
        if !keys.windows(2).all(|w| w[0] < w[1]) {
            return Err(Error::NonCanonical("sigs not sorted by key or duplicated"));
        }
        unb64(&wire.body)?;
        Ok(Envelope {
            body: wire.body,
            sigs: wire.sigs,
        })
    }

    /// The b64 body as on the wire.
    pub fn body_b64(&self) -> &str {
        &self.body
    }

    /// The signatures, sorted by key, distinct.
    pub fn sigs(&self) -> &[Sig] {
        &self.sigs
    }

    /// The canonical bytes of the envelope.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        to_canonical(self)
    }

    /// `statement_hash`: SHA-256 of the envelope's canonical bytes.
    pub fn hash(&self) -> Result<Hash32> {
        Ok(Hash32::of(&self.to_bytes()?))
    }

    /// The body bytes.
    pub fn body_bytes(&self) -> Result<Vec<u8>> {
        unb64(&self.body)
    }

    /// Parse the body as `T` **without** checking signatures (to learn who must have signed).
    pub fn peek<T: Kinded>(&self) -> Result<T> {
        parse_canonical(&self.body_bytes()?, ENVELOPE_CAP)
    }

    /// Check every signature within the acceptance set (protocol section 2.2); returns the
    /// signers. Any invalid signature fails the whole.
    pub fn check_signatures(&self) -> Result<Vec<PublicKey>> {
        let body = self.body_bytes()?;
        let mut msg = SIGNED_PREFIX.to_vec();
        msg.extend_from_slice(&body);
        let mut signers = Vec::with_capacity(self.sigs.len());
        for s in &self.sigs {
            crate::ed25519::verify(&s.key.0, &msg, &s.sig.0)?;
            signers.push(s.key);
        }
        Ok(signers)
    }

    /// Verify a statement that exactly one given key must have signed.
    pub fn verify_by<T: Kinded>(&self, key: &PublicKey) -> Result<Verified<T>> {
        let body = self.peek::<T>()?;
        if self.sigs.len() != 1 || self.sigs[0].key != *key {
            return Err(Error::UnauthorisedSigner);
        }
        let signers = self.check_signatures()?;
        Ok(Verified::new(body, signers, self.hash()?))
    }

    /// Verify a statement with any number of signatures; the caller checks the signers.
    pub fn verify_all<T: Kinded>(&self) -> Result<Verified<T>> {
        let body = self.peek::<T>()?;
        let signers = self.check_signatures()?;
        Ok(Verified::new(body, signers, self.hash()?))
    }
}

/// Sign a body with one or more keys.
///
/// ```
/// use coffre_crypto::{keys::OwnerSeed, statement::sign, kinds::Revocation, encoding::Id};
/// use zeroize::Zeroizing;
/// let keys = OwnerSeed(Zeroizing::new([1; 32])).keys().unwrap();
/// let body = Revocation {
///     coffre: Id::from_random_bytes([2; 16]), created: 1_700_000_000, epoch: 0,
///     instance: "https://coffre.example".into(), kind: Default::default(),
///     mandate: Id::from_random_bytes([3; 16]), v: Default::default(),
/// };
/// let env = sign(&body, &[&keys.signing]).unwrap();
/// let back = env.verify_by::<Revocation>(&keys.public()).unwrap();
/// assert_eq!(back.body(), &body);
/// ```
pub fn sign<T: Kinded>(body: &T, keys: &[&SigningKey]) -> Result<Envelope> {
    let bytes = to_canonical(body)?;
    if bytes.len() > ENVELOPE_CAP {
        return Err(Error::TooLarge {
            size: bytes.len(),
            cap: ENVELOPE_CAP,
        });
    }
    let mut msg = SIGNED_PREFIX.to_vec();
    msg.extend_from_slice(&bytes);
    let mut sigs: Vec<Sig> = keys
        .iter()
        .map(|k| Sig {
            key: public_key(k),
            sig: SignatureBytes(k.sign(&msg).to_bytes()),
        })
        .collect();
    sigs.sort_by_key(|s| s.key.to_b64());
    sigs.dedup_by(|a, b| a.key == b.key);
    Ok(Envelope {
        body: b64(&bytes),
        sigs,
    })
}

/// An envelope over arbitrary body bytes (the fuzz targets reach each kind's rules with it).
#[cfg(feature = "fuzzing")]
pub(crate) fn sign_raw(body: &[u8], key: &SigningKey) -> Envelope {
    let mut msg = SIGNED_PREFIX.to_vec();
    msg.extend_from_slice(body);
    Envelope {
        body: b64(body),
        sigs: vec![Sig {
            key: public_key(key),
            sig: SignatureBytes(key.sign(&msg).to_bytes()),
        }],
    }
}

/// Parse and verify wire bytes signed by exactly `key`.
pub fn verify_bytes<T: Kinded>(bytes: &[u8], key: &PublicKey) -> Result<Verified<T>> {
    Envelope::parse(bytes)?.verify_by(key)
}
