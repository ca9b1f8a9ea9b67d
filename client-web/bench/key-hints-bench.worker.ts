// key-hints.worker.ts for bench/org-chain.mjs: the same handler, and on its last answer its
// own time (`ms`) and when it loaded, got the request and answered. With `slowdown` k > 1 in
// the request, it spins (k − 1) times as long as each answer took before posting it: a worker
// on a core k times slower, as CDP's throttling does not slow workers (bench/worker-throttle.mjs).
import { handleKeyHintRequest, KEY_HINT_WORKER_READY, type KeyHintRequest } from '../src/crypto/key-hints';

const abs = () => performance.timeOrigin + performance.now();
const loaded = abs();
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<KeyHintRequest & { slowdown?: number }>) => void) | null;
  postMessage(m: unknown): void;
};
scope.onmessage = (e) => {
  const received = abs();
  const slowdown = e.data.slowdown ?? 1;
  let ms = 0;
  let t0 = performance.now();
  handleKeyHintRequest(e.data, (r) => {
    const spent = performance.now() - t0;
    ms += spent;
    const until = performance.now() + spent * (slowdown - 1);
    while (performance.now() < until) {
      // a slower core
    }
    // Its own time and times on the last answer only.
    scope.postMessage(r.done ? { ...r, ms, at: { loaded, received, done: abs() } } : r);
    t0 = performance.now();
  });
};
scope.postMessage(KEY_HINT_WORKER_READY);
