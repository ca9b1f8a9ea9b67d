// The aidant's deposit under a mandate with `deposit` rights (docs/design/mandates-screens.md):
// the covered categories' certificates (verified with the owner key the mandate was verified
// with) and their labels sealed to the grantee; a paper sealed in this browser to the
// category's certified recipient, the upload signed by the grantee (`uploader` its key,
// `mandate` the id), sent in chunks through the deposit routes, filed; the server's deposit
// receipt checked before « Déposé » is shown.

import type { Api, UploadState } from '../api';
import { ApiError, api } from '../api';
import { decryptCategoryLabel, verifyCategoryLabel, verifyCertStatement } from '../crypto/category';
import { verifyDepositReceipt } from '../crypto/deposit';
import { b64decode, b64encode } from '../crypto/encoding';
import { CoffreCryptoError, fail } from '../crypto/errors';
import { sealPaper, type Upload } from '../crypto/paper';
import { openStatement, preverifyStatements } from '../crypto/statement';
import { type AddOptions, commitResending, type NewPaper, packPages, safeFileName, sendContent } from '../paper-store';
import type { Unlocked } from '../session';
import { type MandatesApi, mandatesApi } from './api';
import { granteeIdentities, loadReceived, type ReceivedMandate } from './grantee';

export interface DepositCategory {
  id: string;
  generation: number;
  /** The owner-signed certificate, verified: what a deposit is sealed to. */
  cert: Uint8Array;
  /** The owner-signed label, when the owner's client sealed it to this grantee. */
  label?: { name: string; icon: string };
}

const ctxOf = (r: ReceivedMandate) => ({
  instance: r.mandate.body.instance,
  coffre: r.mandate.body.coffre,
  epoch: r.mandate.body.epoch,
});

/** One covered category as the server serves it (`GET /api/mandates/{id}/categories`). */
type ServedCategory = Awaited<ReturnType<MandatesApi['categories']>>['categories'][number];

/**
 * `GET /api/mandates/{id}/categories` (any right: the workspace names a consult démarche
 * with it too): each certificate verified; a label that fails is left out.
 */
export async function depositCategories(
  session: Unlocked,
  r: ReceivedMandate,
  m: MandatesApi = mandatesApi,
): Promise<DepositCategory[]> {
  const { categories } = await m.categories(r.mandate.body.mandate);
  return checkedCategories(r, categories, await openedLabels(session, r, categories));
}

/** The label files of `categories` opened (not verified yet), by category; one that fails is left out. */
async function openedLabels(
  session: Unlocked,
  r: ReceivedMandate,
  categories: readonly ServedCategory[],
): Promise<Map<string, Uint8Array>> {
  const opened = new Map<string, Uint8Array>();
  if (!categories.some((c) => c.label)) return opened;
  const identities = await granteeIdentities(session, r);
  await Promise.all(
    categories.map(async (c) => {
      if (!c.label) return;
      try {
        opened.set(c.category, await decryptCategoryLabel(b64decode(c.label), identities));
      } catch (e) {
        if (!(e instanceof CoffreCryptoError)) throw e;
      }
    }),
  );
  return opened;
}

/** The served categories of `r`, each certificate verified, each opened label verified (or left out). */
function checkedCategories(
  r: ReceivedMandate,
  categories: readonly ServedCategory[],
  labels: ReadonlyMap<string, Uint8Array>,
): DepositCategory[] {
  const covered = new Set(r.mandate.body.categories);
  const out: DepositCategory[] = [];
  for (const c of categories) {
    if (!covered.has(c.category)) fail('context_mismatch', 'a category the mandate does not cover');
    const cert = b64decode(c.cert);
    const body = verifyCertStatement(cert, r.item.owner_key, ctxOf(r), c.category).body;
    if (body.generation !== c.generation) fail('context_mismatch', 'generation');
    const one: DepositCategory = { id: c.category, generation: c.generation, cert };
    const label = labels.get(c.category);
    if (label) {
      try {
        const l = verifyCategoryLabel(label, r.item.owner_key, ctxOf(r), c.category);
        one.label = { name: l.name, icon: l.icon };
      } catch (e) {
        if (!(e instanceof CoffreCryptoError)) throw e;
      }
    }
    out.push(one);
  }
  // In the mandate's order, as the workspace numbers them.
  return r.mandate.body.categories.flatMap((id) => out.filter((c) => c.id === id));
}

/**
 * The covered categories of every mandate in `received` at once
 * (`GET /api/mandates/received/categories`: one request): the labels opened, then every
 * certificate's and label's signature handed to WebCrypto together (`preverifyStatements`),
 * then each mandate checked as `depositCategories` checks it. A mandate the server leaves
 * out, or whose answer fails a check, is left out (its démarches keep their numbers).
 */
