// The papers of the open coffre, in the browser (docs/design/papers-screens.md): sealed here
// (content and metadata age files to the category key, the owner-signed `upload`), sent in
// chunks, made a paper with the owner's journal entry; listed with every statement verified
// and every metadata file opened; opened only once everything verifies (`openPaper`);
// deleted with the owner-signed `deletion` and its journal entry. Held in the tab's memory
// for the session, never stored.
import { sha256 } from '@noble/hashes/sha2.js';
import { type Api, ApiError, api as defaultApi, type NewEntryBody, type PaperItem, type Space } from '../api';
import { verifyCategoryCert } from '../crypto/category';
import { b64decode, b64encode, bytesEqual } from '../crypto/encoding';
import { CoffreCryptoError, fail } from '../crypto/errors';
import { signJournalEntry } from '../crypto/journal';
import {
  checkPapersPresent,
  type Deletion,
  openPaper,
  type PaperMeta,
  type PaperMetaInput,
  sealPaper,
  signDeletion,
  type Upload,
  uploadTime,
  verifyDeletion,
} from '../crypto/paper';
import { openPayload, sealPayload } from '../crypto/payload';
import { type Context, expectContext, parseEnvelope, peekBody, type Verified, verifyParsed } from '../crypto/statement';
import type { Unlocked } from '../session';
import { loadCategories, type PaperCategory } from './categories';
import { type ContentMime, type ContentPage, extensionOf, packPages, unpackPages } from './container';
import { type SendOptions, sendContent } from './upload';

export type { CategoryGeneration, PaperCategory } from './categories';
export * from './container';
export * from './doc-types';
export { backoff, retryable, sendContent } from './upload';

export interface ListedPaper {
  id: string;
  category: PaperCategory;
  meta: PaperMeta;
  upload: Verified<Upload>;
  /** As the server listed it (the statement and metadata file, b64). */
  item: PaperItem;
}

export interface PaperListing {
  papers: ListedPaper[];
  space: Space;
  /** Papers the server listed that did not verify (shown as a warning, never opened). */
  refused: { paper: string; code: string }[];
}

export interface OpenedPaper {
  meta: PaperMeta;
  /** The content, decrypted (zero it when done). */
  plaintext: Uint8Array;
  pages: ContentPage[];
}

export interface NewPaper {
  pages: readonly ContentPage[];
  /** The category's id. */
  category: string;
  docType: string;
  title: string;
  issued?: string;
  expires?: string;
  /** The paper this one is a newer version of (it stays, as its history, until deleted). */
  replaces?: string;
  /** A PDF's own number of pages (a PDF is one content page). */
  pageCount?: number;
}

export type AddStage = 'sealing' | 'sending' | 'filing';

export interface AddOptions extends Pick<SendOptions, 'sleep' | 'attempts'> {
  onProgress?: (stage: AddStage, done: number, total: number) => void;
}

/** Journal tries when the journal moves under us (`409`): read the head, sign again. */
const JOURNAL_TRIES = 4;

