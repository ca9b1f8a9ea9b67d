// The grantee acts of the owner's journal against a malicious host (src/journal/grantee.ts):
// the server-signed entries of what a grantee did are matched with the grantee-signed
// statements the server serves for each mandate, verified in the browser. An act the host
// invents (an entry whose proof names no statement) and an act it hides (a statement no
// entry records) are both caught.
import { describe, expect, it } from 'vitest';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import type { Mandate } from '../../src/crypto/mandate';
import { withExpiryLines } from '../../src/journal/filter';
import { checkGranteeActs, renewals } from '../../src/journal/grantee';
import type { JournalLine } from '../../src/journal/index';
import type { MandateState } from '../../src/mandates/api';
import type { GivenMandate } from '../../src/mandates/owner';
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
    expect(check.invented).toEqual([]);
    expect(check.hidden).toBe(false);
    expect(check.numbers).toEqual(new Map([[m.mandate, 12]]));
    // Each act named by its receipt's action, for the journal's words.
    expect(check.acts).toEqual(
      new Map([
        [3, 'list'],
        [5, 'list'],
      ]),
    );
    expect(check.who.get(m.mandate)).toEqual({ type: 'person' });
    expect(check.expired).toEqual([]);
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

describe('the journal in plain words: renewals and ends at the end date', () => {
  const grantee = { type: 'person' as const, id: 'p', key: 'k', recipient: 'r' };
  const given = (number: number, state: MandateState, body: Partial<Mandate> = {}): GivenMandate =>
    ({
      item: { mandate: `m${number}`, number, state, grantee },
      mandate: {
        body: { grantee, categories: ['a', 'b'], rights: 'consult', not_after: 1000 + number, ...body } as Mandate,
      },
      receipts: [],
      statements: [],
    }) as unknown as GivenMandate;

  it('a mandate renews the newest earlier one to the same grantee with the same scope, unless that one was stopped', () => {
    const r = renewals([
      given(1, 'expired'),
      given(2, 'in_force', { categories: ['b', 'a'] }),
      given(3, 'expired', { rights: 'deposit' }),
      given(4, 'revoked', { rights: 'deposit' }),
      given(5, 'in_force', { rights: 'deposit' }),
      given(6, 'in_force', { grantee: { ...grantee, key: 'other' } }),
    ]);
    // 2 renews 1 (the same categories, in another order); 4 renews 3 (4 was stopped later:
    // it did renew 3 when given); 5 renews nothing (4 was stopped); 6 is to another key.
    expect(r).toEqual(
      new Map([
        ['m2', 1],
        ['m4', 3],
      ]),
    );
  });

  it('an expired mandate gets a line at its end date among the lines shown, none before the oldest shown', async () => {
    const m = mandate(9);
    const listed = await loadGiven(session, host([{ ...m, state: 'expired' }]));
    const check = checkGranteeActs([], listed, true);
    const end = (listed[0]?.mandate?.body.not_after ?? 0) as number;
    expect(check.expired).toEqual([{ mandate: m.mandate, number: 9, time: end }]);
    const line = (seq: number, time: number): JournalLine => ({ seq, time, action: 'sign_in' });
    // The journal's newest lines go from seq 5 (before the end) to 7 (after it).
    const around = withExpiryLines([line(7, end + 10), line(6, end), line(5, end - 10)], check.expired);
    expect(around.map((l) => l.seq)).toEqual([7, -9, 6, 5]);
    expect(around[1]).toMatchObject({ action: 'mandate_expired', mandate: m.mandate, time: end });
    // Lines that all come after the end (and not from the journal's start): it is not among them.
    expect(withExpiryLines([line(8, end + 20), line(7, end + 10)], check.expired).map((l) => l.seq)).toEqual([8, 7]);
    // From the journal's first entry on, it is, however old.
    expect(withExpiryLines([line(1, end + 20), line(0, end + 10)], check.expired).map((l) => l.seq)).toEqual([
      1, 0, -9,
    ]);
  });
});
