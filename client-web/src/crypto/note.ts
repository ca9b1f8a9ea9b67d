// Mandate notes (spec section 8.1): the name the owner gave a mandate's grantee, in an
// owner-signed `mandate_note` statement sealed to the owner's own recipient. The host keeps
// the file and cannot read it; a note it makes (it knows the owner's recipient) fails the
// owner's signature, and one moved to another mandate or coffre fails its context.
import { type AgeIdentity, decryptWith, encryptTo } from './ageio';
import { utf8Encode } from './encoding';
import { fail } from './errors';
import type { SigningKey } from './keys';
import { type Context, expectContext, requireContext, signStatement, verifyStatement } from './statement';

/** Largest note file, checked before decryption (`too_large`); the server checks it too. */
export const NOTE_CAP = 2048;
/** Longest name, in UTF-8 bytes: what the 60-character field can hold. */
export const NOTE_NAME_MAX_BYTES = 180;

export interface MandateNote {
  kind: 'mandate_note';
  v: 1;
  instance: string;
  coffre: string;
  epoch: number;
  mandate: string;
  name: string;
  created: number;
}

/** 1 to 180 UTF-8 bytes, no control character (U+0000–U+001F, U+007F); else `malformed`. */
export function checkNoteName(name: string): void {
  const bytes = utf8Encode(name).length;
  if (bytes === 0 || bytes > NOTE_NAME_MAX_BYTES) fail('malformed', "a note's name is 1 to 180 bytes");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is exactly about them
  if (/[\u0000-\u001f\u007f]/.test(name)) fail('malformed', "a control character in a note's name");
}

/** Signs the note with the owner key and seals it to the owner's recipient alone. */
export async function sealMandateNote(
  owner: SigningKey,
  note: Omit<MandateNote, 'kind' | 'v'>,
  ownerRecipient: string,
): Promise<Uint8Array> {
  const body: MandateNote = { ...note, kind: 'mandate_note', v: 1 };
  checkNoteName(body.name);
  const file = await encryptTo([ownerRecipient], signStatement(body, owner));
  if (file.length > NOTE_CAP) fail('too_large', `${file.length} > ${NOTE_CAP}`);
  return file;
}

/**
 * Opens a note file, in this order: its size (`too_large`), decryption (`decryption_failed`),
 * the envelope signed by exactly the owner key (`bad_signature`, `unauthorised_signer`),
 * instance, coffre and epoch (`context_mismatch`), the mandate it names (`context_mismatch`),
 * its name (`malformed`).
 */
export async function openMandateNote(
  file: Uint8Array,
  identities: readonly AgeIdentity[],
  ownerKey: string,
  ctx: Context,
  mandate: string,
): Promise<MandateNote> {
  requireContext(ctx);
  if (file.length > NOTE_CAP) fail('too_large', `${file.length} > ${NOTE_CAP}`);
  const envelope = await decryptWith(identities, file);
  const { body } = verifyStatement<MandateNote>(envelope, 'mandate_note', ownerKey);
  expectContext(body, ctx);
  if (body.mandate !== mandate) fail('context_mismatch', 'mandate');
  checkNoteName(body.name);
  return body;
}
