// The grantee acts of the owner's journal against a malicious host (src/journal/grantee.ts):
// the server-signed entries of what a grantee did are matched with the grantee-signed
// statements the server serves for each mandate, verified in the browser. An act the host
// invents (an entry whose proof names no statement) and an act it hides (a statement no
// entry records) are both caught.
import { describe, expect, it } from 'vitest';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import { type JournalEntry, signJournalEntry } from '../../src/crypto/journal';
import { OwnerKeys, randomBytes, SigningKey } from '../../src/crypto/keys';
import { signAccessReceipt, signMandate } from '../../src/crypto/mandate';
import { openStatement, statementHash } from '../../src/crypto/statement';
import { checkGranteeActs } from '../../src/journal/grantee';
import type { MandateItem, MandatesApi } from '../../src/mandates/api';
import { loadGiven } from '../../src/mandates/owner';
import type { Unlocked } from '../../src/session';

const instance = 'http://localhost:4000';
const owner = OwnerKeys.fromSeed(randomBytes(32));
const aidant = OwnerKeys.fromSeed(randomBytes(32));
const server = SigningKey.generate();
const coffre = crypto.randomUUID();
const category = crypto.randomUUID();
const now = 1_900_000_000;
const session = { instance, coffre, epoch: 0, keys: owner, shared: true } as unknown as Unlocked;

function mandate(number: number): MandateItem {
  const id = crypto.randomUUID();
  const statement = signMandate(owner.signing, {
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
  return {
    mandate: id,
    number,
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
}

const receipt = (m: MandateItem, counter: number, by = aidant) =>
  b64encode(
    signAccessReceipt(by.signing, {
      instance,
      coffre,
      epoch: 0,
      mandate: m.mandate,
      paper: category,
      action: 'list',
      counter,
      created: now + counter,
    }),
  );

/** The server's `mandate_accessed` entry recording `receipt` (its proof the receipt's hash). */
function accessed(seq: number, m: MandateItem, receiptB64: string): JournalEntry {
  const signed = signJournalEntry(server, {
    action: 'mandate_accessed',
    object: category,
    mandate: m.mandate,
    proof: b64encode(statementHash(b64decode(receiptB64))),
    body_sha256: b64encode(randomBytes(32)),
    coffre,
    epoch: 0,
    instance,
    prev: b64encode(randomBytes(32)),
    seq,
    time: now + seq,
  });
  return openStatement<JournalEntry>(signed, 'journal_entry').body;
}

function host(given: MandateItem[], receipts: Record<string, string[]>): MandatesApi {
  return {
    list: async () => ({ given, received: [] }),
    receipts: async (id: string) => ({ receipts: receipts[id] ?? [] }),
    deposits: async () => ({ deposits: [] }),
  } as unknown as MandatesApi;
}

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
