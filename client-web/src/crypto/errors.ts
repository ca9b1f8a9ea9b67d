// One error type for the whole protocol module, mirroring `coffre_crypto::Error`.
// `code` is the stable snake_case name (the Rust variant `RecipientMismatch` is
// `recipient_mismatch` here); `errorName()` gives the Rust spelling back for the
// cross-implementation vectors and the live peer.

// Exactly the codes of `coffre_crypto::Error::code()` (crypto/src/error.rs).
export const ERROR_CODES = [
  'too_large',
  'header_too_large',
  'non_canonical',
  'malformed',
  'unknown_field',
  'duplicate_field',
  'unknown_version',
  'wrong_kind',
  'bad_base64',
  'bad_key',
  'bad_signature',
  'unauthorised_signer',
  'too_few_signatures',
  'context_mismatch',
  'recipient_mismatch',
  'outside_validity',
  'hash_mismatch',
  'paper_id_mismatch',
  'paper_missing',
  'decryption_failed',
  'grantee_key_mismatch',
  'root_mismatch',
  'counter_gap',
  'proof_missing',
  'entry_missing',
  'not_allowed',
  'revoked',
  'seq_gap',
  'broken_link',
  'time_reversed',
  'rollback',
  'fork',
  'not_a_responsable',
  'bad_chain',
  'bad_succession',
  'backend',
] as const;

/**
 * Codes of this module that have no Rust variant, because the Rust API makes the misuse
 * impossible to write: `stream_unfinished` — `finishSeal` called on a content stream that has
 * not been read to its end (or that failed or was cancelled); Rust's `finish_seal` needs the
 * `ContentDigest` that only a completed `seal_content_stream` returns.
 */
export const CLIENT_ERROR_CODES = ['stream_unfinished'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number] | (typeof CLIENT_ERROR_CODES)[number];

export class CoffreCryptoError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'CoffreCryptoError';
    this.code = code;
  }
}

export function fail(code: ErrorCode, detail?: string): never {
  throw new CoffreCryptoError(code, detail);
}

/** `recipient_mismatch` → `RecipientMismatch` (the Rust variant name). */
export function errorName(code: string): string {
  return code
    .split('_')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** `RecipientMismatch` or `recipient_mismatch` → `recipient_mismatch`. */
export function errorCodeOf(name: string): string {
  if (/^[a-z0-9_]+$/.test(name)) return name;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
