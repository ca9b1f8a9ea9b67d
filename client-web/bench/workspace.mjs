// « Les personnes que j'aide » with P people followed (M consult mandates each), in Chromium at
// 4× CPU throttling, against the real server (tests/browser/server.mjs: COFFRE_TEST_BIN,
// default target/debug/coffre, a fresh SQLite data directory). Issue 14: "The aidant's
// workspace with 40 people followed (5 mandates each) on screen ... ≤ 1.5 s".
//
// Setup (not measured): two professional accounts opened in the browser from their
// invitation links (`coffre admin invite --role professional`), unthrottled; their « Mon code »
// read from the screen. Then, from Node through the real API with the client's own code
// (bench/workspace-entry.ts, bundled by Vite like the other benches): P owners' coffres as the
// browser makes them, each giving the first aidant M one-month consult mandates on M different
// categories (owner.ts `giveMandate`: owner-signed mandate + `mandate_granted` journal entry,
// the category key and its label wrapped to the aidant); and one more owner giving the second
// aidant M the same way — the reference: the same page, 1 person followed.
//
// Each run, for each aidant, in a fresh 360 px context (a phone that remembers nothing): the
// carte's typed form and the PIN, « Ouvrir mon coffre », the coffre's home; then the CPU is
// throttled, the clock starts at the click on « Les personnes que j'aide », and stops
//  - `people`: when the page shows its P people (Workspace.tsx: one `li` per owner coffre in
//    the top `.mandate-list`, each headed by an h2 `person-<coffre>`, rendered only once
//    every received mandate is verified, `loadReceived`), and
//  - `named`: when, besides, every démarche has its name (each mandate box fetches its
//    categories and opens the labels sealed to the aidant: the h4s no longer read
//    « Démarche n sur N »).
// A second reference, in the same page once measured, still throttled: the aidant's received
// mandate statements fetched again and verified with the client's `verifyStatement` alone
// (bench/workspace-reference.ts): the raw signature cost under the figure, nothing drawn.
// Median of the runs. The server's rate limits: coffre creation is raised for the seeding
// (COFFRE_LIMITS__NEW_COFFRES_PER_IP_PER_HOUR), sign-ins stay as they are (≤ 9 runs).
// PROFILE_DIST=DIR adds one run of the P people with the V8 sampling profiler on (200 µs), the
// app served from DIR by route interception (a build without minification, for the names:
// `npx vite build --minify false --outDir DIR`); it prints self and inclusive time per
// function and writes DIR-workspace.cpuprofile.
// BENCH_SCREENSHOTS=DIR saves the top of each page once measured.
// Usage: node bench/workspace.mjs [people=40] [mandates=5] [runs=3] [throttle=4]
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_FLAGS, clean, professionalInvitation } from '../tests/browser/browser.mjs';
import { startServer } from '../tests/browser/server.mjs';
import { bundle } from './bundle.mjs';

const P = Number(process.argv[2] ?? 40);
const M = Number(process.argv[3] ?? 5);
const RUNS = Math.min(Number(process.argv[4] ?? 3), 9);
const THROTTLE = Number(process.argv[5] ?? 4);
const OWNER_PIN = '40417386';
const AIDANT_PIN = '52817346';
const PEOPLE = 'Les personnes que j’aide';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg()[0].toFixed(2);
const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 120_000 });

process.env.COFFRE_LIMITS__NEW_COFFRES_PER_IP_PER_HOUR = String(P + 10);
const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_FLAGS,
});

// The app's one `api` (src/api) calls `fetch('/api/…')` as in a page; in Node, the bench's
// fetch resolves the path against the server and keeps one cookie: the owner being seeded.
let cookie = '';
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
  const headers = { ...(init.headers ?? {}) };
  if (cookie) headers.cookie = cookie;
  const response = await realFetch(new URL(String(input), server.baseUrl), { ...init, headers });
  for (const c of response.headers.getSetCookie?.() ?? []) if (c.startsWith('coffre=')) cookie = c.split(';')[0];
  return response;
};

/** Opens a professional account from its invitation link; returns its typed carte and code. */
async function openAidant() {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/inscription#${await professionalInvitation({ server })}`);
  await heading(page, 'Votre compte professionnel');
  await page.getByRole('button', { name: 'Commencer' }).click();
  await heading(page, 'Comment vous appeler ?');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading(page, 'Choisissez votre code');
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(AIDANT_PIN);
  await page.getByLabel('Tapez le même code encore une fois').fill(AIDANT_PIN);
  await page.getByRole('button', { name: 'Créer ma carte' }).click();
  await heading(page, /^Votre carte/);
  const typed = clean((await page.locator('.typed').innerText()).replace(/\s+/g, ' '));
  await page.getByRole('button', { name: 'J’ai ma carte. Continuer' }).click();
  await heading(page, 'Vérifions votre carte');
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await heading(page, 'Votre coffre est ouvert');
  await page.getByRole('link', { name: 'Mon code', exact: true }).first().click();
  await heading(page, 'Mon code');
  const code = clean(await page.locator('#mycode-typed').innerText());
  await context.close();
  return { typed, code };
}

