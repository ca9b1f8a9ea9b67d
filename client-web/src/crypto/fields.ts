// Field checks for parsed canonical JSON (the serde derive of the Rust side): every
// document has an exact set of fields, unknown ones are rejected.
import { bech32 } from '@scure/base';
import { isAcceptableKey } from './ed25519';
import { b64decode, type JsonObject, type JsonValue, membersOf } from './encoding';
import { CoffreCryptoError, fail } from './errors';

export type Check = (v: JsonValue, path: string) => void;
export interface Optional {
  optional: Check;
}
export type Schema = Record<string, Check | Optional>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DATE_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
// Spec 2: `https://host[:port]` (host: lowercase letters, digits, `.`, `-`) or
// `http://localhost:port`; a port is 1 to 5 digits; no trailing slash, no path.
const INSTANCE_RE = /^(https:\/\/[a-z0-9.-]+(:[0-9]{1,5})?|http:\/\/localhost:[0-9]{1,5})$/;
// Spec 8: an access receipt's action is snake_case, 1 to 32 of `a-z`, `0-9`, `_`.
const ACTION_RE = /^[a-z0-9_]{1,32}$/;

const bad = (path: string, what: string): never => fail('malformed', `${path}: ${what}`);

export const str: Check = (v, p) => {
  if (typeof v !== 'string') bad(p, 'string expected');
};
export const bool: Check = (v, p) => {
  if (typeof v !== 'boolean') bad(p, 'boolean expected');
};
/** A non-negative integer; above 2^53 - 1 is refused afterwards as non-canonical. */
export const int: Check = (v, p) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad(p, 'integer expected');
};
export const literal =
  (x: JsonValue): Check =>
  (v, p) => {
    if (v !== x) bad(p, `expected ${JSON.stringify(x)}`);
  };
export const oneOf =
  (...xs: string[]): Check =>
  (v, p) => {
    if (typeof v !== 'string' || !xs.includes(v)) bad(p, `one of ${xs.join('|')} expected`);
  };
export const uuid: Check = (v, p) => {
  if (typeof v !== 'string' || !UUID_RE.test(v)) bad(p, 'uuid v4 expected');
};
/** `YYYY-MM-DD` by shape only, like the Rust crate (a calendar check is the UI's job). */
export const date: Check = (v, p) => {
  if (typeof v !== 'string' || !DATE_RE.test(v)) bad(p, 'YYYY-MM-DD expected');
};
export const instance: Check = (v, p) => {
  if (typeof v !== 'string' || !INSTANCE_RE.test(v)) bad(p, 'instance origin expected');
};
export const action: Check = (v, p) => {
  if (typeof v !== 'string' || !ACTION_RE.test(v)) bad(p, 'snake_case action expected');
};
/** The bytes of a base64url field (`malformed` otherwise). */
function b64Bytes(v: JsonValue, p: string): Uint8Array {
  if (typeof v !== 'string') return bad(p, 'base64url expected');
  try {
    return b64decode(v);
  } catch (e) {
    if (e instanceof CoffreCryptoError) bad(p, 'base64url expected');
    throw e;
  }
}
export const b64 =
  (len?: number, min?: number): Check =>
  (v, p) => {
    const bytes = b64Bytes(v, p);
    if (len !== undefined && bytes.length !== len) bad(p, `${len} bytes expected`);
    if (min !== undefined && bytes.length < min) bad(p, `at least ${min} bytes expected`);
  };
/** An Ed25519 public key: 32 bytes, a canonical torsion-free point, not the identity (`bad_key`). */
export const key: Check = (v, p) => {
  const bytes = b64Bytes(v, p);
  if (bytes.length !== 32) bad(p, '32 bytes expected');
  if (!isAcceptableKey(bytes)) fail('bad_key', `${p}: Ed25519 key outside the acceptance set`);
};
export const hash = b64(32);
export const sig = b64(64);

