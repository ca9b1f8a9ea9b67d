// The app's page parts (ui/Page, ui/Section, ui/Form's Working), reading their message ids
// through the mandate screens' own strings (./strings) as well as the app's.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { Icon, type IconName } from '../ui/Icon';
import { PAGE_TITLE_ID } from '../ui/Page';
import { t } from './strings';

export function Page({ titleId, children }: { titleId: string; children: ComponentChildren }) {
  const heading = t(titleId);
  const tabTitle = t('page-title', { page: heading });
  useEffect(() => {
    document.title = tabTitle;
  }, [tabTitle]);
  return (
    <>
      <h1 id={PAGE_TITLE_ID} tabIndex={-1}>
        {heading}
      </h1>
      {children}
    </>
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
    <section class="section">
      <h2 class={icon ? 'with-icon' : undefined}>
        {icon && <Icon name={icon} />}
        <span>{t(titleId)}</span>
      </h2>
      {children}
    </section>
  );
}

export function Lines({ ids }: { ids: readonly string[] }) {
  return (
    <>
      {ids.map((id) => (
        <p key={id}>{t(id)}</p>
      ))}
    </>
  );
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
