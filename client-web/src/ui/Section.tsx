import type { ComponentChildren } from 'preact';
import { t } from '../i18n';
import { Icon, type IconName } from './Icon';

/** Reads a message id: the app's strings unless a lazy screen passes its own (i18n/screen-strings.ts). */
export type Translate = (id: string) => string;

interface SectionProps {
  titleId: string;
  translate?: Translate;
  icon?: IconName;
  class?: string;
  children: ComponentChildren;
}

/** A part of a page under its own `<h2>`, with an optional pictogram. */
export function Section({ titleId, translate = t, icon, class: className, children }: SectionProps) {
  return (
    <section class={className ? `section ${className}` : 'section'}>
      <h2 class={icon ? 'with-icon' : undefined}>
        {icon && <Icon name={icon} />}
        <span>{translate(titleId)}</span>
      </h2>
      {children}
    </section>
  );
}

/** Paragraphs, one message each: FALC puts one idea per line. */
export function Lines({ ids, translate = t }: { ids: readonly string[]; translate?: Translate }) {
  return (
    <>
      {ids.map((id) => (
        <p key={id}>{translate(id)}</p>
      ))}
    </>
  );
}
