// The offline copies (src/offline, docs/design/papers-offline.md) against an in-memory
// IndexedDB (fake-indexeddb): kept and read back as they were given, bounded with the least
// recently opened going first, a full disk is no copy and no crash, only a remembered phone
// keeps any, and a listing drops the copies of papers deleted, changed or replaced. Also the
// service worker the build writes: the app shell only, never the API.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COPIES_DB,
  dropCoffre,
  forgetCopies,
  keepCopy,
  keptPapers,
  type OfflineCopy,
  readCopy,
} from '../../src/offline/copies';
import { keepOpened, keepsCopies, pruneCopies } from '../../src/offline/keeper';
import { lazyFiles, shellFiles, shellWorkerSource } from '../../src/offline/shell-plugin';
import { forgetHere } from '../../src/remembered';

const A = 'coffre-a';
const B = 'coffre-b';

function copy(paper: string, size: number, coffre = A, hash = `h-${paper}`): OfflineCopy {
  return {
    coffre,
    paper,
    statement: new Uint8Array(10).fill(1),
    content: new Uint8Array(size - 20).fill(2),
    meta: new Uint8Array(10).fill(3),
    contentSha256: hash,
  };
}

const databases = async () => (await indexedDB.databases()).map((d) => d.name);

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('the copy store', () => {
  it('gives back a copy as it was kept, for its coffre only', async () => {
    const c = copy('p1', 500);
    expect(await keepCopy(c)).toBe(true);
    expect(await readCopy(A, 'p1')).toEqual(c);
    expect(await readCopy(B, 'p1')).toBeUndefined();
    expect(await keptPapers(A)).toEqual(new Map([['p1', 'h-p1']]));
    expect(await keptPapers(B)).toEqual(new Map());
  });

  it('stays under its budget, the least recently opened copy going first', async () => {
    expect(await keepCopy(copy('p1', 400), 1000, 1)).toBe(true);
    expect(await keepCopy(copy('p2', 400), 1000, 2)).toBe(true);
    await readCopy(A, 'p1', 3); // p1 opened again: p2 is now the oldest
    expect(await keepCopy(copy('p3', 400), 1000, 4)).toBe(true);
    expect([...(await keptPapers(A)).keys()].sort()).toEqual(['p1', 'p3']);
    expect(await readCopy(A, 'p2')).toBeUndefined();
    // Keeping a paper again replaces its copy, without counting it twice.
    expect(await keepCopy(copy('p3', 500), 1000, 5)).toBe(true);
    expect([...(await keptPapers(A)).keys()].sort()).toEqual(['p1', 'p3']);
  });

  it('keeps nothing larger than the whole budget, and drops nothing for it', async () => {
    expect(await keepCopy(copy('p1', 400), 1000)).toBe(true);
    expect(await keepCopy(copy('big', 1001), 1000)).toBe(false);
    expect([...(await keptPapers(A)).keys()]).toEqual(['p1']);
  });

  it('a full disk (QuotaExceededError) is no copy and no crash; the copies kept before stay', async () => {
    expect(await keepCopy(copy('p1', 400))).toBe(true);
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'copies') throw new DOMException('the disk is full', 'QuotaExceededError');
      return put.apply(this, args);
    };
    try {
      expect(await keepCopy(copy('p2', 400))).toBe(false);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect([...(await keptPapers(A)).keys()]).toEqual(['p1']);
    expect(await readCopy(A, 'p2')).toBeUndefined();
  });

  it('drops one coffre’s copies, or every copy with the database', async () => {
    await keepCopy(copy('p1', 100, A));
    await keepCopy(copy('p2', 100, B));
    await dropCoffre(A);
    expect(await keptPapers(A)).toEqual(new Map());
    expect([...(await keptPapers(B)).keys()]).toEqual(['p2']);
    await forgetCopies();
    expect(await databases()).not.toContain(COPIES_DB);
  });

  it('« Oublier ce téléphone » (and a forgotten device, and signing out there) deletes every copy', async () => {
    await keepCopy(copy('p1', 100));
    expect(await databases()).toContain(COPIES_DB);
    await forgetHere();
    expect(await databases()).not.toContain(COPIES_DB);
  });

  it('reading on a device that never kept a copy does not create the database', async () => {
    expect(await readCopy(A, 'p1')).toBeUndefined();
    expect(await keptPapers(A)).toEqual(new Map());
    await dropCoffre(A);
    expect(await databases()).not.toContain(COPIES_DB);
  });
});

describe('who keeps copies', () => {
  const rememberedA = async () => ({ coffre: A });
  const nothing = async () => null;
  const person = { shared: false, coffre: A };

  it('only a remembered phone, for the coffre it remembers, never a shared computer', async () => {
    expect(await keepsCopies(person, rememberedA)).toBe(true);
    expect(await keepsCopies({ shared: true, coffre: A }, rememberedA)).toBe(false);
    expect(await keepsCopies(person, nothing)).toBe(false);
    expect(await keepsCopies({ shared: false, coffre: B }, rememberedA)).toBe(false);
    expect(
      await keepsCopies(person, async () => {
        throw new Error('IndexedDB refused');
      }),
    ).toBe(false);
  });

  it('a session that may not keep copies writes nothing at all', async () => {
    const { coffre: _, ...c } = copy('p1', 100);
    expect(await keepOpened(person, c, nothing)).toBe(false);
    expect(await keepOpened({ shared: true, coffre: A }, c, rememberedA)).toBe(false);
    expect(await databases()).not.toContain(COPIES_DB);
    expect(await keepOpened(person, c, rememberedA)).toBe(true);
    expect([...(await keptPapers(A)).keys()]).toEqual(['p1']);
  });

  it('a listing drops the copies of papers deleted, changed or replaced; keeps the others', async () => {
    for (const p of ['same', 'deleted', 'changed', 'old']) await keepCopy(copy(p, 100));
    const listed = [
      { id: 'same', contentSha256: 'h-same', meta: {} },
      { id: 'changed', contentSha256: 'another hash', meta: {} },
      { id: 'old', contentSha256: 'h-old', meta: {} },
      { id: 'new', contentSha256: 'h-new', meta: { replaces: 'old' } },
    ];
    expect(await pruneCopies(person, listed, rememberedA)).toEqual(new Set(['same']));
    expect([...(await keptPapers(A)).keys()]).toEqual(['same']);
  });

  it('a listing on a session that may not keep copies drops every copy of the coffre', async () => {
    await keepCopy(copy('p1', 100));
    await keepCopy(copy('p2', 100, B));
    const listed = [{ id: 'p1', contentSha256: 'h-p1', meta: {} }];
    expect(await pruneCopies(person, listed, nothing)).toEqual(new Set());
    expect(await keptPapers(A)).toEqual(new Map());
    expect([...(await keptPapers(B)).keys()]).toEqual(['p2']);
  });
});

