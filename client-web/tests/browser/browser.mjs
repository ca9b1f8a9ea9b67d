// Chromium for the browser suite (Debian's, through playwright-core), and a page that
// records everything that must not happen: console errors, uncaught exceptions, CSP
// violations, requests to any other origin, failed requests.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

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
