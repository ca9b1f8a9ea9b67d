// « Mes mandats » against a stale or edited list (docs/design/mandates-screens.md): the
// server's list says each mandate's scope, window and state, which nothing signs. The owner's
// client checks them against what is signed — each mandate's own statement, and the owner's
// journal, whose `mandate_granted` and `mandate_revoked` entries the owner signed (and the
// server-signed `mandate_renounced`, whose proof the journal's grantee check matches) — so a
// host that hides a mandate, shows a revoked one as in force, or stretches an expired one's
// window is shown to the owner as a warning.
import { api } from '../api';
import type { JournalEntry } from '../crypto/journal';
import type { Mandate } from '../crypto/mandate';
import { loadJournal, verifiedJournal } from '../journal';
import type { Unlocked } from '../session';
import type { MandateItem } from './api';
import type { GivenMandate } from './owner';

/**
 * What one listed mandate says that its statement or the journal contradicts:
 * `not_as_signed` — rights, categories, window or grantee other than the signed mandate's;
 * `end_hidden` — the journal ended it (revoked or renounced), the list does not;
 * `end_unproven` — the list says it ended, with no end statement to show for it;
 * `state_not_window` — « in force », « upcoming » or « expired » against the signed window
 * (read on this device's clock, with `CLOCK_SLACK` either side).
 */
export type ListProblem = 'not_as_signed' | 'end_hidden' | 'end_unproven' | 'state_not_window';

export interface ListCheck {
  /** Mandates the journal says this coffre gave that the list does not hold. */
  missing: string[];
  /** Per listed mandate id, the first contradiction found. */
  problems: Map<string, ListProblem>;
}

/** Seconds this device's clock may be off from the server's before a state is called wrong. */
export const CLOCK_SLACK = 300;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sorted = [...b].sort();
  return a.length === b.length && [...a].sort().every((x, i) => x === sorted[i]);
}

/** The list item says what the signed mandate says (the fields the screens show). */
export function listedAsSigned(item: MandateItem, m: Mandate): boolean {
  return (
    item.mandate === m.mandate &&
    item.rights === m.rights &&
    sameSet(item.categories, m.categories) &&
    item.not_before === m.not_before &&
    item.not_after === m.not_after &&
    item.grantee.type === m.grantee.type &&
    item.grantee.id === m.grantee.id &&
    item.grantee.key === m.grantee.key
  );
}

function stateAgainstWindow(item: MandateItem, m: Mandate, now: number): boolean {
  switch (item.state) {
    case 'upcoming':
      return now < m.not_before + CLOCK_SLACK;
    case 'in_force':
      return now >= m.not_before - CLOCK_SLACK && now < m.not_after + CLOCK_SLACK;
    case 'expired':
      return now >= m.not_after - CLOCK_SLACK;
    default:
      return true;
  }
}

/**
 * `given`: `loadGiven`'s answer; `entries`: the verified journal (the whole of it, or the
 * part this device verified: then a mandate granted before it is not looked for); `now`:
 * this device's clock, in Unix seconds.
 */
export function checkGivenList(
  given: readonly GivenMandate[],
  entries: readonly JournalEntry[],
  now: number,
): ListCheck {
  const listed = new Set(given.map((g) => g.item.mandate));
  const granted = new Set<string>();
  const ended = new Set<string>();
  for (const e of entries) {
    if (e.action === 'mandate_granted' && e.object) granted.add(e.object);
    if (e.action === 'mandate_revoked' && e.object) ended.add(e.object);
    if (e.action === 'mandate_renounced' && e.mandate) ended.add(e.mandate);
  }
  const problems = new Map<string, ListProblem>();
  for (const g of given) {
    const m = g.mandate?.body;
    if (!m) continue; // refused already, nothing of it is shown
    const { item } = g;
    const isEnded = item.state === 'revoked' || item.state === 'renounced';
    const problem: ListProblem | undefined = !listedAsSigned(item, m)
      ? 'not_as_signed'
      : ended.has(item.mandate) && (!isEnded || item.end === null)
        ? 'end_hidden'
        : isEnded && item.end === null
          ? 'end_unproven'
          : !stateAgainstWindow(item, m, now)
            ? 'state_not_window'
            : undefined;
    if (problem) problems.set(item.mandate, problem);
  }
  return { missing: [...granted].filter((id) => !listed.has(id)), problems };
}

/**
 * Verifies the whole journal (as « Voir tout le journal » does: from seq 0, bound by the
 * owner's checkpoint) and checks `given` against it; `unchecked` when the journal does not
 * verify (the journal's own warning says why).
 */
export async function loadListCheck(
  session: Unlocked,
  given: readonly GivenMandate[],
  now = Math.floor(Date.now() / 1000),
): Promise<ListCheck | 'unchecked'> {
  const journal = await loadJournal(session, await api.instance(), undefined, true);
  const entries = journal.ok ? verifiedJournal(session) : undefined;
  return entries ? checkGivenList(given, entries, now) : 'unchecked';
}
