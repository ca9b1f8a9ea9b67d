// Opening a coffre and getting back in, in Chromium against the real server, as a person
// would on a 320 px phone: the carte is printed, scanned back (typed, then as a photo of
// its QR code), a PIN chosen, six words added; then fresh browser profiles sign in with
// only the carte + PIN, or only the six words; a shared computer keeps nothing after
// sign-out. axe runs on every screen in French and Arabic. Every request is captured and
// no secret may appear in any of them, nor in the server's database files or its log.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Decrypter } from 'age-encryption';
import { chooseLanguage, openPage, settled, startSuite, visit, WIDTHS } from './browser.mjs';

const PIN = '73915604';
const FSI_PDI = /[\u2068\u2069]/g;

let suite;
/** Every request of every context: url, headers, body (as text). */
const captured = [];
/** What the scenario learns and must never see leave the browser. */
const secrets = {};

before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

async function tab(options = {}) {
  const t = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone, ...options });
  t.context.on('request', (request) => {
    captured.push({
      url: request.url(),
      headers: JSON.stringify(request.headers()),
      body: request.postDataBuffer()?.toString('latin1') ?? '',
    });
  });
  t.context.on('response', async (response) => {
    if (new URL(response.url()).pathname === '/api/sessions/carte' && response.status() === 200) {
      secrets.carteWraps = [...(secrets.carteWraps ?? []), (await response.json()).wrap];
    }
  });
  // The shared-computer mode must never make a passkey: count the calls. Count the get()
  // calls too (one prompt to sign in and unlock), and note every PRF output the
  // authenticator gives, for the secret scan: it must never leave the browser.
  await t.context.addInitScript(() => {
    window.__createCalls = 0;
    window.__getCalls = 0;
    window.__prfOutputs = [];
    const note = (credential) => {
      const first = credential?.getClientExtensionResults?.().prf?.results?.first;
      if (first) {
        const bytes = new Uint8Array(ArrayBuffer.isView(first) ? first.buffer : first);
        window.__prfOutputs.push([...bytes].map((b) => b.toString(16).padStart(2, '0')).join(''));
      }
      return credential;
    };
    if (navigator.credentials) {
      const create = navigator.credentials.create?.bind(navigator.credentials);
      const get = navigator.credentials.get?.bind(navigator.credentials);
      navigator.credentials.create = (...args) => {
        window.__createCalls += 1;
        return create(...args).then(note);
      };
      navigator.credentials.get = (...args) => {
        window.__getCalls += 1;
        return get(...args).then(note);
      };
    }
  });
  return t;
}

/**
 * Chromium's virtual authenticator on this page (CDP): a phone's platform passkey —
 * discoverable, user verification (its screen lock), and PRF unless `prf` is false.
 */
async function virtualPasskey(page, { prf = true } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: prf,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** The PRF outputs this page's authenticator gave (hex), kept for the secret scan. */
async function keepPrfOutputs(page) {
  const outputs = await page.evaluate(() => window.__prfOutputs);
  secrets.prf = [...new Set([...(secrets.prf ?? []), ...outputs])];
  return outputs;
}

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
}

/** axe (WCAG 2.1 AA) on the current screen in French, then in Arabic, then back. */
async function axeBothLanguages(page, what) {
  await shot(page, what.replace(/[^a-z0-9]+/gi, '-'));
  for (const [lang, autonym] of [
    ['fr', 'Français'],
    ['ar', 'العربية'],
  ]) {
    if ((await page.evaluate(() => document.documentElement.lang)) !== lang) await chooseLanguage(page, autonym, lang);
    await settled(page);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert.equal(results.violations.length, 0, `${what} (${lang}):\n${describeViolations(results.violations)}`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `${what} (${lang}): no sideways scrolling at 320 px (${overflow} px)`);
  }
  await chooseLanguage(page, 'Français', 'fr');
}