let client;
let reference;

/** bench/workspace-reference.ts as one classic script, to evaluate in the app's page. */
async function referenceSource() {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    root: fileURLToPath(new URL('..', import.meta.url)),
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: {
        entry: fileURLToPath(new URL('./workspace-reference.ts', import.meta.url)),
        formats: ['iife'],
        name: 'workspaceReference',
      },
    },
  });
  const chunk = (Array.isArray(out) ? out[0] : out).output[0];
  return `${chunk.code}\nwindow.workspaceReference = workspaceReference;`;
}

/** One owner's coffre, made as the browser makes it; gives `aidant` M consult mandates. */
async function ownerGives(aidantCode) {
  cookie = '';
  const { api } = client;
  const instance = await api.instance();
  const made = await client.makeCoffre(instance.origin, instance.now);
  const { nonce } = await api.nonce();
  await api.createCoffre(client.createBody(made, OWNER_PIN, nonce, { label: 'Seed', shared: false }));
  const session = {
    instance: instance.origin,
    coffre: made.coffre,
    epoch: 0,
    seed: made.seed,
    keys: made.keys,
    csrf: api.csrf,
    shared: false,
    factor: 'carte',
  };
  const store = new client.PaperStore(session, api, {
    checkpoints: client.memoryIndexCheckpoints(),
    journal: () => undefined,
  });
  const categories = await store.categories();
  const parsed = client.parseCodeTyped(aidantCode);
  if (!parsed.ok) throw new Error(`the aidant's code does not read: ${parsed.reason}`);
  const who = await client.resolveGrantee(session, parsed.code);
  for (const category of categories.slice(0, M)) {
    const { now } = await api.instance();
    const notAfter = now + client.DURATIONS.month;
    const mandate = randomUUID();
    // As Give.tsx writes it (the category's own name where the screen has its French one).
    const text = client.mandateText({
      mandate,
      granteeName: 'Aidant',
      granteeWords: who.words,
      granteeType: who.grantee.type,
      ownerWords: client.fingerprintWords(session.keys.fingerprint()),
      categories: [category.name],
      rights: 'consult',
      notBefore: now,
      notAfter,
    });
    await client.giveMandate(session, who, {
      categories: [category],
      rights: 'consult',
      notBefore: now,
      notAfter,
      textSha256: client.textSha256(text),
      mandate,
    });
  }
}

/** One run in a fresh context: ms from the click to the people, and to every démarche named. */
async function run(aidant, people, { dist } = {}) {
  const context = await browser.newContext({
    locale: 'fr-FR',
    viewport: { width: 360, height: 800 },
    // Profiled: the app from `dist`, by route interception (a service worker would bypass it).
    ...(dist ? { serviceWorkers: 'block' } : {}),
  });
  if (dist) await serveApp(context, dist);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  try {
    return await measure(page, await context.newCDPSession(page), aidant, people, dist);
  } catch (e) {
    const shot = `/tmp/workspace-bench-failed-${Date.now()}.png`;
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    throw new Error(`run failed (screenshot ${shot}): ${e.message}`);
  } finally {
    await context.close();
  }
}

async function measure(page, cdp, aidant, people, dist) {
  await page.goto(`${server.baseUrl}/unlock`);
  await page.getByRole('button', { name: 'Avec ma carte' }).click();
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(aidant.typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(AIDANT_PIN);
  await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
  await heading(page, 'Votre coffre est ouvert');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  if (dist) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const start = await page.evaluate(() => performance.now());
  await page.getByRole('link', { name: PEOPLE, exact: true }).first().click();
  await page.waitForFunction(
    (n) => document.querySelectorAll('ul.mandate-list > li > h2[id^="person-"]').length >= n,
    people,
    { timeout: 600_000, polling: 20 },
  );
  const shown = await page.evaluate(() => performance.now());
  await page.waitForFunction(
    (n) => {
      const h4 = [...document.querySelectorAll('ul.mandate-list h4')];
      return (
        h4.length >= n && h4.every((h) => !/^Démarche \d+ sur \d+$/.test(h.textContent.replace(/[\u2068\u2069]/g, '')))
      );
    },
    people * M,
    { timeout: 600_000, polling: 50 },
  );
  const named = await page.evaluate(() => performance.now());
  const profile = dist ? (await cdp.send('Profiler.stop')).profile : undefined;
  // Still throttled: the same statements verified again in this page, nothing else.
  await page.evaluate(reference);
  const raw = await page.evaluate(() => window.workspaceReference.verifyReceived());
  const counts = await page.evaluate(() => ({
    people: document.querySelectorAll('ul.mandate-list > li > h2[id^="person-"]').length,
    mandates: document.querySelectorAll('section[aria-labelledby^="m-"]').length,
    alerts: document.querySelectorAll('[role="alert"]').length,
  }));
  if (process.env.BENCH_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.BENCH_SCREENSHOTS}/workspace-${people}.png`, fullPage: false });
  if (counts.people !== people || counts.mandates !== people * M || raw.n !== people * M)
    throw new Error(`expected ${people} people and ${people * M} mandates, saw ${JSON.stringify(counts)}`);
  return { people: shown - start, named: named - start, verify: raw.ms, alerts: counts.alerts, profile };
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.json': 'application/json' };

/** Serves the app's files from `dist` (the server's headers kept: its CSP), `/api/` from the server. */
async function serveApp(context, dist) {
  await context.route(`${server.baseUrl}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/api/') || route.request().method() !== 'GET') return route.continue();
    const file = join(dist, url.pathname);
    const found = url.pathname !== '/' && existsSync(file) && statSync(file).isFile();
    const response = await route.fetch({ url: `${server.baseUrl}/` });
    await route.fulfill({
      response,
      body: await readFile(found ? file : join(dist, 'index.html')),
      headers: {
        ...response.headers(),
        'content-type': TYPES[found ? extname(file) : '.html'] ?? 'application/octet-stream',
      },
    });
  });
}

