// More of the papers screens in Chromium against the real server, on a 320 px phone, in
// French and Arabic: a HEIC photo refused in plain words; a page cut by hand (a handle
// dragged with the mouse, another moved with the arrow keys), and the page made from it;
// a three-page PDF counted on the add screen and shown page after page as images drawn in
// its sandboxed frame; that paper replaced by a newer version (type, category and name
// filled in), the older one kept under it as history, and the older one shown again as the
// newest once the newer is deleted.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chooseLanguage, openCoffre, openPage, pdfOfPages, settled, startSuite, WIDTHS } from './browser.mjs';

const FIXTURES =
  process.env.COFFRE_TEST_PAPERS ?? fileURLToPath(new URL('../../../../shared/fixtures/papers', import.meta.url));
const PHOTO = join(FIXTURES, 'recu-ofii-2pages-p1.jpg');
const PIN = '40417386';

let suite;
before(async () => {
  assert.ok(
    existsSync(PHOTO),
    `the phone photos are missing: run generate.py in ${FIXTURES} or set COFFRE_TEST_PAPERS`,
  );
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

async function shot(page, name) {
  if (process.env.COFFRE_TEST_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.COFFRE_TEST_SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

/** axe (WCAG 2.1 AA) and no sideways scrolling at 320 px, on the screen as it is now. */
async function axeHere(page, what) {
  const lang = await page.evaluate(() => document.documentElement.lang);
  await settled(page);
  await shot(page, `${what}-${lang}`.replace(/[^a-z0-9]+/gi, '-'));
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = results.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  assert.equal(results.violations.length, 0, `${what} (${lang}):\n${violations}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${what} (${lang}): no sideways scrolling at 320 px (${overflow} px)`);
}

/** axe in French, then in Arabic (right to left), then back to French. */
async function axeBothLanguages(page, what) {
  await axeHere(page, what);
  await chooseLanguage(page, 'العربية', 'ar');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await axeHere(page, what);
  await chooseLanguage(page, 'Français', 'fr');
}

const prepared = (page) => page.getByText('Nous préparons la page…').waitFor({ state: 'detached' });

const naturalSize = (locator) =>
  locator.evaluate(async (img) => {
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  });

describe('papers screens: HEIC, cutting by hand', () => {
  it('says in plain words that a HEIC photo cannot be read here, and cuts a page with its handles', async () => {
    const phone = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
    const { page } = phone;
    await openCoffre(page, suite.baseUrl, PIN);
    await page.getByRole('link', { name: 'Ajouter un papier' }).first().click();
    await heading(page, 'Ajouter un papier');

    // A HEIC file as an iPhone writes it: an ISO BMFF `ftyp` box of brand heic, then its
    // boxes (here: an empty `meta` and a little `mdat`, which no decoder here can draw).
    const box = (type, body) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(8 + body.length);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, body]);
    };
    const heic = Buffer.concat([
      box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1')),
      box('meta', Buffer.alloc(4)),
      box('mdat', Buffer.alloc(64, 7)),
    ]);
    await page.setInputFiles('#add-camera', { name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: heic });
    await page.getByRole('alert').filter({ hasText: 'Votre téléphone a fait une photo HEIC.' }).waitFor();
    await page.getByText('choisissez « Le plus compatible »', { exact: false }).waitFor();
    await prepared(page);
    assert.equal(await page.locator('li.page-draft').count(), 0, 'no page made of it');
    await axeBothLanguages(page, 'add, HEIC refused');

    // A photo, then cut by hand.
    await page.setInputFiles('#add-file', PHOTO);
    const kept = page.getByRole('img', { name: loose('La page 1, comme elle sera gardée') });
    await kept.waitFor();
    await prepared(page);
    const [w0, h0] = await naturalSize(kept);
    await page.getByRole('button', { name: 'Couper à la main' }).click();
    const whole = page.getByRole('img', { name: loose('Page 1 en entier, avant de couper') });
    await whole.waitFor();
    await prepared(page);
    const bottom = page.getByRole('slider', { name: loose('Page 1 : bord du bas') });
    const left = page.getByRole('slider', { name: loose('Page 1 : bord gauche') });
    assert.equal(await bottom.getAttribute('aria-valuenow'), '100');
    // Each handle is a 44 px target.
    const handle = await bottom.boundingBox();
    assert.ok(handle.width >= 44 && handle.height >= 44, `handle ${handle.width} × ${handle.height}`);
    // The bottom handle dragged up by a quarter of the photo, with the mouse.
    const photo = await whole.boundingBox();
    const x = handle.x + handle.width / 2;
    const y = handle.y + handle.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x, y - photo.height * 0.125, { steps: 4 });
    await page.mouse.move(x, y - photo.height * 0.25, { steps: 4 });
    await page.mouse.up();
    const dragged = Number(await bottom.getAttribute('aria-valuenow'));
    assert.ok(Math.abs(dragged - 75) <= 1, `the bottom edge at ${dragged} %`);
    // The left handle moved with the keyboard: reached with Tab (the bottom one has the focus
    // since it was dragged), a visible focus, then → ten times.
    await page.keyboard.press('Tab');
    assert.ok(await left.evaluate((el) => el === document.activeElement), 'Tab reaches the next handle');
    const outline = await left.evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, 'none', 'a visible focus');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await left.getAttribute('aria-valuenow'), '10');
    await page.keyboard.press('Shift+ArrowLeft');
    assert.equal(await left.getAttribute('aria-valuenow'), '5');
    await axeBothLanguages(page, 'add, cutting by hand');
    const left5 = Number(await left.getAttribute('aria-valuenow')) / 100;
    const bottomAt = Number(await bottom.getAttribute('aria-valuetext').then((v) => v.replace(/\D/g, ''))) / 100;
    await page.getByRole('button', { name: 'Couper', exact: true }).click();
    await page.getByRole('slider').first().waitFor({ state: 'detached' });
    await prepared(page);
    // The page made from the full photo, cut to 90 % of its width and ~75 % of its height,
    // then scaled to the same longer side.
    const [w1, h1] = await naturalSize(kept);
    const expected = (w0 * (1 - left5)) / (h0 * bottomAt);
    assert.ok(Math.abs(w1 / h1 - expected) / expected < 0.02, `cut to ${w1} × ${h1} from ${w0} × ${h0}`);
    assert.equal(Math.max(w1, h1), Math.max(w0, h0), 'the same longer side');
    assert.equal(await page.getByLabel('Couper les bords').inputValue(), 'custom');
    phone.assertClean();
    await phone.close();
  });
});