describe('the app shell’s service worker', () => {
  const template = readFileSync(new URL('../../src/offline/service-worker.js', import.meta.url), 'utf8');
  const bundle = [
    'index.html',
    'assets/index-AAAAAAAA.js',
    'assets/index-BBBBBBBB.css',
    'assets/fr-CCCCCCCC.js',
    'assets/pdf-frame-DDDDDDDD.js',
  ];

  afterEach(() => {
    delete (globalThis as { self?: unknown }).self;
  });

  it('keeps index.html, the favicon and the hashed assets at install, the PDF frame’s script once fetched', () => {
    expect(lazyFiles(bundle)).toEqual(['/assets/pdf-frame-DDDDDDDD.js']);
    expect(shellFiles(bundle)).toEqual([
      '/index.html',
      '/favicon.svg',
      '/assets/fr-CCCCCCCC.js',
      '/assets/index-AAAAAAAA.js',
      '/assets/index-BBBBBBBB.css',
    ]);
  });

  it('is a new worker for a new build', () => {
    const one = shellWorkerSource(template, shellFiles(bundle));
    const two = shellWorkerSource(template, shellFiles([...bundle, 'assets/index-EEEEEEEE.js']));
    const version = (s: string) => /const VERSION = '([0-9a-f]{16})'/.exec(s)?.[1];
    expect(version(one)).toBeDefined();
    expect(version(two)).toBeDefined();
    expect(version(one)).not.toBe(version(two));
    expect(one).not.toContain('__SHELL_');
  });

  it('answers the shell from its cache and never touches /api or another origin', async () => {
    const listeners = new Map<string, (event: unknown) => void>();
    const answered: string[] = [];
    const cached = new Map(shellFiles(bundle).map((f) => [f, new Response(`kept ${f}`)]));
    let online = false;
    const scope = {
      location: new URL('https://coffre.example.org/sw.js'),
      addEventListener: (type: string, fn: (event: unknown) => void) => listeners.set(type, fn),
    };
    (globalThis as { self?: unknown }).self = scope;
    const caches = {
      match: async (path: string) => cached.get(path)?.clone(),
      open: async () => ({ put: async (path: string, r: Response) => void cached.set(path, r) }),
    };
    const source = shellWorkerSource(template, shellFiles(bundle), lazyFiles(bundle));
    const run = new Function('self', 'caches', 'fetch', source);
    run(scope, caches, async (request: { url: string }) => {
      if (!online) throw new TypeError('Failed to fetch');
      return new Response(`from the network ${new URL(request.url).pathname}`);
    });
    const fetchOf = async (url: string, init: { method?: string; mode?: string; destination?: string } = {}) => {
      let response: Promise<Response> | undefined;
      listeners.get('fetch')?.({
        request: {
          url,
          method: init.method ?? 'GET',
          mode: init.mode ?? 'cors',
          destination: init.destination ?? 'script',
        },
        respondWith: (r: Promise<Response>) => {
          answered.push(url);
          response = r;
        },
      });
      return response ? await (await response).text() : undefined;
    };
    const base = 'https://coffre.example.org';
    expect(await fetchOf(`${base}/assets/index-AAAAAAAA.js`)).toBe('kept /assets/index-AAAAAAAA.js');
    // A page, offline: the kept index.html.
    expect(await fetchOf(`${base}/coffre/papiers`, { mode: 'navigate', destination: 'document' })).toBe(
      'kept /index.html',
    );
    expect(await fetchOf(`${base}/api/papers`)).toBeUndefined();
    expect(await fetchOf(`${base}/api/papers/x/content`)).toBeUndefined();
    expect(await fetchOf(`${base}/api/session`, { method: 'POST' })).toBeUndefined();
    // The PDF frame's script: not kept before it is fetched once online, kept after.
    const frame = `${base}/assets/pdf-frame-DDDDDDDD.js`;
    await expect(fetchOf(frame)).rejects.toThrow('Failed to fetch');
    online = true;
    expect(await fetchOf(frame)).toBe('from the network /assets/pdf-frame-DDDDDDDD.js');
    online = false;
    expect(await fetchOf(frame)).toBe('from the network /assets/pdf-frame-DDDDDDDD.js');
    expect(await fetchOf('https://elsewhere.example/assets/index-AAAAAAAA.js')).toBeUndefined();
    expect(await fetchOf(`${base}/assets/pdf-frame-EEEEEEEE.js`)).toBeUndefined();
    expect(answered.every((u) => !u.includes('/api/'))).toBe(true);
  });
});
