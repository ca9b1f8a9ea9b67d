// Whether the network is there, as far as this tab can tell: the browser's `navigator.onLine`
// and its `online` / `offline` events, and any call that failed for want of a network.
import { signal } from '@preact/signals';
import { ApiError } from '../api';

export const offline = signal(typeof navigator !== 'undefined' && navigator.onLine === false);

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    offline.value = false;
  });
  window.addEventListener('offline', () => {
    offline.value = true;
  });
}

/** A call that never reached the host (the API client's `network`). */
export const isNetworkError = (e: unknown): boolean => e instanceof ApiError && e.status === 0 && e.code === 'network';

/** Notes what a call's outcome says of the network. */
export function noteNetwork(e?: unknown): void {
  if (e === undefined) offline.value = false;
  else if (isNetworkError(e)) offline.value = true;
}
