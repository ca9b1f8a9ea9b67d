// The metadata index of a category generation (spec 6), end to end: papers sealed, their
// metadata opened, indexed, the index sealed, opened and checked against the host's listing
// and the journal; and the host's attacks (older index, hidden or swapped paper, another
// category's or coffre's or epoch's index, its own index).
import { describe, expect, it } from 'vitest';
import {
  b64encode,
  checkIndexListing,
  checkJournalPapers,
  type IndexCheckpoint,
  type IndexEntry,
  indexEntryOf,
  type ListedPaper,
  openPaperIndex,
  openPaperMeta,
  SigningKey,
  sealPaper,
  sealPaperIndex,
  signCategoryCert,
  signDeletion,
  signJournalEntry,
  statementHash,
  verifyDeletion,
  verifyJournal,
  ZERO_HASH_B64,
} from '../../src/crypto';
import { CATEGORY, COFFRE, category, enc, expectCode, flipBit, INSTANCE, owner, T0, uuid } from './fixtures';

const o = owner();
const { ck, cert } = category(o);
const CTX = { instance: INSTANCE, coffre: COFFRE, epoch: 0 };
const host = new SigningKey(new Uint8Array(32).fill(0x5f));

async function paperOf(n: number) {
  const paper = uuid();
  const sealed = await sealPaper({
    ...CTX,
    paper,
    cert,
    ownerKey: o.publicKey,
    uploader: o.signing,
    created: T0 + n,
    content: enc(`contenu ${n}`),
    meta: {
      doc_type: 'attestation',
      filename: `p${n}.pdf`,
      mime: 'application/pdf',
      pages: 1,
      title: `Attestation ${n}`,
    },
  });
  const opened = await openPaperMeta({
    ...CTX,
    paper,
    upload: sealed.upload,
    policy: { owner: o.publicKey },
    cert,
    meta: sealed.meta,
    key: ck.identity,
  });
  const listed: ListedPaper = { paper, upload: b64encode(statementHash(sealed.upload)) };
  return { paper, sealed, entry: indexEntryOf(opened), listed };
}

function seal(seq: number, papers: IndexEntry[], extra: Partial<Parameters<typeof sealPaperIndex>[0]> = {}) {
  return sealPaperIndex({
    ...CTX,
    cert,
    ownerKey: o.publicKey,
    owner: o.signing,
    seq,
    papers,
    created: T0 + 500,
    ...extra,
  });
}

function open(s: { statement: Uint8Array; file: Uint8Array }, remembered?: IndexCheckpoint, key: string = ck.identity) {
  return openPaperIndex({
    ...CTX,
    ownerKey: o.publicKey,
    key,
    category: CATEGORY,
    generation: 0,
    remembered,
    ...s,
  });
}

const sorted = (xs: string[]) => [...xs].sort();

