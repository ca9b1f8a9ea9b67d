// The page pipeline of a paper (src/papers) in Chromium, under the app's CSP: phone photos
// of A4 papers (EXIF orientation 6, GPS, a thumbnail) become upright, light pages with no
// metadata left, in WebP through the worker and in JPEG on the main thread; hostile files
// posing as a photo or a PDF are refused; a turned and cropped page has the right size and
// the right pixels where they belong.
//
// The photos are the shared fixtures (COFFRE_PAPER_FIXTURES, default ../shared/fixtures/papers
// beside the project, made by generate.py there); without them the suite fails, saying so.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, openPage } from './browser.mjs';
import { metadataFindings, storedSize } from './image-metadata.mjs';
import { servePapersPage } from './papers-page.mjs';

const FIXTURES =
  process.env.COFFRE_PAPER_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures/papers', import.meta.url));
const A4 = ['attestation-caf.jpg', 'recu-ofii-2pages-p1.jpg'].map((name) => join(FIXTURES, name));
const CARD = join(FIXTURES, 'titre-sejour-recto.jpg');
const missing = [...A4, CARD].filter((path) => !existsSync(path));
const OPTIONS = { maxPdfBytes: 10 * 1024 * 1024 };
const WEBP_BUDGET = 300 * 1024;
const JPEG_BUDGET = 375 * 1024;

let site;
let browser;
before(async () => {
  assert.deepEqual(
    missing,
    [],
    `the phone photos are missing: run generate.py in ${FIXTURES} or set COFFRE_PAPER_FIXTURES`,
  );
  site = await servePapersPage();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
});
after(async () => {
  await browser?.close();
  await site?.stop();
});

/** The test page, with its module loaded; records workers and anything that goes wrong. */
async function open() {
  const tab = await openPage({ browser, baseUrl: site.url.replace(/\/$/, '') }, { locale: 'fr-FR', width: 360 });
  const workers = [];
  const scripts = [];
  tab.page.on('worker', (worker) => workers.push(worker.url()));
  tab.page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await tab.page.goto(site.url);
  await tab.page.waitForFunction(() => 'papersPage' in window);
  const before = scripts.length;
  await tab.page.evaluate(() => window.papersPage.load());
  return { ...tab, workers, lazyChunks: scripts.slice(before) };
}

/** Picks `files` (paths, or {name, mimeType, buffer}) and runs preparePages on `specs`. */
async function run(page, files, specs, options = OPTIONS) {
  await page.setInputFiles('#pick', files);
  const result = await page.evaluate(([s, o]) => window.papersPage.run(s, o), [specs, options]);
  if (result.pages) for (const p of result.pages) p.bytes = Buffer.from(p.base64, 'base64');
  return result;
}

const isWebp = (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP';
const isJpeg = (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** An RGB PNG of `width` × `height`, each pixel's colour from `colour(x, y)`. */
function pngOf(width, height, colour) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(colour(x, y), y * (width * 3 + 1) + 1 + x * 3);
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The RGB colour of the output page at (x, y), decoded by Chromium in a blank page. */
async function coloursAt(tab, bytes, points) {
  const blank = await tab.context.newPage();
  try {
    return await blank.evaluate(
      async ([b, ps]) => {
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(b)]));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        return ps.map(([x, y]) => [...context.getImageData(x, y, 1, 1).data.slice(0, 3)]);
      },
      [[...bytes], points],
    );
  } finally {
    await blank.close();
  }
}

const near = (actual, expected, what) =>
  assert.ok(
    actual.every((v, i) => Math.abs(v - expected[i]) <= 40),
    `${what}: ${actual} should be close to ${expected}`,
  );

