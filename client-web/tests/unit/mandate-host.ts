// A fake mandate host for the owner's side of the unit tests (mandate-owner, journal-grantee,
// mandate-list): one owner, one aidant (a person grantee), one category, mandates signed by
// the owner as the server would list them, the aidant's access receipts and the server's
// journal entries of them, and a `MandatesApi` that serves exactly what a test hands it —
// so each test says what a malicious host drops, forges or moves.
import { b64decode, b64encode } from '../../src/crypto/encoding';
import { type JournalEntry, signJournalEntry } from '../../src/crypto/journal';
import { OwnerKeys, randomBytes, SigningKey } from '../../src/crypto/keys';
import { signAccessReceipt, signMandate } from '../../src/crypto/mandate';
import { openStatement, statementHash } from '../../src/crypto/statement';
import type { MandateItem, MandatesApi } from '../../src/mandates/api';
import type { Unlocked } from '../../src/session';

export const instance = 'http://localhost:4000';
export const owner = OwnerKeys.fromSeed(randomBytes(32));
export const aidant = OwnerKeys.fromSeed(randomBytes(32));
/** The instance's server key (it signs the entries of what a grantee did). */
export const serverKey = SigningKey.generate();
export const coffre = crypto.randomUUID();
export const category = crypto.randomUUID();
export const now = 1_900_000_000;
export const DAY = 86_400;
export const session = { instance, coffre, epoch: 0, keys: owner, shared: true } as unknown as Unlocked;

/** A one-month consult mandate to the aidant, signed by `signer`, listed as in force. */
export function mandate({ signer = owner, number = 1 }: { signer?: OwnerKeys; number?: number } = {}): MandateItem {
  const id = crypto.randomUUID();
  const granteeId = crypto.randomUUID();
  const notAfter = now + 31 * DAY;
  const statement = signMandate(signer.signing, {
    instance,
    coffre,
    epoch: 0,
    mandate: id,
    grantee: { type: 'person', id: granteeId, key: aidant.publicKey, recipient: aidant.recipient },
    categories: [category],
    rights: 'consult',
    not_before: now,
    not_after: notAfter,
    text_sha256: b64encode(randomBytes(32)),
    created: now,
  });
  return {
    mandate: id,
    number,
    coffre,
    owner_key: owner.publicKey,
    grantee: { type: 'person', id: granteeId, key: aidant.publicKey },
    rights: 'consult',
    categories: [category],
    not_before: now,
    not_after: notAfter,
    state: 'in_force',
    days_left: 31,
    statement: b64encode(statement),
    end: null,
  };
}

/** The aidant's access receipt number `counter` under `m` (b64). */
export const receipt = (m: MandateItem, counter: number, { action = 'download', by = aidant } = {}) =>
  b64encode(
    signAccessReceipt(by.signing, {
      instance,
      coffre,
      epoch: 0,
      mandate: m.mandate,
      paper: category,
      action,
      counter,
      created: now + counter,
    }),
  );

/** A journal entry signed by `signer` (its `prev` random: these tests match acts, not links). */
function entry(signer: SigningKey, seq: number, fields: Pick<JournalEntry, 'action' | 'object' | 'mandate' | 'proof'>) {
  const signed = signJournalEntry(signer, {
    ...fields,
    body_sha256: b64encode(randomBytes(32)),
    coffre,
    epoch: 0,
    instance,
    prev: b64encode(randomBytes(32)),
    seq,
    time: now + seq,
  });
  return openStatement<JournalEntry>(signed, 'journal_entry').body;
}

/** The server's `mandate_accessed` entry recording `receiptB64` (its proof the receipt's hash). */
export const accessed = (seq: number, m: MandateItem, receiptB64: string): JournalEntry =>
  entry(serverKey, seq, {
    action: 'mandate_accessed',
    object: category,
    mandate: m.mandate,
    proof: b64encode(statementHash(b64decode(receiptB64))),
  });

/** An owner-signed entry of `action` about `object` (a mandate granted or revoked). */
export const ownerEntry = (seq: number, action: string, object: string): JournalEntry =>
  entry(owner.signing, seq, { action, object });

/** A host that lists `given` and serves, per mandate id, the receipts it is handed (no deposit). */
export function host(given: MandateItem[], receipts: Record<string, string[]> = {}): MandatesApi {
  return {
    list: async () => ({ given, received: [] }),
    receipts: async (id: string) => ({ receipts: receipts[id] ?? [] }),
    deposits: async () => ({ deposits: [] }),
  } as unknown as MandatesApi;
}
