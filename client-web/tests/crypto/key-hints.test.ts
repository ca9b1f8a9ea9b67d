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
  generateIdentity,
  type Member,
  recipientOf,
  SigningKey,
  signOrgChainEntry,
  statementHash,
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
import { canonicalEncode } from '../../src/crypto/encoding';
import {
  configureKeyHintWorkers,
  type KeyHintWorker,
  keyHintsOffThread,
  resetKeyHintWorkers,
  type SetTimer,
} from '../../src/crypto/key-hint-workers';
import { bodyKeys, handleKeyHintRequest, type KeyHintRequest } from '../../src/crypto/key-hints';
import { signedMessage } from '../../src/crypto/statement';
import { A, mixedKey, T } from './ed25519-cases';
import { INSTANCE, T0 } from './fixtures';

const Point = ed25519.Point;
const ORG = '11111111-2222-4333-8444-555555555555';
const ORG_CTX = { instance: INSTANCE, organisation: ORG };
const key = (n: number) => new SigningKey(new Uint8Array(32).fill(n));
/** The n-th aidant's key (no byte pattern of `key`'s). */
const aidant = (n: number) =>
  new SigningKey(Uint8Array.from({ length: 32 }, (_, i) => (i < 2 ? (n >> (8 * i)) & 255 : 201)));
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

/** A chain founded by the root, three responsables, then aidants up to `n` members. */
function chainOf(n: number, badAt?: number): Uint8Array[] {
  const root = key(100);
  const [a, b, c] = [key(101), key(102), key(103)];
  const out: Uint8Array[] = [];
  const prev = () => b64encode(out.length ? statementHash(out[out.length - 1] as Uint8Array) : new Uint8Array(32));
  const member = (k: Uint8Array, role: Member['role']): Member => ({
    key: b64encode(k),
    recipient: recipientOf(generateIdentity()),
    role,
  });
  const entry = (m: Member) => ({
    instance: INSTANCE,
    organisation: ORG,
    seq: out.length,
    prev: prev(),
    action: out.length === 0 ? ('found' as const) : ('add_member' as const),
    member: m,
    created: T0 + out.length,
  });
  out.push(signOrgChainEntry(entry(member(a.publicKey, 'responsable')), root));
  out.push(signOrgChainEntry(entry(member(b.publicKey, 'responsable')), a));
  out.push(signOrgChainEntry(entry(member(c.publicKey, 'responsable')), a, b));
  while (out.length < n) {
    const signers = [out.length % 2 ? a : b, c];
    if (out.length !== badAt) {
      out.push(signOrgChainEntry(entry(member(aidant(out.length).publicKey, 'aidant')), ...signers));
      continue;
    }
    // signStatement refuses a body with a bad key: this one is signed by hand, as an attacker would.
    const body = { ...entry(member(mixedKey, 'aidant')), kind: 'org_chain', v: 1 };
    const bodyBytes = canonicalEncode(body);
    const sigs = signers
      .map((s) => ({ key: s.publicB64, sig: b64encode(s.sign(signedMessage(bodyBytes))) }))
      .sort((x, y) => (x.key < y.key ? -1 : 1));
    out.push(canonicalEncode({ body: b64encode(bodyBytes), sigs }));
  }
  return out;
}

const ROOT = key(100).publicB64;

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

