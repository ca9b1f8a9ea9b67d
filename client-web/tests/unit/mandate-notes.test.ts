// The owner's notes on its mandates (protocol.md section 8.1; src/mandates/owner.ts
// `loadGiven`, `renewalOf`): the name the owner gave a grantee comes back from the server on
// a device that remembers nothing, once the note verifies; a note the host made, moved from
// another mandate or altered is ignored (the name stays unknown) and never cached.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../src/api';
import { encryptTo } from '../../src/crypto/ageio';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import { openMandateNote, sealMandateNote } from '../../src/crypto/note';
import { signStatement } from '../../src/crypto/statement';
import type { MandateItem, MandatesApi } from '../../src/mandates/api';
import { nameKey } from '../../src/mandates/names';
import { giveMandate, loadGiven, renewalOf } from '../../src/mandates/owner';
import type { Unlocked } from '../../src/session';
import { aidant, category, coffre, instance, mandate, now, owner, host as server, session } from './mandate-host';

const ctx = { instance, coffre, epoch: 0 };

/** The owner's honest note on `m` (b64), or one for `forMandate`. */
async function note(m: MandateItem, name: string, forMandate = m.mandate): Promise<string> {
  return b64encode(
    await sealMandateNote(owner.signing, { ...ctx, mandate: forMandate, name, created: now }, owner.recipient),
  );
}

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
const personal = { ...session, shared: false } as Unlocked;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the name the owner gave a grantee, from its note', () => {
  it('a fine note names the grantee on a new device, which then caches it', async () => {
    const a = mandate();
    a.note = await note(a, 'Inès, ma sœur');
    const store = newDevice();
    const [g] = await loadGiven(personal, server([a]));
    expect(g?.name).toBe('Inès, ma sœur');
    expect(JSON.parse(store.get(nameKey(a.mandate)) ?? 'null')).toEqual({ name: 'Inès, ma sœur', created: now });
  });

  it('on a shared computer: the name is shown and nothing is written', async () => {
    const a = mandate();
    a.note = await note(a, 'Inès');
    const store = newDevice();
    const [g] = await loadGiven(session, server([a]));
    expect(g?.name).toBe('Inès');
    expect(store.size).toBe(0);
  });

  it('a note moved from another mandate is ignored', async () => {
    const a = mandate();
    const b = mandate();
    a.note = await note(b, 'Quelqu’un d’autre');
    b.note = await note(b, 'Paul');
    const store = newDevice();
    const [ga, gb] = await loadGiven(personal, server([a, b]));
    expect(ga?.name).toBe('');
    expect(gb?.name).toBe('Paul');
    expect(store.has(nameKey(a.mandate))).toBe(false);
  });

  it('a note the host made (sealed to the owner’s recipient, which it knows) is ignored', async () => {
    const a = mandate();
    const hostKey = OwnerKeys.fromSeed(randomBytes(32));
    const forged = signStatement(
      { ...ctx, kind: 'mandate_note', v: 1, mandate: a.mandate, name: 'Le voleur', created: now },
      hostKey.signing,
    );
    a.note = b64encode(await encryptTo([owner.recipient], forged));
    const [g] = await loadGiven(session, server([a]));
    expect(g?.name).toBe('');
    await expect(
      openMandateNote(b64decode(a.note), [owner.identity], owner.publicKey, ctx, a.mandate),
    ).rejects.toMatchObject({ code: 'unauthorised_signer' });
  });

  it('a tampered note is ignored, and the device’s own name stays', async () => {
    const a = mandate();
    const bytes = b64decode(await note(a, 'Inès'));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    a.note = b64encode(bytes);
    const store = newDevice();
    store.set(nameKey(a.mandate), 'Inès (ce téléphone)');
    const [g] = await loadGiven(personal, server([a]));
    expect(g?.name).toBe('Inès (ce téléphone)');
    await expect(openMandateNote(bytes, [owner.identity], owner.publicKey, ctx, a.mandate)).rejects.toMatchObject({
      code: 'decryption_failed',
    });
  });

  it('no note and nothing on this device: no name', async () => {
    const a = mandate();
    newDevice();
    const [g] = await loadGiven(personal, server([a]));
    expect(g?.name).toBe('');
  });

  it('a renewal on a new device starts from the note’s name', async () => {
    const a = mandate();
    a.note = await note(a, 'Inès');
    newDevice();
    const renewal = await renewalOf(personal, a.mandate, server([a]));
    expect(renewal.name).toBe('Inès');
    const b = mandate();
    b.note = await note(a, 'Inès');
    expect((await renewalOf(personal, b.mandate, server([b]))).name).toBe('');
  });

  it('a name the note cannot hold is refused when sealed', async () => {
    const a = mandate();
    await expect(note(a, '')).rejects.toMatchObject({ code: 'malformed' });
    await expect(note(a, 'é'.repeat(91))).rejects.toMatchObject({ code: 'malformed' });
    await expect(note(a, 'In\u0001ès')).rejects.toMatchObject({ code: 'malformed' });
    // What the 60-character field can hold always fits.
    expect(b64decode(await note(a, '😀'.repeat(30))).length).toBeLessThanOrEqual(2048);
  });

  it('giving a mandate on a shared computer sends the note, which names the grantee, and writes nothing', async () => {
    vi.spyOn(api, 'journalHead').mockResolvedValue({ next_seq: 1, prev: b64encode(new Uint8Array(32)), time: now });
    const store = newDevice();
    const sent: { note?: string }[] = [];
    const m = {
      grant: async (_statement: string, _journal: unknown, note?: string) => {
        sent.push({ note });
        return { mandate: 'x', number: 7, seq: 1 };
      },
      putLabels: async () => {},
    } as unknown as MandatesApi;
    const id = crypto.randomUUID();
    const who = {
      grantee: { type: 'person' as const, id: crypto.randomUUID(), key: aidant.publicKey, recipient: aidant.recipient },
      words: '',
      wrapTo: aidant.recipient,
      pinned: true,
    };
    const choice = {
      categories: [{ id: category, name: 'Logement', icon: 'housing' }] as never,
      rights: 'deposit' as const,
      notBefore: now,
      notAfter: now + 86_400,
      textSha256: b64encode(randomBytes(32)),
      mandate: id,
    };
    expect(await giveMandate(session, who, { ...choice, name: 'Inès' }, m)).toBe(7);
    expect(store.size).toBe(0);
    const note = sent[0]?.note;
    expect(note).toBeTypeOf('string');
    expect((await openMandateNote(b64decode(note ?? ''), [owner.identity], owner.publicKey, ctx, id)).name).toBe(
      'Inès',
    );
    // No name typed: no note.
    await giveMandate(session, who, { ...choice, mandate: crypto.randomUUID() }, m);
    expect(sent[1]?.note).toBeUndefined();
  });
});
