// The papers data layer against an in-memory stand-in for the server (mocked fetch): a
// paper sealed, sent in 512 KiB chunks (a cut chunk tried again, the upload resumed), filed
// with the owner's journal entry (signed again after a 409), listed with its statement and
// metadata verified, opened, deleted with a signed deletion; a host that swaps, drops or
// brings back papers is caught. Also: the content container, the expiry suggestions.
import { sha256 } from '@noble/hashes/sha2.js';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Api, ApiError } from '../../src/api';
import { categoriesBody, makeDefaultCategories } from '../../src/coffre/categories';
import { decryptWith, encryptTo } from '../../src/crypto/ageio';
import { signDepositReceipt } from '../../src/crypto/deposit';
import { webCryptoEd25519 } from '../../src/crypto/ed25519';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import type { JournalEntry } from '../../src/crypto/journal';
import { OwnerKeys, SigningKey } from '../../src/crypto/keys';
import { openMandate, signMandate } from '../../src/crypto/mandate';
import { type Deletion, sealPaper, type Upload } from '../../src/crypto/paper';
import type { PaperIndex } from '../../src/crypto/paper-index';
import { openStatement, parseEnvelope, peekBody } from '../../src/crypto/statement';
import type { DepositPolicy } from '../../src/mandates/deposits';
import { COPIES_DB, keepCopy, keptPapers, readCopy } from '../../src/offline/copies';
import { NotKeptOffline } from '../../src/offline/keeper';
import { offline } from '../../src/offline/network';
import {
  backoff,
  ContainerError,
  crc32,
  daysLeft,
  expiryState,
  type IndexCheckpointStore,
  MAX_PAGES,
  memoryIndexCheckpoints,
  PaperStore,
  packPages,
  retryable,
  safeFileName,
  sendContent,
  suggestedExpiry,
  unpackPages,
} from '../../src/paper-store';
import type { Unlocked } from '../../src/session';

const INSTANCE = 'https://coffre.example.org';
const COFFRE = '6f1c2b8e-3d4a-4b5c-9d6e-7f8091a2b3c4';
const NOW = 1_790_000_000;
const CHUNK = 256 * 1024;

const jpeg = (n: number, fill = 1) => {
  const b = new Uint8Array(n).fill(fill);
  b.set([0xff, 0xd8, 0xff]);
  return b;
};
const webp = (n: number) => {
  const b = new Uint8Array(n).fill(2);
  b.set(new TextEncoder().encode('RIFF'), 0);
  b.set(new TextEncoder().encode('WEBP'), 8);
  return b;
};

interface Stored {
  item: {
    paper: string;
    category: string;
    generation: number;
    content_size: number;
    statement: string;
    created: number;
  };
  /** The metadata file (b64), served by `POST /api/papers/metas`. */
  meta: string;
  content: Uint8Array;
}

interface StoredIndex {
  category: string;
  generation: number;
  seq: number;
  statement: string;
  file: Uint8Array;
}

/** The papers API in memory, with a journal whose head moves when asked to. */
class FakeServer {
  uploads = new Map<string, { size: number; chunkSize: number; chunks: Map<number, Uint8Array> }>();
  /** The chunk size each upload asked for. */
  chunkSizes: (number | undefined)[] = [];
  papers = new Map<string, Stored>();
  deletions: string[] = [];
  indexes = new Map<string, StoredIndex>();
  /** What the host serves instead of its stored index (a malicious host), by `category:generation`. */
  servedIndex = new Map<string, StoredIndex | null>();
  journal: { action: string; object?: string }[] = [];
  /** Chunk PUTs to cut (their index), each cut once: the bytes arrive, the answer is lost. */
  cutAfterStore = new Set<number>();
  /** Chunk PUTs to fail before storing (their index, each once). */
  failBefore = new Set<number>();
  /** Commits/deletions to refuse with 409 (the journal moved) before accepting. */
  moves = 0;
  calls: string[] = [];
  info: unknown;
  /** No network: every call fails as fetch does. */
  down = false;

