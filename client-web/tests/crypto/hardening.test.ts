// Attacks of the verifier-hardening decision record (docs/design/verifier-hardening.md),
// each with the code it must get: contexts (4), time and revocation (3), organisation
// rollback (5), one value one code (6).
import { describe, expect, it } from 'vitest';
import {
  b64encode,
  CategoryKey,
  decryptWith,
  followSuccessions,
  generateIdentity,
  type Member,
  newestOrgKey,
  OwnerKeys,
  openMandate,
  openPaper,
  openStatement,
  recipientOf,
  SigningKey,
  sealPaper,
  signAccessReceipt,
  signDepositReceipt,
  signMandate,
  signOrgChainEntry,
  signOrgKey,
  signRevocation,
  signStatement,
  signSuccession,
  statementHash,
  type Upload,
  type UploaderPolicy,
  unwrapCategoryKey,
  verifyAccessReceipts,
  verifyCategoryCert,
  verifyDeletion,
  verifyMandate,
  verifyOrgChain,
  verifyRevocation,
  wrapCategoryKey,
} from '../../src/crypto';
import { CATEGORY, COFFRE, category, expectCode, INSTANCE, owner, PAPER, T0, uuid } from './fixtures';

const o = owner();
const CTX = { instance: INSTANCE, coffre: COFFRE, epoch: 0 };
const grantee = new SigningKey(new Uint8Array(32).fill(120));
const server = new SigningKey(new Uint8Array(32).fill(121));
const MANDATE = '99999999-8888-4777-a666-555555555555';
const meta = { doc_type: 'avis', filename: 'a.pdf', mime: 'application/pdf', pages: 1, title: 'Avis' };
const WINDOW = { not_before: T0 - 100, not_after: T0 + 100 };

const mandateEnv = signMandate(o.signing, {
  instance: INSTANCE,
  coffre: COFFRE,
  epoch: 0,
  mandate: MANDATE,
  grantee: { type: 'person', id: uuid(), key: grantee.publicB64, recipient: recipientOf(generateIdentity()) },
  categories: [CATEGORY],
  rights: 'deposit',
  ...WINDOW,
  text_sha256: b64encode(new Uint8Array(32)),
  created: T0 - 100,
});
const mandate = openMandate(mandateEnv, o.publicKey, CTX);
const revokedAt = (t: number) => [
  verifyRevocation(signRevocation(o.signing, { ...CTX, mandate: MANDATE, created: t }), o.publicKey, mandate.body),
];

async function grantDeposit(created: number, certWindow: [number, number] = [T0 - 1000, T0 + 1000]) {
  const { ck, cert } = category(o, certWindow);
  const sealed = await sealPaper({
    ...CTX,
    paper: PAPER,
    cert,
    ownerKey: o.publicKey,
    uploader: grantee,
    mandate: MANDATE,
    created,
    content: new Uint8Array([1, 2, 3]),
    meta,
  });
  const upload = openStatement<Upload>(sealed.upload, 'upload');
  const policy = (ends = revokedAt(T0 + 10_000)): UploaderPolicy => ({
    owner: o.publicKey,
    serverKey: server.publicB64,
    mandates: [{ mandate, keys: [grantee.publicB64], ends }],
  });
  const input = {
    ...CTX,
    paper: PAPER,
    upload: sealed.upload,
    cert,
    content: sealed.content,
    meta: sealed.meta,
    key: ck.identity,
    policy: policy(),
  };
  return {
    ck,
    cert,
    sealed,
    upload,
    policy,
    input,
    receipt: (time: number) => signDepositReceipt(server, upload, time),
  };
}

