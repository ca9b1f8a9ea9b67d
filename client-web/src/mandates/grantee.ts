// The grantee's side (an aidant, a relative): the mandates received, verified with the owner
// key the server names (whose five words the person can compare), and consulting under one.
// Every access first signs an access receipt with the next counter of (this key, that
// coffre); only then does the server hand out a wrapped key, a list or a content.
import { ApiError, api } from '../api';
import { type CategoryKey, unwrapCategoryKey, verifyCertStatement } from '../crypto/category';
import { b64decode, b64encode } from '../crypto/encoding';
import { CoffreCryptoError, fail } from '../crypto/errors';
import { fingerprint, fingerprintWords } from '../crypto/keys';
import { checkMandateInForce, type Mandate, openMandate, signAccessReceipt, signRenunciation } from '../crypto/mandate';
import { unwrapOrgKey, verifyOrgKey } from '../crypto/organisation';
import { type MandateGrant, openPaper, openPaperMeta, type PaperMeta, type Upload } from '../crypto/paper';
import {
  type Context,
  type PeekedStatement,
  parseEnvelope,
  peekBody,
  peekStatement,
  preverifyStatements,
  type Verified,
} from '../crypto/statement';
import { type ContentPage, unpackPages } from '../paper-store/container';
import type { Unlocked } from '../session';
import { type AccessAnswer, type MandateItem, type MandatesApi, mandatesApi } from './api';
import { listedAsSigned } from './list-check';
import { granteeSide, verifiedOrganisation } from './owner';

export interface ReceivedMandate {
  item: MandateItem;
  mandate: Verified<Mandate>;
  /** The owner's five words, from the key the server names. */
  ownerWords: string;
}

/** The mandates this account acts under, each verified: owner signature, context, in force now. */
export async function loadReceived(
  session: Unlocked,
  m: MandatesApi = mandatesApi,
): Promise<{ mandates: ReceivedMandate[]; refused: { item: MandateItem; code: string }[] }> {
  const [{ received }, instance] = await Promise.all([m.list(), api.instance()]);
  const mandates: ReceivedMandate[] = [];
  const refused: { item: MandateItem; code: string }[] = [];
  // Each statement parsed once, for WebCrypto's batch and for its verdict (or what refused it).
  const peeked = received.map((item) => {
    try {
      return peekStatement<Mandate>(b64decode(item.statement), 'mandate');
    } catch (e) {
      return { failed: e };
    }
  });
  await preverifyStatements(peeked.map((p) => ('failed' in p ? null : p)));
  received.forEach((item, i) => {
    const p = peeked[i] as PeekedStatement<Mandate> | { failed: unknown };
    try {
      if ('failed' in p) throw p.failed;
      const ctx: Context = { instance: session.instance, coffre: item.coffre, epoch: p.body.epoch };
      const mandate = openMandate(p, item.owner_key, ctx, item.grantee.key);
      // The screens and the attestation show the list's scope and window: they must be the signed ones.
      if (!listedAsSigned(item, mandate.body)) fail('context_mismatch', 'the list says other than the signed mandate');
      const g = mandate.body.grantee;
      if (g.type === 'person' && (g.key !== session.keys.publicKey || g.recipient !== session.keys.recipient))
        fail('grantee_key_mismatch', 'a mandate to someone else');
      checkMandateInForce(mandate.body, instance.now, []);
      mandates.push({ item, mandate, ownerWords: fingerprintWords(fingerprint(item.owner_key)) });
    } catch (e) {
      refused.push({ item, code: e instanceof Error && 'code' in e ? String(e.code) : 'malformed' });
    }
  });
  return { mandates, refused };
}

/** The last counter this key used with each coffre (this device; memory on a shared computer). */
const memoryCounters = new Map<string, number>();
const counterKey = (key: string, coffre: string) => `coffre:receipt-counter:${key}:${coffre}`;

function lastCounter(session: Unlocked, coffre: string): number {
  const k = counterKey(session.keys.publicKey, coffre);
  const raw = session.shared ? memoryCounters.get(k) : Number(localStorage.getItem(k) ?? 0);
  return Number.isSafeInteger(raw) && (raw ?? 0) > 0 ? (raw as number) : 0;
}

function setCounter(session: Unlocked, coffre: string, n: number): void {
  const k = counterKey(session.keys.publicKey, coffre);
  if (session.shared) memoryCounters.set(k, n);
  else localStorage.setItem(k, String(n));
}

