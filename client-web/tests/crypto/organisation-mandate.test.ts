import { describe, expect, it } from 'vitest';
import {
  b64encode,
  checkOrganisationRoot,
  checkPersonGrantee,
  fingerprint,
  followSuccessions,
  generateIdentity,
  type Member,
  OwnerKeys,
  recipientOf,
  rememberedOrgChain,
  rememberOrgChain,
  SigningKey,
  signAccessReceipt,
  signMandate,
  signOrgChainEntry,
  signOrgKey,
  signOwnerPin,
  signRenunciation,
  signRevocation,
  signStatement,
  signSuccession,
  statementHash,
  unwrapOrgKey,
  verifyAccessReceipts,
  verifyMandate,
  verifyOrgChain,
  verifyOrgChainPreverified,
  verifyOrgKey,
  verifyOwnerPin,
  verifyRenunciation,
  verifyRevocation,
  wrapOrgKey,
} from '../../src/crypto';
import { CATEGORY, COFFRE, expectCode, INSTANCE, owner, PAPER, T0, uuid } from './fixtures';

const ORG = '11111111-2222-4333-8444-555555555555';
const ORG_CTX = { instance: INSTANCE, organisation: ORG };
const CTX = { instance: INSTANCE, coffre: COFFRE, epoch: 0 };
const root = new SigningKey(new Uint8Array(32).fill(100));
const person = (n: number) => {
  const k = new SigningKey(new Uint8Array(32).fill(n));
  const id = generateIdentity();
  return { k, member: (role: Member['role']): Member => ({ key: k.publicB64, recipient: recipientOf(id), role }), id };
};
const alice = person(101);
const bob = person(102);
const carol = person(103);
const mallory = person(104);

function chain(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const prev = () => b64encode(out.length ? statementHash(out[out.length - 1]!) : new Uint8Array(32));
  const add = (action: 'found' | 'add_member' | 'remove_member', member: Member, ...signers: SigningKey[]) =>
    out.push(
      signOrgChainEntry(
        {
          instance: INSTANCE,
          organisation: ORG,
          seq: out.length,
          prev: prev(),
          action,
          member,
          created: T0 + out.length,
        },
        ...signers,
      ),
    );
  add('found', alice.member('responsable'), root);
  add('add_member', bob.member('responsable'), alice.k);
  add('add_member', carol.member('aidant'), alice.k, bob.k);
  return out;
}
function next(entries: Uint8Array[], action: 'add_member' | 'remove_member', member: Member, ...signers: SigningKey[]) {
  return signOrgChainEntry(
    {
      instance: INSTANCE,
      organisation: ORG,
      seq: entries.length,
      prev: b64encode(statementHash(entries[entries.length - 1]!)),
      action,
      member,
      created: T0 + 10,
    },
    ...signers,
  );
}

