// Naming or renaming a mandate's grantee afterwards (protocol.md section 8.1; src/mandates/
// owner.ts `renameMandate`, `ownerName`; names.ts): a rename is a new owner's note with a
// later `created`, sent in place of the stored one; a device keeps the newest `created` it
// has seen per mandate and ignores an older note the host serves back (a rollback), on a
// shared computer for the session's length; a newer note from another device wins.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../src/api';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import { openMandateNote, sealMandateNote } from '../../src/crypto/note';
import type { MandateItem, MandatesApi } from '../../src/mandates/api';
import { nameKey, savedNote } from '../../src/mandates/names';
import { loadGiven, ownerName, renameMandate } from '../../src/mandates/owner';
import type { Unlocked } from '../../src/session';
import { coffre, instance, mandate, now, owner, host as server, session } from './mandate-host';

const ctx = { instance, coffre, epoch: 0 };

/** The owner's note on `m` naming `name`, dated `created` (b64). */
const note = async (m: MandateItem, name: string, created: number) =>
  b64encode(await sealMandateNote(owner.signing, { ...ctx, mandate: m.mandate, name, created }, owner.recipient));

/** A device's own storage, empty: a new phone. */
function newDevice(): Map<string, string> {
  const store = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
  return store;
}

/** A personal device's session; a fresh object each time (what a session remembers is its own). */
const personal = () => ({ ...session, shared: false }) as Unlocked;
const shared = () => ({ ...session, shared: true }) as Unlocked;

/** A host that stores what `putNote` sends, as the server's `mandate_notes` does. */
function noteHost(): { m: Pick<MandatesApi, 'putNote'>; sent: Map<string, string> } {
  const sent = new Map<string, string>();
  return {
    sent,
    m: {
      putNote: async (id: string, file: string) => {
        sent.set(id, file);
      },
    },
  };
}

/** The host's clock as `GET /api/instance` says it. */
const hostTime = (t: number) =>
  vi.spyOn(api, 'instance').mockResolvedValue({ now: t } as Awaited<ReturnType<typeof api.instance>>);