/**
 * One access: signs the receipt with the next counter and sends it. A used counter (`409`,
 * another device of this key went first) is taken from the server's answer and tried again.
 */
export async function access(
  session: Unlocked,
  r: ReceivedMandate,
  action: 'unwrap_key' | 'list' | 'download',
  paper: string,
  m: MandatesApi = mandatesApi,
): Promise<AccessAnswer> {
  const body = r.mandate.body;
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const { now } = await api.instance();
    const counter = lastCounter(session, body.coffre) + 1;
    const receipt = signAccessReceipt(session.keys.signing, {
      instance: body.instance,
      coffre: body.coffre,
      epoch: body.epoch,
      mandate: body.mandate,
      paper,
      action,
      counter,
      created: now,
    });
    try {
      const answer = await m.access(body.mandate, b64encode(receipt));
      setCounter(session, body.coffre, answer.counter);
      return answer;
    } catch (e) {
      last = e;
      if (!(e instanceof ApiError && e.status === 409)) throw e;
      const next = /the next is (\d+)/.exec(e.message)?.[1];
      setCounter(session, body.coffre, next ? Number(next) - 1 : counter);
    }
  }
  throw last;
}

/** The identities this account opens category keys with: its own, or its organisation's key. */
export async function granteeIdentities(session: Unlocked, r: ReceivedMandate, generation?: number): Promise<string[]> {
  const g = r.mandate.body.grantee;
  if (g.type === 'person') return [session.keys.identity];
  const { info, state } = await verifiedOrganisation(session, g.id);
  if (state.root !== g.key) fail('root_mismatch', 'the organisation has another root');
  const out: string[] = [];
  for (const w of info.wraps) {
    if (generation !== undefined && w.generation !== generation) continue;
    const cert = info.keys.find((k) => k.generation === w.generation);
    if (!cert) continue;
    const body = verifyOrgKey(b64decode(cert.cert), g.key, { instance: session.instance, organisation: g.id }).body;
    out.push((await unwrapOrgKey(b64decode(w.wrap), [session.keys.identity], body)).identity);
  }
  return out;
}

export interface GrantedCategory {
  /** By generation: the key and its verified certificate. */
  keys: Map<number, { key: CategoryKey; cert: Uint8Array }>;
}

/** `unwrap_key`: the category's keys given to this mandate, certificates verified, keys checked. */
export async function categoryKeys(session: Unlocked, r: ReceivedMandate, category: string): Promise<GrantedCategory> {
  const answer = await access(session, r, 'unwrap_key', category);
  const body = r.mandate.body;
  const identities = await granteeIdentities(session, r);
  const keys = new Map<number, { key: CategoryKey; cert: Uint8Array }>();
  for (const k of answer.keys) {
    const cert = b64decode(k.cert);
    const ctx = { instance: body.instance, coffre: body.coffre, epoch: body.epoch };
    const certBody = verifyCertStatement(cert, r.item.owner_key, ctx, category).body;
    if (certBody.generation !== k.generation) fail('context_mismatch', 'generation');
    keys.set(k.generation, { key: await unwrapCategoryKey(b64decode(k.wrap), identities, certBody), cert });
  }
  return { keys };
}

export interface GrantedPaperMeta {
  paper: string;
  meta: PaperMeta;
  generation: number;
}

/**
 * Who may have uploaded a paper this grantee reads: the owner, or a grantee of this very
 * mandate (the person's key, or any member in the organisation's chain: a colleague's deposit
 * opens too), dated by the server's deposit receipt. Worked out once per listing.
 */
export interface GranteePolicy {
  owner: string;
  mandates: MandateGrant[];
  serverKey: string;
}

export async function granteePolicy(session: Unlocked, r: ReceivedMandate): Promise<GranteePolicy> {
  const [{ signers }, instance] = await Promise.all([granteeSide(session, r.mandate.body), api.instance()]);
  return {
    owner: r.item.owner_key,
    mandates: [{ mandate: r.mandate, keys: signers, ends: [] }],
    serverKey: instance.server_key,
  };
}