describe('time and revocation are inputs (hardening 3)', () => {
  it('verifyMandate: in force inside its window, outside_validity outside, revoked at or after a revocation', async () => {
    expect(verifyMandate(mandateEnv, o.publicKey, CTX, T0, []).body.mandate).toBe(MANDATE);
    await expectCode(() => verifyMandate(mandateEnv, o.publicKey, CTX, T0 + 101, []), 'outside_validity');
    await expectCode(() => verifyMandate(mandateEnv, o.publicKey, CTX, T0 - 101, []), 'outside_validity');
    await expectCode(() => verifyMandate(mandateEnv, o.publicKey, CTX, T0, revokedAt(T0)), 'revoked');
    await expectCode(() => verifyMandate(mandateEnv, o.publicKey, CTX, T0, revokedAt(T0 - 50)), 'revoked');
    expect(verifyMandate(mandateEnv, o.publicKey, CTX, T0, revokedAt(T0 + 1)).body.mandate).toBe(MANDATE);
  });

  it('a mandated upload opens with its deposit receipt inside the window', async () => {
    const g = await grantDeposit(T0);
    expect((await openPaper({ ...g.input, depositReceipt: g.receipt(T0 + 5) })).plaintext).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });
  it('without a deposit receipt (or without the server key) a mandated upload is refused', async () => {
    const g = await grantDeposit(T0);
    await expectCode(openPaper(g.input), 'not_allowed');
    await expectCode(
      openPaper({ ...g.input, depositReceipt: g.receipt(T0), policy: { ...g.policy(), serverKey: undefined } }),
      'not_allowed',
    );
    const forged = signDepositReceipt(grantee, g.upload, T0);
    await expectCode(openPaper({ ...g.input, depositReceipt: forged }), 'unauthorised_signer');
  });
  it('expired mandate: deposited after not_after', async () => {
    const g = await grantDeposit(T0);
    await expectCode(openPaper({ ...g.input, depositReceipt: g.receipt(T0 + 101) }), 'outside_validity');
  });
  it('backdated upload: created inside the window, deposited after it', async () => {
    const g = await grantDeposit(T0 + 50);
    await expectCode(openPaper({ ...g.input, depositReceipt: g.receipt(T0 + 500) }), 'outside_validity');
  });
  it('revoked mandate: an upload deposited at or after the revocation', async () => {
    const g = await grantDeposit(T0);
    const input = { ...g.input, policy: g.policy(revokedAt(T0 + 20)), depositReceipt: g.receipt(T0 + 20) };
    await expectCode(openPaper(input), 'revoked');
    expect((await openPaper({ ...input, depositReceipt: g.receipt(T0 + 19) })).plaintext.length).toBe(3);
  });
  it('the certificate window is checked at the deposit time, not at created', async () => {
    const g = await grantDeposit(T0, [T0 - 10, T0 + 10]);
    await expectCode(openPaper({ ...g.input, depositReceipt: g.receipt(T0 + 50) }), 'outside_validity');
  });
  it('a deposit receipt for another upload, paper or coffre', async () => {
    const g = await grantDeposit(T0);
    const other = await grantDeposit(T0 + 1);
    await expectCode(openPaper({ ...g.input, depositReceipt: other.receipt(T0 + 2) }), 'hash_mismatch');
    const otherPaper = signStatement(
      {
        kind: 'deposit_receipt',
        v: 1,
        instance: INSTANCE,
        coffre: COFFRE,
        paper: uuid(),
        upload: b64encode(g.upload.hash),
        time: T0,
      },
      server,
    );
    await expectCode(openPaper({ ...g.input, depositReceipt: otherPaper }), 'paper_id_mismatch');
    const otherCoffre = signStatement(
      {
        kind: 'deposit_receipt',
        v: 1,
        instance: INSTANCE,
        coffre: uuid(),
        paper: PAPER,
        upload: b64encode(g.upload.hash),
        time: T0,
      },
      server,
    );
    await expectCode(openPaper({ ...g.input, depositReceipt: otherCoffre }), 'context_mismatch');
  });

  const receipt = (counter: number, created: number) =>
    signAccessReceipt(grantee, { ...CTX, mandate: MANDATE, paper: PAPER, action: 'download', counter, created });
  it('access receipts: dated outside the window or after a revocation', async () => {
    expect(verifyAccessReceipts([receipt(1, T0)], grantee.publicB64, CTX, mandate, [])).toHaveLength(1);
    await expectCode(
      () => verifyAccessReceipts([receipt(1, T0 + 101)], grantee.publicB64, CTX, mandate, []),
      'outside_validity',
    );
    await expectCode(
      () =>
        verifyAccessReceipts(
          [receipt(1, T0), receipt(2, T0 + 30)],
          grantee.publicB64,
          CTX,
          mandate,
          revokedAt(T0 + 30),
        ),
      'revoked',
    );
    const otherMandate = signAccessReceipt(grantee, {
      ...CTX,
      mandate: uuid(),
      paper: PAPER,
      action: 'download',
      counter: 1,
      created: T0,
    });
    await expectCode(
      () => verifyAccessReceipts([otherMandate], grantee.publicB64, CTX, mandate, []),
      'context_mismatch',
    );
  });
});

