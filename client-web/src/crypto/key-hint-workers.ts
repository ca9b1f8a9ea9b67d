// A small pool of key-hint workers (key-hints.worker.ts), made on first use and kept for the
// page's life. `keyHintsOffThread` never rejects: a browser without module workers, a worker
// that fails to load, errs or does not answer in time gives no hints, and the verifier then
// checks the keys on this thread, as it did before (verifier-hardening.md section 10).
import type { KeyHint } from './ed25519';
import type { KeyHintRequest, KeyHintResponse } from './key-hints';

/** What the pool needs of a worker (a `Worker`, or a fake one in tests). */
export interface KeyHintWorker {
  postMessage(m: KeyHintRequest): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', f: (e: Event) => void): void;
  removeEventListener(type: 'message' | 'error' | 'messageerror', f: (e: Event) => void): void;
  terminate(): void;
}

export type KeyHintWorkerFactory = () => KeyHintWorker;

/** Starts a timer; returns what cancels it. */
export type SetTimer = (f: () => void, ms: number) => () => void;

const moduleWorker: KeyHintWorkerFactory = () =>
  new Worker(new URL('./key-hints.worker.ts', import.meta.url), { type: 'module' }) as KeyHintWorker;

const realTimer: SetTimer = (f, ms) => {
  const t = setTimeout(f, ms);
  return () => clearTimeout(t);
};

/** One worker per spare core, up to 4; at least one. */
function defaultSize(): number {
  const cores = typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency;
  return Math.min(4, Math.max(1, (Number.isSafeInteger(cores) ? (cores as number) : 2) - 1));
}

let factory: KeyHintWorkerFactory | null = moduleWorker;
let size = defaultSize();
let setTimer: SetTimer = realTimer;
let timeoutMs = 10_000;
const pool: (KeyHintWorker | undefined)[] = [];
let nextId = 1;

/**
 * Replaces the pool's settings (benchmarks and tests): the worker factory (`null`: no worker,
 * every key checked on this thread), the number of workers, the timer and the time a worker
 * has to answer. Terminates the workers made so far.
 */
export function configureKeyHintWorkers(
  o: { factory?: KeyHintWorkerFactory | null; size?: number; setTimer?: SetTimer; timeoutMs?: number } = {},
): void {
  for (const w of pool.splice(0)) w?.terminate();
  if (o.factory !== undefined) factory = o.factory;
  if (o.size !== undefined) size = Math.max(1, Math.floor(o.size));
  if (o.setTimer !== undefined) setTimer = o.setTimer;
  if (o.timeoutMs !== undefined) timeoutMs = o.timeoutMs;
}

/** The settings a page starts with: module workers, one per spare core. */
export function resetKeyHintWorkers(): void {
  configureKeyHintWorkers({ factory: moduleWorker, size: defaultSize(), setTimer: realTimer, timeoutMs: 10_000 });
}

/** How many workers the next call uses (0 when there are none). */
export function keyHintWorkerCount(): number {
  return factory ? size : 0;
}

/**
 * Starts the workers ahead of a verification (a page about to fetch a chain): a worker's
 * module loads while this thread waits for the network, not while it verifies.
 */
export function prepareKeyHintWorkers(): void {
  for (let i = 0; i < (factory ? size : 0); i++) workerAt(i);
}

function workerAt(i: number): KeyHintWorker | undefined {
  const have = pool[i];
  if (have || !factory) return have;
  try {
    pool[i] = factory();
  } catch {
    factory = null; // no module workers here: do not try again
  }
  return pool[i];
}

function ask(i: number, w: KeyHintWorker, req: KeyHintRequest): Promise<KeyHint[]> {
  return new Promise((resolve) => {
    let cancel = () => {};
    const done = (hints: KeyHint[], broken: boolean) => {
      cancel();
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      w.removeEventListener('messageerror', onError);
      if (broken) {
        w.terminate();
        if (pool[i] === w) pool[i] = undefined; // the next call makes a new one
      }
      resolve(hints);
    };
    const onMessage = (e: Event) => {
      const r = (e as MessageEvent<KeyHintResponse>).data;
      if (r?.id !== req.id) return;
      done(Array.isArray(r.hints) ? r.hints : [], false);
    };
    const onError = () => done([], true);
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    w.addEventListener('messageerror', onError);
    cancel = setTimer(() => done([], true), timeoutMs);
    try {
      w.postMessage(req);
    } catch {
      done([], true);
    }
  });
}

/**
 * Hints for the keys at `fields` in the envelopes' bodies, made by the pool's workers (each
 * takes every `size`-th key). Resolves with the hints that arrived; never rejects. Call it
 * before this thread's own work on the same statements, and await it after.
 */
export async function keyHintsOffThread(
  envelopes: readonly Uint8Array[],
  fields: readonly (readonly string[])[],
): Promise<KeyHint[]> {
  const n = factory ? size : 0;
  const asked: Promise<KeyHint[]>[] = [];
  const id = nextId++;
  for (let i = 0; i < n; i++) {
    const w = workerAt(i);
    if (!w) break;
    asked.push(ask(i, w, { id, envelopes: [...envelopes], fields: fields.map((f) => [...f]), part: i, parts: n }));
  }
  // A worker missing from the pool leaves its share unhinted: checked on this thread.
  return (await Promise.all(asked)).flat();
}
