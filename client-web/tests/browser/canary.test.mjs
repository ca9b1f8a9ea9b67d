// The canary scan: what the server keeps never holds a paper in clear. Through the real
// client in Chromium, a coffre receives two papers — a photo whose pixels carry a marker
// drawn for this run, and a PDF — each under a title and a file name that carry markers of
// their own; both are downloaded back, which gives their plaintext bytes. Then every file
// of the server's data directory (the SQLite database and its journal, the blob store) and
// everything the server wrote on stdout and stderr are scanned: none holds a title or file
// name marker (as text, nor in base64 or base64url at any alignment) nor any 64-byte window
// of the plaintexts (one every 4 KiB). The same scan run on a file planted with those
// markers finds each of them: the scan can fail.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { openCoffre, openPage, settled, startSuite, WIDTHS } from './browser.mjs';

const PIN = '58203917';
const WINDOW = 64;
const STEP = 4096;

let suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

const marker = (prefix) => `${prefix}${randomBytes(9).toString('hex')}`;

/** Every form `text` could take in a file: itself, and base64 / base64url at the 3 alignments. */
function encodings(text) {
  const bytes = Buffer.from(text, 'utf8');
  const forms = [text];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Drop the characters that depend on what comes before (the first group) and after (the last).
    const stable = encoded.slice(shift === 0 ? 0 : 4, -4).replace(/=+$/, '');
    forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(forms)].map((f) => Buffer.from(f, 'latin1'));
}

/** 64-byte windows of `bytes`, one every 4 KiB (and the last one). */
function windows(bytes) {
  const out = [];
  for (let at = 0; at + WINDOW <= bytes.length; at += STEP) out.push(bytes.subarray(at, at + WINDOW));
  out.push(bytes.subarray(bytes.length - WINDOW));
  return out;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * What of `needles` ({ name: [Buffer…] }) occurs in `sources` ({ name: Buffer }):
 * a list of "needle in source".
 */
function scan(sources, needles) {
  const found = [];
  for (const [source, haystack] of Object.entries(sources)) {
    for (const [needle, forms] of Object.entries(needles)) {
      if (forms.some((form) => haystack.indexOf(form) !== -1)) found.push(`${needle} in ${source}`);
    }
  }
  return found;
}

/** A photo of a "paper" drawn for this run: the marker in large letters, random blocks. */
async function drawPhoto(text) {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const data = await page.evaluate((label) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1240;
    canvas.height = 1754;
    const g = canvas.getContext('2d');
    g.fillStyle = '#f4f1ea';
    g.fillRect(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < 400; i++) {
      g.fillStyle = `hsl(${Math.random() * 360} 60% ${30 + Math.random() * 50}%)`;
      g.fillRect(Math.random() * 1240, Math.random() * 1754, 10 + Math.random() * 60, 10 + Math.random() * 60);
    }
    g.fillStyle = '#111';
    g.font = 'bold 64px sans-serif';
    for (let y = 200; y < 1700; y += 300) g.fillText(label, 60, y);
    return canvas.toDataURL('image/png');
  }, text);
  await context.close();
  return Buffer.from(data.split(',')[1], 'base64');
}

async function drawPdf(text) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  for (let y = 760; y > 80; y -= 40) page.drawText(text, { x: 40, y, size: 18, font });
  return Buffer.from(await doc.save());
}

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Adds `file` as a paper titled `title` (type "Autre papier"), from the coffre's home. */
async function addPaper(page, file, title) {
  await page.getByRole('link', { name: 'Ajouter un papier' }).first().click();
  await heading(page, 'Ajouter un papier');
  await page.setInputFiles('#add-file', file);
  await page.getByRole('button', { name: 'Continuer' }).waitFor();
  await page.getByText('Nous préparons la page…').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading(page, 'Rangez votre papier');
  await page.getByLabel('Le type de papier').selectOption({ label: 'Autre papier' });
  await page.getByLabel('Le nom du papier').fill(title);
  await page.getByRole('button', { name: 'Enregistrer le papier' }).click();
  await heading(page, 'Votre papier est rangé');
}

/** From the list, opens the paper `title` and downloads it: its plaintext bytes. */
async function download(page, title) {
  await page.getByRole('link', { name: title }).first().click();
  await heading(page, title);
  await page.getByRole('button', { name: 'Autres actions' }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#viewer-more').getByRole('button', { name: 'Télécharger' }).click(),
  ]);
  const bytes = readFileSync(await file.path());
  await page.getByRole('link', { name: 'Fermer' }).click();
  await heading(page, 'Mes papiers');
  return { bytes, name: file.suggestedFilename() };
}

