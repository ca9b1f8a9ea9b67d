// Mandates and their life (spec section 8): mandate, revocation, renunciation, access
// receipts with their gap-free counter.
import { bytesEqual } from './encoding';
import { fail } from './errors';
import { fingerprint, type SigningKey } from './keys';
import type { OrgState } from './organisation';
import {
  type Context,
  expectContext,
  requireContext,
  type StatementInput,
  signStatement,
  type Verified,
  verifyStatement,
} from './statement';

export const MAX_MANDATE_SECONDS = 365 * 24 * 3600;

export interface Grantee {
  type: 'organisation' | 'person';
  id: string;
  key: string;
  recipient?: string;
}

export interface Mandate {
  kind: 'mandate';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  mandate: string;
  grantee: Grantee;
  categories: string[];
  rights: 'consult' | 'deposit' | 'consult_deposit';
  not_before: number;
  not_after: number;
  text_sha256: string;
  created: number;
}

export interface Revocation {
  kind: 'revocation';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  mandate: string;
  created: number;
}

export interface Renunciation extends Omit<Revocation, 'kind'> {
  kind: 'renunciation';
  grantee_key: string;
}

export interface AccessReceipt {
  kind: 'access_receipt';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  mandate: string;
  grantee_key: string;
  paper: string;
  action: string;
  counter: number;
  created: number;
}

function checkMandateRules(m: Mandate): void {
  if (m.categories.length === 0) fail('malformed', 'a mandate names at least one category');
  if (m.not_after < m.not_before || m.not_after - m.not_before > MAX_MANDATE_SECONDS) {
    fail('outside_validity', 'window reversed or longer than 365 days');
  }
  if ((m.grantee.type === 'person') !== (m.grantee.recipient !== undefined)) fail('malformed', 'grantee recipient');
}

export function signMandate(owner: SigningKey, m: Omit<Mandate, 'kind' | 'v'>): Uint8Array {
  const body: Mandate = { ...m, kind: 'mandate', v: 1, categories: [...m.categories].sort() };
  checkMandateRules(body);
  return signStatement(body, owner);
}

/** A verified revocation or renunciation of one mandate: how a mandate ends. */
export type MandateEnd = Verified<Revocation> | Verified<Renunciation>;

/**
 * The mandate statement alone: owner signature, full context, rules, and the pinned grantee
 * key when given (`root_mismatch` for an organisation, `grantee_key_mismatch` for a person).
 * It does **not** say the mandate is in force at any time: that is `verifyMandate`. Use it
 * to verify the mandate's revocations and renunciations before calling `verifyMandate`.
 */
export function openMandate(
  envelope: StatementInput<Mandate>,
  ownerKey: string,
  ctx: Context,
  pinnedGranteeKey?: string,
): Verified<Mandate> {
  requireContext(ctx);
  const v = verifyStatement<Mandate>(envelope, 'mandate', ownerKey);
  expectContext(v.body, ctx);
  checkMandateRules(v.body);
  if (pinnedGranteeKey !== undefined && v.body.grantee.key !== pinnedGranteeKey) {
    // An organisation is pinned by its root; a person by their own key.
    fail(v.body.grantee.type === 'organisation' ? 'root_mismatch' : 'grantee_key_mismatch');
  }
  return v;
}

/**
 * `outside_validity` unless the mandate's window contains `at`; `revoked` when one of `ends`
 * (verified revocations and renunciations of this mandate) took effect at or before `at`
 * (its signed `created`).
 */
export function checkMandateInForce(m: Mandate, at: number, ends: readonly MandateEnd[]): void {
  if (!Number.isSafeInteger(at) || !(m.not_before <= at && at <= m.not_after)) {
    fail('outside_validity', `${at} not in [${m.not_before}, ${m.not_after}]`);
  }
  if (!Array.isArray(ends)) fail('malformed', 'the mandate ends (revocations, renunciations) are required');
  for (const e of ends) {
    if (e.body.mandate !== m.mandate || e.body.coffre !== m.coffre || e.body.instance !== m.instance) {
      fail('context_mismatch', 'an end of another mandate');
    }
    if (e.body.created <= at) fail('revoked', `${e.body.kind} at ${e.body.created}`);
  }
}

/**
 * Verifies an owner-signed mandate in force at `at` (hardening 3): signature, full context,
 * rules, window containing `at` (`outside_validity`), and no verified revocation or
 * renunciation in `ends` that took effect at or before `at` (`revoked`).
 */
export function verifyMandate(
  envelope: Uint8Array,
  ownerKey: string,
  ctx: Context,
  at: number,
  ends: readonly MandateEnd[],
  pinnedGranteeKey?: string,
): Verified<Mandate> {
  const v = openMandate(envelope, ownerKey, ctx, pinnedGranteeKey);
  checkMandateInForce(v.body, at, ends);
  return v;
}

/** A person grantee must match the fingerprint pinned face to face (key and recipient). */
export function checkPersonGrantee(m: Mandate, pinned: Uint8Array): string {
  const r = m.grantee.recipient;
  if (m.grantee.type !== 'person' || r === undefined || !bytesEqual(fingerprint(m.grantee.key, r), pinned)) {
    fail('grantee_key_mismatch');
  }
  return r;
}

