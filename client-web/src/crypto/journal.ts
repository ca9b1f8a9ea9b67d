// The journal (spec section 9): entries, inclusion receipts, and the chain verifier that
// catches gaps, broken links, reordering, rollback and forks.
import { sha256 } from '@noble/hashes/sha2.js';
import { b64decode, b64encode, bytesEqual, JOURNAL_PAGE_CAP } from './encoding';
import { fail } from './errors';
import type { SigningKey } from './keys';
import {
  type Context,
  parseEnvelope,
  peekBody,
  requireContext,
  signStatement,
  statementHash,
  type Verified,
  verifyParsed,
  verifyStatement,
  vouchedParsed,
  ZERO_HASH_B64,
} from './statement';

export interface JournalEntry {
  kind: 'journal_entry';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  seq: number;
  prev: string;
  time: number;
  actor: string;
  action: string;
  object?: string;
  mandate?: string;
  /**
   * For a server-signed entry of a grantee's act (`GRANTEE_ACTIONS`): the statement hash
   * (b64) of the grantee-signed statement it records. Absent otherwise.
   */
  proof?: string;
  body_sha256: string;
}

/** Actions the instance's server key signs: what the server saw, and what a grantee did. */
export const SERVER_ACTIONS: ReadonlySet<string> = new Set([
  'coffre_created',
  'sign_in',
  'sign_in_failed',
  'carte_locked',
  // `coffre restore` put the coffre back from a backup; the body says when it was taken.
  'restored',
  'mandate_accessed',
  'paper_deposited',
  'mandate_renounced',
]);

/**
 * Server-signed actions recording a grantee's act, each with its `mandate` and, as `proof`,
 * the hash of the grantee-signed statement stored with it: an access receipt
 * (`mandate_accessed`, `object` = the receipt's `paper`), an upload (`paper_deposited`,
 * `object` = the paper), a renunciation (`mandate_renounced`, no `object`).
 */
export const GRANTEE_ACTIONS: ReadonlySet<string> = new Set([
  'mandate_accessed',
  'paper_deposited',
  'mandate_renounced',
]);

/** The server key signs a server action, the owner key of the entry's epoch any other. */
export function allowedSigner(
  actor: string,
  entry: JournalEntry,
  serverKey: string,
  ownerOf: (epoch: number) => string | undefined,
): boolean {
  return SERVER_ACTIONS.has(entry.action) ? actor === serverKey : actor === ownerOf(entry.epoch);
}

/** A grantee action carries `mandate` and `proof` (a deposit its `object`); no other a `proof`. */
function checkProofShape(e: JournalEntry): void {
  const grantee = GRANTEE_ACTIONS.has(e.action);
  if (grantee && (e.mandate === undefined || e.proof === undefined)) {
    fail('malformed', `${e.action} without its mandate and proof`);
  }
  if (grantee && e.action === 'paper_deposited' && e.object === undefined)
    fail('malformed', 'a deposit without its paper');
  if (!grantee && e.proof !== undefined) fail('malformed', `${e.action} carries a proof`);
}

/** A grantee-signed statement as matched to the journal (`granteeStatement`). */
export interface GranteeStatement {
  /** Statement hash (b64). */
  hash: string;
  action: 'mandate_accessed' | 'paper_deposited' | 'mandate_renounced';
  mandate: string;
  object?: string;
  /** For an access receipt: its `action` (`unwrap_key`, `list`, `download`), for the journal's words. */
  act?: string;
}

/**
 * The journal view of a grantee-signed envelope of `kind` (`access_receipt`, `upload` under a
 * mandate, `renunciation`); verify its signature with the mandate's verifiers first.
 */
export function granteeStatement(
  kind: 'access_receipt' | 'upload' | 'renunciation',
  envelope: Uint8Array,
): GranteeStatement {
  const parsed = parseEnvelope(envelope);
  const hash = b64encode(statementHash(parsed.bytes));
  if (kind === 'access_receipt') {
    const r = peekBody<{ mandate: string; paper: string; action: string }>(parsed.bodyBytes, 'access_receipt');
    return { hash, action: 'mandate_accessed', mandate: r.mandate, object: r.paper, act: r.action };
  }
  if (kind === 'upload') {
    const u = peekBody<{ mandate?: string; paper: string }>(parsed.bodyBytes, 'upload');
    if (u.mandate === undefined) fail('malformed', "an owner's upload is no deposit");
    return { hash, action: 'paper_deposited', mandate: u.mandate, object: u.paper };
  }
  const r = peekBody<{ mandate: string }>(parsed.bodyBytes, 'renunciation');
  return { hash, action: 'mandate_renounced', mandate: r.mandate };
}

/**
 * Matches the grantee actions of verified entries with the grantee-signed statements served:
 * an entry whose `proof` names none is `proof_missing` (an invented act); one naming a
 * statement of another action, mandate or object, or one already named, `context_mismatch`;
 * with `complete` (the whole journal from seq 0), a statement no entry names is
 * `entry_missing` (a hidden act). Same rules and order as the Rust crate.
 */
