// Hostile input for each parser: oversized, truncated, unknown version, duplicate fields,
// deep nesting, huge age header, garbage. Every failure is a CoffreCryptoError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  b64decode,
  b64encode,
  CoffreCryptoError,
  canonicalEncode,
  decodePayload,
  encryptTo,
  generateIdentity,
  identityToBytes,
  openPayload,
  openStatement,
  PAYLOAD_CAP,
  parseEnvelope,
  parseFingerprintQr,
  parseShareLink,
  recipientOf,
  recipientToBytes,
  SigningKey,
  signStatement,
  verifyJournal,
  verifyOrgChain,
} from '../../src/crypto';
import { COFFRE, dec, enc, expectCode, INSTANCE, PAPER, T0 } from './fixtures';

const k = new SigningKey(new Uint8Array(32).fill(1));
const body = { kind: 'revocation', v: 1, instance: INSTANCE, coffre: COFFRE, epoch: 0, mandate: PAPER, created: T0 };
const good = signStatement(body, k);
const goodText = dec(good);

function envelopeWithBody(bodyText: string): Uint8Array {
  const b = enc(bodyText);
  const sig = k.sign(new Uint8Array([...enc('coffre/v1/signed\n'), ...b]));
  return canonicalEncode({ body: b64encode(b), sigs: [{ key: k.publicB64, sig: b64encode(sig) }] });
}

describe('statement envelope parser', () => {
  it.each([
    ['truncated', goodText.slice(0, -1), 'malformed'],
    ['duplicate field', goodText.replace('{"body":', '{"body":"AA","body":'), 'duplicate_field'],
    ['unknown field', goodText.replace('{"body":', '{"a":1,"body":'), 'unknown_field'],
    ['empty sigs', goodText.replace(/"sigs":\[.*\]/, '"sigs":[]'), 'too_few_signatures'],
    ['pretty-printed', JSON.stringify(JSON.parse(goodText), null, 1), 'non_canonical'],
    ['deep nesting', `{"body":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'malformed'],
  ])('%s', async (_n, text, code) => {
    await expectCode(() => openStatement(enc(text), 'revocation'), code as never);
  });
  it('oversized', async () => {
    await expectCode(() => parseEnvelope(enc(`{"body":"${'A'.repeat(70_000)}","sigs":[]}`)), 'too_large');
  });
  it('body: unknown version, duplicate fields, float, negative, wrong kind, padding', async () => {
    const t = dec(canonicalEncode(body));
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace('"v":1', '"v":2')), 'revocation'),
      'unknown_version',
    );
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace('"created":', '"coffre":"x","created":')), 'revocation'),
      'duplicate_field',
    );
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace(`"created":${T0}`, `"created":${T0}.0`)), 'revocation'),
      'malformed',
    );
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace('"epoch":0', '"epoch":-1')), 'revocation'),
      'malformed',
    );
    await expectCode(() => openStatement(envelopeWithBody(t), 'deletion'), 'wrong_kind');
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace('"v":1', '"v":"1"')), 'revocation'),
      'unknown_version',
    );
    await expectCode(
      () => openStatement(enc(goodText.replace(/"body":"([^"]*)"/, '"body":"$1="')), 'revocation'),
      'bad_base64',
    );
  });
  it('random mutations never throw anything else', () => {
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (i, byte) => {
        const m = good.slice();
        m[i] = byte;
        try {
          openStatement(m, 'revocation');
        } catch (e) {
          expect(e).toBeInstanceOf(CoffreCryptoError);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('encrypted payload parser', () => {
  const id = generateIdentity();
  it('oversized file refused before decryption', async () => {
    await expectCode(openPayload('owner_seed', new Uint8Array(PAYLOAD_CAP + 1), [id]), 'too_large');
  });
  it('huge age header refused before age parses it', async () => {
    const huge = enc(`age-encryption.org/v1\n-> X25519 ${'A'.repeat(20_000)}\n`);
    await expectCode(openPayload('owner_seed', huge, [id]), 'header_too_large');
  });
  it('armored or garbage input', async () => {
    await expectCode(openPayload('owner_seed', enc('-----BEGIN AGE ENCRYPTED FILE-----\n'), [id]), 'decryption_failed');
    await expectCode(openPayload('owner_seed', new Uint8Array(100), [id]), 'header_too_large');
  });
  it('plaintext that is not a canonical payload of the expected kind', async () => {
    const seal = (t: string) => encryptTo([recipientOf(id)], enc(t));
    const ok = `{"coffre":"${COFFRE}","epoch":0,"kind":"owner_seed","seed":"${b64encode(new Uint8Array(32))}","v":1}`;
    expect(decodePayload('owner_seed', enc(ok)).epoch).toBe(0);
    await expectCode(openPayload('owner_seed', await seal(ok.replace('"v":1', '"v":7')), [id]), 'unknown_version');
    await expectCode(
      openPayload('owner_seed', await seal(ok.replace('"epoch":0', '"epoch":0,"epoch":0')), [id]),
      'duplicate_field',
    );
    await expectCode(
      openPayload('owner_seed', await seal(ok.replace('"v":1}', '"v":1,"zz":1}')), [id]),
      'unknown_field',
    );
    await expectCode(openPayload('category_key', await seal(ok), [id]), 'wrong_kind');
    await expectCode(
      openPayload('owner_seed', await seal(ok.replace(b64encode(new Uint8Array(32)), b64encode(new Uint8Array(31)))), [
        id,
      ]),
      'malformed',
    );
    await expectCode(openPayload('owner_seed', await seal(ok.slice(0, -1)), [id]), 'malformed');
  });
});

describe('small parsers: only CoffreCryptoError on any string', () => {
  const parsers: [string, (s: string) => unknown][] = [
    ['b64decode', (x) => b64decode(x)],
    ['identityToBytes', (x) => identityToBytes(x)],
    ['recipientToBytes', (x) => recipientToBytes(x)],
    ['parseFingerprintQr', (x) => parseFingerprintQr(x)],
    ['parseShareLink', (x) => parseShareLink(x)],
    ['unwrap of a string payload', (x) => decodePayload('owner_seed', enc(x))],
  ];
  it.each(parsers)('%s', (_n, parse) => {
    const near = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc
        .constantFrom('coffre:fp:1:', 'AGE-SECRET-KEY-1', 'age1', 'https://x/p/', '{"kind":"owner_seed"')
        .chain((p) => fc.string().map((t) => p + t)),
    );
    fc.assert(
      fc.property(near, (x) => {
        try {
          parse(x);
        } catch (e) {
          expect(e).toBeInstanceOf(CoffreCryptoError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('chain parsers', () => {
  it('empty and garbage pages', async () => {
    const org = { instance: INSTANCE, organisation: COFFRE };
    await expectCode(() => verifyOrgChain([], k.publicB64, null, org), 'bad_chain');
    await expectCode(() => verifyOrgChain([new Uint8Array(0)], k.publicB64, null, org), 'malformed');
    await expectCode(
      () => verifyJournal([enc('{}')], { instance: INSTANCE, coffre: COFFRE, epoch: 0, allowed: () => true }),
      'malformed',
    );
  });
});
