// Mandates face to face, in two browsers against the real server, at 360 px, in French and
// Arabic (docs/design/mandates-screens.md). An aidant opens a professional account from a
// one-time link (`coffre admin invite`) and shows « Mon code »; the owner's browser, whose
// fake camera films that QR code, reads it, both compare the five words, and the owner
// gives a one-month consult mandate on « Ressources et aides »; the aidant sees the person
// and opens the paper (each step an access receipt); the owner reads those receipts, verified
// in the browser, and stops the mandate in one tap; the aidant's list is then empty and
// opening the paper again is refused. The revocation rotates « Ressources et aides » (the API
// then has its generation 1, owner-signed), a paper the owner adds afterwards is sealed to
// it, and no key the aidant's browser was ever served is for it. Then the typed code: a typo is caught, the right
// code gives the same words, and words said to differ stop the mandate. axe on every
// screen; screenshots kept with COFFRE_TEST_SCREENSHOTS=DIR.
//
// The grantee is a person (the aidant's own account); organisations.test.mjs gives a mandate
// to an organisation.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  clean,
  follow,
  giveByTypedCode,
  launchFilming,
  loose,
  openInvited,
  openPage,
  professionalInvitation,
  screenChecks,
  signInWithCarte,
  startSuite,
  writeFilm,
} from './browser.mjs';
import { SEED_PIN, seedCoffre } from './seed.mjs';

const WIDTH = 360;
const AIDANT_PIN = '52817346';
const FIXTURES =
  process.env.COFFRE_TEST_PAPERS ?? fileURLToPath(new URL('../../../../shared/fixtures/papers', import.meta.url));
const PHOTO = join(FIXTURES, 'attestation-caf.jpg');

