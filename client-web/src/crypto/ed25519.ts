// The one Ed25519 acceptance set (protocol 2.2, hardening 2), the twin of the Rust crate's
// `ed25519.rs`. @noble/curves checks the cofactored equation and ed25519-dalek's
// `verify_strict` the cofactorless one; they agree exactly when the public key A and the
// signature's R are both in the prime-order subgroup. So both sides accept a key only as a
// canonical, torsion-free point other than the identity (`bad_key`), and a signature only
// with R canonical and torsion-free and S < L (`bad_signature`).
//
// `preverify` lets the browser's WebCrypto Ed25519 vouch for many signatures at once, ahead
// of the synchronous `verifyStrict`, which stays the only verdict: it remembers only the
// triples WebCrypto accepted, and a remembered triple skips only the R check and noble's
// equation, never the key check or S < L. Why that cannot change a verdict:
// docs/design/verifier-hardening.md section 9.
//
// `keyHint` and `acceptKeyHints` move the key check's one multiplication elsewhere (a worker,
// key-hints.ts) without trusting whoever made the hint: checking a hint costs a few field
// operations and proves the key acceptable by itself (verifier-hardening.md section 10).
import { ed25519 } from '@noble/curves/ed25519.js';
import { fail } from './errors';

const Point = ed25519.Point;
/** L, the order of the prime-order subgroup. */
export const ED25519_L: bigint = Point.Fn.ORDER;

type EdPoint = InstanceType<typeof Point>;

/** The point of a canonical encoding, or undefined. */
function canonicalPoint(bytes: Uint8Array): EdPoint | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) return undefined;
  let p: EdPoint;
  try {
    p = Point.fromBytes(bytes, false);
  } catch {
    return undefined;
  }
  // Canonical: re-encoding gives the same bytes (y < p, no sign bit on x = 0).
  const again = p.toBytes();
  for (let i = 0; i < 32; i++) if (again[i] !== bytes[i]) return undefined;
  return p;
}

/** The point of a canonical encoding in the prime-order subgroup, or undefined. */
function primeOrderPoint(bytes: Uint8Array): EdPoint | undefined {
  const p = canonicalPoint(bytes);
  return p?.isTorsionFree() ? p : undefined;
}

// Keys repeat (one actor signs a whole journal page): remember the ones that passed.
const GOOD_KEYS = new Set<string>();
const GOOD_KEYS_CAP = 4096;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i] as number];
  return s;
};

const sameBytes = (a: Uint8Array, b: Uint8Array) => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

let fullChecks = 0;

/** How many keys `isAcceptableKey` has checked in full, not from its cache (tests). */
export function fullKeyChecks(): number {
  return fullChecks;
}

/** Forgets the accepted keys (benchmarks of a client that has seen none; a cache only). */
export function clearKeyCache(): void {
  GOOD_KEYS.clear();
}

/** True for a canonical, torsion-free point other than the identity. */
export function isAcceptableKey(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) return false;
  const id = hex(bytes);
  if (GOOD_KEYS.has(id)) return true;
  fullChecks++;
  const p = primeOrderPoint(bytes);
  if (!p || p.is0()) return false;
  if (GOOD_KEYS.size >= GOOD_KEYS_CAP) GOOD_KEYS.clear();
  GOOD_KEYS.add(id);
  return true;
}

/** The affine coordinates of a point, as noble gives them. */
export interface AffinePoint {
  x: bigint;
  y: bigint;
}

/**
 * What proves a key acceptable cheaply: `p`, the key's point, and `q`, a point with [8]q = p.
 * For any point q of the curve, [8]q is in the prime-order subgroup (the curve's group is
 * Z/8 × Z/L), so such a q exists exactly for the keys the check accepts. Making a hint costs
 * one multiplication, as the check does; checking one (`acceptKeyHints`) three doublings and
 * a comparison, about 1/70 of it. Whoever made it need not be trusted: a hint that does not
 * prove its key is ignored, and the key is checked in full where it is used.
 */
export interface KeyHint {
  key: Uint8Array;
  p: AffinePoint;
  q: AffinePoint;
}

/** [1/8 mod L]: for p in the prime-order subgroup, q = [INV8]p is the point with [8]q = p. */
const INV8 = Point.Fn.inv(8n);

/** The hint of an acceptable key (`isAcceptableKey`), or undefined for any other bytes. */
export function keyHint(bytes: Uint8Array): KeyHint | undefined {
  const p = canonicalPoint(bytes);
  if (!p || p.is0()) return undefined;
  const q = p.multiplyUnsafe(INV8);
  // [8]q = p only when p has no small-order component: this is the torsion check.
  if (!q.clearCofactor().equals(p)) return undefined;
  return { key: bytes.slice(), p: p.toAffine(), q: q.toAffine() };
}

