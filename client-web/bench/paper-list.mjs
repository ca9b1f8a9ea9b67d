// Unlock → the list of N papers on screen, in Chromium at 4× CPU throttling, against the real
// server (tests/browser/server.mjs: COFFRE_TEST_BIN, default target/debug/coffre, a fresh
// SQLite data directory). The coffre and its N one-page papers are made from Node through
// the real API with the client's own code (tests/browser/seed.mjs), whose listing seals each
// category's owner-signed index (protocol.md section 6.1). Then, in a fresh browser context
// each run (a phone that remembers nothing): the carte's typed form and the PIN, "Ouvrir mon
// coffre" — the clock starts — the coffre's home, "Voir tous mes papiers", and the clock
// stops when the N papers are in the page. Same run, same coffre, as the reference: the host
// serves no index (route interception drops them from `GET /api/papers`), so the list is made
// from every paper's own files as before the index (N metadata files, N signatures).
// With PAPER_LIST_PROFILE=FILE.cpuprofile, the first run with the index is also profiled
// (V8's sampling profiler, 200 µs, from "Ouvrir mon coffre" to the N papers) into FILE; with
// PAPER_LIST_TRACE=FILE.json, traced (Chromium's devtools.timeline: the main thread's tasks,
// style, layout, paint, script compiling) into FILE.
// With PAPER_LIST_BUILDS=name=binary,name=binary…, each build (a `coffre` binary with the
// client it embeds) gets a server and a coffre of its own, seeded the same way, and the runs
// alternate between them (build A, build B, build A…), so that builds are compared in the
// same minutes; without it, the one build is COFFRE_TEST_BIN's (tests/browser/server.mjs).
// PAPER_LIST_FILES=0 leaves out the reference runs from the files. The page is watched by a
// MutationObserver installed before the clock starts (`watch`: nothing polls the throttled
// page); PAPER_LIST_PROBE=polling watches it as before 2026-12-03 (Playwright's role queries
// and `waitForFunction` polled at each frame, whose own work in the page counted in the time);
// PAPER_LIST_PROBE=observer,polling runs each build both ways in turn. At most 9 sign-ins per
// build (below).
// Usage: node bench/paper-list.mjs [papers=1000] [runs=3] [throttle=4]
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../tests/browser/browser.mjs';
import { SEED_PIN, seedCoffre } from '../tests/browser/seed.mjs';
import { startServer } from '../tests/browser/server.mjs';

const N = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 3);
const THROTTLE = Number(process.argv[4] ?? 4);

const WITH_FILES = process.env.PAPER_LIST_FILES !== '0';
const BUILDS = (process.env.PAPER_LIST_BUILDS ?? '')
  .split(',')
  .filter(Boolean)
  .map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`PAPER_LIST_BUILDS: "${pair}" is not name=binary`);
    return { name: pair.slice(0, at), bin: resolve(pair.slice(at + 1)) };
  });

const PROBES = (process.env.PAPER_LIST_PROBE ?? 'observer').split(',');
for (const p of PROBES) if (p !== 'observer' && p !== 'polling') throw new Error(`PAPER_LIST_PROBE: ${p}?`);
const PAPERS_ROUTE = '/coffre/papiers';
// Each run signs in with the coffre's carte, and the host takes 10 sign-ins per carte in 10
// minutes (`signin-key`, server/src/http/session.rs), the seeding's included: a build has at
// most 9 runs (runs × 2 with the reference from the files × the ways of watching).
const SIGN_INS = RUNS * (WITH_FILES ? 2 : 1) * PROBES.length;
if (SIGN_INS > 9)
  throw new Error(
    `${SIGN_INS} sign-ins per build: at most 9 (the host's limit per carte in 10 minutes); fewer runs, PAPER_LIST_FILES=0 or one PAPER_LIST_PROBE`,
  );

/** The first screen is in the page: the search box, the three categories' headings, 40 papers. */
function firstScreen(n) {
  return (
    document.getElementById('papers-search') !== null &&
    // The seed spreads the papers over three categories (tests/browser/seed.mjs).
    document.querySelectorAll('section.category h2 .count').length === Math.min(n, 3) &&
    document.querySelectorAll('.paper-item').length >= Math.min(n, 40)
  );
}

