// The app shell against the real server: loads cleanly under its CSP, negotiates and
// switches languages (with right-to-left Arabic), routes with the history API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chooseLanguage, htmlLangDir, openPage, startSuite, visit } from './browser.mjs';

let suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

/** Runs `body` with a fresh page, then checks nothing went wrong in it. */
async function withPage(options, body) {
  const tab = await openPage(suite, options);
  try {
    await body(tab.page);
    tab.assertClean();
  } finally {
    await tab.close();
  }
}

describe('loading', () => {
  it('loads under a strict CSP, with nothing from another origin and no error', async () => {
    await withPage({}, async (page) => {
      const response = await visit(page, suite.baseUrl);
      assert.equal(response.status(), 200);
      const csp = response.headers()['content-security-policy'];
      assert.ok(csp, 'the page is served with a Content-Security-Policy header');
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      // The built page itself carries no inline script or style.
      const inline = await page.evaluate(() => ({
        scripts: [...document.scripts].filter((s) => !s.src).length,
        styles: document.querySelectorAll('style, [style]').length,
      }));
      assert.deepEqual(inline, { scripts: 0, styles: 0 });
      await assert.doesNotReject(page.getByRole('link', { name: /Ouvrir mon coffre/ }).waitFor());
    });
  });

  it('has the landmarks and exactly one h1', async () => {
    await withPage({}, async (page) => {
      await visit(page, suite.baseUrl);
      for (const role of ['banner', 'navigation', 'main', 'contentinfo']) {
        assert.equal(await page.getByRole(role).count(), 1, `one ${role} landmark`);
      }
      assert.equal(await page.locator('h1').count(), 1);
    });
  });
});

describe('languages', () => {
  it('is French by default when the browser asks for a language not offered', async () => {
    await withPage({ locale: 'de-DE' }, async (page) => {
      await visit(page, suite.baseUrl);
      assert.deepEqual(await htmlLangDir(page), { lang: 'fr', dir: 'ltr' });
      assert.match(await page.locator('h1').innerText(), /Bienvenue/);
      assert.match(await page.title(), /Accueil/);
    });
  });

  it('follows the browser language', async () => {
    await withPage({ locale: 'ar-MA' }, async (page) => {
      await visit(page, suite.baseUrl);
      assert.deepEqual(await htmlLangDir(page), { lang: 'ar', dir: 'rtl' });
    });
    await withPage({ locale: 'en-GB' }, async (page) => {
      await visit(page, suite.baseUrl);
      assert.deepEqual(await htmlLangDir(page), { lang: 'en', dir: 'ltr' });
      assert.match(await page.locator('h1').innerText(), /Welcome/);
    });
  });

  it('switches to Arabic, right to left, and back', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await visit(page, suite.baseUrl);
      const french = await page.locator('h1').innerText();

      await chooseLanguage(page, 'العربية', 'ar');
      assert.deepEqual(await htmlLangDir(page), { lang: 'ar', dir: 'rtl' });
      const arabic = await page.locator('h1').innerText();
      assert.notEqual(arabic, french);
      assert.match(arabic, /[\u0600-\u06FF]/, 'the heading is in Arabic script');
      assert.match(await page.title(), /[\u0600-\u06FF]/, 'so is the tab title');
      assert.equal(
        await page.getByRole('button', { name: 'العربية', exact: true }).getAttribute('aria-pressed'),
        'true',
      );
      // Labels for assistive technology change too.
      assert.match(await page.getByRole('navigation').getAttribute('aria-label'), /[\u0600-\u06FF]/);
      // The layout mirrors: the brand sits on the right.
      const brand = await page.locator('.brand').boundingBox();
      assert.ok(brand.x > 1280 / 2, 'brand on the right in right-to-left');

      await chooseLanguage(page, 'English', 'en');
      assert.deepEqual(await htmlLangDir(page), { lang: 'en', dir: 'ltr' });
      assert.match(await page.locator('h1').innerText(), /Welcome/);
    });
  });

  it('remembers the choice across a reload, over the browser language', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await visit(page, suite.baseUrl);
      await chooseLanguage(page, 'العربية', 'ar');
      await page.reload();
      await page.locator('h1').waitFor();
      assert.deepEqual(await htmlLangDir(page), { lang: 'ar', dir: 'rtl' });
      assert.match(await page.locator('h1').innerText(), /[\u0600-\u06FF]/);

      await chooseLanguage(page, 'Français', 'fr');
      await page.reload();
      await page.locator('h1').waitFor();
      assert.deepEqual(await htmlLangDir(page), { lang: 'fr', dir: 'ltr' });
    });
  });
});

describe('pages', () => {
  it('navigates without reloading, moves focus to the new heading and sets the title', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await visit(page, suite.baseUrl);
      await page.evaluate(() => {
        window.__samePage = true;
      });
      await page.getByRole('navigation').getByRole('link', { name: 'Aide' }).click();
      await page.waitForURL(`${suite.baseUrl}/help`);
      await page.locator('h1', { hasText: 'Aide' }).waitFor();
      assert.equal(await page.evaluate(() => window.__samePage), true, 'no full reload');
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
      assert.match(await page.title(), /^\u2068?Aide\u2069? — /);
      assert.equal(await page.getByRole('link', { name: 'Aide' }).first().getAttribute('aria-current'), 'page');
      await page.goBack();
      await page.locator('h1', { hasText: 'Bienvenue' }).waitFor();
    });
  });

  it('opens every page directly from its address (server fallback to the app)', async () => {
    const pages = {
      '/help': 'Aide',
      '/about': 'À propos et confidentialité',
      '/create': 'Comment vous appeler ?',
      '/unlock': 'J’ai déjà un coffre',
    };
    await withPage({ locale: 'fr-FR' }, async (page) => {
      for (const [path, heading] of Object.entries(pages)) {
        await visit(page, suite.baseUrl, path);
        assert.equal(await page.locator('h1').innerText(), heading);
      }
    });
  });

  it('starts opening a coffre from the first screen, and says what it needs', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await visit(page, suite.baseUrl);
      await page
        .getByRole('link', { name: /Ouvrir mon coffre/ })
        .first()
        .click();
      await page.locator('h1', { hasText: 'Comment vous appeler ?' }).waitFor();
      await page.getByLabel('Prénom ou surnom (pas obligatoire)').waitFor();
    });
  });

  it('explains what the host can and cannot see, on the first screen', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await visit(page, suite.baseUrl);
      await page.getByRole('heading', { name: /L’association peut voir/ }).waitFor();
      await page.getByRole('heading', { name: /L’association ne peut pas voir/ }).waitFor();
      await page.getByText(/Si vous perdez toutes vos clés, personne ne peut ouvrir votre coffre/).waitFor();
    });
  });

  it('shows a not-found page for an unknown address', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await visit(page, suite.baseUrl, '/nulle-part');
      assert.equal(await page.locator('h1').innerText(), 'Page introuvable');
    });
  });
});
