import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedSigner,
  b64encode,
  CoffreCryptoError,
  checkGranteeProofs,
  checkJournalBody,
  granteeStatement,
  type JournalEntry,
  livePapers,
  openStatement,
  SigningKey,
  signInclusionReceipt,
  signJournalEntry,
  signStatement,
  statementHash,
  verifyInclusionReceipt,
  verifyJournal,
} from '../../src/crypto';
import { COFFRE, expectCode, flipBit, INSTANCE, owner, T0 } from './fixtures';

const o = owner();
const grantee = new SigningKey(new Uint8Array(32).fill(50));
const server = new SigningKey(new Uint8Array(32).fill(51));
const stranger = new SigningKey(new Uint8Array(32).fill(52));
const allowed = (actor: string, e: JournalEntry) =>
  actor === o.publicKey ||
  (actor === grantee.publicB64 && e.action === 'download') ||
  (actor === server.publicB64 && e.action === 'restore');
const bodyFile = new Uint8Array([1, 2, 3]);

function build(
  n: number,
  from = 0,
  prevHash = new Uint8Array(32),
  signer = (i: number) => (i % 3 === 1 ? grantee : o.signing),
  fields: (i: number) => { epoch?: number; time?: number } = () => ({}),
) {
  const out: Uint8Array[] = [];
  let prev: Uint8Array = prevHash;
  for (let i = from; i < from + n; i++) {
    const s = signer(i);
    const env = signJournalEntry(s, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      seq: i,
      prev: b64encode(prev),
      time: T0 + i,
      action: s === grantee ? 'download' : 'upload',
      body_sha256: b64encode(statementHash(bodyFile)),
      ...fields(i),
    });
    out.push(env);
    prev = statementHash(env);
  }
  return out;
}
const opts = { instance: INSTANCE, coffre: COFFRE, epoch: 0, allowed };

