// The mandate screens' own strings (src/i18n/screens/mandates-LOCALE.ftl), loaded with these
// screens rather than with the first page (the first-load budget, tests/unit/build.test.ts).
// `t` looks here first, then in the app's strings.
import type { FluentBundle } from '@fluent/bundle';
import { signal } from '@preact/signals';
import { t as appT, currentLocale, LOCALES, type MessageArgs } from '../i18n';
import { createBundle, formatMessage } from '../i18n/bundle';

const sources = import.meta.glob<string>('../i18n/screens/mandates-*.ftl', { query: '?raw', import: 'default' });
const bundles = signal<ReadonlyMap<string, FluentBundle>>(new Map());
const pending = new Map<string, Promise<void>>();

/** Loads the strings of `locale` (the shown language by default). */
export function loadStrings(locale: string = currentLocale.value): Promise<void> {
  let p = pending.get(locale);
  if (!p) {
    const load = sources[`../i18n/screens/mandates-${locale}.ftl`];
    p = (load ? load() : Promise.reject(new Error(`no mandate strings for ${locale}`))).then((source) => {
      const { bundle, errors } = createBundle(locale, source);
      for (const error of errors) console.warn(`mandates-${locale}.ftl: ${error.message}`);
      bundles.value = new Map([...bundles.value, [locale, bundle]]);
    });
    p.catch(() => pending.delete(locale));
    pending.set(locale, p);
  }
  return p;
}

export function t(id: string, args?: MessageArgs): string {
  const locale = currentLocale.value;
  const bundle = bundles.value.get(locale);
  if (bundle?.hasMessage(id)) return formatMessage(bundle, id, args);
  // Another language was just chosen: its strings come, and the page shows them then.
  if (!bundle) void loadStrings(locale).catch(() => undefined);
  return appT(id, args);
}

let readyOnce = false;

/**
 * Whether the page may render: false only until the shown language's strings first arrive
 * (the page then renders nothing for that moment). The other languages are loaded right
 * after, so that switching language later shows no message id.
 */
export function stringsReady(): boolean {
  if (readyOnce || bundles.value.has(currentLocale.value)) {
    if (!readyOnce) {
      readyOnce = true;
      for (const locale of LOCALES) void loadStrings(locale).catch(() => undefined);
    }
    return true;
  }
  void loadStrings().catch(() => undefined);
  return false;
}
