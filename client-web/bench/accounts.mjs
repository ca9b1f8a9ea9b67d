// Accounts in the real app, in Chromium with the CPU throttled 4× (Emulation.setCPUThrottlingRate),
// against the real server (tests/browser/server.mjs: COFFRE_TEST_BIN, default target/debug/coffre):
//  a. "Créer ma carte" clicked (PIN step) → the carte's QR code on screen;
//  b. carte + PIN: "Ouvrir mon coffre" clicked (PIN step) → h1 "Votre coffre est ouvert";
//  c. six words: "Ouvrir mon coffre" clicked (words step) → the same heading;
//  e. passkey (Chromium's virtual authenticator, with PRF): "Avec ma clé d'accès" clicked →
//     the same heading, one get() signing in and unlocking;
//  f. a remembered phone: "Ouvrir mon coffre" clicked (its PIN step) → the same heading;
// ((d) is bench/signin-load.mjs, BENCHMARKS.md section 7.)
// and, in the same throttled page, a reference with no Coffre code: one age-encryption X25519
// encrypt + decrypt of 1 KiB, and one scrypt at log2 N = 15 on the page's main thread.
// Each run is a fresh browser context (no storage carried over). The server's rate limits
// stay on: one coffre per run of (a) (10 per IP per hour), one carte and one passphrase for
// every run of (b) and (c) (10 sign-ins per key and 30 per IP per 10 minutes), so runs ≤ 9.
// (e) and (f) run in one context of their own (the passkey lives in that page's virtual
// authenticator; the remembered phone in its IndexedDB), reloading /unlock for each run: the
// app is in the browser's cache, as on the person's own phone. `FLOWS=de` runs only them
// (the letters of FLOWS: a–c, then d for the passkey and e for the remembered phone).
// Both count against the remembered device key (10 sign-ins per key per 10 minutes): with (e)
// and (f), runs ≤ 4.
// Usage: [FLOWS=abcde] node bench/accounts.mjs [runs=7]
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startServer } from '../tests/browser/server.mjs';

const runs = Math.min(Number(process.argv[2] ?? 7), 9);
const FLOWS = process.env.FLOWS ?? 'abcde';
const RATE = 4;
const PIN = '73915604';
const FSI_PDI = /[\u2068\u2069]/g;
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The reference (bench/reference.ts) as one classic script, to evaluate in the app's page. */
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
        entry: fileURLToPath(new URL('./reference.ts', import.meta.url)),
        formats: ['iife'],
        name: 'coffreReference',
      },
    },
  });
  const chunk = (Array.isArray(out) ? out[0] : out).output[0];
  return `${chunk.code}\nwindow.coffreReference = coffreReference;`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

const server = await startServer();
const base = server.baseUrl;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: FLAGS,
});
const reference = await referenceSource();

/** A fresh context and page, throttled from the start; `times` of the sign-in requests. */
async function freshPage(rate = RATE) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const requests = [];
  page.on('requestfinished', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/api/')) {
      const t = request.timing();
      requests.push({
        path,
        ms: t.responseEnd - t.requestStart,
        start: t.startTime + t.requestStart,
        end: t.startTime + t.responseEnd,
      });
    }
  });
  return { context, page, cdp, requests };
}

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 60_000 });

/** In the page: the reference, `n` times each. */
async function measureReference(page, n = 3) {
  await page.evaluate(reference);
  const x = [];
  const s = [];
  for (let i = 0; i < n; i++) {
    x.push(await page.evaluate(() => window.coffreReference.x25519RoundTrip(1024)));
    s.push(await page.evaluate(() => window.coffreReference.scryptOnce(15)));
  }
  return { x25519: median(x), scrypt: median(s) };
}

/** Opens a coffre up to its carte on screen; returns ms and the typed carte. */
async function createToCarte(page) {
  await page.goto(`${base}/create`);
  await heading(page, 'Comment vous appeler ?');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading(page, 'Choisissez votre code');
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
  await page.getByLabel('Tapez le même code encore une fois').fill(PIN);
  const qr = page.getByRole('img', { name: 'Le code carré de votre carte' });
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Créer ma carte' }).click();
  await qr.waitFor({ timeout: 60_000 });
  const ms = Date.now() - t0;
  const typed = (await page.locator('.typed').innerText()).replace(FSI_PDI, '').replace(/\s+/g, ' ').trim();
  return { ms, typed };
}

