// Key hints (verifier-hardening.md section 10): a hint proves its key acceptable or is
// ignored, whoever made it; the verifier's verdicts with the worker pool are the same as
// without it (the organisation vectors, a bad key in the middle of 200 members), and every
// way a worker can fail leaves the keys to this thread.
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  b64decode,
  b64encode,
  CoffreCryptoError,
  type Member,
  SigningKey,
  verifyOrgChain,
  verifyOrgChainPreverified,
} from '../../src/crypto';
import {
  acceptKeyHints,
  clearKeyCache,
  fullKeyChecks,
  isAcceptableKey,
  type KeyHint,
  keyHint,
} from '../../src/crypto/ed25519';
import {
  configureKeyHintWorkers,
  type KeyHintWorker,
  resetKeyHintWorkers,
  type SetTimer,
  startKeyHints,
  worthKeyHintWorkers,
} from '../../src/crypto/key-hint-workers';
import { handleKeyHintRequest, type KeyHintRequest, type KeyHintResponse } from '../../src/crypto/key-hints';
import { A, mixedKey, T } from './ed25519-cases';
import { chainOf, ORG_CTX, ROOT } from './org-chain-fixture';

const Point = ed25519.Point;
const key = (n: number) => new SigningKey(new Uint8Array(32).fill(n));
const affine = (p: InstanceType<typeof Point>) => p.toAffine();
const INV8 = Point.Fn.inv(8n);

afterEach(() => {
  resetKeyHintWorkers();
  clearKeyCache();
  vi.restoreAllMocks();
});

describe('keyHint and acceptKeyHints', () => {
  it('a hint proves its key: the key is then accepted without noble’s multiplication', () => {
    const keys = Array.from({ length: 5 }, (_, i) => key(40 + i).publicKey);
    const hints = keys.map((k) => keyHint(k)) as KeyHint[];
    expect(hints.every((h) => h !== undefined)).toBe(true);
    clearKeyCache();
    const before = fullKeyChecks();
    expect(acceptKeyHints(hints)).toBe(5);
    for (const k of keys) expect(isAcceptableKey(k)).toBe(true);
    expect(fullKeyChecks()).toBe(before);
    // Without hints, each key costs its check.
    clearKeyCache();
    for (const k of keys) expect(isAcceptableKey(k)).toBe(true);
    expect(fullKeyChecks()).toBe(before + 5);
  });

  it('no hint for a key outside the acceptance set', () => {
    const identity = Point.ZERO.toBytes();
    const nonCanonical = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xee : i === 31 ? 0x7f : 0xff));
    const offCurve = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 2 : 0));
    for (const bytes of [mixedKey, T.toBytes(), identity, nonCanonical, offCurve, new Uint8Array(31)]) {
      expect(keyHint(bytes)).toBeUndefined();
      expect(isAcceptableKey(bytes)).toBe(false);
    }
  });

  it('a forged hint proves nothing: the key keeps its verdict', () => {
    const clean = A; // the mixed key is A + T
    const mixed = Point.fromBytes(mixedKey);
    const good = keyHint(A.toBytes()) as KeyHint;
    const identity = Point.ZERO.toBytes();
    // A canonical encoding of A's y with x's sign bit set the other way round is -A: another key.
    const forged: KeyHint[] = [
      // the mixed key, with the clean part's eighth as q: [8]q is A, not A + T
      { key: mixedKey, p: affine(mixed), q: affine(clean.multiplyUnsafe(INV8)) },
      // the mixed key, named with the clean point's coordinates
      { key: mixedKey, p: affine(clean), q: affine(clean.multiplyUnsafe(INV8)) },
      // the identity, from a point of order 8
      { key: identity, p: { x: 0n, y: 1n }, q: affine(T) },
      // a good key's hint under other bytes
      { ...good, key: mixedKey },
      { ...good, key: (keyHint(key(9).publicKey) as KeyHint).key },
      // q off the curve, p its "eighth"
      { key: A.toBytes(), p: good.p, q: { x: good.q.x, y: good.q.y + 1n } },
      // coordinates out of range, not numbers, missing
      { key: A.toBytes(), p: good.p, q: { x: -good.q.x, y: good.q.y } },
      { key: A.toBytes(), p: good.p, q: { x: good.q.x + (1n << 256n), y: good.q.y } },
      { key: mixedKey, p: { x: good.p.x + Point.Fp.ORDER, y: good.p.y }, q: good.q },
      { key: A.toBytes(), p: { x: 1, y: 2 } as never, q: good.q },
      { key: A.toBytes(), p: good.p } as never,
      null as never,
      // p and q swapped
      { key: A.toBytes(), p: good.q, q: good.p },
    ];
    for (const h of forged)
      expect(
        acceptKeyHints([h]),
        JSON.stringify(h, (_, v) => String(v)),
      ).toBe(0);
    expect(isAcceptableKey(mixedKey)).toBe(false);
    expect(isAcceptableKey(identity)).toBe(false);
    expect(acceptKeyHints('no' as never)).toBe(0);
    // Coordinates not reduced mod P name the same points: they prove A, and only A.
    const unreduced = { key: A.toBytes(), p: good.p, q: { x: good.q.x + Point.Fp.ORDER, y: good.q.y } };
    expect(acceptKeyHints([unreduced])).toBe(1);
    expect(isAcceptableKey(A.toBytes())).toBe(true);
  });
});