describe('every verifier takes a full context (hardening 6)', () => {
  it('a missing context field is refused, never skipped', async () => {
    const del = signStatement(
      { kind: 'deletion', v: 1, ...CTX, paper: PAPER, content_sha256: b64encode(new Uint8Array(32)), created: T0 },
      o.signing,
    );
    await expectCode(() => verifyDeletion(del, o.publicKey, { coffre: COFFRE } as never), 'context_mismatch');
    await expectCode(
      () => verifyMandate(mandateEnv, o.publicKey, { instance: INSTANCE, coffre: COFFRE } as never, T0, []),
      'context_mismatch',
    );
    const { cert } = category(o);
    await expectCode(() => verifyCategoryCert(cert, o.publicKey, {} as never, T0), 'context_mismatch');
    await expectCode(() => verifyCategoryCert(cert, o.publicKey, { ...CTX, epoch: 1 }, T0), 'context_mismatch');
  });
  it('openPaper checks the recipient of a WebCrypto category key too', async () => {
    const a = category(o);
    const b = category(o);
    const certA = verifyCategoryCert(a.cert, o.publicKey, CTX, T0).body;
    const wrap = await wrapCategoryKey({ coffre: COFFRE, category: CATEGORY, generation: 0, identity: a.ck.identity }, [
      o.recipient,
    ]);
    const keyA = await (await unwrapCategoryKey(wrap, [o.identity], certA)).nonExtractable();
    expect(keyA.identity).not.toBeTypeOf('string');
    expect(keyA.recipient).toBe(a.ck.recipient);
    const sealed = await sealPaper({
      ...CTX,
      paper: PAPER,
      cert: b.cert,
      ownerKey: o.publicKey,
      uploader: o.signing,
      created: T0,
      content: new Uint8Array(4),
      meta,
    });
    const input = {
      ...CTX,
      paper: PAPER,
      upload: sealed.upload,
      cert: b.cert,
      content: sealed.content,
      meta: sealed.meta,
      policy: { owner: o.publicKey },
    };
    await expectCode(openPaper({ ...input, key: keyA }), 'recipient_mismatch');
    const certB = verifyCategoryCert(b.cert, o.publicKey, CTX, T0).body;
    const keyB = await CategoryKey.fromIdentity(b.ck.identity, certB).nonExtractable();
    expect((await openPaper({ ...input, key: keyB })).plaintext).toEqual(new Uint8Array(4));
  });
});

describe('one value, one code (hardening 6)', () => {
  const base = {
    kind: 'mandate',
    v: 1,
    ...CTX,
    mandate: MANDATE,
    grantee: { type: 'organisation', id: uuid(), key: grantee.publicB64 },
    categories: [CATEGORY],
    rights: 'consult',
    ...WINDOW,
    text_sha256: b64encode(new Uint8Array(32)),
    created: T0,
  };
  it('empty mandate categories are malformed', async () => {
    await expectCode(() => signStatement({ ...base, categories: [] }, o.signing), 'malformed');
  });
  it('not_before > not_after is outside_validity (mandate and certificate)', async () => {
    const reversed = signStatement({ ...base, not_before: T0 + 1, not_after: T0 }, o.signing);
    await expectCode(() => openMandate(reversed, o.publicKey, CTX), 'outside_validity');
    const cert = signStatement(
      {
        kind: 'category_cert',
        v: 1,
        ...CTX,
        category: CATEGORY,
        generation: 0,
        recipient: recipientOf(generateIdentity()),
        not_before: T0 + 1,
        not_after: T0,
        created: T0,
      },
      o.signing,
    );
    await expectCode(() => verifyCategoryCert(cert, o.publicKey, CTX, T0), 'outside_validity');
  });
  it('a succession naming another coffre is bad_succession', async () => {
    const e0 = OwnerKeys.fromSeed(new Uint8Array(32).fill(1));
    const e1 = OwnerKeys.fromSeed(new Uint8Array(32).fill(2));
    const s = signSuccession(e0, e1, { instance: INSTANCE, coffre: uuid(), from_epoch: 0, reason: 'x', created: T0 });
    await expectCode(
      () => followSuccessions({ epoch: 0, key: e0.publicKey }, [s], { instance: INSTANCE, coffre: COFFRE }),
      'bad_succession',
    );
  });
  it('an identity in lowercase is bad_key', async () => {
    const id = generateIdentity();
    await expectCode(decryptWith([id.toLowerCase()], new Uint8Array(10)), 'bad_key');
  });
});

