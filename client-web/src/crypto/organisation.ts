// Organisations (spec section 7): the member chain, organisation keys, owner-key pins.

import { sha256 } from '@noble/hashes/sha2.js';
import type { AgeIdentity } from './ageio';
import { uncheckedKeys } from './ed25519';
import { b64decode, b64encode, JOURNAL_PAGE_CAP } from './encoding';
import { fail } from './errors';
import type { Checkpoint } from './journal';
import { prepareKeyHintWorkers, startKeyHints, worthKeyHintWorkers } from './key-hint-workers';
import { recipientOf, type SigningKey } from './keys';
import { openPayload, sealPayload } from './payload';
import {
  type Context,
  expectContext,
  openStatement,
  type ParsedEnvelope,
  type PeekedStatement,
  parseEnvelope,
  peekParsed,
  preverifyParsed,
  requireContext,
  signStatement,
  statementHash,
  type Verified,
  verifyStatement,
  ZERO_HASH_B64,
} from './statement';

export type Role = 'responsable' | 'aidant';
export interface Member {
  key: string;
  recipient: string;
  role: Role;
}

export interface OrgChainEntry {
  kind: 'org_chain';
  v: 1;
  instance: string;
  organisation: string;
  seq: number;
  prev: string;
  action: 'found' | 'add_member' | 'remove_member' | 'set_role';
  member: Member;
  created: number;
}

export interface OrgKeyCert {
  kind: 'org_key';
  v: 1;
  instance: string;
  organisation: string;
  generation: number;
  recipient: string;
  /** The chain seq at which the root made this key (hardening 5). */
  chain_seq: number;
  created: number;
}

export interface OwnerPin {
  kind: 'owner_pin';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  owner_key: string;
  organisation: string;
  created: number;
}

/** The state of an organisation after its chain verified. */
export interface OrgState {
  instance: string;
  organisation: string;
  root: string;
  members: Map<string, Member>;
  /** The chain's head, `{seq, hash}` of the last entry (b64 statement_hash): the new checkpoint to remember. */
  checkpoint: Checkpoint;
  /** The seq of the newest `remove_member`, if any. */
  lastRemoval?: number;
}

/** Which instance and organisation a chain or an organisation key must be about. */
export interface OrgContext {
  instance: string;
  organisation: string;
}

function requireOrgContext(ctx: OrgContext): void {
  if (!ctx || typeof ctx.instance !== 'string' || typeof ctx.organisation !== 'string') {
    fail('context_mismatch', 'a full context {instance, organisation} is required');
  }
}

export function responsables(state: OrgState): string[] {
  return [...state.members.values()].filter((m) => m.role === 'responsable').map((m) => m.key);
}

/** Signatures an entry appended now needs: 1 with one responsable, 2 once there are two or more. */
export function requiredSignatures(state: OrgState): number {
  return Math.min(2, responsables(state).length);
}

export function signOrgChainEntry(entry: Omit<OrgChainEntry, 'kind' | 'v'>, ...signers: SigningKey[]): Uint8Array {
  return signStatement({ ...entry, kind: 'org_chain', v: 1 }, ...signers);
}

/**
 * What a device remembers of a chain it verified (`rememberOrgChain`, kept beside the
 * checkpoint): its head, a digest of every entry up to it, and the state there. A chain
 * whose first entries are byte for byte those (the digest matches) starts from that state,
 * and only the entries after it are verified: the verdict of the whole chain's verification
 * cannot differ, since the same entries give the same state. The server cannot write it; one
 * that does not match (another chain, a fork) is not used, and the chain is verified whole.
 */
export interface RememberedOrgChain {
  instance: string;
  root: string;
  organisation: string;
  checkpoint: Checkpoint;
  /** b64 SHA-256 of the entries' statement hashes, seq 0 to the checkpoint, one after the other. */
  entries: string;
  members: Member[];
  lastRemoval?: number;
}

/** The entries' statement hashes, and the digest of them one after the other. */
function entriesDigest(entries: readonly Uint8Array[]): { hashes: Uint8Array[]; digest: string } {
  const h = sha256.create();
  const hashes = entries.map((e) => statementHash(e));
  for (const x of hashes) h.update(x);
  return { hashes, digest: b64encode(h.digest()) };
}

