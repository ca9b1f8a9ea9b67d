// Signed statements (spec 2.2 and 10): the canonical envelope, signing, verification,
// and the body schema of every v1 kind.
import { sha256 } from '@noble/hashes/sha2.js';
import { preverify, type SignedTriple, verifyStrict } from './ed25519';
import {
  b64decode,
  b64encode,
  canonicalEncode,
  canonicalParse,
  concatBytes,
  ENVELOPE_CAP,
  type JsonObject,
  utf8Encode,
} from './encoding';
import { fail } from './errors';
import {
  action,
  arrayOf,
  checkDocument,
  checkFields,
  hash,
  instance,
  int,
  key,
  object,
  oneOf,
  optional,
  recipient,
  type Schema,
  schemaOf,
  sig,
  str,
  uuid,
} from './fields';
import type { SigningKey } from './keys';

export const SIGNED_PREFIX = 'coffre/v1/signed\n';
export const ZERO_HASH_B64 = b64encode(new Uint8Array(32));

const COFFRE = { instance, coffre: uuid, epoch: int };

const member = object({ key, recipient, role: oneOf('responsable', 'aidant') });
const grantee = object({
  type: oneOf('organisation', 'person'),
  id: uuid,
  key,
  recipient: optional(recipient),
});

/** Body schemas of the signed kinds (besides `kind` and `v`). */
export const STATEMENT_SCHEMAS = {
  epoch_succession: {
    instance,
    coffre: uuid,
    from_epoch: int,
    from_key: key,
    to_epoch: int,
    to_key: key,
    to_recipient: recipient,
    authority: oneOf('previous', 'recovery'),
    reason: str,
    created: int,
  },
  category_cert: {
    ...COFFRE,
    category: uuid,
    generation: int,
    recipient,
    not_before: int,
    not_after: int,
    created: int,
  },
  category_label: { ...COFFRE, category: uuid, name: str, icon: str, created: int },
  upload: {
    ...COFFRE,
    paper: uuid,
    category: uuid,
    generation: int,
    content_sha256: hash,
    meta_sha256: hash,
    content_size: int,
    uploader: key,
    mandate: optional(uuid),
    created: int,
  },
  deletion: { ...COFFRE, paper: uuid, content_sha256: hash, created: int },
  mandate: {
    ...COFFRE,
    mandate: uuid,
    grantee,
    categories: arrayOf(uuid, { set: true, min: 1 }),
    rights: oneOf('consult', 'deposit', 'consult_deposit'),
    not_before: int,
    not_after: int,
    text_sha256: hash,
    created: int,
  },
  mandate_note: { ...COFFRE, mandate: uuid, name: str, created: int },
  revocation: { ...COFFRE, mandate: uuid, created: int },
  renunciation: { ...COFFRE, mandate: uuid, grantee_key: key, created: int },
  access_receipt: {
    ...COFFRE,
    mandate: uuid,
    grantee_key: key,
    paper: uuid,
    action,
    counter: int,
    created: int,
  },
  owner_pin: { ...COFFRE, owner_key: key, organisation: uuid, created: int },
  org_chain: {
    instance,
    organisation: uuid,
    seq: int,
    prev: hash,
    action: oneOf('found', 'add_member', 'remove_member', 'set_role'),
    member,
    created: int,
  },
  org_key: { instance, organisation: uuid, generation: int, recipient, chain_seq: int, created: int },
  journal_entry: {
    ...COFFRE,
    seq: int,
    prev: hash,
    time: int,
    actor: key,
    action: str,
    object: optional(uuid),
    mandate: optional(uuid),
    proof: optional(hash),
    body_sha256: hash,
  },
  inclusion_receipt: { instance, coffre: uuid, seq: int, entry: hash, time: int },
  journal_checkpoint: { ...COFFRE, seq: int, entry: hash, created: int },
  deposit_receipt: { instance, coffre: uuid, paper: uuid, upload: hash, time: int },
  paper_index: {
    ...COFFRE,
    category: uuid,
    generation: int,
    index_sha256: hash,
    index_size: int,
    seq: int,
    created: int,
  },
} satisfies Record<string, Schema>;

