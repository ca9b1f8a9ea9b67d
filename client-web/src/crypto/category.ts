// Categories (spec section 5): category keys, certificates, key wraps, label files.
import { type AgeIdentity, checkPayloadSize, decryptWith, encryptTo } from './ageio';
import { fail } from './errors';
import { generateIdentity, identityToCryptoKey, recipientOf, type SigningKey } from './keys';
import { openPayload, sealPayload } from './payload';
import {
  type Context,
  expectContext,
  requireContext,
  signStatement,
  type Verified,
  verifyStatement,
} from './statement';

export interface CategoryCert {
  kind: 'category_cert';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  category: string;
  generation: number;
  recipient: string;
  not_before: number;
  not_after: number;
  created: number;
}

export interface CategoryKeyPayload {
  category: string;
  coffre: string;
  generation: number;
  identity: string;
  kind: 'category_key';
  v: 1;
}

export interface CategoryLabel {
  kind: 'category_label';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  category: string;
  name: string;
  icon: string;
  created: number;
}

/** A fresh category key CK[c, g]. */
export function generateCategoryKey(): { identity: string; recipient: string } {
  const identity = generateIdentity();
  return { identity, recipient: recipientOf(identity) };
}

export function signCategoryCert(owner: SigningKey, cert: Omit<CategoryCert, 'kind' | 'v'>): Uint8Array {
  if (cert.not_after < cert.not_before) fail('outside_validity', 'not_after < not_before');
  return signStatement({ ...cert, kind: 'category_cert', v: 1 }, owner);
}

/** Owner signature, full context and (when given) category; no time check. */
export function verifyCertStatement(
  envelope: Uint8Array,
  ownerKey: string,
  ctx: Context,
  category?: string,
): Verified<CategoryCert> {
  requireContext(ctx);
  const v = verifyStatement<CategoryCert>(envelope, 'category_cert', ownerKey);
  expectContext(v.body, ctx);
  if (category !== undefined && v.body.category !== category) fail('context_mismatch', 'category');
  if (v.body.not_after < v.body.not_before) fail('outside_validity', 'not_after < not_before');
  return v;
}

/**
 * Verifies a certificate signed by the owner for this context, whose window contains `at`
 * (a paper's deposit time, or now for a depositor; `outside_validity` otherwise).
 */
export function verifyCategoryCert(
  envelope: Uint8Array,
  ownerKey: string,
  ctx: Context,
  at: number,
  category?: string,
): Verified<CategoryCert> {
  if (!Number.isSafeInteger(at)) fail('outside_validity', 'a time is required');
  const v = verifyCertStatement(envelope, ownerKey, ctx, category);
  if (!(v.body.not_before <= at && at <= v.body.not_after)) {
    fail('outside_validity', `${at} not in [${v.body.not_before}, ${v.body.not_after}]`);
  }
  return v;
}

/** Wraps CK to one or more recipients (owner, person grantee, organisation key). */
export function wrapCategoryKey(
  ck: { coffre: string; category: string; generation: number; identity: string },
  recipients: readonly string[],
): Promise<Uint8Array> {
  return sealPayload('category_key', { ...ck, kind: 'category_key', v: 1 }, recipients);
}

/**
 * A category key CK[c, g] together with the recipient, coffre, category and generation it was
 * checked against when it was unwrapped. The identity may be the `AGE-SECRET-KEY-1…` string or
 * a non-extractable WebCrypto key (`nonExtractable()`): either way the key carries its checked
 * recipient, so `openPaper` compares it with the certificate whatever the key's form.
 */
export class CategoryKey {
  readonly identity: AgeIdentity;
  readonly recipient: string;
  readonly coffre: string;
  readonly category: string;
  readonly generation: number;

  private constructor(
    identity: AgeIdentity,
    recipient: string,
    payload: { coffre: string; category: string; generation: number },
  ) {
    this.identity = identity;
    this.recipient = recipient;
    this.coffre = payload.coffre;
    this.category = payload.category;
    this.generation = payload.generation;
  }

  /** From an unwrapped payload, after its checks. */
  static checked(payload: CategoryKeyPayload, cert: CategoryCert): CategoryKey {
    const key = new CategoryKey(payload.identity, recipientOf(payload.identity), payload);
    key.checkAgainst(cert);
    return key;
  }

  /** A key held as its identity string (owner side), checked against a verified certificate. */
  static fromIdentity(identity: string, cert: CategoryCert): CategoryKey {
    return CategoryKey.checked(
      {
        identity,
        coffre: cert.coffre,
        category: cert.category,
        generation: cert.generation,
        kind: 'category_key',
        v: 1,
      },
      cert,
    );
  }

  /** The same key as a non-extractable WebCrypto key, still carrying its checked recipient. */
  async nonExtractable(): Promise<CategoryKey> {
    if (typeof this.identity !== 'string') return this;
    return new CategoryKey(await identityToCryptoKey(this.identity), this.recipient, this);
  }

  /**
   * `recipient_mismatch` unless this key is the one `cert` certifies (spec 5: a swapped
   * recipient, coffre, category or generation are all `recipient_mismatch`).
   */
  checkAgainst(cert: CategoryCert): void {
    if (
      this.recipient !== cert.recipient ||
      this.category !== cert.category ||
      this.generation !== cert.generation ||
      this.coffre !== cert.coffre
    ) {
      fail('recipient_mismatch', 'category key does not match its certificate');
    }
  }
}

/**
 * Unwraps CK and checks it against its verified certificate: the identity's recipient must
 * be the certified one (`recipient_mismatch`), coffre, category and generation must match.
 */
export async function unwrapCategoryKey(
  file: Uint8Array,
  identities: readonly AgeIdentity[],
  cert: CategoryCert,
): Promise<CategoryKey> {
  const ck = await openPayload<CategoryKeyPayload>('category_key', file, identities);
  return CategoryKey.checked(ck, cert);
}

/** A label file: the owner-signed label envelope, encrypted to owner and grantees. */
export function sealCategoryLabel(
  owner: SigningKey,
  label: Omit<CategoryLabel, 'kind' | 'v'>,
  recipients: readonly string[],
): Promise<Uint8Array> {
  return encryptTo(recipients, signStatement({ ...label, kind: 'category_label', v: 1 }, owner));
}

export async function openCategoryLabel(
  file: Uint8Array,
  identities: readonly AgeIdentity[],
  ownerKey: string,
  ctx: Context,
  category?: string,
): Promise<CategoryLabel> {
  requireContext(ctx);
  return verifyCategoryLabel(await decryptCategoryLabel(file, identities), ownerKey, ctx, category);
}

/** The first half of `openCategoryLabel`: the label file opened, its envelope not yet verified. */
export async function decryptCategoryLabel(file: Uint8Array, identities: readonly AgeIdentity[]): Promise<Uint8Array> {
  checkPayloadSize(file);
  return decryptWith(identities, file);
}

/** The second half of `openCategoryLabel`: the owner's signature, the context and the category. */
export function verifyCategoryLabel(
  envelope: Uint8Array,
  ownerKey: string,
  ctx: Context,
  category?: string,
): CategoryLabel {
  requireContext(ctx);
  const v = verifyStatement<CategoryLabel>(envelope, 'category_label', ownerKey);
  expectContext(v.body, ctx);
  if (category !== undefined && v.body.category !== category) fail('context_mismatch', 'category');
  return v.body;
}
