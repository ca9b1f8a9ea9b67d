// A paper's pages on the shared photo fixtures, through the real src/papers in headless
// Chromium (the test page of tests/browser/papers-page.mjs: Vite-built, the app's CSP):
//  1. every fixture in WebP and JPEG mode: bytes, output pixels, no metadata left, and the
//     OCR recall of readability.py on the output against the original photo's (same run);
//  2. time to make one page — a pipeline's first page (its worker's start included), its next
//     page, and on the main thread — median (min–max) over the photos × `runs`, against a
//     reference with no Coffre code in the same page and run: a plain
//     createImageBitmap + scaled drawImage + OffscreenCanvas.convertToBlob of the same photo;
//     at 1×, with Emulation.setCPUThrottlingRate {rate: 4} (which slows the page's main
//     thread only: not a worker, not Chromium's image decoding threads), and with the whole
//     renderer process held to a quarter of the time (SIGSTOP/SIGCONT, 20 ms in 80 — every
//     thread; the slowdown this gives a plain JS loop is measured and printed beside).
// The outputs are left in a temporary directory (printed).
//
// Usage: node bench/papers-pages.mjs [runs=5]
//   WEBP_Q=0.7 JPEG_Q=0.6        the qualities measured (default: the module's)
//   TUNE='webp:0.6,0.7,0.8 jpeg:0.5,0.6,0.7'   sizes and recall at several qualities, no timing
//   COFFRE_PAPER_FIXTURES=dir    default ../shared/fixtures/papers beside the project
//   OCR_JOBS=2                   readability.py runs in parallel

import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../tests/browser/browser.mjs';
import { metadataFindings, storedSize } from '../tests/browser/image-metadata.mjs';
import { servePapersPage } from '../tests/browser/papers-page.mjs';

const runs = Number(process.argv[2] ?? 5);
const FIXTURES =
  process.env.COFFRE_PAPER_FIXTURES ?? fileURLToPath(new URL('../../../shared/fixtures/papers', import.meta.url));
const OCR_JOBS = Number(process.env.OCR_JOBS ?? 2);
const NAMES = [
  'attestation-caf',
  'avis-imposition',
  'attestation-domiciliation',
  'titre-sejour-recto',
  'recu-ofii-2pages-p1',
  'recu-ofii-2pages-p2',
];
const A4 = (name) => name !== 'titre-sejour-recto';
const OPTIONS = { maxPdfBytes: 10 * 1024 * 1024 };
const GOALS = { webp: 300 * 1024, jpeg: 375 * 1024 };
const MIME = { webp: 'image/webp', jpeg: 'image/jpeg' };
const REGIMES = ['1×', '4× CDP', '¼ renderer'];

/** [{mode, quality}] to measure. */
function settings() {
  if (process.env.TUNE) {
    return process.env.TUNE.trim()
      .split(/\s+/)
      .flatMap((part) => {
        const [mode, qs] = part.split(':');
        return qs.split(',').map((q) => ({ mode, quality: Number(q) }));
      });
  }
  return [
    { mode: 'webp', quality: Number(process.env.WEBP_Q ?? 0.7) },
    { mode: 'jpeg', quality: Number(process.env.JPEG_Q ?? 0.6) },
  ];
}
const optionsFor = ({ mode, quality }) =>
  mode === 'webp'
    ? { ...OPTIONS, format: 'auto', webpQuality: quality }
    : { ...OPTIONS, format: 'image/jpeg', jpegQuality: quality };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const stats = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
const kb = (n) => `${Math.round(n / 1024)} KB`;
const pct = (x) => `${(100 * x).toFixed(1)} %`;

const parentOf = (pid) =>
  Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ')[1],
  );

/** Chromium renderer processes started by this benchmark (descendants of this process only). */
function rendererPids() {
  const pids = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      for (let p = Number(pid); p > 1; p = parentOf(p)) {
        if (p === process.pid) {
          pids.push(pid);
          break;
        }
      }
    } catch {
      /* gone */
    }
  }
  if (pids.length === 0) throw new Error('no renderer process of this browser found');
  return pids;
}

/**
 * Holds the renderer processes to a quarter of the time (20 ms running, 60 ms stopped:
 * shorter periods let a stop land late by a scheduler tick) until the returned function is
 * called, which lets them run again.
 */
async function quarterSpeed(pids) {
  const script =
    'import os,signal,sys,time\n' +
    'pids=[int(p) for p in sys.argv[1:]]\n' +
    'def cont(*_):\n  [os.kill(p,signal.SIGCONT) for p in pids]\n  sys.exit(0)\n' +
    'signal.signal(signal.SIGTERM,cont)\n' +
    'print("ready",flush=True)\n' +
    'while True:\n  [os.kill(p,signal.SIGCONT) for p in pids]\n  time.sleep(0.02)\n' +
    '  [os.kill(p,signal.SIGSTOP) for p in pids]\n  time.sleep(0.06)\n';
  const child = spawn('python3', ['-c', script, ...pids], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`the duty-cycle process exited (${code})`)));
  });
  return () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
}

