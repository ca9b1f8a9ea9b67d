// The papers screens in Chromium against the real server, as a person would on a 320 px
// phone: a coffre opened; the two-page OFII receipt photographed page after page (the
// fixtures through the camera input), one page turned and cut; filed as a récépissé with
// an expiry; found among the papers to renew and by search; shown full screen (next page,
// zoom, high contrast, nothing of the app around it); downloaded and compared byte for byte
// with what the page pipeline made; deleted after a confirmation. axe runs on each screen
// in French and Arabic. Then hostile files: HTML and an SVG with script posing as
// attestation.jpg / .pdf are refused before anything is sent, and a PDF carrying
// JavaScript, drawn by pdf.js in its sandboxed frame (an opaque origin), sets no global,
// makes no request and touches no storage of the app's origin; what runs in that frame can
// reach neither the app's window, nor its storage, nor the network.
//
// The photos are the shared fixtures (COFFRE_TEST_PAPERS, default ../shared/fixtures/papers
// beside the project); without them the suite fails, saying so.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { chooseLanguage, openCoffre, openPage, settled, startSuite, WIDTHS } from './browser.mjs';

const FIXTURES =
  process.env.COFFRE_TEST_PAPERS ?? fileURLToPath(new URL('../../../../shared/fixtures/papers', import.meta.url));
const PAGES = ['recu-ofii-2pages-p1.jpg', 'recu-ofii-2pages-p2.jpg'].map((name) => join(FIXTURES, name));
const PIN = '40417386';
const TITLE = 'Récépissé OFII';

