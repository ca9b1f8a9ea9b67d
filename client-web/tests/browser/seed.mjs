// A coffre with papers in it, made from Node through the real API with the client's own code
// (src/coffre/create.ts, src/paper-store, bundled by Vite like the benchmarks): the coffre
// created with a carte and a PIN, then `n` one-page papers sealed, sent and filed one after
// the other, each with its owner's journal entry, as the browser files them. Used by
// paper-index.test.mjs and bench/paper-list.mjs, which then open the coffre in Chromium with
// the carte's typed form.
import { bundle } from '../../bench/bundle.mjs';

export const SEED_PIN = '40417386';

/** A small JPEG-looking page (the server and the list never look inside). */
function page(i) {
  const bytes = new Uint8Array(2048).fill(i % 251);
  bytes.set([0xff, 0xd8, 0xff]);
  return { bytes, type: 'image/jpeg' };
}

let client;

/**
 * @returns {Promise<{ typed: string, store: any, api: any, session: any, categories: any[], ids: string[] }>}
 */
export async function seedCoffre(baseUrl, n, { title = (i) => `Papier ${i + 1}`, onProgress } = {}) {
  client ??= await import(await bundle('../tests/browser/seed-entry.ts', 'seed-entry'));
  let cookie = '';
  const fetchWithCookie = async (url, init = {}) => {
    const headers = { ...(init.headers ?? {}) };
    if (cookie) headers.cookie = cookie;
    const response = await fetch(url, { method: init.method, body: init.body, headers });
    const set = response.headers.getSetCookie?.() ?? [];
    for (const c of set) if (c.startsWith('coffre=')) cookie = c.split(';')[0];
    return response;
  };
  const api = new client.Api({ base: baseUrl, fetch: fetchWithCookie });
  const instance = await api.instance();
  const made = await client.makeCoffre(instance.origin, instance.now);
  const { nonce } = await api.nonce();
  const created = await api.createCoffre(client.createBody(made, SEED_PIN, nonce, { label: 'Seed', shared: false }));
  const session = {
    instance: instance.origin,
    coffre: made.coffre,
    epoch: 0,
    seed: made.seed,
    keys: made.keys,
    csrf: created.session.csrf,
    shared: false,
    factor: 'carte',
  };
  const store = new client.PaperStore(session, api, {
    checkpoints: client.memoryIndexCheckpoints(),
    journal: () => undefined,
  });
  const categories = await store.categories();
  const ids = [];
  for (let i = 0; i < n; i++) {
    const category = categories[i % 3];
    ids.push(
      await store.add(
        { pages: [page(i)], category: category.id, docType: 'autre', title: title(i) },
        { sleep: async () => {} },
      ),
    );
    onProgress?.(i + 1);
  }
  await vouchJournal(api, session);
  return { typed: client.typedGroups(made.carte.identity).join(' '), store, api, session, categories, ids };
}

/**
 * Signs the journal's head as the owner's checkpoint and hands it to the server, as the
 * owner's devices do every 20 entries (src/journal): a new device then verifies the newest
 * entries, not every paper's.
 */
async function vouchJournal(api, session) {
  let last;
  for (let at = 0; ; ) {
    const page = await api.journal(at);
    if (page.entries.length === 0) break;
    last = page.entries.at(-1);
    if (!page.more) break;
    at = last.seq + 1;
  }
  const head = { seq: last.seq, hash: client.b64encode(client.statementHash(client.b64decode(last.entry))) };
  const ctx = { instance: session.instance, coffre: session.coffre, epoch: session.epoch };
  const statement = client.signJournalCheckpoint(session.keys.signing, ctx, head, Math.floor(Date.now() / 1000));
  await api.putJournalCheckpoint(client.b64encode(statement));
}
