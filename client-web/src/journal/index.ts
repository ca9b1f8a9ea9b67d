// The owner's journal (protocol.md section 9): fetched from the server, verified here —
// every signature (the owner's, or the instance's server key for what the server saw), the
// links, no gap, every inclusion receipt, every body — and checked against the checkpoint
// this device remembers, so a server that drops, reorders, rolls back or forks the journal
// is caught. On a shared computer no checkpoint is kept (nothing stays behind).
import { sha256 } from '@noble/hashes/sha2.js';
import { ApiError, api, type InstanceInfo } from '../api';
import { b64decode, b64encode } from '../crypto/encoding';
import { type EpochKey, type EpochSuccession, followSuccessions } from '../crypto/epoch';
import { CoffreCryptoError, fail } from '../crypto/errors';
import {
  allowedSigner,
  type Checkpoint,
  checkJournalBody,
  type JournalCheckpoint,
  type JournalEntry,
  signJournalCheckpoint,
  signJournalEntry,
  verifyInclusionReceipt,
  verifyJournal,
  verifyJournalCheckpoint,
} from '../crypto/journal';
import { openPayload, sealPayload } from '../crypto/payload';
import { openStatement, preverifyStatements } from '../crypto/statement';
import type { Unlocked } from '../session';

/** How many of the newest lines the coffre page shows (and opens the bodies of). */
export const SHOWN_LINES = 50;

/**
 * A device signs a new owner checkpoint once the verified journal is this many entries past
 * the one the server keeps: a new device then checks at most about this many signatures
 * (plus what happened since), whatever the journal's length.
 */
export const CHECKPOINT_EVERY = 20;

/** The actions the server signs itself (with the instance's server key). */
export { SERVER_ACTIONS } from '../crypto/journal';

export interface JournalLine {
  seq: number;
  time: number;
  action: string;
  factor?: string;
  device?: string;
  /** For `restored`: when the backup was taken (Unix seconds). */
  backup_time?: number;
  /** For a mandate's acts: the mandate's id (its number comes with the given mandates). */
  mandate?: string;
  /** What the entry is about: a paper, a mandate (granted, revoked), a category (a grantee's key or list). */
  object?: string;
}

export type JournalResult =
  | {
      ok: true;
      lines: JournalLine[];
      head: Checkpoint;
      /** Only the entries from this device's checkpoint on were fetched and verified. */
      since?: number;
      /**
       * The owner's signed checkpoint this verification started from: entries up to `seq`
       * are bound by their links to what one of the owner's devices verified on `created`.
       */
      vouched?: { seq: number; created: number };
      /**
       * The verified entries older than `lines`, newest first, bare: what their signed entry
       * says (seq, time, action, mandate, object), their encrypted details not opened. The
       * journal's filters read them.
       */
      older: JournalLine[];
      /** `lines` and `older` reach the journal's first entry: a filter sees every entry. */
      whole: boolean;
    }
  | { ok: false; code: string; message: string };

const checkpointKey = (coffre: string) => `coffre:journal-checkpoint:${coffre}`;

/**
 * What this device remembers of a coffre's journal (nothing on a shared computer): the
 * checkpoint, and the instance's server key it was verified with — a later page must be
 * signed by the same key, or the host could swap the key and the journal together.
 */
export interface Remembered extends Checkpoint {
  server_key: string;
}

export interface CheckpointStore {
  get(coffre: string): Remembered | undefined;
  set(coffre: string, remembered: Remembered): void;
}

export const localCheckpoints: CheckpointStore = {
  get(coffre) {
    const raw = localStorage.getItem(checkpointKey(coffre));
    if (!raw) return undefined;
    try {
      const cp = JSON.parse(raw) as Remembered;
      return typeof cp.seq === 'number' && typeof cp.hash === 'string' && typeof cp.server_key === 'string'
        ? cp
        : undefined;
    } catch {
      return undefined;
    }
  },
  set(coffre, remembered) {
    localStorage.setItem(checkpointKey(coffre), JSON.stringify(remembered));
  },
};

export const noCheckpoints: CheckpointStore = { get: () => undefined, set: () => {} };

/** The code shown when the instance's server key is not the one this device remembers. */
export const SERVER_KEY_CHANGED = 'server_key_changed';

interface Item {
  seq: number;
  entry: string;
  body: string;
  receipt: string;
}

/** What the signed entry says, as a line. */
function bareLine(e: JournalEntry): JournalLine {
  return {
    seq: e.seq,
    time: e.time,
    action: e.action,
    ...(e.mandate === undefined ? {} : { mandate: e.mandate }),
    ...(e.object === undefined ? {} : { object: e.object }),
  };
}

