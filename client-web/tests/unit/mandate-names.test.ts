// The workspace's names for every démarche at once (src/mandates/deposit.ts
// `receivedCategories`, one request for all the received mandates): each mandate's answer
// gets the verdict `depositCategories` gives it alone; a served mandate that is not one of
// the verified ones is ignored, one whose certificate fails is left out, and a label that
// fails its checks leaves its démarche unnamed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sealCategoryLabel, signCategoryCert } from '../../src/crypto/category';
import { b64encode } from '../../src/crypto/encoding';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import type { MandateItem, MandatesApi } from '../../src/mandates/api';
import { depositCategories, receivedCategories } from '../../src/mandates/deposit';
import { loadReceived } from '../../src/mandates/grantee';
import type { Unlocked } from '../../src/session';
import { receivedMandate } from './mandate-received';

const instance = 'http://localhost:4000';
const owner = OwnerKeys.fromSeed(randomBytes(32));
const stranger = OwnerKeys.fromSeed(randomBytes(32));
const me = OwnerKeys.fromSeed(randomBytes(32));
const coffre = crypto.randomUUID();
const now = 1_900_000_000;
const session = { instance, coffre: crypto.randomUUID(), epoch: 0, keys: me, shared: true } as unknown as Unlocked;
const ctx = { instance, coffre, epoch: 0 };

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ origin: instance, rp_id: 'localhost', server_key: '', now }))),
  );
});
afterEach(() => vi.unstubAllGlobals());

const item = (category: string): MandateItem =>
  receivedMandate({ instance, coffre, owner, account: session.coffre, to: me, category, now });

const cert = (category: string, by = owner) =>
  b64encode(
    signCategoryCert(by.signing, {
      ...ctx,
      category,
      generation: 0,
      recipient: me.recipient,
      not_before: now - 60,
      not_after: now + 86400,
      created: now - 60,
    }),
  );
const label = async (category: string, name: string, by = owner) =>
  b64encode(
    await sealCategoryLabel(by.signing, { ...ctx, category, name, icon: 'maison', created: now }, [me.recipient]),
  );

describe('every démarche named in one request', () => {
  it('gives each mandate what its own route gives it, and leaves out what fails', async () => {
    const [a, b, c, d] = [0, 1, 2, 3].map(() => crypto.randomUUID()) as [string, string, string, string];
    const items = [item(a), item(b), item(c)];
    const served = new Map([
      // Honest: certificate and label.
      [items[0]!.mandate, [{ category: a, generation: 0, cert: cert(a), label: await label(a, 'Logement') }]],
      // The certificate signed by someone else: the whole mandate is left out.
      [items[1]!.mandate, [{ category: b, generation: 0, cert: cert(b, stranger), label: await label(b, 'Santé') }]],
      // A label signed by someone else: the démarche stays unnamed, its certificate holds.
      [items[2]!.mandate, [{ category: c, generation: 0, cert: cert(c), label: await label(c, 'Impôts', stranger) }]],
    ]);
    const api = {
      list: async () => ({ given: [], received: items }),
      categories: async (id: string) => ({ categories: served.get(id) ?? [] }),
      receivedCategories: async () => ({
        mandates: [
          ...[...served].map(([mandate, categories]) => ({ mandate, categories })),
          // Not a mandate this account verified: ignored.
          { mandate: crypto.randomUUID(), categories: [{ category: d, generation: 0, cert: cert(d), label: null }] },
        ],
      }),
    } as unknown as MandatesApi;
    const { mandates } = await loadReceived(session, api);
    expect(mandates).toHaveLength(3);
    const all = await receivedCategories(session, mandates, api);
    expect([...all.keys()]).toEqual([items[0]!.mandate, items[2]!.mandate]);
    expect(all.get(items[0]!.mandate)?.map((x) => x.label)).toEqual([{ name: 'Logement', icon: 'maison' }]);
    expect(all.get(items[2]!.mandate)?.map((x) => [x.id, x.label])).toEqual([[c, undefined]]);
    // The same verdicts mandate by mandate.
    expect(await depositCategories(session, mandates[0]!, api)).toEqual(all.get(items[0]!.mandate));
    await expect(depositCategories(session, mandates[1]!, api)).rejects.toMatchObject({ code: 'unauthorised_signer' });
    expect(await depositCategories(session, mandates[2]!, api)).toEqual(all.get(items[2]!.mandate));
  });
});