  fetch = (async (url: string, init: RequestInit) => {
    if (this.down) throw new TypeError('Failed to fetch');
    const method = init.method ?? 'GET';
    const path = new URL(url, 'http://x').pathname;
    this.calls.push(`${method} ${path}`);
    const json = (status: number, body?: unknown) =>
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      });
    const at = (want: string, re: RegExp) => (method === want ? re.exec(path) : null);
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/api/coffre') return json(200, this.info);
    if (method === 'GET' && path === '/api/journal/head')
      return json(200, { next_seq: this.journal.length, prev: b64encode(new Uint8Array(32)), time: NOW });
    if (method === 'POST' && path === '/api/uploads') {
      const { content_size, chunk_size } = JSON.parse(init.body as string);
      this.chunkSizes.push(chunk_size);
      const id = crypto.randomUUID();
      this.uploads.set(id, { size: content_size, chunkSize: chunk_size ?? CHUNK, chunks: new Map() });
      return json(201, this.state(id));
    }
    m = at('GET', /^\/api\/uploads\/([^/]+)$/);
    if (m) return json(200, this.state(m[1] as string));
    m = at('DELETE', /^\/api\/uploads\/([^/]+)$/);
    if (m) {
      this.uploads.delete(m[1] as string);
      return new Response(null, { status: 204 });
    }
    m = at('PUT', /^\/api\/uploads\/([^/]+)\/chunks\/(\d+)$/);
    if (m) {
      expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/octet-stream');
      expect((init.headers as Record<string, string>)['X-Coffre-Csrf']).toBe('csrf-1');
      const idx = Number(m[2]);
      if (this.failBefore.delete(idx)) throw new TypeError('Failed to fetch');
      const upload = this.uploads.get(m[1] as string);
      if (!upload) return json(404, { code: 'not_found', message: '' });
      const bytes = new Uint8Array(init.body as Uint8Array);
      const want = Math.min(upload.chunkSize, upload.size - idx * upload.chunkSize);
      if (bytes.length !== want) return json(400, { code: 'bad_request', message: 'size' });
      upload.chunks.set(idx, bytes.slice());
      if (this.cutAfterStore.delete(idx)) throw new TypeError('network changed');
      return new Response(null, { status: 204 });
    }
    m = at('POST', /^\/api\/uploads\/([^/]+)\/paper$/);
    if (m) {
      const body = JSON.parse(init.body as string);
      const upload = this.uploads.get(m[1] as string);
      if (!upload) return json(404, { code: 'not_found', message: '' });
      if (this.moves > 0) {
        this.moves--;
        this.journal.push({ action: 'sign_in' });
        return json(409, { code: 'conflict', message: 'the journal moved' });
      }
      const entry = this.entry(body.journal.entry);
      expect(entry.seq).toBe(this.journal.length);
      const statement = peekBody<Upload>(parseEnvelope(b64decode(body.statement)).bodyBytes, 'upload');
      expect(entry.object).toBe(statement.paper);
      const parts = [...Array(Math.ceil(upload.size / upload.chunkSize)).keys()].map((i) => upload.chunks.get(i));
      if (parts.some((p) => !p)) return json(400, { code: 'bad_request', message: 'missing' });
      const content = new Uint8Array(upload.size);
      let at = 0;
      for (const p of parts as Uint8Array[]) {
        content.set(p, at);
        at += p.length;
      }
      expect(b64encode(sha256(content))).toBe(statement.content_sha256);
      this.journal.push({ action: entry.action, object: entry.object });
      this.papers.set(statement.paper, {
        item: {
          paper: statement.paper,
          category: statement.category,
          generation: statement.generation,
          content_size: statement.content_size,
          statement: body.statement,
          created: NOW + this.papers.size,
        },
        meta: body.meta,
        content,
      });
      this.uploads.delete(m[1] as string);
      return json(201, { paper: statement.paper, seq: entry.seq, receipt: '' });
    }
    if (method === 'GET' && path === '/api/papers')
      return json(200, {
        papers: [...this.papers.values()].map((p) => p.item),
        indexes: [...this.indexes.keys()]
          .map((k) => this.served(k))
          .filter((i): i is StoredIndex => !!i)
          .map((i) => ({
            category: i.category,
            generation: i.generation,
            statement: i.statement,
            size: i.file.length,
          })),
        deletions: this.deletions,
        space: { used: 0, reserved: 0, quota: 200 * 1024 * 1024, paper_max: 25 * 1024 * 1024 },
      });
    if (method === 'POST' && path === '/api/papers/metas') {
      const { papers } = JSON.parse(init.body as string) as { papers: string[] };
      expect(papers.length).toBeLessThanOrEqual(1000);
      const metas = papers.flatMap((id) => {
        const p = this.papers.get(id);
        return p ? [{ paper: id, meta: p.meta }] : [];
      });
      return json(200, { metas });
    }
    m = at('GET', /^\/api\/papers\/indexes\/([^/]+)\/(\d+)$/);
    if (m) {
      const i = this.served(`${m[1]}:${m[2]}`);
      return i
        ? new Response(i.file.slice(), { status: 200, headers: { 'Content-Type': 'application/octet-stream' } })
        : json(404, { code: 'not_found', message: '' });
    }
    m = at('PUT', /^\/api\/papers\/indexes\/([^/]+)\/(\d+)$/);
    if (m) {
      const headers = init.headers as Record<string, string>;
      expect(headers['X-Coffre-Csrf']).toBe('csrf-1');
      const statement = headers['X-Coffre-Index-Statement'] as string;
      const st = openStatement<PaperIndex>(b64decode(statement), 'paper_index').body;
      const key = `${m[1]}:${m[2]}`;
      const stored = this.indexes.get(key);
      if (st.seq !== (stored ? stored.seq + 1 : 0)) return json(409, { code: 'conflict', message: 'seq' });
      const file = new Uint8Array(init.body as Uint8Array);
      expect(file.length).toBe(st.index_size);
      this.indexes.set(key, {
        category: m[1] as string,
        generation: Number(m[2]),
        seq: st.seq,
        statement,
        file: file.slice(),
      });
      return json(200, { category: m[1], generation: Number(m[2]), seq: st.seq });
    }
    m = at('GET', /^\/api\/papers\/([^/]+)\/content$/);
    if (m) {
      const p = this.papers.get(m[1] as string);
      return p
        ? new Response(p.content.slice(), { status: 200, headers: { 'Content-Type': 'application/octet-stream' } })
        : json(404, { code: 'not_found', message: '' });
    }
    m = at('DELETE', /^\/api\/papers\/([^/]+)$/);
    if (m) {
      const body = JSON.parse(init.body as string);
      if (this.moves > 0) {
        this.moves--;
        this.journal.push({ action: 'sign_in' });
        return json(409, { code: 'conflict', message: 'the journal moved' });
      }
      const entry = this.entry(body.journal.entry);
      expect(entry.object).toBe(m[1]);
      this.journal.push({ action: entry.action, object: entry.object });
      this.papers.delete(m[1] as string);
      this.deletions.push(body.deletion);
      return json(200, { paper: m[1], seq: entry.seq, receipt: '' });
    }
    throw new Error(`unexpected ${method} ${path}`);
  }) as unknown as typeof fetch;

  served(key: string): StoredIndex | undefined {
    const swapped = this.servedIndex.get(key);
    if (swapped === null) return undefined;
    return swapped ?? this.indexes.get(key);
  }

  state(id: string) {
    const u = this.uploads.get(id);
    if (!u) throw new Error('no upload');
    return {
      upload: id,
      content_size: u.size,
      chunk_size: u.chunkSize,
      chunks: Math.max(1, Math.ceil(u.size / u.chunkSize)),
      received: [...u.chunks.keys()].sort((a, b) => a - b),
      expires: NOW + 86400,
    };
  }

  entry(b64: string): JournalEntry {
    return openStatement<JournalEntry>(b64decode(b64), 'journal_entry').body;
  }
}

let server: FakeServer;
let session: Unlocked;
let store: PaperStore;
let checkpoints: IndexCheckpointStore;
let journal: JournalEntry[] | undefined;
const noWait = async () => {};