/** Verifies a page of items as the owner of `session`; throws a CoffreCryptoError on any fault. */
export async function verifyItems(
  items: readonly Item[],
  session: Pick<Unlocked, 'instance' | 'coffre' | 'epoch' | 'keys'>,
  serverKey: string,
  checkpoint: Checkpoint | undefined,
  successions: readonly Uint8Array[] = [],
  vouched?: Checkpoint,
): Promise<{ lines: JournalLine[]; older: JournalLine[]; head: Checkpoint; entries: JournalEntry[] }> {
  const ownerKeys = epochKeys(session, successions);
  const envelopes = items.map((i) => b64decode(i.entry));
  // WebCrypto checks the page's signatures at once; the verdicts below are still verifyStrict's.
  // Entries up to the owner's checkpoint are vouched for, not verified: left out.
  const checked = items.flatMap((item, i) => {
    if (vouched && item.seq <= vouched.seq) return [];
    try {
      return [envelopes[i] as Uint8Array, b64decode(item.receipt)];
    } catch {
      return [envelopes[i] as Uint8Array]; // a bad receipt is refused below, in its turn
    }
  });
  await preverifyStatements(checked);
  const { entries, head } = verifyJournal(envelopes, {
    instance: session.instance,
    coffre: session.coffre,
    epoch: session.epoch,
    allowed: (actor, e) => allowedSigner(actor, e, serverKey, (epoch) => ownerKeys.get(epoch)),
    checkpoint,
    vouched,
  });
  const lines: JournalLine[] = [];
  const older: JournalLine[] = [];
  // Bodies are opened only for the newest lines, the ones the page shows (8 ms each on a
  // slow phone, BENCHMARKS.md section 8); every entry's signature, receipt and body hash
  // are still checked.
  const firstShown = entries.length - SHOWN_LINES;
  for (const [i, v] of entries.entries()) {
    const item = items[i] as Item;
    // Up to the owner's checkpoint, the device that signed it checked the receipts too.
    if (!vouched || v.body.seq > vouched.seq) verifyInclusionReceipt(b64decode(item.receipt), serverKey, v);
    const body = b64decode(item.body);
    checkJournalBody(v.body, body);
    if (i < firstShown) {
      older.push(bareLine(v.body));
      continue;
    }
    // An older epoch's bodies were encrypted to that epoch's owner key, which this seed
    // does not give back: the signed entry still says what happened, without the details.
    const details = await openPayload<{ backup_time?: number; device?: string; factor?: string }>(
      'journal_body',
      body,
      [session.keys.identity],
    ).catch((e) => {
      if (v.body.epoch < session.epoch && e instanceof CoffreCryptoError && e.code === 'decryption_failed') return {};
      throw e;
    });
    // `details` holds only the journal body's schema fields (openPayload refuses any other).
    lines.push({ ...bareLine(v.body), ...details });
  }
  return { lines, older: older.reverse(), head, entries: entries.map((v) => v.body) };
}

const verified = new WeakMap<Unlocked, JournalEntry[]>();

/**
 * The entries of the journal page this session verified last (from this device's checkpoint
 * on, or the whole journal), if it verified one: the papers it adds and does not delete must
 * be in the host's listing (`checkJournalPapers`, in the papers listing).
 */
export function verifiedJournal(session: Unlocked): readonly JournalEntry[] | undefined {
  return verified.get(session);
}

/**
 * The owner key of each epoch: the successions followed from the first one's `from_key`,
 * which must end at the key of the seed this browser holds (`bad_succession` otherwise).
 */
function epochKeys(
  session: Pick<Unlocked, 'instance' | 'coffre' | 'epoch' | 'keys'>,
  successions: readonly Uint8Array[],
): Map<number, string> {
  const keys = new Map<number, string>();
  const first = successions[0];
  let current: EpochKey = first
    ? { epoch: 0, key: openStatement<EpochSuccession>(first, 'epoch_succession').body.from_key }
    : { epoch: session.epoch, key: session.keys.publicKey };
  keys.set(current.epoch, current.key);
  for (const step of successions) {
    current = followSuccessions(current, [step], { instance: session.instance, coffre: session.coffre });
    keys.set(current.epoch, current.key);
  }
  if (current.epoch !== session.epoch || current.key !== session.keys.publicKey)
    fail('bad_succession', 'the successions do not end at this coffre’s key');
  return keys;
}

