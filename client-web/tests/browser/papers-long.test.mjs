// A long papers list in Chromium against the real server, on a 320 px phone: 130 papers in
// three categories (seed.mjs), more than the first screen draws (Papers.tsx FIRST_SLICE).
// Every category's heading says its count; the rest of the papers follow until all 130 are
// in the page; the search finds the paper drawn last as well as any other (it looks at
// every verified paper, not at the page); a category’s link from the
// coffre's home draws everything above that category with it and stays on it; axe
// runs on the long list in French and Arabic.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loose, openPage, screenChecks, signInWithCarte, startSuite, WIDTHS } from './browser.mjs';
import { SEED_PIN, seedCoffre } from './seed.mjs';

const N = 130;

let suite;
let seeded;
before(async () => {
  suite = await startSuite();
  // Papier 1, 4, 7… in the first category, 2, 5, 8… in the second, 3, 6, 9… in the third.
  seeded = await seedCoffre(suite.baseUrl, N);
  await seeded.store.list();
  await seeded.store.indexUpkeep;
});
after(async () => {
  await suite?.stop();
});

const { axeBothLanguages } = screenChecks({ prefix: 'papers-long', width: WIDTHS.phone });
const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

const unlock = (page) => signInWithCarte(page, suite.baseUrl, seeded.typed, SEED_PIN);

const allDrawn = (page) =>
  page.waitForFunction((n) => document.querySelectorAll('.paper-item').length === n, N, { polling: 50 });

describe('papers: a long list', () => {
  it('draws every paper, searches all of them, and keeps a category’s link in view', async () => {
    const phone = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
    const { page } = phone;
    await unlock(page);

    // From the home, the third category's tile: its papers are the ones in view.
    const third = seeded.categories[2];
    // What each category holds when the one linked to first appears (in the same render).
    await page.evaluate((id) => {
      new MutationObserver((_, observer) => {
        if (!document.getElementById(id)) return;
        window.drawnFirst = [...document.querySelectorAll('section.category')].map(
          (s) => s.querySelectorAll(':scope > .paper-list > .paper-item').length,
        );
        observer.disconnect();
      }).observe(document.body, { childList: true, subtree: true });
    }, `categorie-${third.icon}`);
    await page.locator(`a.category-tile.cat-${third.icon}`).click();
    await heading(page, 'Mes papiers');
    const section = page.locator(`#categorie-${third.icon}`);
    await section.getByRole('link', { name: 'Papier 3', exact: true }).waitFor();
    await allDrawn(page);
    const inView = await section
      .locator('h2')
      .evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().top < innerHeight);
    assert.ok(inView, 'the category linked to is still on screen once every paper is drawn');
    // Everything above it was drawn with it (later slices grow the page below it only).
    const drawnFirst = await page.evaluate(() => window.drawnFirst);
    assert.deepEqual(drawnFirst.slice(0, 2), [44, 43], `drawn with the first screen: ${drawnFirst}`);
    assert.match(await section.locator('h2').innerText(), loose('(43)'));
    // Each paper once, in its category: 44 + 43 + 43.
    const counts = await page
      .locator('section.category')
      .evaluateAll((sections) => sections.map((s) => s.querySelectorAll(':scope > .paper-list > .paper-item').length));
    assert.deepEqual(counts, [44, 43, 43]);

    // The list again from the home's "Voir tous mes papiers": a search typed at once finds
    // « Papier 3 », the oldest of the last category (the last paper drawn, past the first
    // screen), with every other whose title holds both words (Papier 13, 23, 30…).
    await page.goBack();
    await heading(page, 'Votre coffre est ouvert');
    await page.getByRole('link', { name: 'Voir tous mes papiers' }).click();
    await heading(page, 'Mes papiers');
    await page.getByLabel('Chercher un papier').fill('Papier 3');
    const holding3 = Array.from({ length: N }, (_, i) => `${i + 1}`).filter((n) => n.includes('3')).length;
    const found = page.getByRole('region', { name: loose(`${holding3} papiers trouvés`) });
    await found.getByRole('link', { name: 'Papier 3', exact: true }).waitFor();
    assert.equal(await found.locator('.paper-item').count(), holding3);
    await page.getByLabel('Chercher un papier').fill('');
    await allDrawn(page);
    await axeBothLanguages(page, 'list');

    phone.assertClean?.();
    await phone.close();
  });
});