let suite;
let dir;
before(async () => {
  suite = await startSuite();
  dir = await mkdtemp(join(tmpdir(), 'coffre-mandates-'));
});
after(async () => {
  await suite?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();
const { axeHere, axeBothLanguages } = screenChecks({ prefix: 'mandates', width: WIDTH });

/** The video the owner's camera films: the QR code on the aidant's screen, with a white margin. */
const filmOf = (context, png) => writeFilm(context, png, join(dir, 'mon-code.y4m'));

it('gives a mandate face to face; the aidant consults; the owner reads it and revokes; the aidant is refused', async () => {
  // The owner's coffre, with an « attestation CAF » in « Ressources et aides ».
  const seeded = await seedCoffre(suite.baseUrl, 0);
  const income = seeded.categories.find((c) => c.icon === 'income');
  await seeded.store.add(
    {
      pages: [{ bytes: new Uint8Array(await readFile(PHOTO)), type: 'image/jpeg' }],
      category: income.id,
      docType: 'autre',
      title: 'Attestation CAF',
    },
    { sleep: async () => {} },
  );

  // 1. The aidant's professional account, and « Mon code ».
  const aidant = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const a = aidant.page;
  // Every category key the aidant's browser is served (the access route's answers).
  const served = [];
  a.on('response', async (r) => {
    if (!/\/api\/mandates\/[^/]+\/access$/.test(r.url()) || !r.ok()) return;
    const body = await r.json().catch(() => null);
    for (const k of body?.keys ?? []) served.push(k.generation);
  });
  await openInvited(a, suite.baseUrl, await professionalInvitation(suite), AIDANT_PIN);
  await follow(a, 'Mon code', 'Mon code');
  const aidantWords = clean(await a.locator('#mycode-words').innerText());
  const aidantTyped = clean(await a.locator('#mycode-typed').innerText());
  assert.match(aidantWords, /^\S+ · \S+ · \S+ · \S+ · \S+$/);
  await axeBothLanguages(a, 'mon-code');
  const qr = await a.getByRole('img', { name: 'Le code carré pour recevoir un mandat' }).screenshot();

  // 2. The owner, in a browser whose camera films the aidant's screen.
  const filmed = await launchFilming(await filmOf(aidant.context, qr));
  try {
    const owner = await openPage({ ...suite, browser: filmed }, { locale: 'fr-FR', width: WIDTH });
    const o = owner.page;
    await owner.context.grantPermissions(['camera'], { origin: suite.baseUrl });
    await signInWithCarte(o, suite.baseUrl, seeded.typed, SEED_PIN);
    await follow(o, 'Donner un mandat', 'Donner un mandat');
    await axeBothLanguages(o, 'donner-lire');
    await o.getByRole('button', { name: 'Scanner avec la caméra' }).click();
    await o.getByText('Comparez les cinq mots').waitFor();
    // Both screens show the same five words.
    assert.equal(clean(await o.locator('#give-words').innerText()), aidantWords);
    await axeBothLanguages(o, 'donner-mots');
    await o.getByRole('button', { name: 'Oui, les mêmes' }).click();

    // The scope: one category, consult, one month.
    await o.getByLabel('Le nom de la personne ou de la structure (pour vous)').fill('Inès');
    await o.getByLabel('Ressources et aides').check();
    assert.ok(await o.getByLabel('Voir les papiers', { exact: true }).isChecked());
    assert.ok(await o.getByLabel('1 mois').isChecked());
    await axeBothLanguages(o, 'donner-choix');
    await o.getByRole('button', { name: 'Lire le mandat' }).click();
    const text = await o.locator('#mandate-text').innerText();
    assert.match(text, /mandat-v1/);
    assert.match(text, /Ressources et aides/);
    assert.match(text, /voir mes papiers/);
    assert.ok(text.includes(aidantWords.replace(/ · /g, '-')), 'the text names the aidant’s words');
    await axeBothLanguages(o, 'donner-texte');
    await o.getByRole('button', { name: 'Signer et donner le mandat' }).click();
    await o.getByText(loose('C’est fait. C’est le mandat n° 1.')).waitFor();
    await axeBothLanguages(o, 'donner-fait');
    const download = o.waitForEvent('download');
    await o.getByRole('button', { name: 'Télécharger l’attestation (PDF)' }).click();
    const pdf = await readFile(await (await download).path());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.equal(String((await download).suggestedFilename()), 'attestation-mandat-1.pdf');

    // 3. The aidant sees the person and opens the paper.
    await follow(a, 'Retour à mon coffre', 'Votre coffre est ouvert');
    await follow(a, 'Les personnes que j’aide', 'Les personnes que j’aide');
    await a.getByText(loose('Mandat n° 1')).waitFor();
    // A consult-only mandate names its démarche too (the label the owner sealed to the aidant).
    await a.getByRole('heading', { level: 4, name: 'Ressources et aides' }).waitFor();
    await a.getByRole('button', { name: loose('Ouvrir la démarche 1') }).click();
    await a.getByText('Attestation CAF', { exact: true }).waitFor();
    await a.getByRole('button', { name: loose('Voir « Attestation CAF »') }).click();
    const img = a.getByRole('img', { name: loose('Page 1 sur 1 : Attestation CAF') });
    await img.waitFor();
    const shownWidth = await img.evaluate(async (i) => {
      await i.decode();
      return i.naturalWidth;
    });
    assert.ok(shownWidth > 100, 'the paper is shown');
    await axeBothLanguages(a, 'personnes');

    // 4. The owner reads what was done, verified: the key, the list, the paper.
    await follow(o, 'Voir mes mandats', 'Mes mandats');
    await o.getByRole('heading', { level: 2, name: loose('Mandat n° 1 · Inès') }).waitFor();
    const receipts = o.getByRole('list', { name: 'Ce qui a été fait avec ce mandat' }).getByRole('listitem');
    await receipts.nth(2).waitFor();
    const lines = (await receipts.allInnerTexts()).map(clean);
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0], /A reçu la clé de « Ressources et aides »/);
    assert.match(lines[1], /A vu la liste des papiers de « Ressources et aides »/);
    assert.match(lines[2], /A ouvert le papier « Attestation CAF »/);
    assert.equal(await o.getByText(/une trace manque/).count(), 0, 'no gap in the counters');
    assert.match(clean(await o.locator('.mandate-list > li').first().innerText()), /En cours/);
    await axeBothLanguages(o, 'mes-mandats');

    // A new device (a fresh browser context: nothing in its storage) names Inès too: the
    // name comes from the owner's note the server kept, verified in that browser.
    const device = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
    try {
      const d = device.page;
      await signInWithCarte(d, suite.baseUrl, seeded.typed, SEED_PIN);
      const cached = () =>
        d.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('coffre:mandate-name:')));
      assert.deepEqual(await cached(), [], 'the new device remembers no name');
      await follow(d, 'Mes mandats', 'Mes mandats');
      await d.getByRole('heading', { level: 2, name: loose('Mandat n° 1 · Inès') }).waitFor();
      await axeHere(d, 'mes-mandats-nouvel-appareil');
      assert.equal((await cached()).length, 1, 'the verified name is cached on this personal device');
      device.assertClean();
    } finally {
      await device.close();
    }

    // 5. Stopped in one tap; the screen says what cannot be undone.
    await o.getByRole('button', { name: 'Arrêter ce mandat' }).click();
    await heading(o, 'Le mandat est arrêté');
    await o.getByText('Ce que la personne a déjà vu a pu être copié.').waitFor();
    // At once, the category it could read gets a new key; the screen says so.
    await o.locator('#revoked-rotated').getByText('Nous avons changé la clé de vos papiers.').waitFor();
    await o.getByText('Vos nouveaux papiers sont protégés par cette nouvelle clé. La personne ne l’a pas.').waitFor();
    await axeBothLanguages(o, 'arrete');
    await o.getByRole('button', { name: 'Voir mes mandats' }).click();
    await o.getByText('Arrêté', { exact: true }).waitFor();
    assert.equal(await o.getByRole('button', { name: 'Arrêter ce mandat' }).count(), 0);

    // The API: « Ressources et aides » now has generation 1, its certificate signed by the owner.
    const getJson = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
    const body = (b64) => JSON.parse(Buffer.from(JSON.parse(Buffer.from(b64, 'base64url')).body, 'base64url'));
    const coffre = await getJson(o, '/api/coffre');
    const rows = coffre.categories.filter((c) => c.id === income.id).sort((x, y) => x.generation - y.generation);
    assert.deepEqual(
      rows.map((r) => r.generation),
      [0, 1],
    );
    const envelope = JSON.parse(Buffer.from(rows[1].cert, 'base64url'));
    const cert = body(rows[1].cert);
    assert.equal(cert.generation, 1);
    assert.equal(cert.category, income.id);
    assert.equal(envelope.sigs.length, 1);
    assert.equal(envelope.sigs[0].key, coffre.owner_key);
    assert.ok(
      ed25519.verify(
        Buffer.from(envelope.sigs[0].sig, 'base64url'),
        Buffer.concat([Buffer.from('coffre/v1/signed\n'), Buffer.from(envelope.body, 'base64url')]),
        Buffer.from(coffre.owner_key, 'base64url'),
      ),
      'the new certificate is the owner’s',
    );
    // The owner adds a paper (the client's paper store, its categories read again): its upload
    // statement names generation 1.
    seeded.store.forgetCategories();
    const added = await seeded.store.add(
      {
        pages: [{ bytes: new Uint8Array(await readFile(PHOTO)), type: 'image/jpeg' }],
        category: income.id,
        docType: 'autre',
        title: 'Attestation CAF de mars',
      },
      { sleep: async () => {} },
    );
    const listed = (await getJson(o, '/api/papers')).papers.find((p) => p.paper === added);
    assert.ok(listed, 'the new paper is listed');
    assert.equal(body(listed.statement).generation, 1, 'sealed to the new generation');
    // The aidant's browser was served keys, and none for generation 1.
    assert.ok(served.length > 0, 'the aidant was served a key');
    assert.ok(
      served.every((g) => g === 0),
      `served generations: ${served}`,
    );
    // Every route of the mandate answers 404 to the aidant's session.
    const { given } = await getJson(o, '/api/mandates');
    const id = given[0].mandate;
    for (const path of [
      `/api/mandates/${id}`,
      `/api/mandates/${id}/categories`,
      `/api/mandates/${id}/papers/${added}/content?counter=9`,
    ]) {
      const r = await aidant.context.request.get(`${suite.baseUrl}${path}`);
      assert.equal(r.status(), 404, path);
    }
    const grantee = await aidant.context.request.get(`${suite.baseUrl}/api/mandates`);
    assert.deepEqual((await grantee.json()).received, []);

    // 6. The aidant: opening the paper again is refused (the server answers 404 now)…
    await a.locator('#main').getByRole('button', { name: 'Fermer', exact: true }).click();
    await a.getByRole('button', { name: loose('Voir « Attestation CAF »') }).click();
    await a.getByRole('alert').first().waitFor();
    // … and the list of people is empty.
    await follow(a, 'Retour à mon coffre', 'Votre coffre est ouvert');
    await follow(a, 'Les personnes que j’aide', 'Les personnes que j’aide');
    await a.locator('#people-none').waitFor();
    assert.equal(await a.getByText(loose('Mandat n° 1')).count(), 0);
    await axeBothLanguages(a, 'personnes-vide');

    // 7. The typed fallback reads the same code; words said to differ stop everything.
    await follow(o, 'Donner un mandat', 'Donner un mandat');
    await o.getByRole('button', { name: 'Taper le code' }).click();
    // One letter wrong (index 10: the third group's first letter).
    const typo = aidantTyped[10] === 'A' ? 'B' : 'A';
    await o.getByLabel('Le code à taper').fill(`${aidantTyped.slice(0, 10)}${typo}${aidantTyped.slice(11)}`);
    await o.getByRole('button', { name: 'Valider le code' }).click();
    await o.getByText('Ce code n’est pas bon. Vérifiez chaque lettre.').waitFor();
    await o.getByLabel('Le code à taper').fill(aidantTyped.toLowerCase());
    await o.getByRole('button', { name: 'Valider le code' }).click();
    await o.getByText('Comparez les cinq mots').waitFor();
    assert.equal(clean(await o.locator('#give-words').innerText()), aidantWords);
    await o.getByRole('button', { name: 'Non, ils sont différents' }).click();
    await o.getByRole('alert').getByText('Ne donnez pas de mandat.').waitFor();
    await axeHere(o, 'donner-different');

    // The one failure expected: the refused access after the revocation.
    // (the 404 answer, and Chromium's console line about it).
    const refused = aidant.problems.filter(
      (p) =>
        /HTTP 404: .*\/api\/mandates\/[^/]+\/access$/.test(p) ||
        p === 'console error: Failed to load resource: the server responded with a status of 404 (Not Found)',
    );
    assert.equal(refused.length, 2, aidant.problems.join('\n'));
    aidant.problems.splice(0, aidant.problems.length, ...aidant.problems.filter((p) => !refused.includes(p)));
    aidant.assertClean();
    owner.assertClean();
    await owner.close();
  } finally {
    await filmed.close();
  }
  await aidant.close();
});