/** "ok:<members>" or the error code. */
async function verdict(f: () => unknown): Promise<string> {
  try {
    const s = (await f()) as { members: Map<string, Member> };
    return `ok:${s.members.size}`;
  } catch (e) {
    if (e instanceof CoffreCryptoError) return e.code;
    throw e;
  }
}

/** What a fake worker answers to a request: the real handler's answers, by default. */
type Answer = (req: KeyHintRequest, post: (r: unknown) => void) => void;
const honest: Answer = (req, post) => handleKeyHintRequest(req, post);

/**
 * A worker that says it loaded, then answers each request on a copy of it, as postMessage
 * would (`load: false`: it never loads; 'error': it fails to).
 */
class FakeWorker extends EventTarget implements KeyHintWorker {
  requests = 0;
  terminated = false;
  constructor(
    private answer: Answer = honest,
    load: boolean | 'error' = true,
  ) {
    super();
    if (load === true) queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { ready: true } })));
    if (load === 'error') queueMicrotask(() => this.dispatchEvent(new Event('error')));
  }
  postMessage(m: KeyHintRequest): void {
    this.requests++;
    const req = structuredClone(m);
    queueMicrotask(() =>
      this.answer(req, (r) => this.dispatchEvent(new MessageEvent('message', { data: structuredClone(r) }))),
    );
  }
  terminate(): void {
    this.terminated = true;
  }
}

/** A timer that fires only when the test says so. */
function manualTimer() {
  const timers: { f: () => void; ms: number; cancelled: boolean }[] = [];
  const setTimer: SetTimer = (f, ms) => {
    const t = { f, ms, cancelled: false };
    timers.push(t);
    return () => {
      t.cancelled = true;
    };
  };
  return { timers, setTimer };
}

const chain = chainOf(200);
const bad = chainOf(200, 100);
const memberKeys = (entries: Uint8Array[]) =>
  entries.map((e) =>
    b64decode(JSON.parse(new TextDecoder().decode(b64decode(JSON.parse(new TextDecoder().decode(e)).body))).member.key),
  );

describe('the key-hint worker protocol', () => {
  it('hints every acceptable key, in answers of 16, the last one done', () => {
    const keys = memberKeys(bad.slice(90, 125)); // 35 keys, the bad one among them
    const answers: KeyHintResponse[] = [];
    handleKeyHintRequest({ id: 7, keys: [...keys, 'x' as never] }, (r) => answers.push(r));
    expect(answers.map((a) => [a.id, a.hints.length, a.done])).toEqual([
      [7, 15, false],
      [7, 16, false],
      [7, 3, true],
    ]);
    const hinted = answers.flatMap((a) => a.hints.map((h) => b64encode(h.key)));
    expect(hinted).toEqual(keys.map((k) => b64encode(k)).filter((k) => k !== b64encode(mixedKey)));
    const none: KeyHintResponse[] = [];
    handleKeyHintRequest({ id: 8, keys: [] }, (r) => none.push(r));
    expect(none).toEqual([{ id: 8, hints: [], done: true }]);
  });
});

