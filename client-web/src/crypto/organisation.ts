// Organisations (spec section 7): the member chain, organisation keys, owner-key pins.
import { b64encode, JOURNAL_PAGE_CAP } from './encoding';
import { fail } from './errors';
import { recipientOf, type SigningKey } from './keys';
import { openPayload, sealPayload } from './payload';
import { expectContext, openStatement, signStatement, verifyStatement, ZERO_HASH_B64, type Verified } from './statement';
import type { AgeIdentity } from './ageio';

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
  action: 'found' | 'add_member' | 'remove_member';
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
  organisation: string;
  root: string;
  members: Map<string, Member>;
  seq: number;
  /** statement_hash of the last entry (b64). */
  head: string;
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
 * Verifies a whole chain from seq 0 against the pinned root. Seq 0 (`found`) is signed by the
 * root alone and names a responsable; later entries by current responsables (two distinct
 * once there are two or more).
 */
export function verifyOrgChain(
  rootKey: string,
  entries: readonly Uint8Array[],
  ctx: { instance?: string; organisation?: string } = {},
): OrgState {
  if (entries.length === 0) fail('bad_chain', 'empty organisation chain');
  let state: OrgState | undefined;
  if (entries.length > JOURNAL_PAGE_CAP) fail('too_large', `${entries.length} entries`);
  let instance = ctx.instance;
  entries.forEach((bytes, i) => {
    if (i === 0) {
      const v = verifyStatement<OrgChainEntry>(bytes, 'org_chain', rootKey);
      const e = v.body;
      if (e.seq !== 0) fail('seq_gap', `expected 0, got ${e.seq}`);
      if (e.prev !== ZERO_HASH_B64) fail('broken_link', 'seq 0 prev must be zero');
      if ((ctx.organisation ?? e.organisation) !== e.organisation) fail('context_mismatch', 'organisation');
      if ((instance ?? e.instance) !== e.instance) fail('context_mismatch', 'instance');
      instance = e.instance;
      if (e.action !== 'found' || e.member.role !== 'responsable') fail('bad_chain', 'seq 0 must found with a responsable');
      state = {
        organisation: e.organisation,
        root: rootKey,
        members: new Map([[e.member.key, e.member]]),
        seq: 0,
        head: b64encode(v.hash),
      };
      return;
    }
    const s = state!;
    const v: Verified<OrgChainEntry> = openStatement<OrgChainEntry>(bytes, 'org_chain');
    const e = v.body;
    if (e.organisation !== s.organisation || e.instance !== instance) fail('context_mismatch', 'organisation');
    if (e.seq !== s.seq + 1) fail('seq_gap', `expected ${s.seq + 1}, got ${e.seq}`);
    if (e.prev !== s.head) fail('broken_link', `seq ${e.seq}`);
    const current = responsables(s);
    for (const k of v.signers) {
      if (!current.includes(k)) fail('not_a_responsable', k);
    }
    if (v.signers.length < requiredSignatures(s)) fail('too_few_signatures', `seq ${e.seq}`);
    if (e.action === 'found') fail('bad_chain', 'found after seq 0');
    if (e.action === 'add_member') {
      if (s.members.has(e.member.key)) fail('bad_chain', 'already a member');
      s.members.set(e.member.key, e.member);
    } else {
      const m = s.members.get(e.member.key);
      if (!m || m.role !== e.member.role || m.recipient !== e.member.recipient) fail('bad_chain', 'not a member');
      s.members.delete(e.member.key);
      if (responsables(s).length === 0) fail('bad_chain', 'last responsable removed');
    }
    s.seq = e.seq;
    s.head = b64encode(v.hash);
  });
  return state!;
}

export function signOrgKey(root: SigningKey, cert: Omit<OrgKeyCert, 'kind' | 'v'>): Uint8Array {
  return signStatement({ ...cert, kind: 'org_key', v: 1 }, root);
}

export function verifyOrgKey(envelope: Uint8Array, rootKey: string, ctx: { instance?: string; organisation?: string } = {}): Verified<OrgKeyCert> {
  const v = verifyStatement<OrgKeyCert>(envelope, 'org_key', rootKey);
  if (ctx.instance !== undefined && v.body.instance !== ctx.instance) fail('context_mismatch', 'instance');
  if (ctx.organisation !== undefined && v.body.organisation !== ctx.organisation) fail('context_mismatch', 'organisation');
  return v;
}

export interface OrgKeyWrap {
  kind: 'org_key_wrap';
  v: 1;
  organisation: string;
  generation: number;
  identity: string;
}

export function wrapOrgKey(w: Omit<OrgKeyWrap, 'kind' | 'v'>, memberRecipients: readonly string[]): Promise<Uint8Array> {
  return sealPayload('org_key_wrap', { ...w, kind: 'org_key_wrap', v: 1 }, memberRecipients);
}

/** Unwraps the organisation key and checks it against its root-certified recipient. */
export async function unwrapOrgKey(file: Uint8Array, identities: readonly AgeIdentity[], cert: OrgKeyCert): Promise<OrgKeyWrap> {
  const w = await openPayload<OrgKeyWrap>('org_key_wrap', file, identities);
  if (recipientOf(w.identity) !== cert.recipient || w.organisation !== cert.organisation || w.generation !== cert.generation) {
    fail('recipient_mismatch');
  }
  return w;
}

export function signOwnerPin(aidant: SigningKey, pin: Omit<OwnerPin, 'kind' | 'v'>): Uint8Array {
  return signStatement({ ...pin, kind: 'owner_pin', v: 1 }, aidant);
}

/** An owner-key pin counts only if signed by a current member of the verified chain. */
export function verifyOwnerPin(envelope: Uint8Array, org: OrgState, ctx: { instance?: string; coffre?: string } = {}): Verified<OwnerPin> {
  const v = verifyStatement<OwnerPin>(envelope, 'owner_pin', [...org.members.keys()]);
  expectContext(v.body, ctx);
  if (v.body.organisation !== org.organisation) fail('context_mismatch', 'organisation');
  return v;
}
