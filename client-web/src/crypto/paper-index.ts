// The owner-signed metadata index of a category generation (spec 6): one age file listing
// the generation's papers with their metadata, so a client lists 1,000 papers with one
// unwrap and one signature instead of 1,000 of each, and the host cannot serve an old index
// or hide a paper unnoticed. Mirrors crypto/src/index.rs.
import { type AgeIdentity, decryptWith, encryptTo } from './ageio';
import { CategoryKey, verifyCertStatement } from './category';
import {
  b64encode,
  canonicalEncode,
  canonicalParse,
  INDEX_CAP,
  INDEX_ENTRIES_CAP,
  sha256Async,
  zeroize,
} from './encoding';
import { fail } from './errors';
import { arrayOf, checkDocument, date, hash, int, literal, object, optional, type Schema, str, uuid } from './fields';
import type { JournalEntry } from './journal';
import type { SigningKey } from './keys';
import type { Deletion, PaperMeta } from './paper';
import { type Context, expectContext, requireContext, signStatement, verifyStatement } from './statement';

/** One paper of an index: its upload statement's hash, its content hash and its metadata. */
export interface IndexEntry {
  content_sha256: string;
  /** Exactly the plaintext of the paper's metadata file. */
  meta: PaperMeta;
  paper: string;
  /** statement_hash (b64) of the paper's upload envelope. */
  upload: string;
}

/** The `paper_index_body` payload: the papers of one category generation, sorted by id. */
export interface PaperIndexBody {
  kind: 'paper_index_body';
  v: 1;
  category: string;
  coffre: string;
  generation: number;
  papers: IndexEntry[];
}

/** The owner's `paper_index` statement over an index file. */
export interface PaperIndex {
  kind: 'paper_index';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  category: string;
  generation: number;
  index_sha256: string;
  index_size: number;
  seq: number;
  created: number;
}

/** What a device remembers of a generation's index: its `seq` and statement hash (b64). */
export interface IndexCheckpoint {
  seq: number;
  hash: string;
}

// The metadata inside an entry: the paper_meta payload, kind and version included.
const ENTRY_META: Schema = {
  doc_type: str,
  expires: optional(date),
  filename: str,
  issued: optional(date),
  kind: literal('paper_meta'),
  mime: str,
  pages: int,
  paper: uuid,
  replaces: optional(uuid),
  sha256: hash,
  size: int,
  title: str,
  v: literal(1),
};
const INDEX_BODY_SCHEMA: Schema = {
  category: uuid,
  coffre: uuid,
  generation: int,
  papers: arrayOf(object({ content_sha256: hash, meta: object(ENTRY_META), paper: uuid, upload: hash })),
};

function checkCap(size: number): void {
  if (size > INDEX_CAP) fail('too_large', `${size} > ${INDEX_CAP}`);
}

/**
 * The rules on an index's papers, in this order: at most INDEX_ENTRIES_CAP (`too_large`),
 * sorted by `paper` without duplicates (`non_canonical`), then each entry's metadata names
 * its paper (`paper_id_mismatch`), has well-formed dates and does not replace itself
 * (`malformed`).
 */
function checkPapers(papers: readonly IndexEntry[]): void {
  if (papers.length > INDEX_ENTRIES_CAP) fail('too_large', `${papers.length} papers > ${INDEX_ENTRIES_CAP}`);
  papers.forEach((e, i) => {
    if (i > 0 && !((papers[i - 1]?.paper ?? '') < e.paper))
      fail('non_canonical', 'index papers not sorted or repeated');
  });
  for (const e of papers) {
    if (e.meta.paper !== e.paper) fail('paper_id_mismatch', `index entry ${e.paper}`);
    if (e.meta.expires !== undefined) date(e.meta.expires, 'expires');
    if (e.meta.issued !== undefined) date(e.meta.issued, 'issued');
    if (e.meta.replaces === e.paper) fail('malformed', 'a paper cannot replace itself');
  }
}

/** Parses an index plaintext: the canonical payload (INDEX_CAP), then the rules on its papers. */
export function decodePaperIndexBody(plain: Uint8Array): PaperIndexBody {
  const body = canonicalParse(plain, INDEX_CAP, (o) =>
    checkDocument(o, 'paper_index_body', INDEX_BODY_SCHEMA),
  ) as unknown as PaperIndexBody;
  checkPapers(body.papers);
  return body;
}

