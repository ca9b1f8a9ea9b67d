// Papers (spec section 6): seal (content + metadata envelope + upload statement), open
// (statement → certificate → ciphertext hash → full decryption → metadata), deletions.
import { sha256 } from '@noble/hashes/sha2.js';
import { type AgeIdentity, checkPayloadSize, decryptWith, encryptStreamTo, encryptTo } from './ageio';
import { type CategoryCert, CategoryKey, verifyCategoryCert, verifyCertStatement } from './category';
import { verifyDepositReceipt } from './deposit';
import { b64decode, b64encode, bytesEqual, sha256Async, zeroize } from './encoding';
import { fail } from './errors';
import type { SigningKey } from './keys';
import { checkMandateInForce, type Mandate, type MandateEnd } from './mandate';
import type { IndexEntry } from './paper-index';
import { openPayload, sealPayload } from './payload';
import {
  type Context,
  expectContext,
  parseEnvelope,
  peekBody,
  requireContext,
  signStatement,
  type Verified,
  verifyParsed,
  verifyStatement,
} from './statement';

export interface PaperMeta {
  doc_type: string;
  expires?: string;
  filename: string;
  issued?: string;
  kind: 'paper_meta';
  mime: string;
  pages: number;
  paper: string;
  /** The paper this one is a newer version of (only readers of the metadata learn it). */
  replaces?: string;
  sha256: string;
  size: number;
  title: string;
  v: 1;
}

export type PaperMetaInput = Omit<PaperMeta, 'kind' | 'v' | 'paper' | 'sha256' | 'size'>;

export interface Upload {
  kind: 'upload';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  paper: string;
  category: string;
  generation: number;
  content_sha256: string;
  meta_sha256: string;
  content_size: number;
  uploader: string;
  mandate?: string;
  created: number;
}

export interface Deletion {
  kind: 'deletion';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  paper: string;
  content_sha256: string;
  created: number;
}

export interface SealedPaper {
  content: Uint8Array;
  meta: Uint8Array;
  upload: Uint8Array;
}

export interface SealInput {
  instance: string;
  coffre: string;
  epoch: number;
  paper: string;
  /** The owner-signed certificate of CK[c, g] the depositor uses. */
  cert: Uint8Array;
  ownerKey: string;
  uploader: SigningKey;
  mandate?: string;
  created: number;
  content: Uint8Array;
  meta: PaperMetaInput;
}

/** What `finishSeal` needs: everything `sealPaper` takes except the content itself. */
export type FinishSealInput = Omit<SealInput, 'content'>;

/** What `sealContentStream` needs to pick (and check) the recipient: the certificate. */
export type ContentStreamInput = Pick<SealInput, 'instance' | 'coffre' | 'epoch' | 'cert' | 'ownerKey'>;

/** SHA-256 and length of both sides of a content file (Rust `ContentDigest`). */
export interface ContentDigest {
  /** SHA-256 of the ciphertext (the upload's `content_sha256`). */
  ctSha256: Uint8Array;
  /** Ciphertext length (the upload's `content_size`). */
  ctSize: number;
  /** SHA-256 of the plaintext (the metadata's `sha256`). */
  plainSha256: Uint8Array;
  /** Plaintext length (the metadata's `size`). */
  plainSize: number;
}

/** The metadata file and signed upload statement of a streamed seal (`finishSeal`). */
export interface SealedStatement {
  meta: Uint8Array;
  upload: Uint8Array;
  digest: ContentDigest;
}

/** Owner signature, context, and (when `created` is given) the window containing it. */
function certForSeal(input: ContentStreamInput & { created?: number }): CategoryCert {
  const ctx = { instance: input.instance, coffre: input.coffre, epoch: input.epoch };
  return input.created === undefined
    ? verifyCertStatement(input.cert, input.ownerKey, ctx).body
    : verifyCategoryCert(input.cert, input.ownerKey, ctx, input.created).body;
}

/**
 * Metadata file and signed upload statement from the content digest; shared by `sealPaper`
 * and `finishSeal` (Rust: `finish_seal`). `cert` is verified at `input.created`. The
 * ciphertext digest may still be running (WebCrypto, off the main thread): the metadata file
 * is sealed meanwhile, since it does not depend on it.
 */
