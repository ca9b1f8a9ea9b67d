// Shared fixtures for the crypto tests.
import { expect } from 'vitest';
import { CoffreCryptoError, type ErrorCode, generateCategoryKey, OwnerKeys, signCategoryCert } from '../../src/crypto';

export const INSTANCE = 'http://localhost:8080';
export const COFFRE = '6f1c2b8e-3d4a-4b5c-9d6e-7f8091a2b3c4';
export const CATEGORY = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const PAPER = '0f9e8d7c-6b5a-4938-a716-253443526170';
export const T0 = 1_780_000_000;

export function uuid(): string {
  return crypto.randomUUID();
}

export function owner(byte = 7): OwnerKeys {
  return OwnerKeys.fromSeed(new Uint8Array(32).fill(byte));
}

export function category(o: OwnerKeys, window: [number, number] = [T0 - 86400, T0 + 86400 * 30]) {
  const ck = generateCategoryKey();
  const cert = signCategoryCert(o.signing, {
    instance: INSTANCE,
    coffre: COFFRE,
    epoch: 0,
    category: CATEGORY,
    generation: 0,
    recipient: ck.recipient,
    not_before: window[0],
    not_after: window[1],
    created: window[0],
  });
  return { ck, cert };
}

export async function expectCode(p: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<void> {
  let err: unknown;
  try {
    if (typeof p === 'function') await p();
    else await p;
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code}`).toBeInstanceOf(CoffreCryptoError);
  expect((err as CoffreCryptoError).code, String(err)).toBe(code);
}

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

export const enc = (s: string) => new TextEncoder().encode(s);
export const dec = (b: Uint8Array) => new TextDecoder().decode(b);
