// What the papers screens share: category and type names (translated from their stable
// ids), the category badge (icon and colour), the closed-coffre screen, dates, sizes, and
// errors in plain words.
import './papers.css';
import { ApiError } from '../api';
import { CoffreCryptoError } from '../crypto/errors';
import { currentLocale, dateFormat, t } from '../i18n';
import { DOC_TYPES, daysLeft, expiryState, parseIsoDate } from '../paper-store';
import { Icon, type IconName } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { problemText } from './messages';

/** The icon slugs of the ten default categories: each has an icon, a colour and a name here. */
export const KNOWN_CATEGORIES = [
  'identity',
  'residence',
  'health',
  'income',
  'housing',
  'work',
  'tax-bank',
  'justice',
  'family',
  'other',
] as const satisfies readonly IconName[];

const known = (icon: string): icon is (typeof KNOWN_CATEGORIES)[number] =>
  (KNOWN_CATEGORIES as readonly string[]).includes(icon);

/** A category's name in the current language (its label's own name for one the app does not know). */
export function categoryName(category: { icon: string; name: string }): string {
  return known(category.icon) ? t(`category-${category.icon}`) : category.name;
}

/** The category's pictogram on its colour (decorative: its name is always written beside it). */
export function CategoryBadge({ icon }: { icon: string }) {
  const slug = known(icon) ? icon : 'other';
  return (
    <span class={`cat-badge cat-${slug}`} aria-hidden="true">
      <Icon name={slug} />
    </span>
  );
}

export function docTypeName(id: string): string {
  return DOC_TYPES.some((d) => d.id === id) ? t(`doctype-${id}`) : t('doctype-autre');
}

/** The screen of a papers page when the coffre is not open (after the inactivity lock, say). */
export function NeedsOpen() {
  return (
    <Page titleId="home-locked-title">
      <p>{t('home-locked-1')}</p>
      <div class="actions">
        <a class="button button-primary" href={ROUTES.unlock}>
          <span>{t('home-locked-open')}</span>
          <Icon name="forward" />
        </a>
      </div>
    </Page>
  );
}

export function formatDate(iso: string): string {
  const date = parseIsoDate(iso);
  return date ? dateFormat({ dateStyle: 'long' }).format(date) : iso;
}

/** Megabytes, one decimal at most. */
export function formatMegabytes(bytes: number): string {
  const n = new Intl.NumberFormat(currentLocale.value, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024));
  return t('size-mb', { size: n });
}

/** "Expired on…", "Ends in 12 days (on…)", "Valid until…", or nothing without a date. */
export function expiryText(expires: string | undefined, today: Date): string | undefined {
  if (!expires) return undefined;
  const state = expiryState(expires, today);
  const date = formatDate(expires);
  if (state === 'expired') return t('paper-expired', { date });
  if (state === 'soon') return t('paper-expires-soon', { days: daysLeft(expires, today) ?? 0, date });
  if (state === 'valid') return t('paper-valid-until', { date });
  return undefined;
}

/** A failed papers call in plain words. */
export function paperProblemText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'quota_exceeded') return t('papers-error-quota');
    if (error.code === 'paper_too_large') return t('papers-error-too-large');
    if (error.code === 'storage_full') return t('papers-error-storage-full');
    if (error.code === 'upload_expired') return t('papers-error-expired');
    if (error.status === 404) return t('papers-error-not-found');
    return problemText(error);
  }
  if (error instanceof CoffreCryptoError) return t('papers-error-verify', { code: error.code });
  return t('error-server');
}
