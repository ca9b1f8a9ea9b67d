// A restore from an older backup must not bring back a mandate the owner stopped: the device
// that revoked it remembers it and revokes it again (src/mandates/revocations.ts).
import { describe, expect, it } from 'vitest';
import type { MandateItem } from '../../src/mandates/api';
import {
  REMEMBERED_REVOCATIONS,
  type RevocationStore,
  rememberRevocation,
  revokeAgainWhatARestoreLost,
  stoppedAgain,
} from '../../src/mandates/revocations';
import type { Unlocked } from '../../src/session';
import { mandate, session as sharedSession } from './mandate-host';

const own = { ...sharedSession, shared: false } as Unlocked;

function memoryStore(): RevocationStore & { all: Map<string, string[]> } {
  const all = new Map<string, string[]>();
  return { all, get: (c) => [...(all.get(c) ?? [])], set: (c, ids) => all.set(c, [...ids]) };
}

const listing = (given: MandateItem[]) => ({ list: async () => ({ given, received: [] }) });

describe('revocations a restore lost', () => {
  it('a mandate this device revoked, listed in force again, is revoked again; the others are left alone', async () => {
    const store = memoryStore();
    const stopped = mandate({ number: 1 });
    const running = mandate({ number: 2 });
    const upcoming = { ...mandate({ number: 3 }), state: 'upcoming' as const };
    const ended = { ...mandate({ number: 4 }), state: 'revoked' as const };
    for (const m of [stopped, upcoming, ended]) rememberRevocation(own, m.mandate, store);
    const revoked: string[] = [];
    const again = await revokeAgainWhatARestoreLost(own, async (id) => void revoked.push(id), {
      m: listing([stopped, running, upcoming, ended]),
      store,
    });
    expect(again.map((m) => m.number)).toEqual([1, 3]);
    expect(stoppedAgain(own).map((m) => m.number)).toEqual([1, 3]);
    expect(revoked).toEqual([stopped.mandate, upcoming.mandate]);
  });

  it('one whose end the journal still holds is not stopped again (the list lies, and is warned of)', async () => {
    const store = memoryStore();
    const lied = mandate({ number: 5 });
    rememberRevocation(own, lied.mandate, store);
    const revoked: string[] = [];
    const again = await revokeAgainWhatARestoreLost(own, async (id) => void revoked.push(id), {
      m: listing([lied]),
      store,
      skip: (item) => item.mandate === lied.mandate,
    });
    expect(again).toEqual([]);
    expect(revoked).toEqual([]);
  });

  it('nothing remembered: no request at all', async () => {
    let asked = false;
    const again = await revokeAgainWhatARestoreLost(own, async () => {}, {
      m: {
        list: async () => {
          asked = true;
          return { given: [], received: [] };
        },
      },
      store: memoryStore(),
    });
    expect(again).toEqual([]);
    expect(asked).toBe(false);
  });

  it('a shared computer keeps nothing', async () => {
    const revoked: string[] = [];
    rememberRevocation(sharedSession, mandate().mandate);
    const again = await revokeAgainWhatARestoreLost(sharedSession, async (id) => void revoked.push(id), {
      m: listing([mandate()]),
    });
    expect(again).toEqual([]);
    expect(revoked).toEqual([]);
  });

  it('keeps the newest ids, each once', () => {
    const store = memoryStore();
    const ids = Array.from({ length: REMEMBERED_REVOCATIONS + 5 }, () => crypto.randomUUID());
    for (const id of ids) rememberRevocation(own, id, store);
    rememberRevocation(own, ids[10] as string, store);
    const kept = store.get(own.coffre);
    expect(kept).toHaveLength(REMEMBERED_REVOCATIONS);
    expect(kept.at(-1)).toBe(ids[10]);
    expect(new Set(kept).size).toBe(kept.length);
    expect(kept).not.toContain(ids[0]);
  });

  it('two passes at once (the home and « Mes mandats »): one revocation, the second pass lists after it', async () => {
    const store = memoryStore();
    const m = mandate({ number: 6 });
    rememberRevocation(own, m.mandate, store);
    let listed: MandateItem = m;
    const revoked: string[] = [];
    const api = { list: async () => ({ given: [listed], received: [] }) };
    const revoke = async (id: string) => {
      revoked.push(id);
      listed = { ...m, state: 'revoked' };
    };
    const session = { ...own } as Unlocked;
    const [first, second] = await Promise.all([
      revokeAgainWhatARestoreLost(session, revoke, { m: api, store }),
      revokeAgainWhatARestoreLost(session, revoke, { m: api, store }),
    ]);
    expect(revoked).toEqual([m.mandate]);
    expect(first.map((x) => x.number)).toEqual([6]);
    expect(second).toEqual([]);
    expect(stoppedAgain(session).map((x) => x.number)).toEqual([6]);
  });

  it('a failed revocation stops and is said (the next unlock tries again)', async () => {
    const store = memoryStore();
    const m = mandate();
    rememberRevocation(own, m.mandate, store);
    await expect(
      revokeAgainWhatARestoreLost(
        own,
        async () => {
          throw new Error('offline');
        },
        { m: listing([m]), store },
      ),
    ).rejects.toThrow('offline');
    expect(store.get(own.coffre)).toEqual([m.mandate]);
  });
});
