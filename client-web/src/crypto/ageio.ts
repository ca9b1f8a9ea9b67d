// age files (spec 1, 2.3, 2.4): every untrusted age file goes through here, so the
// 16 KiB header cap is checked before age-encryption parses anything.
import { Decrypter, Encrypter, type ReadableStreamWithSize } from 'age-encryption';
import { AGE_HEADER_CAP, PAYLOAD_CAP } from './encoding';
import { CoffreCryptoError, fail } from './errors';
import { isIdentity, isRecipient } from './fields';

const MAGIC = 'age-encryption.org/v1\n';

/**
 * Length of the age header (bytes up to and including the `---` line). Throws
 * `header_too_large` when it does not end within AGE_HEADER_CAP bytes.
 */
export function ageHeaderLength(file: Uint8Array): number {
  const limit = Math.min(file.length, AGE_HEADER_CAP);
  // The MAC line is the first line starting with "---" (stanza lines start with "-> "
  // or are base64, which has no '-'). Same scan as the Rust crate's `check_header_cap`.
  let lineStart = 0;
  for (let i = 0; i < limit; i++) {
    if (file[i] !== 0x0a) continue;
    if (
      i - lineStart >= 3 &&
      file[lineStart] === 0x2d &&
      file[lineStart + 1] === 0x2d &&
      file[lineStart + 2] === 0x2d
    ) {
      return i + 1;
    }
    lineStart = i + 1;
  }
  fail('header_too_large', 'no `---` line within the cap');
}

/** Checks the cap and that the file is a binary age v1 file, before any parser sees it. */
export function checkAgeFile(file: Uint8Array): void {
  if (!(file instanceof Uint8Array)) fail('decryption_failed', 'bytes expected');
  const magic = new TextEncoder().encode(MAGIC);
  ageHeaderLength(file);
  for (let i = 0; i < magic.length; i++)
    if (file[i] !== magic[i]) fail('decryption_failed', 'not a binary age v1 file');
}

export type AgeIdentity = string | CryptoKey;

function encrypterFor(recipients: readonly string[]): Encrypter {
  if (recipients.length === 0) fail('malformed', 'no recipient');
  const e = new Encrypter();
  for (const r of recipients) {
    if (!isRecipient(r)) fail('bad_key', 'only X25519 recipients (age1…, 32 bytes) are allowed');
    try {
      e.addRecipient(r);
    } catch {
      fail('bad_key', 'bad recipient');
    }
  }
  return e;
}

/** Encrypts to one or more age X25519 recipients (`age1…`). */
export async function encryptTo(recipients: readonly string[], plaintext: Uint8Array): Promise<Uint8Array> {
  return encrypterFor(recipients).encrypt(plaintext);
}

/**
 * Stream-encrypts to one or more age X25519 recipients: the age file comes out as the
 * plaintext is read, 64 KiB STREAM chunk by chunk (nothing buffered beyond a chunk and the
 * streams' queues). `size(plainSize)` gives the ciphertext length for a known input length.
 */
export async function encryptStreamTo(
  recipients: readonly string[],
  plaintext: ReadableStream<Uint8Array>,
): Promise<ReadableStreamWithSize> {
  const e = encrypterFor(recipients);
  if (!(plaintext instanceof ReadableStream)) fail('malformed', 'a ReadableStream<Uint8Array> is expected');
  return e.encrypt(plaintext);
}

/** Encrypts with age's scrypt recipient at a pinned work factor. */
export async function encryptWithPassphrase(
  passphrase: string,
  logN: number,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const e = new Encrypter();
  e.setPassphrase(passphrase);
  e.setScryptWorkFactor(logN);
  return e.encrypt(plaintext);
}

async function runDecrypt(d: Decrypter, file: Uint8Array): Promise<Uint8Array> {
  checkAgeFile(file);
  try {
    // The whole file is decrypted into memory: age STREAM authenticates the last chunk
    // last, so nothing is returned before the full file authenticated.
    return await d.decrypt(file);
  } catch (e) {
    if (e instanceof CoffreCryptoError) throw e;
    fail('decryption_failed', e instanceof Error ? e.message : String(e));
  }
}

export async function decryptWith(identities: readonly AgeIdentity[], file: Uint8Array): Promise<Uint8Array> {
  const d = new Decrypter();
  for (const id of identities) {
    // Spec 2: an identity is `AGE-SECRET-KEY-1…` in uppercase; age-encryption would also take
    // the lowercase form, the Rust crate does not (`bad_key`).
    if (typeof id === 'string' && !isIdentity(id)) fail('bad_key', 'not an AGE-SECRET-KEY-1… identity');
    try {
      d.addIdentity(id);
    } catch {
      fail('bad_key', 'bad identity');
    }
  }
  return runDecrypt(d, file);
}

export async function decryptWithPassphrase(passphrase: string, file: Uint8Array): Promise<Uint8Array> {
  const d = new Decrypter();
  d.addPassphrase(passphrase);
  return runDecrypt(d, file);
}

/** Cap of an encrypted JSON payload, checked before decryption. */
export function checkPayloadSize(file: Uint8Array): void {
  if (file.length > PAYLOAD_CAP) fail('too_large', `${file.length} > ${PAYLOAD_CAP}`);
}
