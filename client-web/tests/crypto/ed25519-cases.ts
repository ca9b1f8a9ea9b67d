// Ed25519 cases at the edge of the acceptance set, shared by tests/crypto/preverify.test.ts
// (Node's WebCrypto) and tests/browser/preverify-page.ts (Chromium's): an honest signature,
// a torsioned R and a mixed-order key that satisfy only the cofactored equation, S >= L,
// keys outside the set, and one-bit changes of key, message and signature.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { ED25519_L } from '../../src/crypto/ed25519';

const Point = ed25519.Point;
const L = ED25519_L;
const enc = (s: string) => new TextEncoder().encode(s);
const mod = (x: bigint) => ((x % L) + L) % L;
export const le = (b: Uint8Array) => b.reduceRight((n, x) => (n << 8n) | BigInt(x), 0n);
export const toLe = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const flip = (b: Uint8Array, bit: number) => {
  const out = b.slice();
  out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7));
  return out;
};

/** A point of order 8 exactly. */
function torsion8() {
  for (let i = 1; ; i++) {
    const bytes = sha512(enc(`coffre preverify point ${i}`)).subarray(0, 32);
    let p: ReturnType<typeof Point.fromBytes>;
    try {
      p = Point.fromBytes(bytes, false);
    } catch {
      continue;
    }
    const t = p.multiply(L - 1n).add(p);
    if (!t.multiply(4n).is0()) return t;
  }
}
export const T = torsion8();
const a = mod(le(sha512(enc('coffre preverify a'))));
export const A = Point.BASE.multiply(a);
const r = mod(le(sha512(enc('coffre preverify nonce'))));
export const msg = enc('coffre/v1/statement\nsome body');

/** An RFC 8032 signature with an explicit R point and key bytes (secret scalar a). */
export function signWith(R: InstanceType<typeof Point>, keyBytes: Uint8Array, m = msg): Uint8Array {
  const Rb = R.toBytes();
  const k = mod(le(sha512(new Uint8Array([...Rb, ...keyBytes, ...m]))));
  return new Uint8Array([...Rb, ...toLe(mod(r + k * a))]);
}
export const honest = signWith(Point.BASE.multiply(r), A.toBytes());
export const torsioned = signWith(Point.BASE.multiply(r).add(T), A.toBytes());
export const mixedKey = A.add(T).toBytes();
export const mixedSig = signWith(Point.BASE.multiply(r), mixedKey);
export const highS = new Uint8Array([...honest.subarray(0, 32), ...toLe(le(honest.subarray(32)) + L)]);

export type Case = [key: Uint8Array, message: Uint8Array, signature: Uint8Array];

/** Every case: the edge ones, then one-bit changes of the honest triple (a stride of bits). */
export function edgeCases(): Case[] {
  const key = A.toBytes();
  const identity = Point.ZERO.toBytes();
  const nonCanonical = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xee : i === 31 ? 0x7f : 0xff));
  const cases: Case[] = [
    [key, msg, honest],
    [key, msg, torsioned],
    [mixedKey, msg, mixedSig],
    [key, msg, highS],
    [identity, msg, honest],
    [T.toBytes(), msg, honest],
    [nonCanonical, msg, honest],
    [key, enc('another message'), honest],
  ];
  for (let bit = 0; bit < 512; bit += 3) cases.push([key, msg, flip(honest, bit)]);
  for (let bit = 0; bit < 256; bit += 5) cases.push([flip(key, bit), msg, honest]);
  for (let bit = 0; bit < msg.length * 8; bit += 7) cases.push([key, flip(msg, bit), honest]);
  return cases;
}
