// Unlock factors and auth keys (spec section 4): passkey PRF, carte Coffre, generated
// passphrase; each wraps the owner seed in an ordinary age file.
import { sha256 } from '@noble/hashes/sha2.js';
import { type AgeIdentity, ageHeaderLength, checkAgeFile, checkPayloadSize } from './ageio';
import { b64decode, b64encode, canonicalEncode, concatBytes, utf8Encode, zeroize } from './encoding';
import { fail } from './errors';
import { b64, checkDocument, instance as instanceCheck, key as keyCheck } from './fields';
import { generateIdentity, hkdf32, identityFromBytes, identityToBytes, recipientOf, SigningKey } from './keys';
import { openPayload, openPayloadPassphrase, sealPayload, sealPayloadPassphrase } from './payload';
import { RETIRED_WORDS, WORDS } from './wordlist';

/** The seed wrap payload (`owner_seed`). */
export interface OwnerSeedPayload {
  coffre: string;
  epoch: number;
  kind: 'owner_seed';
  seed: string;
  v: 1;
}

export function ownerSeedPayload(coffre: string, epoch: number, seed: Uint8Array): OwnerSeedPayload {
  if (seed.length !== 32) fail('bad_key', 'seed must be 32 bytes');
  return { coffre, epoch, kind: 'owner_seed', seed: b64encode(seed), v: 1 };
}

export function seedOf(payload: OwnerSeedPayload): Uint8Array {
  return b64decode(payload.seed, 32);
}

/** Wraps the seed payload to one factor's recipient (passkey or carte). */
export function wrapSeed(payload: OwnerSeedPayload, recipient: string): Promise<Uint8Array> {
  return sealPayload('owner_seed', payload, [recipient]);
}

export function unwrapSeed(file: Uint8Array, identity: AgeIdentity): Promise<OwnerSeedPayload> {
  return openPayload<OwnerSeedPayload>('owner_seed', file, [identity]);
}

// ---------------------------------------------------------------- 4.1 passkey PRF

/** PRF_SALT = SHA-256("coffre/v1/passkey/prf-salt"). */
export const PRF_SALT: Uint8Array = sha256(utf8Encode('coffre/v1/passkey/prf-salt'));

/** The `extensions` member of the one `navigator.credentials.get()` (sign-in + unlock). */
export function prfGetExtension(): { prf: { eval: { first: Uint8Array } } } {
  return { prf: { eval: { first: PRF_SALT.slice() } } };
}

/** The wrap identity for a passkey, from its PRF output and credential id. */
export function passkeyIdentity(prfOutput: Uint8Array, credentialId: Uint8Array): string {
  if (prfOutput.length !== 32) fail('bad_key', 'PRF output must be 32 bytes');
  const x = hkdf32(prfOutput, new Uint8Array(0), concatBytes(utf8Encode('coffre/v1/passkey/x25519\n'), credentialId));
  try {
    return identityFromBytes(x);
  } finally {
    zeroize(x);
  }
}

/**
 * The 32-byte PRF output of a `get()` response (`getClientExtensionResults().prf.results.first`),
 * or undefined when the authenticator has no PRF (fall back to the carte or the passphrase).
 */
export function prfOutput(credential: { getClientExtensionResults(): unknown }): Uint8Array | undefined {
  const ext = credential.getClientExtensionResults() as { prf?: { results?: { first?: BufferSource } } };
  const first = ext.prf?.results?.first;
  if (!first) return undefined;
  const bytes =
    first instanceof ArrayBuffer
      ? new Uint8Array(first.slice(0))
      : new Uint8Array(first.buffer.slice(first.byteOffset, first.byteOffset + first.byteLength));
  return bytes.length === 32 ? bytes : undefined;
}

/**
 * Removes the PRF results from a credential's JSON form (`credential.toJSON()`, or the
 * object the client builds to post) before it is posted: the PRF output never leaves the
 * browser. Looks at `clientExtensionResults` at the top level and under `response`. Returns a
 * plain-data copy; the input is not modified. (A live `PublicKeyCredential` has no own
 * enumerable properties: convert it with `toJSON()` first.)
 */
