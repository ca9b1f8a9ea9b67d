// A malicious host against the mandate screens, through the real client in Chromium (issue 14,
// "Malicious-server tests through the real client"; docs/design/mandates-screens.md). An owner
// gives an aidant a consult mandate, the aidant consults (three access receipts: the key, the
// list, the paper), a second mandate is given and stopped. Then the host — Playwright's route
// interception on the owner's page, and the instance's server key read from its database to
// sign what it invents — drops an access receipt, removes, reorders and rolls back the
// grantee's journal entries, hides them from a device that remembers nothing, invents a
// consultation, and serves a stale list of mandates (a stopped one in force, one given and
// missing, another window); and serves the aidant a widened mandate. Each is shown to the
// person as a warning in plain words; axe on every warning, screenshots with
// COFFRE_TEST_SCREENSHOTS=DIR.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundle } from '../../bench/bundle.mjs';
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

const WIDTH = 360;
const AIDANT_PIN = '52817346';
const FIXTURES =
  process.env.COFFRE_TEST_PAPERS ?? fileURLToPath(new URL('../../../../shared/fixtures/papers', import.meta.url));
const PHOTO = join(FIXTURES, 'attestation-caf.jpg');
const { axeHere, axeBothLanguages } = screenChecks({ prefix: 'hostile', width: WIDTH });

// ---- What the host sees of the statements it serves (no verification: it just reads them) ----

const unb64 = (s) => Buffer.from(s, 'base64url');
const bodyOf = (envelopeB64) => JSON.parse(unb64(JSON.parse(unb64(envelopeB64).toString()).body).toString());
const GRANTEE_ACTIONS = ['mandate_accessed', 'paper_deposited', 'mandate_renounced'];

let suite;
let client; // the client's own crypto, bundled (hostile-entry.ts)
let seeded;
let owner;
let aidant;
/** The consult mandate the aidant used, and the one given then stopped. */
let used;
let stopped;

before(async () => {
  suite = await startSuite();
  client = await import(await bundle('../tests/browser/hostile-entry.ts', 'hostile-entry'));
  seeded = await seedCoffre(suite.baseUrl, 0);
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

  aidant = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const a = aidant.page;
  await openInvited(a, suite.baseUrl, await professionalInvitation(suite), AIDANT_PIN);
  await follow(a, 'Mon code', 'Mon code');
  const typed = clean(await a.locator('#mycode-typed').innerText());

  owner = await openPage(suite, { locale: 'fr-FR', width: WIDTH });
  const o = owner.page;
  await signInWithCarte(o, suite.baseUrl, seeded.typed, SEED_PIN);
  const rights = 'Voir les papiers';
  const n1 = await giveByTypedCode(o, typed, { name: 'Inès', category: 'Ressources et aides', rights });

  // The aidant consults: the key, the list, the paper (receipts 1, 2, 3).
  await follow(a, 'Retour à mon coffre', 'Votre coffre est ouvert');
  await follow(a, 'Les personnes que j’aide', 'Les personnes que j’aide');
  await a.getByRole('button', { name: loose('Ouvrir la démarche 1') }).click();
  await a.getByRole('button', { name: loose('Voir « Attestation CAF »') }).click();
  await a.getByRole('img', { name: loose('Page 1 sur 1 : Attestation CAF') }).waitFor();

  // A second mandate, stopped at once.
  await follow(o, 'Voir mes mandats', 'Mes mandats');
  await follow(o, 'Retour à mon coffre', 'Votre coffre est ouvert');
  const n2 = await giveByTypedCode(o, typed, { name: 'Amina', category: 'Santé', rights });
  await follow(o, 'Voir mes mandats', 'Mes mandats');
  await o
    .getByRole('listitem')
    .filter({ has: o.getByRole('heading', { level: 2, name: loose(`Mandat n° ${n2} · Amina`) }) })
    .getByRole('button', { name: 'Arrêter ce mandat' })
    .click();
  await o.getByRole('heading', { level: 1, name: 'Le mandat est arrêté' }).waitFor();

  const { given } = await seeded.api.request('GET', '/api/mandates');
  used = given.find((g) => g.number === n1);
  stopped = given.find((g) => g.number === n2);
  assert.equal(stopped.state, 'revoked');
});

