// The message protocol of key-hints.worker.ts, kept free of worker globals so it runs in
// Node's tests too: keys in, their hints out (ed25519.ts, `keyHint`), a few at a time so the
// page can use the first ones while the worker makes the next. Nothing here decides a
// verdict: the hints are checked where they are used (`acceptKeyHints`), and a key without
// one is checked in full there.
import { type KeyHint, keyHint } from './ed25519';

export interface KeyHintRequest {
  id: number;
  /** Ed25519 public keys (32 bytes each). */
  keys: Uint8Array[];
}

/** Hints for some of the request's keys; `done` on the last answer. */
export interface KeyHintResponse {
  id: number;
  hints: KeyHint[];
  done: boolean;
}

/** What a worker posts once, when its module has loaded. */
export const KEY_HINT_WORKER_READY = { ready: true } as const;

/** Keys per answer: about 5 ms of work unthrottled on a cheap core. */
export const KEY_HINTS_PER_ANSWER = 16;

/** Makes the request's hints in order, posting them every `KEY_HINTS_PER_ANSWER` keys. */
export function handleKeyHintRequest(req: KeyHintRequest, post: (r: KeyHintResponse) => void): void {
  const keys = Array.isArray(req?.keys) ? req.keys : [];
  let hints: KeyHint[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const h = key instanceof Uint8Array ? keyHint(key) : undefined; // none outside the acceptance set
    if (h) hints.push(h);
    if ((i + 1) % KEY_HINTS_PER_ANSWER === 0 && i + 1 < keys.length) {
      post({ id: req.id, hints, done: false });
      hints = [];
    }
  }
  post({ id: req?.id, hints, done: true });
}