export type StatementKind = keyof typeof STATEMENT_SCHEMAS;

/** The body schema of a kind; a name that is not an own key (`constructor`…) is `wrong_kind`. */
export function statementSchema(kind: string): Schema {
  return schemaOf(STATEMENT_SCHEMAS, kind);
}

export interface Signature {
  key: string;
  sig: string;
}
export interface Envelope {
  body: string;
  sigs: Signature[];
}

/** A statement whose envelope is well formed and whose signatures all verified. */
export interface Verified<B = JsonObject> {
  body: B;
  /** The keys (b64) whose signatures verified, sorted. */
  signers: string[];
  /** Canonical envelope bytes, as stored and hashed. */
  bytes: Uint8Array;
  /** statement_hash: SHA-256 of the envelope bytes. */
  hash: Uint8Array;
}

const ENVELOPE_SCHEMA: Schema = {
  body: str, // decoded below: bad b64 here is `bad_base64`, as in the Rust crate
  sigs: arrayOf(object({ key, sig })),
};

export function signedMessage(bodyBytes: Uint8Array): Uint8Array {
  return concatBytes(utf8Encode(SIGNED_PREFIX), bodyBytes);
}

/** Signs a body (which must carry `kind`, `v` and its fields) with one or more keys. */
export function signStatement(body: object, ...signers: SigningKey[]): Uint8Array {
  const b = body as JsonObject;
  const kind = b.kind as StatementKind;
  const schema = statementSchema(kind);
  if (signers.length === 0) fail('too_few_signatures');
  if (kind !== 'org_chain' && signers.length !== 1) fail('unauthorised_signer', `${kind} takes exactly one signature`);
  const bodyBytes = canonicalEncode(body);
  // Refuse to sign what we would refuse to verify.
  canonicalParse(bodyBytes, ENVELOPE_CAP, (o) => checkDocument(o, kind, schema));
  const msg = signedMessage(bodyBytes);
  const sigs = signers
    .map((s) => ({ key: s.publicB64, sig: b64encode(s.sign(msg)) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  for (let i = 1; i < sigs.length; i++) {
    if (sigs[i]?.key === sigs[i - 1]?.key) fail('non_canonical', 'same signer twice');
  }
  const bytes = canonicalEncode({ body: b64encode(bodyBytes), sigs });
  if (bytes.length > ENVELOPE_CAP) fail('too_large');
  return bytes;
}

/**
 * Adds `signer`'s signature over an envelope's body (a countersignature: an `org_chain`
 * proposal another responsable signed). The signatures already there are not checked here:
 * the caller verifies the result as it verifies any statement.
 */
export function countersignStatement(envelope: Uint8Array, signer: SigningKey): Uint8Array {
  const { env, bodyBytes } = parseEnvelope(envelope);
  peekBody(bodyBytes, 'org_chain'); // only organisation-chain statements carry two signatures
  if (env.sigs.some((s) => s.key === signer.publicB64)) fail('non_canonical', 'same signer twice');
  const sig = { key: signer.publicB64, sig: b64encode(signer.sign(signedMessage(bodyBytes))) };
  const sigs = [...env.sigs, sig].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const bytes = canonicalEncode({ body: env.body, sigs });
  if (bytes.length > ENVELOPE_CAP) fail('too_large');
  return bytes;
}

export function statementHash(envelopeBytes: Uint8Array): Uint8Array {
  return sha256(envelopeBytes);
}

export function envelopeBytes(env: Envelope | Uint8Array): Uint8Array {
  return env instanceof Uint8Array ? env : canonicalEncode(env);
}

/** An envelope parsed by `parseEnvelope`: its wire form, its canonical bytes and its body bytes. */
export interface ParsedEnvelope {
  env: Envelope;
  bytes: Uint8Array;
  bodyBytes: Uint8Array;
}

/** Parses an envelope (cap, canonical, sorted unique signers) without verifying anything. */
export function parseEnvelope(input: Uint8Array | Envelope): ParsedEnvelope {
  const bytes = envelopeBytes(input);
  const obj = canonicalParse(bytes, ENVELOPE_CAP, (o) => checkFields(o, ENVELOPE_SCHEMA));
  const env = obj as unknown as Envelope;
  if (env.sigs.length === 0) fail('too_few_signatures', 'no signature');
  for (let i = 1; i < env.sigs.length; i++) {
    if (!(env.sigs[i - 1]?.key < env.sigs[i]?.key)) fail('non_canonical', 'sigs not sorted by key or duplicated');
  }
  const bodyBytes = b64decode(env.body);
  if (bodyBytes.length > ENVELOPE_CAP) fail('too_large');
  const parsed = { env, bytes, bodyBytes };
  PARSED.add(parsed);
  return parsed;
}

// Only what `parseEnvelope` made counts as parsed for `peekParsed` (like PEEKED below).
const PARSED = new WeakSet<object>();

/** Parses a body of the expected kind without any signature check (to decide who must sign). */
export function peekBody<B = JsonObject>(bodyBytes: Uint8Array, kind: StatementKind): B {
  return canonicalParse(bodyBytes, ENVELOPE_CAP, (o) => checkDocument(o, kind, statementSchema(kind))) as B;
}

/**
 * A statement parsed once (`peekStatement`): its envelope and its body of one kind, nothing
 * verified yet. `preverifyStatements` and the verifiers take it in place of the bytes, so a
 * statement checked in a batch is not parsed again for its verdict.
 */
export interface PeekedStatement<B = JsonObject> {
  readonly parsed: ParsedEnvelope;
  readonly kind: StatementKind;
  readonly body: B;
}

// Only what `peekStatement` made counts as peeked: an object of the same shape from
// elsewhere (a JSON document) is parsed as an envelope, never trusted as parsed.
const PEEKED = new WeakSet<object>();

/** Parses an envelope and its body of `kind` (the checks of `openStatement` before any signature). */
export function peekStatement<B = JsonObject>(input: Uint8Array | Envelope, kind: StatementKind): PeekedStatement<B> {
  const parsed = parseEnvelope(input);
  const peeked = Object.freeze({ parsed, kind, body: peekBody<B>(parsed.bodyBytes, kind) });
  PEEKED.add(peeked);
  return peeked;
}

/**
 * `peekStatement` in two steps: the body of `kind` of an envelope `parseEnvelope` parsed
 * (one that it did not make is parsed again from its bytes).
 */
export function peekParsed<B = JsonObject>(parsed: ParsedEnvelope, kind: StatementKind): PeekedStatement<B> {
  const p = PARSED.has(parsed) ? parsed : parseEnvelope(parsed.bytes);
  const peeked = Object.freeze({ parsed: p, kind, body: peekBody<B>(p.bodyBytes, kind) });
  PEEKED.add(peeked);
  return peeked;
}

function isPeeked(input: unknown): input is PeekedStatement<unknown> {
  return typeof input === 'object' && input !== null && PEEKED.has(input);
}

/** What the verifiers take: the envelope's bytes, the envelope, or the statement peeked once. */
export type StatementInput<B = JsonObject> = Uint8Array | Envelope | PeekedStatement<B>;

/**
 * Parses the envelope and the body of the expected kind, checks who signed (when `allowed`
 * is given: exactly one signature, by one of those keys), then verifies every signature.
 * The same order as the Rust crate: body errors first, then `unauthorised_signer`, then
 * `bad_signature`. The body is returned only when every signature verified.
 */
function open<B>(input: StatementInput<B>, kind: StatementKind, allowed?: readonly string[]): Verified<B> {
  let parsed: ParsedEnvelope;
  let body: B;
  if (isPeeked(input)) {
    if (input.kind !== kind) fail('wrong_kind', `${input.kind}, not ${kind}`);
    ({ parsed, body } = input as PeekedStatement<B>);
  } else {
    parsed = parseEnvelope(input as Uint8Array | Envelope);
    body = peekBody<B>(parsed.bodyBytes, kind);
  }
  const { env } = parsed;
  if (allowed && (env.sigs.length !== 1 || !allowed.includes(env.sigs[0]?.key))) {
    fail('unauthorised_signer', env.sigs.map((s) => s.key).join(','));
  }
  return verifyParsed(parsed, body);
}

/**
 * Verifies every signature of an envelope already parsed (`parseEnvelope`) whose body the
 * caller peeked (`peekBody`): the rest of `openStatement`, without parsing either again.
 */
export function verifyParsed<B>({ env, bytes, bodyBytes }: ParsedEnvelope, body: B): Verified<B> {
  const msg = signedMessage(bodyBytes);
  for (const s of env.sigs) verifyStrict(b64decode(s.key, 32), msg, b64decode(s.sig, 64));
  return { body, signers: env.sigs.map((s) => s.key), bytes, hash: statementHash(bytes) };
}

/**
 * Has WebCrypto check every signature of these envelopes at once (`preverify`), so that the
 * synchronous verifiers that follow run faster (envelopes as bytes, or as the API's base64).
 * Decides nothing: an envelope that does not parse is skipped, and every verdict is still `verifyStrict`'s.
 */
export async function preverifyStatements(
  inputs: readonly (Uint8Array | string | PeekedStatement<unknown> | null | undefined)[],
): Promise<void> {
  const parsed: ParsedEnvelope[] = [];
  for (const input of inputs) {
    if (input === undefined || input === null) continue;
    try {
      if (isPeeked(input)) parsed.push(input.parsed);
      else parsed.push(parseEnvelope(typeof input === 'string' ? b64decode(input) : (input as Uint8Array)));
    } catch {
      // not an envelope: the verifier will say why
    }
  }
  await preverifyParsed(parsed);
}

/** `preverifyStatements` of envelopes already parsed (`parseEnvelope`). Decides nothing. */
export async function preverifyParsed(envelopes: readonly ParsedEnvelope[]): Promise<void> {
  const triples: SignedTriple[] = [];
  for (const parsed of envelopes) {
    try {
      const message = signedMessage(parsed.bodyBytes);
      for (const sig of parsed.env.sigs)
        triples.push({ key: b64decode(sig.key, 32), message, signature: b64decode(sig.sig, 64) });
    } catch {
      // not triples to preverify; the verifier will say why
    }
  }
  await preverify(triples);
}

/**
 * A parsed statement taken as verified without checking its signatures, because a statement
 * signed by a trusted key binds its hash (a journal entry before an owner-signed checkpoint).
 */
export function vouchedParsed<B>({ env, bytes }: ParsedEnvelope, body: B): Verified<B> {
  return { body, signers: env.sigs.map((s) => s.key), bytes, hash: statementHash(bytes) };
}

/** Verifies every signature of a statement (any signers); the caller checks who signed. */
export function openStatement<B = JsonObject>(input: StatementInput<B>, kind: StatementKind): Verified<B> {
  return open<B>(input, kind);
}

/** For kinds signed by exactly one key, which must be one of `signer`. */
export function verifyStatement<B = JsonObject>(
  input: StatementInput<B>,
  kind: StatementKind,
  signer: string | readonly string[],
): Verified<B> {
  return open<B>(input, kind, typeof signer === 'string' ? [signer] : signer);
}

/** What a coffre-scoped verifier decides on: the instance, the coffre and the owner epoch. */
export interface Context {
  instance: string;
  coffre: string;
  epoch: number;
}

/** Refuses a call without a full context (a missing field would skip its check). */
export function requireContext(ctx: Context): void {
  if (
    ctx === null ||
    typeof ctx !== 'object' ||
    typeof ctx.instance !== 'string' ||
    typeof ctx.coffre !== 'string' ||
    typeof ctx.epoch !== 'number'
  ) {
    fail('context_mismatch', 'a full context {instance, coffre, epoch} is required');
  }
}

/**
 * Common checks of a coffre-scoped body against what the reader expects. Every field of the
 * context is required; a body without `epoch` (inclusion and deposit receipts) is checked on
 * instance and coffre.
 */
export function expectContext(body: { instance?: unknown; coffre?: unknown; epoch?: unknown }, ctx: Context): void {
  requireContext(ctx);
  if (body.instance !== ctx.instance) fail('context_mismatch', 'instance');
  if (body.coffre !== ctx.coffre) fail('context_mismatch', 'coffre');
  if (Object.hasOwn(body, 'epoch') && body.epoch !== ctx.epoch) fail('context_mismatch', 'epoch');
}