export async function receivedCategories(
  session: Unlocked,
  received: readonly ReceivedMandate[],
  m: MandatesApi = mandatesApi,
): Promise<Map<string, DepositCategory[]>> {
  const { mandates } = await m.receivedCategories();
  const byId = new Map(received.map((r) => [r.mandate.body.mandate, r]));
  const served = mandates.flatMap((a) => {
    const r = byId.get(a.mandate);
    return r ? [{ r, categories: a.categories }] : [];
  });
  const labels = await Promise.all(
    served.map(({ r, categories }) => openedLabels(session, r, categories).catch(() => new Map<string, Uint8Array>())),
  );
  await preverifyStatements([
    ...served.flatMap(({ categories }) => categories.map((c) => c.cert)),
    ...labels.flatMap((l) => [...l.values()]),
  ]);
  const out = new Map<string, DepositCategory[]>();
  served.forEach(({ r, categories }, i) => {
    try {
      out.set(r.mandate.body.mandate, checkedCategories(r, categories, labels[i] as Map<string, Uint8Array>));
    } catch (e) {
      if (!(e instanceof CoffreCryptoError)) throw e;
    }
  });
  return out;
}

export interface Deposited {
  paper: string;
  /** The deposit's journal seq in the owner's journal: the receipt's number. */
  seq: number;
  /** When the server accepted it (the verified deposit receipt's time). */
  time: number;
}

/** The deposit routes, shaped as `sendContent` wants them. */
function depositChannel(mandate: string, m: MandatesApi): Pick<Api, 'startUpload' | 'putChunk' | 'upload'> {
  let announced: UploadState | undefined;
  return {
    startUpload: async (size, chunkSize) => {
      announced = await m.startDeposit(mandate, size, chunkSize);
      return announced;
    },
    putChunk: (upload, idx, bytes) =>
      api.sendBytes(
        'PUT',
        `/api/mandates/${encodeURIComponent(mandate)}/deposits/${encodeURIComponent(upload)}/chunks/${idx}`,
        bytes,
      ),
    // No route tells a grantee what it holds: the chunk is simply sent again.
    upload: async () => ({ ...(announced as UploadState), received: [] }),
  };
}

/** Seals, sends and files one paper in the owner's coffre under `r`; checks the receipt. */
export async function depositPaper(
  session: Unlocked,
  r: ReceivedMandate,
  category: DepositCategory,
  paper: NewPaper,
  options: AddOptions = {},
  m: MandatesApi = mandatesApi,
): Promise<Deposited> {
  const b = r.mandate.body;
  options.onProgress?.('sealing', 0, 1);
  const { bytes, mime } = packPages(paper.pages);
  const instance = await api.instance();
  const now = instance.now;
  const sealed = await sealPaper({
    instance: b.instance,
    coffre: b.coffre,
    epoch: b.epoch,
    paper: crypto.randomUUID(),
    cert: category.cert,
    ownerKey: r.item.owner_key,
    uploader: session.keys.signing,
    mandate: b.mandate,
    created: now,
    content: bytes,
    meta: {
      doc_type: paper.docType,
      filename: safeFileName(paper.title, mime),
      mime,
      pages: paper.pageCount ?? paper.pages.length,
      title: paper.title,
      ...(paper.issued ? { issued: paper.issued } : {}),
      ...(paper.expires ? { expires: paper.expires } : {}),
    },
  });
  options.onProgress?.('sealing', 1, 1);
  const channel = depositChannel(b.mandate, m);
  const upload = await sendContent(channel as Api, sealed.content, {
    sleep: options.sleep,
    attempts: options.attempts,
    onProgress: (sent, total) => options.onProgress?.('sending', sent, total),
  });
  options.onProgress?.('filing', 0, 1);
  const filed = await commitResending(channel, upload, sealed.content, () =>
    m.fileDeposit(b.mandate, upload, b64encode(sealed.upload), b64encode(sealed.meta)),
  );
  const verified = openStatement<Upload>(sealed.upload, 'upload');
  const receipt = verifyDepositReceipt(b64decode(filed.deposit_receipt), instance.server_key, ctxOf(r), verified);
  options.onProgress?.('filing', 1, 1);
  return { paper: verified.body.paper, seq: filed.seq, time: receipt.body.time };
}

/** What the add-a-paper screen needs to deposit under one mandate (`?mandat=<id>`). */
export interface DepositTarget {
  number: number;
  categories: { id: string; icon: string; name: string }[];
  add(paper: NewPaper, options?: AddOptions): Promise<Deposited>;
}

/**
 * The mandate `id` among those received (verified, in force), with deposit rights, and its
 * categories: named by their label when the owner gave it, else « Démarche n sur N ».
 */
export async function depositTarget(
  session: Unlocked,
  id: string,
  name: (n: number, count: number) => string,
  m: MandatesApi = mandatesApi,
): Promise<DepositTarget> {
  const { mandates } = await loadReceived(session, m);
  const r = mandates.find((x) => x.item.mandate === id);
  if (!r) throw new ApiError(404, 'not_found', 'no such mandate in force');
  if (r.item.rights === 'consult') throw new ApiError(403, 'forbidden', 'a consult-only mandate');
  const cats = await depositCategories(session, r, m);
  return {
    number: r.item.number,
    categories: cats.map((c, i) => ({
      id: c.id,
      icon: c.label?.icon ?? '',
      name: c.label?.name ?? name(i + 1, cats.length),
    })),
    add: (paper, options) => {
      const c = cats.find((x) => x.id === paper.category);
      if (!c) throw new RangeError('unknown category');
      return depositPaper(session, r, c, paper, options, m);
    },
  };
}