export function isRecipient(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== 62 || !v.startsWith('age1')) return false;
  try {
    const d = bech32.decode(v as `${string}1${string}`, false);
    return d.prefix === 'age' && bech32.fromWords(d.words).length === 32;
  } catch {
    return false;
  }
}
export function isIdentity(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== 74 || !v.startsWith('AGE-SECRET-KEY-1')) return false;
  if (v !== v.toUpperCase()) return false;
  try {
    const d = bech32.decode(v.toLowerCase() as `${string}1${string}`, false);
    return d.prefix === 'age-secret-key-' && bech32.fromWords(d.words).length === 32;
  } catch {
    return false;
  }
}
export const recipient: Check = (v, p) => {
  if (!isRecipient(v)) bad(p, 'age1… recipient expected');
};
/** An age identity: `AGE-SECRET-KEY-1…`, uppercase (anything else is `bad_key`, as in Rust). */
export const identity: Check = (v, p) => {
  if (typeof v !== 'string') bad(p, 'AGE-SECRET-KEY-1… identity expected');
  if (!isIdentity(v)) fail('bad_key', `${p}: AGE-SECRET-KEY-1… identity expected`);
};

export const arrayOf =
  (item: Check, opts: { set?: boolean; min?: number; max?: number } = {}): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return bad(p, 'array expected');
    if (opts.min !== undefined && v.length < opts.min) bad(p, `at least ${opts.min} items`);
    if (opts.max !== undefined && v.length > opts.max) bad(p, `at most ${opts.max} items`);
    for (const [i, x] of v.entries()) item(x, `${p}[${i}]`);
    if (opts.set) {
      for (let i = 1; i < v.length; i++) {
        if (!((v[i - 1] as string) < (v[i] as string))) fail('non_canonical', `${p}: set not sorted or has duplicates`);
      }
    }
  };
export const object =
  (schema: Schema): Check =>
  (v, p) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return bad(p, 'object expected');
    checkFields(v, schema, p);
  };
export const optional = (c: Check): Optional => ({ optional: c });

/**
 * Own-property membership only: `in` walks the prototype chain, so `constructor`,
 * `__proto__` or `toString` would pass as known fields (spec hardening 6).
 */
export const has = (o: object, k: string): boolean => Object.hasOwn(o, k);

export function checkFields(obj: JsonObject, schema: Schema, path = ''): void {
  // Document order, as serde's derive: the first key that is unknown, repeated or of a bad
  // value decides the error; missing required fields are reported after the last key.
  const seen = new Set<string>();
  for (const [k, value] of membersOf(obj)) {
    const here = `${path}${path ? '.' : ''}${k}`;
    if (!has(schema, k)) fail('unknown_field', here);
    if (seen.has(k)) fail('duplicate_field', here);
    seen.add(k);
    const c = schema[k]!;
    // `null` stands for an absent optional field (serde's Option), refused later by the
    // canonical byte check; for a required field it is malformed.
    if (value === null) {
      if (typeof c === 'function') fail('malformed', `${here}: null`);
      continue;
    }
    (typeof c === 'function' ? c : c.optional)(value as JsonValue, here);
  }
  for (const [k, c] of Object.entries(schema)) {
    if (typeof c === 'function' && !seen.has(k)) fail('malformed', `${path}${path ? '.' : ''}${k}: missing`);
  }
}

/**
 * Checks a parsed document of a given kind: `kind` first (`wrong_kind`), then `v`
 * (`unknown_version`), then the exact field set.
 */
/** The schema of `kind` in a table of kinds; a name that is not an own key (`constructor`…) is `wrong_kind`. */
export function schemaOf(schemas: Readonly<Record<string, Schema>>, kind: string): Schema {
  if (typeof kind !== 'string' || !Object.hasOwn(schemas, kind)) fail('wrong_kind', String(kind));
  return schemas[kind] as Schema;
}

export function checkDocument(obj: JsonObject, kind: string, schema: Schema): void {
  // Like the Rust crate's header pass: a repeated `kind` or `v` first, then the kind, then
  // the version (`null` counts as absent), then every field.
  const header = membersOf(obj).filter(([k]) => k === 'kind' || k === 'v');
  if (new Set(header.map(([k]) => k)).size !== header.length) fail('duplicate_field', 'kind or v');
  const got = has(obj, 'kind') ? obj.kind : undefined;
  if (got !== kind) fail('wrong_kind', `expected ${kind}, got ${JSON.stringify(got)}`);
  if (!has(obj, 'v') || obj.v === null) fail('malformed', 'missing v');
  if (obj.v !== 1) fail('unknown_version', String(obj.v));
  checkFields(obj, { ...schema, kind: str, v: int });
}
