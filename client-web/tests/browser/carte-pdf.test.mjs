// The carte as a PDF, in Chromium against the real server, on a 320 px phone: on the
// person's own device the carte screen offers "Télécharger la carte (PDF)", which makes the
// file in the browser (pdf-lib, loaded only then) and hands it over as a download under the
// page's CSP; on a shared computer there is no such button and nothing is ever downloaded.
// axe runs on the carte screen in French and Arabic.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { PDFDocument } from 'pdf-lib';
import { chooseLanguage, openPage, settled, startSuite, visit, WIDTHS } from './browser.mjs';

const PIN = '73915604';
const FSI_PDI = /[\u2068\u2069]/g;

let suite;

before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
}

/** With COFFRE_TEST_SCREENSHOTS=DIR, a screenshot of the screen (for a person to look at). */
async function shot(page, name) {
  if (process.env.COFFRE_TEST_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.COFFRE_TEST_SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

/** axe (WCAG 2.1 AA) on the current screen in `lang`, with no sideways scrolling at 320 px. */
async function axe(page, what, lang) {
  await settled(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.equal(results.violations.length, 0, `${what} (${lang}):\n${describeViolations(results.violations)}`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${what} (${lang}): no sideways scrolling at 320 px (${overflow} px)`);
}

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** From the home page to the new carte's screen, the shared-computer box checked or not. */
async function toCarteScreen(page, { shared }) {
  await visit(page, suite.baseUrl);
  await page.getByRole('link', { name: 'Ouvrir mon coffre' }).first().click();
  await heading(page, 'Comment vous appeler ?');
  await page.getByLabel('Prénom ou surnom (pas obligatoire)').fill('Zoé');
  if (shared) await page.getByLabel('Je suis sur un ordinateur partagé').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading(page, 'Choisissez votre code');
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
  await page.getByLabel('Tapez le même code encore une fois').fill(PIN);
  await page.getByRole('button', { name: 'Créer ma carte' }).click();
  await heading(page, /^Votre carte/);
  return (await page.locator('.typed').innerText()).replace(FSI_PDI, '').replace(/\s+/g, '');
}

/** Presses the download button and returns the file's bytes and suggested name. */
async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  assert.equal(await file.failure(), null, 'the download completes');
  const bytes = await readFile(await file.path());
  return { bytes, filename: file.suggestedFilename() };
}

describe('the carte as a PDF', () => {
  it('on an own device: downloads a small PDF of the carte, made in the browser', async () => {
    const tab = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
    const { page } = tab;
    const typed = await toCarteScreen(page, { shared: false });
    assert.match(typed, /^[023456789A-Z]{58}$/);

    // pdf-lib is not part of the first screens: its chunk is fetched on the first press only.
    const pdfChunks = [];
    page.on('request', (request) => {
      if (/\/assets\/pdf-[\w-]+\.js$/.test(new URL(request.url()).pathname)) pdfChunks.push(request.url());
    });
    assert.equal(pdfChunks.length, 0);

    await shot(page, 'carte-pdf-screen-fr');
    await axe(page, 'carte screen, own device', 'fr');
    const { bytes, filename } = await download(page, 'Télécharger la carte (PDF)');
    assert.equal(filename, 'carte-coffre.pdf');
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(bytes.length < 200 * 1024, `the PDF is small (${bytes.length} bytes)`);
    assert.equal(pdfChunks.length, 1, 'the PDF code was loaded when the button was pressed');
    if (process.env.COFFRE_TEST_SCREENSHOTS)
      await writeFile(join(process.env.COFFRE_TEST_SCREENSHOTS, 'carte.pdf'), bytes);

    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    assert.equal(doc.getPageCount(), 1);
    assert.equal(doc.getProducer(), 'Coffre');
    assert.equal(doc.getCreator(), 'Coffre');
    assert.equal(doc.getAuthor(), undefined);
    assert.equal(await page.locator('#carte-pdf-error').count(), 0, 'no error shown');

    // In Arabic: the screen is checked again, and the download works too (its words are
    // French: the PDF's standard fonts have no Arabic letters).
    await chooseLanguage(page, 'العربية', 'ar');
    await shot(page, 'carte-pdf-screen-ar');
    await axe(page, 'carte screen, own device', 'ar');
    const arabic = await download(page, 'تنزيل البطاقة (PDF)');
    assert.equal(arabic.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    await chooseLanguage(page, 'Français', 'fr');

    tab.assertClean(); // no CSP violation, no console error, no other origin
    await tab.close();
  });

  it('on a shared computer: no download button, and nothing is ever downloaded', async () => {
    const tab = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
    const { page } = tab;
    const downloads = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await toCarteScreen(page, { shared: true });

    assert.equal(await page.getByRole('button', { name: /Télécharger|PDF/ }).count(), 0);
    await page.getByText('N’enregistrez pas la carte dans un fichier sur cet ordinateur.').waitFor();
    await shot(page, 'carte-pdf-screen-shared');
    await axe(page, 'carte screen, shared computer', 'fr');
    await chooseLanguage(page, 'العربية', 'ar');
    assert.equal(await page.getByRole('button', { name: /PDF/ }).count(), 0);
    await axe(page, 'carte screen, shared computer', 'ar');
    await chooseLanguage(page, 'Français', 'fr');

    await page.getByRole('button', { name: 'J’ai ma carte. Continuer' }).click();
    await heading(page, 'Vérifions votre carte');
    assert.deepEqual(downloads, [], 'nothing was downloaded');
    tab.assertClean();
    await tab.close();
  });
});
