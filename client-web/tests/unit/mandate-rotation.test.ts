// Category rotation after a mandate ends (src/mandates/rotation.ts): which categories the
// owner's client rotates, and that a rotation is safe to retry — a crash before the request
// leaves nothing, a lost answer is a `409` on the retry, and once rotated the decision asks
// for nothing more. The new key goes to the owner and to the live grantees only.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api';
import { type CategoryCert, type CategoryKeyPayload, verifyCertStatement } from '../../src/crypto/category';
import { b64decode } from '../../src/crypto/encoding';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import { openPayload } from '../../src/crypto/payload';
import {
  categoriesToRotate,
  type LiveGrantee,
  type MandateFacts,
  type NewestGeneration,
  type RotationApi,
  rotateCategories,
} from '../../src/mandates/rotation';
import type { PaperCategory } from '../../src/paper-store';

const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const T = 1_900_000_000;

const newest = (id: string, generation: number, created: number): NewestGeneration => ({ id, generation, created });

describe('categoriesToRotate', () => {
  const cats = [newest(A, 0, T), newest(B, 0, T), newest(C, 2, T + 500)];

  it('rotates what an ended consult mandate covered, certified before its end', () => {
    const revoked: MandateFacts = { categories: [A, C], rights: 'consult', endedAt: T + 100 };
    // C was rotated (at T + 500) after this end: only A.
    expect(categoriesToRotate(cats, [revoked])).toEqual([A]);
    const later: MandateFacts = { categories: [A, C], rights: 'consult_deposit', endedAt: T + 600 };
    expect(categoriesToRotate(cats, [later])).toEqual([A, C]);
  });

  it('rotates nothing for a deposit-only mandate, one not ended, or an end before the newest generation', () => {
    expect(categoriesToRotate(cats, [{ categories: [A], rights: 'deposit', endedAt: T + 100 }])).toEqual([]);
    expect(categoriesToRotate(cats, [{ categories: [A], rights: 'consult' }])).toEqual([]);
    expect(categoriesToRotate(cats, [{ categories: [A], rights: 'consult', endedAt: T }])).toEqual([]);
    expect(categoriesToRotate(cats, [{ categories: [A], rights: 'consult', endedAt: T - 1 }])).toEqual([]);
  });

  it('rotates an organisation mandate in force after its chain removed a member', () => {
    const org: MandateFacts = { categories: [B, C], rights: 'consult', lastRemovalAt: T + 10 };
    expect(categoriesToRotate(cats, [org])).toEqual([B]);
  });

  it('ignores categories the coffre does not have, and names each category once', () => {
    const m1: MandateFacts = { categories: [A, crypto.randomUUID()], rights: 'consult', endedAt: T + 1 };
    const m2: MandateFacts = { categories: [A], rights: 'consult', endedAt: T + 2 };
    expect(categoriesToRotate(cats, [m1, m2])).toEqual([A]);
  });
});

const instance = 'http://localhost:4000';
const owner = OwnerKeys.fromSeed(randomBytes(32));
const grantee = OwnerKeys.fromSeed(randomBytes(32));
const removed = OwnerKeys.fromSeed(randomBytes(32));
const coffre = crypto.randomUUID();
const session = { instance, coffre, epoch: 0, keys: owner };

function category(id: string, generation: number): PaperCategory {
  return {
    id,
    icon: 'income',
    name: 'Ressources et aides',
    current: { generation, epoch: 0, body: { created: T } as CategoryCert },
    generations: new Map(),
  } as unknown as PaperCategory;
}

/** A server that keeps the generations it was sent, as the route does (409 for one that exists). */
function fakeServer(start: Record<string, number>) {
  const generations = new Map(Object.entries(start));
  const sent: { id: string; body: Parameters<RotationApi['addGeneration']>[1] }[] = [];
  let failBefore = 0;
  let loseAnswer = 0;
  const api: RotationApi = {
    journalHead: async () => ({ time: T + 1000 }),
    addGeneration: async (id, body) => {
      if (failBefore > 0) {
        failBefore--;
        throw new TypeError('network down');
      }
      const cert = verifyCertStatement(b64decode(body.cert), owner.publicKey, { instance, coffre, epoch: 0 }).body;
      if (cert.generation <= (generations.get(id) ?? -1)) throw new ApiError(409, 'conflict', 'exists');
      generations.set(id, cert.generation);
      sent.push({ id, body });
      if (loseAnswer > 0) {
        loseAnswer--;
        throw new TypeError('answer lost');
      }
      return { category: id, generation: cert.generation };
    },
  };
  return {
    api,
    generations,
    sent,
    crashBefore: () => {
      failBefore = 1;
    },
    loseNextAnswer: () => {
      loseAnswer = 1;
    },
  };
}

