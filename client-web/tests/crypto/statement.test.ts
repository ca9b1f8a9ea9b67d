import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  b64decode,
  b64encode,
  CoffreCryptoError,
  canonicalEncode,
  countersignStatement,
  openStatement,
  parseEnvelope,
  SigningKey,
  signStatement,
  statementHash,
  verifyStatement,
} from '../../src/crypto';
import { COFFRE, dec, enc, expectCode, flipBit, INSTANCE, PAPER, T0 } from './fixtures';

const owner = new SigningKey(new Uint8Array(32).fill(9));
const other = new SigningKey(new Uint8Array(32).fill(10));
const body = {
  kind: 'deletion',
  v: 1,
  instance: INSTANCE,
  coffre: COFFRE,
  epoch: 0,
  paper: PAPER,
  content_sha256: b64encode(new Uint8Array(32).fill(1)),
  created: T0,
};

function reenvelope(bodyObj: object, signer = owner): Uint8Array {
  const bodyBytes = canonicalEncode(bodyObj);
  const sig = signer.sign(new Uint8Array([...enc('coffre/v1/signed\n'), ...bodyBytes]));
  return canonicalEncode({ body: b64encode(bodyBytes), sigs: [{ key: signer.publicB64, sig: b64encode(sig) }] });
}

describe('signed statements', () => {
  it('sign → verify returns the typed body; signature covers the prefix', () => {
    const env = signStatement(body, owner);
    const v = verifyStatement(env, 'deletion', owner.publicB64);
    expect(v.body).toEqual(body);
    expect(v.hash).toEqual(statementHash(env));
    const { env: e } = parseEnvelope(env);
    expect(dec(b64decode(e.body))).toBe(dec(canonicalEncode(body)));
    expect(e.sigs[0]!.key).toBe(owner.publicB64);
  });
  it('refuses another signer, another kind, an unknown version, unknown fields', async () => {
    const env = signStatement(body, owner);
    await expectCode(() => verifyStatement(env, 'deletion', other.publicB64), 'unauthorised_signer');
    await expectCode(() => verifyStatement(env, 'revocation', owner.publicB64), 'wrong_kind');
    await expectCode(
      () => verifyStatement(reenvelope({ ...body, v: 2 }), 'deletion', owner.publicB64),
      'unknown_version',
    );
    await expectCode(
      () => verifyStatement(reenvelope({ ...body, extra: 1 }), 'deletion', owner.publicB64),
      'unknown_field',
    );
    const { created: _c, ...missing } = body;
    await expectCode(() => verifyStatement(reenvelope(missing), 'deletion', owner.publicB64), 'malformed');
    await expectCode(
      () => verifyStatement(reenvelope({ ...body, paper: 'not-a-uuid' }), 'deletion', owner.publicB64),
      'malformed',
    );
  });
  it('a signature made without the prefix (e.g. an auth challenge) does not verify', async () => {
    const bodyBytes = canonicalEncode(body);
    const sig = owner.sign(bodyBytes);
    const env = canonicalEncode({ body: b64encode(bodyBytes), sigs: [{ key: owner.publicB64, sig: b64encode(sig) }] });
    await expectCode(() => verifyStatement(env, 'deletion', owner.publicB64), 'bad_signature');
  });
  it('two signatures are sorted by key; unsorted or duplicated are refused', async () => {
    const chain = {
      kind: 'org_chain',
      v: 1,
      instance: INSTANCE,
      organisation: COFFRE,
      seq: 1,
      prev: b64encode(new Uint8Array(32)),
      action: 'add_member',
      created: T0,
      member: { key: other.publicB64, recipient: `age1${'q'.repeat(58)}`, role: 'aidant' },
    };
    chain.member.recipient = (await import('../../src/crypto')).OwnerKeys.fromSeed(new Uint8Array(32)).recipient;
    const env = signStatement(chain, owner, other);
    const v = openStatement(env, 'org_chain');
    expect(v.signers).toEqual([owner.publicB64, other.publicB64].sort());
    const parsed = JSON.parse(dec(env));
    const swapped = canonicalEncode({ body: parsed.body, sigs: [...parsed.sigs].reverse() });
    await expectCode(() => openStatement(swapped, 'org_chain'), 'non_canonical');
    const dup = canonicalEncode({ body: parsed.body, sigs: [parsed.sigs[0], parsed.sigs[0]] });
    await expectCode(() => openStatement(dup, 'org_chain'), 'non_canonical');
    // A countersignature: the same bytes as both signing at once; never the same signer twice.
    const alone = signStatement(chain, owner);
    expect(dec(countersignStatement(alone, other))).toBe(dec(env));
    await expectCode(() => countersignStatement(alone, owner), 'non_canonical');
    // Only organisation-chain statements take a second signature.
    await expectCode(() => countersignStatement(signStatement(body, owner), other), 'wrong_kind');
  });
  it('every kind but org_chain takes exactly one signature', async () => {
    await expectCode(() => signStatement(body, owner, other), 'unauthorised_signer');
    const bodyBytes = canonicalEncode(body);
    const msg = new Uint8Array([...enc('coffre/v1/signed\n'), ...bodyBytes]);
    const sigs = [owner, other]
      .map((k) => ({ key: k.publicB64, sig: b64encode(k.sign(msg)) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const two = canonicalEncode({ body: b64encode(bodyBytes), sigs });
    await expectCode(() => verifyStatement(two, 'deletion', owner.publicB64), 'unauthorised_signer');
  });
  it('any single-bit flip of an envelope is rejected', () => {
    const env = signStatement(body, owner);
    fc.assert(
      fc.property(fc.nat(env.length * 8 - 1), (bit) => {
        expect(() => verifyStatement(flipBit(env, bit), 'deletion', owner.publicB64)).toThrow(CoffreCryptoError);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
  it('rejects oversized envelopes and a small-order public key', async () => {
    await expectCode(() => parseEnvelope(new Uint8Array(64 * 1024 + 1)), 'too_large');
    const bodyBytes = canonicalEncode(body);
    const identityPoint = new Uint8Array(32);
    identityPoint[0] = 1; // the neutral element: verifies any (R = identity, S = 0) signature
    const sig = new Uint8Array(64);
    sig[0] = 1;
    const env = canonicalEncode({
      body: b64encode(bodyBytes),
      sigs: [{ key: b64encode(identityPoint), sig: b64encode(sig) }],
    });
    // Hardening 2: a key outside the prime-order subgroup is refused as a key, at parse time.
    await expectCode(() => verifyStatement(env, 'deletion', b64encode(identityPoint)), 'bad_key');
  });
});