const opened = (file: string, m: MandateItem) =>
  openMandateNote(b64decode(file), [owner.identity], owner.publicKey, ctx, m.mandate);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('naming or renaming a grantee afterwards', () => {
  it('a rename seals an owner-signed note dated after the name shown, sends it, and remembers it', async () => {
    const a = mandate();
    const s = personal();
    const store = newDevice();
    hostTime(now + 100);
    const { m, sent } = noteHost();
    const saved = await renameMandate(s, a.mandate, 'Inès B. (CHRS)', now, m);
    expect(saved).toEqual({ name: 'Inès B. (CHRS)', created: now + 100 });
    const file = sent.get(a.mandate);
    expect(file).toBeTypeOf('string');
    const body = await opened(file ?? '', a);
    expect(body).toMatchObject({ name: 'Inès B. (CHRS)', created: now + 100, mandate: a.mandate, coffre });
    expect(JSON.parse(store.get(nameKey(a.mandate)) ?? 'null')).toEqual(saved);
  });

  it('a host whose clock goes back cannot make the rename older than the name it replaces', async () => {
    const a = mandate();
    const s = personal();
    newDevice();
    const { m, sent } = noteHost();
    hostTime(now + 500);
    await renameMandate(s, a.mandate, 'Inès', now, m);
    // The host now says it is earlier than the note this device made.
    hostTime(now - 3600);
    const second = await renameMandate(s, a.mandate, 'Inès B.', now, m);
    expect(second.created).toBe(now + 501);
    expect((await opened(sent.get(a.mandate) ?? '', a)).created).toBe(now + 501);
    // And after the name shown, whatever this device remembers.
    const b = mandate();
    expect((await renameMandate(shared(), b.mandate, 'Paul', now + 9000, m)).created).toBe(now + 9001);
  });

  it('the older note the host serves back after a rename is ignored: the newer name stays', async () => {
    const a = mandate();
    const first = await note(a, 'Inès', now);
    const s = personal();
    const store = newDevice();
    hostTime(now + 100);
    const { m } = noteHost();
    await renameMandate(s, a.mandate, 'Inès B. (CHRS)', now, m);
    // The host keeps serving the first note (it dropped the rename, or rolled it back).
    a.note = first;
    const [g] = await loadGiven(s, server([a]));
    expect(g?.name).toBe('Inès B. (CHRS)');
    expect(g?.nameCreated).toBe(now + 100);
    expect(JSON.parse(store.get(nameKey(a.mandate)) ?? 'null')).toEqual({ name: 'Inès B. (CHRS)', created: now + 100 });
    // The same device, another session (the app opened again): its storage still says so.
    expect((await ownerName(personal(), a))?.name).toBe('Inès B. (CHRS)');
  });

  it('on a shared computer the session ignores an older note too, and writes nothing', async () => {
    const a = mandate();
    const first = await note(a, 'Inès', now);
    const s = shared();
    const store = newDevice();
    hostTime(now + 100);
    await renameMandate(s, a.mandate, 'Inès B.', now, noteHost().m);
    a.note = first;
    expect((await ownerName(s, a))?.name).toBe('Inès B.');
    expect(store.size).toBe(0);
    // Another session on that computer remembers nothing: it takes what the host serves.
    expect((await ownerName(shared(), a))?.name).toBe('Inès');
  });

  it('a newer note (renamed on another device) replaces the name this device remembers', async () => {
    const a = mandate();
    const s = personal();
    const store = newDevice();
    a.note = await note(a, 'Inès', now);
    expect((await ownerName(s, a))?.name).toBe('Inès');
    a.note = await note(a, 'Inès B. (CHRS)', now + 3600);
    const [g] = await loadGiven(s, server([a]));
    expect(g?.name).toBe('Inès B. (CHRS)');
    expect(g?.nameCreated).toBe(now + 3600);
    expect(savedNote(s, a.mandate)).toEqual({ name: 'Inès B. (CHRS)', created: now + 3600 });
    expect(JSON.parse(store.get(nameKey(a.mandate)) ?? 'null').name).toBe('Inès B. (CHRS)');
  });

  it('a name cached before dates were kept gives way to any verified note', async () => {
    const a = mandate();
    const store = newDevice();
    store.set(nameKey(a.mandate), 'Inès (ce téléphone)');
    expect(savedNote(personal(), a.mandate)).toEqual({ name: 'Inès (ce téléphone)', created: 0 });
    a.note = await note(a, 'Inès', now);
    expect((await ownerName(personal(), a))?.name).toBe('Inès');
  });

  it('a newer note that fails its checks does not replace the name (a forged « rename »)', async () => {
    const a = mandate();
    const b = mandate();
    const s = personal();
    newDevice();
    a.note = await note(a, 'Inès', now);
    await ownerName(s, a);
    // Moved from another mandate, dated later: refused (context_mismatch), the name stays.
    a.note = await note(b, 'Le voleur', now + 3600);
    expect((await ownerName(s, a))?.name).toBe('Inès');
    expect(savedNote(s, a.mandate)).toEqual({ name: 'Inès', created: now });
  });

  it('a name the note cannot hold is refused before anything is sent', async () => {
    const a = mandate();
    newDevice();
    hostTime(now);
    const { m, sent } = noteHost();
    await expect(renameMandate(personal(), a.mandate, 'In\u0001ès', 0, m)).rejects.toMatchObject({ code: 'malformed' });
    await expect(renameMandate(personal(), a.mandate, '', 0, m)).rejects.toMatchObject({ code: 'malformed' });
    expect(sent.size).toBe(0);
    expect(savedNote(personal(), a.mandate)).toBeUndefined();
  });
});
