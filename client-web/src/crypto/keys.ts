// Owner keys (spec section 3): seed → age X25519 identity and Ed25519 signing key,
// fingerprints (words and QR), plus the age identity/recipient encodings (section 2).
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32 } from '@scure/base';
import { checkPublicKey, verifyStrict } from './ed25519';
import { b64decode, b64encode, bytesEqual, concatBytes, utf8Encode, zeroize } from './encoding';
import { fail } from './errors';
import { isIdentity, isRecipient } from './fields';
import { WORDS } from './wordlist';

const EMPTY = new Uint8Array(0);

export function hkdf32(ikm: Uint8Array, salt: Uint8Array | string, info: Uint8Array | string): Uint8Array {
  const s = typeof salt === 'string' ? utf8Encode(salt) : salt;
  const i = typeof info === 'string' ? utf8Encode(info) : info;
  return hkdf(sha256, ikm, s, i, 32);
}

export function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return b;
}

// ---------------------------------------------------------------- age X25519 encodings

/** `AGE-SECRET-KEY-1…` from 32 secret bytes (the bech32 payload; clamped at use). */
export function identityFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 32) fail('bad_key', 'identity must be 32 bytes');
  return bech32.encode('age-secret-key-', bech32.toWords(bytes), false).toUpperCase();
}

export function identityToBytes(identity: string): Uint8Array {
  if (!isIdentity(identity)) fail('bad_key', 'not an AGE-SECRET-KEY-1… identity');
  const d = bech32.decode(identity.toLowerCase() as `${string}1${string}`, false);
  return Uint8Array.from(bech32.fromWords(d.words));
}

export function recipientFromBytes(identityBytes: Uint8Array): string {
  const pub = x25519.getPublicKey(identityBytes);
  return bech32.encode('age', bech32.toWords(pub), false);
}

export function recipientOf(identity: string): string {
  const b = identityToBytes(identity);
  try {
    return recipientFromBytes(b);
  } finally {
    zeroize(b);
  }
}

export function recipientToBytes(recipient: string): Uint8Array {
  if (!isRecipient(recipient)) fail('bad_key', 'not an age1… recipient');
  return Uint8Array.from(bech32.fromWords(bech32.decode(recipient as `${string}1${string}`, false).words));
}

/** A fresh random age X25519 identity (category keys, cartes, organisation keys). */
export function generateIdentity(): string {
  const b = randomBytes(32);
  try {
    return identityFromBytes(b);
  } finally {
    zeroize(b);
  }
}

/**
 * The identity as a non-extractable WebCrypto X25519 key, which age-encryption accepts in
 * `Decrypter.addIdentity`. The secret then lives outside the JS heap.
 */
export async function identityToCryptoKey(identity: string): Promise<CryptoKey> {
  const d = identityToBytes(identity);
  try {
    const x = x25519.getPublicKey(d);
    const jwk = { kty: 'OKP', crv: 'X25519', d: b64encode(d), x: b64encode(x) };
    return await crypto.subtle.importKey('jwk', jwk, { name: 'X25519' }, false, ['deriveBits']);
  } finally {
    zeroize(d);
  }
}

// ---------------------------------------------------------------- Ed25519

/** An Ed25519 signing key from its 32-byte secret seed. */
export class SigningKey {
  readonly publicKey: Uint8Array;
  readonly publicB64: string;
  readonly #secret: Uint8Array;