export function checkGranteeProofs(
  entries: readonly JournalEntry[],
  statements: readonly GranteeStatement[],
  complete: boolean,
): void {
  const named = statements.map(() => false);
  for (const e of entries) {
    if (!GRANTEE_ACTIONS.has(e.action)) continue;
    checkProofShape(e);
    const i = statements.findIndex((s) => s.hash === e.proof);
    if (i < 0) fail('proof_missing', `${e.action} at seq ${e.seq}`);
    const s = statements[i] as GranteeStatement;
    if (s.action !== e.action || s.mandate !== e.mandate || s.object !== e.object) {
      fail('context_mismatch', `grantee proof at seq ${e.seq}`);
    }
    if (named[i]) fail('context_mismatch', `grantee proof named twice at seq ${e.seq}`);
    named[i] = true;
  }
  if (complete && named.some((n) => !n)) fail('entry_missing', 'a grantee statement no entry records');
}

export interface InclusionReceipt {
  kind: 'inclusion_receipt';
  v: 1;
  instance: string;
  coffre: string;
  seq: number;
  entry: string;
  time: number;
}

/** `journal_checkpoint`: the owner's device verified the journal up to `seq` (`entry`: its hash). */
export interface JournalCheckpoint {
  kind: 'journal_checkpoint';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  seq: number;
  entry: string;
  created: number;
}

/** A remembered position of the chain: seq and statement hash (b64) of that entry. */
export interface Checkpoint {
  seq: number;
  hash: string;
}

export function signJournalEntry(actor: SigningKey, e: Omit<JournalEntry, 'kind' | 'v' | 'actor'>): Uint8Array {
  return signStatement({ ...e, kind: 'journal_entry', v: 1, actor: actor.publicB64 }, actor);
}

/** The entry's body file (age, to the owner) must hash to `body_sha256`. */
export function checkJournalBody(entry: JournalEntry, bodyFile: Uint8Array): void {
  if (!bytesEqual(sha256(bodyFile), b64decode(entry.body_sha256, 32))) fail('hash_mismatch', 'journal body');
}

export interface JournalVerifyOptions {
  instance: string;
  coffre: string;
  /** The coffre's current owner epoch: no entry may name a later one. */
  epoch: number;
  /** Whether `actor` may sign this entry (owner, grantee under a mandate, server key…). */
  allowed: (actor: string, entry: JournalEntry) => boolean;
  /**
   * The checkpoint remembered from an earlier verification. The page may start at seq 0,
   * at the checkpoint, or right after it; it must reach the checkpoint (`rollback`) and
   * agree with it (`fork`).
   */
  checkpoint?: Checkpoint;
  /**
   * An owner-signed checkpoint, verified by `verifyJournalCheckpoint`. Entries up to its seq
   * are bound by their hash links alone (the owner's device that signed it checked their
   * signatures): a page holding one may start at any seq up to it, and must reach it
   * (`rollback`) with its hash (`fork`); it may also start right after it.
   */
  vouched?: Checkpoint;
}

/**
 * Verifies a contiguous page of entries; returns the verified entries and the new head.
 * Per entry: body, signer = actor and allowed (`unauthorised_signer`), signature
 * (`bad_signature`), instance and coffre (`context_mismatch`), epoch not beyond the coffre's
 * and not decreasing (`context_mismatch`), time not decreasing (`time_reversed`), seq
 * (`seq_gap`), prev (`broken_link`);
 * against the checkpoint: `fork`, `rollback`. Same rules and order as the Rust crate.
 */
