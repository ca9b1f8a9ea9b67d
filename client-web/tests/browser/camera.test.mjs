// The carte read by the camera, as on a phone: a coffre is opened in one browser; another
// browser, whose fake camera films the carte's QR code (a video made from the carte on
// screen), signs in with it and the PIN. Headless Chromium on Linux has no BarcodeDetector,
// so this runs the lazy-loaded jsQR path on video frames.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { launchFilming, openPage, startSuite, visit, WIDTHS, writeFilm } from './browser.mjs';

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
  const video = await writeFilm(maker.context, png, join(dir, 'carte.y4m'));

  // 2. The same page, in the browser whose camera films that picture: the scan-back step.
  const filmed = await launchFilming(video);
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
