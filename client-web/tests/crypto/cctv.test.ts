// C2SP CCTV age vectors through age-encryption (the library our ageio.ts wraps): all 143.
// A failing vector must fail in the phase it names (armor, header, payload) and, through
// ageio.ts, with a CoffreCryptoError of a consistent code and no plaintext.
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { armor, Decrypter } from 'age-encryption';
import * as cctv from 'cctv-age';
import { describe, expect, it } from 'vitest';
import { CoffreCryptoError, decryptWith, decryptWithPassphrase, isIdentity } from '../../src/crypto';

interface Vector {
  expect: string;
  payload?: string;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  body: Uint8Array;
}

function parse(file: Uint8Array): Vector {
  const text = Buffer.from(file).toString('latin1');
  const split = text.indexOf('\n\n');
  const v: Vector = { expect: '', identities: [], passphrases: [], armored: false, body: file.subarray(split + 2) };
  let compressed = false;
  for (const line of text.slice(0, split).split('\n')) {
    const i = line.indexOf(': ');
    const [k, val] = [line.slice(0, i), line.slice(i + 2)];
    if (k === 'expect') v.expect = val;
    else if (k === 'payload') v.payload = val;
    else if (k === 'identity') v.identities.push(val);
    else if (k === 'passphrase') v.passphrases.push(val);
    else if (k === 'armored') v.armored = val === 'yes';
    else if (k === 'compressed') compressed = val === 'zlib';
  }
  if (compressed) v.body = new Uint8Array(inflateSync(v.body));
  return v;
}

function decrypter(v: Vector): Decrypter {
  const d = new Decrypter();
  for (const id of v.identities) d.addIdentity(id);
  for (const p of v.passphrases) d.addPassphrase(p);
  return d;
}

async function run(v: Vector): Promise<Uint8Array> {
  const file = v.armored ? armor.decode(Buffer.from(v.body).toString('latin1')) : v.body;
  return decrypter(v).decrypt(file);
}

type Phase = 'armor' | 'header' | 'payload' | 'none';

/** Where a failing vector fails: armor decoding, the header (decrypt() itself), or the payload stream. */
async function failurePhase(v: Vector): Promise<Phase> {
  let file: Uint8Array;
  try {
    file = v.armored ? armor.decode(Buffer.from(v.body).toString('latin1')) : v.body;
  } catch {
    return 'armor';
  }
  const input = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(file.slice());
      c.close();
    },
  });
  let out: ReadableStream<Uint8Array>;
  try {
    out = await decrypter(v).decrypt(input);
  } catch {
    return 'header';
  }
  try {
    await new Response(out).arrayBuffer();
  } catch {
    return 'payload';
  }
  return 'none';
}

const PHASE: Record<string, Phase> = {
  'armor failure': 'armor',
  'header failure': 'header',
  'HMAC failure': 'header',
  'no match': 'header',
  'payload failure': 'payload',
};

/** The same file through this module's age wrapper: a CoffreCryptoError, never plaintext. */
async function throughCoffre(v: Vector): Promise<string> {
  if (v.armored) return 'armored'; // the module takes binary age files only
  try {
    const out = v.passphrases.length
      ? await decryptWithPassphrase(v.passphrases[0]!, v.body)
      : await decryptWith(v.identities, v.body);
    return `plaintext of ${out.length} bytes`;
  } catch (e) {
    return e instanceof CoffreCryptoError ? e.code : `not a CoffreCryptoError: ${String(e)}`;
  }
}

const vectors = ((cctv as { default?: unknown }).default ?? cctv) as Record<string, Uint8Array>;
const names = Object.keys(vectors)
  .filter((k) => vectors[k] instanceof Uint8Array)
  .sort();

describe('C2SP CCTV age vectors (age-encryption)', () => {
  it('has all 143 vectors', () => {
    expect(names.length).toBe(143);
  });

  it('every vector decrypts or fails exactly as expected', async () => {
    const failures: string[] = [];
    for (const name of names) {
      const v = parse(vectors[name]!);
      let out: Uint8Array | undefined;
      let err: unknown;
      try {
        out = await run(v);
      } catch (e) {
        err = e;
      }
      if (v.expect === 'success') {
        if (!out) failures.push(`${name}: expected success, got ${String(err)}`);
        else if (createHash('sha256').update(out).digest('hex') !== v.payload) failures.push(`${name}: wrong payload`);
      } else {
        if (out) failures.push(`${name}: expected ${v.expect}, but it decrypted`);
        const want = PHASE[v.expect];
        const phase = await failurePhase(v);
        if (!want) failures.push(`${name}: unknown expectation ${v.expect}`);
        else if (phase !== want) failures.push(`${name}: expected a ${want} failure (${v.expect}), got ${phase}`);
        const mine = await throughCoffre(v);
        // Header and payload failures alike are decryption_failed; an oversized header is
        // refused before age-encryption parses it (header_too_large).
        // Identities other than X25519 (the post-quantum hybrid ones) are refused as keys.
        const allowed = !v.identities.every(isIdentity)
          ? ['bad_key']
          : want === 'payload'
            ? ['decryption_failed']
            : ['decryption_failed', 'header_too_large'];
        if (mine !== 'armored' && !allowed.includes(mine))
          failures.push(`${name}: through ageio expected ${allowed.join('|')}, got ${mine}`);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);
});
