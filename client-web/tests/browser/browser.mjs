// Chromium for the browser suite (Debian's, through playwright-core), and a page that
// records everything that must not happen: console errors, uncaught exceptions, CSP
// violations, requests to any other origin, failed requests.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { PDFDocument } from 'pdf-lib';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const CLIENT_WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const WIDTHS = { phone: 320, small: 360, desktop: 1280 };

/**
 * The server and a browser, started once per test file.
 * (`launch` gives each run a fresh temporary user-data-dir; each test then opens its own
 * context, so storage never leaks from one test to the next.)
 */
export async function startSuite() {
  const server = await startServer();
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    baseUrl: server.baseUrl,
    server,
    browser,
    async stop() {
      await browser.close();
      await server.stop();
    },
  };
}

/**
 * A fresh browser context and page. `locale` sets navigator.languages; `width` the viewport.
 * The app's service worker (the offline app shell) is blocked unless `serviceWorkers` is
 * 'allow' (offline.test.mjs): a worker between the page and the network would hide requests
 * from the routes other tests set.
 * Returns the page and `assertClean()`, which fails on anything recorded as wrong.
 */
export async function openPage(
  suite,
  { locale = 'de-DE', width = WIDTHS.desktop, height = 800, reducedMotion, serviceWorkers = 'block' } = {},
) {
  const context = await suite.browser.newContext({
    locale,
    viewport: { width, height },
    reducedMotion,
    serviceWorkers,
  });
  const origin = new URL(suite.baseUrl).origin;
  const problems = [];

  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin) problems.push(`request to another origin: ${request.url()}`);
  });
  context.on('requestfailed', (request) => {
    const error = request.failure()?.errorText;
    // Chromium fetches the favicon after the load event, so going to the next address can
    // cancel it; that cancellation is the only failure that is not a fault of the page.
    if (error === 'net::ERR_ABORTED' && new URL(request.url()).pathname === '/favicon.svg') return;
    problems.push(`request failed: ${request.url()} (${error})`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  // Reported by the page itself, in addition to the console message Chromium writes.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));

  return {
    page,
    context,
    problems,
    assertClean() {
      assert.deepEqual(problems, [], 'nothing should go wrong in the page');
    },
    close: () => context.close(),
  };
}

/** Loads `path` and waits until the app has rendered its page heading. */
export async function visit(page, baseUrl, path = '/') {
  const response = await page.goto(baseUrl + path);
  await page.locator('h1').waitFor();
  return response;
}

export const htmlLangDir = (page) =>
  page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

/** Chooses a language with the visible switcher, and waits for the page to switch. */
export async function chooseLanguage(page, autonym, lang) {
  await page.getByRole('button', { name: autonym, exact: true }).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await settled(page);
}

/**
 * Waits for the page's transitions (the buttons' 0.15 s colour fades) to end: axe must
 * measure contrast on the final colours, not catch a button halfway on a busy machine.
 */
export async function settled(page) {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
}

const FSI_PDI = /[\u2068\u2069]/g;

/**
 * Opens a new coffre as a person would (PIN, the carte's typed form typed back) and returns
 * the carte's typed form. The page ends on « Votre coffre est ouvert ».
 */
export async function openCoffre(page, baseUrl, pin) {
  const heading = (name) => page.getByRole('heading', { level: 1, name }).waitFor();
  await visit(page, baseUrl);
  await page.getByRole('link', { name: 'Ouvrir mon coffre' }).first().click();
  await heading('Comment vous appeler ?');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading('Choisissez votre code');
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(pin);
  await page.getByLabel('Tapez le même code encore une fois').fill(pin);
  await page.getByRole('button', { name: 'Créer ma carte' }).click();
  await heading(/^Votre carte/);
  const typed = (await page.locator('.typed').innerText()).replace(FSI_PDI, '').replace(/\s+/g, ' ').trim();
  await page.getByRole('button', { name: 'J’ai ma carte. Continuer' }).click();
  await heading('Vérifions votre carte');
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await heading('Votre coffre est ouvert');
  return typed;
}

/** Signs in with the carte's typed form and the PIN; the page ends on the open coffre. */
export async function signInWithCarte(page, baseUrl, typed, pin) {
  const heading = (name) => page.getByRole('heading', { level: 1, name }).waitFor();
  await visit(page, baseUrl, '/unlock');
  await page.getByRole('button', { name: 'Avec ma carte' }).click();
  await heading('Montrez votre carte');
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await heading('Tapez votre code');
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(pin);
  await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
  await heading('Votre coffre est ouvert');
}

// ---- Mandates: what mandates.test.mjs and mandates-hostile.test.mjs share ----

/** `text` as a pattern that lets Fluent's isolation marks (around each placeable) through. */
export const loose = (text) =>
  new RegExp(
    text
      .split('')
      .map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\u2068\u2069]*'),
  );

/** A text as shown, without Fluent's isolation marks. */
export const clean = (s) => s.replace(FSI_PDI, '').trim();

const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Follows an in-app link (a reload would forget the unlocked keys, kept in memory only). */
export async function follow(page, name, title) {
  await page.getByRole('link', { name, exact: true }).first().click();
  await h1(page, title);
}

/**
 * Screenshots (with COFFRE_TEST_SCREENSHOTS=DIR), axe (WCAG 2.1 AA) and no sideways scrolling
 * at `width`, for the screens of one test file (`prefix` names its screenshots).
 */
export function screenChecks({ prefix, width }) {
  const shot = async (page, name) => {
    if (process.env.COFFRE_TEST_SCREENSHOTS) {
      await page.screenshot({ path: join(process.env.COFFRE_TEST_SCREENSHOTS, `${name}.png`), fullPage: true });
    }
  };
  /** axe and no sideways scrolling, on the screen as it is now. */
  const axeHere = async (page, what, { overflow: checkOverflow = true } = {}) => {
    const lang = await page.evaluate(() => document.documentElement.lang);
    await settled(page);
    await shot(page, `${prefix}-${what}-${lang}`.replace(/[^a-z0-9]+/gi, '-'));
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const violations = results.violations
      .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
      .join('\n');
    assert.equal(results.violations.length, 0, `${what} (${lang}):\n${violations}`);
    if (!checkOverflow) return;
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    const wide =
      overflow > 0
        ? await page.evaluate(() => {
            const w = document.documentElement.clientWidth;
            return [...document.querySelectorAll('body *')]
              .filter((e) => {
                const r = e.getBoundingClientRect();
                return r.right > w + 0.5 || r.left < -0.5;
              })
              .slice(-3)
              .map((e) => `${e.tagName}.${e.className}: ${e.textContent?.slice(0, 40)}`)
              .join('; ');
          })
        : '';
    assert.ok(overflow <= 0, `${what} (${lang}): no sideways scrolling at ${width} px (${overflow} px): ${wide}`);
  };
  /** axe in French, then in Arabic (right to left), then back to French. */
  const axeBothLanguages = async (page, what, options) => {
    await axeHere(page, what, options);
    await chooseLanguage(page, 'العربية', 'ar');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await axeHere(page, what, options);
    await chooseLanguage(page, 'Français', 'fr');
  };
  return { shot, axeHere, axeBothLanguages };
}

/** A one-time link for an account of `role` (`professional` or `admin`), from the server's own CLI. */
export async function invitation(suite, role = 'professional') {
  const bin = resolve(CLIENT_WEB, process.env.COFFRE_TEST_BIN ?? '../target/debug/coffre');
  const { stdout } = await promisify(execFile)(bin, ['admin', 'invite', '--role', role, '--hours', '1'], {
    env: { ...process.env, COFFRE_DATA_DIR: suite.server.dataDir, COFFRE_LISTEN: '127.0.0.1:0' },
  });
  const token = /#([A-Za-z0-9_-]+)\s*$/m.exec(stdout)?.[1];
  assert.ok(token, `no link in: ${stdout}`);
  return token;
}

/** A one-time link for a professional's account. */
export const professionalInvitation = (suite) => invitation(suite, 'professional');

/**
 * Opens the invited account from the link, as a person would (`title`: the link page's
 * heading); ends on the open account; returns the carte's typed form.
 */
export async function openInvited(page, baseUrl, token, pin, title = 'Votre compte professionnel') {
  await visit(page, baseUrl, `/inscription#${token}`);
  await h1(page, title);
  await page.getByRole('button', { name: 'Commencer' }).click();
  await h1(page, 'Comment vous appeler ?');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await h1(page, 'Choisissez votre code');
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(pin);
  await page.getByLabel('Tapez le même code encore une fois').fill(pin);
  await page.getByRole('button', { name: 'Créer ma carte' }).click();
  await h1(page, /^Votre carte/);
  const typed = clean((await page.locator('.typed').innerText()).replace(/\s+/g, ' '));
  await page.getByRole('button', { name: 'J’ai ma carte. Continuer' }).click();
  await h1(page, 'Vérifions votre carte');
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await h1(page, 'Votre coffre est ouvert');
  return typed;
}

/**
 * On the owner's open coffre: gives a mandate from the grantee's typed code, the five words
 * said to be the same, to `name` on the category labelled `category` with `rights` (the
 * rights' label) for one month. Returns the mandate's number; the page ends on « C'est fait ».
 */
export async function giveByTypedCode(page, typed, { name, category, rights }) {
  await follow(page, 'Donner un mandat', 'Donner un mandat');
  await page.getByRole('button', { name: 'Taper le code' }).click();
  await page.getByLabel('Le code à taper').fill(typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await page.getByText('Comparez les cinq mots').waitFor();
  await page.getByRole('button', { name: 'Oui, les mêmes' }).click();
  await page.getByLabel('Le nom de la personne ou de la structure (pour vous)').fill(name);
  await page.getByLabel(category).check();
  await page.getByLabel(rights, { exact: true }).check();
  await page.getByRole('button', { name: 'Lire le mandat' }).click();
  await page.getByRole('button', { name: 'Signer et donner le mandat' }).click();
  const done = clean(await page.getByText(/C’est fait\. C’est le mandat n°/).innerText());
  const number = /n° (\d+)/.exec(done)?.[1];
  assert.ok(number, done);
  return Number(number);
}

/** An uncompressed Y4M video (4:2:0) of one RGBA image, repeated: what Chromium's fake camera plays. */
export function y4m({ width, height, rgba }, frames = 10) {
  const w = width & ~1;
  const h = height & ~1;
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2), 128);
  const v = Buffer.alloc((w / 2) * (h / 2), 128);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const i = (row * width + col) * 4;
      y[row * w + col] = Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]);
    }
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, u, v]);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`),
    ...Array.from({ length: frames }, () => frame),
  ]);
}

/**
 * Writes to `path` the video a camera would film of `png` (a screenshot of a QR code) with a
 * white margin around it, as on a screen or a printed carte: the QR code needs its quiet zone.
 * The PNG is decoded by a blank page of `context` (the app's CSP allows no such script).
 */
export async function writeFilm(context, png, path) {
  const blank = await context.newPage();
  const image = await blank.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    const margin = 40;
    const canvas = new OffscreenCanvas(bitmap.width + 2 * margin, bitmap.height + 2 * margin);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(bitmap, margin, margin);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: data.width, height: data.height, rgba: Array.from(data.data) };
  }, Array.from(png));
  await blank.close();
  await writeFile(path, y4m(image));
  return path;
}

/** A Chromium whose camera films the video at `path` (close it when done). */
export function launchFilming(path) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...CHROMIUM_FLAGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${path}`,
    ],
  });
}

/** A PDF of `n` pages, each saying its number in large letters. */
export async function pdfOfPages(n) {
  const doc = await PDFDocument.create();
  for (let i = 1; i <= n; i++) doc.addPage([300, 420]).drawText(`Page ${i}`, { x: 60, y: 300, size: 40 });
  return Buffer.from(await doc.save());
}
