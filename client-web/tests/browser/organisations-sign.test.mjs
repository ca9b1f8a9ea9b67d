// Two responsables signing together, in three browsers against the real server, at 320 px
// (docs/design/organisations-screens.md, "Two responsables signing together"; issue 14): the
// founder adds Inès and names her responsable (one responsable: she signs alone); then the
// founder adds Paul after comparing his five words — with two responsables this is only a
// proposal, and Paul is a member nowhere; Inès sees it in « À signer » (what, his five words,
// who asked), signs, and Paul is a member in all three browsers' verified chains. A proposal
// Inès makes, the founder refuses: it is deleted and changes nothing. A removal the founder
// proposes and Inès countersigns: the new organisation key waits for the founder, whose screen
// asks for it (only the founder certifies keys). axe on the new screens
// (French and Arabic); screenshots kept with COFFRE_TEST_SCREENSHOTS=DIR.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  clean,
  follow,
  invitation,
  loose,
  openInvited,
  openPage,
  screenChecks,
  signInWithCarte,
  startSuite,
  visit,
  WIDTHS,
} from './browser.mjs';

const WIDTH = WIDTHS.phone;
const FOUNDER_PIN = '61829374';
const INES_PIN = '52817346';
const PAUL_PIN = '48261937';
const ADMIN_PIN = '73918264';
const ORG = 'CHRS Les Tilleuls';

let suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

const { axeBothLanguages } = screenChecks({ prefix: 'organisations-sign', width: WIDTH });
const myOrganisation = async (page) => {
  await follow(page, 'Retour à mon coffre', 'Votre coffre est ouvert');
  await follow(page, loose(`Mon organisation : ${ORG}`), 'Mon organisation');
};
/** Home read again (its organisation entries come from the server at each visit). */
const reopenHome = async (page) => {
  await follow(page, 'Mon code', 'Mon code');
  await follow(page, 'Retour à mon coffre', 'Votre coffre est ouvert');
};
const membersOf = (page) => page.getByRole('list', { name: 'Les membres' }).getByRole('listitem');
/** The members' five words as this browser's verified chain shows them, with their roles. */
const shownMembers = async (page) => (await membersOf(page).allInnerTexts()).map(clean);

async function professional(name, pin) {
  const opened = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const typedCarte = await openInvited(opened.page, suite.baseUrl, await invitation(suite), pin);
  await follow(opened.page, 'Mon code', 'Mon code');
  const words = clean(await opened.page.locator('#mycode-words').innerText());
  const typed = clean(await opened.page.locator('#mycode-typed').innerText());
  await follow(opened.page, 'Retour à mon coffre', 'Votre coffre est ouvert');
  return { ...opened, name, words, typed, typedCarte };
}

/** The responsable reads a person's typed code and confirms the five words. */
async function addByTypedCode(page, person) {
  await page.getByRole('button', { name: 'Ajouter une personne' }).click();
  await page.getByRole('button', { name: 'Taper le code' }).click();
  await page.getByLabel('Le code à taper').fill(person.typed);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await page.getByText('Les mots sont les mêmes sur les deux écrans ?').waitFor();
  assert.equal(clean(await page.locator('#org-add-words').innerText()), person.words);
  await page.getByRole('button', { name: 'Oui, les mêmes : l’ajouter' }).click();
}

