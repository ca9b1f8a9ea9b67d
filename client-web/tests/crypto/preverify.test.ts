// WebCrypto's shortcut (verifier-hardening 9): `preverify` remembers only what WebCrypto
// accepted, `verifyStrict` still checks the key and S < L itself, and a WebCrypto that accepts
// a torsioned R (a cofactored verifier) or refuses an honest signature is never used. Every
// other test file replays its signatures through this shortcut too (tests/preverify-replay.ts).
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clearPreverified,
  passesProbe,
  peekStatement,
  preverifiedCount,
  preverify,
  preverifyStatements,
  SigningKey,
  signStatement,
  verifyStatement,
  verifyStrict,
  webCryptoEd25519,
} from '../../src/crypto';
import { A, edgeCases, highS, honest, mixedKey, mixedSig, msg, torsioned } from './ed25519-cases';
import { COFFRE, enc, expectCode, flipBit, INSTANCE, PAPER, T0 } from './fixtures';

const verdict = (key: Uint8Array, m: Uint8Array, sig: Uint8Array) => {
  try {
    verifyStrict(key, m, sig);
    return 'accept';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

/** A SubtleCrypto stand-in whose Ed25519 verify answers `answer` (a lying or broken one). */
function fakeSubtle(answer: boolean | 'throw'): SubtleCrypto {
  return {
    importKey: async () => ({}) as CryptoKey,
    verify: async () => {
      if (answer === 'throw') throw new Error('NotSupportedError');
      return answer;
    },
  } as unknown as SubtleCrypto;
}

afterEach(() => clearPreverified());

describe('preverify (WebCrypto Ed25519)', () => {
  it("Node's WebCrypto has Ed25519 and passes the probe", async () => {
    expect(await webCryptoEd25519()).toBe(globalThis.crypto.subtle);
  });

  it('a WebCrypto that accepts everything, refuses everything or throws fails the probe', async () => {
    expect(await passesProbe(fakeSubtle(true))).toBe(false);
    expect(await passesProbe(fakeSubtle(false))).toBe(false);
    expect(await passesProbe(fakeSubtle('throw'))).toBe(false);
  });

  it('remembers only the triples WebCrypto accepted', async () => {
    expect(ed25519.verify(torsioned, msg, A.toBytes(), { zip215: false })).toBe(true); // cofactored holds
    await preverify([
      { key: A.toBytes(), message: msg, signature: honest },
      { key: A.toBytes(), message: msg, signature: torsioned },
      { key: A.toBytes(), message: msg, signature: flipBit(honest, 3) },
      { key: A.toBytes(), message: enc('another message'), signature: honest },
    ]);
    expect(preverifiedCount()).toBe(1);
    expect(verdict(A.toBytes(), msg, honest)).toBe('accept');
    expect(verdict(A.toBytes(), msg, torsioned)).toBe('bad_signature');
  });

  it('even a lying WebCrypto cannot pass a mixed-order key or S >= L: verifyStrict checks both itself', async () => {
    const mixed = mixedKey;
    const sigMixed = mixedSig;
    const high = highS;
    await preverify(
      [
        { key: mixed, message: msg, signature: sigMixed },
        { key: A.toBytes(), message: msg, signature: high },
      ],
      fakeSubtle(true),
    );
    expect(preverifiedCount()).toBe(2);
    await expectCode(() => verifyStrict(mixed, msg, sigMixed), 'bad_key');
    await expectCode(() => verifyStrict(A.toBytes(), msg, high), 'bad_signature');
  });

  it('what is remembered is a copy: bytes changed after preverify are checked by noble', async () => {
    const m = msg.slice();
    const key = A.toBytes();
    const pending = preverify([{ key, message: m, signature: honest }]);
    m[m.length - 1] ^= 1; // the caller reuses its buffer while WebCrypto works
    await pending;
    expect(preverifiedCount()).toBe(1);
    expect(verdict(key, m, honest)).toBe('bad_signature');
    m[m.length - 1] ^= 1;
    expect(verdict(key, m, honest)).toBe('accept');
  });

  it('the edge cases and one-bit changes of key, message or signature get the same verdict with and without it', async () => {
    const cases = edgeCases();
    const alone = cases.map((c) => verdict(...c));
    await preverify(cases.map(([key, message, signature]) => ({ key, message, signature })));
    expect(cases.map((c) => verdict(...c))).toEqual(alone);
    expect(alone.filter((v) => v === 'accept')).toHaveLength(1);
  });

  it('preverifyStatements takes every signature of the envelopes and skips what does not parse', async () => {
    const k1 = new SigningKey(new Uint8Array(32).fill(3));
    const envelope = signStatement(
      { kind: 'revocation', v: 1, instance: INSTANCE, coffre: COFFRE, epoch: 0, mandate: PAPER, created: T0 },
      k1,
    );
    await preverifyStatements([envelope, enc('{"not":"an envelope"}'), new Uint8Array(0)]);
    expect(preverifiedCount()).toBe(1);
  });

  it('a statement peeked once gets the verdicts of its bytes, preverified or not; a look-alike is parsed', async () => {
    const owner = new SigningKey(new Uint8Array(32).fill(5));
    const other = new SigningKey(new Uint8Array(32).fill(6));
    const body = {
      kind: 'revocation',
      v: 1,
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      mandate: PAPER,
      created: T0,
    };
    const good = signStatement(body, owner);
    const forged = signStatement(body, other);
    const bad = flipBit(good, good.length * 8 - 200); // inside the signature's base64
    const verdictOf = (input: Parameters<typeof verifyStatement>[0]) => {
      try {
        return verifyStatement(input, 'revocation', owner.publicB64).body;
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    for (const bytes of [good, forged, bad]) {
      const alone = verdictOf(bytes);
      let peeked: ReturnType<typeof peekStatement>;
      try {
        peeked = peekStatement(bytes, 'revocation');
      } catch (e) {
        expect((e as { code?: string }).code).toBe(alone);
        continue;
      }
      expect(verdictOf(peeked)).toEqual(alone);
      await preverifyStatements([peeked]);
      expect(verdictOf(peeked)).toEqual(alone);
      clearPreverified();
    }
    expect(verdictOf(peekStatement(good, 'revocation'))).toEqual(body);
    await expectCode(
      () => verifyStatement(peekStatement(good, 'revocation'), 'deletion', owner.publicB64),
      'wrong_kind',
    );
    // The same shape, not made by peekStatement, with a body other than the signed one: it is
    // parsed as an envelope (and refused), never taken as already parsed.
    const real = peekStatement(good, 'revocation');
    const lookalike = { parsed: real.parsed, kind: 'revocation', body: { ...body, mandate: COFFRE } };
    expect(verdictOf(lookalike as never)).not.toEqual(lookalike.body);
    expect(Object.isFrozen(real)).toBe(true);
  });

  it('stays bounded: a message over 64 KiB is not taken, and 16 MiB of messages clears the cache', async () => {
    const k = new SigningKey(new Uint8Array(32).fill(4));
    const big = (i: number, size: number) => {
      const m = new Uint8Array(size).fill(i & 0xff);
      m[0] = i >> 8;
      return { key: k.publicKey, message: m, signature: k.sign(m) };
    };
    const huge = big(0, 64 * 1024 + 1);
    await preverify([huge]);
    expect(preverifiedCount()).toBe(0);
    expect(verdict(huge.key, huge.message, huge.signature)).toBe('accept');
    // 260 messages of 64 KiB: more than 16 MiB, so the cache was cleared on the way.
    const many = Array.from({ length: 260 }, (_, i) => big(i + 1, 64 * 1024));
    await preverify(many);
    expect(preverifiedCount()).toBeGreaterThan(0);
    expect(preverifiedCount()).toBeLessThan(256);
    for (const t of many) expect(verdict(t.key, t.message, t.signature)).toBe('accept');
  });

  it('a WebCrypto whose verify throws remembers nothing, and verdicts stay noble', async () => {
    await preverify([{ key: A.toBytes(), message: msg, signature: honest }], fakeSubtle('throw'));
    expect(preverifiedCount()).toBe(0);
    expect(verdict(A.toBytes(), msg, honest)).toBe('accept');
  });
});