/** True when `hint` proves its key a canonical, torsion-free point other than the identity. */
function provesKey(hint: KeyHint): boolean {
  if (typeof hint !== 'object' || hint === null) return false;
  const { key, p, q } = hint;
  if (!(key instanceof Uint8Array) || key.length !== 32 || typeof p !== 'object' || typeof q !== 'object') return false;
  if (p === null || q === null) return false;
  try {
    // fromAffine takes coordinates in [0, P) only; assertValidity: q is on the curve, not the identity.
    const qp = Point.fromAffine({ x: q.x, y: q.y });
    qp.assertValidity();
    const pp = Point.fromAffine({ x: p.x, y: p.y });
    // pp has the coordinates of [8]q: a point of the prime-order subgroup, here not the identity…
    if (!qp.clearCofactor().equals(pp) || pp.is0()) return false;
    // …and the key is its canonical encoding.
    return sameBytes(pp.toBytes(), key);
  } catch {
    return false;
  }
}

/**
 * Remembers as accepted (the cache `isAcceptableKey` reads) every key whose hint proves it;
 * ignores the others. Returns how many were proved. The same keys pass `isAcceptableKey`
 * either way: only the time differs (verifier-hardening.md section 10).
 */
export function acceptKeyHints(hints: readonly KeyHint[]): number {
  let proved = 0;
  if (!Array.isArray(hints)) return 0;
  for (const h of hints) {
    if (!provesKey(h)) continue;
    const id = hex(h.key);
    if (!GOOD_KEYS.has(id)) {
      if (GOOD_KEYS.size >= GOOD_KEYS_CAP) GOOD_KEYS.clear();
      GOOD_KEYS.add(id);
    }
    proved++;
  }
  return proved;
}

/** The keys among `keys` that `isAcceptableKey` has not accepted yet (each once, 32 bytes only). */
export function uncheckedKeys(keys: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const k of keys) {
    if (!(k instanceof Uint8Array) || k.length !== 32) continue;
    const id = hex(k);
    if (GOOD_KEYS.has(id) || seen.has(id)) continue;
    seen.add(id);
    out.push(k);
  }
  return out;
}

/** `bad_key` unless the bytes are a canonical, torsion-free point other than the identity. */
export function checkPublicKey(bytes: Uint8Array): void {
  if (!isAcceptableKey(bytes)) fail('bad_key', 'Ed25519 key outside the prime-order subgroup or not canonical');
}

/** `bad_signature` unless the signature has 64 bytes and S < L. */
function checkScalar(sig: Uint8Array): void {
  if (!(sig instanceof Uint8Array) || sig.length !== 64) fail('bad_signature', 'length');
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
  if (s >= ED25519_L) fail('bad_signature', 'S >= L');
}

/** `bad_signature` unless R is canonical and torsion-free and S < L. */
export function checkSignatureEncoding(sig: Uint8Array): void {
  checkScalar(sig);
  if (!primeOrderPoint(sig.subarray(0, 32)))
    fail('bad_signature', 'R outside the prime-order subgroup or not canonical');
}

/** One signature to check: the signer's key, the signed message, the signature. */
export interface SignedTriple {
  key: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

// Triples WebCrypto accepted, by signature, with copies of their key and message (a caller
// may reuse its buffers). Bounded in entries and bytes (a whole journal page of 10,000
// entries and their receipts fits); cleared when full, like GOOD_KEYS.
const PREVERIFIED = new Map<string, { key: Uint8Array; message: Uint8Array }>();
const PREVERIFIED_CAP = 20_480;
const PREVERIFIED_BYTES_CAP = 16 * 1024 * 1024;
const PREVERIFIED_MESSAGE_CAP = 64 * 1024;
let preverifiedBytes = 0;

function rememberPreverified(t: SignedTriple): void {
  const size = t.message.length + 96;
  if (PREVERIFIED.size >= PREVERIFIED_CAP || preverifiedBytes + size > PREVERIFIED_BYTES_CAP) clearPreverified();
  PREVERIFIED.set(hex(t.signature), { key: t.key, message: t.message });
  preverifiedBytes += size;
}

function isPreverified(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (PREVERIFIED.size === 0) return false;
  const hit = PREVERIFIED.get(hex(signature));
  return hit !== undefined && sameBytes(hit.key, key) && sameBytes(hit.message, message);
}

/** Forgets every preverified triple. */
export function clearPreverified(): void {
  PREVERIFIED.clear();
  preverifiedBytes = 0;
}

/** How many triples are remembered (tests). */
export function preverifiedCount(): number {
  return PREVERIFIED.size;
}

const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));
// The probe: one key, one honest signature and one whose R carries a point of order 8 (it
// satisfies the cofactored equation, not the cofactorless one). A WebCrypto that refuses the
// first or accepts the second is not used (docs/design/verifier-hardening.md section 9).
const PROBE_KEY = fromHex('6a08a7fc27c17776fcce7a0f92488d17123fac53db0ae2e26f0b802213fcac66');
const PROBE_MESSAGE = new TextEncoder().encode('coffre/v1/webcrypto-probe');
const PROBE_GOOD = fromHex(
  '52b788440648340461f8d3f38ae8a5d5a3bb84995a5ae5339528efa15a3443328c83bbf8bd685d52561a57bf6ee5df65b3209971ebcc4530bba52faa6d23cb09',
);
const PROBE_TORSION = fromHex(
  '4e24a032b6aeaa8f0ce4c55661c240c17951358bf503f006a73b43556f2beb7e12759d8ae25b0937e76b133644b85580764b14494eb4d48d17d4c35be9f24607',
);
const ED25519_ALG = { name: 'Ed25519' };