/** With COFFRE_TEST_SCREENSHOTS=DIR, a screenshot of each step (for a person to look at). */
async function shot(page, name) {
  if (process.env.COFFRE_TEST_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.COFFRE_TEST_SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Types the carte, PIN and opens; used by the sign-in scenarios. */
async function signInWithTypedCarte(page, { shared = false } = {}) {
  await visit(page, suite.baseUrl, '/unlock');
  if (shared) await page.getByLabel('Je suis sur un ordinateur partagé').check();
  await page.getByRole('button', { name: 'Avec ma carte' }).click();
  await heading(page, 'Montrez votre carte');
  await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
  await page.getByLabel('Le code de la carte').fill(secrets.typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await heading(page, 'Tapez votre code');
  await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
  await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
  await heading(page, 'Votre coffre est ouvert');
}

describe('a new person opens a coffre, then gets back in', () => {
  it('opens a coffre: PIN, carte printed and typed back, six words', async () => {
    const phone = await tab();
    const { page } = phone;
    await visit(page, suite.baseUrl);
    await page.getByRole('link', { name: 'Ouvrir mon coffre' }).first().click();
    await heading(page, 'Comment vous appeler ?');
    await axeBothLanguages(page, 'name');
    await page.getByLabel('Prénom ou surnom (pas obligatoire)').fill('Karim');
    await page.getByRole('button', { name: 'Continuer' }).click();

    await heading(page, 'Choisissez votre code');
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
    await page.getByLabel('Tapez le même code encore une fois').fill('73915605');
    await page.getByRole('button', { name: 'Créer ma carte' }).click();
    await page.getByRole('alert').filter({ hasText: 'Les deux codes ne sont pas les mêmes' }).waitFor();
    await axeBothLanguages(page, 'PIN, with its error');
    await page.getByLabel('Tapez le même code encore une fois').fill(PIN);
    await page.getByRole('button', { name: 'Créer ma carte' }).click();

    await heading(page, /^Votre carte/);
    const typed = (await page.locator('.typed').innerText()).replace(FSI_PDI, '').replace(/\s+/g, ' ').trim();
    assert.match(typed, /^([023456789A-Z]{4} ){14}[023456789A-Z]{2}$/, `typed form: ${typed}`);
    secrets.typed = typed;
    secrets.carte = `AGE-SECRET-KEY-1${typed.replace(/ /g, '')}`;
    secrets.qr = await page.getByRole('img', { name: 'Le code carré de votre carte' }).screenshot();
    await axeBothLanguages(page, 'carte');
    // The print stylesheet prints the carte alone.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ({
      others: [...document.body.querySelectorAll('header, footer, h1')].map((el) => getComputedStyle(el).visibility),
      carte: getComputedStyle(document.querySelector('.carte')).visibility,
    }));
    assert.deepEqual(printed, { others: ['hidden', 'hidden', 'hidden'], carte: 'visible' }, 'only the carte prints');
    await shot(page, 'carte-print');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'J’ai ma carte. Continuer' }).click();

    await heading(page, 'Vérifions votre carte');
    await axeBothLanguages(page, 'scan back');
    await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
    // One wrong character: the checksum catches it.
    const last = typed.at(-1) === 'Q' ? 'P' : 'Q';
    await page.getByLabel('Le code de la carte').fill(typed.slice(0, -1) + last);
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByRole('alert').waitFor();
    await axeBothLanguages(page, 'typed form with an error');
    // Lowercase, with hyphens and O for 0: read the same.
    await page.getByLabel('Le code de la carte').fill(typed.toLowerCase().replace(/ /g, '-').replace(/0/g, 'o'));
    await page.getByRole('button', { name: 'Valider le code' }).click();

    await heading(page, 'Votre coffre est ouvert');
    await axeBothLanguages(page, 'coffre home');
    await page.getByRole('button', { name: 'Ajouter six mots de secours' }).click();
    const words = (await page.getByRole('list', { name: 'Vos six mots' }).innerText())
      .replace(FSI_PDI, '')
      .split(/\s+/)
      .filter((w) => /^[a-z]+$/.test(w));
    assert.equal(words.length, 6, `six words: ${words}`);
    secrets.words = words.join(' ');
    await axeBothLanguages(page, 'six words shown once');
    await page.getByLabel('J’ai écrit les six mots sur un papier.').check();
    await page.getByRole('button', { name: 'Enregistrer les six mots' }).click();
    await page
      .getByText(/Vos six mots sont enregistrés/)
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e.message}\n${phone.problems.join('\n')}\n${await page.locator('main').innerText()}`);
      });

    // A passkey on this phone: added, then the coffre is locked and opened in one prompt.
    await virtualPasskey(page);
    await page.getByRole('button', { name: 'Ajouter une clé d’accès sur cet appareil' }).click();
    await page.getByText('C’est fait. La prochaine fois, ouvrez votre coffre avec votre clé d’accès.').waitFor();
    await page.getByText('Connecte et ouvre le coffre').waitFor();
    await axeBothLanguages(page, 'coffre home with a passkey');
    assert.ok((await keepPrfOutputs(page)).length >= 1, 'the authenticator gave a PRF output');
    await page.getByRole('button', { name: 'Fermer mon coffre' }).click();
    await heading(page, 'J’ai déjà un coffre');
    await axeBothLanguages(page, 'sign in, with a passkey offered');
    const getsBefore = await page.evaluate(() => window.__getCalls);
    await page.getByRole('button', { name: 'Avec ma clé d’accès' }).click();
    await heading(page, 'Votre coffre est ouvert');
    assert.equal((await page.evaluate(() => window.__getCalls)) - getsBefore, 1, 'one prompt signs in and unlocks');
    await keepPrfOutputs(page);

    await page.getByRole('button', { name: 'Me déconnecter' }).click();
    await heading(page, 'J’ai déjà un coffre');
    phone.assertClean();
    await phone.close();
  });

  it('a passkey without PRF signs in, then the carte opens the coffre', async () => {
    const other = await tab();
    const { page } = other;
    await signInWithTypedCarte(page);
    await virtualPasskey(page, { prf: false });
    await page.getByRole('button', { name: 'Ajouter une clé d’accès sur cet appareil' }).click();
    await page.getByText(/Cette clé d’accès vous connecte, mais elle ne peut pas ouvrir le coffre/).waitFor();
    await page.getByText('Connecte seulement : la carte ouvre le coffre').waitFor();
    await page.getByRole('button', { name: 'Me déconnecter' }).click();
    await heading(page, 'J’ai déjà un coffre');
    await page.getByRole('button', { name: 'Avec ma clé d’accès' }).click();
    await heading(page, 'Encore une étape');
    await axeBothLanguages(page, 'passkey signed in, carte needed');
    await page.getByRole('button', { name: 'Avec ma carte' }).click();
    await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
    await page.getByLabel('Le code de la carte').fill(secrets.typed);
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
    await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await heading(page, 'Votre coffre est ouvert');
    other.assertClean();
    await other.close();
  });

  it('a fresh browser gets in with only the carte (a photo of its QR code) and the PIN', async () => {
    const fresh = await tab();
    const { page } = fresh;
    await visit(page, suite.baseUrl, '/unlock');
    await axeBothLanguages(page, 'sign in');
    await page.getByRole('button', { name: 'Avec ma carte' }).click();
    await heading(page, 'Montrez votre carte');
    await page
      .getByLabel('Prendre une photo de la carte')
      .setInputFiles({ name: 'carte.png', mimeType: 'image/png', buffer: secrets.qr });
    await heading(page, 'Tapez votre code');
    await axeBothLanguages(page, 'PIN at sign-in');
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
    await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await heading(page, 'Votre coffre est ouvert');
    // The devices list shows this browser and the first one.
    await page.getByText('Cet appareil', { exact: true }).first().waitFor();
    // The journal verifies in this browser, which has never seen it, and tells what happened.
    await page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
    const journal = (await page.getByRole('list', { name: 'Ce qui s’est passé' }).innerText()).replace(FSI_PDI, '');
    for (const line of [
      'Coffre ouvert',
      'Six mots de secours ajoutés',
      'Connexion avec la carte',
      'Clé d’accès ajoutée',
      'Connexion avec la clé d’accès',
    ]) {
      assert.ok(journal.includes(line), `${line} in the journal:\n${journal}`);
    }
    assert.ok(journal.indexOf('Connexion avec la carte') < journal.indexOf('Coffre ouvert'), 'newest first');
    await axeBothLanguages(page, 'coffre home with its journal');
    fresh.assertClean();
    await fresh.close();
  });

  it('a fresh browser gets in with only the six words', async () => {
    const fresh = await tab();
    const { page } = fresh;
    await visit(page, suite.baseUrl, '/unlock');
    await page.getByRole('button', { name: 'Avec mes six mots' }).click();
    await heading(page, 'Tapez vos six mots');
    await axeBothLanguages(page, 'six words at sign-in');
    await page.getByLabel('Vos six mots').fill(secrets.words.toUpperCase().replace(/ /g, '-'));
    await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await heading(page, 'Votre coffre est ouvert');
    fresh.assertClean();
    await fresh.close();
  });

  it('a remembered phone opens with the PIN alone, until it is declared stolen', async () => {
    const phone = await tab();
    const { page } = phone;
    await signInWithTypedCarte(page);
    await page.getByRole('button', { name: 'Se souvenir de ce téléphone' }).click();
    await page.getByText('C’est fait. Sur ce téléphone, votre code suffit maintenant.').waitFor();
    await axeBothLanguages(page, 'coffre home, phone remembered');
    // What the phone keeps (for the secret scan: its half never leaves it).
    secrets.deviceHalves = [
      ...(secrets.deviceHalves ?? []),
      ...(await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const request = indexedDB.open('coffre-remembered');
            request.onerror = () => reject(request.error);
            request.onsuccess = () => {
              const all = request.result.transaction('device').objectStore('device').getAll();
              all.onsuccess = () => resolve(all.result.map((r) => [...r.deviceHalf]));
            };
          }),
      )),
    ];
    assert.equal(secrets.deviceHalves.length, 1, 'the phone keeps its half');
    await page.getByRole('button', { name: 'Fermer mon coffre' }).click();
    await heading(page, 'J’ai déjà un coffre');
    await page.reload();
    await heading(page, 'J’ai déjà un coffre');
    // The page finds the remembered phone after it shows (IndexedDB), then restyles its
    // buttons: axe looks once it has.
    await page.getByRole('button', { name: 'Avec mon code, sur ce téléphone' }).waitFor();
    await axeBothLanguages(page, 'sign in on a remembered phone');
    await page.getByRole('button', { name: 'Avec mon code, sur ce téléphone' }).click();
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill('11111111');
    await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le code n’est pas bon.' }).waitFor();
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
    await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await heading(page, 'Votre coffre est ouvert');
    // Opened with the phone: no key can be changed from here.
    assert.equal(await page.getByRole('button', { name: 'Ajouter six mots de secours' }).count(), 0);
    await page.getByRole('button', { name: 'Fermer mon coffre' }).click();
    await heading(page, 'J’ai déjà un coffre');

    // The phone is stolen: from another browser, the owner says so.
    const other = await tab();
    await signInWithTypedCarte(other.page);
    await other.page.getByRole('button', { name: 'Ce téléphone a été volé' }).click();
    await other.page.getByText('Ce téléphone n’ouvre plus votre coffre.').waitFor();
    other.assertClean();
    await other.close();

    await page.getByRole('button', { name: 'Avec mon code, sur ce téléphone' }).click();
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
    await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await page.getByText('Ce téléphone ne se souvient plus de votre coffre.', { exact: false }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Avec mon code, sur ce téléphone' }).count(), 0);
    // The wrong PIN and the refusal of a forgotten phone are expected answers.
    phone.problems.splice(
      0,
      phone.problems.length,
      ...phone.problems.filter(
        (p) => !/HTTP (401|410): .*\/api\/sessions\/remembered$/.test(p) && !/status of (401|410)/.test(p),
      ),
    );
    phone.assertClean();
    await phone.close();
  });

  it('the carte is declared lost: a new carte and six new words, the old ones open nothing', async () => {
    const fresh = await tab();
    const { page } = fresh;
    await visit(page, suite.baseUrl, '/unlock');
    await page.getByRole('button', { name: 'Avec mes six mots' }).click();
    await page.getByLabel('Vos six mots').fill(secrets.words);
    await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await heading(page, 'Votre coffre est ouvert');
    await page.getByRole('link', { name: 'Faire une nouvelle carte' }).click();
    await heading(page, 'Faire une nouvelle carte');
    await axeBothLanguages(page, 'new carte');
    await page.getByRole('button', { name: 'Commencer' }).click();
    await heading(page, 'Choisissez votre code');
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
    await page.getByLabel('Tapez le même code encore une fois').fill(PIN);
    await page.getByRole('button', { name: 'Créer ma carte' }).click();
    await heading(page, /^Votre carte/);
    const typed = (await page.locator('.typed').innerText()).replace(FSI_PDI, '').replace(/\s+/g, ' ').trim();
    assert.notEqual(typed, secrets.typed, 'a new carte');
    await page.getByRole('button', { name: 'J’ai ma carte. Continuer' }).click();
    await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
    await page.getByLabel('Le code de la carte').fill(typed);
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await heading(page, 'Vos six nouveaux mots');
    const words = (await page.getByRole('list', { name: 'Vos six mots' }).innerText())
      .replace(FSI_PDI, '')
      .split(/\s+/)
      .filter((w) => /^[a-z]+$/.test(w));
    assert.equal(words.length, 6);
    await axeBothLanguages(page, 'six new words');
    await page.getByLabel('J’ai écrit les six mots sur un papier.').check();
    await page.getByRole('button', { name: 'Terminer' }).click();
    await page.getByText('Votre nouvelle carte est prête.', { exact: false }).waitFor();
    await page
      .getByText('Le journal est vérifié. Personne ne l’a changé.')
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e.message}\n${fresh.problems.join('\n')}\n${await page.locator('main').innerText()}`);
      });
    const journal = (await page.getByRole('list', { name: 'Ce qui s’est passé' }).innerText()).replace(FSI_PDI, '');
    assert.ok(journal.includes('Ancienne carte révoquée'), journal);
    fresh.assertClean();
    await fresh.close();

    secrets.old = { typed: secrets.typed, carte: secrets.carte, words: secrets.words };
    secrets.typed = typed;
    secrets.carte = `AGE-SECRET-KEY-1${typed.replace(/ /g, '')}`;
    secrets.words = words.join(' ');

    // A fresh browser: the old carte and the old words open nothing; the new carte does.
    const later = await tab();
    await visit(later.page, suite.baseUrl, '/unlock');
    await later.page.getByRole('button', { name: 'Avec ma carte' }).click();
    await later.page.getByRole('button', { name: 'Taper le code de la carte' }).click();
    await later.page.getByLabel('Le code de la carte').fill(secrets.old.typed);
    await later.page.getByRole('button', { name: 'Valider le code' }).click();
    await later.page.getByLabel('Votre code (4 à 8 chiffres)').fill(PIN);
    await later.page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await later.page.getByRole('alert').filter({ hasText: 'La carte ou le code ne sont pas bons.' }).waitFor();
    await later.close();
    const again = await tab();
    await signInWithTypedCarte(again.page);
    again.assertClean();
    await again.close();
  });

  it('a wrong PIN gets a plain answer, the same as for an unknown carte', async () => {
    const fresh = await tab();
    const { page } = fresh;
    await visit(page, suite.baseUrl, '/unlock');
    await page.getByRole('button', { name: 'Avec ma carte' }).click();
    await page.getByRole('button', { name: 'Taper le code de la carte' }).click();
    await page.getByLabel('Le code de la carte').fill(secrets.typed);
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByLabel('Votre code (4 à 8 chiffres)').fill('11112222');
    await page.getByRole('button', { name: 'Ouvrir mon coffre' }).click();
    await page.getByRole('alert').filter({ hasText: 'La carte ou le code ne sont pas bons.' }).waitFor();
    await axeBothLanguages(page, 'wrong PIN');
    // The one expected failure: the 401 of the wrong PIN.
    assert.deepEqual(
      fresh.problems.filter((p) => !/HTTP 401: .*\/api\/sessions\/carte$/.test(p) && !/status of 401/.test(p)),
      [],
    );
    await fresh.close();
  });

  it('a server that drops, reorders or rolls back journal entries is caught', async () => {
    const own = await tab();
    const { page } = own;
    await signInWithTypedCarte(page);
    await page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
    const seen = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('journal')));
    assert.equal(seen.length, 1, 'this device remembers a checkpoint');
    // The next visit verifies only what came after the checkpoint.
    await page.getByRole('link', { name: 'Accueil' }).click();
    await page.getByRole('link', { name: 'Mon coffre' }).first().click();
    await page.getByText('Voici ce qui s’est passé depuis votre dernière visite sur cet appareil.').waitFor();
    await page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
    const tamper = async (change, code, { full = true } = {}) => {
      await page.route('**/api/journal?from=*', async (route) => {
        const response = await route.fetch();
        const page = await response.json();
        page.entries = change(page.entries);
        await route.fulfill({ response, json: page });
      });
      // Away and back: the coffre page loads (and verifies) the journal again — from this
      // device's checkpoint; "Voir tout le journal" fetches and verifies all of it.
      await page.getByRole('link', { name: 'Accueil' }).click();
      await page.getByRole('link', { name: 'Mon coffre' }).first().click();
      if (full)
        await page
          .getByRole('button', { name: 'Voir tout le journal' })
          .click({ timeout: 10_000 })
          .catch(async (e) => {
            throw new Error(`${e.message}\n${await page.locator('main').innerText()}`);
          });
      await page.getByRole('alert').filter({ hasText: 'Attention : le journal ne se vérifie pas.' }).waitFor();
      const text = (await page.getByRole('alert').filter({ hasText: 'Code de l’erreur' }).innerText()).replace(
        FSI_PDI,
        '',
      );
      assert.match(text, code);
      await page.unroute('**/api/journal?from=*');
    };
    // Since the checkpoint, the server must serve at least the remembered entry.
    await tamper(() => [], /rollback/, { full: false });
    await tamper((e) => [e[0], ...e.slice(2)], /seq_gap|broken_link/);
    // (Only a page of two entries or more can be reordered: the one since the checkpoint is left.)
    // (With the owner's checkpoint a page may start at seq 1, so the swap may be caught by
    // the times going back before the seqs.)
    await tamper((e) => (e.length > 1 ? [e[1], e[0], ...e.slice(2)] : e), /seq_gap|broken_link|time_reversed/);
    await tamper((e) => e.slice(0, 2), /rollback/);
    // A host that swaps its server key (to sign a forged journal) is caught too.
    await page.route('**/api/instance', async (route) => {
      const response = await route.fetch();
      const info = await response.json();
      info.server_key = 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik';
      await route.fulfill({ response, json: info });
    });
    await page.getByRole('link', { name: 'Accueil' }).click();
    await page.getByRole('link', { name: 'Mon coffre' }).first().click();
    await page.getByRole('alert').filter({ hasText: 'server_key_changed' }).waitFor();
    await page.unroute('**/api/instance');
    await axeBothLanguages(page, 'journal warning');
    own.assertClean();
    await own.close();
  });

  it('a new device starts from the owner’s signed checkpoint, and a forged one is caught', async () => {
    const fresh = await tab();
    const { page } = fresh;
    // A host that forges the owner's checkpoint (one signature character changed).
    await page.route('**/api/journal/checkpoint', async (route) => {
      const response = await route.fetch();
      const answer = await response.json();
      assert.ok(answer.checkpoint, 'an earlier device of the owner signed a checkpoint');
      const envelope = JSON.parse(Buffer.from(answer.checkpoint, 'base64url').toString('utf8'));
      const sig = envelope.sigs[0].sig;
      envelope.sigs[0].sig = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
      answer.checkpoint = Buffer.from(JSON.stringify(envelope)).toString('base64url');
      await route.fulfill({ response, json: answer });
    });
    await signInWithTypedCarte(page);
    const alert = page.getByRole('alert').filter({ hasText: 'Attention : le journal ne se vérifie pas.' });
    await alert.waitFor();
    assert.match((await alert.innerText()).replace(FSI_PDI, ''), /bad_signature/);
    await page.unroute('**/api/journal/checkpoint');
    // The real one: its signature, then the journal bound to it.
    await page.getByRole('link', { name: 'Accueil' }).click();
    await page.getByRole('link', { name: 'Mon coffre' }).first().click();
    await page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
    await page.getByText(/Sur cet appareil, nous avons vérifié les signatures depuis le/).waitFor();
    await axeBothLanguages(page, 'journal from the owner checkpoint');
    fresh.assertClean();
    await fresh.close();
  });

  it('a shared computer keeps nothing after sign-out, and never makes a passkey', async () => {
    const desk = await tab();
    const { page, context } = desk;
    await signInWithTypedCarte(page, { shared: true });
    const cookies = await context.cookies();
    assert.equal(cookies.length, 1, 'the session cookie while signed in');
    assert.equal(cookies[0].expires, -1, 'a cookie that dies with the browser');
    assert.equal(cookies[0].httpOnly, true);
    assert.equal(cookies[0].sameSite, 'Strict');
    await page.getByRole('button', { name: 'Me déconnecter' }).click();
    await heading(page, 'J’ai déjà un coffre');
    const left = await page.evaluate(async () => ({
      indexedDB: (await indexedDB.databases()).map((d) => d.name),
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      caches: await caches.keys(),
      createCalls: window.__createCalls,
    }));
    assert.deepEqual(left, { indexedDB: [], localStorage: 0, sessionStorage: 0, caches: [], createCalls: 0 });
    assert.deepEqual(await context.cookies(), [], 'no cookie left');
    desk.assertClean();
    await desk.close();
  });
});