beforeEach(async () => {
  server = new FakeServer();
  const seed = new Uint8Array(32).fill(9);
  const keys = OwnerKeys.fromSeed(seed);
  session = {
    instance: INSTANCE,
    coffre: COFFRE,
    epoch: 0,
    seed,
    keys,
    csrf: 'csrf-1',
    shared: false,
    factor: 'carte',
  };
  const categories = await makeDefaultCategories(keys, {
    instance: INSTANCE,
    coffre: COFFRE,
    epoch: 0,
    now: NOW - 100,
  });
  server.info = {
    coffre: COFFRE,
    epoch: 0,
    owner_key: keys.publicKey,
    owner_recipient: keys.recipient,
    categories: categoriesBody(categories),
    factors: [],
    successions: [],
  };
  const api = new Api({ fetch: server.fetch });
  api.setCsrf('csrf-1');
  checkpoints = memoryIndexCheckpoints();
  journal = undefined;
  store = new PaperStore(session, api, { checkpoints, journal: () => journal });
});

async function residence() {
  const c = (await store.categories()).find((x) => x.icon === 'residence');
  if (!c) throw new Error('no Séjour');
  return c;
}

const TWO_PAGES = [
  { bytes: jpeg(300_000, 3), type: 'image/jpeg' as const },
  { bytes: webp(200_000), type: 'image/webp' as const },
];

describe('the categories', () => {
  it('come verified and unwrapped, in the order of the ten defaults', async () => {
    const categories = await store.categories();
    expect(categories.map((c) => c.icon)).toEqual([
      'identity',
      'residence',
      'health',
      'income',
      'housing',
      'work',
      'tax-bank',
      'justice',
      'family',
      'other',
    ]);
    expect(categories[1]?.name).toBe('Séjour');
    expect(categories.every((c) => c.current.generation === 0 && c.generations.size === 1)).toBe(true);
  });

  it('are refused when a certificate is not signed by the owner', async () => {
    const other = OwnerKeys.fromSeed(new Uint8Array(32).fill(4));
    const forged = await makeDefaultCategories(other, { instance: INSTANCE, coffre: COFFRE, epoch: 0, now: NOW });
    (server.info as { categories: unknown[] }).categories[0] = categoriesBody(forged)[0];
    await expect(store.categories()).rejects.toMatchObject({ code: 'unauthorised_signer' });
  });

  // The certificates and labels are checked by WebCrypto in one batch first (a shortcut for
  // what it accepts): a signature it refuses is still refused by the strict verifier.
  it('are refused when a certificate’s signature was changed (WebCrypto’s batch check in front)', async () => {
    expect(await webCryptoEd25519()).toBeDefined();
    const info = server.info as { categories: { cert: string }[] };
    const c = info.categories[3] as { cert: string };
    c.cert = b64encode(changedSignature(b64decode(c.cert)));
    await expect(store.categories()).rejects.toMatchObject({ code: 'bad_signature' });
  });

  it('are refused when a label’s signature was changed, or the label is another key’s', async () => {
    const info = server.info as { categories: { label: string }[] };
    const genuine = (info.categories[5] as { label: string }).label;
    const identity = session.keys.identity;
    const envelope = await decryptWith([identity], b64decode(genuine));
    (info.categories[5] as { label: string }).label = b64encode(
      await encryptTo([session.keys.recipient], changedSignature(envelope)),
    );
    await expect(store.categories()).rejects.toMatchObject({ code: 'bad_signature' });

    const other = OwnerKeys.fromSeed(new Uint8Array(32).fill(4));
    const forged = await makeDefaultCategories(other, { instance: INSTANCE, coffre: COFFRE, epoch: 0, now: NOW });
    const theirs = await decryptWith([other.identity], b64decode(categoriesBody(forged)[5]?.label as string));
    (info.categories[5] as { label: string }).label = b64encode(await encryptTo([session.keys.recipient], theirs));
    store.forgetCategories();
    await expect(store.categories()).rejects.toMatchObject({ code: 'unauthorised_signer' });
    (info.categories[5] as { label: string }).label = genuine;
    store.forgetCategories();
    expect((await store.categories()).map((x) => x.icon)).toContain('work');
  });
});

/** A signed envelope with its (first) signature's R changed: still well formed, no longer valid. */
function changedSignature(envelope: Uint8Array): Uint8Array {
  const env = JSON.parse(new TextDecoder().decode(envelope)) as { body: string; sigs: { key: string; sig: string }[] };
  const sig = b64decode(env.sigs[0]?.sig as string);
  sig[0] = (sig[0] as number) ^ 1;
  (env.sigs[0] as { sig: string }).sig = b64encode(sig);
  return new TextEncoder().encode(JSON.stringify(env));
}

