// The one Ed25519 acceptance set (protocol 2.2, hardening 2), the twin of the Rust crate's
// `ed25519.rs`. @noble/curves checks the cofactored equation and ed25519-dalek's
// `verify_strict` the cofactorless one; they agree exactly when the public key A and the
// signature's R are both in the prime-order subgroup. So both sides accept a key only as a
// canonical, torsion-free point other than the identity (`bad_key`), and a signature only
// with R canonical and torsion-free and S < L (`bad_signature`).
import { ed25519 } from '@noble/curves/ed25519.js';
import { fail } from './errors';

const Point = ed25519.Point;
/** L, the order of the prime-order subgroup. */
export const ED25519_L: bigint = Point.Fn.ORDER;

type EdPoint = InstanceType<typeof Point>;

/** The point of a canonical encoding in the prime-order subgroup, or undefined. */
function primeOrderPoint(bytes: Uint8Array): EdPoint | undefined {
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
  return p.isTorsionFree() ? p : undefined;
}

// Keys repeat (one actor signs a whole journal page): remember the ones that passed.
const GOOD_KEYS = new Set<string>();
const GOOD_KEYS_CAP = 4096;
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** True for a canonical, torsion-free point other than the identity. */
export function isAcceptableKey(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) return false;
  const id = hex(bytes);
  if (GOOD_KEYS.has(id)) return true;
  const p = primeOrderPoint(bytes);
  if (!p || p.is0()) return false;
  if (GOOD_KEYS.size >= GOOD_KEYS_CAP) GOOD_KEYS.clear();
  GOOD_KEYS.add(id);
  return true;
}

/** `bad_key` unless the bytes are a canonical, torsion-free point other than the identity. */
export function checkPublicKey(bytes: Uint8Array): void {
  if (!isAcceptableKey(bytes)) fail('bad_key', 'Ed25519 key outside the prime-order subgroup or not canonical');
}

/** `bad_signature` unless R is canonical and torsion-free and S < L. */
export function checkSignatureEncoding(sig: Uint8Array): void {
  if (!(sig instanceof Uint8Array) || sig.length !== 64) fail('bad_signature', 'length');
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
  if (s >= ED25519_L) fail('bad_signature', 'S >= L');
  if (!primeOrderPoint(sig.subarray(0, 32)))
    fail('bad_signature', 'R outside the prime-order subgroup or not canonical');
}

/**
 * Verifies within the acceptance set, in the Rust crate's order: `bad_key` for a key outside
 * it, then `bad_signature` for a signature outside it or one that does not verify.
 */
export function verifyStrict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
  checkPublicKey(publicKey);
  checkSignatureEncoding(signature);
  let ok = false;
  try {
    ok = ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    ok = false;
  }
  if (!ok) fail('bad_signature');
}