/** What to remember of `entries` once `verifyOrgChain` accepted them as `state`. */
export function rememberOrgChain(entries: readonly Uint8Array[], state: OrgState): RememberedOrgChain {
  return {
    instance: state.instance,
    root: state.root,
    organisation: state.organisation,
    checkpoint: { ...state.checkpoint },
    entries: entriesDigest(entries.slice(0, state.checkpoint.seq + 1)).digest,
    members: [...state.members.values()].map((m) => ({ ...m })),
    ...(state.lastRemoval === undefined ? {} : { lastRemoval: state.lastRemoval }),
  };
}

/** A `RememberedOrgChain` read back (from this device's storage), or undefined if it is not one. */
export function rememberedOrgChain(x: unknown): RememberedOrgChain | undefined {
  const r = x as RememberedOrgChain;
  const str = (v: unknown) => typeof v === 'string';
  if (typeof r !== 'object' || r === null || !str(r.instance) || !str(r.root) || !str(r.organisation)) return undefined;
  if (typeof r.checkpoint !== 'object' || r.checkpoint === null) return undefined;
  if (!Number.isSafeInteger(r.checkpoint.seq) || !str(r.checkpoint.hash) || !str(r.entries)) return undefined;
  if (r.lastRemoval !== undefined && !Number.isSafeInteger(r.lastRemoval)) return undefined;
  if (!Array.isArray(r.members)) return undefined;
  for (const m of r.members as unknown[]) {
    const mm = m as Member;
    if (typeof m !== 'object' || m === null || !str(mm.key) || !str(mm.recipient)) return undefined;
    if (mm.role !== 'responsable' && mm.role !== 'aidant') return undefined;
  }
  return r;
}

/** What a remembered chain gives when `entries` begin with its entries: the state there and their hashes. */
interface Known {
  state: OrgState;
  hashes: Uint8Array[];
}

function rememberedState(
  entries: readonly Uint8Array[],
  rootKey: string,
  ctx: OrgContext,
  remembered: RememberedOrgChain | undefined,
): Known | undefined {
  if (!remembered || remembered.root !== rootKey || remembered.organisation !== ctx.organisation) return undefined;
  if (remembered.instance !== ctx.instance) return undefined;
  const { seq } = remembered.checkpoint;
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= entries.length) return undefined;
  const { hashes, digest } = entriesDigest(entries.slice(0, seq + 1));
  if (digest !== remembered.entries) return undefined;
  const state: OrgState = {
    instance: ctx.instance,
    organisation: ctx.organisation,
    root: rootKey,
    members: new Map(remembered.members.map((m) => [m.key, { ...m }])),
    checkpoint: { ...remembered.checkpoint },
  };
  if (remembered.lastRemoval !== undefined) state.lastRemoval = remembered.lastRemoval;
  return { state, hashes };
}

/**
 * `verifyOrgChain` after WebCrypto checked the chain's signatures at once (`preverify`): the
 * same verdict, faster where the browser has WebCrypto Ed25519. Use it wherever a client
 * verifies a chain. With `remembered` (this device's, `rememberOrgChain`), only the entries
 * after it are checked when the chain begins with its entries.
 */
export async function verifyOrgChainPreverified(
  entries: readonly Uint8Array[],
  rootKey: string,
  checkpoint: Checkpoint | null,
  ctx: OrgContext,
  remembered?: RememberedOrgChain,
): Promise<OrgState> {
  if (!Array.isArray(entries) || entries.length > JOURNAL_PAGE_CAP)
    return verifyOrgChain(entries, rootKey, checkpoint, ctx, remembered);
  requireOrgContext(ctx);
  const known = rememberedState(entries, rootKey, ctx, remembered);
  const from = known ? known.state.checkpoint.seq + 1 : 0;
  // Enough new members: the workers make their keys' hints (one multiplication each) while
  // this thread checks the signatures with WebCrypto, then shares what is left of the keys
  // with them; the bodies, whose fields hold those keys, are parsed once every key is
  // hinted or checked (verifier-hardening.md section 10).
  const offload = worthKeyHintWorkers(entries.length - from);
  if (offload) prepareKeyHintWorkers(); // their modules load while this thread parses
  // Each entry parsed once, for WebCrypto's batch and for the verdict; one that does not
  // parse stays bytes, for `verifyOrgChain` to refuse as it would.
  const envelopes: (Uint8Array | ParsedEnvelope)[] = entries.map((bytes, i) => {
    if (i < from) return bytes;
    try {
      return parseEnvelope(bytes);
    } catch {
      return bytes;
    }
  });
  const parsed = envelopes.filter((e): e is ParsedEnvelope => !(e instanceof Uint8Array));
  const keys = offload ? uncheckedKeys(parsed.flatMap(memberKeyOf)) : [];
  const offThread = offload && worthKeyHintWorkers(keys.length) ? startKeyHints(keys) : undefined;
  if (offThread) await offThread.sent;
  await preverifyParsed(parsed);
  if (offThread) await offThread.finish();
  const peeked = envelopes.map((e) => {
    if (e instanceof Uint8Array) return e;
    try {
      return peekParsed<OrgChainEntry>(e, 'org_chain');
    } catch {
      return e.bytes;
    }
  });
  return verifyChainFrom(peeked, rootKey, checkpoint, ctx, known);
}