describe('key hints for a chain, off the main thread', () => {
  it('the same verdicts with the pool as without: 200 members, and a bad key at seq 100', async () => {
    for (const [entries, want] of [
      [chain, 'ok:200'],
      [bad, 'bad_key'],
    ] as const) {
      clearKeyCache();
      expect(await verdict(() => verifyOrgChain(entries, ROOT, null, ORG_CTX))).toBe(want);
      configureKeyHintWorkers({ factory: null });
      clearKeyCache();
      const before = fullKeyChecks();
      expect(await verdict(() => verifyOrgChainPreverified(entries, ROOT, null, ORG_CTX))).toBe(want);
      // Without workers every key is checked here: the root and the members (a bad one twice:
      // when the bodies are parsed, and again when the verifier refuses its entry).
      expect(fullKeyChecks() - before).toBe(want === 'bad_key' ? 202 : 201);
      for (const size of [1, 3]) {
        const made: FakeWorker[] = [];
        configureKeyHintWorkers({ factory: () => made[made.push(new FakeWorker()) - 1] as FakeWorker, size });
        clearKeyCache();
        const before = fullKeyChecks();
        expect(await verdict(() => verifyOrgChainPreverified(entries, ROOT, null, ORG_CTX))).toBe(want);
        expect(made.map((w) => w.requests)).toEqual(Array(size).fill(1));
        // The workers' hints replaced the members' checks: the four signers (the root and
        // three responsables, checked as the envelopes parse) are left, and the bad key (the
        // one the workers gave no hint for, checked here, then refused twice again).
        expect(fullKeyChecks() - before).toBe(want === 'bad_key' ? 7 : 4);
      }
    }
  });

  it('a worker that lies (hints of other keys, forged hints) changes no verdict', async () => {
    const good = keyHint(A.toBytes()) as KeyHint;
    const lies: Answer = (req, post) =>
      handleKeyHintRequest(req, (r) =>
        post({
          ...r,
          hints: [
            { key: mixedKey, p: good.p, q: good.q },
            { key: mixedKey, p: affine(Point.fromBytes(mixedKey)), q: affine(A.multiplyUnsafe(INV8)) },
            ...r.hints.map((h) => ({ ...h, q: h.p })),
          ],
        }),
      );
    configureKeyHintWorkers({ factory: () => new FakeWorker(lies), size: 1 });
    expect(await verdict(() => verifyOrgChainPreverified(bad, ROOT, null, ORG_CTX))).toBe('bad_key');
    clearKeyCache();
    const before = fullKeyChecks();
    expect(await verdict(() => verifyOrgChainPreverified(chain, ROOT, null, ORG_CTX))).toBe('ok:200');
    expect(fullKeyChecks() - before).toBe(201); // no forged hint was taken
  });

  it('a worker that stops halfway, or never answers: this thread checks what is left', async () => {
    // Answers its first 32 keys, then nothing.
    const half: Answer = (req, post) =>
      handleKeyHintRequest({ ...req, keys: req.keys.slice(0, 32) }, (r) => post({ ...r, done: false }));
    configureKeyHintWorkers({ factory: () => new FakeWorker(half), size: 1 });
    clearKeyCache();
    let before = fullKeyChecks();
    expect(await verdict(() => verifyOrgChainPreverified(chain, ROOT, null, ORG_CTX))).toBe('ok:200');
    expect(fullKeyChecks() - before).toBe(201 - 32);
    const silent = new FakeWorker(() => {});
    configureKeyHintWorkers({ factory: () => silent, size: 1 });
    clearKeyCache();
    before = fullKeyChecks();
    expect(await verdict(() => verifyOrgChainPreverified(bad, ROOT, null, ORG_CTX))).toBe('bad_key');
    expect(silent.requests).toBe(1);
    // As without workers, and the bad key once more: this thread took it from the silent worker.
    expect(fullKeyChecks() - before).toBe(203);
  });

  it('no workers, a factory that throws, a worker that fails or takes too long to load', async () => {
    const keys = memberKeys(chain.slice(0, 40));
    const all = async (k: readonly Uint8Array[]) => {
      clearKeyCache();
      const before = fullKeyChecks();
      const s = startKeyHints(k);
      await s.sent;
      await s.finish();
      expect(k.every((x) => isAcceptableKey(x))).toBe(true);
      return fullKeyChecks() - before; // the keys this thread checked itself
    };
    // No Worker in Node: the page's default factory throws, and the pool stops trying.
    resetKeyHintWorkers();
    expect(worthKeyHintWorkers(40)).toBe(true);
    expect(await all(keys)).toBe(40);
    expect(worthKeyHintWorkers(40)).toBe(false);
    expect(await verdict(() => verifyOrgChainPreverified(bad, ROOT, null, ORG_CTX))).toBe('bad_key');

    let made = 0;
    configureKeyHintWorkers({
      factory: () => {
        made++;
        throw new Error('no workers');
      },
    });
    expect(await all(keys)).toBe(40);
    expect(await all(keys)).toBe(40);
    expect(made).toBe(1);

    // A worker that fails to load is dropped, and made again at the next call.
    const failing: FakeWorker[] = [];
    configureKeyHintWorkers({ factory: () => failing[failing.push(new FakeWorker(honest, 'error')) - 1]!, size: 1 });
    expect(await all(keys)).toBe(40);
    expect(await all(keys)).toBe(40);
    expect(failing.length).toBe(2);
    expect(failing.every((w) => w.terminated && w.requests === 0)).toBe(true);

    // A worker that does not load in time: the timer (injected) ends the wait.
    const { timers, setTimer } = manualTimer();
    const late = new FakeWorker(honest, false);
    configureKeyHintWorkers({ factory: () => late, size: 1, setTimer, loadTimeoutMs: 1234 });
    clearKeyCache();
    const s = startKeyHints(keys);
    let sent = false;
    void s.sent.then(() => (sent = true));
    await vi.waitFor(() => expect(timers.length).toBe(1));
    await Promise.resolve();
    expect(sent).toBe(false);
    expect(timers[0]?.ms).toBe(1234);
    timers[0]?.f();
    await s.sent;
    await s.finish();
    expect(late.terminated).toBe(true);
    expect(late.requests).toBe(0);
    expect(keys.every((x) => isAcceptableKey(x))).toBe(true);
  });

  it('answers of another request, or not hints, are not taken for this one', async () => {
    const keys = memberKeys(chain.slice(0, 40));
    const wrongId: Answer = (req, post) => handleKeyHintRequest(req, (r) => post({ ...r, id: req.id + 1 }));
    configureKeyHintWorkers({ factory: () => new FakeWorker(wrongId), size: 1 });
    clearKeyCache();
    let before = fullKeyChecks();
    let s = startKeyHints(keys);
    await s.sent;
    // It never sends its last answer for this request: this thread checks every key.
    await s.finish();
    expect(fullKeyChecks() - before).toBe(40);
    configureKeyHintWorkers({
      factory: () => new FakeWorker((req, post) => post({ id: req.id, hints: 'x', done: true })),
    });
    clearKeyCache();
    before = fullKeyChecks();
    s = startKeyHints(keys);
    await s.sent;
    await s.finish();
    expect(fullKeyChecks() - before).toBe(40);
    configureKeyHintWorkers({ factory: () => new FakeWorker(), size: 2 });
    clearKeyCache();
    before = fullKeyChecks();
    s = startKeyHints(keys);
    await s.sent;
    await s.finish();
    expect(fullKeyChecks() - before).toBe(0);
  });
});

