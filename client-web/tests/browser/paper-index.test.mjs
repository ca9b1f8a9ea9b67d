// The papers list from the owner-signed metadata index, in Chromium against the real server
// (protocol.md section 6.1, docs/design/papers-screens.md). A coffre with three papers in two
// categories is made from Node with the client's own code (seed.mjs), whose listing sealed
// each category's index; the older index of the first category is kept. Then, on a 320 px
// phone, the coffre is opened with the carte: the list comes from the indexes, without
// fetching a single metadata file. Playwright's route interception is the malicious host:
// it serves the older index again (the phone remembers the newer one: "rollback"), drops the
// index (`index_missing`), and, to a phone that has never seen the newer index, hides the
// third paper and serves the index from before it — which the journal this phone verified
// catches (`paper_missing`). Each time the page says so in words, above the papers that did
// verify; axe runs on that screen in French and Arabic.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { chooseLanguage, openPage, settled, startSuite, visit, WIDTHS } from './browser.mjs';
import { SEED_PIN, seedCoffre } from './seed.mjs';

const TITLES = ['Récépissé de demande', 'Attestation CAF', 'Titre de séjour'];
const WARNING = 'Attention : le serveur ne montre peut-être pas tous vos papiers.';

let suite;
let seeded;
/** The first category's index before the third paper: its statement (b64) and file. */
let oldIndex;
let thirdPaper;

before(async () => {
  suite = await startSuite();
  // Papers 1 and 3 in the first category, 2 in the second.
  seeded = await seedCoffre(suite.baseUrl, 2, { title: (i) => TITLES[i] });
  await seeded.store.list();
  await seeded.store.indexUpkeep;
  const first = seeded.categories[0].id;
  const listed = await seeded.api.papers();
  const item = listed.indexes.find((i) => i.category === first);
  assert.ok(item, 'the seeding listing sealed the first category’s index');
  oldIndex = { statement: item.statement, file: Buffer.from(await seeded.api.paperIndex(first, 0)) };
  thirdPaper = await seeded.store.add(
    {
      pages: [{ bytes: new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]), type: 'image/jpeg' }],
      category: first,
      docType: 'titre_sejour',
      title: TITLES[2],
    },
    { sleep: async () => {} },
  );
  await seeded.store.list();
  await seeded.store.indexUpkeep;
  const now = (await seeded.api.papers()).indexes.find((i) => i.category === first);
  assert.notEqual(now.statement, oldIndex.statement, 'a newer index of the first category');
});
after(async () => {
  await suite?.stop();
});

/**
 * A phone-sized tab whose requests are recorded, behind a host that does what `host.mode`
 * says: `honest`, `stale` (the first category's older index), `drop` (no index of it),
 * `hide` (the older index, and the third paper left out of the listing).
 */
async function tab() {
  const t = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
  const host = { mode: 'honest' };
  const requests = [];
  t.context.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  const first = seeded.categories[0].id;
  await t.context.route('**/api/papers', async (route) => {
    // The whole listing from the host, whatever listing the page holds (no 304 to rewrite).
    const headers = { ...route.request().headers() };
    delete headers['if-none-match'];
    const response = await route.fetch({ headers });
    const body = await response.json();
    if (host.mode !== 'honest') {
      body.indexes = body.indexes.flatMap((i) => {
        if (i.category !== first) return [i];
        if (host.mode === 'drop') return [];
        return [{ ...i, statement: oldIndex.statement, size: oldIndex.file.length }];
      });
    }
    if (host.mode === 'hide') body.papers = body.papers.filter((p) => p.paper !== thirdPaper);
    await route.fulfill({ response, json: body });
  });
  await t.context.route(`**/api/papers/indexes/${first}/0`, async (route) => {
    if (host.mode === 'stale' || host.mode === 'hide') {
      await route.fulfill({ status: 200, contentType: 'application/octet-stream', body: oldIndex.file });
    } else await route.continue();
  });
  return { ...t, host, requests };
}

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Opens the seeded coffre with the carte's typed form and the PIN. */
async function unlock(page) {
  await visit(page, suite.baseUrl, '/unlock');
  await page.getByRole('button', { name: 'Avec ma carte' }).click();
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(seeded.typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(SEED_PIN);
  await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
  await heading(page, 'Votre coffre est ouvert');
}

/** The titles listed once the list is there (in the page's order). */
async function listedTitles(page) {
  await page.locator('.paper-item').first().waitFor();
  return (await page.locator('.paper-link').allInnerTexts()).sort();
}

/** Leaves the list and comes back to it inside the app: the list is loaded again. */
async function listAgain(page) {
  await page.getByRole('link', { name: 'Ajouter un papier' }).first().click();
  await heading(page, 'Ajouter un papier');
  await page.goBack();
  await heading(page, 'Mes papiers');
}

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
}

