import { describe, expect, it } from 'vitest';
import {
  AUTONYMS,
  applyLocaleToRoot,
  directionOf,
  isLocale,
  LOCALE_STORAGE_KEY,
  LOCALES,
  type LocaleStore,
  negotiateLocale,
  readSavedLocale,
  saveLocale,
} from '../../src/i18n/locales';

class MemoryStore implements LocaleStore {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const refusingStore: LocaleStore = {
  getItem() {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem() {
    throw new DOMException('full', 'QuotaExceededError');
  },
};

describe('negotiateLocale', () => {
  it('falls back to French when nothing matches', () => {
    expect(negotiateLocale(null, [])).toBe('fr');
    expect(negotiateLocale(null, ['de-DE', 'ja'])).toBe('fr');
    expect(negotiateLocale(undefined, [''])).toBe('fr');
  });

  it('follows the browser languages, in order, region or not', () => {
    expect(negotiateLocale(null, ['fr-FR', 'en'])).toBe('fr');
    expect(negotiateLocale(null, ['en-GB', 'fr'])).toBe('en');
    expect(negotiateLocale(null, ['ar-MA', 'fr-FR'])).toBe('ar');
    expect(negotiateLocale(null, ['ar'])).toBe('ar');
    expect(negotiateLocale(null, ['de', 'en-US'])).toBe('en');
    expect(negotiateLocale(null, ['AR-dz'])).toBe('ar');
  });

  it('prefers the choice saved on this device', () => {
    expect(negotiateLocale('ar', ['fr-FR'])).toBe('ar');
    expect(negotiateLocale('en', [])).toBe('en');
  });

  it('ignores a saved choice that is not offered (any more)', () => {
    expect(negotiateLocale('de', ['en'])).toBe('en');
    expect(negotiateLocale('<script>', [])).toBe('fr');
    expect(negotiateLocale('', ['ar'])).toBe('ar');
  });
});

describe('direction', () => {
  it('is right-to-left for Arabic only', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('fr')).toBe('ltr');
    expect(directionOf('en')).toBe('ltr');
  });

  it('is set on the root element with the language', () => {
    const root = { lang: 'fr', dir: 'ltr' };
    applyLocaleToRoot(root, 'ar');
    expect(root).toEqual({ lang: 'ar', dir: 'rtl' });
    applyLocaleToRoot(root, 'en');
    expect(root).toEqual({ lang: 'en', dir: 'ltr' });
    applyLocaleToRoot(root, 'fr');
    expect(root).toEqual({ lang: 'fr', dir: 'ltr' });
  });
});

describe('saved choice', () => {
  it('is written and read back under one key', () => {
    const store = new MemoryStore();
    expect(readSavedLocale(store)).toBeNull();
    saveLocale(store, 'ar');
    expect(store.items.get(LOCALE_STORAGE_KEY)).toBe('ar');
    expect(readSavedLocale(store)).toBe('ar');
  });

  it('never breaks the page when storage is refused or absent', () => {
    expect(readSavedLocale(refusingStore)).toBeNull();
    expect(() => saveLocale(refusingStore, 'en')).not.toThrow();
    expect(readSavedLocale(undefined)).toBeNull();
    expect(() => saveLocale(undefined, 'en')).not.toThrow();
  });
});

describe('locale list', () => {
  it('names each language in itself', () => {
    expect(LOCALES.map((l) => AUTONYMS[l])).toEqual(['Français', 'English', 'العربية']);
  });

  it('recognises only offered codes', () => {
    expect(LOCALES.every(isLocale)).toBe(true);
    expect(isLocale('FR')).toBe(false);
    expect(isLocale(null)).toBe(false);
    expect(isLocale('toString')).toBe(false);
  });
});