describe('a paper', () => {
  it('is sealed, sent in chunks, filed, listed, opened and deleted', async () => {
    const category = await residence();
    const stages: string[] = [];
    const sent: number[] = [];
    const id = await store.add(
      { pages: TWO_PAGES, category: category.id, docType: 'recepisse', title: 'Récépissé OFII', expires: '2027-06-30' },
      {
        sleep: noWait,
        onProgress: (stage, done, total) => {
          if (!stages.includes(stage)) stages.push(stage);
          if (stage === 'sending') sent.push(done / total);
        },
      },
    );
    expect(stages).toEqual(['sealing', 'sending', 'filing']);
    expect(sent).toEqual([0, 1]);
    const puts = server.calls.filter((c) => c.startsWith('PUT'));
    expect(puts).toHaveLength(1); // 500 kB of pages: one 512 KiB chunk, the server's default not taken
    expect(server.chunkSizes).toEqual([512 * 1024]);
    expect(server.journal).toEqual([{ action: 'paper_added', object: id }]);
    // Nothing the server stores says what the paper is.
    const stored = server.papers.get(id) as Stored;
    const asText = new TextDecoder('latin1').decode(stored.content) + JSON.stringify(stored.item);
    expect(asText).not.toContain('cépissé');
    expect(asText).not.toContain('recepisse');

    const listing = await store.list();
    expect(listing.refused).toEqual([]);
    expect(listing.papers).toHaveLength(1);
    const [listed] = listing.papers;
    expect(listed?.meta).toMatchObject({
      title: 'Récépissé OFII',
      doc_type: 'recepisse',
      expires: '2027-06-30',
      mime: 'application/zip',
      pages: 2,
      filename: 'recepisse-ofii.zip',
    });
    expect(listed?.category.id).toBe(category.id);

    const opened = await store.open(id);
    expect(opened.pages.map((p) => p.type)).toEqual(['image/jpeg', 'image/webp']);
    expect(opened.pages[0]?.bytes).toEqual(TWO_PAGES[0]?.bytes);
    expect(opened.pages[1]?.bytes).toEqual(TWO_PAGES[1]?.bytes);

    await store.delete(id);
    expect(server.papers.size).toBe(0);
    expect(server.journal.at(-1)).toEqual({ action: 'paper_deleted', object: id });
    const deletion = openStatement<Deletion>(b64decode(server.deletions[0] as string), 'deletion');
    expect(deletion.signers).toEqual([session.keys.publicKey]);
    expect(deletion.body.content_sha256).toBe(listed?.contentSha256);
    expect((await store.list()).papers).toEqual([]);
  });

  it('a listing started ahead is the next listing, once, and only before the first one', async () => {
    const category = await residence();
    const add = (title: string) =>
      store.add(
        { pages: TWO_PAGES.slice(0, 1), category: category.id, docType: 'recepisse', title },
        { sleep: noWait },
      );
    await add('Premier');
    const lists = () => server.calls.filter((c) => c === 'GET /api/papers').length;
    store.prefetch();
    store.prefetch(); // already under way: not listed twice
    const ahead = await store.list();
    expect(ahead.papers.map((p) => p.meta.title)).toEqual(['Premier']);
    expect(lists()).toBe(1);
    // Taken once: the next listing asks the host again.
    await store.list();
    expect(lists()).toBe(2);
    // After a first listing, nothing is listed ahead.
    store.prefetch();
    await store.list();
    expect(lists()).toBe(3);
  });

  it('a listing started ahead is dropped by a paper added meanwhile', async () => {
    const category = await residence();
    store.prefetch();
    await store.add(
      { pages: TWO_PAGES.slice(0, 1), category: category.id, docType: 'recepisse', title: 'Ajouté' },
      { sleep: noWait },
    );
    expect((await store.list()).papers.map((p) => p.meta.title)).toEqual(['Ajouté']);
  });

  it('one photo is the photo itself; a PDF the PDF itself', async () => {
    const category = await residence();
    const photo = await store.add(
      { pages: [TWO_PAGES[1] as never], category: category.id, docType: 'titre_sejour', title: 'Titre' },
      { sleep: noWait },
    );
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n');
    const doc = await store.add(
      { pages: [{ bytes: pdf, type: 'application/pdf' }], category: category.id, docType: 'autre', title: 'Un PDF' },
      { sleep: noWait },
    );
    const listing = await store.list();
    const mime = (id: string) => listing.papers.find((p) => p.id === id)?.meta.mime;
    expect(mime(photo)).toBe('image/webp');
    expect(mime(doc)).toBe('application/pdf');
    expect((await store.open(doc)).pages).toEqual([{ bytes: pdf, type: 'application/pdf' }]);
  });

  it('resumes after cut chunks: tried again after a pause, a chunk that arrived is not sent twice', async () => {
    const category = await residence();
    const pages = [{ bytes: jpeg(700_000), type: 'image/jpeg' as const }];
    server.failBefore.add(0);
    server.cutAfterStore.add(1);
    const pauses: number[] = [];
    await store.add(
      { pages, category: category.id, docType: 'autre', title: 'Grand' },
      { sleep: async (ms) => void pauses.push(ms) },
    );
    const puts = server.calls.filter((c) => c.startsWith('PUT')).map((c) => c.split('/').at(-1));
    expect(puts).toEqual(['0', '0', '1']);
    expect(server.calls.filter((c) => /^GET \/api\/uploads\//.test(c))).toHaveLength(2);
    expect(pauses).toEqual([500, 500]);
    const opened = await store.open((await store.list()).papers[0]?.id as string);
    expect(opened.pages[0]?.bytes).toEqual(pages[0]?.bytes);
  });

  it('gives up after the last try, and says why', async () => {
    const api = new Api({
      fetch: (async (_url: string, init: RequestInit) => {
        if (init.method === 'POST')
          return new Response(
            JSON.stringify({ upload: 'u', content_size: 10, chunk_size: CHUNK, chunks: 1, received: [], expires: 0 }),
            { status: 201 },
          );
        if (init.method === 'PUT') return new Response('{"code":"internal","message":""}', { status: 503 });
        return new Response(
          JSON.stringify({ upload: 'u', content_size: 10, chunk_size: CHUNK, chunks: 1, received: [], expires: 0 }),
        );
      }) as unknown as typeof fetch,
    });
    const pauses: number[] = [];
    await expect(
      sendContent(api, new Uint8Array(10), { attempts: 3, sleep: async (ms) => void pauses.push(ms) }),
    ).rejects.toMatchObject({ status: 503 });
    expect(pauses).toEqual([500, 1000]);
    expect([backoff(1), backoff(2), backoff(3), backoff(9)]).toEqual([500, 1000, 2000, 8000]);
    expect(retryable(new ApiError(0, 'network', ''))).toBe(true);
    expect(retryable(new ApiError(507, 'storage_full', ''))).toBe(false);
    expect(retryable(new ApiError(410, 'upload_expired', ''))).toBe(false);
    expect(retryable(new ApiError(413, 'quota_exceeded', ''))).toBe(false);
  });

  it('signs its journal entry again when the journal moved (409)', async () => {
    const category = await residence();
    server.moves = 2;
    const id = await store.add(
      { pages: TWO_PAGES, category: category.id, docType: 'recepisse', title: 'R' },
      { sleep: noWait },
    );
    expect(server.journal.map((e) => e.action)).toEqual(['sign_in', 'sign_in', 'paper_added']);
    server.moves = 1;
    await store.delete(id);
    expect(server.journal.at(-1)).toEqual({ action: 'paper_deleted', object: id });
  });

  it('a refused commit gives the upload back', async () => {
    const category = await residence();
    server.moves = 10;
    await expect(
      store.add({ pages: TWO_PAGES, category: category.id, docType: 'autre', title: 'R' }, { sleep: noWait }),
    ).rejects.toMatchObject({ status: 409 });
    expect(server.calls.at(-1)).toMatch(/^DELETE \/api\/uploads\//);
    expect(server.uploads.size).toBe(0);
  });
});

describe('a host that cheats is caught', () => {
  async function added(title = 'Titre') {
    const category = await residence();
    return store.add({ pages: TWO_PAGES, category: category.id, docType: 'titre_sejour', title }, { sleep: noWait });
  }

  it('a swapped metadata file or statement is refused, never shown', async () => {
    const a = await added('A');
    const b = await added('B');
    const pa = server.papers.get(a) as Stored;
    const pb = server.papers.get(b) as Stored;
    pa.meta = pb.meta;
    const listing = await store.list();
    expect(listing.papers.map((p) => p.meta.title)).toEqual(['B']);
    expect(listing.refused).toEqual([{ paper: a, code: 'hash_mismatch' }]);
    pa.item = { ...pb.item, paper: a };
    pa.meta = pb.meta;
    expect((await store.list()).refused).toEqual([{ paper: a, code: 'paper_id_mismatch' }]);
  });

  it('a changed content is refused on opening', async () => {
    const a = await added();
    await store.list();
    const stored = server.papers.get(a) as Stored;
    stored.content[stored.content.length - 1] ^= 1;
    await expect(store.open(a)).rejects.toMatchObject({ code: 'hash_mismatch' });
  });

  it('a paper dropped without the owner’s deletion is paper_missing', async () => {
    const a = await added();
    await store.list();
    server.papers.delete(a);
    await expect(store.list()).rejects.toMatchObject({ code: 'paper_missing' });
  });

  it('a deleted paper brought back is caught', async () => {
    const a = await added();
    await store.list();
    const kept = server.papers.get(a) as Stored;
    await store.delete(a);
    server.papers.set(a, kept);
    await expect(store.list()).rejects.toMatchObject({ code: 'paper_missing' });
  });
});

describe('the metadata index', () => {
  const apiOf = (s: FakeServer) => {
    const api = new Api({ fetch: s.fetch });
    api.setCsrf('csrf-1');
    return api;
  };
  async function added(title: string) {
    const category = await residence();
    return store.add({ pages: TWO_PAGES, category: category.id, docType: 'titre_sejour', title }, { sleep: noWait });
  }
  const metaCalls = () => server.calls.filter((c) => c === 'POST /api/papers/metas').length;
  const only = <T>(m: Map<string, T>): T => {
    expect(m.size).toBe(1);
    return [...m.values()][0] as T;
  };
  const titles = (l: { papers: { meta: { title: string } }[] }) => l.papers.map((p) => p.meta.title).sort();

  it('is sealed by the owner after a listing from the files, then lists without the metadata files', async () => {
    await added('A');
    await added('B');
    const first = await store.list();
    expect(first.papers.map((p) => p.source)).toEqual(['files', 'files']);
    expect(metaCalls()).toBe(1); // both metadata files in one request
    await store.indexUpkeep;
    const index = only(server.indexes);
    expect(index.seq).toBe(0);
    const statement = openStatement<PaperIndex>(b64decode(index.statement), 'paper_index');
    expect(statement.signers).toEqual([session.keys.publicKey]);
    // The host learns nothing of the titles from the index file.
    expect(new TextDecoder('latin1').decode(index.file)).not.toContain('titre_sejour');

    const second = await store.list();
    expect(titles(second)).toEqual(['A', 'B']);
    expect(second.papers.map((p) => p.source)).toEqual(['index', 'index']);
    expect(second.warnings).toEqual([]);
    expect(metaCalls()).toBe(1); // none fetched
    await store.indexUpkeep;
    expect(only(server.indexes).seq).toBe(0); // unchanged: not sealed again
  });

  it('takes in the papers added since and leaves out the deleted ones, one seq further each time', async () => {
    const a = await added('A');
    await store.list();
    await store.indexUpkeep;
    await added('B');
    const listing = await store.list();
    expect(titles(listing)).toEqual(['A', 'B']);
    expect(listing.papers.find((p) => p.meta.title === 'B')?.source).toBe('files');
    expect(listing.papers.find((p) => p.meta.title === 'A')?.source).toBe('index');
    await store.indexUpkeep;
    expect(only(server.indexes).seq).toBe(1);
    await store.delete(a);
    const after = await store.list();
    expect(titles(after)).toEqual(['B']);
    expect(after.warnings).toEqual([]);
    await store.indexUpkeep;
    expect(only(server.indexes).seq).toBe(2);
    const third = await store.list();
    expect(third.papers.map((p) => p.source)).toEqual(['index']);
    // An indexed paper still opens (its metadata file fetched then, and everything checked).
    const opened = await store.open(third.papers[0]?.id as string);
    expect(opened.meta.title).toBe('B');
  });

  it('an older index served again is a rollback warning; the papers are listed from their files', async () => {
    await added('A');
    await store.list();
    await store.indexUpkeep;
    const old = { ...only(server.indexes) };
    await added('B');
    await store.list();
    await store.indexUpkeep;
    expect(only(server.indexes).seq).toBe(1);
    server.servedIndex.set(`${old.category}:${old.generation}`, old);
    const puts = server.calls.filter((c) => c.startsWith('PUT /api/papers/indexes')).length;
    const listing = await store.list();
    expect(listing.warnings).toEqual([{ code: 'rollback', category: old.category, generation: old.generation }]);
    expect(titles(listing)).toEqual(['A', 'B']);
    expect(listing.papers.map((p) => p.source)).toEqual(['files', 'files']);
    await store.indexUpkeep;
    // Nothing sealed over what the host did.
    expect(server.calls.filter((c) => c.startsWith('PUT /api/papers/indexes')).length).toBe(puts);
  });

  it('a dropped index is a warning on a device that has seen one; a first device just lists from the files', async () => {
    await added('A');
    await store.list();
    await store.indexUpkeep;
    const { category, generation } = only(server.indexes);
    server.servedIndex.set(`${category}:${generation}`, null);
    const listing = await store.list();
    expect(listing.warnings).toEqual([{ code: 'index_missing', category, generation }]);
    expect(titles(listing)).toEqual(['A']);
    const fresh = new PaperStore(session, apiOf(server), { checkpoints: memoryIndexCheckpoints() });
    expect((await fresh.list()).warnings).toEqual([]);
  });

  it('a paper hidden from the listing and from an index is caught by the index a device remembers, and by the journal', async () => {
    await added('A');
    await store.list();
    await store.indexUpkeep;
    const old = { ...only(server.indexes) };
    const b = await added('B');
    await store.list();
    await store.indexUpkeep;
    // The host hides B and serves the index from before B.
    const hidden = server.papers.get(b) as Stored;
    server.papers.delete(b);
    server.servedIndex.set(`${old.category}:${old.generation}`, old);
    // This device remembers the newer index: rollback.
    const mine = new PaperStore(session, apiOf(server), { checkpoints });
    expect((await mine.list()).warnings.map((w) => w.code)).toEqual(['rollback']);
    // A new device does not, but the verified journal says B exists.
    journal = server.journal as unknown as JournalEntry[];
    const other = new PaperStore(session, apiOf(server), {
      checkpoints: memoryIndexCheckpoints(),
      journal: () => journal,
    });
    const listing = await other.list();
    expect(listing.warnings).toEqual([{ code: 'paper_missing', paper: b }]);
    expect(titles(listing)).toEqual(['A']);
    server.papers.set(b, hidden);
  });

  it('a listing started ahead, before the journal was verified, is checked against it when taken: a paper the host hides is caught', async () => {
    await added('A');
    const b = await added('B');
    server.papers.delete(b); // the host hides B
    journal = undefined;
    const other = new PaperStore(session, apiOf(server), {
      checkpoints: memoryIndexCheckpoints(),
      journal: () => journal,
    });
    other.prefetch();
    await vi.waitFor(() => expect(other.lastListing).toBeDefined());
    expect(other.lastListing?.warnings).toEqual([]); // no journal verified yet: nothing to catch
    // The home's journal is verified now, and names B.
    journal = server.journal as unknown as JournalEntry[];
    const listing = await other.list();
    expect(listing.warnings).toEqual([{ code: 'paper_missing', paper: b }]);
    expect(titles(listing)).toEqual(['A']);
  });

  it('an indexed paper listed with another upload statement is a warning, and the listing comes from the files', async () => {
    const a = await added('A');
    const b = await added('B');
    await store.list();
    await store.indexUpkeep;
    const pa = server.papers.get(a) as Stored;
    const pb = server.papers.get(b) as Stored;
    pa.item = { ...pa.item, statement: pb.item.statement };
    const listing = await store.list();
    expect(listing.warnings.map((w) => w.code)).toEqual(['hash_mismatch']);
    expect(titles(listing)).toEqual(['B']);
    expect(listing.refused).toEqual([{ paper: a, code: 'paper_id_mismatch' }]);
  });

  it('an index file that is not the signed one is refused', async () => {
    await added('A');
    await store.list();
    await store.indexUpkeep;
    const index = only(server.indexes);
    const flipped = { ...index, file: index.file.slice() };
    flipped.file[flipped.file.length - 1] ^= 1;
    server.servedIndex.set(`${index.category}:${index.generation}`, flipped);
    const listing = await store.list();
    expect(listing.warnings.map((w) => w.code)).toEqual(['hash_mismatch']);
    expect(titles(listing)).toEqual(['A']);
  });
});

describe('the content container', () => {
  it('several photos are a stored ZIP any unzip reads; one photo and a PDF are themselves', () => {
    const { bytes, mime } = packPages(TWO_PAGES);
    expect(mime).toBe('application/zip');
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(new TextDecoder().decode(bytes.subarray(30, 41))).toBe('page-01.jpg');
    expect(unpackPages(bytes, mime)).toEqual(TWO_PAGES);
    expect(packPages([TWO_PAGES[0] as never])).toEqual({ bytes: TWO_PAGES[0]?.bytes, mime: 'image/jpeg' });
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('refuses a PDF mixed with photos, no page, too many pages', () => {
    const pdf = { bytes: new TextEncoder().encode('%PDF-1.7'), type: 'application/pdf' as const };
    expect(() => packPages([pdf, TWO_PAGES[0] as never])).toThrow(ContainerError);
    expect(() => packPages([])).toThrow(ContainerError);
    expect(() => packPages(Array(MAX_PAGES + 1).fill(TWO_PAGES[0]))).toThrow(ContainerError);
  });

  it('reads back only what it writes: a flipped byte, a cut file, HTML inside, a wrong type', () => {
    const { bytes } = packPages(TWO_PAGES);
    const flipped = bytes.slice();
    flipped[100] ^= 1;
    expect(() => unpackPages(flipped, 'application/zip')).toThrow(/CRC-32/);
    expect(() => unpackPages(bytes.subarray(0, bytes.length - 1), 'application/zip')).toThrow(ContainerError);
    const html = packPages([
      { bytes: new TextEncoder().encode('<html><script>alert(1)</script>'), type: 'image/jpeg' },
      TWO_PAGES[0] as never,
    ]).bytes;
    expect(() => unpackPages(html, 'application/zip')).toThrow(/not a photo/);
    expect(() => unpackPages(TWO_PAGES[0]?.bytes as Uint8Array, 'image/webp')).toThrow(ContainerError);
    expect(() => unpackPages(new TextEncoder().encode('<svg/>'), 'image/svg+xml')).toThrow(ContainerError);
  });

  it('names a downloaded file safely', () => {
    expect(safeFileName('Récépissé OFII (2 pages)', 'application/zip')).toBe('recepisse-ofii-2-pages.zip');
    expect(safeFileName('../../etc/passwd', 'image/webp')).toBe('etc-passwd.webp');
    expect(safeFileName('بطاقة', 'image/jpeg')).toBe('papier.jpg');
    expect(safeFileName('x'.repeat(200), 'application/pdf')).toBe(`${'x'.repeat(60)}.pdf`);
  });
});

describe('expiry', () => {
  const today = new Date(2026, 2, 3, 9); // 3 March 2026
  it('suggests the usual validity from the issue date, or from today', () => {
    expect(suggestedExpiry('titre_sejour', '2026-03-03', today)).toBe('2027-03-02');
    expect(suggestedExpiry('recepisse', '2025-08-31', today)).toBe('2026-02-27');
    expect(suggestedExpiry('attestation_caf', undefined, today)).toBe('2026-06-02');
    expect(suggestedExpiry('carte_vitale', '2020-01-01', today)).toBeUndefined();
    expect(suggestedExpiry('rib', undefined, today)).toBeUndefined();
  });

  it('tells expired, soon (30 days), valid', () => {
    expect(daysLeft('2026-03-03', today)).toBe(0);
    expect(expiryState('2026-03-02', today)).toBe('expired');
    expect(expiryState('2026-03-03', today)).toBe('soon');
    expect(expiryState('2026-04-02', today)).toBe('soon');
    expect(expiryState('2026-04-03', today)).toBe('valid');
    expect(expiryState(undefined, today)).toBe('none');
    expect(expiryState('2026-02-30', today)).toBe('none');
  });
});

// Several papers sealed and opened each: slower than the 5 s default on a busy machine.
describe('offline, on a remembered phone (papers-offline.md)', { timeout: 30_000 }, () => {
  /** What `rememberThisDevice` leaves in IndexedDB, for this coffre (only `coffre` is read here). */
  async function rememberHere(coffre: string) {
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.open('coffre-remembered', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('device', { keyPath: 'coffre' });
      r.onerror = () => reject(r.error);
      r.onsuccess = () => {
        const db = r.result;
        const tx = db.transaction('device', 'readwrite');
        tx.objectStore('device').put({ coffre, id: 'device-1' });
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
  }
  const databases = async () => (await indexedDB.databases()).map((d) => d.name);
  const addPaper = async (title: string, replaces?: string) =>
    store.add(
      { pages: TWO_PAGES, category: (await residence()).id, docType: 'recepisse', title, replaces },
      { sleep: noWait },
    );

  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
    offline.value = false;
  });
  afterEach(() => {
    delete (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    offline.value = false;
  });

  it('keeps a paper opened, encrypted as served, and opens it again without the network; nothing changes offline', async () => {
    await rememberHere(COFFRE);
    const id = await addPaper('Récépissé OFII');
    const other = await addPaper('Attestation CAF');
    await store.list();
    const online = await store.open(id);
    await store.copyUpkeep;
    const kept = await readCopy(COFFRE, id);
    const served = server.papers.get(id) as Stored;
    expect(kept?.content).toEqual(served.content);
    expect(kept?.meta).toEqual(b64decode(served.meta));
    expect(kept?.statement).toEqual(b64decode(served.item.statement));
    const asText = new TextDecoder('latin1').decode(new Uint8Array([...(kept?.content ?? []), ...(kept?.meta ?? [])]));
    expect(asText).not.toContain('OFII');
    expect(asText).not.toContain('recepisse');

    server.down = true;
    const listing = await store.list();
    expect(offline.value).toBe(true);
    expect(listing.offline?.available).toEqual(new Set([id]));
    expect(listing.papers.map((p) => p.id).sort()).toEqual([id, other].sort());
    const again = await store.open(id);
    expect(again.meta.title).toBe('Récépissé OFII');
    expect(again.pages.map((p) => p.bytes)).toEqual(online.pages.map((p) => p.bytes));
    await expect(store.open(other)).rejects.toBeInstanceOf(NotKeptOffline);
    // Adding and deleting are refused, and nothing is lost.
    await expect(addPaper('Sans réseau')).rejects.toMatchObject({ code: 'network' });
    await expect(store.delete(id)).rejects.toMatchObject({ code: 'network' });
    server.down = false;
    expect([...server.papers.keys()].sort()).toEqual([id, other].sort());
    expect((await store.list()).offline).toBeUndefined();
    expect(offline.value).toBe(false);
  });

  it('a copy whose bytes were changed is refused and dropped; a copy of another upload is never opened', async () => {
    await rememberHere(COFFRE);
    const id = await addPaper('Récépissé OFII');
    const other = await addPaper('Attestation CAF');
    await store.list();
    await store.open(id);
    await store.copyUpkeep;
    await store.open(other);
    await store.copyUpkeep;
    const kept = (await readCopy(COFFRE, id)) as NonNullable<Awaited<ReturnType<typeof readCopy>>>;
    kept.content[kept.content.length - 40] ^= 1;
    await keepCopy(kept);
    // The other paper's copy, its statement swapped for this one's: not what the listing verified.
    const swapped = (await readCopy(COFFRE, other)) as NonNullable<Awaited<ReturnType<typeof readCopy>>>;
    await keepCopy({ ...swapped, statement: kept.statement });

    server.down = true;
    await store.list();
    await expect(store.open(id)).rejects.toMatchObject({ code: 'hash_mismatch' });
    expect((await keptPapers(COFFRE)).has(id)).toBe(false);
    await expect(store.open(other)).rejects.toBeInstanceOf(NotKeptOffline);
  });

  it('keeps nothing when this device does not remember the coffre, or on a shared computer', async () => {
    const id = await addPaper('Récépissé OFII');
    await store.list();
    await store.open(id);
    await store.copyUpkeep;
    expect(await databases()).not.toContain(COPIES_DB);

    await rememberHere(COFFRE);
    const api = new Api({ fetch: server.fetch });
    api.setCsrf('csrf-1');
    const shared = new PaperStore({ ...session, shared: true }, api, { checkpoints, journal: () => journal });
    await shared.list();
    await shared.open(id);
    await shared.copyUpkeep;
    expect(await databases()).not.toContain(COPIES_DB);
    server.down = true;
    await expect(shared.open(id)).rejects.toBeInstanceOf(NotKeptOffline);
  });

  it('drops the copies of papers deleted or replaced at the next listing', async () => {
    await rememberHere(COFFRE);
    const deleted = await addPaper('Ancien récépissé');
    const replaced = await addPaper('Récépissé OFII');
    await store.list();
    for (const id of [deleted, replaced]) {
      await store.open(id);
      await store.copyUpkeep;
    }
    expect([...(await keptPapers(COFFRE)).keys()].sort()).toEqual([deleted, replaced].sort());
    await store.delete(deleted);
    const newer = await addPaper('Récépissé OFII (renouvelé)', replaced);
    await store.list();
    await store.copyUpkeep;
    expect(await keptPapers(COFFRE)).toEqual(new Map());
    await store.open(newer);
    await store.copyUpkeep;
    expect([...(await keptPapers(COFFRE)).keys()]).toEqual([newer]);
  });
});

describe('a paper deposited under a mandate', () => {
  const aidant = OwnerKeys.fromSeed(new Uint8Array(32).fill(5));
  const serverKey = SigningKey.generate();

  /** A deposit mandate on `category`, the grantee's sealed paper stored as the host lists it. */
  async function deposited(category: string, rights: 'deposit' | 'consult' = 'deposit') {
    const mandateId = crypto.randomUUID();
    const mandate = signMandate(session.keys.signing, {
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      mandate: mandateId,
      grantee: { type: 'person', id: crypto.randomUUID(), key: aidant.publicKey, recipient: aidant.recipient },
      categories: [category],
      rights,
      not_before: NOW - 50,
      not_after: NOW + 86400,
      text_sha256: b64encode(new Uint8Array(32)),
      created: NOW - 50,
    });
    const c = (await store.categories()).find((x) => x.id === category);
    const { bytes, mime } = packPages([{ bytes: jpeg(50_000), type: 'image/jpeg' }]);
    const paper = crypto.randomUUID();
    const sealed = await sealPaper({
      instance: INSTANCE,
      coffre: COFFRE,
      epoch: 0,
      paper,
      cert: c?.current.cert as Uint8Array,
      ownerKey: session.keys.publicKey,
      uploader: aidant.signing,
      mandate: mandateId,
      created: NOW,
      content: bytes,
      meta: { doc_type: 'autre', filename: 'attestation.jpg', mime, pages: 1, title: 'Attestation CAF' },
    });
    const upload = openStatement<Upload>(sealed.upload, 'upload');
    server.papers.set(paper, {
      item: {
        paper,
        category,
        generation: upload.body.generation,
        content_size: upload.body.content_size,
        statement: b64encode(sealed.upload),
        created: NOW,
      },
      meta: b64encode(sealed.meta),
      content: sealed.content,
    });
    const grant = {
      mandate: openMandate(mandate, session.keys.publicKey, { instance: INSTANCE, coffre: COFFRE, epoch: 0 }),
      keys: [aidant.publicKey],
      ends: [],
    };
    const receipt = signDepositReceipt(serverKey, upload, NOW + 1);
    return { paper, mandateId, grant, receipt };
  }

  const storeWith = (policy: () => Promise<DepositPolicy>) =>
    new PaperStore(session, new Api({ fetch: server.fetch }), {
      checkpoints,
      journal: () => journal,
      deposits: policy,
    });

  it('is opened with its mandate and deposit receipt, and says who deposited it', async () => {
    const d = await deposited((await residence()).id);
    const s = storeWith(async () => ({
      policy: { mandates: [d.grant], serverKey: serverKey.publicB64 },
      receipts: new Map([[d.paper, d.receipt]]),
      numbers: new Map([[d.mandateId, 3]]),
    }));
    const listing = await s.list();
    expect(listing.refused).toEqual([]);
    expect(listing.papers.map((p) => [p.meta.title, p.depositedBy])).toEqual([
      ['Attestation CAF', { mandate: d.mandateId, number: 3 }],
    ]);
    expect((await s.open(d.paper)).meta.title).toBe('Attestation CAF');
  });

  it('names the organisation a deposit mandate went to, as the deposit policy names it', async () => {
    const d = await deposited((await residence()).id);
    const s = storeWith(async () => ({
      policy: { mandates: [d.grant], serverKey: serverKey.publicB64 },
      receipts: new Map([[d.paper, d.receipt]]),
      numbers: new Map([[d.mandateId, 3]]),
      organisations: new Map([[d.mandateId, 'CHRS Les Tilleuls']]),
    }));
    const listing = await s.list();
    expect(listing.papers.map((p) => p.depositedBy)).toEqual([
      { mandate: d.mandateId, number: 3, organisation: 'CHRS Les Tilleuls' },
    ]);
  });

  it('is refused without its deposit receipt, or under a mandate the owner did not give', async () => {
    const d = await deposited((await residence()).id);
    const noReceipt = storeWith(async () => ({
      policy: { mandates: [d.grant], serverKey: serverKey.publicB64 },
      receipts: new Map(),
      numbers: new Map(),
    }));
    expect((await noReceipt.list()).refused).toEqual([{ paper: d.paper, code: 'not_allowed' }]);
    const notGiven = storeWith(async () => ({
      policy: { mandates: [], serverKey: serverKey.publicB64 },
      receipts: new Map([[d.paper, d.receipt]]),
      numbers: new Map(),
    }));
    expect((await notGiven.list()).refused).toEqual([{ paper: d.paper, code: 'unauthorised_signer' }]);
  });

  it('is refused with a receipt another key signed (the host forging the deposit time)', async () => {
    const d = await deposited((await residence()).id);
    const s = storeWith(async () => ({
      policy: { mandates: [d.grant], serverKey: SigningKey.generate().publicB64 },
      receipts: new Map([[d.paper, d.receipt]]),
      numbers: new Map(),
    }));
    expect((await s.list()).refused).toEqual([{ paper: d.paper, code: 'unauthorised_signer' }]);
  });

  it('is refused under a consult-only mandate', async () => {
    const d = await deposited((await residence()).id, 'consult');
    const s = storeWith(async () => ({
      policy: { mandates: [d.grant], serverKey: serverKey.publicB64 },
      receipts: new Map([[d.paper, d.receipt]]),
      numbers: new Map(),
    }));
    expect((await s.list()).refused).toEqual([{ paper: d.paper, code: 'unauthorised_signer' }]);
  });
});
