// The owner's list of mandates against a malicious server (src/mandates/owner.ts,
// `loadGiven`): every mandate and every access receipt is verified in the browser; a
// receipt the server drops shows as a gap (counters per grantee key, across the owner's
// mandates), a forged or moved receipt as unverifiable, a mandate not signed by the owner
// as refused.
import { describe, expect, it } from 'vitest';
import { b64encode } from '../../src/crypto/encoding';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import { signAccessReceipt, signMandate } from '../../src/crypto/mandate';
import type { MandateItem, MandatesApi } from '../../src/mandates/api';
import { loadGiven } from '../../src/mandates/owner';
import type { Unlocked } from '../../src/session';

const instance = 'http://localhost:4000';
const owner = OwnerKeys.fromSeed(randomBytes(32));
const aidant = OwnerKeys.fromSeed(randomBytes(32));
const coffre = crypto.randomUUID();
const category = crypto.randomUUID();
const now = 1_900_000_000;
const session = { instance, coffre, epoch: 0, keys: owner, shared: true } as unknown as Unlocked;

function mandate(signer = owner) {
  const id = crypto.randomUUID();
  const statement = signMandate(signer.signing, {
    instance,
    coffre,
    epoch: 0,
    mandate: id,
    grantee: { type: 'person', id: crypto.randomUUID(), key: aidant.publicKey, recipient: aidant.recipient },
    categories: [category],
    rights: 'consult',
    not_before: now,
    not_after: now + 31 * 86400,
    text_sha256: b64encode(randomBytes(32)),
    created: now,
  });
  const item: MandateItem = {
    mandate: id,
    number: 1,
    coffre,
    owner_key: owner.publicKey,
    grantee: { type: 'person', id: crypto.randomUUID(), key: aidant.publicKey },
    rights: 'consult',
    categories: [category],
    not_before: now,
    not_after: now + 31 * 86400,
    state: 'in_force',
    days_left: 31,
    statement: b64encode(statement),
    end: null,
  };
  return item;
}

const receipt = (m: MandateItem, counter: number, action = 'download', by = aidant) =>
  b64encode(
    signAccessReceipt(by.signing, {
      instance,
      coffre,
      epoch: 0,
      mandate: m.mandate,
      paper: category,
      action,
      counter,
      created: now + counter,
    }),
  );

function server(given: MandateItem[], receipts: Record<string, string[]>): MandatesApi {
  return {
    list: async () => ({ given, received: [] }),
    receipts: async (id: string) => ({ receipts: receipts[id] ?? [] }),
  } as unknown as MandatesApi;
}

describe('the owner’s mandates, verified against the server', () => {
  it('an honest list: every receipt shown, no warning, counters running across two mandates', async () => {
    const a = mandate();
    const b = mandate();
    const list = await loadGiven(
      session,
      server([a, b], { [a.mandate]: [receipt(a, 1), receipt(a, 2)], [b.mandate]: [receipt(b, 3)] }),
    );
    expect(list.map((g) => [g.receipts.map((r) => r.counter), g.receiptsProblem, g.refused])).toEqual([
      [[1, 2], undefined, undefined],
      [[3], undefined, undefined],
    ]);
  });

  it('a receipt the server drops is a gap, on every mandate of that grantee key', async () => {
    const a = mandate();
    const b = mandate();
    const list = await loadGiven(
      session,
      server([a, b], { [a.mandate]: [receipt(a, 1)], [b.mandate]: [receipt(b, 3)] }),
    );
    expect(list.map((g) => g.receiptsProblem)).toEqual(['counter_gap', 'counter_gap']);
  });

  it('a receipt repeated is caught too', async () => {
    const a = mandate();
    const list = await loadGiven(session, server([a], { [a.mandate]: [receipt(a, 1), receipt(a, 1)] }));
    expect(list[0]?.receiptsProblem).toBe('counter_gap');
  });

  it('a receipt signed by someone else, or moved from another mandate, is not accepted', async () => {
    const a = mandate();
    const b = mandate();
    const stranger = OwnerKeys.fromSeed(randomBytes(32));
    const forged = await loadGiven(session, server([a], { [a.mandate]: [receipt(a, 1, 'download', stranger)] }));
    expect(forged[0]?.receiptsProblem).toBe('unauthorised_signer');
    const moved = await loadGiven(session, server([a, b], { [a.mandate]: [receipt(b, 1)] }));
    expect(moved[0]?.receiptsProblem).toBe('context_mismatch');
  });

  it('a mandate the owner did not sign is refused, and nothing of it is shown', async () => {
    const fake = mandate(OwnerKeys.fromSeed(randomBytes(32)));
    const list = await loadGiven(session, server([fake], { [fake.mandate]: [receipt(fake, 1)] }));
    expect(list[0]?.refused).toBe('unauthorised_signer');
    expect(list[0]?.receipts).toEqual([]);
  });
});
