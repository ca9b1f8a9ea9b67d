// The types of paper a person files, the category each one usually goes in, and its usual
// validity — what pre-fills the expiry date as a suggestion (docs/design/papers-screens.md
// lists the values and why). The ids are the metadata's `doc_type`: stable, never shown.

export interface DocType {
  id: string;
  /** The icon slug of the category it usually goes in (coffre/categories.ts). */
  category: string;
  /** Usual validity from the day it was issued; none: it has no end date. */
  valid?: { years?: number; months?: number };
}

export const DOC_TYPES: readonly DocType[] = [
  { id: 'cni', category: 'identity', valid: { years: 10 } },
  { id: 'passeport', category: 'identity', valid: { years: 10 } },
  { id: 'titre_sejour', category: 'residence', valid: { years: 1 } },
  { id: 'recepisse', category: 'residence', valid: { months: 6 } },
  { id: 'domiciliation', category: 'housing', valid: { years: 1 } },
  { id: 'carte_vitale', category: 'health' },
  { id: 'css_ame', category: 'health', valid: { years: 1 } },
  { id: 'attestation_caf', category: 'income', valid: { months: 3 } },
  { id: 'avis_imposition', category: 'tax-bank', valid: { years: 1 } },
  { id: 'rib', category: 'tax-bank' },
  { id: 'autre', category: 'other' },
];

export const docType = (id: string): DocType | undefined => DOC_TYPES.find((d) => d.id === id);

/** `YYYY-MM-DD` of a local calendar date. */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A `YYYY-MM-DD` as a local date (noon, so that a change of hour never moves the day). */
export function parseIsoDate(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12);
  return isoDate(date) === value ? date : undefined;
}

/**
 * The suggested expiry of a paper of type `id` issued on `issued` (`YYYY-MM-DD`, or today
 * when empty): the usual validity after it, the day before (a one-year titre issued on
 * 3 March 2026 ends on 2 March 2027). Undefined for a type with no end date.
 */
export function suggestedExpiry(id: string, issued: string | undefined, today: Date): string | undefined {
  const valid = docType(id)?.valid;
  if (!valid) return undefined;
  const from = (issued && parseIsoDate(issued)) || new Date(today.getFullYear(), today.getMonth(), today.getDate(), 12);
  const day = from.getDate();
  const end = new Date(from.getFullYear() + (valid.years ?? 0), from.getMonth() + (valid.months ?? 0), 1, 12);
  // The same day of the month, or the month's last day (31 August + 6 months: 28 February).
  const last = new Date(end.getFullYear(), end.getMonth() + 1, 0, 12).getDate();
  end.setDate(Math.min(day, last));
  end.setDate(end.getDate() - 1);
  return isoDate(end);
}

/** Days from `today` to the expiry (negative once past; 0 on the last day). */
export function daysLeft(expires: string, today: Date): number | undefined {
  const end = parseIsoDate(expires);
  if (!end) return undefined;
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate(), 12);
  return Math.round((end.getTime() - start.getTime()) / 86_400_000);
}

/** A paper is to renew when it expires within this many days (or has expired). */
export const SOON_DAYS = 30;

export type ExpiryState = 'expired' | 'soon' | 'valid' | 'none';

export function expiryState(expires: string | undefined, today: Date): ExpiryState {
  if (!expires) return 'none';
  const days = daysLeft(expires, today);
  if (days === undefined) return 'none';
  if (days < 0) return 'expired';
  return days <= SOON_DAYS ? 'soon' : 'valid';
}
