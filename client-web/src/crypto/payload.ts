// Encrypted JSON payloads (spec 2.3): an age file whose plaintext is canonical JSON with
// `kind` and `v`, checked like a body after decryption.
import {
  type AgeIdentity,
  checkPayloadSize,
  decryptWith,
  decryptWithPassphrase,
  encryptTo,
  encryptWithPassphrase,
} from './ageio';
import { canonicalEncode, canonicalParse, type JsonObject, PAYLOAD_CAP, zeroize } from './encoding';
import { b64, checkDocument, date, hash, identity, int, optional, type Schema, schemaOf, str, uuid } from './fields';

export const PAYLOAD_SCHEMAS = {
  owner_seed: { coffre: uuid, epoch: int, seed: b64(32) },
  category_key: { category: uuid, coffre: uuid, generation: int, identity },
  paper_meta: {
    doc_type: str,
    expires: optional(date),
    filename: str,
    issued: optional(date),
    mime: str,
    pages: int,
    paper: uuid,
    replaces: optional(uuid),
    sha256: hash,
    size: int,
    title: str,
  },
  // The spec only names this kind; the fields are the Rust crate's (crypto/src/kinds.rs).
  org_key_wrap: { generation: int, identity, organisation: uuid },
  // A journal entry's plain-words details, encrypted to the owner (protocol.md section 9).
  journal_body: { backup_time: optional(int), device: optional(str), factor: optional(str) },
  // `share` is listed as a payload kind by the spec but has no fields anywhere yet: a share
  // re-encrypts the paper bytes themselves (share.ts), as the Rust crate does.
} satisfies Record<string, Schema>;

export type PayloadKind = keyof typeof PAYLOAD_SCHEMAS;

function payloadSchema(kind: string): Schema {
  return schemaOf(PAYLOAD_SCHEMAS, kind);
}

export function encodePayload(kind: PayloadKind, payload: object): Uint8Array {
  const bytes = canonicalEncode(payload);
  canonicalParse(bytes, PAYLOAD_CAP, (o) => checkDocument(o, kind, payloadSchema(kind)));
  return bytes;
}

export function decodePayload<T = JsonObject>(kind: PayloadKind, plaintext: Uint8Array): T {
  return canonicalParse(plaintext, PAYLOAD_CAP, (o) => checkDocument(o, kind, payloadSchema(kind))) as T;
}

export async function sealPayload(
  kind: PayloadKind,
  payload: object,
  recipients: readonly string[],
): Promise<Uint8Array> {
  const bytes = encodePayload(kind, payload);
  try {
    return await encryptTo(recipients, bytes);
  } finally {
    zeroize(bytes);
  }
}

export async function openPayload<T = JsonObject>(
  kind: PayloadKind,
  file: Uint8Array,
  identities: readonly AgeIdentity[],
): Promise<T> {
  checkPayloadSize(file);
  const plain = await decryptWith(identities, file);
  try {
    return decodePayload<T>(kind, plain);
  } finally {
    zeroize(plain);
  }
}

export async function sealPayloadPassphrase(
  kind: PayloadKind,
  payload: object,
  passphrase: string,
  logN: number,
): Promise<Uint8Array> {
  const bytes = encodePayload(kind, payload);
  try {
    return await encryptWithPassphrase(passphrase, logN, bytes);
  } finally {
    zeroize(bytes);
  }
}

export async function openPayloadPassphrase<T = JsonObject>(
  kind: PayloadKind,
  file: Uint8Array,
  passphrase: string,
): Promise<T> {
  checkPayloadSize(file);
  const plain = await decryptWithPassphrase(passphrase, file);
  try {
    return decodePayload<T>(kind, plain);
  } finally {
    zeroize(plain);
  }
}
