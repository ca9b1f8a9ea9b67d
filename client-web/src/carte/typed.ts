// The carte's typed form (docs/design/accounts.md, "The carte's typed form"): the age
// identity without its fixed `AGE-SECRET-KEY-1` prefix, 58 bech32 characters shown in groups
// of four. Reading it back ignores spaces, hyphens and case, and reads `O` as `0`; the
// bech32 checksum catches a wrong character.
import { isIdentity } from '../crypto/fields';

export const IDENTITY_PREFIX = 'AGE-SECRET-KEY-1';
export const TYPED_LENGTH = 58;
const BECH32 = /^[023456789ACDEFGHJKLMNPQRSTUVWXYZ]*$/;

/** `ABCD EFGH …`: the typed form of an identity, in groups of four (the last has two). */
export function typedGroups(identity: string): string[] {
  if (!identity.startsWith(IDENTITY_PREFIX)) throw new Error('not an age identity');
  const body = identity.slice(IDENTITY_PREFIX.length);
  const groups: string[] = [];
  for (let i = 0; i < body.length; i += 4) groups.push(body.slice(i, i + 4));
  return groups;
}

export type TypedResult =
  | { ok: true; identity: string }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'length'; length: number }
  | { ok: false; reason: 'checksum' };

/** Uppercase, without spaces, hyphens or the prefix, `O` read as `0`. */
export function normaliseTyped(input: string): string {
  let s = input.toUpperCase().replace(/[\s\-\u2010-\u2015]+/g, '');
  if (s.startsWith('AGESECRETKEY1')) s = s.slice('AGESECRETKEY1'.length);
  return s.replace(/O/g, '0');
}

/** What the person typed (or a scanned QR code's text), as the carte's identity. */
export function parseTyped(input: string): TypedResult {
  const body = normaliseTyped(input);
  if (body === '') return { ok: false, reason: 'empty' };
  if (body.length !== TYPED_LENGTH) return { ok: false, reason: 'length', length: body.length };
  if (!BECH32.test(body)) return { ok: false, reason: 'checksum' };
  const identity = IDENTITY_PREFIX + body;
  return isIdentity(identity) ? { ok: true, identity } : { ok: false, reason: 'checksum' };
}
