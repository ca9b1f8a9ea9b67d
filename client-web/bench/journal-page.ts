// Journal verification measured inside the app's own page (bench/journal.mjs evaluates this
// bundle there through the DevTools protocol, the CSP allowing no other script, with the CPU
// throttled 4×). The project's own crypto module (src/crypto), not src/journal: the loop of
// `measureFull` is verifyItems' (src/journal/index.ts) without its per-body decryption,
// which `measureBodies` times apart.
import { ed25519 } from '@noble/curves/ed25519.js';
import { clearPreverified } from '../src/crypto/ed25519';
import { b64decode, b64encode } from '../src/crypto/encoding';
import {
  type Checkpoint,
  checkJournalBody,
  type JournalEntry,
  signInclusionReceipt,
  signJournalCheckpoint,
  signJournalEntry,
  verifyInclusionReceipt,
  verifyJournal,
  verifyJournalCheckpoint,
} from '../src/crypto/journal';
import { generateIdentity, recipientOf, SigningKey } from '../src/crypto/keys';
import { openPayload, sealPayload } from '../src/crypto/payload';
import { preverifyStatements, statementHash } from '../src/crypto/statement';

/** What the server sends per entry (GET /api/journal): base64 strings. */
export interface Item {
  seq: number;
  entry: string;
  body: string;
  receipt: string;
}

/** The journal, as built once (unthrottled) and carried to each fresh page. */
export interface Journal {
  instance: string;
  coffre: string;
  serverKey: string;
  ownerKey: string;
  items: Item[];
  /** `journal_body` age files to `identity`, for the decryption measure. */
  bodies: string[];
  identity: string;
  /** For the references: signatures by the owner key over distinct messages. */
  refMessages: string[];
  refSignatures: string[];
  refPublic: string;
  /** The owner's `journal_checkpoint` at seq n − 21 (the last 20 entries come after it). */
  ownerCheckpoint: string;
}

// The same set as src/journal/index.ts SERVER_ACTIONS (not imported: that folder is in flux).
const SERVER_ACTIONS: ReadonlySet<string> = new Set([
  'coffre_created',
  'sign_in',
  'sign_in_failed',
  'carte_locked',
  'restored',
]);

const uuid = () => crypto.randomUUID();
/** WebCrypto wants an ArrayBuffer-backed view; these always are. */
const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

/**
 * n entries: seq 0 `coffre_created` by the server key, then `sign_in` (server key) and
 * `key_added` (owner key) alternating, each with its inclusion receipt and one small
 * `journal_body` age file (the same bytes for every entry: only its hash is checked here).
 */
export async function build(n: number, bodies = 20, refs = 1000): Promise<Journal> {
  const server = SigningKey.generate();
  const owner = SigningKey.generate();
  const identity = generateIdentity();
  const recipient = recipientOf(identity);
  const instance = 'https://coffre.example';
  const coffre = uuid();
  const body = await sealPayload(
    'journal_body',
    { device: 'Firefox sur Linux', factor: 'carte', kind: 'journal_body', v: 1 },
    [recipient],
  );
  const bodyB64 = b64encode(body);
  const bodySha = b64encode(new Uint8Array(await crypto.subtle.digest('SHA-256', buf(body))));
  const items: Item[] = [];
  let prev = b64encode(new Uint8Array(32));
  const t0 = 1_764_000_000;
  for (let seq = 0; seq < n; seq++) {
    const action = seq === 0 ? 'coffre_created' : seq % 2 === 1 ? 'sign_in' : 'key_added';
    const actor = SERVER_ACTIONS.has(action) ? server : owner;
    const time = t0 + seq * 60;
    const entry = signJournalEntry(actor, {
      instance,
      coffre,
      epoch: 0,
      seq,
      prev,
      time,
      action,
      body_sha256: bodySha,
    });
    const hash = b64encode(statementHash(entry));
    const receipt = signInclusionReceipt(server, { instance, coffre, seq, entry: hash, time });
    items.push({ seq, entry: b64encode(entry), body: bodyB64, receipt: b64encode(receipt) });
    prev = hash;
  }
  const last = items[n - 21] as Item;
  const ownerCheckpoint = signJournalCheckpoint(
    owner,
    { instance, coffre, epoch: 0 },
    { seq: last.seq, hash: b64encode(statementHash(b64decode(last.entry))) },
    t0 + n * 60,
  );
  const sealed: string[] = [];
  for (let i = 0; i < bodies; i++) {
    const details = { device: `Téléphone ${i}`, factor: i % 2 ? 'carte' : 'passphrase', kind: 'journal_body', v: 1 };
    sealed.push(b64encode(await sealPayload('journal_body', details, [recipient])));
  }
  const refMessages: string[] = [];
  const refSignatures: string[] = [];
  for (let i = 0; i < refs; i++) {
    const m = crypto.getRandomValues(new Uint8Array(300));
    refMessages.push(b64encode(m));
    refSignatures.push(b64encode(owner.sign(m)));
  }
  return {
    instance,
    coffre,
    serverKey: server.publicB64,
    ownerKey: owner.publicB64,
    items,
    bodies: sealed,
    identity,
    refMessages,
    refSignatures,
    refPublic: owner.publicB64,
    ownerCheckpoint: b64encode(ownerCheckpoint),
  };
}

let J: Journal | undefined;

/** Keeps the journal in this page (carried as JSON from the page that built it). */
export function load(journal: Journal): number {
  J = journal;
  return journal.items.length;
}

const journal = (): Journal => {
  if (!J) throw new Error('load() first');
  return J;
};

