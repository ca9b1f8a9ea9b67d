import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { Decrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import {
  authChallengeMessage,
  b64decode,
  b64encode,
  carteAuthKey,
  generateCarte,
  generateIdentity,
  generatePassphrase,
  handlePassphraseRequest,
  hkdf32,
  normalisePassphrase,
  OwnerKeys,
  ownerSeedPayload,
  PASSPHRASE_SCRYPT_LOG_N,
  Passphrase,
  type PassphraseRequest,
  PRF_SALT,
  passkeyIdentity,
  passphraseAuthKey,
  prfGetExtension,
  recipientOf,
  scryptWorkFactor,
  seedOf,
  signAuthChallenge,
  stripPrfResults,
  uniformIndex,
  unwrapSeed,
  unwrapSeedPassphrase,
  unwrapSeedPassphraseInWorker,
  WORDS,
  wrapSeed,
  wrapSeedPassphrase,
  wrapSeedPassphraseInWorker,
} from '../../src/crypto';
import { COFFRE, dec, expectCode, INSTANCE } from './fixtures';

const seed = new Uint8Array(32).fill(42);
const payload = ownerSeedPayload(COFFRE, 0, seed);

describe('passkey PRF', () => {
  it('PRF_SALT and the get() extension', () => {
    expect(Buffer.from(PRF_SALT)).toEqual(createHash('sha256').update('coffre/v1/passkey/prf-salt').digest());
    expect(prfGetExtension()).toEqual({ prf: { eval: { first: PRF_SALT } } });
  });
  it('wrap identity depends on PRF output and credential id; seed round-trips', async () => {
    const p = new Uint8Array(32).fill(1);
    const idA = passkeyIdentity(p, new Uint8Array([1, 2, 3]));
    expect(passkeyIdentity(p, new Uint8Array([1, 2, 4]))).not.toBe(idA);
    const file = await wrapSeed(payload, recipientOf(idA));
    expect(seedOf(await unwrapSeed(file, idA))).toEqual(seed);
    // An ordinary age file: the plain age library opens it too.
    const d = new Decrypter();
    d.addIdentity(idA);
    expect(JSON.parse(await d.decrypt(file, 'text')).kind).toBe('owner_seed');
  });
  it('strips prf.results before posting, keeps the rest', () => {
    const cred = {
      id: 'abc',
      rawId: 'abc',
      type: 'public-key',
      response: { clientDataJSON: 'x', authenticatorData: 'y', signature: 'z' },
      clientExtensionResults: { prf: { enabled: true, results: { first: new Uint8Array(32).fill(9) } } },
    };
    const out = stripPrfResults(cred);
    expect(out.clientExtensionResults.prf).toEqual({ enabled: true });
    expect(cred.clientExtensionResults.prf.results).toBeDefined();
    expect(JSON.stringify(out)).not.toContain('results');
  });
});

describe('carte', () => {
  it('carte identity is 74 characters; auth key from HKDF', async () => {
    const c = generateCarte();
    expect(c.identity).toHaveLength(74);
    const file = await wrapSeed(payload, c.recipient);
    expect((await unwrapSeed(file, c.identity)).seed).toBe(payload.seed);
    const k1 = carteAuthKey(c.identity);
    expect(k1.publicB64).toBe(carteAuthKey(c.identity).publicB64);
    await expectCode(unwrapSeed(file, generateCarte().identity), 'decryption_failed');
  });
});

describe('passphrase', () => {
  it('six words from the list, uniform index by rejection sampling', () => {
    const p = generatePassphrase();
    const words = p.split(' ');
    expect(words).toHaveLength(6);
    for (const w of words) expect(WORDS).toContain(w);
    const counts = new Array(3).fill(0);
    for (let i = 0; i < 3000; i++) counts[uniformIndex(3)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
  it('normalises case, spaces, hyphens and tabs', () => {
    expect(normalisePassphrase('  Abri-BALAI\t\tcadre -- dune  ')).toBe('abri balai cadre dune');
    const six = generatePassphrase();
    const typed = `  ${six.toUpperCase().replace(/ /g, '-\t')} `;
    expect(passphraseAuthKey(Passphrase.parse(typed)).publicB64).toBe(
      passphraseAuthKey(Passphrase.parse(six)).publicB64,
    );
  });
  it('normalises exactly as the spec says: nothing else trimmed (no .trim())', () => {
    expect(normalisePassphrase('abri balai\n')).toBe('abri balai\n');
    expect(normalisePassphrase('\u00a0abri balai')).toBe('\u00a0abri balai');
    expect(normalisePassphrase('\r\nabri')).toBe('\r\nabri');
    expect(normalisePassphrase(' - abri\t')).toBe('abri');
  });
  it('the API takes a checked Passphrase: six words of the list after normalisation, else malformed', async () => {
    const six = generatePassphrase();
    expect(Passphrase.parse(six).normalised).toBe(six);
    await expectCode(() => Passphrase.parse(`${six}\n`), 'malformed');
    await expectCode(() => Passphrase.parse(`\u00a0${six}`), 'malformed');
    await expectCode(() => Passphrase.parse(six.split(' ').slice(0, 5).join(' ')), 'malformed');
    await expectCode(() => Passphrase.parse(`${six} ${six.split(' ')[0]}`), 'malformed');
    await expectCode(() => Passphrase.parse('mauvaise phrase de six mots ici'), 'malformed');
    await expectCode(() => passphraseAuthKey(six as never), 'malformed');
    await expectCode(() => wrapSeedPassphrase(payload, six as never), 'malformed');
    await expectCode(() => unwrapSeedPassphrase(new Uint8Array(10), six as never), 'malformed');
  });
  it('auth key is HKDF(passphrase, salt=info="coffre/v1/auth/passphrase")', () => {
    const six = generatePassphrase();
    const k = hkdf32(new TextEncoder().encode(six), 'coffre/v1/auth/passphrase', 'coffre/v1/auth/passphrase');
    expect(passphraseAuthKey(Passphrase.parse(six)).publicKey).toEqual(ed25519.getPublicKey(k));
  });
  it('wraps at the pinned scrypt work factor; unwraps with a differently typed passphrase', async () => {
    const p = generatePassphrase();
    const file = await wrapSeedPassphrase(payload, Passphrase.parse(p));
    const header = dec(file.subarray(0, 200));
    expect(header).toMatch(new RegExp(`^-> scrypt [A-Za-z0-9+/]{22} ${PASSPHRASE_SCRYPT_LOG_N}$`, 'm'));
    const typed = p.toUpperCase().replace(/ /g, ' - ');
    expect(seedOf(await unwrapSeedPassphrase(file, Passphrase.parse(typed)))).toEqual(seed);
    await expectCode(unwrapSeedPassphrase(file, Passphrase.generate()), 'decryption_failed');
  }, 60_000);
  it('the work factor is read from the stanza before scrypt: 18 and 21 are too_large', async () => {
    const p = Passphrase.generate();
    const file = await wrapSeedPassphrase(payload, p);
    const text = new TextDecoder('latin1').decode(file);
    const at = (n: number) => Uint8Array.from(text.replace(/^(-> scrypt \S+ )15$/m, `$1${n}`), (c) => c.charCodeAt(0));
    expect(dec(at(18).subarray(0, 120))).toContain(' 18\n');
    // Run after scrypt, 18 would be decryption_failed (the header MAC no longer matches) and 21
    // age-encryption's own refusal (decryption_failed): too_large means the check came first.
    await expectCode(unwrapSeedPassphrase(at(18), p), 'too_large');
    await expectCode(unwrapSeedPassphrase(at(21), p), 'too_large');
    await expectCode(unwrapSeedPassphrase(at(14), p), 'too_large');
    expect(scryptWorkFactor(at(17))).toBe(17);
    await expectCode(() => wrapSeedPassphrase(payload, p, 18), 'too_large');
  }, 60_000);
  it('a non-scrypt stanza or a second stanza is decryption_failed', async () => {
    const p = Passphrase.generate();
    const file = await wrapSeedPassphrase(payload, p);
    const text = new TextDecoder('latin1').decode(file);
    const bytes = (t: string) => Uint8Array.from(t, (c) => c.charCodeAt(0));
    const x25519 = await wrapSeed(payload, recipientOf(generateIdentity()));
    await expectCode(unwrapSeedPassphrase(x25519, p), 'decryption_failed');
    const twice = text.replace(/^(-> scrypt .*\n.*\n)/m, '$1$1');
    await expectCode(unwrapSeedPassphrase(bytes(twice), p), 'decryption_failed');
  });
});

describe('passphrase worker protocol', () => {
  it('wraps and unwraps through the message handler; errors keep their code', async () => {
    // A fake worker that runs the handler in-process, as passphrase.worker.ts does.
    const listeners = new Set<(e: MessageEvent) => void>();
    const worker = {
      postMessage: (m: PassphraseRequest) =>
        void handlePassphraseRequest(m).then((data) => {
          for (const f of listeners) f({ data } as MessageEvent);
        }),
      addEventListener: (_t: 'message', f: (e: MessageEvent) => void) => listeners.add(f),
      removeEventListener: (_t: 'message', f: (e: MessageEvent) => void) => listeners.delete(f),
    };
    const p = Passphrase.generate();
    const file = await wrapSeedPassphraseInWorker(worker, payload, p);
    expect(seedOf(await unwrapSeedPassphraseInWorker(worker, file, p))).toEqual(seed);
    await expectCode(unwrapSeedPassphraseInWorker(worker, file, Passphrase.generate()), 'decryption_failed');
    const unchecked = await handlePassphraseRequest({ id: 1, op: 'unwrap', file, passphrase: 'autre phrase' });
    expect(unchecked).toMatchObject({ ok: false, code: 'malformed' });
    expect(listeners.size).toBe(0);
  }, 60_000);
});

describe('auth challenges', () => {
  it('signs "coffre/v1/auth\\n" || canonical challenge', () => {
    const k = carteAuthKey(generateCarte().identity);
    const nonce = b64encode(new Uint8Array(16).fill(3));
    const msg = authChallengeMessage(INSTANCE, k.publicB64, nonce);
    expect(dec(msg)).toBe(
      `coffre/v1/auth\n{"instance":"${INSTANCE}","key":"${k.publicB64}","kind":"auth_challenge","nonce":"${nonce}","v":1}`,
    );
    const sig = signAuthChallenge(k, INSTANCE, nonce);
    expect(ed25519.verify(b64decode(sig), msg, k.publicKey)).toBe(true);
  });
  it('refuses a short nonce', async () => {
    await expectCode(
      () => authChallengeMessage(INSTANCE, OwnerKeys.fromSeed(seed).publicKey, b64encode(new Uint8Array(15))),
      'malformed',
    );
  });
});
