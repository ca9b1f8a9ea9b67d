// Signing in with the carte (src/pages/signin.ts) against a mocked host: the sign-in key the
// unlock screen derives while the PIN is typed (`ahead`) is the one that answers the host's
// nonce, and it is destroyed afterwards, whether the host opens the session or refuses the PIN.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeCoffre } from '../../src/coffre/create';
import { b64decode, b64encode } from '../../src/crypto/encoding';
import { type SigningKey, verifyEd25519 } from '../../src/crypto/keys';
import { authChallengeMessage, carteAuthKey } from '../../src/crypto/unlock';
import { signInWithCarte } from '../../src/pages/signin';
import { lock, unlocked } from '../../src/session';

const INSTANCE = 'https://coffre.example.org';
const NONCE = b64encode(new Uint8Array(32).fill(7));
const PROBE = new TextEncoder().encode('probe');

/** The key can still sign: its signature verifies with its public key. */
const alive = (key: SigningKey) => verifyEd25519(key.publicKey, PROBE, key.sign(PROBE));

let made: Awaited<ReturnType<typeof makeCoffre>>;
let answers: { status: number; body: unknown };
let signedIn: { auth_key: string; signature: string; pin: string }[];

beforeEach(async () => {
  made ??= await makeCoffre(INSTANCE);
  signedIn = [];
  vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile' });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const path = new URL(url, 'http://x').pathname;
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    if (path === '/api/instance') return json(200, { origin: INSTANCE, now: 1_790_000_000 });
    if (path === '/api/auth/nonce') return json(200, { nonce: NONCE });
    if (path === '/api/sessions/carte') {
      signedIn.push(JSON.parse(init.body as string));
      return json(answers.status, answers.body);
    }
    if (path === '/api/sessions/current') return new Response(null, { status: 204 });
    return json(404, { code: 'not_found', message: path });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  if (unlocked.value) lock('lock');
});

describe('signing in with the carte', () => {
  it('answers with the key derived ahead, then destroys it', async () => {
    answers = {
      status: 200,
      body: {
        wrap: b64encode(made.carteWrap),
        session: {
          coffre: made.coffre,
          epoch: 0,
          csrf: 'c',
          factor: 'carte',
          shared: false,
          expires: 0,
          idle_expires: 0,
        },
      },
    };
    const ahead = carteAuthKey(made.carte.identity);
    expect(alive(ahead)).toBe(true);
    await signInWithCarte(made.carte.identity, '40417386', false, ahead);
    expect(signedIn).toHaveLength(1);
    const sent = signedIn[0] as (typeof signedIn)[number];
    expect(sent.auth_key).toBe(ahead.publicB64);
    expect(
      verifyEd25519(
        ahead.publicKey,
        authChallengeMessage(INSTANCE, sent.auth_key, NONCE),
        b64decode(sent.signature, 64),
      ),
    ).toBe(true);
    expect(alive(ahead)).toBe(false);
    expect(unlocked.value?.coffre).toBe(made.coffre);
  });

  it('destroys the key derived ahead when the host refuses the PIN, and derives its own otherwise', async () => {
    answers = { status: 401, body: { code: 'unauthorised', message: 'wrong PIN' } };
    const ahead = carteAuthKey(made.carte.identity);
    await expect(signInWithCarte(made.carte.identity, '11111111', false, ahead)).rejects.toMatchObject({
      status: 401,
    });
    expect(alive(ahead)).toBe(false);
    expect(unlocked.value).toBeNull();
    // Without one, the carte's own key answers (the same key: it comes from the carte alone).
    await expect(signInWithCarte(made.carte.identity, '11111111', false)).rejects.toMatchObject({ status: 401 });
    expect(signedIn.map((s) => s.auth_key)).toEqual([ahead.publicB64, ahead.publicB64]);
  });
});