after(async () => {
  await owner?.close();
  await aidant?.close();
  await suite?.stop();
});

const WARNINGS =
  '#mandates-list-missing, #mandates-list-unchecked, [id^="mandate-list-problem-"], #journal-proof-missing, #journal-entry-missing, #journal-acts-unchecked';

/** The owner's coffre page, loaded again (its journal verified again). */
async function home() {
  const page = owner.page;
  const back = page.getByRole('link', { name: 'Retour à mon coffre', exact: true });
  if ((await back.count()) > 0) await back.first().click();
  else {
    await page.getByRole('link', { name: 'Accueil' }).click();
    await page.getByRole('link', { name: 'Mon coffre' }).first().click();
  }
  await page.getByRole('heading', { level: 1, name: 'Votre coffre est ouvert' }).waitFor();
}

/** « Mes mandats », loaded again (from the coffre page). */
async function myMandates() {
  await home();
  await follow(owner.page, 'Mes mandats', 'Mes mandats');
  await owner.page.getByRole('heading', { level: 2, name: loose(`Mandat n° ${used.number} · Inès`) }).waitFor();
  // The check against the journal is done once no status line says it is working.
  await owner.page.getByText('Nous vérifions vos mandats…').waitFor({ state: 'detached' });
}

/** The item of « Mes mandats » for mandate `m`. */
const itemOf = (m, name) =>
  owner.page
    .locator('.mandate-list > li')
    .filter({ has: owner.page.getByRole('heading', { level: 2, name: loose(`Mandat n° ${m.number} · ${name}`) }) });

/** Serves `path`'s JSON answers changed by `change` while `during` runs. */
async function tampered(page, path, change, during) {
  const handler = async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    await route.fulfill({ response, json: change(await response.json()) });
  };
  await page.route(path, handler);
  try {
    await during();
  } finally {
    await page.unroute(path, handler);
  }
}

/** The journal page's entries as `(items) => items` changes them. */
const journalServed = (change, during) =>
  tampered(owner.page, '**/api/journal?from=*', (p) => ({ ...p, entries: change(p.entries) }), during);

const actionOf = (item) => bodyOf(item.entry).action;
const granteeItems = (entries) => entries.filter((e) => GRANTEE_ACTIONS.includes(actionOf(e)));

/** « Voir tout le journal » on the coffre page, then the journal's own verdict. */
async function wholeJournal() {
  await owner.page.getByRole('button', { name: 'Voir tout le journal' }).click();
}

async function journalBroken(code) {
  const alert = owner.page.getByRole('alert').filter({ hasText: 'Attention : le journal ne se vérifie pas.' });
  await alert.waitFor();
  assert.match(clean(await alert.innerText()), code);
}

/** This device forgets its journal checkpoint, and the host hides the owner's (as to a new device). */
async function asNewDevice(during) {
  const page = owner.page;
  const forget = () =>
    page.evaluate(() => {
      for (const k of Object.keys(localStorage))
        if (k.startsWith('coffre:journal-checkpoint:')) localStorage.removeItem(k);
    });
  const handler = async (route) => {
    if (route.request().method() === 'PUT') return route.fulfill({ status: 204 });
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), checkpoint: null } });
  };
  await forget();
  await page.route('**/api/journal/checkpoint', handler);
  try {
    await during();
  } finally {
    await page.unroute('**/api/journal/checkpoint', handler);
    await forget();
  }
}