const bodyText = new TextDecoder();

/**
 * The member key an entry's body names, read loosely (the engine's JSON parser): it only
 * chooses which keys get a hint; the body is parsed strictly for the verdict.
 */
function memberKeyOf(e: ParsedEnvelope): Uint8Array[] {
  try {
    const key = (JSON.parse(bodyText.decode(e.bodyBytes)) as { member?: { key?: unknown } })?.member?.key;
    return typeof key === 'string' ? [b64decode(key, 32)] : [];
  } catch {
    return [];
  }
}

const entryBytes = (e: Uint8Array | PeekedStatement<OrgChainEntry>) => (e instanceof Uint8Array ? e : e.parsed.bytes);

/**
 * Verifies a whole chain from seq 0 against the pinned root. Seq 0 (`found`) is signed by the
 * root alone and names a responsable; later entries by current responsables (two distinct
 * once there are two or more); `set_role` changes a member's role, never to zero
 * responsables. `checkpoint` is the `(seq, hash)` remembered from the last
 * verification (`null` only on first contact): a chain that ends before it is `rollback`, a
 * different entry at its seq is `fork` (hardening 5). `remembered` (see `RememberedOrgChain`)
 * skips the entries it holds when the chain begins with them.
 */
export function verifyOrgChain(
  entries: readonly (Uint8Array | PeekedStatement<OrgChainEntry>)[],
  rootKey: string,
  checkpoint: Checkpoint | null,
  ctx: OrgContext,
  remembered?: RememberedOrgChain,
): OrgState {
  requireOrgContext(ctx);
  let known: Known | undefined;
  try {
    if (Array.isArray(entries) && entries.length <= JOURNAL_PAGE_CAP)
      known = rememberedState(entries.map(entryBytes), rootKey, ctx, remembered);
  } catch {
    known = undefined; // not entries it can hash: verified whole, refused as before
  }
  return verifyChainFrom(entries, rootKey, checkpoint, ctx, known);
}

/** `verifyOrgChain`, from the remembered state when there is one (its entries not verified again). */
function verifyChainFrom(
  entries: readonly (Uint8Array | PeekedStatement<OrgChainEntry>)[],
  rootKey: string,
  checkpoint: Checkpoint | null,
  ctx: OrgContext,
  known: Known | undefined,
): OrgState {
  requireOrgContext(ctx);
  if (
    checkpoint !== null &&
    (typeof checkpoint !== 'object' || !Number.isSafeInteger(checkpoint.seq) || typeof checkpoint.hash !== 'string')
  ) {
    fail('malformed', 'checkpoint');
  }
  if (entries.length === 0) fail('bad_chain', 'empty organisation chain');
  if (entries.length > JOURNAL_PAGE_CAP) fail('too_large', `${entries.length} entries`);
  let s: OrgState;
  let from: number;
  if (known) {
    // The remembered entries passed every check when this device verified them; what is
    // left is the checkpoint's fork check, on their hashes.
    s = known.state;
    from = s.checkpoint.seq + 1;
    const at = checkpoint === null ? undefined : known.hashes[checkpoint.seq];
    if (checkpoint !== null && at !== undefined && b64encode(at) !== checkpoint.hash)
      fail('fork', `seq ${checkpoint.seq}`);
  } else {
    s = genesis(entries[0] as Uint8Array | PeekedStatement<OrgChainEntry>, rootKey, checkpoint, ctx);
    from = 1;
  }
  for (let i = from; i < entries.length; i++) {
    s = appendEntry(s, entries[i] as Uint8Array | PeekedStatement<OrgChainEntry>);
    if (checkpoint?.seq === s.checkpoint.seq && checkpoint.hash !== s.checkpoint.hash)
      fail('fork', `seq ${s.checkpoint.seq}`);
  }
  if (checkpoint !== null && s.checkpoint.seq < checkpoint.seq)
    fail('rollback', `chain ends at ${s.checkpoint.seq}, remembered ${checkpoint.seq}`);
  return s;
}

