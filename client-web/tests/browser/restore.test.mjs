// A restore from a backup, as the owner sees it: the host backs the instance up while it
// serves (`coffre backup`), loses it, restores the backup into an empty instance with the
// same origin (`coffre restore`), and serves it again. The owner signs in again on the same
// phone (a restore signs everyone out) and reads, in the journal that still verifies,
// « Coffre restauré depuis une sauvegarde du … »: the server-signed `restored` entry. And a
// mandate the owner stopped after the backup, running again on the restored server, is
// stopped again by the owner's phone, which remembers what it revoked (mandates/revocations.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_FLAGS,
  clean,
  follow,
  giveByTypedCode,
  openCoffre,
  openInvited,
  openPage,
  professionalInvitation,
  settled,
  signInWithCarte,
  WIDTHS,
} from './browser.mjs';
import { startServer } from './server.mjs';

const CLIENT_WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = resolve(CLIENT_WEB, process.env.COFFRE_TEST_BIN ?? '../target/debug/coffre');
const PIN = '52817364';

let browser;
const cleanup = [];
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
});
after(async () => {
  await browser?.close();
  for (const step of cleanup.reverse()) await step();
});

/** Runs one `coffre` command against the instance at `dataDir`, listening on `port`. */
function coffre(args, { dataDir, port }) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(BIN, args, {
      env: { ...process.env, COFFRE_LISTEN: `127.0.0.1:${port}`, COFFRE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolveRun(output) : reject(new Error(`coffre ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

it('after a restore, the owner reads « Coffre restauré » in a journal that verifies', async () => {
  const first = await startServer();
  cleanup.push(() => first.stop());
  const suite = { browser, baseUrl: first.baseUrl };
  const phone = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
  const { page } = phone;
  const typed = await openCoffre(page, first.baseUrl, PIN);
  await page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
  assert.equal(await page.getByText(/Coffre restauré/).count(), 0, 'no restore before there is one');

  const backups = await mkdtemp(join(tmpdir(), 'coffre-backup-'));
  cleanup.push(() => rm(backups, { recursive: true, force: true }));
  const backup = join(backups, 'backup');
  await coffre(['backup', '--to', backup], { dataDir: first.dataDir, port: first.port });
  await first.stop();

  // The host's machine is lost; a new one restores the backup, keeping the origin.
  const dataDir = await mkdtemp(join(tmpdir(), 'coffre-restored-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const restored = await coffre(['restore', '--from', backup], { dataDir, port: first.port });
  assert.match(restored, /coffre: restored/);
  const second = await startServer({ dataDir, port: first.port });
  cleanup.push(() => second.stop());
  assert.equal(second.baseUrl, first.baseUrl, 'the restored instance keeps its origin');

  await signInWithCarte(page, second.baseUrl, typed, PIN);
  await page.getByText('Le journal est vérifié. Personne ne l’a changé.').waitFor();
  const line = page.getByText(/^Coffre restauré depuis une sauvegarde du /);
  await line.waitFor();
  assert.equal(await line.count(), 1, 'one restored entry');
  await settled(page);
  const { violations } = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(violations, [], 'axe: the journal with its restored line');
  if (process.env.COFFRE_TEST_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.COFFRE_TEST_SCREENSHOTS, 'restore-journal.png'), fullPage: true });
  }
  // The restore signed everyone out: the requests the old session made after the restore
  // answered 401 before the sign-in; everything else went well.
  const unexpected = phone.problems.filter((p) => !/HTTP 401/.test(p));
  assert.deepEqual(unexpected, [], 'nothing else went wrong in the page');
  await phone.close();
});

it('a mandate stopped after the backup is stopped again by the owner’s phone after the restore', async () => {
  const first = await startServer();
  cleanup.push(() => first.stop());
  const suite = { browser, baseUrl: first.baseUrl, server: first };
  // The aidant's professional account, and the owner's coffre on a phone of her own.
  const aidant = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
  await openInvited(aidant.page, first.baseUrl, await professionalInvitation(suite), '52817346');
  await follow(aidant.page, 'Mon code', 'Mon code');
  const code = clean(await aidant.page.locator('#mycode-typed').innerText());
  const phone = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.phone });
  const { page } = phone;
  const typed = await openCoffre(page, first.baseUrl, PIN);
  const number = await giveByTypedCode(page, code, {
    name: 'Inès',
    category: 'Ressources et aides',
    rights: 'Voir les papiers',
  });

  // The host backs up while the mandate runs; then the owner stops it.
  const backups = await mkdtemp(join(tmpdir(), 'coffre-backup-'));
  cleanup.push(() => rm(backups, { recursive: true, force: true }));
  const backup = join(backups, 'backup');
  await coffre(['backup', '--to', backup], { dataDir: first.dataDir, port: first.port });
  await follow(page, 'Voir mes mandats', 'Mes mandats');
  await page.getByRole('button', { name: 'Arrêter ce mandat' }).click();
  await page.getByRole('heading', { level: 1, name: 'Le mandat est arrêté' }).waitFor();
  await page.locator('#revoked-rotated').waitFor(); // its category's new key, made at once
  await first.stop();
  await aidant.close();

  // Restored from the backup: the server has forgotten the revocation.
  const dataDir = await mkdtemp(join(tmpdir(), 'coffre-restored-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  await coffre(['restore', '--from', backup], { dataDir, port: first.port });
  const second = await startServer({ dataDir, port: first.port });
  cleanup.push(() => second.stop());
  const state = async () => {
    const { given } = await page.evaluate(async () => (await fetch('/api/mandates')).json());
    return given.map((m) => [m.number, m.state]);
  };

  // The owner signs in again on her phone, which remembers what it stopped, and stops it again.
  const again = page.waitForResponse((r) => /\/api\/mandates\/[^/]+\/revocation$/.test(r.url()), {
    timeout: 60_000,
  });
  await signInWithCarte(page, second.baseUrl, typed, PIN);
  await follow(page, 'Mes mandats', 'Mes mandats');
  assert.equal((await again).status(), 200, 'the revocation the restore lost is sent again');
  assert.deepEqual(await state(), [[number, 'revoked']]);
  await page.getByText('Arrêté', { exact: true }).waitFor();
  const said = page.locator('#mandates-stopped-again');
  assert.match(clean(await said.innerText()), new RegExp(`le serveur l’avait oublié .* n° ${number}\\.$`));
  await settled(page);
  const { violations } = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(violations, [], 'axe: « Mes mandats » with the mandate stopped again');
  if (process.env.COFFRE_TEST_SCREENSHOTS) {
    await page.screenshot({
      path: join(process.env.COFFRE_TEST_SCREENSHOTS, 'restore-stopped-again.png'),
      fullPage: true,
    });
  }
  const unexpected = phone.problems.filter((p) => !/HTTP 401/.test(p));
  assert.deepEqual(unexpected, [], 'nothing else went wrong in the page');
  await phone.close();
});
