// Encodings of the protocol (spec section 2): strict base64url, canonical JSON, size caps.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { fail } from './errors';

/** Size caps (spec 2.4), checked before any parsing. */
export const ENVELOPE_CAP = 64 * 1024;
export const PAYLOAD_CAP = 256 * 1024;
export const AGE_HEADER_CAP = 16 * 1024;
export const JOURNAL_PAGE_CAP = 10_000;
/** A metadata index file, as an age file and as its plaintext; and the papers it may list. */
export const INDEX_CAP = 16 * 1024 * 1024;
export const INDEX_ENTRIES_CAP = 10_000;
/** Deepest nesting a v1 document needs is 3 (envelope → sigs → sig); 8 leaves room. */
export const MAX_DEPTH = 8;
export const MAX_SAFE = 2 ** 53 - 1;

// ---------------------------------------------------------------- base64url

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Each character code's 6-bit value, or -1 outside the base64url alphabet. */
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64_ALPHABET.charCodeAt(i)] = i;

export function b64encode(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

/** One character's 6-bit value; `bad_base64` outside the alphabet. */
function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i);
  const v = c < 128 ? B64_VALUE[c] : -1;
  if (v < 0) fail('bad_base64');
  return v;
}

/**
 * Strict: no padding, no `+`/`/`, no whitespace, canonical trailing bits (the unused low
 * bits of the last character are zero, so each byte string has exactly one encoding).
 * A table lookup per character: listing a coffre decodes every upload statement, and the
 * general radix decoder with a re-encoding to check canonicity took half a second for
 * 1,000 papers at 4× throttling (BENCHMARKS.md section 4).
 */
export function b64decode(s: string, expectedLength?: number): Uint8Array {
  if (typeof s !== 'string' || s.length % 4 === 1) fail('bad_base64');
  const n = s.length;
  const out = new Uint8Array((n * 3) >> 2);
  const full = n - (n % 4);
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const v = (sextet(s, i) << 18) | (sextet(s, i + 1) << 12) | (sextet(s, i + 2) << 6) | sextet(s, i + 3);
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (n % 4 === 2) {
    const a = sextet(s, full);
    const b = sextet(s, full + 1);
    if (b & 0x0f) fail('bad_base64');
    out[o++] = (a << 2) | (b >> 4);
  } else if (n % 4 === 3) {
    const a = sextet(s, full);
    const b = sextet(s, full + 1);
    const c = sextet(s, full + 2);
    if (c & 0x03) fail('bad_base64');
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 0x0f) << 4) | (c >> 2);
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    fail('bad_base64', `expected ${expectedLength} bytes, got ${out.length}`);
  }
  return out;
}

// ---------------------------------------------------------------- canonical JSON

export type JsonValue = string | boolean | number | JsonValue[] | JsonObject;
/** What the strict parser may produce: JSON values plus `null` (refused later, like serde). */
type Parsed = JsonValue | null | NonCanonicalNumber;
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * A JSON number outside the canonical set (a float, an exponent, a negative): valid JSON, so
 * it parses, and is refused where serde refuses it — `malformed` in a typed field,
 * `unknown_version` as `v`, `unknown_field` under an unknown key — never by the syntax pass.
 */
export class NonCanonicalNumber {
  constructor(readonly text: string) {}
}

/**
 * Every member of each object the parser built, in document order, duplicates included, so
 * field checks run in the order serde's derive does (first failing key wins) and see each
 * occurrence of a repeated key. Objects not made by the parser fall back to their own entries.
 */
const MEMBERS = new WeakMap<object, [string, unknown][]>();

export function membersOf(obj: object): [string, unknown][] {
  return MEMBERS.get(obj) ?? Object.entries(obj);
}

/** `duplicate_field` for any object, at any depth, that repeats a key. */
function rejectDuplicates(v: unknown): void {
  if (Array.isArray(v)) v.forEach(rejectDuplicates);
  else if (v !== null && typeof v === 'object') {
    const seen = new Set<string>();
    for (const [k, x] of membersOf(v)) {
      if (seen.has(k)) fail('duplicate_field', k);
      seen.add(k);
      rejectDuplicates(x);
    }
  }
}

const KEY_RE = /^[a-z0-9_]+$/;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

