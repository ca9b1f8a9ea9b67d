// Papers offline on the person's own phone (docs/design/papers-offline.md), in Chromium
// against the real server, on a 320 × 740 phone, in French and Arabic: a remembered phone
// opens the OFII receipt's two pages, files it, finds it and shows it; without a network the
// list says what it can still open, the receipt is shown full screen from its encrypted copy,
// adding, replacing and deleting are not offered; a copy changed in IndexedDB is refused and
// dropped; with the network back, the receipt replaced and its newer version deleted take
// their copies with them; a reload without a network shows the app from its service worker
// and says plainly that opening the coffre needs the network. A session on a phone that is not remembered
// keeps no copy at all.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chooseLanguage, openCoffre, openPage, pdfOfPages, settled, startSuite } from './browser.mjs';

const FIXTURES =
  process.env.COFFRE_TEST_PAPERS ?? fileURLToPath(new URL('../../../../shared/fixtures/papers', import.meta.url));
const PAGES = [join(FIXTURES, 'recu-ofii-2pages-p1.jpg'), join(FIXTURES, 'recu-ofii-2pages-p2.jpg')];
const PIN = '52718364';
// 320 px: at 360 px the list's grid of empty categories overflows by 13 px (a long category name
// in a two-column tile; not of this screen's offline part).
const PHONE = { locale: 'fr-FR', width: 320, height: 740 };

