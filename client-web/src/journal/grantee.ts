// The grantee acts of the owner's journal (protocol.md section 9) matched with the
// grantee-signed statements the server serves for the mandates this coffre gave: an entry
// whose `proof` names no verified statement is an act the host invented (`proof_missing`);
// over the whole journal, a verified statement no entry records is an act the host hid
// (`entry_missing`). Both are shown as warnings next to the journal, which stays readable.
import { CoffreCryptoError } from '../crypto/errors';
import { checkGranteeProofs, GRANTEE_ACTIONS, type GranteeStatement, type JournalEntry } from '../crypto/journal';
import type { MandatesApi } from '../mandates/api';
import { type GivenMandate, loadGiven } from '../mandates/owner';
import type { Unlocked } from '../session';
import { verifiedJournal } from './index';

export interface GranteeCheck {
  /** Seqs of grantee entries whose proof names no statement served (or another act's). */
  invented: number[];
  /** Some verified grantee statement is recorded by no entry (only over the whole journal). */
  hidden: boolean;
  /** Mandate id → its number, for « mandat n° 12 » next to a grantee act. */
  numbers: Map<string, number>;
}

/**
 * `entries`: the verified journal page (`verifiedJournal`); `complete` when it starts at
 * seq 0. `given`: `loadGiven`'s answer (mandates and their statements, each verified).
 */
export function checkGranteeActs(
  entries: readonly JournalEntry[],
  given: readonly GivenMandate[],
  complete: boolean,
): GranteeCheck {
  const statements: GranteeStatement[] = given.flatMap((g) => (g.mandate ? g.statements : []));
  const numbers = new Map(given.map((g) => [g.item.mandate, g.item.number]));
  const invented: number[] = [];
  const recorded: JournalEntry[] = [];
  const named = new Set<string>();
  for (const e of entries) {
    if (!GRANTEE_ACTIONS.has(e.action)) continue;
    try {
      checkGranteeProofs([e], statements, false);
    } catch (err) {
      if (!(err instanceof CoffreCryptoError)) throw err;
      invented.push(e.seq);
      continue;
    }
    // A second entry naming the same statement records no second act.
    if (named.has(e.proof as string)) invented.push(e.seq);
    else recorded.push(e);
    named.add(e.proof as string);
  }
  let hidden = false;
  try {
    checkGranteeProofs(recorded, statements, complete);
  } catch (err) {
    if (!(err instanceof CoffreCryptoError)) throw err;
    hidden = true;
  }
  return { invented, hidden, numbers };
}

/**
 * Fetches the mandates this coffre gave with their statements (each verified, `loadGiven`)
 * and matches them with the journal this session verified last (`verifiedJournal`).
 */
export async function loadGranteeCheck(session: Unlocked, m?: MandatesApi): Promise<GranteeCheck | undefined> {
  const entries = verifiedJournal(session);
  if (!entries) return undefined;
  const given = await loadGiven(session, m);
  return checkGranteeActs(entries, given, entries.length === 0 || entries[0]?.seq === 0);
}
