// The revocations this device made, kept so that a restore from an older backup cannot bring
// a stopped mandate back (issue 14: "owners' clients re-upload revocations the restore
// lost"). A restore puts back the server's database as it was at the backup, with a
// server-signed `restored` line in the journal; a mandate revoked after that backup is then in
// force again on the server, and its grantee could read again. The owner's device that
// revoked it remembers the mandate (its id only: it is the owner's own, and the server knows
// it), and at the next unlock revokes it again with a new revocation dated now, its own
// `mandate_revoked` line in the journal. Nothing is kept on a shared computer: there, a
// restore's lost revocation waits for one of the owner's own devices (docs/design/backup.md).
import type { Unlocked } from '../session';
import { type MandateItem, type MandatesApi, mandatesApi } from './api';

/** Where a device keeps the ids of the mandates it revoked, per coffre. */
export interface RevocationStore {
  get(coffre: string): string[];
  set(coffre: string, mandates: string[]): void;
}

/** At most this many ids per coffre (the newest kept): a coffre gives a handful of mandates. */
export const REMEMBERED_REVOCATIONS = 200;

const key = (coffre: string) => `coffre-revoked:${coffre}`;

export const localRevocations: RevocationStore = {
  get(coffre) {
    try {
      const raw = JSON.parse(localStorage.getItem(key(coffre)) ?? '[]') as unknown;
      return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  },
  set(coffre, mandates) {
    try {
      localStorage.setItem(key(coffre), JSON.stringify(mandates));
    } catch {
      // A full storage: this device cannot remember it; the journal still says it.
    }
  },
};

const storeFor = (session: Unlocked, store?: RevocationStore): RevocationStore | undefined =>
  store ?? (session.shared ? undefined : localRevocations);

/** Remembers that this device revoked `mandate` (not on a shared computer). */
export function rememberRevocation(session: Unlocked, mandate: string, store?: RevocationStore): void {
  const s = storeFor(session, store);
  if (!s) return;
  const ids = s.get(session.coffre).filter((id) => id !== mandate);
  ids.push(mandate);
  s.set(session.coffre, ids.slice(-REMEMBERED_REVOCATIONS));
}

/** The mandates stopped again during each unlocked session (« Mes mandats » says which). */
const stoppedAgainIn = new WeakMap<Unlocked, MandateItem[]>();

/** The mandates this session stopped again because the server had forgotten their revocation. */
export function stoppedAgain(session: Unlocked): readonly MandateItem[] {
  return stoppedAgainIn.get(session) ?? [];
}

/** A state in which a mandate this device revoked must not be: the server forgot the revocation. */
export const runsAgain = (item: MandateItem) => item.state === 'in_force' || item.state === 'upcoming';

/** The pass running for each session: the home and « Mes mandats » may both start one. */
const passes = new WeakMap<Unlocked, Promise<MandateItem[]>>();

interface Options {
  m?: Pick<MandatesApi, 'list'>;
  store?: RevocationStore;
  /** A listed mandate not to stop again (the journal still holds its end: the list lies). */
  skip?: (item: MandateItem) => boolean;
}

/**
 * Revokes again each mandate this device revoked that the server lists as running (in force
 * or upcoming): what a restore from an older backup does. Returns those mandates, revoked
 * again. `revoke` signs and sends a new revocation (owner.ts `revokeMandate`). One pass at a
 * time per session: a second call waits for the running one, then lists again, so that a
 * mandate is never revoked twice and the caller's list is read after the first pass's revocations.
 */
export function revokeAgainWhatARestoreLost(
  session: Unlocked,
  revoke: (mandate: string) => Promise<void>,
  options: Options = {},
): Promise<MandateItem[]> {
  const previous = passes.get(session);
  const pass = (previous ?? Promise.resolve([])).catch(() => []).then(() => onePass(session, revoke, options));
  passes.set(session, pass);
  return pass;
}

async function onePass(
  session: Unlocked,
  revoke: (mandate: string) => Promise<void>,
  { m = mandatesApi, store, skip = () => false }: Options,
): Promise<MandateItem[]> {
  const s = storeFor(session, store);
  const remembered = new Set(s?.get(session.coffre) ?? []);
  if (remembered.size === 0) return [];
  const { given } = await m.list();
  const lost = given.filter((item) => remembered.has(item.mandate) && runsAgain(item) && !skip(item));
  for (const item of lost) {
    await revoke(item.mandate);
    stoppedAgainIn.set(session, [...stoppedAgain(session), item]);
  }
  return lost;
}
