// The new coffre's ten categories: distinct v4 ids in shuffled order, certificates that
// verify, labels and key wraps that the owner opens; and the carte's seed wrap.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES, shuffled, tenYearsAfter } from '../../src/coffre/categories';
import { createBody, makeCoffre } from '../../src/coffre/create';
import { openCategoryLabel, unwrapCategoryKey, verifyCategoryCert } from '../../src/crypto/category';
import { b64decode, bytesEqual } from '../../src/crypto/encoding';
import { verifyEd25519 } from '../../src/crypto/keys';
import { authChallengeMessage, seedOf, unwrapSeed } from '../../src/crypto/unlock';

const INSTANCE = 'https://coffre.example.org';
const NOW = 1_800_000_000;
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('a new coffre', () => {
  it('has ten categories with distinct v4 ids whose certificates, labels and wraps check out', async () => {
    const made = await makeCoffre(INSTANCE, NOW);
    expect(made.categories).toHaveLength(10);
    const ids = made.categories.map((c) => c.id);
    expect(new Set(ids).size).toBe(10);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(made.categories.map((c) => c.icon))).toEqual(new Set(DEFAULT_CATEGORIES.map((c) => c.icon)));

    const ctx = { instance: INSTANCE, coffre: made.coffre, epoch: 0 };
    for (const c of made.categories) {
      const cert = verifyCategoryCert(c.cert, made.keys.publicKey, ctx, NOW, c.id).body;
      expect(cert).toMatchObject({ generation: 0, not_before: NOW, created: NOW, not_after: tenYearsAfter(NOW) });
      const label = await openCategoryLabel(c.label, [made.keys.identity], made.keys.publicKey, ctx, c.id);
      expect(label).toMatchObject({ name: c.name, icon: c.icon });
      const key = await unwrapCategoryKey(c.wrap, [made.keys.identity], cert);
      expect(key.recipient).toBe(cert.recipient);
    }
  });

  it('wraps the seed to the carte', async () => {
    const made = await makeCoffre(INSTANCE, NOW);
    expect(made.coffre).toMatch(V4);
    const payload = await unwrapSeed(made.carteWrap, made.carte.identity);
    expect(payload).toMatchObject({ coffre: made.coffre, epoch: 0 });
    expect(bytesEqual(seedOf(payload), made.seed)).toBe(true);
  });

  it('builds the body of POST /api/coffres, the carte signing the nonce', async () => {
    const made = await makeCoffre(INSTANCE, NOW);
    const nonce = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const body = createBody(made, '1234', nonce, { label: 'Firefox, Linux', shared: true });
    expect(Object.keys(body).sort()).toEqual([
      'carte',
      'categories',
      'coffre',
      'device',
      'owner_key',
      'owner_recipient',
    ]);
    expect(body.owner_key).toBe(made.keys.publicKey);
    expect(body.owner_recipient).toMatch(/^age1/);
    expect(body.carte.pin).toBe('1234');
    expect(bytesEqual(b64decode(body.categories[0]!.cert), made.categories[0]!.cert)).toBe(true);
    const message = authChallengeMessage(INSTANCE, body.carte.auth_key, nonce);
    expect(verifyEd25519(b64decode(body.carte.auth_key), message, b64decode(body.carte.signature))).toBe(true);
  });

  it('shuffles the categories', async () => {
    const orders = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const made = await makeCoffre(INSTANCE, NOW);
      orders.add(made.categories.map((c) => c.icon).join());
    }
    // Four identical orders out of 10! would be a broken shuffle.
    expect(orders.size).toBeGreaterThan(1);
  });

  it('shuffled() is a Fisher–Yates permutation', () => {
    expect(shuffled([1, 2, 3, 4], () => 0)).toEqual([2, 3, 4, 1]);
    expect(shuffled([1, 2, 3, 4], (n) => n - 1)).toEqual([1, 2, 3, 4]);
    expect(shuffled([1, 2, 3], () => 0)).not.toBe([1, 2, 3]);
  });
});