describe('organisation rollback (hardening 5)', () => {
  const ORG = '11111111-2222-4333-8444-555555555555';
  const ORG_CTX = { instance: INSTANCE, organisation: ORG };
  const root = new SigningKey(new Uint8Array(32).fill(130));
  const alice = new SigningKey(new Uint8Array(32).fill(131));
  const bob = new SigningKey(new Uint8Array(32).fill(132));
  const member = (k: SigningKey, role: Member['role']): Member => ({
    key: k.publicB64,
    recipient: recipientOf(generateIdentity()),
    role,
  });
  const aliceM = member(alice, 'responsable');
  const bobM = member(bob, 'aidant');
  const entries: Uint8Array[] = [];
  const add = (action: 'found' | 'add_member' | 'remove_member', m: Member, signer: SigningKey) => {
    const prev = b64encode(entries.length ? statementHash(entries[entries.length - 1]!) : new Uint8Array(32));
    entries.push(
      signOrgChainEntry(
        { instance: INSTANCE, organisation: ORG, seq: entries.length, prev, action, member: m, created: T0 },
        signer,
      ),
    );
  };
  add('found', aliceM, root);
  add('add_member', bobM, alice);
  add('remove_member', bobM, alice);
  const full = verifyOrgChain(entries, root.publicB64, null, ORG_CTX);
  const orgKey = (generation: number, chainSeq: number) =>
    signOrgKey(root, {
      instance: INSTANCE,
      organisation: ORG,
      generation,
      recipient: recipientOf(generateIdentity()),
      chain_seq: chainSeq,
      created: T0,
    });

  it('the state carries the checkpoint and the last removal', () => {
    expect(full.checkpoint.seq).toBe(2);
    expect(full.lastRemoval).toBe(2);
    expect(verifyOrgChain(entries.slice(0, 2), root.publicB64, null, ORG_CTX).lastRemoval).toBeUndefined();
  });
  it('a chain shorter than the checkpoint is rollback; another entry at its seq is fork', async () => {
    await expectCode(() => verifyOrgChain(entries.slice(0, 2), root.publicB64, full.checkpoint, ORG_CTX), 'rollback');
    expect(verifyOrgChain(entries, root.publicB64, full.checkpoint, ORG_CTX).checkpoint).toEqual(full.checkpoint);
    const cp1 = verifyOrgChain(entries.slice(0, 2), root.publicB64, null, ORG_CTX).checkpoint;
    await expectCode(
      () => verifyOrgChain(entries, root.publicB64, { seq: 1, hash: b64encode(new Uint8Array(32).fill(3)) }, ORG_CTX),
      'fork',
    );
    expect(verifyOrgChain(entries, root.publicB64, cp1, ORG_CTX).checkpoint.seq).toBe(2);
  });
  it('newestOrgKey picks the highest generation made after the last removal', () => {
    const k = newestOrgKey([orgKey(0, 0), orgKey(1, 2)], root.publicB64, ORG, full, 1);
    expect(k.body.generation).toBe(1);
  });
  it('newestOrgKey: below the remembered generation, before the last removal, beyond the head', async () => {
    await expectCode(() => newestOrgKey([orgKey(0, 2)], root.publicB64, ORG, full, 1), 'rollback');
    await expectCode(() => newestOrgKey([orgKey(0, 0), orgKey(1, 1)], root.publicB64, ORG, full), 'rollback');
    await expectCode(() => newestOrgKey([orgKey(1, 3)], root.publicB64, ORG, full), 'rollback');
    await expectCode(() => newestOrgKey([], root.publicB64, ORG, full), 'bad_chain');
    await expectCode(() => newestOrgKey([orgKey(1, 2), orgKey(1, 2)], root.publicB64, ORG, full), 'bad_chain');
    await expectCode(() => newestOrgKey([orgKey(1, 2)], alice.publicB64, ORG, full), 'context_mismatch');
    const byAlice = signOrgKey(alice, {
      instance: INSTANCE,
      organisation: ORG,
      generation: 2,
      recipient: recipientOf(generateIdentity()),
      chain_seq: 2,
      created: T0,
    });
    await expectCode(() => newestOrgKey([orgKey(1, 2), byAlice], root.publicB64, ORG, full), 'unauthorised_signer');
  });
});