const preparedPage = (page) => page.getByText('Nous préparons la page…').waitFor({ state: 'detached' });

it('a consult and deposit mandate: the aidant deposits and opens it, the owner sees « Déposé par … », opens it, reads both acts', async () => {
  const seeded = await seedCoffre(suite.baseUrl, 0);
  const aidant = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const a = aidant.page;
  await openInvited(a, suite.baseUrl, await professionalInvitation(suite), AIDANT_PIN);
  await follow(a, 'Mon code', 'Mon code');
  const aidantTyped = clean(await a.locator('#mycode-typed').innerText());

  // The owner gives « voir et déposer » on « Ressources et aides », from the typed code.
  const owner = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const o = owner.page;
  await signInWithCarte(o, suite.baseUrl, seeded.typed, SEED_PIN);
  const number = await giveByTypedCode(o, aidantTyped, {
    name: 'Inès',
    category: 'Ressources et aides',
    rights: 'Voir et déposer des papiers',
  });

  // The aidant: the démarche has its name (the label sealed at grant time), and a deposit button.
  await follow(a, 'Retour à mon coffre', 'Votre coffre est ouvert');
  await follow(a, 'Les personnes que j’aide', 'Les personnes que j’aide');
  await a.getByRole('heading', { level: 4, name: 'Ressources et aides' }).waitFor();
  await a.getByRole('button', { name: loose('Ouvrir la démarche 1') }).click();
  await a.getByText('Il n’y a pas de papier dans cette démarche.').waitFor();
  await a.getByRole('link', { name: 'Déposer un papier pour cette personne' }).click();
  await heading(a, 'Ajouter un papier');
  await a
    .locator('#deposit-note')
    .getByText(loose(`le mandat n° ${number}`))
    .waitFor();
  await axeBothLanguages(a, 'deposer');
  await a.setInputFiles('#add-file', PHOTO);
  await a.getByRole('img', { name: loose('La page 1, comme elle sera gardée') }).waitFor();
  await preparedPage(a);
  await a.getByRole('button', { name: 'Continuer' }).click();
  await heading(a, 'Rangez votre papier');
  await a.getByLabel('Le type de papier').selectOption('autre');
  await a.getByLabel('La catégorie').selectOption({ label: 'Ressources et aides' });
  await a.getByLabel('Le nom du papier').fill('Attestation CAF');
  await axeBothLanguages(a, 'deposer-ranger');
  await a.getByRole('button', { name: 'Enregistrer le papier' }).click();
  const receipt = a.locator('#deposit-done');
  await receipt.waitFor();
  assert.match(clean(await receipt.innerText()), /^Déposé\. Reçu n° \d+$/);
  await axeBothLanguages(a, 'depose');
  // Back in the démarche, the aidant opens the paper it deposited: verified with this mandate
  // and the server's deposit receipt the access route serves (issue 14).
  await follow(a, 'Retour aux personnes que j’aide', 'Les personnes que j’aide');
  await a.getByRole('button', { name: loose('Ouvrir la démarche 1') }).click();
  await a.getByText('Attestation CAF', { exact: true }).waitFor();
  assert.equal(await a.getByText(/déposés? avec un autre mandat/).count(), 0);
  await a.getByRole('button', { name: loose('Voir « Attestation CAF »') }).click();
  const mine = a.getByRole('img', { name: loose('Page 1 sur 1 : Attestation CAF') });
  await mine.waitFor();
  const mineWidth = await mine.evaluate(async (i) => {
    await i.decode();
    return i.naturalWidth;
  });
  assert.ok(mineWidth > 100, 'the aidant sees its deposit');
  await axeBothLanguages(a, 'depose-ouvert');
  assert.equal(await a.getByText(/ne peut pas être vérifié/).count(), 0);

  // The journal in plain words: who (the name the owner gave), what (the paper's title, the
  // category's name), under which mandate — matched with their statements, no warning.
  await follow(o, 'Mon coffre', 'Votre coffre est ouvert');
  const journal = o.getByRole('list', { name: 'Ce qui s’est passé' });
  await journal.getByText(loose(`Inès a déposé le papier « Attestation CAF » — mandat n° ${number}`)).waitFor();
  await journal
    .getByText(loose(`Inès a reçu la clé de « Ressources et aides » — mandat n° ${number}`))
    .first()
    .waitFor();
  await journal.getByText(loose(`Inès a ouvert le papier « Attestation CAF » — mandat n° ${number}`)).waitFor();
  await o.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
  assert.equal(await o.locator('#journal-proof-missing, #journal-entry-missing, #journal-acts-unchecked').count(), 0);
  assert.equal(await journal.getByText(/pas de preuve/).count(), 0);
  await axeBothLanguages(o, 'journal-aidant');
  // The whole journal: every statement the host serves must be in it (a hidden act would show).
  await o.getByRole('button', { name: 'Voir tout le journal' }).click();
  // The words come once the acts are matched (then the warnings would be there too).
  await journal.getByText(loose(`Mandat n° ${number} donné à Inès`), { exact: true }).waitFor();
  await journal.getByText(loose(`Inès a déposé le papier « Attestation CAF » — mandat n° ${number}`)).waitFor();
  assert.equal(await o.locator('#journal-proof-missing, #journal-entry-missing, #journal-acts-unchecked').count(), 0);

  // Then the paper in his list, « Déposé par … », opened after every check.
  await follow(o, 'Voir tous mes papiers', 'Mes papiers');
  const region = o.getByRole('region', { name: /^Ressources et aides/ });
  await region.getByRole('link', { name: 'Attestation CAF' }).waitFor();
  await region.getByText(loose(`Déposé par une personne aidante — mandat n° ${number}`)).waitFor();
  await axeBothLanguages(o, 'papiers-depose');
  await region.getByRole('link', { name: 'Attestation CAF' }).click();
  const img = o.getByRole('img', { name: loose('Page 1 sur 1 : Attestation CAF') });
  await img.waitFor();
  const shown = await img.evaluate(async (i) => {
    await i.decode();
    return i.naturalWidth;
  });
  assert.ok(shown > 100, 'the deposit is shown');
  await o.getByText(loose(`Déposé par une personne aidante — mandat n° ${number}`)).waitFor();
  await axeHere(o, 'voir-depose'); // the viewer has no language switch

  aidant.assertClean();
  owner.assertClean();
  await owner.close();
  await aidant.close();
});

