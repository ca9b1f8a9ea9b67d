// One Ed25519 acceptance set (hardening 2): keys and R must be canonical points of the
// prime-order subgroup, S < L. The cases are built here: a mixed-order key A + T and an R + T
// (T of small order) with signatures that satisfy the cofactored equation @noble/curves checks,
// but not the cofactorless one ed25519-dalek's verify_strict checks.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  b64encode,
  canonicalEncode,
  checkPublicKey,
  ED25519_L,
  fingerprint,
  isAcceptableKey,
  openStatement,
  publicKeyBytes,
  SigningKey,
  signedMessage,
  signStatement,
  verifyEd25519,
} from '../../src/crypto';
import { COFFRE, enc, expectCode, INSTANCE, PAPER, T0 } from './fixtures';

const Point = ed25519.Point;
const L = ED25519_L;
const mod = (x: bigint) => ((x % L) + L) % L;
const le = (b: Uint8Array) => b.reduceRight((n, x) => (n << 8n) | BigInt(x), 0n);
const toLe = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

/** A point of order 8: L·P for a point P whose torsion part has order 8. */
function torsion8() {
  for (let i = 1; ; i++) {
    const bytes = sha512(enc(`coffre test point ${i}`)).subarray(0, 32);
    let p: ReturnType<typeof Point.fromBytes>;
    try {
      p = Point.fromBytes(bytes, false);
    } catch {
      continue;
    }
    const t = p.multiply(L - 1n).add(p);
    if (!t.multiply(4n).is0()) return t; // order 8 exactly
  }
}
const T = torsion8();
const a = mod(le(sha512(enc('coffre secret a'))));
const A = Point.BASE.multiply(a);
const body = enc(
  dec(
    canonicalEncode({
      kind: 'revocation',
      v: 1,
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      mandate: PAPER,
      created: T0,
    }),
  ),
);
function dec(b: Uint8Array) {
  return new TextDecoder().decode(b);
}
const msg = signedMessage(body);

/** An RFC 8032 signature with explicit R point, key bytes and secret scalar. */
function signWith(rScalar: bigint, R: InstanceType<typeof Point>, keyBytes: Uint8Array): Uint8Array {
  const Rb = R.toBytes();
  const k = mod(le(sha512(new Uint8Array([...Rb, ...keyBytes, ...msg]))));
  return new Uint8Array([...Rb, ...toLe(mod(rScalar + k * a))]);
}
const envelope = (key: Uint8Array, sig: Uint8Array) =>
  canonicalEncode({ body: b64encode(body), sigs: [{ key: b64encode(key), sig: b64encode(sig) }] });

describe('Ed25519 acceptance set', () => {
  const r = mod(le(sha512(enc('coffre nonce'))));
  it('the honest signature verifies (the construction is right)', () => {
    const sig = signWith(r, Point.BASE.multiply(r), A.toBytes());
    expect(ed25519.verify(sig, msg, A.toBytes(), { zip215: false })).toBe(true);
    expect(openStatement(envelope(A.toBytes(), sig), 'revocation').signers).toEqual([b64encode(A.toBytes())]);
  });

  it('a mixed-order key A + T is bad_key, though noble alone accepts its signature', async () => {
    const mixed = A.add(T).toBytes();
    const sig = signWith(r, Point.BASE.multiply(r), mixed);
    expect(ed25519.verify(sig, msg, mixed, { zip215: false })).toBe(true); // cofactored equation holds
    expect(verifyEd25519(mixed, msg, sig)).toBe(false);
    await expectCode(() => openStatement(envelope(mixed, sig), 'revocation'), 'bad_key');
    await expectCode(() => checkPublicKey(mixed), 'bad_key');
    await expectCode(() => publicKeyBytes(b64encode(mixed)), 'bad_key');
    await expectCode(() => fingerprint(b64encode(mixed)), 'bad_key');
  });

  it('an R with a small-order component is bad_signature, though noble alone accepts it', async () => {
    const R = Point.BASE.multiply(r).add(T);
    const sig = signWith(r, R, A.toBytes());
    expect(ed25519.verify(sig, msg, A.toBytes(), { zip215: false })).toBe(true);
    expect(verifyEd25519(A.toBytes(), msg, sig)).toBe(false);
    await expectCode(() => openStatement(envelope(A.toBytes(), sig), 'revocation'), 'bad_signature');
  });

  it('S >= L is bad_signature', async () => {
    const sig = signWith(r, Point.BASE.multiply(r), A.toBytes());
    const s = le(sig.subarray(32)) + L;
    const high = new Uint8Array([...sig.subarray(0, 32), ...toLe(s)]);
    await expectCode(() => openStatement(envelope(A.toBytes(), high), 'revocation'), 'bad_signature');
  });

  it('identity, small-order and non-canonical keys are bad_key (envelope signer and body field)', async () => {
    const identity = Point.ZERO.toBytes();
    const nonCanonical = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xee : i === 31 ? 0x7f : 0xff)); // y = p + 1
    const signBit = new Uint8Array(32);
    signBit[0] = 1;
    signBit[31] = 0x80; // y = 1, x = 0 with the sign bit set
    for (const bad of [identity, T.toBytes(), nonCanonical, signBit]) {
      expect(isAcceptableKey(bad)).toBe(false);
      await expectCode(() => openStatement(envelope(bad, new Uint8Array(64)), 'revocation'), 'bad_key');
    }
    const k = new SigningKey(new Uint8Array(32).fill(5));
    const mixed = b64encode(A.add(T).toBytes());
    await expectCode(
      () =>
        signStatement(
          {
            kind: 'renunciation',
            v: 1,
            instance: INSTANCE,
            coffre: COFFRE,
            epoch: 0,
            mandate: PAPER,
            grantee_key: mixed,
            created: T0,
          },
          k,
        ),
      'bad_key',
    );
  });
});