function openInput(
  r: ReceivedMandate,
  granted: GrantedCategory,
  policy: GranteePolicy,
  item: { paper: string; statement: string; deposit_receipt?: string },
) {
  const upload = b64decode(item.statement);
  const up = peekBody<Upload>(parseEnvelope(upload).bodyBytes, 'upload');
  const k = granted.keys.get(up.generation);
  if (!k) fail('recipient_mismatch', 'no key for that generation');
  return {
    instance: r.mandate.body.instance,
    coffre: r.mandate.body.coffre,
    epoch: up.epoch,
    paper: item.paper,
    upload,
    // A deposit under this mandate opens with its receipt; one under another mandate (not
    // served to this grantee) stops at `unauthorised_signer` or `not_allowed`.
    depositReceipt: item.deposit_receipt === undefined ? undefined : b64decode(item.deposit_receipt),
    policy,
    cert: k.cert,
    key: k.key,
    generation: up.generation,
  };
}

/** `list`: the category's papers, each opened from its own files (no index for a grantee). */
export async function listPapers(
  session: Unlocked,
  r: ReceivedMandate,
  category: string,
  granted: GrantedCategory,
  m: MandatesApi = mandatesApi,
): Promise<{ papers: GrantedPaperMeta[]; refused: number; deposits: number }> {
  const [answer, policy] = await Promise.all([access(session, r, 'list', category, m), granteePolicy(session, r)]);
  const papers: GrantedPaperMeta[] = [];
  let refused = 0;
  // Deposits under another mandate of this coffre: that mandate is not served to this
  // grantee, so they are counted apart (mandates-server.md), not as a fault.
  let deposits = 0;
  for (const p of answer.papers) {
    try {
      const input = openInput(r, granted, policy, p);
      const opened = await openPaperMeta({ ...input, meta: b64decode(p.meta) });
      papers.push({ paper: p.paper, meta: opened.meta, generation: input.generation });
    } catch (e) {
      const deposit = peekBody<Upload>(parseEnvelope(b64decode(p.statement)).bodyBytes, 'upload').mandate;
      const elsewhere = deposit !== undefined && deposit !== r.mandate.body.mandate;
      if (elsewhere && e instanceof CoffreCryptoError) deposits++;
      else refused++;
    }
  }
  papers.sort((a, b) => a.meta.title.localeCompare(b.meta.title));
  return { papers, refused, deposits };
}

export interface OpenedGranted {
  meta: PaperMeta;
  plaintext: Uint8Array;
  pages: ContentPage[];
}

/** `download`: the receipt, then the content once, opened after every check (`openPaper`). */
export async function openGranted(
  session: Unlocked,
  r: ReceivedMandate,
  paper: string,
  granted: GrantedCategory,
  m: MandatesApi = mandatesApi,
): Promise<OpenedGranted> {
  const answer = await access(session, r, 'download', paper, m);
  const item = answer.papers.find((p) => p.paper === paper);
  if (!item) throw new ApiError(404, 'not_found', 'no such paper');
  const [content, policy] = await Promise.all([
    m.content(r.mandate.body.mandate, paper, answer.counter),
    granteePolicy(session, r),
  ]);
  const input = openInput(r, granted, policy, item);
  const opened = await openPaper({ ...input, meta: b64decode(item.meta), content });
  return { meta: opened.meta, plaintext: opened.plaintext, pages: unpackPages(opened.plaintext, opened.meta.mime) };
}

/** The grantee gives the mandate up. */
export async function renounce(session: Unlocked, r: ReceivedMandate, m: MandatesApi = mandatesApi): Promise<void> {
  const { now } = await api.instance();
  const b = r.mandate.body;
  const statement = signRenunciation(session.keys.signing, {
    instance: b.instance,
    coffre: b.coffre,
    epoch: b.epoch,
    mandate: b.mandate,
    created: now,
  });
  await m.renounce(b.mandate, b64encode(statement));
}

/** What an aidant calls a person: a note kept in this browser only (nothing on a shared computer). */
const noteKey = (me: string, owner: string) => `coffre:person-note:${me}:${owner}`;
export function personNote(session: Unlocked, ownerKey: string): string {
  if (session.shared) return '';
  return localStorage.getItem(noteKey(session.keys.publicKey, ownerKey)) ?? '';
}
export function setPersonNote(session: Unlocked, ownerKey: string, note: string): void {
  if (session.shared) return;
  const k = noteKey(session.keys.publicKey, ownerKey);
  if (note.trim()) localStorage.setItem(k, note.trim().slice(0, 60));
  else localStorage.removeItem(k);
}
