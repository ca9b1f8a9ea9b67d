// « Mon code »: what a person who gives a mandate needs to know about whom they give it to,
// read from the other's screen (a QR code) or typed (docs/design/mandates-screens.md).
//
// Binary form, version 1: one type byte, then
//   person (1):       coffre id (16 bytes) · Ed25519 key (32) · X25519 recipient (32)
//   organisation (2): organisation id (16) · root fingerprint (32, `Fingerprint(root, "")`)
// QR text: `coffre:code:1:` + b64 of those bytes.
// Typed form: base32 (RFC 4648, no padding) of the same bytes followed by the first two
// bytes of their SHA-256 (a typo is caught before any request), in groups of four. An
// organisation's typed form leaves the root fingerprint out (18 bytes, 29 letters): the five
// words compared aloud are then the only pin of the root, and the screen says so.
import { sha256 } from '@noble/hashes/sha2.js';
import { base32, bech32 } from '@scure/base';
import { b64decode, b64encode, bytesEqual, concatBytes } from '../crypto/encoding';
import { fingerprint, recipientToBytes } from '../crypto/keys';

export const CODE_PREFIX = 'coffre:code:1:';

const PERSON = 1;
const ORGANISATION = 2;

export type GranteeCode =
  | { type: 'person'; id: string; key: string; recipient: string }
  /** `root`: the root fingerprint when the code carried it (the QR), absent when typed. */
  | { type: 'organisation'; id: string; root?: Uint8Array };

function uuidBytes(id: string): Uint8Array {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new RangeError('not a uuid');
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

function uuidOf(bytes: Uint8Array): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) throw new RangeError('id');
  return id;
}

function encodeBinary(code: GranteeCode, withRoot: boolean): Uint8Array {
  if (code.type === 'person') {
    return concatBytes(
      Uint8Array.of(PERSON),
      uuidBytes(code.id),
      b64decode(code.key, 32),
      recipientToBytes(code.recipient),
    );
  }
  if (withRoot && !code.root) throw new RangeError('an organisation QR carries its root fingerprint');
  return concatBytes(
    Uint8Array.of(ORGANISATION),
    uuidBytes(code.id),
    withRoot && code.root ? code.root : new Uint8Array(),
  );
}

/** `null` unless `bytes` is a well-formed code (a person's key is checked when it is used). */
function decodeBinary(bytes: Uint8Array, typed: boolean): GranteeCode | null {
  try {
    if (bytes[0] === PERSON && bytes.length === 81) {
      const recipient = bech32.encode('age', bech32.toWords(bytes.subarray(49, 81)), false);
      const code: GranteeCode = {
        type: 'person',
        id: uuidOf(bytes.subarray(1, 17)),
        key: b64encode(bytes.subarray(17, 49)),
        recipient,
      };
      fingerprint(code.key, code.recipient); // a canonical, torsion-free key
      return code;
    }
    if (bytes[0] === ORGANISATION && bytes.length === (typed ? 17 : 49)) {
      const id = uuidOf(bytes.subarray(1, 17));
      return typed ? { type: 'organisation', id } : { type: 'organisation', id, root: bytes.slice(17, 49) };
    }
  } catch {
    return null;
  }
  return null;
}

/** The QR text of a code. */
export function codeQr(code: GranteeCode): string {
  return CODE_PREFIX + b64encode(encodeBinary(code, true));
}

/** The code a QR carried, or null for any other text. */
export function parseCodeQr(text: string): GranteeCode | null {
  if (!text.startsWith(CODE_PREFIX)) return null;
  try {
    return decodeBinary(b64decode(text.slice(CODE_PREFIX.length)), false);
  } catch {
    return null;
  }
}

/** The typed form, in groups of four letters or digits. */
export function codeTyped(code: GranteeCode): string[] {
  const bytes = encodeBinary(code, false);
  const text = base32.encode(concatBytes(bytes, sha256(bytes).subarray(0, 2))).replace(/=+$/, '');
  return text.match(/.{1,4}/g) ?? [];
}

export type TypedCode = { ok: true; code: GranteeCode } | { ok: false; reason: 'empty' | 'checksum' };

/** Reads a typed code: case, spaces and dashes do not matter; a typo fails the checksum. */
export function parseCodeTyped(input: string): TypedCode {
  const text = input.toUpperCase().replace(/[\s\-–·.]/g, '');
  if (text === '') return { ok: false, reason: 'empty' };
  let all: Uint8Array;
  try {
    const padded = text + '='.repeat((8 - (text.length % 8)) % 8);
    all = base32.decode(padded);
  } catch {
    return { ok: false, reason: 'checksum' };
  }
  if (all.length < 3) return { ok: false, reason: 'checksum' };
  const bytes = all.subarray(0, all.length - 2);
  if (!bytesEqual(sha256(bytes).subarray(0, 2), all.subarray(all.length - 2))) return { ok: false, reason: 'checksum' };
  const code = decodeBinary(bytes, true);
  return code ? { ok: true, code } : { ok: false, reason: 'checksum' };
}