/** Finishes opening the coffre (typed scan-back) and adds the six words; returns them. */
async function finishAndAddWords(page, typed) {
  await page.getByRole('button', { name: 'J’ai ma carte. Continuer' }).click();
  await heading(page, 'Vérifions votre carte');
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await heading(page, 'Votre coffre est ouvert');
  await page.getByRole('button', { name: 'Ajouter six mots de secours' }).click();
  const words = (await page.getByRole('list', { name: 'Vos six mots' }).innerText())
    .replace(FSI_PDI, '')
    .split(/\s+/)
    .filter((w) => /^[a-z]+$/.test(w));
  await page.getByLabel('J’ai écrit les six mots sur un papier.').check();
  await page.getByRole('button', { name: 'Enregistrer les six mots' }).click();
  await page.getByText(/Vos six mots sont enregistrés/).waitFor();
  return words.join(' ');
}

async function signInCarte(page, typed) {
  await page.goto(`${base}/unlock`);
  await page.getByRole('button', { name: 'Avec ma carte' }).click();
  await heading(page, 'Montrez votre carte');
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await heading(page, 'Tapez votre code');
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
  await heading(page, 'Votre coffre est ouvert');
  return { t0, ms: Date.now() - t0 };
}

async function signInWords(page, words) {
  await page.goto(`${base}/unlock`);
  await page.getByRole('button', { name: 'Avec mes six mots' }).click();
  await heading(page, 'Tapez vos six mots');
  await page.getByLabel('Vos six mots').fill(words);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
  await heading(page, 'Votre coffre est ouvert');
  return { t0, ms: Date.now() - t0 };
}

/**
 * (e) and (f) on one "own phone": a context with a virtual platform authenticator (PRF),
 * signed in with the carte, a passkey added, the phone remembered; then each run reloads
 * /unlock and opens the coffre with the passkey, then with the PIN on the remembered phone.
 */
async function ownPhone(typed, t, n) {
  const p = await freshPage();
  await p.cdp.send('WebAuthn.enable', { enableUI: false });
  await p.cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: true,
      automaticPresenceSimulation: true,
    },
  });
  await signInCarte(p.page, typed);
  await p.page.getByRole('button', { name: 'Ajouter une clé d’accès sur cet appareil' }).click();
  await p.page.getByText('C’est fait. La prochaine fois').waitFor({ timeout: 60_000 });
  await p.page.getByRole('button', { name: 'Se souvenir de ce téléphone' }).click();
  await p.page.getByText('C’est fait. Sur ce téléphone').waitFor({ timeout: 60_000 });
  for (let i = 0; i < n; i++) {
    if (FLOWS.includes('d')) {
      await p.page.goto(`${base}/unlock`);
      const button = p.page.getByRole('button', { name: 'Avec ma clé d’accès' });
      await button.waitFor();
      const t0 = Date.now();
      await button.click();
      await heading(p.page, 'Votre coffre est ouvert');
      t.passkey.push(Date.now() - t0);
    }
    if (FLOWS.includes('e')) {
      await p.page.goto(`${base}/unlock`);
      await p.page.getByRole('button', { name: 'Avec mon code, sur ce téléphone' }).click();
      await p.page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
      const t0 = Date.now();
      await p.page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
      await heading(p.page, 'Votre coffre est ouvert').catch(async (e) => {
        throw new Error(`${e.message}\n${await p.page.locator('main').innerText()}`);
      });
      t.phone.push(Date.now() - t0);
    }
  }
  await p.context.close();
}

const serverMs = (requests, path) => requests.filter((r) => r.path === path).map((r) => r.ms);

/** Click → sign-in request sent (nonce, signature), the request, its answer → heading. */
function phases(requests, path, { t0, ms }) {
  const r = requests.find((x) => x.path === path);
  return { before: r.start - t0, request: r.end - r.start, after: t0 + ms - r.end };
}