describe('metadata index: listing from it', () => {
  it('lists a category from its index, then a deposit is newer and merged', async () => {
    const [p1, p2, p3] = [await paperOf(1), await paperOf(2), await paperOf(3)];
    const s0 = await seal(0, [p2.entry, p1.entry]);
    const i0 = await open(s0);
    expect(i0.papers.map((e) => e.paper)).toEqual(sorted([p1.paper, p2.paper]));
    const l0 = checkIndexListing(i0, [p1.listed, p2.listed], []);
    expect(l0.indexed.map((e) => e.meta.title).sort()).toEqual(['Attestation 1', 'Attestation 2']);
    expect(l0.newer).toEqual([]);
    const all = [p1.listed, p2.listed, p3.listed];
    expect(checkIndexListing(i0, all, []).newer).toEqual([p3.paper]);
    const s1 = await seal(1, [...i0.papers, p3.entry]);
    const i1 = await open(s1, i0.checkpoint);
    expect(i1.checkpoint.seq).toBe(1);
    const l1 = checkIndexListing(i1, all, []);
    expect(l1.indexed).toHaveLength(3);
    expect(l1.newer).toEqual([]);
  });

  it('an older or forked index is refused by a device that remembers', async () => {
    const [p1, p2] = [await paperOf(1), await paperOf(2)];
    const s0 = await seal(0, [p1.entry]);
    const s1 = await seal(1, [p1.entry, p2.entry]);
    const remembered = (await open(s1)).checkpoint;
    await expectCode(open(s0, remembered), 'rollback');
    await expectCode(open(await seal(1, [p2.entry]), remembered), 'fork');
    await open(s1, remembered);
  });

  it('a paper hidden from the listing and an old index is caught by the journal', async () => {
    const [p1, p2] = [await paperOf(1), await paperOf(2)];
    const i0 = await open(await seal(0, [p1.entry]));
    expect(checkIndexListing(i0, [p1.listed], []).indexed).toHaveLength(1);
    const e0 = signJournalEntry(o.signing, {
      ...CTX,
      seq: 0,
      prev: ZERO_HASH_B64,
      time: T0,
      action: 'paper_added',
      object: p1.paper,
      body_sha256: b64encode(new Uint8Array(32)),
    });
    const e1 = signJournalEntry(o.signing, {
      ...CTX,
      seq: 1,
      prev: b64encode(statementHash(e0)),
      time: T0 + 1,
      action: 'paper_added',
      object: p2.paper,
      body_sha256: b64encode(new Uint8Array(32)),
    });
    const page = verifyJournal([e0, e1], { ...CTX, allowed: (k) => k === o.publicKey }).entries.map((e) => e.body);
    await expectCode(() => checkJournalPapers(page, [p1.paper]), 'paper_missing');
    checkJournalPapers(page, [p1.paper, p2.paper]);
    const deleted = { ...page[1]!, seq: 2, action: 'paper_deleted' };
    checkJournalPapers([...page, deleted], [p1.paper]);
    await expectCode(() => checkJournalPapers([...page, { ...deleted, object: undefined }], [p1.paper]), 'malformed');
  });

  it('an indexed paper dropped or swapped by the host', async () => {
    const [p1, p2] = [await paperOf(1), await paperOf(2)];
    const i = await open(await seal(0, [p1.entry, p2.entry]));
    await expectCode(() => checkIndexListing(i, [p1.listed], []), 'paper_missing');
    const del = (hash: string) =>
      verifyDeletion(
        signDeletion(o.signing, { ...CTX, paper: p2.paper, content_sha256: hash, created: T0 + 9 }),
        o.publicKey,
        CTX,
      ).body;
    expect(checkIndexListing(i, [p1.listed], [del(p2.entry.content_sha256)]).indexed).toHaveLength(1);
    await expectCode(() => checkIndexListing(i, [p1.listed], [del(b64encode(new Uint8Array(32)))]), 'paper_missing');
    await expectCode(
      () => checkIndexListing(i, [p1.listed, { ...p2.listed, upload: p1.listed.upload }], []),
      'hash_mismatch',
    );
    await expectCode(
      () => checkIndexListing(i, [p1.listed, p2.listed, { ...p1.listed, upload: p2.listed.upload }], []),
      'hash_mismatch',
    );
  });

  it("an index of another category, coffre or epoch, or opened with another generation's key", async () => {
    const p1 = await paperOf(1);
    const otherCert = signCategoryCert(o.signing, {
      ...CTX,
      category: uuid(),
      generation: 0,
      recipient: ck.recipient,
      not_before: T0 - 10,
      not_after: T0 + 10,
      created: T0,
    });
    await expectCode(open(await seal(0, [p1.entry], { cert: otherCert })), 'context_mismatch');
    const epoch1Cert = signCategoryCert(o.signing, {
      ...CTX,
      epoch: 1,
      category: CATEGORY,
      generation: 0,
      recipient: ck.recipient,
      not_before: T0 - 10,
      not_after: T0 + 10,
      created: T0,
    });
    await expectCode(open(await seal(0, [p1.entry], { epoch: 1, cert: epoch1Cert })), 'context_mismatch');
    const s = await seal(0, [p1.entry]);
    await expectCode(
      openPaperIndex({
        ...CTX,
        coffre: uuid(),
        ownerKey: o.publicKey,
        key: ck.identity,
        category: CATEGORY,
        generation: 0,
        ...s,
      }),
      'context_mismatch',
    );
    await expectCode(open(s, undefined, category(o).ck.identity), 'decryption_failed');
  });

  it('an index forged by the host', async () => {
    const [p1, p2] = [await paperOf(1), await paperOf(2)];
    const honest = await seal(0, [p1.entry, p2.entry]);
    // The host knows the certified recipient: it can make a file, not the owner's statement.
    const own = await seal(5, [p1.entry], { owner: host });
    await expectCode(open(own), 'unauthorised_signer');
    await expectCode(open({ statement: honest.statement, file: own.file }), 'hash_mismatch');
    const env = JSON.parse(new TextDecoder().decode(honest.statement));
    const sig = Uint8Array.from(atob(env.sigs[0].sig.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    env.sigs[0].sig = b64encode(flipBit(sig, 9));
    await expectCode(open({ statement: enc(JSON.stringify(env)), file: honest.file }), 'bad_signature');
  });

  it('sealing refuses what opening would refuse', async () => {
    const p1 = await paperOf(1);
    await expectCode(seal(0, [p1.entry, p1.entry]), 'non_canonical');
    await expectCode(seal(0, [{ ...p1.entry, paper: uuid() }]), 'paper_id_mismatch');
    expect((await open(await seal(0, []))).papers).toEqual([]);
  });
});