async function sealMetaAndUpload(
  input: FinishSealInput,
  cert: CategoryCert,
  plain: Pick<ContentDigest, 'plainSha256' | 'plainSize'>,
  content: Promise<Pick<ContentDigest, 'ctSha256' | 'ctSize'>>,
): Promise<{ meta: Uint8Array; upload: Uint8Array; digest: ContentDigest }> {
  const meta: PaperMeta = {
    ...input.meta,
    kind: 'paper_meta',
    v: 1,
    paper: input.paper,
    sha256: b64encode(plain.plainSha256),
    size: plain.plainSize,
  };
  checkMetaRules(meta);
  const metaFile = await sealPayload('paper_meta', meta, [cert.recipient]);
  const ct = await content;
  const upload: Upload = {
    kind: 'upload',
    v: 1,
    instance: input.instance,
    coffre: input.coffre,
    epoch: input.epoch,
    paper: input.paper,
    category: cert.category,
    generation: cert.generation,
    content_sha256: b64encode(ct.ctSha256),
    meta_sha256: b64encode(sha256(metaFile)),
    content_size: ct.ctSize,
    uploader: input.uploader.publicB64,
    mandate: input.mandate,
    created: input.created,
  };
  return {
    meta: metaFile,
    upload: signStatement(upload, input.uploader),
    digest: { ...ct, plainSha256: plain.plainSha256, plainSize: plain.plainSize },
  };
}

/**
 * Encrypts a paper held in memory and its metadata to the certified category key and signs
 * the upload statement. The certificate must be the owner's and valid at `created`.
 * Large files: `sealContentStream` + `finishSeal`.
 */
export async function sealPaper(input: SealInput): Promise<SealedPaper> {
  // WebCrypto hashes off the main thread: the plaintext digest runs while the certificate is
  // verified and age encrypts, the ciphertext digest while the metadata file is sealed.
  const plainSha256 = sha256Async(input.content);
  plainSha256.catch(() => {});
  const cert = certForSeal(input);
  const content = await encryptTo([cert.recipient], input.content);
  const ct = sha256Async(content).then((ctSha256) => ({ ctSha256, ctSize: content.length }));
  const plain = { plainSha256: await plainSha256, plainSize: input.content.length };
  const { meta, upload } = await sealMetaAndUpload(input, cert, plain, ct);
  return { content, meta, upload };
}

/** A content file being stream-encrypted (`sealContentStream`). */
export interface ContentSealStream {
  /** The age file to upload, produced as it is read. Read it to its end exactly once. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The certified recipient the content is encrypted to. */
  readonly recipient: string;
  /** True once `stream` has been read to its end (false again never; false if it failed). */
  readonly finished: boolean;
  /** The ciphertext length for a plaintext of `plainSize` bytes (e.g. `File.size`). */
  ciphertextSize(plainSize: number): number;
  /**
   * Both hashes and sizes, available only once `stream` has been read to its end; before
   * that, or after an error or cancel, throws `stream_unfinished`.
   */
  digest(): ContentDigest;
}

/**
 * Stream-encrypts content (e.g. `File.stream()`) to the certified category recipient,
 * hashing the plaintext and the ciphertext as bytes flow (Rust: `seal_content_stream`).
 * Memory stays bounded: one 64 KiB STREAM chunk and the streams' small queues; the output
 * is pulled (nothing is produced ahead of the reader). When `stream` has been read to its
 * end, pass the result to `finishSeal` for the metadata file and the upload statement.
 *
 * The certificate's owner signature and context are checked here; its window is checked
 * against `created` by `finishSeal`.
 */