/** An organisation grantee must be the root whose fingerprint was pinned face to face. */
export function checkOrganisationRoot(m: Mandate, pinnedRoot: Uint8Array): void {
  if (m.grantee.type !== 'organisation' || !bytesEqual(fingerprint(m.grantee.key), pinnedRoot)) fail('root_mismatch');
}

export function signRevocation(owner: SigningKey, r: Omit<Revocation, 'kind' | 'v'>): Uint8Array {
  return signStatement({ ...r, kind: 'revocation', v: 1 }, owner);
}

/** A revocation of `mandate` (verified with `openMandate`), signed by the owner. */
export function verifyRevocation(envelope: Uint8Array, ownerKey: string, mandate: Mandate): Verified<Revocation> {
  const v = verifyStatement<Revocation>(envelope, 'revocation', ownerKey);
  expectContext(v.body, mandate);
  if (v.body.mandate !== mandate.mandate) fail('context_mismatch', 'mandate');
  return v;
}

export function signRenunciation(grantee: SigningKey, r: Omit<Renunciation, 'kind' | 'v' | 'grantee_key'>): Uint8Array {
  return signStatement({ ...r, kind: 'renunciation', v: 1, grantee_key: grantee.publicB64 }, grantee);
}

/**
 * A renunciation is signed by the person grantee, or by a current member of the grantee
 * organisation (its chain verified against the mandate's pinned root).
 */
export function verifyRenunciation(envelope: Uint8Array, mandate: Mandate, org?: OrgState): Verified<Renunciation> {
  let allowed: string[];
  if (mandate.grantee.type === 'person') allowed = [mandate.grantee.key];
  else {
    if (!org || org.root !== mandate.grantee.key) fail('root_mismatch', 'organisation chain of another root');
    allowed = [...org.members.keys()];
  }
  const v = verifyStatement<Renunciation>(envelope, 'renunciation', allowed);
  if (v.body.grantee_key !== v.signers[0]) fail('unauthorised_signer', 'grantee_key is not the signer');
  expectContext(v.body, mandate);
  if (v.body.mandate !== mandate.mandate) fail('context_mismatch', 'mandate');
  return v;
}

export function signAccessReceipt(
  grantee: SigningKey,
  r: Omit<AccessReceipt, 'kind' | 'v' | 'grantee_key'>,
): Uint8Array {
  return signStatement({ ...r, kind: 'access_receipt', v: 1, grantee_key: grantee.publicB64 }, grantee);
}

/**
 * Checks the counters of verified receipts of one coffre, like the Rust crate's
 * `check_receipt_counters`: per grantee key, `1, 2, 3, …` continuing from `lastSeen` (0 when
 * absent), no gap and no repeat (`counter_gap`). Receipts of several grantee keys may be
 * interleaved. Returns the last counter per grantee key.
 */
export function checkReceiptCounters(
  receipts: readonly Pick<AccessReceipt, 'grantee_key' | 'counter'>[],
  lastSeen: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const state = new Map(lastSeen);
  for (const r of receipts) {
    const expected = (state.get(r.grantee_key) ?? 0) + 1;
    if (r.counter !== expected) fail('counter_gap', `${r.grantee_key}: expected ${expected}, got ${r.counter}`);
    state.set(r.grantee_key, r.counter);
  }
  return state;
}

/**
 * Verifies access receipts of one coffre under one verified mandate, in order, possibly from
 * several grantee keys (`allowed`): each signed by its `grantee_key`, which must be allowed
 * (`unauthorised_signer`); full context; the receipt's `mandate` is this one
 * (`context_mismatch`); its `created` within the mandate's window (`outside_validity`) and
 * before any of `ends` (`revoked`); counters per (grantee key, coffre) 1, 2, 3, … (or following
 * `after`, the last counter already seen per key; a number applies to every key) with no gap.
 */
export function verifyAccessReceipts(
  envelopes: readonly Uint8Array[],
  allowed: string | readonly string[],
  ctx: Context,
  mandate: Verified<Mandate>,
  ends: readonly MandateEnd[],
  after?: number | ReadonlyMap<string, number>,
): Verified<AccessReceipt>[] {
  requireContext(ctx);
  const m = mandate.body;
  expectContext(m, ctx);
  const keys = typeof allowed === 'string' ? [allowed] : allowed;
  const last = typeof after === 'number' ? new Map(keys.map((k) => [k, after])) : (after ?? new Map<string, number>());
  const out = envelopes.map((bytes) => {
    const v = verifyStatement<AccessReceipt>(bytes, 'access_receipt', keys);
    if (v.body.grantee_key !== v.signers[0]) fail('unauthorised_signer', 'grantee_key is not the signer');
    expectContext(v.body, ctx);
    if (v.body.mandate !== m.mandate) fail('context_mismatch', 'receipt of another mandate');
    checkMandateInForce(m, v.body.created, ends);
    return v;
  });
  checkReceiptCounters(
    out.map((v) => v.body),
    last,
  );
  return out;
}
