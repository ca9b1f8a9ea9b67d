// The carte read by the camera, as on a phone: a coffre is opened in one browser; another
// browser, whose fake camera films the carte's QR code (a video made from the carte on
// screen), signs in with it and the PIN. Headless Chromium on Linux has no BarcodeDetector,
// so this runs the lazy-loaded jsQR path on video frames.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, openPage, startSuite, visit, WIDTHS } from './browser.mjs';

const PIN = '48213579';
let suite;
let dir;
before(async () => {
  suite = await startSuite();
  dir = await mkdtemp(join(tmpdir(), 'coffre-camera-'));
});
after(async () => {
  await suite?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** An uncompressed Y4M video (4:2:0) of one RGBA image, repeated: what Chromium's fake camera plays. */
function y4m({ width, height, rgba }, frames = 10) {
  const w = width & ~1;
  const h = height & ~1;
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2), 128);
  const v = Buffer.alloc((w / 2) * (h / 2), 128);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const i = (row * width + col) * 4;
      y[row * w + col] = Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]);
    }
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, u, v]);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`),
    ...Array.from({ length: frames }, () => frame),
  ]);
}

it('signs in with the carte read by the camera, and the PIN', async () => {
  // 1. Make a coffre up to its carte, and take a picture of the carte's QR code.
  const maker = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
  const { page } = maker;
  await visit(page, suite.baseUrl, '/create');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
  await page.getByLabel('Tapez le même code encore une fois').fill(PIN);
  await page.getByRole('button', { name: 'Créer ma carte' }).click();
  await heading(page, /^Votre carte/);
  const png = await page.getByRole('img', { name: 'Le code carré de votre carte' }).screenshot();
  const typed = (await page.locator('.typed').innerText()).replace(/\s+/g, '');
  // The PNG's pixels, decoded by a blank page (the app's CSP allows no such script).
  const blank = await maker.context.newPage();
  const image = await blank.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    // A white margin, as around a printed carte: the QR code needs its quiet zone.
    const margin = 40;
    const canvas = new OffscreenCanvas(bitmap.width + 2 * margin, bitmap.height + 2 * margin);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(bitmap, margin, margin);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: data.width, height: data.height, rgba: Array.from(data.data) };
  }, Array.from(png));
  await blank.close();
  const video = join(dir, 'carte.y4m');
  await writeFile(video, y4m(image));

  // 2. The same page, in the browser whose camera films that picture: the scan-back step.
  const filmed = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...CHROMIUM_FLAGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const context = await filmed.newContext({ locale: 'fr-FR', viewport: { width: WIDTHS.phone, height: 800 } });
    await context.grantPermissions(['camera'], { origin: suite.baseUrl });
    const phone = await context.newPage();
    const errors = [];
    phone.on('pageerror', (e) => errors.push(e.message));
    // First the coffre is opened in the first browser (the carte typed back).
    await page.getByRole('button', { name: 'J’ai ma carte. Continuer' }).click();
    await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
    await page.getByLabel('Le code de la carte').fill(typed);
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await heading(page, 'Votre coffre est ouvert');

    await phone.goto(`${suite.baseUrl}/unlock`);
    await phone.getByRole('button', { name: 'Avec ma carte' }).click();
    await phone.getByRole('button', { name: 'Scanner avec la caméra' }).click();
    await phone.getByText('Placez le code carré de la carte devant la caméra.').waitFor();
    await heading(phone, 'Tapez votre code');
    await phone.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
    await phone.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await heading(phone, 'Votre coffre est ouvert');
    assert.deepEqual(errors, []);
  } finally {
    await filmed.close();
  }
  maker.assertClean();
  await maker.close();
});
