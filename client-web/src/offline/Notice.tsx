// « Pas de réseau » on the screens that still work without one (docs/design/papers-offline.md).
import { t } from '../i18n';
import { Icon } from '../ui/Icon';
import { offline } from './network';

export function OfflineNotice({
  id = 'offline-notice',
  lines = ['offline-notice'],
  tone = 'note note-warning',
}: {
  id?: string;
  lines?: string[];
  /** Its classes (the full-screen viewer has its own, light on dark). */
  tone?: string;
}) {
  if (!offline.value) return null;
  return (
    <div class={tone} role="status" id={id}>
      {lines.map((line, i) => (
        <p key={line} class={i === 0 ? 'with-icon' : undefined}>
          {i === 0 && <Icon name="alert" />}
          <span>{t(line)}</span>
        </p>
      ))}
    </div>
  );
}
