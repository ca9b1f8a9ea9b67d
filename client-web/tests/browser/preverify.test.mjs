// WebCrypto's shortcut in Chromium (verifier-hardening.md section 9): Chromium's Ed25519
// passes the probe, and every edge case of the acceptance set and its one-bit changes gets
// the same verdict from `verifyStrict` with and without `preverify`. No screen: no axe here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { servePage } from '../../bench/page.mjs';

let served;
before(async () => {
  served = await servePage('../tests/browser/preverify-page.ts', 'preverify-page');
});
after(() => served?.close());

test("Chromium's WebCrypto Ed25519 gives the verdicts verifyStrict gives alone", async () => {
  const { browser, page } = await served.openPage();
  try {
    const r = await page.evaluate(() => window.bench.run());
    assert.equal(r.usable, true, `WebCrypto Ed25519 missing or failing the probe in ${r.userAgent}`);
    assert.deepEqual(r.withWebCrypto, r.alone);
    // The honest triple is the only one accepted, and WebCrypto vouched for it.
    assert.equal(r.alone.filter((v) => v === 'accept').length, 1);
    assert.equal(r.remembered, 1);
    assert.ok(r.alone.includes('bad_key') && r.alone.includes('bad_signature'));
  } finally {
    await browser.close();
  }
});