/** True when `subtle` verifies the honest probe and refuses the torsioned one. */
export async function passesProbe(subtle: SubtleCrypto): Promise<boolean> {
  try {
    const key = await subtle.importKey('raw', PROBE_KEY, ED25519_ALG, false, ['verify']);
    const good = await subtle.verify(ED25519_ALG, key, PROBE_GOOD, PROBE_MESSAGE);
    const torsion = await subtle.verify(ED25519_ALG, key, PROBE_TORSION, PROBE_MESSAGE);
    return good === true && torsion === false;
  } catch {
    return false;
  }
}

let usable: Promise<SubtleCrypto | undefined> | undefined;

/** The page's WebCrypto when it has an Ed25519 that passes the probe, else undefined (once). */
export function webCryptoEd25519(): Promise<SubtleCrypto | undefined> {
  if (!usable) {
    const subtle = globalThis.crypto?.subtle;
    usable = subtle ? passesProbe(subtle).then((ok) => (ok ? subtle : undefined)) : Promise.resolve(undefined);
  }
  return usable;
}

/**
 * Lets WebCrypto check many signatures at once (off the main thread where the browser can),
 * remembering the ones it accepted so that `verifyStrict` skips noble's work for them. Never
 * refuses anything and never throws: what WebCrypto refuses, or a browser without WebCrypto
 * Ed25519, just leaves `verifyStrict` to decide as before. `subtle` replaces the page's WebCrypto
 * and skips the probe: tests only.
 */
export async function preverify(items: readonly SignedTriple[], subtle?: SubtleCrypto): Promise<void> {
  // Copies taken at the call, before any await: what WebCrypto checks is what is remembered.
  const todo: SignedTriple[] = [];
  for (const item of items) {
    if (todo.length >= PREVERIFIED_CAP) break; // more would evict the first ones, verified first
    if (
      item.key instanceof Uint8Array &&
      item.message instanceof Uint8Array &&
      item.signature instanceof Uint8Array &&
      item.key.length === 32 &&
      item.signature.length === 64 &&
      item.message.length <= PREVERIFIED_MESSAGE_CAP &&
      !isPreverified(item.key, item.message, item.signature)
    )
      todo.push({ key: item.key.slice(), message: item.message.slice(), signature: item.signature.slice() });
  }
  if (todo.length === 0) return;
  const s = subtle ?? (await webCryptoEd25519());
  if (!s) return;
  const keys = new Map<string, Promise<CryptoKey | undefined>>();
  const importKey = (key: Uint8Array<ArrayBuffer>) => {
    const id = hex(key);
    let k = keys.get(id);
    if (!k) {
      k = s.importKey('raw', key, ED25519_ALG, false, ['verify']).then(
        (c) => c,
        () => undefined,
      );
      keys.set(id, k);
    }
    return k;
  };
  await Promise.all(
    todo.map(async (t) => {
      const key = await importKey(t.key as Uint8Array<ArrayBuffer>);
      if (!key) return;
      let ok = false;
      try {
        ok = await s.verify(
          ED25519_ALG,
          key,
          t.signature as Uint8Array<ArrayBuffer>,
          t.message as Uint8Array<ArrayBuffer>,
        );
      } catch {
        ok = false;
      }
      if (ok === true) rememberPreverified(t);
    }),
  );
}

/**
 * Verifies within the acceptance set, in the Rust crate's order: `bad_key` for a key outside
 * it, then `bad_signature` for a signature outside it or one that does not verify. A triple
 * `preverify` saw WebCrypto accept skips the R check and the equation (given the key check and
 * S < L, WebCrypto accepts only what those would: verifier-hardening.md section 9).
 */
export function verifyStrict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
  checkPublicKey(publicKey);
  checkScalar(signature);
  if (isPreverified(publicKey, message, signature)) return;
  checkSignatureEncoding(signature);
  let ok = false;
  try {
    ok = ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    ok = false;
  }
  if (!ok) fail('bad_signature');
}