it('the founder promotes Inès; adding Paul waits for her signature; she signs; a refused proposal changes nothing', async () => {
  // The admin makes the organisation; the founder founds it.
  const admin = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const ad = admin.page;
  await openInvited(ad, suite.baseUrl, await invitation(suite, 'admin'), ADMIN_PIN, 'Le compte de l’administrateur');
  await follow(ad, 'Les organisations', 'Les organisations');
  await ad.getByLabel('Le nom de l’organisation').fill(ORG);
  await ad.getByRole('button', { name: 'Créer et faire le lien' }).click();
  const link = clean(await ad.locator('#org-link').innerText());
  const token = /\/organisation\/fonder#([A-Za-z0-9_-]{43})$/.exec(link)?.[1];
  assert.ok(token, link);

  const founder = await professional('founder', FOUNDER_PIN);
  const ines = await professional('Inès', INES_PIN);
  const paul = await professional('Paul', PAUL_PIN);
  const f = founder.page;
  await visit(f, suite.baseUrl, `/organisation/fonder#${token}`);
  await f.getByText(loose(`Vous allez créer « ${ORG} ».`)).waitFor();
  await signInWithCarte(f, suite.baseUrl, founder.typedCarte, FOUNDER_PIN);
  await follow(f, 'Continuer : créer l’organisation', 'Créer l’organisation');
  await f.getByRole('button', { name: 'Créer l’organisation' }).click();
  await f.getByRole('heading', { level: 1, name: 'L’organisation est créée' }).waitFor();
  await follow(f, 'Voir mon organisation', 'Mon organisation');

  // One responsable: she adds Inès and names her responsable alone.
  await addByTypedCode(f, ines);
  await f.locator('#org-notice').getByText('La personne est ajoutée. Elle est habilitée.').waitFor();
  await membersOf(f).nth(1).waitFor();
  const inesItem = membersOf(f).filter({ hasText: ines.words });
  await inesItem.getByRole('button', { name: 'Nommer responsable' }).click();
  await f.getByRole('heading', { level: 4, name: 'Nommer cette personne responsable ?' }).waitFor();
  await axeBothLanguages(f, 'nommer-responsable');
  await f.getByRole('button', { name: 'Oui, je signe' }).click();
  await f.locator('#org-notice').getByText('C’est fait : cette personne est responsable.').waitFor();
  await membersOf(f).filter({ hasText: ines.words }).getByRole('heading', { name: 'Responsable' }).waitFor();

  // Two responsables: adding Paul is a proposal; Paul is a member nowhere.
  await addByTypedCode(f, paul);
  await f
    .locator('#org-notice')
    .getByText(loose('C’est signé. Une autre personne responsable doit signer aussi.'))
    .waitFor();
  await f.locator('#org-sign-list').waitFor();
  await f.getByText('Vous avez demandé ce changement. Une autre personne responsable doit signer.').waitFor();
  assert.equal(await membersOf(f).count(), 2);
  assert.ok(!(await shownMembers(f)).some((m) => m.includes(paul.words)), 'not in the founder’s verified chain');
  await axeBothLanguages(f, 'a-signer-en-attente');
  await reopenHome(ines.page);
  await follow(ines.page, loose(`Mon organisation : ${ORG}`), 'Mon organisation');
  await ines.page.getByText('Vous êtes responsable.').waitFor();
  assert.equal(await membersOf(ines.page).count(), 2, 'not in Inès’ verified chain');
  await reopenHome(paul.page);
  assert.equal(await paul.page.getByRole('link', { name: loose(`Mon organisation : ${ORG}`) }).count(), 0);

  // Inès sees what she signs: adding Paul, his five words, the founder's as who asked.
  const i = ines.page;
  const toSign = i.locator('#org-sign-list').getByRole('listitem');
  await toSign.first().waitFor();
  assert.equal(await toSign.count(), 1);
  const item = clean(await toSign.first().innerText());
  assert.match(item, /Ajouter cette personne \(personne aidante\)/);
  assert.ok(item.includes(paul.words), item);
  assert.ok(item.includes(founder.words), item);
  await axeBothLanguages(i, 'a-signer');
  await toSign.first().getByRole('button', { name: 'Signer' }).click();
  await i.locator('#org-notice').getByText('C’est signé. Le changement est fait.').waitFor();
  await membersOf(i).nth(2).waitFor();
  assert.ok((await shownMembers(i)).some((m) => m.includes(paul.words)));
  await i.locator('#org-sign-none').waitFor();

  // Paul is a member in every browser's verified chain.
  await reopenHome(paul.page);
  await follow(paul.page, loose(`Mon organisation : ${ORG}`), 'Mon organisation');
  await paul.page.getByText('Vous êtes une personne aidante.').waitFor();
  assert.equal(await membersOf(paul.page).count(), 3);
  await myOrganisation(f);
  await membersOf(f).nth(2).waitFor();
  assert.ok((await shownMembers(f)).some((m) => m.includes(paul.words)));
  assert.equal(clean(await f.locator('#org-key').innerText()), 'Clé n° 0. Elle change quand une personne part.');
  // The founder is told what became of her request: signed, and by whom (Inès' words).
  const told = f.locator('#org-news');
  await told.getByText('C’est fait. Une autre personne responsable a signé votre demande. Ses mots :').waitFor();
  const news = clean(await told.innerText());
  assert.ok(news.includes(paul.words) && news.includes(ines.words), news);
  await axeBothLanguages(f, 'demande-signee');

  // Inès proposes naming Paul responsable; the founder refuses: deleted, nothing changes.
  await membersOf(i).filter({ hasText: paul.words }).getByRole('button', { name: 'Nommer responsable' }).click();
  await i.getByRole('button', { name: 'Oui, je signe' }).click();
  await i
    .locator('#org-notice')
    .getByText(loose('C’est signé. Une autre personne responsable doit signer aussi.'))
    .waitFor();
  await myOrganisation(f);
  const refusing = f.locator('#org-sign-list').getByRole('listitem');
  await refusing.first().getByText('Nommer cette personne responsable').waitFor();
  await refusing.first().getByRole('button', { name: 'Refuser' }).click();
  await f.locator('#org-notice').getByText('La demande est effacée.').waitFor();
  await f.locator('#org-sign-none').waitFor();
  await membersOf(f).filter({ hasText: paul.words }).getByRole('heading', { name: 'Personne aidante' }).waitFor();

  // The founder proposes removing Paul; Inès countersigns. She is not the founder: the new
  // organisation key waits for the founder, whose screen asks for it; then it is generation 1.
  const paulItem = membersOf(f).filter({ hasText: paul.words });
  await paulItem.getByRole('button', { name: 'Retirer cette personne' }).click();
  await f.getByRole('button', { name: 'Oui, retirer' }).click();
  await f
    .locator('#org-notice')
    .getByText(loose('C’est signé. Une autre personne responsable doit signer aussi.'))
    .waitFor();
  await myOrganisation(i);
  // Inès is told her request was not signed.
  await i
    .locator('#org-news')
    .getByText(loose('Ce n’est pas fait. Votre demande n’est plus à signer'), { exact: false })
    .waitFor();
  const removal = i.locator('#org-sign-list').getByRole('listitem');
  await removal.first().getByText('Retirer cette personne').waitFor();
  await removal
    .first()
    .getByText(loose('Ensuite, la personne qui a créé l’organisation doit faire une nouvelle clé.'))
    .waitFor();
  await removal.first().getByRole('button', { name: 'Signer' }).click();
  await i
    .locator('#org-notice')
    .getByText('C’est signé. La personne qui a créé l’organisation doit maintenant faire une nouvelle clé.')
    .waitFor();
  await i.locator('#org-key-founder-only').waitFor();
  assert.equal(await membersOf(i).count(), 2);
  await myOrganisation(f);
  await f.locator('#org-key-stale').waitFor();
  await axeBothLanguages(f, 'nouvelle-cle');
  await f.getByRole('button', { name: 'Faire la clé' }).click();
  await f.locator('#org-notice').getByText(loose('La clé n° 1 est faite.')).waitFor();
  await f.locator('#org-key-stale').waitFor({ state: 'detached' }); // the page read the keys again
  assert.equal(clean(await f.locator('#org-key').innerText()), 'Clé n° 1. Elle change quand une personne part.');
  await follow(paul.page, 'Retour à mon coffre', 'Votre coffre est ouvert');
  assert.equal(await paul.page.getByRole('link', { name: loose(`Mon organisation : ${ORG}`) }).count(), 0);

  for (const p of [founder, ines, paul, admin]) {
    p.assertClean();
    await p.close();
  }
});
