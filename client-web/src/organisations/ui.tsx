// The page parts of the organisation screens, reading their ids through ./strings.
import './organisations.css';
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';
import { CoffreCryptoError } from '../crypto/errors';
import { problemText } from '../pages/messages';
import { Icon, type IconName } from '../ui/Icon';
import { Page as AppPage } from '../ui/Page';
import { OrganisationError } from './manage';
import { t } from './strings';

export function Page({ titleId, children }: { titleId: string; children: ComponentChildren }) {
  return (
    <AppPage titleId={titleId} translate={t}>
      {children}
    </AppPage>
  );
}

export function Section({ title, icon, children }: { title: string; icon?: IconName; children: ComponentChildren }) {
  return (
    <section class="section">
      <h2 class={icon ? 'with-icon' : undefined}>
        {icon && <Icon name={icon} />}
        <span>{title}</span>
      </h2>
      {children}
    </section>
  );
}

export function Working({ messageId }: { messageId: string }) {
  return (
    <p class="working with-icon" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{t(messageId)}</span>
    </p>
  );
}

/** An error in plain words: this client's refusals, a check that failed, or the server's answer. */
export function orgProblem(e: unknown): string {
  if (e instanceof OrganisationError) return t(`org-problem-${e.code}`);
  if (e instanceof CoffreCryptoError) return t('mandate-problem-verify', { code: e.code });
  if (e instanceof ApiError && e.status === 400 && /professional/.test(e.message))
    return t('org-problem-not_professional');
  return problemText(e);
}