describe('organisation chain', () => {
  it('verifies found → add responsable (1 sig) → add aidant (2 sigs)', () => {
    const s = verifyOrgChain(chain(), root.publicB64, null, ORG_CTX);
    expect(s.members.size).toBe(3);
    expect(s.checkpoint.seq).toBe(2);
  });
  it('member added by a non-responsable', async () => {
    const c = chain();
    await expectCode(
      () =>
        verifyOrgChain(
          [...c, next(c, 'add_member', mallory.member('responsable'), carol.k)],
          root.publicB64,
          null,
          ORG_CTX,
        ),
      'not_a_responsable',
    );
    await expectCode(
      () =>
        verifyOrgChain(
          [...c, next(c, 'add_member', mallory.member('responsable'), alice.k, mallory.k)],
          root.publicB64,
          null,
          ORG_CTX,
        ),
      'not_a_responsable',
    );
  });
  it('one signature where two are needed', async () => {
    const c = chain();
    await expectCode(
      () =>
        verifyOrgChain(
          [...c, next(c, 'add_member', mallory.member('responsable'), alice.k)],
          root.publicB64,
          null,
          ORG_CTX,
        ),
      'too_few_signatures',
    );
  });
  it('seq 0 not by the pinned root; broken link; gap', async () => {
    const c = chain();
    await expectCode(() => verifyOrgChain(c, mallory.k.publicB64, null, ORG_CTX), 'unauthorised_signer');
    await expectCode(() => verifyOrgChain([c[0]!, c[2]!], root.publicB64, null, ORG_CTX), 'seq_gap');
    const forkedPrev = signOrgChainEntry(
      {
        instance: INSTANCE,
        organisation: ORG,
        seq: 1,
        prev: b64encode(new Uint8Array(32).fill(1)),
        action: 'add_member',
        member: bob.member('responsable'),
        created: T0,
      },
      alice.k,
    );
    await expectCode(() => verifyOrgChain([c[0]!, forkedPrev], root.publicB64, null, ORG_CTX), 'broken_link');
  });
  it('from what the device remembers: only the entries after it are verified, the same verdicts', async () => {
    const c = chain();
    const full = verifyOrgChain(c, root.publicB64, null, ORG_CTX);
    const remembered = rememberOrgChain(c, full);
    const cp = full.checkpoint;
    // The same chain, and one with a member added since: the same state as verified whole.
    expect([...verifyOrgChain(c, root.publicB64, cp, ORG_CTX, remembered).members.keys()]).toEqual([
      ...full.members.keys(),
    ]);
    const grown = [...c, next(c, 'add_member', mallory.member('aidant'), alice.k, bob.k)];
    const after = await verifyOrgChainPreverified(grown, root.publicB64, cp, ORG_CTX, remembered);
    expect(after.members.has(mallory.k.publicB64)).toBe(true);
    expect(after.checkpoint.seq).toBe(3);
    // The entries after it are verified: a bad one is refused as without the memory.
    const unsigned = [...c, next(c, 'add_member', mallory.member('responsable'), carol.k)];
    await expectCode(() => verifyOrgChain(unsigned, root.publicB64, cp, ORG_CTX, remembered), 'not_a_responsable');
    // A served chain that differs before the remembered head is verified whole: another
    // (valid) second entry gives its own members, not the remembered ones; with the
    // checkpoint, a chain cut before it is a rollback.
    const changed = [c[0]!, next([c[0]!], 'add_member', mallory.member('responsable'), alice.k)];
    const theirs = verifyOrgChain(changed, root.publicB64, null, ORG_CTX, remembered);
    expect([...theirs.members.keys()]).toEqual([alice.k.publicB64, mallory.k.publicB64]);
    await expectCode(() => verifyOrgChain(changed, root.publicB64, cp, ORG_CTX, remembered), 'rollback');
    const forked = [...changed, next(changed, 'add_member', carol.member('aidant'), alice.k, mallory.k)];
    await expectCode(() => verifyOrgChain(forked, root.publicB64, cp, ORG_CTX, remembered), 'fork');
    // A checkpoint before the remembered head that the chain contradicts is a fork, as whole.
    const early = { seq: 1, hash: b64encode(new Uint8Array(32).fill(9)) };
    await expectCode(() => verifyOrgChain(c, root.publicB64, early, ORG_CTX), 'fork');
    await expectCode(() => verifyOrgChain(c, root.publicB64, early, ORG_CTX, remembered), 'fork');
    // A memory of another root, organisation or instance is not used.
    for (const other of [
      { ...remembered, root: mallory.k.publicB64 },
      { ...remembered, organisation: uuid() },
      { ...remembered, instance: 'https://elsewhere.example' },
    ]) {
      await expectCode(() => verifyOrgChain(unsigned, root.publicB64, cp, ORG_CTX, other), 'not_a_responsable');
      expect(verifyOrgChain(c, root.publicB64, null, ORG_CTX, other).members.size).toBe(3);
    }
    // What the device reads back must be one; anything else is no memory.
    expect(rememberedOrgChain(JSON.parse(JSON.stringify(remembered)))).toEqual(remembered);
    for (const bad of [null, 3, {}, { ...remembered, members: [{ key: 1 }] }, { ...remembered, checkpoint: null }])
      expect(rememberedOrgChain(bad)).toBeUndefined();
  });
  it('org key certified by the root and unwrapped by a member', async () => {
    const orgId = generateIdentity();
    const cert = signOrgKey(root, {
      instance: INSTANCE,
      organisation: ORG,
      generation: 0,
      recipient: recipientOf(orgId),
      chain_seq: 2,
      created: T0,
    });
    const c = verifyOrgKey(cert, root.publicB64, ORG_CTX).body;
    const wrap = await wrapOrgKey({ organisation: ORG, generation: 0, identity: orgId }, [
      alice.member('aidant').recipient,
      carol.member('aidant').recipient,
    ]);
    expect((await unwrapOrgKey(wrap, [carol.id], c)).identity).toBe(orgId);
    const evil = await wrapOrgKey({ organisation: ORG, generation: 0, identity: generateIdentity() }, [
      carol.member('aidant').recipient,
    ]);
    await expectCode(unwrapOrgKey(evil, [carol.id], c), 'recipient_mismatch');
    await expectCode(
      () =>
        verifyOrgKey(
          signOrgKey(alice.k, {
            instance: INSTANCE,
            organisation: ORG,
            generation: 1,
            recipient: recipientOf(orgId),
            chain_seq: 2,
            created: T0,
          }),
          root.publicB64,
          ORG_CTX,
        ),
      'unauthorised_signer',
    );
  });
  it('owner pin by a current member only', async () => {
    const s = verifyOrgChain(chain(), root.publicB64, null, ORG_CTX);
    const o = owner();
    const pin = {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      owner_key: o.publicKey,
      organisation: ORG,
      created: T0,
    };
    expect(verifyOwnerPin(signOwnerPin(carol.k, pin), s, CTX).body.owner_key).toBe(o.publicKey);
    await expectCode(() => verifyOwnerPin(signOwnerPin(mallory.k, pin), s, CTX), 'unauthorised_signer');
  });
});

