// Chromium benchmarks (headless Debian chromium driven by playwright-core):
//  1. seal/open a 5 MB paper with src/crypto vs raw age-encryption (median of runs);
//  2. passphrase unlock under 4× CPU throttling at scrypt work factors 15–17: time, JS heap,
//     and the renderer's peak resident memory (VmHWM), a fresh browser per factor.
//  (1b. listing 1,000 papers from their envelopes and from the metadata index, also 4× throttled.)
// Usage: node bench/browser.mjs [runs=5] [unlockRuns=3]; PAPERS_ONLY=1 stops after 1 and 1b.
import { readdirSync, readFileSync } from 'node:fs';
import { bundle } from './bundle.mjs';
import { servePage } from './page.mjs';

const runs = Number(process.argv[2] ?? 5);
const unlockRuns = Number(process.argv[3] ?? 3);
// Wraps below the pinned factor (15) are refused since it was pinned, so 14 is no longer measured.
const FACTORS = (process.env.FACTORS ?? '15,16,17').split(',').map(Number);

const { harnessPath, openPage, close } = await servePage();
await bundle('../src/crypto/passphrase.worker.ts', 'passphrase-worker');

function rendererPeaks() {
  const out = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      out.push({
        pid: Number(pid),
        hwm: Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024,
        rss: Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024,
      });
    } catch {
      /* process gone */
    }
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (x) => x.toFixed(0);

try {
  // 1. throughput
  {
    const { browser, page } = await openPage();
    const version = browser.version();
    await page.evaluate(() => window.bench.throughput(1 << 20, 1));
    const r = await page.evaluate(([n, k]) => window.bench.throughput(n, k), [5_000_000, runs]);
    const mbps = (ms) => (r.size / 1e6 / (ms / 1000)).toFixed(1);
    console.log(`\nChromium ${version} (headless), ${r.size} bytes, median of ${runs}`);
    console.log('| operation | median ms | MB/s |\n|---|---:|---:|');
    for (const [k, label] of [
      ['seal', 'sealPaper (Coffre)'],
      ['ageEncrypt', 'age-encryption encrypt'],
      ['open', 'openPaper (Coffre)'],
      ['ageDecrypt', 'age-encryption decrypt'],
    ]) {
      console.log(`| ${label} | ${r[k].toFixed(1)} | ${mbps(r[k])} |`);
    }
    const [viaString, viaKey] = await page.evaluate(() => window.bench.listingCost(1000));
    console.log(
      `\nListing: open 1,000 metadata envelopes — identity string ${viaString.toFixed(0)} ms, WebCrypto key ${viaKey.toFixed(0)} ms`,
    );
    await browser.close();
  }

  // 1b. listing 1,000 papers from their envelopes and from the metadata index, unthrottled
  // and 4× throttled (a fresh browser each)
  for (const rate of [1, 4]) {
    const { browser, page } = await openPage();
    const cdp = await page.context().newCDPSession(page);
    if (rate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const l = await page.evaluate(() => window.bench.indexListing(1000));
    console.log(
      `\nListing ${l.n} papers in Chromium${rate > 1 ? `, CPU throttled ${rate}×` : ''} (index file ${l.indexBytes} bytes)`,
    );
    console.log('| how | ms |\n|---|---:|');
    console.log(
      `| ${l.n} envelopes, \`openPaperMeta\` each, CK as an identity string | ${l.envelopesString.toFixed(0)} |`,
    );
    console.log(
      `| ${l.n} envelopes, \`openPaperMeta\` each, CK as a WebCrypto key | ${l.envelopesCryptoKey.toFixed(0)} |`,
    );
    console.log(`| the index: \`openPaperIndex\` + \`checkIndexListing\` | ${l.index.toFixed(0)} |`);
    console.log(`| the index + ${l.newer} newer envelopes | ${l.indexPlusNewer.toFixed(0)} |`);
    await browser.close();
  }
  if (process.env.PAPERS_ONLY) process.exit(0);

  // 2. passphrase unlock, 4× CPU throttling
  const node = await import(harnessPath);
  console.log(
    `\nPassphrase unlock in Chromium, CPU throttled 4×, ${unlockRuns} runs per factor (fresh browser per factor)`,
  );
  console.log(
    '| log2 N | scrypt memory | unlock median ms | min–max ms | JS heap after (MiB) | renderer peak RSS (MiB) | renderer RSS before (MiB) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const logN of FACTORS) {
    const file = await node.makePassphraseWrap(logN);
    const { browser, page } = await openPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const before = rendererPeaks();
    const times = [];
    for (let i = 0; i < unlockRuns; i++) {
      times.push(await page.evaluate((b) => window.bench.unlockPassphrase(new Uint8Array(b)), [...file]));
    }
    const heap = await cdp.send('Runtime.getHeapUsage');
    const after = rendererPeaks();
    const peak = Math.max(...after.map((p) => p.hwm));
    const base = Math.max(...before.map((p) => p.rss));
    console.log(
      `| ${logN} | ${2 ** (logN + 10) / 2 ** 20} MiB | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} | ${mib(heap.usedSize / 2 ** 20)} | ${mib(peak)} | ${mib(base)} |`,
    );
    await browser.close();
  }

  // 3. main thread vs worker at the pinned factor, throttled: is the page still responsive?
  {
    const logN = Number(process.env.PINNED ?? 15);
    const file = await node.makePassphraseWrap(logN);
    const { browser, page } = await openPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const bytes = [...file];
    const main = await page.evaluate((b) => window.bench.unlockOnMainThread(new Uint8Array(b)), bytes);
    const work = await page.evaluate((b) => window.bench.unlockInWorker(new Uint8Array(b)), bytes);
    console.log(
      `\nUnlock at log2 N = ${logN}, 4× throttled: where scrypt runs vs 50 ms main-thread ticks that still fired`,
    );
    console.log('| where | ms | ticks (of ≈ ms/50) |\n|---|---:|---:|');
    console.log(`| main thread | ${main[0].toFixed(0)} | ${main[1]} |`);
    console.log(`| module worker | ${work[0].toFixed(0)} | ${work[1]} |`);
    await browser.close();
  }
} finally {
  close();
}