describe('canary scan', () => {
  it('finds no title, file name or page of a paper in the database, the blobs or the log', async () => {
    const run = {
      pixels: marker('PIX'),
      photoTitle: marker('TitrePhoto'),
      photoFile: marker('fichierphoto'),
      pdfTitle: marker('TitrePdf'),
      pdfFile: marker('fichierpdf'),
      pdfText: marker('TextePdf'),
    };
    const photo = await drawPhoto(run.pixels);
    const pdf = await drawPdf(run.pdfText);

    const t = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
    const { page } = t;
    await openCoffre(page, suite.baseUrl, PIN);
    await addPaper(page, { name: `${run.photoFile}.png`, mimeType: 'image/png', buffer: photo }, run.photoTitle);
    await page.getByRole('link', { name: 'Voir mes papiers' }).first().click();
    await heading(page, 'Mes papiers');
    await addPaper(page, { name: `${run.pdfFile}.pdf`, mimeType: 'application/pdf', buffer: pdf }, run.pdfTitle);
    await settled(page);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert.deepEqual(
      axe.violations.map((v) => v.id),
      [],
    );

    // Their plaintexts, as the owner gets them back.
    await page.getByRole('link', { name: 'Voir mes papiers' }).first().click();
    await heading(page, 'Mes papiers');
    const photoBack = await download(page, run.photoTitle);
    const pdfBack = await download(page, run.pdfTitle);
    assert.ok(pdfBack.bytes.equals(pdf), 'the PDF comes back as it was given');
    assert.ok(photoBack.bytes.length > 20_000, `the photo's page comes back (${photoBack.bytes.length} bytes)`);
    // Nothing went wrong but Chromium refusing its PDF viewer in the viewer's sandboxed frame
    // (as in papers.test.mjs; docs/design/papers-screens.md).
    assert.deepEqual(
      t.problems.filter((p) => !/^request failed: blob:\S+ \(net::ERR_BLOCKED_BY_CLIENT\)$/.test(p)),
      [],
    );
    await t.close();

    const needles = {
      'photo title': encodings(run.photoTitle),
      'photo file name': encodings(run.photoFile),
      'PDF title': encodings(run.pdfTitle),
      'PDF file name': encodings(run.pdfFile),
      'PDF text': encodings(run.pdfText),
      'photo page bytes': windows(photoBack.bytes),
      'PDF bytes': windows(pdf),
    };

    // What the server keeps: every file of its data directory (read while it runs: the
    // SQLite write-ahead log has not been folded into the database yet), and its output.
    const dataDir = suite.server.dataDir;
    assert.ok(dataDir, 'the harness started the server (not COFFRE_TEST_URL)');
    const files = filesUnder(dataDir);
    const sources = Object.fromEntries(files.map((f) => [f.slice(dataDir.length + 1), readFileSync(f)]));
    sources['server stdout and stderr'] = Buffer.from(suite.server.log(), 'utf8');
    // Something to scan: the database, the two papers' ciphertexts in the blob store, a log.
    assert.ok(
      files.some((f) => /coffre\.db/.test(f) && statSync(f).size > 0),
      `a database file: ${files}`,
    );
    const blobBytes = files
      .filter((f) => f.includes(`${join(dataDir, 'blobs')}`))
      .reduce((n, f) => n + statSync(f).size, 0);
    assert.ok(
      blobBytes >= photoBack.bytes.length + pdf.length,
      `the ciphertexts are in the blob store (${blobBytes} bytes)`,
    );
    assert.match(suite.server.log(), /\/api\/uploads/, 'the log has the uploads');
    assert.deepEqual(scan(sources, needles), [], 'nothing of a paper in clear on the server');

    // The scan can fail: planted in a file of our own, each marker is found.
    const planted = mkdtempSync(join(tmpdir(), 'coffre-canary-'));
    try {
      const at = Math.min(STEP * 2, photoBack.bytes.length - WINDOW);
      const path = join(planted, 'planted.db');
      writeFileSync(
        path,
        Buffer.concat([
          Buffer.from(
            JSON.stringify({
              title: Buffer.from(`{"t":"${run.photoTitle}"}`).toString('base64url'),
              name: Buffer.from(`x${run.pdfFile}`).toString('base64'),
            }),
          ),
          randomBytes(1000),
          photoBack.bytes.subarray(at, at + WINDOW),
          Buffer.from(run.pdfTitle),
        ]),
      );
      assert.deepEqual(scan({ planted: readFileSync(path) }, needles).sort(), [
        'PDF file name in planted',
        'PDF title in planted',
        'photo page bytes in planted',
        'photo title in planted',
      ]);
    } finally {
      rmSync(planted, { recursive: true, force: true });
    }
  });
});