/** Seq 0: `found`, signed by the root alone, naming a responsable. */
function genesis(
  entry: Uint8Array | PeekedStatement<OrgChainEntry>,
  rootKey: string,
  checkpoint: Checkpoint | null,
  ctx: OrgContext,
): OrgState {
  const v = verifyStatement<OrgChainEntry>(entry, 'org_chain', rootKey);
  const e = v.body;
  if (e.seq !== 0) fail('seq_gap', `expected 0, got ${e.seq}`);
  if (e.prev !== ZERO_HASH_B64) fail('broken_link', 'seq 0 prev must be zero');
  if (ctx.organisation !== e.organisation) fail('context_mismatch', 'organisation');
  if (ctx.instance !== e.instance) fail('context_mismatch', 'instance');
  if (e.action !== 'found' || e.member.role !== 'responsable') fail('bad_chain', 'seq 0 must found with a responsable');
  const head = b64encode(v.hash);
  if (checkpoint?.seq === 0 && checkpoint.hash !== head) fail('fork', 'seq 0');
  return {
    instance: ctx.instance,
    organisation: e.organisation,
    root: rootKey,
    members: new Map([[e.member.key, e.member]]),
    checkpoint: { seq: 0, hash: head },
  };
}

/** `set_role`: the member named exactly as the chain does (key and recipient), another role; never zero responsables. */
function setRole(s: OrgState, named: Member): void {
  const m = s.members.get(named.key);
  if (!m || m.recipient !== named.recipient) fail('bad_chain', 'not a member');
  if (m.role === named.role) fail('bad_chain', 'already in that role');
  s.members.set(named.key, { ...m, role: named.role });
  if (responsables(s).length === 0) fail('bad_chain', 'last responsable removed');
}

/** The next entry: signed by current responsables (enough of them), linked, a valid change. */
function appendEntry(s: OrgState, entry: Uint8Array | PeekedStatement<OrgChainEntry>): OrgState {
  const v: Verified<OrgChainEntry> = openStatement<OrgChainEntry>(entry, 'org_chain');
  const e = v.body;
  if (e.organisation !== s.organisation || e.instance !== s.instance) fail('context_mismatch', 'organisation');
  if (e.seq !== s.checkpoint.seq + 1) fail('seq_gap', `expected ${s.checkpoint.seq + 1}, got ${e.seq}`);
  if (e.prev !== s.checkpoint.hash) fail('broken_link', `seq ${e.seq}`);
  const current = responsables(s);
  for (const k of v.signers) {
    if (!current.includes(k)) fail('not_a_responsable', k);
  }
  if (v.signers.length < requiredSignatures(s)) fail('too_few_signatures', `seq ${e.seq}`);
  if (e.action === 'found') fail('bad_chain', 'found after seq 0');
  if (e.action === 'add_member') {
    if (s.members.has(e.member.key)) fail('bad_chain', 'already a member');
    s.members.set(e.member.key, e.member);
  } else if (e.action === 'set_role') {
    setRole(s, e.member);
  } else {
    const m = s.members.get(e.member.key);
    if (!m || m.role !== e.member.role || m.recipient !== e.member.recipient) fail('bad_chain', 'not a member');
    s.members.delete(e.member.key);
    if (responsables(s).length === 0) fail('bad_chain', 'last responsable removed');
    s.lastRemoval = e.seq;
  }
  s.checkpoint = { seq: e.seq, hash: b64encode(v.hash) };
  return s;
}

export function signOrgKey(root: SigningKey, cert: Omit<OrgKeyCert, 'kind' | 'v'>): Uint8Array {
  return signStatement({ ...cert, kind: 'org_key', v: 1 }, root);
}