describe('the organisation vectors, with the pool', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the vector file is untyped JSON read by shape
  const v: any = JSON.parse(
    readFileSync(new URL('../../../crypto/vectors/organisation.json', import.meta.url), 'utf8'),
  );
  const enc = (s: string) => new TextEncoder().encode(s);
  const first = JSON.parse(
    new TextDecoder().decode(b64decode(JSON.parse(v.pool[Object.keys(v.pool)[0] as string]).body)),
  );
  const ctx = { instance: first.instance, organisation: first.organisation };
  // biome-ignore lint/suspicious/noExplicitAny: as above
  it.each(v.cases.map((c: any) => [c.name, c]) as [string, any][])('%s', async (_n, c) => {
    const chain = c.chain.map((n: string) => enc(v.pool[n]));
    const cp = c.checkpoint ?? null;
    clearKeyCache();
    const alone = await verdict(() => verifyOrgChain(chain, v.root, cp, ctx));
    expect(alone.startsWith('ok') ? 'ok' : alone).toBe(c.expect === 'ok' ? 'ok' : alone);
    configureKeyHintWorkers({ factory: () => new FakeWorker(), size: 2, minKeys: 1 });
    clearKeyCache();
    const before = fullKeyChecks();
    expect(await verdict(() => verifyOrgChainPreverified(chain, v.root, cp, ctx))).toBe(alone);
    // The members' keys came from the workers: at most the signers' were checked here.
    expect(fullKeyChecks() - before).toBeLessThan(
      new Set(
        chain.flatMap((e: Uint8Array) =>
          JSON.parse(new TextDecoder().decode(e)).sigs.map((x: { key: string }) => x.key),
        ),
      ).size + 1,
    );
  });
});
