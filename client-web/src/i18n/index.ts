import type { FluentBundle } from '@fluent/bundle';
import { batch, signal } from '@preact/signals';
import { createBundle, formatMessage, type MessageArgs, onMessageProblem } from './bundle';
import { applyLocaleToRoot, DEFAULT_LOCALE, directionOf, type Locale, type LocaleStore, saveLocale } from './locales';

export { type MessageArgs, type MessageProblem, onMessageProblem } from './bundle';
export * from './locales';

if (import.meta.env.DEV) {
  onMessageProblem(({ locale, id, error }) =>
    console.warn(`[i18n] ${locale ?? '?'}: ${id}${error ? `: ${error.message}` : ' is missing'}`),
  );
}

// One chunk per language: only the language shown is downloaded.
const sources = import.meta.glob<string>('./*.ftl', { query: '?raw', import: 'default' });

export const currentLocale = signal<Locale>(DEFAULT_LOCALE);
const currentBundle = signal<FluentBundle | null>(null);

const loaded = new Map<Locale, Promise<FluentBundle>>();

function loadBundle(locale: Locale): Promise<FluentBundle> {
  let pending = loaded.get(locale);
  if (!pending) {
    const load = sources[`./${locale}.ftl`];
    if (!load) return Promise.reject(new Error(`no translation file for ${locale}`));
    pending = load().then((source) => {
      const { bundle, errors } = createBundle(locale, source);
      for (const error of errors) console.warn(`${locale}.ftl: ${error.message}`);
      return bundle;
    });
    pending.catch(() => loaded.delete(locale));
    loaded.set(locale, pending);
  }
  return pending;
}

/** `localStorage`, or nothing where the browser refuses it (reading it can throw). */
export function browserStorage(): LocaleStore | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

let latestRequest = 0;

/**
 * Shows the interface in `locale`: loads its translations, then switches every string, the
 * page's `lang` and its direction at once. `remember` saves the choice on this device.
 */
export async function setLocale(locale: Locale, remember: boolean): Promise<void> {
  const request = ++latestRequest;
  const bundle = await loadBundle(locale);
  if (request !== latestRequest) return; // a later choice won
  batch(() => {
    currentBundle.value = bundle;
    currentLocale.value = locale;
  });
  applyLocaleToRoot(document.documentElement, locale);
  if (remember) saveLocale(browserStorage(), locale);
}

/** A translated string. Reading it inside a component re-renders it when the language changes. */
export function t(id: string, args?: MessageArgs): string {
  return formatMessage(currentBundle.value, id, args);
}

/** A translated attribute of a message, e.g. `tAttr('nav', 'aria-label')`. */
export function tAttr(id: string, attribute: string, args?: MessageArgs): string {
  return formatMessage(currentBundle.value, id, args, attribute);
}

export function currentDirection() {
  return directionOf(currentLocale.value);
}

/** For tests: show `bundle` without loading anything. */
export function showBundleForTests(locale: Locale, bundle: FluentBundle): void {
  batch(() => {
    currentBundle.value = bundle;
    currentLocale.value = locale;
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A date formatter for the shown language, made once per language and options: a list of
 * 1,000 papers or 200 mandates drew each date with a new `Intl.DateTimeFormat`, a third of
 * the time Preact spent drawing the aidant's workspace (BENCHMARKS.md section 13).
 */
export function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${currentLocale.value}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(currentLocale.value, options);
    formatters.set(key, format);
  }
  return format;
}