/**
 * Fetches and verifies the journal; remembers the new head where allowed. With a checkpoint
 * on this device, only the entries from it on are fetched and verified (`since`), unless
 * `full` asks for the whole journal; either way the chain must reach the checkpoint and
 * agree with it. The owner-signed checkpoint the server keeps, once its signature verifies,
 * spares the signatures up to it (`vouched`): a new device fetches the newest lines from it
 * on, or the whole journal with `full`, bound by their links. Then, when the journal has
 * moved on enough, this device signs a new checkpoint for the next one.
 */
export async function loadJournal(
  session: Unlocked,
  instance: InstanceInfo,
  store: CheckpointStore = session.shared ? noCheckpoints : localCheckpoints,
  full = false,
): Promise<JournalResult> {
  const remembered = store.get(session.coffre);
  if (remembered && remembered.server_key !== instance.server_key) {
    return { ok: false, code: SERVER_KEY_CHANGED, message: 'the instance key is not the one this device remembers' };
  }
  const [signed, coffre] = await Promise.all([api.journalCheckpoint(), api.coffre()]);
  const successions = coffre.successions.map((s) => b64decode(s));
  try {
    const ctx = { instance: session.instance, coffre: session.coffre, epoch: session.epoch };
    const signedBytes = signed.checkpoint ? b64decode(signed.checkpoint) : undefined;
    await preverifyStatements([signedBytes]);
    const vouched = signedBytes && verifyJournalCheckpoint(signedBytes, session.keys.publicKey, ctx);
    const from = full
      ? 0
      : remembered
        ? remembered.seq
        : vouched
          ? Math.max(0, Math.min(vouched.seq, signed.next_seq - SHOWN_LINES))
          : 0;
    const items: Item[] = [];
    for (let at = from; ; ) {
      const page = await api.journal(at);
      items.push(...page.entries);
      if (!page.more || page.entries.length === 0) break;
      at = (page.entries.at(-1) as Item).seq + 1;
    }
    // Asked from a seq, the page must start there (the checkpoint's own entry, or one the
    // owner's checkpoint binds).
    if (from > 0 && items[0]?.seq !== from) fail('rollback', `the journal no longer holds seq ${from}`);
    const { lines, older, head, entries } = await verifyItems(
      items,
      session,
      instance.server_key,
      remembered && { seq: remembered.seq, hash: remembered.hash },
      successions,
      vouched,
    );
    store.set(session.coffre, { ...head, server_key: instance.server_key });
    verified.set(session, entries);
    if (!vouched || head.seq >= vouched.seq + CHECKPOINT_EVERY) await offerCheckpoint(session, head);
    return {
      ok: true,
      lines: lines.reverse(),
      older,
      whole: from === 0,
      head,
      since: remembered && !full ? remembered.seq : undefined,
      vouched:
        vouched && signedBytes && !remembered
          ? {
              seq: vouched.seq,
              created: openStatement<JournalCheckpoint>(signedBytes, 'journal_checkpoint').body.created,
            }
          : undefined,
    };
  } catch (e) {
    if (e instanceof CoffreCryptoError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

/**
 * Signs the verified head as the owner's checkpoint and hands it to the server. Best effort:
 * a later one kept already (`409`) or a network fault leaves the journal as verified.
 */
async function offerCheckpoint(session: Unlocked, head: Checkpoint): Promise<void> {
  const ctx = { instance: session.instance, coffre: session.coffre, epoch: session.epoch };
  const statement = signJournalCheckpoint(session.keys.signing, ctx, head, Math.floor(Date.now() / 1000));
  await api.putJournalCheckpoint(b64encode(statement)).catch((e) => {
    if (!(e instanceof ApiError)) throw e;
  });
}

/** Appends an entry signed by the owner (retrying when the server wrote one meanwhile). */
export async function appendOwnerEntry(
  session: Unlocked,
  action: string,
  details: { device?: string; factor?: string },
): Promise<void> {
  const body = await sealPayload('journal_body', { ...details, kind: 'journal_body', v: 1 }, [session.keys.recipient]);
  const bodySha = b64encode(sha256(body));
  for (let attempt = 0; attempt < 4; attempt++) {
    const head = await api.journalHead();
    const entry: Omit<JournalEntry, 'kind' | 'v' | 'actor'> = {
      action,
      body_sha256: bodySha,
      coffre: session.coffre,
      epoch: session.epoch,
      instance: session.instance,
      prev: head.prev,
      seq: head.next_seq,
      time: head.time,
    };
    const signed = signJournalEntry(session.keys.signing, entry);
    try {
      await api.appendJournal({ entry: b64encode(signed), body: b64encode(body) });
      return;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) throw e;
    }
  }
  throw new Error('the journal kept moving');
}