/** A worker that runs the real handler on a copy of each request, as postMessage would. */
class FakeWorker extends EventTarget implements KeyHintWorker {
  requests = 0;
  terminated = false;
  constructor(private answer: (req: KeyHintRequest) => unknown = handleKeyHintRequest) {
    super();
  }
  postMessage(m: KeyHintRequest): void {
    this.requests++;
    const req = structuredClone(m);
    queueMicrotask(() => {
      const r = this.answer(req);
      if (r !== undefined) this.dispatchEvent(new MessageEvent('message', { data: structuredClone(r) }));
    });
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('key hints for a chain, off the main thread', () => {
  const chain = chainOf(200);
  const bad = chainOf(200, 100);

  it('the handler finds every member key once; the shares cover them, apart', () => {
    const keys = bodyKeys(chain, [['member', 'key']]);
    expect(keys.length).toBe(200);
    expect(new Set(keys).size).toBe(200);
    const shares = [0, 1, 2].map(
      (part) => handleKeyHintRequest({ id: 1, envelopes: chain, fields: [['member', 'key']], part, parts: 3 }).hints,
    );
    expect(shares.map((s) => s.length)).toEqual([67, 67, 66]);
    expect(new Set(shares.flat().map((h) => b64encode(h.key))).size).toBe(200);
    // The bad member gets no hint; garbage is skipped.
    const hinted = handleKeyHintRequest({
      id: 2,
      envelopes: [...bad, new Uint8Array([1, 2, 3]), new TextEncoder().encode('{"body":"!!"}')],
      fields: [['member', 'key']],
      part: 0,
      parts: 1,
    }).hints;
    expect(hinted.length).toBe(199);
    expect(hinted.some((h) => b64encode(h.key) === b64encode(mixedKey))).toBe(false);
  });

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
        // The workers' hints replaced the members' checks: the bad key (twice) and the four
        // signers (the root and three responsables, checked as the envelopes parse) are left.
        expect(fullKeyChecks() - before).toBe(want === 'bad_key' ? 6 : 4);
      }
    }
  });

  it('a worker that lies (hints of other keys, forged hints) changes no verdict', async () => {
    const good = keyHint(A.toBytes()) as KeyHint;
    const lies = (req: KeyHintRequest) => {
      const honest = handleKeyHintRequest(req).hints;
      return {
        id: req.id,
        hints: [
          { key: mixedKey, p: good.p, q: good.q },
          { key: mixedKey, p: affine(Point.fromBytes(mixedKey)), q: affine(A.multiplyUnsafe(INV8)) },
          ...honest.map((h) => ({ ...h, q: h.p })),
        ],
      };
    };
    configureKeyHintWorkers({ factory: () => new FakeWorker(lies), size: 1 });
    expect(await verdict(() => verifyOrgChainPreverified(bad, ROOT, null, ORG_CTX))).toBe('bad_key');
    expect(await verdict(() => verifyOrgChainPreverified(chain, ROOT, null, ORG_CTX))).toBe('ok:200');
  });

  it('no workers, a factory that throws, a worker that errs or never answers: the keys are checked here', async () => {
    const entries = chain.slice(0, 12);
    // No Worker in Node: the page's default factory throws, and the pool stops trying.
    resetKeyHintWorkers();
    expect(await keyHintsOffThread(entries, [['member', 'key']])).toEqual([]);
    expect(await verdict(() => verifyOrgChainPreverified(entries, ROOT, null, ORG_CTX))).toBe('ok:12');

    let made = 0;
    configureKeyHintWorkers({
      factory: () => {
        made++;
        throw new Error('no workers');
      },
    });
    expect(await keyHintsOffThread(entries, [['member', 'key']])).toEqual([]);
    expect(await keyHintsOffThread(entries, [['member', 'key']])).toEqual([]);
    expect(made).toBe(1);

    // A worker that errs is terminated and replaced at the next call.
    const workers: FakeWorker[] = [];
    const erring = () => {
      const w = new FakeWorker(() => undefined);
      w.postMessage = () => queueMicrotask(() => w.dispatchEvent(new Event('error')));
      workers.push(w);
      return w;
    };
    configureKeyHintWorkers({ factory: erring, size: 1 });
    expect(await keyHintsOffThread(entries, [['member', 'key']])).toEqual([]);
    expect(await verdict(() => verifyOrgChainPreverified(bad, ROOT, null, ORG_CTX))).toBe('bad_key');
    expect(workers.length).toBe(2);
    expect(workers.every((w) => w.terminated)).toBe(true);

    // A worker that never answers: the timer (injected) ends the wait.
    const timers: { f: () => void; ms: number }[] = [];
    const setTimer: SetTimer = (f, ms) => {
      timers.push({ f, ms });
      return () => {};
    };
    const silent = new FakeWorker(() => undefined);
    configureKeyHintWorkers({ factory: () => silent, size: 1, setTimer, timeoutMs: 1234 });
    const waiting = verdict(() => verifyOrgChainPreverified(entries, ROOT, null, ORG_CTX));
    await vi.waitFor(() => expect(timers.length).toBe(1));
    expect(timers[0]?.ms).toBe(1234);
    timers[0]?.f();
    expect(await waiting).toBe('ok:12');
    expect(silent.terminated).toBe(true);
  });

  it('answers of another request, or without hints, are not taken for this one', async () => {
    const entries = chain.slice(0, 6);
    const wrongId = (req: KeyHintRequest) => ({ ...handleKeyHintRequest(req), id: req.id + 1 });
    const timers: (() => void)[] = [];
    configureKeyHintWorkers({
      factory: () => new FakeWorker(wrongId),
      size: 1,
      setTimer: (f) => {
        timers.push(f);
        return () => {};
      },
    });
    const waiting = keyHintsOffThread(entries, [['member', 'key']]);
    await vi.waitFor(() => expect(timers.length).toBe(1));
    timers[0]?.();
    expect(await waiting).toEqual([]);
    configureKeyHintWorkers({ factory: () => new FakeWorker((req) => ({ id: req.id, hints: 'x' })), size: 1 });
    expect(await keyHintsOffThread(entries, [['member', 'key']])).toEqual([]);
    configureKeyHintWorkers({ factory: () => new FakeWorker(), size: 2 });
    const hints = await keyHintsOffThread(entries, [['member', 'key']]);
    expect(hints.map((h) => b64encode(h.key)).sort()).toEqual(
      bodyKeys(entries, [['member', 'key']])
        .map((k) => b64encode(b64decode(k)))
        .sort(),
    );
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
    configureKeyHintWorkers({ factory: () => new FakeWorker(), size: 2 });
    clearKeyCache();
    expect(await verdict(() => verifyOrgChainPreverified(chain, v.root, cp, ctx))).toBe(alone);
  });
});
