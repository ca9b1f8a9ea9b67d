// Journal verification in the real app's page, in Chromium with the CPU throttled 4×
// (Emulation.setCPUThrottlingRate), served by the real server (tests/browser/server.mjs:
// COFFRE_TEST_BIN, default ../target/debug/coffre). bench/journal-page.ts, bundled by Vite
// and evaluated in the page through the DevTools protocol (the page's CSP allows no other
// script), builds a journal of N entries once, unthrottled (setup, not measured); then each
// run, in fresh browser contexts, times on the page's main thread:
//  a. the N entries from scratch (no checkpoint): verifyJournal, every inclusion receipt,
//     every body's hash — a device that has never seen the journal (a fresh page);
//  a'. in another fresh page, the same N entries with the owner's signed checkpoint at seq
//     N − 21 (its signature, then the links; signatures and receipts only after it), JSON
//     parsing included; then the newest 50 the same way, as the coffre page fetches them;
//  b. the last 20 entries against a checkpoint at the entry before them (another fresh page);
//  c. decrypting 20 journal_body age files (openPayload, X25519), right after b;
//  d. reference: 1,000 raw @noble/curves ed25519.verify, in a's page right after a;
//  e. reference: 1,000 WebCrypto Ed25519 verifies, if the browser has them.
// Usage: [BENCH_RATE=4] node bench/journal.mjs [runs=5] [entries=10000]
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_FLAGS } from '../tests/browser/browser.mjs';
import { startServer } from '../tests/browser/server.mjs';

const runs = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 4);
const SINCE = 20;

/** bench/journal-page.ts as one classic script, to evaluate in the app's page. */
async function pageSource() {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    root: fileURLToPath(new URL('..', import.meta.url)),
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: {
        entry: fileURLToPath(new URL('./journal-page.ts', import.meta.url)),
        formats: ['iife'],
        name: 'coffreJournalBench',
      },
    },
  });
  const chunk = (Array.isArray(out) ? out[0] : out).output[0];
  return `${chunk.code}\nwindow.coffreJournalBench = coffreJournalBench;`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const stats = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

const source = await pageSource();
const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_FLAGS,
});

/** A fresh context on the app's page, the bundle evaluated, at `rate`. */
async function freshPage(rate) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(`${server.baseUrl}/`);
  await page.waitForLoadState('networkidle');
  await page.evaluate(source);
  return { context, page, cdp };
}