it('an honest host: « Mes mandats » and the journal show no warning', async () => {
  await myMandates();
  const first = itemOf(used, 'Inès');
  await first.getByRole('list', { name: 'Ce qui a été fait avec ce mandat' }).getByRole('listitem').nth(2).waitFor();
  assert.match(clean(await itemOf(stopped, 'Amina').innerText()), /Arrêté/);
  assert.equal(await owner.page.locator(WARNINGS).count(), 0);
  assert.equal(await owner.page.getByText(/une trace manque/).count(), 0);
  await home();
  const o = owner.page;
  await o.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
  const shown = async () =>
    (await o.getByRole('list', { name: 'Ce qui s’est passé' }).getByRole('listitem').allInnerTexts()).map(
      (line) => clean(line).split(' · ')[0],
    );
  const person = o.getByLabel('Voir les lignes d’une personne aidante');
  // Only what happened since this device's last visit is verified and shown: the grant is
  // older. Choosing the person verifies the whole journal first, and finds it.
  await o.getByText('Voici ce qui s’est passé depuis votre dernière visite sur cet appareil.').waitFor();
  const granted = `Mandat n° ${used.number} donné à Inès`;
  assert.ok(!(await shown()).includes(granted), 'the grant is older than the lines shown');
  await person.selectOption(used.mandate);
  await o.getByRole('list', { name: 'Ce qui s’est passé' }).getByText(loose(granted)).waitFor();
  await person.selectOption('');
  // The whole journal is verified now (« Voir tout le journal » is gone).
  assert.equal(await o.getByRole('button', { name: 'Voir tout le journal' }).count(), 0);
  await o
    .getByRole('list', { name: 'Ce qui s’est passé' })
    .getByText(loose(`Inès a ouvert le papier « Attestation CAF » — mandat n° ${used.number}`))
    .waitFor();
  assert.equal(await o.locator(WARNINGS).count(), 0);

  // The journal filtered by person (a mandate given) and by paper.
  await person.selectOption(used.mandate);
  const opened = `Inès a ouvert le papier « Attestation CAF » — mandat n° ${used.number}`;
  assert.deepEqual(await shown(), [
    opened,
    `Inès a vu la liste des papiers de « Ressources et aides » — mandat n° ${used.number}`,
    `Inès a reçu la clé de « Ressources et aides » — mandat n° ${used.number}`,
    `Mandat n° ${used.number} donné à Inès`,
  ]);
  await o.getByLabel('Voir les lignes d’un papier').selectOption({ label: 'Attestation CAF' });
  assert.deepEqual(await shown(), [opened], 'the aidant opened the paper once');
  await person.selectOption('');
  const paperLines = await shown();
  assert.equal(paperLines.length, 2, paperLines.join('\n'));
  assert.equal(paperLines[0], opened);
  await person.selectOption(stopped.mandate);
  await o.locator('#journal-filter-none').waitFor();
  await axeBothLanguages(o, 'journal-filtre');
  owner.assertClean();
});

it('a dropped access receipt shows as a missing trace on « Mes mandats »', async () => {
  await tampered(
    owner.page,
    `**/api/mandates/${used.mandate}/receipts`,
    ({ receipts }) => ({ receipts: receipts.filter((r) => bodyOf(r).counter !== 2) }),
    async () => {
      await myMandates();
      const warning = itemOf(used, 'Inès').getByRole('alert');
      await warning.waitFor();
      assert.match(clean(await warning.innerText()), /^Attention : une trace manque\. .*counter_gap/);
      await axeBothLanguages(owner.page, 'trace-manque');
    },
  );
  owner.assertClean();
});

