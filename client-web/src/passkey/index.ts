// Passkeys (docs/design/accounts.md, "Passkeys"; protocol.md 4.1): adding one on the
// person's own device, and signing in *and* unlocking with one `get()` through PRF.
//
// The PRF output becomes the X25519 identity that opens the seed's passkey wrap; it never
// leaves this tab: `stripPrfResults` removes it from what is posted. @simplewebauthn/browser
// (lazy-loaded: only these two flows need it) does the base64url ↔ ArrayBuffer glue around
// `navigator.credentials`; the server (webauthn-rs) verifies everything.
//
// Never on a shared computer: that mode never calls `create()` (the page hides the button,
// and the server refuses the ceremony).

import { api, type Device, type PasskeyInfo, type SessionInfo } from '../api';
import { b64decode, b64encode } from '../crypto/encoding';
import { recipientOf } from '../crypto/keys';
import {
  ownerSeedPayload,
  PRF_SALT,
  passkeyIdentity,
  prfGetExtension,
  stripPrfResults,
  unwrapSeed,
  wrapSeed,
} from '../crypto/unlock';
import { appendOwnerEntry } from '../journal';
import { type RememberedHere, rememberedProof } from '../remembered';
import type { Unlocked } from '../session';
import { deviceLabel } from '../session/device';

/** Whether this browser can make and use passkeys at all. */
export function passkeysAvailable(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';
}

const library = () => import('@simplewebauthn/browser');

/** The PRF output in `clientExtensionResults`, or undefined (no PRF on this authenticator). */
function prfOf(results: unknown): Uint8Array | undefined {
  const first = (results as { prf?: { results?: { first?: BufferSource } } } | undefined)?.prf?.results?.first;
  if (!first) return undefined;
  const bytes = ArrayBuffer.isView(first)
    ? new Uint8Array(first.buffer.slice(first.byteOffset, first.byteOffset + first.byteLength))
    : new Uint8Array(first.slice(0));
  return bytes.length === 32 ? bytes : undefined;
}

function prfEnabled(results: unknown): boolean {
  return (results as { prf?: { enabled?: boolean } } | undefined)?.prf?.enabled === true;
}

/** The seed wrapped to the recipient this PRF output gives for `credentialId` (b64). */
async function prfWrap(session: Unlocked, prf: Uint8Array, credentialId: Uint8Array): Promise<string> {
  const identity = passkeyIdentity(prf, credentialId);
  const file = await wrapSeed(ownerSeedPayload(session.coffre, session.epoch, session.seed), recipientOf(identity));
  return b64encode(file);
}

// The options webauthn-rs sends, as far as this module touches them.
interface CreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  authenticatorSelection?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
  [other: string]: unknown;
}

interface RequestOptions {
  challenge: string;
  rpId: string;
  extensions?: Record<string, unknown>;
  [other: string]: unknown;
}

/**
 * Adds a passkey to the open coffre: one `create()` (discoverable, user verification
 * required, PRF asked for); if the authenticator gives PRF but not at creation, one `get()`
 * for that credential to learn it. Then the seed is wrapped to the PRF recipient, and the
 * owner's journal says a key was added. `name`: what the phone shows for this passkey
 * (the person's first name, never sent to the server: only to the authenticator).
 */
export async function addPasskey(session: Unlocked, name?: string): Promise<PasskeyInfo> {
  if (session.shared) throw new Error('never on a shared computer');
  const { startRegistration, startAuthentication } = await library();
  const started = await api.startPasskeyRegistration<CreationOptions>();
  const options = started.options.publicKey;
  const label = name?.trim() ? `Coffre — ${name.trim()}` : 'Coffre';
  const answer = await startRegistration({
    optionsJSON: {
      ...options,
      user: { ...options.user, name: label, displayName: label },
      authenticatorSelection: {
        ...options.authenticatorSelection,
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'required',
      },
      extensions: { ...options.extensions, prf: { eval: { first: PRF_SALT.slice() } } },
    } as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'],
  });
  const credentialId = b64decode(answer.rawId);
  let prf = prfOf(answer.clientExtensionResults);
  if (!prf && prfEnabled(answer.clientExtensionResults)) {
    // PRF exists but was not evaluated at creation: ask it once for this credential.
    const challenge = new Uint8Array(32);
    crypto.getRandomValues(challenge);
    const again = await startAuthentication({
      optionsJSON: {
        challenge: b64encode(challenge),
        rpId: options.rp.id,
        allowCredentials: [{ id: answer.rawId, type: 'public-key' }],
        userVerification: 'required',
        extensions: prfGetExtension(),
      } as unknown as Parameters<typeof startAuthentication>[0]['optionsJSON'],
    });
    prf = prfOf(again.clientExtensionResults);
  }
  let wrap: string | undefined;
  if (prf) {
    try {
      wrap = await prfWrap(session, prf, credentialId);
    } finally {
      prf.fill(0);
    }
  }
  const device = deviceLabel(navigator.userAgent);
  const added = await api.addPasskey({
    ceremony: started.ceremony,
    credential: stripPrfResults(answer),
    ...(wrap ? { wrap } : {}),
    label: device,
  });
  await appendOwnerEntry(session, 'key_added', { factor: 'passkey', device });
  return added;
}

/** What a passkey sign-in gives: the seed opened (`unlocks`), or a session only. */
export interface PasskeySignIn {
  instance: string;
  session: SessionInfo;
  /** The server's half of this remembered device's wrap key, when the device sent its proof. */
  serverHalf?: string;
  /** The seed payload's opener, when the passkey unlocks on this device. */
  open?: () => Promise<import('../crypto/unlock').OwnerSeedPayload>;
}

/**
 * Signs in with a passkey: one `get()` that carries the server's challenge and the PRF
 * salt. With a PRF output and a wrap, `open` opens the seed; without, the passkey has only
 * signed in (the carte or the six words unlock).
 */
export async function signInWithPasskey(device: Device, here: RememberedHere | null = null): Promise<PasskeySignIn> {
  const { startAuthentication } = await library();
  const remembered = here ? await rememberedProof(here) : undefined;
  const [instance, started] = await Promise.all([api.instance(), api.startPasskeySignIn<RequestOptions>()]);
  const options = started.options.publicKey;
  const answer = await startAuthentication({
    optionsJSON: {
      ...options,
      userVerification: 'required',
      extensions: { ...options.extensions, ...prfGetExtension() },
    } as unknown as Parameters<typeof startAuthentication>[0]['optionsJSON'],
  });
  const prf = prfOf(answer.clientExtensionResults);
  let signed: Awaited<ReturnType<typeof api.signInPasskey>>;
  try {
    signed = await api.signInPasskey({
      ceremony: started.ceremony,
      credential: stripPrfResults(answer),
      device,
      ...(remembered ? { remembered } : {}),
    });
  } catch (e) {
    prf?.fill(0);
    throw e;
  }
  const wrap = signed.wrap;
  const serverHalf = signed.server_half ?? undefined;
  if (!prf || !wrap) {
    prf?.fill(0);
    return { instance: instance.origin, session: signed.session, ...(serverHalf ? { serverHalf } : {}) };
  }
  const credentialId = b64decode(answer.rawId);
  return {
    instance: instance.origin,
    session: signed.session,
    open: async () => {
      try {
        return await unwrapSeed(b64decode(wrap), passkeyIdentity(prf, credentialId));
      } finally {
        prf.fill(0);
      }
    },
  };
}