describe('papers screens: a PDF of three pages, replaced by a newer version', () => {
  it('counts and shows the PDF’s pages, then keeps it as the history of its newer version', async () => {
    const phone = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
    const { page } = phone;
    await openCoffre(page, suite.baseUrl, PIN);
    await page.getByRole('link', { name: 'Ajouter un papier' }).first().click();
    await heading(page, 'Ajouter un papier');
    await page.setInputFiles('#add-file', {
      name: 'avis.pdf',
      mimeType: 'application/pdf',
      buffer: await pdfOfPages(3),
    });
    await page
      .locator('.page-pdf')
      .getByText(loose('3 pages'))
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e.message}\n${phone.problems.join('\n')}\n${await page.locator('main').innerText()}`);
      });
    await page
      .getByRole('img', { name: 'La première page du PDF' })
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e.message}\n${phone.problems.join('\n')}\n${await page.locator('.page-draft').innerHTML()}`);
      });
    await axeBothLanguages(page, 'add, a PDF of 3 pages');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'Rangez votre papier');
    await page.getByLabel('Le type de papier').selectOption({ label: 'Avis d’imposition' });
    await page.getByLabel('Le nom du papier').fill('Avis 2025');
    await page.getByRole('button', { name: 'Enregistrer le papier' }).click();
    await heading(page, 'Votre papier est rangé');
    const clicked = performance.now();
    await page.getByRole('link', { name: 'Voir ce papier' }).click();

    // Shown page after page: images drawn in the frame.
    await heading(page, 'Avis 2025');
    await page.getByRole('img', { name: loose('Page 1 sur 3 : Avis 2025') }).waitFor();
    // (A measure for BENCHMARKS.md, not a check: opening, decrypting, the frame and pdf.js
    // loaded, page 1 drawn.)
    console.info(`PDF: page 1 shown ${Math.round(performance.now() - clicked)} ms after the click`);
    await page.locator('.viewer-count').getByText(loose('Page 1 sur 3')).waitFor();
    await axeHere(page, 'show a PDF');
    await page.getByRole('button', { name: 'Page suivante' }).click();
    const second = page.getByRole('img', { name: loose('Page 2 sur 3 : Avis 2025') });
    await second.waitFor();
    const [w, h] = await naturalSize(second);
    assert.ok(h > w && w >= 800, `page 2 drawn upright and sharp: ${w} × ${h}`);
    await page.getByRole('button', { name: 'Agrandir' }).click();
    const zoomed = await second.evaluate((img) => img.getBoundingClientRect().width);
    assert.ok(zoomed > WIDTHS.phone, `zoomed: ${zoomed} px`);
    await page.getByRole('button', { name: 'Contraste fort' }).click();
    await axeHere(page, 'show a PDF, page 2, zoomed');

    // Replaced by a newer version: the add screen says so and fills in what it can.
    await page.getByRole('button', { name: 'Autres actions' }).click();
    await page.getByRole('link', { name: 'Remplacer par une version plus récente' }).click();
    await heading(page, 'Ajouter un papier');
    await page.getByText(loose('C’est la nouvelle version de « Avis 2025 ».')).waitFor();
    await axeBothLanguages(page, 'add, replacing');
    await page.setInputFiles('#add-file', PHOTO);
    await page.getByRole('img', { name: loose('La page 1, comme elle sera gardée') }).waitFor();
    await prepared(page);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'Rangez votre papier');
    assert.equal(
      await page.getByLabel('Le type de papier').evaluate((s) => s.selectedOptions[0].textContent),
      'Avis d’imposition',
    );
    assert.equal(
      await page.getByLabel('La catégorie').evaluate((s) => s.selectedOptions[0].textContent),
      'Impôts et banque',
    );
    assert.equal(await page.getByLabel('Le nom du papier').inputValue(), 'Avis 2025');
    assert.notEqual(await page.getByLabel('Date de fin de validité (pas obligatoire)').inputValue(), '');
    await page.getByText('Nous avons mis la date habituelle pour ce type de papier.', { exact: false }).waitFor();
    await axeBothLanguages(page, 'file, replacing');
    await page.getByLabel('Le nom du papier').fill('Avis 2026');
    await page.getByRole('button', { name: 'Enregistrer le papier' }).click();
    await heading(page, 'Votre papier est rangé');

    // The list: the newest version, the older one under it.
    await page.getByRole('link', { name: 'Voir mes papiers' }).click();
    await heading(page, 'Mes papiers');
    const category = page.getByRole('region', { name: /^Impôts et banque/ });
    await category.getByRole('link', { name: 'Avis 2026' }).waitFor();
    assert.equal(await category.getByRole('link', { name: 'Avis 2025' }).isVisible(), false, 'folded');
    assert.match(await category.getByRole('heading').innerText(), /\(1\)/);
    await category.getByText('1 ancienne version').click();
    await category.getByRole('link', { name: 'Avis 2025' }).waitFor();
    await axeBothLanguages(page, 'list, older versions');

    // The journal names both from the verified listing: each entry says `paper_added` (the
    // host is not told of a replacement), the newer one's metadata says what it replaces.
    await page.getByRole('link', { name: 'Mon coffre' }).first().click();
    await heading(page, 'Votre coffre est ouvert');
    const lines = page.getByRole('list', { name: 'Ce qui s’est passé' });
    await lines.getByText(loose('Nouvelle version du papier « Avis 2026 »')).waitFor();
    await lines.getByText(loose('Papier « Avis 2025 » ajouté')).waitFor();
    await axeBothLanguages(page, 'journal, a new version');
    await page.getByRole('link', { name: 'Voir tous mes papiers' }).click();
    await heading(page, 'Mes papiers');
    await category.getByText('1 ancienne version').click();
    await category.getByRole('link', { name: 'Avis 2025' }).click();
    await heading(page, 'Avis 2025');
    await page.getByText('Ce papier a une version plus récente.').waitFor();
    await axeHere(page, 'show an older version');
    await page.getByRole('link', { name: 'Voir la version récente' }).click();
    await heading(page, 'Avis 2026');

    // The newest deleted: the older one is the newest again, nothing lost.
    await page.getByRole('button', { name: 'Autres actions' }).click();
    await page.getByRole('button', { name: 'Supprimer ce papier' }).click();
    await page.getByRole('button', { name: 'Oui, supprimer' }).click();
    await heading(page, 'Mes papiers');
    await page.getByText('Le papier est supprimé.').waitFor();
    await category.getByRole('link', { name: 'Avis 2025' }).waitFor();
    assert.equal(await page.getByText('1 ancienne version').count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Avis 2026' }).count(), 0);

    // After a deletion this session holds no verified listing: the lines (those since the
    // visit above) say what the signed entries say.
    await page.getByRole('link', { name: 'Mon coffre' }).first().click();
    await heading(page, 'Votre coffre est ouvert');
    await lines.getByText('Papier supprimé').waitFor();
    assert.equal(await lines.getByText(/Nouvelle version|Avis 202/).count(), 0, await lines.innerText());
    phone.assertClean();
    await phone.close();
  });
});