it('the last receipt dropped, or a consultation invented: the journal says « pas de preuve »', async () => {
  // The last receipt leaves no gap in the counters; its journal entry then proves nothing.
  await tampered(
    owner.page,
    `**/api/mandates/${used.mandate}/receipts`,
    ({ receipts }) => ({ receipts: receipts.filter((r) => bodyOf(r).counter !== 3) }),
    async () => {
      await home();
      await wholeJournal();
      await owner.page.locator('#journal-proof-missing').waitFor();
      await owner.page.getByText(/attention : pas de preuve/).waitFor();
    },
  );

  // The host signs a consultation with its server key, with no receipt behind it, at the
  // journal's end (with an inclusion receipt and a body sealed to the owner: all it can make).
  const db = (await readdir(suite.server.dataDir)).find((f) => /\.(db|sqlite3?)$/.test(f));
  assert.ok(db, 'the server’s SQLite database');
  const { stdout } = await promisify(execFile)('sqlite3', [
    join(suite.server.dataDir, db),
    'SELECT hex(server_key) FROM instance',
  ]);
  const serverKey = new client.SigningKey(Buffer.from(stdout.trim(), 'hex'));
  const session = seeded.session;
  const invent = async (entries) => {
    const last = entries.at(-1);
    const lastBody = bodyOf(last.entry);
    const body = await client.sealPayload('journal_body', { kind: 'journal_body', v: 1 }, [session.keys.recipient]);
    const { createHash, randomBytes } = await import('node:crypto');
    const entry = client.signJournalEntry(serverKey, {
      action: 'mandate_accessed',
      object: used.categories[0],
      mandate: used.mandate,
      proof: client.b64encode(randomBytes(32)),
      body_sha256: client.b64encode(createHash('sha256').update(body).digest()),
      coffre: session.coffre,
      epoch: 0,
      instance: session.instance,
      prev: client.b64encode(client.statementHash(client.b64decode(last.entry))),
      seq: last.seq + 1,
      time: lastBody.time,
    });
    const receipt = client.signInclusionReceipt(serverKey, {
      instance: session.instance,
      coffre: session.coffre,
      seq: last.seq + 1,
      entry: client.b64encode(client.statementHash(entry)),
      time: lastBody.time,
    });
    return [
      ...entries,
      {
        seq: last.seq + 1,
        entry: client.b64encode(entry),
        body: client.b64encode(body),
        receipt: client.b64encode(receipt),
      },
    ];
  };
  let forged;
  await asNewDevice(async () => {
    await journalServed(
      (entries) => forged ?? entries,
      async () => {
        forged = await invent((await seeded.api.journal(0)).entries);
        await home();
        await owner.page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
        const warning = owner.page.locator('#journal-proof-missing');
        await warning.waitFor();
        assert.match(clean(await warning.innerText()), /sans preuve\. L’hébergeur a peut-être inventé cette ligne/);
        const lines = owner.page.getByRole('list', { name: 'Ce qui s’est passé' }).getByRole('listitem');
        assert.match(clean(await lines.first().innerText()), /mandat n° \d+ — attention : pas de preuve/);
        await axeBothLanguages(owner.page, 'journal-sans-preuve');
      },
    );
  });
  owner.assertClean();
});

it('the grantee’s journal entries removed, reordered or rolled back are caught', async () => {
  // Where the aidant's acts begin in the journal (as the host reads it).
  const first = granteeItems((await seeded.api.journal(0)).entries)[0].seq;
  await home();
  await owner.page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
  // Rolled back to before the aidant's acts: this device remembers a later entry.
  await journalServed(
    (entries) => entries.filter((e) => e.seq < first),
    async () => {
      await home();
      await journalBroken(/rollback/);
    },
  );
  // One of the aidant's acts removed.
  await journalServed(
    (entries) => entries.filter((e) => e !== granteeItems(entries)[1]),
    async () => {
      await home();
      await wholeJournal();
      await journalBroken(/seq_gap|broken_link/);
    },
  );
  // Two of them swapped.
  await journalServed(
    (entries) => {
      const [x, y] = granteeItems(entries);
      return entries.map((e) => (e === x ? y : e === y ? x : e));
    },
    async () => {
      await home();
      await wholeJournal();
      await journalBroken(/seq_gap|broken_link|time_reversed/);
      await axeBothLanguages(owner.page, 'journal-change');
    },
  );
  // To a device that remembers nothing, the journal cut before the aidant's acts verifies —
  // but the receipts are still served, and no entry records them: the act was hidden.
  await asNewDevice(() =>
    journalServed(
      (entries) => entries.filter((e) => e.seq < first),
      async () => {
        await home();
        await owner.page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
        // The cut journal names the mandate (its grant): the acts are matched.
        const warning = owner.page.locator('#journal-entry-missing');
        await warning.waitFor();
        assert.match(clean(await warning.innerText()), /manque dans le journal\. L’hébergeur l’a peut-être cachée/);
        await axeHere(owner.page, 'journal-acte-cache');
      },
    ),
  );
  owner.assertClean();
});

