// Every test file runs with this setup (vite.config.ts): each (key, message, signature) any
// test hands to `verifyStrict` is recorded, and after the file the recorded triples are
// verified twice — by `verifyStrict` alone, then after `preverify` let this Node's WebCrypto
// Ed25519 vouch for them — and the verdicts (accept, or the error code) must be the same
// (docs/design/verifier-hardening.md section 9). The hostile and vector suites thus check the
// WebCrypto shortcut on every signature they build.
import { afterAll, expect, vi } from 'vitest';
import type * as Ed from '../src/crypto/ed25519';
import { CoffreCryptoError } from '../src/crypto/errors';

const recorded: Ed.SignedTriple[] = [];
const seen = new Set<string>();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

vi.mock('../src/crypto/ed25519', async (importOriginal) => {
  const real = await importOriginal<typeof Ed>();
  return {
    ...real,
    verifyStrict(key: Uint8Array, message: Uint8Array, signature: Uint8Array) {
      if (key instanceof Uint8Array && message instanceof Uint8Array && signature instanceof Uint8Array) {
        const id = `${hex(key)}:${hex(signature)}:${hex(message)}`;
        if (!seen.has(id) && recorded.length < 20_000) {
          seen.add(id);
          recorded.push({ key: key.slice(), message: message.slice(), signature: signature.slice() });
        }
      }
      return real.verifyStrict(key, message, signature);
    },
  };
});

afterAll(async () => {
  if (recorded.length === 0) return;
  const real = await vi.importActual<typeof Ed>('../src/crypto/ed25519');
  const verdict = (t: Ed.SignedTriple) => {
    try {
      real.verifyStrict(t.key, t.message, t.signature);
      return 'accept';
    } catch (e) {
      return e instanceof CoffreCryptoError ? e.code : String(e);
    }
  };
  real.clearPreverified();
  const alone = recorded.map(verdict);
  await real.preverify(recorded);
  const remembered = real.preverifiedCount();
  const withWebCrypto = recorded.map(verdict);
  real.clearPreverified();
  expect(withWebCrypto).toEqual(alone);
  // The shortcut was really taken: WebCrypto vouched for the accepted triples.
  const accepted = alone.filter((v) => v === 'accept').length;
  if (accepted > 0) expect(remembered).toBeGreaterThan(0);
});