export async function sealContentStream(
  input: ContentStreamInput,
  content: ReadableStream<Uint8Array>,
): Promise<ContentSealStream> {
  const cert = certForSeal(input);
  if (!(content instanceof ReadableStream)) fail('malformed', 'a ReadableStream<Uint8Array> is expected');
  const plainHash = sha256.create();
  let plainSize = 0;
  const hashPlain = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array)) fail('malformed', 'content chunks must be Uint8Array');
      plainHash.update(chunk);
      plainSize += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const ct = await encryptStreamTo([cert.recipient], content.pipeThrough(hashPlain));
  const reader = ct.getReader();
  const ctHash = sha256.create();
  let ctSize = 0;
  let state: 'running' | 'done' | 'failed' = 'running';
  let digest: ContentDigest | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          state = 'failed';
          throw e;
        }
        if (r.done) {
          // The age stream ends only after the input ended and the last chunk was sealed:
          // both hashes are complete.
          digest = { ctSha256: ctHash.digest(), ctSize, plainSha256: plainHash.digest(), plainSize };
          state = 'done';
          controller.close();
          return;
        }
        ctHash.update(r.value);
        ctSize += r.value.length;
        controller.enqueue(r.value);
      },
      cancel(reason) {
        state = 'failed';
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    recipient: cert.recipient,
    get finished() {
      return state === 'done';
    },
    ciphertextSize: (n: number) => ct.size(n),
    digest(): ContentDigest {
      if (state === 'failed') fail('stream_unfinished', 'the content stream failed or was cancelled');
      if (state !== 'done' || !digest) fail('stream_unfinished', 'the content stream has not been read to its end');
      return { ...digest, ctSha256: digest.ctSha256.slice(), plainSha256: digest.plainSha256.slice() };
    },
  };
}

/**
 * Finishes a streamed seal (Rust: `finish_seal`): once `sealed.stream` has been read to its
 * end, builds the metadata file (plaintext `sha256`/`size`) and signs the upload statement
 * (ciphertext `content_sha256`/`content_size`) exactly as `sealPaper` does. Throws
 * `stream_unfinished` before the end (or after a failed/cancelled stream), `outside_validity`
 * when `created` is outside the certificate window, `recipient_mismatch` when `input.cert`
 * certifies another recipient than the one the content was encrypted to.
 */
export async function finishSeal(input: FinishSealInput, sealed: ContentSealStream): Promise<SealedStatement> {
  const digest = sealed.digest();
  const cert = certForSeal(input);
  if (cert.recipient !== sealed.recipient) fail('recipient_mismatch', 'the content was encrypted to another recipient');
  return sealMetaAndUpload(input, cert, digest, Promise.resolve(digest));
}

/** A deposit mandate and who may act under it. */
export interface MandateGrant {
  /** The mandate, verified (`openMandate` or `verifyMandate`). */
  mandate: Verified<Mandate>;
  /** The keys allowed to act under it (the person's key, or the organisation's members). */
  keys: readonly string[];
  /** Its verified revocations and renunciations (`verifyRevocation`, `verifyRenunciation`). */
  ends: readonly MandateEnd[];
}

/** Who may have uploaded: the owner, or a key acting under a verified deposit mandate. */
export interface UploaderPolicy {
  /** The owner's key for this epoch. */
  owner: string;
  /** Deposit mandates of this coffre. */
  mandates?: readonly MandateGrant[];
  /** The instance's server key, which signs deposit receipts (needed for mandated uploads). */
  serverKey?: string;
}

/**
 * The time an upload is judged at, after checking its uploader against the policy
 * (hardening 3). The owner's own upload: its `created`. An upload under a mandate: the
 * deposit receipt's `time` (the receipt is required, `not_allowed` without it); the
 * mandate must be a deposit mandate of this coffre listing the category and the uploader
 * (`unauthorised_signer`), its window must contain that time (`outside_validity`) and no
 * revocation or renunciation may have taken effect at or before it (`revoked`).
 */
