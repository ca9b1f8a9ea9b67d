// "Se souvenir de ce téléphone" (protocol.md 4.5; docs/design/accounts.md, "Remembered
// devices"), on the person's own device only. This device keeps, in IndexedDB: its half of
// the wrap key, its auth key (a random Ed25519 seed), and the seed wrapped to the identity
// HKDF(device half || server half). The server keeps the other half and gives it back only
// after this device's signed challenge and the carte's PIN. Neither half alone opens the wrap.
//
// Nothing is kept on a shared computer: the page never offers it there, and the server refuses.

import { api, type Device, type SessionInfo } from '../api';
import { b64decode } from '../crypto/encoding';
import { randomBytes, recipientOf, SigningKey } from '../crypto/keys';
import {
  type OwnerSeedPayload,
  ownerSeedPayload,
  rememberedIdentity,
  signAuthChallenge,
  unwrapSeed,
  wrapSeed,
} from '../crypto/unlock';
import { appendOwnerEntry } from '../journal';
import type { Unlocked } from '../session';
import { deviceLabel } from '../session/device';

/** What this device keeps for one coffre. */
export interface RememberedHere {
  coffre: string;
  /** The server's id for this device. */
  id: string;
  epoch: number;
  deviceHalf: Uint8Array;
  authSeed: Uint8Array;
  wrap: Uint8Array;
}

const DB = 'coffre-remembered';
const STORE = 'device';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'coffre' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** The coffre this device remembers, if any (without opening IndexedDB when it never did). */
export async function rememberedHere(): Promise<RememberedHere | null> {
  // Opening the database would create it: ask first whether it exists (a browser that
  // cannot say is treated as remembering nothing, so a shared computer never gets one).
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return null;
  if (!(await indexedDB.databases()).some((d) => d.name === DB)) return null;
  const all = await withStore<RememberedHere[]>('readonly', (s) => s.getAll() as IDBRequest<RememberedHere[]>);
  return all[0] ?? null;
}

/** Forgets what this device keeps, its papers' offline copies too (only here; the server side is `forgetDevice`). */
export async function forgetHere(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await import('../offline/copies').then((m) => m.forgetCopies()).catch(() => undefined);
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(DB);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

/** Remembers this device for the open coffre; the owner's journal says a key was added. */
export async function rememberThisDevice(session: Unlocked): Promise<void> {
  if (session.shared) throw new Error('never on a shared computer');
  const deviceHalf = randomBytes(32);
  const authSeed = randomBytes(32);
  const authKey = new SigningKey(authSeed);
  const label = deviceLabel(navigator.userAgent);
  let serverHalf: Uint8Array | undefined;
  try {
    const [{ nonce }, instance] = await Promise.all([api.nonce(), api.instance()]);
    const answer = await api.remember({
      auth_key: authKey.publicB64,
      nonce,
      signature: signAuthChallenge(authKey, instance.origin, nonce),
      label,
    });
    serverHalf = b64decode(answer.server_half, 32);
    const identity = rememberedIdentity(deviceHalf, serverHalf);
    const wrap = await wrapSeed(ownerSeedPayload(session.coffre, session.epoch, session.seed), recipientOf(identity));
    const record: RememberedHere = {
      coffre: session.coffre,
      id: answer.id,
      epoch: session.epoch,
      deviceHalf,
      authSeed,
      wrap,
    };
    await withStore('readwrite', (s) => s.put(record));
    // Ask the browser not to evict it under storage pressure (it may say no).
    await navigator.storage?.persist?.().catch(() => false);
  } finally {
    serverHalf?.fill(0);
    authKey.destroy();
  }
  await appendOwnerEntry(session, 'key_added', { factor: 'device', device: label });
}

/** Forgets one of the coffre's devices on the server (and here, if it is this one). */
export async function forgetDevice(session: Unlocked, id: string, label: string): Promise<void> {
  await api.forgetDevice(id);
  const here = await rememberedHere();
  if (here?.id === id) await forgetHere();
  await appendOwnerEntry(session, 'key_removed', { factor: 'device', device: label });
}

/** The proof this device adds to a passkey sign-in, so the answer gives the server's half. */
export async function rememberedProof(
  here: RememberedHere,
): Promise<{ auth_key: string; nonce: string; signature: string }> {
  const [{ nonce }, instance] = await Promise.all([api.nonce(), api.instance()]);
  const key = new SigningKey(here.authSeed);
  try {
    return { auth_key: key.publicB64, nonce, signature: signAuthChallenge(key, instance.origin, nonce) };
  } finally {
    key.destroy();
  }
}

/** Opens the wrap this device keeps with the server's half. */
export function openHere(here: RememberedHere, serverHalfB64: string): Promise<OwnerSeedPayload> {
  const serverHalf = b64decode(serverHalfB64, 32);
  try {
    return unwrapSeed(here.wrap, rememberedIdentity(here.deviceHalf, serverHalf));
  } finally {
    serverHalf.fill(0);
  }
}

/**
 * Signs in on this remembered device with the carte's PIN: the device's signed challenge,
 * then the server's half. A `410 device_forgotten` (the phone was declared stolen, or a new
 * carte was made) forgets what this device keeps before it is thrown.
 */
export async function signInHere(
  here: RememberedHere,
  pin: string,
  device: Device,
): Promise<{ instance: string; session: SessionInfo; open: () => Promise<OwnerSeedPayload> }> {
  const proof = await rememberedProof(here);
  const instance = await api.instance();
  try {
    const answer = await api.signInRemembered({ ...proof, pin, device });
    return { instance: instance.origin, session: answer.session, open: () => openHere(here, answer.server_half) };
  } catch (e) {
    if ((e as { status?: number }).status === 410) await forgetHere();
    throw e;
  }
}
