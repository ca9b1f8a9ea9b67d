// Naming and renaming a mandate's grantee afterwards, at 320 px, in French and Arabic
// (docs/design/mandates-screens.md, protocol.md section 8.1). The owner gives two mandates to
// an aidant from the typed code, one named « Inès », one without a name; on « Mes mandats »
// « Changer le nom » and « Donner un nom » open a form in place (the focus on the field; an
// empty name refused on the field; Échap closes it and gives the focus back); the names are
// saved, said in a status line and shown at once; a fresh browser context (a new device)
// shows the new names from the owner's notes; and the owner's browser, whose host then serves
// back the note the rename replaced, keeps showing the newer name. axe on every screen.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  clean,
  follow,
  giveByTypedCode,
  loose,
  openInvited,
  openPage,
  professionalInvitation,
  screenChecks,
  signInWithCarte,
  startSuite,
} from './browser.mjs';
import { SEED_PIN, seedCoffre } from './seed.mjs';

const WIDTH = 320;
const AIDANT_PIN = '52817346';

let suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

const { axeHere, axeBothLanguages } = screenChecks({ prefix: 'mandate-names', width: WIDTH });
const mandateHeading = (page, text) => page.getByRole('heading', { level: 2, name: loose(text) });
/** The list item of mandate n° `number`. */
const itemOf = (page, number) =>
  page
    .locator('.mandate-list > li')
    .filter({ has: page.getByRole('heading', { level: 2, name: loose(`Mandat n° ${number}`) }) });
const focusedLabel = (page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

it('names and renames a grantee after the mandate; a new device shows the new names; an older note is ignored', async () => {
  const seeded = await seedCoffre(suite.baseUrl, 0);

  // The aidant's account and its typed code.
  const aidant = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const a = aidant.page;
  await openInvited(a, suite.baseUrl, await professionalInvitation(suite), AIDANT_PIN);
  await follow(a, 'Mon code', 'Mon code');
  const typed = clean(await a.locator('#mycode-typed').innerText());
  await aidant.close();

  const owner = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const o = owner.page;
  try {
    await signInWithCarte(o, suite.baseUrl, seeded.typed, SEED_PIN);
    const first = await giveByTypedCode(o, typed, {
      name: 'Inès',
      category: 'Ressources et aides',
      rights: 'Voir les papiers',
    });
    await follow(o, 'Voir mes mandats', 'Mes mandats');
    const second = await giveByTypedCode(o, typed, {
      name: '',
      category: 'Logement et domiciliation',
      rights: 'Déposer des papiers',
    });
    await follow(o, 'Voir mes mandats', 'Mes mandats');
    await mandateHeading(o, `Mandat n° ${first} · Inès`).waitFor();
    await mandateHeading(o, `Mandat n° ${second}`).waitFor();
    // The note the rename will replace, as the server serves it now.
    const { given } = await o.evaluate(async () => (await fetch('/api/mandates')).json());
    const firstItem = given.find((g) => g.number === first);
    const oldNote = firstItem.note;
    assert.ok(oldNote, 'the first mandate has a note');
    assert.equal(given.find((g) => g.number === second).note, undefined, 'the second has none');

    const one = itemOf(o, first);
    const two = itemOf(o, second);
    assert.equal(await one.getByRole('button', { name: 'Donner un nom' }).count(), 0);
    assert.equal(await two.getByRole('button', { name: 'Changer le nom' }).count(), 0);
    await axeBothLanguages(o, 'liste');

    // « Changer le nom »: the form opens in place, the field focused and holding the name.
    await one.getByRole('button', { name: 'Changer le nom' }).click();
    const field = one.getByLabel('Le nom de la personne ou de la structure (pour vous)');
    await field.waitFor();
    assert.equal(await field.inputValue(), 'Inès');
    assert.equal(await focusedId(o), await field.getAttribute('id'));
    assert.equal(await field.getAttribute('maxlength'), '60');
    await axeBothLanguages(o, 'changer');
    // An empty name is refused on the field, and nothing is sent.
    await field.fill('   ');
    await one.getByRole('button', { name: 'Enregistrer le nom' }).click();
    await one.getByText('Écrivez un nom.').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match((await field.getAttribute('aria-describedby')) ?? '', /mandate-name-error-/);
    await axeHere(o, 'nom-vide');
    // Typed and saved with the keyboard (Entrée).
    await field.fill('Inès B. (CHRS)');
    await field.press('Enter');
    await one.getByRole('status').getByText(loose('Le nom est enregistré : « Inès B. (CHRS) ».')).waitFor();
    await mandateHeading(o, `Mandat n° ${first} · Inès B. (CHRS)`).waitFor();
    assert.equal(await focusedLabel(o), 'Changer le nom', 'the focus is back on the button');
    await axeBothLanguages(o, 'enregistre');

    // « Donner un nom » on the mandate that had none.
    await two.getByRole('button', { name: 'Donner un nom' }).click();
    const field2 = two.getByLabel('Le nom de la personne ou de la structure (pour vous)');
    assert.equal(await field2.inputValue(), '');
    await field2.fill('Mme Diallo');
    await two.getByRole('button', { name: 'Enregistrer le nom' }).click();
    await mandateHeading(o, `Mandat n° ${second} · Mme Diallo`).waitFor();
    await two.getByRole('status').getByText(loose('Le nom est enregistré : « Mme Diallo ».')).waitFor();
    // Échap closes the form without saving, and gives the focus back to its button.
    await two.getByRole('button', { name: 'Changer le nom' }).click();
    await field2.fill('Personne');
    await field2.press('Escape');
    assert.equal(await field2.count(), 0, 'the form is closed');
    assert.equal(await focusedLabel(o), 'Changer le nom');
    await mandateHeading(o, `Mandat n° ${second} · Mme Diallo`).waitFor();

    // A new device (a fresh context: nothing in its storage) shows the new names.
    const device = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
    try {
      const d = device.page;
      await signInWithCarte(d, suite.baseUrl, seeded.typed, SEED_PIN);
      await follow(d, 'Mes mandats', 'Mes mandats');
      await mandateHeading(d, `Mandat n° ${first} · Inès B. (CHRS)`).waitFor();
      await mandateHeading(d, `Mandat n° ${second} · Mme Diallo`).waitFor();
      await axeBothLanguages(d, 'nouvel-appareil');
      device.assertClean();
    } finally {
      await device.close();
    }

    // The host serves the owner's browser the note the rename replaced: it is ignored there
    // (this browser has seen a later one), and the new name stays.
    await o.route('**/api/mandates', async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const response = await route.fetch();
      const body = await response.json();
      for (const g of body.given) if (g.number === first) g.note = oldNote;
      await route.fulfill({ response, json: body });
    });
    await follow(o, 'Retour à mon coffre', 'Votre coffre est ouvert');
    await follow(o, 'Mes mandats', 'Mes mandats');
    await mandateHeading(o, `Mandat n° ${second} · Mme Diallo`).waitFor();
    assert.equal(
      clean(await one.getByRole('heading', { level: 2 }).innerText()),
      `Mandat n° ${first} · Inès B. (CHRS)`,
    );
    await o.unroute('**/api/mandates');
    owner.assertClean();
  } finally {
    await owner.close();
  }
});
