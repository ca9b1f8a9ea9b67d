// The organisation screens' own strings (src/i18n/screens/organisations-LOCALE.ftl), loaded
// with these screens, not with the first page (the first-load budget). `t` looks here first,
// then in the mandate screens' strings (these screens reuse their code reader and words), then
// in the app's.
import type { FluentBundle } from '@fluent/bundle';
import { signal } from '@preact/signals';
import { currentLocale, LOCALES, type MessageArgs } from '../i18n';
import { createBundle, formatMessage } from '../i18n/bundle';
import { stringsReady as mandateStringsReady, t as mandateT } from '../mandates/strings';

const sources = import.meta.glob<string>('../i18n/screens/organisations-*.ftl', { query: '?raw', import: 'default' });
const bundles = signal<ReadonlyMap<string, FluentBundle>>(new Map());
const pending = new Map<string, Promise<void>>();

function loadStrings(locale: string): Promise<void> {
  let p = pending.get(locale);
  if (!p) {
    const load = sources[`../i18n/screens/organisations-${locale}.ftl`];
    p = (load ? load() : Promise.reject(new Error(`no organisation strings for ${locale}`))).then((source) => {
      const { bundle, errors } = createBundle(locale, source);
      for (const error of errors) console.warn(`organisations-${locale}.ftl: ${error.message}`);
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
  if (!bundle) void loadStrings(locale).catch(() => undefined);
  return mandateT(id, args);
}

let readyOnce = false;

/** Whether the page may render: once the shown language's strings (these and the mandates') are here. */
export function stringsReady(): boolean {
  const mandates = mandateStringsReady();
  if (readyOnce || bundles.value.has(currentLocale.value)) {
    if (!readyOnce) {
      readyOnce = true;
      for (const locale of LOCALES) void loadStrings(locale).catch(() => undefined);
    }
    return mandates;
  }
  void loadStrings(currentLocale.value).catch(() => undefined);
  return false;
}