try {
  const setupT0 = Date.now();
  const builder = await freshPage(1);
  const journal = await builder.page.evaluate((n) => window.coffreJournalBench.build(n), N);
  await builder.context.close();
  const entryBytes = journal.items.reduce((s, i) => s + i.entry.length + i.receipt.length + i.body.length, 0);
  console.log(
    `setup: ${N} entries built unthrottled in ${((Date.now() - setupT0) / 1000).toFixed(1)} s ` +
      `(${(entryBytes / 1e6).toFixed(1)} MB of base64 entries, receipts and bodies)`,
  );
  const tail = { ...journal, items: journal.items.slice(-(SINCE + 1)) };

  const r = {
    full: [],
    fullPre: [],
    vouched: [],
    vouched50: [],
    since: [],
    sinceWarm: [],
    bodies: [],
    noble: [],
    wcSeq: [],
    wcPar: [],
  };
  let webCrypto = true;
  for (let run = 0; run < runs; run++) {
    // a, d, e: a fresh page that has never verified anything.
    const a = await freshPage(1);
    await a.page.evaluate((j) => window.coffreJournalBench.load(j), journal);
    await a.cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    const full = await a.page.evaluate(() => window.coffreJournalBench.measureFull());
    if (full.head !== N - 1) throw new Error(`head ${full.head}`);
    r.full.push(full.ms);
    r.noble.push((await a.page.evaluate(() => window.coffreJournalBench.measureNoble())).ms);
    const wc = await a.page.evaluate(() => window.coffreJournalBench.measureWebCrypto());
    if (wc) {
      r.wcSeq.push(wc.sequential);
      r.wcPar.push(wc.parallel);
    } else webCrypto = false;
    await a.context.close();

    // a*: a fresh page again, the same with WebCrypto's preverify first (what verifyItems does).
    const p = await freshPage(1);
    await p.page.evaluate((j) => window.coffreJournalBench.load(j), journal);
    await p.cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    const fullPre = await p.page.evaluate(() => window.coffreJournalBench.measureFullPreverified());
    if (fullPre.head !== N - 1) throw new Error(`head ${fullPre.head}`);
    r.fullPre.push(fullPre.ms);
    await p.context.close();

    // a': a fresh page again, with the owner's checkpoint.
    const v = await freshPage(1);
    await v.page.evaluate((j) => window.coffreJournalBench.load(j), journal);
    await v.cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    const vouched = await v.page.evaluate(() => window.coffreJournalBench.measureVouched());
    if (vouched.head !== N - 1 || vouched.entries !== N) throw new Error(`head ${vouched.head}`);
    r.vouched.push(vouched.ms);
    await v.context.close();
    const v50 = await freshPage(1);
    await v50.page.evaluate((j) => window.coffreJournalBench.load(j), journal);
    await v50.cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    const newest = await v50.page.evaluate(() => window.coffreJournalBench.measureVouched(50));
    if (newest.head !== N - 1) throw new Error(`head ${newest.head}`);
    r.vouched50.push(newest.ms);
    await v50.context.close();

    // b, c: another fresh page, as when the coffre page opens on a device with a checkpoint.
    const b = await freshPage(1);
    await b.page.evaluate((j) => window.coffreJournalBench.load(j), tail);
    await b.cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    const since = await b.page.evaluate((k) => window.coffreJournalBench.measureSince(k), SINCE);
    if (since.head !== N - 1) throw new Error(`head ${since.head}`);
    r.since.push(since.ms);
    r.bodies.push((await b.page.evaluate(() => window.coffreJournalBench.measureBodies())).ms);
    r.sinceWarm.push((await b.page.evaluate((k) => window.coffreJournalBench.measureSince(k), SINCE)).ms);
    await b.context.close();
    console.log(
      `run ${run + 1}: a ${fmt(full.ms)} ms, a* ${fmt(fullPre.ms)} ms, a' ${fmt(vouched.ms)} ms (newest 50: ${fmt(newest.ms)}), b ${fmt(since.ms)} ms (warm ${fmt(r.sinceWarm.at(-1))}), ` +
        `c ${fmt(r.bodies.at(-1))} ms, d ${fmt(r.noble.at(-1))} ms` +
        (wc ? `, e ${fmt(wc.sequential)} / ${fmt(wc.parallel)} ms` : ', e: no WebCrypto Ed25519'),
    );
  }

  const perNoble = median(r.noble) / 1000;
  const sigsA = 2 * N;
  const rows = [
    [`a. ${N.toLocaleString('en-US')} entries from scratch (${sigsA.toLocaleString('en-US')} signatures)`, r.full],
    [`a*. the same, WebCrypto's preverify first (timed; what verifyItems does)`, r.fullPre],
    [
      `a'. ${N.toLocaleString('en-US')} entries from scratch with the owner's checkpoint (1 + ${2 * SINCE} signatures, JSON parsing included)`,
      r.vouched,
    ],
    [`a'. the newest 50 with the owner's checkpoint (fresh page)`, r.vouched50],
    [`b. last ${SINCE} entries after a checkpoint (fresh page)`, r.since],
    [`b. the same, again in that page (warm)`, r.sinceWarm],
    [`c. ${journal.bodies.length} journal_body age files decrypted`, r.bodies],
    ['ref d: 1,000 raw @noble/curves ed25519.verify', r.noble],
  ];
  if (webCrypto) {
    rows.push(['ref e: 1,000 WebCrypto Ed25519 verify, awaited one by one', r.wcSeq]);
    rows.push(['ref e: the same, all at once (Promise.all)', r.wcPar]);
  }
  console.log(`\nChromium, CPU throttled ${RATE}×, ${runs} runs: median (min–max), ms`);
  console.log('| measure | ms | in raw noble verifies (÷ one, d) |');
  console.log('|---|---:|---:|');
  for (const [name, xs] of rows) console.log(`| ${name} | ${stats(xs)} | ${fmt(median(xs) / perNoble)}× |`);
  const perSig = median(r.full) / sigsA;
  console.log(
    `\na per signature: ${(perSig * 1000).toFixed(0)} µs = ${(perSig / perNoble).toFixed(2)}× one raw noble verify ` +
      `(${(perNoble * 1000).toFixed(0)} µs); goal 3,000 ms: ${median(r.full) <= 3000 ? 'met' : `missed, ${(median(r.full) / 3000).toFixed(1)}×`}`,
  );
  console.log(
    `a' with the owner's checkpoint: ${fmt(median(r.vouched))} ms = ${(median(r.full) / median(r.vouched)).toFixed(0)}× faster than a; ` +
      `goal 3,000 ms: ${median(r.vouched) <= 3000 ? 'met' : 'missed'}`,
  );
  const perBody = median(r.bodies) / journal.bodies.length;
  console.log(
    `c per body: ${perBody.toFixed(1)} ms; ${N.toLocaleString('en-US')} bodies would take ≈ ${fmt((perBody * N) / 1000)} s`,
  );
} finally {
  await browser.close();
  await server.stop();
}