export function uploadTime(
  policy: UploaderPolicy,
  upload: Verified<Upload>,
  ctx: Context,
  receipt?: Uint8Array,
): number {
  const up = upload.body;
  if (up.mandate === undefined) {
    if (up.uploader !== policy.owner) fail('unauthorised_signer', 'uploader not allowed');
    return up.created;
  }
  const grant = (policy.mandates ?? []).find(({ mandate }) => mandate.body.mandate === up.mandate);
  const m = grant?.mandate.body;
  if (
    !grant ||
    !m ||
    m.coffre !== up.coffre ||
    m.instance !== up.instance ||
    !(m.rights === 'deposit' || m.rights === 'consult_deposit') ||
    !m.categories.includes(up.category) ||
    !grant.keys.includes(up.uploader)
  ) {
    fail('unauthorised_signer', 'uploader not allowed by a deposit mandate');
  }
  // Like the Rust crate: no receipt (or no server key to check one) is `not_allowed`.
  if (receipt === undefined || policy.serverKey === undefined) {
    fail('not_allowed', 'an upload under a mandate needs its deposit receipt');
  }
  const time = verifyDepositReceipt(receipt, policy.serverKey, ctx, upload).body.time;
  checkMandateInForce(m, time, grant.ends);
  return time;
}

export interface OpenInput {
  instance: string;
  coffre: string;
  /** The owner epoch expected (the statement's `epoch`). */
  epoch: number;
  /** The paper id the server listed: a replayed statement of another paper is refused. */
  paper: string;
  upload: Uint8Array;
  /** The server's deposit receipt of `upload`: required for an upload under a mandate. */
  depositReceipt?: Uint8Array;
  /** Who may have uploaded (the owner key is also the certificate's signer). */
  policy: UploaderPolicy;
  cert: Uint8Array;
  content: Uint8Array;
  meta: Uint8Array;
  /**
   * CK[c, g]: a `CategoryKey` from `unwrapCategoryKey` (string or WebCrypto identity, with the
   * recipient checked at unwrap), or the identity string. Either way its recipient must be
   * the certificate's (`recipient_mismatch`).
   */
  key: CategoryKey | string;
}

export interface OpenedPaper {
  plaintext: Uint8Array;
  meta: PaperMeta;
  upload: Verified<Upload>;
}

/** The rule on a metadata payload beyond its schema: a paper does not replace itself (`malformed`). */
function checkMetaRules(meta: PaperMeta): void {
  if (meta.replaces === meta.paper) fail('malformed', 'a paper cannot replace itself');
}

/** What opening a paper's metadata takes: everything `openPaper` does but the content. */
export type OpenMetaInput = Omit<OpenInput, 'content'>;

/**
 * The checks before the content, in the Rust crate's order: body, signer = uploader,
 * signature, policy, context, paper id, deposit time, certificate at it, the category key
 * against it; then the metadata file's cap and hash.
 */
function verifyUploadAndMetaFile(input: OpenMetaInput): { upload: Verified<Upload>; identity: AgeIdentity } {
  const ctx: Context = { instance: input.instance, coffre: input.coffre, epoch: input.epoch };
  requireContext(ctx);
  const parsed = parseEnvelope(input.upload);
  const { env } = parsed;
  const peeked = peekBody<Upload>(parsed.bodyBytes, 'upload');
  if (env.sigs.length !== 1 || env.sigs[0]?.key !== peeked.uploader)
    fail('unauthorised_signer', 'uploader is not the signer');
  const upload = verifyParsed(parsed, peeked);
  const u = upload.body;
  if (u.mandate === undefined && u.uploader !== input.policy.owner) fail('unauthorised_signer', 'uploader not allowed');
  expectContext(u, ctx);
  if (u.paper !== input.paper) fail('paper_id_mismatch');
  const at = uploadTime(input.policy, upload, ctx, input.depositReceipt);
  const cert: CategoryCert = verifyCategoryCert(input.cert, input.policy.owner, ctx, at, u.category).body;
  if (cert.generation !== u.generation) fail('context_mismatch', 'generation');
  const key = typeof input.key === 'string' ? CategoryKey.fromIdentity(input.key, cert) : input.key;
  if (!(key instanceof CategoryKey)) fail('recipient_mismatch', 'a CategoryKey or an identity string is required');
  key.checkAgainst(cert);
  // The small metadata file first, then (openPaper) the content.
  checkPayloadSize(input.meta);
  if (!bytesEqual(sha256(input.meta), b64decode(u.meta_sha256, 32))) fail('hash_mismatch', 'meta');
  return { upload, identity: key.identity };
}