export function verifyOrgKey(envelope: Uint8Array, rootKey: string, ctx: OrgContext): Verified<OrgKeyCert> {
  requireOrgContext(ctx);
  const v = verifyStatement<OrgKeyCert>(envelope, 'org_key', rootKey);
  if (v.body.instance !== ctx.instance) fail('context_mismatch', 'instance');
  if (v.body.organisation !== ctx.organisation) fail('context_mismatch', 'organisation');
  return v;
}

/**
 * The organisation key to wrap category keys to (hardening 5): every certificate verified
 * against the root and the organisation, the highest generation chosen. `rollback` when that
 * generation is below `rememberedGeneration` (the highest this client has seen), when its
 * `chain_seq` is before the chain's last removal (a removed member still holds it) or beyond
 * the chain's head (it claims a chain this client was not shown). No certificate, or two for
 * the newest generation, is `bad_chain`; a chain of another organisation or root
 * `context_mismatch`.
 */
export function newestOrgKey(
  certs: readonly Uint8Array[],
  rootKey: string,
  organisation: string,
  chain: OrgState,
  rememberedGeneration?: number,
): Verified<OrgKeyCert> {
  if (chain.root !== rootKey || chain.organisation !== organisation)
    fail('context_mismatch', 'a chain of another organisation or root');
  if (certs.length > JOURNAL_PAGE_CAP) fail('too_large', `${certs.length} certificates`);
  let best: Verified<OrgKeyCert> | undefined;
  let tied = false;
  for (const c of certs) {
    const v = verifyOrgKey(c, rootKey, { instance: chain.instance, organisation });
    if (best && v.body.generation === best.body.generation) tied ||= b64encode(v.hash) !== b64encode(best.hash);
    else if (!best || v.body.generation > best.body.generation) {
      best = v;
      tied = false;
    }
  }
  // Like the Rust crate: no key at all, or two keys for the newest generation, is `bad_chain`.
  if (!best) fail('bad_chain', 'no organisation key');
  if (tied) fail('bad_chain', 'two keys for one generation');
  const k = best.body;
  if (rememberedGeneration !== undefined && k.generation < rememberedGeneration) {
    fail('rollback', `newest generation ${k.generation} below remembered ${rememberedGeneration}`);
  }
  if (chain.lastRemoval !== undefined && k.chain_seq < chain.lastRemoval) {
    fail('rollback', `key made at chain seq ${k.chain_seq}, before the removal at ${chain.lastRemoval}`);
  }
  if (k.chain_seq > chain.checkpoint.seq)
    fail('rollback', `key made at chain seq ${k.chain_seq}, beyond the head ${chain.checkpoint.seq}`);
  return best;
}

export interface OrgKeyWrap {
  kind: 'org_key_wrap';
  v: 1;
  organisation: string;
  generation: number;
  identity: string;
}

export function wrapOrgKey(
  w: Omit<OrgKeyWrap, 'kind' | 'v'>,
  memberRecipients: readonly string[],
): Promise<Uint8Array> {
  return sealPayload('org_key_wrap', { ...w, kind: 'org_key_wrap', v: 1 }, memberRecipients);
}

/** Unwraps the organisation key and checks it against its root-certified recipient. */
export async function unwrapOrgKey(
  file: Uint8Array,
  identities: readonly AgeIdentity[],
  cert: OrgKeyCert,
): Promise<OrgKeyWrap> {
  const w = await openPayload<OrgKeyWrap>('org_key_wrap', file, identities);
  if (
    recipientOf(w.identity) !== cert.recipient ||
    w.organisation !== cert.organisation ||
    w.generation !== cert.generation
  ) {
    fail('recipient_mismatch');
  }
  return w;
}

export function signOwnerPin(aidant: SigningKey, pin: Omit<OwnerPin, 'kind' | 'v'>): Uint8Array {
  return signStatement({ ...pin, kind: 'owner_pin', v: 1 }, aidant);
}

/** An owner-key pin counts only if signed by a current member of the verified chain. */
export function verifyOwnerPin(envelope: Uint8Array, org: OrgState, ctx: Context): Verified<OwnerPin> {
  requireContext(ctx);
  const v = verifyStatement<OwnerPin>(envelope, 'owner_pin', [...org.members.keys()]);
  expectContext(v.body, ctx);
  if (v.body.organisation !== org.organisation) fail('context_mismatch', 'organisation');
  return v;
}
