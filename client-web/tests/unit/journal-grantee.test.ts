// The grantee acts of the owner's journal against a malicious host (src/journal/grantee.ts):
// the server-signed entries of what a grantee did are matched with the grantee-signed
// statements the server serves for each mandate, verified in the browser. An act the host
// invents (an entry whose proof names no statement) and an act it hides (a statement no
// entry records) are both caught.
import { describe, expect, it } from 'vitest';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import { checkGranteeActs } from '../../src/journal/grantee';
import { loadGiven } from '../../src/mandates/owner';
import { accessed, host, mandate as listed, session, receipt as signed } from './mandate-host';

const mandate = (number: number) => listed({ number });
const receipt = (m: ReturnType<typeof listed>, counter: number, by?: OwnerKeys) =>
  signed(m, counter, { action: 'list', ...(by ? { by } : {}) });

describe('the grantee acts of the journal, against the host', () => {
  it('an honest host: every act has its statement, none missing, numbers shown', async () => {
    const m = mandate(12);
    const [r1, r2] = [receipt(m, 1), receipt(m, 2)];
    const given = await loadGiven(session, host([m], { [m.mandate]: [r1, r2] }));
    const check = checkGranteeActs([accessed(3, m, r1), accessed(5, m, r2)], given, true);
    expect(check).toEqual({ invented: [], hidden: false, numbers: new Map([[m.mandate, 12]]) });
  });

  it('an invented act and a hidden one are both caught', async () => {
    const m = mandate(7);
    const [r1, r2] = [receipt(m, 1), receipt(m, 2)];
    // A receipt signed by someone else: the host's forgery, which does not verify.
    const forged = receipt(m, 3, OwnerKeys.fromSeed(randomBytes(32)));
    const given = await loadGiven(session, host([m], { [m.mandate]: [r1, r2] }));
    // seq 4 records r1; seq 6 names a receipt no one served (invented); r2 is in no entry (hidden).
    const check = checkGranteeActs([accessed(4, m, r1), accessed(6, m, forged)], given, true);
    expect(check.invented).toEqual([6]);
    expect(check.hidden).toBe(true);
  });

  it('an entry naming one statement twice is invented the second time', async () => {
    const m = mandate(2);
    const r1 = receipt(m, 1);
    const given = await loadGiven(session, host([m], { [m.mandate]: [r1] }));
    const check = checkGranteeActs([accessed(1, m, r1), accessed(2, m, r1)], given, true);
    expect(check.invented).toEqual([2]);
    expect(check.hidden).toBe(false);
  });

  it('a receipt whose signature fails gives no proof: its entry is warned', async () => {
    const m = mandate(3);
    const forged = receipt(m, 1, OwnerKeys.fromSeed(randomBytes(32)));
    const given = await loadGiven(session, host([m], { [m.mandate]: [forged] }));
    expect(given[0]?.statements).toEqual([]);
    expect(checkGranteeActs([accessed(1, m, forged)], given, true).invented).toEqual([1]);
  });

  it('on part of the journal, a statement without entry is not called hidden', async () => {
    const m = mandate(4);
    const given = await loadGiven(session, host([m], { [m.mandate]: [receipt(m, 1)] }));
    expect(checkGranteeActs([], given, false).hidden).toBe(false);
    expect(checkGranteeActs([], given, true).hidden).toBe(true);
  });
});
