// Key hints in Chromium (verifier-hardening.md section 10): the organisation chain verifier
// with the page's real key-hint worker (Vite's module worker) gives the verdicts it gives
// without workers and synchronously, for 200 members and for a bad key at seq 100, and the
// worker did the members' key checks. No screen: no axe here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { servePage } from '../../bench/page.mjs';

let served;
before(async () => {
  served = await servePage('../tests/browser/key-hints-page.ts', 'key-hints-page');
});
after(() => served?.close());

// The timeout fails the test, rather than hanging it, if the worker never sends its last answer.
test('the key-hint worker changes no verdict and does the members’ key checks', { timeout: 120_000 }, async () => {
  const { browser, page } = await served.openPage();
  try {
    const r = await page.evaluate(() => window.bench.run());
    const [good, bad] = r.cases;
    assert.ok(good.workers >= 1, `no worker with ${r.cores} cores`);
    for (const c of r.cases) {
      assert.equal(c.withWorkers.verdict, c.alone.verdict, c.name);
      assert.equal(c.without.verdict, c.alone.verdict, c.name);
    }
    assert.equal(good.alone.verdict, 'ok:200');
    assert.equal(bad.alone.verdict, 'bad_key');
    // Without workers, the page checks the root's and the 200 members' keys itself. With them,
    // the workers hint every acceptable member key that the four signers (checked as the
    // envelopes parse) do not already cover, and the page checks only what it took from
    // them while they worked (how much depends on the two threads' speeds).
    assert.equal(good.without.fullChecks, 201);
    assert.equal(good.withWorkers.hinted, 197);
    assert.equal(bad.withWorkers.hinted, 196);
    assert.ok(good.withWorkers.fullChecks < good.without.fullChecks);
  } finally {
    await browser.close();
  }
});
