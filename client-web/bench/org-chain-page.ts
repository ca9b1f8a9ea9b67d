// An organisation's membership chain of N members, verified in the page (bench/org-chain.mjs):
// what the owner's client does before it wraps a category key to an organisation, and what
// an aidant's client does to find its organisation key. Built unthrottled, measured throttled.

import { clearKeyCache, clearPreverified } from '../src/crypto/ed25519';
import { b64encode } from '../src/crypto/encoding';
import {
  configureKeyHintWorkers,
  type KeyHintWorker,
  keyHintWorkerCount,
  keyHintWorkersLoaded,
  prepareKeyHintWorkers,
} from '../src/crypto/key-hint-workers';
import { generateIdentity, recipientOf, SigningKey } from '../src/crypto/keys';
import {
  type Member,
  type RememberedOrgChain,
  rememberOrgChain,
  signOrgChainEntry,
  verifyOrgChain,
  verifyOrgChainPreverified,
} from '../src/crypto/organisation';
import { statementHash } from '../src/crypto/statement';

const INSTANCE = 'https://coffre.example.org';
const ORG = crypto.randomUUID();
let chain: Uint8Array[] = [];
let rootKey = '';

const key = () => new SigningKey(crypto.getRandomValues(new Uint8Array(32)));

/**
 * Founded by a responsable; two more responsables, then aidants up to `n` members in all,
 * each statement after the second signed by two responsables (the chain's rule).
 */
export function build(n: number): { entries: number; bytes: number } {
  const root = key();
  rootKey = root.publicB64;
  const responsables = [key(), key(), key()];
  chain = [];
  const add = (action: 'found' | 'add_member', member: Member, ...signers: SigningKey[]) => {
    const prev = chain.length
      ? b64encode(statementHash(chain[chain.length - 1] as Uint8Array))
      : b64encode(new Uint8Array(32));
    chain.push(
      signOrgChainEntry(
        {
          instance: INSTANCE,
          organisation: ORG,
          seq: chain.length,
          prev,
          action,
          member,
          created: 1_800_000_000 + chain.length,
        },
        ...signers,
      ),
    );
  };
  const member = (k: SigningKey, role: Member['role']): Member => ({
    key: k.publicB64,
    recipient: recipientOf(generateIdentity()),
    role,
  });
  const [a, b, c] = responsables as [SigningKey, SigningKey, SigningKey];
  add('found', member(a, 'responsable'), root);
  add('add_member', member(b, 'responsable'), a);
  add('add_member', member(c, 'responsable'), a, b);
  while (chain.length < n) add('add_member', member(key(), 'aidant'), chain.length % 2 ? a : b, c);
  return { entries: chain.length, bytes: chain.reduce((s, e) => s + e.length, 0) };
}

/**
 * One verification of the whole chain from seq 0 (a client that remembers no checkpoint):
 * `verifyOrgChain` alone ('noble'), or after WebCrypto preverified the chain's signatures
 * ('preverified', what the client calls: `verifyOrgChainPreverified`, timed whole); with
 * `coldKeys`, no key is remembered as checked (BENCH_KEYS=cold), as on a first contact.
 * With `rememberedNew` ≥ 0 (BENCH_REMEMBERED=k), a returning device instead: it verified the
 * chain without its last k entries before (not timed) and kept its checkpoint and
 * `rememberOrgChain`; the page starts with nothing else (keys cold, nothing preverified),
 * and what is timed is the client's verification of the whole chain from that memory.
 */
export async function measure(
  mode: 'noble' | 'preverified' = 'noble',
  coldKeys = false,
  rememberedNew = -1,
  workers = -1,
  slowdown = 1,
  prepared = false,
): Promise<{ ms: number; members: number; workers: number; answers: WorkerAnswer[] }> {
  const answers: WorkerAnswer[] = [];
  useWorkers(workers, slowdown, answers);
  if (prepared) {
    // BENCH_PREPARED: the page made the workers before it fetched the chain, and they loaded
    // during the fetch (not timed).
    prepareKeyHintWorkers();
    await keyHintWorkersLoaded();
  }
  clearPreverified();
  const ctx = { instance: INSTANCE, organisation: ORG };
  let checkpoint = null;
  let remembered: RememberedOrgChain | undefined;
  if (rememberedNew >= 0) {
    const seen = chain.slice(0, chain.length - rememberedNew);
    const before = verifyOrgChain(seen, rootKey, null, ctx);
    checkpoint = before.checkpoint;
    remembered = rememberOrgChain(seen, before);
    clearPreverified();
    clearKeyCache();
  }
  // The build checked every member key; a client seeing the chain first has checked none.
  if (coldKeys) clearKeyCache();
  t0 = performance.now();
  const state =
    mode === 'preverified'
      ? await verifyOrgChainPreverified(chain, rootKey, checkpoint, ctx, remembered)
      : verifyOrgChain(chain, rootKey, checkpoint, ctx, remembered);
  const ms = performance.now() - t0;
  clearPreverified();
  return { ms, members: state.members.size, workers: keyHintWorkerCount(), answers };
}

/** When the measure began (performance.now()): worker times are given from there. */
let t0 = 0;

/** One worker's answer: when it loaded, got the request and answered (ms from the measure's start), its own time. */
export interface WorkerAnswer {
  loaded: number;
  received: number;
  answered: number;
  ms: number;
}

/**
 * The key-hint workers (BENCH_WORKERS): -1 the page's default count, 0 none, else that many;
 * bench/key-hints-bench.worker.ts (built by org-chain.mjs beside the page), each answer's
 * times pushed to `answers`, `slowdown` passed on (BENCH_WORKER_SLOWDOWN).
 */
function useWorkers(count: number, slowdown: number, answers: WorkerAnswer[]): void {
  const url = String(new URL('key-hints-worker.mjs', location.href));
  const rel = (abs: number) => abs - performance.timeOrigin - t0;
  const factory = (): KeyHintWorker => {
    const w = new Worker(url, { type: 'module' });
    w.addEventListener('message', (e: MessageEvent<{ ms?: number; at?: Record<string, number> }>) => {
      const { ms, at } = e.data;
      if (typeof ms !== 'number' || !at) return;
      answers.push({ loaded: rel(at.loaded ?? 0), received: rel(at.received ?? 0), answered: rel(at.done ?? 0), ms });
    });
    const post = w.postMessage.bind(w);
    return Object.assign(w, { postMessage: (m: object) => post({ ...m, slowdown }) }) as unknown as KeyHintWorker;
  };
  if (count === 0) configureKeyHintWorkers({ factory: null });
  else configureKeyHintWorkers(count > 0 ? { factory, size: count } : { factory });
}