export interface SealIndexInput {
  instance: string;
  coffre: string;
  epoch: number;
  /** The owner-signed certificate of the generation (any time: an old generation's too). */
  cert: Uint8Array;
  ownerKey: string;
  /**
   * The owner key and epoch the certificate was signed with, when older than the index's (an
   * earlier generation's index signed again at a new epoch). Default: `ownerKey`, `epoch`.
   */
  certSigner?: { ownerKey: string; epoch: number };
  owner: SigningKey;
  /** One more than the generation's previous index (0 for the first). */
  seq: number;
  /** The papers, in any order (sorted here). */
  papers: readonly IndexEntry[];
  created: number;
}

export interface SealedIndex {
  file: Uint8Array;
  statement: Uint8Array;
}

/** Seals an index to the certified category recipient and signs its statement (Rust `seal_index`). */
export async function sealPaperIndex(input: SealIndexInput): Promise<SealedIndex> {
  const ctx: Context = { instance: input.instance, coffre: input.coffre, epoch: input.epoch };
  const signer = input.certSigner ?? { ownerKey: input.ownerKey, epoch: input.epoch };
  const cert = verifyCertStatement(input.cert, signer.ownerKey, { ...ctx, epoch: signer.epoch }).body;
  const papers = [...input.papers].sort((a, b) => (a.paper < b.paper ? -1 : a.paper > b.paper ? 1 : 0));
  const body: PaperIndexBody = {
    kind: 'paper_index_body',
    v: 1,
    category: cert.category,
    coffre: input.coffre,
    generation: cert.generation,
    papers,
  };
  checkPapers(papers);
  const plain = canonicalEncode(body);
  let file: Uint8Array;
  try {
    checkCap(plain.length);
    decodePaperIndexBody(plain); // refuse to seal what a reader would refuse
    file = await encryptTo([cert.recipient], plain);
  } finally {
    zeroize(plain);
  }
  checkCap(file.length);
  const statement: PaperIndex = {
    kind: 'paper_index',
    v: 1,
    instance: input.instance,
    coffre: input.coffre,
    epoch: input.epoch,
    category: cert.category,
    generation: cert.generation,
    index_sha256: b64encode(await sha256Async(file)),
    index_size: file.length,
    seq: input.seq,
    created: input.created,
  };
  return { file, statement: signStatement(statement, input.owner) };
}

export interface OpenIndexInput {
  instance: string;
  coffre: string;
  /** The **current** epoch: an index is re-signed at a new epoch. */
  epoch: number;
  /** The owner key of the current epoch. */
  ownerKey: string;
  /** CK of the generation (unwrapped and checked against its certificate), or its identity. */
  key: CategoryKey | AgeIdentity;
  category: string;
  generation: number;
  /** This device's last verified index of that generation, if any. */
  remembered?: IndexCheckpoint;
  statement: Uint8Array;
  file: Uint8Array;
}

export interface OpenedIndex {
  statement: PaperIndex;
  /** What to remember of it. */
  checkpoint: IndexCheckpoint;
  /** Its papers, sorted by id. */
  papers: IndexEntry[];
}

/**
 * Verifies and opens an index, in the Rust crate's order: the statement (one signature, by
 * the owner: `unauthorised_signer`, `bad_signature`), its instance, coffre and epoch, its
 * category and generation (`context_mismatch`), against the remembered checkpoint (an older
 * seq `rollback`, the same seq with another statement `fork`), the file (over INDEX_CAP
 * `too_large`; not the signed size or SHA-256 `hash_mismatch`), decryption
 * (`decryption_failed`), the payload, and its coffre, category and generation against the
 * statement's (`context_mismatch`).
 */
