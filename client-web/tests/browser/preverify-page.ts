// Runs in Chromium (tests/browser/preverify.test.mjs): the acceptance-set edge cases and their
// one-bit changes, verified by `verifyStrict` alone, then after `preverify` let Chromium's
// WebCrypto Ed25519 (BoringSSL) vouch for them. The test requires the same verdicts.
import {
  clearPreverified,
  preverifiedCount,
  preverify,
  verifyStrict,
  webCryptoEd25519,
} from '../../src/crypto/ed25519';
import { CoffreCryptoError } from '../../src/crypto/errors';
import { edgeCases } from '../crypto/ed25519-cases';

export async function run() {
  const cases = edgeCases();
  const verdict = ([key, message, signature]: (typeof cases)[number]) => {
    try {
      verifyStrict(key, message, signature);
      return 'accept';
    } catch (e) {
      return e instanceof CoffreCryptoError ? e.code : String(e);
    }
  };
  clearPreverified();
  const alone = cases.map(verdict);
  const usable = (await webCryptoEd25519()) !== undefined;
  await preverify(cases.map(([key, message, signature]) => ({ key, message, signature })));
  const remembered = preverifiedCount();
  const withWebCrypto = cases.map(verdict);
  clearPreverified();
  return { usable, alone, withWebCrypto, remembered, userAgent: navigator.userAgent };
}
