// The papers of the open coffre, in the browser (docs/design/papers-screens.md): sealed here
// (content and metadata age files to the category key, the owner-signed `upload`), sent in
// chunks, made a paper with the owner's journal entry; listed from each category
// generation's owner-signed index plus the papers newer than it, opened from their own
// files (./listing.ts), the index sealed again by the owner when it is out of date; opened
// only once everything verifies (`openPaper`); deleted with the owner-signed `deletion` and
// its journal entry. Held in the tab's memory for the session, never stored.
import { sha256 } from '@noble/hashes/sha2.js';
import {
  type Api,
  ApiError,
  api as defaultApi,
  METAS_PER_REQUEST,
  type NewEntryBody,
  type PaperItem,
  type Space,
} from '../api';
import { b64decode, b64encode, bytesEqual } from '../crypto/encoding';
import { CoffreCryptoError, fail } from '../crypto/errors';
import { type JournalEntry, signJournalEntry } from '../crypto/journal';
import {
  checkPapersPresent,
  type Deletion,
  indexEntryOf,
  type OpenedMeta,
  openPaper,
  openPaperMeta,
  type PaperMeta,
  type PaperMetaInput,
  sealPaper,
  signDeletion,
  type Upload,
  type UploaderPolicy,
  verifyDeletion,
} from '../crypto/paper';
import { type IndexEntry, livePapers, sealPaperIndex } from '../crypto/paper-index';
import { sealPayload } from '../crypto/payload';
import { type Context, parseEnvelope, peekBody, preverifyStatements, statementHash } from '../crypto/statement';
import { verifiedJournal } from '../journal';
import type { DepositPolicy } from '../mandates/deposits';
import { dropCopies, readCopy } from '../offline/copies';
import { availableOffline, keepOpened, keepsCopies, NotKeptOffline, pruneCopies } from '../offline/keeper';
import { isNetworkError, noteNetwork, offline } from '../offline/network';
import type { Unlocked } from '../session';
import { type CategoryGeneration, loadCategories, type PaperCategory } from './categories';
import { type ContentMime, type ContentPage, extensionOf, packPages, unpackPages } from './container';
import {
  type GenerationListing,
  type IndexCheckpointStore,
  listGeneration,
  localIndexCheckpoints,
  memoryIndexCheckpoints,
} from './listing';
import { mayNameMandate } from './mandate-hint';
import { commitResending, type SendOptions, sendContent } from './upload';

export type { CategoryGeneration, PaperCategory } from './categories';
export * from './container';
export * from './doc-types';
export { INDEX_MISSING, type IndexCheckpointStore, memoryIndexCheckpoints } from './listing';
export { backoff, commitResending, lostChunk, retryable, sendContent } from './upload';

export interface ListedPaper {
  id: string;
  category: PaperCategory;
  generation: number;
  meta: PaperMeta;
  /** The content's SHA-256 (b64) its upload names: what a deletion signs. */
  contentSha256: string;
  /** As the server listed it (the signed upload, b64). */
  item: PaperItem;
  /**
   * `index`: shown from the owner-signed index (its upload was verified when it was
   * indexed); `files`: its statement verified and metadata file opened here.
   */
  source: 'index' | 'files';
  /**
   * Deposited by a grantee under this mandate (its upload names it, and verified with it as
   * the uploader policy): `number` is the mandate's number among those this coffre gave.
   */
  depositedBy?: { mandate: string; number?: number; organisation?: string };
}

/** Something the listing caught: a category generation's index, or a paper the journal names. */
export interface ListingWarning {
  code: string;
  category?: string;
  generation?: number;
  paper?: string;
}

/** checkJournalPapers, naming every paper the journal says exists that is not `present`
 * (listed or deleted) rather than the first one. */
