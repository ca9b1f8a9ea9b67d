import { base64urlnopad } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { b64decode, b64encode, canonicalEncode, canonicalParse, ENVELOPE_CAP } from '../../src/crypto';
import { dec, enc, expectCode } from './fixtures';

const parse = (s: string) => canonicalParse(enc(s), ENVELOPE_CAP);

describe('b64 (base64url, no padding, strict)', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(b64decode(b64encode(b))).toEqual(b);
      }),
    );
  });
  it.each(['AQ==', 'AQ=', 'A+8', 'A/8', ' AQ', 'AQ\n', 'AR', 'A', 'AQ!'])('rejects %j', async (s) => {
    await expectCode(() => b64decode(s), 'bad_base64');
  });
  it('accepts exactly the strings the general decoder takes as canonical, with the same bytes', () => {
    const reference = (s: string): Uint8Array | undefined => {
      try {
        const out = base64urlnopad.decode(s);
        return base64urlnopad.encode(out) === s ? out : undefined;
      } catch {
        return undefined;
      }
    };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .é';
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, (s) => {
        const expected = reference(s);
        let got: Uint8Array | undefined;
        try {
          got = b64decode(s);
        } catch {
          got = undefined;
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });
  it('checks the expected length', async () => {
    await expectCode(() => b64decode(b64encode(new Uint8Array(31)), 32), 'bad_base64');
  });
});

describe('canonical JSON', () => {
  it('sorts keys, omits undefined, escapes like JSON.stringify', () => {
    const s = dec(canonicalEncode({ b: 1, a: 'x\u0001"\\\n\u2028é', c: undefined, d: [true, false, { z: 0, y: [] }] }));
    expect(s).toBe('{"a":"x\\u0001\\"\\\\\\n\u2028é","b":1,"d":[true,false,{"y":[],"z":0}]}');
  });
  it('parse ∘ encode is the identity on canonical values', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    const leaf = fc.oneof(fc.string({ unit: 'grapheme' }), fc.boolean(), fc.maxSafeNat());
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', maxDepth: 3 },
        leaf,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(key, tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), (obj) => {
        const bytes = canonicalEncode(obj);
        expect(canonicalEncode(canonicalParse(bytes, 1 << 20))).toEqual(bytes);
      }),
    );
  });
  it.each([
    ['{"a":1,"a":2}', 'duplicate_field'],
    ['{"a":1.5}', 'malformed'],
    ['{"a":1e3}', 'malformed'],
    ['{"a":-1}', 'malformed'],
    ['{"a":null}', 'non_canonical'],
    ['{"a":9007199254740992}', 'non_canonical'],
    ['{"a":18446744073709551616}', 'malformed'],
    ['{"a":01}', 'malformed'], // a JSON syntax error, as in serde_json
    ['{"b":1,"a":2}', 'non_canonical'],
    ['{ "a":1}', 'non_canonical'],
    ['{"a":1} ', 'non_canonical'],
    ['{"a":1}\n', 'non_canonical'],
    ['{"a":1}x', 'malformed'],
    ['\ufeff{"a":1}', 'malformed'],
    ['{"a":"\\u0041"}', 'non_canonical'],
    ['{"a":"\\/"}', 'non_canonical'],
    ['{"a":"\\u001F"}', 'non_canonical'],
    ['{"a":"\\ud800"}', 'malformed'],
    ['{"a":"x', 'malformed'],
    ['{"a":', 'malformed'],
    ['[1]', 'malformed'],
    ['"a"', 'malformed'],
    ['{"A":1}', 'malformed'],
    ['{"a":"\u0001"}', 'malformed'],
    [`{"a":${'['.repeat(20)}${']'.repeat(20)}}`, 'malformed'],
  ] as const)('rejects %s', async (s, code) => {
    await expectCode(() => parse(s), code);
  });
  it('rejects invalid UTF-8 and oversized input before parsing', async () => {
    await expectCode(
      () => canonicalParse(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), 100),
      'malformed',
    );
    await expectCode(() => canonicalParse(enc(`{"a":"${'x'.repeat(ENVELOPE_CAP)}"}`), ENVELOPE_CAP), 'too_large');
  });
  it('never throws anything but a CoffreCryptoError on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          canonicalParse(b, 1000);
        } catch (e) {
          expect((e as Error).name).toBe('CoffreCryptoError');
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.json(), (s) => {
        try {
          canonicalParse(enc(s), 1 << 16);
        } catch (e) {
          expect((e as Error).name).toBe('CoffreCryptoError');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
