// Every page renders in every language with one <h1>, no missing message, and no text
// written in the components instead of the translation files.
import { readFileSync } from 'node:fs';
import type { ComponentType } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OwnerKeys } from '../../src/crypto/keys';
import { AUTONYMS, LOCALES, type Locale, onMessageProblem, showBundleForTests } from '../../src/i18n';
import { createBundle } from '../../src/i18n/bundle';
import { About } from '../../src/pages/About';
import AddPaper from '../../src/pages/AddPaper';
import CoffreHome from '../../src/pages/CoffreHome';
import Create from '../../src/pages/Create';
import { Help, loadHelpStrings } from '../../src/pages/Help';
import { NotFound } from '../../src/pages/NotFound';
import Papers from '../../src/pages/Papers';
import ShowPaper from '../../src/pages/ShowPaper';
import Unlock from '../../src/pages/Unlock';
import { Welcome } from '../../src/pages/Welcome';
import { lock, openSession } from '../../src/session';
import { Footer } from '../../src/ui/Footer';
import { Header } from '../../src/ui/Header';

const source = (locale: Locale) => readFileSync(new URL(`../../src/i18n/${locale}.ftl`, import.meta.url), 'utf8');
/** A lazy screen's own file (src/i18n/screens/NAME-LOCALE.ftl). */
const screenSource = (name: string, locale: Locale) =>
  readFileSync(new URL(`../../src/i18n/screens/${name}-${locale}.ftl`, import.meta.url), 'utf8');

/** A page with a coffre open in memory. */
function opened(Component: ComponentType) {
  return function Opened() {
    OpenCoffre();
    return <Component />;
  };
}

/** The open coffre's home page, with a coffre open in memory. */
function OpenCoffre() {
  const seed = new Uint8Array(32).fill(1);
  openSession({
    instance: 'https://coffre.example.org',
    coffre: '00000000-0000-4000-8000-000000000000',
    epoch: 0,
    seed,
    keys: OwnerKeys.fromSeed(seed),
    csrf: 'csrf',
    shared: false,
    factor: 'carte',
  });
  return <CoffreHome />;
}

const PAGES: Record<string, ComponentType> = {
  Welcome,
  Create,
  Unlock,
  ClosedCoffre: CoffreHome,
  OpenCoffre,
  ClosedPapers: Papers,
  OpenPapers: opened(Papers),
  OpenAddPaper: opened(AddPaper),
  OpenShowPaper: opened(ShowPaper),
  Help,
  About,
  NotFound,
};

const problems: string[] = [];
let stop: () => void;
beforeAll(async () => {
  // The help page's strings come with the page (src/i18n/screens/help-*.ftl).
  await Promise.all(LOCALES.map((l) => loadHelpStrings(l)));
  stop = onMessageProblem(({ locale, id, error }) => problems.push(`${locale}: ${id} ${error ?? 'missing'}`));
});
afterAll(() => stop());
afterEach(() => lock());

function renderIn(locale: Locale, Component: ComponentType): string {
  showBundleForTests(locale, createBundle(locale, source(locale)).bundle);
  problems.length = 0;
  const html = renderToString(<Component />);
  expect(problems).toEqual([]);
  return html;
}

/** The visible text and the text given to assistive technology (labels, titles). */
function textOf(html: string): string {
  const attributes = [...html.matchAll(/\s(?:aria-label|title|alt|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  const text = html.replace(/<[^>]*>/g, ' ');
  return [text, ...attributes].join(' ').replace(/&[a-z#0-9]+;/gi, ' ');
}

describe('pages', () => {
  for (const locale of LOCALES) {
    for (const [name, Page] of Object.entries(PAGES)) {
      it(`${name} renders in ${locale} with one h1 and every message present`, () => {
        const html = renderIn(locale, Page);
        expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
      });
    }
    it(`header and footer render in ${locale}`, () => {
      renderIn(locale, Header);
      renderIn(locale, Footer);
    });
  }

  it('the coffre page says whether the coffre is open, and never shows a secret', () => {
    const open = renderIn('fr', OpenCoffre);
    expect(open).toContain('Votre coffre est ouvert');
    expect(open).toContain('Ajouter six mots de secours');
    expect(open).not.toContain('AGE-SECRET-KEY');
    lock();
    expect(renderIn('fr', CoffreHome)).toContain('Votre coffre est fermé');
  });

  it('the first screens of the create and unlock flows ask one thing each', () => {
    const create = renderIn('fr', Create);
    expect(create).toContain('Prénom ou surnom');
    expect(create).toContain('Je suis sur un ordinateur partagé');
    const unlock = renderIn('fr', Unlock);
    expect(unlock).toContain('Avec ma carte');
    expect(unlock).toContain('Avec mes six mots');
  });

  // In Arabic, any Latin word not written in ar.ftl (or a language's own name) was
  // hard-coded in a component instead of going through the translation files.
  it('writes no interface text in the components', () => {
    const allowed = new Set(
      [source('ar'), screenSource('help', 'ar'), ...Object.values(AUTONYMS)].join(' ').match(/[A-Za-zÀ-ÿ]+/g) ?? [],
    );
    const found = new Set<string>();
    for (const Component of [...Object.values(PAGES), Header, Footer]) {
      const words = textOf(renderIn('ar', Component)).match(/[A-Za-zÀ-ÿ]+/g) ?? [];
      for (const word of words) if (!allowed.has(word)) found.add(word);
    }
    expect([...found]).toEqual([]);
  });
});
