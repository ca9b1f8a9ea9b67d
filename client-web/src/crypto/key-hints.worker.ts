// Key hints off the main thread (key-hints.ts): the one multiplication of each key's check,
// made here for the page to check in a few field operations (verifier-hardening.md section 10).
// Created lazily by key-hint-workers.ts, never by the first screen.
import { handleKeyHintRequest, type KeyHintRequest } from './key-hints';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<KeyHintRequest>) => void) | null;
  postMessage(m: unknown): void;
};
scope.onmessage = (e) => {
  scope.postMessage(handleKeyHintRequest(e.data));
};