export function verifyJournal(
  entries: readonly Uint8Array[],
  opts: JournalVerifyOptions,
): { entries: Verified<JournalEntry>[]; head: Checkpoint } {
  if (entries.length > JOURNAL_PAGE_CAP) fail('too_large', `${entries.length} entries > ${JOURNAL_PAGE_CAP}`);
  requireContext(opts);
  const cp = opts.checkpoint;
  const vouched = opts.vouched;
  let last: Checkpoint | undefined;
  let prevEntry: JournalEntry | undefined;
  let sawCheckpoint = false;
  // Whether the page holds entries only `vouched` binds, and whether it reached it.
  let needsVouched = false;
  let sawVouched = false;
  const out: Verified<JournalEntry>[] = [];
  for (const bytes of entries) {
    const parsed = parseEnvelope(bytes);
    const { env } = parsed;
    const e = peekBody<JournalEntry>(parsed.bodyBytes, 'journal_entry');
    if (env.sigs.length !== 1 || env.sigs[0]?.key !== e.actor || !opts.allowed(e.actor, e)) {
      fail('unauthorised_signer', `${e.actor} may not ${e.action}`);
    }
    checkProofShape(e);
    const covered = vouched !== undefined && e.seq <= vouched.seq;
    needsVouched ||= covered;
    const v = covered ? vouchedParsed(parsed, e) : verifyParsed(parsed, e);
    if (e.coffre !== opts.coffre || e.instance !== opts.instance) fail('context_mismatch', 'journal coffre');
    if (e.epoch > opts.epoch) fail('context_mismatch', `entry of epoch ${e.epoch}, the coffre is at ${opts.epoch}`);
    if (prevEntry && e.epoch < prevEntry.epoch) fail('context_mismatch', `epoch goes back at seq ${e.seq}`);
    if (prevEntry && e.time < prevEntry.time) fail('time_reversed', `time goes back at seq ${e.seq}`);
    prevEntry = e;
    const h = b64encode(v.hash);
    if (!last) {
      if (cp && e.seq === cp.seq + 1) {
        if (e.prev !== cp.hash) fail('fork', `seq ${e.seq} does not follow the checkpoint`);
        sawCheckpoint = true;
      } else if (cp && e.seq === cp.seq) {
        // checked below
      } else if (vouched && e.seq === vouched.seq + 1) {
        if (e.prev !== vouched.hash) fail('fork', `seq ${e.seq} does not follow the owner's checkpoint`);
        sawVouched = true;
      } else if (e.seq === 0) {
        if (e.prev !== ZERO_HASH_B64) fail('broken_link', 'seq 0');
      } else if (vouched && e.seq <= vouched.seq) {
        // bound by the links up to the owner's checkpoint, checked below
      } else {
        fail('seq_gap', `page starts at ${e.seq}`);
      }
    } else {
      if (e.seq !== last.seq + 1) fail('seq_gap', `expected ${last.seq + 1}, got ${e.seq}`);
      if (e.prev !== last.hash) fail('broken_link', `seq ${e.seq}`);
    }
    if (cp && e.seq === cp.seq) {
      if (h !== cp.hash) fail('fork', `seq ${e.seq}`);
      sawCheckpoint = true;
    }
    if (vouched && e.seq === vouched.seq) {
      if (h !== vouched.hash) fail('fork', `seq ${e.seq} is not the owner's checkpoint`);
      sawVouched = true;
    }
    out.push(v);
    last = { seq: e.seq, hash: h };
  }
  if (!last) {
    const known = cp ?? vouched;
    if (known) return { entries: out, head: known };
    fail('bad_chain', 'empty journal');
  }
  if (cp && (last.seq < cp.seq || !sawCheckpoint)) fail('rollback', `chain ends before remembered seq ${cp.seq}`);
  if (needsVouched && !sawVouched) fail('rollback', `chain ends before the owner's checkpoint at seq ${vouched?.seq}`);
  return { entries: out, head: last };
}

/** Signs a checkpoint as the owner of `ctx`'s epoch, once the journal up to it verified. */
export function signJournalCheckpoint(
  owner: SigningKey,
  ctx: Context,
  checkpoint: Checkpoint,
  created: number,
): Uint8Array {
  const body: JournalCheckpoint = {
    kind: 'journal_checkpoint',
    v: 1,
    instance: ctx.instance,
    coffre: ctx.coffre,
    epoch: ctx.epoch,
    seq: checkpoint.seq,
    entry: checkpoint.hash,
    created,
  };
  return signStatement(body, owner);
}

/**
 * Verifies an owner-signed checkpoint: by `ownerKey` (the key of the context's epoch), for
 * this instance, coffre and epoch (`context_mismatch` otherwise: an earlier epoch's key may
 * be the lost one). Same rules and order as the Rust crate.
 */
export function verifyJournalCheckpoint(envelope: Uint8Array, ownerKey: string, ctx: Context): Checkpoint {
  requireContext(ctx);
  const { body } = verifyStatement<JournalCheckpoint>(envelope, 'journal_checkpoint', ownerKey);
  if (body.instance !== ctx.instance) fail('context_mismatch', 'instance');
  if (body.coffre !== ctx.coffre) fail('context_mismatch', 'coffre');
  if (body.epoch !== ctx.epoch) fail('context_mismatch', 'epoch');
  return { seq: body.seq, hash: body.entry };
}

export function signInclusionReceipt(server: SigningKey, r: Omit<InclusionReceipt, 'kind' | 'v'>): Uint8Array {
  return signStatement({ ...r, kind: 'inclusion_receipt', v: 1 }, server);
}

/** Checks a receipt from the server key for exactly this entry. */
export function verifyInclusionReceipt(
  envelope: Uint8Array,
  serverKey: string,
  entry: Verified<JournalEntry>,
): Verified<InclusionReceipt> {
  const v = verifyStatement<InclusionReceipt>(envelope, 'inclusion_receipt', serverKey);
  const r = v.body;
  if (r.coffre !== entry.body.coffre || r.instance !== entry.body.instance || r.seq !== entry.body.seq) {
    fail('context_mismatch', 'inclusion receipt');
  }
  if (r.entry !== b64encode(entry.hash)) fail('hash_mismatch', 'inclusion receipt entry');
  return v;
}
