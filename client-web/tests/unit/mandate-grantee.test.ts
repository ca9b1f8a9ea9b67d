// The grantee's side against a malicious server (src/mandates/grantee.ts): a mandate is shown
// only when it verifies with the owner key the server names, names this account, and is in
// force at the server's time; the receipt of each access carries the next counter, and a
// used counter (another device went first) is taken from the server's answer.
// A deposit under this mandate opens with the deposit receipt the access route serves.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/api';
import { makeDefaultCategories } from '../../src/coffre/categories';
import { unwrapCategoryKey, verifyCertStatement } from '../../src/crypto/category';
import { signDepositReceipt } from '../../src/crypto/deposit';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import { OwnerKeys, randomBytes, SigningKey } from '../../src/crypto/keys';
import { type AccessReceipt, openMandate, signMandate } from '../../src/crypto/mandate';
import { sealPaper, type Upload } from '../../src/crypto/paper';
import { openStatement } from '../../src/crypto/statement';
import type { MandateItem, MandatesApi } from '../../src/mandates/api';
import { access, listPapers, loadReceived } from '../../src/mandates/grantee';
import type { Unlocked } from '../../src/session';
import { receivedMandate } from './mandate-received';

const instance = 'http://localhost:4000';
const owner = OwnerKeys.fromSeed(randomBytes(32));
const me = OwnerKeys.fromSeed(randomBytes(32));
const coffre = crypto.randomUUID();
const category = crypto.randomUUID();
const now = 1_900_000_000;
const session = { instance, coffre: crypto.randomUUID(), epoch: 0, keys: me, shared: true } as unknown as Unlocked;

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ origin: instance, rp_id: 'localhost', server_key: '', now }))),
  );
});
afterEach(() => vi.unstubAllGlobals());

function item(opts: { signer?: OwnerKeys; to?: OwnerKeys; notAfter?: number } = {}): MandateItem {
  return receivedMandate({
    instance,
    coffre,
    owner,
    account: session.coffre,
    to: me,
    category,
    now,
    ...opts,
  });
}

const serving = (received: MandateItem[], access?: MandatesApi['access']) =>
  ({ list: async () => ({ given: [], received }), access }) as unknown as MandatesApi;

describe('the mandates received, verified against the server', () => {
  it('shows an honest mandate, with the owner’s five words', async () => {
    const { mandates, refused } = await loadReceived(session, serving([item()]));
    expect(refused).toEqual([]);
    expect(mandates[0]?.ownerWords.split('-')).toHaveLength(5);
  });

  it('refuses one not signed by the owner key, one to someone else, one already over', async () => {
    const other = OwnerKeys.fromSeed(randomBytes(32));
    const { mandates, refused } = await loadReceived(
      session,
      serving([item({ signer: other }), item({ to: other }), item({ notAfter: now - 1 })]),
    );
    expect(mandates).toEqual([]);
    expect(refused.map((r) => r.code)).toEqual(['unauthorised_signer', 'grantee_key_mismatch', 'outside_validity']);
  });

  it('refuses one whose listed scope or window is not the signed one (widened, stretched, swapped)', async () => {
    const widened = { ...item(), rights: 'consult_deposit' as const };
    const more = { ...item(), categories: [category, crypto.randomUUID()] };
    const stretched = { ...item(), not_after: now + 365 * 86400 };
    const swapped = { ...item(), statement: item().statement };
    const honest = item();
    const { mandates, refused } = await loadReceived(session, serving([widened, more, stretched, swapped, honest]));
    expect(mandates.map((m) => m.item.mandate)).toEqual([honest.mandate]);
    expect(refused.map((r) => r.code)).toEqual([
      'context_mismatch',
      'context_mismatch',
      'context_mismatch',
      'context_mismatch',
    ]);
  });

  it('refuses a mandate whose signed body the server widened (the signature no longer holds)', async () => {
    const one = item();
    // The envelope keeps its signature; its body (base64url JSON) says more rights.
    const envelope = JSON.parse(new TextDecoder().decode(b64decode(one.statement)));
    const body = new TextDecoder().decode(b64decode(envelope.body));
    const wider = body.replace('"rights":"consult"', '"rights":"consult_deposit"');
    expect(wider).not.toBe(body);
    envelope.body = b64encode(new TextEncoder().encode(wider));
    const forged = {
      ...one,
      rights: 'consult_deposit' as const,
      statement: b64encode(new TextEncoder().encode(JSON.stringify(envelope))),
    };
    const { mandates, refused } = await loadReceived(session, serving([forged]));
    expect(mandates).toEqual([]);
    expect(refused.map((r) => r.code)).toEqual(['bad_signature']);
  });

  it('signs the next counter, and takes the server’s next one after a 409', async () => {
    const { mandates } = await loadReceived(session, serving([item()]));
    const r = mandates[0];
    if (!r) throw new Error('no mandate');
    const seen: AccessReceipt[] = [];
    const api = serving([], async (_id, receipt) => {
      const body = openStatement<AccessReceipt>(b64decode(receipt), 'access_receipt').body;
      seen.push(body);
      if (body.counter < 5) throw new ApiError(409, 'conflict', 'counter 1 is used: the next is 5');
      return { counter: body.counter, keys: [], papers: [] };
    });
    await access(session, r, 'list', category, api);
    await access(session, r, 'list', category, api);
    expect(seen.map((b) => [b.counter, b.grantee_key, b.mandate])).toEqual([
      [1, me.publicKey, r.item.mandate],
      [5, me.publicKey, r.item.mandate],
      [6, me.publicKey, r.item.mandate],
    ]);
  });
});