describe('a paper’s pages in Chromium', () => {
  it('turns phone photos of A4 papers into upright WebP pages, in a worker, with no metadata', async () => {
    const tab = await open();
    assert.ok(tab.lazyChunks.length >= 1, 'the module is a chunk of its own, loaded on demand');
    const result = await run(tab.page, A4, [{ file: 0 }, { file: 1 }]);
    assert.equal(result.error, undefined);
    assert.equal(result.pages.length, 2);
    assert.equal(tab.workers.length, 1, 'one worker for the batch');
    assert.match(new URL(tab.workers[0]).pathname, /^\/assets\/[\w.-]+\.js$/);
    for (const [i, page] of result.pages.entries()) {
      const original = readFileSync(A4[i]);
      assert.ok(metadataFindings(original).length >= 3, 'the original has EXIF, GPS and a thumbnail to lose');
      assert.equal(page.type, 'image/webp');
      assert.ok(isWebp(page.bytes), 'WebP magic bytes');
      assert.deepEqual(storedSize(page.bytes), { width: 1800, height: 2400 }, 'upright (portrait), long side 2400');
      assert.deepEqual([page.width, page.height], [1800, 2400]);
      assert.ok(page.bytes.length <= WEBP_BUDGET, `${A4[i]}: ${page.bytes.length} bytes ≤ 300 KB`);
      assert.deepEqual(metadataFindings(page.bytes), [], 'no EXIF, XMP, GPS or thumbnail');
    }
    tab.assertClean();
    await tab.close();
  });

  it('writes JPEG on the main thread (<canvas>.toBlob) when asked, with no metadata', async () => {
    const tab = await open();
    const result = await run(tab.page, A4, [{ file: 0 }, { file: 1 }], {
      ...OPTIONS,
      format: 'image/jpeg',
      where: 'main',
    });
    assert.equal(tab.workers.length, 0, 'no worker');
    for (const [i, page] of result.pages.entries()) {
      assert.equal(page.type, 'image/jpeg');
      assert.ok(isJpeg(page.bytes), 'JPEG magic bytes');
      assert.deepEqual(storedSize(page.bytes), { width: 1800, height: 2400 });
      assert.ok(page.bytes.length <= JPEG_BUDGET, `${A4[i]}: ${page.bytes.length} bytes ≤ 375 KB`);
      assert.deepEqual(metadataFindings(page.bytes), [], 'no APP1 (EXIF, XMP), no comment, no embedded JPEG');
    }
    tab.assertClean();
    await tab.close();
  });

  it('refuses HTML posing as attestation.jpg and an SVG with script posing as a PDF; runs nothing', async () => {
    const tab = await open();
    const html = '<!doctype html><script>window.pwned = 1; localStorage.pwned = 1</script><h1>Attestation</h1>';
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="window.pwned = 1"><script>window.pwned = 1</script>' +
      '<!-- %PDF-1.7 --></svg>';
    const hostile = [
      { name: 'attestation.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(html) },
      { name: 'attestation.pdf', mimeType: 'application/pdf', buffer: Buffer.from(svg) },
    ];
    for (const file of [0, 1]) {
      const result = await run(tab.page, hostile, [{ file }]);
      assert.deepEqual(result.error, { code: 'unsupported_type', page: 0 }, hostile[file].name);
    }
    // A HEIC this browser cannot decode (Chromium has no HEIC decoder), and a PNG cut short.
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
      Buffer.alloc(512, 7),
    ]);
    const png = pngOf(64, 48, () => [200, 10, 10]);
    const odd = [
      { name: 'IMG_2041.HEIC', mimeType: 'image/heic', buffer: heic },
      { name: 'scan.png', mimeType: 'image/png', buffer: png.subarray(0, png.length - 12) },
    ];
    assert.deepEqual((await run(tab.page, odd, [{ file: 0 }])).error, { code: 'heic_unsupported', page: 0 });
    assert.deepEqual((await run(tab.page, odd, [{ file: 1 }])).error, { code: 'file_damaged', page: 0 });
    assert.equal(await tab.page.evaluate(() => window.pwned ?? localStorage.getItem('pwned')), null);
    tab.assertClean();
    await tab.close();
  });

  it('turns a quarter clockwise, then crops: the expected size, each colour where it belongs', async () => {
    const tab = await open();
    // 400 × 300: red | green over blue | white. Turned clockwise: blue | red over white | green.
    const quadrants = pngOf(400, 300, (x, y) =>
      y < 150 ? (x < 200 ? [255, 0, 0] : [0, 255, 0]) : x < 200 ? [0, 0, 255] : [255, 255, 255],
    );
    const files = [{ name: 'quadrants.png', mimeType: 'image/png', buffer: quadrants }];
    const turned = await run(tab.page, files, [{ file: 0, rotation: 90 }]);
    const [whole] = turned.pages;
    assert.deepEqual([whole.width, whole.height], [300, 400], 'not scaled up');
    const corners = await coloursAt(tab, whole.bytes, [
      [75, 100],
      [225, 100],
      [75, 300],
      [225, 300],
    ]);
    near(corners[0], [0, 0, 255], 'top left');
    near(corners[1], [255, 0, 0], 'top right');
    near(corners[2], [255, 255, 255], 'bottom left');
    near(corners[3], [0, 255, 0], 'bottom right');
    // The right half of the turned picture: red over green, 150 × 400.
    const cut = await run(tab.page, files, [{ file: 0, rotation: 90, crop: { x: 0.5, y: 0, width: 0.5, height: 1 } }]);
    const [half] = cut.pages;
    assert.deepEqual([half.width, half.height], [150, 400]);
    assert.deepEqual(storedSize(half.bytes), { width: 150, height: 400 });
    const [top, bottom] = await coloursAt(tab, half.bytes, [
      [75, 100],
      [75, 300],
    ]);
    near(top, [255, 0, 0], 'top');
    near(bottom, [0, 255, 0], 'bottom');
    tab.assertClean();
    await tab.close();
  });

  it('turns and crops a phone photo to the expected size', async () => {
    const tab = await open();
    // The card, 4000 × 3000 (orientation 1), turned: 3000 × 4000; x 10–60 %, y 20–80 %: 1500 × 2400.
    const result = await run(
      tab.page,
      [CARD],
      [{ file: 0, rotation: 90, crop: { x: 0.1, y: 0.2, width: 0.5, height: 0.6 } }],
    );
    const [page] = result.pages;
    assert.deepEqual([page.width, page.height], [1500, 2400]);
    assert.deepEqual(storedSize(page.bytes), { width: 1500, height: 2400 });
    assert.deepEqual(metadataFindings(page.bytes), []);
    tab.assertClean();
    await tab.close();
  });

  it('keeps a PDF byte for byte, and refuses one over the cap', async () => {
    const tab = await open();
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Attestation (test)');
    const pdf = Buffer.from(await doc.save());
    const files = [{ name: 'releve', mimeType: '', buffer: pdf }];
    const kept = await run(tab.page, files, [{ file: 0 }]);
    assert.equal(kept.pages[0].type, 'application/pdf');
    assert.ok(kept.pages[0].bytes.equals(pdf), 'the same bytes');
    const refused = await run(tab.page, files, [{ file: 0 }], { maxPdfBytes: pdf.length - 1 });
    assert.deepEqual(refused.error, { code: 'pdf_too_large', page: 0, limit: pdf.length - 1 });
    tab.assertClean();
    await tab.close();
  });
});