export function stripPrfResults<T>(credentialJson: T): T {
  const copy = structuredClonePlain(credentialJson) as Record<string, unknown>;
  for (const holder of [copy, copy?.response as Record<string, unknown> | undefined]) {
    const ext = holder?.clientExtensionResults as Record<string, unknown> | undefined;
    const prf = ext?.prf as Record<string, unknown> | undefined;
    if (prf && typeof prf === 'object') delete prf.results;
  }
  return copy as T;
}

function structuredClonePlain(v: unknown): unknown {
  if (v instanceof ArrayBuffer) return v.slice(0);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  if (Array.isArray(v)) return v.map(structuredClonePlain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = structuredClonePlain(x);
    return out;
  }
  return v;
}

// ---------------------------------------------------------------- 4.5 remembered device

/** The remembered-device wrap identity: HKDF(device half || server half, "coffre/v1/device/x25519"). */
export function rememberedIdentity(deviceHalf: Uint8Array, serverHalf: Uint8Array): string {
  if (deviceHalf.length !== 32 || serverHalf.length !== 32) fail('bad_key', 'each half is 32 bytes');
  const ikm = concatBytes(deviceHalf, serverHalf);
  const x = hkdf32(ikm, new Uint8Array(0), utf8Encode('coffre/v1/device/x25519'));
  try {
    return identityFromBytes(x);
  } finally {
    zeroize(x, ikm);
  }
}

// ---------------------------------------------------------------- 4.2 carte Coffre

export const INFO_AUTH_CARTE = 'coffre/v1/auth/carte';

/** A fresh carte identity (`AGE-SECRET-KEY-1…`, 74 characters). */
export function generateCarte(): { identity: string; recipient: string } {
  const identity = generateIdentity();
  return { identity, recipient: recipientOf(identity) };
}

export function carteAuthKey(carteIdentity: string): SigningKey {
  const b = identityToBytes(carteIdentity);
  const k = hkdf32(b, new Uint8Array(0), INFO_AUTH_CARTE);
  try {
    return new SigningKey(k);
  } finally {
    zeroize(b, k);
  }
}

// ---------------------------------------------------------------- 4.3 passphrase

/** Pinned scrypt work factor (log2 N) for passphrase wraps; measured in BENCHMARKS.md (section 3). */
export const PASSPHRASE_SCRYPT_LOG_N = 15;
/**
 * The highest work factor an unwrap accepts (hardening 6): what we write plus two steps of
 * margin for a future raise. Read from the stanza before scrypt runs; above it is `too_large`.
 */
export const PASSPHRASE_SCRYPT_MAX_LOG_N = 17;
export const PASSPHRASE_WORDS = 6;
export const AUTH_PASSPHRASE = 'coffre/v1/auth/passphrase';

/** A uniform index in [0, n) from crypto.getRandomValues, by rejection sampling. */
export function uniformIndex(n: number): number {
  if (!(n > 0 && n <= 2 ** 32)) fail('malformed', 'range');
  const limit = 2 ** 32 - (2 ** 32 % n);
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0]! < limit) return buf[0]! % n;
  }
}

/** Six words drawn uniformly from the 7,776-word list, joined by single spaces. */
export function generatePassphrase(words = PASSPHRASE_WORDS): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[uniformIndex(WORDS.length)]!);
  return out.join(' ');
}

/**
 * Spec 4.3, exactly: lowercase; every run of U+0020, `-` and U+0009 becomes one space; a
 * leading and a trailing run are removed. Nothing else is trimmed (a newline or a U+00A0 is
 * kept, so such a passphrase is not one of ours: `Passphrase.parse` refuses it).
 */
export function normalisePassphrase(input: string): string {
  return input
    .toLowerCase()
    .replace(/[ \t-]+/g, ' ')
    .replace(/^ /, '')
    .replace(/ $/, '');
}

// A retired word still counts: a passphrase drawn from an earlier list must unlock.
const WORD_SET: ReadonlySet<string> = new Set([...WORDS, ...RETIRED_WORDS]);

/**
 * A generated passphrase, checked: after normalisation, exactly six words of the list (or
 * retired words of an earlier list)
 * (`malformed` otherwise). Its auth key is safe only because the passphrase was generated,
 * so the passphrase API takes only this type.
 */
export class Passphrase {
  /** The normalised form: the scrypt passphrase and the auth-key input. */
  readonly normalised: string;

