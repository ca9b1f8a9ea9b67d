// The journal's lines filtered by person and by paper (issue 14, « filterable by person and
// by paper »): a person is a mandate given (its grant, its end and every act under it), a
// paper is any line whose object it is (added, deleted, deposited, opened by a grantee).
// Every verified entry is filtered: the newest ones with their opened details, the older ones
// bare (what their signed entry says); a filter chosen on a journal verified only from this
// device's checkpoint verifies the whole journal first. And the lines of the mandates that
// ended at their end date (`withExpiryLines`), which no entry records.
import type { JournalLine } from './index';

export interface LineFilter {
  /** A mandate's id: the lines of that mandate. */
  mandate?: string;
  /** A paper's id: the lines about that paper. */
  paper?: string;
}

const MANDATE_OBJECTS: ReadonlySet<string> = new Set(['mandate_granted', 'mandate_revoked']);

/** The mandate a line is about: the one it names, or the one a grant or a revocation is of. */
const mandateOf = (line: JournalLine) => line.mandate ?? (MANDATE_OBJECTS.has(line.action) ? line.object : undefined);

export function lineMatches(line: JournalLine, f: LineFilter): boolean {
  if (f.mandate && mandateOf(line) !== f.mandate) return false;
  if (f.paper && line.object !== f.paper) return false;
  return true;
}

/**
 * What a filter can choose among `lines`: the mandates they name (in the order met), and the
 * papers of `papers` (the verified listing) that some line is about. When `lines` are not the
 * whole journal, `given` (every mandate this coffre gave, by number) is offered too, and every
 * listed paper: older entries may be about them, and choosing one verifies the whole journal.
 */
export function filterChoices(
  lines: readonly JournalLine[],
  papers: readonly { id: string; title: string }[],
  given?: ReadonlyMap<string, number>,
): { mandates: string[]; papers: { id: string; title: string }[]; aboutObjects: boolean } {
  const mandates: string[] = [];
  const objects = new Set<string>();
  for (const line of lines) {
    const m = mandateOf(line);
    if (m !== undefined && !mandates.includes(m)) mandates.push(m);
    if (line.object !== undefined && !MANDATE_OBJECTS.has(line.action)) objects.add(line.object);
  }
  if (given) {
    const byNumber = [...given].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    for (const id of byNumber) if (!mandates.includes(id)) mandates.push(id);
    return { mandates, papers: [...papers], aboutObjects: true };
  }
  // `aboutObjects`: some line may be about a paper (the listing then says which).
  return { mandates, papers: papers.filter((p) => objects.has(p.id)), aboutObjects: objects.size > 0 };
}

/**
 * The journal's lines with one line per mandate that ended at its end date, placed at that
 * date: among the lines shown (no older than the oldest of them, unless they start at the
 * journal's first entry). These lines are not journal entries (the date passing is no act
 * anyone signs): they are read from the signed mandates, and have negative seqs.
 */
export function withExpiryLines(
  lines: readonly JournalLine[],
  expired: readonly { mandate: string; number: number; time: number }[] = [],
): JournalLine[] {
  if (expired.length === 0) return [...lines];
  const oldest = lines.at(-1);
  const from = !oldest || oldest.seq === 0 ? Number.NEGATIVE_INFINITY : oldest.time;
  const extra: JournalLine[] = expired
    .filter((x) => x.time >= from)
    .map((x) => ({ seq: -x.number, time: x.time, action: 'mandate_expired', mandate: x.mandate }));
  // Newest first, as the journal; in the same second an expiry comes after the entries (above them).
  const rank = (l: JournalLine) => (l.seq < 0 ? Number.MAX_SAFE_INTEGER + l.seq : l.seq);
  return [...lines, ...extra].sort((a, b) => b.time - a.time || rank(b) - rank(a));
}