it('a stale list of mandates: a stopped one in force, another window, one given and missing', async () => {
  const o = owner.page;
  await tampered(
    o,
    '**/api/mandates',
    (list) => ({
      ...list,
      given: list.given.map((g) =>
        g.mandate === stopped.mandate
          ? { ...g, state: 'in_force', end: null, days_left: 31 }
          : g.mandate === used.mandate
            ? { ...g, not_after: g.not_after + 200 * 86400, days_left: g.days_left + 200 }
            : g,
      ),
    }),
    async () => {
      await myMandates();
      const shownInForce = o.locator(`#mandate-list-problem-${stopped.mandate}`);
      await shownInForce.waitFor();
      assert.equal(
        clean(await shownInForce.innerText()),
        'Attention : votre journal dit que ce mandat est arrêté. Le serveur le montre comme s’il était encore en cours.',
      );
      const stretched = o.locator(`#mandate-list-problem-${used.mandate}`);
      assert.match(clean(await stretched.innerText()), /^Attention : le serveur montre d’autres dates/);
      // The window shown is the signed one, not the one served.
      const signedEnd = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' }).format(
        new Date(used.not_after * 1000),
      );
      assert.ok(clean(await itemOf(used, 'Inès').innerText()).includes(signedEnd), 'the signed end is shown');
      await axeBothLanguages(o, 'liste-perimee');
    },
  );
  await tampered(
    o,
    '**/api/mandates',
    (list) => ({ ...list, given: list.given.filter((g) => g.mandate !== stopped.mandate) }),
    async () => {
      await myMandates();
      const missing = o.locator('#mandates-list-missing');
      await missing.waitFor();
      assert.match(
        clean(await missing.innerText()),
        /^Attention : un mandat que vous avez donné n’est pas dans cette liste\./,
      );
      await axeHere(o, 'liste-mandat-cache');
    },
  );
  await tampered(
    o,
    '**/api/mandates',
    (list) => ({
      ...list,
      given: list.given.map((g) => (g.mandate === used.mandate ? { ...g, state: 'expired', days_left: 0 } : g)),
    }),
    async () => {
      await myMandates();
      const over = o.locator(`#mandate-list-problem-${used.mandate}`);
      await over.waitFor();
      assert.match(clean(await over.innerText()), /^Attention : le serveur dit « Fini »\. Les dates du mandat/);
      await axeHere(o, 'liste-fini-en-cours');
    },
  );
  // Honest again: no warning.
  await myMandates();
  assert.equal(await o.locator(WARNINGS).count(), 0);
  owner.assertClean();
});

it('the aidant is served a widened mandate: not shown, counted', async () => {
  const a = aidant.page;
  await tampered(
    a,
    '**/api/mandates',
    (list) => ({
      ...list,
      received: list.received.map((r) =>
        r.mandate === used.mandate
          ? { ...r, rights: 'consult_deposit', categories: [...r.categories, crypto.randomUUID()] }
          : r,
      ),
    }),
    async () => {
      await follow(a, 'Retour à mon coffre', 'Votre coffre est ouvert');
      await follow(a, 'Les personnes que j’aide', 'Les personnes que j’aide');
      await a.getByText('Un mandat ne peut pas être vérifié. Il n’est pas affiché.').waitFor();
      assert.equal(await a.getByText(loose(`Mandat n° ${used.number}`)).count(), 0);
      assert.equal(await a.getByRole('link', { name: 'Déposer un papier pour cette personne' }).count(), 0);
      await axeBothLanguages(a, 'aidant-mandat-elargi');
    },
  );
  aidant.assertClean();
});