  private constructor(normalised: string) {
    this.normalised = normalised;
  }

  static parse(input: string): Passphrase {
    if (typeof input !== 'string') fail('malformed', 'passphrase');
    const n = normalisePassphrase(input);
    const words = n.split(' ');
    if (words.length !== PASSPHRASE_WORDS || !words.every((w) => WORD_SET.has(w))) {
      fail('malformed', `a passphrase is ${PASSPHRASE_WORDS} words of the list`);
    }
    return new Passphrase(n);
  }

  static generate(): Passphrase {
    return Passphrase.parse(generatePassphrase());
  }
}

function checked(p: Passphrase): string {
  if (!(p instanceof Passphrase)) fail('malformed', 'a checked Passphrase is required (Passphrase.parse)');
  return p.normalised;
}

export function passphraseAuthKey(passphrase: Passphrase): SigningKey {
  const p = utf8Encode(checked(passphrase));
  const k = hkdf32(p, AUTH_PASSPHRASE, AUTH_PASSPHRASE);
  try {
    return new SigningKey(k);
  } finally {
    zeroize(p, k);
  }
}

export async function wrapSeedPassphrase(
  payload: OwnerSeedPayload,
  passphrase: Passphrase,
  logN: number = PASSPHRASE_SCRYPT_LOG_N,
): Promise<Uint8Array> {
  checkWorkFactor(logN);
  return sealPayloadPassphrase('owner_seed', payload, checked(passphrase), logN);
}

/** `too_large` unless `logN` is within `PASSPHRASE_SCRYPT_LOG_N ..= PASSPHRASE_SCRYPT_MAX_LOG_N`. */
function checkWorkFactor(logN: number): void {
  if (!Number.isInteger(logN) || logN < PASSPHRASE_SCRYPT_LOG_N || logN > PASSPHRASE_SCRYPT_MAX_LOG_N)
    fail('too_large', `scrypt work factor ${logN}`);
}

/**
 * The scrypt work factor of a passphrase wrap, read from its header before anything runs:
 * exactly one stanza, an scrypt one (`decryption_failed` otherwise), whose log2 N is within
 * `PASSPHRASE_SCRYPT_LOG_N ..= PASSPHRASE_SCRYPT_MAX_LOG_N` (`too_large` otherwise).
 */
export function scryptWorkFactor(file: Uint8Array): number {
  checkAgeFile(file);
  const header = new TextDecoder('latin1').decode(file.subarray(0, ageHeaderLength(file)));
  const stanzas = header.split('\n').filter((l) => l.startsWith('-> '));
  if (stanzas.length !== 1) fail('decryption_failed', 'a passphrase wrap has exactly one stanza');
  const args = stanzas[0]?.slice(3).split(' ');
  if (args[0] !== 'scrypt' || args.length !== 3 || !/^[1-9][0-9]{0,1}$/.test(args[2]!))
    fail('decryption_failed', 'not an scrypt stanza');
  const logN = Number(args[2]);
  checkWorkFactor(logN);
  return logN;
}

export async function unwrapSeedPassphrase(file: Uint8Array, passphrase: Passphrase): Promise<OwnerSeedPayload> {
  const p = checked(passphrase);
  checkPayloadSize(file);
  scryptWorkFactor(file);
  return openPayloadPassphrase<OwnerSeedPayload>('owner_seed', file, p);
}

// ---------------------------------------------------------------- 4.4 auth challenges

export const AUTH_PREFIX = 'coffre/v1/auth\n';

export function authChallengeMessage(instance: string, authPublicKey: string, nonce: string): Uint8Array {
  const body = { instance, key: authPublicKey, kind: 'auth_challenge', nonce, v: 1 };
  checkDocument(body, 'auth_challenge', { instance: instanceCheck, key: keyCheck, nonce: b64(undefined, 16) });
  return concatBytes(utf8Encode(AUTH_PREFIX), canonicalEncode(body));
}

/** Signs the server's challenge; returns the b64 signature. */
export function signAuthChallenge(authKey: SigningKey, instance: string, nonce: string): string {
  return b64encode(authKey.sign(authChallengeMessage(instance, authKey.publicB64, nonce)));
}
