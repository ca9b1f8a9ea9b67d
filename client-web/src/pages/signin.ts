// Signing in: the server's nonce, signed by the factor's auth key; then the seed, opened here
// from the wrap the server gives back, and checked against the session.
import { api, type SessionInfo, type SignedIn } from '../api';
import { b64decode } from '../crypto/encoding';
import { fail } from '../crypto/errors';
import { OwnerKeys, type SigningKey } from '../crypto/keys';
import { unwrapSeedPassphraseInWorker } from '../crypto/passphrase-rpc';
import {
  carteAuthKey,
  type OwnerSeedPayload,
  Passphrase,
  passphraseAuthKey,
  seedOf,
  signAuthChallenge,
  unwrapSeed,
} from '../crypto/unlock';
import { signInWithPasskey } from '../passkey';
import { openHere, type RememberedHere, signInHere } from '../remembered';
import { openSession } from '../session';
import { deviceLabel } from '../session/device';

/** The scrypt worker (a same-origin module: CSP `worker-src 'self'`). */
export function passphraseWorker(): Worker {
  return new Worker(new URL('../crypto/passphrase.worker.ts', import.meta.url), { type: 'module' });
}

async function challenge(): Promise<{ instance: string; nonce: string }> {
  const [instance, { nonce }] = await Promise.all([api.instance(), api.nonce()]);
  return { instance: instance.origin, nonce };
}

function open(instance: string, session: SessionInfo, payload: OwnerSeedPayload): void {
  if (payload.coffre !== session.coffre || payload.epoch !== session.epoch)
    fail('context_mismatch', 'the seed is not the one of this session');
  const seed = seedOf(payload);
  openSession({
    instance,
    coffre: session.coffre,
    epoch: session.epoch,
    seed,
    keys: OwnerKeys.fromSeed(seed),
    csrf: session.csrf,
    shared: session.shared,
    factor: session.factor,
    ...(session.role ? { role: session.role } : {}),
    ...(session.remembered ? { remembered: true } : {}),
    idleMinutes: session.idle_minutes,
  });
}

const device = (shared: boolean) => ({ label: deviceLabel(navigator.userAgent), shared });

/**
 * Signs in with the carte’s identity and its PIN. `ahead`: the carte’s sign-in key derived
 * ahead (`carteAuthKey(identity)`, while the PIN is typed: it does not depend on it); it is
 * destroyed here either way.
 */
export async function signInWithCarte(
  identity: string,
  pin: string,
  shared: boolean,
  ahead?: SigningKey,
): Promise<void> {
  let authKey: SigningKey | undefined = ahead;
  let instance: string;
  let answer: SignedIn;
  try {
    const asked = await challenge();
    instance = asked.instance;
    const nonce = asked.nonce;
    authKey ??= carteAuthKey(identity);
    answer = await api.signInCarte({
      auth_key: authKey.publicB64,
      nonce,
      signature: signAuthChallenge(authKey, instance, nonce),
      pin,
      device: device(shared),
    });
  } finally {
    authKey?.destroy();
  }
  await opening(() => unwrapSeed(b64decode(answer.wrap), identity), instance, answer.session);
}

/** Opens the seed; if that fails, the server session just made is signed out again. */
async function opening(unwrap: () => Promise<OwnerSeedPayload>, instance: string, session: SessionInfo) {
  try {
    open(instance, session, await unwrap());
  } catch (e) {
    await api.signOut().catch(() => undefined);
    throw e;
  }
}

/** Six words of the list, once normalised (checked before anything is sent). */
export function wordsAreWellFormed(words: string): boolean {
  try {
    Passphrase.parse(words);
    return true;
  } catch {
    return false;
  }
}

export async function signInWithWords(words: string, shared: boolean): Promise<void> {
  const passphrase = Passphrase.parse(words);
  const { instance, nonce } = await challenge();
  const authKey = passphraseAuthKey(passphrase);
  let answer: SignedIn;
  try {
    answer = await api.signInPassphrase({
      auth_key: authKey.publicB64,
      nonce,
      signature: signAuthChallenge(authKey, instance, nonce),
      device: device(shared),
    });
  } finally {
    authKey.destroy();
  }
  const worker = passphraseWorker();
  try {
    await opening(
      () => unwrapSeedPassphraseInWorker(worker, b64decode(answer.wrap), passphrase),
      instance,
      answer.session,
    );
  } finally {
    worker.terminate();
  }
}

/**
 * Signs in with a passkey (one `get()`): `'open'` when its PRF output opened the seed here,
 * `'signed_in'` when the passkey only signed in (no PRF on this device, or no wrap): the carte
 * or the six words then unlock.
 */
export async function signInWithPasskeyHere(
  shared: boolean,
  here: RememberedHere | null = null,
): Promise<'open' | 'signed_in'> {
  const result = await signInWithPasskey(device(shared), shared ? null : here);
  const half = result.serverHalf;
  const open = result.open ?? (here && half ? () => openHere(here, half) : undefined);
  if (!open) return 'signed_in';
  await opening(open, result.instance, result.session);
  return 'open';
}

/** Signs in on this remembered device with the carte's PIN, and opens the seed here. */
export async function signInOnThisDevice(here: RememberedHere, pin: string): Promise<void> {
  const result = await signInHere(here, pin, device(false));
  await opening(result.open, result.instance, result.session);
}