describe('nothing secret leaves the browser', () => {
  it('no request carried the seed, a private key, the carte, the six words or a PRF output', async () => {
    assert.ok(secrets.carte && secrets.words, 'the scenario ran');
    const forms = await secretForms();
    const leaks = [];
    for (const request of captured) {
      const haystack = `${request.url}\n${request.headers}\n${request.body}`;
      for (const [name, form] of forms) if (haystack.includes(form)) leaks.push(`${name} in ${request.url}`);
      // The PIN is checked by the server (it never wraps a key): it goes in the body of the
      // requests that set or check it, and nowhere else.
      const pinRoute = [
        '/api/coffres',
        '/api/sessions/carte',
        '/api/sessions/remembered',
        '/api/coffre/epoch',
      ].includes(new URL(request.url).pathname);
      if (`${request.url}\n${request.headers}`.includes(PIN) || (!pinRoute && request.body.includes(PIN))) {
        leaks.push(`PIN in ${request.url}`);
      }
    }
    assert.deepEqual(leaks, []);
    // The scan sees the bodies: the PIN, which is sent, is found where it belongs.
    assert.ok(captured.some((r) => new URL(r.url).pathname === '/api/coffres' && r.body.includes(PIN)));
  });

  it('the database files and the server log hold none of them, nor the PIN', async () => {
    const forms = [...(await secretForms()), ['PIN', PIN]];
    const dir = suite.server.dataDir;
    assert.ok(dir, 'the suite started its own server');
    let files = Buffer.alloc(0);
    for (const name of await readdir(dir)) {
      if (name.startsWith('coffre.db')) files = Buffer.concat([files, await readFile(join(dir, name))]);
    }
    assert.ok(files.length > 0, 'the database files were read');
    const log = suite.server.log();
    const leaks = [];
    for (const [name, form] of forms) {
      if (files.includes(Buffer.from(form, 'latin1'))) leaks.push(`${name} in the database`);
      if (log.includes(form)) leaks.push(`${name} in the log`);
    }
    assert.deepEqual(leaks, []);
  });
});

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const b64std = (bytes) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const utf8 = (text) => new TextEncoder().encode(text);
const raw = (bytes) => Buffer.from(bytes).toString('latin1');

