// A screen's own strings (src/i18n/screens/NAME-LOCALE.ftl), loaded with that screen rather
// than with the first page (the first-load budget, tests/unit/build.test.ts). Each screen's
// module globs its own files (Vite needs a literal pattern there) and passes them here.
import type { FluentBundle } from '@fluent/bundle';
import { signal } from '@preact/signals';
import { createBundle, formatMessage, type MessageArgs } from './bundle';
import { currentLocale } from './index';
import { LOCALES } from './locales';

export interface ScreenStrings {
  /** The screen's message, else `fallback`'s (the app's strings, or another screen's). */
  t(id: string, args?: MessageArgs): string;
  /**
   * Whether the page may render: false only until the shown language's strings first arrive
   * (and the fallback's, if it has a `ready`); the other languages are loaded right after, so
   * that switching language later shows no message id.
   */
  ready(): boolean;
  /** Loads the strings of `locale` (the shown language by default). */
  load(locale?: string): Promise<void>;
}

export function screenStrings(
  name: string,
  sources: Record<string, () => Promise<string>>,
  fallback: { t: (id: string, args?: MessageArgs) => string; ready?: () => boolean },
): ScreenStrings {
  const bundles = signal<ReadonlyMap<string, FluentBundle>>(new Map());
  const pending = new Map<string, Promise<void>>();
  let readyOnce = false;

  function load(locale: string = currentLocale.value): Promise<void> {
    let p = pending.get(locale);
    if (!p) {
      const source = Object.entries(sources).find(([path]) => path.endsWith(`/${name}-${locale}.ftl`))?.[1];
      p = (source ? source() : Promise.reject(new Error(`no ${name} strings for ${locale}`))).then((text) => {
        const { bundle, errors } = createBundle(locale, text);
        for (const error of errors) console.warn(`${name}-${locale}.ftl: ${error.message}`);
        bundles.value = new Map([...bundles.value, [locale, bundle]]);
      });
      p.catch(() => pending.delete(locale));
      pending.set(locale, p);
    }
    return p;
  }

  function t(id: string, args?: MessageArgs): string {
    const locale = currentLocale.value;
    const bundle = bundles.value.get(locale);
    if (bundle?.hasMessage(id)) return formatMessage(bundle, id, args);
    // Another language was just chosen: its strings come, and the page shows them then.
    if (!bundle) void load(locale).catch(() => undefined);
    return fallback.t(id, args);
  }

  function ready(): boolean {
    const before = fallback.ready ? fallback.ready() : true;
    if (readyOnce || bundles.value.has(currentLocale.value)) {
      if (!readyOnce) {
        readyOnce = true;
        for (const locale of LOCALES) void load(locale).catch(() => undefined);
      }
      return before;
    }
    void load().catch(() => undefined);
    return false;
  }

  return { t, ready, load };
}