it('a one-day consult mandate expires; at the owner’s next unlock the category it covered gets a new key; the owner renews it; the journal says both', async () => {
  assert.ok(suite.server.setClockOffset, 'the harness started the (debug) server, whose clock it can move');
  const seeded = await seedCoffre(suite.baseUrl, 0);
  const income = seeded.categories.find((c) => c.icon === 'income');
  const aidant = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const a = aidant.page;
  await openInvited(a, suite.baseUrl, await professionalInvitation(suite), AIDANT_PIN);
  await follow(a, 'Mon code', 'Mon code');
  const aidantTyped = clean(await a.locator('#mycode-typed').innerText());
  aidant.assertClean();
  await aidant.close();

  // « Voir les papiers » on « Ressources et aides », for one day.
  const owner = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const o = owner.page;
  await signInWithCarte(o, suite.baseUrl, seeded.typed, SEED_PIN);
  await follow(o, 'Donner un mandat', 'Donner un mandat');
  await o.getByRole('button', { name: 'Taper le code' }).click();
  await o.getByLabel('Le code à taper').fill(aidantTyped);
  await o.getByRole('button', { name: 'Valider le code' }).click();
  await o.getByText('Comparez les cinq mots').waitFor();
  await o.getByRole('button', { name: 'Oui, les mêmes' }).click();
  await o.getByLabel('Le nom de la personne ou de la structure (pour vous)').fill('Inès');
  await o.getByLabel('Ressources et aides').check();
  await o.getByLabel('1 jour').check();
  await o.getByRole('button', { name: 'Lire le mandat' }).click();
  await o.getByRole('button', { name: 'Signer et donner le mandat' }).click();
  await o.getByText(/C’est fait\. C’est le mandat n°/).waitFor();
  const getJson = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
  const generations = async (page) =>
    (await getJson(page, '/api/coffre')).categories
      .filter((c) => c.id === income.id)
      .map((c) => c.generation)
      .sort();
  assert.deepEqual(await generations(o), [0]);
  const { given } = await getJson(o, '/api/mandates');
  assert.equal(given.length, 1);
  const notAfter = given[0].not_after;
  const first = given[0].number;
  const { time } = await getJson(o, '/api/journal/head');
  owner.assertClean();
  await owner.close();

  try {
    // A minute after its end, on the server's clock; the owner opens the coffre again.
    await suite.server.setClockOffset(notAfter + 60 - time);
    const again = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
    const rotated = again.page.waitForResponse((r) => /\/api\/coffre\/categories\/[^/]+\/generations$/.test(r.url()));
    await signInWithCarte(again.page, suite.baseUrl, seeded.typed, SEED_PIN);
    const answer = await rotated;
    assert.equal(answer.status(), 201);
    assert.ok(answer.url().includes(income.id), answer.url());
    assert.deepEqual(await generations(again.page), [0, 1]);
    const newest = (await getJson(again.page, '/api/coffre')).categories.find(
      (c) => c.id === income.id && c.generation === 1,
    );
    const cert = JSON.parse(
      Buffer.from(JSON.parse(Buffer.from(newest.cert, 'base64url')).body, 'base64url').toString(),
    );
    assert.ok(cert.created >= notAfter, 'certified after the mandate ended');
    // Once: « Mes mandats » (which asks too) makes no other generation.
    const p = again.page;
    await follow(p, 'Mes mandats', 'Mes mandats');
    await p.getByText('Fini', { exact: true }).waitFor();
    assert.deepEqual(await generations(p), [0, 1]);

    // Renewed: the same person (from the mandate the owner signed; the words were compared
    // when it was given), the scope chosen as it was; a new mandate (numbers are instance-wide).
    await p.getByRole('link', { name: 'Renouveler ce mandat' }).click();
    await p.locator('#give-renewal').waitFor();
    assert.match(
      clean(await p.locator('#give-renewal').innerText()),
      new RegExp(`Vous renouvelez le mandat n° ${first}\\.`),
    );
    assert.ok(await p.getByLabel('Ressources et aides').isChecked());
    assert.ok(await p.getByLabel('Voir les papiers', { exact: true }).isChecked());
    // This is a fresh browser: the name the owner gave comes from its note on the mandate.
    const nameField = p.getByLabel('Le nom de la personne ou de la structure (pour vous)');
    assert.equal(await nameField.inputValue(), 'Inès');
    await axeBothLanguages(p, 'renouveler');
    await p.getByRole('button', { name: 'Lire le mandat' }).click();
    await p.getByRole('button', { name: 'Signer et donner le mandat' }).click();
    const done = clean(await p.getByText(/C’est fait\. C’est le mandat n°/).innerText());
    const second = Number(/n° (\d+)/.exec(done)?.[1]);
    assert.ok(second > first, done);
    const renewed = (await getJson(p, '/api/mandates')).given.find((m) => m.number === second);
    assert.equal(renewed.state, 'in_force');
    assert.deepEqual(renewed.categories, [income.id]);
    assert.equal(renewed.grantee.key, given[0].grantee.key, 'the same aidant');

    // The journal says it in words: the renewal, and the end at the end date (read from the
    // signed mandate: no one signs a date passing), between the two grants.
    await follow(p, 'Mon coffre', 'Votre coffre est ouvert');
    const journal = p.getByRole('list', { name: 'Ce qui s’est passé' });
    await journal.getByText(loose(`Mandat n° ${second} donné à Inès. Il renouvelle le mandat n° ${first}`)).waitFor();
    // This browser's journal starts at the owner's checkpoint, after the end date: the whole of
    // it. A fresh browser, yet it names Inès: from the owner's note on the first mandate.
    await p.getByRole('button', { name: 'Voir tout le journal' }).click();
    await journal.getByText(loose(`Le mandat n° ${first} (Inès) est fini : sa date de fin est passée`)).waitFor();
    const lines = (await journal.getByRole('listitem').allInnerTexts()).map((l) => clean(l).split(' · ')[0]);
    const at = (text) => lines.indexOf(text);
    assert.ok(
      at(`Le mandat n° ${first} (Inès) est fini : sa date de fin est passée`) >
        at(`Mandat n° ${second} donné à Inès. Il renouvelle le mandat n° ${first}`),
      lines.join('\n'),
    );
    assert.ok(
      at(`Mandat n° ${first} donné à Inès`) > at(`Le mandat n° ${first} (Inès) est fini : sa date de fin est passée`),
      lines.join('\n'),
    );
    assert.ok(at(`Mandat n° ${first} donné à Inès`) >= 0, lines.join('\n'));
    await axeBothLanguages(p, 'journal-renouvele');
    again.assertClean();
    await again.close();
  } finally {
    await suite.server.setClockOffset(0);
  }
});
