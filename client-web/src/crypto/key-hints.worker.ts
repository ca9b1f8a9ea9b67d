// Key hints off the main thread (key-hints.ts): the one multiplication of each key's check,
// made here for the page to check in a few field operations (verifier-hardening.md section 10).
// Created by key-hint-workers.ts when a verifier has many keys to check, never by the first screen.
import { handleKeyHintRequest, KEY_HINT_WORKER_READY, type KeyHintRequest } from './key-hints';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<KeyHintRequest>) => void) | null;
  postMessage(m: unknown): void;
};
scope.onmessage = (e) => handleKeyHintRequest(e.data, (r) => scope.postMessage(r));
scope.postMessage(KEY_HINT_WORKER_READY);
