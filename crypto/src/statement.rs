//! Signed statements (section 2.2): the envelope, signing and verification.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// b64 of the canonical body bytes.
    pub body: String,
    /// Signatures sorted by `key` (as b64 strings, by byte value), no duplicate key.
    pub sigs: Vec<Sig>,
}

/// A verified statement: the typed body, its signers and the envelope's hash.
#[derive(Clone, Debug)]
pub struct Verified<T> {
    /// The typed body.
    pub body: T,
    /// Keys whose signatures verified.
    pub signers: Vec<PublicKey>,
    /// `statement_hash` of the envelope.
    pub hash: Hash32,
}

impl Envelope {
    /// Parse a wire envelope (cap, canonical, sorted signatures, b64 body).
    pub fn parse(bytes: &[u8]) -> Result<Envelope> {
        let env: Envelope = parse_canonical_plain(bytes, ENVELOPE_CAP)?;
        if env.sigs.is_empty() {
            return Err(Error::TooFewSignatures);
        }
        let keys: Vec<String> = env.sigs.iter().map(|s| s.key.to_b64()).collect();
        if !keys.windows(2).all(|w| w[0] < w[1]) {
            return Err(Error::NonCanonical("sigs not sorted by key or duplicated"));
        }
        unb64(&env.body)?;
        Ok(env)
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

    /// Check every signature; returns the signers. Any invalid signature fails the whole.
    pub fn check_signatures(&self) -> Result<Vec<PublicKey>> {
        let body = self.body_bytes()?;
        let mut msg = SIGNED_PREFIX.to_vec();
        msg.extend_from_slice(&body);
        let mut signers = Vec::with_capacity(self.sigs.len());
        for s in &self.sigs {
            let vk = VerifyingKey::from_bytes(&s.key.0).map_err(|_| Error::BadSignature)?;
            let sig = Signature::from_bytes(&s.sig.0);
            vk.verify_strict(&msg, &sig)
                .map_err(|_| Error::BadSignature)?;
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
        Ok(Verified {
            body,
            signers,
            hash: self.hash()?,
        })
    }

    /// Verify a statement with any number of signatures; the caller checks the signers.
    pub fn verify_all<T: Kinded>(&self) -> Result<Verified<T>> {
        let body = self.peek::<T>()?;
        let signers = self.check_signatures()?;
        Ok(Verified {
            body,
            signers,
            hash: self.hash()?,
        })
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
/// assert_eq!(back.body, body);
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

/// Parse and verify wire bytes signed by exactly `key`.
pub fn verify_bytes<T: Kinded>(bytes: &[u8], key: &PublicKey) -> Result<Verified<T>> {
    Envelope::parse(bytes)?.verify_by(key)
}