/**
 * Run in the page before "Ouvrir mon coffre": watches the DOM (a MutationObserver, no polling
 * on the throttled CPU) and resolves `window.__paperList.home` when the home's heading is in
 * the page, `first` two animation frames after the first screen is (a frame painted with it),
 * `all` when the N papers are; returns the start time.
 */
function watch(n, isFirst) {
  const marks = {};
  const done = {};
  const refused = {};
  for (const k of ['home', 'first', 'all'])
    marks[k] = new Promise((resolve, reject) => {
      done[k] = resolve;
      refused[k] = reject;
    });
  let home = false;
  let first = false;
  let all = false;
  const check = () => {
    const error = document.getElementById('unlock-error');
    if (!home && error) {
      // The host refused the sign-in (a rate limit: see the file's comment).
      home = true;
      refused.home(new Error(`the sign-in failed: ${error.textContent}`));
    }
    if (!home && [...document.querySelectorAll('h1')].some((h) => h.textContent.trim() === 'Votre coffre est ouvert')) {
      home = true;
      done.home(performance.now());
    }
    if (!first && isFirst(n)) {
      first = true;
      requestAnimationFrame(() => requestAnimationFrame(() => done.first(performance.now())));
    }
    if (!all && document.querySelectorAll('.paper-item').length >= n) {
      all = true;
      done.all(performance.now());
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  window.__paperList = marks;
  return performance.now();
}

const MARK_TIMEOUT_MS = Number(process.env.PAPER_LIST_TIMEOUT_MS ?? 600_000);

/**
 * `window.__paperList[name]` (see `watch`), or, after MARK_TIMEOUT_MS, an error that says where
 * the page's script is (the debugger paused through CDP) and what the page shows.
 */
async function marked(page, cdp, name) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, MARK_TIMEOUT_MS, 'late');
  });
  const got = await Promise.race([page.evaluate((k) => window.__paperList[k], name), late]);
  clearTimeout(timer);
  if (got !== 'late') return got;
  await cdp.send('Debugger.enable');
  const paused = new Promise((resolve) => cdp.once('Debugger.paused', resolve));
  await cdp.send('Debugger.pause');
  const at = await Promise.race([paused, new Promise((resolve) => setTimeout(resolve, 10_000, null))]);
  const stack = at?.callFrames
    ?.map((f) => `  ${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.location.lineNumber + 1}`)
    .join('\n');
  await cdp.send('Debugger.resume').catch(() => undefined);
  const shows = await Promise.race([
    page.evaluate(() => ({
      path: location.pathname,
      items: document.querySelectorAll('.paper-item').length,
      alerts: [...document.querySelectorAll('[role=alert]')].map((a) => a.textContent),
    })),
    new Promise((resolve) => setTimeout(resolve, 10_000, 'no answer')),
  ]);
  throw new Error(
    `no "${name}" after ${MARK_TIMEOUT_MS} ms; the page shows ${JSON.stringify(shows)}; its script:\n${stack ?? '  (idle)'}`,
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg()[0].toFixed(2);

/** A server of `bin` (COFFRE_TEST_BIN's when undefined): startServer reads the variable. */
async function serverOf(bin) {
  const before = process.env.COFFRE_TEST_BIN;
  if (bin !== undefined) process.env.COFFRE_TEST_BIN = bin;
  try {
    return await startServer();
  } finally {
    if (before === undefined) delete process.env.COFFRE_TEST_BIN;
    else process.env.COFFRE_TEST_BIN = before;
  }
}

const builds = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_FLAGS,
});
try {
  for (const { name, bin } of BUILDS.length > 0 ? BUILDS : [{ name: 'build', bin: undefined }]) {
    const server = await serverOf(bin);
    builds.push({ name, server });
    const t0 = performance.now();
    const seeded = await seedCoffre(server.baseUrl, N, {
      onProgress: (i) => i % 250 === 0 && console.error(`${name}: seeded ${i}/${N}`),
    });
    await seeded.store.list();
    await seeded.store.indexUpkeep;
    const listed = await seeded.api.papers();
    builds.at(-1).seeded = seeded;
    console.error(
      `${name}: seeded ${N} papers in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${listed.indexes.length} indexes, ` +
        `${listed.indexes.reduce((n, i) => n + i.size, 0)} bytes of index files`,
    );
  }

  /** One run in a fresh context: ms from "Ouvrir mon coffre" to the home, and to the N papers. */
  async function run({ server, seeded }, probe, withIndex, profile, trace) {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 800 } });
    if (!withIndex) {
      await context.route('**/api/papers', async (route) => {
        // The whole listing from the host, whatever listing the page holds (no 304 to rewrite).
        const headers = { ...route.request().headers() };
        delete headers['if-none-match'];
        const response = await route.fetch({ headers });
        const body = await response.json();
        body.indexes = [];
        await route.fulfill({ response, json: body });
      });
    }
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${server.baseUrl}/unlock`);
    await page.getByRole('button', { name: 'Avec ma carte' }).click();
    await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
    await page.getByLabel('Le code de la carte').fill(seeded.typed);
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill(SEED_PIN);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    if (trace)
      await browser.startTracing(page, {
        path: trace,
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'v8.execute',
          'disabled-by-default-v8.compile',
          'blink.user_timing',
          'loading',
        ],
      });
    let start;
    let home;
    let first;
    let end;
    if (probe === 'polling') {
      start = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
      await page.getByRole('heading', { level: 1, name: 'Votre coffre est ouvert' }).waitFor({ timeout: 120_000 });
      home = await page.evaluate(() => performance.now());
      await page.getByRole('link', { name: 'Voir tous mes papiers' }).click();
      await page.waitForFunction(firstScreen, N, { timeout: 600_000, polling: 'raf' });
      first = await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())))),
      );
      await page.waitForFunction((n) => document.querySelectorAll('.paper-item').length >= n, N, {
        timeout: 600_000,
        polling: 50,
      });
      end = await page.evaluate(() => performance.now());
    } else {
      // One expression (the app's CSP allows no eval in the page): watch(N, firstScreen).
      start = await page.evaluate(`(${watch})(${N}, ${firstScreen})`);
      await page.locator('button[type=submit]').click();
      const mark = (name) => marked(page, cdp, name);
      home = await mark('home');
      await page.locator(`a[href="${PAPERS_ROUTE}"]`).click();
      first = await mark('first');
      end = await mark('all');
    }
    if (profile) await writeFile(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    if (trace) await browser.stopTracing();
    const warned = await page.getByRole('alert').count();
    await context.close();
    return { total: end - start, unlock: home - start, first: first - start, list: end - home, warned };
  }

  const kinds = WITH_FILES
    ? [
        ['index', true],
        ['files', false],
      ]
    : [['index', true]];
  // Each build with each way of watching the page, in turn.
  const variants = builds.flatMap((build) =>
    PROBES.map((probe) => ({
      build,
      probe,
      name: PROBES.length > 1 ? `${build.name}/${probe}` : build.name,
      results: { index: [], files: [] },
    })),
  );
  for (let r = 0; r < RUNS; r++) {
    for (const variant of variants) {
      for (const [kind, withIndex] of kinds) {
        const first = r === 0 && withIndex && variant === variants[0];
        const before = load();
        const m = await run(
          variant.build,
          variant.probe,
          withIndex,
          first ? process.env.PAPER_LIST_PROFILE : undefined,
          first ? process.env.PAPER_LIST_TRACE : undefined,
        );
        variant.results[kind].push(m);
        console.error(
          `${variant.name} ${kind} run ${r + 1} (${new Date().toISOString().slice(11, 19)} UTC): ` +
            `first screen ${m.first.toFixed(0)} ms, all ${m.total.toFixed(0)} ms ` +
            `(unlock ${m.unlock.toFixed(0)}, list ${m.list.toFixed(0)})` +
            `${m.warned ? `, ${m.warned} alert(s)` : ''}, load ${before} -> ${load()}`,
        );
      }
    }
  }
  const summary = (xs) =>
    xs.length === 0
      ? undefined
      : {
          firstScreen: Math.round(median(xs.map((x) => x.first))),
          total: Math.round(median(xs.map((x) => x.total))),
          unlock: Math.round(median(xs.map((x) => x.unlock))),
          list: Math.round(median(xs.map((x) => x.list))),
        };
  console.log(
    JSON.stringify(
      {
        papers: N,
        throttle: THROTTLE,
        runs: RUNS,
        builds: Object.fromEntries(
          variants.map((v) => [v.name, { withIndex: summary(v.results.index), fromFiles: summary(v.results.files) }]),
        ),
        load1: Number(load()),
        cpus: cpus().length,
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  for (const { server } of builds) await server.stop();
}
