import type { ComponentChildren } from 'preact';
import { t } from '../i18n';
import { Icon, type IconName } from './Icon';

interface SectionProps {
  titleId: string;
  icon?: IconName;
  class?: string;
  children: ComponentChildren;
}

/** A part of a page under its own `<h2>`, with an optional pictogram. */
export function Section({ titleId, icon, class: className, children }: SectionProps) {
  return (
    <section class={className ? `section ${className}` : 'section'}>
      <h2 class={icon ? 'with-icon' : undefined}>
        {icon && <Icon name={icon} />}
        <span>{t(titleId)}</span>
      </h2>
      {children}
    </section>
  );
}

/** Paragraphs, one message each: FALC puts one idea per line. */
export function Lines({ ids }: { ids: readonly string[] }) {
  return (
    <>
      {ids.map((id) => (
        <p key={id}>{t(id)}</p>
      ))}
    </>
  );
}
