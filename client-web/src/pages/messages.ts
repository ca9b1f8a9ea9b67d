import { ApiError } from '../api';
import { t } from '../i18n';

/** Minutes to wait, rounded up, at least one. */
export const minutesOf = (seconds: number | undefined) => Math.max(1, Math.ceil((seconds ?? 60) / 60));

/** The plain-words message for a failed call that no page handles itself. */
export function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error-network');
    if (error.status === 429) return t('error-too-many', { minutes: minutesOf(error.retryAfter) });
    if (error.status === 401) return t('error-signed-out');
  }
  return t('error-server');
}