let suite;
before(async () => {
  const missing = PAGES.filter((p) => !existsSync(p));
  assert.deepEqual(
    missing,
    [],
    `the phone photos are missing: run generate.py in ${FIXTURES} or set COFFRE_TEST_PAPERS`,
  );
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

/** A phone-sized tab that records every request and every blob URL's type. */
async function tab() {
  const t = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
  const requests = [];
  t.context.on('request', (request) => {
    requests.push({
      method: request.method(),
      url: request.url(),
      frame: request.frame(),
      body: request.postDataBuffer()?.toString('latin1') ?? '',
    });
  });
  // Every blob URL the app makes, with its blob (its bytes are read from there: the CSP
  // forbids fetching a blob: URL).
  await t.context.addInitScript(() => {
    window.__blobTypes = [];
    window.__blobs = new Map();
    const create = URL.createObjectURL;
    URL.createObjectURL = (object) => {
      const url = create(object);
      window.__blobTypes.push(object?.type ?? '');
      window.__blobs.set(url, object);
      return url;
    };
  });
  return { ...t, requests };
}

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
}

/** With COFFRE_TEST_SCREENSHOTS=DIR, a screenshot of each step (for a person to look at). */
async function shot(page, name) {
  if (process.env.COFFRE_TEST_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.COFFRE_TEST_SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

/** axe (WCAG 2.1 AA) and no sideways scrolling at 320 px, on the screen as it is now. */
async function axeHere(page, what) {
  const lang = await page.evaluate(() => document.documentElement.lang);
  await shot(page, `${what}-${lang}`.replace(/[^a-z0-9]+/gi, '-'));
  await settled(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.equal(results.violations.length, 0, `${what} (${lang}):\n${describeViolations(results.violations)}`);
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

/** `text` as a pattern that lets Fluent's isolation marks (around each placeable) through. */
const loose = (text) =>
  new RegExp(
    text
      .split('')
      .map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\u2068\u2069]*'),
  );

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Waits until no page is being prepared. */
async function prepared(page) {
  await page.getByText('Nous préparons la page…').waitFor({ state: 'detached' });
}

/** Does `change` on page `n` and waits until its picture is the new one. */
async function remade(page, n, change) {
  const img = page.getByRole('img', { name: loose(`La page ${n}, comme elle sera gardée`) });
  const before = await img.getAttribute('src');
  await change();
  await page.waitForFunction(
    ([alt, src]) =>
      [...document.querySelectorAll('img')].some((i) => i.alt.replace(/[\u2068\u2069]/g, '') === alt && i.src !== src),
    [`La page ${n}, comme elle sera gardée`, before],
  );
  await prepared(page);
}

/** The bytes behind an <img src="blob:…"> (what the page pipeline produced). */
async function imageBytes(page, name) {
  const b64 = await page.getByRole('img', { name }).evaluate(async (img) => {
    const bytes = new Uint8Array(await window.__blobs.get(img.src).arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return Buffer.from(b64, 'base64');
}

/** The entries of a stored ZIP, read with nothing but the format (not the app's reader). */
function unzip(buffer) {
  const entries = [];
  let at = 0;
  while (buffer.readUInt32LE(at) === 0x04034b50) {
    assert.equal(buffer.readUInt16LE(at + 8), 0, 'stored, not compressed');
    const size = buffer.readUInt32LE(at + 18);
    const nameLength = buffer.readUInt16LE(at + 26);
    const extra = buffer.readUInt16LE(at + 28);
    const name = buffer.toString('utf8', at + 30, at + 30 + nameLength);
    const start = at + 30 + nameLength + extra;
    entries.push({ name, data: buffer.subarray(start, start + size) });
    at = start + size;
  }
  return entries;
}

const isoDate = (d) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const inDays = (n) => {
  const d = new Date();
  d.setHours(12, 0, 0, 0);
  d.setDate(d.getDate() + n);
  return d;
};

describe('papers: add, find, show, download, delete', () => {
  it('files the two-page OFII receipt as a récépissé and shows it at a counter', async () => {
    const phone = await tab();
    const { page } = phone;
    await openCoffre(page, suite.baseUrl, PIN);

    // The coffre's home: "Mes papiers", the ten categories.
    const papers = page.getByRole('list', { name: 'Les catégories de papiers' });
    assert.equal(await papers.getByRole('listitem').count(), 10);
    await papers.getByRole('link', { name: 'Séjour' }).waitFor();
    await page.getByRole('link', { name: 'Ajouter un papier' }).first().click();

    // Page after page, through the camera's input.
    await heading(page, 'Ajouter un papier');
    await axeBothLanguages(page, 'add empty');
    await page.setInputFiles('#add-camera', PAGES[0]);
    await page
      .getByRole('img', { name: loose('La page 1, comme elle sera gardée') })
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e.message}\n${phone.problems.join('\n')}\n${await page.locator('main').innerText()}`);
      });
    await page.getByText('Prendre la page suivante').waitFor();
    await page.setInputFiles('#add-camera', PAGES[1]);
    await page.getByRole('img', { name: loose('La page 2, comme elle sera gardée') }).waitFor();
    await prepared(page);
    const size = (n) =>
      page.getByRole('img', { name: loose(`La page ${n}, comme elle sera gardée`) }).evaluate(async (img) => {
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      });
    const [w2, h2] = await size(2);
    assert.ok(h2 > w2, `an A4 page stands upright: ${w2} × ${h2}`);
    // The second page turned a quarter and its edges cut a little.
    const second = page.locator('li.page-draft').nth(1);
    await remade(page, 2, () => second.getByRole('button', { name: 'Tourner' }).click());
    const [w2b, h2b] = await size(2);
    assert.ok(w2b > h2b, `turned: ${w2b} × ${h2b}`);
    const turned = await imageBytes(page, loose('La page 2, comme elle sera gardée'));
    await remade(page, 2, () => second.getByLabel('Couper les bords').selectOption({ label: 'Un peu' }));
    // The same shape (4 % cut on every side, then scaled to the same 2400 px), other pixels.
    assert.deepEqual(await size(2), [w2b, h2b]);
    assert.ok(!turned.equals(await imageBytes(page, loose('La page 2, comme elle sera gardée'))), 'cut');
    const pipelinePages = [
      await imageBytes(page, loose('La page 1, comme elle sera gardée')),
      await imageBytes(page, loose('La page 2, comme elle sera gardée')),
    ];
    await axeBothLanguages(page, 'add two pages');
    await page.getByRole('button', { name: 'Continuer' }).click();

    // Filed: the type suggests the category, the title and the usual expiry (6 months).
    await heading(page, 'Rangez votre papier');
    await page.getByLabel('Le type de papier').selectOption({ label: 'Récépissé' });
    assert.equal(await page.getByLabel('La catégorie').evaluate((s) => s.selectedOptions[0].textContent), 'Séjour');
    assert.equal(await page.getByLabel('Le nom du papier').inputValue(), 'Récépissé');
    const sixMonths = inDays(0);
    sixMonths.setMonth(sixMonths.getMonth() + 6);
    sixMonths.setDate(sixMonths.getDate() - 1);
    assert.equal(await page.getByLabel('Date de fin de validité (pas obligatoire)').inputValue(), isoDate(sixMonths));
    await page.getByText('Nous avons mis la date habituelle pour ce type de papier.', { exact: false }).waitFor();
    await axeBothLanguages(page, 'file');
    await page.getByLabel('Le nom du papier').fill(TITLE);
    await page.getByLabel('Date de fin de validité (pas obligatoire)').fill(isoDate(inDays(20)));
    const before = phone.requests.length;
    await page.getByRole('button', { name: 'Enregistrer le papier' }).click();
    await heading(page, 'Votre papier est rangé');
    await axeBothLanguages(page, 'added');
    const sent = phone.requests.slice(before);
    const chunks = sent.filter((r) => r.method === 'PUT' && /\/api\/uploads\/[^/]+\/chunks\/\d+$/.test(r.url));
    assert.ok(chunks.length >= 1, 'the content went in chunks');
    for (const r of sent) {
      assert.ok(!r.body.includes('OFII') && !r.body.includes('recepisse'), `no title or type in clear: ${r.url}`);
      for (const p of pipelinePages)
        assert.ok(!r.body.includes(p.subarray(100, 164).toString('latin1')), 'no page in clear');
    }

    // Found first among the papers to renew, and by search (accents or not).
    await page.getByRole('link', { name: 'Voir mes papiers' }).click();
    await heading(page, 'Mes papiers');
    const renew = page.getByRole('region', { name: 'À renouveler' });
    await renew.getByRole('link', { name: TITLE }).waitFor();
    await renew.getByText(loose('Plus valable dans 20 jours')).waitFor();
    await page
      .getByRole('region', { name: /^Séjour/ })
      .getByRole('link', { name: TITLE })
      .waitFor();
    await page.getByText(/^Place utilisée : \W*[\d,]+\W* Mo\W* sur \W*200\W* Mo\W*\.$/).waitFor();
    // The papers already drawn follow a change of language (their lines are not kept as drawn).
    await chooseLanguage(page, 'العربية', 'ar');
    await page.getByText(loose('تنتهي صلاحيتها بعد 20 يومًا')).first().waitFor();
    assert.equal(await page.getByText(/Plus valable|2 pages/).count(), 0, 'no French left in the list');
    await chooseLanguage(page, 'Français', 'fr');
    await renew.getByText(loose('Plus valable dans 20 jours')).waitFor();
    await axeBothLanguages(page, 'list');
    await page.getByLabel('Chercher un papier').fill('recepisse ofii');
    await page.getByRole('heading', { name: '1 papier trouvé' }).waitFor();
    await page.getByLabel('Chercher un papier').fill('passeport');
    await page.getByRole('heading', { name: 'Aucun papier trouvé' }).waitFor();
    await axeBothLanguages(page, 'search, nothing found');
    await page.getByLabel('Chercher un papier').fill('Récépissé');
    await page.getByRole('heading', { name: '1 papier trouvé' }).waitFor();
    await page.getByRole('link', { name: TITLE }).click();

    // Full screen: the page large, nothing of the app around it.
    await heading(page, TITLE);
    const first = page.getByRole('img', { name: loose(`Page 1 sur 2 : ${TITLE}`) });
    await first.waitFor();
    assert.equal(await page.locator('.site-header').isVisible(), false, 'no header');
    assert.equal(await page.locator('.site-footer').isVisible(), false, 'no footer');
    assert.ok(
      await first.evaluate(async (img) => {
        await img.decode();
        return img.naturalWidth > 1000;
      }),
    );
    await axeHere(page, 'show');
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await page.getByRole('img', { name: loose(`Page 2 sur 2 : ${TITLE}`) }).waitFor();
    await page.locator('.viewer-count').getByText(loose('Page 2 sur 2')).waitFor();
    await page.getByRole('button', { name: 'Agrandir' }).click();
    const zoomed = await page.locator('.viewer-image').evaluate((img) => img.getBoundingClientRect().width);
    assert.ok(zoomed > WIDTHS.phone, `zoomed: ${zoomed} px`);
    await page.getByRole('button', { name: 'Contraste fort' }).click();
    assert.equal(await page.getByRole('button', { name: 'Contraste fort' }).getAttribute('aria-pressed'), 'true');
    await axeHere(page, 'show zoomed, high contrast');
    // In Arabic too: the language is chosen on the list (the viewer has nothing else on it).
    await page.getByRole('link', { name: 'Fermer' }).click();
    await heading(page, 'Mes papiers');
    await chooseLanguage(page, 'العربية', 'ar');
    await page.getByRole('link', { name: TITLE }).first().click();
    await page.getByRole('img', { name: new RegExp(TITLE) }).waitFor();
    await axeHere(page, 'show');
    await page.getByRole('button', { name: 'إجراءات أخرى' }).click();
    await axeHere(page, 'show, more actions');
    await page.getByRole('link', { name: 'إغلاق' }).click();
    await page.getByRole('heading', { level: 1, name: 'أوراقي' }).waitFor();
    await chooseLanguage(page, 'Français', 'fr');
    await page.getByRole('link', { name: TITLE }).first().click();
    await heading(page, TITLE);

    // Downloaded: the decrypted file, as application/octet-stream, under a safe name; its
    // pages are exactly what the pipeline made.
    await page.getByRole('button', { name: 'Autres actions' }).click();
    await axeHere(page, 'show, more actions');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'recepisse-ofii.zip');
    assert.equal((await page.evaluate(() => window.__blobTypes)).at(-1), 'application/octet-stream');
    const entries = unzip(readFileSync(await download.path()));
    assert.deepEqual(
      entries.map((e) => e.name),
      [
        `page-01.${pipelinePages[0][0] === 0xff ? 'jpg' : 'webp'}`,
        `page-02.${pipelinePages[1][0] === 0xff ? 'jpg' : 'webp'}`,
      ],
    );
    assert.ok(entries[0].data.equals(pipelinePages[0]), 'page 1 as the pipeline made it');
    assert.ok(entries[1].data.equals(pipelinePages[1]), 'page 2 as the pipeline made it');

    // Deleted, after a confirmation in plain words.
    await page.getByRole('button', { name: 'Supprimer ce papier' }).click();
    await page.getByText('Voulez-vous vraiment supprimer ce papier ?').waitFor();
    await page.getByText('Il sera effacé pour toujours.', { exact: false }).waitFor();
    await axeHere(page, 'delete, confirm');
    await page.getByRole('button', { name: 'Oui, supprimer' }).click();
    await heading(page, 'Mes papiers');
    await page.getByText('Le papier est supprimé.').waitFor();
    assert.equal(await page.getByRole('link', { name: TITLE }).count(), 0);
    await page.getByText('Vous n’avez pas encore de papier.', { exact: false }).waitFor();

    // The journal says both, in words.
    await page.getByRole('link', { name: 'Mon coffre' }).first().click();
    await heading(page, 'Votre coffre est ouvert');
    const journal = page.getByRole('list', { name: 'Ce qui s’est passé' });
    await journal.getByText('Papier supprimé').waitFor();
    await journal.getByText('Papier ajouté').waitFor();
    phone.assertClean();
    await phone.close();
  });
});

describe('papers: nothing an uploader controls runs in the app’s origin', () => {
  it('refuses HTML and SVG posing as an attestation before sending anything, and shows a PDF with JavaScript in a sandbox', async () => {
    const phone = await tab();
    const { page } = phone;
    await openCoffre(page, suite.baseUrl, PIN);
    // (Through the links: a page loaded anew forgets the open coffre.)
    await page.getByRole('link', { name: 'Ajouter un papier' }).first().click();
    await heading(page, 'Ajouter un papier');
    const sentBefore = phone.requests.length;
    const html =
      '<!doctype html><script>top.__pwned = 1; localStorage.pwned = 1; fetch("/pwned")</script><h1>Attestation</h1>';
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="top.__pwned = 1"><script>top.__pwned = 1; fetch("/pwned")</script></svg>';
    const polyglot = `${svg}\n%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`;
    for (const [input, file] of [
      ['#add-file', { name: 'attestation.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(html) }],
      ['#add-camera', { name: 'attestation.pdf', mimeType: 'application/pdf', buffer: Buffer.from(svg) }],
      ['#add-file', { name: 'attestation.pdf', mimeType: 'application/pdf', buffer: Buffer.from(polyglot) }],
    ]) {
      await page.setInputFiles(input, file);
      await page.getByRole('alert').filter({ hasText: 'Ce fichier n’est pas une photo ni un PDF.' }).waitFor();
      await prepared(page);
      assert.equal(await page.locator('li.page-draft').count(), 0, `${file.name} is not a page`);
    }
    await axeBothLanguages(page, 'add, refused file');
    const sent = phone.requests.slice(sentBefore);
    assert.deepEqual(
      sent.filter((r) => new URL(r.url).pathname.startsWith('/api/uploads') || r.url.includes('pwned')),
      [],
      'nothing sent',
    );
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.evaluate(() => localStorage.getItem('pwned')), null);

    // A real PDF whose opening runs JavaScript (and with HTML after its header).
    const doc = await PDFDocument.create();
    doc.addPage([300, 400]).drawText('Attestation', { x: 40, y: 300, size: 24 });
    // What the PDF's script would do if anything ran it: set a global (in the frame and in
    // the app), make requests, write to storage.
    const script = [
      "app.alert('pwned');",
      "this.submitForm('http://127.0.0.1:9/pdf-js-ran');",
      "app.launchURL('/pdf-js-ran', true);",
      'try { globalThis.__pwned = 1; top.__pwned = 1; } catch (e) {}',
      'try { localStorage.pwned = 1; parent.localStorage.pwned = 1; } catch (e) {}',
      "try { fetch('/pdf-js-ran'); } catch (e) {}",
    ].join(' ');
    const action = doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(script) });
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
    const saved = Buffer.from(await doc.save({ useObjectStreams: false }));
    const pdf = Buffer.concat([
      saved,
      Buffer.from('\n%<html><script>top.__pwned = 1; fetch("/pdf-html-ran")</script></html>\n%%EOF\n'),
    ]);
    await page.setInputFiles('#add-file', { name: 'attestation.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByText('Fichier PDF', { exact: true }).waitFor();
    // Counted (and its first page drawn) by the sandboxed frame already.
    await page.locator('.page-pdf').getByText(loose('1 page')).waitFor();
    await page.getByRole('img', { name: 'La première page du PDF' }).waitFor();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'Rangez votre papier');
    await page.getByLabel('Le type de papier').selectOption({ label: 'Autre papier' });
    await page.getByLabel('Le nom du papier').fill('Attestation piégée');
    // Refused once for the quota: said in words, and the form comes back as it was filled.
    const refuse = (route) =>
      route.fulfill({
        status: 413,
        contentType: 'application/json',
        body: '{"code":"quota_exceeded","message":"full"}',
      });
    await page.route('**/api/uploads', refuse);
    await page.getByRole('button', { name: 'Enregistrer le papier' }).click();
    await page.getByRole('alert').filter({ hasText: 'Votre coffre est trop plein pour ce papier.' }).waitFor();
    assert.equal(await page.getByLabel('Le nom du papier').inputValue(), 'Attestation piégée');
    await page.unroute('**/api/uploads', refuse);
    // The first chunk's connection cut once: tried again, and the paper is made.
    let cuts = 0;
    await page.route('**/api/uploads/*/chunks/0', (route) =>
      cuts++ === 0 ? route.abort('connectionreset') : route.continue(),
    );
    await page.getByRole('button', { name: 'Enregistrer le papier' }).click();
    await heading(page, 'Votre papier est rangé');
    assert.equal(cuts, 2, 'the cut chunk was sent again');
    await page.unrouteAll();

    const snapshot = () =>
      page.evaluate(async () => ({
        // (Without the frames' indexes: window[0] is the PDF's frame.)
        globals: Object.keys(window)
          .filter((k) => !/^\d+$/.test(k))
          .sort(),
        // (Without the index checkpoint the app's own listing writes when it opens the paper:
        // the frame's storage is its opaque origin's, checked separately below.)
        local: Object.entries(localStorage)
          .filter(([k]) => !k.startsWith('coffre:paper-indexes:'))
          .sort(),
        session: Object.entries(sessionStorage).sort(),
        cookie: document.cookie,
        databases: (await indexedDB.databases()).map((d) => d.name).sort(),
      }));
    const before = await snapshot();
    const shownAt = phone.requests.length;
    await page.getByRole('link', { name: 'Voir ce papier' }).click();
    await heading(page, 'Attestation piégée');
    // Drawn as an image (by pdf.js in the frame), shown by <img> only, from a PNG blob.
    const drawn = page.getByRole('img', { name: loose('Page 1 sur 1 : Attestation piégée') });
    await drawn.waitFor();
    assert.ok(
      await drawn.evaluate(async (img) => {
        await img.decode();
        return img.naturalWidth >= 800;
      }),
    );
    assert.equal(await drawn.evaluate((img) => window.__blobs.get(img.src)?.type), 'image/png');
    const shown = phone.requests.length;
    const iframe = page.locator('iframe.pdf-frame');
    assert.equal(await iframe.count(), 1);
    assert.equal(
      await iframe.getAttribute('sandbox'),
      'allow-scripts',
      'scripts only: no same origin, no forms, no popups',
    );
    const frame = await (await iframe.elementHandle()).contentFrame();
    // What runs in the frame (pdf.js, or anything a PDF could make it run) is in an opaque
    // origin: the app's window, storage and cookies are out of reach, and its own policy
    // forbids any request.
    assert.equal(await frame.evaluate(() => origin), 'null');
    assert.equal(
      await frame.evaluate(() => {
        try {
          return String(parent.document.title);
        } catch (e) {
          return e.name;
        }
      }),
      'SecurityError',
    );
    assert.equal(
      await frame.evaluate(() => {
        try {
          indexedDB.open('coffre-remembered');
          return 'opened';
        } catch (e) {
          return e.name;
        }
      }),
      'SecurityError',
      'IndexedDB out of reach',
    );
    for (const store of ['localStorage', 'sessionStorage']) {
      assert.equal(
        await frame.evaluate((name) => {
          try {
            return typeof window[name].length;
          } catch (e) {
            return e.name;
          }
        }, store),
        'SecurityError',
        `${store} out of reach`,
      );
    }
    assert.equal(
      await frame.evaluate(() => {
        try {
          return `cookie: ${document.cookie}`;
        } catch (e) {
          return e.name;
        }
      }),
      'SecurityError',
      'cookies out of reach',
    );
    assert.equal(
      await frame.evaluate(
        (url) =>
          fetch(url).then(
            () => 'fetched',
            () => 'refused',
          ),
        `${suite.baseUrl}/api/session?from-frame`,
      ),
      'refused',
      'no request from the frame',
    );
    assert.equal(await frame.evaluate(() => window.__pwned), undefined, 'nothing of the PDF ran in the frame');
    await axeHere(page, 'show a PDF');
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no global set');
    assert.deepEqual(await snapshot(), before, 'no global, storage or cookie of the app touched');
    // The frames (the add screen's, which counted the pages, and the viewer's) asked nothing of
    // the network: their script (pdf.js) is inline in their page, fetched by the app.
    const fromFrame = phone.requests.filter((r) => r.frame !== page.mainFrame() && !r.url.startsWith('blob:'));
    assert.deepEqual(
      fromFrame.map((r) => r.url),
      [],
      'no request from the frames',
    );
    // From the click to the page shown: the viewer's own code, the list (with its indexes and
    // the metadata files of the papers newer than them), the paper's content.
    const content = `/api/papers/${await page.evaluate(() => location.pathname.split('/').pop())}/content`;
    assert.deepEqual(
      phone.requests
        .slice(shownAt, shown)
        .filter((r) => !r.url.startsWith('blob:') && !fromFrame.includes(r))
        .map((r) => new URL(r.url).pathname)
        .filter((path) => !/^\/assets\/[\w.-]+\.(js|css)$/.test(path) && path !== '/favicon.svg')
        .filter((path) => path !== '/api/papers' && path !== '/api/papers/metas' && path !== content)
        .filter((path) => !/^\/api\/papers\/indexes\/[\w-]+\/\d+$/.test(path)),
      [],
      'no request but the viewer’s code, the list and the content',
    );
    // And none at all once the page is shown.
    assert.deepEqual(
      phone.requests
        .slice(shown)
        .filter((r) => !r.url.startsWith('blob:'))
        .map((r) => r.url),
      [],
      'no request once the PDF is shown',
    );
    assert.ok(!phone.requests.some((r) => /pwned|pdf-js-ran|pdf-html-ran/.test(r.url)));
    // Nothing else went wrong than what this test did (the refused upload, the cut chunk,
    // the frame's refused request).
    const expected = [
      /^console error: Connecting to '\S+\/api\/session\?from-frame' violates the following Content Security Policy directive: "connect-src 'none'"\. The action has been blocked\.$/,
      /^console error: Fetch API cannot load \S+\/api\/session\?from-frame\. Refused to connect because it violates the document's Content Security Policy\.$/,
      /^console error: Content Security Policy violation: connect-src \S+\/api\/session\?from-frame$/,
      /^HTTP 413: \S+\/api\/uploads$/,
      /^request failed: \S+\/api\/uploads\/[^/]+\/chunks\/0 \(net::ERR_CONNECTION_RESET\)$/,
      /^console error: Failed to load resource: the server responded with a status of 413 \(Payload Too Large\)$/,
      /^console error: Failed to load resource: net::ERR_CONNECTION_RESET$/,
    ];
    assert.deepEqual(
      phone.problems.filter((p) => !expected.some((e) => e.test(p))),
      [],
    );
    await phone.close();
  });
});
