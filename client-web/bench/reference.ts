// The reference measured inside the app's own page (bench/accounts.mjs evaluates this
// bundle there, under the same CPU throttling): raw age-encryption, no Coffre code.
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';

/** ms of one X25519 encrypt + decrypt of `size` bytes. */
export async function x25519RoundTrip(size = 1024): Promise<number> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const data = crypto.getRandomValues(new Uint8Array(size));
  const t0 = performance.now();
  const e = new Encrypter();
  e.addRecipient(recipient);
  const file = await e.encrypt(data);
  const d = new Decrypter();
  d.addIdentity(identity);
  const back = await d.decrypt(file);
  const ms = performance.now() - t0;
  if (back.length !== size) throw new Error('bad round trip');
  return ms;
}

/** ms of one scrypt (decrypting a passphrase file at `logN`), on the page's main thread. */
export async function scryptOnce(logN = 15): Promise<number> {
  const e = new Encrypter();
  e.setPassphrase('bench passphrase');
  e.setScryptWorkFactor(logN);
  const file = await e.encrypt(new Uint8Array(32));
  const d = new Decrypter();
  d.addPassphrase('bench passphrase');
  const t0 = performance.now();
  await d.decrypt(file);
  return performance.now() - t0;
}