const peakMiB = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const run = promisify(execFile);
async function recall(image, truth) {
  const { stdout } = await run('python3', [join(FIXTURES, 'readability.py'), image, truth, '--json'], {
    maxBuffer: 1 << 22,
  });
  return JSON.parse(stdout);
}

/** Runs the jobs `OCR_JOBS` at a time. */
async function pool(jobs) {
  const results = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: OCR_JOBS }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}

const out = await mkdtemp(join(tmpdir(), 'coffre-papers-bench-'));
const site = await servePapersPage();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
const peaks = {}; // pages made → MiB
const version = browser.version();
const rows = []; // {name, mode, quality, bytes, width, height, file, findings}
const times = {}; // `${name} ${mode} ${where} ${regime}` → [ms]
const push = (key, ms) => {
  times[key] ??= [];
  times[key].push(ms);
};

try {
  const page = await browser.newPage();
  await page.goto(site.url);
  await page.waitForFunction(() => 'papersPage' in window);
  await page.evaluate(() => window.papersPage.load());
  await page.setInputFiles(
    '#pick',
    NAMES.map((n) => join(FIXTURES, `${n}.jpg`)),
  );
  const cdp = await page.context().newCDPSession(page);

  // 1. The pages themselves (with JITTER, each also cropped by 0.3 % on every side: other
  // pixels under the same text, a second sample of the OCR's noise).
  const variants = process.env.JITTER ? ['', 'jitter'] : [''];
  const JITTER_CROP = { x: 0.003, y: 0.003, width: 0.994, height: 0.994 };
  for (const [i, name] of NAMES.entries()) {
    for (const setting of settings())
      for (const variant of variants) {
        const spec = { file: i, crop: variant ? JITTER_CROP : undefined };
        const result = await page.evaluate(([s, o]) => window.papersPage.run(s, o), [[spec], optionsFor(setting)]);
        if (result.error) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
        const [p] = result.pages;
        const bytes = Buffer.from(p.base64, 'base64');
        const suffix = `${setting.mode}-q${setting.quality}${variant && `-${variant}`}`;
        const file = join(out, `${name}.${suffix}.${setting.mode === 'webp' ? 'webp' : 'jpg'}`);
        writeFileSync(file, bytes);
        const size = storedSize(bytes);
        if (p.type !== MIME[setting.mode] || size.width !== p.width || size.height !== p.height) {
          throw new Error(`${name}: ${p.type} ${p.width}×${p.height}, stored ${size.width}×${size.height}`);
        }
        rows.push({
          name,
          variant,
          ...setting,
          bytes: bytes.length,
          width: p.width,
          height: p.height,
          file,
          findings: metadataFindings(bytes),
        });
      }
  }

  // 2. Time, per page: Coffre in its worker (a pipeline's first page, which starts the
  // worker, and its second), Coffre on the main thread, the reference.
  if (!process.env.TUNE) {
    const busy = () =>
      page.evaluate(() => {
        const t0 = performance.now();
        let x = 0;
        for (let i = 0; i < 1e8; i++) x += i % 7;
        return performance.now() - t0 + x * 0;
      });
    const twice = (i, options) =>
      page.evaluate(([s, o]) => window.papersPage.pipelineTimes(s, o), [[{ file: i }, { file: i }], options]);
    for (const regime of REGIMES) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: regime === '4× CDP' ? 4 : 1 });
      const resume = regime === '¼ renderer' ? await quarterSpeed(rendererPids()) : null;
      try {
        for (let r = 0; r < runs; r++) {
          push(`loop ${regime}`, await busy());
          for (const [i, name] of NAMES.entries()) {
            for (const setting of settings()) {
              const options = optionsFor(setting);
              const [cold, warm] = await twice(i, { ...options, where: 'worker' });
              push(`${name} ${setting.mode} cold ${regime}`, cold);
              push(`${name} ${setting.mode} warm ${regime}`, warm);
              push(`${name} ${setting.mode} main ${regime}`, (await twice(i, { ...options, where: 'main' }))[1]);
              const ref = await page.evaluate(
                ([f, t, q]) => window.papersPage.reference(f, t, q, 2400),
                [i, MIME[setting.mode], setting.quality],
              );
              if (ref.type !== MIME[setting.mode]) throw new Error(`reference wrote ${ref.type}`);
              push(`${name} ${setting.mode} reference ${regime}`, ref.ms);
            }
          }
        }
      } finally {
        await resume?.();
      }
      console.log(`timed: ${regime}`);
    }

    // 3. Memory: the renderers' peak resident size (VmHWM) in a fresh browser after one
    // page, and after all six through one pipeline (it must not grow with the pages).
    const others = new Set(rendererPids());
    for (const count of [0, 1, NAMES.length]) {
      const fresh = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
      try {
        const tab = await fresh.newPage();
        await tab.goto(site.url);
        await tab.waitForFunction(() => 'papersPage' in window);
        await tab.evaluate(() => window.papersPage.load());
        await tab.setInputFiles(
          '#pick',
          NAMES.map((n) => join(FIXTURES, `${n}.jpg`)),
        );
        const specs = NAMES.slice(0, count).map((_, i) => ({ file: i }));
        await tab.evaluate(([s, o]) => window.papersPage.pipelineTimes(s, o), [specs, optionsFor(settings()[0])]);
        const mine = rendererPids().filter((pid) => !others.has(pid));
        peaks[count] = Math.max(...mine.map((pid) => peakMiB(pid)));
      } finally {
        await fresh.close();
      }
    }
  }
} finally {
  await browser.close();
  await site.stop();
}