/** A paper's verified upload statement and metadata, without its content. */
export interface OpenedMeta {
  upload: Verified<Upload>;
  meta: PaperMeta;
}

/**
 * Opens a paper's metadata file as `openPaper` does (statement, certificate, the file's cap
 * and hash, its paper), without the content (Rust `open_meta`): a paper listed from its own
 * files, e.g. one newer than its category's index.
 */
export async function openPaperMeta(input: OpenMetaInput): Promise<OpenedMeta> {
  const { upload, identity } = verifyUploadAndMetaFile(input);
  const meta = await openPayload<PaperMeta>('paper_meta', input.meta, [identity]);
  checkMetaRules(meta);
  if (meta.paper !== upload.body.paper) fail('paper_id_mismatch', 'metadata names another paper');
  return { upload, meta };
}

/** A paper's entry in its category generation's index (Rust `OpenedMeta::index_entry`). */
export function indexEntryOf(opened: OpenedMeta): IndexEntry {
  return {
    content_sha256: opened.upload.body.content_sha256,
    meta: opened.meta,
    paper: opened.upload.body.paper,
    upload: b64encode(opened.upload.hash),
  };
}

/**
 * Opens a paper. Plaintext is returned only after: statement signature and signer, context,
 * certificate signature and window containing the upload time, ciphertext hashes, full age
 * decryption (the STREAM authenticates the last chunk last), the metadata's paper and size.
 * The plaintext is not hashed again (spec 6): the signed ciphertext hash matched and age
 * authenticated it. The ciphertext is hashed (WebCrypto, off the main thread) while it
 * decrypts; failures are reported in the spec's order and a refused plaintext is wiped.
 */
export async function openPaper(input: OpenInput): Promise<OpenedPaper> {
  // Hashed from the start, off the main thread: compared only once the statement verified.
  const ctHash = sha256Async(input.content);
  ctHash.catch(() => {});
  const { upload, identity } = verifyUploadAndMetaFile(input);
  const u = upload.body;
  if (input.content.length !== u.content_size) fail('hash_mismatch', 'content size');
  const signedHash = b64decode(u.content_sha256, 32);
  const decrypted = decryptWith([identity], input.content).then(
    (plaintext) => ({ plaintext }),
    (error: unknown) => ({ error }),
  );
  const hash = await ctHash;
  const outcome = await decrypted;
  try {
    if (!bytesEqual(hash, signedHash)) fail('hash_mismatch', 'content');
    if ('error' in outcome) throw outcome.error;
    const meta = await openPayload<PaperMeta>('paper_meta', input.meta, [identity]);
    checkMetaRules(meta);
    if (meta.paper !== u.paper) fail('paper_id_mismatch', 'metadata names another paper');
    if (meta.size !== outcome.plaintext.length) fail('hash_mismatch', 'plaintext size');
    return { plaintext: outcome.plaintext, meta, upload };
  } catch (e) {
    if ('plaintext' in outcome) zeroize(outcome.plaintext);
    throw e;
  }
}

export function signDeletion(owner: SigningKey, d: Omit<Deletion, 'kind' | 'v'>): Uint8Array {
  return signStatement({ ...d, kind: 'deletion', v: 1 }, owner);
}

export function verifyDeletion(envelope: Uint8Array, ownerKey: string, ctx: Context): Verified<Deletion> {
  requireContext(ctx);
  const v = verifyStatement<Deletion>(envelope, 'deletion', ownerKey);
  expectContext(v.body, ctx);
  return v;
}

/**
 * Every paper with a verified upload must be listed by the server, unless the owner signed
 * its deletion (same paper, same content hash); otherwise `paper_missing`.
 */
export function checkPapersPresent(
  uploads: readonly Pick<Upload, 'paper' | 'content_sha256'>[],
  deletions: readonly Deletion[],
  listed: Iterable<string>,
): void {
  const present = new Set(listed);
  for (const u of uploads) {
    if (present.has(u.paper)) continue;
    const deleted = deletions.some((d) => d.paper === u.paper && d.content_sha256 === u.content_sha256);
    if (!deleted) fail('paper_missing', u.paper);
  }
}