describe('mandates', () => {
  const o = owner();
  const base = {
    instance: INSTANCE,
    coffre: COFFRE,
    epoch: 0,
    mandate: '99999999-8888-4777-a666-555555555555',
    grantee: { type: 'organisation' as const, id: ORG, key: root.publicB64 },
    categories: [CATEGORY],
    rights: 'consult' as const,
    not_before: T0,
    not_after: T0 + 86400 * 90,
    text_sha256: b64encode(new Uint8Array(32).fill(8)),
    created: T0,
  };
  it('verifies against the pinned root; a swapped grantee key is refused', async () => {
    const m = signMandate(o.signing, base);
    expect(verifyMandate(m, o.publicKey, CTX, T0, [], root.publicB64).body.rights).toBe('consult');
    const swapped = signMandate(o.signing, { ...base, grantee: { ...base.grantee, key: mallory.k.publicB64 } });
    await expectCode(() => verifyMandate(swapped, o.publicKey, CTX, T0, [], root.publicB64), 'root_mismatch');
    const personGrantee = {
      type: 'person' as const,
      id: uuid(),
      key: carol.k.publicB64,
      recipient: carol.member('aidant').recipient,
    };
    const toMallory = signMandate(o.signing, { ...base, grantee: { ...personGrantee, key: mallory.k.publicB64 } });
    await expectCode(
      () => verifyMandate(toMallory, o.publicKey, CTX, T0, [], carol.k.publicB64),
      'grantee_key_mismatch',
    );
  });
  it('grantees are checked against the fingerprints pinned face to face', async () => {
    const carolRecipient = carol.member('aidant').recipient;
    const toCarol = {
      ...base,
      grantee: { type: 'person' as const, id: uuid(), key: carol.k.publicB64, recipient: carolRecipient },
    };
    const m = verifyMandate(signMandate(o.signing, toCarol), o.publicKey, CTX, T0, []).body;
    expect(checkPersonGrantee(m, fingerprint(carol.k.publicB64, carolRecipient))).toBe(carolRecipient);
    const hostSwap = verifyMandate(
      signMandate(o.signing, {
        ...toCarol,
        grantee: { ...toCarol.grantee, recipient: mallory.member('aidant').recipient },
      }),
      o.publicKey,
      CTX,
      T0,
      [],
    ).body;
    await expectCode(
      () => checkPersonGrantee(hostSwap, fingerprint(carol.k.publicB64, carolRecipient)),
      'grantee_key_mismatch',
    );
    const orgM = verifyMandate(signMandate(o.signing, base), o.publicKey, CTX, T0, []).body;
    expect(() => checkOrganisationRoot(orgM, fingerprint(root.publicB64))).not.toThrow();
    await expectCode(() => checkOrganisationRoot(orgM, fingerprint(mallory.k.publicB64)), 'root_mismatch');
  });
  it('longer than 365 days, unsorted categories, forged by host', async () => {
    await expectCode(() => signMandate(o.signing, { ...base, not_after: T0 + 366 * 86400 }), 'outside_validity');
    const cats = [uuid(), uuid()].sort();
    const unsorted = signStatement({ ...base, kind: 'mandate', v: 1, categories: [...cats] }, o.signing);
    expect(verifyMandate(unsorted, o.publicKey, CTX, T0, []).body.categories).toEqual(cats);
    await expectCode(
      () => signStatement({ ...base, kind: 'mandate', v: 1, categories: [cats[1], cats[0]] }, o.signing),
      'non_canonical',
    );
    await expectCode(
      () => verifyMandate(signMandate(mallory.k, base), o.publicKey, CTX, T0, []),
      'unauthorised_signer',
    );
  });
  it('revocation by the owner, renunciation by an org member', async () => {
    const m = verifyMandate(signMandate(o.signing, base), o.publicKey, CTX, T0, []).body;
    const rev = signRevocation(o.signing, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      mandate: base.mandate,
      created: T0 + 5,
    });
    expect(verifyRevocation(rev, o.publicKey, m).body.mandate).toBe(base.mandate);
    const org = verifyOrgChain(chain(), root.publicB64, null, ORG_CTX);
    const ren = signRenunciation(carol.k, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      mandate: base.mandate,
      created: T0 + 6,
    });
    expect(verifyRenunciation(ren, m, org).body.grantee_key).toBe(carol.k.publicB64);
    await expectCode(
      () =>
        verifyRenunciation(
          signRenunciation(mallory.k, {
            instance: INSTANCE,
            coffre: COFFRE,
            epoch: 0,
            mandate: base.mandate,
            created: T0,
          }),
          m,
          org,
        ),
      'unauthorised_signer',
    );
  });
  const M = verifyMandate(signMandate(o.signing, base), o.publicKey, CTX, T0, []);
  it('access receipts: counter 1, 2, 3 …; a dropped receipt is a gap', async () => {
    const r = (counter: number) =>
      signAccessReceipt(carol.k, {
        instance: INSTANCE,
        coffre: COFFRE,
        epoch: 0,
        mandate: base.mandate,
        paper: PAPER,
        action: 'download',
        counter,
        created: T0 + counter,
      });
    expect(verifyAccessReceipts([r(1), r(2), r(3)], carol.k.publicB64, CTX, M, [])).toHaveLength(3);
    await expectCode(() => verifyAccessReceipts([r(1), r(3)], carol.k.publicB64, CTX, M, []), 'counter_gap');
    await expectCode(() => verifyAccessReceipts([r(2)], carol.k.publicB64, CTX, M, []), 'counter_gap');
    await expectCode(() => verifyAccessReceipts([r(1), r(1)], carol.k.publicB64, CTX, M, []), 'counter_gap');
    expect(verifyAccessReceipts([r(4)], carol.k.publicB64, CTX, M, [], 3)).toHaveLength(1);
  });
  it('access receipts of several grantee keys, interleaved: counters per key', async () => {
    const by = (k: typeof carol.k, counter: number, action = 'download') =>
      signAccessReceipt(k, {
        instance: INSTANCE,
        coffre: COFFRE,
        epoch: 0,
        mandate: base.mandate,
        paper: PAPER,
        action,
        counter,
        created: T0 + counter,
      });
    const keys = [carol.k.publicB64, mallory.k.publicB64];
    expect(
      verifyAccessReceipts([by(carol.k, 1), by(mallory.k, 1), by(carol.k, 2), by(mallory.k, 2)], keys, CTX, M, []),
    ).toHaveLength(4);
    await expectCode(
      () => verifyAccessReceipts([by(carol.k, 1), by(mallory.k, 1), by(mallory.k, 3)], keys, CTX, M, []),
      'counter_gap',
    );
    await expectCode(
      () => verifyAccessReceipts([by(mallory.k, 1)], carol.k.publicB64, CTX, M, []),
      'unauthorised_signer',
    );
    const after = new Map([[carol.k.publicB64, 2]]);
    expect(verifyAccessReceipts([by(mallory.k, 1), by(carol.k, 3)], keys, CTX, M, [], after)).toHaveLength(2);
    await expectCode(() => by(carol.k, 1, 'Download'), 'malformed');
  });
});