describe('a paper deposited under a mandate, on the grantee’s side', () => {
  const serverKey = SigningKey.generate();
  const ctx = { instance, coffre, epoch: 0 };

  /** A consult+deposit mandate to `me` on a made category, and the category's key for it. */
  async function setup() {
    const [made] = await makeDefaultCategories(owner, { ...ctx, now: now - 100 });
    if (!made) throw new Error('no category');
    const certBody = verifyCertStatement(made.cert, owner.publicKey, ctx, made.id).body;
    const key = await unwrapCategoryKey(made.wrap, [owner.identity], certBody);
    const mandate = crypto.randomUUID();
    const statement = signMandate(owner.signing, {
      instance,
      coffre,
      epoch: 0,
      mandate,
      grantee: { type: 'person', id: session.coffre, key: me.publicKey, recipient: me.recipient },
      categories: [made.id],
      rights: 'consult_deposit',
      not_before: now - 60,
      not_after: now + 86400,
      text_sha256: b64encode(randomBytes(32)),
      created: now - 60,
    });
    const r = {
      item: { ...item(), mandate, rights: 'consult_deposit', categories: [made.id] } as MandateItem,
      mandate: openMandate(statement, owner.publicKey, ctx, me.publicKey),
      ownerWords: '',
    };
    const granted = { keys: new Map([[0, { key, cert: made.cert }]]) };
    return { made, r, granted };
  }

  /** A paper `by` sealed under `mandateId`, as the access route serves it. */
  async function deposit(made: { id: string; cert: Uint8Array }, mandateId: string, by: OwnerKeys, title: string) {
    const paper = crypto.randomUUID();
    const sealed = await sealPaper({
      instance,
      coffre,
      epoch: 0,
      paper,
      cert: made.cert,
      ownerKey: owner.publicKey,
      uploader: by.signing,
      mandate: mandateId,
      created: now,
      content: new TextEncoder().encode(title),
      meta: { doc_type: 'autre', filename: 'a.txt', mime: 'text/plain', pages: 1, title },
    });
    const upload = openStatement<Upload>(sealed.upload, 'upload');
    return {
      paper,
      category: made.id,
      generation: 0,
      content_size: upload.body.content_size,
      statement: b64encode(sealed.upload),
      created: now,
      meta: b64encode(sealed.meta),
      deposit_receipt: b64encode(signDepositReceipt(serverKey, upload, now + 1)),
    };
  }

  const listing = (papers: unknown[]) =>
    ({ access: async () => ({ counter: 1, keys: [], papers }) }) as unknown as MandatesApi;

  beforeEach(() => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ origin: instance, rp_id: 'localhost', server_key: serverKey.publicB64, now })),
      ),
    );
  });

  it('opens its own deposit with the receipt the access route serves', async () => {
    const { made, r, granted } = await setup();
    const d = await deposit(made, r.item.mandate, me, 'Attestation CAF');
    const out = await listPapers(session, r, made.id, granted, listing([d]));
    expect(out).toMatchObject({ refused: 0, deposits: 0 });
    expect(out.papers.map((p) => p.meta.title)).toEqual(['Attestation CAF']);
  });

  it('refuses one without its receipt, or with a receipt another key signed', async () => {
    const { made, r, granted } = await setup();
    const bare = { ...(await deposit(made, r.item.mandate, me, 'Sans reçu')), deposit_receipt: undefined };
    const forged = await deposit(made, r.item.mandate, me, 'Faux reçu');
    const upload = openStatement<Upload>(b64decode(forged.statement), 'upload');
    forged.deposit_receipt = b64encode(signDepositReceipt(SigningKey.generate(), upload, now + 1));
    const out = await listPapers(session, r, made.id, granted, listing([bare, forged]));
    expect(out).toMatchObject({ papers: [], refused: 2, deposits: 0 });
  });

  it('refuses one signed by a key this mandate does not name; counts one under another mandate apart', async () => {
    const { made, r, granted } = await setup();
    const stranger = await deposit(made, r.item.mandate, OwnerKeys.fromSeed(randomBytes(32)), 'Intrus');
    const elsewhere = await deposit(made, crypto.randomUUID(), OwnerKeys.fromSeed(randomBytes(32)), 'Ailleurs');
    const out = await listPapers(session, r, made.id, granted, listing([stranger, elsewhere]));
    expect(out).toMatchObject({ papers: [], refused: 1, deposits: 1 });
  });
});