function encodeValue(v: unknown, depth: number, out: string[], lenient = false, surrogates = true): void {
  if (depth > MAX_DEPTH) fail('malformed', 'nesting too deep');
  if (typeof v === 'string') {
    if (surrogates && hasLoneSurrogate(v)) fail('malformed', 'lone surrogate');
    out.push(JSON.stringify(v));
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (typeof v === 'number') {
    if (!(lenient ? Number.isInteger(v) : Number.isSafeInteger(v)) || v < 0)
      fail('malformed', `not a canonical integer: ${v}`);
    out.push(String(v));
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      encodeValue(item, depth + 1, out, lenient, surrogates);
    });
    out.push(']');
  } else if (v instanceof NonCanonicalNumber) {
    fail('malformed', `not a canonical integer: ${v.text}`);
  } else if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    // An absent optional field is omitted; a `null` one too, so it fails the byte check.
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] != null);
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.push('{');
    keys.forEach((k, i) => {
      if (!KEY_RE.test(k)) fail('malformed', `key ${JSON.stringify(k)}`);
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      encodeValue((v as Record<string, unknown>)[k], depth + 1, out, lenient, surrogates);
    });
    out.push('}');
  } else {
    fail('malformed', `not encodable: ${v === null ? 'null' : typeof v}`);
  }
}

/** Canonical JSON bytes of an object (absent optional fields may be `undefined`). */
export function canonicalEncode(value: object): Uint8Array {
  if (Array.isArray(value)) fail('malformed', 'top level must be an object');
  const out: string[] = [];
  encodeValue(value, 1, out);
  return utf8.encode(out.join(''));
}

function reencodeLenient(value: object, surrogates = true): Uint8Array {
  const out: string[] = [];
  encodeValue(value, 1, out, true, surrogates);
  return utf8.encode(out.join(''));
}

/** A strict JSON parser: rejects duplicate keys, null, floats, negatives, deep nesting. */
class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): JsonObject {
    // The result may hold nulls and unsafe integers: parseJson's callers check both.
    // Insignificant whitespace parses (as in serde_json) and is refused by the byte check.
    this.ws();
    if (this.s[this.i] !== '{') fail('malformed', 'not an object');
    const v = this.value(1);
    this.ws();
    if (this.i !== this.s.length) fail('malformed', 'trailing data');
    return v as JsonObject;
  }

  unsafeInteger = false;

  private ws(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else return;
    }
  }

  private value(depth: number): Parsed {
    if (depth > MAX_DEPTH) fail('malformed', 'nesting too deep');
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === 't' && this.s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (c === 'f' && this.s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (c === 'n' && this.s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    fail('malformed', `unexpected ${c === undefined ? 'end' : JSON.stringify(c)} at ${this.i}`);
  }

  private object(depth: number): JsonObject {
    this.i++; // {
    // No prototype: `__proto__` or `constructor` are plain own keys here, as in serde.
    const obj: JsonObject = Object.create(null);
    const members: [string, unknown][] = [];
    MEMBERS.set(obj, members);
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') fail('malformed', `expected key at ${this.i}`);
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') fail('malformed', `expected ':' at ${this.i}`);
      this.i++;
      // A repeated key is refused by the field check (or `rejectDuplicates`), in document
      // order, as serde does; the first occurrence stays the object's value.
      const value = this.value(depth + 1) as JsonValue;
      members.push([k, value]);
      if (!Object.hasOwn(obj, k)) obj[k] = value;
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return obj;
      if (c !== ',') fail('malformed', `expected ',' or '}' at ${this.i - 1}`);
    }
  }

  private array(depth: number): JsonValue[] {
    this.i++; // [
    const arr: JsonValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(depth + 1) as JsonValue);
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return arr;
      if (c !== ',') fail('malformed', `expected ',' or ']' at ${this.i - 1}`);
    }
  }

  private digits(): number {
    const start = this.i;
    while (this.i < this.s.length && this.s[this.i]! >= '0' && this.s[this.i]! <= '9') this.i++;
    if (this.i === start) fail('malformed', `expected a digit at ${this.i}`);
    return this.i - start;
  }

  private number(): number | NonCanonicalNumber {
    const start = this.i;
    const negative = this.s[this.i] === '-';
    if (negative) this.i++;
    const first = this.i;
    // JSON has no leading zeros: a syntax error in serde_json too.
    if (this.digits() > 1 && this.s[first] === '0') fail('malformed', 'leading zero');
    let c = this.s[this.i];
    if (!negative && c !== '.' && c !== 'e' && c !== 'E') return this.integer(start);
    if (c === '.') {
      this.i++;
      this.digits();
      c = this.s[this.i];
    }
    if (c === 'e' || c === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      this.digits();
    }
    return new NonCanonicalNumber(this.s.slice(start, this.i));
  }

  private integer(start: number): number | NonCanonicalNumber {
    const text = this.s.slice(start, this.i);
    // Beyond u64 serde_json reads a float: a value refused where it is used, as above.
    if (text.length > 20 || BigInt(text) > 0xffff_ffff_ffff_ffffn) return new NonCanonicalNumber(text);
    const n = Number(text);
    if (!Number.isSafeInteger(n)) this.unsafeInteger = true; // non_canonical, after the schema
    return n;
  }

  private string(): string {
    this.i++; // opening quote
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) fail('malformed', 'unterminated string');
      if (c === '"') {
        this.i++;
        if (hasLoneSurrogate(out)) fail('malformed', 'lone surrogate');
        return out;
      }
      if (c.charCodeAt(0) < 0x20) fail('malformed', 'control character in string');
      if (c === '\\') {
        const e = this.s[this.i + 1];
        this.i += 2;
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = this.s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('malformed', 'bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default:
            fail('malformed', 'bad escape');
        }
      } else {
        out += c;
        this.i++;
      }
    }
  }
}