describe('epoch succession', () => {
  const e0 = OwnerKeys.fromSeed(new Uint8Array(32).fill(1));
  const e1 = OwnerKeys.fromSeed(new Uint8Array(32).fill(2));
  const e2 = OwnerKeys.fromSeed(new Uint8Array(32).fill(3));
  const ctx = { instance: INSTANCE, coffre: COFFRE, reason: 'carte perdue' };
  it('follows 0 → 1 → 2 from the pinned key', () => {
    const s1 = signSuccession(e0, e1, { ...ctx, from_epoch: 0, created: T0 });
    const s2 = signSuccession(e1, e2, { ...ctx, from_epoch: 1, created: T0 + 1 });
    expect(
      followSuccessions({ epoch: 0, key: e0.publicKey }, [s1, s2], { instance: INSTANCE, coffre: COFFRE }),
    ).toEqual({ epoch: 2, key: e2.publicKey, recipient: e2.recipient });
  });
  it('refuses a succession not signed by the previous key', async () => {
    const forged = signSuccession(e1, e2, { ...ctx, from_epoch: 0, created: T0 });
    await expectCode(
      () => followSuccessions({ epoch: 0, key: e0.publicKey }, [forged], { instance: INSTANCE, coffre: COFFRE }),
      'unauthorised_signer',
    );
    const skip = signSuccession(e0, e2, { ...ctx, from_epoch: 1, created: T0 });
    await expectCode(
      () => followSuccessions({ epoch: 0, key: e0.publicKey }, [skip], { instance: INSTANCE, coffre: COFFRE }),
      'bad_succession',
    );
  });
});
