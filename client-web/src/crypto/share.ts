// Share links (spec section 11): a fresh 32-byte secret S whose age identity the paper is
// re-encrypted to; S travels in the URL fragment, never to the server.
import { decryptWith, encryptTo } from './ageio';
import { b64decode, b64encode } from './encoding';
import { fail } from './errors';
import { uuid } from './fields';
import { identityFromBytes, randomBytes, recipientOf } from './keys';

export function generateShareSecret(): Uint8Array {
  return randomBytes(32);
}

/** The age identity made from S (S is the identity's 32 bytes). */
export function shareIdentity(secret: Uint8Array): string {
  if (secret.length !== 32) fail('bad_key', 'share secret must be 32 bytes');
  return identityFromBytes(secret);
}

export function shareRecipient(secret: Uint8Array): string {
  return recipientOf(shareIdentity(secret));
}

export function shareLink(instance: string, shareId: string, secret: Uint8Array): string {
  uuid(shareId, 'share');
  return `${instance}/p/${shareId}#${b64encode(secret)}`;
}

export function parseShareLink(link: string): { instance: string; shareId: string; secret: Uint8Array } {
  const m = /^(https?:\/\/[^/#?]+)\/p\/([0-9a-f-]{36})#([A-Za-z0-9_-]{43})$/.exec(link);
  if (!m) fail('malformed', 'not a share link');
  uuid(m[2]!, 'share');
  return { instance: m[1]!, shareId: m[2]!, secret: b64decode(m[3]!, 32) };
}

/** Re-encrypts a paper's plaintext to the share secret. */
export function sealForShare(plaintext: Uint8Array, secret: Uint8Array): Promise<Uint8Array> {
  return encryptTo([shareRecipient(secret)], plaintext);
}

export async function openShared(file: Uint8Array, secret: Uint8Array): Promise<Uint8Array> {
  return decryptWith([shareIdentity(secret)], file);
}
