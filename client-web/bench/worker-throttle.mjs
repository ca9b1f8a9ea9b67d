// Does Emulation.setCPUThrottlingRate slow a dedicated worker? One scrypt unwrap at log2 N = 15
// (bench/harness.ts) on the page's main thread and in the module worker, at rates 1 and 4,
// twice, in one headless Chromium. If the worker's time barely moves with the rate, the
// worker is not throttled, and a throttled measure of the six-words sign-in is optimistic.
// Usage: node bench/worker-throttle.mjs
import { bundle } from './bundle.mjs';
import { servePage } from './page.mjs';

const { harnessPath, openPage, close } = await servePage();
await bundle('../src/crypto/passphrase.worker.ts', 'passphrase-worker');
const node = await import(harnessPath);
const file = [...(await node.makePassphraseWrap(15))];
const { browser, page } = await openPage();
const cdp = await page.context().newCDPSession(page);
for (const rate of [1, 4, 1, 4]) {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const main = await page.evaluate((b) => window.bench.unlockOnMainThread(new Uint8Array(b)), file);
  const work = await page.evaluate((b) => window.bench.unlockInWorker(new Uint8Array(b)), file);
  console.log(`rate ${rate}: main thread ${main[0].toFixed(0)} ms, worker ${work[0].toFixed(0)} ms`);
}
await browser.close();
close();
