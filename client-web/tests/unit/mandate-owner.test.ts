// The owner's list of mandates against a malicious server (src/mandates/owner.ts,
// `loadGiven`): every mandate and every access receipt is verified in the browser; a
// receipt the server drops shows as a gap (counters per grantee key, across the owner's
// mandates), a forged or moved receipt as unverifiable, a mandate not signed by the owner
// as refused.
import { describe, expect, it } from 'vitest';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import { loadGiven } from '../../src/mandates/owner';
import { mandate, receipt, host as server, session } from './mandate-host';

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
    const forged = await loadGiven(session, server([a], { [a.mandate]: [receipt(a, 1, { by: stranger })] }));
    expect(forged[0]?.receiptsProblem).toBe('unauthorised_signer');
    const moved = await loadGiven(session, server([a, b], { [a.mandate]: [receipt(b, 1)] }));
    expect(moved[0]?.receiptsProblem).toBe('context_mismatch');
  });

  it('a mandate the owner did not sign is refused, and nothing of it is shown', async () => {
    const fake = mandate({ signer: OwnerKeys.fromSeed(randomBytes(32)) });
    const list = await loadGiven(session, server([fake], { [fake.mandate]: [receipt(fake, 1)] }));
    expect(list[0]?.refused).toBe('unauthorised_signer');
    expect(list[0]?.receipts).toEqual([]);
  });
});
