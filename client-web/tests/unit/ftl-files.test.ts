// The three translation files must stay complete and in step: same message ids, same
// attributes, each file parsing cleanly and formatting every message without error.
import { readFileSync } from 'node:fs';
import { FluentParser, Junk, Message, Term } from '@fluent/syntax';
import { describe, expect, it } from 'vitest';
import { createBundle } from '../../src/i18n/bundle';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../src/i18n/locales';

const source = (locale: Locale) => readFileSync(new URL(`../../src/i18n/${locale}.ftl`, import.meta.url), 'utf8');

/** `id` and `id.attribute` for every message and term, in file order. */
function keysOf(locale: Locale): string[] {
  const resource = new FluentParser({ withSpans: false }).parse(source(locale));
  const keys: string[] = [];
  for (const entry of resource.body) {
    if (entry instanceof Message || entry instanceof Term) {
      const id = entry instanceof Term ? `-${entry.id.name}` : entry.id.name;
      if (entry.value) keys.push(id);
      for (const attribute of entry.attributes) keys.push(`${id}.${attribute.id.name}`);
    }
  }
  return keys;
}

/** Variables each message uses, so every message can be formatted with all its arguments. */
const SAMPLE_ARGS = {
  page: 'Page',
  minutes: 3,
  count: 57,
  expected: 58,
  name: 'Karim',
  site: 'https://coffre.example.org',
  date: '3 mars 2030',
  code: 'rollback',
  factor: 'carte',
  size: '1,5',
  days: 12,
  used: '12 Mo',
  quota: '200 Mo',
  percent: 85,
  limit: '25 Mo',
  n: 2,
  title: 'Récépissé',
  names: 'Séjour, Santé',
};

describe('translation files', () => {
  it('offers French first, and French is the default', () => {
    expect(LOCALES[0]).toBe('fr');
    expect(DEFAULT_LOCALE).toBe('fr');
  });

  for (const locale of LOCALES) {
    it(`${locale}.ftl parses without any error`, () => {
      const resource = new FluentParser({ withSpans: true }).parse(source(locale));
      const junk = resource.body.filter((entry): entry is Junk => entry instanceof Junk);
      const problems = junk.flatMap((entry) =>
        entry.annotations.map((annotation) => `${annotation.code} ${annotation.message}: ${entry.content.trim()}`),
      );
      expect(problems).toEqual([]);

      const { errors } = createBundle(locale, source(locale));
      expect(errors.map(String)).toEqual([]);
    });

    it(`${locale}.ftl has no duplicate id`, () => {
      const keys = keysOf(locale);
      expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
    });

    it(`${locale}.ftl formats every message and attribute without error`, () => {
      const { bundle } = createBundle(locale, source(locale));
      const problems: string[] = [];
      for (const key of keysOf(locale)) {
        if (key.startsWith('-')) continue; // terms are only reachable through messages
        const [id, attribute] = key.split('.') as [string, string | undefined];
        const message = bundle.getMessage(id);
        const pattern = attribute ? message?.attributes[attribute] : message?.value;
        if (!pattern) {
          problems.push(`${key}: not found`);
          continue;
        }
        const errors: Error[] = [];
        const text = bundle.formatPattern(pattern, SAMPLE_ARGS, errors);
        for (const error of errors) problems.push(`${key}: ${error.message}`);
        if (text.trim() === '') problems.push(`${key}: empty`);
      }
      expect(problems).toEqual([]);
    });
  }

  for (const locale of LOCALES.filter((l) => l !== DEFAULT_LOCALE)) {
    it(`${locale}.ftl has exactly the ids and attributes of ${DEFAULT_LOCALE}.ftl`, () => {
      const reference = new Set(keysOf(DEFAULT_LOCALE));
      const translated = new Set(keysOf(locale));
      expect({
        missing: [...reference].filter((key) => !translated.has(key)),
        extra: [...translated].filter((key) => !reference.has(key)),
      }).toEqual({ missing: [], extra: [] });
    });
  }
});
