// Every page renders in every language with one <h1>, no missing message, and no text
// written in the components instead of the translation files.
import { readFileSync } from 'node:fs';
import type { ComponentType } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTONYMS, LOCALES, type Locale, onMessageProblem, showBundleForTests } from '../../src/i18n';
import { createBundle } from '../../src/i18n/bundle';
import { About } from '../../src/pages/About';
import { Create, Unlock } from '../../src/pages/ComingSoon';
import { Help } from '../../src/pages/Help';
import { NotFound } from '../../src/pages/NotFound';
import { Welcome } from '../../src/pages/Welcome';
import { Footer } from '../../src/ui/Footer';
import { Header } from '../../src/ui/Header';

const source = (locale: Locale) => readFileSync(new URL(`../../src/i18n/${locale}.ftl`, import.meta.url), 'utf8');

const PAGES: Record<string, ComponentType> = { Welcome, Create, Unlock, Help, About, NotFound };

const problems: string[] = [];
let stop: () => void;
beforeAll(() => {
  stop = onMessageProblem(({ locale, id, error }) => problems.push(`${locale}: ${id} ${error ?? 'missing'}`));
});
afterAll(() => stop());

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

  // In Arabic, any Latin word not written in ar.ftl (or a language's own name) was
  // hard-coded in a component instead of going through the translation files.
  it('writes no interface text in the components', () => {
    const allowed = new Set([source('ar'), ...Object.values(AUTONYMS)].join(' ').match(/[A-Za-zÀ-ÿ]+/g) ?? []);
    const found = new Set<string>();
    for (const Component of [...Object.values(PAGES), Header, Footer]) {
      const words = textOf(renderIn('ar', Component)).match(/[A-Za-zÀ-ÿ]+/g) ?? [];
      for (const word of words) if (!allowed.has(word)) found.add(word);
    }
    expect([...found]).toEqual([]);
  });
});