/**
 * A V8 CPU profile's samples from `from` to `to` ms after the profile started, as
 * milliseconds: self time per function, and inclusive time (each function counted once per
 * sample it is on the stack of).
 */
function breakdown(profile, from, to, top = 30) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, '') : '';
    return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const incl = new Map();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] / 1000;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (at < from || at >= to) return;
    const node = byId.get(id);
    self.set(name(node), (self.get(name(node)) ?? 0) + ms);
    const seen = new Set();
    for (let up = id; up !== undefined; up = parent.get(up)) seen.add(name(byId.get(up)));
    for (const k of seen) incl.set(k, (incl.get(k) ?? 0) + ms);
  });
  const rows = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `| ${k.replaceAll('|', '\\|')} | ${v.toFixed(0)} |`)
      .join('\n');
  return `self time (ms)\n| function | ms |\n|---|---:|\n${rows(self)}\n\ninclusive (ms)\n| function | ms |\n|---|---:|\n${rows(incl)}`;
}

try {
  client = await import(await bundle('./workspace-entry.ts', 'workspace-entry'));
  reference = await referenceSource();
  const many = await openAidant();
  const one = await openAidant();
  const t0 = performance.now();
  for (let i = 0; i < P; i++) {
    await ownerGives(many.code);
    if ((i + 1) % 10 === 0) console.error(`seeded ${i + 1}/${P} owners (${(i + 1) * M} mandates), load ${load()}`);
  }
  await ownerGives(one.code);
  const seedSeconds = (performance.now() - t0) / 1000;
  console.error(`seeded ${P + 1} owners, ${(P + 1) * M} mandates in ${seedSeconds.toFixed(0)} s`);

  const results = { many: [], one: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const [name, aidant, people] of [
      ['many', many, P],
      ['one', one, 1],
    ]) {
      const m = await run(aidant, people);
      results[name].push(m);
      console.error(
        `${name === 'many' ? `${P} people` : '1 person'} run ${r + 1}: people on screen ${m.people.toFixed(0)} ms, ` +
          `every démarche named ${m.named.toFixed(0)} ms, the ${people * M} statements alone ${m.verify.toFixed(0)} ms${m.alerts ? `, ${m.alerts} alert(s)` : ''}, load ${load()}`,
      );
    }
  }
  const summary = (xs) => ({
    people: Math.round(median(xs.map((x) => x.people))),
    named: Math.round(median(xs.map((x) => x.named))),
    verifyOnly: Math.round(median(xs.map((x) => x.verify))),
    all: xs.map((x) => [Math.round(x.people), Math.round(x.named), Math.round(x.verify)]),
  });
  if (process.env.PROFILE_DIST) {
    const m = await run(many, P, { dist: process.env.PROFILE_DIST });
    const out = `${process.env.PROFILE_DIST.replace(/\/$/, '')}-workspace.cpuprofile`;
    await writeFile(out, JSON.stringify(m.profile));
    console.error(
      `profiled run (${process.env.PROFILE_DIST}): people on screen ${m.people.toFixed(0)} ms, ` +
        `every démarche named ${m.named.toFixed(0)} ms, load ${load()}; profile in ${out}`,
    );
    console.log(`\n### From the click to the people on screen (0–${m.people.toFixed(0)} ms)\n`);
    console.log(breakdown(m.profile, 0, m.people));
    console.log(
      `\n### From the people on screen to every démarche named (${m.people.toFixed(0)}–${m.named.toFixed(0)} ms)\n`,
    );
    console.log(breakdown(m.profile, m.people, m.named));
  }
  console.log(
    JSON.stringify(
      {
        people: P,
        mandatesEach: M,
        throttle: THROTTLE,
        runs: RUNS,
        seedSeconds: Math.round(seedSeconds),
        followed: summary(results.many),
        reference1: summary(results.one),
        load1: Number(load()),
        cpus: cpus().length,
      },
      null,
      2,
    ),
  );
} finally {
  globalThis.fetch = realFetch;
  await browser.close();
  await server.stop();
}
