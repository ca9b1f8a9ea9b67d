// A small pool of key-hint workers (key-hints.worker.ts), made when a verifier first has many
// keys to check and kept for the page's life. The page shares the work: once its own work is
// done it checks the keys the workers have not hinted yet, from the end of the list, while
// their hints arrive; so it never waits for a worker, and slow workers, or none, only leave
// it more to do. Nothing here can change a verdict: hints are checked where they are used
// (`acceptKeyHints`), and a key left without one is checked in full (verifier-hardening.md
// section 10).
import { acceptKeyHints, isAcceptableKey, type KeyHint, uncheckedKeys } from './ed25519';
import type { KEY_HINT_WORKER_READY, KeyHintRequest, KeyHintResponse } from './key-hints';

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

/** The page's worker: key-hints.worker.ts, as a module worker from the app's own origin. */
export const keyHintModuleWorker: KeyHintWorkerFactory = () =>
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

/** How long a worker has to load before the page stops waiting for it (and drops it). */
const LOAD_TIMEOUT_MS = 1_000;
/** Keys the page checks between two looks at the workers' answers. */
const KEYS_PER_TURN = 4;
/**
 * Below this many keys, the page checks them itself: a worker's loading costs about as much
 * as 30 to 50 key checks here at 4× (BENCHMARKS.md section 12).
 */
const MIN_KEYS = 32;

let factory: KeyHintWorkerFactory | null = keyHintModuleWorker;
let size = defaultSize();
let setTimer: SetTimer = realTimer;
let loadTimeoutMs = LOAD_TIMEOUT_MS;
let minKeys = MIN_KEYS;
const pool: (KeyHintWorker | undefined)[] = [];
/** Per worker: true once it said it loaded, false if it failed to or took too long. */
const loaded = new WeakMap<KeyHintWorker, Promise<boolean>>();
let nextId = 1;

/**
 * Replaces the pool's settings (benchmarks and tests): the worker factory (`null`: no worker,
 * every key checked on this thread), the number of workers, the timer, the time a worker has
 * to load and the fewest keys worth the workers. Terminates the workers made so far.
 */
export function configureKeyHintWorkers(
  o: {
    factory?: KeyHintWorkerFactory | null;
    size?: number;
    setTimer?: SetTimer;
    loadTimeoutMs?: number;
    minKeys?: number;
  } = {},
): void {
  for (const w of pool.splice(0)) w?.terminate();
  if (o.factory !== undefined) factory = o.factory;
  if (o.size !== undefined) size = Math.max(1, Math.floor(o.size));
  if (o.setTimer !== undefined) setTimer = o.setTimer;
  if (o.loadTimeoutMs !== undefined) loadTimeoutMs = o.loadTimeoutMs;
  if (o.minKeys !== undefined) minKeys = o.minKeys;
}

/** The settings a page starts with: module workers, one per spare core. */
export function resetKeyHintWorkers(): void {
  configureKeyHintWorkers({
    factory: keyHintModuleWorker,
    size: defaultSize(),
    setTimer: realTimer,
    loadTimeoutMs: LOAD_TIMEOUT_MS,
    minKeys: MIN_KEYS,
  });
}

/** How many workers the next call uses (0 when there are none). */
export function keyHintWorkerCount(): number {
  return factory ? size : 0;
}

/** True when `keys` keys to check are worth the workers (there are some, and enough keys). */
export function worthKeyHintWorkers(keys: number): boolean {
  return factory !== null && keys >= minKeys;
}

/** Drops a worker that failed: the next call makes a new one. */
function drop(i: number, w: KeyHintWorker): void {
  w.terminate();
  if (pool[i] === w) pool[i] = undefined;
}

function workerAt(i: number): KeyHintWorker | undefined {
  const have = pool[i];
  if (have || !factory) return have;
  let w: KeyHintWorker;
  try {
    w = factory();
  } catch {
    factory = null; // no module workers here: do not try again
    return undefined;
  }
  pool[i] = w;
  loaded.set(
    w,
    new Promise<boolean>((resolve) => {
      let cancel = () => {};
      const done = (ok: boolean) => {
        cancel();
        w.removeEventListener('message', onMessage);
        w.removeEventListener('error', onError);
        if (!ok) drop(i, w);
        resolve(ok);
      };
      const onMessage = (e: Event) => {
        if ((e as MessageEvent<typeof KEY_HINT_WORKER_READY>).data?.ready === true) done(true);
      };
      const onError = () => done(false);
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      cancel = setTimer(() => done(false), loadTimeoutMs);
    }),
  );
  return w;
}

