// setLocale: loads the language's file, switches strings, <html lang dir> and remembers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  currentDirection,
  currentLocale,
  LOCALE_STORAGE_KEY,
  onMessageProblem,
  setLocale,
  t,
  tAttr,
} from '../../src/i18n';

const root = { lang: 'fr', dir: 'ltr' };
const stored = new Map<string, string>();

beforeEach(() => {
  stored.clear();
  Object.assign(root, { lang: 'fr', dir: 'ltr' });
  Object.assign(globalThis, {
    document: { documentElement: root },
    localStorage: {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    },
  });
});

afterEach(() => {
  const g = globalThis as Record<string, unknown>;
  delete g.document;
  delete g.localStorage;
});

describe('setLocale', () => {
  it('switches the strings, the language and the direction together', async () => {
    await setLocale('ar', false);
    expect(currentLocale.value).toBe('ar');
    expect(currentDirection()).toBe('rtl');
    expect(root).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(t('nav-help')).toBe('مساعدة');

    await setLocale('fr', false);
    expect(root).toEqual({ lang: 'fr', dir: 'ltr' });
    expect(currentDirection()).toBe('ltr');
    expect(t('nav-help')).toBe('Aide');
    expect(tAttr('main-nav', 'aria-label')).toBe('Menu principal');
  });

  it('remembers the choice only when asked', async () => {
    await setLocale('en', false);
    expect(stored.has(LOCALE_STORAGE_KEY)).toBe(false);
    await setLocale('en', true);
    expect(stored.get(LOCALE_STORAGE_KEY)).toBe('en');
  });

  it('lets the last choice win when two load at once', async () => {
    await Promise.all([setLocale('ar', false), setLocale('en', false)]);
    expect(currentLocale.value).toBe('en');
    expect(root).toEqual({ lang: 'en', dir: 'ltr' });
  });

  it('passes variables, isolated for right-to-left text', async () => {
    await setLocale('fr', false);
    expect(t('page-title', { page: 'Aide' })).toBe('\u2068Aide\u2069 — \u2068Coffre\u2069');
  });

  it('shows the id of a missing message, and reports it', async () => {
    await setLocale('fr', false);
    const problems: string[] = [];
    const stop = onMessageProblem(({ id }) => problems.push(id));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(t('no-such-message')).toBe('no-such-message');
      expect(tAttr('nav-help', 'aria-label')).toBe('nav-help.aria-label');
      // In development the problem is also shown as a warning in the console.
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      stop();
      warn.mockRestore();
    }
    expect(problems).toEqual(['no-such-message', 'nav-help.aria-label']);
  });
});