/** A file name safe on every system: letters, digits and dashes from the title, and the extension. */
export function safeFileName(title: string, mime: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${base || 'papier'}.${extensionOf(mime)}`;
}

export class PaperStore {
  readonly #session: Unlocked;
  readonly #api: Api;
  #categories: Promise<{ categories: PaperCategory[]; ownerKeys: Map<number, string> }> | undefined;
  /** Every upload this tab has seen verified: the server must keep listing them, or show a deletion. */
  readonly #seen = new Map<string, Pick<Upload, 'paper' | 'content_sha256'>>();
  #listing: PaperListing | undefined;

  constructor(session: Unlocked, api: Api = defaultApi) {
    this.#session = session;
    this.#api = api;
  }

  get session(): Unlocked {
    return this.#session;
  }

  /** The last listing loaded, if any (for a screen that opens after the list). */
  get lastListing(): PaperListing | undefined {
    return this.#listing;
  }

  #loadCategories() {
    this.#categories ??= this.#api
      .coffre()
      .then((info) => loadCategories(this.#session, info))
      .catch((e) => {
        this.#categories = undefined;
        throw e;
      });
    return this.#categories;
  }

  async categories(): Promise<PaperCategory[]> {
    return (await this.#loadCategories()).categories;
  }

  #ctx(epoch: number): Context {
    return { instance: this.#session.instance, coffre: this.#session.coffre, epoch };
  }

  /**
   * Every paper, its statement verified (signer the owner of its epoch, this instance and
   * coffre, the listed id, category and generation, the certificate valid at its time) and
   * its metadata opened and checked (hash, paper id). A paper that does not verify is
   * `refused`, never shown. The signed deletions are verified, and every paper this tab has
   * seen must still be listed or deleted (`paper_missing` otherwise, thrown).
   */
  async list(): Promise<PaperListing> {
    const [{ categories, ownerKeys }, answer] = await Promise.all([this.#loadCategories(), this.#api.papers()]);
    const byId = new Map(categories.map((c) => [c.id, c]));
    const papers: ListedPaper[] = [];
    const refused: PaperListing['refused'] = [];
    await Promise.all(
      answer.papers.map(async (item) => {
        try {
          papers.push(await this.#verifyListed(item, byId, ownerKeys));
        } catch (e) {
          if (!(e instanceof CoffreCryptoError)) throw e;
          refused.push({ paper: item.paper, code: e.code });
        }
      }),
    );
    const deletions: Deletion[] = answer.deletions.map((d) => {
      const bytes = b64decode(d);
      const epoch = peekBody<Deletion>(parseEnvelope(bytes).bodyBytes, 'deletion').epoch;
      const owner = ownerKeys.get(epoch);
      if (owner === undefined) fail('context_mismatch', `no owner key for epoch ${epoch}`);
      return verifyDeletion(bytes, owner, this.#ctx(epoch)).body;
    });
    const deleted = new Set(deletions.map((d) => d.paper));
    for (const p of papers) if (deleted.has(p.id)) fail('paper_missing', `${p.id} is listed after its deletion`);
    checkPapersPresent(
      [...this.#seen.values()],
      deletions,
      answer.papers.map((p) => p.paper),
    );
    for (const p of papers) this.#seen.set(p.id, { paper: p.id, content_sha256: p.upload.body.content_sha256 });
    papers.sort((a, b) => b.item.created - a.item.created || a.id.localeCompare(b.id));
    this.#listing = { papers, space: answer.space, refused };
    return this.#listing;
  }

  /** What `openPaper` checks without the content, in the same order. */
  async #verifyListed(
    item: PaperItem,
    categories: Map<string, PaperCategory>,
    ownerKeys: Map<number, string>,
  ): Promise<ListedPaper> {
    const statement = b64decode(item.statement);
    const parsed = parseEnvelope(statement);
    const peeked = peekBody<Upload>(parsed.bodyBytes, 'upload');
    if (parsed.env.sigs.length !== 1 || parsed.env.sigs[0]?.key !== peeked.uploader)
      fail('unauthorised_signer', 'uploader is not the signer');
    const upload = verifyParsed(parsed, peeked);
    const u = upload.body;
    const owner = ownerKeys.get(u.epoch);
    if (owner === undefined) fail('context_mismatch', `no owner key for epoch ${u.epoch}`);
    const ctx = this.#ctx(u.epoch);
    expectContext(u, ctx);
    if (u.paper !== item.paper) fail('paper_id_mismatch');
    if (u.category !== item.category || u.generation !== item.generation) fail('context_mismatch', 'category');
    if (u.content_size !== item.content_size) fail('hash_mismatch', 'content size');
    const at = uploadTime({ owner }, upload, ctx);
    const category = categories.get(u.category);
    const generation = category?.generations.get(u.generation);
    if (!category || !generation) fail('context_mismatch', 'unknown category generation');
    verifyCategoryCert(generation.cert, owner, ctx, at, u.category);
    const meta = b64decode(item.meta);
    if (!bytesEqual(sha256(meta), b64decode(u.meta_sha256, 32))) fail('hash_mismatch', 'meta');
    const opened = await openPayload<PaperMeta>('paper_meta', meta, [generation.key.identity]);
    if (opened.paper !== u.paper) fail('paper_id_mismatch', 'metadata names another paper');
    return { id: item.paper, category, meta: opened, upload, item };
  }

  async #listed(id: string): Promise<ListedPaper> {
    const found = this.#listing?.papers.find((p) => p.id === id) ?? (await this.list()).papers.find((p) => p.id === id);
    if (!found) throw new ApiError(404, 'not_found', 'no such paper');
    return found;
  }

  /** Downloads a paper and opens it: nothing is returned before every check passed. */
  async open(id: string): Promise<OpenedPaper> {
    const paper = await this.#listed(id);
    const { ownerKeys } = await this.#loadCategories();
    const u = paper.upload.body;
    const owner = ownerKeys.get(u.epoch) as string;
    const generation = paper.category.generations.get(u.generation);
    if (!generation) fail('context_mismatch', 'unknown category generation');
    const content = await this.#api.paperContent(id);
    const opened = await openPaper({
      instance: this.#session.instance,
      coffre: this.#session.coffre,
      epoch: u.epoch,
      paper: id,
      upload: b64decode(paper.item.statement),
      policy: { owner },
      cert: generation.cert,
      content,
      meta: b64decode(paper.item.meta),
      key: generation.key,
    });
    const pages = unpackPages(opened.plaintext, opened.meta.mime);
    return { meta: opened.meta, plaintext: opened.plaintext, pages };
  }

  /**
   * Seals the pages as one paper, sends it in chunks and files it with the owner's journal
   * entry. Returns the new paper's id.
   */
  async add(paper: NewPaper, options: AddOptions = {}): Promise<string> {
    const categories = await this.categories();
    const category = categories.find((c) => c.id === paper.category);
    if (!category) throw new RangeError('unknown category');
    const session = this.#session;
    options.onProgress?.('sealing', 0, 1);
    const { bytes, mime } = packPages(paper.pages);
    const head = await this.#api.journalHead();
    const id = crypto.randomUUID();
    const meta: PaperMetaInput = {
      doc_type: paper.docType,
      filename: safeFileName(paper.title, mime),
      mime,
      pages: paper.pageCount ?? paper.pages.length,
      title: paper.title,
      ...(paper.replaces ? { replaces: paper.replaces } : {}),
      ...(paper.issued ? { issued: paper.issued } : {}),
      ...(paper.expires ? { expires: paper.expires } : {}),
    };
    const sealed = await sealPaper({
      instance: session.instance,
      coffre: session.coffre,
      epoch: session.epoch,
      paper: id,
      cert: category.current.cert,
      ownerKey: session.keys.publicKey,
      uploader: session.keys.signing,
      created: head.time,
      content: bytes,
      meta,
    });
    options.onProgress?.('sealing', 1, 1);
    const upload = await sendContent(this.#api, sealed.content, {
      sleep: options.sleep,
      attempts: options.attempts,
      onProgress: (sent, total) => options.onProgress?.('sending', sent, total),
    });
    options.onProgress?.('filing', 0, 1);
    try {
      await this.#withOwnerEntry('paper_added', id, (journal) =>
        this.#api.commitPaper(upload, {
          statement: b64encode(sealed.upload),
          meta: b64encode(sealed.meta),
          journal,
        }),
      );
    } catch (e) {
      // Nothing was made a paper: give the chunks back (best effort; they expire anyway).
      await this.#api.abandonUpload(upload).catch(() => undefined);
      throw e;
    }
    options.onProgress?.('filing', 1, 1);
    const upload_body = peekBody<Upload>(parseEnvelope(sealed.upload).bodyBytes, 'upload');
    this.#seen.set(id, { paper: id, content_sha256: upload_body.content_sha256 });
    this.#listing = undefined;
    return id;
  }

  /** Deletes a paper for good, with the owner's signed deletion and journal entry. */
  async delete(id: string): Promise<void> {
    const paper = await this.#listed(id);
    const session = this.#session;
    const head = await this.#api.journalHead();
    const deletion = signDeletion(session.keys.signing, {
      instance: session.instance,
      coffre: session.coffre,
      epoch: session.epoch,
      paper: id,
      content_sha256: paper.upload.body.content_sha256,
      created: head.time,
    });
    await this.#withOwnerEntry('paper_deleted', id, (journal) =>
      this.#api.deletePaper(id, { deletion: b64encode(deletion), journal }),
    );
    this.#listing = undefined;
  }

  /**
   * Signs the owner's journal entry `action` about `object` after the current head and hands
   * it to `send` (the commit or the deletion, which store it in their transaction); when the
   * journal moved meanwhile (`409`), reads the head again and signs again.
   */
  async #withOwnerEntry<T>(action: string, object: string, send: (journal: NewEntryBody) => Promise<T>): Promise<T> {
    const session = this.#session;
    const body = await sealPayload('journal_body', { kind: 'journal_body', v: 1 }, [session.keys.recipient]);
    const bodySha = b64encode(sha256(body));
    let last: unknown;
    for (let attempt = 0; attempt < JOURNAL_TRIES; attempt++) {
      const head = await this.#api.journalHead();
      const entry = signJournalEntry(session.keys.signing, {
        action,
        object,
        body_sha256: bodySha,
        coffre: session.coffre,
        epoch: session.epoch,
        instance: session.instance,
        prev: head.prev,
        seq: head.next_seq,
        time: head.time,
      });
      try {
        return await send({ entry: b64encode(entry), body: b64encode(body) });
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 409)) throw e;
        last = e;
      }
    }
    throw last;
  }
}

const stores = new WeakMap<Unlocked, PaperStore>();

/** The one store of this open coffre (a new one after the next unlock). */
export function paperStoreFor(session: Unlocked): PaperStore {
  let store = stores.get(session);
  if (!store) {
    store = new PaperStore(session);
    stores.set(session, store);
  }
  return store;
}

export type { ContentMime };