function journalWarnings(journal: readonly JournalEntry[], present: ReadonlySet<string>): ListingWarning[] {
  const warnings: ListingWarning[] = [];
  try {
    for (const paper of livePapers(journal)) if (!present.has(paper)) warnings.push({ code: 'paper_missing', paper });
  } catch (e) {
    if (!(e instanceof CoffreCryptoError)) throw e;
    warnings.push({ code: e.code });
  }
  return warnings;
}

export interface PaperListing {
  papers: ListedPaper[];
  space: Space;
  /** Papers the server listed that did not verify (shown as a warning, never opened). */
  refused: { paper: string; code: string }[];
  /** Indexes that could not be used (their papers are listed from their own files) and
   * papers the verified journal says exist that the host does not list. */
  warnings: ListingWarning[];
  /**
   * Set when the host could not be reached: this is the session's last verified listing,
   * and `available` the papers this device keeps a valid encrypted copy of (papers-offline.md).
   */
  offline?: { available: ReadonlySet<string> };
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

export interface StoreOptions {
  /** Where this device remembers each index's `(seq, hash)` (default: localStorage; memory on a shared computer). */
  checkpoints?: IndexCheckpointStore;
  /** The journal entries this session verified (default: the journal page's, `verifiedJournal`). */
  journal?: () => readonly JournalEntry[] | undefined;
  /** The deposit mandates and receipts (default: `loadDepositPolicy`, loaded when a deposit is listed). */
  deposits?: () => Promise<DepositPolicy>;
}

/** Journal tries when the journal moves under us (`409`): read the head, sign again. */
const JOURNAL_TRIES = 4;
/** How long a listing started ahead (`prefetch`) stands for the list screen's. */
export const AHEAD_FRESH_MS = 60_000;

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

const MANDATE_KEY = new TextEncoder().encode('"mandate":"');

/** Whether `needle` occurs in `haystack`. */
export function includesBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  outer: for (
    let i = haystack.indexOf(first);
    i !== -1 && i + needle.length <= haystack.length;
    i = haystack.indexOf(first, i + 1)
  ) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

export class PaperStore {
  readonly #session: Unlocked;
  readonly #api: Api;
  #categories: Promise<{ categories: PaperCategory[]; ownerKeys: Map<number, string> }> | undefined;
  /** Every upload this tab has seen verified: the server must keep listing them, or show a deletion. */
  readonly #seen = new Map<string, Pick<Upload, 'paper' | 'content_sha256'>>();
  #listing: PaperListing | undefined;
  /** The last listing that verified (online), for when the network goes (papers-offline.md). */
  #verified: PaperListing | undefined;
  readonly #checkpoints: IndexCheckpointStore;
  #upkeep: Promise<void> = Promise.resolve();
  /** A listing started ahead (`prefetch`), for the next `list` to take while it is fresh. */
  #ahead: { listing: Promise<PaperListing>; started: number } | undefined;
  /** The verified journal each listing was checked against (`undefined`: none yet), and the
   * papers it found listed or deleted (what a newer journal is checked against). */
  readonly #checkedWith = new WeakMap<
    PaperListing,
    { journal: readonly JournalEntry[] | undefined; present: ReadonlySet<string> }
  >();
  /** The offline copies' upkeep: the last one kept or pruned (papers-offline.md). */
  #copies: Promise<unknown> = Promise.resolve();

  readonly #journal: () => readonly JournalEntry[] | undefined;
  readonly #loadDeposits: () => Promise<DepositPolicy>;
  /** Loaded once a listing holds a deposit; again at each listing (new deposits, ends). */
  #deposits: Promise<DepositPolicy> | undefined;

  constructor(session: Unlocked, api: Api = defaultApi, options: StoreOptions = {}) {
    this.#session = session;
    this.#api = api;
    this.#checkpoints = options.checkpoints ?? (session.shared ? memoryIndexCheckpoints() : localIndexCheckpoints);
    this.#journal = options.journal ?? (() => verifiedJournal(session));
    this.#loadDeposits =
      options.deposits ?? (() => import('../mandates/deposits').then((d) => d.loadDepositPolicy(session)));
  }

