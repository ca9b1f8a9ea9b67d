// What the mandate screens share: the closed-coffre screen, the five words, names of rights
// and states, the French category names the mandate text uses, errors in plain words.
import './mandates.css';
import { DEFAULT_CATEGORIES } from '../coffre/categories';
import { CoffreCryptoError } from '../crypto/errors';
import { dateFormat } from '../i18n';
import { problemText } from '../pages/messages';
import { categoryName } from '../pages/paper-common';
import type { PaperCategory } from '../paper-store';
import type { MandateState } from './api';
import { t } from './strings';
import type { Rights } from './text';

/** Five words, as the fingerprint screens show them (always in French, left to right). */
export function Words({ words, id }: { words: string; id?: string }) {
  return (
    <p id={id} class="fingerprint-words" lang="fr" dir="ltr" translate={false}>
      {words.split('-').join(' · ')}
    </p>
  );
}

export const rightsText = (r: Rights) => t(`mandate-rights-${r}`);
export const stateText = (s: MandateState) => t(`mandate-state-${s}`);

/** A category's French name, as the mandate text of record writes it. */
export function frenchCategoryName(c: Pick<PaperCategory, 'icon' | 'name'>): string {
  return DEFAULT_CATEGORIES.find((d) => d.icon === c.icon)?.name ?? c.name;
}

export { categoryName };

export function dateText(seconds: number): string {
  return dateFormat({ dateStyle: 'long', timeStyle: 'short' }).format(new Date(seconds * 1000));
}

/** An organisation whose members or key do not verify: someone changed them (the host, its admin). */
const ORGANISATION_CODES: ReadonlySet<string> = new Set([
  'not_a_responsable',
  'too_few_signatures',
  'root_mismatch',
  'bad_chain',
]);

/** A failure in plain words; a verification failure names its code for the helpers. */
export function mandateProblem(e: unknown): string {
  if (e instanceof CoffreCryptoError && ORGANISATION_CODES.has(e.code))
    return t('mandate-problem-organisation', { code: e.code });
  if (e instanceof CoffreCryptoError) return t('mandate-problem-verify', { code: e.code });
  return problemText(e);
}

export { nameKey, rememberName, savedName } from './names';
