// Ed25519 verification cost of the acceptance set: noble's `ed25519.verify` alone vs
// `verifyStrict` (src/crypto/ed25519.ts) vs a whole upload statement (`verifyStatement`,
// `openStatement`), the same signatures in every row, in Node, then in headless Chromium
// unthrottled and with 4× CPU throttling (the stand-in for a cheap phone of section 3).
// Usage: node bench/signatures.mjs [messages=500] [runs=7]   (THROTTLE=4 by default; 0 skips Chromium)
import { bundle } from './bundle.mjs';
import { servePage } from './page.mjs';

const n = Number(process.argv[2] ?? 500);
const runs = Number(process.argv[3] ?? 7);
const throttle = Number(process.env.THROTTLE ?? 4);

function print(title, variants, r) {
  console.log(`\n${title}: ${r.n} distinct upload statements, one key, median of ${r.runs} interleaved passes`);
  console.log('| Ed25519 verification | ms per verification | min–max ms | / (a) |\n|---|---:|---:|---:|');
  for (const [k, label] of variants) {
    console.log(
      `| ${label} | ${r.ms[k].toFixed(3)} | ${r.min[k].toFixed(3)}–${r.max[k].toFixed(3)} | ${(r.ms[k] / r.ms.noble).toFixed(2)}× |`,
    );
  }
}

const node = await import(await bundle('./harness.ts', 'harness-node'));
print(`Node ${process.version}`, node.SIGNATURE_VARIANTS, await node.signatures(n, runs));

if (throttle > 0) {
  const { openPage, close } = await servePage();
  try {
    for (const rate of [1, throttle]) {
      const { browser, page } = await openPage();
      if (rate > 1) {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      }
      const r = await page.evaluate(([k, m]) => window.bench.signatures(k, m), [n, runs]);
      const title = `Chromium ${browser.version()} (headless)${rate > 1 ? `, CPU throttled ${rate}×` : ''}`;
      print(title, node.SIGNATURE_VARIANTS, r);
      await browser.close();
    }
  } finally {
    close();
  }
}