  #depositPolicy(): Promise<DepositPolicy> {
    this.#deposits ??= this.#loadDeposits().catch((e) => {
      this.#deposits = undefined;
      throw e;
    });
    return this.#deposits;
  }

  /**
   * Who may have uploaded `statement`: the owner of its epoch; for an upload naming a
   * mandate, also the deposit mandates this coffre gave, with the paper's deposit receipt.
   */
  async #policyFor(upload: Upload, owner: string): Promise<{ policy: UploaderPolicy; depositReceipt?: Uint8Array }> {
    if (upload.mandate === undefined) return { policy: { owner } };
    const deposits = await this.#depositPolicy();
    return { policy: { owner, ...deposits.policy }, depositReceipt: deposits.receipts.get(upload.paper) };
  }

  /** « Déposé par … »: the mandate a listed upload names (verified when it was opened or indexed). */
  async #depositedBy(item: PaperItem): Promise<ListedPaper['depositedBy']> {
    // Read on the base64 text first: most uploads cannot name one, and are not decoded.
    if (!mayNameMandate(item.statement)) return undefined;
    const body = parseEnvelope(b64decode(item.statement)).bodyBytes;
    // Most uploads are the owner's: parse the body only when it names a mandate (canonical
    // JSON, whose other values hold no quote, so the key's bytes appear exactly then).
    if (!includesBytes(body, MANDATE_KEY)) return undefined;
    const mandate = peekBody<Upload>(body, 'upload').mandate;
    if (mandate === undefined) return undefined;
    const known = await this.#depositPolicy().then(
      (d) => ({ number: d.numbers.get(mandate), organisation: d.organisations?.get(mandate) }),
      () => ({ number: undefined, organisation: undefined }),
    );
    if (known.number === undefined) return { mandate };
    return known.organisation === undefined
      ? { mandate, number: known.number }
      : { mandate, number: known.number, organisation: known.organisation };
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

  /** Forgets the categories loaded: the next call reads them again (a new generation). */
  forgetCategories(): void {
    this.#categories = undefined;
    this.#ahead = undefined;
  }

  async categories(): Promise<PaperCategory[]> {
    return (await this.#loadCategories()).categories;
  }

  #ctx(epoch: number): Context {
    return { instance: this.#session.instance, coffre: this.#session.coffre, epoch };
  }

  /**
   * Every paper. For each category generation, its owner-signed index is opened (against the
   * `(seq, hash)` this device remembers of it) and checked against the host's listing and
   * the owner's verified deletions; the papers it holds are shown from it, the newer ones are
   * opened from their own files (statement, certificate, metadata file). A paper that does
   * not verify is `refused`, never shown; an index that cannot be used is a `warning` and its
   * generation is listed from the files. The papers the verified journal of this session
   * says exist must be listed or deleted (`warnings`). Every paper this tab has seen must
   * still be listed or deleted (`paper_missing` otherwise, thrown). Then, in the background,
   * the owner seals the next index of every generation that changed (`indexUpkeep`).
   */
  list(): Promise<PaperListing> {
    const ahead = this.#ahead;
    this.#ahead = undefined;
    if (!ahead || performance.now() - ahead.started >= AHEAD_FRESH_MS) return this.#list();
    // Checked against the journal this session has now verified: the home's journal may
    // have been verified after that listing ended (it names papers the host must list).
    return ahead.listing.then(
      (listing) => this.#checkedAgain(listing),
      () => this.#list(),
    );
  }

  /** `listing`, with the papers the journal verified since it was made names and the host
   * did not list (`paper_missing`, as `#listOnline` finds them). */
  #checkedAgain(listing: PaperListing): PaperListing {
    const journal = this.#journal();
    const checked = this.#checkedWith.get(listing);
    if (!checked || checked.journal === journal || !journal) return listing;
    const known = new Set(listing.warnings.map((w) => `${w.code} ${w.paper}`));
    const added = journalWarnings(journal, checked.present).filter((w) => !known.has(`${w.code} ${w.paper}`));
    const again = { ...listing, warnings: [...listing.warnings, ...added] };
    this.#checkedWith.set(again, { journal, present: checked.present });
    if (this.#listing === listing) this.#listing = again;
    if (this.#verified === listing) this.#verified = again;
    return again;
  }

  /**
   * Starts listing ahead of the list screen (from the coffre's home, once it is drawn: most
   * people open their coffre to see a paper), so that the list screen's `list`, within
   * `AHEAD_FRESH_MS`, takes this listing rather than making another. Nothing is shown from
   * it that a `list` would not show: it is the same verified listing. A change this tab makes
   * (a paper added or deleted) drops it. Only before this session's first listing: coming
   * back to the home later lists nothing ahead (a listing is a second of a slow phone's time).
   */
  prefetch(): void {
    if (this.#ahead || this.#verified) return;
    const listing = this.#list();
    listing.catch(() => undefined); // the list screen lists again, and says what went wrong
    this.#ahead = { listing, started: performance.now() };
  }

  async #list(): Promise<PaperListing> {
    // The previous listing's index upkeep first: listing while it is sending would seal the
    // same next seq again (a 409 for nothing).
    await this.#upkeep;
    try {
      const listing = await this.#listOnline();
      noteNetwork();
      this.#verified = listing;
      this.#copies = pruneCopies(this.#session, listing.papers);
      return listing;
    } catch (e) {
      noteNetwork(e);
      if (!isNetworkError(e) || !this.#verified) throw e;
      const available = await availableOffline(this.#session.coffre, this.#verified.papers);
      this.#listing = { ...this.#verified, offline: { available } };
      return this.#listing;
    }
  }

  async #listOnline(): Promise<PaperListing> {
    this.#deposits = undefined;
    const [{ categories, ownerKeys }, answer] = await Promise.all([this.#loadCategories(), this.#api.papers()]);
    // WebCrypto checks the deletions' and indexes' signatures at once (verdicts stay verifyStrict's).
    await preverifyStatements([...answer.deletions, ...answer.indexes.map((i) => i.statement)]);
    const deletions: Deletion[] = answer.deletions.map((d) => {
      const bytes = b64decode(d);
      const epoch = peekBody<Deletion>(parseEnvelope(bytes).bodyBytes, 'deletion').epoch;
      const owner = ownerKeys.get(epoch);
      if (owner === undefined) fail('context_mismatch', `no owner key for epoch ${epoch}`);
      return verifyDeletion(bytes, owner, this.#ctx(epoch)).body;
    });
    const session = this.#session;
    const warnings: ListingWarning[] = [];
    const refused: PaperListing['refused'] = [];
    const papers: ListedPaper[] = [];
    const generations: { listing: GenerationListing; category: PaperCategory; gen: CategoryGeneration }[] = [];
    const itemsById = new Map(answer.papers.map((p) => [p.paper, p]));
    const listedByGen = new Map<string, PaperItem[]>();
    for (const item of answer.papers) {
      const key = `${item.category}:${item.generation}`;
      const list = listedByGen.get(key) ?? [];
      list.push(item);
      listedByGen.set(key, list);
    }
    const gens = categories.flatMap((c) => [...c.generations.values()].map((gen) => ({ category: c, gen })));
    const known = new Set(gens.map(({ category, gen }) => `${category.id}:${gen.generation}`));
    for (const [key, items] of listedByGen) {
      if (!known.has(key)) for (const i of items) refused.push({ paper: i.paper, code: 'context_mismatch' });
    }
    await Promise.all(
      gens.map(async ({ category, gen }) => {
        const listing = await listGeneration({
          session,
          category: category.id,
          generation: gen,
          listed: listedByGen.get(`${category.id}:${gen.generation}`) ?? [],
          index: answer.indexes.find((i) => i.category === category.id && i.generation === gen.generation),
          fetchIndex: () => this.#api.paperIndex(category.id, gen.generation),
          remembered: this.#checkpoints.get(session.coffre, category.id, gen.generation),
          deletions,
        });
        if (listing.warning)
          warnings.push({ code: listing.warning, category: category.id, generation: gen.generation });
        if (listing.opened)
          this.#checkpoints.set(session.coffre, category.id, gen.generation, listing.opened.checkpoint);
        for (const e of listing.indexed) {
          const item = itemsById.get(e.paper) as PaperItem; // checkIndexListing: it is listed
          papers.push({
            id: e.paper,
            category,
            generation: gen.generation,
            meta: e.meta,
            contentSha256: e.content_sha256,
            item,
            source: 'index',
          });
        }
        generations.push({ listing, category, gen });
      }),
    );
    // The newer papers' metadata files, a thousand per request, each opened and checked.
    const newer = generations.flatMap((g) => g.listing.fromFiles.map((item) => ({ item, g })));
    const metas = new Map<string, string>();
    for (let at = 0; at < newer.length; at += METAS_PER_REQUEST) {
      const batch = newer.slice(at, at + METAS_PER_REQUEST).map((n) => n.item.paper);
      for (const m of (await this.#api.paperMetas(batch)).metas) metas.set(m.paper, m.meta);
    }
    // The papers opened from their files: their upload statements, all at once.
    await preverifyStatements(newer.map(({ item }) => item.statement));
    const opened = new Map<string, IndexEntry>();
    await Promise.all(
      newer.map(async ({ item, g }) => {
        try {
          const meta = metas.get(item.paper);
          if (meta === undefined) fail('paper_missing', `${item.paper}: no metadata file`);
          const o = await this.#openListed(item, meta, g.category, g.gen, ownerKeys);
          opened.set(item.paper, indexEntryOf(o));
          papers.push({
            id: item.paper,
            category: g.category,
            generation: g.gen.generation,
            meta: o.meta,
            contentSha256: o.upload.body.content_sha256,
            item,
            source: 'files',
          });
        } catch (e) {
          if (!(e instanceof CoffreCryptoError)) throw e;
          refused.push({ paper: item.paper, code: e.code });
        }
      }),
    );
    const deleted = new Set(deletions.map((d) => d.paper));
    for (const p of papers) if (deleted.has(p.id)) fail('paper_missing', `${p.id} is listed after its deletion`);
    const listedIds = answer.papers.map((p) => p.paper);
    checkPapersPresent([...this.#seen.values()], deletions, listedIds);
    const journal = this.#journal();
    const present = new Set([...listedIds, ...deleted]);
    if (journal) warnings.push(...journalWarnings(journal, present));
    for (const p of papers) this.#seen.set(p.id, { paper: p.id, content_sha256: p.contentSha256 });
    for (const p of papers) {
      const by = await this.#depositedBy(p.item);
      if (by) p.depositedBy = by;
    }
    papers.sort((a, b) => b.item.created - a.item.created || a.id.localeCompare(b.id));
    warnings.sort((a, b) => `${a.category}:${a.generation}`.localeCompare(`${b.category}:${b.generation}`));
    this.#listing = { papers, space: answer.space, refused, warnings };
    this.#checkedWith.set(this.#listing, { journal, present });
    this.#upkeep = this.#sealChanged(generations, opened, ownerKeys).catch((e) => {
      console.warn('index upkeep failed', e);
    });
    return this.#listing;
  }

  /** Resolves once the last offline copy kept or pruned is written (it never fails). */
  get copyUpkeep(): Promise<unknown> {
    return this.#copies;
  }

  /** Resolves once the indexes the last listing found out of date are sealed and sent (or failed). */
  get indexUpkeep(): Promise<void> {
    return this.#upkeep;
  }

  /**
   * Seals and sends the next index of each generation whose index is missing, out of date
   * (newer papers verified, papers deleted) or signed at an older epoch, from what this
   * listing verified. A generation with a warning is left as it is: sealing over it would
   * accept what the host did.
   */
  async #sealChanged(
    generations: readonly { listing: GenerationListing; category: PaperCategory; gen: CategoryGeneration }[],
    opened: ReadonlyMap<string, IndexEntry>,
    ownerKeys: ReadonlyMap<number, string>,
  ): Promise<void> {
    const session = this.#session;
    for (const { listing, category, gen } of generations) {
      if (listing.warning || listing.nextSeq === undefined) continue;
      const fresh = listing.fromFiles.map((i) => opened.get(i.paper)).filter((e): e is IndexEntry => !!e);
      // Without an index, one is sealed once the generation has a paper; an index of an
      // older epoch is signed again even when empty.
      const due = listing.opened ? fresh.length > 0 || listing.dropped > 0 : fresh.length > 0 || listing.nextSeq > 0;
      if (!due) continue;
      try {
        const sealed = await sealPaperIndex({
          instance: session.instance,
          coffre: session.coffre,
          epoch: session.epoch,
          cert: gen.cert,
          ownerKey: session.keys.publicKey,
          certSigner: { ownerKey: ownerKeys.get(gen.epoch) as string, epoch: gen.epoch },
          owner: session.keys.signing,
          seq: listing.nextSeq,
          papers: [...listing.indexed, ...fresh],
          created: Math.floor(Date.now() / 1000),
        });
        await this.#api.putPaperIndex(category.id, gen.generation, b64encode(sealed.statement), sealed.file);
        this.#checkpoints.set(session.coffre, category.id, gen.generation, {
          seq: listing.nextSeq,
          hash: b64encode(statementHash(sealed.statement)),
        });
      } catch (e) {
        // Another device sealed one meanwhile (409), or the network: the next listing tries again.
        if (!(e instanceof ApiError || e instanceof CoffreCryptoError)) throw e;
        console.warn('index not sent', category.id, gen.generation, e.message);
      }
    }
  }

  /** What `openPaper` checks without the content (`openPaperMeta`), and the listing's own claims. */
  async #openListed(
    item: PaperItem,
    meta: string,
    category: PaperCategory,
    generation: CategoryGeneration,
    ownerKeys: ReadonlyMap<number, string>,
  ): Promise<OpenedMeta> {
    const statement = b64decode(item.statement);
    const epoch = peekBody<Upload>(parseEnvelope(statement).bodyBytes, 'upload').epoch;
    const owner = ownerKeys.get(epoch);
    if (owner === undefined) fail('context_mismatch', `no owner key for epoch ${epoch}`);
    const opened = await openPaperMeta({
      instance: this.#session.instance,
      coffre: this.#session.coffre,
      epoch,
      paper: item.paper,
      upload: statement,
      ...(await this.#policyFor(peekBody<Upload>(parseEnvelope(statement).bodyBytes, 'upload'), owner)),
      cert: generation.cert,
      meta: b64decode(meta),
      key: generation.key,
    });
    const u = opened.upload.body;
    if (u.category !== category.id || u.generation !== generation.generation) fail('context_mismatch', 'category');
    if (u.content_size !== item.content_size) fail('hash_mismatch', 'content size');
    return opened;
  }

  async #listed(id: string): Promise<ListedPaper> {
    const found = this.#listing?.papers.find((p) => p.id === id) ?? (await this.list()).papers.find((p) => p.id === id);
    if (!found) throw new ApiError(404, 'not_found', 'no such paper');
    return found;
  }

  /**
   * Downloads a paper and opens it: nothing is returned before every check passed. On a
   * remembered phone its encrypted files are then kept; without a network, they are what
   * is opened, with the same checks (papers-offline.md).
   */
  async open(id: string): Promise<OpenedPaper> {
    const paper = await this.#listed(id);
    const { ownerKeys } = await this.#loadCategories();
    const statement = b64decode(paper.item.statement);
    const peeked = peekBody<Upload>(parseEnvelope(statement).bodyBytes, 'upload');
    const epoch = peeked.epoch;
    const owner = ownerKeys.get(epoch);
    if (owner === undefined) fail('context_mismatch', `no owner key for epoch ${epoch}`);
    const generation = paper.category.generations.get(paper.generation);
    if (!generation) fail('context_mismatch', 'unknown category generation');
    const files = offline.value ? undefined : await this.#fetchFiles(id);
    const inputs = {
      instance: this.#session.instance,
      coffre: this.#session.coffre,
      epoch,
      paper: id,
      upload: statement,
      ...(await this.#policyFor(peeked, owner)),
      cert: generation.cert,
      key: generation.key,
    };
    if (!files) return this.#openCopy(paper, statement, (copy) => openPaper({ ...inputs, ...copy }));
    const opened = await openPaper({ ...inputs, ...files });
    const contentSha256 = opened.upload.body.content_sha256;
    this.#copies = keepOpened(this.#session, { paper: id, statement, ...files, contentSha256 });
    const pages = unpackPages(opened.plaintext, opened.meta.mime);
    return { meta: opened.meta, plaintext: opened.plaintext, pages };
  }

  /** A paper's content and metadata files from the host; none when it cannot be reached. */
  async #fetchFiles(id: string): Promise<{ content: Uint8Array; meta: Uint8Array } | undefined> {
    try {
      const [content, metas] = await Promise.all([this.#api.paperContent(id), this.#api.paperMetas([id])]);
      const meta = metas.metas.find((m) => m.paper === id);
      if (!meta) throw new ApiError(404, 'not_found', 'no such paper');
      return { content, meta: b64decode(meta.meta) };
    } catch (e) {
      noteNetwork(e);
      if (isNetworkError(e)) return undefined;
      throw e;
    }
  }

  /**
   * Opens this device's encrypted copy: only a copy of the very upload the listing verified,
   * opened with `openPaper`'s checks; a copy that fails them is dropped, never shown.
   */
  async #openCopy(
    paper: ListedPaper,
    statement: Uint8Array,
    open: (files: { content: Uint8Array; meta: Uint8Array }) => ReturnType<typeof openPaper>,
  ): Promise<OpenedPaper> {
    const coffre = this.#session.coffre;
    const copy = (await keepsCopies(this.#session))
      ? await readCopy(coffre, paper.id).catch(() => undefined)
      : undefined;
    if (!copy || !bytesEqual(copy.statement, statement) || copy.contentSha256 !== paper.contentSha256)
      throw new NotKeptOffline();
    try {
      const opened = await open({ content: copy.content, meta: copy.meta });
      return { meta: opened.meta, plaintext: opened.plaintext, pages: unpackPages(opened.plaintext, opened.meta.mime) };
    } catch (e) {
      if (e instanceof CoffreCryptoError) await dropCopies(coffre, [paper.id]).catch(() => undefined);
      throw e;
    }
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
      await commitResending(this.#api, upload, sealed.content, () =>
        this.#withOwnerEntry('paper_added', id, (journal) =>
          this.#api.commitPaper(upload, {
            statement: b64encode(sealed.upload),
            meta: b64encode(sealed.meta),
            journal,
          }),
        ),
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
    this.#ahead = undefined;
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
      content_sha256: paper.contentSha256,
      created: head.time,
    });
    await this.#withOwnerEntry('paper_deleted', id, (journal) =>
      this.#api.deletePaper(id, { deletion: b64encode(deletion), journal }),
    );
    this.#listing = undefined;
    this.#ahead = undefined;
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
