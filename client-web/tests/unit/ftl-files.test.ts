// The three translation files must stay complete and in step: same message ids, same
// attributes, each file parsing cleanly and formatting every message without error.
import { readFileSync } from 'node:fs';
import { FluentParser, Junk, Message, Term } from '@fluent/syntax';
import { describe, expect, it } from 'vitest';
import { createBundle } from '../../src/i18n/bundle';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../src/i18n/locales';

/** The app's files (`dir` ''), and each screen's own ones (`screens/NAME-`, loaded with that screen). */
const DIRS = ['', 'screens/mandates-', 'screens/organisations-', 'screens/help-'];
const source = (locale: Locale, dir = '') =>
  readFileSync(new URL(`../../src/i18n/${dir}${locale}.ftl`, import.meta.url), 'utf8');

/** `id` and `id.attribute` for every message and term, in file order. */
function keysOf(locale: Locale, dir = ''): string[] {
  const resource = new FluentParser({ withSpans: false }).parse(source(locale, dir));
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
  number: 12,
  rights: 'Voir les papiers',
  from: '2 mars 2030',
  to: '2 avril 2030',
  what: 'Attestation CAF',
  version: 'mandat-v1',
  state: 'En cours',
  members: 3,
  mandates: 2,
  generation: 1,
  numbers: '3, 7',
  organisation: 'CHRS Les Tilleuls',
  who: 'Inès',
  mandate: 'mandat n° 12',
  line: 'Mandat n° 13 donné à Inès',
  old: 11,
};

describe('translation files', () => {
  it('offers French first, and French is the default', () => {
    expect(LOCALES[0]).toBe('fr');
    expect(DEFAULT_LOCALE).toBe('fr');
  });

  for (const dir of DIRS) {
    for (const locale of LOCALES) {
      it(`${dir}${locale}.ftl parses without any error`, () => {
        const resource = new FluentParser({ withSpans: true }).parse(source(locale, dir));
        const junk = resource.body.filter((entry): entry is Junk => entry instanceof Junk);
        const problems = junk.flatMap((entry) =>
          entry.annotations.map((annotation) => `${annotation.code} ${annotation.message}: ${entry.content.trim()}`),
        );
        expect(problems).toEqual([]);

        const { errors } = createBundle(locale, source(locale, dir));
        expect(errors.map(String)).toEqual([]);
      });

      it(`${dir}${locale}.ftl has no duplicate id`, () => {
        const keys = keysOf(locale, dir);
        expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
      });

      it(`${dir}${locale}.ftl formats every message and attribute without error`, () => {
        const { bundle } = createBundle(locale, source(locale, dir));
        const problems: string[] = [];
        for (const key of keysOf(locale, dir)) {
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
      it(`${dir}${locale}.ftl has exactly the ids and attributes of ${dir}${DEFAULT_LOCALE}.ftl`, () => {
        const reference = new Set(keysOf(DEFAULT_LOCALE, dir));
        const translated = new Set(keysOf(locale, dir));
        expect({
          missing: [...reference].filter((key) => !translated.has(key)),
          extra: [...translated].filter((key) => !reference.has(key)),
        }).toEqual({ missing: [], extra: [] });
      });
    }
  }
});
