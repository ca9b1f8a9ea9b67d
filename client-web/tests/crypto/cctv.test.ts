// C2SP CCTV age vectors through age-encryption (the library our ageio.ts wraps): all 143.
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { Decrypter, armor } from 'age-encryption';
import * as cctv from 'cctv-age';
import { describe, expect, it } from 'vitest';

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

async function run(v: Vector): Promise<Uint8Array> {
  const d = new Decrypter();
  for (const id of v.identities) d.addIdentity(id);
  for (const p of v.passphrases) d.addPassphrase(p);
  const file = v.armored ? armor.decode(Buffer.from(v.body).toString('latin1')) : v.body;
  return d.decrypt(file);
}

const vectors = ((cctv as { default?: unknown }).default ?? cctv) as Record<string, Uint8Array>;
const names = Object.keys(vectors).filter((k) => vectors[k] instanceof Uint8Array).sort();

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
      } else if (out) {
        failures.push(`${name}: expected ${v.expect}, but it decrypted`);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);
});
