// The grantee's side against a malicious server (src/mandates/grantee.ts): a mandate is shown
// only when it verifies with the owner key the server names, names this account, and is in
// force at the server's time; the receipt of each access carries the next counter, and a
// used counter (another device went first) is taken from the server's answer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/api';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import { type AccessReceipt, signMandate } from '../../src/crypto/mandate';
import { openStatement } from '../../src/crypto/statement';
import type { MandateItem, MandatesApi } from '../../src/mandates/api';
import { access, loadReceived } from '../../src/mandates/grantee';
import type { Unlocked } from '../../src/session';

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
  const to = opts.to ?? me;
  const id = crypto.randomUUID();
  const notAfter = opts.notAfter ?? now + 86400;
  const statement = signMandate((opts.signer ?? owner).signing, {
    instance,
    coffre,
    epoch: 0,
    mandate: id,
    grantee: { type: 'person', id: session.coffre, key: to.publicKey, recipient: to.recipient },
    categories: [category],
    rights: 'consult',
    not_before: now - 60,
    not_after: notAfter,
    text_sha256: b64encode(randomBytes(32)),
    created: now - 60,
  });
  return {
    mandate: id,
    number: 7,
    coffre,
    owner_key: owner.publicKey,
    grantee: { type: 'person', id: session.coffre, key: to.publicKey },
    rights: 'consult',
    categories: [category],
    not_before: now - 60,
    not_after: notAfter,
    state: 'in_force',
    days_left: 1,
    statement: b64encode(statement),
    end: null,
  };
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
