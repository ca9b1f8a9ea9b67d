// The grantee acts of the owner's journal (protocol.md section 9) matched with the
// grantee-signed statements the server serves for the mandates this coffre gave: an entry
// whose `proof` names no verified statement is an act the host invented (`proof_missing`);
// over the whole journal, a verified statement no entry records is an act the host hid
// (`entry_missing`). Both are shown as warnings next to the journal, which stays readable.
import { CoffreCryptoError } from '../crypto/errors';
import { checkGranteeProofs, GRANTEE_ACTIONS, type GranteeStatement, type JournalEntry } from '../crypto/journal';
import type { Mandate } from '../crypto/mandate';
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
  /** Seq of a grantee entry matched with an access receipt → the receipt's action (`download`…). */
  acts: Map<number, string>;
  /** Mandate id → who it was given to, as this device knows it (see `Who`). */
  who: Map<string, Who>;
  /** A mandate id → the number of the mandate it renews (the same grantee, scope and rights). */
  renews: Map<string, number>;
  /** The mandates given that ended at their end date: one line each, at that date (`expiryLines`). */
  expired: { mandate: string; number: number; time: number }[];
}

/**
 * Who a mandate was given to: the name the owner gave (when giving it or since: the newest
 * owner's note this device verified, `ownerName`), and for an organisation its name as the
 * server says it (not signed: its root is).
 */
export interface Who {
  name?: string;
  organisation?: string;
  type: 'person' | 'organisation';
}

/** Who, without the name when it only repeats the organisation's (the form suggests it). */
function whoOf(g: GivenMandate, name: string | undefined): Who {
  const organisation = g.orgName;
  const same =
    name !== undefined && organisation !== undefined && name.trim().toLowerCase() === organisation.trim().toLowerCase();
  return {
    type: g.item.grantee.type,
    ...(name && !same ? { name } : {}),
    ...(organisation ? { organisation } : {}),
  };
}

const sameScope = (a: Mandate, b: Mandate) =>
  a.grantee.type === b.grantee.type &&
  a.grantee.id === b.grantee.id &&
  a.grantee.key === b.grantee.key &&
  a.rights === b.rights &&
  [...a.categories].sort().join() === [...b.categories].sort().join();

/**
 * Renewals among the mandates given: a mandate renews the newest earlier one to the same
 * grantee with the same categories and rights that was not stopped (revoked or renounced —
 * giving again after a stop is a new mandate).
 */
export function renewals(given: readonly GivenMandate[]): Map<string, number> {
  const out = new Map<string, number>();
  const verified = given.filter((g) => g.mandate).sort((a, b) => a.item.number - b.item.number);
  verified.forEach((g, i) => {
    for (let j = i - 1; j >= 0; j--) {
      const earlier = verified[j] as GivenMandate;
      if (!sameScope(earlier.mandate?.body as Mandate, g.mandate?.body as Mandate)) continue;
      if (earlier.item.state !== 'revoked' && earlier.item.state !== 'renounced')
        out.set(g.item.mandate, earlier.item.number);
      break;
    }
  });
  return out;
}

/**
 * `entries`: the verified journal page (`verifiedJournal`); `complete` when it starts at
 * seq 0. `given`: `loadGiven`'s answer (mandates and their statements, each verified).
 * `names`: mandate id → the name the owner gave its grantee on this device.
 */
export function checkGranteeActs(
  entries: readonly JournalEntry[],
  given: readonly GivenMandate[],
  complete: boolean,
  names: ReadonlyMap<string, string> = new Map(),
): GranteeCheck {
  const statements: GranteeStatement[] = given.flatMap((g) => (g.mandate ? g.statements : []));
  const byHash = new Map(statements.map((st) => [st.hash, st]));
  const numbers = new Map(given.map((g) => [g.item.mandate, g.item.number]));
  const acts = new Map<number, string>();
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
    else {
      recorded.push(e);
      const act = byHash.get(e.proof as string)?.act;
      if (act !== undefined) acts.set(e.seq, act);
    }
    named.add(e.proof as string);
  }
  let hidden = false;
  try {
    checkGranteeProofs(recorded, statements, complete);
  } catch (err) {
    if (!(err instanceof CoffreCryptoError)) throw err;
    hidden = true;
  }
  const who = new Map<string, Who>(given.map((g) => [g.item.mandate, whoOf(g, names.get(g.item.mandate))]));
  // An end date passed with no revocation nor renunciation before it: the server lists it
  // `expired`, and the signed mandate says when (list-check.ts holds the list to the journal).
  const expired = given.flatMap((g) =>
    g.mandate && g.item.state === 'expired'
      ? [{ mandate: g.item.mandate, number: g.item.number, time: g.mandate.body.not_after }]
      : [],
  );
  return { invented, hidden, numbers, acts, who, renews: renewals(given), expired };
}

/**
 * Fetches the mandates this coffre gave with their statements (each verified, `loadGiven`)
 * and matches them with the journal this session verified last (`verifiedJournal`).
 */
export async function loadGranteeCheck(session: Unlocked, m?: MandatesApi): Promise<GranteeCheck | undefined> {
  const entries = verifiedJournal(session);
  if (!entries) return undefined;
  const given = await loadGiven(session, m);
  const names = new Map(given.map((g) => [g.item.mandate, g.name]));
  return checkGranteeActs(entries, given, entries.length === 0 || entries[0]?.seq === 0, names);
}
