// Field checks use own-property membership (hardening 6): names from Object.prototype are
// unknown fields at every level, and checks run in document order like serde's derive.
import { describe, expect, it } from 'vitest';
import {
  b64encode,
  canonicalEncode,
  canonicalParse,
  decodePayload,
  ENVELOPE_CAP,
  type JsonObject,
  openStatement,
  parseEnvelope,
  SigningKey,
  type StatementKind,
  signStatement,
} from '../../src/crypto';
import { COFFRE, dec, enc, expectCode, INSTANCE, PAPER, T0 } from './fixtures';

const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
  'toLocaleString',
];

const k = new SigningKey(new Uint8Array(32).fill(9));
const other = new SigningKey(new Uint8Array(32).fill(10));

/** Canonical-looking text of `obj` with one extra member, keys sorted by byte value. */
function textWith(obj: object, extra: string, value: unknown): string {
  const o = obj as JsonObject;
  const members: [string, string][] = Object.keys(o).map((key) => [
    key,
    dec(canonicalEncode({ x: o[key]! })).slice(5, -1),
  ]);
  members.push([
    extra,
    typeof value === 'object' && value && 'raw' in value ? (value as { raw: string }).raw : JSON.stringify(value),
  ]);
  members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([key, v]) => `${JSON.stringify(key)}:${v}`).join(',')}}`;
}

/** An envelope whose body is exactly `bodyText`, validly signed by `k`. */
function envelopeWithBody(bodyText: string): Uint8Array {
  const b = enc(bodyText);
  const sig = k.sign(new Uint8Array([...enc('coffre/v1/signed\n'), ...b]));
  return canonicalEncode({ body: b64encode(b), sigs: [{ key: k.publicB64, sig: b64encode(sig) }] });
}

const revocation = {
  kind: 'revocation',
  v: 1,
  instance: INSTANCE,
  coffre: COFFRE,
  epoch: 0,
  mandate: PAPER,
  created: T0,
};
const mandate = {
  kind: 'mandate',
  v: 1,
  instance: INSTANCE,
  coffre: COFFRE,
  epoch: 0,
  mandate: PAPER,
  grantee: {
    type: 'person',
    id: PAPER,
    key: other.publicB64,
    recipient: 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj',
  },
  categories: [COFFRE],
  rights: 'consult',
  not_before: T0,
  not_after: T0 + 10,
  text_sha256: b64encode(new Uint8Array(32)),
  created: T0,
};
const chain = {
  kind: 'org_chain',
  v: 1,
  instance: INSTANCE,
  organisation: COFFRE,
  seq: 0,
  prev: b64encode(new Uint8Array(32)),
  action: 'found',
  member: {
    key: other.publicB64,
    recipient: 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj',
    role: 'responsable',
  },
  created: T0,
};

describe('prototype names are unknown fields at every level', () => {
  it.each(PROTOTYPE_NAMES)('%s in a statement body', async (name) => {
    await expectCode(
      () => openStatement(envelopeWithBody(textWith(revocation, name, 1)), 'revocation'),
      'unknown_field',
    );
  });
  it.each(PROTOTYPE_NAMES)('%s in a nested grantee object', async (name) => {
    const { grantee, ...rest } = mandate;
    const text = textWith(rest, 'grantee', { raw: textWith(grantee, name, 'x') });
    await expectCode(() => openStatement(envelopeWithBody(text), 'mandate'), 'unknown_field');
  });
  it.each(PROTOTYPE_NAMES)('%s in a nested chain member', async (name) => {
    const { member, ...rest } = chain;
    const text = textWith(rest, 'member', { raw: textWith(member, name, 'x') });
    await expectCode(() => openStatement(envelopeWithBody(text), 'org_chain'), 'unknown_field');
  });
  it.each(PROTOTYPE_NAMES)('%s in an envelope and in a signature object', async (name) => {
    const env = JSON.parse(dec(signStatement(revocation, k)));
    await expectCode(() => parseEnvelope(enc(textWith(env, name, 1))), 'unknown_field');
    const sigText = textWith(env.sigs[0], name, 1);
    await expectCode(
      () => parseEnvelope(enc(`{"body":${JSON.stringify(env.body)},"sigs":[${sigText}]}`)),
      'unknown_field',
    );
  });
  it.each(PROTOTYPE_NAMES)('%s in an encrypted payload', async (name) => {
    const seed = { coffre: COFFRE, epoch: 0, kind: 'owner_seed', seed: b64encode(new Uint8Array(32)), v: 1 };
    await expectCode(() => decodePayload('owner_seed', enc(textWith(seed, name, 1))), 'unknown_field');
  });
  it('a kind named after a prototype member is a wrong kind, not a schema lookup', async () => {
    await expectCode(() => openStatement(signStatement(revocation, k), 'constructor' as StatementKind), 'wrong_kind');
    await expectCode(() => signStatement({ ...revocation, kind: 'toString' }, k), 'wrong_kind');
    await expectCode(() => decodePayload('__proto__' as never, enc('{"kind":"__proto__","v":1}')), 'wrong_kind');
  });
});

describe('__proto__ keys in the canonical parser', () => {
  it('is an own member, re-encodes to the same bytes, and pollutes nothing', () => {
    const text = '{"__proto__":{"polluted":1},"a":1}';
    const v = canonicalParse(enc(text), ENVELOPE_CAP);
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(dec(canonicalEncode(v))).toBe(text);
    // JSON.parse also makes it an own key: the encoder keeps it.
    expect(dec(canonicalEncode(JSON.parse(text)))).toBe(text);
  });
  it('repeated: duplicate_field without a schema, unknown_field (its first occurrence) with one', async () => {
    await expectCode(() => canonicalParse(enc('{"__proto__":1,"__proto__":1}'), ENVELOPE_CAP), 'duplicate_field');
    const t = dec(canonicalEncode(revocation));
    const twice = t.replace('{', '{"__proto__":1,"__proto__":2,');
    await expectCode(() => openStatement(envelopeWithBody(twice), 'revocation'), 'unknown_field');
  });
});

describe('checks run in document order, like serde', () => {
  const t = dec(canonicalEncode(revocation));
  it('a bad value before an unknown key is malformed; an unknown key before a bad value is unknown_field', async () => {
    const badCoffreThenUnknown = t
      .replace(`"coffre":"${COFFRE}"`, '"coffre":"nope"')
      .replace('"v":1}', '"v":1,"zz":1}');
    await expectCode(() => openStatement(envelopeWithBody(badCoffreThenUnknown), 'revocation'), 'malformed');
    const unknownThenBadEpoch = t.replace('{', '{"aa":1,').replace('"epoch":0', '"epoch":"0"');
    await expectCode(() => openStatement(envelopeWithBody(unknownThenBadEpoch), 'revocation'), 'unknown_field');
  });
  it('a repeated kind or v is found before the kind check; v as float, negative or null', async () => {
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace('"v":1', '"v":1,"v":1')), 'revocation'),
      'duplicate_field',
    );
    await expectCode(
      () =>
        openStatement(
          envelopeWithBody(t.replace('"kind":"revocation"', '"kind":"deletion","kind":"revocation"')),
          'revocation',
        ),
      'duplicate_field',
    );
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace('"v":1', '"v":1.0')), 'revocation'),
      'unknown_version',
    );
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace('"v":1', '"v":-1')), 'revocation'),
      'unknown_version',
    );
    await expectCode(() => openStatement(envelopeWithBody(t.replace('"v":1', '"v":null')), 'revocation'), 'malformed');
    await expectCode(
      () => openStatement(envelopeWithBody(t.replace('"epoch":0', '"epoch":1e0')), 'revocation'),
      'malformed',
    );
  });
});
