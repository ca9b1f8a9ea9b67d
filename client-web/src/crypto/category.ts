// Categories (spec section 5): category keys, certificates, key wraps, label files.
import { checkPayloadSize, decryptWith, encryptTo, type AgeIdentity } from './ageio';
import { fail } from './errors';
import { generateIdentity, recipientOf, type SigningKey } from './keys';
import { openPayload, sealPayload } from './payload';
import { expectContext, signStatement, verifyStatement, type Verified } from './statement';

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
  if (cert.not_after < cert.not_before) fail('malformed', 'not_after < not_before');
  return signStatement({ ...cert, kind: 'category_cert', v: 1 }, owner);
}

/**
 * Verifies a certificate signed by the owner; when `at` is given (a paper's upload time, or
 * now for a depositor), the validity window must contain it (`outside_validity`).
 */
export function verifyCategoryCert(
  envelope: Uint8Array,
  ownerKey: string,
  ctx: { instance?: string; coffre?: string; epoch?: number; category?: string; at?: number } = {},
): Verified<CategoryCert> {
  const v = verifyStatement<CategoryCert>(envelope, 'category_cert', ownerKey);
  expectContext(v.body, ctx);
  if (ctx.category !== undefined && v.body.category !== ctx.category) fail('context_mismatch', 'category');
  if (v.body.not_after < v.body.not_before) fail('malformed', 'not_after < not_before');
  if (ctx.at !== undefined && !(v.body.not_before <= ctx.at && ctx.at <= v.body.not_after)) {
    fail('outside_validity', `${ctx.at} not in [${v.body.not_before}, ${v.body.not_after}]`);
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
 * Unwraps CK and checks it against its verified certificate: the identity's recipient must
 * be the certified one (`recipient_mismatch`), category and generation must match.
 */
export async function unwrapCategoryKey(
  file: Uint8Array,
  identities: readonly AgeIdentity[],
  cert: CategoryCert,
): Promise<CategoryKeyPayload> {
  const ck = await openPayload<CategoryKeyPayload>('category_key', file, identities);
  // Spec 5: a swapped recipient, coffre, category or generation are all `recipient_mismatch`.
  if (
    recipientOf(ck.identity) !== cert.recipient ||
    ck.category !== cert.category ||
    ck.generation !== cert.generation ||
    ck.coffre !== cert.coffre
  ) {
    fail('recipient_mismatch', 'category key does not match its certificate');
  }
  return ck;
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
  ctx: { instance?: string; coffre?: string; epoch?: number; category?: string } = {},
): Promise<CategoryLabel> {
  checkPayloadSize(file);
  const env = await decryptWith(identities, file);
  const v = verifyStatement<CategoryLabel>(env, 'category_label', ownerKey);
  expectContext(v.body, ctx);
  if (ctx.category !== undefined && v.body.category !== ctx.category) fail('context_mismatch', 'category');
  return v.body;
}