/**
 * Parses canonical JSON: size cap, strict UTF-8, strict syntax (duplicates, floats,
 * negatives, null, depth rejected), then requires the re-encoding to be byte-identical.
 */
export function canonicalParse(bytes: Uint8Array, cap: number, check?: (value: JsonObject) => void): JsonObject {
  if (bytes.length > cap) fail('too_large', `${bytes.length} > ${cap}`);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    fail('malformed', 'invalid UTF-8');
  }
  const fast = canonicalFast(text, bytes);
  if (fast) {
    check?.(fast);
    return fast;
  }
  const parser = new Parser(text);
  const value = parser.parseDocument();
  // Same order as the Rust crate: kind, version and fields first, then the byte check.
  check?.(value);
  rejectDuplicates(value);
  const again = reencodeLenient(value);
  if (!bytesEqual(again, bytes)) fail('non_canonical', 're-encoding differs');
  if (parser.unsafeInteger) fail('non_canonical', 'integer out of range');
  return value;
}

/**
 * The common case, through the engine's own JSON parser: `bytes` parse, hold only safe
 * integers within `MAX_DEPTH`, and re-encode to exactly themselves — then they are
 * canonical (no duplicate key, no whitespace, no other number or string form), and the
 * strict parser would give the same value, so it gives it (with objects without prototype,
 * as the strict parser makes them). Anything else (`undefined`) goes through the strict
 * parser, which says what is wrong in the same order as the Rust crate.
 */
function canonicalFast(text: string, bytes: Uint8Array): JsonObject | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const value = withoutPrototypes(parsed, 1);
  if (value === undefined) return undefined;
  let again: Uint8Array;
  try {
    // Text decoded from strict UTF-8 holds no lone surrogate: only a `\u` escape can make one.
    again = reencodeLenient(value as object, text.includes('\\u'));
  } catch {
    return undefined;
  }
  return bytesEqual(again, bytes) ? (value as JsonObject) : undefined;
}

/** A copy with prototype-free objects; `undefined` for nulls, unsafe integers or depth. */
function withoutPrototypes(v: unknown, depth: number): unknown {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const x = withoutPrototypes(item, depth + 1);
      if (x === undefined) return undefined;
      out.push(x);
    }
    return out;
  }
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(v)) {
    const x = withoutPrototypes((v as Record<string, unknown>)[k], depth + 1);
    if (x === undefined) return undefined;
    out[k] = x;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export function utf8Encode(s: string): Uint8Array {
  return utf8.encode(s);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Overwrites a buffer we own (best effort: JS may have copied it elsewhere). */
export function zeroize(...bufs: (Uint8Array | undefined)[]): void {
  for (const b of bufs) b?.fill(0);
}

/**
 * SHA-256 through WebCrypto (native, several times faster than JS on megabytes), falling
 * back to @noble/hashes where `crypto.subtle` is missing (insecure contexts).
 */
export async function sha256Async(data: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle && data.length >= 4096) {
    return new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  }
  return nobleSha256(data);
}
