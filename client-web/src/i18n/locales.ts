import { negotiateLanguages } from '@fluent/langneg';

/**
 * The languages the interface is translated into. Adding one = a new `<code>.ftl` file next
 * to this one and a line here (its own name, and its direction).
 */
export const LOCALES = ['fr', 'en', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'fr';

/**
 * Each language named in itself, so that someone who cannot read the current language still
 * finds theirs. These are the same in every translation, so they live here, not in the .ftl.
 */
export const AUTONYMS: Readonly<Record<Locale, string>> = {
  fr: 'Français',
  en: 'English',
  ar: 'العربية',
};

const RIGHT_TO_LEFT: ReadonlySet<Locale> = new Set<Locale>(['ar']);

export type Direction = 'ltr' | 'rtl';

/** Where the user's choice of language is remembered (not secret; the only thing stored). */
export const LOCALE_STORAGE_KEY = 'coffre.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function directionOf(locale: Locale): Direction {
  return RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';
}

/**
 * The language to show: the one the user chose before (if still offered), otherwise the
 * best match for the browser's languages, otherwise French.
 */
export function negotiateLocale(saved: string | null | undefined, requested: readonly string[]): Locale {
  if (isLocale(saved)) return saved;
  const [best] = negotiateLanguages(
    requested.filter((tag) => typeof tag === 'string' && tag.length > 0),
    LOCALES,
    { strategy: 'lookup', defaultLocale: DEFAULT_LOCALE },
  );
  return isLocale(best) ? best : DEFAULT_LOCALE;
}

/** The part of `Storage` we use; reading or writing may throw (private mode, disabled storage). */
export interface LocaleStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function readSavedLocale(store: LocaleStore | undefined): string | null {
  try {
    return store?.getItem(LOCALE_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function saveLocale(store: LocaleStore | undefined, locale: Locale): void {
  try {
    store?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Not remembered: the choice still applies until the page is closed.
  }
}

/** The part of the root element that carries the language (`<html lang dir>`). */
export interface LocaleRoot {
  lang: string;
  dir: string;
}

export function applyLocaleToRoot(root: LocaleRoot, locale: Locale): void {
  root.lang = locale;
  root.dir = directionOf(locale);
}