try {
  console.log(`Chromium ${browser.version()}, CPU throttled ${RATE}×, ${runs} runs, server ${base}`);
  // Setup (throttled too, not timed): one coffre with six words, for (b) and (c).
  const setup = await freshPage();
  const { typed } = await createToCarte(setup.page);
  const words = await finishAndAddWords(setup.page, typed);
  await setup.context.close();

  const t = { create: [], carte: [], words: [], passkey: [], phone: [], refX: [], refScrypt: [], refScryptFree: [] };
  const srv = { create: [], carte: [], words: [] };
  const split = { carte: [], words: [] };
  for (let i = 0; FLOWS.includes('a') && i < runs; i++) {
    // The three flows interleaved, so a change in the machine's load touches each alike.
    {
      const p = await freshPage();
      t.create.push((await createToCarte(p.page)).ms);
      const ref = await measureReference(p.page);
      t.refX.push(ref.x25519);
      t.refScrypt.push(ref.scrypt);
      await p.cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      t.refScryptFree.push((await measureReference(p.page, 1)).scrypt);
      await p.context.close();
    }
    {
      const p = await freshPage();
      const r = await signInCarte(p.page, typed);
      t.carte.push(r.ms);
      srv.carte.push(...serverMs(p.requests, '/api/sessions/carte'));
      split.carte.push(phases(p.requests, '/api/sessions/carte', r));
      await p.context.close();
    }
    {
      const p = await freshPage();
      const r = await signInWords(p.page, words);
      t.words.push(r.ms);
      srv.words.push(...serverMs(p.requests, '/api/sessions/passphrase'));
      split.words.push(phases(p.requests, '/api/sessions/passphrase', r));
      await p.context.close();
    }
  }
  if (FLOWS.includes('d') || FLOWS.includes('e')) await ownPhone(typed, t, runs);
  if (!t.refX.length) {
    const p = await freshPage();
    await p.page.goto(`${base}/unlock`);
    const ref = await measureReference(p.page);
    t.refX.push(ref.x25519);
    t.refScrypt.push(ref.scrypt);
    await p.context.close();
  }
  const rx = median(t.refX);
  const rs = median(t.refScrypt);
  console.log('\n| measure | median ms | min–max ms | ÷ X25519 1 KiB ref | ÷ scrypt 15 ref |');
  console.log('|---|---:|---:|---:|---:|');
  const row = (label, xs) =>
    xs.length &&
    console.log(
      `| ${label} | ${median(xs).toFixed(0)} | ${spread(xs)} | ${(median(xs) / rx).toFixed(1)}× | ${(median(xs) / rs).toFixed(2)}× |`,
    );
  row('a. "Créer ma carte" → QR on screen', t.create);
  row('b. carte + PIN → "Votre coffre est ouvert"', t.carte);
  row('c. six words → "Votre coffre est ouvert"', t.words);
  row('e. passkey (PRF, one get()) → "Votre coffre est ouvert"', t.passkey);
  row('f. remembered phone + PIN → "Votre coffre est ouvert"', t.phone);
  row('ref: age X25519 encrypt+decrypt 1 KiB (page)', t.refX);
  row('ref: one scrypt log2 N 15 (page main thread)', t.refScrypt);
  row('ref: one scrypt log2 N 15, unthrottled', t.refScryptFree);
  // The module worker is not slowed by Emulation.setCPUThrottlingRate (bench/worker-throttle.mjs),
  // so (c) ran its scrypt at full speed: what (c) would be if the worker were slowed as well.
  const estimate = t.words.map((w) => w - median(t.refScryptFree) + median(t.refScrypt));
  if (t.words.length) row('c, estimated with the worker slowed 4× too', estimate);
  if (srv.carte.length)
    console.log(
      `\nServer side (request start → response end, seen by the page): POST /api/sessions/carte median ${median(srv.carte).toFixed(0)} ms (${spread(srv.carte)}), POST /api/sessions/passphrase median ${median(srv.words).toFixed(0)} ms (${spread(srv.words)})`,
    );
  for (const [name, xs] of Object.entries(split).filter(([, xs]) => xs.length)) {
    const m = (k) => median(xs.map((x) => x[k])).toFixed(0);
    console.log(
      `${name}: click → sign-in request sent ${m('before')} ms; request ${m('request')} ms; answer → heading ${m('after')} ms (medians)`,
    );
  }
  console.log(JSON.stringify({ t, srv, split }));
} finally {
  await browser.close();
  await server.stop();
}