/** [name, string] pairs: every encoding of every secret the scenario knows. */
async function secretForms() {
  const forms = [
    ['carte identity', secrets.carte],
    ['carte identity (lowercase)', secrets.carte.toLowerCase()],
    ['carte typed form', secrets.typed.replace(/ /g, '')],
    ['carte typed groups', secrets.typed],
    ['six words', secrets.words],
    ['six words (hyphens)', secrets.words.replace(/ /g, '-')],
  ];
  if (secrets.old) {
    forms.push(['old carte identity', secrets.old.carte], ['old six words', secrets.old.words]);
  }
  const bytes = [];
  assert.ok(secrets.prf?.length, 'the passkey scenario ran');
  for (const prf of secrets.prf) bytes.push(['PRF output', new Uint8Array(Buffer.from(prf, 'hex'))]);
  assert.ok(secrets.deviceHalves?.length, 'the remembered-phone scenario ran');
  for (const half of secrets.deviceHalves) bytes.push(['device half', new Uint8Array(half)]);
  for (const seed of await seedsFromSignIns()) {
    bytes.push(
      ['seed', seed],
      ['owner X25519 secret', hkdf(sha256, seed, new Uint8Array(0), utf8('coffre/v1/owner/x25519'), 32)],
      ['owner Ed25519 secret', hkdf(sha256, seed, new Uint8Array(0), utf8('coffre/v1/owner/ed25519'), 32)],
    );
  }
  for (const [name, b] of bytes) {
    forms.push([`${name} (b64url)`, b64url(b)], [`${name} (b64)`, b64std(b)], [`${name} (hex)`, hex(b)]);
    forms.push([`${name} (raw)`, raw(b)]);
  }
  return forms;
}

/** The seeds, opened with the cartes from the wraps the carte sign-ins answered. */
async function seedsFromSignIns() {
  assert.ok(secrets.carteWraps?.length, 'a carte sign-in answered a wrap');
  const decrypter = new Decrypter();
  decrypter.addIdentity(secrets.carte);
  if (secrets.old) decrypter.addIdentity(secrets.old.carte);
  const seeds = [];
  for (const wrap of secrets.carteWraps) {
    const payload = JSON.parse(await decrypter.decrypt(Buffer.from(wrap, 'base64url'), 'text'));
    assert.equal(payload.kind, 'owner_seed');
    seeds.push(new Uint8Array(Buffer.from(payload.seed, 'base64url')));
  }
  return seeds;
}
