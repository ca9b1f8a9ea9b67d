// The page of tests/browser/key-hints.test.mjs: an organisation chain of 200 members verified
// in Chromium with the real key-hint worker (the module Vite emits, key-hints.worker.ts), and
// without workers; the verdicts, and how many keys the page checked in full itself.
import { CoffreCryptoError, verifyOrgChain, verifyOrgChainPreverified } from '../../src/crypto';
import { clearKeyCache, fullKeyChecks } from '../../src/crypto/ed25519';
import {
  configureKeyHintWorkers,
  type KeyHintWorker,
  keyHintModuleWorker,
  keyHintWorkerCount,
  resetKeyHintWorkers,
} from '../../src/crypto/key-hint-workers';
import { chainOf, ORG_CTX, ROOT } from '../crypto/org-chain-fixture';

async function verdict(f: () => unknown): Promise<string> {
  try {
    const s = (await f()) as { members: Map<string, unknown> };
    return `ok:${s.members.size}`;
  } catch (e) {
    if (e instanceof CoffreCryptoError) return e.code;
    throw e;
  }
}

async function counted(f: () => unknown): Promise<{ verdict: string; fullChecks: number }> {
  clearKeyCache();
  const before = fullKeyChecks();
  const v = await verdict(f);
  return { verdict: v, fullChecks: fullKeyChecks() - before };
}

export async function run() {
  const cases = [];
  for (const [name, entries] of [
    ['200 members', chainOf(200)],
    ['a bad key at seq 100', chainOf(200, 100)],
  ] as const) {
    const alone = await counted(() => verifyOrgChain(entries, ROOT, null, ORG_CTX));
    // The page's own pool (module workers from Vite's build), each worker's answers counted.
    resetKeyHintWorkers();
    const workers = keyHintWorkerCount();
    let hinted = 0;
    let doneAnswers = 0;
    let allDone = () => {};
    const finished = new Promise<void>((r) => (allDone = r));
    const counting = (): KeyHintWorker => {
      const w = keyHintModuleWorker();
      w.addEventListener('message', (e) => {
        const d = (e as MessageEvent<{ hints?: unknown[]; done?: boolean }>).data;
        if (Array.isArray(d?.hints)) hinted += d.hints.length;
        if (d?.done === true && ++doneAnswers === workers) allDone();
      });
      return w;
    };
    configureKeyHintWorkers({ factory: counting, size: workers });
    const withWorkers = await counted(() => verifyOrgChainPreverified(entries, ROOT, null, ORG_CTX));
    await finished; // the workers go on with their share after the page has taken the rest
    Object.assign(withWorkers, { hinted });
    configureKeyHintWorkers({ factory: null });
    const without = await counted(() => verifyOrgChainPreverified(entries, ROOT, null, ORG_CTX));
    cases.push({ name, workers, alone, withWorkers, without });
  }
  resetKeyHintWorkers();
  return { cores: navigator.hardwareConcurrency, cases };
}