async function axeHere(page, what) {
  if (process.env.COFFRE_TEST_SCREENSHOTS) {
    const lang = await page.evaluate(() => document.documentElement.lang);
    await page.screenshot({
      path: join(process.env.COFFRE_TEST_SCREENSHOTS, `index-${what}-${lang}.png`.replace(/[^a-z0-9.]+/gi, '-')),
      fullPage: true,
    });
  }
  await settled(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.equal(results.violations.length, 0, `${what}:\n${describeViolations(results.violations)}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${what}: no sideways scrolling at 320 px (${overflow} px)`);
}

/** The warning's text (Fluent's isolation marks removed). */
async function warningText(page) {
  const alert = page.getByRole('alert').filter({ hasText: WARNING });
  await alert.waitFor();
  return (await alert.innerText()).replace(/[\u2068\u2069]/g, '');
}

describe('papers: the list from the owner-signed index', () => {
  it('lists from the indexes, and says so when the host serves an older index or drops it', async () => {
    const phone = await tab();
    const { page } = phone;
    await unlock(page);
    await page.getByRole('link', { name: 'Voir tous mes papiers' }).click();
    await heading(page, 'Mes papiers');
    assert.deepEqual(await listedTitles(page), [...TITLES].sort());
    assert.equal(await page.getByText(WARNING).count(), 0);
    // Every paper came from its category's index: no metadata file was fetched.
    assert.ok(phone.requests.includes('GET /api/papers'));
    assert.ok(phone.requests.some((r) => r.startsWith('GET /api/papers/indexes/')));
    assert.deepEqual(
      phone.requests.filter((r) => r === 'POST /api/papers/metas'),
      [],
    );

    // The older index again: this phone remembers the newer one.
    phone.host.mode = 'stale';
    await listAgain(page);
    const stale = await warningText(page);
    assert.match(stale, /Catégories : Identité et état civil\./);
    assert.match(stale, /rollback/);
    // The papers are still all there, each opened from its own files.
    assert.deepEqual(await listedTitles(page), [...TITLES].sort());
    assert.ok(phone.requests.includes('POST /api/papers/metas'));
    await axeHere(page, 'stale index');
    await chooseLanguage(page, 'العربية', 'ar');
    await page.getByRole('alert').filter({ hasText: 'تنبيه: قد لا يعرض الخادم كل أوراقك.' }).waitFor();
    await axeHere(page, 'stale index');
    await chooseLanguage(page, 'Français', 'fr');

    // No index at all for a category this phone has seen one of.
    phone.host.mode = 'drop';
    await listAgain(page);
    assert.match(await warningText(page), /index_missing/);
    assert.deepEqual(await listedTitles(page), [...TITLES].sort());

    // Honest again: no warning, and nothing was sealed over what the host did.
    phone.host.mode = 'honest';
    await listAgain(page);
    assert.deepEqual(await listedTitles(page), [...TITLES].sort());
    assert.equal(await page.getByText(WARNING).count(), 0);
    assert.deepEqual(
      phone.requests.filter((r) => r.startsWith('PUT /api/papers/indexes/')),
      [],
    );
    phone.assertClean();
    await phone.close();
  });

  it('a paper hidden with the index from before it is caught by the journal this phone verified', async () => {
    const phone = await tab();
    const { page } = phone;
    phone.host.mode = 'hide';
    await unlock(page);
    // The coffre's home verifies the journal (it names the third paper's addition).
    await page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
    await page.getByRole('link', { name: 'Voir tous mes papiers' }).click();
    await heading(page, 'Mes papiers');
    const text = await warningText(page);
    assert.match(text, /Un papier de votre journal n’est pas dans la liste\./);
    assert.match(text, /paper_missing/);
    assert.deepEqual(await listedTitles(page), [TITLES[0], TITLES[1]].sort());
    await axeHere(page, 'hidden paper');
    phone.assertClean();
    await phone.close();
  });
});