/**
 * verifyItems' checks on `items`: the chain (verifyJournal), then per entry its inclusion
 * receipt and its body's hash; base64 decoding included, as verifyItems does it.
 */
function verifyPage(items: readonly Item[], checkpoint: Checkpoint | undefined, vouched?: Checkpoint): Checkpoint {
  const j = journal();
  const { entries, head } = verifyJournal(
    items.map((i) => b64decode(i.entry)),
    {
      instance: j.instance,
      coffre: j.coffre,
      epoch: 0,
      allowed: (actor, e: JournalEntry) =>
        SERVER_ACTIONS.has(e.action) ? actor === j.serverKey : actor === j.ownerKey,
      checkpoint,
      vouched,
    },
  );
  for (const [i, v] of entries.entries()) {
    const item = items[i] as Item;
    if (!vouched || v.body.seq > vouched.seq) verifyInclusionReceipt(b64decode(item.receipt), j.serverKey, v);
    checkJournalBody(v.body, b64decode(item.body));
  }
  return head;
}

/** a. The whole journal, no checkpoint: a device that has never seen it. ms. */
export function measureFull(): { ms: number; head: number } {
  const t0 = performance.now();
  const head = verifyPage(journal().items, undefined);
  return { ms: performance.now() - t0, head: head.seq };
}

/**
 * a*. As a, but as `verifyItems` runs it: WebCrypto preverifies every entry's and receipt's
 * signature at once (`preverifyStatements`, timed), then the same checks. ms.
 */
export async function measureFullPreverified(): Promise<{ ms: number; head: number }> {
  clearPreverified();
  const items = journal().items;
  const t0 = performance.now();
  await preverifyStatements(items.flatMap((i) => [i.entry, i.receipt]));
  const head = verifyPage(items, undefined);
  const ms = performance.now() - t0;
  clearPreverified();
  return { ms, head: head.seq };
}

/**
 * a'. A device that has never seen the journal, with the owner's checkpoint (at seq n − 21):
 * its one signature, then `count` entries (the newest ones; all of them by default, as
 * "Voir tout le journal" fetches) bound by their links, signatures and receipts checked
 * after the checkpoint only. The answer's JSON parsing is included (the items arrive as
 * text). ms.
 */
export function measureVouched(count?: number): { ms: number; head: number; entries: number } {
  const j = journal();
  const text = JSON.stringify(count === undefined ? j.items : j.items.slice(-count));
  const t0 = performance.now();
  const items = JSON.parse(text) as Item[];
  const vouched = verifyJournalCheckpoint(b64decode(j.ownerCheckpoint), j.ownerKey, {
    instance: j.instance,
    coffre: j.coffre,
    epoch: 0,
  });
  const head = verifyPage(items, undefined, vouched);
  return { ms: performance.now() - t0, head: head.seq, entries: items.length };
}

/** b. The last `k` entries against a checkpoint at the entry before them. ms. */
export function measureSince(k = 20): { ms: number; head: number } {
  const items = journal().items;
  const cpItem = items[items.length - k - 1] as Item;
  const checkpoint = { seq: cpItem.seq, hash: b64encode(statementHash(b64decode(cpItem.entry))) };
  const t0 = performance.now();
  const head = verifyPage(items.slice(-k), checkpoint);
  return { ms: performance.now() - t0, head: head.seq };
}

/** c. Decrypting the `journal_body` files (openPayload with the X25519 identity). ms. */
export async function measureBodies(): Promise<{ ms: number; count: number }> {
  const j = journal();
  const files = j.bodies.map((b) => b64decode(b));
  const t0 = performance.now();
  for (const f of files) {
    const details = await openPayload<{ device?: string }>('journal_body', f, [j.identity]);
    if (!details.device) throw new Error('no device');
  }
  return { ms: performance.now() - t0, count: files.length };
}

/** d. Raw @noble/curves ed25519.verify (same options as verifyStrict's call). ms for all. */
export function measureNoble(): { ms: number; count: number } {
  const j = journal();
  const pub = b64decode(j.refPublic);
  const msgs = j.refMessages.map((m) => b64decode(m));
  const sigs = j.refSignatures.map((s) => b64decode(s));
  const t0 = performance.now();
  for (let i = 0; i < msgs.length; i++) {
    if (!ed25519.verify(sigs[i] as Uint8Array, msgs[i] as Uint8Array, pub, { zip215: false })) throw new Error('bad');
  }
  return { ms: performance.now() - t0, count: msgs.length };
}

/**
 * e. WebCrypto Ed25519, if the browser has it: one verify awaited after another (as a loop
 * in the verifier would), then all at once (Promise.all). ms for all; null without it.
 */
export async function measureWebCrypto(): Promise<{ sequential: number; parallel: number; count: number } | null> {
  const j = journal();
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('raw', buf(b64decode(j.refPublic)), { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return null;
  }
  const msgs = j.refMessages.map((m) => buf(b64decode(m)));
  const sigs = j.refSignatures.map((s) => buf(b64decode(s)));
  const alg = { name: 'Ed25519' };
  let t0 = performance.now();
  for (let i = 0; i < msgs.length; i++) {
    if (!(await crypto.subtle.verify(alg, key, sigs[i]!, msgs[i]!))) throw new Error('bad');
  }
  const sequential = performance.now() - t0;
  t0 = performance.now();
  const ok = await Promise.all(msgs.map((m, i) => crypto.subtle.verify(alg, key, sigs[i]!, m)));
  const parallel = performance.now() - t0;
  if (!ok.every(Boolean)) throw new Error('bad');
  return { sequential, parallel, count: msgs.length };
}
