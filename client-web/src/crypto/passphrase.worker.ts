// Passphrase unwrap off the main thread: age-encryption runs scrypt synchronously, so an
// unlock on the page would freeze it for a second or more on a cheap phone.
//
// The UI creates it with Vite's worker syntax (a same-origin module: CSP `script-src 'self'`
// covers it):
//   const worker = new Worker(new URL('./crypto/passphrase.worker.ts', import.meta.url), { type: 'module' });
//   const payload = await unwrapSeedPassphraseInWorker(worker, file, passphrase);
import { handlePassphraseRequest, type PassphraseRequest } from './passphrase-rpc';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<PassphraseRequest>) => void) | null;
  postMessage(m: unknown): void;
};
scope.onmessage = (e) => {
  void handlePassphraseRequest(e.data).then((r) => scope.postMessage(r));
};