describe('journal chain', () => {
  it('verifies a chain and returns its head', async () => {
    const c = build(6);
    const { head, entries } = verifyJournal(c, opts);
    expect(head).toEqual({ seq: 5, hash: b64encode(statementHash(c[5]!)) });
    await expectCode(() => verifyJournal([], opts), 'bad_chain');
    checkJournalBody(entries[2]!.body, bodyFile);
    expect(() => checkJournalBody(entries[2]!.body, new Uint8Array([9]))).toThrow(CoffreCryptoError);
  });
  it('continues from a remembered checkpoint', () => {
    const c = build(6);
    const head3 = { seq: 2, hash: b64encode(statementHash(c[2]!)) };
    expect(verifyJournal(c.slice(3), { ...opts, checkpoint: head3 }).head.seq).toBe(5);
    expect(verifyJournal(c.slice(2), { ...opts, checkpoint: head3 }).head.seq).toBe(5);
    expect(verifyJournal([], { ...opts, checkpoint: head3 }).head).toEqual(head3);
  });
  it('entry removed → seq_gap; reordered → seq_gap', async () => {
    const c = build(5);
    await expectCode(() => verifyJournal([c[0]!, c[1]!, c[3]!, c[4]!], opts), 'seq_gap');
    await expectCode(() => verifyJournal([c[0]!, c[2]!, c[1]!, c[3]!], opts), 'seq_gap');
  });
  it('entry replaced by a re-signed one with the right seq → broken_link', async () => {
    const c = build(4);
    const replaced = signJournalEntry(o.signing, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      seq: 2,
      prev: b64encode(new Uint8Array(32).fill(7)),
      time: T0 + 2,
      action: 'upload',
      body_sha256: b64encode(new Uint8Array(32)),
    });
    await expectCode(() => verifyJournal([c[0]!, c[1]!, replaced, c[3]!], opts), 'broken_link');
  });
  it('rolled back behind the checkpoint → rollback; different history → fork', async () => {
    const c = build(6);
    const cp = { seq: 4, hash: b64encode(statementHash(c[4]!)) };
    await expectCode(() => verifyJournal(c.slice(0, 3), { ...opts, checkpoint: cp }), 'rollback');
    // A page served after the checkpoint that does not follow it is a fork.
    const other6 = build(3, 5, new Uint8Array(32).fill(9));
    await expectCode(() => verifyJournal(other6, { ...opts, checkpoint: cp }), 'fork');
    const other = build(6, 0, new Uint8Array(32), () => o.signing);
    await expectCode(() => verifyJournal(other, { ...opts, checkpoint: cp }), 'fork');
  });
  it('unauthorised actor and signer ≠ actor', async () => {
    const c = build(2);
    const bad = signJournalEntry(stranger, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      seq: 2,
      prev: b64encode(statementHash(c[1]!)),
      time: T0,
      action: 'upload',
      body_sha256: b64encode(new Uint8Array(32)),
    });
    await expectCode(() => verifyJournal([...c, bad], opts), 'unauthorised_signer');
    const wrongAction = signJournalEntry(grantee, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      seq: 2,
      prev: b64encode(statementHash(c[1]!)),
      time: T0,
      action: 'delete',
      body_sha256: b64encode(new Uint8Array(32)),
    });
    await expectCode(() => verifyJournal([...c, wrongAction], opts), 'unauthorised_signer');
  });
  it('property: any single-bit flip in any entry is rejected', () => {
    const c = build(4);
    fc.assert(
      fc.property(fc.nat(3), fc.nat(100_000), (i, b) => {
        const bit = b % (c[i]!.length * 8);
        const copy = [...c];
        copy[i] = flipBit(c[i]!, bit);
        expect(() => verifyJournal(copy, opts)).toThrow(CoffreCryptoError);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
  it('a page over 10,000 entries is refused before verification', async () => {
    await expectCode(() => verifyJournal(new Array(10_001).fill(new Uint8Array(0)), opts), 'too_large');
  });
  it('inclusion receipts bind the entry hash', async () => {
    const c = build(2);
    const { entries } = verifyJournal(c, opts);
    const r = signInclusionReceipt(server, {
      instance: INSTANCE,
      coffre: COFFRE,
      seq: 1,
      entry: b64encode(entries[1]!.hash),
      time: T0,
    });
    expect(verifyInclusionReceipt(r, server.publicB64, entries[1]!).body.seq).toBe(1);
    await expectCode(() => verifyInclusionReceipt(r, server.publicB64, entries[0]!), 'context_mismatch');
    await expectCode(() => verifyInclusionReceipt(r, o.publicKey, entries[1]!), 'unauthorised_signer');
  });
});

describe('journal: epochs and times (hardening 6)', () => {
  it('an entry of a later epoch than the coffre is context_mismatch', async () => {
    const c = build(3, 0, undefined, undefined, (i) => ({ epoch: i === 2 ? 1 : 0 }));
    await expectCode(() => verifyJournal(c, opts), 'context_mismatch');
    expect(verifyJournal(c, { ...opts, epoch: 1 }).head.seq).toBe(2);
  });
  it('an epoch going back along the page is context_mismatch', async () => {
    const c = build(3, 0, undefined, undefined, (i) => ({ epoch: i === 1 ? 1 : i === 2 ? 0 : 0 }));
    await expectCode(() => verifyJournal(c, { ...opts, epoch: 1 }), 'context_mismatch');
  });
  it('a time going back is time_reversed; equal times are fine', async () => {
    const back = build(3, 0, undefined, undefined, (i) => ({ time: i === 2 ? T0 : T0 + 10 }));
    await expectCode(() => verifyJournal(back, opts), 'time_reversed');
    const same = build(3, 0, undefined, undefined, () => ({ time: T0 }));
    expect(verifyJournal(same, opts).head.seq).toBe(2);
  });
  it('a page without a full context is refused', async () => {
    const c = build(2);
    await expectCode(
      () => verifyJournal(c, { instance: INSTANCE, coffre: COFFRE, allowed } as never),
      'context_mismatch',
    );
  });
});

describe('journal: grantee acts (server-signed, bound to the grantee-signed statement)', () => {
  const mandate = '00000000-0000-4000-8000-000000000091';
  const paper = '00000000-0000-4000-8000-0000000000a1';
  const receipt = signStatement(
    {
      kind: 'access_receipt',
      v: 1,
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      mandate,
      grantee_key: grantee.publicB64,
      paper,
      action: 'download',
      counter: 1,
      created: T0,
    },
    grantee,
  );
  const proof = b64encode(statementHash(receipt));
  const entry = (signer: SigningKey, fields: Partial<JournalEntry>) =>
    signJournalEntry(signer, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      seq: 0,
      prev: b64encode(new Uint8Array(32)),
      time: T0,
      action: 'mandate_accessed',
      object: paper,
      mandate,
      proof,
      body_sha256: b64encode(statementHash(bodyFile)),
      ...fields,
    });
  const serverOpts = {
    ...opts,
    allowed: (actor: string, e: JournalEntry) => allowedSigner(actor, e, server.publicB64, () => o.publicKey),
  };
  const statements = [granteeStatement('access_receipt', receipt)];

  it('matches an entry with its receipt, and catches an invented, moved or hidden act', async () => {
    const ok = verifyJournal([entry(server, {})], serverOpts).entries.map((v) => v.body);
    checkGranteeProofs(ok, statements, true);
    await expectCode(() => verifyJournal([entry(o.signing, {})], serverOpts), 'unauthorised_signer');
    await expectCode(() => verifyJournal([entry(server, { proof: undefined })], serverOpts), 'malformed');
    await expectCode(
      () => verifyJournal([entry(server, { action: 'sign_in', object: undefined, mandate: undefined })], serverOpts),
      'malformed',
    );
    const invented = verifyJournal([entry(server, { proof: b64encode(new Uint8Array(32).fill(9)) })], serverOpts);
    await expectCode(
      () =>
        checkGranteeProofs(
          invented.entries.map((v) => v.body),
          statements,
          false,
        ),
      'proof_missing',
    );
    const moved = verifyJournal([entry(server, { object: '00000000-0000-4000-8000-0000000000a2' })], serverOpts);
    await expectCode(
      () =>
        checkGranteeProofs(
          moved.entries.map((v) => v.body),
          statements,
          false,
        ),
      'context_mismatch',
    );
    await expectCode(() => checkGranteeProofs([], statements, true), 'entry_missing');
    checkGranteeProofs([], statements, false);
  });

  it('counts a deposit as a paper the journal says exists', () => {
    const deposited = {
      ...openStatement<JournalEntry>(entry(server, {}), 'journal_entry').body,
      action: 'paper_deposited',
    };
    expect(livePapers([deposited]).has(paper)).toBe(true);
  });
});