let suite;
before(async () => {
  for (const p of PAGES) assert.ok(existsSync(p), `missing fixture ${p}: run generate.py in ${FIXTURES}`);
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

/** `text` as a pattern that lets Fluent's isolation marks (around each placeable) through. */
const loose = (text) =>
  new RegExp(
    text
      .split('')
      .map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\u2068\u2069]*'),
  );
const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();
const prepared = (page) => page.getByText('Nous préparons la page…').waitFor({ state: 'detached' });

async function shot(page, name) {
  if (process.env.COFFRE_TEST_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.COFFRE_TEST_SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

async function axeHere(page, what) {
  const lang = await page.evaluate(() => document.documentElement.lang);
  await settled(page);
  await shot(page, `offline-${what}-${lang}`.replace(/[^a-z0-9]+/gi, '-'));
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = results.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  assert.equal(results.violations.length, 0, `${what} (${lang}):\n${violations}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${what} (${lang}): no sideways scrolling (${overflow} px)`);
}

/** axe in French, then in Arabic (right to left, its strings from the worker's cache offline), then French. */
async function axeBothLanguages(page, what) {
  await axeHere(page, what);
  await chooseLanguage(page, 'العربية', 'ar');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await axeHere(page, what);
  await chooseLanguage(page, 'Français', 'fr');
}

/**
 * In the page: how many copies its origin keeps in IndexedDB (-1: no database at all); with
 * `want`, whether that is the number.
 */
async function countCopies(want) {
  const count = !(await indexedDB.databases()).some((d) => d.name === 'coffre-offline')
    ? -1
    : await new Promise((resolve, reject) => {
        const r = indexedDB.open('coffre-offline');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const c = r.result.transaction('copies').objectStore('copies').count();
          c.onsuccess = () => {
            r.result.close();
            resolve(c.result);
          };
        };
      });
  return want === undefined ? count : count === want;
}

/** Waits (bounded) until the page keeps `n` copies. */
const copiesBecome = (page, n) => page.waitForFunction(countCopies, n, { timeout: 15_000 });

/** Photographs the given pages, files them as a receipt named `title`, ends on « Votre papier est rangé ». */
async function addReceipt(page, title, pages) {
  await page.getByRole('link', { name: 'Ajouter un papier' }).first().click();
  await heading(page, 'Ajouter un papier');
  await photographAndFile(page, title, pages);
}

/** On the add screen: the pages through the camera's input, then filed as a receipt. */
async function photographAndFile(page, title, pages) {
  for (const [i, p] of pages.entries()) {
    await page.setInputFiles('#add-camera', p);
    await page.getByRole('img', { name: loose(`La page ${i + 1}, comme elle sera gardée`) }).waitFor();
  }
  await prepared(page);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading(page, 'Rangez votre papier');
  await page.getByLabel('Le type de papier').selectOption({ label: 'Récépissé' });
  await page.getByLabel('Le nom du papier').fill(title);
  await page.getByRole('button', { name: 'Enregistrer le papier' }).click();
  await heading(page, 'Votre papier est rangé');
}

/** What must go wrong without a network: the calls that could not reach the host (the API, and the worker's tries before it answers a page from its cache). */
// (Also an API call the app was still making in the background, the index upkeep or a listing,
// cut by the network going or by the reload: the next listing makes it again.)
const offlineNoise = (problem) =>
  /^request failed: \S+ \(net::ERR_INTERNET_DISCONNECTED\)$/.test(problem) ||
  /^request failed: https?:\/\/[^/]+\/api\/\S+ \(net::ERR_ABORTED\)$/.test(problem) ||
  /^console error: Failed to load resource: net::ERR_INTERNET_DISCONNECTED/.test(problem);

describe('papers offline, on a remembered phone', () => {
  it('shows a paper already opened without a network, refuses a changed copy, and reloads to an honest unlock screen', async () => {
    const phone = await openPage(suite, { ...PHONE, serviceWorkers: 'allow' });
    const { page, context } = phone;
    await openCoffre(page, suite.baseUrl, PIN);
    await page.getByRole('button', { name: 'Se souvenir de ce téléphone' }).click();
    await page.getByText('C’est fait. Sur ce téléphone, votre code suffit maintenant.').waitFor();

    // The app shell is kept by the worker, and nothing of the API is.
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const names = await caches.keys();
      const urls = [];
      for (const name of names) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
      return { names, urls };
    });
    assert.equal(cached.names.length, 1, `one shell cache: ${cached.names}`);
    assert.match(cached.names[0], /^coffre-shell-[0-9a-f]{16}$/);
    assert.ok(
      cached.urls.some((u) => u.endsWith('/index.html')),
      'index.html kept',
    );
    assert.ok(
      cached.urls.some((u) => /\/assets\/ShowPaper-[\w-]+\.js$/.test(u)),
      'the paper screen kept',
    );
    assert.deepEqual(
      cached.urls.filter((u) => new URL(u).pathname.startsWith('/api/')),
      [],
      'no API answer in the cache',
    );

    // Photographed (two pages), filed, found, shown.
    await addReceipt(page, 'Reçu OFII', PAGES);
    await page.getByRole('link', { name: 'Voir mes papiers' }).click();
    await heading(page, 'Mes papiers');
    await addReceipt(page, 'Autre reçu', PAGES.slice(1));
    await page.getByRole('link', { name: 'Voir mes papiers' }).click();
    await heading(page, 'Mes papiers');
    await page.getByLabel('Chercher un papier').fill('recu ofii');
    await page.getByRole('link', { name: 'Reçu OFII' }).click();
    await heading(page, 'Reçu OFII');
    await page.getByRole('img', { name: loose('Page 1 sur 2 : Reçu OFII') }).waitFor();
    await copiesBecome(page, 1);
    await page.getByRole('link', { name: 'Fermer' }).click();
    await heading(page, 'Mes papiers');

    // No network: the list the session verified, what opens and what does not.
    await context.setOffline(true);
    await page
      .locator('#offline-notice')
      .getByText('Pas de réseau. Vos papiers déjà ouverts restent visibles.')
      .waitFor();
    await page.getByText('Pas disponible sans réseau').waitFor();
    await page.getByText('Sans réseau, vous ne pouvez pas ajouter, remplacer ou supprimer un papier.').waitFor();
    // The page redraws on the offline event: waited for, then none is left.
    await page.getByRole('link', { name: 'Ajouter un papier' }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('link', { name: 'Ajouter un papier' }).count(), 0, 'no adding offline');
    assert.equal(
      await page.getByRole('link', { name: 'Autre reçu' }).count(),
      0,
      'the paper never opened is not a link',
    );
    await axeBothLanguages(page, 'list');

    // Full screen, from the copy, both pages.
    await page.getByRole('link', { name: 'Reçu OFII' }).click();
    await heading(page, 'Reçu OFII');
    await page.getByRole('img', { name: loose('Page 1 sur 2 : Reçu OFII') }).waitFor();
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await page.getByRole('img', { name: loose('Page 2 sur 2 : Reçu OFII') }).waitFor();
    await page.getByRole('button', { name: 'Autres actions' }).click();
    await page.getByText('Sans réseau, vous ne pouvez pas ajouter, remplacer ou supprimer un papier.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Supprimer ce papier' }).count(), 0, 'no deleting offline');
    assert.equal(await page.getByRole('link', { name: 'Remplacer par une version plus récente' }).count(), 0);
    await page
      .locator('#offline-notice')
      .getByText('Pas de réseau. Vos papiers déjà ouverts restent visibles.')
      .waitFor();
    await axeHere(page, 'show');
    await page.getByRole('link', { name: 'Fermer' }).click();
    await heading(page, 'Mes papiers');
    // The same in Arabic (the viewer has no language switcher: chosen on the list).
    await chooseLanguage(page, 'العربية', 'ar');
    await page.getByRole('link', { name: 'Reçu OFII' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reçu OFII' }).waitFor();
    await page.locator('img.viewer-image').waitFor();
    await page.locator('#offline-notice').waitFor();
    await axeHere(page, 'show');
    await page.locator('.viewer-top a').click();
    await page.locator('#papers-search').waitFor();
    await chooseLanguage(page, 'Français', 'fr');
    await heading(page, 'Mes papiers');

    // A copy changed in IndexedDB: refused, dropped, and then said not available.
    const changed = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const r = indexedDB.open('coffre-offline');
          r.onerror = () => reject(r.error);
          r.onsuccess = () => {
            const tx = r.result.transaction('copies', 'readwrite');
            const store = tx.objectStore('copies');
            const all = store.getAll();
            all.onsuccess = () => {
              for (const c of all.result) {
                c.content[c.content.length - 100] ^= 1;
                store.put(c);
              }
            };
            tx.oncomplete = () => {
              r.result.close();
              resolve(all.result.length);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    assert.equal(changed, 1);
    await page.getByRole('link', { name: 'Reçu OFII' }).click();
    await page
      .locator('#show-error')
      .getByText(loose('Ce papier n’a pas pu être vérifié. Nous ne l’ouvrons pas. Code : hash_mismatch'))
      .waitFor();
    assert.equal(await page.locator('img.viewer-image').count(), 0, 'nothing of it shown');
    await copiesBecome(page, 0);
    await page.getByRole('link', { name: 'Fermer' }).click();
    await heading(page, 'Mes papiers');
    await page.getByText('Pas disponible sans réseau').nth(1).waitFor();
    assert.equal(await page.getByText('Pas disponible sans réseau').count(), 2, 'neither paper opens now');
    assert.equal(await page.getByRole('link', { name: 'Reçu OFII' }).count(), 0);

    // The network back: shown (kept again), replaced (the old version's copy goes), the new
    // version shown (kept) and deleted (its copy goes).
    await context.setOffline(false);
    await page.locator('#offline-notice').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Reçu OFII' }).click();
    await page.getByRole('img', { name: loose('Page 1 sur 2 : Reçu OFII') }).waitFor();
    await copiesBecome(page, 1);
    await page.getByRole('button', { name: 'Autres actions' }).click();
    await page.getByRole('link', { name: 'Remplacer par une version plus récente' }).click();
    await heading(page, 'Ajouter un papier');
    await page.getByText(loose('C’est la nouvelle version de « Reçu OFII ».')).waitFor();
    await photographAndFile(page, 'Reçu OFII', PAGES);
    await page.getByRole('link', { name: 'Voir mes papiers' }).click();
    await heading(page, 'Mes papiers');
    await page.getByText(loose('1 ancienne version')).waitFor();
    await copiesBecome(page, 0);
    await page.getByRole('link', { name: 'Reçu OFII' }).click();
    await page.getByRole('img', { name: loose('Page 1 sur 2 : Reçu OFII') }).waitFor();
    await copiesBecome(page, 1);
    await page.getByRole('button', { name: 'Autres actions' }).click();
    await page.getByRole('button', { name: 'Supprimer ce papier' }).click();
    await page.getByRole('button', { name: 'Oui, supprimer' }).click();
    await page.getByText('Le papier est supprimé.').waitFor();
    await copiesBecome(page, 0);
    await context.setOffline(true);

    // A reload without a network: the app from the worker; opening needs the network, said plainly.
    await page.reload();
    await page.locator('h1').waitFor();
    await page.goto(`${suite.baseUrl}/unlock`);
    await heading(page, 'J’ai déjà un coffre');
    await page
      .locator('#unlock-offline')
      .getByText('Pas de réseau. Pour ouvrir votre coffre, il faut le réseau.')
      .waitFor();
    await page.getByText('C’est voulu : un téléphone volé ne peut pas ouvrir votre coffre.').waitFor();
    await axeBothLanguages(page, 'unlock');
    const unexpected = phone.problems.filter((p) => !offlineNoise(p));
    assert.deepEqual(unexpected, [], 'nothing else went wrong');
    await phone.close();
  });
});

describe('a PDF offline, on a remembered phone', () => {
  it('draws a PDF opened once online again without a network: the frame asks nothing of it', async () => {
    const phone = await openPage(suite, { ...PHONE, serviceWorkers: 'allow' });
    const { page, context } = phone;
    // What the PDF frames ask of the network (the service worker's own requests aside).
    const fromFrames = [];
    context.on('request', (r) => {
      if (r.serviceWorker() || /^(blob|data):/.test(r.url())) return;
      if (r.frame() !== page.mainFrame()) fromFrames.push(r.url());
    });
    await openCoffre(page, suite.baseUrl, PIN);
    await page.getByRole('button', { name: 'Se souvenir de ce téléphone' }).click();
    await page.getByText('C’est fait. Sur ce téléphone, votre code suffit maintenant.').waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.getByRole('link', { name: 'Ajouter un papier' }).first().click();
    await heading(page, 'Ajouter un papier');
    await page.setInputFiles('#add-file', {
      name: 'avis.pdf',
      mimeType: 'application/pdf',
      buffer: await pdfOfPages(2),
    });
    await page.getByRole('img', { name: 'La première page du PDF' }).waitFor();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'Rangez votre papier');
    await page.getByLabel('Le type de papier').selectOption({ label: 'Avis d’imposition' });
    await page.getByLabel('Le nom du papier').fill('Avis en PDF');
    await page.getByRole('button', { name: 'Enregistrer le papier' }).click();
    await heading(page, 'Votre papier est rangé');
    await page.getByRole('link', { name: 'Voir ce papier' }).click();
    await heading(page, 'Avis en PDF');
    await page.getByRole('img', { name: loose('Page 1 sur 2 : Avis en PDF') }).waitFor();
    await copiesBecome(page, 1);
    await page.getByRole('link', { name: 'Fermer' }).click();
    await heading(page, 'Mes papiers');

    await context.setOffline(true);
    await page.getByText('Pas de réseau. Vos papiers déjà ouverts restent visibles.').first().waitFor();
    await page.getByRole('link', { name: 'Avis en PDF' }).click();
    await heading(page, 'Avis en PDF');
    await page.getByRole('img', { name: loose('Page 1 sur 2 : Avis en PDF') }).waitFor();
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await page.getByRole('img', { name: loose('Page 2 sur 2 : Avis en PDF') }).waitFor();
    await axeHere(page, 'show a PDF offline');
    assert.deepEqual(fromFrames, [], 'the frames asked nothing of the network');
    const unexpected = phone.problems.filter((p) => !offlineNoise(p));
    assert.deepEqual(unexpected, [], 'nothing else went wrong');
    await phone.close();
  });
});

describe('papers offline, on a phone that is not remembered', () => {
  it('keeps no copy: without a network, even the paper just shown does not open', async () => {
    const phone = await openPage(suite, PHONE);
    const { page, context } = phone;
    await openCoffre(page, suite.baseUrl, PIN);
    await addReceipt(page, 'Reçu OFII', PAGES.slice(0, 1));
    await page.getByRole('link', { name: 'Voir ce papier' }).click();
    await heading(page, 'Reçu OFII');
    await page.locator('img.viewer-image').waitFor();
    await page.getByRole('link', { name: 'Fermer' }).click();
    await heading(page, 'Mes papiers');
    await context.setOffline(true);
    await page.getByText('Pas disponible sans réseau').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Reçu OFII' }).count(), 0);
    assert.equal(await page.evaluate(countCopies), -1, 'no offline database at all');
    const unexpected = phone.problems.filter((p) => !offlineNoise(p));
    assert.deepEqual(unexpected, [], 'nothing else went wrong');
    await phone.close();
  });
});