  constructor(secretSeed: Uint8Array) {
    if (secretSeed.length !== 32) fail('bad_key', 'Ed25519 seed must be 32 bytes');
    this.#secret = Uint8Array.from(secretSeed);
    this.publicKey = ed25519.getPublicKey(this.#secret);
    this.publicB64 = b64encode(this.publicKey);
  }

  static generate(): SigningKey {
    const s = randomBytes(32);
    try {
      return new SigningKey(s);
    } finally {
      zeroize(s);
    }
  }

  sign(message: Uint8Array): Uint8Array {
    return ed25519.sign(message, this.#secret);
  }

  /** Overwrites the secret; the key cannot sign afterwards. */
  destroy(): void {
    zeroize(this.#secret);
  }
}

/**
 * Strict Ed25519 verification within the one acceptance set (ed25519.ts): key and R
 * canonical points of the prime-order subgroup, S < L. False for anything outside it.
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    verifyStrict(publicKey, message, signature);
    return true;
  } catch {
    return false;
  }
}

/** The 32 bytes of a b64 Ed25519 key, checked as a point of the acceptance set (`bad_key`). */
export function publicKeyBytes(keyB64: string): Uint8Array {
  const b = b64decode(keyB64, 32);
  checkPublicKey(b);
  return b;
}

// ---------------------------------------------------------------- owner keys

export const INFO_OWNER_X25519 = 'coffre/v1/owner/x25519';
export const INFO_OWNER_ED25519 = 'coffre/v1/owner/ed25519';

/** The keys of one owner epoch, derived from its 32-byte seed. */
export class OwnerKeys {
  readonly identity: string;
  readonly recipient: string;
  readonly signing: SigningKey;

  private constructor(identity: string, recipient: string, signing: SigningKey) {
    this.identity = identity;
    this.recipient = recipient;
    this.signing = signing;
  }

  static fromSeed(seed: Uint8Array): OwnerKeys {
    if (seed.length !== 32) fail('bad_key', 'seed must be 32 bytes');
    const x = hkdf32(seed, EMPTY, INFO_OWNER_X25519);
    const e = hkdf32(seed, EMPTY, INFO_OWNER_ED25519);
    try {
      return new OwnerKeys(identityFromBytes(x), recipientFromBytes(x), new SigningKey(e));
    } finally {
      zeroize(x, e);
    }
  }

  static generateSeed(): Uint8Array {
    return randomBytes(32);
  }

  get publicKey(): string {
    return this.signing.publicB64;
  }

  fingerprint(): Uint8Array {
    return fingerprint(this.signing.publicKey, this.recipient);
  }

  /** The age identity as a non-extractable WebCrypto key (for decrypting after unlock). */
  cryptoKey(): Promise<CryptoKey> {
    return identityToCryptoKey(this.identity);
  }

  destroy(): void {
    this.signing.destroy();
  }
}

// ---------------------------------------------------------------- fingerprints

export const FINGERPRINT_PREFIX = 'coffre/v1/fingerprint\n';
export const QR_PREFIX = 'coffre:fp:1:';

/** SHA-256("coffre/v1/fingerprint\n" || ed25519 public || recipient ASCII or empty). */
export function fingerprint(ed25519Public: Uint8Array | string, recipient?: string): Uint8Array {
  // A b64 key is checked by publicKeyBytes; raw bytes here.
  let pub: Uint8Array;
  if (typeof ed25519Public === 'string') pub = publicKeyBytes(ed25519Public);
  else {
    checkPublicKey(ed25519Public);
    pub = ed25519Public;
  }
  if (recipient !== undefined && !isRecipient(recipient)) fail('bad_key', 'bad recipient');
  return sha256(concatBytes(utf8Encode(FINGERPRINT_PREFIX), pub, utf8Encode(recipient ?? '')));
}

/** Five words `mot-mot-mot-mot-mot` carrying the first 64 bits of the fingerprint. */
export function fingerprintWords(fp: Uint8Array): string {
  if (fp.length !== 32) fail('bad_key', 'fingerprint must be 32 bytes');
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(fp[i]!);
  const words: string[] = [];
  for (let i = 0; i < 5; i++) {
    words.push(WORDS[Number(n % 7776n)]!);
    n /= 7776n;
  }
  return words.join('-');
}

export function fingerprintQr(fp: Uint8Array): string {
  if (fp.length !== 32) fail('bad_key', 'fingerprint must be 32 bytes');
  return QR_PREFIX + b64encode(fp);
}

export function parseFingerprintQr(payload: string): Uint8Array {
  if (!payload.startsWith(QR_PREFIX)) fail('malformed', 'not a coffre fingerprint QR');
  return b64decode(payload.slice(QR_PREFIX.length), 32);
}

/** Pins a delivered key against a scanned QR fingerprint. */
export function fingerprintMatches(scanned: Uint8Array, ed25519Public: string, recipient?: string): boolean {
  return bytesEqual(scanned, fingerprint(ed25519Public, recipient));
}
