// The unlocked coffre, in this tab's memory only: never in localStorage, IndexedDB or a
// cookie. A reload, "Fermer" or the inactivity lock forgets it.
import { signal } from '@preact/signals';
import { api } from '../api';
import type { OwnerKeys } from '../crypto/keys';

export interface Unlocked {
  /** The instance origin: the `instance` of every statement. */
  instance: string;
  coffre: string;
  epoch: number;
  seed: Uint8Array;
  keys: OwnerKeys;
  csrf: string;
  shared: boolean;
  factor: string;
  /** `person`, `professional` or `admin` (what the account is for). */
  role?: string;
  /** Opened by this remembered device with the PIN: it cannot change the coffre's keys. */
  remembered?: boolean;
  /** The instance's idle lifetime for this session (minutes), when the server said it. */
  idleMinutes?: number;
}

export const unlocked = signal<Unlocked | null>(null);

/** Why the coffre was last closed, for the next page to say so. */
export type LockReason = 'lock' | 'idle' | 'signed_out' | 'expired';
export const lastLock = signal<LockReason | null>(null);

export function openSession(session: Unlocked): void {
  if (unlocked.value) forget(unlocked.value);
  api.setCsrf(session.csrf);
  lastLock.value = null;
  unlocked.value = session;
}

function forget(session: Unlocked): void {
  session.keys.destroy();
  session.seed.fill(0);
}

/**
 * Forgets every key of the coffre. The server session, if any, stays until it expires or is
 * signed out; so does the API client's CSRF token for it (not a secret: `GET /api/session`
 * gives it out), so that signing in again from this tab is not refused.
 */
export function lock(reason: LockReason = 'lock'): void {
  const session = unlocked.value;
  if (!session) return;
  unlocked.value = null;
  lastLock.value = reason;
  forget(session);
}

/** Signs this browser out on the server (which clears its cookies), then forgets the keys. */
export async function signOut(): Promise<void> {
  try {
    await api.signOut();
  } finally {
    lock('signed_out');
  }
}
