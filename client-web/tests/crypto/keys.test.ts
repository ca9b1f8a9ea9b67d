import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Decrypter, Encrypter, identityToRecipient } from 'age-encryption';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  fingerprintMatches,
  fingerprintQr,
  fingerprintWords,
  identityFromBytes,
  identityToBytes,
  OwnerKeys,
  parseFingerprintQr,
  recipientFromBytes,
  recipientOf,
  WORDLIST_SHA256,
  WORDS,
} from '../../src/crypto';
import { Passphrase } from '../../src/crypto/unlock';
import { RETIRED_WORDS } from '../../src/crypto/wordlist';
import { expectCode } from './fixtures';

const WORDLIST = new URL('../../../crypto/wordlist/fr-7776.txt', import.meta.url);
const RETIRED = new URL('../../../crypto/wordlist/retired-fr.txt', import.meta.url);

describe('word list', () => {
  it('is crypto/wordlist/fr-7776.txt, with the pinned SHA-256', () => {
    const file = readFileSync(WORDLIST);
    expect(createHash('sha256').update(file).digest('hex')).toBe(WORDLIST_SHA256);
    expect(WORDS).toEqual(
      file
        .toString('utf8')
        .split('\n')
        .filter((w) => w),
    );
    expect(WORDS.length).toBe(7776);
    expect([...WORDS].sort()).toEqual(WORDS);
    expect(new Set(WORDS).size).toBe(7776);
  });
  it('keeps the retired words of crypto/wordlist/retired-fr.txt apart: typed, never drawn', () => {
    const file = readFileSync(RETIRED, 'utf8')
      .split('\n')
      .filter((w) => w && !w.startsWith('#'));
    expect(RETIRED_WORDS).toEqual(file);
    expect(RETIRED_WORDS).toContain('couille');
    const listed = new Set(WORDS);
    expect(RETIRED_WORDS.filter((w) => listed.has(w))).toEqual([]);
    expect(Passphrase.parse('abri bateau douze lune ruisseau couille').normalised).toContain('couille');
    for (let i = 0; i < 200; i++)
      for (const w of Passphrase.generate().normalised.split(' ')) expect(listed.has(w), w).toBe(true);
  });
});

describe('age X25519 encodings', () => {
  it('identity bytes ↔ AGE-SECRET-KEY-1…, recipient as age computes it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (b) => {
        const id = identityFromBytes(b);
        expect(id).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
        expect(identityToBytes(id)).toEqual(b);
        expect(recipientFromBytes(b)).toBe(await identityToRecipient(id));
      }),
      { numRuns: 50 },
    );
  });
  it('rejects lowercase or mangled identities', async () => {
    const id = identityFromBytes(new Uint8Array(32).fill(1));
    await expectCode(() => identityToBytes(id.toLowerCase()), 'bad_key');
    await expectCode(() => identityToBytes(id.slice(0, -1) + (id.endsWith('Q') ? 'P' : 'Q')), 'bad_key');
  });
});

describe('owner keys', () => {
  it('derive deterministically from the seed, with separated labels', () => {
    const a = OwnerKeys.fromSeed(new Uint8Array(32).fill(1));
    const b = OwnerKeys.fromSeed(new Uint8Array(32).fill(1));
    const c = OwnerKeys.fromSeed(new Uint8Array(32).fill(2));
    expect(a.identity).toBe(b.identity);
    expect(a.publicKey).toBe(b.publicKey);
    expect(a.identity).not.toBe(c.identity);
    expect(recipientOf(a.identity)).toBe(a.recipient);
  });
  it('the owner identity decrypts as a non-extractable WebCrypto key too', async () => {
    const o = OwnerKeys.fromSeed(new Uint8Array(32).fill(3));
    const e = new Encrypter();
    e.addRecipient(o.recipient);
    const file = await e.encrypt('bonjour');
    const key = await o.cryptoKey();
    expect(key.extractable).toBe(false);
    const d = new Decrypter();
    d.addIdentity(key);
    expect(await d.decrypt(file, 'text')).toBe('bonjour');
  });
});

describe('fingerprints', () => {
  it('five words carry the first 64 bits, QR carries all 32 bytes', () => {
    const o = OwnerKeys.fromSeed(new Uint8Array(32).fill(4));
    const fp = o.fingerprint();
    const words = fingerprintWords(fp).split('-');
    expect(words).toHaveLength(5);
    let n = 0n;
    for (let i = 4; i >= 0; i--) n = n * 7776n + BigInt(WORDS.indexOf(words[i]!));
    expect(n).toBe(Buffer.from(fp.subarray(0, 8)).readBigUInt64BE());
    expect(fingerprintQr(fp)).toMatch(/^coffre:fp:1:[A-Za-z0-9_-]{43}$/);
    expect(parseFingerprintQr(fingerprintQr(fp))).toEqual(fp);
    expect(fingerprintMatches(fp, o.publicKey, o.recipient)).toBe(true);
    expect(fingerprintMatches(fp, o.publicKey)).toBe(false);
  });
  it('is SHA-256 of prefix, key and recipient (empty for signing-only parties)', () => {
    const o = OwnerKeys.fromSeed(new Uint8Array(32).fill(5));
    const h = createHash('sha256')
      .update('coffre/v1/fingerprint\n')
      .update(o.signing.publicKey)
      .update(o.recipient)
      .digest();
    expect(Buffer.from(o.fingerprint())).toEqual(h);
    const h2 = createHash('sha256').update('coffre/v1/fingerprint\n').update(o.signing.publicKey).digest();
    expect(Buffer.from(fingerprint(o.publicKey))).toEqual(h2);
  });
  it('all-zero and all-ones fingerprints map to the expected words', () => {
    expect(fingerprintWords(new Uint8Array(32))).toBe(Array(5).fill(WORDS[0]).join('-'));
    let n = 2n ** 64n - 1n;
    const w: string[] = [];
    for (let i = 0; i < 5; i++) {
      w.push(WORDS[Number(n % 7776n)]!);
      n /= 7776n;
    }
    expect(fingerprintWords(new Uint8Array(32).fill(0xff))).toBe(w.join('-'));
  });
});