export async function openPaperIndex(input: OpenIndexInput): Promise<OpenedIndex> {
  const ctx: Context = { instance: input.instance, coffre: input.coffre, epoch: input.epoch };
  requireContext(ctx);
  const v = verifyStatement<PaperIndex>(input.statement, 'paper_index', input.ownerKey);
  const st = v.body;
  expectContext(st, ctx);
  if (st.category !== input.category || st.generation !== input.generation) {
    fail('context_mismatch', 'index category or generation');
  }
  const hashB64 = b64encode(v.hash);
  const r = input.remembered;
  if (r) {
    if (st.seq < r.seq) fail('rollback', `index seq ${st.seq} before the remembered ${r.seq}`);
    if (st.seq === r.seq && hashB64 !== r.hash) fail('fork', `another index at seq ${st.seq}`);
  }
  checkCap(input.file.length);
  if (input.file.length !== st.index_size) fail('hash_mismatch', 'index size');
  if (b64encode(await sha256Async(input.file)) !== st.index_sha256) fail('hash_mismatch', 'index file');
  const identity = input.key instanceof CategoryKey ? input.key.identity : input.key;
  const plain = await decryptWith([identity], input.file);
  let body: PaperIndexBody;
  try {
    body = decodePaperIndexBody(plain);
  } finally {
    zeroize(plain);
  }
  if (body.coffre !== st.coffre || body.category !== st.category || body.generation !== st.generation) {
    fail('context_mismatch', 'index file of another category');
  }
  return { statement: st, checkpoint: { seq: st.seq, hash: hashB64 }, papers: body.papers };
}

/** A paper as the host lists it: its id and the hash (b64) of the upload statement it serves. */
export interface ListedPaper {
  paper: string;
  upload: string;
}

export interface CategoryListing {
  /** Index entries listed with the same upload statement: shown from the index as they are. */
  indexed: IndexEntry[];
  /** Listed papers the index does not hold (newer): opened from their own files (`openPaperMeta`). */
  newer: string[];
}

/**
 * Compares an index with the host's listing of the same category generation and the owner's
 * verified deletions (Rust `check_index_listing`). For each index entry, in order: listed
 * with another upload statement `hash_mismatch`; not listed and no deletion of that paper
 * and content hash `paper_missing`. A paper listed twice with two statements is
 * `hash_mismatch`. Listed papers that are not in the index are `newer`. A paper hidden from
 * both the listing and an old index is caught by a device that remembers a newer index
 * (`rollback`) and by the journal (`checkJournalPapers`).
 */
export function checkIndexListing(
  index: OpenedIndex,
  listed: readonly ListedPaper[],
  deletions: readonly Pick<Deletion, 'paper' | 'content_sha256'>[],
): CategoryListing {
  const byId = new Map<string, string>();
  for (const l of listed) {
    const before = byId.get(l.paper);
    if (before !== undefined && before !== l.upload) fail('hash_mismatch', `${l.paper} listed twice`);
    byId.set(l.paper, l.upload);
  }
  const indexed: IndexEntry[] = [];
  for (const e of index.papers) {
    const h = byId.get(e.paper);
    byId.delete(e.paper);
    if (h === e.upload) indexed.push(e);
    else if (h !== undefined) fail('hash_mismatch', `${e.paper} listed with another upload statement`);
    else if (!deletions.some((d) => d.paper === e.paper && d.content_sha256 === e.content_sha256)) {
      fail('paper_missing', e.paper);
    }
  }
  const newer: string[] = [];
  for (const l of listed) {
    if (byId.delete(l.paper)) newer.push(l.paper);
  }
  return { indexed, newer };
}

/** Journal actions (owner-signed, `object` = the paper) that make a paper exist. */
export const PAPER_ADDED_ACTIONS: readonly string[] = ['paper_added', 'paper_replaced', 'paper_deposited'];
/** The journal action (owner-signed, `object` = the paper) of a deletion. */
export const PAPER_DELETED_ACTION = 'paper_deleted';

/**
 * The papers a page of verified journal entries says exist: each one an added-paper action
 * names, unless a later deletion names it (a paper action without `object` is `malformed`).
 * A page that starts at a checkpoint says nothing of the papers added before it.
 */
export function livePapers(entries: readonly JournalEntry[]): Set<string> {
  const live = new Set<string>();
  for (const e of entries) {
    const added = PAPER_ADDED_ACTIONS.includes(e.action);
    if (!added && e.action !== PAPER_DELETED_ACTION) continue;
    if (e.object === undefined) fail('malformed', 'a paper action without its paper');
    if (added) live.add(e.object);
    else live.delete(e.object);
  }
  return live;
}

/**
 * Every paper the journal (a page verified with `verifyJournal`) adds and does not delete
 * afterwards must be in the host's listing of the whole coffre (`paper_missing`).
 */
export function checkJournalPapers(entries: readonly JournalEntry[], listed: Iterable<string>): void {
  const present = new Set(listed);
  for (const p of livePapers(entries)) if (!present.has(p)) fail('paper_missing', p);
}