describe('rotateCategories', () => {
  const live: LiveGrantee[] = [{ mandate: crypto.randomUUID(), categories: [A], wrapTo: grantee.recipient }];

  it('signs generation g + 1 for the owner and wraps it to the live grantees only', async () => {
    const server = fakeServer({ [A]: 0, [B]: 3 });
    const result = await rotateCategories(session, [category(A, 0), category(B, 3)], [A, B], live, server.api);
    expect(result).toEqual({ rotated: [A, B], waiting: [] });
    expect(server.generations.get(A)).toBe(1);
    expect(server.generations.get(B)).toBe(4);
    const sentA = server.sent.find((s) => s.id === A);
    expect(sentA?.body.mandate_wraps.map((w) => w.mandate)).toEqual([live[0]?.mandate]);
    expect(server.sent.find((s) => s.id === B)?.body.mandate_wraps).toEqual([]);
    const cert = verifyCertStatement(b64decode(sentA?.body.cert ?? ''), owner.publicKey, {
      instance,
      coffre,
      epoch: 0,
    }).body;
    expect(cert).toMatchObject({ category: A, generation: 1, not_before: T + 1000, created: T + 1000 });
    // The owner and the grantee each open the new key, the same one, checked against the cert.
    const mine = await openPayload<CategoryKeyPayload>('category_key', b64decode(sentA?.body.wrap ?? ''), [
      owner.identity,
    ]);
    const theirs = await openPayload<CategoryKeyPayload>(
      'category_key',
      b64decode(sentA?.body.mandate_wraps[0]?.wrap ?? ''),
      [grantee.identity],
    );
    expect(theirs.identity).toBe(mine.identity);
    expect(mine).toMatchObject({ category: A, coffre, generation: 1 });
    // Someone else's identity opens neither.
    await expect(
      openPayload('category_key', b64decode(sentA?.body.mandate_wraps[0]?.wrap ?? ''), [removed.identity]),
    ).rejects.toThrow();
  });

  it('leaves a category waiting while an organisation grantee has no key made after its removal', async () => {
    const server = fakeServer({ [A]: 0 });
    const waiting: LiveGrantee[] = [{ mandate: crypto.randomUUID(), categories: [A], wrapTo: null }];
    const result = await rotateCategories(session, [category(A, 0)], [A], waiting, server.api);
    expect(result).toEqual({ rotated: [], waiting: [A] });
    expect(server.sent).toEqual([]);
  });

  it('is safe to retry: a crash before sending stores nothing, a lost answer is a 409 on the retry', async () => {
    const server = fakeServer({ [A]: 0 });
    server.crashBefore();
    await expect(rotateCategories(session, [category(A, 0)], [A], live, server.api)).rejects.toThrow('network down');
    expect(server.generations.get(A)).toBe(0);
    // The retry (the next unlock) reads the same generation 0 and rotates.
    server.loseNextAnswer();
    await expect(rotateCategories(session, [category(A, 0)], [A], live, server.api)).rejects.toThrow('answer lost');
    expect(server.generations.get(A)).toBe(1);
    // The answer was lost: the client still believes 0 is the newest; the server's 409 says it went through.
    const again = await rotateCategories(session, [category(A, 0)], [A], live, server.api);
    expect(again).toEqual({ rotated: [A], waiting: [] });
    expect(server.sent.length).toBe(1);
    // Read again, generation 1 was certified after the end: nothing more to rotate.
    const ended: MandateFacts = { categories: [A], rights: 'consult', endedAt: T + 1000 };
    expect(categoriesToRotate([newest(A, 1, T + 1000)], [ended])).toEqual([]);
    expect(categoriesToRotate([newest(A, 0, T)], [ended])).toEqual([A]);
  });

  it('passes other server refusals on', async () => {
    const api: RotationApi = {
      journalHead: async () => ({ time: T }),
      addGeneration: async () => {
        throw new ApiError(400, 'bad_request', 'every consult mandate in force gets the new key');
      },
    };
    await expect(rotateCategories(session, [category(A, 0)], [A], [], api)).rejects.toThrow(ApiError);
  });
});
