// The encrypted copies of papers already opened on a remembered phone (docs/design/papers-offline.md),
// in IndexedDB: for each (coffre, paper), its signed upload statement, its content as the age
// ciphertext the host served, and its encrypted metadata file. Nothing here is plaintext and
// nothing here is a key: a copy is opened only with the session's category key, in memory,
// after the same checks as a paper fetched from the host (`openPaper`).
//
// Bounded: the copies of this device together stay under `COPY_BUDGET` bytes; the least
// recently opened ones go first. A full disk (`QuotaExceededError`) means no copy, never a crash.

export interface OfflineCopy {
  coffre: string;
  paper: string;
  /** The owner-signed upload statement, as listed. */
  statement: Uint8Array;
  /** The content file (age ciphertext), as served. */
  content: Uint8Array;
  /** The metadata file (age), as served. */
  meta: Uint8Array;
  /** The content's SHA-256 (b64) the statement signs. */
  contentSha256: string;
}

/** What the small `kept` store says of a copy: enough to evict and to prune without reading it. */
interface KeptRow {
  coffre: string;
  paper: string;
  contentSha256: string;
  size: number;
  /** When it was last kept or opened (ms), for the least-recently-used eviction. */
  used: number;
}

export const COPIES_DB = 'coffre-offline';
const COPIES = 'copies';
const KEPT = 'kept';

/** 100 MiB: a few dozen photographed papers; a phone's browser gives an origin far more. */
export const COPY_BUDGET = 100 * 1024 * 1024;

const sizeOf = (c: OfflineCopy) => c.statement.length + c.content.length + c.meta.length;

function available(): boolean {
  return typeof indexedDB !== 'undefined';
}

/** Whether the database exists (asking does not create it; a browser that cannot say: assume it may). */
async function exists(): Promise<boolean> {
  if (!available()) return false;
  if (typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((d) => d.name === COPIES_DB);
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(COPIES_DB, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(COPIES, { keyPath: ['coffre', 'paper'] });
      db.createObjectStore(KEPT, { keyPath: ['coffre', 'paper'] }).createIndex('coffre', 'coffre');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Runs `work` in one transaction over both stores; resolves with its result once committed. */
async function transact<T>(
  mode: IDBTransactionMode,
  work: (copies: IDBObjectStore, kept: IDBObjectStore) => Promise<T> | T,
) {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction([COPIES, KEPT], mode);
      let result: T;
      let failed: unknown;
      tx.oncomplete = () => (failed === undefined ? resolve(result) : reject(failed));
      tx.onabort = () => reject(failed ?? tx.error);
      tx.onerror = () => undefined; // onabort follows with the error
      Promise.resolve(work(tx.objectStore(COPIES), tx.objectStore(KEPT))).then(
        (r) => {
          result = r;
        },
        (e: unknown) => {
          failed = e;
          try {
            tx.abort();
          } catch {
            // already finished
          }
        },
      );
    });
  } finally {
    db.close();
  }
}

const request = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/**
 * Keeps `copy` (replacing this paper's previous one), evicting the least recently opened
 * copies until every copy fits in `budget`. False when it could not be kept: larger than the
 * budget, storage full or refused, no IndexedDB.
 */
export async function keepCopy(copy: OfflineCopy, budget = COPY_BUDGET, now = Date.now()): Promise<boolean> {
  const size = sizeOf(copy);
  if (!available() || size > budget) return false;
  try {
    await transact('readwrite', async (copies, kept) => {
      const rows = (await request(kept.getAll())) as KeptRow[];
      let total = rows.reduce((sum, r) => (r.coffre === copy.coffre && r.paper === copy.paper ? sum : sum + r.size), 0);
      const oldest = rows
        .filter((r) => !(r.coffre === copy.coffre && r.paper === copy.paper))
        .sort((a, b) => a.used - b.used);
      for (const r of oldest) {
        if (total + size <= budget) break;
        copies.delete([r.coffre, r.paper]);
        kept.delete([r.coffre, r.paper]);
        total -= r.size;
      }
      const row: KeptRow = {
        coffre: copy.coffre,
        paper: copy.paper,
        contentSha256: copy.contentSha256,
        size,
        used: now,
      };
      copies.put({
        coffre: copy.coffre,
        paper: copy.paper,
        statement: copy.statement,
        content: copy.content,
        meta: copy.meta,
        contentSha256: copy.contentSha256,
      });
      kept.put(row);
    });
    return true;
  } catch (e) {
    // QuotaExceededError (or a browser refusing storage): no copy; the paper still opened.
    console.warn('offline copy not kept', e instanceof Error ? e.name : e);
    return false;
  }
}

/** The copy of one paper, if this device keeps one (marked as just used). */
export async function readCopy(coffre: string, paper: string, now = Date.now()): Promise<OfflineCopy | undefined> {
  if (!(await exists())) return undefined;
  return transact('readwrite', async (copies, kept) => {
    const found = (await request(copies.get([coffre, paper]))) as OfflineCopy | undefined;
    const row = (await request(kept.get([coffre, paper]))) as KeptRow | undefined;
    if (found && row) kept.put({ ...row, used: now });
    return found;
  });
}

/** The papers of `coffre` this device keeps a copy of, with the content hash each copy claims. */
export async function keptPapers(coffre: string): Promise<Map<string, string>> {
  if (!(await exists())) return new Map();
  const rows = await transact(
    'readonly',
    (_, kept) => request(kept.index('coffre').getAll(coffre)) as Promise<KeptRow[]>,
  );
  return new Map(rows.map((r) => [r.paper, r.contentSha256]));
}

/** Drops the copies of these papers (deleted, replaced, or no longer what the listing verified). */
export async function dropCopies(coffre: string, papers: Iterable<string>): Promise<void> {
  const ids = [...papers];
  if (ids.length === 0 || !(await exists())) return;
  await transact('readwrite', (copies, kept) => {
    for (const paper of ids) {
      copies.delete([coffre, paper]);
      kept.delete([coffre, paper]);
    }
  });
}

/** Drops every copy of `coffre` (a session that may not keep copies). */
export async function dropCoffre(coffre: string): Promise<void> {
  const ids = [...(await keptPapers(coffre)).keys()];
  await dropCopies(coffre, ids);
}

/** Forgets every copy on this device ("oublier ce téléphone", signing out). */
export function forgetCopies(): Promise<void> {
  if (!available()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const r = indexedDB.deleteDatabase(COPIES_DB);
    r.onsuccess = () => resolve();
    r.onerror = () => resolve();
    r.onblocked = () => resolve();
  });
}
