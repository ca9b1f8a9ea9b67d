// The message protocol of passphrase.worker.ts, kept free of worker globals so it is tested
// in Node (tests/crypto/unlock.test.ts).
import { CoffreCryptoError } from './errors';
import { type OwnerSeedPayload, Passphrase, unwrapSeedPassphrase, wrapSeedPassphrase } from './unlock';

export type PassphraseRequest =
  | { id: number; op: 'unwrap'; file: Uint8Array; passphrase: string }
  | { id: number; op: 'wrap'; payload: OwnerSeedPayload; passphrase: string; logN?: number };

export type PassphraseResponse =
  | { id: number; ok: true; payload?: OwnerSeedPayload; file?: Uint8Array }
  | { id: number; ok: false; code: string; message: string };

export async function handlePassphraseRequest(req: PassphraseRequest): Promise<PassphraseResponse> {
  try {
    // A class does not survive postMessage: the worker checks the passphrase again.
    const passphrase = Passphrase.parse(req.passphrase);
    if (req.op === 'unwrap') return { id: req.id, ok: true, payload: await unwrapSeedPassphrase(req.file, passphrase) };
    return { id: req.id, ok: true, file: await wrapSeedPassphrase(req.payload, passphrase, req.logN) };
  } catch (e) {
    const code = e instanceof CoffreCryptoError ? e.code : 'backend';
    return { id: req.id, ok: false, code, message: e instanceof Error ? e.message : String(e) };
  }
}

interface WorkerLike {
  postMessage(m: PassphraseRequest): void;
  addEventListener(type: 'message', f: (e: MessageEvent<PassphraseResponse>) => void): void;
  removeEventListener(type: 'message', f: (e: MessageEvent<PassphraseResponse>) => void): void;
}

let nextId = 1;

function call(worker: WorkerLike, req: PassphraseRequest): Promise<PassphraseResponse & { ok: true }> {
  return new Promise((resolve, reject) => {
    const onMessage = (e: MessageEvent<PassphraseResponse>) => {
      if (e.data.id !== req.id) return;
      worker.removeEventListener('message', onMessage);
      if (e.data.ok) resolve(e.data);
      else reject(new CoffreCryptoError(e.data.code as never, e.data.message));
    };
    worker.addEventListener('message', onMessage);
    worker.postMessage(req);
  });
}

/** Unwraps a passphrase seed wrap in the worker; rejects with the same CoffreCryptoError. */
export async function unwrapSeedPassphraseInWorker(
  worker: WorkerLike,
  file: Uint8Array,
  passphrase: Passphrase,
): Promise<OwnerSeedPayload> {
  return (await call(worker, { id: nextId++, op: 'unwrap', file, passphrase: passphrase.normalised })).payload!;
}

/** Wraps the seed with the passphrase in the worker (scrypt at the pinned work factor). */
export async function wrapSeedPassphraseInWorker(
  worker: WorkerLike,
  payload: OwnerSeedPayload,
  passphrase: Passphrase,
): Promise<Uint8Array> {
  return (await call(worker, { id: nextId++, op: 'wrap', payload, passphrase: passphrase.normalised })).file!;
}
