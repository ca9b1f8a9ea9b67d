// Chromium for the browser suite (Debian's, through playwright-core), and a page that
// records everything that must not happen: console errors, uncaught exceptions, CSP
// violations, requests to any other origin, failed requests.
import assert from 'node:assert/strict';
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