// 3. Readability: the originals and every output, through readability.py.
const originals = await pool(NAMES.map((n) => () => recall(join(FIXTURES, `${n}.jpg`), join(FIXTURES, `${n}.txt`))));
const outputs = await pool(rows.map((row) => () => recall(row.file, join(FIXTURES, `${row.name}.txt`))));
const original = Object.fromEntries(NAMES.map((n, i) => [n, originals[i]]));

console.log(`\nChromium ${version} headless; outputs in ${out}`);
console.log('\n| fixture | mode | bytes | pixels | recall original → output | ratio | metadata left |');
console.log('|---|---|---:|---|---|---:|---|');
for (const [i, row] of rows.entries()) {
  const o = original[row.name];
  row.ratio = outputs[i].recall / o.recall;
  row.recall = outputs[i].recall;
  console.log(
    `| ${row.name}${row.variant && ` (${row.variant})`} | ${row.mode} q${row.quality} | ${kb(row.bytes)} (original ${kb(o.bytes)}) | ${row.width}×${row.height} | ` +
      `${pct(o.recall)} → ${pct(row.recall)} | ${pct(row.ratio)} | ${row.findings.length ? row.findings.join(', ') : 'none'} |`,
  );
}

console.log(
  '\nPer setting, over the A4 pages (five, or ten with JITTER; goal: ≤ 300 KB WebP / ≤ 375 KB JPEG, ≥ 95 % of the original recall):',
);
console.log('| setting | bytes, median (min–max) | worst ratio | mean ratio | card ratio | goal |');
console.log('|---|---:|---:|---:|---:|---|');
for (const setting of settings()) {
  const mine = rows.filter((r) => r.mode === setting.mode && r.quality === setting.quality);
  const a4 = mine.filter((r) => A4(r.name));
  const worst = Math.min(...a4.map((r) => r.ratio));
  const mean = a4.reduce((s, r) => s + r.ratio, 0) / a4.length;
  const card = mine.filter((r) => !A4(r.name));
  const biggest = Math.max(...a4.map((r) => r.bytes));
  const met = biggest <= GOALS[setting.mode] && worst >= 0.95;
  console.log(
    `| ${setting.mode} q${setting.quality} | ${stats(a4.map((r) => r.bytes / 1024))} KB | ${pct(worst)} | ${pct(mean)} | ` +
      `${card.map((r) => pct(r.ratio)).join(', ') || '–'} | ${met ? 'met' : 'missed'} |`,
  );
}

if (!process.env.TUNE) {
  console.log(
    `\nRenderer peak RSS (VmHWM, the largest renderer), fresh browser: page loaded ${peaks[0].toFixed(0)} MiB, ` +
      `after one page ${peaks[1].toFixed(0)} MiB, after ${NAMES.length} pages in one pipeline ${peaks[NAMES.length].toFixed(0)} MiB`,
  );
  if (runs > 0) printTimes();
}

function printTimes() {
  const loop = (regime) => median(times[`loop ${regime}`]) / median(times['loop 1×']);
  console.log(
    `\nTime to make one page, ms, median (min–max) over the six photos × ${runs} runs. Reference: ` +
      'createImageBitmap + drawImage + convertToBlob on the main thread, no Coffre code. A plain JS loop on ' +
      `the main thread ran ${loop('4× CDP').toFixed(1)}× slower at 4× CDP, ${loop('¼ renderer').toFixed(1)}× with ¼ renderer.`,
  );
  console.log(
    '| mode | regime | worker, first page | worker, next page | main thread | reference | first ÷ ref | next ÷ ref | main ÷ ref |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const setting of settings()) {
    for (const regime of REGIMES) {
      const all = (where) => NAMES.flatMap((n) => times[`${n} ${setting.mode} ${where} ${regime}`]);
      const [cold, warm, main, ref] = ['cold', 'warm', 'main', 'reference'].map(all);
      const r = (xs) => `${(median(xs) / median(ref)).toFixed(2)}×`;
      console.log(
        `| ${setting.mode} q${setting.quality} | ${regime} | ${stats(cold)} | ${stats(warm)} | ${stats(main)} | ` +
          `${stats(ref)} | ${r(cold)} | ${r(warm)} | ${r(main)} |`,
      );
    }
  }
}
