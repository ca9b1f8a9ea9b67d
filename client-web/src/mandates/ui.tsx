// The app's page parts (ui/Page, ui/Section, ui/Form's Working), reading their message ids
// through the mandate screens' own strings (./strings) as well as the app's.
import type { ComponentChildren } from 'preact';
import type { IconName } from '../ui/Icon';
import { Page as AppPage } from '../ui/Page';
import { Lines as AppLines, Section as AppSection } from '../ui/Section';
import { t } from './strings';

export function Page({ titleId, children }: { titleId: string; children: ComponentChildren }) {
  return (
    <AppPage titleId={titleId} translate={t}>
      {children}
    </AppPage>
  );
}

export function Section({
  titleId,
  icon,
  children,
}: {
  titleId: string;
  icon?: IconName;
  children: ComponentChildren;
}) {
  return (
    <AppSection titleId={titleId} icon={icon} translate={t}>
      {children}
    </AppSection>
  );
}

export function Lines({ ids }: { ids: readonly string[] }) {
  return <AppLines ids={ids} translate={t} />;
}

/** A progress message, read out by screen readers. */
export function Working({ messageId }: { messageId: string }) {
  return (
    <p class="working with-icon" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{t(messageId)}</span>
    </p>
  );
}
