// The coffre page's journal check (src/journal): every entry's signature, receipt and body
// hash are checked; only the newest lines' bodies are opened.

import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import { signInclusionReceipt, signJournalEntry } from '../../src/crypto/journal';
import { OwnerKeys, SigningKey } from '../../src/crypto/keys';
import { sealPayload } from '../../src/crypto/payload';
import { statementHash, ZERO_HASH_B64 } from '../../src/crypto/statement';
import { SHOWN_LINES, verifyItems } from '../../src/journal';

const instance = 'http://localhost:8080';
const coffre = '11111111-1111-4111-9111-111111111111';

/** `n` entries, alternately the server's `sign_in` and the owner's `key_added`; `last`
 * replaces the last one (its action, its signer, its body). */
async function journal(n: number, last?: { action: string; byOwner: boolean; body: Record<string, unknown> }) {
  const keys = OwnerKeys.fromSeed(new Uint8Array(32).fill(3));
  const server = SigningKey.generate();
  const body = await sealPayload('journal_body', { factor: 'carte', kind: 'journal_body', v: 1 }, [keys.recipient]);
  const lastBody =
    last && (await sealPayload('journal_body', { ...last.body, kind: 'journal_body', v: 1 }, [keys.recipient]));
  const items = [];
  let prev = ZERO_HASH_B64;
  for (let seq = 0; seq < n; seq++) {
    const special = lastBody && last && seq === n - 1 ? { ...last, file: lastBody } : undefined;
    const owner = special ? special.byOwner : seq % 2 === 1;
    const file = special ? special.file : body;
    const entry = signJournalEntry(owner ? keys.signing : server, {
      action: special ? special.action : owner ? 'key_added' : 'sign_in',
      body_sha256: b64encode(sha256(file)),
      coffre,
      epoch: 0,
      instance,
      prev,
      seq,
      time: 1_800_000_000 + seq,
    });
    prev = b64encode(statementHash(entry));
    const receipt = signInclusionReceipt(server, { coffre, entry: prev, instance, seq, time: 1_800_000_000 + seq });
    items.push({ seq, entry: b64encode(entry), body: b64encode(file), receipt: b64encode(receipt) });
  }
  return { keys, server: server.publicB64, items, session: { instance, coffre, epoch: 0, keys } };
}

describe('journal check', () => {
  it('checks every entry but opens only the newest bodies', async () => {
    const { server, items, session } = await journal(SHOWN_LINES + 10);
    const { lines, head } = await verifyItems(items, session, server, undefined);
    expect(head.seq).toBe(SHOWN_LINES + 9);
    expect(lines).toHaveLength(SHOWN_LINES);
    expect(lines[0]?.seq).toBe(10);
    expect(lines.every((l) => l.factor === 'carte')).toBe(true);
  });

  it('gives the older entries bare, newest first, for the filters', async () => {
    const { server, items, session } = await journal(SHOWN_LINES + 10);
    const { older } = await verifyItems(items, session, server, undefined);
    expect(older.map((l) => l.seq)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(older[0]).toEqual({ seq: 9, time: 1_800_000_009, action: 'key_added' });
  });

  it('still refuses an old entry whose body is not the one hashed', async () => {
    const { server, items, session } = await journal(SHOWN_LINES + 10);
    const other = await sealPayload('journal_body', { kind: 'journal_body', v: 1 }, [session.keys.recipient]);
    (items[2] as { body: string }).body = b64encode(other);
    await expect(verifyItems(items, session, server, undefined)).rejects.toThrow(/hash_mismatch/);
  });

  it('refuses server entries signed by another key than the instance key', async () => {
    const { server, session } = await journal(3);
    const other = await journal(3);
    await expect(verifyItems(other.items, session, server, undefined)).rejects.toThrow(/unauthorised_signer/);
  });

  it('reads a server-signed `restored` entry with the backup time', async () => {
    const { server, items, session } = await journal(3, {
      action: 'restored',
      byOwner: false,
      body: { backup_time: 1_799_990_000 },
    });
    const { lines } = await verifyItems(items, session, server, undefined);
    expect(lines.at(-1)).toMatchObject({ action: 'restored', backup_time: 1_799_990_000 });
  });

  it('refuses a `restored` entry signed by the owner: only the server restores', async () => {
    const { server, items, session } = await journal(3, {
      action: 'restored',
      byOwner: true,
      body: { backup_time: 1_799_990_000 },
    });
    await expect(verifyItems(items, session, server, undefined)).rejects.toThrow(/unauthorised_signer/);
  });

  it('with the owner checkpoint, checks signatures and receipts only after it, bodies always', async () => {
    const { server, items, session } = await journal(30);
    const at = (seq: number) => ({ seq, hash: b64encode(statementHash(b64decode(items[seq]!.entry))) });
    const vouched = at(25);
    // A receipt before the checkpoint is not read again; one after it is.
    const badReceipt = (seq: number) => {
      const copy = items.map((i) => ({ ...i }));
      copy[seq]!.receipt = items[seq === 0 ? 1 : 0]!.receipt;
      return copy;
    };
    const { head } = await verifyItems(badReceipt(3), session, server, undefined, [], vouched);
    expect(head.seq).toBe(29);
    await expect(verifyItems(badReceipt(27), session, server, undefined, [], vouched)).rejects.toThrow(
      /context_mismatch/,
    );
    await expect(verifyItems(badReceipt(3), session, server, undefined)).rejects.toThrow(/context_mismatch/);
    // The page may start anywhere up to the checkpoint, and must reach it.
    expect((await verifyItems(items.slice(10), session, server, undefined, [], vouched)).head.seq).toBe(29);
    await expect(verifyItems(items.slice(0, 20), session, server, undefined, [], vouched)).rejects.toThrow(/rollback/);
    await expect(verifyItems(items.slice(10), session, server, undefined)).rejects.toThrow(/seq_gap/);
    // A body is still bound to its entry before the checkpoint.
    const other = await sealPayload('journal_body', { kind: 'journal_body', v: 1 }, [session.keys.recipient]);
    const swapped = items.map((i) => ({ ...i }));
    swapped[2]!.body = b64encode(other);
    await expect(verifyItems(swapped, session, server, undefined, [], vouched)).rejects.toThrow(/hash_mismatch/);
  });
});