/**
 * Makes the pool's workers now, so that their modules load while this thread does other work
 * (a page about to fetch an organisation's chain can call it before the fetch).
 */
export function prepareKeyHintWorkers(): void {
  for (let i = 0; i < (factory ? size : 0); i++) workerAt(i);
}

/** Resolves once the workers made so far have loaded or given up (benchmarks). */
export async function keyHintWorkersLoaded(): Promise<void> {
  await Promise.all(pool.map((w) => (w ? loaded.get(w) : undefined)));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i] as number];
  return s;
};

/** One turn of this thread's event loop: the workers' answers that came are delivered. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Key hints under way (`startKeyHints`). */
export interface KeyHintsUnderWay {
  /**
   * Resolves once every worker has loaded (or given up) and has its keys. A module worker's
   * loading, and a message to it, each need this thread free for a moment: await this before
   * long synchronous work, or the workers wait for its end.
   */
  sent: Promise<void>;
  /**
   * Takes the hints that came and checks the keys still without one here, a few at a time,
   * from the end of the list, looking at the workers' answers in between; resolves when
   * every key has a proved hint or has been checked here. Never rejects.
   */
  finish(): Promise<void>;
}

/** Asks the pool's workers for the keys' hints, each worker every `size`-th key. */
export function startKeyHints(keys: readonly Uint8Array[]): KeyHintsUnderWay {
  const n = factory ? Math.min(size, keys.length) : 0;
  const id = nextId++;
  const arrived: KeyHint[] = [];
  let working = 0; // workers that have the request and have not sent their last answer
  const stops: (() => void)[] = [];
  const posts: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const w = workerAt(i);
    if (!w) break; // a share without a worker is checked on this thread
    const share = keys.filter((_, k) => k % n === i);
    posts.push(
      (async () => {
        if (!(await loaded.get(w)) || pool[i] !== w) return;
        const onMessage = (e: Event) => {
          const r = (e as MessageEvent<KeyHintResponse>).data;
          if (r?.id !== id) return;
          if (Array.isArray(r.hints)) for (const h of r.hints) arrived.push(h);
          if (r.done === true) stop();
        };
        const onError = () => {
          stop();
          drop(i, w);
        };
        let stopped = false;
        const stop = () => {
          if (stopped) return;
          stopped = true;
          working--;
          w.removeEventListener('message', onMessage);
          w.removeEventListener('error', onError);
          w.removeEventListener('messageerror', onError);
        };
        w.addEventListener('message', onMessage);
        w.addEventListener('error', onError);
        w.addEventListener('messageerror', onError);
        working++;
        stops.push(stop);
        try {
          w.postMessage({ id, keys: share });
        } catch {
          onError();
        }
      })(),
    );
  }
  // The message leaves on this thread's next task: give it one.
  const sent = posts.length ? Promise.all(posts).then(nextTurn) : Promise.resolve();

  async function finish(): Promise<void> {
    await sent;
    // The keys without a proved hint yet, by value; this thread takes them from the end.
    const open = new Map(uncheckedKeys(keys).map((k) => [hex(k), k]));
    const order = [...open.keys()];
    const take = () => {
      for (const h of arrived.splice(0)) if (acceptKeyHints([h]) === 1) open.delete(hex(h.key));
    };
    for (;;) {
      take();
      if (open.size === 0) break;
      // With no worker left at work, this thread checks all that is left at once.
      const turn = working === 0 ? open.size : KEYS_PER_TURN;
      for (let done = 0; done < turn && order.length > 0; ) {
        const id = order.pop() as string;
        const k = open.get(id);
        if (!k) continue;
        isAcceptableKey(k); // remembered if acceptable; a bad key is refused again where it is used
        open.delete(id);
        done++;
      }
      if (open.size === 0) break;
      await nextTurn();
    }
    take();
    for (const stop of stops) stop(); // later answers of this request are not needed
  }
  return { sent, finish };
}
